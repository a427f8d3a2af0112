"""The session's keys at 80x24: step changes, adding a goal, the goal library, typing in a long field.

Run: .venv/bin/python benchmarks/bench_keys.py [--reps 5]

The app runs headless (Textual's Pilot) on a plan in a temporary store: the sample plan
(`examples/chris.yaml`, one goal), the same with 3 goals and with 12 goals (its goal copied, the
copies renamed). Each clock runs from posting the key to the first frame composed after the result
is on screen (see ``frames.py``):

- **step N**: PageDown/PageUp until step N's form is mounted and the focus is in its first field;
- **add goal**: Ctrl+N on the goals step until the new goal's card holds the focus (Ctrl+R
  takes it away again, untimed); **add goal, again at once**: a second Ctrl+N right after the
  first, which used the blank goal built ahead;
- **next goal / previous goal** (plans of 2 goals or more): Ctrl+Down / Ctrl+Up on the goals
  step until the other goal's first field has the focus (steps 6-8 show one goal at a time);
- **library open**: Ctrl+L until the picker lists its goals; **library close**: Esc until the plan
  screen is back;
- **key, long field**: one key in a strength of 5,000 characters, until the field shows it and
  the plan holds it; the app rests between keys;
- **typing, long field**: 24 keys at 8 a second into that field, each until a frame shows it
  (what a typist feels when the client pane or a save lands between keys).

Before each timed key the app rests (0.7 s, then until the plan screen has built what it builds
while idle: the steps and goals next to the one shown, a blank goal), as between a clinician's
actions; "add goal, again at once" is the exception, timed in the middle of that work.

Each action also gets its CPU time (``time.process_time()`` over the same span, all of this
process's threads, the benchmark's own checks a small part): on a shared machine wall time is
inflated by the others, CPU time much less.
The load average is printed before and after each plan.

Budget (issue 14): each p95 at most 100 ms on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import cProfile
import os
import pstats
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frames import FrameClock, figures, rest, typing  # noqa: E402
from frames import key as post_key  # noqa: E402

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


Timing = tuple[float, float]  # (wall seconds, CPU seconds)
# The clock checks its condition every half millisecond rather than at every turn of the loop:
# a busy check would count in the CPU time as if the app had spent it.
POLL_S = 0.0005


PROFILES: dict[str, pstats.Stats] = {}  # --profile: where each action's time went


async def measure(plan: Plan, reps: int, profile: bool = False) -> dict[str, list[Timing]]:
    out: dict[str, list[Timing]] = {}
    cpu_at = [0.0]  # process_time() when the last key was posted
    profiler: list[cProfile.Profile] = []

    def key(app: object, name: str, char: str | None = None) -> float:
        if profile:
            if profiler:
                profiler[0].disable()  # a key not timed (Ctrl+R, Y)
            profiler[:] = [cProfile.Profile()]
            profiler[0].enable()
        cpu_at[0] = time.process_time()
        return post_key(app, name, char)

    def add(name: str, seconds: float) -> None:
        out.setdefault(name, []).append((seconds, time.process_time() - cpu_at[0]))
        if profiler:
            profiler[0].disable()
            if name in PROFILES:
                PROFILES[name].add(profiler[0])
            else:
                PROFILES[name] = pstats.Stats(profiler[0])
            profiler.clear()

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        [plan_id] = store.import_plans([plan])
        store.update_meta(plan_id, step="client")
        app = make_app(store, today=date(2026, 12, 2))
        async with app.run_test(size=(80, 24)) as pilot:
            clock = FrameClock(app, poll=POLL_S)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await app.open_plan(plan_id)
            await rest(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen)

            async def idle() -> None:
                """Rest, then wait for what the plan screen builds while idle (the steps and
                goals next to the one shown, a blank goal): a key is timed from an app at
                rest, as between a clinician's actions, not in the middle of that work."""
                await rest(pilot)
                for _ in range(100):  # 5 s at most
                    building = screen._prebuild_timer is not None or any(
                        w.is_running for w in screen.workers if w.group == "prebuild"
                    )
                    if not building:
                        break
                    await asyncio.sleep(0.05)
                await pilot.pause()

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
                await idle()

            for _ in range(reps):
                for target in range(1, len(STEPS)):
                    await to_step(target, "pagedown")
                for target in range(len(STEPS) - 2, -1, -1):
                    await to_step(target, "pageup")

            # Adding a goal, and the library, on the goals step.
            screen.go_to("goals")
            await idle()

            def new_goal_shown(goals: int, was: int) -> bool:
                return (
                    len(screen.plan.goals) == goals + 1
                    and app.focused is not None
                    and "card" in {c for a in app.focused.ancestors for c in a.classes}
                    and screen.current_goal() == was + 1
                    # in the goals step on screen, not in a step or goal kept hidden
                    and screen.form is not None
                    and screen.form.key == "goals"
                    and screen.form in app.focused.ancestors
                    and screen.form.part in app.focused.ancestors
                    and bool(screen.form.display and screen.form.part.display)
                )

            async def remove_blank_goal() -> None:
                """Ctrl+R and Y on the blank goal shown (untimed)."""
                goals = len(screen.plan.goals)
                shown = screen.current_goal()
                assert shown is not None and not screen.plan.goals[shown].text, "not a blank goal"
                key(app, "ctrl+r")  # asks, even for a blank goal
                await clock.until(lambda: app.screen is not screen, "the remove question")
                key(app, "y")
                await clock.until(lambda: len(screen.plan.goals) == goals - 1, "the goal removed")
                await idle()

            for _ in range(reps):
                goals = len(screen.plan.goals)
                was = screen.current_goal() or 0  # the new goal comes after the one shown
                posted = key(app, "ctrl+n")
                done = await clock.until(
                    lambda g=goals, w=was: new_goal_shown(g, w), "the new goal"
                )
                add("add goal", done - posted)
                await idle()
                await remove_blank_goal()
                assert len(screen.plan.goals) == goals, "the added goal was not removed"
            # Ctrl+N twice in a row: the second finds no blank goal built ahead (the first
            # used it) and mounts one.
            for _ in range(reps):
                goals = len(screen.plan.goals)
                was = screen.current_goal() or 0
                key(app, "ctrl+n")
                await clock.until(lambda g=goals, w=was: new_goal_shown(g, w), "the first new goal")
                posted = key(app, "ctrl+n")
                done = await clock.until(
                    lambda g=goals, w=was: new_goal_shown(g + 1, w + 1), "the second new goal"
                )
                add("add goal, again at once", done - posted)
                await idle()
                await remove_blank_goal()
                if screen.plan.goals[screen.current_goal() or 0].text:
                    key(app, "ctrl+up")  # the goal after the two: back to the first blank
                    await clock.until(
                        lambda w=was: screen.current_goal() == w + 1, "the blank goal"
                    )
                    await idle()
                await remove_blank_goal()
                assert len(screen.plan.goals) == goals, "the added goals were not removed"
            if len(screen.plan.goals) > 1 and hasattr(screen, "action_next_goal"):
                from tplan_tui.tui.screens.steps.per_goal import PerGoalStep

                def on_goal(n: int) -> bool:
                    form = screen.form
                    return (
                        isinstance(form, PerGoalStep)
                        and form.goal == n
                        and app.focused is not None
                        and form.part in app.focused.ancestors
                    )

                while not on_goal(0):  # back to goal 1 first (untimed)
                    here = screen.form.goal
                    key(app, "ctrl+up")
                    await clock.until(lambda here=here: screen.form.goal != here, "goal back")
                    await idle()
                for _ in range(reps):
                    for name, there in (("ctrl+down", 1), ("ctrl+up", 0)):
                        posted = key(app, name)
                        done = await clock.until(lambda n=there: on_goal(n), f"goal {there + 1}")
                        add("next goal" if there else "previous goal", done - posted)
                        await idle()
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
                await idle()
                posted = key(app, "escape")
                done = await clock.until(
                    lambda: app.screen is screen and inside(app.focused, PlanScreen),
                    "the plan screen",
                )
                add("library close", done - posted)
                await idle()

            # One key in a long field (strength 1 on step 4), the app idle before each.
            screen.go_to("strengths")
            await idle()
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
                await idle()
            for _ in range(max(1, reps // 2)):
                start = time.process_time()
                times = await typing(clock, app, lambda: len(field.text), 24, 8.0)
                per_key = (time.process_time() - start) / len(times)  # CPU: the run's, per key
                for t in times:
                    out.setdefault("typing 8/s, long field", []).append((t, per_key))
                await idle()
            await pilot.press("escape")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--goals", default="1,3,12", help="the plans, by number of goals")
    parser.add_argument(
        "--profile", action="store_true", help="print where each action's time went (cProfile)"
    )
    args = parser.parse_args()
    for goals in [int(n) for n in args.goals.split(",")]:
        label = "sample plan (1 goal)" if goals == 1 else f"{goals} goals"
        load = os.getloadavg()[0]
        PROFILES.clear()
        results = asyncio.run(measure(sample(goals), args.reps, args.profile))
        print(f"\n{label}, 80x24, {args.reps} reps, load {load:.2f} -> {os.getloadavg()[0]:.2f}")
        print(
            f"{'action':28} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
            f" {'cpu med':>8} {'cpu p95':>8}"
        )
        for name, timings in results.items():
            med, p95, worst = figures([wall for wall, _ in timings])
            cpu_med, cpu_p95, _ = figures([cpu for _, cpu in timings])
            print(
                f"{name:28} {len(timings):4} {med:10.1f} {p95:8.1f} {worst:8.1f}"
                f" {cpu_med:8.1f} {cpu_p95:8.1f}"
            )
        for name, stats in PROFILES.items():  # timed under cProfile: slower, for the shares
            print(f"\n--- {label}: {name} (cumulative, top 30)")
            stats.sort_stats("cumulative").print_stats(30)
            if os.environ.get("BENCH_PROFILE_DIR"):  # for pstats' callers/callees
                stats.dump_stats(f"{os.environ['BENCH_PROFILE_DIR']}/{goals}-{name}.pstats")


if __name__ == "__main__":
    main()
