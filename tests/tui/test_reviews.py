"""Reviews: the next review date and overdue against a fixed clock, a review moving the date (in
the model, the store, `tplan list --json` and the caseload), the review screen by keys at 80x24,
closing a plan, and the caseload's due and completed filters."""

from __future__ import annotations

import copy
import io
import json
from datetime import date

import pytest

from tests.tui.test_checkin import three_goals
from tests.tui_helpers import Keyboard, row, settled, wait_until
from tplan_tui import cli
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.modals import Choose
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.review import ReviewScreen

TODAY = date(2016, 10, 3)


@pytest.mark.parametrize(
    "today, state",
    [
        (date(2016, 7, 15), "on schedule"),
        (date(2016, 7, 17), "due soon"),  # 14 days before
        (date(2016, 7, 31), "due soon"),  # the day itself
        (date(2016, 8, 1), "overdue"),
    ],
)
def test_review_state_against_a_fixed_clock(chris, today, state):
    assert chris.next_review == date(2016, 7, 31)  # 30 days after the start
    assert chris.review_state(today) == state
    assert chris.is_overdue(today) == (state == "overdue")


def test_a_review_moves_the_next_review_date(chris):
    chris.reviews.append(m.Review(date(2016, 8, 2), "First review."))
    assert chris.next_review == date(2016, 9, 1)
    chris.reviews.insert(0, m.Review(date(2016, 7, 20), "An early one."))
    assert chris.next_review == date(2016, 9, 1)  # the latest review counts, not the last listed
    chris.plan.status = "completed"
    assert chris.review_state(date(2020, 1, 1)) == "completed" and not chris.is_overdue(
        date(2020, 1, 1)
    )


def list_json(db, monkeypatch, *extra: str) -> list[dict]:
    monkeypatch.setenv("TPLAN_TODAY", TODAY.isoformat())
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["--db", str(db), "list", "--json", *extra], out, err) == 0, err.getvalue()
    return json.loads(out.getvalue())["plans"]


async def test_a_review_by_keys_moves_the_date_starts_a_version_and_survives_a_restart(
    tmp_path, chris, monkeypatch
):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([three_goals(chris)])
    [listed] = list_json(db, monkeypatch)
    assert (listed["next_review"], listed["review"], listed["overdue"]) == (
        "2016-07-31",
        "overdue",
        True,
    )
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        title = str(app.screen.query_one("#caseload-title").render())
        assert "1 overdue for review" in title
        assert row(app.screen.table, 0)[3] == "overdue 64 days"  # said in words
        kb = Keyboard(pilot)
        await kb.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "overdue by 64 days" in str(screen.query_one("#walk-title").render())
        start = kb.keys
        await kb.press("a", "tab", "c", "enter")  # goal 1 achieved, and closed as completed
        await kb.press("n", "enter")  # goal 2: no change
        await kb.press("i", "enter")  # goal 3: improving
        await kb.type("Goal 1 met; sleep is next. Parent coaching continues monthly.")
        assert "Next review after this one: 2016-11-02 (every 30 days)." in str(
            screen.query_one("#review-next").render()
        )
        await kb.press("ctrl+s")
        await settled(pilot)
        assert kb.keys - start == 4 + 2 + 2 + 1  # one goal closed too; 7 for letters only
        assert isinstance(app.screen, Choose)
        await kb.press("3")  # back to the caseload
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert row(app.screen.table, 0)[1] == "needs signing"
        assert row(app.screen.table, 0)[2] == "2016-11-02"
    store = open_store(db)
    plan = store.load(plan_id).plan
    assert plan.reviews == [
        m.Review(TODAY, "Goal 1 met; sleep is next. Parent coaching continues monthly.")
    ]
    assert [(g.achievement, g.status) for g in plan.goals] == [
        ("achieved", "completed"),
        ("no-change", "active"),
        ("improving", "active"),
    ]
    assert plan.plan.version == 2 and plan.next_review == date(2016, 11, 2)
    assert [v.number for v in store.versions(plan_id)] == [1]
    assert store.load_version(plan_id, 1).plan.reviews == []
    [listed] = list_json(db, monkeypatch)
    assert (listed["next_review"], listed["review"], listed["overdue"], listed["signing"]) == (
        "2016-11-02",
        "on schedule",
        False,
        "needs signing",
    )


