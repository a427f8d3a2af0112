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

from tplan_tui.core.terminal_text import for_terminal, json_for_terminal
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
    # A user's own library file may hold anything: shown on one flowing line, never obeyed.
    shown = for_terminal(" ".join(text.split()), None)
    return textwrap.fill(shown, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _write_listing(areas: list[tuple[Area, list[LibraryGoal]]], out: TextIO) -> None:
    for n, (area, goals) in enumerate(areas):
        if n:
            out.write("\n")
        mine = "  (from my library)" if area.source == USER else ""
        count = f"{len(goals)} goal" + ("" if len(goals) == 1 else "s")
        if len(goals) != len(area.goals):
            count += f" of {len(area.goals)}"
        out.write(f"{for_terminal(area.area, 80)} - {count}{mine}\n")
        if area.description:
            out.write(_wrap(area.description, "  ") + "\n")
        if area.synonyms:
            out.write(_wrap("Also: " + ", ".join(area.synonyms), "  ") + "\n")
        for i, goal in enumerate(goals, 1):
            words = goal.in_client_words or goal.text
            teen = " (for teenagers)" if goal.ages == "adolescent" else ""
            out.write(_wrap(f'{i}. "{words}"{teen}', "  ") + "\n")
            if goal.in_client_words:
                out.write(_wrap(goal.text, "     ") + "\n")
            for iv in goal.interventions:
                if iv.caution:
                    out.write(
                        _wrap(f"Caution ({iv.modality or iv.text}): {iv.caution}", "     ") + "\n"
                    )


def _nothing_found(library: Library, what: str, asked: str, err: TextIO) -> int:
    """One line on ``err``: the nearest areas when some are spelled alike, else all of them."""
    near = library.nearest(asked)
    if near:
        names = ", ".join(for_terminal(a.area, 80) for a in near)
        shown = for_terminal(repr(asked), 80)
        err.write(f"tplan library: {what} {shown}; nearest: {names}\n")
    else:
        known = ", ".join(for_terminal(a.area, 80) for a in library.areas)
        shown = for_terminal(repr(asked), 80)
        err.write(f"tplan library: {what} {shown}; the areas are: {known}\n")
    return 2


def library_command(
    area: str | None,
    as_json: bool,
    out: TextIO,
    err: TextIO | None = None,
    search: str | None = None,
) -> int:
    """``tplan library [--area NAME] [--search TEXT] [--json]``: list the goal library; returns
    the exit code.

    ``--area`` takes an area's name (case ignored; its file name works too), the start of one
    ("loneliness") or a synonym ("suicide"); a word several areas share lists them all.
    ``--search`` lists the areas with goals matching every word, best first, with only those
    goals. When nothing matches, one line on ``err`` (standard error unless given) suggests the
    nearest areas (or names them all) and the code is 2. Problems with the clinician's own
    library files go to ``err`` as warnings: they never spoil the listing or the JSON on ``out``.
    """
    err = sys.stderr if err is None else err
    library = load_library()
    for problem in library.problems:
        err.write(f"tplan library: skipped a broken library file: {for_terminal(problem, 600)}\n")
    chosen = [(a, a.goals) for a in library.areas]
    if area is not None:
        found = library.find_areas(area)
        if not found:
            return _nothing_found(library, "no area called", area, err)
        chosen = [(a, a.goals) for a in found]
    if search is not None:
        wanted = {id(a) for a, _ in chosen}
        chosen = [(a, gs) for a, gs in library.search_areas(search) if id(a) in wanted]
        if not chosen:
            return _nothing_found(library, "no goal matches", search, err)
    if as_json:
        data = []
        for a, goals in chosen:
            item = area_to_json(a)
            keep = {id(g) for g in goals}
            item["goals"] = [
                j for g, j in zip(a.goals, item["goals"], strict=True) if id(g) in keep
            ]
            data.append(item)
        listing = json.dumps(data, ensure_ascii=False, indent=2)
        out.write(json_for_terminal(listing) + "\n")
    else:
        _write_listing(chosen, out)
    return 0
