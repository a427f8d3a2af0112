"""The goal library and the client summary inside the session, by keys."""

from __future__ import annotations

import os
import stat
from datetime import date

from textual.widgets import SelectionList, Static

from tests.tui_helpers import Keyboard, Notes, settled, wait_until
from tplan_tui.core.model import Goal, Plan
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.library_picker import LibraryPicker
from tplan_tui.tui.screens.modals import AskPath, Choose
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.summary_view import SummaryScreen

TODAY = date(2026, 11, 27)


async def new_plan_at_goals(pilot, kb: Keyboard, name: str) -> PlanScreen:
    await kb.press("ctrl+n")
    await kb.type(name)
    await kb.press("ctrl+g", "6")
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


async def test_a_whole_library_goal_in_a_few_keys(tmp_path):
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await new_plan_at_goals(pilot, kb, "Sam")
        before = kb.keys
        await kb.press("ctrl+l")
        assert isinstance(app.screen, LibraryPicker)
        await kb.type("sleep diary")
        await kb.press("enter")
        assert kb.keys - before == 2  # Ctrl+L and Enter, beyond the search words
        assert app.screen is screen
        [goal] = screen.plan.goals
        assert goal.text.startswith("Sam will")
        assert "{name}" not in goal.text and all("{name}" not in o.text for o in goal.objectives)
        assert len(goal.objectives) >= 4 and len(goal.interventions) >= 3
        assert (
            goal.rating.label and goal.rating.target is None
        )  # the numbers are the client's to set
        # Everything inserted is editable: it is on the goals step, focused on the new goal.
        assert app.focused is not None and "goals-0" in str(
            app.focused.parent.parent.id or app.focused.parent.id
        )
        await kb.press("escape")
    stored = open_store(tmp_path / "db").list_plans()[0][0]
    plan = open_store(tmp_path / "db").load(stored.plan_id).plan
    assert plan.goals[0].text == goal.text


async def test_single_steps_from_the_library_go_into_the_goal_chosen_in_the_picker(tmp_path):
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Ana"
    plan.goals.append(Goal(text="Ana will sleep 7 hours on 5 nights a week."))
    stored = store.create(plan)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "ctrl+g", "6")
        screen = app.screen
        await kb.press("ctrl+l")
        await kb.type("sleep diary")
        await kb.press("ctrl+t")  # ticked steps go to goal 1, named in the picker
        await kb.press("tab", "tab", "space", "down", "space")
        where = str(app.screen.query_one("#library-where", Static).render())
        assert where.startswith("Adds 2 steps to goal 1 (Ana will sleep 7 hours")
        await kb.press("enter")
        assert app.screen is screen
        goal = screen.plan.goals[0]
        assert len(screen.plan.goals) == 1
        assert len(goal.objectives) == 2
        assert all(o.text.startswith("Ana ") or "Ana" in o.text for o in goal.objectives)
    assert stored.plan_id


async def test_ticked_steps_never_land_in_the_goal_that_had_focus(tmp_path):
    """Issue 14: three "reconnect" steps landed in "Sleep better", the goal in focus."""
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Ana"
    plan.goals.append(Goal(text="Sleep better"))
    plan.goals.append(Goal(text="Walk every day"))
    store.create(plan)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "ctrl+g", "6")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        await wait_until(pilot, lambda: screen.current_goal() == 0, "focus in goal 1")
        await kb.press("ctrl+l")
        picker = app.screen
        assert isinstance(picker, LibraryPicker)
        await kb.type("lonely")
        await kb.press("tab", "tab", "space", "down", "space", "down", "space")
        items = picker.query_one("#library-items", SelectionList)
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        # Ticked and unticked differ by a mark a user can read, not colour alone.
        assert [p[:3] for p in prompts[:4]] == ["[x]", "[x]", "[x]", "[ ]"]
        where = str(picker.query_one("#library-where", Static).render())
        assert where.startswith("Adds goal 3 with 3 steps")
        await kb.press("ctrl+t", "ctrl+t")  # the goal in focus first, then the next one
        where = str(picker.query_one("#library-where", Static).render())
        assert where.startswith("Adds 3 steps to goal 2 (Walk every day)")
        await kb.press("ctrl+t")  # every goal offered: back to a new goal
        where = str(picker.query_one("#library-where", Static).render())
        assert where.startswith("Adds goal 3 with 3 steps")
        await kb.press("enter")
        assert app.screen is screen
        assert [g.text for g in screen.plan.goals[:2]] == ["Sleep better", "Walk every day"]
        assert screen.plan.goals[0].objectives == [] and screen.plan.goals[1].objectives == []
        assert len(screen.plan.goals) == 3 and len(screen.plan.goals[2].objectives) == 3
        assert screen.plan.goals[2].interventions == []


