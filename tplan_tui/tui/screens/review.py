"""The plan review: walk the goals (how each is going, open or close it), write what the review
found, and record it. Recording starts a new version of the plan (the one reviewed is kept,
read-only) and moves the next review date to the cadence after this review.

Focus order: goal 1's achievement (one letter), its status, goal 2's achievement… then the note,
the date, "closing review", the button. A letter answers, Enter goes to the next goal, so a
three-goal review is a letter and Enter per goal, the note, and Ctrl+S: 7 keys beyond the note.
Revising goals, objectives and interventions, and adding goals, happen on the plan's own steps:
after recording, the review offers to open them, and then the signing step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from tplan_tui.core import model as m
from tplan_tui.core.model import Plan
from tplan_tui.core.progress import trend_in_words
from tplan_tui.store import StoredPlan
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.walk import GoalCard, GoalWalk, WalkProblem, goal_title
from tplan_tui.tui.widgets.keychoice import Choice, KeyChoice
from tplan_tui.tui.widgets.trend import TrendChart

ACHIEVEMENT_CHOICES = [
    Choice("in-progress", "in progress", "p"),
    Choice("improving", "improving", "i"),
    Choice("no-change", "no change", "n"),
    Choice("worsening", "worsening", "w"),
    Choice("achieved", "achieved", "a"),
    Choice("not-achieved", "not achieved", "x"),
]
CLOSING_CHOICES = [
    Choice("no", "no: the plan goes on", "n"),
    Choice("yes", "yes: the plan is completed", "y"),
]
STATUS_CHOICES = [
    Choice("active", "open", "o"),
    Choice("on-hold", "on hold", "h"),
    Choice("completed", "completed", "c"),
    Choice("cancelled", "cancelled", "x"),
    Choice("proposed", "proposed", "p"),
]


NextStep = Literal["goals", "review", "done"]
# The review's date, note, whether it closes the plan, and per goal: its text (to notice a goal
# reworded elsewhere meanwhile), how it is going and its status.
ReviewAnswers = tuple[date, str, bool, dict[int, tuple[str, str | None, str | None]]]


@dataclass(frozen=True)
class ReviewNext:
    """What the clinician chose after recording a review of plan ``plan_id``: revise its goals
    (plan step 6), see what changed and sign (step 9), or go back to the caseload."""

    plan_id: str
    step: NextStep = "done"


def due_in_words(plan: Plan, today: date) -> str:
    """When the review is due, in words: 'due 2016-07-31, overdue by 45 days'."""
    due = plan.next_review
    if due is None:
        return "no review date set (the plan has no start date or cadence)"
    days = (due - today).days
    if days < 0:
        return f"due {due.isoformat()}, overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return f"due today ({due.isoformat()})"
    return f"due {due.isoformat()}, in {days} day{'s' if days != 1 else ''}"


def objectives_in_words(goal: m.Goal) -> str:
    if not goal.objectives:
        return "No objectives."
    done = sum(1 for o in goal.objectives if o.status == "achieved")
    return f"{done} of {len(goal.objectives)} objectives achieved."


def measures_since_review(plan: Plan) -> str:
    """Each instrument's scores since the last review (all, at the first), as trend lines;
    empty when the plan has no scores."""
    from tplan_tui.core.measures import series_of, trend_lines

    last = max((r.date for r in plan.reviews), default=None)
    return "\n".join(line for series in series_of(plan) for line in trend_lines(series, since=last))


class ReviewScreen(GoalWalk[ReviewNext]):
    """Dismissed with what to do next once recorded (None if left unsaved)."""

    noun = "review"

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Static(
            safe_text(
                f"Review · {plan.client.name or '(no name)'} · version {plan.plan.version} · "
                f"{due_in_words(plan, self.today)}"
            ),
            id="walk-title",
        )
        with VerticalScroll(id="walk-body"):
            yield Static(
                "For each goal: a letter says how it is going, Enter goes to the next "
                "goal; Tab reaches its status (c completed, x cancelled). Ctrl+S records "
                "the review; after it you can revise the goals and sign again.",
                classes="hint",
            )
            if not plan.goals:
                yield Static("This plan has no goals yet.", id="walk-empty")
            for gi in range(len(plan.goals)):
                yield self._goal_card(gi)
            measures = measures_since_review(plan)
            if measures:
                card = Static(safe_text(measures), id="review-measures", classes="card")
                last = max((r.date for r in plan.reviews), default=None)
                card.border_title = (
                    f"Standard measures since the last review ({last.isoformat()})"
                    if last
                    else "Standard measures so far"
                )
                yield card
            with Vertical(classes="sub-section", id="walk-end") as end:
                end.border_title = "What the review found"
                note = SafeTextArea(
                    "",
                    id="walk-note",
                    compact=True,
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder="what was reviewed and decided (needed)",
                    classes="" if plan.goals else "walk-first",
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
                with Horizontal(classes="field-row"):
                    yield Label("Closing review", classes="field-label")
                    yield KeyChoice(
                        CLOSING_CHOICES, "no", id="review-closing", classes="field-editor"
                    )
                yield Static("", id="review-next", classes="hint")
                yield Static("", id="walk-problem", classes="walk-problem")
                yield Button("Record the review (Ctrl+S)", id="walk-save", compact=True)
        yield Footer()

    def _goal_card(self, gi: int) -> GoalCard:
        goal = self.plan.goals[gi]
        return GoalCard(
            gi,
            goal_title(self.plan, gi),
            Static(
                safe_text(f"{trend_in_words(goal)} {objectives_in_words(goal)}"), classes="hint"
            ),
            TrendChart(goal, last=4, id=f"trend-{gi}"),
            Horizontal(
                Label("How it is going", classes="field-label"),
                KeyChoice(
                    ACHIEVEMENT_CHOICES,
                    goal.achievement,
                    allow_blank=True,
                    id=f"achievement-{gi}",
                    classes="field-editor" + (" walk-first" if gi == 0 else ""),
                ),
                classes="field-row",
            ),
            Horizontal(
                Label("Status", classes="field-label"),
                KeyChoice(STATUS_CHOICES, goal.status, id=f"status-{gi}", classes="field-editor"),
                classes="field-row",
            ),
        )

    def on_mount(self) -> None:
        self._show_next_review()

    # ------------------------------------------------------------------ answers

    @on(KeyChoice.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: KeyChoice.Changed | TextArea.Changed) -> None:
        event.stop()
        self.dirty = True
        self._show_next_review()

    @on(Input.Changed, "#walk-date")
    def _date_changed(self) -> None:
        self._show_next_review()

    def _show_next_review(self) -> None:
        text = ""
        try:
            day = self.walk_date()
        except WalkProblem as exc:
            text = str(exc)
        else:
            if self.closing:
                text = "This closes the plan: it leaves the active caseload (still findable)."
            elif self.plan.plan.review_every_days:
                due = day + timedelta(days=self.plan.plan.review_every_days)
                text = (
                    f"Next review after this one: {due.isoformat()} "
                    f"(every {self.plan.plan.review_every_days} days)."
                )
        self.query_one("#review-next", Static).update(safe_text(text))

    @property
    def closing(self) -> bool:
        return self.query_one("#review-closing", KeyChoice).value == "yes"

    def collect(self) -> ReviewAnswers:
        day = self.walk_date()
        note = self.query_one("#walk-note", TextArea).text.strip()
        closing = self.closing
        if not note:
            raise WalkProblem("Write what the review found in the note: a review is kept with it.")
        goals = {}
        for gi, goal in enumerate(self.plan.goals):
            achievement = self.query_one(f"#achievement-{gi}", KeyChoice).value
            status = self.query_one(f"#status-{gi}", KeyChoice).value
            goals[gi] = (goal.text, achievement, status)
        return day, note, closing, goals

    def apply(self, plan: Plan, answers: ReviewAnswers) -> str:
        day, note, closing, goals = answers
        if plan.plan.status == "completed":
            raise WalkProblem("This plan is completed already.")
        for gi, (text, achievement, status) in goals.items():
            if gi >= len(plan.goals) or plan.goals[gi].text != text:
                raise WalkProblem(
                    f"goal {gi + 1} was changed in another terminal; "
                    "leave and start the review again"
                )
            plan.goals[gi].achievement = achievement
            plan.goals[gi].status = status or plan.goals[gi].status
        plan.reviews.append(m.Review(date=day, note=note))
        plan.reviews.sort(key=lambda r: r.date)
        old = plan.plan.version
        plan.plan.version = old + 1  # the store keeps version `old` as it was, read-only
        if closing:
            plan.plan.status = "completed"
            return (
                f"Closing review of {day.isoformat()} recorded: the plan is completed "
                f"(version {old + 1}). It is kept; Ctrl+L on the caseload shows it."
            )
        due = plan.next_review
        when = f"; the next review is due {due.isoformat()}" if due else ""
        return (
            f"Review of {day.isoformat()} recorded: version {old + 1} starts, version {old} "
            f"is kept{when}."
        )

    def after_saved(self, stored: StoredPlan, message: str) -> None:
        self.notify(message, timeout=10)
        if stored.plan.plan.status == "completed":
            self.dismiss(ReviewNext(self.plan_id))
            return
        version = stored.plan.plan.version

        def chosen(key: str | None) -> None:
            step: NextStep = "goals" if key == "goals" else "review" if key == "review" else "done"
            self.dismiss(ReviewNext(self.plan_id, step))

        self.tplan.push_screen(
            Choose(
                "Review recorded: what next?",
                [
                    ("goals", "Revise goals, objectives and interventions (plan step 6)"),
                    ("review", f"See what changed and sign version {version} (plan step 9)"),
                    ("done", "Back to the caseload"),
                ],
                text=f"Signatures now stand for version {version - 1}: the plan asks to be signed "
                "again once it is revised.",
            ),
            chosen,
        )
