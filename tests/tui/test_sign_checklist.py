"""The sign step knows the rules, in words, with one key to each field; goals are tied to
concerns by digits; the code picker fills a diagnosis. All by keys at 80x24.

Every name here is invented."""

from __future__ import annotations

from datetime import date

from tests.tui_helpers import Keyboard, app_with, goto_step, settled, wait_until
from tplan_tui.core import codes
from tplan_tui.store import audit, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.code_picker import CodePicker
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.sign import Checklist

TODAY = date(2016, 7, 1)


async def open_plan(pilot, app) -> PlanScreen:
    await settled(pilot)
    await pilot.press("enter")
    screen = await wait_until(
        pilot, lambda: app.screen if isinstance(app.screen, PlanScreen) else None, "the plan"
    )
    return screen


def focused_path(app) -> str | None:
    node = app.focused
    while node is not None and not (node.id or "").startswith("f-"):
        node = node.parent
    return node.id if node is not None else None


async def test_the_checklist_speaks_in_words_and_a_digit_opens_the_field(tmp_path, chris):
    chris.goals[0].rating.target = None  # "Goal 1: the target rating is missing"
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "review")
        await settled(pilot)
        checklist = screen.query_one(Checklist)
        words = [i.words for i in checklist.items]
        assert words[:2] == [
            "Goal 1: the target rating is missing.",
            "Goal 1: which concern it works on is not said.",
        ]
        assert not any("goals[0]" in w for w in words)  # no raw paths
        assert app.focused is checklist
        await pilot.press("1")
        await wait_until(
            pilot, lambda: focused_path(app) == "f-goals-0-rating-target", "the target rating"
        )
        assert "Step 6 of 9 · Goals" in str(screen.query_one("#step-indicator").render())
        await pilot.press("6")  # the rating scale takes the digit
        await goto_step(pilot, screen, "review")
        await settled(pilot)
        items = [i.words for i in screen.query_one(Checklist).items]
        # The change started version 2: signing again comes first, then the concern.
        assert items[0] == "Chris (client) signed an earlier version (version 1): sign again."
        n = items.index("Goal 1: which concern it works on is not said.") + 1
        await pilot.press(str(n))
        await wait_until(pilot, lambda: focused_path(app) == "f-goals-0-addresses", "works on")
        await pilot.press("1")
        assert screen.plan.goals[0].addresses == [1]
        assert screen.plan.goals[0].rating.target == 6


async def test_signing_an_incomplete_plan_asks_why_and_records_it(tmp_path, chris):
    chris.signatures = []
    chris.clinician.credentials = "LPC"
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "review")
        await kb.press("ctrl+n")  # the client signs: no question
        await wait_until(pilot, lambda: len(screen.plan.signatures) == 1, "the client's signature")
        await kb.press("ctrl+n")  # the clinician: the plan lacks the discharge criteria
        await wait_until(pilot, lambda: not isinstance(app.screen, PlanScreen), "the question")
        await kb.press("escape")  # no reason: not signed
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "back")
        assert len(screen.plan.signatures) == 1
        await kb.press("ctrl+n")
        await wait_until(pilot, lambda: not isinstance(app.screen, PlanScreen), "the question")
        await kb.type("Client leaves town tomorrow")
        await kb.press("enter")
        await wait_until(pilot, lambda: len(screen.plan.signatures) == 2, "the signature")
        signed = screen.plan.signatures[1]
        assert (signed.role, signed.credentials) == ("clinician", "LPC")
        assert signed.incomplete_reason == "Client leaves town tomorrow"
        await kb.press("escape")
        await settled(pilot)
    stored = open_store(db).load(plan_id).plan
    assert stored.signatures[1].extra == {
        "credentials": "LPC",
        "incomplete_reason": "Client leaves town tomorrow",
    }
    assert "sign incomplete" in [e.action for e in audit.read(open_store(db))]


