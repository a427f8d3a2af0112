"""What tplan keeps under a diagnosis's ``extra`` until plan format v2 has keys for it: the date
the diagnosis was made (``diagnosed_on``), who made it (``diagnosed_by``) and the presenting
concerns it relates to (``concerns``, 1-based, like ``goals[].addresses``).

The format keeps ``extra`` as it is, so a file may bring any value there and it still imports
and round-trips unchanged. tplan's features read only well-formed values (the ``Diagnosis``
properties); ``problems`` names a malformed one with its path, for ``tplan check`` and the sign
step's checklist. Core module: no Textual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tplan_tui.core import bounds
from tplan_tui.core import model as m

KEYS = m.DIAGNOSIS_EXTRAS


def _shown(value: Any) -> str:
    """A foreign value in a message: short and on one line (it may be anything)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def key_problem(key: str, value: Any, concerns: int, today: date) -> str | None:
    """Why ``value`` under ``extra.<key>`` of a diagnosis is not what tplan keeps there (None:
    well-formed). ``concerns``: how many presenting concerns the plan has."""
    if key == "diagnosed_on":
        if not isinstance(value, str) or not m.ISO_DAY.fullmatch(value):
            return f"must be a date written YYYY-MM-DD, got {_shown(value)}"
        try:
            when = date.fromisoformat(value)
        except ValueError as exc:
            return f"{value} is not a real date ({exc})"
        return bounds.date_problem(when, today=today, past_only="a diagnosis date")
    if key == "diagnosed_by":
        if not isinstance(value, str):
            return f"must be text (who made the diagnosis), got {_shown(value)}"
        return bounds.control_problem(value)
    if key == "concerns":
        if not isinstance(value, list):
            return f"must be a list of presenting-concern numbers, got {_shown(value)}"
        for n in value:
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                return f"must hold presenting-concern numbers (1, 2...), got {_shown(n)}"
            if n > concerns:
                return f"there is no presenting concern {n} (the plan has {concerns})"
    return None


def problems(plan: m.Plan, today: date) -> Iterator[tuple[str, str]]:
    """(field path, problem) for each malformed value tplan reads under a diagnosis's extra."""
    concerns = len(plan.presenting_concerns)
    for i, dx in enumerate(plan.history.diagnoses):
        for key in KEYS:
            if key in dx.extra:
                problem = key_problem(key, dx.extra[key], concerns, today)
                if problem:
                    yield f"history.diagnoses[{i}].extra.{key}", problem


def diagnosed_by_default(name: str | None, credentials: str | None) -> str:
    """The clinician as a new diagnosis names who made it: "Dana Reyes, LCSW"."""
    who = " ".join((name or "").split())
    creds = " ".join((credentials or "").split())
    return f"{who}, {creds}" if who and creds else who


def renumber_concerns(
    numbers: list[int], removed: int | None = None, added: int | None = None
) -> list[int]:
    """Concern numbers after concern ``removed`` left the list (it drops out, later ones move
    down) or a concern was inserted as number ``added`` (that one and later ones move up)."""
    if removed is not None:
        return [n - 1 if n > removed else n for n in numbers if n != removed]
    if added is not None:
        return [n + 1 if n >= added else n for n in numbers]
    return list(numbers)


@dataclass(frozen=True)
class Details:
    """A diagnosis's date, who made it and the concerns it relates to: each only when
    well-formed (else None, "" or no concerns), as the clinical record and FHIR use them."""

    on: date | None
    by: str
    concerns: tuple[int, ...]


def details(dx: m.Diagnosis, concerns: int, today: date) -> Details:
    """``dx``'s details, each as kept when well-formed (``concerns``: the plan's count)."""

    def ok(key: str) -> bool:
        return key in dx.extra and key_problem(key, dx.extra[key], concerns, today) is None

    return Details(
        on=dx.diagnosed_on if ok("diagnosed_on") else None,
        by=dx.diagnosed_by if ok("diagnosed_by") else "",
        concerns=tuple(dx.concerns) if ok("concerns") else (),
    )
