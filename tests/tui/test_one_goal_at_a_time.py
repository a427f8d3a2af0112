"""Steps 6-8 show one goal at a time ("Goal 2 of 12"): every goal still reachable by keys (Ctrl+Down,
Tab past a goal's last field, the palette, the outline, the sign step's "go there"), what was typed
kept, and the objectives step staying with the goal worked on. All at 80x24 with a 12-goal plan.

Every name and goal here is invented."""

from __future__ import annotations

import asyncio
import copy
from datetime import date

from tests.tui_helpers import (
    Keyboard,
    focused_path,
    goto_step,
    on_screen,
    open_first_plan,
    palette_search,
    settled,
    terminal_lines,
    wait_until,
)
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.per_goal import PerGoalStep
from tplan_tui.tui.screens.steps.sign import Checklist
from tplan_tui.tui.widgets.fields import Field

TODAY = date(2026, 12, 2)


def twelve_goals(chris) -> m.Plan:
    plan = copy.deepcopy(chris)
    first = plan.goals[0]
    for n in range(1, 12):
        goal = copy.deepcopy(first)
        goal.text = f"Goal number {n + 1}: walk to the park on {n} days"
        goal.objectives[0].text = f"Step one of goal {n + 1}"
        plan.goals.append(goal)
    return plan


async def open_plan(pilot, app, step: str = "goals") -> PlanScreen:
    screen = await open_first_plan(pilot, app)
    await goto_step(pilot, screen, step)
    return screen


def start(tmp_path, plan):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([plan])
    return make_app(store, today=TODAY), plan_id


def shown_goal(screen) -> int | None:
    form = screen.form
    return form.goal if isinstance(form, PerGoalStep) else None


async def test_the_goals_step_shows_one_goal_and_ctrl_down_reaches_goal_12s_target(tmp_path, chris):
    app, plan_id = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        assert len(screen.form.cards()) == 1  # one goal's card shown, not twelve
        assert "Goal 1 of 12" in on_screen(app)
        assert focused_path(app) == ("goals", 0, "text")
        for n in range(1, 12):
            await kb.press("ctrl+down")
            await wait_until(pilot, lambda n=n: shown_goal(screen) == n, f"goal {n + 1}")
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 11, "text"), "goal 12")
        await settled(pilot)
        assert "Goal 12 of 12" in on_screen(app)
        await kb.press("ctrl+down")  # there is no goal 13: it stays, and says so
        await settled(pilot)
        assert shown_goal(screen) == 11
        # To goal 12's target by Tab, and a digit sets it.
        while focused_path(app) != ("goals", 11, "rating", "target"):
            await kb.press("tab")
            assert kb.keys < 30, f"lost on the way to the target: {focused_path(app)}"
        await kb.press("3")
        assert screen.plan.goals[11].rating.target == 3
        await kb.press("ctrl+up")
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 10, "text"), "goal 11")
        await kb.press("escape")
    assert open_store(tmp_path / "db").load(plan_id).plan.goals[11].rating.target == 3


async def test_tab_past_a_goals_last_field_goes_to_the_next_goal_and_shift_tab_back(
    tmp_path, chris
):
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        while shown_goal(screen) == 0:
            await kb.press("tab")
            assert kb.keys < 30, "Tab never left goal 1"
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 1, "text"), "goal 2")
        assert "Goal 2 of 12" in on_screen(app)
        await kb.press("shift+tab")  # back: goal 1's last place (its "add goal" button)
        await wait_until(pilot, lambda: shown_goal(screen) == 0, "goal 1 again")
        await settled(pilot)
        assert "Add goal" in str(app.focused.label)
        assert screen.form.region.contains_region(app.focused.region)  # in view


