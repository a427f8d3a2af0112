"""The store's one owner in the app: a single thread that makes every store call, in order.

Why one thread: TinyDB is not thread-safe, and a save fsyncs, so no store call may run on the
event loop (a key would wait for the disk) nor on two threads at once. Screens hand the worker a
job (a function of the store) and get a ``Future``: the event loop awaits it
(``await worker.run(job)``) and never blocks on it. Jobs run first in, first out, so a read
queued after a save sees that save: leaving a plan need not wait for its save before the
caseload re-reads the list.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from tplan_tui.store import Store

T = TypeVar("T")

Job = Callable[[Store], Any]


class StoreWorker:
    """Runs jobs on the store, one at a time, on its own thread (started on the first job)."""

    def __init__(self, store: Store, name: str = "store-owner"):
        self._store = store
        self.name = name
        # Read once, here: whether the store asks for a passphrase never changes for this
        # object, and the UI asks it often (lock screens) without a job each time.
        self.encrypted = store.encrypted
        self.root = store.root  # a path, read without the disk: where crash reports go
        self._jobs: deque[tuple[Job, Future[Any]]] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def thread(self) -> threading.Thread | None:
        """The owner thread (None until the first job)."""
        return self._thread

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Queue ``job``; its result (or exception) comes back in the future. Never blocks."""
        future: Future[T] = Future()
        with self._cond:
            if self._closed:
                future.set_exception(RuntimeError("the store is closed"))
                return future
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._jobs.append((job, future))
            self._cond.notify()
        return future

    async def run(self, job: Callable[[Store], T]) -> T:
        """Run ``job`` on the owner thread and wait for it without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(job))

    def drain(self) -> Future[None]:
        """A future resolved once every job queued before it has run."""
        return self.submit(lambda _store: None)

    def close(self, timeout: float = 10.0) -> bool:
        """Run what is queued, then stop the thread; True if it finished within ``timeout``."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._jobs) or self._closed)
                if not self._jobs:
                    return
                job, future = self._jobs.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = job(self._store)
            except BaseException as exc:  # handed to whoever waits; the thread goes on
                future.set_exception(exc)
            else:
                future.set_result(result)


async def wait_for(future: Future[Any], timeout: float) -> bool:
    """True once ``future`` is done, False after ``timeout`` seconds; the event loop runs on."""
    try:
        await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
    except TimeoutError:
        return False
    except Exception:  # the job failed (its owner reports it): done all the same
        return True
    return True
