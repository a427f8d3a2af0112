"""The checklist of what a complete plan holds: exactly what a minimal plan lacks, nothing for a
complete one, each item in words with its field path and the step that fills it in."""

from __future__ import annotations

from datetime import date

import pytest

from tplan_tui.core import completeness as c
from tplan_tui.core import model as m

TODAY = date(2026, 3, 1)


def minimal() -> m.Plan:
    """What the plan file requires and nothing more."""
    return m.Plan(
        client=m.Client(name="Sam"),
        clinician=m.Clinician(name="Dana Reyes"),
        plan=m.PlanInfo(started=date(2026, 1, 5), review_every_days=90),
        presenting_concerns=[m.Concern(text="Low mood most days")],
        strengths=[m.Strength(text="Keeps a job")],
        goals=[
            m.Goal(
                text="Sam will rate his mood 6 or more on most days",
                rating=m.Rating(label="mood", low="awful", high="great", baseline=3, target=6),
                objectives=[m.Objective(text="Walk 20 minutes 3 days a week")],
            )
        ],
    )


def complete() -> m.Plan:
    plan = minimal()
    plan.clinician.credentials = "LCSW"
    plan.plan.level_of_care = "outpatient"
    plan.plan.discharge_criteria = "Mood 6 or more for 4 weeks running"
    plan.history.referral = "Referred by his doctor for low mood"
    plan.history.diagnoses = [
        m.Diagnosis(
            code="F32.1",
            label="Major depressive disorder",
            # tplan keeps these under extra until the format has keys for them
            extra={
                "diagnosed_on": "2026-01-05",
                "diagnosed_by": "Dana Reyes, LCSW",
                "concerns": [1],
            },
        )
    ]
    goal = plan.goals[0]
    goal.addresses = [1]
    goal.target_date = date(2026, 6, 1)
    goal.in_client_words = "Feel like myself again"
    goal.objectives[0].target_date = date(2026, 3, 1)
    goal.interventions = [
        m.Intervention(
            text="Behavioral activation", modality="CBT", frequency="weekly", by="clinician"
        )
    ]
    plan.signatures = [
        m.Signature(role="client", name="Sam", signed_on=TODAY),
        m.Signature(role="clinician", name="Dana Reyes", signed_on=TODAY),
    ]
    plan.safety.assessments = [m.RiskAssessment(date=TODAY, risk="low")]
    plan.measures = [m.Measure(instrument="PHQ-9", date=TODAY, total=14)]
    return plan


def test_minimal_plan_lacks_exactly_these_for_basic():
    found = [(f.path, f.words, f.step) for f in c.missing(minimal(), TODAY, "basic")]
    assert found == [
        ("signatures", "Not signed yet by the client.", "review"),
        ("signatures", "Not signed yet by the clinician.", "review"),
        ("goals[0].addresses", "Goal 1: which concern it works on is not said.", "goals"),
        (
            "goals[0].objectives[0].target_date",
            "Objective 1.1: the target date is missing.",
            "objectives",
        ),
        (
            "goals[0].interventions",
            "Goal 1: no intervention says what will be done.",
            "interventions",
        ),
        (
            "plan.discharge_criteria",
            "The plan: the discharge criteria are missing (when treatment ends).",
            "interventions",
        ),
    ]


def test_joint_commission_asks_more_than_medicaid_which_asks_more_than_basic():
    basic = {f.path for f in c.missing(minimal(), TODAY, "basic")}
    medicaid = {f.path for f in c.missing(minimal(), TODAY, "medicaid-outpatient")}
    joint = {f.path for f in c.missing(minimal(), TODAY, "joint-commission-bh")}
    assert basic < medicaid < joint
    assert medicaid - basic == {
        "history.diagnoses", "goals[0].target_date", "plan.level_of_care", "history.referral",
        "clinician.credentials", "goals[0].in_client_words",
    }  # fmt: skip
    assert joint - medicaid == {"safety.assessments", "measures"}


@pytest.mark.parametrize("profile", ["basic", "medicaid-outpatient", "joint-commission-bh"])
def test_a_complete_plan_lacks_nothing(profile):
    assert c.missing(complete(), TODAY, profile) == []