async def test_palette_goal_11_and_the_outline_land_on_the_right_goal(tmp_path, chris):
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app, "client")
        await palette_search(pilot, "goal 11")
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 10, "text"), "goal 11")
        await settled(pilot)
        assert screen.form.key == "goals" and "Goal 11 of 12" in on_screen(app)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, Choose), "the go-to dialog")
        await pilot.press("ctrl+g")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, Choose) and app.screen.title_text == "Goal outline",
            "the goal outline",
        )
        keys = [k for k, label in app.screen.choices if label.startswith("  Objective 7.1")]
        app.screen.query_one("OptionList").highlighted = [k for k, _ in app.screen.choices].index(
            keys[0]
        )
        await pilot.press("enter")
        where = ("goals", 6, "objectives", 0, "text")
        await wait_until(pilot, lambda: focused_path(app) == where, "objective 7.1")
        await settled(pilot)
        assert screen.form.key == "objectives" and "Goal 7 of 12" in on_screen(app)
        assert "tep one of goal 7" in on_screen(app)  # (the cursor is on the S)


async def test_the_sign_steps_go_there_opens_goal_12(tmp_path, chris):
    plan = twelve_goals(chris)
    plan.goals[11].rating.target = None
    app, _ = start(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app, "review")
        await settled(pilot)
        words = [i.words for i in screen.query_one(Checklist).items]
        n = words.index("Goal 12: the target rating is missing.") + 1
        await pilot.press(*str(n))
        where = ("goals", 11, "rating", "target")
        await wait_until(pilot, lambda: focused_path(app) == where, "goal 12's target")
        await settled(pilot)
        assert "Goal 12 of 12" in on_screen(app)


async def test_the_objectives_step_stays_with_the_goal_and_drafts_come_back(tmp_path, chris):
    app, plan_id = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        for n in (1, 2):
            await kb.press("ctrl+down")
            await wait_until(pilot, lambda n=n: shown_goal(screen) == n, f"goal {n + 1}")
        date_field = screen.form.query_one("#f-goals-2-target_date Input")
        date_field.focus()
        await pilot.press("ctrl+u")
        await kb.type("2027-02-")  # not a date yet: kept as a draft
        await kb.press("pagedown")
        await wait_until(
            pilot,
            lambda: focused_path(app) == ("goals", 2, "objectives", 0, "text"),
            "goal 3's first objective",
        )
        await settled(pilot)
        assert "tep one of goal 3" in on_screen(app) and "Goal 3 of 12" in on_screen(app)
        await kb.press("ctrl+down")
        await wait_until(pilot, lambda: shown_goal(screen) == 3, "goal 4's objectives")
        await kb.press("pageup")  # the goals step follows: goal 4, then back to goal 3
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 3, "text"), "goal 4")
        await kb.press("ctrl+up")
        await wait_until(pilot, lambda: shown_goal(screen) == 2, "goal 3 again")
        assert screen.form.query_one("#f-goals-2-target_date Input").value == "2027-02-"
        await kb.press("escape")
    stored = open_store(tmp_path / "db").load(plan_id)
    assert stored.meta["drafts"] == {"f-goals-2-target_date": "2027-02-"}


async def test_ctrl_n_adds_a_goal_after_the_one_shown(tmp_path, chris):
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await kb.press("ctrl+down")
        await wait_until(pilot, lambda: shown_goal(screen) == 1, "goal 2")
        await kb.press("ctrl+n")
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 2, "text"), "the new goal")
        await kb.type("Cook one meal a week with Sam")
        await settled(pilot)
        assert "Goal 3 of 13" in on_screen(app)
        assert screen.plan.goals[2].text == "Cook one meal a week with Sam"
        assert screen.plan.goals[3].text.startswith("Goal number 3")


async def test_a_step_dropped_while_its_goal_is_swapped_ends_nothing(tmp_path, chris):
    """The build-ahead swaps a kept step's goal in a worker; the step can be dropped meanwhile
    (an item added elsewhere). The swap must stop quietly: a query for the dropped step's goal
    bar failed the worker, which ended the app (seen under load)."""
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        form = screen.form
        assert isinstance(form, PerGoalStep)
        swap = screen.run_worker(form.show_goal(7), exit_on_error=False)
        later = screen.run_worker(form.prebuild_goal(), exit_on_error=False)
        # Dropped as the screen drops a step (a goal added elsewhere) while the swap mounts
        # goal 8 and the build-ahead waits to mount goal 9.
        await screen._drop_forms(("goals",))
        await wait_until(pilot, lambda: swap.is_finished and later.is_finished, "the swaps")
        assert swap.error is None and later.error is None
        assert not form.is_attached
        assert app.is_running and isinstance(app.screen, PlanScreen)


