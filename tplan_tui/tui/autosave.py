"""Autosave: the latest copy of a plan, saved by the store's owner thread, off the event loop.

Saves coalesce: while a save is queued, any number of edits replace the copy it will write, so
a fast typist costs one save per turn of the owner thread, never one per key. The saves run on
the app's one ``StoreWorker`` (TinyDB is not thread-safe: every store call of the app is made
there, in order).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from tplan_tui.core.model import Plan
from tplan_tui.store import ConflictError, Store, StoredPlan, StoreError
from tplan_tui.tui.storeworker import StoreWorker


@dataclass
class SaveResult:
    """What became of a save: the stored plan, or the error (a conflict is one kind)."""

    stored: StoredPlan | None = None
    error: StoreError | None = None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, ConflictError)


class Autosaver:
    """Saves plan ``plan_id`` in the background. ``submit`` never blocks on the disk.

    ``owner`` is the app's store worker; given a bare ``Store`` (a script, a test), the saver
    makes a worker of its own and stops it on ``close``.
    """

    def __init__(
        self,
        owner: StoreWorker | Store,
        plan_id: str,
        revision: int,
        on_result: Callable[[SaveResult], None] | None = None,
    ):
        self._own_worker = not isinstance(owner, StoreWorker)
        self.worker = owner if isinstance(owner, StoreWorker) else StoreWorker(owner, "autosave")
        self.plan_id = plan_id
        self.revision = revision
        self.on_result = on_result
        self._pending: tuple[Plan, dict[str, Any]] | None = None
        self._force = False
        self._cond = threading.Condition()
        self._queued = False  # a save job is in the owner's queue (it takes the newest copy)
        self._busy = False

    def submit(self, plan: Plan, meta: dict[str, Any] | None = None) -> None:
        """Queue ``plan`` (a copy the caller will not change) to be saved; replaces any queued copy."""
        with self._cond:
            old_meta = self._pending[1] if self._pending else {}
            self._pending = (plan, {**old_meta, **(meta or {})})
            if self._queued:
                return  # the queued save will write this newer copy
            self._queued = True
        self.worker.submit(self._save_pending)

    def overwrite_next(self) -> None:
        """The next save replaces whatever is stored (after the user chose 'keep mine')."""
        with self._cond:
            self._force = True

    def saved(self) -> Future[None]:
        """A future resolved when everything submitted so far is saved (or failed)."""
        return self.worker.drain()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted is saved (or failed); True if it finished in time.
        Blocks: for scripts and tests, never for the event loop (it awaits ``saved()``)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._pending is None and not self._busy and not self._queued, timeout
            )

    def close(self, timeout: float = 10.0) -> bool:
        """Stop a worker of its own after what is queued is saved. On the app's shared worker
        nothing waits: the queued save still runs, in order."""
        if not self._own_worker:
            return True
        done = self.flush(timeout)
        return self.worker.close(timeout) and done

    def _save_pending(self, store: Store) -> None:
        with self._cond:
            self._queued = False
            if self._pending is None:
                return
            plan, meta = self._pending
            self._pending = None
            self._busy = True
            base = None if self._force else self.revision
            self._force = False
        result = _save(store, self.plan_id, plan, meta, base)
        with self._cond:
            if result.stored is not None:
                self.revision = result.stored.revision
        # Told before ``flush`` returns, so whoever waited sees what became of the save.
        try:
            if self.on_result is not None:
                self.on_result(result)
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()


def _save(
    store: Store, plan_id: str, plan: Plan, meta: dict[str, Any], base: int | None
) -> SaveResult:
    try:
        return SaveResult(stored=store.save(plan_id, plan, base_revision=base, meta=meta))
    except StoreError as exc:
        return SaveResult(error=exc)
    except OSError as exc:  # a full disk, a vanished folder: report, never kill the thread
        return SaveResult(error=StoreError(f"could not save: {exc.strerror or exc}"))
