"""Editing a plan field by field: the bridge between form fields and the model, without Textual.

A form field names what it edits with a path such as ``("goals", 0, "rating", "target")`` and a
kind ("text", "optional", "date", "whole", "rating", "choice", "flag"); ``set_field`` parses what
was typed with the same rules as the plan file and either stores it or returns the reason in words.
Adding and removing list items lives here too, so screens hold no model logic.
"""

from __future__ import annotations

import copy
import re
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from tplan_tui.core import bounds
from tplan_tui.core import model as m
from tplan_tui.core.diagnosis_extra import renumber_concerns

Path = tuple[str | int, ...]

# Dates that may not be after today, besides a date of birth: what each is, in words.
_PAST_ONLY = {"diagnosed_on": "a diagnosis date"}

# The item a list holds, so "add" knows what to make.
_ITEM_TYPES: dict[str, type] = {
    "presenting_concerns": m.Concern,
    "strengths": m.Strength,
    "goals": m.Goal,
    "objectives": m.Objective,
    "interventions": m.Intervention,
    "diagnoses": m.Diagnosis,
    "signatures": m.Signature,
    "consents": m.Consent,
    "reviews": m.Review,
    "client_agrees_to": str,
    "clinician_agrees_to": str,
}


def get_field(obj: Any, path: Path) -> Any:
    """The value at ``path`` (attribute names and list positions), or None where it is absent."""
    for step in path:
        if obj is None:
            return None
        if isinstance(obj, dict):  # under ``extra``: tplan's own keys (signature credentials)
            obj = obj.get(step)
        else:
            obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


def _parent(plan: m.Plan, path: Path) -> Any:
    """The object holding the last step of ``path``, creating optional parents (the guardian)."""
    obj: Any = plan
    for step in path[:-1]:
        nxt = obj[step] if isinstance(step, int) else getattr(obj, step)
        if nxt is None and step == "guardian":
            nxt = m.Guardian()
            setattr(obj, step, nxt)
        obj = nxt
    return obj


def parse_value(
    kind: str,
    raw: Any,
    *,
    lo: int = 0,
    hi: int | None = None,
    birth: bool = False,
    past_only: str = "",
) -> tuple[Any, str | None]:
    """Parse what was typed for a field of ``kind``: (value, None) or (None, reason in words).

    The bounds are the plan file's (``core.bounds``): what could not be imported cannot be typed.
    ``birth`` marks a date of birth, ``past_only`` another date that may not be after today (what
    it is, in words: "a diagnosis date")."""
    if kind in ("text", "optional"):
        text = raw if isinstance(raw, str) else ""
        problem = bounds.control_problem(text)
        if problem:
            return None, problem
        if kind == "text":
            return text, None
        return (text if text.strip() else None), None
    if kind == "date":
        text = (raw or "").strip()
        if not text:
            return None, None
        try:
            if len(text) != 10:
                raise ValueError("written YYYY-MM-DD")
            when = date.fromisoformat(text)
            problem = bounds.date_problem(when, birth=birth, past_only=past_only)
            return (None, problem) if problem else (when, None)
        except ValueError as exc:
            detail = str(exc)
            if "written" in detail or "Invalid isoformat" in detail:
                if re.fullmatch(r"\d{1,4}(-\d{0,2}(-\d?)?)?", text):
                    return None, "is not finished: a date is written YYYY-MM-DD"
                return None, "must be a date written YYYY-MM-DD, e.g. 2026-07-01"
            return None, f"is not a real date ({detail})"
    if kind in ("whole", "rating"):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, None
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        else:
            text = str(raw).strip()
            # ASCII digits only (str.isdigit also takes '²', which int() refuses), and no more
            # than a 64-bit number holds (int() refuses over 4,300 digits, and slowly).
            if not re.fullmatch(r"[0-9]+", text):
                return None, f"must be a whole number, got {bounds.short_key(text)!r}"
            if len(text.lstrip("0")) > len(str(bounds.INT_MAX)) - 1:
                return None, "must be a whole number, got one too large to keep"
            number = int(text)
        if kind == "rating":
            lo, hi = m.RATING_MIN, m.RATING_MAX
        if number < lo or (hi is not None and number > hi):
            span = f"from {lo} to {hi}" if hi is not None else f"of at least {lo}"
            return None, f"must be a whole number {span}, got {number}"
        return number, None
    if kind in ("choice", "flag"):
        return raw, None
    raise ValueError(f"unknown field kind {kind!r}")


