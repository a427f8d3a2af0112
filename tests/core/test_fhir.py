"""FHIR R4 export and import (issue 17): every sample plan's bundle is valid by the R4B models
of ``fhir.resources`` (CarePlan, Goal and the rest are as in R4), reads back to the same plan,
and a bundle tplan cannot use is refused with the path of its problem."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings

from tests.samples import CHRIS_YAML, REPO, ROBIN_V2_YAML
from tests.strategies import SPECIAL_TEXT, plans
from tplan_tui.core import model as m
from tplan_tui.fhir import (
    BundleError,
    as_transaction,
    bundle_json,
    bundle_to_plan,
    plan_to_bundle,
    shared_view,
)
from tplan_tui.fhir.common import EXT_CLIENT_WORDS, ICD10CM, LOINC
from tplan_tui.planfile import load_plan_file

SAMPLES = [
    CHRIS_YAML,
    *sorted((REPO / "tests" / "data").glob("*.yaml")),
    *sorted((REPO / "tplan_tui" / "demo").glob("*.yaml")),
]


def valid(bundle: dict[str, Any]) -> Bundle:
    """The bundle as FHIR's own models read it (raises when it is not valid), from its JSON."""
    return Bundle.model_validate_json(bundle_json(bundle))


def through_json(plan: m.Plan) -> m.Plan:
    return bundle_to_plan(json.loads(bundle_json(plan_to_bundle(plan, "p1"))))


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def refusal(bundle: Any) -> list[str]:
    with pytest.raises(BundleError) as caught:
        bundle_to_plan(bundle)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_plan_exports_to_a_valid_bundle_that_reads_back_the_same(path: Path):
    plan = load_plan_file(path)
    bundle = plan_to_bundle(plan, "sample")
    assert valid(bundle).type == "collection"
    assert through_json(plan) == plan


def test_the_sample_plan_in_fhir_terms():
    plan = load_plan_file(CHRIS_YAML)
    bundle = plan_to_bundle(plan, "chris")
    (patient,) = resources(bundle, "Patient")
    assert patient["name"][0]["text"] == plan.client.name
    (careplan,) = resources(bundle, "CarePlan")
    assert (careplan["status"], careplan["intent"]) == (plan.plan.status, "plan")
    assert careplan["period"]["start"] == plan.plan.started.isoformat()
    goals = resources(bundle, "Goal")
    assert [g["description"]["text"] for g in goals] == [g.text for g in plan.goals]
    assert [r["reference"] for r in careplan["goal"]] == [
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Goal"
    ]
    first = plan.goals[0]
    assert goals[0]["target"][0]["detailInteger"] == first.rating.target
    words = [e["valueString"] for e in goals[0]["extension"] if e["url"] == EXT_CLIENT_WORDS]
    assert words == [first.in_client_words]
    assert goals[0]["expressedBy"] == careplan["subject"]
    diagnoses = [
        c for c in resources(bundle, "Condition") if c["code"].get("coding", [{}])[0].get("code")
    ]
    assert [
        (c["code"]["coding"][0]["system"], c["code"]["coding"][0]["code"]) for c in diagnoses
    ] == [(ICD10CM, dx.code) for dx in plan.history.diagnoses]
    interventions = [iv.text for g in plan.goals for iv in g.interventions]
    assert [a["detail"]["description"] for a in careplan["activity"]] == interventions
    assert len(resources(bundle, "Provenance")) == len(plan.signatures)
    assert len(resources(bundle, "Consent")) == len(plan.consents)


def test_ratings_and_measures_are_observations_with_their_codes():
    plan = load_plan_file(ROBIN_V2_YAML)
    bundle = plan_to_bundle(plan, "robin")
    valid(bundle)
    observations = resources(bundle, "Observation")
    scores = [o for o in observations if o["code"]["coding"][0]["system"] == LOINC]
    assert [(o["code"]["coding"][0]["code"], o.get("valueInteger")) for o in scores] == [
        ({"PHQ-9": "44261-6", "GAD-7": "70274-6"}[x.instrument], x.total) for x in plan.measures
    ]
    with_items = [(o, x) for o, x in zip(scores, plan.measures, strict=True) if x.items]
    assert with_items, "robin-v2.yaml has item scores"
    for o, x in with_items:
        assert [c["valueInteger"] for c in o["component"]] == x.items
    ratings = [o for o in observations if o not in scores]
    expected = sum(
        (p.client_rating is not None) + (p.clinician_rating is not None)
        for g in plan.goals
        for p in g.progress
    )
    assert len([o for o in ratings if "valueInteger" in o]) == expected
    assert all(o["focus"][0]["reference"].startswith("urn:uuid:") for o in ratings)


