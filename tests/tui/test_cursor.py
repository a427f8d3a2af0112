"""The ``cursor_blink`` setting: on (the default) the cursor of the focused field blinks; with
``cursor_blink: false`` it is drawn steadily, in one-line fields and in text areas alike."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tests.tui_helpers import settled, wait_until
from tplan_tui.settings import Settings
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app

TODAY = date(2016, 8, 15)
BLINK_S = 0.5  # Textual's blink period: watching three of them shows any blinking


def cursor_drawn(field) -> bool:
    """Whether the focused field's first line shows the cursor: its first cell (where the
    cursor is when the field has just been focused) drawn unlike the cell after it."""
    cells = [segment.style for segment in field.render_line(0) for _ in segment.text]
    return cells[0] != cells[1]


async def focused_field(pilot, where: str):
    """Focus the caseload's filter (an Input) or a strength's text (a TextArea); return it."""
    app = pilot.app
    await settled(pilot)
    if where == "text area":
        await pilot.press("enter")
        await wait_until(pilot, lambda: hasattr(app.screen, "go_to"), "the plan to open")
        app.screen.go_to("strengths")
        await wait_until(
            pilot,
            lambda: type(app.focused).__name__ == "PlanTextArea",
            "a strength's text area to be focused",
        )
        await settled(pilot)
    field = app.focused
    assert field is not None and field.has_focus
    return field


@pytest.mark.cursor_blinks
@pytest.mark.parametrize("where", ["one-line field", "text area"])
async def test_the_cursor_blinks_unless_the_setting_says_false(tmp_path, chris, where):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])

    app = make_app(store, Settings(), today=TODAY)  # the default setting: blinking
    async with app.run_test(size=(80, 24)) as pilot:
        field = await focused_field(pilot, where)
        await wait_until(pilot, lambda: cursor_drawn(field), "the cursor to be drawn")
        # Blinking: the cursor goes away while the field keeps the focus.
        await wait_until(pilot, lambda: not cursor_drawn(field), "the cursor to blink off")
        assert field.has_focus

    app = make_app(store, Settings(cursor_blink=False), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        field = await focused_field(pilot, where)
        # Watched for three blink periods by the clock, redrawn each round: always there.
        start = time.monotonic()
        rounds = 0
        while time.monotonic() - start < 3 * BLINK_S:
            assert cursor_drawn(field), f"the cursor went away after {rounds} rounds"
            await pilot.pause()
            rounds += 1
        assert field.has_focus and rounds > 3


async def test_every_test_app_has_a_steady_cursor(tmp_path):
    """tests/conftest.py: apps built by tests do not blink (snapshots stay the same)."""
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.focused.cursor_blink is False and cursor_drawn(app.focused)
