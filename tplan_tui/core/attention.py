"""When a plan needs attention now: the signs of risk a clinician must not overlook.

A plan needs attention when, on any goal, the latest client or clinician rating is at the worst end
of its scale (0 or 1 where higher is better), or fell by 4 or more from that rater's rating before
it; when a progress or review note holds words of self-harm or suicide (English and Spanish); when
a PHQ-9's item 9 (thoughts of death or self-harm) is above 0; when the latest risk assessment is
high or imminent; or when it is moderate or higher and there is no safety plan, or the safety plan
was made before that assessment.
Each reason is said in words and carries the date it appeared, so that a later "addressed" note can
set aside the reasons up to its date while a newer one still shows.

This module only finds reasons; it never decides that a plan is safe. A word list misses what is
said another way and flags what is denied ("denies thoughts of suicide" is flagged on purpose:
the clinician reads it and marks it addressed). Core module: never imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tplan_tui.core import model as m
from tplan_tui.core.safety import has_safety_plan

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
    r"(?:want|wants|wanted|wish|wishes|wished) (?:to|i (?:was|were)|i could) (?:die|dead|be dead|not wake up)",
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


def _worst_end(goal: m.Goal) -> tuple[int, str]:
    """The rating at the worst end of this goal's scale, and which way is better."""
    better = getattr(goal.rating, "better", "higher") or "higher"
    return (m.RATING_MIN if better == "higher" else m.RATING_MAX), better


def _goal_name(goal: m.Goal, number: int) -> str:
    label = (goal.rating.label or "").strip()
    return f"goal {number} ({label})" if label else f"goal {number}"


def _rating_reasons(goal: m.Goal, number: int) -> list[Reason]:
    worst, better = _worst_end(goal)
    reasons: list[Reason] = []
    for rater, attr in (("client", "client_rating"), ("clinician", "clinician_rating")):
        rated = [(e.date, getattr(e, attr)) for e in goal.progress if getattr(e, attr) is not None]
        if not rated:
            continue
        day, latest = rated[-1]
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
                    )
                )
        if abs(latest - worst) <= WORST_BAND:
            reasons.append(
                Reason(
                    f"the {rater}'s latest rating on {name} is {latest} out of 10",
                    day,
                    number,
                    brief=f"{rater} rated {latest} out of 10",
                )
            )
    return reasons


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(w.lower() for w in words))
    return ", ".join(f'"{w}"' for w in unique[:3])


def reasons(plan: m.Plan) -> list[Reason]:
    """Every reason ``plan`` needs attention, newest first (none when nothing was found)."""
    found: list[Reason] = []
    notes: dict[tuple[date, str], None] = {}  # a check-in's note is kept on each goal it rated
    for number, goal in enumerate(plan.goals, 1):
        found += _rating_reasons(goal, number)
        for entry in goal.progress:
            if entry.note:
                notes[(entry.date, entry.note)] = None
    for day, note in notes:
        words = risk_words(note)
        if words:
            said = f"a check-in note says {_quoted(words)}"
            found.append(Reason(said, day, brief=said))
    for review in plan.reviews:
        words = risk_words(review.note)
        if words:
            said = f"a review note says {_quoted(words)}"
            found.append(Reason(said, review.date, brief=said))
    found += _measure_reasons(plan) + _assessment_reasons(plan)
    found.sort(key=lambda r: r.on, reverse=True)
    return found


PHQ9_RISK_ITEM = 9  # 1-based: the item on thoughts of death or of self-harm
_SERIOUS = ("high", "imminent")
_NEEDS_SAFETY_PLAN = ("moderate", *_SERIOUS)


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
    for x in plan.measures:
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
                )
            )
    return found


def _assessment_reasons(plan: m.Plan) -> list[Reason]:
    latest = plan.safety.latest_assessment
    if latest is None:
        return []
    found = []
    if latest.risk in _SERIOUS:
        found.append(
            Reason(
                f"the latest risk assessment says {latest.risk} risk",
                latest.date,
                brief=f"{latest.risk} risk",
            )
        )
    if latest.risk in _NEEDS_SAFETY_PLAN:
        sp = plan.safety.plan
        # A plan with a date but nothing written in it is no safety plan.
        if sp is None or not has_safety_plan(plan):
            found.append(
                Reason(
                    f"{latest.risk} risk and there is no safety plan yet",
                    latest.date,
                    brief="no safety plan yet",
                )
            )
        elif sp.made_on is not None and sp.made_on < latest.date:
            found.append(
                Reason(
                    f"{latest.risk} risk on {latest.date.isoformat()}, and the safety plan is "
                    f"from {sp.made_on.isoformat()}: go over it again",
                    latest.date,
                    brief="safety plan older than the risk",
                )
            )
    return found


def open_reasons(plan: m.Plan, addressed_on: date | None) -> list[Reason]:
    """The reasons not yet set aside by an "addressed" note dated ``addressed_on``: a reason
    that appeared after it (a newer rating or note) brings the alert back."""
    found = reasons(plan)
    if addressed_on is None:
        return found
    return [r for r in found if r.on > addressed_on]


def new_reasons(before: m.Plan, after: m.Plan, addressed_on: date | None = None) -> list[Reason]:
    """The open reasons ``after`` has that ``before`` had not: what a check-in, review or risk
    assessment just raised, for the app to say at once."""
    seen = {(r.text, r.on) for r in reasons(before)}
    return [r for r in open_reasons(after, addressed_on) if (r.text, r.on) not in seen]
