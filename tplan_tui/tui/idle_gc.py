"""Full garbage collections while nobody is typing (issue 14).

A full collection walks every object Python tracks: with a plan of twelve goals open that was
600,000 objects and 500-770 ms, run whenever enough objects had been made, which is while a
key is handled (a step change of 50 ms took 700). While the app runs, Python's own full
collections are put off (the young generations are collected as before, so short-lived cycles
still go at once) and the app runs one when the keyboard has rested ``REST_S`` and something
was done since the last one, or at the latest every ``LATEST_S`` of work, so memory stays
bounded even in a session that never rests. Python's own setting comes back when the app ends
(tests run many apps in one process).
"""

from __future__ import annotations

import gc
import time
from typing import Any

REST_S = 2.0  # the keyboard has rested this long: a pause would go unnoticed
LATEST_S = 30.0  # a full collection at least this often, resting or not
CHECK_S = 0.5
PUT_OFF = 1_000_000  # Python's third threshold while the app runs: in effect, never


class IdleCollector:
    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self.last_key = clock()
        self.last_full = clock()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Python's full collections are put off from now on (``stop`` brings them back)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            first, second, _third = self._saved
            gc.set_threshold(first, second, PUT_OFF)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def key(self) -> None:
        self.last_key = self.clock()

    def check(self) -> bool:
        """Run a full collection if now is the time; True if one ran."""
        now = self.clock()
        rested = now - self.last_key >= REST_S and self.last_key > self.last_full
        if not (rested or now - self.last_full >= LATEST_S) or not gc.isenabled():
            return False
        gc.collect()
        self.last_full = self.clock()
        return True
