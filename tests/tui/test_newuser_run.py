"""What surprised a new user building the sample plan by keys in tmux at 80x24 (issue 14's
"Done when"), each fixed where it began:

- a code picked with F4 went into the plan but not onto the screen (the history step was not
  built again), nor did a diagnosis moved with Alt+Up;
- F1 did not list the keys of the step in use (F4 and Alt+Up/Down on the history step; S, R
  and P on the safety step), and said Ctrl+R asks only if something was typed (it always asks);
- on the safety step the footer's S and R pushed Quit and F1 off an 80-column screen;
- the code picker, loading its code set after the first letters, kept asking for them.
"""

from __future__ import annotations

import threading
from datetime import date

from tests.tui_helpers import Keyboard, goto_step, settled, terminal_lines, wait_until
from tplan_tui.core import codes
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.code_picker import CodePicker
from tplan_tui.tui.screens.modals import HelpScreen
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps import STEP_KEYS

TODAY = date(2016, 7, 1)


async def open_chris(pilot, app, store, chris, step: str = "client") -> PlanScreen:
    plan_id = store.create(chris, {"step": step}).plan_id
    await app.open_plan(plan_id)
    await settled(pilot)
    screen = app.screen
    assert isinstance(screen, PlanScreen)
    return screen


def drawn(app) -> str:
    return "\n".join(terminal_lines(app))


async def pick(pilot, kb: Keyboard, words: str, downs: int = 0) -> None:
    app = pilot.app
    await kb.press("f4")
    picker = await wait_until(
        pilot, lambda: app.screen if isinstance(app.screen, CodePicker) else None, "the picker"
    )
    await kb.type(words)
    await wait_until(pilot, lambda: picker.found, f"codes for {words!r}")
    await kb.press(*(["down"] * downs), "enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CodePicker), "the picker to close")
    await settled(pilot)


async def test_a_code_picked_with_f4_is_drawn_and_a_moved_diagnosis_too(tmp_path, chris):
    codes.index()  # loaded once per test process (the picker loads it in a thread otherwise)
    chris.history.diagnoses.clear()
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_chris(pilot, app, store, chris, "history")
        screen.query_one("#f-history-referral").focus_editor()  # in no diagnosis: F4 adds one
        await pick(pilot, kb, "parent-biological child")
        assert [d.code for d in screen.plan.history.diagnoses] == ["Z62.820"]
        assert "Diagnosis 1 (primary)" in drawn(app)
        assert "Parent-biological child conflict" in drawn(app)
        assert app.focused in screen.query_one("#f-history-diagnoses-0-code").query("*").nodes

        await kb.press("ctrl+n")  # a second diagnosis, its code picked
        await settled(pilot)
        await pick(pilot, kb, "panic", downs=2)  # F40.01, F40.02, F41.0
        assert "F41.0" in drawn(app) and "Diagnosis 2" in drawn(app)
        await kb.press("alt+up")  # the panic disorder becomes the primary one
        await wait_until(
            pilot, lambda: screen.plan.history.diagnoses[0].code == "F41.0", "the move"
        )
        await settled(pilot)
        first = screen.query_one("#f-history-diagnoses-0-code").editor
        second = screen.query_one("#f-history-diagnoses-1-code").editor
        assert (first.value, second.value) == ("F41.0", "Z62.820")  # the fields, not only the plan


async def help_rows(pilot, kb: Keyboard) -> dict[str, str]:
    app = pilot.app
    await kb.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the keys")
    rows = {key: f"{name} — {sentence}" for key, name, sentence in app.screen.rows}
    await kb.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help to close")
    return rows


async def test_f1_lists_the_keys_of_the_step_in_use(tmp_path, chris):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        screen = await open_chris(pilot, app, store, chris)
        rows = await help_rows(pilot, kb)
        assert "f4" not in rows  # the client step has no code to pick
        assert "asks first" in rows["^r"] and "if anything was typed" not in rows["^r"]
        await goto_step(pilot, screen, "history")
        rows = await help_rows(pilot, kb)
        assert "Pick code" in rows["f4"]
        assert any(key.startswith("alt+") and "Move up" in row for key, row in rows.items())
        await goto_step(pilot, screen, "safety")
        rows = await help_rows(pilot, kb)
        assert {"s", "r", "p"} <= set(rows), rows.keys()
        assert "next step" in rows["pgdn"] and "Quit" in rows["^q"]  # the rest still there


async def test_the_footer_shows_quit_and_f1_on_every_step_at_80_columns(tmp_path, chris):
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_chris(pilot, app, store, chris)
        for key in STEP_KEYS:
            await goto_step(pilot, screen, key)
            footer = terminal_lines(app)[-1]
            assert "^q Quit" in footer and "f1 Keys" in footer, f"step {key}: {footer!r}"


async def test_the_code_picker_says_it_is_loading_once_something_is_typed(
    tmp_path, chris, monkeypatch
):
    loaded = threading.Event()

    def slow_search(query: str, limit: int = 50) -> list[codes.CodeEntry]:
        loaded.wait(30)  # the code set "loading" until the test has looked
        return []

    monkeypatch.setattr(codes, "is_loaded", lambda: False)
    monkeypatch.setattr(codes, "search", slow_search)
    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await open_chris(pilot, app, store, chris, "history")
        await kb.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, CodePicker), "the picker")
        await kb.type("F3")
        try:
            await wait_until(
                pilot, lambda: "Loading the code set" in drawn(app), "a word that it is loading"
            )
            assert "Type a code's start" not in drawn(app)
        finally:
            loaded.set()
        await kb.press("escape")
