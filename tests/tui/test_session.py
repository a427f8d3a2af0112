"""The guided session's promises: nothing typed is lost (autosave, Esc, Ctrl+Q, a kill), the
client pane never shows clinician-only text, keys and help reach everything, conflicts are asked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from textual.widgets import Static

from tests.samples import CHRIS_YAML
from tests.tui_helpers import Keyboard, goto_step, palette_search, settled, wait_until
from tplan_tui import planfile
from tplan_tui.core.model import Plan, Strength
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.modals import Choose, HelpScreen
from tplan_tui.tui.screens.plan import PlanScreen, item_name
from tplan_tui.tui.widgets.client_pane import ClientPane, client_view

TODAY = date(2026, 11, 27)
CANARY = "ZEBRA-CANARY-7731"


def pane_text(app) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))
    console.print(client_view(app.screen.plan))
    return console.export_text()


def shown_in_pane(app) -> str:
    """The text the client pane is showing now (it follows the plan a moment after each edit)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))
    console.print(app.screen.query_one(ClientPane).query_one("#client-view").content)
    return console.export_text()


async def test_new_plan_autosaves_while_open_and_resumes_at_its_step(tmp_path):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await kb.press("ctrl+n")
        assert isinstance(app.screen, PlanScreen)
        plan_id = app.screen.plan_id
        await kb.type("Robin")
        await kb.press("pagedown", "pagedown")
        other = open_store(tmp_path / "db")  # another reader, while the app runs

        def saved() -> bool:
            stored = other.load(plan_id)
            return stored.plan.client.name == "Robin" and stored.meta["step"] == "concerns"

        # Saved by the autosave timer alone: no key that saves (Esc, Ctrl+Q) was pressed.
        await wait_until(pilot, saved, "the name and step to reach the store")
        await wait_until(
            pilot,
            lambda: "all changes saved" in str(app.screen.query_one("#step-indicator").render()),
            "the step indicator to say all changes are saved",
        )
        await pilot.press("escape")
        assert isinstance(app.screen, CaseloadScreen)
        await settled(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        assert "Step 3 of 9 · Presenting concerns" in str(
            app.screen.query_one("#step-indicator").render()
        )


async def test_escape_and_quit_right_after_typing_lose_nothing(tmp_path):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await kb.press("ctrl+n")
        plan_id = app.screen.plan_id
        await kb.type("Avery")
        await kb.press("escape")  # at once, before the autosave timer fires
        assert open_store(tmp_path / "db").load(plan_id).plan.client.name == "Avery"
        await settled(pilot)
        await kb.press("enter")
        await kb.press("tab", "tab")
        await kb.type("they/them")
        await kb.press("tab")
        await kb.type("2011-13-")  # a date not finished yet: kept as typed, with the reason shown
        field = app.screen.query_one("#f-client-date_of_birth")
        assert "not a real date" in str(
            field.query_one(".field-error").render()
        ) or "YYYY-MM-DD" in str(field.query_one(".field-error").render())
        await pilot.press("ctrl+q")
    stored = open_store(tmp_path / "db").load(plan_id)
    assert stored.plan.client.pronouns == "they/them"
    assert stored.meta["drafts"] == {"f-client-date_of_birth": "2011-13-"}
    # Reopened, the half-typed date is back in its field, to be finished.
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        editor = app.screen.query_one("#f-client-date_of_birth Input")
        assert editor.value == "2011-13-"
        editor.value = "2011-03-04"
        await pilot.pause()
        await pilot.press("escape")
    stored = open_store(tmp_path / "db").load(plan_id)
    assert stored.plan.client.date_of_birth == date(2011, 3, 4)
    assert stored.meta["drafts"] == {}


@pytest.mark.slow  # an app session in a subprocess, SIGKILLed
def test_a_killed_session_keeps_what_was_autosaved(tmp_path):
    """SIGKILL the app mid-session (no chance to save on the way out): reopening finds the work."""
    db = tmp_path / "db"
    script = textwrap.dedent(
        f"""
        import asyncio, os, signal, sys
        sys.path.insert(0, {str(os.getcwd())!r})
        from datetime import date
        from tplan_tui.tui.app import make_app
        from tplan_tui.store import open_store
        from tests.tui_helpers import Keyboard, wait_until

        async def main():
            app = make_app(open_store({str(db)!r}), today=date(2026, 11, 27))
            async with app.run_test(size=(80, 24)) as pilot:
                kb = Keyboard(pilot)
                await kb.press("ctrl+n")
                await kb.type("Jordan")
                await kb.press("pagedown", "pagedown", "ctrl+n")
                await kb.type("Cannot sleep before exams.")
                other = open_store({str(db)!r})

                def saved():
                    [row] = other.list_plans()[0]
                    concerns = other.load(row.plan_id).plan.presenting_concerns
                    return concerns and concerns[0].text == "Cannot sleep before exams."

                await wait_until(pilot, saved, "the concern to be autosaved")
                print("typed", flush=True)
                await kb.type("This sentence is still being typed")
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
    rows, problems = store.list_plans()
    assert problems == []
    [row] = rows
    plan = store.load(row.plan_id).plan
    assert plan.client.name == "Jordan"
    assert plan.presenting_concerns[0].text.startswith("Cannot sleep before exams.")


async def test_client_pane_never_shows_clinician_only_text(tmp_path, chris):
    chris.history.demographics = f"demographics {CANARY}"
    chris.history.psychosocial = f"psychosocial {CANARY}"
    chris.history.symptom_onset = f"onset {CANARY}"
    chris.history.treatment_history = f"treated {CANARY}"
    chris.history.diagnoses[0].label = f"label {CANARY}"
    chris.history.diagnoses[0].code = "Z62.820"
    chris.clinician_notes = f"notes {CANARY}"
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(130, 40)) as pilot:
        await app.open_plan(stored.plan_id)
        await pilot.pause()
        screen = app.screen
        for step in range(8):
            await goto_step(pilot, screen, step)
            shown = pane_text(app)
            assert CANARY not in shown and "Z62.820" not in shown
            assert "Your goals" in shown and "Your strengths" in shown
        # The pane follows typing: the client's words replace the clinician's as they are typed.
        await goto_step(pilot, screen, "strengths")
        area = screen.query_one("#f-strengths-0-in_client_words PlanTextArea")
        area.focus()
        await pilot.pause()
        await Keyboard(pilot).type("I never give up on my kid.")
        pane = screen.query_one(ClientPane)
        assert pane.display
        assert "I never give up on my kid." in pane_text(app)
        await wait_until(
            pilot,
            lambda: "I never give up on my kid." in shown_in_pane(app),
            "the client pane to show the client's words",
        )


async def test_lists_grow_and_shrink_by_keys_and_removal_asks_first(tmp_path):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await kb.press("ctrl+n", "ctrl+g", "4")  # new plan, go to step 4 (strengths)
        assert "Strengths" in str(app.screen.query_one("#step-indicator").render())
        await kb.press("ctrl+n")
        await kb.type("Funny")
        await kb.press("ctrl+n")
        await kb.type("Plays the piano")
        # Two presses, not one: within one press() Pilot sends the next key once the CPU looks
        # idle, which on a busy machine can be before Ctrl+N has moved the focus into the new
        # item; press() returns only when the screen has handled everything (the focus too).
        await kb.press("ctrl+n")
        plan_screen = app.screen
        await kb.press("ctrl+r")  # a blank one asks too, so that a habitual "y" is never typed
        assert app.screen.__class__.__name__ == "Confirm"
        assert "Remove strength 3? It is empty." in str(app.screen.query_one(Static).render())
        await kb.press("y")
        assert [s.text for s in plan_screen.plan.strengths] == ["Funny", "Plays the piano"]
        assert plan_screen.focused.text == "Plays the piano"  # the "y" went to the question
        await kb.press("ctrl+r")  # asks: something was typed in it
        assert app.screen.__class__.__name__ == "Confirm"
        assert "Remove strength 2? What it says" in str(app.screen.query_one(Static).render())
        await kb.press("escape")  # no: nothing is removed
        plan_screen = app.screen
        assert [s.text for s in plan_screen.plan.strengths] == ["Funny", "Plays the piano"]
        await kb.press("ctrl+r", "y")
        assert [s.text for s in plan_screen.plan.strengths] == ["Funny"]


async def test_guardian_is_asked_for_a_minor(tmp_path):
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await kb.press("ctrl+n")
        box = app.screen.query_one("#guardian-box")
        assert not box.display
        await kb.press("tab", "tab", "tab")
        await kb.type("2014-05-06")
        assert box.display
        await kb.press("tab")
        await kb.type("Pat Lee")
        await kb.press("tab")
        await kb.type("father")
        plan = app.screen.plan
        assert (
            plan.client.guardian.name == "Pat Lee" and plan.client.guardian.relationship == "father"
        )


async def test_rating_scale_by_keys(tmp_path):
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Kim"
    plan.goals.append(planfile.load_plan_text(CHRIS_YAML.read_text("utf-8")).goals[0])
    stored = store.create(plan)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(stored.plan_id)
        await pilot.pause()
        await goto_step(pilot, app.screen, "goals")
        scale = app.screen.query_one("#f-goals-0-rating-baseline RatingScale")
        scale.focus()
        for key, expected in (
            ("7", 7),
            ("plus", 8),
            ("minus", 7),
            ("home", 0),
            ("end", 10),
            ("delete", None),
            ("1", 1),
            ("0", 10),
        ):
            await pilot.press(key)
            assert app.screen.plan.goals[0].rating.baseline == expected, key
        assert "[10]" in str(scale.render())  # the value is marked without colour
        assert "0 = very poor" in str(scale.render())


async def test_help_lists_every_key_with_a_sentence_and_the_palette_reaches_steps(tmp_path):
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the keys")
        rows = {key: sentence for key, _name, sentence in app.screen.rows}
        assert any("New plan" in n for _k, n, _s in app.screen.rows)
        assert all(sentence for sentence in rows.values())
        await pilot.press("escape")
        # One key at a time, each waited on: an F1 pressed while the new plan is still being
        # drawn went to the plan screen before its help could open (seen on a busy machine).
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the new plan")
        await settled(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the plan's keys")
        names = [n for _k, n, _s in app.screen.rows]
        for wanted in ("Next", "Prev", "Go to", "Add", "Remove", "Client", "Back", "Quit", "Keys"):
            assert wanted in names
        await pilot.press("escape")
        await palette_search(pilot, "step 7")
        from textual.command import CommandList

        def step_7_offered() -> bool:
            # The palette searches in the background; Enter picks the highlighted match.
            option = app.screen.query_one(CommandList).highlighted_option
            return option is not None and "7" in str(option.prompt)

        await wait_until(pilot, step_7_offered, "the palette to offer step 7")
        await pilot.press("enter")
        await pilot.pause()
        assert "Step 7 of 9" in str(app.screen.query_one("#step-indicator").render())


async def test_a_plan_changed_in_another_terminal_is_never_overwritten_silently(tmp_path):
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Casey"
    stored = store.create(plan)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(stored.plan_id)
        await pilot.pause()
        other = open_store(tmp_path / "db")  # the other terminal saves first
        theirs = other.load(stored.plan_id)
        theirs.plan.client.pronouns = "she/her"
        other.save(stored.plan_id, theirs.plan, base_revision=theirs.revision)
        app.screen.query_one("#f-client-name Input").value = "Casey B"
        await wait_until(pilot, lambda: isinstance(app.screen, Choose), "the conflict question")
        await pilot.press("2")  # keep theirs, save mine as a new plan
        await wait_until(
            pilot,
            lambda: len(open_store(tmp_path / "db").list_plans()[0]) == 2,
            "my version to be saved as a new plan",
        )
    rows, _ = open_store(tmp_path / "db").list_plans()
    names = sorted(r.client for r in rows)
    assert names == ["Casey", "Casey B"]
    kept = open_store(tmp_path / "db").load(stored.plan_id).plan
    assert kept.client.pronouns == "she/her" and kept.client.name == "Casey"


async def test_the_caseload_footer_shows_its_keys(tmp_path):
    """The footer is mounted after the first frame (for a fast start): it must still show the keys."""
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "New plan" in shown and "Import" in shown


def test_the_client_pane_shows_markup_like_text_as_typed():
    from rich.console import Console

    plan = Plan()
    plan.client.name = "[bold]Ari"
    plan.strengths.append(Strength(text="[red]brave[/] & <kind>"))
    with open(os.devnull, "w") as sink:
        console = Console(width=60, record=True, file=sink)
        console.print(client_view(plan))
    shown = console.export_text()
    assert "[bold]Ari" in shown and "[red]brave[/] & <kind>" in shown


async def test_quitting_keeps_text_whose_messages_have_not_arrived(tmp_path):
    """What a field shows is saved on Ctrl+Q even when its edit messages are still queued (a
    loaded machine, or keys arriving in one packet over SSH): here none was ever sent, and an
    older message arriving late does not undo it."""
    from textual.widgets import Input

    from tplan_tui.tui.widgets.fields import FieldEdited

    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        field = screen.query_one("#f-client-name")
        editor = field.query_one(Input)
        with editor.prevent(Input.Changed):  # the text is in the field; no message on its way
            editor.value = "Rowan Vale"
        # A stale message from an earlier keystroke, handled after: the field's text wins.
        screen.post_message(FieldEdited(field, field.path, field.kind, "Ro", field.limits))
        await pilot.press("ctrl+q")
    assert open_store(tmp_path / "db").load(screen.plan_id).plan.client.name == "Rowan Vale"


async def test_leaving_an_untouched_plan_changes_nothing(tmp_path, chris):
    """Reading what every field shows on leaving (catch_up) is not an edit when nothing was
    typed: on every step of the sample plan, the plan stays as it was and nothing is saved."""
    import copy

    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        for step in range(8):
            await goto_step(pilot, screen, step)
            screen._dirty = False  # a step change saves the step it is on: not an edit
            before = copy.deepcopy(screen.plan)
            screen.catch_up()
            assert screen.plan == before and not screen._dirty, f"step {step + 1}"


def test_a_removed_item_is_named_as_the_user_counts_it():
    assert item_name(("goals", 1, "objectives"), 0) == "objective 2.1"
    assert item_name(("goals",), 2) == "goal 3"
    assert item_name(("goals", 0, "objectives", 1, "interventions"), 2) == "intervention 1.2.3"
    assert item_name(("strengths",), 0) == "strength 1"


async def test_a_long_one_line_field_first_shows_its_start(tmp_path, chris):
    from textual.widgets import Input

    chris.goals[0].rating.label = "How calm the evenings at home feel to me and my son, most days"
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        await goto_step(pilot, app.screen, "goals")
        [field] = [i for i in app.screen.query(Input) if i.value.startswith("How calm")]
        assert field.cursor_position == 0 and field.scroll_offset.x == 0
        assert "How calm the evenings" in app.export_screenshot().replace("&#160;", " ")
        field.focus()  # in the field, the cursor is after the text: typing adds to it
        await settled(pilot)
        assert field.cursor_position == len(field.value)
        app.screen.focus_next()  # and left again, it shows its start
        await settled(pilot)
        assert field.cursor_position == 0


async def test_a_future_date_of_birth_is_refused_in_the_session_with_the_field_named(tmp_path):
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await kb.press("ctrl+n")
        await kb.press("tab", "tab", "tab")
        await kb.type("2031-01-01")
        await settled(pilot)
        screen = app.screen
        assert screen.plan.client.date_of_birth is None  # not taken
        assert not screen.query_one("#guardian-box").display  # and no minor made of an adult
        errors = [str(e.render()) for e in screen.query(".field-error")]
        assert any("Date of birth" in e and "cannot be in the future" in e for e in errors)
