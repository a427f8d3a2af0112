"""Checking a library file: safe YAML, then every field, with the path of each problem.

Strict, as plan files are: an unknown key, a missing field, a wrong type or an unknown
placeholder is an error naming its field path (``goals[1].rating.low: is required``), and all
of a file's errors are collected before it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import yaml

from tplan_tui.core.fielderrors import FieldError, FieldErrors, unknown_key_message, utf8_text
from tplan_tui.core.fielderrors import describe as _describe
from tplan_tui.core.fielderrors import join_path as _join
from tplan_tui.library.areas import (
    AGES,
    PLACEHOLDER,
    SCALE_BETTER,
    SHIPPED,
    Area,
    LibraryConcern,
    LibraryGoal,
    LibraryIntervention,
    LibraryObjective,
    LibraryRating,
)

MAX_FILE_BYTES = 1024 * 1024  # an area file is a few KB

_AREA_KEYS = ("area", "description", "synonyms", "presenting_concerns", "goals")
_CONCERN_KEYS = ("text", "in_client_words")
_GOAL_KEYS = ("text", "in_client_words", "ages", "rating", "objectives", "interventions")
_RATING_KEYS = ("label", "low", "high", "better")
_OBJECTIVE_KEYS = ("text", "in_client_words")
_INTERVENTION_KEYS = ("text", "modality", "frequency", "by", "caution")
_BRACES = re.compile(r"\{[^{}]*\}")

# --------------------------------------------------------------------------- YAML

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
if TYPE_CHECKING:
    from tplan_tui.core.strict_yaml import ImplicitResolvers

    # mypy checks the loader against libyaml's; the pure-Python SafeLoader has the same methods
    _Base = yaml.CSafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


class _LibraryLoader(_Base):
    """Safe loading that refuses anchors/aliases and duplicate keys, and keeps dates as text."""

    yaml_implicit_resolvers: ImplicitResolvers = {
        k: [(tag, rx) for tag, rx in v if tag != _TIMESTAMP]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        # An alias makes the same node appear twice in the tree; refusing it means an alias
        # bomb can never expand while the file is checked.
        seen: set[int] = set()
        stack = [node] if node is not None else []
        while stack:
            item = stack.pop()
            if id(item) in seen:
                raise yaml.MarkedYAMLError(
                    problem="anchors and aliases (& and *) are not allowed in a library file",
                    problem_mark=item.start_mark,
                )
            seen.add(id(item))
            if isinstance(item, yaml.SequenceNode):
                stack.extend(item.value)
            elif isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    stack.extend((k, v))
        return node

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Hashable, object]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"the key {key_node.value!r} appears twice in the same place",
                        problem_mark=key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def parse_library_yaml(text: str) -> Any:
    """Library YAML text to plain data; raises LibraryFileError with line and column if broken."""
    try:
        return yaml.load(text, Loader=_LibraryLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise LibraryFileError([FieldError(where, f"not valid YAML: {problem}")]) from None


class LibraryFileError(FieldErrors):
    """A library file that cannot be used; ``errors`` lists every problem with its field path."""


# --------------------------------------------------------------------------- checking


class _Checker:
    """Walks the plain data of one area file, building library objects and collecting errors."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def mapping(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"must be a set of keys ({', '.join(keys)}), got {_describe(value)}")
            return None
        for key in value:
            if key not in keys:
                self.error(_join(path, str(key)), unknown_key_message(key, keys))
        return value

    def text(self, d: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        return self.text_value(d.get(key), _join(path, key), required=required)

    def text_value(self, value: Any, here: str, *, required: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(here, "is required")
            return None
        if not isinstance(value, str):
            self.error(here, f"must be text, got {_describe(value)} (put it in quotes)")
            return None
        for placeholder in _BRACES.findall(value):
            if placeholder != PLACEHOLDER:
                self.error(here, f"{placeholder} is not a placeholder tplan knows: use {{name}}")
        return " ".join(value.split())  # folded YAML may leave doubled spaces or a newline

    def items(
        self, d: dict[str, Any], key: str, path: str, *, required: bool
    ) -> list[tuple[Any, str]]:
        value = d.get(key)
        here = _join(path, key)
        if value is None or value == []:
            if required:
                self.error(here, "is required: a list with at least one item")
            return []
        if not isinstance(value, list):
            self.error(here, f"must be a list, got {_describe(value)}")
            return []
        return [(item, _join(here, i)) for i, item in enumerate(value)]

    def choice(
        self, d: dict[str, Any], key: str, path: str, choices: tuple[str, ...]
    ) -> str | None:
        """An optional value that must be one of ``choices`` (None when absent)."""
        value = self.text(d, key, path)
        if value is not None and value not in choices:
            self.error(_join(path, key), f"must be one of {', '.join(choices)}, got {value!r}")
            return None
        return value

    # -- one method per object

    def area(self, value: Any) -> Area | None:
        d = self.mapping(value, "", _AREA_KEYS)
        if d is None:
            return None
        name = self.text(d, "area", "", required=True) or ""
        return Area(
            area=name,
            description=self.text(d, "description", "") or "",
            synonyms=[
                t
                for v, p in self.items(d, "synonyms", "", required=False)
                if (t := self.text_value(v, p, required=True))
            ],
            concerns=[
                c
                for v, p in self.items(d, "presenting_concerns", "", required=False)
                if (c := self.concern(v, p))
            ],
            goals=[
                g
                for v, p in self.items(d, "goals", "", required=True)
                if (g := self.goal(v, p, name))
            ],
        )

    def concern(self, value: Any, path: str) -> LibraryConcern | None:
        d = self.mapping(value, path, _CONCERN_KEYS)
        if d is None:
            return None
        return LibraryConcern(
            text=self.text(d, "text", path, required=True) or "",
            in_client_words=self.text(d, "in_client_words", path),
        )

    def goal(self, value: Any, path: str, area: str) -> LibraryGoal | None:
        d = self.mapping(value, path, _GOAL_KEYS)
        if d is None:
            return None
        rating = LibraryRating("", "", "")
        rpath = _join(path, "rating")
        if d.get("rating") is None:
            self.error(rpath, "is required: label, low and high")
        else:
            r = self.mapping(d["rating"], rpath, _RATING_KEYS)
            if r is not None:
                label, low, high = (
                    self.text(r, k, rpath, required=True) or "" for k in ("label", "low", "high")
                )
                better = self.choice(r, "better", rpath, SCALE_BETTER)
                rating = LibraryRating(label, low, high, better)
        objectives = []
        for v, p in self.items(d, "objectives", path, required=True):
            words = None
            if isinstance(v, dict):  # `- text: ...`, as in a plan file, with the client's words
                o = self.mapping(v, p, _OBJECTIVE_KEYS)
                text = self.text(o, "text", p, required=True) if o is not None else None
                words = self.text(o, "in_client_words", p) if o is not None else None
            else:
                text = self.text_value(v, p, required=True)
            if text:
                objectives.append(LibraryObjective(text, words))
        interventions = [
            i
            for v, p in self.items(d, "interventions", path, required=False)
            if (i := self.intervention(v, p))
        ]
        return LibraryGoal(
            area=area,
            text=self.text(d, "text", path, required=True) or "",
            in_client_words=self.text(d, "in_client_words", path),
            rating=rating,
            objectives=objectives,
            interventions=interventions,
            ages=self.choice(d, "ages", path, AGES) or "any",
        )

    def intervention(self, value: Any, path: str) -> LibraryIntervention | None:
        d = self.mapping(value, path, _INTERVENTION_KEYS)
        if d is None:
            return None
        return LibraryIntervention(
            text=self.text(d, "text", path, required=True) or "",
            modality=self.text(d, "modality", path),
            frequency=self.text(d, "frequency", path),
            by=self.text(d, "by", path),
            caution=self.text(d, "caution", path),
        )


def area_from_data(data: Any, source: str = SHIPPED) -> Area:
    """An area from the plain data of one file; raises LibraryFileError listing every problem."""
    checker = _Checker()
    area = checker.area(data)
    if checker.errors or area is None:
        raise LibraryFileError(checker.errors or [FieldError("", "the file is empty")])
    area.source = source
    for g in area.goals:
        g.source = source
    return area


def goal_errors(data: Any) -> list[FieldError]:
    """What is wrong with the plain data of one library goal (empty when nothing)."""
    checker = _Checker()
    checker.goal(data, "goal", "")
    return checker.errors


def read_area_text(text: str, source: str = SHIPPED) -> Area:
    """An area from the text of one library file; raises LibraryFileError."""
    return area_from_data(parse_library_yaml(text), source)


def read_area_bytes(raw: bytes, source: str = SHIPPED) -> Area:
    if len(raw) > MAX_FILE_BYTES:
        raise LibraryFileError(
            [FieldError("", f"the file is {len(raw):,} bytes; a library file may be at most 1 MB")]
        )
    return read_area_text(utf8_text(raw, LibraryFileError), source)
