"""The session's keys at 80x24: step changes, adding a goal, the goal library, typing in a long field.

Run: .venv/bin/python benchmarks/bench_keys.py [--reps 5]

The app runs headless (Textual's Pilot) on a plan in a temporary store: the sample plan
(`examples/chris.yaml`, one goal), the same with 3 goals and with 12 goals (its goal copied, the
copies renamed). Each clock runs from posting the key to the first frame composed after the result
is on screen (see ``frames.py``):

- **step N**: PageDown/PageUp until step N's form is mounted and the focus is in its first field;
- **add goal**: Ctrl+N on the goals step until the new goal's card holds the focus (Ctrl+R
  takes it away again, untimed);
- **library open**: Ctrl+L until the picker lists its goals; **library close**: Esc until the plan
  screen is back;
- **key, long field**: one key in a strength of 5,000 characters, until the field shows it and
  the plan holds it; the app rests between keys;
- **typing, long field**: 24 keys at 8 a second into that field, each until a frame shows it
  (what a typist feels when the client pane or a save lands between keys).

Budget (issue 14): each p95 at most 100 ms on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frames import FrameClock, figures, key, rest, typing  # noqa: E402

from tplan_tui import planfile  # noqa: E402
from tplan_tui.core.model import Plan  # noqa: E402
from tplan_tui.store import open_store  # noqa: E402
from tplan_tui.tui.app import make_app  # noqa: E402
from tplan_tui.tui.screens.plan import PlanScreen  # noqa: E402
from tplan_tui.tui.screens.steps import STEP_KEYS, STEPS  # noqa: E402

CHRIS = ROOT / "examples" / "chris.yaml"
LONG = ("a long note " * 420)[:5000].strip()


def sample(goals: int) -> Plan:
    plan = planfile.load_plan_file(CHRIS)
    first = plan.goals[0]
    for n in range(len(plan.goals), goals):
        goal = copy.deepcopy(first)
        goal.text = f"Goal {n + 1}: {first.text}"
        plan.goals.append(goal)
    plan.strengths[0].text = LONG
    return plan


def inside(widget: object, kind: type) -> bool:
    node = widget
    while node is not None:
        if isinstance(node, kind):
            return True
        node = getattr(node, "parent", None)
    return False


async def measure(plan: Plan, reps: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        out.setdefault(name, []).append(seconds)

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        [plan_id] = store.import_plans([plan])
        store.update_meta(plan_id, step="client")
        app = make_app(store, today=date(2026, 12, 2))
        async with app.run_test(size=(80, 24)) as pilot:
            clock = FrameClock(app)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await app.open_plan(plan_id)
            await rest(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen)

            async def to_step(target: int, name: str) -> None:
                before = app.focused
                posted = key(app, name)
                done = await clock.until(
                    lambda: (
                        screen.step_index == target
                        and app.focused is not before
                        and inside(app.focused, STEPS[target])
                    ),
                    f"step {target + 1}",
                )
                add(f"step {target + 1} ({STEP_KEYS[target]})", done - posted)
                await rest(pilot)

            for _ in range(reps):
                for target in range(1, len(STEPS)):
                    await to_step(target, "pagedown")
                for target in range(len(STEPS) - 2, -1, -1):
                    await to_step(target, "pageup")

            # Adding a goal, and the library, on the goals step.
            screen.go_to("goals")
            await rest(pilot)
            for _ in range(reps):
                goals = len(screen.plan.goals)
                posted = key(app, "ctrl+n")
                done = await clock.until(
                    lambda goals=goals: (
                        len(screen.plan.goals) == goals + 1
                        and app.focused is not None
                        and "card" in {c for a in app.focused.ancestors for c in a.classes}
                        and screen.current_goal() not in (None, 0)
                    ),
                    "the new goal",
                )
                add("add goal", done - posted)
                await rest(pilot)
                key(app, "ctrl+r")  # blank: removed without asking
                await rest(pilot)
                assert len(screen.plan.goals) == goals, "the added goal was not removed"
            from tplan_tui.tui.screens.library_picker import LibraryPicker

            for _ in range(reps):
                posted = key(app, "ctrl+l")
                done = await clock.until(
                    lambda: (
                        isinstance(app.screen, LibraryPicker)
                        and app.screen.is_mounted
                        and app.screen.query_one("#library-goals").option_count > 0
                        and app.focused is not None
                        and app.focused.id == "library-search"
                    ),
                    "the library",
                )
                add("library open", done - posted)
                await rest(pilot)
                posted = key(app, "escape")
                done = await clock.until(
                    lambda: app.screen is screen and inside(app.focused, PlanScreen),
                    "the plan screen",
                )
                add("library close", done - posted)
                await rest(pilot)

            # One key in a long field (strength 1 on step 4), the app idle before each.
            screen.go_to("strengths")
            await rest(pilot)
            field = app.focused
            assert field is not None and len(field.text) == len(LONG), "not in the long field"
            for _ in range(reps * 2):
                before = len(field.text)
                posted = key(app, "x", "x")
                done = await clock.until(
                    lambda before=before: (
                        len(field.text) > before and len(screen.plan.strengths[0].text) > before
                    ),
                    "the key",
                    shown=lambda before=before: len(field.text) > before,
                )
                add("key, long field", done - posted)
                await rest(pilot)
            for _ in range(max(1, reps // 2)):
                for t in await typing(clock, app, lambda: len(field.text), 24, 8.0):
                    add("typing 8/s, long field", t)
                await rest(pilot)
            await pilot.press("escape")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--goals", default="1,3,12", help="the plans, by number of goals")
    args = parser.parse_args()
    for goals in [int(n) for n in args.goals.split(",")]:
        label = "sample plan (1 goal)" if goals == 1 else f"{goals} goals"
        results = asyncio.run(measure(sample(goals), args.reps))
        print(f"\n{label}, 80x24, {args.reps} reps")
        print(f"{'action':28} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        for name, times in results.items():
            med, p95, worst = figures(times)
            print(f"{name:28} {len(times):4} {med:10.1f} {p95:8.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
