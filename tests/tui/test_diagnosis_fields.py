"""The history step's diagnosis fields kept under its extra: the date (today when F4 picks a code),
who made it (the clinician in the settings), the concerns it relates to (digits, as a goal's
"Works on"); a bad date named under its field; removing a concern renumbers the ticks; and the
sign step lists "risk above low, no safety plan", whose key opens the safety step. By keys at
80x24.

Every name here is invented."""

from __future__ import annotations

from datetime import date

from tests.samples import ROBIN_V2_YAML
from tests.tui.test_sign_checklist import open_plan
from tests.tui_helpers import Keyboard, goto_step, settled, wait_until
from tplan_tui import planfile
from tplan_tui.core import codes
from tplan_tui.core import model as m
from tplan_tui.settings import ClinicianDefaults, Settings
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.code_picker import CodePicker
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.safety import SafetyStep
from tplan_tui.tui.screens.steps.sign import Checklist
from tplan_tui.tui.widgets.concerns import ConcernTicks

TODAY = date(2026, 11, 1)
DX = "#f-history-diagnoses-0"


def shown_value(screen, selector: str) -> str:
    from textual.widgets import Input

    return screen.query_one(f"{selector} Input", Input).value


def error_under(screen, selector: str) -> str:
    return str(screen.query_one(f"{selector} .field-error").render())


async def focus_field(pilot, screen, selector: str) -> None:
    field = screen.query_one(selector)
    field.focus_editor()
    await wait_until(
        pilot, lambda: pilot.app.focused in field.query("*").nodes, f"the focus in {selector}"
    )


async def test_f4_dates_the_diagnosis_names_the_clinician_and_digits_tie_concerns(tmp_path):
    codes.index()  # loaded once per test process; the picker loads it in a thread otherwise
    robin = planfile.load_plan_file(ROBIN_V2_YAML)
    robin.history.diagnoses[0].extra = {}
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([robin])
    settings = Settings(clinician=ClinicianDefaults(name="Jo Marsh", credentials="LPC"))
    app = make_app(open_store(db), settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "history")
        await focus_field(pilot, screen, f"{DX}-code")
        await kb.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, CodePicker), "the picker")
        await kb.press("ctrl+u")
        await kb.type("F32.2")
        await wait_until(pilot, lambda: app.screen.found, "a code found")
        await kb.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "back to the step")
        dx = screen.plan.history.diagnoses[0]
        assert dx.code == "F32.2"
        assert dx.extra == {"diagnosed_on": "2026-11-01", "diagnosed_by": "Jo Marsh, LPC"}
        # The step is built again: its fields show what the pick filled in.
        await wait_until(
            pilot, lambda: shown_value(screen, f"{DX}-code") == "F32.2", "the code shown"
        )
        assert shown_value(screen, f"{DX}-extra-diagnosed_on") == "2026-11-01"
        assert shown_value(screen, f"{DX}-extra-diagnosed_by") == "Jo Marsh, LPC"

        # Relates to: a digit ticks a concern, as in a goal's "Works on".
        await focus_field(pilot, screen, f"{DX}-extra-concerns")
        await kb.press("2")
        assert dx.extra["concerns"] == [2]
        ticks = screen.query_one(f"{DX}-extra-concerns").query_one(ConcernTicks)
        assert "2 [✓] Panic attacks in crowded shops." in str(ticks.render())
        await kb.press("2")
        assert "concerns" not in dx.extra  # none ticked: absent, not an empty list
        await kb.press("1")

        # A bad date is refused, named under its field; the last good one is kept.
        await focus_field(pilot, screen, f"{DX}-extra-diagnosed_on")
        await kb.type(" next week")  # after "2026-11-01"
        await wait_until(
            pilot,
            lambda: (
                "Diagnosed on must be a date written YYYY-MM-DD"
                in error_under(screen, f"{DX}-extra-diagnosed_on")
            ),
            "the date's error under it",
        )
        assert dx.extra["diagnosed_on"] == "2026-11-01"
        await kb.press("ctrl+u")
        await kb.type("2026-10-20")
        await wait_until(
            pilot, lambda: dx.extra["diagnosed_on"] == "2026-10-20", "the good date kept"
        )
        assert error_under(screen, f"{DX}-extra-diagnosed_on") == ""
        await kb.press("escape")
        await settled(pilot)
    kept = open_store(db).load(plan_id).plan.history.diagnoses[0]
    assert kept.extra == {
        "diagnosed_on": "2026-10-20", "diagnosed_by": "Jo Marsh, LPC", "concerns": [1]
    }  # fmt: skip


