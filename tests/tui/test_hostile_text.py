"""Hostile text in a plan is shown as text: never read as markup (a link that runs an action, a
"[/]" that stops the app) and never handed to the terminal as control codes (ESC [2J clears it,
OSC 0 sets the title, OSC 52 writes the clipboard).

Every text field of the sample plan is replaced by a payload of markup and escape sequences,
then every screen is drawn: the payload must be on screen as written, with its control
characters as visible pictures (␛), and no drawn cell may carry a click action or a link.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from tests.tui_helpers import TEST_PIN, Notes, goto_step, settled, with_pin
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.lock import ClientView
from tplan_tui.tui.screens.plan import PlanScreen

TODAY = date(2016, 8, 15)
MARKUP = "[@click=app.pop_screen]x[/][/][bold][link=https://x]"
ESCAPES = "\x1b[2J\x1b]0;T\x07\x1b]52;c;QQ==\x07\r\x1b[K\x9b2J"
# Plan text cannot hold control characters any more (the plan file and the editing core refuse
# them with their path: tests/core/test_hostile.py); what is pasted into a field or comes from a
# settings or library file still may, and is checked where it enters (the filter below).
PAYLOAD = MARKUP
# How the start of ESCAPES reads on screen: ESC as its picture, or as the replacement character
# where the text comes from the summary (its text renderer replaces control characters itself).
SHOWN_ESCAPES = re.compile(r"[␛\ufffd]\[2J[␛\ufffd]\]0;T")
# Fields that hold a code from a fixed list (a status, a role): the reader refuses anything else.
CODES = {"status", "achievement", "role", "shares", "better", "risk", "instrument", "system"}


def poison(obj) -> None:
    """Put the payload in every free-text field of ``obj`` and everything it holds."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str) and f.name not in CODES:
            setattr(obj, f.name, PAYLOAD)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    value[i] = PAYLOAD
                elif dataclasses.is_dataclass(item):
                    poison(item)
        elif dataclasses.is_dataclass(value):
            poison(value)


def hostile_plan(chris) -> m.Plan:
    plan = chris
    plan.consents.append(m.Consent(to="", signed_by="", signed_on=date(2016, 8, 1)))
    plan.clinician_notes = ""
    plan.client.full_name = ""
    # A safety plan (every part, a person with how to reach them) and a risk assessment with a
    # note: the safety screens show them too.
    plan.safety.plan = m.SafetyPlan(
        made_on=date(2016, 8, 1),
        warning_signs=["x"],
        coping_on_my_own=["x"],
        people_to_ask=[m.Contact("x", "x")],
        crisis_lines=[m.Contact("x", "x")],
        reasons_for_living=["x"],
    )
    plan.safety.assessments.append(m.RiskAssessment(date=date(2016, 8, 1), risk="high", note="x"))
    poison(plan)
    return plan


