"""When a plan needs attention now: the signs of risk a clinician must not overlook.

A plan needs attention when, on any goal, the latest client or clinician rating is at the worst end
of its scale (0 or 1 where higher is better), or fell by 4 or more from that rater's rating before
it; when a progress or review note holds words of self-harm or suicide (English and Spanish); when
a PHQ-9's item 9 (thoughts of death or self-harm) is above 0; when the latest risk assessment is
high or imminent; or when it is moderate or higher and there is no safety plan, or the safety plan
was made before that assessment.
Each reason is said in words and carries the date it appeared and a key naming its cause (which
entry of its day raised it), so that an "addressed" note sets aside the reasons it was given while
a newer cause still shows, even one from later the same day or one back-dated after the note.

This module only finds reasons; it never decides that a plan is safe. A word list misses what is
said another way and flags what is denied ("denies thoughts of suicide" is flagged on purpose:
the clinician reads it and marks it addressed). Core module: never imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tplan_tui.core import model as m
from tplan_tui.core.safety import NEEDS_SAFETY_PLAN, has_safety_plan, safety_plan_before_risk

WORST_BAND = 1  # a rating this close to the worst end of the scale needs attention
DROP = 4  # a fall of this much from the rating before needs attention


@dataclass(frozen=True)
class Reason:
    """One reason a plan needs attention, in words, with the date it appeared."""

    text: str
    on: date
    goal: int | None = None  # 1-based goal number, when it is about one goal
    # A few words for a narrow place such as a caseload row ("rating fell from 6 to 0"); the
    # full text otherwise.
    brief: str = ""
    # What caused it, e.g. "worst|1|client|2016-08-10#2" (goal 1's third rated entry of that
    # day): the same for the same cause however the plan's words change, new for a new cause.
    key: str = ""

    @property
    def short(self) -> str:
        return self.brief or self.text

    def to_json(self) -> dict[str, object]:
        return {
            "reason": self.text,
            "short": self.short,
            "date": self.on.isoformat(),
            "goal": self.goal,
        }


# Words of self-harm or suicide, in tplan's own list. Matched on whole words, ignoring case and
# accents, so "Suicida", "suicidal" and "SUICIDIO" all count. Kept short and specific: every entry
# is a phrase a clinician would want to read again, never a common word on its own.
_PHRASES_EN = (
    r"suicid\w*",
    r"kill (?:my ?self|me)",
    r"end (?:my|it all|my own) ?life",
    r"end it all",
    r"take my (?:own )?life",
    r"(?:want|wants|wanted|wanting|wish|wishes|wished|wishing) (?:to|i (?:was|were)|i could) (?:die|dead|be dead|not wake up)",
    r"better off (?:dead|without (?:me|him|her|them))",
    r"no reason to (?:live|go on)",
    r"(?:do not|don'?t|does not|doesn'?t) want to (?:live|be alive|be here anymore)",
    r"self[- ]?harm\w*",
    r"(?:hurt|harm|cut|cutting|burn|burning) (?:my ?self|her ?self|him ?self|themselves)",
    r"overdos\w*",
    r"hang (?:my ?self|her ?self|him ?self)",
)
_PHRASES_ES = (
    r"suicid\w*",
    r"matarme",
    r"quitarme la vida",
    r"acabar con (?:mi|su) vida",
    r"(?:no quiero|no quiere|ya no quiero) (?:vivir|seguir viviendo|estar aqui)",
    r"quiero morir(?:me)?",
    r"(?:estarian|estaria|estan) mejor sin (?:mi|el|ella)",
    r"hacerme dano",
    r"lastimarme",
    r"cortarme",
    r"no vale la pena vivir",
    r"sobredosis",
)
# No IGNORECASE: the text is folded to lower case first (_folded), and matching without it is
# about four times faster, which a cold caseload list of thousands of plans feels.
_RISK_WORDS = re.compile(r"\b(?:" + "|".join(_PHRASES_EN + _PHRASES_ES) + r")\b")


def _folded(text: str) -> str:
    """Lower case without accents, apostrophes made plain: "Estarían" -> "estarian"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def risk_words(text: str | None) -> list[str]:
    """The words of self-harm or suicide in ``text``, as written there (none for no text)."""
    if not text:
        return []
    folded = _folded(text)
    # NFKD keeps one letter per letter for the scripts matched here, so spans line up; if they
    # ever do not, the folded words are said instead.
    same = len(folded) == len(text)
    return [text[a.start() : a.end()] if same else a.group(0) for a in _RISK_WORDS.finditer(folded)]


