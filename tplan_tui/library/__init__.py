"""The goal library: ready-made, measurable goals per problem area, to start a plan from.

The shipped areas are the YAML files beside this module (one per problem area, format in
``README.md`` here); the clinician's own live in ``<config>/library`` in the same format and
are merged in. ``load_library()`` reads both; ``Library.search()`` finds goals;
``LibraryGoal.to_goal()`` turns one into a plan goal; ``save_goal_to_user_library()`` keeps a
session's goal for next time; ``library_command()`` is ``tplan library``. Nothing here imports
Textual.
"""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Any, TextIO

from tplan_tui.library.areas import (
    PLACEHOLDER,
    SHIPPED,
    USER,
    Area,
    Library,
    LibraryConcern,
    LibraryGoal,
    LibraryIntervention,
    LibraryObjective,
    LibraryRating,
    fill_name,
)
from tplan_tui.library.check import LibraryFileError, read_area_text
from tplan_tui.library.loader import load_library, load_shipped_library, user_library_dir
from tplan_tui.library.user import SaveToLibraryError, generalize, save_goal_to_user_library

__all__ = [
    "PLACEHOLDER",
    "SHIPPED",
    "USER",
    "Area",
    "Library",
    "LibraryConcern",
    "LibraryFileError",
    "LibraryGoal",
    "LibraryIntervention",
    "LibraryObjective",
    "LibraryRating",
    "SaveToLibraryError",
    "area_to_json",
    "fill_name",
    "generalize",
    "library_command",
    "load_library",
    "load_shipped_library",
    "read_area_text",
    "save_goal_to_user_library",
    "user_library_dir",
]

WIDTH = 88


def area_to_json(area: Area) -> dict[str, Any]:
    """One area as ``tplan library --json`` prints it.

    ``{area, description, source, synonyms: [...], presenting_concerns: [{text,
    in_client_words}], goals: [{text, in_client_words, ages, rating: {label, low, high, better},
    objectives: [{text, in_client_words}], interventions: [{text, modality, frequency, by,
    caution}], source}]}``. Objectives are always objects, as in a plan file; every key is
    always present, ``null`` when a value is absent; texts keep ``{name}``.
    """
    return {
        "area": area.area,
        "description": area.description,
        "source": area.source,
        "synonyms": list(area.synonyms),
        "presenting_concerns": [
            {"text": c.text, "in_client_words": c.in_client_words} for c in area.concerns
        ],
        "goals": [
            {
                "text": g.text,
                "in_client_words": g.in_client_words,
                "ages": g.ages,
                "rating": {
                    "label": g.rating.label,
                    "low": g.rating.low,
                    "high": g.rating.high,
                    "better": g.rating.better,
                },
                "objectives": [
                    {"text": o.text, "in_client_words": o.in_client_words} for o in g.objectives
                ],
                "interventions": [
                    {
                        "text": i.text,
                        "modality": i.modality,
                        "frequency": i.frequency,
                        "by": i.by,
                        "caution": i.caution,
                    }
                    for i in g.interventions
                ],
                "source": g.source,
            }
            for g in area.goals
        ],
    }


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _write_listing(areas: list[Area], out: TextIO) -> None:
    for n, area in enumerate(areas):
        if n:
            out.write("\n")
        mine = "  (from my library)" if area.source == USER else ""
        goals = f"{len(area.goals)} goal" + ("" if len(area.goals) == 1 else "s")
        out.write(f"{area.area} - {goals}{mine}\n")
        if area.description:
            out.write(_wrap(area.description, "  ") + "\n")
        for i, goal in enumerate(area.goals, 1):
            words = goal.in_client_words or goal.text
            out.write(_wrap(f'{i}. "{words}"', "  ") + "\n")
            if goal.in_client_words:
                out.write(_wrap(goal.text, "     ") + "\n")


def library_command(area: str | None, as_json: bool, out: TextIO, err: TextIO | None = None) -> int:
    """``tplan library [--area NAME] [--json]``: list the goal library; returns the exit code.

    ``--area`` matches an area's name case-insensitively (its file name works too). An unknown
    area writes one line naming the known areas to ``err`` (standard error unless given) and
    returns 2. Problems with the clinician's own library files go to ``err`` as warnings: they
    never spoil the listing or the JSON on ``out``.
    """
    err = sys.stderr if err is None else err
    library = load_library()
    for problem in library.problems:
        err.write(f"tplan library: skipped a broken library file: {problem}\n")
    areas = library.areas
    if area is not None:
        found = library.area(area)
        if found is None:
            known = ", ".join(a.area for a in library.areas)
            err.write(f"tplan library: no area called {area!r}; the areas are: {known}\n")
            return 2
        areas = [found]
    if as_json:
        json.dump([area_to_json(a) for a in areas], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _write_listing(areas, out)
    return 0
