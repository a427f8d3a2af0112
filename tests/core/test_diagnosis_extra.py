"""A diagnosis's date, who made it and the concerns it relates to, kept under its ``extra`` until
plan format v2 has keys for them: foreign values import and round-trip unchanged, tplan reads
only well-formed ones, the checklist names a malformed one with its path, removing or inserting a
concern renumbers them, and the clinical record and FHIR show them.

Every name here is invented."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from tests.core.test_completeness import TODAY, complete
from tests.samples import ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.core import completeness as c
from tplan_tui.core import diagnosis_extra, editing
from tplan_tui.core import model as m
from tplan_tui.fhir.export import plan_to_bundle
from tplan_tui.summary import render

FOREIGN = {
    "diagnosed_on": "soon",
    "diagnosed_by": ["Dr A", "Dr B"],
    "concerns": "all of them",
    "their_tool": {"id": 7, "tags": ["x", None]},
}


def robin_data() -> dict:
    return yaml.safe_load(ROBIN_V2_YAML.read_text("utf-8"))


def test_the_sample_reads_the_well_formed_values():
    dx = planfile.load_plan_file(ROBIN_V2_YAML).history.diagnoses[0]
    assert (dx.diagnosed_on, dx.diagnosed_by, dx.concerns) == (
        date(2026, 9, 24), "Avery Quinn, LCSW", [1],
    )  # fmt: skip


def test_foreign_values_import_and_round_trip_unchanged():
    data = robin_data()
    data["history"]["diagnoses"][0]["extra"] = FOREIGN
    plan = planfile.load_plan_text(yaml.safe_dump(data, sort_keys=False))
    dx = plan.history.diagnoses[0]
    assert dx.extra == FOREIGN
    # tplan's features see nothing rather than a wrong value
    assert (dx.diagnosed_on, dx.diagnosed_by, dx.concerns) == (None, "", [])
    text = planfile.dump_plan(plan)
    again = planfile.load_plan_text(text)
    assert again.history.diagnoses[0].extra == FOREIGN
    assert planfile.dump_plan(again) == text


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("diagnosed_on", "soon", 'must be a date written YYYY-MM-DD, got "soon"'),
        ("diagnosed_on", 20260105, "must be a date written YYYY-MM-DD, got 20260105"),
        ("diagnosed_on", "2026-02-30", "2026-02-30 is not a real date (day is out of range for month)"),
        ("diagnosed_on", "1850-01-01", "1850-01-01 is out of range: dates run from 1900-01-01 to 2100-12-31"),
        ("diagnosed_on", "2026-03-02", "2026-03-02 is after today: a diagnosis date cannot be in the future"),
        ("diagnosed_by", {"name": "Dr A"}, 'must be text (who made the diagnosis), got {"name": "Dr A"}'),
        ("diagnosed_by", "Dr\x1b A", "contains the control character \\x1b at character 3; only line breaks and tabs are allowed in text"),
        ("concerns", "all", 'must be a list of presenting-concern numbers, got "all"'),
        ("concerns", [1, "two"], 'must hold presenting-concern numbers (1, 2...), got "two"'),
        ("concerns", [0], "must hold presenting-concern numbers (1, 2...), got 0"),
        ("concerns", [True], "must hold presenting-concern numbers (1, 2...), got true"),
        ("concerns", [1, 3], "there is no presenting concern 3 (the plan has 1)"),
    ],
)  # fmt: skip
def test_a_malformed_value_is_named_with_its_path_in_every_profile(key, value, problem):
    plan = complete()
    plan.history.diagnoses[0].extra[key] = value
    assert list(diagnosis_extra.problems(plan, TODAY)) == [
        (f"history.diagnoses[0].extra.{key}", problem)
    ]
    path = f"history.diagnoses[0].extra.{key}"
    for profile in ("medicaid-outpatient", "joint-commission-bh"):
        found = [(f.path, f.step) for f in c.missing(plan, TODAY, profile, codes=False)]
        assert (path, "history") in found, profile
    [item] = c.missing(plan, TODAY, "basic", codes=False)
    assert (item.path, item.step) == (path, "history")
    assert item.words.startswith("Diagnosis 1: ")
    assert problem in item.words


def test_well_formed_values_are_no_problem():
    assert list(diagnosis_extra.problems(complete(), TODAY)) == []
    plan = complete()
    plan.history.diagnoses[0].extra["diagnosed_on"] = TODAY.isoformat()  # today is not after today
    assert list(diagnosis_extra.problems(plan, TODAY)) == []


def test_the_stricter_profiles_ask_for_the_date_the_clinician_and_the_concerns():
    plan = complete()
    plan.presenting_concerns.append(m.Concern(text="Poor sleep"))
    plan.goals[0].addresses = [1, 2]
    plan.history.diagnoses[0].extra = {}
    plan.history.diagnoses.append(
        m.Diagnosis(code="F51.01", label="Primary insomnia", current=False)
    )
    assert c.missing(plan, TODAY, "basic", codes=False) == []
    found = [(f.path, f.words) for f in c.missing(plan, TODAY, "medicaid-outpatient", codes=False)]
    assert found == [
        ("history.diagnoses[0].extra.diagnosed_on", "Diagnosis 1: the date it was made is missing."),
        ("history.diagnoses[0].extra.diagnosed_by", "Diagnosis 1: who made it (the diagnosing clinician) is missing."),
        ("history.diagnoses[0].extra.concerns", "Concern 1: no current diagnosis relates to it (a diagnosis's Relates to)."),
        ("history.diagnoses[0].extra.concerns", "Concern 2: no current diagnosis relates to it (a diagnosis's Relates to)."),
    ]  # fmt: skip
    # A diagnosis that is not current is not asked for; a current one that relates to concern
    # 2 answers for it.
    plan.history.diagnoses[0].extra = {
        "diagnosed_on": "2026-01-05", "diagnosed_by": "Dana Reyes", "concerns": [1]
    }  # fmt: skip
    plan.history.diagnoses[1].extra["concerns"] = [2]
    assert [f.words for f in c.missing(plan, TODAY, "joint-commission-bh", codes=False)] == [
        "Concern 2: no current diagnosis relates to it (a diagnosis's Relates to).",
    ]
    plan.history.diagnoses[1].current = True
    plan.history.diagnoses[1].extra.update(diagnosed_on="2026-02-01", diagnosed_by="Dana Reyes")
    assert c.missing(plan, TODAY, "joint-commission-bh", codes=False) == []


def test_removing_a_concern_renumbers_what_names_concerns_by_number():
    plan = complete()
    plan.presenting_concerns = [m.Concern(text=t) for t in ("Low mood", "Poor sleep", "Panic")]
    plan.goals[0].addresses = [1, 3]
    mood, panic = plan.history.diagnoses[0], m.Diagnosis(code="F41.0", label="Panic disorder")
    mood.extra["concerns"] = [1, 2]
    panic.extra["concerns"] = [3]
    foreign = m.Diagnosis(code="F51.01", label="Insomnia", extra={"concerns": ["sleep", 3]})
    plan.history.diagnoses += [panic, foreign]
    editing.remove_item(plan, ("presenting_concerns",), 1)  # "Poor sleep"
    assert [x.text for x in plan.presenting_concerns] == ["Low mood", "Panic"]
    assert plan.goals[0].addresses == [1, 2]
    assert (mood.extra["concerns"], panic.extra["concerns"]) == ([1], [2])
    assert foreign.extra["concerns"] == ["sleep", 3]  # kept as it is: the checklist names it
    editing.remove_item(plan, ("presenting_concerns",), 1)  # "Panic"
    assert plan.goals[0].addresses == [1]
    assert "concerns" not in panic.extra  # relates to nothing now: absent, not an empty list


def test_inserting_a_concern_in_the_middle_renumbers_the_ones_after_it():
    plan = complete()
    plan.presenting_concerns = [m.Concern(text="Low mood"), m.Concern(text="Panic")]
    plan.goals[0].addresses = [2]
    plan.history.diagnoses[0].extra["concerns"] = [1, 2]
    at = editing.add_item(plan, ("presenting_concerns",), after=0)
    assert at == 1
    assert plan.goals[0].addresses == [3]
    assert plan.history.diagnoses[0].extra["concerns"] == [1, 3]
    editing.add_item(plan, ("presenting_concerns",))  # at the end: nothing moves
    assert plan.goals[0].addresses == [3]


def test_typed_values_go_under_extra_as_the_format_writes_them():
    plan = complete()
    base = ("history", "diagnoses", 0, "extra")
    assert editing.set_field(plan, (*base, "diagnosed_on"), "date", "2026-02-03") is None
    assert plan.history.diagnoses[0].extra["diagnosed_on"] == "2026-02-03"  # text, as in YAML
    assert editing.set_field(plan, (*base, "diagnosed_on"), "date", "3 Feb") == (
        "must be a date written YYYY-MM-DD, e.g. 2026-07-01"
    )
    assert editing.set_field(plan, (*base, "diagnosed_on"), "date", "2099-01-01") == (
        "2099-01-01 is after today: a diagnosis date cannot be in the future"
    )
    assert plan.history.diagnoses[0].extra["diagnosed_on"] == "2026-02-03"  # unchanged
    assert editing.set_field(plan, (*base, "diagnosed_on"), "date", "") is None
    assert editing.set_field(plan, (*base, "concerns"), "choice", []) is None
    assert editing.set_field(plan, (*base, "diagnosed_by"), "optional", "  ") is None
    assert plan.history.diagnoses[0].extra == {}
    text = planfile.dump_plan(plan)
    assert planfile.load_plan_text(text) == plan


def test_the_record_shows_order_dates_clinicians_and_the_concerns_each_relates_to():
    plan = complete()
    plan.presenting_concerns.append(m.Concern(text="Panic in shops"))
    plan.history.diagnoses.append(
        m.Diagnosis(
            code="F41.0",
            label="Panic disorder",
            extra={"diagnosed_on": "2026-02-10", "concerns": [1, 2]},
        )
    )
    text = render(plan, audience="clinician", fmt="txt", today=TODAY)
    flat = " ".join(text.split())  # lines wrap at 80 columns
    assert "Diagnoses: F32.1 Major depressive disorder (primary); F41.0 Panic disorder" in flat
    history = text.split("History and assessment")[1].split("Presenting concerns")[0]
    assert history.split("Diagnoses:\n")[1].splitlines() == [
        "1. F32.1: Major depressive disorder",
        "   Primary.",
        "   Diagnosed on January 5, 2026 by Dana Reyes, LCSW.",
        "   Relates to concern 1.",
        "2. F41.0: Panic disorder",
        "   Diagnosed on February 10, 2026.",  # by whom: not known, so not said
        "   Relates to concerns 1 and 2.",
        "",
        "",
    ]
    tree = " ".join(text.split("Problems and goals")[1].split())
    first, second = tree.split("Concern 2: Panic in shops")
    assert (
        "Concern 1: Low mood most days ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ Diagnoses: F32.1 Major "
        "depressive disorder (primary); F41.0 Panic disorder. Goal 1 of 1"
    ) in first
    assert "Diagnosis: F41.0 Panic disorder. No goal works on this concern yet." in second
    assert "Other recorded data" not in text  # shown with the diagnosis, not again
    for fmt in ("md", "html"):
        assert "Diagnosed on January 5, 2026 by Dana Reyes, LCSW." in render(
            plan, audience="clinician", fmt=fmt, today=TODAY
        )


def test_the_record_never_shows_a_malformed_value_as_a_fact():
    plan = complete()
    plan.history.diagnoses[0].extra = dict(FOREIGN)
    text = render(plan, audience="clinician", fmt="txt", today=TODAY)
    assert "Diagnosed" not in text and "Relates to" not in text
    other = text.split("Other recorded data")[1]
    assert 'history.diagnoses[0].extra.diagnosed_on:\n  "soon"' in other
    assert "Field: history.diagnoses[0].extra.concerns" in text  # under Missing elements


def test_fhir_gives_the_date_and_who_made_it():
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    plan.history.diagnoses.append(
        m.Diagnosis(
            code="F41.0",
            label="Panic disorder",
            extra={"diagnosed_on": "2026-10-02", "diagnosed_by": "Lee Okafor, MD"},
        )
    )
    bundle = plan_to_bundle(plan, "robin")
    conditions = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Condition"
        and e["resource"]["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    ]
    practitioner = next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner"
    )
    mood, panic = conditions
    assert mood["recordedDate"] == "2026-09-24"
    # The plan's own clinician made it: the reference, with the words as recorded.
    assert mood["asserter"] == {"reference": practitioner, "display": "Avery Quinn, LCSW"}
    assert "recorder" not in mood
    # Someone else made it: named, and the plan's clinician recorded it.
    assert panic["recordedDate"] == "2026-10-02"
    assert panic["asserter"] == {"display": "Lee Okafor, MD"}
    assert panic["recorder"] == {"reference": practitioner}
