"""The strict YAML reading shared by every file a person writes by hand (plan files, settings,
themes): safe loading, no anchors or aliases (such a file has no need of them, and an alias bomb
must never expand), and no key twice in one place (a typo must not silently drop data)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import cast

import yaml

# A loader's or dumper's implicit resolvers: a scalar's first character (None: any) -> the
# (tag, pattern) pairs tried in order.
ImplicitResolvers = dict[str | None, list[tuple[str, re.Pattern[str]]]]


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and duplicate keys, with the line and column.

    Subclasses set ``what`` ("a plan file") for the messages and may narrow the resolvers.
    """

    what = "this file"

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
        return super().compose_node(parent, index)

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
