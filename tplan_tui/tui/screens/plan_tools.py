"""Opening the plan-over-time screens for one plan: check-in, a standard measure, review,
progress, versions, consents and share. The caseload and the palette call ``PlanTools``' methods; each screen is
imported only when it is asked for, so none of them is on the path to the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tplan_tui.store import StoredPlan
from tplan_tui.tui.screens.appscreen import Reloadable

if TYPE_CHECKING:
    from tplan_tui.tui.app import TplanApp
    from tplan_tui.tui.screens.review import ReviewNext


class PlanTools:
    """The plan-over-time screens of the app, one method each; problems are said in a
    notification. Every store read is a job on the app's store owner."""

    def __init__(self, app: TplanApp):
        self.app = app

    def _back(self, _result: object = None) -> None:
        if isinstance(self.app.screen, Reloadable):
            self.app.screen.reload()

    async def _open(self, plan_id: str, needs_open: str | None = None) -> StoredPlan | None:
        """The stored plan; None (said why) if it cannot be read, or, for a tool that
        ``needs_open`` (a check-in, a review), if the plan is completed."""
        stored = await self.app.load(plan_id)
        if stored is None:
            return None
        plan = stored.plan
        if needs_open and plan.plan.status == "completed":
            self.app.notify(
                f"The plan for {plan.client.name} is completed: a {needs_open} "
                "needs an open plan (set its status on step 9 to reopen it).",
                timeout=8,
            )
            return None
        return stored

    async def open(self, name: str, plan_id: str) -> None:
        """Open the tool ``name`` (check-in, measure, review, progress, versions, consents, share)
        on plan ``plan_id``."""
        tools = {
            "checkin": self.checkin,
            "measure": self.measure,
            "review": self.review,
            "progress": self.progress,
            "versions": self.versions,
            "consents": self.consents,
            "share": self.share,
        }
        await tools[name](plan_id)

    async def checkin(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.checkin import CheckinScreen

        stored = await self._open(plan_id, needs_open="check-in")
        if stored is not None:
            app = self.app
            await app.push_screen(CheckinScreen(app.store_worker, stored, app.today), self._back)

    async def measure(self, plan_id: str) -> None:
        """The standard measure dialog (PHQ-9, GAD-7…); the measure is saved as a job on the
        store's owner, on the newest stored copy of the plan."""
        from tplan_tui.core import model as m
        from tplan_tui.core.attention import Reason
        from tplan_tui.core.instruments import all_instruments
        from tplan_tui.tui.screens.measure_entry import MeasureEntry
        from tplan_tui.tui.screens.safety_host import save_change

        stored = await self._open(plan_id)
        if stored is None:
            return
        app = self.app

        async def save(measure: m.Measure) -> list[Reason]:
            def change(plan: m.Plan) -> None:
                plan.measures.append(measure)
                plan.measures.sort(key=lambda x: x.date)  # stable: a day's scores keep order

            return await app.store_worker.run(lambda store: save_change(store, plan_id, change))

        entry = MeasureEntry(
            stored.plan.client.name,
            app.today,
            list(all_instruments().values()),
            save,
            plan_id=plan_id,
        )
        await app.push_screen(entry, self._back)

    async def review(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.review import ReviewScreen

        stored = await self._open(plan_id, needs_open="review")
        if stored is None:
            return
        app = self.app

        async def reviewed(result: ReviewNext | None) -> None:
            self._back()
            if result is not None and result.step in ("goals", "review"):
                step = result.step
                await app.store_worker.run(
                    lambda store: store.update_meta(result.plan_id, step=step)
                )
                await app.open_plan(result.plan_id)

        await app.push_screen(ReviewScreen(app.store_worker, stored, app.today), reviewed)

    async def progress(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.progress_view import ProgressScreen

        stored = await self._open(plan_id)
        if stored is not None:
            await self.app.push_screen(ProgressScreen(stored.plan, self.app.today))

    async def versions(self, plan_id: str) -> None:
        from tplan_tui.store import StoreError
        from tplan_tui.tui.screens.versions import VersionsScreen

        stored = await self._open(plan_id)
        if stored is None:
            return
        try:
            earlier = await self.app.store_worker.run(lambda store: store.versions(plan_id))
        except StoreError as exc:
            self.app.notify(str(exc), severity="error", timeout=15)
            return
        await self.app.push_screen(VersionsScreen(stored.plan, earlier, self.app.today))

    async def consents(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.consents import ConsentsScreen

        stored = await self._open(plan_id)
        if stored is not None:
            app = self.app
            await app.push_screen(ConsentsScreen(app.store_worker, stored, app.today), self._back)

    async def share(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.consents import share_choices

        stored = await self._open(plan_id)
        if stored is not None:
            share_choices(self.app, stored.plan, plan_id, self.app.today)
