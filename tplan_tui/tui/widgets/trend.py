"""A goal's ratings over time, drawn in text (see ``tplan_tui.core.progress.trend_lines``)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from tplan_tui.core.model import Goal
from tplan_tui.core.progress import GoalCheckin, trend_lines
from tplan_tui.tui.safe import safe_text


class TrendChart(Static):
    """The trend of one goal; ``show`` redraws it, with a check-in being made if given."""

    DEFAULT_CSS = """
    TrendChart { height: auto; }
    """

    def __init__(
        self, goal: Goal, *, last: int | None = 8, id: str | None = None, classes: str | None = None
    ):
        super().__init__(id=id, classes=classes)
        self.goal = goal
        self.last = last

    def on_mount(self) -> None:
        self.show()

    def show(self, pending: GoalCheckin | None = None, day: date | None = None) -> None:
        lines = trend_lines(self.goal, pending=pending, day=day, last=self.last)
        self.update(safe_text(Text("\n".join(lines), no_wrap=True, overflow="ellipsis")))
