"""Where the safety screens read and save a plan: the store itself (from the caseload, a check-in
or a review), or the plan screen that has the plan open (its safety step). Through the plan
screen, a change goes into the plan it edits and out with its autosave, so the two never save over
each other (a save of their own would look like another terminal's change).

The safety plan's half-written lines (a person without how to reach them, yet) are kept as drafts
beside the plan (its meta, ``safety_drafts``: part key -> the text as typed), never dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from tplan_tui.core import model as m

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason
    from tplan_tui.store import Store
    from tplan_tui.tui.app import TplanApp

Change = Callable[[m.Plan], None]
Drafts = dict[str, str]
DRAFTS_META = "safety_drafts"


class SafetyHost(Protocol):
    @property
    def plan_id(self) -> str: ...

    async def current(self) -> tuple[m.Plan, Drafts] | None:
        """A copy of the plan as it is now, and the safety plan's drafts; None after saying
        why it cannot be read."""
        ...

    async def commit(self, change: Change, drafts: Drafts | None = None) -> list[Reason]:
        """Apply ``change`` (and keep ``drafts``, when given); what it raised. Raises
        StoreError (ConflictError included) or OSError when it could not be saved."""
        ...

    def commit_soon(self, change: Change, drafts: Drafts | None = None) -> None:
        """The same, not waited for: the app is closing."""
        ...

    def closed(self) -> None:
        """A safety screen closed: show the plan again as it is now."""
        ...


def drafts_of(meta: dict[str, object]) -> Drafts:
    raw = meta.get(DRAFTS_META)
    if not isinstance(raw, dict):
        return {}
    return {str(k): v for k, v in raw.items() if isinstance(v, str)}


def save_change(
    store: Store, plan_id: str, change: Change, drafts: Drafts | None = None
) -> list[Reason]:
    """Apply ``change`` to the newest stored copy and save it; what the save raised. A job for
    the store's owner thread (``tui/storeworker.py``): never called on the event loop."""
    stored = store.load(plan_id)
    plan = copy.deepcopy(stored.plan)
    change(plan)
    meta = None if drafts is None else {DRAFTS_META: drafts}
    saved = store.save(plan_id, plan, base_revision=stored.revision, meta=meta)
    return new_alerts(store, plan_id, stored.plan, saved.plan)


def new_alerts(store: Store, plan_id: str, before: m.Plan, after: m.Plan) -> list[Reason]:
    """What a save just raised, set against the alerts already addressed. Reads the store: run
    it on the store's owner thread."""
    from tplan_tui.core.attention import new_reasons
    from tplan_tui.store import StoreError

    try:
        addressed = store.addressed(plan_id)
    except StoreError:
        addressed = []
    return new_reasons(before, after, addressed)


class StoreHost:
    """The plan as stored: each save loads the newest copy and changes only what it must."""

    def __init__(self, app: TplanApp, plan_id: str):
        self.app = app
        self.plan_id = plan_id

    async def current(self) -> tuple[m.Plan, Drafts] | None:
        stored = await self.app.load(self.plan_id)
        return None if stored is None else (stored.plan, drafts_of(stored.meta))

    async def commit(self, change: Change, drafts: Drafts | None = None) -> list[Reason]:
        plan_id = self.plan_id
        return await self.app.store_worker.run(
            lambda store: save_change(store, plan_id, change, drafts)
        )

    def commit_soon(self, change: Change, drafts: Drafts | None = None) -> None:
        plan_id = self.plan_id
        self.app.store_worker.submit(lambda store: save_change(store, plan_id, change, drafts))

    def closed(self) -> None:
        from tplan_tui.tui.screens.appscreen import Reloadable

        # The screen under it (the caseload) reads again.
        if isinstance(self.app.screen, Reloadable):
            self.app.screen.reload()