def drawn(app) -> tuple[str, list[str]]:
    """The screen as the terminal gets it: its text, and what is wrong in its cells (a click
    action, a link, a control character)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    lines, wrong = [], []
    for line in update.strips:
        text = ""
        for strip in line:
            for segment in strip:
                text += segment.text
                style = segment.style
                if style is not None and (
                    any("click" in str(k) for k in (style.meta or {})) or style.link
                ):
                    wrong.append(f"action or link on {segment.text!r}")
                if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in segment.text):
                    wrong.append(f"control character in {segment.text!r}")
        lines.append(text)
    return "\n".join(lines), wrong


def check(app, where: str, *, payload: bool = True) -> None:
    text, wrong = drawn(app)
    assert not wrong, f"{where}: {wrong[:3]}"
    if payload:
        assert "[@click=app.pop_screen]x[/]" in text, f"{where}: the payload is not shown:\n{text}"


async def test_every_screen_shows_hostile_plan_text_as_text(tmp_path, chris):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([hostile_plan(chris)])
    app = make_app(store, with_pin(store), today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(pilot)
        check(app, "caseload")
        search = app.screen.query_one("#filter")
        search.value = ESCAPES  # pasted into the filter: drawn visibly too
        await pilot.pause()
        check(app, "the filter holding escapes", payload=False)
        assert "␛[2J" in drawn(app)[0]
        search.value = ""
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        for step in range(8):
            await goto_step(pilot, app.screen, step)
            check(app, f"step {step + 1} and the client pane")

        await goto_step(pilot, app.screen, "goals")
        await pilot.press("ctrl+l")
        await pilot.pause()
        check(app, "goal library")  # its goals name the client
        await pilot.press("escape")

        await pilot.press("ctrl+t")
        await pilot.pause()
        check(app, "summary")
        await pilot.press("escape")

        await pilot.press("f2")
        await pilot.pause()
        check(app, "hand-over dialog", payload=False)
        code = TEST_PIN
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientView)
        check(app, "client view")
        await pilot.press("f2", *code, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)

        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        for tool in ("checkin", "review", "progress", "versions"):
            await app.screen.action_tool(tool)
            await pilot.pause()
            check(app, tool)
            if tool == "versions":
                await pilot.press("enter")  # the current version in full
                await pilot.pause()
                check(app, "a version in full")
                await pilot.press("escape")
            await pilot.press("escape")
            await settled(pilot)
            assert isinstance(app.screen, CaseloadScreen), tool

        # Safety (Ctrl+A): the attention dialog, the safety plan step, the risk assessment and
        # the client's safety-plan page all name the client or quote the safety plan.
        from tplan_tui.tui.screens.safety import (
            AttentionScreen,
            RiskScreen,
            SafetyPlanPage,
            SafetyPlanScreen,
        )

        async def until_screen(kind: type) -> None:
            for _ in range(500):
                if isinstance(app.screen, kind):
                    break
                await pilot.pause(0.02)
            await pilot.pause()
            assert isinstance(app.screen, kind), kind

        for key, kind, where in (
            ("s", SafetyPlanScreen, "safety plan step"),
            ("r", RiskScreen, "risk assessment"),
            ("p", SafetyPlanPage, "the safety-plan page"),
        ):
            await app.screen.action_attention()
            await until_screen(AttentionScreen)
            check(app, "attention dialog")
            await pilot.press(key)
            await until_screen(kind)
            check(app, where)
            if kind is SafetyPlanScreen:  # each part's entries in the editor, one at a time
                for _part in range(7):
                    await pilot.press("pagedown")
                    await pilot.pause()
                    check(app, f"{where}, a later part")
            await pilot.press("escape")
            await until_screen(CaseloadScreen)
            await settled(pilot)

        await app.screen.action_tool("consents")
        await pilot.pause()
        check(app, "consents")
        await pilot.press("e")  # the consent's form, filled with what it says
        await pilot.pause()
        check(app, "consent form")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")  # "Revoke consent 1 (to …)?" quotes its recipient
        await pilot.pause()
        check(app, "a yes/no question")
        await pilot.press("n", "escape")
        await settled(pilot)

        await app.screen.action_tool("share")  # one consent is current: which one?
        await pilot.pause()
        check(app, "share: choose a consent")
        await pilot.press("1")
        await pilot.pause()
        check(app, "share: name the file")
        await pilot.press("escape")
        await pilot.pause()

        # A notification quoting the plan (an import names its client).
        plan_file = tmp_path / "hostile.yaml"
        from tplan_tui.planfile import dump_plan

        plan_file.write_text(dump_plan(store.load(plan_id).plan), encoding="utf-8")
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#answer").value = str(plan_file)
        await pilot.press("enter")
        await settled(pilot)
        check(app, "a notification naming the client")


async def test_a_damaged_plan_is_a_row_that_says_why_and_the_others_open(tmp_path, chris):
    import copy

    sam = copy.deepcopy(chris)
    sam.client.name = "Sam"
    store = open_store(tmp_path / "db")
    chris_id, sam_id = store.import_plans([chris, sam])
    (store.plans_dir / f"{sam_id}.json").write_bytes(b'{"plans": {"1": [broken')
    app = make_app(store, with_pin(store), today=TODAY)
    async with app.run_test(size=(100, 24)) as pilot:
        await settled(pilot)
        table = app.screen.table
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[0] for r in rows] == ["Chris", "(cannot be read)"]
        assert rows[1][1] == "damaged" and rows[1][5] == sam_id
        assert "1 damaged" in str(app.screen.query_one("#caseload-title").render())
        text, _ = drawn(app)
        assert "damaged" in text and sam_id in text

        app.clear_notifications()
        notes = Notes(app)
        await pilot.press("down", "enter")  # the damaged one: explained, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        [note] = notes.messages
        assert f"Plan {sam_id} cannot be opened" in note and f"{sam_id}.json" in note
        for key in ("ctrl+k", "ctrl+r", "ctrl+t", "ctrl+g"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CaseloadScreen), key

        await pilot.press("up", "enter")  # the others open as usual
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen) and app.screen.plan_id == chris_id


async def test_the_client_view_cannot_be_left_by_any_click_or_key_but_the_code(tmp_path, chris):
    from textual.app import App
    from textual.binding import Binding

    from tplan_tui.tui.screens.lock import LeaveClientView, LockScreen

    canary = "Vexilla"  # clinician-only: never on the client's screen
    plan = hostile_plan(chris)
    plan.clinician_notes = f"{canary} notes"
    plan.history.psychosocial = f"{canary} history"
    store = open_store(tmp_path / "db")
    store.import_plans([plan])
    app = make_app(store, with_pin(store), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("enter", "f2")
        await pilot.pause()
        code = TEST_PIN
        await pilot.press("enter")
        await pilot.pause()
        client_view = app.screen
        assert isinstance(client_view, ClientView)

        async def still_the_client_view(what: str) -> None:
            await pilot.pause()
            if isinstance(app.screen, LockScreen):  # the idle lock: the PIN unlocks
                await pilot.press(*TEST_PIN, "enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
            if isinstance(app.screen, LeaveClientView):  # the way out asks for the code
                await pilot.press("escape")
                await pilot.pause()
            assert app.screen is client_view and app.in_client_view, what
            text, wrong = drawn(app)
            assert canary not in text and not wrong, what

        # Clicks everywhere, the planted link's text first.
        text, _ = drawn(app)
        spots = [
            (line.index("[@click"), y)
            for y, line in enumerate(text.splitlines())
            if "[@click" in line
        ]
        assert spots
        spots += [(x, y) for y in range(0, 40, 4) for x in range(0, 120, 12)]
        for x, y in spots:
            await pilot.click(offset=(x, y))
            assert app.screen is client_view or isinstance(
                app.screen, (LockScreen, LeaveClientView)
            ), (x, y)
            if app.screen is not client_view:
                await still_the_client_view(f"click at {x},{y}")
        await still_the_client_view("clicks")

        keys = {"escape", "ctrl+q", "ctrl+c", "f1", "ctrl+p", "f12", "tab", "shift+tab", "enter"}
        keys |= {"q", "space", "ctrl+z", "ctrl+s", "ctrl+t", "ctrl+o", "ctrl+l", "ctrl+n"}
        for holder in (App, type(app), CaseloadScreen, PlanScreen, ClientView):
            for binding in holder.BINDINGS:
                key = binding.key if isinstance(binding, Binding) else binding[0]
                keys.update(k.strip() for k in key.split(",") if k.strip() != "f2")
        for key in sorted(keys):
            await pilot.press(key)
            await still_the_client_view(key)

        await pilot.press("f2", *code, "enter")  # the one way out
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen) and not app.in_client_view
