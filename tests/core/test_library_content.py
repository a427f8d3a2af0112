"""The shipped goal library is right by construction: the content checker over every area.

``content_problems`` lists every way the library falls short; the first test runs it over the
whole shipped library and prints the lot, so a new area file shows all its problems at once.
The tests after it feed the checker a small invented area with one mistake each, so every
check is seen to catch what it is for.
"""

from __future__ import annotations

import re

import pytest

from tplan_tui.library import Library, load_shipped_library, read_area_text
from tplan_tui.library.content import client_wording, content_problems, grade


@pytest.fixture(scope="module")
def shipped():
    library = load_shipped_library()
    assert library.problems == []
    return library


def test_the_whole_shipped_library_passes_the_checker(shipped):
    problems = content_problems(shipped)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_client_wording_everywhere_reads_at_grade_6_or_below(shipped):
    grades = [grade(words) for _, words in client_wording(shipped)]
    assert len(grades) > 100  # concerns, goals and the objectives that have client words
    assert max(grades) <= 6


# --------------------------------------------------------------------------- what was fixed


def scale(library, area, goal_words):
    goal = next(g for g in library.area(area).goals if goal_words in g.text)
    return goal.rating


@pytest.mark.parametrize(
    ("area", "goal_words", "high"),
    [
        ("Chronic illness adjustment", "come to terms", "very upset"),
        ("Life transitions", "stress of the change", "overwhelmed"),
        ("Panic", "feared body sensations", "terrified"),
        ("School refusal", "calm school mornings", "big fights"),
        ("Sleep", "wind-down routine", "racing"),
        ("Trauma", "trauma memory", "I fall apart"),
        ("Trauma", "avoided but safe places", "terrified"),
    ],
)
def test_a_target_of_so_much_or_lower_is_on_a_scale_where_lower_is_better(
    shipped, area, goal_words, high
):
    rating = scale(shipped, area, goal_words)
    assert (rating.better, rating.high) == ("lower", high)
    goal = next(g for g in shipped.area(area).goals if goal_words in g.text).to_goal("Noor")
    assert goal.rating.better == "lower" and goal.rating.worse_than(7, 2)


def test_every_shipped_scale_says_which_end_is_better(shipped):
    sides = {g.rating.better for _, g in shipped.goals()}
    assert sides == {"higher", "lower"}


def test_trauma_offers_the_named_trauma_therapies(shipped):
    named = " ".join(
        f"{i.text} {i.modality}" for g in shipped.area("Trauma").goals for i in g.interventions
    )
    for name in ("EMDR", "prolonged exposure (PE)", "cognitive processing therapy (CPT)"):
        assert name in named
    assert "trauma-focused cognitive behavioral therapy" not in named.casefold()


def test_reassurance_seeking_is_treated_with_erp(shipped):
    area = shipped.area("Generalized anxiety")
    assert any(
        i.modality == "exposure and response prevention (ERP)"
        for g in area.goals
        for i in g.interventions
    )


def test_sleep_restriction_and_interoceptive_exposure_carry_their_cautions(shipped):
    sleep = [i for g in shipped.area("Sleep").goals for i in g.interventions]
    window = next(i for i in sleep if "sleep restriction" in (i.modality or ""))
    for risk in ("bipolar", "seizures", "sleep apnea", "driving"):
        assert risk in window.caution
    panic = [i for g in shipped.area("Panic").goals for i in g.interventions]
    body = next(i for i in panic if i.modality == "interoceptive exposure")
    assert "medical clearance" in body.caution


def test_means_safety_steps_are_for_today(shipped):
    home = next(g for g in shipped.area("Safety planning").goals if "home safer" in g.text)
    words = " ".join([home.text, *(o.text for o in home.objectives)])
    assert "today" in home.text and "week" not in words and "day 7" not in words


@pytest.mark.parametrize("area", ["School refusal", "Parenting", "Attention problems"])
def test_areas_for_families_have_a_variant_for_teenagers(shipped, area):
    teen = [g for g in shipped.area(area).goals if g.ages == "adolescent"]
    assert len(teen) == 1
    assert all(o.in_client_words for o in teen[0].objectives)


def test_every_area_can_be_found_by_its_synonyms(shipped):
    for area in shipped.areas:
        assert len(area.synonyms) >= 5, area.area
        assert len({s.casefold() for s in area.synonyms}) == len(area.synonyms), area.area


# --------------------------------------------------------------------------- each check catches

