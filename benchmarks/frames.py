"""Timing the app headless as a user sees it: from a key posted to the frame that shows its result.

Textual composes every frame (layout and the widgets' lines) headless too; only the write to a
terminal is skipped. ``FrameClock`` wraps the app's ``_display`` to note when each frame was
composed, so a benchmark can stop its clock at the first frame after what it waits for. Nothing
here sleeps a fixed time inside a measurement (``pilot.pause()`` waits at least 20 ms for the
CPU to go idle, which would be counted as the app's).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

from textual import events


class FrameClock:
    def __init__(self, app: Any, poll: float = 0.0) -> None:
        self.app = app
        # Seconds between checks of a condition: 0 checks at every turn of the loop (the most
        # exact), a little more keeps the checking out of a CPU-time figure.
        self.poll = poll
        self.last = 0.0  # perf_counter() when the newest frame was composed
        self.frames = 0
        # Called at every frame when set: what the frame showed, kept with its time in ``seen``.
        self.probe: Callable[[], Any] | None = None
        self.seen: list[tuple[float, Any]] = []
        display = app._display

        def hooked(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.frames += 1
                self.last = time.perf_counter()
                if self.probe is not None:
                    self.seen.append((self.last, self.probe()))
            display(screen, renderable)

        app._display = hooked

    async def until(
        self,
        condition: Callable[[], object],
        what: str,
        shown: Callable[[], object] | None = None,
        timeout: float = 30.0,
    ) -> float:
        """Let the app run until ``condition()`` holds and a frame has been composed while
        ``shown()`` held (default: the condition): the result is on screen. Return the later
        of the two moments. Gives the loop one turn per check."""
        probe = shown or condition
        first_shown: list[float] = []
        previous = self.probe

        def on_frame() -> object:
            if not first_shown and probe():
                first_shown.append(self.last)
            return previous() if previous is not None else None

        self.probe = on_frame
        start = time.perf_counter()
        met = 0.0
        try:
            while not first_shown or not met:
                if not met and condition():
                    met = time.perf_counter()
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"waited {timeout} s for {what}")
                await asyncio.sleep(self.poll)
        finally:
            self.probe = previous
        return max(met, first_shown[0])


def key(app: Any, name: str, char: str | None = None) -> float:
    """Post one key to the app as the terminal driver does; return when it was posted."""
    now = time.perf_counter()
    app.post_message(events.Key(name, char))
    return now


async def typing(
    clock: FrameClock, app: Any, shown: Callable[[], int], keys: int, rate: float
) -> list[float]:
    """Type ``keys`` x's at ``rate`` keys a second (a typist does not wait for the screen);
    return each key's time from being posted to the first frame whose field holds it
    (``shown()``: the field's length)."""
    base = shown()
    clock.seen = []
    clock.probe = shown
    posted: list[float] = []
    start = time.perf_counter()
    try:
        for k in range(keys):
            while time.perf_counter() < start + k / rate:
                await asyncio.sleep(0)
            posted.append(key(app, "x", "x"))
        await clock.until(lambda: shown() >= base + keys, "the typed keys")
    finally:
        clock.probe = None
    times = []
    for k, at in enumerate(posted):
        frame = next(t for t, length in clock.seen if length >= base + k + 1)
        times.append(frame - at)
    return times


async def rest(pilot: Any, seconds: float = 0.7) -> None:
    """Let timers (client pane, autosave) fire and the app go idle between measurements."""
    await asyncio.sleep(seconds)
    await pilot.pause()


def figures(times: list[float]) -> tuple[float, float, float]:
    """(median, p95, max) in milliseconds."""
    t = sorted(times)
    p95 = t[min(len(t) - 1, int(len(t) * 0.95))]
    return statistics.median(t) * 1000, p95 * 1000, t[-1] * 1000
