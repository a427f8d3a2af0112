"""The client's copy is measurable and reads the scale the right way: the goal's countable
criterion in plain words, which end is better, the target's side, and their own words for steps,
what is done, and when they are ready to finish."""

from __future__ import annotations

from datetime import date

import pytest

from tplan_tui.core import model as m
from tplan_tui.core.measurable import criteria
from tplan_tui.summary import render

TODAY = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Maria will walk her dog at least 4 days a week for two weeks in a row.",
            ["at least 4 days a week", "for two weeks in a row"],
        ),
        ("Maya attends at least 9 of 10 school days.", ["at least 9 of 10 school days"]),
        ("Call one friend twice a week.", ["twice a week"]),
        ("Feel better about school.", []),
        ("Rate her mood 6 out of 10 or higher.", []),  # the rating is said by the scale
    ],
)
def test_criteria_are_the_countable_parts_as_written(text, found):
    assert criteria(text) == found


def panic_plan() -> m.Plan:
    goal = m.Goal(
        text="Maria will have panic attacks on no more than 1 day a week for a month.",
        in_client_words="I want panic to stop running my week.",
        rating=m.Rating("How strong the panic was", "none", "the worst ever", 8, 3, "lower"),
        objectives=[
            m.Objective(
                "Maria will walk her dog 4 days a week.",
                in_client_words="I walk Pepper 4 days a week.",
            )
        ],
        interventions=[
            m.Intervention(
                "Clinician will use interoceptive exposure with Maria.",
                by="clinician",
                in_client_words="Sam helps me face the body feelings of panic, step by step.",
            )
        ],
    )
    plan = m.Plan(
        client=m.Client(name="Maria"),
        clinician=m.Clinician(name="Sam"),
        goals=[goal],
    )
    plan.plan.discharge_criteria = "Maria reports no panic attacks for 4 weeks."
    plan.plan.discharge_in_client_words = "I have gone a month with no panic attacks."
    return plan


def test_the_client_copy_says_the_criterion_and_which_end_is_better():
    text = " ".join(render(panic_plan(), today=TODAY).split())
    assert "Here a lower number is better." in text
    assert "Your target: 3 out of 10 or lower" in text
    assert "How you will know you got there: no more than 1 day a week, for a month." in text


def test_the_client_reads_their_own_words_for_steps_help_and_finishing():
    text = render(panic_plan(), today=TODAY)
    assert "I walk Pepper 4 days a week." in text
    assert "Sam helps me face the body feelings of panic" in text
    assert "I have gone a month with no panic attacks." in text
    for clinician_words in ("Maria will walk", "Clinician will use", "Maria reports"):
        assert clinician_words not in text


def test_an_overdue_review_is_the_clinicians_job_not_the_clients():
    plan = panic_plan()
    plan.plan.started, plan.plan.review_every_days = date(2026, 1, 1), 90
    text = " ".join(render(plan, today=TODAY).split())
    assert "Sam will set a time to do it with you soon." in text
    assert "Please ask" not in text
