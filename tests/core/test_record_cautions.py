"""Cautions reach the clinician's record (issue 16): an intervention drawn from the goal library
that needs a caution (sleep restriction with bipolar disorder...) shows it in the record, looked up
in the library when the record is made; the client's documents never show it."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tests.samples import CHRIS_YAML
from tplan_tui.core import model as m
from tplan_tui.library import load_library
from tplan_tui.library.cautions import plan_cautions
from tplan_tui.planfile import load_plan_file
from tplan_tui.summary import render

TODAY = date(2016, 8, 15)
BIPOLAR = "Not with bipolar disorder"


def library_goal(words: str):
    return next(
        g
        for a in load_library().areas
        for g in a.goals
        if any(words in i.text or words in (i.modality or "") for i in g.interventions)
    )


@pytest.fixture
def plan() -> m.Plan:
    p = load_plan_file(CHRIS_YAML)
    p.goals.append(library_goal("sleep restriction").to_goal("Chris"))
    return p


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_the_record_shows_the_caution_and_the_client_summary_never(plan, fmt):
    record = flat(render(plan, audience="clinician", fmt=fmt, today=TODAY))
    assert "Caution (from the goal library): " + BIPOLAR in record
    assert record.count(BIPOLAR) == 1  # beside its own intervention, not beside every one
    for document in ("summary", "safety-plan"):
        client = render(plan, audience="client", fmt=fmt, today=TODAY, document=document)
        assert "bipolar" not in client.casefold() and "Caution" not in client


def test_the_caution_is_found_for_a_renamed_client_and_a_hand_typed_one(plan):
    [(where, caution)] = plan_cautions(plan).items()
    assert where == (
        len(plan.goals) - 1,
        next(
            i
            for i, iv in enumerate(plan.goals[-1].interventions)
            if "sleep restriction" in (iv.modality or "")
        ),
    )
    assert caution.startswith(BIPOLAR)
    plan.client.name = "Christopher"  # renamed after the goal was added: still the same text
    assert list(plan_cautions(plan).values()) == [caution]
    # Typed by hand, the treatment named in other words: the library's caution for it.
    typed = m.Goal(
        text="Sleep better.",
        interventions=[m.Intervention(text="Restrict time in bed to six hours", modality="CBT-I")],
    )
    plain = m.Goal(text="Walk.", interventions=[m.Intervention(text="Walk with the clinician")])
    only = m.Plan(goals=[typed, plain])
    assert plan_cautions(only) == {(0, 0): caution}


def test_every_cautioned_library_intervention_is_found_again_in_a_plan():
    library = load_library()
    for area in library.areas:
        for goal in area.goals:
            made = goal.to_goal("Robin Lee")
            p = m.Plan(goals=[made])
            p.client.name = "Robin Lee"
            found = plan_cautions(p, library)
            for ii, iv in enumerate(goal.interventions):
                if iv.caution:
                    assert (0, ii) in found, (area.area, iv.text)


def test_making_a_record_reads_the_library_in_well_under_a_second(plan):
    start = time.perf_counter()
    render(plan, audience="clinician", fmt="txt", today=TODAY)
    took = time.perf_counter() - start
    print(f"\nrecord with the library's cautions: {took * 1000:.0f} ms")
    assert took < 1.5


def test_a_caution_from_my_own_library_reaches_the_record_and_a_change_to_it_is_read(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "cfg"))
    from tplan_tui.library.loader import user_library_dir

    folder = user_library_dir()
    folder.mkdir(parents=True)
    mine = folder / "mine.yaml"

    def write(caution: str) -> None:
        goal = library_goal("sleep restriction")
        text = f"""area: Caregiver night shifts
description: "Sleep for a parent on night shifts."
goals:
  - text: "{{name}} will sleep 6 hours after each night shift."
    rating: {{label: "sleep after shifts", low: "none", high: "rested", better: higher}}
    objectives:
      - text: "{{name}} will keep a sleep diary for 2 weeks."
    interventions:
      - text: "Clinician will plan a day-sleep routine with {{name}}."
        modality: behavioral therapy
        frequency: weekly
        by: clinician
        caution: "{caution}"
"""
        mine.write_text(text)
        assert goal  # the shipped library still loads beside it

    write("Check for a second job first.")
    plan = m.Plan(
        goals=[
            m.Goal(
                text="x",
                interventions=[
                    m.Intervention(text="Clinician will plan a day-sleep routine with Ana.")
                ],
            )
        ]
    )
    plan.client.name = "Ana"
    assert plan_cautions(plan) == {(0, 0): "Check for a second job first."}
    write("Check for a second job and a long drive first.")
    assert plan_cautions(plan) == {(0, 0): "Check for a second job and a long drive first."}
