"""The vague-objective checker: measurable texts pass, vague ones get a reason in words."""

from __future__ import annotations

import pytest

from tplan_tui.core.measurable import is_measurable, vagueness

MEASURABLE = [
    "Client will walk 20 minutes 4 days a week",
    "Chris will make a list of the household rules.",
    "rated at least 6 out of 10",
    "Sam will apply for two jobs by 2026-12-01",
    "attend 3 support group meetings",
    "Client will call her sister",
    "Client will write a letter to her father",
    "Chris will present his new parenting plan to his son during a family meeting.",
    "Ana will journal daily",
    "Client will stretch every morning",
    "By March 1, client will sign up for a class.",
    "{name} will go to school on 4 of 5 days.",
    "Lee will keep a sleep diary for two weeks",
    "Client will name three things that went well, out loud, at bedtime",
    "Client will have panic attacks once a week or less",
    "Kim will read the safety plan aloud in session",
    "{name} will make a list of ways to feel better",
    "Client will attend school on Mondays and Fridays",
]

VAGUE = [
    ("Client will feel better", "feel"),
    ("Improve mood", "improve"),
    ("Be less anxious", "be less"),
    ("Client will understand her anger", "understand"),
    ("Client will use coping skills", None),
    ("Client will exercise more", "exercise more"),
    ("Client will feel calm every day", "feel"),
    ("Client will be happier", "be happier"),
    ("Client will work on self-esteem", "work on"),
    ("Client will talk to friends more often", "more"),
    ("June will feel better", "feel"),
    ("Client will practice relaxation", None),
    ("Gain insight into the past", "gain insight"),
    ("Client will have a better relationship with her mother", "better"),
    ("{name} will cope", "cope"),
    ("Reduce stress", "reduce"),
    ("Client will learn to relax", "learn"),
    ("No one will worry about her", None),
]


@pytest.mark.parametrize("text", MEASURABLE)
def test_measurable_text_passes(text):
    assert vagueness(text) is None
    assert is_measurable(text)


@pytest.mark.parametrize(("text", "word"), VAGUE)
def test_vague_text_gets_a_short_reason(text, word):
    reason = vagueness(text)
    assert reason is not None, f"{text!r} should be flagged as vague"
    assert len(reason) < 120
    if word is not None:
        assert word in reason  # the reason names what is vague
    else:
        assert "nothing in it can be counted or seen" in reason


def test_examples_are_enough():
    assert len(MEASURABLE) >= 12 and len(VAGUE) >= 12


def test_empty_text_is_not_measurable():
    assert vagueness("") == "there is nothing written yet"
    assert vagueness("   ") == "there is nothing written yet"


def test_a_month_or_weekday_alone_is_not_a_date():
    # April and June are names too; "by June" is a deadline.
    assert vagueness("April will feel better") is not None
    assert vagueness("Client will feel better by June") is None


def test_placeholder_is_not_the_verb_name():
    assert vagueness("{name} will feel better") is not None
    assert vagueness("{name} will name her feelings") is None


def test_every_goal_and_objective_of_the_sample_plan_passes(chris):
    texts = [t for g in chris.goals for t in [g.text, *(o.text for o in g.objectives)]]
    assert len(texts) == 5
    assert {t: vagueness(t) for t in texts} == {t: None for t in texts}
