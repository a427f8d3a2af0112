"""A keystroke in a very long field: how long until the field shows it and the plan holds it,
with a field of 1,000 / 50,000 / 99,000 characters (a text holds at most 100,000), words and one
word, with the client pane shown and hidden (Ctrl+O).

Run: .venv/bin/python benchmarks/bench_long_field.py [--keys 20]

The app runs headless at 120x30 (Textual's Pilot; wide enough for the form and the client pane
side by side), on a plan in a temporary store. Two figures a case:

- **key**: the app idle before each key; the clock runs from posting the key to the first frame
  composed once the field shows it and the plan screen's model holds it;
- **typing**: keys at 8 a second, as a typist types without waiting for the screen; each key
  from being posted to the first frame that shows it (the client pane or a save landing between
  keys counts here).

Budget (issue 18): under 100 ms a key (p95).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
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


async def one_case(text: str, keys: int, layout: str) -> tuple[list[float], list[float]]:
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
            for _ in range(keys):
                before = len(field.text)
                posted = key(app, "x", "x")
                done = await clock.until(
                    lambda before=before: (
                        len(field.text) > before and len(screen.plan.strengths[0].text) > before
                    ),
                    "the key",
                    shown=lambda before=before: len(field.text) > before,
                )
                one.append(done - posted)
                await rest(pilot)
            typed = await typing(clock, app, lambda: len(field.text), 24, 8.0)
            await rest(pilot)
            assert screen.plan.strengths[0].text == field.text, "the plan lost typed text"
        return one, typed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=10)
    args = parser.parse_args()
    cases = [
        ("1,000 chars of words", ("word " * 200).strip()),
        ("50,000 chars of words", ("word " * 10_000).strip()),
        ("99,000 chars of words", ("word " * 19_800).strip()),
        ("50,000 chars, one word", "w" * 50_000),
        ("99,000 chars, one word", "w" * 99_000),
    ]
    print(
        f"{'field':24} {'layout':15} {'key median/p95/max ms':>24} {'typing 8/s median/p95/max':>28}"
    )
    for layout in LAYOUTS:
        for name, text in cases:
            one, typed = asyncio.run(one_case(text, args.keys, layout))
            a, b = figures(one), figures(typed)
            print(
                f"{name:24} {layout:15} {a[0]:8.1f} {a[1]:7.1f} {a[2]:7.1f} "
                f"{b[0]:10.1f} {b[1]:8.1f} {b[2]:8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
