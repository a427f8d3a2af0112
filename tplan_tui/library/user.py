"""The clinician's own library: "save this goal to my library" from a session.

A saved goal goes into ``<config>/library/<area-slug>.yaml`` (or the user file that already holds
that area), with the client's name replaced by ``{name}`` so that nothing about the client stays
in the library. Only what makes sense for another client is kept: the wording, the rating scale
without baseline or target, the objectives without dates or status, and the interventions.
The file is written atomically, 0600 in a 0700 folder, and is never one the loader would reject.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tplan_tui.core import model as m
from tplan_tui.core.fielderrors import FieldError
from tplan_tui.library.areas import PLACEHOLDER, area_key, goal_key, slug
from tplan_tui.library.check import (
    LibraryFileError,
    goal_errors,
    parse_library_yaml,
    read_area_text,
)
from tplan_tui.library.loader import user_files, user_library_dir
from tplan_tui.paths import ensure_private_dir, write_private_file

HEADER = (
    '# My goal library: tplan adds a goal here when you choose "save to my library".\n'
    "# {name} stands for the client's name. You may edit this file; see the library README.\n"
)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def generalize(text: str, client_name: str | None) -> str:
    """``text`` with the client's name replaced by ``{name}``.

    Whole words only, and case-sensitive (as typed, or capitalized), so that a client called
    Will or Hope does not turn "will" or "hope" into a placeholder. A name of several words is
    replaced whole, and then word by word ("Chris Lee", then "Chris", then "Lee").
    """
    name = " ".join((client_name or "").split())
    if not name:
        return text
    candidates = {name, *name.split()}
    forms = {form for c in candidates if len(c) > 1 for form in (c, c[:1].upper() + c[1:])}
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(rf"(?<![\w{{]){re.escape(form)}(?![\w}}])", PLACEHOLDER, text)
    return text


def goal_to_library_data(goal: m.Goal, client_name: str | None) -> dict[str, Any]:
    """A plan goal as the plain data of a library goal, the client's name taken out."""

    def g(text: str | None) -> str | None:
        return generalize(" ".join(text.split()), client_name) if text and text.strip() else None

    data: dict[str, Any] = {"text": g(goal.text)}
    if g(goal.in_client_words):
        data["in_client_words"] = g(goal.in_client_words)
    data["rating"] = {
        "label": g(goal.rating.label),
        "low": g(goal.rating.low),
        "high": g(goal.rating.high),
        "better": goal.rating.better,
    }
    data["objectives"] = [
        {"text": g(o.text), "in_client_words": g(o.in_client_words)}
        if g(o.in_client_words)
        else g(o.text)
        for o in goal.objectives
    ]
    interventions = []
    for i in goal.interventions:
        item: dict[str, Any] = {"text": g(i.text)}
        for key in ("modality", "frequency", "by"):
            value = g(getattr(i, key))
            if value:
                item[key] = value
        interventions.append(item)
    if interventions:
        data["interventions"] = interventions
    return data


class SaveToLibraryError(ValueError):
    """The goal cannot be saved to the library as it is; ``errors`` says why, field by field."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _existing_file_for(area: str, folder: Path) -> Path | None:
    """The first readable user file that already holds ``area``."""
    for path in user_files(folder):
        try:
            if area_key(read_area_text(path.read_text(encoding="utf-8")).area) == area_key(area):
                return path
        except (OSError, UnicodeDecodeError, LibraryFileError):
            continue
    return None


def _free_path(area: str, folder: Path) -> Path:
    # A file with the area's slug that holds something else (or is broken) is left alone.
    stem = slug(area)
    path = folder / f"{stem}.yaml"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.yaml"
        n += 1
    return path


def _appended(old_text: str, goal_data: dict[str, Any]) -> str | None:
    """``old_text`` with one more goal written at its end, keeping the clinician's comments and
    layout; None when the file is not laid out so that this is safe (the caller rewrites it)."""
    old = parse_library_yaml(old_text)
    node = yaml.compose(old_text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return None
    last_key, goals = node.value[-1]
    if last_key.value != "goals" or not isinstance(goals, yaml.SequenceNode):
        return None
    if goals.flow_style or not goals.value:
        return None
    indent = " " * goals.start_mark.column
    snippet = "".join(
        indent + line if line.strip() else line for line in _dump([goal_data]).splitlines(True)
    )
    text = old_text if old_text.endswith("\n") else old_text + "\n"
    text += snippet
    try:
        new = parse_library_yaml(text)
    except LibraryFileError:
        return None
    expected = {**old, "goals": [*old["goals"], goal_data]}
    return text if new == expected else None


def save_goal_to_user_library(area: str, goal: m.Goal, client_name: str | None) -> Path:
    """Save ``goal`` to the clinician's own library under ``area``; returns the file written.

    The client's name becomes ``{name}``. The goal is added to the user file that already holds
    the area (a goal with the same text there is replaced), or to a new ``<slug>.yaml``.
    Raises SaveToLibraryError when the goal lacks what a library goal needs (text, a rating
    scale, an objective) and OSError when the file cannot be written.
    """
    area = " ".join(area.split())
    data = goal_to_library_data(goal, client_name)
    errors = goal_errors(data)
    if not area:
        errors.insert(0, FieldError("area", "is required"))
    if errors:
        raise SaveToLibraryError(errors)

    folder = ensure_private_dir(user_library_dir())
    path = _existing_file_for(area, folder)
    if path is None:
        path = _free_path(area, folder)
        text = HEADER + _dump({"area": area, "goals": [data]})
    else:
        old_text = path.read_text(encoding="utf-8")
        old = parse_library_yaml(old_text)
        keys = [goal_key(g.get("text", "")) for g in old["goals"]]
        same = goal_key(data["text"])
        appended = None if same in keys else _appended(old_text, data)
        if appended is not None:
            text = appended
        else:
            goals = list(old["goals"])
            if same in keys:
                goals[keys.index(same)] = data
            else:
                goals.append(data)
            text = HEADER + _dump({**old, "goals": goals})
    read_area_text(text)  # never write a file the loader would refuse
    write_private_file(path, text.encode("utf-8"))
    return path
