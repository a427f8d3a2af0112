"""The plan screen as the safety screens' host: a change made in the safety-plan walk or a risk
assessment opened from the plan's safety step goes into the plan the screen edits and out with
its autosave (a save of their own would meet the screen's next save as another terminal's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tplan_tui.core import editing
from tplan_tui.core import model as m
from tplan_tui.tui.screens.safety_host import Change, Drafts

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason
    from tplan_tui.tui.screens.plan import PlanScreen


class PlanScreenHost:
    def __init__(self, screen: PlanScreen):
        self.screen = screen

    @property
    def plan_id(self) -> str:
        return self.screen.plan_id

    async def current(self) -> tuple[m.Plan, Drafts]:
        return editing.snapshot(self.screen.plan), dict(self.screen.safety_drafts)

    def _apply(self, change: Change, drafts: Drafts | None) -> m.Plan:
        screen = self.screen
        before = editing.snapshot(screen.plan)
        change(screen.plan)
        if drafts is not None:
            screen.safety_drafts = dict(drafts)
        screen.safety_changed()
        return before

    async def commit(self, change: Change, drafts: Drafts | None = None) -> list[Reason]:
        from tplan_tui.core.attention import new_reasons
        from tplan_tui.store import StoreError

        before = self._apply(change, drafts)
        plan_id = self.plan_id
        try:
            addressed = await self.screen.owner.run(lambda store: store.addressed(plan_id))
        except StoreError:
            addressed = []
        return new_reasons(before, self.screen.plan, addressed)

    def commit_soon(self, change: Change, drafts: Drafts | None = None) -> None:
        self._apply(change, drafts)
        self.screen.save_if_dirty(show=False)  # the app is closing: handed over now

    def closed(self) -> None:
        self.screen.safety_changed(save=False)