def risk_spans(text: str) -> list[tuple[int, int]]:
    """Where the words of self-harm or suicide are in ``text``: (start, end) of each, in
    ``text``'s own positions (a cut that must not fall inside one asks this)."""
    folded = _folded(text)
    if len(folded) == len(text):
        return [found.span() for found in _RISK_WORDS.finditer(folded)]
    # Folding changed the length (a letter with a mark made of two characters): fold one
    # character at a time and note where each folded character came from.
    origin: list[int] = []
    pieces: list[str] = []
    for at, char in enumerate(text):
        piece = _folded(char)
        pieces.append(piece)
        origin.extend([at] * len(piece))
    origin.append(len(text))
    return [
        (origin[found.start()], origin[found.end() - 1] + 1)
        for found in _RISK_WORDS.finditer("".join(pieces))
    ]


def _worst_end(goal: m.Goal) -> tuple[int, str]:
    """The rating at the worst end of this goal's scale, and which way is better."""
    better = getattr(goal.rating, "better", "higher") or "higher"
    return (m.RATING_MIN if better == "higher" else m.RATING_MAX), better


def _goal_name(goal: m.Goal, number: int) -> str:
    label = (goal.rating.label or "").strip()
    return f"goal {number} ({label})" if label else f"goal {number}"


def _day_keys(days: Iterable[date]) -> list[str]:
    """Each entry's place among its day's entries, "2016-08-10#0", "2016-08-10#1", in order:
    entries are kept oldest first with a new one after those of its day, so an entry added
    later (even the same day, even back-dated) gets a key no earlier entry had."""
    seen: dict[date, int] = {}
    out = []
    for day in days:
        n = seen.get(day, 0)
        seen[day] = n + 1
        out.append(f"{day.isoformat()}#{n}")
    return out


def _rating_reasons(goal: m.Goal, number: int) -> list[Reason]:
    worst, better = _worst_end(goal)
    reasons: list[Reason] = []
    places = _day_keys(e.date for e in goal.progress)
    for rater, attr in (("client", "client_rating"), ("clinician", "clinician_rating")):
        rated = [
            (e.date, getattr(e, attr), place)
            for e, place in zip(goal.progress, places, strict=True)
            if getattr(e, attr) is not None
        ]
        if not rated:
            continue
        day, latest, place = rated[-1]
        name = _goal_name(goal, number)
        # A fall comes before "at the worst end": "fell from 6 to 0" says more than "0 out of 10".
        if len(rated) >= 2:
            before = rated[-2][1]
            fell = before - latest if better == "higher" else latest - before
            if fell >= DROP:
                reasons.append(
                    Reason(
                        f"the {rater}'s rating on {name} fell from {before} to {latest}",
                        day,
                        number,
                        brief=f"rating fell from {before} to {latest}",
                        key=f"fell|{number}|{rater}|{place}",
                    )
                )
        if abs(latest - worst) <= WORST_BAND:
            reasons.append(
                Reason(
                    f"the {rater}'s latest rating on {name} is {latest} out of 10",
                    day,
                    number,
                    brief=f"{rater} rated {latest} out of 10",
                    key=f"worst|{number}|{rater}|{place}",
                )
            )
    return reasons


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(w.lower() for w in words))
    return ", ".join(f'"{w}"' for w in unique[:3])


def reasons(plan: m.Plan) -> list[Reason]:
    """Every reason ``plan`` needs attention, newest first (none when nothing was found)."""
    found: list[Reason] = []
    # A check-in's note is kept on each goal it rated: said once, keyed by where it first is.
    notes: dict[tuple[date, str], str] = {}
    for number, goal in enumerate(plan.goals, 1):
        found += _rating_reasons(goal, number)
        for entry, place in zip(
            goal.progress, _day_keys(e.date for e in goal.progress), strict=True
        ):
            if entry.note:
                notes.setdefault((entry.date, entry.note), f"{number}|{place}")
    for (day, note), where in notes.items():
        words = risk_words(note)
        if words:
            said = f"a check-in note says {_quoted(words)}"
            found.append(Reason(said, day, brief=said, key=f"note|{where}"))
    review_places = _day_keys(r.date for r in plan.reviews)
    for review, place in zip(plan.reviews, review_places, strict=True):
        words = risk_words(review.note)
        if words:
            said = f"a review note says {_quoted(words)}"
            found.append(Reason(said, review.date, brief=said, key=f"review|{place}"))
    found += _measure_reasons(plan) + _assessment_reasons(plan)
    found.sort(key=lambda r: r.on, reverse=True)
    return found


