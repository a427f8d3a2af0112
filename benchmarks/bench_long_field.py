"""A keystroke in a very long field: how long until the field shows it and the plan holds it,
with a field of 1,000 / 50,000 / 99,000 characters (a text holds at most 100,000), words, one
word, and wide characters without spaces, with the client pane shown and hidden (Ctrl+O).

Run: .venv/bin/python benchmarks/bench_long_field.py [--keys 50] [--typed 48] [--layout 80x24]

The app runs headless at 120x30 (Textual's Pilot; wide enough for the form and the client pane
side by side), on a plan in a temporary store. Two figures a case:

- **key**: the app idle before each key; the clock runs from posting the key to the first frame
  composed once the field shows it and the plan screen's model holds it;
- **typing**: keys at 8 a second, as a typist types without waiting for the screen; each key
  from being posted to the first frame that shows it (the client pane or a save landing between
  keys counts here).

Beside each wall-clock figure, the CPU time of the process (``time.process_time``: every
thread, the autosave's too) per key: on a loaded machine wall time grows, CPU time much less.

Budget (issue 18): under 100 ms a key (p95).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frames import FrameClock, figures, key, rest, typing  # noqa: E402

from tplan_tui import planfile  # noqa: E402
from tplan_tui.store import open_store  # noqa: E402
from tplan_tui.tui.app import make_app  # noqa: E402
from tplan_tui.tui.widgets.client_pane import ClientPane  # noqa: E402

CHRIS = ROOT / "examples" / "chris.yaml"
LAYOUTS = {
    "80x24": ((80, 24), False),  # narrow: the form alone, the pane one Ctrl+O away
    "120x30 pane": ((120, 30), False),
    "120x30 no pane": ((120, 30), True),  # Ctrl+O hid the pane
}


async def one_case(
    text: str, keys: int, typed_keys: int, layout: str
) -> tuple[list[float], list[float], float, float]:
    """(key times, typing times, CPU ms a key, CPU ms a typed key)."""
    size, hide_pane = LAYOUTS[layout]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        plan = planfile.load_plan_file(CHRIS)
        plan.strengths[0].text = text
        [plan_id] = store.import_plans([plan])
        store.update_meta(plan_id, step="strengths")
        app = make_app(store, today=date(2026, 12, 2))
        async with app.run_test(size=size) as pilot:
            clock = FrameClock(app)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await app.open_plan(plan_id)
            await rest(pilot)
            screen = app.screen
            if hide_pane:
                await pilot.press("ctrl+o")
                await rest(pilot)
            assert screen.query_one(ClientPane).display == (size[0] >= 100 and not hide_pane)
            field = app.focused
            assert field is not None and len(field.text) == len(text), "not in the long field"
            one: list[float] = []
            cpu = 0.0
            for _ in range(keys):
                before = len(field.text)
                cpu_start = time.process_time()
                posted = key(app, "x", "x")
                done = await clock.until(
                    lambda before=before: (
                        len(field.text) > before and len(screen.plan.strengths[0].text) > before
                    ),
                    "the key",
                    shown=lambda before=before: len(field.text) > before,
                )
                cpu += time.process_time() - cpu_start
                one.append(done - posted)
                await rest(pilot)
            cpu_start = time.process_time()
            typed = await typing(clock, app, lambda: len(field.text), typed_keys, 8.0)
            await rest(pilot)  # the pane's redraw and the save after the burst count too
            typed_cpu = time.process_time() - cpu_start
            assert screen.plan.strengths[0].text == field.text, "the plan lost typed text"
        return one, typed, cpu / keys * 1000, typed_cpu / typed_keys * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=50, help="keys one at a time, a case")
    parser.add_argument("--typed", type=int, default=48, help="keys typed at 8 a second, a case")
    parser.add_argument("--only", default="", help="run only cases whose field name has this")
    parser.add_argument("--layout", default="", help="run only this layout (e.g. 80x24)")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min)", flush=True)
    cases = [
        ("1,000 chars of words", ("word " * 200).strip()),
        ("50,000 chars of words", ("word " * 10_000).strip()),
        ("99,000 chars of words", ("word " * 19_800).strip()),
        ("50,000 chars, one word", "w" * 50_000),
        ("99,000 chars, one word", "w" * 99_000),
        # Written without spaces, two cells a character (Chinese, Japanese): one long "word".
        ("99,000 wide chars", "漢字" * 49_500),
    ]
    print(
        f"{'field':24} {'layout':15} {'key median/p95/max ms':>24} {'cpu':>6} "
        f"{'typing 8/s median/p95/max':>28} {'cpu':>6}"
    )
    for layout in LAYOUTS:
        if args.layout and layout != args.layout:
            continue
        for name, text in cases:
            if args.only not in name:
                continue
            one, typed, cpu, typed_cpu = asyncio.run(one_case(text, args.keys, args.typed, layout))
            a, b = figures(one), figures(typed)
            print(
                f"{name:24} {layout:15} {a[0]:8.1f} {a[1]:7.1f} {a[2]:7.1f} {cpu:6.1f} "
                f"{b[0]:10.1f} {b[1]:8.1f} {b[2]:8.1f} {typed_cpu:6.1f}",
                flush=True,
            )
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
