"""Steps that show one goal at a time (goals, objectives, interventions), with "Goal 2 of 12" on top.

At 80x24 only one goal fits on screen anyway, and a step that mounted every goal of a 12-goal plan
(500+ widgets) took Textual most of a second to lay out on every step change and after every goal
added. Here a step mounts the goal it shows; Ctrl+Down/Ctrl+Up (or Tab past a goal's last field)
bring in the next or previous one. The goal shown is shared by the three steps (``GoalCursor``), so
going from a goal to its objectives stays with that goal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan
from tplan_tui.tui.screens.steps.base import GoalCursor, ItemCard, StepForm, focusable_in


def goal_of(path: Path | None) -> int | None:
    """The goal position a path is in (``("goals", 2, "objectives", 0)`` -> 2), or None."""
    if path is not None and len(path) >= 2 and path[0] == "goals" and isinstance(path[1], int):
        return path[1]
    return None


class GoalBar(Static):
    """Which goal is shown, of how many, and the keys to the others: docked, always in view."""

    def show(self, index: int, count: int) -> None:
        self.display = count > 0
        if count > 1:
            self.update(f"Goal {index + 1} of {count} · Ctrl+↓ next goal · Ctrl+↑ previous goal")
        else:
            self.update(f"Goal {index + 1} of {count} · Ctrl+N adds a goal")


class GoalPart(Vertical):
    """Holds the widgets of the goal shown (swapped for another goal's)."""


class PerGoalStep(StepForm):
    """A step that shows the items of one goal; subclasses say which (``goal_widgets``)."""

    def __init__(
        self,
        plan: Plan,
        today: date,
        drafts: dict[str, Any] | None = None,
        cursor: GoalCursor | None = None,
    ):
        super().__init__(plan, today, drafts, cursor)
        self.goal: int | None = None  # the goal mounted (None: none yet)
        self._swapping = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield GoalBar(classes="goal-bar")
        yield from self.compose_before()
        yield GoalPart(classes="goal-part")
        yield from self.compose_after()

    def compose_before(self) -> Iterable[Widget]:
        return ()

    def compose_after(self) -> Iterable[Widget]:
        return ()

    def goal_widgets(self, index: int) -> list[Widget]:  # pragma: no cover - overridden
        raise NotImplementedError

    def no_goal_widgets(self) -> list[Widget]:
        return []

    @property
    def part(self) -> GoalPart:
        return self.query_one(GoalPart)

    async def ready(self, focus: Path | None = None) -> None:
        # One at a time: a goal is never swapped out while its first cards are being mounted
        # (the plan screen's build ahead and a key may both get a step ready).
        async with self._swapping:
            at = goal_of(focus)
            await self._swap(self.cursor.index if at is None else at)
            await super().ready(focus)

    async def show_goal(self, index: int) -> None:
        """Mount goal ``index`` in place of the one shown (clamped to the plan's goals); it
        becomes the goal the three steps show."""
        async with self._swapping:
            await self._swap(index)

    async def _swap(self, index: int) -> None:
        count = len(self.plan.goals)
        index = max(0, min(index, count - 1))
        self.cursor.index = index
        if index == self.goal:
            return
        await self.quiesce()  # no card of the old goal is half-mounted
        self._filling = False
        # The step can be dropped (an item added or removed elsewhere) while this waits: its
        # parts are gone then, and a query for them failed the build-ahead worker, which ended
        # the app (seen under load: NoMatches 'GoalBar').
        if not self.is_attached:
            return
        part = self.part
        await part.remove_children()
        await part.mount_all(self.goal_widgets(index) if count else self.no_goal_widgets())
        self.goal = index
        for bar in self.query(GoalBar):  # none if the step was dropped meanwhile
            bar.show(index, count)

    async def materialize_goal(self) -> None:
        """Mount every card of the goal shown (Tab must know which field is the goal's last)."""
        for card in self.part.query(ItemCard):
            await card.materialize()

    def in_part(self) -> list[Widget]:
        """What Tab reaches in the goal shown, in order."""
        return focusable_in(self.part)

    def first_in_part(self) -> Widget | None:
        return next(iter(self.in_part()), None)

    def last_in_part(self) -> Widget | None:
        return next(reversed(self.in_part()), None)
