"""Opening the plan-over-time screens for one plan: check-in, review, progress, versions,
consents and share. The app and the caseload call ``open_tool``; each screen is imported only
when it is asked for, so none of them is on the path to the first frame."""

from __future__ import annotations

import inspect
from typing import Protocol, runtime_checkable

TOOLS = ("checkin", "review", "progress", "versions", "consents", "share")


@runtime_checkable
class Reloadable(Protocol):
    """A screen that re-reads the store when a tool on one of its plans closes (the caseload)."""

    def reload(self) -> None: ...


async def _maybe_await(result) -> None:
    if inspect.isawaitable(result):
        await result


async def open_tool(app, tool: str, plan_id: str) -> None:
    """Load plan ``plan_id`` and open ``tool`` on it; problems are said in a notification."""
    from tplan_tui.store import StoreError

    if tool not in TOOLS:
        raise ValueError(f"unknown tool {tool!r}")
    store = app.store
    try:
        stored = store.load(plan_id)
    except StoreError as exc:
        app.notify(str(exc), severity="error", timeout=15)
        return
    plan = stored.plan
    today = app.today

    def back(result: str | None = None) -> None:
        if isinstance(app.screen, Reloadable):
            app.screen.reload()

    if tool in ("checkin", "review") and plan.plan.status == "completed":
        app.notify(
            f"The plan for {plan.client.name} is completed: a {tool.replace('checkin', 'check-in')} "
            "needs an open plan (set its status on step 8 to reopen it).",
            timeout=8,
        )
        return
    if tool == "checkin":
        from tplan_tui.tui.screens.checkin import CheckinScreen

        await _maybe_await(app.push_screen(CheckinScreen(store, stored, today), back))
    elif tool == "review":
        from tplan_tui.tui.screens.review import ReviewScreen

        async def reviewed(result: str | None) -> None:
            back()
            if result and ":" in result:
                reviewed_id, step = result.split(":", 1)
                if step in ("goals", "review"):
                    store.update_meta(reviewed_id, step=step)
                    await _maybe_await(app.open_plan(reviewed_id))

        await _maybe_await(app.push_screen(ReviewScreen(store, stored, today), reviewed))
    elif tool == "progress":
        from tplan_tui.tui.screens.progress_view import ProgressScreen

        await _maybe_await(app.push_screen(ProgressScreen(plan, today)))
    elif tool == "versions":
        from tplan_tui.tui.screens.versions import VersionsScreen

        try:
            earlier = store.versions(plan_id)
        except StoreError as exc:
            app.notify(str(exc), severity="error", timeout=15)
            return
        await _maybe_await(app.push_screen(VersionsScreen(plan, earlier, today)))
    elif tool == "consents":
        from tplan_tui.tui.screens.consents import ConsentsScreen

        await _maybe_await(app.push_screen(ConsentsScreen(store, stored, today), back))
    elif tool == "share":
        from tplan_tui.tui.screens.consents import share_choices

        share_choices(app, plan, plan_id, today)
