"""The store's one owner thread: what the event loop feels while the app saves.

Run: .venv/bin/python benchmarks/bench_store_owner.py [--saves 100] [--dir /some/disk]

The app runs headless at 80x24 on the invented sample plan; a ticker on the event loop wakes
every millisecond and records how late it woke (the loop's stall). Three figures:

- **a job's round trip**: ``await store_worker.run(job)`` of an empty job from the event loop
  (the cost of going through the owner instead of calling the store directly);
- **stall while saving through the owner**: ``--saves`` saves of the plan (each a real, fsync'd
  ``Store.save``), each handed over as the plan screen does (``save_now``), awaited one by one;
- **stall if the loop saved itself**: the same saves called on the event loop, as
  ``save_version`` (and the other on-loop store calls) did before the store had one owner.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tplan_tui import planfile  # noqa: E402
from tplan_tui.core import editing  # noqa: E402
from tplan_tui.store import open_store  # noqa: E402
from tplan_tui.tui.app import make_app  # noqa: E402
from tplan_tui.tui.screens.plan import PlanScreen  # noqa: E402

CHRIS = ROOT / "examples" / "chris.yaml"


class Ticker:
    """Wakes every millisecond on the event loop and keeps how late each wake-up was."""

    def __init__(self) -> None:
        self.lates: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            self.lates.append(time.perf_counter() - start - 0.001)

    def start(self) -> None:
        self.lates.clear()
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> list[float]:
        assert self._task is not None
        self._task.cancel()
        return list(self.lates)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


async def run(saves: int, folder: str | None) -> None:
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        store = open_store(Path(tmp) / "store")
        [plan_id] = store.import_plans([planfile.load_plan_file(CHRIS)])
        app = make_app(store, today=date(2026, 12, 2))
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await app.open_plan(plan_id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PlanScreen)
            worker = app.store_worker

            trips = []
            for _ in range(saves):
                start = time.perf_counter()
                await worker.run(lambda _store: None)
                trips.append(time.perf_counter() - start)

            ticker = Ticker()
            ticker.start()
            for n in range(saves):
                screen.plan.client.pronouns = f"take {n}"
                screen.save_now()
                await asyncio.wrap_future(screen.saver.saved())
            owner_lates = ticker.stop()

            ticker.start()
            for n in range(saves):
                copy = editing.snapshot(screen.plan)
                copy.client.pronouns = f"on the loop {n}"
                # What an on-loop store call cost the loop (run on the owner's store object
                # while the owner is idle: nothing else touches it meanwhile).
                store.save(plan_id, copy)
                await asyncio.sleep(0)
            loop_lates = ticker.stop()

    print(f"{saves} saves of the sample plan, each fsync'd\n")
    print(f"a job's round trip (median / p95):  {ms(statistics.median(trips))} / {ms(p95(trips))}")
    for label, lates in (
        ("through the owner thread", owner_lates),
        ("called on the event loop", loop_lates),
    ):
        print(
            f"event-loop stall, {label}: median {ms(statistics.median(lates))}, "
            f"p95 {ms(p95(lates))}, worst {ms(max(lates))}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--dir", default=None, help="where to make the store (which disk)")
    args = parser.parse_args()
    asyncio.run(run(args.saves, args.dir))


if __name__ == "__main__":
    main()
