"""The settings screen (F9 on the caseload, "Settings" in the palette): edited by keys, checked
with the field named, saved 0600, taken by new plans and by the audit log's actor."""

from __future__ import annotations

import os
import stat
from datetime import date

from textual.widgets import Static

from tests.tui_helpers import Keyboard, on_screen, palette_search, settled, wait_until
from tplan_tui.settings import Settings, load_settings, settings_path
from tplan_tui.store import audit as audit_log
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.safe import SafeTextArea
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.modals import Confirm
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.settings_screen import SettingsScreen

TODAY = date(2026, 11, 27)


async def open_settings(pilot) -> SettingsScreen:
    await Keyboard(pilot).press("f9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen), "settings")
    return pilot.app.screen


async def test_settings_saved_private_and_taken_by_new_plans_and_the_audit(tmp_path, monkeypatch):
    monkeypatch.setattr(audit_log.getpass, "getuser", lambda: "frontdesk")
    store = open_store(tmp_path / "db")
    app = make_app(store, Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        screen = await open_settings(pilot)
        text = on_screen(app)
        for label in ("Your name", "Credentials", "Contact", "Theme", "Idle lock", "Crisis"):
            assert label in text
        await kb.type("Dana Reyes")
        await kb.press("tab")
        await kb.type("LCSW")
        await kb.press("tab")
        await kb.type("555-0100 (clinic)")
        await kb.press("tab", "tab", "ctrl+u")
        await kb.type("5")
        await kb.press("tab", "ctrl+u")
        await kb.type("30")
        await kb.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen, "the settings to close")
        assert isinstance(app.screen, CaseloadScreen)
        saved, problems = load_settings()
        assert problems == []
        assert stat.S_IMODE(os.stat(settings_path()).st_mode) == 0o600
        assert saved.clinician.name == "Dana Reyes" and saved.clinician.credentials == "LCSW"
        assert saved.clinician.contact == "555-0100 (clinic)"
        assert (saved.idle_lock_minutes, saved.default_review_days) == (5, 30)
        assert app.settings == saved and app.idle_seconds == 300
        await kb.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the new plan")
        plan = app.screen.plan
        assert (plan.clinician.name, plan.clinician.credentials, plan.clinician.contact) == (
            "Dana Reyes",
            "LCSW",
            "555-0100 (clinic)",
        )
        assert plan.plan.review_every_days == 30
        await kb.press("ctrl+q")
    actors = {e.actor for e in audit_log.read(store)}
    assert actors == {"Dana Reyes"}


async def test_a_bad_value_is_named_and_nothing_is_written(tmp_path):
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        screen = await open_settings(pilot)
        error = screen.query_one("#settings-error", Static)
        await kb.press("tab", "tab", "tab", "tab", "ctrl+u")
        await kb.type("lots")
        await kb.press("ctrl+s")
        await wait_until(pilot, lambda: "idle_lock_minutes" in str(error.render()), "the error")
        assert "must be a whole number from 1 to 30" in on_screen(app)
        await kb.press("ctrl+u")
        await kb.type("5")
        await kb.press("shift+tab", "ctrl+u")
        await kb.type("no-such-theme")
        await kb.press("ctrl+s")
        await wait_until(pilot, lambda: "theme: no theme named" in str(error.render()), "theme")
        await kb.press("ctrl+u")
        await kb.type("tplan-dark")
        crisis = screen.query_one("#settings-crisis", SafeTextArea)
        crisis.load_text("")  # as if the clinician had deleted the shipped line
        crisis.focus()
        await wait_until(pilot, lambda: app.focused is crisis, "the crisis lines in focus")
        await kb.type("Clinic line without a number")
        await kb.press("ctrl+s")
        await wait_until(
            pilot, lambda: "crisis_lines[0].contact" in str(error.render()), "crisis line"
        )
        assert app.screen is screen
    assert not settings_path().exists()


async def test_escape_leaves_at_once_when_unchanged_and_asks_otherwise(tmp_path):
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await open_settings(pilot)
        await kb.press("escape")
        assert isinstance(app.screen, CaseloadScreen)
        screen = await open_settings(pilot)
        await kb.type("Sam Okafor")
        await kb.press("escape")
        assert isinstance(app.screen, Confirm)
        await kb.press("n")
        assert app.screen is screen
        await kb.press("escape", "y")
        assert isinstance(app.screen, CaseloadScreen)
        assert app.settings.clinician.name == ""
    assert not settings_path().exists()


async def test_settings_are_in_the_palette(tmp_path):
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await palette_search(pilot, "settings")
        await Keyboard(pilot).press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