async def test_the_picker_fills_code_and_label_and_diagnoses_move(tmp_path, chris):
    codes.index()  # loaded once per test process; the picker loads it in a thread otherwise
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "history")
        code = screen.query_one("#f-history-diagnoses-0-code")
        code.focus_editor()
        await wait_until(
            pilot, lambda: app.focused in code.query("*").nodes, "the code field's focus"
        )
        await kb.press("f4")
        picker = await wait_until(
            pilot, lambda: app.screen if isinstance(app.screen, CodePicker) else None, "picker"
        )
        await kb.press("ctrl+u")
        await kb.type("panic")
        await wait_until(pilot, lambda: len(picker.found) == 3, "three codes for panic")
        await kb.press("down", "down", "enter")  # F40.01, F40.02, F41.0
        await wait_until(pilot, lambda: app.screen is screen, "back to the step")
        dx = screen.plan.history.diagnoses
        assert [(d.code, d.label) for d in dx] == [
            ("F41.0", "Panic disorder [episodic paroxysmal anxiety]")
        ]
        await kb.press("ctrl+n")
        await kb.type("banana")
        field = screen.query_one("#f-history-diagnoses-1-code")
        await wait_until(
            pilot,
            lambda: "is not an ICD-10-CM code" in str(field.query_one(".field-error").render()),
            "the code's problem under it",
        )
        await kb.press("alt+up")  # the second diagnosis becomes the primary one
        await wait_until(pilot, lambda: dx[0].code == "banana", "the move")
        assert str(screen.query_one("#c-history-diagnoses-0").border_title).endswith("(primary)")
        # The step is drawn again: each card shows the diagnosis now in its place.
        await wait_until(
            pilot,
            lambda: (
                [i.value for i in screen.query("#f-history-diagnoses-0-code Input")] == ["banana"]
            ),
            "the first card to show the moved diagnosis",
        )


async def test_the_risk_and_measure_items_open_where_they_are_recorded(tmp_path, chris):
    # The Joint Commission profile asks for a risk assessment and an outcome measure: each item
    # goes where it is recorded (the safety step; the measure dialog), never to a dead end.
    from tplan_tui.settings import Settings
    from tplan_tui.tui.screens.measure_entry import MeasureEntry
    from tplan_tui.tui.screens.steps.safety import SafetyStep

    chris.safety.assessments.clear()
    chris.measures.clear()
    # Dated, by whom, tied to the concern: the two items below keep a digit of their own.
    chris.history.diagnoses[0].extra.update(
        diagnosed_on="2016-06-01", diagnosed_by="Dana Reyes, LCSW", concerns=[1]
    )
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), Settings(profile="joint-commission-bh"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "review")
        await settled(pilot)
        words = [i.words for i in screen.query_one(Checklist).items]
        risk = next(n for n, w in enumerate(words, 1) if "risk assessment" in w)
        assert "Ctrl+Y" not in words[risk - 1]
        measure = next(n for n, w in enumerate(words, 1) if "outcome measure" in w)
        await pilot.press(str(risk))
        await wait_until(pilot, lambda: isinstance(screen.form, SafetyStep), "the safety step")
        await goto_step(pilot, screen, "review")
        screen.query_one(Checklist).highlighted = measure - 1  # past 9: the arrows, then Enter
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MeasureEntry), "the measure entry")


async def test_a_safety_plan_older_than_the_latest_risk_is_advice_that_opens_it(tmp_path, chris):
    # Written for an earlier, lower risk: the sign step says so in words (advice: a plan gone
    # over and still right keeps its date, and signing must not then need a reason), and its
    # key opens the safety step, where S goes over it with the client.
    from datetime import date as day

    from tplan_tui.core import model as m
    from tplan_tui.tui.screens.steps.safety import SafetyStep
    from tplan_tui.tui.screens.steps.sign import incomplete_items, plan_checklist

    chris.safety.plan = m.SafetyPlan(made_on=day(2016, 8, 1), warning_signs=["Skipping meals"])
    chris.safety.assessments = [
        m.RiskAssessment(date=day(2016, 7, 1), risk="moderate"),
        m.RiskAssessment(date=day(2016, 9, 1), risk="low"),
    ]
    assert not [i for i in plan_checklist(chris, TODAY) if i.path == "safety.plan"]
    chris.safety.assessments.append(m.RiskAssessment(date=day(2016, 9, 20), risk="high"))
    [item] = [i for i in plan_checklist(chris, TODAY) if i.path == "safety.plan"]
    assert item.words == (
        "The safety plan is from 2016-08-01, before the latest risk assessment (2016-09-20, "
        "high risk): go over it again with the client (step 5: S)."
    )
    assert not item.needed and item not in incomplete_items(chris, TODAY, "basic", codes=False)

    app = app_with(tmp_path, chris, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "review")
        words = [i.words for i in screen.query_one(Checklist).items]
        n = next(n for n, w in enumerate(words, 1) if w.startswith("The safety plan is from"))
        assert n <= 9, words
        await pilot.press(str(n))
        await wait_until(pilot, lambda: isinstance(screen.form, SafetyStep), "the safety step")

    # Gone over again (the safety plan saved after the assessment): no longer said.
    chris.safety.plan.made_on = day(2016, 9, 20)
    assert not [i for i in plan_checklist(chris, TODAY) if i.path == "safety.plan"]