def mounted_goals(form) -> set[int]:
    return set(form._parts)


async def test_goals_next_to_the_one_shown_wait_mounted_and_far_ones_are_let_go(tmp_path, chris):
    """Ctrl+Down only switches goals: the next one is mounted (hidden) while the app is idle;
    goals more than one away are let go, and steps not on screen keep only their goal."""
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        form = screen.form
        await wait_until(pilot, lambda: mounted_goals(form) == {0, 1}, "goal 2 mounted ahead")
        assert "Goal 1 of 12" in on_screen(app)
        assert "Goal number 2" not in "\n".join(terminal_lines(app))  # mounted, not shown
        for n in range(1, 5):
            await kb.press("ctrl+down")
            await wait_until(pilot, lambda n=n: focused_path(app) == ("goals", n, "text"), "goal")
        assert "Goal 5 of 12" in on_screen(app)
        assert "Goal number 5" in "\n".join(terminal_lines(app))
        await wait_until(pilot, lambda: mounted_goals(form) == {3, 4, 5}, "far goals let go")
        others = [f for f in screen._forms.values() if isinstance(f, PerGoalStep) and f is not form]
        await wait_until(
            pilot, lambda: all(len(mounted_goals(f)) <= 1 for f in others), "one goal elsewhere"
        )


async def test_a_goal_mounted_ahead_shows_the_goal_as_typed_since(tmp_path, chris):
    """The objectives step mounted goal 3 ahead; goal 3's words are changed on the goals step;
    the objectives step then heads goal 3 with the new words, not the ones it was built with."""
    app, _ = start(tmp_path, twelve_goals(chris))
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app, step="objectives")
        await kb.press("ctrl+down")  # goal 2: goal 3 is mounted ahead, hidden
        await wait_until(pilot, lambda: shown_goal(screen) == 1, "goal 2")
        objectives = screen.form
        await wait_until(pilot, lambda: 2 in mounted_goals(objectives), "goal 3 mounted ahead")
        await goto_step(pilot, screen, "goals")
        await kb.press("ctrl+down")
        await wait_until(pilot, lambda: focused_path(app) == ("goals", 2, "text"), "goal 3")
        words = screen.form.query_one("#f-goals-2-in_client_words", Field)
        words.focus_editor()
        await wait_until(
            pilot, lambda: focused_path(app) == ("goals", 2, "in_client_words"), "words"
        )
        await kb.press("ctrl+a")  # the client's words of goal 3, replaced
        await kb.type("Calm mornings.")
        await goto_step(pilot, screen, "objectives")
        assert screen.form is objectives and shown_goal(screen) == 2
        await settled(pilot)
        shown = "\n".join(terminal_lines(app))
        assert "Goal 3: Calm mornings." in shown, shown


async def test_steps_removed_while_they_mount_end_nothing(tmp_path, chris):
    """Textual prunes a removed widget's children first: a step whose mount handler looks up
    its own fields (step 1's level of care, step 9's checklist) found them gone when it was
    built ahead as the app closed, and that stopped the app (seen in CI)."""
    from tplan_tui.tui.screens.steps.basics import ClientStep
    from tplan_tui.tui.screens.steps.sign import ReviewStep

    app, _ = start(tmp_path, chris)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        holder = screen.query_one("#form-holder")
        # Pruned at each point of its mount in turn: after its fields were composed and
        # before its own mount handler ran, among others.
        for turns in range(12):
            for step in (ClientStep, ReviewStep):
                form = step(screen.plan, TODAY)
                form.display = False
                holder.mount(form)
                for _ in range(turns):
                    await asyncio.sleep(0)
                form.remove()
            await pilot.pause()
        await settled(pilot)
        assert app.is_running and isinstance(app.screen, PlanScreen)
