"""The client's safety plan in tplan's own words, and the crisis lines a client document names.

The eight parts follow the published order of the Stanley–Brown safety plan; every heading and
prompt here is tplan's own plain wording, spoken by the client ("I", "my") because the plan is
theirs. Core module: never imports Textual, and cheap to import (settings uses the default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from tplan_tui.core import model as m

# The line every client document names when the plan's safety plan has none of its own. The US
# line; a clinic elsewhere sets its own in settings.yaml (``crisis_lines``).
DEFAULT_CRISIS_LINES: tuple[tuple[str, str], ...] = (
    ("988 Suicide & Crisis Lifeline", "call or text 988"),
)


@dataclass(frozen=True)
class Part:
    """One part of the safety plan: its key in the plan file, its heading, the question asked
    in the session, and whether each entry is a person or line to reach (a name and a contact)."""

    key: str
    heading: str
    prompt: str
    contacts: bool = False


PARTS: tuple[Part, ...] = (
    Part(
        "warning_signs",
        "Signs that a hard time is starting",
        "What tells you a hard time may be coming? A thought, a feeling, something you do.",
    ),
    Part(
        "coping_on_my_own",
        "Things I can do on my own",
        "What can you do by yourself to feel a bit better or take your mind off it?",
    ),
    Part(
        "people_and_places",
        "People and places that help me feel better",
        "Who can you be with, or where can you go, to get your mind off things?",
    ),
    Part(
        "people_to_ask",
        "People I can ask for help",
        "Who can you tell that you are having a hard time? Their name, and how to reach them.",
        contacts=True,
    ),
    Part(
        "professionals",
        "Counselors and doctors I can call",
        "Which counselor, doctor or clinic can you call? Their name, and how to reach them.",
        contacts=True,
    ),
    Part(
        "crisis_lines",
        "Crisis lines, open day and night",
        "Which crisis line will you call or text? Its name, and the number.",
        contacts=True,
    ),
    Part(
        "safer_surroundings",
        "Making my surroundings safer",
        "What can you do today to keep things you could hurt yourself with out of reach?",
    ),
    Part(
        "reasons_for_living",
        "My reasons for living",
        "What matters most to you, and is worth living for?",
    ),
)
PART_KEYS = tuple(p.key for p in PARTS)
PART_BY_KEY = {p.key: p for p in PARTS}


def entries(plan: m.SafetyPlan, part: Part) -> list[tuple[str, str]]:
    """A part's entries as (text, contact) pairs; contact is "" for a part of plain text.
    Blank entries are left out."""
    out = []
    for entry in getattr(plan, part.key):
        if part.contacts:
            name, contact = " ".join(entry.name.split()), " ".join(entry.contact.split())
            if name or contact:
                out.append((name, contact))
        else:
            text = " ".join((entry or "").split())
            if text:
                out.append((text, ""))
    return out


# Risk levels at which a plan needs a safety plan (the attention list and the sign checklist).
NEEDS_SAFETY_PLAN = ("moderate", "high", "imminent")


def has_safety_plan(plan: m.Plan) -> bool:
    """Whether the plan holds a safety plan with something written in it."""
    sp = plan.safety.plan
    return sp is not None and any(entries(sp, part) for part in PARTS)


def safety_plan_before_risk(plan: m.Plan) -> tuple[m.RiskAssessment, date] | None:
    """The latest risk assessment and the day the safety plan was made, when that assessment
    calls for a safety plan (moderate or above) and the safety plan was made before it: written
    for an earlier risk, it must be gone over again with the client (the attention list and the
    sign checklist). None otherwise."""
    latest = plan.safety.latest_assessment
    sp = plan.safety.plan
    if latest is None or latest.risk not in NEEDS_SAFETY_PLAN or not has_safety_plan(plan):
        return None
    made = sp.made_on if sp is not None else None
    return (latest, made) if made is not None and made < latest.date else None


def crisis_lines(
    plan: m.Plan, default: tuple[tuple[str, str], ...] | None = None
) -> list[tuple[str, str]]:
    """The crisis lines a client document names: those in the plan's safety plan (with a
    contact), else ``default`` (the settings'), else tplan's shipped default."""
    sp = plan.safety.plan
    own = (
        [(n, c) for n, c in entries(sp, PART_BY_KEY["crisis_lines"]) if c] if sp is not None else []
    )
    if own:
        return own
    return list(default or DEFAULT_CRISIS_LINES)


def crisis_lines_words(
    plan: m.Plan, default: tuple[tuple[str, str], ...] | None = None
) -> list[str]:
    """How to reach help in a few lines, for the client's side of the screen: the clinician's
    contact, then each crisis line."""
    who = " ".join(plan.clinician.name.split()) or "your counselor"
    contact = " ".join((plan.clinician.contact or "").split())
    first = f"To reach {who}: {contact}." if contact else f"Ask {who} how to reach them."
    return [first, *(f"{name}: {how}" for name, how in crisis_lines(plan, default))]
