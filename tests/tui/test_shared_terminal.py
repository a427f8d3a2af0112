"""The shared terminal in the TUI: the idle lock (with an injected clock), locking at once, the
client view that only the clinician can leave (with the store's unlock secret, never a code on
screen), the back-off after wrong tries, and what each leaves in the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from textual import events

from tests.tui_helpers import TEST_PIN, Keyboard, footer_keys, settled, wait_until, with_pin
from tplan_tui.settings import Settings, load_settings, settings_path
from tplan_tui.store import audit, crypto, init_store, open_store, rekey
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.lock import (
    ClientView,
    HandOver,
    LeaveClientView,
    LockScreen,
    SetUnlockSecret,
)
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


async def test_idle_lock_hides_everything_and_only_the_pin_unlocks_a_plain_store(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    clock = FakeClock()
    app = make_app(store, with_pin(store, Settings(idle_lock_minutes=10)), today=TODAY, clock=clock)
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
        # The footer offers no key that would not work here (F1, Ctrl+Q, the palette).
        await settled(pilot)
        assert footer_keys(app) == []
        await pilot.press("enter")  # Enter alone does not unlock
        await wait_until(pilot, lambda: "Type your unlock PIN" in screen_text(app), "Enter alone")
        kb = Keyboard(pilot)
        await kb.type("8642")
        await kb.press("enter")
        await wait_until(pilot, lambda: "not it" in screen_text(app), "a wrong PIN refused")
        assert app.locked and isinstance(app.screen, LockScreen)
        clock.now += 1  # past the one-second wait
        await kb.type(TEST_PIN)
        await kb.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
        assert isinstance(app.screen, PlanScreen)
    assert actions(store)[-3:] == ["lock", "failed unlock", "unlock"]


async def test_f12_locks_at_once_and_an_encrypted_store_needs_its_passphrase(
    tmp_path, chris, monkeypatch
):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)
    store = init_store(tmp_path / "db", passphrase="correct horse battery")
    store.import_plans([chris])
    clock = FakeClock()
    app = make_app(store, today=TODAY, clock=clock)
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
        await wait_until(pilot, lambda: "not it" in screen_text(app), "the wrong passphrase said")
        assert app.locked
        clock.now += 1
        await kb.type("correct horse battery")
        await kb.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the screen to unlock")
    assert actions(store)[-3:] == ["lock", "failed unlock", "unlock"]


async def test_client_view_is_left_only_with_the_pin_set_at_the_first_hand_over(tmp_path, chris):
    chris.clinician_notes = "CANARY-CLINICIAN-NOTE"
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    clock = FakeClock()
    app = make_app(store, today=TODAY, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter", "f2")
        # A plain store with no PIN yet: the clinician sets one before handing over.
        await wait_until(pilot, lambda: isinstance(app.screen, SetUnlockSecret), "the PIN asked")
        await kb.type("135")
        await kb.press("enter")
        await kb.type("135")
        await kb.press("enter")
        await wait_until(pilot, lambda: "at least 4" in screen_text(app), "too short said")
        app.screen.query_one("#secret-new").value = "13579"
        app.screen.query_one("#secret-again").value = "97531"
        app.screen.query_one("#secret-again").focus()
        await kb.press("enter")
        await wait_until(pilot, lambda: "do not match" in screen_text(app), "a mismatch said")
        await kb.type("13579")
        await kb.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HandOver), "the hand-over")
        # Kept as a hash in the settings file (0600), never as the PIN itself.
        kept = settings_path().read_text()
        assert "scrypt$" in kept and "13579" not in kept
        assert settings_path().stat().st_mode & 0o777 == 0o600
        shown = screen_text(app)
        assert "13579" not in shown and "unlock PIN" in shown
        await kb.press("enter")
        assert isinstance(app.screen, ClientView)
        shown = screen_text(app)
        assert "Chris" in shown and "13579" not in shown
        assert "CANARY-CLINICIAN-NOTE" not in shown
        assert footer_keys(app) == ["Page down", "Clinician"]
        # No way out for the client: Esc, quit, the palette, help, PageDown, F12 do not leave.
        for key in ("escape", "ctrl+q", "ctrl+p", "f1", "pagedown", "f12", "ctrl+c"):
            await kb.press(key)
            assert isinstance(app.screen, ClientView), key
            assert not app.locked, key
        await kb.press("f2")
        assert isinstance(app.screen, LeaveClientView)

        async def attempt(typed: str, said: str) -> None:
            await kb.type(typed)
            await kb.press("enter")
            error = app.screen.query_one("#unlock-error")
            await wait_until(pilot, lambda: said in str(error.render()), said)

        await attempt("0000", "Wait 1 s")
        await attempt("13579", "Too many wrong tries")  # too soon: not even checked
        assert app.backoff.failures == 1 and isinstance(app.screen, LeaveClientView)
        clock.now += 1
        await attempt("1234", "Wait 2 s")
        clock.now += 1
        await attempt("1234", "Too many wrong tries")
        clock.now += 1
        await kb.type("13579")  # the right one, but after the wait
        await kb.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, PlanScreen), "the plan back to the clinician"
        )
        assert not app.in_client_view
    assert actions(store).count("failed unlock") == 2
    assert "unlock pin set" in actions(store)
    # A new session: the PIN is asked no more; it is the one set before.
    app = make_app(open_store(tmp_path / "db"), load_settings()[0], today=TODAY, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "the lock")
        await Keyboard(pilot).type("13579")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the unlock with the kept PIN")


async def test_f12_on_a_plain_store_asks_for_a_pin_first_and_esc_leaves_it_unlocked(tmp_path):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SetUnlockSecret), "the PIN asked")
        await pilot.press("escape")
        await settled(pilot)
        assert not app.locked and app.needs_unlock_secret


async def test_a_pin_typed_fast_with_enter_between_fills_both_fields(tmp_path):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SetUnlockSecret), "the PIN asked")
        # Every key at once, as a fast typist or a paste over SSH sends them.
        for char in "1357\r1357\r":
            key = "enter" if char == "\r" else char
            app.post_message(events.Key(key, char))
        await settled(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "locked with the PIN")
        assert app.unlock_hash is not None


async def test_an_idle_lock_with_no_pin_set_can_only_be_quit(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    clock = FakeClock()
    app = make_app(store, today=TODAY, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        clock.now += 11 * 60
        app.check_idle_lock()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "the idle lock")
        await settled(pilot)
        shown = screen_text(app)
        assert "Chris" not in shown and "cannot be opened" in shown
        assert footer_keys(app) == ["Quit"]
        for typed in ("", "0000", "2468"):
            clock.now += 100
            await Keyboard(pilot).type(typed)
            await pilot.press("enter")
            await settled(pilot)
            assert app.locked
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")


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
    clock = FakeClock()
    app = make_app(store, today=TODAY, clock=clock)
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
            lambda: "not it" in str(app.screen.query_one("#unlock-error").render()),
            "the old passphrase refused",
        )
        clock.now += 1
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


async def test_a_pin_set_here_keeps_what_another_terminal_saved_since_start(tmp_path):
    """The session's settings are read at start; saving its PIN must not write that old copy
    back whole, or a PIN set in another terminal (another store) and a setting changed with
    `tplan settings set` since then would be lost."""
    from dataclasses import replace

    from tplan_tui.settings import update_settings
    from tplan_tui.unlock import hash_secret

    elsewhere = hash_secret("9753", n=2**4)
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        update_settings(
            lambda s: replace(s, idle_lock_minutes=7, unlock_secrets={"/another/store": elsewhere})
        )
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SetUnlockSecret), "the PIN asked")
        for char in "1357\r1357\r":
            key = "enter" if char == "\r" else char
            app.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "locked with the PIN")
        await wait_until(
            pilot, lambda: len(load_settings()[0].unlock_secrets) == 2, "the PIN kept on disk"
        )
    kept, problems = load_settings()
    assert problems == []
    assert kept.unlock_secrets["/another/store"] == elsewhere
    assert kept.idle_lock_minutes == 7
