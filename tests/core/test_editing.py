"""The core under the session's forms: typed values parsed with the plan file's rules, list items
added and removed, and the autosave thread (coalescing, conflicts, flushing)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from tplan_tui.core import editing
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.autosave import Autosaver


@pytest.mark.parametrize(
    ("kind", "raw", "value", "problem"),
    [
        ("date", "2016-07-01", date(2016, 7, 1), None),
        ("date", "", None, None),
        ("date", "2016-07", None, "is not finished"),
        ("date", "2016-13-01", None, "is not a real date"),
        ("date", "July 1", None, "YYYY-MM-DD"),
        ("rating", "7", 7, None),
        ("rating", "11", None, "from 0 to 10, got 11"),
        ("rating", "", None, None),
        ("whole", "x", None, "must be a whole number"),
        ("optional", "  ", None, None),
        ("text", "", "", None),
    ],
)
def test_typed_values_follow_the_plan_file_rules(kind, raw, value, problem):
    got, why = editing.parse_value(kind, raw)
    assert got == value
    assert (why is None) if problem is None else (problem in why)


def test_a_wrong_value_leaves_the_model_as_it_was(chris):
    assert editing.set_field(chris, ("goals", 0, "rating", "target"), "rating", "12") is not None
    assert chris.goals[0].rating.target == 6
    assert editing.set_field(chris, ("goals", 0, "rating", "target"), "rating", "8") is None
    assert chris.goals[0].rating.target == 8


def test_a_guardian_is_made_when_typed_and_dropped_when_blank():
    plan = m.Plan()
    editing.set_field(plan, ("client", "guardian", "name"), "text", "Pat")
    assert plan.client.guardian == m.Guardian(name="Pat")
    editing.set_field(plan, ("client", "guardian", "name"), "text", "")
    editing.drop_empty_guardian(plan)
    assert plan.client.guardian is None


def test_removing_an_objective_renumbers_the_progress_that_names_it(chris):
    goal = chris.goals[0]
    assert goal.progress[0].objectives_achieved == [1, 2, 3]
    editing.remove_item(chris, ("goals", 0, "objectives"), 1)  # objective 2 goes
    assert len(goal.objectives) == 3
    assert goal.progress[0].objectives_achieved == [1, 2]


def test_items_are_added_after_the_one_in_focus_and_blank_ones_are_known(chris):
    index = editing.add_item(chris, ("strengths",), after=0)
    assert index == 1 and editing.is_blank(chris.strengths[1])
    assert not editing.is_blank(chris.strengths[0])
    assert editing.is_blank(editing.new_item("objectives"))
    assert not editing.is_blank(m.Review(date=date(2026, 1, 1)))


def test_the_next_signature_is_whoever_has_not_signed(chris):
    chris.signatures.clear()
    first = editing.next_signature(chris, date(2016, 7, 1))
    assert (first.role, first.name, first.version) == ("client", "Chris", 1)
    chris.signatures.append(first)
    assert editing.next_signature(chris, date(2016, 7, 1)).role == "clinician"
    chris.client.date_of_birth = date(2010, 1, 1)
    chris.client.guardian = m.Guardian("Pat", "mother")
    chris.signatures.append(editing.next_signature(chris, date(2016, 7, 1)))
    guardian = editing.next_signature(chris, date(2016, 7, 1))
    assert (guardian.role, guardian.name) == ("guardian", "Pat")


def test_autosave_coalesces_saves_and_reports_a_conflict(tmp_path, chris):
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    results = []
    done = threading.Event()
    saver = Autosaver(
        store, stored.plan_id, stored.revision, lambda r: (results.append(r), done.set())
    )
    for n in range(20):
        copy = editing.snapshot(chris)
        copy.client.pronouns = f"take {n}"
        saver.submit(copy, {"step": "client"})
    assert saver.flush()
    assert store.load(stored.plan_id).plan.client.pronouns == "take 19"  # the newest copy won
    assert 1 <= len(results) <= 20 and all(r.stored for r in results)

    other = store.load(stored.plan_id)  # another terminal saves in between
    store.save(stored.plan_id, other.plan, base_revision=other.revision)
    saver.submit(editing.snapshot(chris))
    assert saver.flush()
    assert results[-1].conflict
    saver.overwrite_next()  # the clinician chose "keep mine"
    saver.submit(editing.snapshot(chris))
    assert saver.close()
    assert results[-1].stored is not None
