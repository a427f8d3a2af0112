"""Go anywhere in a plan: the palette finds "goal 3", "objective 2.1", "baseline"; the goal
outline (Ctrl+G, Ctrl+G) jumps to any goal, objective or intervention; Ctrl+End and Ctrl+A in
a multi-line field."""

from __future__ import annotations

import copy
from datetime import date

from tests.tui_helpers import focused_path, open_first_plan, palette_search, wait_until
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.base import field_id

TODAY = date(2016, 10, 3)


def three_goals(chris):
    plan = copy.deepcopy(chris)
    plan.goals.append(m.Goal(text="Sleep seven hours on most nights, by a sleep diary"))
    plan.goals.append(
        m.Goal(
            text="See a friend once a week",
            objectives=[m.Objective(text="Text one friend each Sunday")],
            interventions=[
                m.Intervention(text="Practise starting conversations in session"),
                m.Intervention(text="Plan one outing a week together"),
            ],
        )
    )
    return plan


async def open_plan(pilot, app) -> PlanScreen:
    return await open_first_plan(pilot, app)


async def start(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([three_goals(chris)])
    return make_app(store, today=TODAY)


async def test_palette_goal_3_focuses_goal_3s_words(tmp_path, chris):
    app = await start(tmp_path, chris)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        assert screen.step_index == 0
        await palette_search(pilot, "goal 3")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: focused_path(app) == ("goals", 2, "text"), "goal 3's words focused"
        )
        assert screen.form.key == "goals"
        field = screen.form.query_one(f"#{field_id(('goals', 2, 'text'))}")
        await wait_until(
            pilot,
            lambda: field.region.height and screen.form.region.contains_region(field.region),
            "goal 3's words scrolled into view",
        )


async def test_palette_finds_objectives_interventions_and_baselines(tmp_path, chris):
    app = await start(tmp_path, chris)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, app)
        for words, path in (
            ("objective 3.1", ("goals", 2, "objectives", 0, "text")),
            ("intervention 3.2", ("goals", 2, "interventions", 1, "text")),
            ("goal 2 baseline", ("goals", 1, "rating", "baseline")),
        ):
            await palette_search(pilot, words)
            await pilot.press("enter")
            await wait_until(pilot, lambda p=path: focused_path(app) == p, f"{words} focused")


async def test_no_place_for_a_goal_that_does_not_exist(tmp_path, chris):
    from tplan_tui.tui.commands import TplanCommands

    app = await start(tmp_path, chris)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, app)
        names = [name for name, _help, _run in TplanCommands(app.screen)._places()]
        assert "Goal 3" in names and "Objective 3.1" in names
        assert "Goal 4" not in names and "Objective 2.1" not in names


async def test_outline_ctrl_g_twice_jumps_to_an_intervention(tmp_path, chris):
    app = await start(tmp_path, chris)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, app)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, Choose), "the go-to dialog")
        await pilot.press("ctrl+g")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, Choose) and app.screen.title_text == "Goal outline",
            "the goal outline",
        )
        labels = [label for _key, label in app.screen.choices]
        assert labels[-3:] == [
            "  Objective 3.1: Text one friend each Sunday",
            "  Intervention 3.1: Practise starting conversations in session",
            "  Intervention 3.2: Plan one outing a week together",
        ]
        assert "Goal 2: Sleep seven hours on most nights, by a slee…" in labels  # one line
        await pilot.press("end", "enter")  # the last: intervention 3.2
        await wait_until(
            pilot,
            lambda: focused_path(app) == ("goals", 2, "interventions", 1, "text"),
            "intervention 3.2 focused",
        )


async def test_ctrl_end_goes_to_the_end_of_a_long_text_and_ctrl_a_selects_all(tmp_path, chris):
    from textual.widgets import TextArea

    plan = three_goals(chris)
    words = " ".join(["Wake at the same time each day and keep a short sleep diary."] * 4)
    plan.goals[1].text = words
    store = open_store(tmp_path / "db")
    store.import_plans([plan])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, app)
        await palette_search(pilot, "goal 2")
        await pilot.press("enter")
        area = await wait_until(
            pilot,
            lambda: isinstance(app.focused, TextArea) and app.focused,
            "goal 2's words focused",
        )
        area.move_cursor((0, 0))
        await pilot.press("ctrl+end")
        assert area.cursor_location == area.document.end
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+a")
        assert area.selected_text == words
