"""The goal library: the shipped areas, the clinician's own, saving to it, and `tplan library`."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import textstat

from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.core.measurable import vagueness
from tplan_tui.library import (
    USER,
    LibraryFileError,
    SaveToLibraryError,
    fill_name,
    generalize,
    library_command,
    load_library,
    load_shipped_library,
    read_area_text,
    save_goal_to_user_library,
    user_library_dir,
)

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "tplan_tui" / "library"
SHIPPED_FILES = sorted(LIBRARY_DIR.glob("*.yaml"))
REQUIRED_AREAS = [
    "Depression", "Generalized anxiety", "Panic", "Trauma", "Grief", "Anger", "Parenting",
    "Couple conflict", "Substance use", "Sleep", "Self-esteem", "Loneliness and social skills",
    "School refusal", "Attention problems", "Life transitions", "Work stress",
    "Chronic illness adjustment", "Safety planning",
]  # fmt: skip


@pytest.fixture(scope="module")
def shipped():
    library = load_shipped_library()
    assert library.problems == []
    return library


def client_wording(library) -> list[str]:
    words = [c.in_client_words for a in library.areas for c in a.concerns]
    words += [g.in_client_words for _, g in library.goals()]
    return words


def user_file(name: str, text: str) -> Path:
    folder = user_library_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MY_SLEEP = """\
# my own sleep goals
area: sleep
goals:
  - text: "{name} will keep a phone-free bedroom on 6 nights a week."
    in_client_words: "I want my phone out of my room."
    rating: {label: "How phone-free my nights are", low: "phone all night", high: "no phone at all"}
    objectives:
      - "{name} will charge the phone in the kitchen every night."
"""

MY_NEW_AREA = """\
area: Volunteer burnout
description: Giving time to a cause while keeping some rest of one's own.
goals:
  - text: "{name} will take 2 hours of respite each week."
    rating: {label: "How rested I am", low: "exhausted", high: "rested"}
    objectives:
      - text: "{name} will ask 1 relative to cover a Saturday afternoon."