def test_hostile_text_stays_valid_fhir_and_comes_back_exactly():
    plan = load_plan_file(CHRIS_YAML)
    plan.client.name = "esc [@click=app.quit]x[/] 😀 \u202eevil"
    plan.goals[0].in_client_words = "<b>mine</b>\u2028\nלי\t"
    plan.history.diagnoses[0].code = " F41.1  x\n"  # not a FHIR code: travels in an extension
    plan.extra = {"k": SPECIAL_TEXT[:20], "n": [1.5, None, True]}
    bundle = plan_to_bundle(plan, "hostile")
    valid(bundle)
    (patient,) = resources(bundle, "Patient")
    assert patient["name"][0]["text"] == "esc [@click=app.quit]x[/] 😀 \u202eevil"  # as text
    assert through_json(plan) == plan


def test_a_bundle_holding_control_characters_is_refused_with_their_paths():
    """A plan cannot hold them (the plan file refuses them too): a bundle that carries them, made
    by another system or edited by hand, is refused naming each place, and nothing is read."""
    bundle = json.loads(bundle_json(plan_to_bundle(load_plan_file(CHRIS_YAML), "p1")))
    (patient,) = resources(bundle, "Patient")
    patient["name"][0]["text"] = "esc\x1b[31m"
    problems = refusal(bundle)
    assert any("client.name" in p and "\\x1b" in p for p in problems), problems


def test_empty_optional_fields_are_left_out_not_written_empty():
    plan = load_plan_file(CHRIS_YAML)
    plan.client.full_name = plan.client.pronouns = plan.client.date_of_birth = None
    plan.clinician.credentials = plan.clinician.contact = None
    plan.history = m.History()
    plan.consents = plan.signatures = plan.reviews = []
    plan.clinician_notes = None
    for g in plan.goals:
        g.in_client_words = g.target_date = g.achievement = None
        g.interventions = g.progress = []
    bundle = plan_to_bundle(plan, "bare")
    valid(bundle)
    assert '""' not in bundle_json(bundle)
    assert through_json(plan) == plan


ROUND_TRIP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(plans())
def test_any_plan_round_trips_through_a_valid_bundle(plan: m.Plan):
    bundle = plan_to_bundle(plan, "generated")
    valid(bundle)
    assert bundle_to_plan(json.loads(bundle_json(bundle))) == plan


def test_the_bundle_as_a_transaction_puts_each_resource_under_its_own_id():
    bundle = plan_to_bundle(load_plan_file(ROBIN_V2_YAML), "robin")
    sent = as_transaction(bundle)
    assert valid(sent).type == "transaction"
    assert [e["request"] for e in sent["entry"]] == [
        {"method": "PUT", "url": f"{e['resource']['resourceType']}/{e['resource']['id']}"}
        for e in bundle["entry"]
    ]
    assert bundle["type"] == "collection"  # the export itself is untouched


def test_the_same_plan_gives_the_same_bundle():
    plan = load_plan_file(CHRIS_YAML)
    assert bundle_json(plan_to_bundle(plan, "a")) == bundle_json(plan_to_bundle(plan, "a"))


