"""The strict YAML reading shared by every file a person writes by hand (plan files, settings,
themes): safe loading, no anchors or aliases (such a file has no need of them, and an alias bomb
must never expand), and no key twice in one place (a typo must not silently drop data).

It is also bounded, because such a file may come from anyone: nesting at most ``max_depth``
deep (PyYAML composes and builds recursively, so a few hundred ``[`` would end in a
RecursionError), at most ``max_nodes`` values and keys (a 2 MB flow list of a million items took
52 s and 700 MB to build), whole numbers that fit 64 bits (Python refuses to read more than
4,300 digits, and a long hex number cannot be written to JSON), and a tag only on the kind of
node it names (``!!int`` on a list, ``!!map`` on a word). All of these are checked on the
composed nodes, before any Python object is built, and each is a YAMLError with the line and
column, never another exception.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import cast

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from tplan_tui.core.bounds import INT_MAX, INT_MIN

_YAML = "tag:yaml.org,2002:"
# The node each standard tag may stand on.
_TAG_KINDS = {
    **{
        _YAML + t: ScalarNode
        for t in ("null", "bool", "int", "float", "str", "binary", "timestamp", "merge", "value")
    },
    **{_YAML + t: SequenceNode for t in ("seq", "omap", "pairs")},
    **{_YAML + t: MappingNode for t in ("map", "set")},
}
_KIND_WORDS = {ScalarNode: "a single value", SequenceNode: "a list", MappingNode: "a set of keys"}
INT_TEXT_MAX = 40  # characters of a whole number as written (19 digits, a sign, underscores)


def _short_tag(tag: str) -> str:
    return str(tag).replace(_YAML, "!!")


# A loader's or dumper's implicit resolvers: a scalar's first character (None: any) -> the
# (tag, pattern) pairs tried in order.
ImplicitResolvers = dict[str | None, list[tuple[str, re.Pattern[str]]]]


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases, duplicate keys, deep nesting, too many nodes,
    huge whole numbers and misplaced tags, with the line and column.

    Subclasses set ``what`` ("a plan file") for the messages and may narrow the resolvers.
    """

    what = "this file"
    max_depth = 64  # a plan is 6 levels deep before `extra:`, which may nest 32 more
    max_nodes = 50_000  # years of weekly check-ins on five goals are ~6,000; ~1 s to read

    def compose_document(self) -> yaml.Node | None:
        self._depth = 0
        self._nodes = 0
        return super().compose_document()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # types-PyYAML leaves the pure-Python Parser.peek_event unannotated
        event: yaml.Event | None = self.peek_event()  # type: ignore[no-untyped-call]
        # only node events (an alias, a scalar, a list or a mapping) can carry an anchor
        if isinstance(event, yaml.NodeEvent) and (
            isinstance(event, yaml.AliasEvent) or event.anchor
        ):
            raise yaml.MarkedYAMLError(
                problem=f"anchors and aliases (& and *) are not allowed in {self.what}",
                # the stubs allow the C parser's mark too; this pure-Python one makes yaml.Mark
                problem_mark=cast("yaml.Mark | None", event.start_mark),
            )
        mark = cast("yaml.Mark | None", event.start_mark) if event is not None else None
        self._nodes += 1
        if self._nodes > self.max_nodes:
            raise yaml.MarkedYAMLError(
                problem=f"too many values: {self.what} may hold at most {self.max_nodes:,} "
                "values and keys",
                problem_mark=mark,
            )
        self._depth += 1
        if self._depth > self.max_depth:
            raise yaml.MarkedYAMLError(
                problem=f"nested too deep: {self.what} may nest lists and keys at most "
                f"{self.max_depth} levels deep",
                problem_mark=mark,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        # Only for tags this loader builds: a tag it refuses anyway is told so by its constructor.
        if node is None:
            return None
        kind = _TAG_KINDS.get(node.tag) if node.tag in self.yaml_constructors else None
        if kind is not None and not isinstance(node, kind):
            raise yaml.MarkedYAMLError(
                problem=f"the tag {_short_tag(node.tag)} must be on {_KIND_WORDS[kind]}, "
                f"not on {_KIND_WORDS[type(node)]}",
                problem_mark=node.start_mark,
            )
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception:
            # A tagged value its constructor cannot read: `!!int abc`, `!!bool maybe`,
            # `!!timestamp x`. PyYAML's constructors raise whatever their parsing meets
            # (ValueError, KeyError, AttributeError...), so every one of them is this error.
            shown = node.value if isinstance(node, ScalarNode) else ""
            shown = repr(shown if len(shown) <= 40 else shown[:37] + "...")
            raise ConstructorError(
                None, None, f"{shown} cannot be read as {_short_tag(node.tag)}", node.start_mark
            ) from None

    def get_single_data(self) -> object:
        try:
            return super().get_single_data()
        except yaml.YAMLError:
            raise
        except (Exception, RecursionError):
            # The last line of defence: a constructor failing outside construct_object.
            raise yaml.YAMLError(f"{self.what} holds a value that cannot be read") from None

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        text = self.construct_scalar(node)
        if len(text) > INT_TEXT_MAX:
            raise ConstructorError(
                None, None,
                f"a whole number of {len(text):,} characters is too long: at most 19 digits",
                node.start_mark,
            )  # fmt: skip
        value = self.construct_yaml_int(node)
        if not INT_MIN <= value <= INT_MAX:
            raise ConstructorError(
                None, None,
                f"the whole number {text} is too large: it must fit 64 bits "
                f"({INT_MIN} to {INT_MAX})",
                node.start_mark,
            )  # fmt: skip
        return value

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Hashable, object]:
        seen: set[str | int] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int)) and key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"the key {key!r} appears twice in the same place",
                    problem_mark=key_node.start_mark,
                )
            seen.add(key if isinstance(key, (str, int)) else id(key))
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor(_YAML + "int", StrictLoader.construct_bounded_int)