"""


# --------------------------------------------------------------------------- the shipped library


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_every_shipped_file_is_valid(path):
    area = read_area_text(path.read_text(encoding="utf-8"))
    assert area.area and area.description
    assert path.stem == re.sub(r"[^a-z0-9]+", "-", area.area.lower()).strip(
        "-"
    )  # one file per area, named for it (as slug() names a user's own)


def test_library_has_the_areas_and_sizes_the_issue_asks_for(shipped):
    names = [a.area for a in shipped.areas]
    assert len(names) >= 45 and len(set(names)) == len(names)
    assert set(REQUIRED_AREAS) <= set(names)
    for area in shipped.areas:
        assert len(area.goals) >= 3, area.area
        assert len(area.concerns) >= 2, area.area
        for c in area.concerns:
            assert c.text and c.in_client_words, area.area
        for g in area.goals:
            assert len(g.objectives) >= 4, g.text
            assert len(g.interventions) >= 3, g.text
            assert g.in_client_words, g.text
            assert g.rating.label and g.rating.low and g.rating.high, g.text
            assert g.text.startswith("{name}"), g.text
            for i in g.interventions:
                assert i.text and i.modality and i.frequency and i.by, i.text


def test_no_text_is_repeated_anywhere_in_the_library(shipped):
    texts = []
    for a in shipped.areas:
        texts.append(a.description)
        texts += [t for c in a.concerns for t in (c.text, c.in_client_words)]
        for g in a.goals:
            texts += [g.text, g.in_client_words, g.rating.label, *(o.text for o in g.objectives)]
            texts += [i.text for i in g.interventions]
    counts = Counter(" ".join(t.split()).casefold().rstrip(".") for t in texts)
    assert [t for t, n in counts.items() if n > 1] == []
    assert len(texts) > 500


def test_every_goal_and_objective_in_the_library_is_measurable(shipped):
    vague = {
        text: vagueness(text)
        for _, g in shipped.goals()
        for text in [g.text, *(o.text for o in g.objectives)]
        if vagueness(text) is not None
    }
    assert vague == {}


def test_client_wording_reads_at_grade_6_or_below(shipped):
    words = client_wording(shipped)
    grades = [textstat.flesch_kincaid_grade(w) for w in words]
    assert sum(grades) / len(grades) <= 6
    assert max(grades) <= 8, max(zip(grades, words, strict=True))


def test_client_wording_speaks_as_the_person(shipped):
    for text in client_wording(shipped):
        assert re.search(r"\b(I|I'm|my|me|we|us|our)\b", text, re.IGNORECASE), text
        assert "{name}" not in text


def test_safety_plan_has_all_its_parts(shipped):
    area = shipped.area("safety planning")
    plan = area.goals[0]
    words = " ".join([plan.text, *(o.text for o in plan.objectives)]).lower()
    for part in ("warning signs", "cope", "people", "places", "professionals", "crisis line"):
        assert part in words
    assert any("988" in o.text for o in plan.objectives)  # the US crisis line, named


def test_library_goal_becomes_a_plan_goal(shipped, chris):
    goal = shipped.area("Sleep").goals[0].to_goal("Robin")
    assert isinstance(goal, m.Goal)
    assert goal.text.startswith("Robin will fall asleep")
    assert "{name}" not in goal.text + "".join(o.text for o in goal.objectives)
    assert all(isinstance(o, m.Objective) and o.status == "not-started" for o in goal.objectives)
    assert all(isinstance(i, m.Intervention) for i in goal.interventions)
    assert goal.rating.label == "How well I sleep"
    assert (goal.rating.baseline, goal.rating.target) == (None, None)
    # Once the person picks a target it is a goal a plan file accepts.
    goal.rating.target = 7
    chris.goals.append(goal)
    again = planfile.load_plan_text(planfile.dump_plan(chris))
    assert again.goals[-1].text == goal.text


WITH_NEW_KEYS = """\
area: Panic
synonyms: [panic attacks, "heart racing"]
goals:
  - text: "{name} will rate panic at 3 out of 10 or lower on 5 days a week."
    in_client_words: "I want the panic to shrink."
    ages: adolescent
    rating: {label: "How strong the panic is", low: "none", high: "worst ever", better: lower}
    objectives:
      - text: "{name} will breathe slowly for 2 minutes at each rise in panic."
        in_client_words: "I will breathe slow when it starts."
      - "{name} will log each panic attack in a diary for 3 weeks."
    interventions:
      - text: "Clinician will lead interoceptive exposure to the body's alarm signs."
        modality: CBT
        frequency: weekly
        by: clinician
        caution: "Get medical clearance first (heart, lung, pregnancy)."
