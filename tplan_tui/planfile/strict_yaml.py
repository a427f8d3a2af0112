"""The strict YAML reading shared by every file a person writes by hand (plan files, settings,
themes): safe loading, no anchors or aliases (such a file has no need of them, and an alias bomb
must never expand), and no key twice in one place (a typo must not silently drop data)."""

from __future__ import annotations

from typing import Any

import yaml


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and duplicate keys, with the line and column.

    Subclasses set ``what`` ("a plan file") for the messages and may narrow the resolvers.
    """

    what = "this file"

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem=f"anchors and aliases (& and *) are not allowed in {self.what}",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int)) and key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"the key {key!r} appears twice in the same place",
                    problem_mark=key_node.start_mark,
                )
            seen.add(key if isinstance(key, (str, int)) else id(key))
        return super().construct_mapping(node, deep=deep)