async def test_after_a_review_the_goals_step_opens_for_revisions(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+r", "i", "enter")
        await kb.type("Going well; add a homework goal.")
        await kb.press("ctrl+s")
        await settled(pilot)
        await kb.press("1")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert "Step 6 of 9 · Goals" in str(screen.query_one("#step-indicator").render())
        await kb.press("ctrl+n")
        await kb.type("Chris will sit with his son for homework on 4 school nights a week.")
        assert screen.plan.plan.version == 2  # the review started version 2; no second bump
        await kb.press("escape")
        await settled(pilot)
    store = open_store(db)
    plan = store.load(plan_id).plan
    assert plan.plan.version == 2 and len(plan.goals) == 2
    from tplan_tui.core.changes import changes_in_words

    assert changes_in_words(store.load_version(plan_id, 1).plan, plan) == [
        "Goal 2 added: Chris will sit with his son for homework on 4 school nights a week."
    ]


async def test_a_review_needs_a_note(tmp_path, chris):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+r", "n", "ctrl+s")  # "no change" (it was "improving")
        assert "Write what the review found" in str(app.screen.query_one("#walk-problem").render())
        await pilot.press("escape")  # something was entered: asks first
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("y")
        assert isinstance(app.screen, CaseloadScreen)
    assert open_store(tmp_path / "db").load(plan_id).plan.reviews == []


async def test_a_closing_review_completes_the_plan_which_leaves_the_caseload_but_stays_findable(
    tmp_path, chris, monkeypatch
):
    other = copy.deepcopy(chris)
    other.client.name = "Sam"
    db = tmp_path / "db"
    chris_id, _sam_id = open_store(db).import_plans([chris, other])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+r", "a", "tab", "c", "enter")
        await kb.type("All goals met; the plan ends today.")
        await kb.press("tab", "tab", "y", "ctrl+s")  # the date, then "closing review: yes"
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        names = [row(app.screen.table, i)[0] for i in range(app.screen.table.row_count)]
        assert names == ["Sam"]
        assert "1 completed hidden (Ctrl+L)" in str(
            app.screen.query_one("#caseload-title").render()
        )
        await kb.type("chris")
        assert "1 completed plan match: Ctrl+L shows completed plans." in str(
            app.screen.query_one("#empty").render()
        )
        await kb.press("ctrl+l")
        assert row(app.screen.table, 0)[:2] == ["Chris", "completed"]
        await kb.press("ctrl+r")  # no review of a completed plan
        assert isinstance(app.screen, CaseloadScreen)
    plan = open_store(db).load(chris_id).plan
    assert (
        plan.plan.status == "completed"
        and plan.reviews[-1].note == "All goals met; the plan ends today."
    )
    assert [r["client"] for r in list_json(db, monkeypatch)] == ["Sam"]
    assert sorted(r["client"] for r in list_json(db, monkeypatch, "--all")) == ["Chris", "Sam"]


async def test_the_due_filter_shows_reviews_due_soon_or_overdue(tmp_path, chris):
    soon, later = copy.deepcopy(chris), copy.deepcopy(chris)
    soon.client.name, soon.plan.started = "Soon", date(2016, 9, 10)  # due 2016-10-10
    later.client.name, later.plan.started = "Later", date(2016, 9, 30)  # due 2016-10-30
    store = open_store(tmp_path / "db")
    store.import_plans([chris, soon, later])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        table = app.screen.table

        def rows():
            return [(row(table, i)[0], row(table, i)[3]) for i in range(table.row_count)]

        assert rows() == [
            ("Chris", "overdue 64 days"),
            ("Soon", "due soon: 7 days"),
            ("Later", "on schedule"),
        ]
        await pilot.press("ctrl+f")
        assert rows() == [("Chris", "overdue 64 days"), ("Soon", "due soon: 7 days")]
        assert "showing reviews due soon or overdue" in str(
            app.screen.query_one("#caseload-title").render()
        )
        await Keyboard(pilot).type("overdue")  # typing still filters too
        assert rows() == [("Chris", "overdue 64 days")]


async def test_the_minimum_three_goal_review_is_seven_keys_beyond_the_note(tmp_path, chris):
    """Keys sent all at once: a letter and Enter per goal, the note, Ctrl+S."""
    from textual import events
    from textual.keys import _character_to_key

    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([three_goals(chris)])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        keys = ["a", "enter", "n", "enter", "w", "enter"]
        for key in ["ctrl+r", *keys, *"Reviewed.", "ctrl+s"]:
            char = key if len(key) == 1 else None
            app.post_message(events.Key(_character_to_key(char) if char else key, char))
        await wait_until(
            pilot, lambda: open_store(db).load(plan_id).revision > 1, "the review to be saved"
        )
        await settled(pilot)
        assert len(keys) + 1 == 7
    plan = open_store(db).load(plan_id).plan
    assert [g.achievement for g in plan.goals] == ["achieved", "no-change", "worsening"]
    assert plan.reviews[-1].note == "Reviewed." and plan.plan.version == 2
