"""Autosave: one background thread that saves the latest copy of a plan, off the UI's event loop.

Why a thread of our own rather than a worker per save: TinyDB is not thread-safe, so every store
call from the UI goes through this one thread, in order; and saves coalesce — while one save runs,
any number of edits become a single next save of the newest copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tplan_tui.core.model import Plan
from tplan_tui.store import ConflictError, Store, StoredPlan, StoreError


@dataclass
class SaveResult:
    """What became of a save: the stored plan, or the error (a conflict is one kind)."""

    stored: StoredPlan | None = None
    error: StoreError | None = None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, ConflictError)


class Autosaver:
    """Saves plan ``plan_id`` in the background. ``submit`` never blocks on the disk."""

    def __init__(
        self,
        store: Store,
        plan_id: str,
        revision: int,
        on_result: Callable[[SaveResult], None] | None = None,
    ):
        self.store = store
        self.plan_id = plan_id
        self.revision = revision
        self.on_result = on_result
        self._pending: tuple[Plan, dict[str, Any]] | None = None
        self._force = False
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"autosave-{plan_id}", daemon=True)
        self._thread.start()

    def submit(self, plan: Plan, meta: dict[str, Any] | None = None) -> None:
        """Queue ``plan`` (a copy the caller will not change) to be saved; replaces any queued copy."""
        with self._cond:
            old_meta = self._pending[1] if self._pending else {}
            self._pending = (plan, {**old_meta, **(meta or {})})
            self._cond.notify()

    def overwrite_next(self) -> None:
        """The next save replaces whatever is stored (after the user chose 'keep mine')."""
        with self._cond:
            self._force = True

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted is saved (or failed); True if it finished in time."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Save what is queued, then stop the thread."""
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return done

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                plan, meta = self._pending
                self._pending = None
                self._busy = True
                base = None if self._force else self.revision
                self._force = False
            result = self._save(plan, meta, base)
            with self._cond:
                if result.stored is not None:
                    self.revision = result.stored.revision
                self._busy = False
                self._cond.notify_all()
            if self.on_result is not None:
                self.on_result(result)

    def _save(self, plan: Plan, meta: dict[str, Any], base: int | None) -> SaveResult:
        try:
            return SaveResult(
                stored=self.store.save(self.plan_id, plan, base_revision=base, meta=meta)
            )
        except StoreError as exc:
            return SaveResult(error=exc)
        except OSError as exc:  # a full disk, a vanished folder: report, never kill the thread
            return SaveResult(error=StoreError(f"could not save: {exc.strerror or exc}"))
