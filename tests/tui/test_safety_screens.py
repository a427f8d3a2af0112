"""Safety in the app (issue 11): the client's summary on screen ends with how to reach help."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from tests.tui_helpers import row, settled
from tplan_tui.settings import Settings
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.summary_view import SummaryScreen

TODAY = date(2016, 8, 15)


async def test_the_summary_on_screen_ends_with_the_settings_crisis_line(tmp_path, chris):
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    settings = Settings(crisis_lines=(("Lifeline Aotearoa", "call 0800 543 354"),))
    app = make_app(open_store(db), settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        shown = str(app.screen.query_one("#summary-text").render())
        end = shown[shown.rindex("How to reach help") :]
        assert "Lifeline Aotearoa: call 0800 543 354" in end
        assert "Ask Dana Reyes how to reach them between meetings." in " ".join(end.split())


# --------------------------------------------------------------------------- alerts in the session


from tests.tui_helpers import Keyboard  # noqa: E402
from tplan_tui.core import model as m  # noqa: E402
from tplan_tui.store import audit  # noqa: E402
from tplan_tui.tui.screens.caseload import CaseloadScreen  # noqa: E402
from tplan_tui.tui.screens.safety import AttentionScreen, RiskScreen, SafetyPlanScreen  # noqa: E402


def shown(screen, selector: str) -> str:
    """The words a Static shows at the width it has on screen, wrapped lines joined."""
    import io

    from rich.console import Console

    widget = screen.query_one(selector)
    console = Console(file=io.StringIO(), width=max(20, widget.size.width), record=True)
    console.print(widget.content)
    return " ".join(console.export_text().split())


async def wait_for(pilot, check) -> None:
    """Wait (on a condition, never a fixed sleep) for the app to get there, and for the screen
    then shown to have its widgets (a busy machine mounts a pushed screen a moment later)."""
    from tests.tui_helpers import ROUNDS

    screen = pilot.app.screen
    for _ in range(ROUNDS):
        screen = pilot.app.screen
        if check() and screen.is_mounted and list(screen.children):
            await pilot.pause()  # its compose and on_mount have run
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the app never got there (on {screen!r})")


async def test_a_checkin_that_rates_0_says_so_at_once_and_offers_the_safety_plan(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+k")
        await pilot.press("0", "tab", "4", "enter")  # the client rates 0 (it was 5)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        said = shown(app.screen, "#attention-reasons")
        assert "the client's rating on goal 1" in said and "fell from 5 to 0" in said
        keys = shown(app.screen, "#attention-keys")
        assert "S go over the safety plan now" in keys and "R record a risk assessment" in keys
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        assert shown(app.screen, "#safety-heading") == "1. Signs that a hard time is starting"
        await pilot.press("escape")  # nothing written: leaves without asking
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        first = row(app.screen.table, 0)
        assert first[1].startswith("needs attention: rating fell from 5 to 0")
    stored = open_store(db).load(plan_id)
    assert stored.plan.goals[0].progress[-1].client_rating == 0  # the check-in was kept


async def test_a_five_line_safety_plan_by_keys_at_80x24(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        screen = app.screen
        await kb.type("Pacing the kitchen at night")
        await kb.press("pagedown")
        await kb.type("Walk the dog round the block")
        await kb.press("pagedown", "pagedown")
        await kb.type("My sister Ines: 555-0123")
        await kb.press("pagedown", "pagedown")
        await kb.type("988 Lifeline: call or text 988")
        await kb.press("pagedown", "pagedown")
        await kb.type("My son")
        # The client's side shows the plan as it grows, in their words.
        view = shown(screen, "#safety-view")
        assert "1. Signs that a hard time is starting" in view
        assert "• My sister Ines: 555-0123" in view
        assert "5. My reasons for living" in view and "• My son" in view
        await kb.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        print(f"\nkeys for a five-line safety plan, from the caseload: {kb.keys}")
        assert kb.keys == 10  # Ctrl+A, S, 7 PageDowns, Ctrl+S; no Enter between lines
    plan = open_store(db).load(plan_id).plan
    sp = plan.safety.plan
    assert sp.made_on == TODAY
    assert sp.warning_signs == ["Pacing the kitchen at night"]
    assert sp.coping_on_my_own == ["Walk the dog round the block"]
    assert sp.people_to_ask == [m.Contact("My sister Ines", "555-0123")]
    assert sp.crisis_lines == [m.Contact("988 Lifeline", "call or text 988")]
    assert sp.reasons_for_living == ["My son"]
    assert [e.action for e in audit.read(open_store(db))][-1] == "edit"
    # The page made by keys prints on one sheet (checked where chromium is installed).
    from tests.core.test_safety_print import CHROMIUM, pages
    from tplan_tui.summary import render

    if CHROMIUM and shutil.which("pdfinfo"):
        html = render(plan, fmt="html", today=TODAY, document="safety-plan")
        assert pages(html, tmp_path) == 1


async def test_a_person_without_how_to_reach_them_is_named_and_kept_as_a_draft(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        await pilot.press("pagedown", "pagedown", "pagedown")
        kb = Keyboard(pilot)
        await kb.type("My sister Ines")
        await pilot.press("pageup", "ctrl+s")  # checked from another part: taken back to it
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)  # Ctrl+S stays until the line will do
        assert shown(app.screen, "#safety-heading") == "4. People I can ask for help"
        problem = shown(app.screen, "#safety-problem")
        assert "People I can ask for help, line 1: write the name, a colon" in problem
        await pilot.press("escape")  # leaves at once, dropping nothing
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        # The half-written line is not in the plan (it would not do) but kept beside it...
        stored = open_store(db).load(plan_id)
        assert stored.plan.safety.plan is None
        assert stored.meta["safety_drafts"] == {"people_to_ask": "My sister Ines"}
        # ...and comes back as it was typed, to finish.
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert app.screen.area().text == "My sister Ines"
        await kb.type(": 555-0123")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    stored = open_store(db).load(plan_id)
    assert stored.plan.safety.plan.people_to_ask == [m.Contact("My sister Ines", "555-0123")]
    assert stored.meta["safety_drafts"] == {}


async def test_text_typed_then_esc_is_in_the_stored_plan(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        kb = Keyboard(pilot)
        await kb.type("Not answering texts")
        await pilot.press("pagedown")
        await kb.type("Play guitar")
        await pilot.press("escape")  # at once, before the autosave's delay
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        sp = open_store(db).load(plan_id).plan.safety.plan
        assert sp.warning_signs == ["Not answering texts"]
        assert sp.coping_on_my_own == ["Play guitar"]
        assert sp.made_on == TODAY
    assert [e.action for e in audit.read(open_store(db))].count("edit") == 1


async def test_the_safety_plan_is_saved_as_it_is_typed(tmp_path, chris):
    # What a killed app keeps: everything typed up to the autosave's delay is already stored,
    # with no key pressed to save or to leave.
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        kb = Keyboard(pilot)
        await kb.type("My dog Pip")
        await pilot.press("pagedown", "pagedown", "pagedown")
        await kb.type("Ines")  # half-written: kept as a draft

        def stored():
            return open_store(db).load(plan_id)

        await wait_for(pilot, lambda: stored().plan.safety.plan is not None)
        assert stored().plan.safety.plan.warning_signs == ["My dog Pip"]
        await wait_for(pilot, lambda: stored().meta.get("safety_drafts"))
        assert stored().meta["safety_drafts"] == {"people_to_ask": "Ines"}
        assert "saved" in shown(app.screen, "#safety-title")


async def test_a_risk_assessment_by_keys_then_the_alert_answered(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+a")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        assert "nothing needs attention now" in str(app.screen.query_one(".dialog-title").render())
        await kb.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskScreen))
        start = kb.keys
        await kb.press("m", "enter")  # moderate; Enter goes to the note
        await kb.type("Thoughts of not waking up; no plan; CANARY-risk")
        await kb.press("enter")
        assert kb.keys - start == 3
        # Moderate risk and no safety plan: said at once, with the answers offered.
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        assert "This needs attention now" in str(app.screen.query_one(".dialog-title").render())
        assert "moderate risk and there is no safety plan yet" in shown(
            app.screen, "#attention-reasons"
        )
        await kb.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        assert row(app.screen.table, 0)[1] == "needs attention: no safety plan yet"

        # Answering the alert: Ctrl+A, A, the note, Enter.
        start = kb.keys
        await kb.press("ctrl+a", "a")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await kb.type("Made a plan to meet tomorrow; crisis line given")
        await kb.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        print(f"\nkeys to answer an alert, beyond the note: {kb.keys - start}")
        assert kb.keys - start == 3
        assert "attention" not in row(app.screen.table, 0)[1]
    store = open_store(db)
    [assessment] = store.load(plan_id).plan.safety.assessments
    assert (assessment.date, assessment.risk) == (TODAY, "moderate")
    assert store.addressed(plan_id)[0].note == "Made a plan to meet tomorrow; crisis line given"
    log = (store.root / audit.LOG_NAME).read_text("utf-8")
    assert "CANARY" not in log and "crisis line" not in log
    assert "attention addressed" in [e.action for e in audit.read(store)]


async def test_a_review_note_with_words_of_self_harm_is_said_before_what_next(tmp_path, chris):
    from tplan_tui.tui.screens.modals import Choose

    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+r", "n", "enter")
        await kb.type("Says he wants to end it all since the custody letter.")
        await kb.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        assert 'a review note says "end it all"' in shown(app.screen, "#attention-reasons")
        await kb.press("escape")  # later: the review's own "what next" follows
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await kb.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        assert row(app.screen.table, 0)[1].startswith("needs attention: a review note says")


async def test_the_safety_plan_page_on_screen_and_saved_to_print(tmp_path, chris, monkeypatch):
    from tests.samples import ROBIN_V2_YAML
    from tplan_tui import planfile
    from tplan_tui.tui.screens.safety import SafetyPlanPage

    monkeypatch.setenv("HOME", str(tmp_path))
    db = tmp_path / "db"
    robin = planfile.load_plan_file(ROBIN_V2_YAML)
    [plan_id] = open_store(db).import_plans([robin])
    app = make_app(open_store(db), today=date(2026, 11, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanPage))
        page = shown(app.screen, "#summary-text")
        assert page.startswith("My safety plan")
        assert "8. My reasons for living" in page and "How to reach help" in page
        assert "Passive thoughts" not in page  # the assessment is the clinician's
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        assert "Robin-safety-plan-2026-11-01.html" in app.screen.query_one("#answer").value
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanPage))
    saved = tmp_path / "Robin-safety-plan-2026-11-01.html"
    assert '<main class="one-page">' in saved.read_text("utf-8")
    assert plan_id in [e.plan_id for e in audit.read(open_store(db)) if e.action == "open"]


def test_the_client_pane_opens_with_the_safety_plan_and_ends_with_how_to_reach_help():
    import io

    from rich.console import Console

    from tests.samples import ROBIN_V2_YAML
    from tplan_tui import planfile
    from tplan_tui.tui.widgets.client_pane import client_view

    def pane(plan, lines=None) -> str:
        console = Console(file=io.StringIO(), width=60, record=True)
        console.print(client_view(plan, lines))
        return console.export_text()

    robin = planfile.load_plan_file(ROBIN_V2_YAML)
    text = pane(robin)
    assert text.index("Your safety plan, in short") < text.index("What brought you here")
    assert "- My brother Sam: 555-0199" in text
    end = text[text.index("How to reach help") :]
    assert "To reach Avery Quinn: 555-0142, weekdays 9 to 5." in " ".join(end.split())
    assert "Passive thoughts" not in text  # never the assessment's note...
    # ...nor its level: "low" is also a word of the measures' plain text ("low mood"), so the
    # level is made one no client sentence uses.
    for assessment in robin.safety.assessments:
        assessment.risk = "imminent"
    assert "imminent" not in pane(robin).casefold()
    empty = pane(m.Plan(), (("Samaritans", "call 116 123"),))
    assert "Your safety plan" not in empty
    end = " ".join(empty[empty.index("How to reach help") :].split())
    assert "- Samaritans: call 116 123" in end


async def test_an_alert_answered_today_comes_back_for_a_check_in_later_today(tmp_path, chris):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+k", "0", "tab", "4", "enter", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        await kb.press("a")  # answered at once, with a note
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await kb.type("Went over the safety plan together")
        await kb.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        assert "attention" not in row(app.screen.table, 0)[1]
        # The afternoon: another check-in, 0 again. A newer cause, the same day: said at once.
        await kb.press("ctrl+k", "0", "tab", "4", "enter", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AttentionScreen))
        assert "0 out of 10" in shown(app.screen, "#attention-reasons")
        await kb.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await settled(pilot)
        assert row(app.screen.table, 0)[1].startswith("needs attention")
    assert len(open_store(db).addressed(plan_id)) == 1


@pytest.mark.slow  # an app session in a subprocess, SIGKILLed
def test_a_killed_app_keeps_the_safety_plan_typed_before_the_autosave(tmp_path, chris):
    """SIGKILL the app inside the safety walk (no Esc, no Ctrl+S): the store has what was typed
    up to the last autosave, the unfinished line as a draft, and nothing damaged."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    script = textwrap.dedent(
        f"""
        import asyncio, os, signal, sys
        sys.path.insert(0, {str(os.getcwd())!r})
        from datetime import date
        from tplan_tui.tui.app import make_app
        from tplan_tui.store import open_store
        from tests.tui_helpers import Keyboard, wait_until

        async def main():
            app = make_app(open_store({str(db)!r}), today=date(2016, 8, 15))
            async with app.run_test(size=(80, 24)) as pilot:
                kb = Keyboard(pilot)
                from tplan_tui.tui.screens.safety import AttentionScreen, SafetyPlanScreen

                await wait_until(pilot, lambda: app.screen.query("DataTable"), "the caseload")
                await kb.press("ctrl+a")
                await wait_until(pilot, lambda: isinstance(app.screen, AttentionScreen), "alert")
                await kb.press("s")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, SafetyPlanScreen), "the walk"
                )
                await kb.type("Not answering the phone")
                await kb.press("pagedown", "pagedown", "pagedown")
                await kb.type("My cousin Teo")
                other = open_store({str(db)!r})

                def saved():
                    stored = other.load({plan_id!r})
                    return stored.meta.get("safety_drafts") == {{"people_to_ask": "My cousin Teo"}}

                await wait_until(pilot, saved, "the walk to be autosaved")
                print("typed", flush=True)
                await kb.type(": 555-01")
                os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "typed" in proc.stdout
    store = open_store(db)
    assert store.list_plans()[1] == []
    stored = store.load(plan_id)
    assert stored.plan.safety.plan.warning_signs == ["Not answering the phone"]
    assert stored.meta["safety_drafts"]["people_to_ask"].startswith("My cousin Teo")


async def test_keys_arriving_together_stay_in_the_part_they_were_typed_in(tmp_path, chris):
    # Over SSH, or a fast typist: the letters and the PageDown after them arrive in one read.
    # The letters belong to the part they were typed in, never to the next one.
    from textual import events

    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        burst = [*"Pacing", "pagedown", *"Walk", "pagedown", "pagedown", *"Ines: 555"]
        for key in burst:
            char = key if len(key) == 1 else None
            app.post_message(events.Key(key, char))
        await settled(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    sp = open_store(db).load(plan_id).plan.safety.plan
    assert sp.warning_signs == ["Pacing"]
    assert sp.coping_on_my_own == ["Walk"]
    assert sp.people_to_ask == [m.Contact("Ines", "555")]


async def test_brackets_in_the_clients_words_are_not_lit_as_code(tmp_path, chris):
    # A text editor for code lights the partner of the bracket at the cursor: in "Call (Sam)"
    # the "(" was drawn in another colour, as if it meant something. Prose is drawn as typed.
    from textual.widgets import TextArea

    from tests.tui_helpers import app_with

    app = app_with(tmp_path, chris, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+a", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyPlanScreen))
        await Keyboard(pilot).type("Call (Sam)")
        area = app.focused
        assert isinstance(area, TextArea) and area.text.endswith("Call (Sam)")
        await pilot.press("left")  # the cursor on the ")"
        assert area.cursor_location == (0, len("Call (Sam"))
        assert area._matching_bracket_location == (0, 5)  # Textual found the partner...
        await pilot.pause()
        line = area.render_line(area.region.y - area.content_region.y)  # ...and draws it plain
        # "Call (Sam" drawn in one style: the "(" is not set apart (")" is under the cursor).
        assert any(seg.text.startswith("Call (Sam") for seg in line), [s.text for s in line]