async def test_a_new_diagnosis_names_the_clinician_and_a_file_value_is_said_not_changed(
    tmp_path,
):
    robin = planfile.load_plan_file(ROBIN_V2_YAML)
    robin.history.diagnoses[0].extra = {"diagnosed_on": "soon", "concerns": [1]}
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([robin])
    app = make_app(open_store(db), today=TODAY)  # no clinician in the settings: the plan's
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "history")
        assert shown_value(screen, f"{DX}-extra-diagnosed_on") == "soon"
        assert "must be a date written YYYY-MM-DD" in error_under(
            screen, f"{DX}-extra-diagnosed_on"
        )
        await focus_field(pilot, screen, f"{DX}-code")
        await kb.press("ctrl+n")
        await wait_until(
            pilot, lambda: len(screen.plan.history.diagnoses) == 2, "a second diagnosis"
        )
        assert screen.plan.history.diagnoses[1].extra == {"diagnosed_by": "Avery Quinn, LCSW"}
        await kb.press("escape")
        await settled(pilot)
    kept = open_store(db).load(plan_id).plan.history.diagnoses[0]
    assert kept.extra == {"diagnosed_on": "soon", "concerns": [1]}  # as the file had it


async def test_removing_a_concern_renumbers_goals_and_diagnoses_in_the_session(tmp_path):
    robin = planfile.load_plan_file(ROBIN_V2_YAML)  # goals work on concerns 1 and 2
    robin.history.diagnoses[0].extra["concerns"] = [2]
    db = tmp_path / "db"
    open_store(db).import_plans([robin])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "history")  # built now, so it must be built again
        await goto_step(pilot, screen, "concerns")
        await focus_field(pilot, screen, "#f-presenting_concerns-0-text")
        await kb.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen is not screen, "the question")
        await kb.press("y")
        await wait_until(pilot, lambda: len(screen.plan.presenting_concerns) == 1, "removed")
        assert [g.addresses for g in screen.plan.goals] == [[], [1]]
        assert screen.plan.history.diagnoses[0].extra["concerns"] == [1]
        await goto_step(pilot, screen, "history")
        ticks = screen.query_one(f"{DX}-extra-concerns").query_one(ConcernTicks)
        assert str(ticks.render()) == "1 [✓] Panic attacks in crowded shops."
        await kb.press("escape")
        await settled(pilot)


async def test_the_sign_step_lists_risk_without_a_safety_plan_and_opens_step_5(tmp_path, chris):
    chris.safety.assessments = [m.RiskAssessment(date=date(2016, 6, 30), risk="moderate")]
    chris.safety.plan = None
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=date(2016, 7, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, app)
        await goto_step(pilot, screen, "review")
        await settled(pilot)
        words = [i.words for i in screen.query_one(Checklist).items]
        n = next(n for n, w in enumerate(words, 1) if "no safety plan" in w)
        assert words[n - 1] == (
            "The latest risk assessment (2016-06-30) says moderate risk and there is no "
            "safety plan (step 5: S writes it with the client)."
        )
        assert n <= 9  # near the top, with a key of its own
        await pilot.press(str(n))
        await wait_until(pilot, lambda: isinstance(screen.form, SafetyStep), "the safety step")
        assert "Step 5 of 9" in str(screen.query_one("#step-indicator").render())
        assert isinstance(app.screen, PlanScreen)
