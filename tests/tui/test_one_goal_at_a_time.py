"""Steps 6-8 show one goal at a time ("Goal 2 of 12"): every goal still reachable by keys (Ctrl+Down,
Tab past a goal's last field, the palette, the outline, the sign step's "go there"), what was typed
kept, and the objectives step staying with the goal worked on. All at 80x24 with a 12-goal plan.

Every name and goal here is invented."""

from __future__ import annotations

import copy
from datetime import date

from tests.tui_helpers import Keyboard, goto_step, on_screen, palette_search, settled, wait_until
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.base import ItemCard
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


def focused_path(app):
    node = app.focused
    while node is not None and not isinstance(node, Field):
        node = node.parent
    return None if node is None else node.path


async def open_plan(pilot, app, step: str = "goals") -> PlanScreen:
    await settled(pilot)
    await pilot.press("enter")
    screen = await wait_until(
        pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen, "the plan to open"
    )
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
        assert len(screen.form.query(ItemCard)) == 1  # one goal's card, not twelve
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
