"""The plan's progress, read-only: each goal's trend over every check-in, its objectives, the notes
of the check-ins, the standard measures' scores over time, and the reviews with the next review
date in words."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tplan_tui.core.measures import series_of
from tplan_tui.core.measures import trend_lines as measure_trend
from tplan_tui.core.model import Plan
from tplan_tui.core.progress import trend_in_words, trend_lines
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.review import due_in_words


def progress_text(plan: Plan, today: date) -> Text:
    """Everything the progress view says, as one text (also what a test reads)."""
    out = Text()
    state = plan.review_state(today)
    out.append(
        f"Review: {due_in_words(plan, today)}"
        + (f" ({state})" if state in ("overdue", "due soon") else "")
        + "\n",
        style="bold",
    )
    for gi, goal in enumerate(plan.goals, 1):
        words = " ".join((goal.for_client or "").split()) or "(no text yet)"
        out.append(f"\nGoal {gi}: {words}\n", style="bold underline")
        r = goal.rating
        meaning = [f"Rated: {r.label.strip() or '(not written yet)'}"]
        if r.low.strip():
            meaning.append(f"0 = {r.low.strip()}")
        if r.high.strip():
            meaning.append(f"10 = {r.high.strip()}")
        out.append(
            " · ".join(meaning)
            + f" · status {goal.status}"
            + (f" · {goal.achievement}" if goal.achievement else "")
            + "\n"
        )
        out.append("\n".join(trend_lines(goal, last=None)) + "\n")
        out.append(trend_in_words(goal) + "\n")
        for oi, o in enumerate(goal.objectives, 1):
            out.append(f"  {gi}.{oi} [{o.status}] {' '.join(o.text.split())}\n")
        notes = [(e.date, e.note) for e in goal.progress if e.note]
        for day, note in notes:
            out.append(f"  {day.isoformat()}: {' '.join(note.split())}\n", style="italic")
    all_series = series_of(plan)
    if all_series:
        out.append("\nStandard measures\n", style="bold underline")
        for series in all_series:
            out.append("\n".join(measure_trend(series, last=None)) + "\n")
    if plan.reviews:
        out.append("\nReviews\n", style="bold underline")
        for review in plan.reviews:
            out.append(f"  {review.date.isoformat()}: {' '.join((review.note or '').split())}\n")
    return out


class ProgressScreen(Screen[None]):
    AUTO_FOCUS = "#progress-body"
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back", tooltip="Back to where you were."),
    ]
    DEFAULT_CSS = """
    #progress-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #progress-body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, plan: Plan, today: date):
        super().__init__()
        self.plan = plan
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static(
            safe_text(
                f"Progress · {self.plan.client.name or '(no name)'} · read-only · "
                "↑↓ PageUp/PageDown scroll"
            ),
            id="progress-title",
        )
        with VerticalScroll(id="progress-body"):
            yield Static(safe_text(progress_text(self.plan, self.today)), id="progress-text")
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)
