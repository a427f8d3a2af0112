"""The plan file (``docs/plan-format.md``, version 1): YAML in, YAML out, validation with field paths.

Reading is two steps: YAML text becomes plain data (safe loading only, no anchors or aliases, no
duplicate keys), then ``plan_from_data`` (``plan_reader.py``) checks every field and builds a
:class:`~tplan_tui.core.model.Plan`, collecting *all* errors with their paths before it gives up.
``plan_to_data`` (``plan_writer.py``) is the inverse and writes every field, defaults included, so
that import -> export -> import gives the same plan. This module is the YAML and the file around
them, and the one place callers import from.

The store keeps plans as the same plain data (dates as ISO strings), so it reuses both directions
with ``complete=False``: a draft being typed in may lack goals, but never has a wrong type.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import yaml

from tplan_tui.core import model as m
from tplan_tui.core.fielderrors import FieldError, utf8_text
from tplan_tui.core.fielderrors import describe as _describe
from tplan_tui.core.strict_yaml import ImplicitResolvers, StrictLoader
from tplan_tui.planfile.reader import FORMAT_VERSION, PlanFileError, plan_from_data
from tplan_tui.planfile.writer import plan_to_data

__all__ = [
    "FORMAT_VERSION", "MAX_FILE_BYTES", "FieldError", "PlanFileError", "completeness_errors",
    "dump_plan", "load_plan_file", "load_plan_file_and_version", "load_plan_text", "parse_yaml", "plan_from_data", "plan_to_data",
    "_describe",
]  # fmt: skip

MAX_FILE_BYTES = 2 * 1024 * 1024  # a plan is a few KB; anything this big is not a plan file


# --------------------------------------------------------------------------- YAML

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: ImplicitResolvers) -> ImplicitResolvers:
    # Dates stay strings in the data and are checked by the validator, so that an impossible
    # date ('2026-13-45') is reported with its field path instead of as a YAML traceback, and
    # a date-like string under `extra:` round-trips as the string it was.
    return {k: [(tag, rx) for tag, rx in v if tag != _TIMESTAMP] for k, v in resolvers.items()}


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "str", "seq", "map")
}
# `<<` (merge) and `=` (value) are read as the text they are: merging needs anchors, refused anyway.
_LOADER_SKIPS = {_TIMESTAMP, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None,
        f"the tag {tag} is not allowed in a plan file: only text, numbers, true/false, "
        "lists and keys",
        node.start_mark,
    )  # fmt: skip


class _PlanLoader(StrictLoader):
    """The strict loader, refusing also every tag but plain data.

    Only what JSON can also hold is built (text, numbers, true/false, null, lists, keys): the
    store keeps plans as JSON, and a !!binary, !!set or !!timestamp under `extra:` would
    otherwise crash the import or come back changed.
    """

    what = "a plan file"
    yaml_implicit_resolvers: ImplicitResolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in _LOADER_SKIPS]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors: ClassVar[dict[str | None, Callable[..., object]]] = {
        tag: make for tag, make in StrictLoader.yaml_constructors.items() if tag in _PLAIN_TAGS
    }


_PlanLoader.add_constructor(None, _refuse_tag)


class _PlanDumper(yaml.SafeDumper):
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text reads best as a literal block; everything else as PyYAML chooses.
    # PyYAML falls back to quoting by itself where a block cannot hold the text exactly, but
    # not for the other line breaks (CR, NEL, U+2028, U+2029): in a block or plain scalar a
    # reader turns them into "\n" or a space, so only double quotes (with escapes) keep them.
    if any(ch in value for ch in "\r\x85\u2028\u2029"):
        style = '"'
    elif "\n" in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _represent_str)


def _yaml_error(exc: yaml.YAMLError, text: str) -> FieldError:
    if isinstance(exc, yaml.reader.ReaderError):
        # A character YAML does not allow (e.g. NUL): PyYAML gives an offset and two lines.
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return FieldError(
            f"line {line}, column {column}",
            f"the character #x{exc.character:04x} is not allowed in a plan file",
        )
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return FieldError(f"line {mark.line + 1}, column {mark.column + 1}", problem)
    return FieldError("", f"not valid YAML: {' '.join(problem.split())}")


def parse_yaml(text: str) -> Any:
    """YAML text to plain data, or PlanFileError with the line and column of a syntax error."""
    try:
        return yaml.load(text, Loader=_PlanLoader)  # _PlanLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise PlanFileError([_yaml_error(exc, text)]) from None


def load_plan_text(text: str, *, complete: bool = True) -> m.Plan:
    """A plan from plan-file text; raises PlanFileError listing every problem."""
    return plan_from_data(parse_yaml(text), complete=complete)


def _kind_of(mode: int) -> str:
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def load_plan_file(path: str | Path) -> m.Plan:
    """A plan from a plan file on disk, refusing oversized, non-UTF-8 and non-regular files
    quickly."""
    return load_plan_text(read_plan_file_text(path))


def load_plan_file_and_version(path: str | Path) -> tuple[m.Plan, int]:
    """A plan from a plan file, and the file's format version (``tplan:``): a version 2 file's
    diagnoses are ICD-10-CM unless they say otherwise (checked by ``tplan import``)."""
    data = parse_yaml(read_plan_file_text(path))
    plan = plan_from_data(data)
    return plan, int(data["tplan"])  # plan_from_data checked that it is 1 or 2


def read_plan_file_text(path: str | Path) -> str:
    """A plan file's text, refusing oversized, non-UTF-8 and non-regular files quickly."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever; the
        # file's kind is then checked on what was opened (no race with a swap after a stat).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise PlanFileError([FieldError("", f"cannot read the file: {exc.strerror}")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise PlanFileError(
                [
                    FieldError(
                        "",
                        f"this is {_kind_of(mode)}, not a file: tplan imports only regular "
                        "files (save the plan to a file first)",
                    )
                ]
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as f:
            fd = -1  # the file object closes it now
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise PlanFileError(
                    [FieldError("", f"the file is {size:,} bytes; a plan file may be at most 2 MB")]
                )
            # Never more than the limit, even from a file that grows while it is read: one
            # byte over is enough to refuse it.
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlanFileError([FieldError("", f"cannot read the file: {exc.strerror}")]) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(
            [
                FieldError(
                    "",
                    f"the file is over {MAX_FILE_BYTES:,} bytes; a plan file may be at most 2 MB",
                )
            ]
        )
    return utf8_text(raw, PlanFileError)


def dump_plan(plan: m.Plan) -> str:
    """The plan as plan-file YAML. Deterministic: the same plan always gives the same text."""
    data = plan_to_data(plan)
    body = yaml.dump(
        data,
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return body


def completeness_errors(plan: m.Plan) -> list[FieldError]:
    """What a draft still lacks before it is a complete plan file (empty when nothing)."""
    try:
        plan_from_data(plan_to_data(plan), complete=True)
    except PlanFileError as exc:
        return exc.errors
    return []