GOOD = """\
area: Kite flying worries
description: "Invented for the checker's tests: worry before flying a kite."
synonyms: [kites, wind, string, tangles, park]
presenting_concerns:
  - text: "Reports staying home on windy days."
    in_client_words: "I stay in when it is windy."
  - text: "Reports 3 lost kites this spring."
    in_client_words: "I lost my kites."
goals:
  - text: "{name} will fly a kite in the park on 2 days a week, with worry rated 3 out of 10 or lower."
    in_client_words: "I want to fly my kite again."
    rating: {label: "How much I worry about the kite", low: "no worry", high: "lots of worry", better: lower}
    objectives:
      - "{name} will check the wind forecast each Saturday morning."
      - "{name} will fly the kite for 10 minutes on 2 days a week."
      - text: "{name} will tie 1 new knot each week."
        in_client_words: "I will tie a new knot each week."
      - "{name} will write down each flight in a log."
    interventions:
      - {text: "Clinician will plan each flight with {name}.", modality: planning, frequency: weekly, by: clinician}
      - {text: "Clinician will teach {name} a calm breath for the park.", modality: relaxation training, frequency: once, by: clinician}
      - {text: "{name} will bring the log to each session.", modality: self-monitoring, frequency: weekly, by: client}
"""


def one_area(text: str) -> Library:
    return Library([read_area_text(text)])


def goals_of(text: str, n: int) -> str:
    """``text`` with its one goal repeated ``n`` times, each a little different (no duplicates)."""
    head, goal = text.split("goals:\n")
    copies = []
    for k in range(n):
        copy = goal
        for word in ("park", "kite", "Clinician", "calm breath", "log to", "Saturday", "flight"):
            copy = copy.replace(word, f"{word}{'x' * k}")
        copy = copy.replace("knot", f"knot{k}")
        copies.append(copy)
    return head + "goals:\n" + "".join(copies)


def problems(text: str) -> list[str]:
    return content_problems(one_area(goals_of(text, 3)))


def test_a_sound_invented_area_has_no_problems():
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("synonyms: [kites, wind, string, tangles, park]", "synonyms: [kites]"), "has 1 synonyms"),
        (("better: lower", "better: higher"), "on the lower side but better is higher"),
        (("or lower", "or higher"), "on the higher side but better is lower"),
        (
            ("better: lower}", "}"),
            "rating.better is missing",
        ),
        (
            (
                '"I will tie a new knot each week."',
                '"I will endeavour to accomplish intricate knotwork systematically."',
            ),
            "client words at grade",
        ),
        (
            (
                '"{name} will write down each flight in a log."',
                '"{name} will feel better about kites."',
            ),
            "not measurable",
        ),
        (
            ("modality: planning", "modality: exposure response prevention"),
            "name it exposure and response prevention (ERP)",
        ),
        (
            ("modality: planning", "modality: trauma-focused cognitive behavioral therapy"),
            "TF-CBT is for children and teens with a caregiver",
        ),
        (
            ("modality: relaxation training", "modality: sleep restriction"),
            "sleep restriction needs a caution",
        ),
        (
            ("a calm breath for the park", "interoceptive exercises for the park"),
            "interoceptive exposure needs a caution",
        ),
        ((", frequency: once", ""), "needs frequency"),
    ],
)
def test_each_check_catches_its_mistake(change, expected):
    found = problems(GOOD.replace(*change))
    assert any(expected in p for p in found), found
    assert all("Kite flying worries" in p or "said twice" in p for p in found)


def test_too_few_parts_are_counted():
    thin = one_area(GOOD)  # one goal only
    assert "Kite flying worries: has 1 goals, needs 3" in content_problems(thin)
    short = GOOD.replace('      - "{name} will write down each flight in a log."\n', "")
    assert any("has 3 objectives, needs 4" in p for p in problems(short))


def test_the_same_text_twice_is_named():
    twice = content_problems(Library([read_area_text(GOOD), read_area_text(GOOD)]))
    assert "said twice in the library: 'clinician will plan each flight with {name}'" in twice


def test_tf_cbt_is_fine_for_a_teen_with_a_caregiver():
    teen = GOOD.replace(
        "modality: planning", "modality: TF-CBT with a caregiver in each session"
    ).replace("    rating:", "    ages: adolescent\n    rating:")
    assert not any("TF-CBT" in p for p in problems(teen))


def test_a_problem_names_its_area_and_text():
    found = problems(GOOD.replace("better: lower", "better: higher"))
    assert re.match(r"Kite flying worries: goal '\{name\} will fly a kite", found[0])
