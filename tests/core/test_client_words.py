"""The checker of client lines: written about the client, not to them; clinical words; too hard
to read. Positive and negative cases, and the lines it lists for the sign step with their paths."""

from __future__ import annotations

import pytest

from tplan_tui.core import model as m
from tplan_tui.core.client_words import flagged_texts, reasons, wording_problems

ABOUT = "is written about Maria, not to her"


@pytest.mark.parametrize(
    "text",
    [
        "Maria will walk her dog 4 days a week.",
        "She will call one friend each week.",
        "They will call one friend each week.",
        "Write it in her log each night.",  # her own pronoun: about her
        "Clinician will meet with the family.",
        "The client will keep a sleep diary.",
        "Help Maria Lopez plan her week.",  # the full name counts too
    ],
)
def test_third_person_about_the_client_is_flagged(text):
    assert ABOUT in reasons(text, "Maria", "she/her", full_name="Maria Lopez", quick=True)


@pytest.mark.parametrize(
    "text",
    [
        "I walk Pepper 4 days a week.",
        "I call one friend each week.",
        "We meet every Tuesday after school.",
        "You and Sam plan one fun thing each week.",
        "Marianne from the clinic calls me on Fridays.",  # another name that starts the same
        "",
    ],
)
def test_lines_written_to_or_by_the_client_pass(text):
    assert reasons(text, "Maria", "she/her", full_name="Maria Lopez") == []


def test_his_pronouns_flag_his_words_not_hers():
    assert reasons("Write it in his log.", "Sam", "he/him", quick=True) == [
        "is written about Sam, not to him"
    ]
    assert reasons("Write it in her log.", "Sam", "he/him", quick=True) == []


def test_clinical_words_and_hard_sentences_are_flagged():
    found = reasons("Clinician will use behavioral activation with Maria.", "Maria", "she/her")
    assert found[0] == ABOUT
    assert found[1] == "uses clinical words (behavioral activation)"
    assert found[2].startswith("reads at grade ") and found[2].endswith("(above 8)")
    assert reasons("Learn about psychoeducation.", quick=True) == [
        "uses clinical words (psychoeducation)"
    ]
    assert reasons("I try cognitive restructuring.", quick=True) == [
        "uses clinical words (cognitive restructuring)"
    ]
    # One long, hard sentence with no clinical word and no name: its grade alone.
    hard = (
        "Comprehensive interdisciplinary coordination necessitates systematic documentation "
        "of physiological manifestations."
    )
    assert [r for r in reasons(hard) if r.startswith("reads at grade")]
    assert reasons("I walk my dog in the park.") == []


def maria() -> m.Plan:
    goal = m.Goal(
        text="Maria will walk 4 days a week.",
        in_client_words="I want to move more.",
        objectives=[
            m.Objective("Maria will walk her dog 4 days a week."),
            m.Objective("Walk to the shop.", in_client_words="I walk to the shop."),
        ],
        interventions=[
            m.Intervention("Clinician will use behavioral activation with Maria.", by="clinician"),
        ],
    )
    plan = m.Plan(client=m.Client(name="Maria", pronouns="she/her"), goals=[goal, m.Goal()])
    plan.goals[1] = m.Goal(
        text="Sleep 7 hours.",
        objectives=[m.Objective("She will go to bed by 11 pm.")],
    )
    plan.contract.client_agrees_to = ["Write it in her log.", "Come on time."]
    plan.plan.discharge_criteria = "Maria walks 4 days a week for a month."
    return plan


def test_the_sign_step_list_names_each_line_with_its_path_and_what_to_do():
    problems = wording_problems(maria())
    lines = {p.path: p.sentence for p in problems}
    assert lines["goals[0].objectives[0].text"] == (
        "Goal 1, step 1 is written about Maria, not to her: add her words"
    )
    assert lines["goals[1].objectives[0].text"].startswith("Goal 2, step 1 is written about")
    assert "uses clinical words (behavioral activation)" in lines["goals[0].interventions[0].text"]
    assert "contract.client_agrees_to[0]" in lines
    assert "plan.discharge_criteria" in lines
    # Lines with client words of their own, or written to the client, are not listed.
    for path in ("goals[0].text", "goals[0].objectives[1].text", "contract.client_agrees_to[1]"):
        assert path not in lines
    fix = {p.path: p.fix for p in problems}
    assert fix["goals[0].objectives[0].text"] == ("goals", 0, "objectives", 0, "in_client_words")
    assert fix["plan.discharge_criteria"] == ("plan", "discharge_in_client_words")


def test_no_line_is_listed_once_the_client_words_are_there():
    plan = maria()
    for p in wording_problems(plan):
        if p.fix[-1] == "in_client_words" or p.fix == ("plan", "discharge_in_client_words"):
            obj = plan
            for part in p.fix[:-1]:
                obj = obj[part] if isinstance(part, int) else getattr(obj, part)
            setattr(obj, p.fix[-1], "I do it my way.")
        else:
            plan.contract.client_agrees_to[p.fix[-1]] = "I write it in my log."
    assert wording_problems(plan) == []
    assert flagged_texts(plan) == frozenset()
