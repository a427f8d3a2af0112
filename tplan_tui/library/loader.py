"""Loading the goal library: the shipped area files and the clinician's own, merged.

A broken shipped file is a bug the tests catch; a broken file in the clinician's own library is
skipped and reported in ``Library.problems`` (file, field path, what is wrong), so a typo in one
file never stops the app or hides the rest of the library. Loading never imports Textual: the
``tplan library`` command uses it and must stay fast.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from tplan_tui.core.fielderrors import FieldError
from tplan_tui.library.areas import SHIPPED, USER, Area, Library, area_key, goal_key
from tplan_tui.library.check import LibraryFileError, read_area_bytes
from tplan_tui.paths import config_dir

FILE_SUFFIXES = (".yaml", ".yml")


def user_library_dir() -> Path:
    """The clinician's own library: ``<config>/library``."""
    return config_dir() / "library"


def problem_message(name: str, error: FieldError | str) -> str:
    """One line for ``Library.problems``: the file, then the field path and what is wrong."""
    return f"{name}: {error}"


def _shipped_files() -> list[Any]:
    folder = resources.files(__package__)
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(FILE_SUFFIXES) and f.is_file()),
        key=lambda f: f.name,
    )


def user_files(folder: Path | None = None) -> list[Path]:
    """The clinician's library files, in name order (hidden and temporary files left out)."""
    folder = user_library_dir() if folder is None else folder
    try:
        entries = list(folder.iterdir())
    except OSError:  # no folder yet (the usual case), or not readable
        return []
    return sorted(
        p
        for p in entries
        if p.suffix in FILE_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def _read_files(files: list[Any], source: str, problems: list[str]) -> list[Area]:
    areas = []
    for f in files:
        label = str(f) if isinstance(f, Path) else f"tplan library file {f.name}"
        try:
            areas.append(read_area_bytes(f.read_bytes(), source))
        except OSError as exc:
            problems.append(problem_message(label, f"cannot read the file: {exc.strerror or exc}"))
        except LibraryFileError as exc:
            problems.extend(problem_message(label, e) for e in exc.errors)
    return areas


def merge_areas(shipped: list[Area], mine: list[Area]) -> list[Area]:
    """One area per name: a user area with a shipped area's name adds its goals and concerns to
    it, with its synonyms (a user goal with the same text as one already there takes its place: the clinician's
    version wins); other user areas are added. Sorted by area name."""
    merged: dict[str, Area] = {}
    for a in [*shipped, *mine]:
        key = area_key(a.area)
        have = merged.get(key)
        if have is None:
            merged[key] = Area(
                a.area, a.description, list(a.concerns), list(a.goals), a.source, list(a.synonyms)
            )
            continue
        if not have.description:
            have.description = a.description
        # A practice's own words for an area (a local term, a language) add to the shipped ones.
        for word in a.synonyms:
            if word.casefold() not in {s.casefold() for s in have.synonyms}:
                have.synonyms.append(word)
        known = {goal_key(c.text) for c in have.concerns}
        have.concerns.extend(c for c in a.concerns if goal_key(c.text) not in known)
        position = {goal_key(g.text): i for i, g in enumerate(have.goals)}
        for g in a.goals:
            g.area = have.area
            i = position.get(goal_key(g.text))
            if i is None:
                position[goal_key(g.text)] = len(have.goals)
                have.goals.append(g)
            else:
                have.goals[i] = g
    return sorted(merged.values(), key=lambda a: area_key(a.area))


def load_shipped_library() -> Library:
    """Only the areas that come with tplan."""
    problems: list[str] = []
    areas = _read_files(_shipped_files(), SHIPPED, problems)
    return Library(merge_areas(areas, []), problems)


def load_library(user_dir: Path | None = None) -> Library:
    """The whole library: shipped areas merged with the clinician's own (``<config>/library``).

    Never raises for a broken user file: it is skipped and described in ``problems``.
    """
    problems: list[str] = []
    shipped = _read_files(_shipped_files(), SHIPPED, problems)
    mine = _read_files(user_files(user_dir), USER, problems)
    return Library(merge_areas(shipped, mine), problems)