async def test_client_summary_full_screen_and_saved_to_a_file(tmp_path, chris):
    chris.clinician_notes = "CANARY-NOTE-55"
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    app = make_app(store, today=TODAY)
    target = tmp_path / "out" / "chris-summary.html"
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("ctrl+t")  # from the caseload, on the highlighted plan
        assert isinstance(app.screen, SummaryScreen)
        text = str(app.screen.query_one("#summary-text").render())
        assert "Chris" in text and "CANARY-NOTE-55" not in text and "Z62.820" not in text
        await kb.press("end", "home", "pagedown")
        await kb.press("ctrl+s")
        assert isinstance(app.screen, AskPath)
        await kb.press("ctrl+u")
        await kb.type(str(target))
        await kb.press("enter")
        assert isinstance(app.screen, SummaryScreen)
        await kb.press("escape")
        await kb.press("enter", "ctrl+t")  # and from inside the plan
        assert isinstance(app.screen, SummaryScreen)
    assert target.exists()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    page = target.read_text()
    assert "<html" in page.lower() and "Chris" in page and "CANARY-NOTE-55" not in page
    assert stored.plan_id


async def test_save_a_goal_to_my_library_then_find_it(tmp_path, chris):
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "ctrl+g", "6")
        screen = app.screen
        await screen.action_save_goal_to_library()
        await pilot.pause()
        assert isinstance(app.screen, Choose)
        parenting = [key for key, _ in app.screen.choices].index("Parenting")
        option_list = app.screen.query_one("#choices")
        option_list.highlighted = parenting
        await kb.press("enter")
        await pilot.pause()
        await kb.press("ctrl+l")
        await kb.type("rewards and consequences consistently")
        found = [g for _a, g in app.screen.found]
        assert any(g.source == "user" for g in found)
    assert stored.plan_id


async def test_three_goal_plan_for_depression_and_poor_sleep_from_the_library(tmp_path):
    """The issue's "done when": three goals from the library in a few keys, then edited to fit."""
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await new_plan_at_goals(pilot, kb, "Morgan")
        start = kb.keys
        for words in ("enjoy my days", "get up and get going", "fall asleep fast"):
            await kb.press("ctrl+l")
            await kb.type(words)
            await kb.press("enter")
        library_keys = kb.keys - start
        assert library_keys == 6  # Ctrl+L and Enter per goal, beyond the search words
        goals = screen.plan.goals
        assert [g.in_client_words for g in goals] == [
            "I want to enjoy my days again.",
            "I want to get up and get going in the morning.",
            "I want to fall asleep fast.",
        ]
        # Edit to fit: the focus is on the goal just added; set its baseline and target by keys.
        baseline = screen.query_one("#f-goals-2-rating-baseline RatingScale")
        baseline.focus()
        await pilot.pause()
        await kb.press("2", "tab", "7")
        assert goals[2].rating.baseline == 2 and goals[2].rating.target == 7
        await kb.press("escape")
    plan = open_store(tmp_path / "db").load(screen.plan_id).plan
    assert len(plan.goals) == 3 and all(g.text.startswith("Morgan") for g in plan.goals)
    assert sum(len(g.objectives) for g in plan.goals) >= 12
    print(f"\nthree library goals took {library_keys} keys beyond the search words")


