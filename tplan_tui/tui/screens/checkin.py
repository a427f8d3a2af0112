"""The check-in: for each goal, the client's and the clinician's 0-10 ratings side by side, the
objectives reached, the trend so far; then a short note, dated today (editable).

Focus order, designed for few keys: goal 1's client rating, its clinician rating, its objectives
(one list: Space ticks), goal 2's client rating… then the note, the date, the save button. A
digit sets a rating, Tab goes to the next field and Enter to the next goal, so a three-goal
check-in is digit, Tab, digit, Enter for each goal, the note, and Ctrl+S: 13 keys beyond the note.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static, TextArea

from tplan_tui.core.model import Plan
from tplan_tui.core.progress import CheckinProblem, GoalCheckin, checkable_goals, record_checkin
from tplan_tui.store import StoredPlan
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.screens.walk import GoalCard, GoalWalk, WalkProblem, goal_title
from tplan_tui.tui.widgets.rating import RatingScale
from tplan_tui.tui.widgets.ticklist import Tick, TickList
from tplan_tui.tui.widgets.trend import TrendChart


def meaning_line(plan: Plan, gi: int) -> str:
    r = plan.goals[gi].rating
    parts = [f"Rated: {r.label.strip() or '(what is rated is not written yet)'}"]
    if r.low.strip():
        parts.append(f"0 = {r.low.strip()}")
    if r.high.strip():
        parts.append(f"10 = {r.high.strip()}")
    # Which way is better is said, not guessed: on some scales (panic, worry) lower is better.
    parts.append("lower is better" if r.better == "lower" else "higher is better")
    return " · ".join(parts)


class CheckinScreen(GoalWalk[str]):
    """Dismissed with the plan's id once saved (None if left unsaved)."""

    noun = "check-in"

    def compose(self) -> ComposeResult:
        plan = self.plan
        goals = checkable_goals(plan)
        yield Static(safe_text(f"Check-in · {plan.client.name or '(no name)'}"), id="walk-title")
        with VerticalScroll(id="walk-body"):
            yield Static(
                "Digit rates · Tab next · Enter next goal · Space ticks · Ctrl+S saves",
                classes="hint",
            )
            if not goals:
                yield Static(
                    "There is no open goal to rate: add goals on the plan's Goals step.",
                    id="walk-empty",
                )
            for gi in goals:
                yield self._goal_card(gi, first=gi == goals[0])
            closed = [gi + 1 for gi in range(len(plan.goals)) if gi not in goals]
            if closed:
                yield Static(
                    "Not rated (completed or cancelled): goal " + ", ".join(str(n) for n in closed),
                    classes="hint",
                )
            with Vertical(classes="sub-section", id="walk-end") as end:
                end.border_title = "Note and date"
                note = SafeTextArea(
                    "",
                    id="walk-note",
                    compact=True,
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder="how it went since last time",
                    classes="" if goals else "walk-first",
                )
                note.styles.height = 3
                yield note
                with Horizontal(classes="field-row"):
                    yield Label("Date", classes="field-label")
                    yield SafeInput(
                        self.today.isoformat(),
                        id="walk-date",
                        compact=True,
                        placeholder="YYYY-MM-DD",
                        select_on_focus=False,
                        classes="field-editor",
                    )
                yield Static("", id="walk-problem", classes="walk-problem")
                yield Button("Save check-in (Ctrl+S)", id="walk-save", compact=True)
        yield Footer()

    def _goal_card(self, gi: int, first: bool = False) -> GoalCard:
        goal = self.plan.goals[gi]
        parts = [
            Static(safe_text(meaning_line(self.plan, gi)), classes="hint"),
            Horizontal(
                Label("Client", classes="field-label"),
                RatingScale(
                    id=f"client-{gi}", classes="field-editor" + (" walk-first" if first else "")
                ),
                classes="field-row",
            ),
            Horizontal(
                Label("Clinician", classes="field-label"),
                RatingScale(id=f"clinician-{gi}", classes="field-editor"),
                classes="field-row",
            ),
        ]
        ticks = [
            Tick(
                oi + 1,
                f"{gi + 1}.{oi + 1} {' '.join(o.text.split())}",
                locked=o.status == "achieved",
                note="achieved" if o.status == "achieved" else "",
            )
            for oi, o in enumerate(goal.objectives)
        ]
        if any(not t.locked for t in ticks):
            parts.append(Label("Objectives reached since last time (Space ticks):", classes="hint"))
            parts.append(TickList(ticks, id=f"objectives-{gi}", classes="walk-objectives"))
        elif ticks:
            parts.append(
                Static(
                    "All objectives achieved: " + ", ".join(f"{gi + 1}.{t.value}" for t in ticks),
                    classes="hint",
                )
            )
        parts.append(TrendChart(goal, id=f"trend-{gi}"))
        return GoalCard(gi, goal_title(self.plan, gi), *parts)

    # ------------------------------------------------------------------ answers

    def answer_for(self, gi: int) -> GoalCheckin:
        achieved: list[int] = []
        for ticks in self.query(f"#objectives-{gi}").results(TickList):
            achieved = ticks.selected
        return GoalCheckin(
            client_rating=self.query_one(f"#client-{gi}", RatingScale).value,
            clinician_rating=self.query_one(f"#clinician-{gi}", RatingScale).value,
            objectives_achieved=achieved,
        )

    @on(RatingScale.Changed)
    @on(TickList.Changed)
    def _answer_changed(self, event: RatingScale.Changed | TickList.Changed) -> None:
        event.stop()
        self.dirty = True
        card = self.card_of(getattr(event, "scale", None) or getattr(event, "ticklist", None))
        if card is None:
            return
        try:
            day = self.walk_date()
        except WalkProblem:
            day = self.today
        self.query_one(f"#trend-{card.index}", TrendChart).show(self.answer_for(card.index), day)

    @on(TextArea.Changed, "#walk-note")
    def _note_changed(self) -> None:
        self.dirty = True

    def collect(self) -> tuple[date, dict[int, GoalCheckin], str]:
        day = self.walk_date()
        answers = {gi: self.answer_for(gi) for gi in checkable_goals(self.plan)}
        note = self.query_one("#walk-note", TextArea).text
        return day, answers, note

    def apply(self, plan: Plan, answers: tuple[date, dict[int, GoalCheckin], str]) -> str:
        day, by_goal, note = answers
        try:
            result = record_checkin(plan, day, by_goal, note)
        except CheckinProblem as exc:
            raise WalkProblem(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
        return result.in_words(day)

    def after_saved(self, stored: StoredPlan, message: str) -> None:
        self.notify(message, timeout=8)
        self.dismiss(self.plan_id)
