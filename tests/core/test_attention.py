"""Signs of risk that must not be overlooked: low and falling ratings, words of self-harm."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from tests.samples import CHRIS_YAML
from tplan_tui.core import attention
from tplan_tui.core import model as m
from tplan_tui.core.progress import GoalCheckin, record_checkin
from tplan_tui.planfile import load_plan_file

D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 29)


@pytest.fixture
def plan() -> m.Plan:
    p = load_plan_file(CHRIS_YAML)
    for goal in p.goals:
        goal.progress = []
    p.reviews = []
    return p


def checkin(plan: m.Plan, day: date, client: int | None, clinician: int | None = None, note=None):
    record_checkin(
        plan, day, {0: GoalCheckin(client_rating=client, clinician_rating=clinician)}, note
    )


def texts(plan: m.Plan) -> list[str]:
    return [r.text for r in attention.reasons(plan)]


def test_a_plan_with_steady_ratings_and_plain_notes_needs_no_attention(plan):
    checkin(plan, D1, 5, 5, "Walked twice this week.")
    checkin(plan, D2, 6, 5, "Slept better; called his sister.")
    assert attention.reasons(plan) == []


def test_a_fall_from_6_to_0_is_said_in_words_with_the_goal_and_date(plan):
    checkin(plan, D1, 6)
    checkin(plan, D2, 0, note="Says everyone would be better off without her")
    found = attention.reasons(plan)
    label = plan.goals[0].rating.label
    assert f"the client's latest rating on goal 1 ({label}) is 0 out of 10" in texts(plan)
    assert f"the client's rating on goal 1 ({label}) fell from 6 to 0" in texts(plan)
    assert 'a check-in note says "better off without her"' in texts(plan)
    assert {r.on for r in found} == {D2}
    assert found[0].to_json()["date"] == "2026-11-15"


@pytest.mark.parametrize(
    ("before", "after", "flagged"), [(7, 3, True), (7, 4, False), (5, 1, True)]
)
def test_a_fall_of_four_or_more_counts_and_three_does_not(plan, before, after, flagged):
    checkin(plan, D1, None, before)
    checkin(plan, D2, None, after)
    fell = any("clinician's rating" in t and "fell" in t for t in texts(plan))
    assert fell is flagged


def test_only_the_latest_rating_of_each_rater_counts(plan):
    checkin(plan, D1, 1)
    checkin(plan, D2, 3)
    assert attention.reasons(plan) == []  # a low rating that has since risen is history


def test_a_scale_where_lower_is_better_turns_the_rules_around(plan):
    goal = plan.goals[0]
    goal.rating.better = "lower"  # format v2; v1 plans are all higher-is-better
    goal.rating.baseline, goal.rating.target = 8, 3
    checkin(plan, D1, 4)
    checkin(plan, D2, 10)
    assert any("is 10 out of 10" in t for t in texts(plan))
    assert any("fell from 4 to 10" in t for t in texts(plan))
    plan2 = plan
    for g in plan2.goals:
        g.progress = []
    checkin(plan2, D1, 0)
    assert attention.reasons(plan2) == []  # 0 is the best end of this scale


@pytest.mark.parametrize(
    "note",
    [
        "He said he has been thinking about suicide.",
        "Reports SUICIDAL thoughts last weekend",
        "wants to die some days",
        "says she might hurt herself",
        "talked about ending it: 'I want to kill myself'",
        "Dice que su familia estaría mejor sin ella",
        "Ya no quiero vivir, dijo",
        "pensó en quitarme la vida",
        "habló de suicidio",
        "history of self-harm (cutting)",
        "took an overdose in 2019",
    ],
)
def test_words_of_self_harm_or_suicide_in_english_and_spanish_are_found(plan, note):
    checkin(plan, D1, 6, note=note)
    assert any(t.startswith("a check-in note says") for t in texts(plan)), note


@pytest.mark.parametrize(
    "note",
    [
        "Cut back on coffee; killed it at work this week.",
        "Felt alive at the concert.",
        "Dead tired after the night shift.",
        "Quiere vivir en otra ciudad.",
        "Harmony class went well.",
    ],
)
def test_ordinary_words_are_not_taken_for_risk(plan, note):
    checkin(plan, D1, 6, note=note)
    assert attention.reasons(plan) == []


def test_a_review_note_counts_too_and_reasons_come_newest_first(plan):
    checkin(plan, D1, 6)
    checkin(plan, D3, 1)
    plan.reviews.append(m.Review(date=D2, note="Talked about self-harm; safety plan made."))
    found = attention.reasons(plan)
    assert [r.on for r in found] == sorted((r.on for r in found), reverse=True)
    assert 'a review note says "self-harm"' in texts(plan)


def test_addressing_sets_aside_older_reasons_and_a_newer_one_brings_the_alert_back(plan):
    checkin(plan, D1, 6)
    checkin(plan, D2, 0)
    assert attention.open_reasons(plan, addressed_on=D2) == []
    checkin(plan, D3, 1)
    again = attention.open_reasons(plan, addressed_on=D2)
    assert again and all(r.on == D3 for r in again)
    assert attention.open_reasons(plan, None) == attention.reasons(plan)


# --------------------------------------------------------------------------- format v2: measures, risk


def phq9(day: date, item9: int) -> m.Measure:
    return m.Measure("PHQ-9", day, items=[1, 1, 1, 1, 1, 1, 1, 1, item9])


def test_a_phq9_item_9_above_0_needs_attention_and_0_does_not(plan):
    plan.measures = [phq9(D1, 0)]
    assert attention.reasons(plan) == []
    plan.measures.append(phq9(D2, 1))
    [reason] = attention.reasons(plan)
    assert reason.text.startswith("PHQ-9 item 9 (thoughts of death or self-harm) scored 1")
    assert reason.on == D2


def test_a_gad7_or_a_phq9_total_alone_raises_nothing(plan):
    plan.measures = [m.Measure("PHQ-9", D1, total=27), m.Measure("GAD-7", D1, items=[3] * 7)]
    assert attention.reasons(plan) == []


@pytest.mark.parametrize(
    ("risk", "safety_plan", "expected"),
    [
        ("none", None, []),
        ("low", None, []),
        ("moderate", None, ["moderate risk and there is no safety plan yet"]),
        ("moderate", D2, []),
        ("moderate", D1, ["moderate risk on 2026-11-15, and the safety plan is from 2026-11-01"]),
        ("high", D2, ["the latest risk assessment says high risk"]),
        (
            "imminent",
            None,
            [
                "the latest risk assessment says imminent risk",
                "imminent risk and there is no safety plan yet",
            ],
        ),
    ],
)
def test_risk_assessments_and_the_safety_plan(plan, risk, safety_plan, expected):
    plan.safety.assessments = [m.RiskAssessment(D1, "high"), m.RiskAssessment(D2, risk)]
    if safety_plan is not None:
        plan.safety.plan = m.SafetyPlan(made_on=safety_plan, warning_signs=["Not sleeping"])
    found = [r.text for r in attention.reasons(plan)]
    assert [t for t in found if not any(t.startswith(e) for e in expected)] == []
    assert all(any(t.startswith(e) for t in found) for e in expected)


def test_of_two_risk_assessments_on_one_day_the_one_entered_later_is_the_latest(plan):
    # Low in the morning, imminent in the afternoon: the afternoon's is what counts.
    plan.safety.assessments = [
        m.RiskAssessment(date=D2, risk="low"),
        m.RiskAssessment(date=D2, risk="imminent"),
    ]
    assert plan.safety.latest_assessment is plan.safety.assessments[1]
    assert "the latest risk assessment says imminent risk" in texts(plan)


def test_a_second_rating_of_0_the_same_day_is_a_newer_cause(plan):
    checkin(plan, D2, 0)
    seen = attention.reasons(plan)
    marks = [attention.Mark(D2, frozenset(r.key for r in seen))]
    assert attention.open_reasons(plan, marks) == []
    before = copy.deepcopy(plan)
    checkin(plan, D2, 0)  # later the same day, 0 again
    again = attention.open_reasons(plan, marks)
    assert [r.on for r in again] == [D2]
    assert attention.new_reasons(before, plan, marks) == again
    # A rename of the goal's scale is no newer cause.
    renamed = copy.deepcopy(before)
    renamed.goals[0].rating.label = "how the week went"
    assert attention.open_reasons(renamed, marks) == []