async def test_import_a_plan_file_from_the_caseload_with_errors_shown_until_fixed(
    tmp_path, chris_path
):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tplan: 1\nclient: {name: Ezra}\ngoals: [{text: x, rating: {target: 11}}]\n")
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("ctrl+o")
        assert isinstance(app.screen, AskPath)
        await kb.type(str(bad))
        await kb.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskPath)  # still asking, with the errors named
        error = str(app.screen.query_one("#answer-error").render())
        assert "goals[0].rating.target" in error and "0 to 10" in error
        assert store.list_plans()[0] == []  # nothing written
        await kb.press("ctrl+u")
        await kb.type(str(chris_path))
        await kb.press("enter")
        await settled(pilot)
        assert not isinstance(app.screen, AskPath)
        rows = store.list_plans()[0]
        assert [r.client for r in rows] == ["Chris"]
        assert "Chris" in app.export_screenshot()


async def test_every_caseload_key_answers_even_with_no_plans(tmp_path):
    """No key that does nothing: on an empty caseload each key says what it needs or what it did."""
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        for key in ("enter", "ctrl+k", "ctrl+r", "ctrl+g", "ctrl+e", "ctrl+t"):
            before = len(notes)
            await pilot.press(key)
            assert len(notes) > before, key
        title = app.screen.query_one("#caseload-title")
        await pilot.press("ctrl+f")
        assert "due soon or overdue" in str(title.render())
        await pilot.press("ctrl+l")
        assert "completed plans shown" in str(title.render())


async def test_reading_a_summary_is_in_the_audit_log(tmp_path, chris):
    from tplan_tui.store import audit

    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+q")
    assert [(e.action, e.plan_id) for e in audit.read(store)] == [("open", plan_id)]


async def test_the_picker_finds_by_everyday_words_and_shows_cautions(tmp_path):
    from textual.widgets import OptionList, SelectionList, Static

    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        kb = Keyboard(pilot)
        screen = await new_plan_at_goals(pilot, kb, "Noor")
        await kb.press("ctrl+l")
        picker = app.screen
        assert isinstance(picker, LibraryPicker)
        await kb.type("cant sleep")
        goals = picker.query_one("#library-goals", OptionList)
        shown = [str(goals.get_option_at_index(i).prompt) for i in range(goals.option_count)]
        assert shown[:3] == [
            "Sleep: I want to fall asleep fast.",
            "Sleep: I want my sleep to be on a regular schedule.",
            "Sleep: I want my mind to slow down at night.",
        ]
        await kb.press("down", "down")  # into the list, then the sleep-schedule goal
        items = picker.query_one("#library-items", SelectionList)
        labels = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        window = next(label for label in labels if "sleep window" in label)
        assert "Caution: Not with bipolar disorder" in window
        picker.query_one("#library-search").focus()
        await kb.press("end", "ctrl+u")  # empty the search box
        await kb.type("astrologie")
        about = str(picker.query_one("#library-about", Static).render())
        assert "No goal matches" in about
        # Teen homework: ticking a step brings the client's own words along with it.
        await kb.press("end", "ctrl+u")
        await kb.type("homework folder")
        await kb.press("tab", "tab", "space", "enter")
        assert app.screen is screen
        [goal] = screen.plan.goals
        assert [o.in_client_words for o in goal.objectives] == [
            "I will write down my homework in every class."
        ]


async def test_importing_a_client_already_in_the_store_asks_first(tmp_path, chris, chris_path):
    from tplan_tui.tui.screens.modals import Confirm

    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        for answer, count in (("n", 1), ("y", 2)):
            await kb.press("ctrl+o")
            await kb.type(str(chris_path))
            await kb.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            asked = str(app.screen.query_one(Static).render())
            assert f"Chris (no date of birth) is already in the store as plan {plan_id}" in asked
            await kb.press(answer)
            await settled(pilot)
            assert len(store.list_plans()[0]) == count, answer
