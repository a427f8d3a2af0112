"""Format version 2 (docs/plan-format.md): its optional keys read, checked with their paths,
written back and round-tripped; a version 1 file that uses one is told it needs 'tplan: 2'."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.samples import CHRIS_TEXT, ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.planfile import PlanFileError


def robin() -> dict[str, Any]:
    return planfile.parse_yaml(ROBIN_V2_YAML.read_text("utf-8"))


def errors(data: Any) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return [str(e) for e in caught.value.errors]


def test_every_v2_key_is_read():
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    assert plan.clinician.contact == "555-0142, weekdays 9 to 5"
    assert plan.plan.discharge_in_client_words.startswith("When I feel like myself")
    assert plan.plan.next_session.isoformat() == "2026-12-09"
    assert plan.history.referral.startswith("Primary care doctor")
    assert plan.history.diagnoses[0].system == "ICD-10-CM"
    mood, panic = plan.goals
    assert (mood.addresses, panic.addresses) == ([1], [2])
    assert panic.rating.better == "lower" and mood.rating.better == "higher"
    assert mood.objectives[0].in_client_words == "Walk 3 times a week."
    assert mood.interventions[0].in_client_words.startswith("We plan small things")
    consent = plan.consents[0]
    assert (consent.purpose, consent.expires_when, consent.minor_may_consent) == (
        "to coordinate care", "end of treatment", False,
    )  # fmt: skip
    assert plan.signatures[1].role == "supervisor"
    assert plan.safety.latest_assessment.risk == "low"
    sp = plan.safety.plan
    assert sp.crisis_lines[0].contact == "call or text 988"
    assert sp.people_to_ask[0].name == "My brother Sam"
    assert sp.reasons_for_living == ["My niece", "Finishing my course"]
    phq, gad = plan.measures
    assert (phq.instrument, phq.score, gad.instrument, gad.score) == ("PHQ-9", 14, "GAD-7", 9)


def test_a_v2_plan_round_trips_and_exports_as_version_2():
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    text = planfile.dump_plan(plan)
    assert text.startswith("tplan: 2\n")
    again = planfile.load_plan_text(text)
    assert again == plan
    assert planfile.dump_plan(again) == text


def test_a_version_1_file_exports_as_version_2_and_reads_back_the_same():
    plan = planfile.load_plan_text(CHRIS_TEXT)
    assert planfile.load_plan_text(planfile.dump_plan(plan)) == plan


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("clinician.contact", "555-0100"),
        ("plan.next_session", "2016-07-08"),
        ("plan.discharge_in_client_words", "When I sleep well."),
        ("history.referral", "Self-referred."),
        ("goals[0].addresses", [1]),
        ("goals[0].rating.better", "higher"),
        ("goals[0].objectives[0].in_client_words", "List my rules."),
        ("safety", {"assessments": [{"date": "2016-07-01", "risk": "low"}]}),
        ("measures", [{"instrument": "GAD-7", "date": "2016-07-01", "total": 5}]),
    ],
)
def test_a_version_1_file_using_a_v2_key_is_told_it_needs_version_2(path, value):
    data = planfile.parse_yaml(CHRIS_TEXT)
    *head, last = path.replace("[0]", ".0").split(".")
    target: Any = data
    for step in head:
        target = target[int(step)] if step.isdigit() else target[step]
    target[last] = value
    assert errors(data) == [f"{path}: is a version 2 key: this file needs 'tplan: 2'"]


def test_a_supervisor_signature_needs_version_2():
    data = planfile.parse_yaml(CHRIS_TEXT)
    data["signatures"][0]["role"] = "supervisor"
    assert errors(data) == [
        "signatures[0].role: supervisor is a version 2 role: this file needs 'tplan: 2'"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["goals"][0]["rating"].update(target=1),
            "goals[0].rating.target: 1 is worse than the baseline 2 on a scale where higher is "
            "better",
        ),
        (
            lambda d: d["goals"][1]["rating"].update(target=8),
            "goals[1].rating.target: 8 is worse than the baseline 6 on a scale where lower is "
            "better",
        ),
        (
            lambda d: d["goals"][1]["rating"].update(better="smaller"),
            "goals[1].rating.better: must be one of higher, lower, got 'smaller'",
        ),
        (
            lambda d: d["goals"][0].update(addresses=[3]),
            "goals[0].addresses[0]: must be the number of a presenting concern (1 to 2), got 3",
        ),
        (
            lambda d: d["history"]["diagnoses"][0].update(system="DSM"),
            "history.diagnoses[0].system: must be one of ICD-10-CM, ICD-10, ICD-11, other, got "
            "'DSM'",
        ),
        (
            lambda d: d["safety"]["assessments"][0].update(risk="severe"),
            "safety.assessments[0].risk: must be one of none, low, moderate, high, imminent, got "
            "'severe'",
        ),
        (
            lambda d: d["safety"]["assessments"][0].pop("risk"),
            "safety.assessments[0].risk: is required: one of none, low, moderate, high, imminent",
        ),
        (
            lambda d: d["safety"]["plan"]["people_to_ask"][0].pop("name"),
            "safety.plan.people_to_ask[0].name: is required",
        ),
        (
            lambda d: d["safety"]["plan"]["crisis_lines"][0].pop("contact"),
            "safety.plan.crisis_lines[0].contact: is required",
        ),
        (
            lambda d: d["safety"]["plan"].update(hobbies=["chess"]),
            "safety.plan.hobbies: unknown key",
        ),
        (
            lambda d: d["measures"][0]["items"].__setitem__(8, 4),
            "measures[0].items[8]: must be a whole number from 0 to 3, got 4",
        ),
        (
            lambda d: d["measures"][0]["items"].pop(),
            "measures[0].items: PHQ-9 has 9 items, got 8",
        ),
        (
            lambda d: d["measures"][0].update(total=15),
            "measures[0].total: must be the sum of the items (14), got 15",
        ),
        (
            lambda d: d["measures"][1].update(total=22),
            "measures[1].total: must be a whole number from 0 to 21, got 22",
        ),
        (
            lambda d: d["measures"][1].pop("total"),
            "measures[1]: needs the item scores (items) or the total, or both",
        ),
        (
            lambda d: d["measures"][1].update(instrument="BDI"),
            "measures[1].instrument: is not an instrument tplan knows (PHQ-9, GAD-7), got 'BDI'",
        ),
    ],
)
def test_bad_v2_values_are_errors_naming_their_path(change, expected):
    data = robin()
    change(data)
    found = errors(data)
    assert any(e == expected or e.startswith(expected) for e in found), found


def test_a_target_past_the_baseline_is_fine_in_a_version_1_file_as_it_always_was():
    data = planfile.parse_yaml(CHRIS_TEXT)
    goal = data["goals"][0]["rating"]
    goal["baseline"], goal["target"] = 6, 3
    assert planfile.load_plan_text(yaml.safe_dump(data)).goals[0].rating.target == 3


def test_a_draft_may_hold_a_half_typed_target_on_the_worse_side():
    data = robin()
    data["goals"][0]["rating"]["target"] = 1
    plan = planfile.load_plan_text(yaml.safe_dump(data), complete=False)
    assert plan.goals[0].rating.target == 1
