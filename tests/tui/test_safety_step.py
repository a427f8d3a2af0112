"""The plan's own safety step (issue 11): step 5, before the goals, shows the safety plan and the
latest risk in words and opens the safety-plan walk and a risk assessment with one key each; what
they save goes into the plan the screen has open and out with its autosave (never a conflict)."""

from __future__ import annotations

from datetime import date

from tests.tui_helpers import Keyboard, settled, wait_until
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.safety import AttentionScreen, RiskScreen, SafetyPlanScreen
from tplan_tui.tui.screens.steps.safety import SafetyStep

TODAY = date(2016, 8, 15)


def words(screen) -> str:
    return " ".join(str(screen.query_one("#safety-words").render()).split())


async def test_the_safety_step_by_keys_saves_with_the_plan(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "ctrl+g", "5")
        plan_screen = app.screen
        assert isinstance(plan_screen, PlanScreen)
        await wait_until(pilot, lambda: isinstance(plan_screen.form, SafetyStep), "step 5")
        assert "Step 5 of 9 · Safety plan and risk" in str(
            plan_screen.query_one("#step-indicator").render()
        )
        assert "Risk: no assessment yet." in words(plan_screen)
        assert "Safety plan: none yet." in words(plan_screen)

        # R: a risk assessment; high risk with no safety plan is said at once.
        await kb.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RiskScreen), "the risk dialog")
        await kb.press("h", "enter")
        await kb.type("Thinks of the pills at home; CANARY-step-risk")
        await kb.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the alert")
        said = " ".join(str(app.screen.query_one("#attention-reasons").render()).split())
        assert "the latest risk assessment says high risk" in said
        assert "high risk and there is no safety plan yet" in said

        # S from the alert: the walk, on the plan the screen has open.
        await kb.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyPlanScreen), "the walk")
        await kb.type("Counting the pills")
        await kb.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await kb.type("Give the pills to my sister today")
        await kb.press("escape")
        await wait_until(pilot, lambda: app.screen is plan_screen, "back on the plan")
        await wait_until(
            pilot, lambda: "Counting the pills" in words(plan_screen), "the step showing it"
        )
        shown = words(plan_screen)
        assert "Latest risk: high, on 2016-08-15" in shown
        assert "Making my surroundings safer: Give the pills to my sister today" in shown
        await wait_until(pilot, lambda: plan_screen.save_state == "all changes saved", "saved")

        # S from the step itself, then Ctrl+S: one key to open.
        await kb.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyPlanScreen), "the walk")
        assert app.screen.area().text == "Counting the pills"
        await kb.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is plan_screen, "back on the plan")
        await kb.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "the caseload")
        assert "NOT SAVED" not in plan_screen.save_state  # no conflict with its own saves
    plan = open_store(db).load(plan_id).plan
    [assessment] = plan.safety.assessments
    assert (assessment.risk, assessment.date) == ("high", TODAY)
    assert plan.safety.plan.warning_signs == ["Counting the pills"]
    assert plan.safety.plan.safer_surroundings == ["Give the pills to my sister today"]
    assert plan.safety.plan.made_on == TODAY


async def test_the_palette_finds_the_safety_plan_from_the_plan_screen(tmp_path, chris):
    from textual.command import CommandList

    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        await kb.press("ctrl+p")
        await kb.type("safety plan")

        def offered() -> list[str]:
            found = app.screen.query(CommandList)
            if not found:
                return []
            lst = found.first()
            return [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]

        await wait_until(pilot, lambda: len(offered()) >= 2, "the palette's matches")
        names = offered()
        assert any("Go to step 5: Safety plan and risk" in n for n in names), names
        assert any("Safety plan: go over it with the client" in n for n in names), names
        await kb.press("escape")


def test_the_steps_words_never_say_the_risk_note_where_the_client_looks():
    # The risk note is on the clinician's step, marked clinician-only; the client's side (the
    # client pane) never carries it.
    from tplan_tui.tui.screens.steps.safety import safety_words
    from tplan_tui.tui.widgets.client_pane import client_view

    plan = m.Plan()
    plan.client.name = "Lee"
    plan.safety.assessments.append(
        m.RiskAssessment(date=TODAY, risk="moderate", note="CANARY-risk-note")
    )
    said = safety_words(plan).plain
    assert "CANARY-risk-note" in said and "clinician-only" in said
    assert "needed: the risk is above low" in said
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=60, record=True)
    console.print(client_view(plan))
    pane = console.export_text()
    assert "Lee" in pane and "CANARY-risk-note" not in pane


async def test_keys_for_a_five_line_safety_plan_from_the_plan_screen(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter")
        plan_screen = app.screen
        await wait_until(pilot, lambda: isinstance(plan_screen, PlanScreen), "the plan")
        start = kb.keys
        await kb.press("ctrl+g", "5")
        await wait_until(pilot, lambda: isinstance(plan_screen.form, SafetyStep), "step 5")
        await kb.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyPlanScreen), "the walk")
        for n, line in enumerate(["Pacing at night", "Walk the dog", "", "Ines: 555-0123"]):
            if n:
                await kb.press("pagedown")
            if line:
                await kb.type(line)
        await kb.press("pagedown", "pagedown")
        await kb.type("988 Lifeline: call or text 988")
        await kb.press("pagedown", "pagedown")
        await kb.type("My son")
        await kb.press("escape")
        await wait_until(pilot, lambda: app.screen is plan_screen, "back on the plan")
        print(f"\nkeys for a five-line safety plan, from the plan screen: {kb.keys - start}")
        assert kb.keys - start == 11  # Ctrl+G, 5, S, 7 PageDowns, Esc
        await kb.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "the caseload")
    sp = open_store(db).load(plan_id).plan.safety.plan
    assert sp.people_to_ask == [m.Contact("Ines", "555-0123")] and sp.reasons_for_living == [
        "My son"
    ]
