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

from tests.tui_helpers import settled
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.lock import ClientView
from tplan_tui.tui.screens.plan import PlanScreen

TODAY = date(2016, 8, 15)
MARKUP = "[@click=app.pop_screen]x[/][/][bold][link=https://x]"
ESCAPES = "\x1b[2J\x1b]0;T\x07\x1b]52;c;QQ==\x07\r\x1b[K\x9b2J"
PAYLOAD = MARKUP + ESCAPES
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
        assert SHOWN_ESCAPES.search(text), f"{where}: the escapes are not shown as text:\n{text}"


async def test_every_screen_shows_hostile_plan_text_as_text(tmp_path, chris):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([hostile_plan(chris)])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(pilot)
        check(app, "caseload")
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        for step in range(8):
            app.screen.go_to(step)
            await pilot.pause()
            check(app, f"step {step + 1} and the client pane")

        app.screen.go_to("goals")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        check(app, "goal library", payload=False)  # the library's own goals
        await pilot.press("escape")

        await pilot.press("ctrl+t")
        await pilot.pause()
        check(app, "summary")
        await pilot.press("escape")

        await pilot.press("f2")
        await pilot.pause()
        check(app, "hand-over dialog", payload=False)
        code = app.screen.unlocker.code
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

        await app.screen.action_tool("consents")
        await pilot.pause()
        check(app, "consents")
        await pilot.press("e")  # the consent's form, filled with what it says
        await pilot.pause()
        check(app, "consent form")
        await pilot.press("escape", "escape")
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
