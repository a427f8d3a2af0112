"""Check-ins and trends: the core (a progress entry per goal rated, objectives achieved, the text
chart) and the check-in screen by keys at 80x24, counted, saved, surviving a restart."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from textual import events
from textual.keys import _character_to_key

from tests.tui_helpers import Keyboard, settled, wait_until
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.core.progress import (
    CheckinProblem,
    GoalCheckin,
    record_checkin,
    trend_in_words,
    trend_lines,
)
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.checkin import CheckinScreen
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.progress_view import ProgressScreen, progress_text

TODAY = date(2016, 8, 30)


def three_goals(plan: m.Plan) -> m.Plan:
    """The sample plan with two more goals (invented), each with its own scale and objectives."""
    plan = copy.deepcopy(plan)
    sleep = copy.deepcopy(plan.goals[0])
    sleep.text = "Chris will sleep at least 7 hours on 5 nights a week, as logged in a sleep diary."
    sleep.in_client_words = "I want to sleep better."
    sleep.rating = m.Rating(label="My sleep", low="awful", high="great", baseline=2, target=7)
    sleep.objectives = [
        m.Objective("Chris will keep a sleep diary every night for 2 weeks."),
        m.Objective("Chris will stop screens 30 minutes before bed on 5 nights."),
    ]
    sleep.progress = []
    calm = copy.deepcopy(sleep)
    calm.text = "Chris will keep mornings calm on 4 school days a week, as rated by Chris."
    calm.in_client_words = "Calmer mornings."
    calm.rating = m.Rating(
        label="How calm mornings are", low="chaos", high="calm", baseline=4, target=8
    )
    calm.objectives = [
        m.Objective("Chris will lay out clothes the night before on 4 nights a week.")
    ]
    plan.goals += [sleep, calm]
    return plan


# --------------------------------------------------------------------------- the core


def test_a_checkin_adds_one_entry_per_goal_rated_and_marks_objectives(chris):
    plan = three_goals(chris)
    result = record_checkin(
        plan,
        TODAY,
        {0: GoalCheckin(6, 5, [4]), 1: GoalCheckin(clinician_rating=3), 2: GoalCheckin()},
        note="  Rules kept; sleep still poor.  ",
    )
    entry = plan.goals[0].progress[-1]
    assert (entry.date, entry.client_rating, entry.clinician_rating) == (TODAY, 6, 5)
    assert entry.objectives_achieved == [4] and entry.note == "Rules kept; sleep still poor."
    assert plan.goals[0].objectives[3].status == "achieved"
    # The note once, on the first goal rated: not copied into every goal.
    assert plan.goals[1].progress == [m.ProgressEntry(TODAY, None, 3, [], None)]
    assert plan.goals[2].progress == []  # not rated: no entry
    assert result.rated_goals == [1, 2] and result.achieved == ["1.4"]
    assert result.in_words(TODAY) == (
        "Check-in of 2016-08-30 saved: ratings for goals 1, 2; objective 1.4 achieved."
    )
    # What a check-in writes is a valid plan file, and reads back the same.
    again = planfile.load_plan_text(planfile.dump_plan(plan))
    assert again.goals[0].progress == plan.goals[0].progress


def test_a_back_dated_checkin_takes_its_place_in_time(chris):
    record_checkin(chris, date(2016, 7, 15), {0: GoalCheckin(4, 4)})
    assert [e.date for e in chris.goals[0].progress] == [date(2016, 7, 15), date(2016, 7, 31)]


@pytest.mark.parametrize(
    "answers, note, reason",
    [
        ({0: GoalCheckin()}, "a note", "rate at least one goal: the note is kept with the ratings"),
        ({0: GoalCheckin()}, None, "rate at least one goal"),
        ({0: GoalCheckin(objectives_achieved=[4])}, None, "goal 1: rate it too"),
        ({0: GoalCheckin(5, objectives_achieved=[9])}, None, "goal 1 has no objective 9"),
        ({3: GoalCheckin(5)}, None, "there is no goal 4"),
        ({0: GoalCheckin(11)}, None, "a rating is from 0 to 10, got 11"),
    ],
)
def test_a_checkin_that_cannot_be_kept_changes_nothing(chris, answers, note, reason):
    before = copy.deepcopy(chris)
    with pytest.raises(CheckinProblem, match=reason):
        record_checkin(chris, TODAY, answers, note)
    assert chris == before


def test_the_trend_chart_marks_client_clinician_baseline_and_target_without_colour(chris):
    goal = chris.goals[0]
    record_checkin(chris, date(2016, 8, 30), {0: GoalCheckin(7, 6)})
    lines = trend_lines(goal)
    assert lines[0] == "            0 1 2 3 4 5 6 7 8 9 10"
    assert lines[1] == "            · · · B · · T · · · ·   baseline 3, target 6"
    assert lines[2] == "2016-07-31  · · · │ · ◉ ┆ · · · ·   client 5, clinician 5"
    assert lines[3] == "2016-08-30  · · · │ · · ○ ● · · ·   client 7, clinician 6"
    assert lines[-1].startswith("● client  ○ clinician  ◉ both  │ baseline  ┆ target")
    # A check-in being made is drawn too, and said to be this one.
    pending = trend_lines(goal, pending=GoalCheckin(client_rating=9), day=date(2016, 9, 29))
    assert pending[-2] == "2016-09-29  · · · │ · · ┆ · · ● ·   client 9 (this check-in)"


def test_the_trend_keeps_the_latest_rows_and_says_how_many_are_left_out(chris):
    goal = chris.goals[0]
    for month in range(8, 13):
        record_checkin(chris, date(2016, month, 1), {0: GoalCheckin(month - 3)})
    lines = trend_lines(goal, last=3)
    assert "(3 earlier check-ins not shown)" in lines[2]
    assert [line[:10] for line in lines[3:6]] == ["2016-10-01", "2016-11-01", "2016-12-01"]
    assert len(trend_lines(goal, last=None)) == 2 + 6 + 1  # axis and marks, 6 rows, legend


def test_a_goal_without_ratings_yet(chris):
    goal = chris.goals[0]
    goal.progress = []
    goal.rating.baseline = None
    lines = trend_lines(goal)
    assert lines[1].endswith("target 6") and lines[2].strip() == "No ratings yet."
    assert trend_in_words(goal) == "No check-ins yet; target 6, not reached yet."


def test_the_trend_in_words_knows_when_lower_is_better(chris):
    goal = chris.goals[0]
    assert trend_in_words(goal) == (
        "Baseline 3; client 5 on 2016-07-31; clinician 5 on 2016-07-31; target 6, not reached yet."
    )
    record_checkin(chris, TODAY, {0: GoalCheckin(6, 6)})
    assert trend_in_words(goal).endswith(
        "client 5 → 6 over 2 check-ins; clinician 5 → 6 over 2 check-ins; target 6 reached."
    )
    goal.rating.baseline, goal.rating.target = 9, 3  # e.g. worry: lower is better
    goal.rating.better = "lower"  # said by the scale, not guessed from the numbers
    assert trend_in_words(goal).endswith("target 3, not reached yet.")
    record_checkin(chris, TODAY, {0: GoalCheckin(2, 2)})
    assert trend_in_words(goal).endswith("target 3 reached.")


# --------------------------------------------------------------------------- the screen


async def test_a_three_goal_checkin_by_keys_at_80x24(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([three_goals(chris)])
    revision = open_store(db).load(plan_id).revision
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+k")
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        start = kb.keys
        # Goal 1: client 7, clinician 6, and tick objective 1.4 on the way (Tab, Space).
        await kb.press("7", "tab", "6", "tab", "space", "enter")
        # Goal 2: client 3, clinician 4; goal 3: client 10 (typed 1 then 0), clinician 8.
        await kb.press("3", "tab", "4", "enter")
        await kb.press("1", "0", "tab", "8", "enter")
        assert app.focused.id == "walk-note"
        await kb.type("Rules kept all month; mornings much calmer.")
        await kb.press("ctrl+s")
        # digit, Tab, digit, Enter per goal (12), Ctrl+S (1); extras: Tab Space for 1.4, "0" of 10
        assert kb.keys - start == 12 + 1 + 2 + 1
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
    stored = open_store(db).load(plan_id)
    assert stored.revision == revision + 1  # one save, with base_revision
    goals = stored.plan.goals
    assert [(g.progress[-1].client_rating, g.progress[-1].clinician_rating) for g in goals] == [
        (7, 6),
        (3, 4),
        (10, 8),
    ]
    assert all(g.progress[-1].date == TODAY for g in goals)
    assert goals[0].progress[-1].objectives_achieved == [4]
    assert goals[0].objectives[3].status == "achieved"
    assert goals[0].progress[-1].note == "Rules kept all month; mornings much calmer."
    assert goals[1].progress[-1].note is None and goals[2].progress[-1].note is None
    # Quit and reopen: the trend shows the check-in.
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, ProgressScreen)
        text = progress_text(app.screen.plan, TODAY).plain
        assert "2016-08-30  · · · │ · · ○ ● · · ·   client 7, clinician 6" in text
        assert "2016-08-30  · · · · │ · · · ○ · ●   client 10, clinician 8" in text


async def test_the_minimum_three_goal_checkin_is_thirteen_keys_beyond_the_note(tmp_path, chris):
    """Keys sent all at once, as a fast typist or a pasted sequence over SSH would."""
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([three_goals(chris)])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        keys = [
            "ctrl+k",
            "5",
            "tab",
            "5",
            "enter",
            "2",
            "tab",
            "3",
            "enter",
            "6",
            "tab",
            "7",
            "enter",
        ]
        keys += list("Fine.") + ["ctrl+s"]
        for key in keys:
            char = key if len(key) == 1 else None
            app.post_message(events.Key(_character_to_key(char) if char else key, char))
        await wait_until(
            pilot, lambda: open_store(db).load(plan_id).revision > 1, "the check-in to be saved"
        )
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert len(keys) - len("Fine.") == 1 + 13  # Ctrl+K, then 13
    goals = open_store(db).load(plan_id).plan.goals
    assert [(g.progress[-1].client_rating, g.progress[-1].clinician_rating) for g in goals] == [
        (5, 5),
        (2, 3),
        (6, 7),
    ]
    assert goals[0].progress[-1].note == "Fine."


async def test_the_checkin_shows_the_trend_as_it_is_rated(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+k", "8")
        chart = str(app.screen.query_one("#trend-0").render())
        assert "2016-08-30  · · · │ · · ┆ · ● · ·   client 8 (this check-in)" in chart
        assert "(achieved)" in str(
            app.screen.query_one("#objectives-0").get_option_at_index(0).prompt
        )
        assert "[ ] 1.4" in str(app.screen.query_one("#objectives-0").get_option_at_index(3).prompt)


async def test_nothing_rated_is_not_saved_and_says_why(tmp_path, chris):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+k", "ctrl+s")
        problem = app.screen.query_one("#walk-problem")
        assert "Rate at least one goal" in str(problem.render()) and problem.display
        app.screen.query_one("#walk-date").value = "2016-02-30"
        await pilot.press("ctrl+s")
        assert "is not a real date" in str(problem.render())
        await pilot.press("escape")  # nothing entered: leaves without asking
        assert isinstance(app.screen, CaseloadScreen)
    assert open_store(tmp_path / "db").load(plan_id).revision == 1


async def test_a_checkin_never_overwrites_a_change_made_elsewhere(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+k", "6", "tab", "6")
        other = open_store(db)  # another terminal saves first
        theirs = other.load(plan_id)
        theirs.plan.client.pronouns = "they/them"
        other.save(plan_id, theirs.plan, base_revision=theirs.revision)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, Choose)
        await pilot.press("1")  # add this check-in to the plan as it is now
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
    plan = open_store(db).load(plan_id).plan
    assert plan.client.pronouns == "they/them"  # theirs kept
    assert plan.goals[0].progress[-1].client_rating == 6  # and ours added


async def test_a_completed_plan_has_no_checkin(tmp_path, chris):
    chris.plan.status = "completed"
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+l", "ctrl+k")  # show completed plans, then try a check-in
        assert isinstance(app.screen, CaseloadScreen)


def test_the_plan_over_time_core_never_imports_textual():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import tplan_tui.core.progress, tplan_tui.core.changes, tplan_tui.core.versioning, tplan_tui.core.sharing\n"
        "sys.exit(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
