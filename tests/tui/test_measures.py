"""Standard measures in the session (issue 12): a PHQ-9 by keys at 80x24, from the caseload and
inside a plan; the total and band as typed; item 9 above 0 raises the alert before it closes."""

from __future__ import annotations

from datetime import date

from tests.tui.test_safety_screens import shown, wait_for
from tests.tui_helpers import Keyboard, settled
from tplan_tui.store import audit, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.measure_entry import MeasureEntry
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.safety import AttentionScreen, RiskScreen

TODAY = date(2016, 8, 15)


async def test_a_phq9_by_keys_at_80x24_in_11_keys(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry))
        dialog = app.screen
        grid = shown(dialog, "#measure-grid")
        assert "1 PHQ-9 (low mood)" in grid and "2 GAD-7 (worry and anxiety)" in grid
        start = kb.keys
        await kb.press("1", "2", "2", "3", "1")
        grid = shown(dialog, "#measure-grid")
        assert "1 interest 2" in grid and "4 energy 1" in grid and "5 appetite _" in grid
        assert (
            shown(dialog, "#measure-total")
            == "Total 8 so far (4 of 9 items) · mild: some low mood that does not get in the way much"
        )
        await kb.press("backspace", "2")  # a slip corrected
        await kb.press("2", "1", "2", "0", "0")
        assert shown(dialog, "#measure-total") == (
            "Total 14 · moderate: low mood that gets in the way of daily life some of the time"
        )
        # Everything fits 80x24: the last item, the date and the key hint are on screen.
        dialog_region = dialog.query_one("#measure-dialog").region
        assert dialog_region.bottom <= 24 and dialog_region.right <= 80
        assert dialog.query_one("#measure-date").region.bottom <= 23
        await kb.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        keys = kb.keys - start - 2  # without the slip and its correction
        print(f"\nkeys per PHQ-9 (questionnaire, 9 items, Enter): {keys}")
        assert keys == 11
    store = open_store(db)
    [x] = [x for x in store.load(plan_id).plan.measures if x.date == TODAY]
    assert (x.instrument, x.items, x.total) == ("PHQ-9", [2, 2, 3, 2, 2, 1, 2, 0, 0], 14)
    assert ("edit", plan_id) in [(e.action, e.plan_id) for e in audit.read(store)]


async def test_esc_keeps_nothing_and_enter_with_items_missing_says_so(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    before = open_store(db).load(plan_id).plan.measures
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("f3", "2", "1", "1")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry))
        await pilot.press("enter")
        await pilot.pause()
        assert "GAD-7 needs a score for each of its 7 items (2 entered)" in shown(
            app.screen, "#measure-problem"
        )
        await pilot.press("4")
        assert "an item is scored 0 to 3" in shown(app.screen, "#measure-problem")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    assert open_store(db).load(plan_id).plan.measures == before


async def test_item_9_above_0_inside_a_plan_raises_the_alert_before_closing(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry))
        await pilot.press("1", *"11111111", "2")
        assert "9 thoughts of death or self-harm 2 ⚠ raises the safety alert" in shown(
            app.screen, "#measure-grid"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        said = shown(app.screen, "#attention-reasons")
        assert f"PHQ-9 item 9 (thoughts of death or self-harm) scored 2 on {TODAY}" in said
        assert "R record a risk assessment" in shown(app.screen, "#attention-keys")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    [x] = [x for x in open_store(db).load(plan_id).plan.measures if x.date == TODAY]
    assert x.items == [1] * 8 + [2]


def robin_with_scores():
    from tests.samples import ROBIN_V2_YAML
    from tplan_tui import planfile
    from tplan_tui.core import model as m

    plan = planfile.load_plan_file(ROBIN_V2_YAML)  # PHQ-9 14 and GAD-7 9 on 2026-10-01
    plan.reviews.append(m.Review(date(2026, 10, 15), "First look."))
    plan.measures += [
        m.Measure("PHQ-9", date(2026, 11, 2), total=19),
        m.Measure("PHQ-9", date(2026, 11, 30), total=8),
    ]
    return plan


async def test_the_review_shows_the_scores_since_the_last_review(tmp_path):
    from tplan_tui.tui.screens.review import ReviewScreen

    db = tmp_path / "db"
    open_store(db).import_plans([robin_with_scores()])
    app = make_app(open_store(db), today=date(2026, 12, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        card = app.screen.query_one("#review-measures")
        assert card.border_title == "Standard measures since the last review (2026-10-15)"
        text = str(card.render())
        assert "2026-10-01" not in text  # before the last review
        assert "2026-11-02 ██████████████░░░░░░ 19 moderately severe" in text
        assert "2026-11-30 ██████░░░░░░░░░░░░░░  8 mild · reliable improvement" in text
        assert "Since the first score (14): reliable improvement." in text
        assert "GAD-7 (worry and anxiety)" in text and "No scores since the last review." in text


def test_the_progress_view_shows_every_score_over_time():
    from tplan_tui.tui.screens.progress_view import progress_text

    text = progress_text(robin_with_scores(), date(2026, 12, 1)).plain
    part = text[text.index("Standard measures") :]
    assert "PHQ-9 (low mood) · 0-27, lower is better · reliable change: 6+" in part
    assert "2026-10-01 ██████████░░░░░░░░░░ 14 moderate" in part
    assert "2026-11-02 ██████████████░░░░░░ 19 moderately severe · no reliable change" in part
    assert "2026-10-01 █████████░░░░░░░░░░░  9 mild" in part


async def test_a_practice_instrument_is_offered_and_a_broken_one_is_said(tmp_path, chris):
    import os

    import yaml

    from tests.core.test_measures import phq9_data
    from tests.tui_helpers import Notes

    folder = tmp_path / "config" / "instruments"  # conftest's TPLAN_CONFIG
    assert os.environ["TPLAN_CONFIG"] == str(tmp_path / "config")
    folder.mkdir(parents=True)
    own = phq9_data()
    own.update(id="MOOD-3", about="mood this week", items=3, total_range=[0, 9],
               reliable_change=3, risk_item=None, topics=["a", "b", "c"],
               wording=["How was your week?", "Did you sleep?", "Did you eat?"])  # fmt: skip
    own["bands"] = [{"from": 0, "to": 9, "label": "any", "meaning": "any score"}]
    (folder / "mood-3.yaml").write_text(yaml.safe_dump(own), "utf-8")
    (folder / "broken.yaml").write_text("id: [\n", "utf-8")
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry))
        assert "3 MOOD-3 (mood this week)" in shown(app.screen, "#measure-grid")
        await wait_for(pilot, lambda: notes.said("broken.yaml was skipped"))
        await pilot.press("3", "1", "2")
        assert "1 How was your week? 1" in shown(app.screen, "#measure-grid")
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    [x] = open_store(db).load(plan_id).plan.measures[-1:]
    assert (x.instrument, x.items, x.total) == ("MOOD-3", [1, 2, 3], 6)
