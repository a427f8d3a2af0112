"""The plan over time: check-ins that rate each goal, and the trend of those ratings as a text chart.

Core: no Textual. A check-in is what the client and the clinician say about each goal on one day
(two 0-10 ratings side by side), the objectives reached since the last one, and a short note.
``record_checkin`` adds it to a plan; ``trend_lines`` draws a goal's ratings over time in plain
characters that read without colour (``●`` the client, ``○`` the clinician, ``◉`` both, ``B`` and
``│`` the baseline, ``T`` and ``┆`` the target), with the numbers in words beside each row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tplan_tui.core import model as m

CLIENT, CLINICIAN, BOTH = "●", "○", "◉"
BASELINE_HEAD, BASELINE_RULE = "B", "│"
TARGET_HEAD, TARGET_RULE = "T", "┆"
EMPTY = "·"
LEGEND = f"{CLIENT} client  {CLINICIAN} clinician  {BOTH} both  {BASELINE_RULE} baseline  {TARGET_RULE} target"
DATE_COLUMN = 12  # "2016-07-31" and two spaces
CLOSED_GOAL_STATUSES = ("completed", "cancelled")


@dataclass
class GoalCheckin:
    """What one check-in says about one goal. Objective numbers are 1-based, as in the plan file."""

    client_rating: int | None = None
    clinician_rating: int | None = None
    objectives_achieved: list[int] = field(default_factory=list)

    @property
    def rated(self) -> bool:
        return self.client_rating is not None or self.clinician_rating is not None


@dataclass
class CheckinResult:
    """What a check-in changed, for telling the user in words."""

    rated_goals: list[int] = field(default_factory=list)  # 1-based goal numbers with a new entry
    achieved: list[str] = field(default_factory=list)  # "1.4": objectives newly marked achieved

    def in_words(self, day: date) -> str:
        if not self.rated_goals and not self.achieved:
            return "Nothing was recorded."
        parts = []
        if self.rated_goals:
            goals = ", ".join(str(n) for n in self.rated_goals)
            parts.append(f"ratings for goal{'s' if len(self.rated_goals) > 1 else ''} {goals}")
        if self.achieved:
            parts.append(
                f"objective{'s' if len(self.achieved) > 1 else ''} "
                f"{', '.join(self.achieved)} achieved"
            )
        return f"Check-in of {day.isoformat()} saved: " + "; ".join(parts) + "."


class CheckinProblem(ValueError):
    """A check-in that cannot be recorded; ``str()`` says why in words."""


def checkable_goals(plan: m.Plan) -> list[int]:
    """Positions of the goals a check-in rates: every goal that is not completed or cancelled."""
    return [i for i, g in enumerate(plan.goals) if g.status not in CLOSED_GOAL_STATUSES]


def record_checkin(
    plan: m.Plan, day: date, answers: dict[int, GoalCheckin], note: str | None = None
) -> CheckinResult:
    """Add one check-in to ``plan``: a ``ProgressEntry`` on each goal rated, objectives achieved.

    ``answers`` maps a goal's position (0-based) to what was said about it. A goal with at least
    one rating gets an entry dated ``day`` with the objectives achieved. The check-in's one note
    is kept once, on the first goal rated: copied into every goal, the record and the progress
    view said it once per goal, as if written about each. Every
    objective named is set to "achieved". The plan file needs a rating in every progress entry, so
    a note or objectives without any rating are refused (CheckinProblem), and nothing changes.
    """
    note = (note or "").strip() or None
    for gi, answer in answers.items():
        if not 0 <= gi < len(plan.goals):
            raise CheckinProblem(f"there is no goal {gi + 1}")
        goal = plan.goals[gi]
        for n in answer.objectives_achieved:
            if not 1 <= n <= len(goal.objectives):
                raise CheckinProblem(f"goal {gi + 1} has no objective {n}")
        if answer.objectives_achieved and not answer.rated:
            raise CheckinProblem(
                f"goal {gi + 1}: rate it too, so the objectives reached are kept with a rating"
            )
        for value in (answer.client_rating, answer.clinician_rating):
            if value is not None and not m.RATING_MIN <= value <= m.RATING_MAX:
                raise CheckinProblem(f"goal {gi + 1}: a rating is from 0 to 10, got {value}")
    if not any(a.rated for a in answers.values()):
        raise CheckinProblem(
            "rate at least one goal: the note is kept with the ratings"
            if note
            else "rate at least one goal"
        )
    result = CheckinResult()
    unsaid = note  # the note goes to the first entry made, and to no other
    for gi in sorted(answers):
        answer = answers[gi]
        if not answer.rated:
            continue
        goal = plan.goals[gi]
        numbers = sorted(set(answer.objectives_achieved))
        goal.progress.append(
            m.ProgressEntry(
                date=day,
                client_rating=answer.client_rating,
                clinician_rating=answer.clinician_rating,
                objectives_achieved=numbers,
                note=unsaid,
            )
        )
        unsaid = None
        goal.progress.sort(key=lambda e: e.date)  # oldest first, even for a back-dated check-in
        result.rated_goals.append(gi + 1)
        for n in numbers:
            objective = goal.objectives[n - 1]
            if objective.status != "achieved":
                objective.status = "achieved"
                result.achieved.append(f"{gi + 1}.{n}")
    return result


# --------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class TrendRow:
    day: date
    client: int | None
    clinician: int | None
    pending: bool = False  # a check-in being made, not yet saved


def trend_rows(
    goal: m.Goal, pending: GoalCheckin | None = None, day: date | None = None
) -> list[TrendRow]:
    """The goal's ratings by date, oldest first; ``pending`` (dated ``day``) is added last."""
    rows = [TrendRow(e.date, e.client_rating, e.clinician_rating) for e in goal.progress]
    if pending is not None and pending.rated and day is not None:
        rows.append(TrendRow(day, pending.client_rating, pending.clinician_rating, pending=True))
    return rows