"""


def test_the_new_keys_are_read_and_carried_into_the_plan(chris):
    area = read_area_text(WITH_NEW_KEYS)
    assert area.synonyms == ["panic attacks", "heart racing"]
    template = area.goals[0]
    assert (template.ages, template.rating.better) == ("adolescent", "lower")
    assert (
        template.interventions[0].caution == "Get medical clearance first (heart, lung, pregnancy)."
    )
    goal = template.to_goal("Robin")
    assert goal.rating.better == "lower"
    assert [o.in_client_words for o in goal.objectives] == [
        "I will breathe slow when it starts.",
        None,
    ]
    # Lower is better on this scale: a rise from 3 to 6 is worse, as a plan shows it.
    assert goal.rating.worse_than(6, 3)
    goal.rating.target = 3
    chris.goals.append(goal)
    again = planfile.load_plan_text(planfile.dump_plan(chris)).goals[-1]
    assert again.rating.better == "lower"
    assert again.objectives[0].in_client_words == "I will breathe slow when it starts."


def test_a_file_that_does_not_say_better_gives_the_plan_default():
    area = read_area_text(MY_SLEEP)
    assert area.goals[0].rating.better is None and area.goals[0].ages == "any"
    assert area.goals[0].to_goal(None).rating.better == "higher"


def test_to_goal_gives_fresh_objects_each_time(shipped):
    template = shipped.areas[0].goals[0]
    first, second = template.to_goal("A"), template.to_goal("B")
    first.objectives[0].text = "changed"
    assert second.objectives[0].text != "changed"
    assert "{name}" in template.objectives[0].text


def test_fill_name():
    assert fill_name("{name} will go. Then {name} rests; {name}'s turn.", "Chris") == (
        "Chris will go. Then Chris rests; Chris's turn."
    )
    assert fill_name("{name} will go with {name}'s dog.", None) == (
        "The client will go with the client's dog."
    )


def test_search_matches_every_word_anywhere(shipped):
    hits = shipped.search("NIGHTMARE rehearse")
    assert hits and all(a.area == "Trauma" for a, _ in hits)
    by_area = shipped.search("school refusal")  # the area's name
    assert {a.area for a, _ in by_area} == {"School refusal"}
    by_client_words = shipped.search("fall asleep fast")
    assert [g.in_client_words for _, g in by_client_words] == ["I want to fall asleep fast."]
    by_objective = shipped.search("launch pad")
    assert [a.area for a, _ in by_objective] == ["Attention problems"]
    assert shipped.search("") == list(shipped.goals())
    assert shipped.search("nightmare budget") == []
    assert shipped.search("name") != list(shipped.goals())  # the placeholder is not a word


def test_the_core_does_not_import_textual():
    code = (
        "import sys, io; import tplan_tui.library as lib, tplan_tui.core.measurable; "
        "lib.library_command(None, True, io.StringIO()); "
        "sys.exit(any(n == 'textual' or n.startswith('textual.') for n in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    assert (
        subprocess.run([sys.executable, "-c", code], env=env, cwd=root, check=False).returncode == 0
    )


# --------------------------------------------------------------------------- strict checking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("area: X\ngoals: []\n", "goals: is required"),
        ("area: X\nsubject: y\ngoals: []\n", "subject: unknown key"),
        (MY_SLEEP.replace("low:", "lwo:"), "goals[0].rating.lwo: unknown key"),
        (MY_SLEEP.replace("    rating:", "    ratings:"), "goals[0].rating: is required"),
        (
            MY_SLEEP.replace("{name} will charge", "{nmae} will charge"),
            "goals[0].objectives[0]: {nmae}",
        ),
        (
            MY_SLEEP.replace('- "{name} will charge the phone in the kitchen every night."', "- 7"),
            "goals[0].objectives[0]: must be text, got the number 7",
        ),
        (MY_SLEEP.replace("area: sleep", "area: [sleep]"), "area: must be text"),
        ("area: X\narea: Y\ngoals: []\n", "the key 'area' appears twice"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("area: [unclosed\n", "line 2, column 1: not valid YAML"),
        ("- just\n- a list\n", "must be a set of keys"),
        (
            MY_SLEEP.replace('high: "no phone at all"}', 'high: "no phone", better: up}'),
            "goals[0].rating.better: must be one of higher, lower, got 'up'",
        ),
        (
            MY_SLEEP.replace("    rating:", "    ages: teen\n    rating:"),
            "goals[0].ages: must be one of any, adolescent, got 'teen'",
        ),
        (
            MY_SLEEP.replace("goals:", "synonyms: [insomnia, 3]\ngoals:"),
            "synonyms[1]: must be text",
        ),
        (
            MY_SLEEP.replace('- "{name} will charge', '- {text: "{name} will charge', 1).replace(
                'every night."', 'every night.", in_client_wrds: "I will."}'
            ),
            "goals[0].objectives[0].in_client_wrds: unknown key",
        ),
    ],
)
def test_broken_files_are_refused_with_the_field_path(text, expected):
    with pytest.raises(LibraryFileError) as caught:
        read_area_text(text)
    assert expected in str(caught.value)


# ------------------------------------------------------------------------ the clinician's library


def test_user_areas_merge_with_the_shipped_ones():
    user_file("my-sleep.yaml", MY_SLEEP)
    user_file("caregiver.yml", MY_NEW_AREA)
    library = load_library()
    assert library.problems == []
    sleep = library.area("Sleep")
    assert sleep.area == "Sleep" and len(sleep.goals) == 4  # 3 shipped + 1 of mine, same area
    mine = sleep.goals[-1]
    assert mine.source == USER and mine.area == "Sleep"
    assert "Volunteer burnout" in [a.area for a in library.areas]
    caregiver = library.area("volunteer BURNOUT")
    assert caregiver.source == USER
    assert [o.text for o in caregiver.goals[0].objectives] == [
        "{name} will ask 1 relative to cover a Saturday afternoon."
    ]
    assert [a.area for a in library.areas] == sorted((a.area for a in library.areas), key=str.lower)
    assert library.search("kitchen phone")[0][1] is mine


def test_a_practices_own_synonyms_add_to_a_shipped_area_and_find_it():
    user_file(
        "my-sleep.yaml", MY_SLEEP.replace("goals:", "synonyms: [Insomnia, slaapproblemen]\ngoals:")
    )
    user_file("mine.yaml", MY_NEW_AREA.replace("goals:", "synonyms: [compassion fatigue]\ngoals:"))
    library = load_library()
    assert library.problems == []
    sleep = library.area("Sleep")
    assert sleep.synonyms.count("insomnia") == 1 and "Insomnia" not in sleep.synonyms
    assert sleep.synonyms[-1] == "slaapproblemen"
    assert [a.area for a in library.find_areas("slaapproblemen")] == ["Sleep"]
    assert [a.area for a in library.find_areas("compassion fatigue")] == ["Volunteer burnout"]
    code, out, _ = run_command("compassion", as_json=True)
    [mine] = json.loads(out)
    assert (code, mine["synonyms"], mine["source"]) == (0, ["compassion fatigue"], "user")


def test_a_user_goal_with_a_shipped_goal_text_replaces_it(shipped):
    original = shipped.area("Sleep").goals[0]
    user_file("sleep.yaml", MY_SLEEP.replace(
        "{name} will keep a phone-free bedroom on 6 nights a week.", original.text
    ))  # fmt: skip
    sleep = load_library().area("Sleep")
    assert len(sleep.goals) == 3
    assert sleep.goals[0].source == USER and sleep.goals[0].text == original.text


def test_a_broken_user_file_is_skipped_and_reported():
    good = user_file("caregiver.yaml", MY_NEW_AREA)
    bad = user_file("anger.yaml", "area: Anger\ngoals:\n  - text: '{name} will count to 10.'\n")
    not_yaml = user_file("zzz.yaml", "area: [\n")
    binary = user_file("bin.yaml", "")
    binary.write_bytes(b"\xff\xfe area")
    library = load_library()
    assert library.area("Volunteer burnout") is not None, f"{good} should still load"
    assert len(library.area("Anger").goals) == 3  # the shipped goals only
    problems = "\n".join(library.problems)
    assert f"{bad}: goals[0].rating: is required" in problems
    assert f"{bad}: goals[0].objectives: is required" in problems
    assert f"{not_yaml}: line 2" in problems
    assert f"{binary}: the file is not UTF-8" in problems


def test_an_empty_or_missing_user_folder_is_fine(shipped):
    assert load_library().problems == []
    user_library_dir().mkdir(parents=True)
    (user_library_dir() / "notes.txt").write_text("not a library file")
    (user_library_dir() / ".sleep.yaml.123.tmp").write_text("area: [")
    assert [a.area for a in load_library().areas] == [a.area for a in shipped.areas]


# --------------------------------------------------------------------------- save to my library


def session_goal(name: str = "Chris") -> m.Goal:
    return m.Goal(
        text=f"{name} will walk the dog with his son 3 evenings a week.",
        in_client_words="I want time outside with my boy.",
        rating=m.Rating(
            label="Time outside together", low="none", high="plenty", baseline=2, target=7
        ),
        target_date=date(2026, 9, 1),
        status="active",
        objectives=[
            m.Objective(text=f"{name} will pick 3 evenings for walks.", status="achieved"),
            m.Objective(
                text=f"{name}'s son will choose the route once a week.",
                target_date=date(2026, 8, 1),
            ),
        ],
        interventions=[
            m.Intervention(text=f"Therapist will check in with {name} weekly.", by="clinician")
        ],
        progress=[m.ProgressEntry(date=date(2026, 7, 1), client_rating=3, note="A private note.")],
    )


def test_save_to_my_library_round_trip():
    path = save_goal_to_user_library("Parenting", session_goal(), "Chris")
    assert path == user_library_dir() / "parenting.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "Chris" not in text and "private note" not in text and "2026" not in text
    assert "baseline" not in text and "status" not in text

    library = load_library()
    assert library.problems == []
    saved = library.area("Parenting").goals[-1]
    assert saved.source == USER
    assert saved.text == "{name} will walk the dog with his son 3 evenings a week."
    assert saved.objectives[1].text == "{name}'s son will choose the route once a week."
    again = saved.to_goal("Chris")
    original = session_goal()
    assert again.text == original.text
    assert [o.text for o in again.objectives] == [o.text for o in original.objectives]
    assert again.interventions[0].text == original.interventions[0].text
    assert (again.rating.label, again.rating.baseline) == ("Time outside together", None)


def test_saving_keeps_which_end_is_better_and_the_clients_words_for_a_step():
    goal = session_goal("Dara")
    goal.rating = m.Rating(label="How often we argue on walks", low="never", high="always")
    goal.rating.better = "lower"
    goal.objectives[0].in_client_words = "I will pick our walk nights, Dara."
    save_goal_to_user_library("Family walks", goal, "Dara")
    saved = load_library().area("Family walks").goals[0]
    assert saved.rating.better == "lower"
    assert [o.in_client_words for o in saved.objectives] == [
        "I will pick our walk nights, {name}.",
        None,
    ]
    assert saved.to_goal("Dara").rating.better == "lower"


def test_saving_again_appends_and_keeps_the_clinicians_comments():
    path = user_file(
        "my parenting ideas.yaml",
        "# My notes: keep these!\narea: parenting\ngoals:\n"
        "  - text: '{name} will read 1 bedtime story 5 nights a week.'\n"
        "    rating: {label: Story time, low: never, high: nightly}\n"
        "    objectives: ['{name} will choose 3 books at the library by Friday.']\n",
    )
    saved = save_goal_to_user_library("PARENTING", session_goal("Sam"), "Sam")
    assert saved == path  # the file that already holds the area, whatever its name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My notes: keep these!")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    goals = load_library().area("Parenting").goals
    assert [g.text for g in goals[-2:]] == [
        "{name} will read 1 bedtime story 5 nights a week.",
        "{name} will walk the dog with his son 3 evenings a week.",
    ]
    # The same goal saved twice is updated, not doubled.
    changed = session_goal("Sam")
    changed.objectives.append(m.Objective(text="Sam will take a photo on each walk."))
    save_goal_to_user_library("Parenting", changed, "Sam")
    goals = load_library().area("Parenting").goals
    assert [g.text for g in goals].count(
        "{name} will walk the dog with his son 3 evenings a week."
    ) == 1
    assert goals[-1].objectives[-1].text == "{name} will take a photo on each walk."


def test_saving_never_overwrites_a_broken_file():
    broken = user_file("grief.yaml", "area: Grief\ngoals: [oops\n")
    path = save_goal_to_user_library("Grief", session_goal(), "Chris")
    assert path != broken and path.name == "grief-2.yaml"
    assert broken.read_text() == "area: Grief\ngoals: [oops\n"
    library = load_library()
    assert len(library.area("Grief").goals) == 4
    assert any(str(broken) in p for p in library.problems)


def test_saving_a_new_area():
    path = save_goal_to_user_library("  Volunteer   burnout ", session_goal(), "Chris")
    assert path.name == "volunteer-burnout.yaml"
    area = load_library().area("volunteer burnout")
    assert area.area == "Volunteer burnout" and area.source == USER


def test_a_goal_that_is_not_ready_is_not_saved():
    goal = session_goal()
    goal.rating = m.Rating()
    goal.objectives = []
    with pytest.raises(SaveToLibraryError) as caught:
        save_goal_to_user_library("Parenting", goal, "Chris")
    assert "goal.rating.label: is required" in str(caught.value)
    assert "goal.objectives: is required" in str(caught.value)
    with pytest.raises(SaveToLibraryError, match="area: is required"):
        save_goal_to_user_library(" ", session_goal(), "Chris")
    assert not user_library_dir().exists() or not list(user_library_dir().iterdir())


def test_generalize_replaces_only_the_whole_name():
    assert generalize("Chris and Chris's son at Christmas", "Chris") == (
        "{name} and {name}'s son at Christmas"
    )
    assert generalize("Jo-Ann will call", "Jo-Ann") == "{name} will call"
    assert generalize("Chris will call", None) == "Chris will call"
    assert generalize("Will will call Will's mom", "Will") == "{name} will call {name}'s mom"
    assert (
        generalize("Hope has hope. Chris Lee and Mr. Lee", "Hope")
        == "{name} has hope. Chris Lee and Mr. Lee"
    )
    assert (
        generalize("Chris Lee, or Chris, met Lee", "Chris Lee") == "{name}, or {name}, met {name}"
    )
    assert generalize("chris said", "chris") == "{name} said"


# --------------------------------------------------------------------------- tplan library


def run_command(area=None, as_json=False, search=None):
    out, err = io.StringIO(), io.StringIO()
    code = library_command(area, as_json, out, err, search=search)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("asked", "area"),
    [
        ("suicide", "Safety planning"),
        ("self-harm", "Safety planning"),
        ("loneliness", "Loneliness and social skills"),
        ("Panic", "Panic"),
        ("insomnia", "Sleep"),
        ("drinking", "Substance use"),
        ("ADHD", "Attention problems"),
    ],
)
def test_library_area_by_name_prefix_or_synonym(asked, area):
    code, out, err = run_command(asked, as_json=True)
    assert (code, err) == (0, "")
    assert [a["area"] for a in json.loads(out)] == [area]


@pytest.mark.parametrize(
    "query", ["can't sleep", "cant sleep", "CAN\u2019T SLEEP", "insomnia", "Insómnia"]
)
def test_library_search_finds_sleep_whatever_the_apostrophe_case_or_accent(query):
    code, out, _ = run_command(search=query, as_json=True)
    assert code == 0
    areas = json.loads(out)
    assert areas[0]["area"] == "Sleep" and len(areas[0]["goals"]) == 3


def test_library_search_keeps_only_the_goals_that_match():
    code, out, _ = run_command(search="homework folder")
    assert code == 0
    assert out.startswith("Attention problems - 1 goal of 4\n")
    assert '1. "I want to hand in my homework on time." (for teenagers)' in out


def test_a_search_by_treatment_name_finds_its_area():
    code, out, _ = run_command(search="EMDR", as_json=True)
    assert code == 0
    # Other areas (dissociation, sexual abuse) rightly name EMDR too: Trauma is among them.
    found = [a["area"] for a in json.loads(out)]
    assert "Trauma" in found
    assert set(found) <= {"Trauma", "Dissociation", "Sexual abuse"}


def test_nothing_found_suggests_the_nearest_areas():
    code, out, err = run_command("slep")
    assert (code, out) == (2, "")
    assert err == "tplan library: no area called 'slep'; nearest: Sleep\n"
    code, out, err = run_command(search="lonley")
    assert (code, out) == (2, "")
    assert err.startswith("tplan library: no goal matches 'lonley'; nearest: ")
    # The closest spelling comes first, whatever else is spelled a little alike.
    assert err.split("nearest: ")[1].startswith("Loneliness and social skills")


def test_the_listing_shows_synonyms_and_cautions():
    code, out, _ = run_command("sleep")
    assert code == 0
    assert "  Also: insomnia, can't sleep," in out
    assert "Caution (sleep restriction" in out and "bipolar disorder" in out


def test_library_command_json_lists_synonyms(shipped):
    code, out, _ = run_command(as_json=True)
    assert code == 0
    sleep = next(a for a in json.loads(out) if a["area"] == "Sleep")
    assert {"insomnia", "can't sleep", "nightmares", "tired"} <= set(sleep["synonyms"])


def test_library_command_json_shape(shipped):
    code, out, err = run_command(as_json=True)
    assert (code, err) == (0, "")
    areas = json.loads(out)
    assert [a["area"] for a in areas] == [a.area for a in shipped.areas]
    for a in areas:
        assert {"area", "description", "goals"} <= set(a)
        for g in a["goals"]:
            assert {"text", "in_client_words", "rating", "objectives", "interventions"} <= set(g)
            assert set(g["rating"]) == {"label", "low", "high", "better"}
            assert g["ages"] in ("any", "adolescent")
            assert all(
                set(o) == {"text", "in_client_words"} and isinstance(o["text"], str)
                for o in g["objectives"]
            )
            assert all(
                set(i) == {"text", "modality", "frequency", "by", "caution"}
                for i in g["interventions"]
            )
    sleep = next(a for a in areas if a["area"] == "Sleep")
    assert sleep["goals"][0]["objectives"][0]["text"].startswith(
        "{name} will fill in a sleep diary"
    )


def test_library_command_one_area_case_insensitive():
    code, out, _ = run_command("sLeEp", as_json=True)
    assert code == 0
    assert [a["area"] for a in json.loads(out)] == ["Sleep"]
    code, out, _ = run_command("couple-conflict", as_json=True)  # the file name works too
    assert [a["area"] for a in json.loads(out)] == ["Couple conflict"]


def test_library_command_unknown_area():
    code, out, err = run_command("Astrology")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "'Astrology'" in err and "Depression" in err and "Work stress" in err


def test_library_command_readable_listing():
    code, out, _ = run_command("Grief")
    assert code == 0
    assert out.startswith("Grief - 3 goals\n")
    assert "I want to get through my days again." in out
    assert "{name} will take back daily tasks and roles" in out
    code, everything, _ = run_command()
    assert all(area in everything for area in REQUIRED_AREAS)


def test_library_command_reports_broken_user_files_apart_from_the_json():
    bad = user_file("bad.yaml", "area: Sleep\ngoals: 3\n")
    user_file("mine.yaml", MY_SLEEP)
    code, out, err = run_command("sleep", as_json=True)
    assert code == 0
    assert len(json.loads(out)[0]["goals"]) == 4
    assert f"{bad}: goals: must be a list" in err


def test_search_puts_the_area_and_the_clients_words_first():
    from tplan_tui.library import load_library

    found = load_library().search("enjoy")
    assert found[0][1].in_client_words == "I want to enjoy my days again."
    assert [a.area for a, _ in load_library().search("sleep")][:3] == ["Sleep"] * 3


@pytest.mark.parametrize(
    ("query", "area"),
    [
        ("suicide", "Safety planning"),
        ("self-harm", "Safety planning"),
        ("panic", "Panic"),
        ("can't sleep", "Sleep"),
        ("lonely", "Loneliness and social skills"),
        ("drinking", "Substance use"),
        ("nightmares", "Sleep"),
        ("stomach aches", "School refusal"),
    ],
)
def test_search_by_any_word_puts_its_area_first(shipped, query, area):
    found = shipped.search(query)
    assert found[0][0].area == area


def test_search_ranks_a_synonym_above_a_word_in_a_goal(shipped):
    # "tired" is a synonym of Sleep and also appears in goals of other areas
    areas = [a.area for a, _ in shipped.search_areas("tired")]
    assert areas[0] == "Sleep"