def test_a_made_up_code_is_missing_in_every_profile():
    plan = complete()
    plan.history.diagnoses[0].code = "banana"
    found = c.missing(plan, TODAY, "basic")
    assert [f.path for f in found] == ["history.diagnoses[0].code"]
    assert found[0].words.startswith("Diagnosis 1: banana is not an ICD-10-CM code; nearest:")
    assert c.missing(plan, TODAY, "basic", codes=False) == []


def test_a_declined_signature_is_recorded_but_is_no_signature():
    plan = complete()
    plan.signatures[0].extra["declined"] = True
    words = [f.words for f in c.missing(plan, TODAY, "basic")]
    assert words == [
        "Not signed yet by the client.",
        "Sam (client) declined to sign: recorded, still unsigned.",
    ]


@pytest.mark.parametrize(
    ("path", "message", "words"),
    [
        ("goals[2].rating.target", "is required: a whole number from 0 to 10", "Goal 3: the target rating is missing."),
        ("goals[0].objectives[1].text", "is required", "Objective 1.2: the text is missing."),
        ("goals[1].objectives", "is required: at least one objective", "Goal 2: no objective yet."),
        ("goals", "is required: at least one goal", "No goal yet."),
        ("client.name", "is required", "The client: the name is missing."),
        ("signatures[0].role", "is required: one of client, clinician", "Signature 1: the role is missing."),
    ],
)  # fmt: skip
def test_errors_in_words(path, message, words):
    assert c.error_in_words(path, message) == words


def test_every_shipped_profile_loads_and_names_known_elements():
    assert c.profile_names() == ["basic", "joint-commission-bh", "medicaid-outpatient"]
    for name in c.profile_names():
        profile = c.load_profile(name)
        assert profile.requires and profile.about
    with pytest.raises(c.ProfileError, match="no profile 'strict'"):
        c.load_profile("strict")


def test_the_profile_setting_is_checked_and_kept():
    from tplan_tui.settings import Settings, dump_settings, parse_config_yaml, settings_from_data

    settings, problems = settings_from_data({"profile": "medicaid-outpatient"})
    assert (settings.profile, problems) == ("medicaid-outpatient", [])
    settings, problems = settings_from_data({"profile": "strict"})
    assert settings.profile == "basic"
    assert problems == [
        "profile: must be one of basic, joint-commission-bh, medicaid-outpatient, got 'strict'"
    ]
    again, problems = settings_from_data(
        parse_config_yaml(dump_settings(Settings(profile="joint-commission-bh")))
    )
    assert (again.profile, problems) == ("joint-commission-bh", [])


@pytest.mark.parametrize("profile", ["basic", "medicaid-outpatient", "joint-commission-bh"])
@pytest.mark.parametrize("risk", ["moderate", "high", "imminent"])
def test_risk_above_low_without_a_safety_plan_is_listed_in_every_profile(profile, risk):
    # The safety step can be passed by (Ctrl+G): the sign step must not let it go unnoticed.
    plan = complete()
    plan.safety.assessments.append(m.RiskAssessment(date=TODAY, risk=risk))
    found = c.missing(plan, TODAY, profile, codes=False)
    assert [(f.path, f.step, f.element) for f in found] == [
        ("safety.plan", "safety", "safety_plan")
    ]
    assert found[0].words == (
        f"The latest risk assessment (2026-03-01) says {risk} risk and there is no safety plan "
        "(step 5: S writes it with the client)."
    )
    plan.safety.plan = m.SafetyPlan(made_on=TODAY)  # dated but empty: still no safety plan
    assert [f.path for f in c.missing(plan, TODAY, profile, codes=False)] == ["safety.plan"]
    plan.safety.plan.warning_signs = ["Not answering my phone"]
    assert c.missing(plan, TODAY, profile, codes=False) == []


def test_only_the_latest_risk_counts_for_the_safety_plan_item():
    plan = complete()
    plan.safety.assessments = [
        m.RiskAssessment(date=date(2026, 2, 1), risk="high"),
        m.RiskAssessment(date=TODAY, risk="low"),
    ]
    assert c.missing(plan, TODAY, "basic", codes=False) == []
    # Two on one day: the one entered later is the latest.
    plan.safety.assessments.append(m.RiskAssessment(date=TODAY, risk="moderate"))
    assert [f.path for f in c.missing(plan, TODAY, "basic", codes=False)] == ["safety.plan"]