def test_a_summary_consent_shares_no_clinician_only_content():
    plan = load_plan_file(ROBIN_V2_YAML)
    assert plan.history.diagnoses and plan.measures and plan.safety.assessments
    plan.clinician_notes = "Invented note only the clinician keeps."
    plan.reviews = [m.Review(date=date(2026, 11, 1), note="Invented review note.")]
    plan.goals[0].progress = [
        m.ProgressEntry(date(2026, 11, 2), client_rating=4, clinician_rating=7, note="Invented.")
    ]
    shared = shared_view(plan)
    bundle = plan_to_bundle(shared, "robin", released_under=(1, plan.consents[0]))
    valid(bundle)
    text = bundle_json(bundle)
    assert resources(bundle, "Condition") == [
        c for c in resources(bundle, "Condition") if "health-concern" in json.dumps(c)
    ]
    assert not [o for o in resources(bundle, "Observation") if "loinc" in json.dumps(o)]
    for secret in [
        plan.history.referral,
        plan.clinician_notes,
        plan.safety.assessments[0].note,
        plan.reviews[0].note,
        plan.goals[0].progress[0].note,
    ]:
        assert secret and secret not in text
    (patient,) = resources(bundle, "Patient")
    ratings = [o for o in resources(bundle, "Observation") if "focus" in o]
    assert [(o["valueInteger"], o["performer"][0]["reference"]) for o in ratings] == [
        (4, f"urn:uuid:{patient['id']}")
    ]  # the client's rating only
    assert bundle["meta"]["tag"][0]["code"] == "1"
    back = bundle_to_plan(bundle)
    assert back == shared and back.goals[0].text == plan.goals[0].text


def test_a_health_concern_without_tplan_codes_is_read_as_a_presenting_concern():
    bundle = plan_to_bundle(load_plan_file(ROBIN_V2_YAML), "robin")
    concerns = [c for c in resources(bundle, "Condition") if "health-concern" in json.dumps(c)]
    for c in concerns:  # as an EHR would write it: US Core's category alone
        c["category"] = [c["category"][0]]
    plan = bundle_to_plan(bundle)
    assert [c.text for c in plan.presenting_concerns] == [c["code"]["text"] for c in concerns]
    assert [dx.code for dx in plan.history.diagnoses] == ["F32.1"]


# --------------------------------------------------------------------------- refused bundles


def chris_bundle() -> dict[str, Any]:
    return copy.deepcopy(plan_to_bundle(load_plan_file(CHRIS_YAML), "chris"))


def index_of(bundle: dict[str, Any], kind: str) -> int:
    return next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == kind)


def test_a_bundle_without_a_careplan_is_refused():
    bundle = chris_bundle()
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "CarePlan"]
    assert refusal(bundle) == [
        "entry: holds no CarePlan: a tplan bundle holds one CarePlan, the plan"
    ]


def test_not_a_bundle_is_refused():
    assert refusal([]) == ["must be a JSON object, got a list"]
    assert refusal({"resourceType": "Patient"}) == ["resourceType: must be 'Bundle', got 'Patient'"]


def test_a_wrong_type_is_refused_with_its_path_in_the_bundle():
    bundle = chris_bundle()
    g = index_of(bundle, "Goal")
    bundle["entry"][g]["resource"]["target"][0]["detailInteger"] = "ten"
    assert refusal(bundle) == [
        f"entry[{g}].resource.target[0].detailInteger: must be a whole number, got 'ten'"
    ]


def test_a_value_the_plan_refuses_is_named_by_its_resource_and_plan_field():
    bundle = chris_bundle()
    g = index_of(bundle, "Goal")
    bundle["entry"][g]["resource"]["target"][0]["detailInteger"] = 11
    (problem,) = refusal(bundle)
    assert problem.startswith(f"entry[{g}].resource (goals[0].rating.target): must be")


def test_a_plan_without_goals_is_refused_at_its_careplan():
    bundle = chris_bundle()
    c = index_of(bundle, "CarePlan")
    del bundle["entry"][c]["resource"]["goal"]
    del bundle["entry"][c]["resource"]["activity"]
    assert refusal(bundle) == [f"entry[{c}].resource (goals): is required: at least one goal"]


def test_a_reference_to_nothing_is_refused():
    bundle = chris_bundle()
    c = index_of(bundle, "CarePlan")
    bundle["entry"][c]["resource"]["goal"][0]["reference"] = "urn:uuid:nowhere"
    assert (
        f"entry[{c}].resource.goal[0]: must refer to a Goal in the bundle, got 'urn:uuid:nowhere'"
        in refusal(bundle)
    )


def test_an_imported_bundle_keeps_dates_as_dates():
    plan = through_json(load_plan_file(CHRIS_YAML))
    assert isinstance(plan.plan.started, date)
