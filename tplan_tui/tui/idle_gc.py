"""Full garbage collections while nobody is typing, and short ones (issue 14).

A full collection walks every object Python tracks. With a plan of twelve goals open that was
600,000 objects and 500-770 ms, run whenever enough objects had been made, which is while a key
is handled (a step change of 50 ms took 700). So while the app runs, Python's own full
collections are put off (the young generations are collected as before, so short-lived cycles
still go at once), and the app runs its own:

- **short**, when the keyboard has rested ``REST_S`` and something was done since, or after
  ``LATEST_S`` of work without such a rest. What survives it is frozen (``gc.freeze``): the
  widgets of the steps kept built, some 2,400 of them and 300,000 objects with a 12-goal plan,
  are not walked again by the next one, which sees only what was made since (a full walk of
  them took 250-990 ms, and one landed on Ctrl+N at 791 ms).
- **whole**, when the keyboard has rested ``THAW_REST_S`` (a talk with the client) after keys
  pressed since a short one froze what was alive: everything is thawed and walked, so widgets
  let go since (a step built again, a goal far from the one shown) are freed, then frozen again.
  It walks everything, the code set and the pronouncing dictionary included (1-2 s with a busy
  12-goal session), hence only after a long rest. If no such rest comes within
  ``THAW_LATEST_S`` of work, the next short one is whole, so memory stays bounded.

Python's own setting comes back, and what the app froze is thawed, when the app ends (tests run
many apps in one process).
"""

from __future__ import annotations

import gc
import time
from typing import Any

REST_S = 2.0  # the keyboard has rested this long: a short pause would go unnoticed
LATEST_S = 30.0  # a short collection at least this often, resting or not
THAW_REST_S = 60.0  # a rest this long (a talk with the client): the whole heap is walked again
THAW_LATEST_S = 600.0  # and at least this often (at a short collection)
CHECK_S = 0.5
PUT_OFF = 1_000_000  # Python's third threshold while the app runs: in effect, never


class IdleCollector:
    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self.last_key = clock()
        self.last_full = clock()
        self.last_thaw = clock()
        self.froze = False  # this app froze objects (thawed when it ends)
        self.frozen_at: float | None = None  # the first short collection since the last whole
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
        if self.froze:
            # What this app froze may be garbage now (its widgets): the process goes on.
            gc.unfreeze()
            self.froze = False

    def key(self) -> None:
        self.last_key = self.clock()

    def check(self) -> str | None:
        """Run a collection if now is the time: "short", "whole", or None if none ran."""
        now = self.clock()
        if not gc.isenabled():  # off while the app starts (``cli.cmd_tui``)
            return None
        resting = now - self.last_key
        # Widgets let go (garbage among what was frozen) only after something was done.
        let_go = self.frozen_at is not None and self.last_key > self.frozen_at
        if let_go and resting >= THAW_REST_S:
            return self._whole()
        worked = self.last_key > self.last_full
        if not worked or (resting < REST_S and now - self.last_full < LATEST_S):
            return None
        if let_go and now - self.last_thaw >= THAW_LATEST_S:
            return self._whole()
        gc.collect()
        gc.freeze()
        self.froze = True
        self.last_full = self.clock()
        if self.frozen_at is None:
            self.frozen_at = self.last_full
        return "short"

    def _whole(self) -> str:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.last_full = self.last_thaw = self.clock()
        self.frozen_at = None
        return "whole"
