"""Alerts answered (issue 11): the clinician marks a plan's alerts addressed with a dated note,
kept beside the plan in its own file; the reasons up to that day are set aside until a newer one
appears; the audit log records that it was done, never the note."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from tests.cli.test_cli import assert_one_line_error, imported, ok, plan_file, tplan
from tests.safety_samples import chris_rated_zero_text
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.store import StoreError, audit, open_store

RATED_ON = date(2016, 8, 10)  # the check-in that rated 0


@pytest.fixture
def low():
    return planfile.load_plan_text(chris_rated_zero_text())


def only(store):
    [row] = store.list_plans()[0]
    return row


def test_addressed_alerts_are_set_aside_until_a_newer_cause(tmp_path, low):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    assert only(store).needs_attention
    revision = store.load(plan_id).revision

    done = store.mark_addressed(plan_id, date(2016, 8, 11), "Went over the safety plan together.")
    assert store.addressed(plan_id) == [done]
    assert store.load(plan_id).revision == revision  # no new revision: an open session saves on
    assert store.load(plan_id).plan == low  # the plan itself is untouched
    assert not only(store).needs_attention
    assert open_store(tmp_path / "db").addressed_on(plan_id) == date(2016, 8, 11)

    # A newer check-in that rates 0 again brings the alert back, with only the new reason.
    newer = copy.deepcopy(low)
    newer.goals[0].progress.append(m.ProgressEntry(date=date(2016, 8, 14), client_rating=1))
    store.save(plan_id, newer)
    row = only(store)
    assert row.needs_attention
    assert [on for _text, _short, on, _goal in row.attention] == ["2016-08-14"]
    assert store.addressed(plan_id) == [done]  # a save keeps the notes beside the plan


def test_an_addressed_date_before_the_cause_leaves_the_alert_open(tmp_path, low):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    store.mark_addressed(plan_id, date(2016, 8, 9), "Phoned; no answer.")
    assert only(store).needs_attention


def test_an_empty_note_is_refused_and_nothing_is_written(tmp_path, low):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    path = store.root / "plans" / f"{plan_id}.json"
    before = path.read_bytes()
    with pytest.raises(StoreError, match="^note: "):
        store.mark_addressed(plan_id, RATED_ON, "   ")
    assert path.read_bytes() == before


def test_attention_cli_marks_addressed_and_the_audit_log_has_no_text(tmp_path):
    plan_id = imported(plan_file(tmp_path, "low.yaml", chris_rated_zero_text()))
    shown = ok("attention", plan_id)
    assert shown.startswith(f"Plan {plan_id} needs attention:\n")
    assert "2016-08-10  the client's rating on goal 1" in shown

    note = "Reviewed the safety plan; CANARY-addressed-note"
    done = ok("attention", plan_id, "--addressed", "--note", note)
    assert done.startswith("Marked addressed on 2016-08-15.\n")
    assert "nothing needs attention now" in done
    assert f"  2016-08-15  {note}" in done
    assert json.loads(ok("list", "--json"))["plans"][0]["attention"] == []

    store = open_store(tmp_path / "store")
    [entry] = [e for e in audit.read(store) if e.action == "attention addressed"]
    assert entry.plan_id == plan_id
    log = (store.root / audit.LOG_NAME).read_text("utf-8")
    assert "CANARY" not in log and "safety plan" not in log


@pytest.mark.parametrize(
    "args, problem",
    [
        (("--addressed",), "--addressed needs --note TEXT"),
        (("--addressed", "--note", "x", "--on", "2016-08-16"), "--on: 2016-08-16 is after today"),
        (("--addressed", "--note", "x", "--on", "soon"), "--on must be a date"),
    ],
)
def test_attention_cli_bad_input_records_nothing(tmp_path, args, problem):
    plan_id = imported(plan_file(tmp_path, "low.yaml", chris_rated_zero_text()))
    done = tplan("attention", plan_id, *args)
    assert done.returncode == 2
    assert problem in assert_one_line_error(done.stderr)
    assert "needs attention" in ok("attention", plan_id)


def test_a_plan_with_nothing_to_address(tmp_path, chris_path):
    plan_id = imported(chris_path)
    assert ok("attention", plan_id) == f"Plan {plan_id}: nothing needs attention now.\n"
    done = tplan("attention", plan_id, "--addressed", "--note", "checked")
    assert done.returncode == 2 and "has no alerts to address" in done.stderr


def test_an_alert_addressed_today_comes_back_for_a_newer_cause_the_same_day(tmp_path, low):
    # Addressed in the morning of the check-in's day; in the afternoon another check-in rates 0
    # again, the same day: a newer cause, so the alert is back (a date-only compare hid it).
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    store.mark_addressed(plan_id, RATED_ON, "Went over the safety plan together.")
    assert not only(store).needs_attention
    later = copy.deepcopy(low)
    later.goals[0].progress.append(m.ProgressEntry(date=RATED_ON, client_rating=0))
    store.save(plan_id, later)
    row = only(store)
    assert row.needs_attention
    assert [on for _text, _short, on, _goal in row.attention] == ["2016-08-10"]


def test_a_back_dated_cause_entered_after_the_alert_was_addressed_is_not_hidden(tmp_path, low):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    store.mark_addressed(plan_id, date(2016, 8, 12), "Phoned; talked it through.")
    assert not only(store).needs_attention
    later = copy.deepcopy(low)
    # A review held on the 11th, written up after the alert was addressed on the 12th.
    later.reviews.append(m.Review(date=date(2016, 8, 11), note="Spoke of wanting to die."))
    store.save(plan_id, later)
    assert only(store).needs_attention


def test_an_alert_addressed_on_what_was_shown_leaves_a_cause_not_shown_open(tmp_path, low):
    # The dialog showed one reason; a check-in saved in another terminal meanwhile raised
    # another the same day: marking addressed sets aside only what was shown.
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([low])
    from tplan_tui.core.attention import reasons

    shown = [r.key for r in reasons(low)]
    later = copy.deepcopy(low)
    later.goals[0].progress.append(
        m.ProgressEntry(date=RATED_ON, client_rating=0, note="I want to die")
    )
    store.save(plan_id, later)
    store.mark_addressed(plan_id, RATED_ON, "Went over it.", seen=shown)
    texts = [text for text, _short, _on, _goal in only(store).attention]
    assert any("check-in note" in t for t in texts), texts
