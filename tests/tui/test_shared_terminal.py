"""The shared terminal in the TUI: the idle lock (with an injected clock), locking at once, the
client view that only the clinician can leave, and what each leaves in the audit log."""

from __future__ import annotations

from datetime import date

import pytest

from tests.tui_helpers import Keyboard, settled, wait_until
from tplan_tui.settings import Settings
from tplan_tui.store import audit, crypto, init_store, open_store, rekey
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.lock import ClientView, HandOver, LeaveClientView, LockScreen
from tplan_tui.tui.screens.plan import PlanScreen

TODAY = date(2026, 11, 27)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def screen_text(app) -> str:
    """What is on the terminal, as text (the SVG writes spaces as non-breaking ones)."""
    return app.export_screenshot().replace("&#160;", " ").replace("\xa0", " ")


def actions(store) -> list[str]:
    return [e.action for e in audit.read(store)]


async def test_idle_lock_hides_everything_and_enter_unlocks_a_plain_store(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    clock = FakeClock()
    app = make_app(store, Settings(idle_lock_minutes=10), today=TODAY, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        clock.now += 9 * 60
        app.check_idle_lock()
        assert not app.locked  # nine minutes: not yet
        await pilot.press("tab")  # activity resets the idle time
        clock.now += 9 * 60
        app.check_idle_lock()
        assert not app.locked
        clock.now += 61
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert "Chris" not in shown and "Dana Reyes" not in shown and "son" not in shown
        await pilot.press("ctrl+p")  # nothing reachable behind the lock
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, LockScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
        assert isinstance(app.screen, PlanScreen)
    assert actions(store)[-3:] == ["edit", "lock", "unlock"] or actions(store)[-2:] == [
        "lock",
        "unlock",
    ]


async def test_f12_locks_at_once_and_an_encrypted_store_needs_its_passphrase(
    tmp_path, chris, monkeypatch
):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)
    store = init_store(tmp_path / "db", passphrase="correct horse battery")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("f12")
        assert isinstance(app.screen, LockScreen)
        assert "Chris" not in screen_text(app)
        await wait_until(
            pilot, lambda: actions(store)[-1:] == ["lock"], "the lock in the audit log"
        )
        await kb.type("wrong one")
        await kb.press("enter")
        await wait_until(
            pilot, lambda: "Wrong passphrase" in screen_text(app), "the wrong passphrase said"
        )
        assert app.locked
        await kb.type("correct horse battery")
        await kb.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
    assert actions(store)[-3:] == ["lock", "failed unlock", "unlock"]


async def test_client_view_shows_only_the_clients_plan_and_needs_the_code_to_leave(tmp_path, chris):
    chris.clinician_notes = "CANARY-CLINICIAN-NOTE"
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "f2")
        assert isinstance(app.screen, HandOver)
        code = app.screen.unlocker.code
        assert code and " ".join(code) in screen_text(app)  # shown to the clinician only, here
        await kb.press("enter")
        assert isinstance(app.screen, ClientView)
        shown = screen_text(app)
        assert "Chris" in shown and code not in shown and " ".join(code) not in shown
        assert "CANARY-CLINICIAN-NOTE" not in shown
        # No way out for the client: Esc, quit, the palette, help, PageDown do not leave.
        for key in ("escape", "ctrl+q", "ctrl+p", "f1", "pagedown", "f12"):
            await kb.press(key)
            if app.locked:  # F12 locks; the clinician unlocks (a plain store: Enter)
                await kb.press("enter")
                await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
            assert isinstance(app.screen, ClientView), key
        await kb.press("f2")
        assert isinstance(app.screen, LeaveClientView)
        await kb.type("0000" if code != "0000" else "1111")
        await kb.press("enter")
        await wait_until(pilot, lambda: "not the code" in screen_text(app), "the wrong code said")
        await kb.press("escape")
        assert isinstance(app.screen, ClientView)
        await kb.press("f2")
        await kb.type(code)
        await kb.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, PlanScreen), "the plan back to the clinician"
        )
        assert not app.in_client_view
    assert "failed unlock" in actions(store)


@pytest.mark.parametrize("minutes", [1, 30])
def test_idle_time_comes_from_the_settings(tmp_path, minutes):
    app = make_app(open_store(tmp_path / "db"), Settings(idle_lock_minutes=minutes))
    assert app.idle_seconds == minutes * 60


async def test_a_passphrase_changed_in_another_session_locks_and_loses_nothing(
    tmp_path, chris, monkeypatch
):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)
    store = init_store(tmp_path / "db", passphrase="first passphrase")
    [plan_id] = store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter")
        assert isinstance(app.screen, PlanScreen)
        other = open_store(tmp_path / "db", passphrase="first passphrase")
        rekey.change_passphrase(other, "second passphrase")
        await kb.press("tab", "tab")  # to the pronouns
        await kb.press("ctrl+u")
        await kb.type("they/them")
        await wait_until(pilot, lambda: app.locked, "the screen to lock")
        assert isinstance(app.screen, LockScreen)
        await kb.type("first passphrase")  # the old one no longer unlocks
        await kb.press("enter")
        await wait_until(
            pilot,
            lambda: "Wrong passphrase" in str(app.screen.query_one("#unlock-error").render()),
            "the old passphrase refused",
        )
        await kb.type("second passphrase")
        await kb.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
        await wait_until(
            pilot,
            lambda: "all changes saved" in str(app.screen.query_one("#step-indicator").render()),
            "the retried save",
        )
    plan = open_store(tmp_path / "db", passphrase="second passphrase").load(plan_id).plan
    assert plan.client.pronouns == "they/them"