PHQ9_RISK_ITEM = 9  # 1-based: the item on thoughts of death or of self-harm
_SERIOUS = ("high", "imminent")


def risk_item_of(name: str) -> int | None:
    """The 1-based item of instrument ``name`` whose answer above 0 needs attention. PHQ-9's item
    9 always counts, whatever an instrument file says: no file can turn that alert off."""
    from tplan_tui.core.instruments import instrument

    known = instrument(name)
    if known is not None and known.risk_item is not None:
        return known.risk_item
    return PHQ9_RISK_ITEM if name == "PHQ-9" else None


def _measure_reasons(plan: m.Plan) -> list[Reason]:
    found = []
    for x, place in zip(plan.measures, _day_keys(x.date for x in plan.measures), strict=True):
        items = x.items or []
        risk = risk_item_of(x.instrument)
        if risk is not None and len(items) >= risk and items[risk - 1] > 0:
            from tplan_tui.core.instruments import instrument

            known = instrument(x.instrument)
            topic = known.topic(risk) if known else "thoughts of death or self-harm"
            found.append(
                Reason(
                    f"{x.instrument} item {risk} ({topic}) scored "
                    f"{items[risk - 1]} on {x.date.isoformat()}",
                    x.date,
                    brief=f"{x.instrument} item {risk} scored {items[risk - 1]}",
                    key=f"phq9|{place}" if x.instrument == "PHQ-9" else f"{x.instrument}|{place}",
                )
            )
    return found


def _assessment_reasons(plan: m.Plan) -> list[Reason]:
    latest = plan.safety.latest_assessment
    if latest is None:
        return []
    assessments = plan.safety.assessments
    place = _day_keys(a.date for a in assessments)[
        next(i for i, a in enumerate(assessments) if a is latest)
    ]
    found = []
    if latest.risk in _SERIOUS:
        found.append(
            Reason(
                f"the latest risk assessment says {latest.risk} risk",
                latest.date,
                brief=f"{latest.risk} risk",
                key=f"risk|{place}|{latest.risk}",
            )
        )
    if latest.risk in NEEDS_SAFETY_PLAN:
        sp = plan.safety.plan
        # A plan with a date but nothing written in it is no safety plan.
        if sp is None or not has_safety_plan(plan):
            found.append(
                Reason(
                    f"{latest.risk} risk and there is no safety plan yet",
                    latest.date,
                    brief="no safety plan yet",
                    key=f"no-safety-plan|{place}|{latest.risk}",
                )
            )
        elif (stale := safety_plan_before_risk(plan)) is not None:
            made = stale[1].isoformat()
            found.append(
                Reason(
                    f"{latest.risk} risk on {latest.date.isoformat()}, and the safety plan is "
                    f"from {made}: go over it again",
                    latest.date,
                    brief="safety plan older than the risk",
                    key=f"old-safety-plan|{place}|{latest.risk}|{made}",
                )
            )
    return found


class Addressed(Protocol):
    """An "addressed" note as the store keeps it: its day, and the keys of the reasons it set
    aside (None for a note from before keys were kept: every reason up to its day)."""

    @property
    def on(self) -> date: ...

    @property
    def seen(self) -> frozenset[str] | None: ...


@dataclass(frozen=True)
class Mark:
    """An "addressed" note's day and the keys of the reasons it set aside."""

    on: date
    seen: frozenset[str] | None = None


Marks = date | Sequence[Addressed] | None


def _set_aside(reason: Reason, marks: Sequence[Addressed]) -> bool:
    return any(
        reason.on <= mark.on and (mark.seen is None or reason.key in mark.seen) for mark in marks
    )


def open_reasons(plan: m.Plan, addressed_on: Marks) -> list[Reason]:
    """The reasons not set aside by the plan's "addressed" notes: a note sets aside the reasons
    it was given (those shown when it was written), dated up to its day. A newer cause, even
    from later the same day or back-dated, brings the alert back. A bare date sets aside every
    reason up to that day."""
    found = reasons(plan)
    if addressed_on is None:
        return found
    marks = [Mark(addressed_on)] if isinstance(addressed_on, date) else addressed_on
    return [r for r in found if not _set_aside(r, marks)]


def new_reasons(before: m.Plan, after: m.Plan, addressed_on: Marks = None) -> list[Reason]:
    """The open reasons ``after`` has that ``before`` had not: what a check-in, review or risk
    assessment just raised, for the app to say at once. A cause is told by its key, so a
    second rating of 0 the same day is new, and a goal renamed raises nothing."""
    seen = {r.key for r in reasons(before)}
    return [r for r in open_reasons(after, addressed_on) if r.key not in seen]