def set_field(plan: m.Plan, path: Path, kind: str, raw: Any, **limits: int) -> str | None:
    """Set the field at ``path`` from what was typed; return the reason in words if it is wrong.

    A wrong value leaves the model unchanged, so the last good value is what autosave keeps.
    """
    value, problem = parse_value(
        kind,
        raw,
        birth=path[-1] == "date_of_birth",
        past_only=_PAST_ONLY.get(str(path[-1]), ""),
        **limits,
    )
    if problem:
        return problem
    parent = _parent(plan, path)
    last = path[-1]
    if isinstance(parent, dict):
        # A key under ``extra`` (signature credentials, a diagnosis's date...): absent rather
        # than empty; a date as the format writes one (extra holds plain values).
        if value is None or value is False or value == []:
            parent.pop(last, None)
        else:
            parent[last] = value.isoformat() if isinstance(value, date) else value
    elif isinstance(last, int):
        parent[last] = value if value is not None else ""
    else:
        setattr(parent, last, value)
    return None


def drop_empty_guardian(plan: m.Plan) -> None:
    """A guardian block left blank is no guardian at all."""
    g = plan.client.guardian
    if g is not None and not g.name.strip() and not g.relationship.strip() and not g.extra:
        plan.client.guardian = None


def new_item(list_name: str, plan: m.Plan | None = None) -> Any:
    """A blank item for the list called ``list_name``, with sensible defaults from the plan."""
    kind = _ITEM_TYPES[list_name]
    if kind is str:
        return ""
    if kind is m.Signature and plan is not None:
        return m.Signature(version=plan.plan.version)
    if kind in (m.Review,):
        return m.Review(date=date.today())
    return kind()


def add_item(plan: m.Plan, list_path: Path, after: int | None = None) -> int:
    """Add a blank item to the list at ``list_path`` (after position ``after``, else at the end).

    Returns the new item's position.
    """
    items = get_field(plan, list_path)
    item = new_item(str(list_path[-1]), plan)
    index = len(items) if after is None else after + 1
    items.insert(index, item)
    if list_path == ("presenting_concerns",) and index < len(items) - 1:
        _renumber_concern_refs(plan, added=index + 1)  # the concerns after it moved down
    return index


def remove_item(plan: m.Plan, list_path: Path, index: int) -> Any:
    """Remove and return the item at ``index`` of the list at ``list_path``.

    Progress entries name objectives by number, so removing an objective renumbers them; goals
    and diagnoses name concerns by number, so removing a concern renumbers those.
    """
    items = get_field(plan, list_path)
    removed = items.pop(index)
    if list_path == ("presenting_concerns",):
        _renumber_concern_refs(plan, removed=index + 1)
    if list_path[-1] == "objectives" and len(list_path) >= 2:
        goal = get_field(plan, list_path[:-1])
        number = index + 1
        for entry in goal.progress:
            entry.objectives_achieved = [
                n - 1 if n > number else n for n in entry.objectives_achieved if n != number
            ]
    return removed


def _renumber_concern_refs(plan: m.Plan, **change: int) -> None:
    """Keep ``goals[].addresses`` and each diagnosis's ``extra.concerns`` pointing at the same
    concerns after one was removed or inserted (``change``: ``removed=`` or ``added=``, 1-based)."""
    for goal in plan.goals:
        goal.addresses = renumber_concerns(goal.addresses, **change)
    for dx in plan.history.diagnoses:
        numbers = dx.extra.get("concerns")
        if not isinstance(numbers, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in numbers
        ):
            continue  # a foreign value is kept as it is (the checklist names it)
        after = renumber_concerns(numbers, **change)
        if after:
            dx.extra["concerns"] = after
        else:
            dx.extra.pop("concerns")


def is_blank(item: Any) -> bool:
    """True for an item nobody has typed anything into (so removing it loses nothing)."""
    if isinstance(item, str):
        return not item.strip()
    # a dataclass class (not an instance) is no item: narrowing it out lets type(item)() build one
    if not is_dataclass(item) or isinstance(item, type):
        return item is None
    if isinstance(item, (m.Review, m.ProgressEntry)):
        return False  # dated records: never "blank"
    blank = type(item)()
    for f in fields(item):
        if f.name in ("status", "version", "current", "shares", "role"):
            continue
        if getattr(item, f.name) != getattr(blank, f.name):
            return False
    return True


def snapshot(plan: m.Plan) -> m.Plan:
    """A deep copy to hand to the saver thread, so typing never races a save."""
    return copy.deepcopy(plan)


def next_signature(plan: m.Plan, today: date) -> m.Signature:
    """A signature for whoever has not signed this version yet: client, clinician, then guardian."""
    signed = {s.role for s in plan.current_signatures()}
    for role, name in (
        ("client", plan.client.name),
        ("clinician", plan.clinician.name),
        ("guardian", plan.client.guardian.name if plan.client.guardian else ""),
    ):
        if role not in signed and (role != "guardian" or plan.client.is_minor_on(today)):
            signature = m.Signature(
                role=role, name=name, signed_on=today, version=plan.plan.version
            )
            credentials = " ".join((plan.clinician.credentials or "").split())
            if role == "clinician" and credentials:
                # The signer's credentials go on the signature line, as signed.
                signature.extra["credentials"] = credentials
            return signature
    return m.Signature(role="family member", name="", signed_on=today, version=plan.plan.version)
