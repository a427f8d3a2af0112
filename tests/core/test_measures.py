"""Standard measures (PHQ-9, GAD-7): the instrument files, read strictly; a practice's own file;
reliable change from the figure in the file, at its edges; scores over time."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.samples import ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.core.instruments import (
    InstrumentFileError,
    all_instruments,
    check_instrument,
    instrument,
    load_instruments,
)
from tplan_tui.core.measures import (
    IMPROVED,
    NO_CHANGE,
    WORSE,
    reliable_change,
    series_of,
    trend_lines,
)

SHIPPED = Path(__file__).resolve().parents[2] / "tplan_tui" / "instruments"


def phq9_data() -> dict[str, Any]:
    return yaml.safe_load((SHIPPED / "phq-9.yaml").read_text("utf-8"))


def problems(data: Any) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        check_instrument(data)
    return caught.value.problems


def test_the_shipped_instruments_hold_their_facts_and_sources():
    phq, gad = instrument("PHQ-9"), instrument("GAD-7")
    assert phq and gad
    assert (phq.items, phq.item_min, phq.item_max, phq.total_max) == (9, 0, 3, 27)
    assert (gad.items, gad.total_max) == (7, 21)
    assert [(b.low, b.high) for b in phq.bands] == [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    assert [(b.low, b.high) for b in gad.bands] == [(0, 4), (5, 9), (10, 14), (15, 21)]
    assert (phq.reliable_change, gad.reliable_change) == (6, 4)
    for x in (phq, gad):
        assert "NHS Talking Therapies" in x.source and "IAPT" in x.source
        assert x.lower_is_better and len(x.topics) == x.items
    assert phq.risk_item == 9 and phq.topic(9) == "thoughts of death or self-harm"
    assert gad.risk_item is None
    # The files cite the source in a comment too, beside the figure.
    for name in ("phq-9.yaml", "gad-7.yaml"):
        text = (SHIPPED / name).read_text("utf-8")
        assert "# Reliable change" in text and "NHS Talking Therapies" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(colour="red"), "colour: "),
        (lambda d: d.update(items="nine"), "items: must be a whole number from 1 up, got 'nine'"),
        (lambda d: d.update(lower_is_better="yes"), "lower_is_better: must be true or false"),
        (lambda d: d.pop("source"), "missing source"),
        (lambda d: d["topics"].pop(), "topics: must have one entry per item (9), got 8"),
        (lambda d: d.update(total_range=[0, 30]), "total_range: must be [0, 27]"),
        (lambda d: d.update(risk_item=10), "risk_item: must be an item from 1 to 9, got 10"),
        (lambda d: d["bands"][1].update({"from": 6}), "bands[1]: totals 5 to 5 are in no band"),
        (
            lambda d: d["bands"][2].update({"from": 9}),
            "bands[2]: overlaps the band before it (from 9)",
        ),
        (lambda d: d["bands"][4].update({"to": 26}), "bands: totals 27 to 27 are in no band"),
        (lambda d: d["bands"][0].update(words="x"), "bands[0].words: "),
        (lambda d: d["bands"][3].update(label=5), "bands[3].label: must be text, got 5"),
        (lambda d: d["topics"].__setitem__(1, "mo\x1bod"), "topics[1]: contains the control"),
    ],
)
def test_a_bad_instrument_is_refused_with_the_path(change, expected):
    data = phq9_data()
    change(data)
    assert any(p.startswith(expected) for p in problems(data)), problems(data)


def test_a_practice_adds_its_own_instrument_and_a_bad_one_is_skipped(tmp_path: Path):
    folder = tmp_path / "instruments"
    folder.mkdir()
    own = phq9_data()
    own.update(id="MOOD-3", items=3, total_range=[0, 9], reliable_change=3, risk_item=None)
    own["topics"] = ["a", "b", "c"]
    own["wording"] = ["First question.", "Second question.", "Third question."]
    own["bands"] = [{"from": 0, "to": 9, "label": "any", "meaning": "any score"}]
    (folder / "mood-3.yaml").write_text(yaml.safe_dump(own), "utf-8")
    (folder / "broken.yaml").write_text("id: X\nitems: [1\n", "utf-8")
    changed = phq9_data()
    changed["risk_item"] = None  # no file may turn the item 9 alert off
    (folder / "phq-9-local.yaml").write_text(yaml.safe_dump(changed), "utf-8")
    reworded = phq9_data()
    reworded["name"] = "the practice's low mood questions"
    (folder / "phq-9-words.yaml").write_text(yaml.safe_dump(reworded), "utf-8")
    known, skipped = load_instruments(folder)
    assert known["MOOD-3"].wording[0] == "First question."
    assert known["PHQ-9"].name == "the practice's low mood questions"  # words may change
    assert known["PHQ-9"].items == 9  # facts may not
    assert len(skipped) == 2, skipped
    assert any("broken.yaml" in p and "not valid YAML" in p for p in skipped)
    assert any(
        "phq-9-local.yaml" in p and "not its items, ranges or risk item" in p for p in skipped
    )


def test_a_practice_instrument_in_the_config_folder_checks_plan_files(tmp_path, monkeypatch):
    config = tmp_path / "practice-config"
    (config / "instruments").mkdir(parents=True)
    own = phq9_data()
    own.update(id="MOOD-3", items=3, total_range=[0, 9], reliable_change=3, risk_item=None)
    own["topics"] = ["a", "b", "c"]
    own["bands"] = [{"from": 0, "to": 9, "label": "any", "meaning": "any score"}]
    (config / "instruments" / "mood-3.yaml").write_text(yaml.safe_dump(own), "utf-8")
    monkeypatch.setenv("TPLAN_CONFIG", str(config))
    assert "MOOD-3" in all_instruments()
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    plan.measures = [m.Measure("MOOD-3", date(2026, 1, 5), items=[1, 2, 3], note="first")]
    text = planfile.dump_plan(plan)
    assert "  - 3\n" in text
    with pytest.raises(planfile.PlanFileError) as caught:
        planfile.load_plan_text(text.replace("  - 3\n", "  - 4\n"))
    assert "measures[0].items[2]: must be a whole number from 0 to 3, got 4" in str(caught.value)
    assert planfile.load_plan_text(text) == plan


@pytest.mark.parametrize(
    ("name", "before", "after", "expected"),
    [
        ("PHQ-9", 20, 14, IMPROVED),  # exactly the figure (6)
        ("PHQ-9", 20, 15, NO_CHANGE),  # one less
        ("PHQ-9", 14, 20, WORSE),
        ("PHQ-9", 15, 20, NO_CHANGE),
        ("PHQ-9", 10, 10, NO_CHANGE),
        ("GAD-7", 15, 11, IMPROVED),  # exactly the figure (4)
        ("GAD-7", 15, 12, NO_CHANGE),  # one less
        ("GAD-7", 11, 15, WORSE),
        ("GAD-7", 12, 15, NO_CHANGE),
    ],
)
def test_reliable_change_at_the_edges_of_the_figure(name, before, after, expected):
    known = instrument(name)
    assert known is not None
    assert reliable_change(known, before, after) == expected


def test_reliable_change_follows_the_figure_in_the_file():
    data = phq9_data()
    data["reliable_change"] = 3
    known = check_instrument(data)
    assert reliable_change(known, 10, 7) == IMPROVED
    assert reliable_change(instrument("PHQ-9"), 10, 7) == NO_CHANGE  # type: ignore[arg-type]


def measured_plan() -> m.Plan:
    return m.Plan(
        measures=[
            m.Measure("PHQ-9", date(2026, 11, 2), total=16),
            m.Measure("PHQ-9", date(2026, 9, 1), items=[3, 3, 2, 3, 2, 2, 2, 3, 0]),  # 20
            m.Measure("GAD-7", date(2026, 9, 1), total=12),
            m.Measure("PHQ-9", date(2026, 11, 30), total=9),
        ]
    )


def test_scores_over_time_with_bands_and_change():
    phq, gad = series_of(measured_plan())
    assert [s.total for s in phq.scores] == [20, 16, 9]  # by date, not by the file's order
    assert [s.band.label for s in phq.scores if s.band] == ["severe", "moderately severe", "mild"]
    assert [s.vs_first for s in phq.scores] == [None, NO_CHANGE, IMPROVED]
    assert [s.vs_before for s in phq.scores] == [None, NO_CHANGE, IMPROVED]
    assert gad.latest.total == 12 and gad.latest.vs_first is None
    lines = trend_lines(phq)
    assert lines[0].startswith("PHQ-9 (low mood) · 0-27, lower is better · reliable change: 6+")
    assert lines[1].startswith("  2026-09-01 ███████████████░░░░░ 20 severe")
    assert lines[3].endswith(" 9 mild · reliable improvement")
    assert lines[-1] == "  Since the first score (20): reliable improvement."
    assert all(len(line) <= 78 for line in lines)
    assert trend_lines(phq, since=date(2026, 11, 2))[1:] == [lines[3], lines[-1]]


# --------------------------------------------------------------------------- in the documents


def robin_measured() -> m.Plan:
    plan = planfile.load_plan_file(ROBIN_V2_YAML)  # PHQ-9 14 and GAD-7 9 on 2026-10-01
    plan.measures += [
        m.Measure("PHQ-9", date(2026, 11, 2), total=19),
        m.Measure("PHQ-9", date(2026, 11, 30), items=[1, 1, 1, 1, 1, 1, 1, 1, 0], note="CANARY"),
        m.Measure("GAD-7", date(2026, 11, 30), total=13),
    ]
    return plan


def test_the_client_summary_explains_the_scores_in_plain_words_at_grade_8():
    import textstat

    from tplan_tui.summary import render
    from tplan_tui.summary.document import Document, prose
    from tplan_tui.summary.measures_text import client_section

    plan = robin_measured()
    text = " ".join(render(plan, audience="client", fmt="txt", today=date(2026, 12, 1)).split())
    assert (
        "Your answers about low mood: 8 on November 30, 2026, down from 19 on November 2, 2026."
        in text
    )
    assert "A score of 8 means some low mood that does not get in the way much." in text
    assert "That is a big enough change to count as real progress." in text  # 19 -> 8
    assert "Your answers about worry and anxiety: 13 on November 30, 2026, up from 9" in text
    assert "That is a big enough change that we should talk about it." in text  # 9 -> 13
    # Never a bare label, never an item (not the one on self-harm), never the clinician's note.
    for hidden in ("moderate", "mild", "minimal", "CANARY", "self-harm 0", "Items:"):
        section_text = prose(Document("x", sections=[client_section(plan)]))
        assert hidden not in section_text
    grade = textstat.flesch_kincaid_grade(section_text)
    print(f"\nFlesch-Kincaid grade of the questionnaires' part: {grade:.1f}")
    assert grade <= 8


def test_the_clinical_record_shows_every_score_with_items_band_and_change():
    from tplan_tui.summary import render

    text = " ".join(render(robin_measured(), audience="clinician", fmt="txt",
                           today=date(2026, 12, 1)).split())  # fmt: skip
    for kept in (
        "PHQ-9 (low mood), 0 to 27, lower is better; reliable change: 6 points",
        "October 1, 2026: 14 (moderate: low mood that gets in the way",
        "November 2, 2026: 19 (moderately severe:",
        "No reliable change from the first (14).",
        "November 30, 2026: 8 (mild:",
        "Reliable improvement from the first (14); reliable improvement from the one before (19).",
        "Items: interest 1, mood 1,",
        "Note: CANARY",
        "GAD-7 (worry and anxiety), 0 to 21",
        "Reliable worsening from the first (9).",
        "NHS Talking Therapies",
    ):
        assert kept in text, kept


def test_a_plan_with_scores_round_trips_through_the_plan_file_and_fhir():
    from tplan_tui.fhir import export as fhir_export

    plan = robin_measured()
    again = planfile.load_plan_text(planfile.dump_plan(plan))
    assert again == plan and [x.note for x in again.measures][-2] == "CANARY"
    from tplan_tui.fhir.import_ import bundle_to_plan

    bundle = fhir_export.plan_to_bundle(plan)
    back = bundle_to_plan(bundle)
    assert [(x.instrument, x.date, x.score) for x in back.measures] == [
        (x.instrument, x.date, x.score) for x in plan.measures
    ]


def test_fhir_leaves_out_a_practice_instrument_it_has_no_code_for(tmp_path, monkeypatch):
    from tplan_tui.fhir import export as fhir_export

    config = tmp_path / "practice-config"
    (config / "instruments").mkdir(parents=True)
    own = phq9_data()
    own.update(id="MOOD-3", items=3, total_range=[0, 9], reliable_change=3, risk_item=None)
    own["topics"] = ["a", "b", "c"]
    own["bands"] = [{"from": 0, "to": 9, "label": "any", "meaning": "any score"}]
    (config / "instruments" / "mood-3.yaml").write_text(yaml.safe_dump(own), "utf-8")
    monkeypatch.setenv("TPLAN_CONFIG", str(config))
    plan = robin_measured()
    plan.measures.append(m.Measure("MOOD-3", date(2026, 11, 30), total=4))
    bundle = fhir_export.plan_to_bundle(plan)
    assert "MOOD-3" not in str(bundle) and "44261-6" in str(bundle)


def test_a_score_never_asks_for_the_plan_to_be_signed_again():
    from tplan_tui.core.versioning import agreed_content

    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    before = agreed_content(plan)
    plan.measures.append(m.Measure("PHQ-9", date(2026, 11, 30), total=8))
    assert agreed_content(plan) == before


def test_a_plan_in_the_store_stays_readable_when_a_practice_file_goes(tmp_path, monkeypatch):
    from tplan_tui.store import open_store

    config = tmp_path / "practice-config"
    (config / "instruments").mkdir(parents=True)
    own = phq9_data()
    own.update(id="MOOD-3", items=3, item_range=[0, 4], total_range=[0, 12], reliable_change=3,
               risk_item=None, topics=["a", "b", "c"])  # fmt: skip
    own["bands"] = [{"from": 0, "to": 12, "label": "any", "meaning": "any score"}]
    (config / "instruments" / "mood-3.yaml").write_text(yaml.safe_dump(own), "utf-8")
    monkeypatch.setenv("TPLAN_CONFIG", str(config))
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    plan.measures.append(m.Measure("MOOD-3", date(2026, 11, 30), items=[4, 4, 1], total=9))
    [plan_id] = open_store(tmp_path / "db").import_plans([plan])
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "elsewhere"))  # the file is gone
    again = open_store(tmp_path / "db").load(plan_id).plan
    assert again.measures[-1] == plan.measures[-1]
    [mood] = [s for s in series_of(again) if s.name == "MOOD-3"]
    assert mood.known is None and mood.latest.total == 9 and mood.latest.band is None
    # A plan file is checked strictly: an instrument tplan does not know is refused.
    with pytest.raises(planfile.PlanFileError, match=r"measures\[2\].instrument: is not an"):
        planfile.load_plan_text(planfile.dump_plan(again))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"items": 5}, "measures[0].items: must be a list, got the number 5"),
        ({"total": "ten"}, "measures[0].total: must be a whole number from 0 to 27, got 'ten'"),
        ({"date": "2026-13-01"}, "measures[0].date: 2026-13-01 is not a real date"),
        ({"items": [1] * 8 + [True]}, "measures[0].items[8]: must be a whole number from 0 to 3"),
    ],
)
def test_every_bad_measure_is_refused_with_its_path(change, said):
    data = planfile.parse_yaml(ROBIN_V2_YAML.read_text("utf-8"))
    data["measures"][0].update(change)
    with pytest.raises(planfile.PlanFileError) as caught:
        planfile.load_plan_text(yaml.safe_dump(data))
    assert any(str(e).startswith(said) for e in caught.value.errors), caught.value.errors