def _axis_cells(baseline: int | None, target: int | None, rule: bool) -> list[str]:
    cells = [EMPTY] * 11
    if baseline is not None:
        cells[baseline] = BASELINE_RULE if rule else BASELINE_HEAD
    if target is not None:
        cells[target] = TARGET_RULE if rule else TARGET_HEAD
    return cells


def _numbers(client: int | None, clinician: int | None) -> str:
    parts = []
    if client is not None:
        parts.append(f"client {client}")
    if clinician is not None:
        parts.append(f"clinician {clinician}")
    return ", ".join(parts)


def trend_lines(
    goal: m.Goal,
    *,
    pending: GoalCheckin | None = None,
    day: date | None = None,
    last: int | None = 8,
) -> list[str]:
    """A goal's ratings over time as lines of plain text, one row per check-in.

    Each row is a 0-10 axis with the client's rating (●), the clinician's (○), or both on one
    point (◉); the baseline and target are columns marked B/│ and T/┆, and the numbers follow in
    words, so the chart reads without colour and aloud. ``last`` keeps the most recent rows
    (None keeps all); a line says how many earlier ones are left out.
    """
    r = goal.rating
    pad = " " * DATE_COLUMN
    lines = [pad + " ".join(str(n) for n in range(11))]
    marks = []
    if r.baseline is not None:
        marks.append(f"baseline {r.baseline}")
    if r.target is not None:
        marks.append(f"target {r.target}")
    if marks:
        head = " ".join(_axis_cells(r.baseline, r.target, rule=False))
        lines.append(f"{pad}{head}   {', '.join(marks)}")
    rows = trend_rows(goal, pending, day)
    if not rows:
        lines.append(f"{pad}No ratings yet.")
        return lines
    if last is not None and len(rows) > last:
        hidden = len(rows) - last
        lines.append(f"{pad}({hidden} earlier check-in{'s' if hidden > 1 else ''} not shown)")
        rows = rows[-last:]
    for row in rows:
        cells = _axis_cells(r.baseline, r.target, rule=True)
        if row.client is not None and row.client == row.clinician:
            cells[row.client] = BOTH
        else:
            if row.clinician is not None:
                cells[row.clinician] = CLINICIAN
            if row.client is not None:
                cells[row.client] = CLIENT
        words = _numbers(row.client, row.clinician) + (" (this check-in)" if row.pending else "")
        lines.append(f"{row.day.isoformat():<{DATE_COLUMN}}{' '.join(cells)}   {words}")
    lines.append(LEGEND)
    return lines


def trend_in_words(goal: m.Goal) -> str:
    """One sentence on where the goal stands: baseline, first and latest ratings, the target."""
    r = goal.rating
    parts = []
    if r.baseline is not None:
        parts.append(f"baseline {r.baseline}")
    for who, ratings in (
        ("client", goal.client_ratings()),
        ("clinician", goal.clinician_ratings()),
    ):
        values = [v for _d, v in ratings]
        if len(values) > 1:
            parts.append(f"{who} {values[0]} → {values[-1]} over {len(values)} check-ins")
        elif values:
            parts.append(f"{who} {values[0]} on {ratings[0][0].isoformat()}")
    if not goal.progress:
        parts.append("no check-ins yet")
    if r.target is not None:
        latest = goal.latest_client_rating
        if latest is None:
            latest = goal.latest_clinician_rating
        # The scale says which way is better (``rating.better``), never guessed from the numbers.
        reached = latest is not None and not r.worse_than(latest, r.target)
        parts.append(f"target {r.target}" + (" reached" if reached else ", not reached yet"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
