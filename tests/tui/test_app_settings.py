"""Themes and settings in the app: a theme chosen in the palette or with --theme is kept, a
broken theme or settings file is a notice and a fallback, and NO_COLOR leaves the app usable."""

from __future__ import annotations

from datetime import date

from textual.command import CommandInput, CommandPalette

from tests.tui_helpers import (
    Keyboard,
    Notes,
    on_screen,
    palette_search,
    settled,
    wait_shown,
    wait_until,
)
from tplan_tui.paths import config_dir
from tplan_tui.settings import Settings, load_settings
from tplan_tui.store import open_store
from tplan_tui.themes import contrast_ratio
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.plan import PlanScreen

TODAY = date(2026, 11, 27)


async def test_a_theme_chosen_in_the_app_is_kept_for_next_time(tmp_path):
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "tplan-dark"
        app.theme = "high-contrast"  # what the palette's theme picker does
        await settled(pilot)
    settings, problems = load_settings()
    assert problems == [] and settings.theme == "high-contrast"
    app = make_app(open_store(tmp_path / "db"), settings, today=TODAY)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "high-contrast"


async def test_theme_option_and_a_missing_theme_fall_back_with_a_notice(tmp_path):
    app = make_app(open_store(tmp_path / "db"), Settings(theme="no-such-theme"), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "tplan-dark"
        assert notes.said("no-such-theme")
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY, theme="tplan-light")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "tplan-light"


async def test_a_broken_user_theme_is_a_notice_not_a_crash(tmp_path):
    folder = config_dir() / "themes"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("name: mine\nprimry: '#000000'\n")
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "tplan-dark"
        assert notes.said("mine.yaml")


async def test_no_color_still_says_everything_in_words(tmp_path, chris, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, Settings(), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        assert "overdue" in on_screen(app)  # the review state is a word, not a colour
        # Each key waited on: Enter opens the plan through the store's owner thread, and a
        # Ctrl+G sent before it is drawn went to the caseload (seen on a busy machine).
        await kb.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        await settled(pilot)
        await kb.press("ctrl+g", "6")  # the goals
        await wait_shown(pilot, "[6]")
        assert "[3]" in on_screen(app)  # the chosen rating is bracketed, not coloured
        await kb.press("ctrl+g", "1")
        await wait_shown(pilot, "Step 1 of")
        await settled(pilot)
        await kb.press("tab", "tab", "tab")
        await kb.type("2099-13-01")
        await wait_shown(pilot, "⚠ Date of birth is not a real date")


async def test_a_theme_named_with_markup_is_a_notice_and_the_palette_still_opens(tmp_path):
    from pathlib import Path

    shipped = (Path(__file__).parents[2] / "themes" / "high-contrast.yaml").read_text()
    folder = config_dir() / "themes"
    folder.mkdir(parents=True)
    hostile = shipped.replace("name: high-contrast", "name: '[/]mine[@click=app.quit]'")
    (folder / "mine.yaml").write_text(hostile)
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        assert "[/]mine[@click=app.quit]" not in app.available_themes
        assert any("mine.yaml" in m and "may not contain '['" in m for m in notes.messages)
        await palette_search(pilot, "theme")
        first = app.screen
        await kb.press("enter")  # Textual's theme picker reads theme names as markup

        def picker_open() -> bool:
            screen = app.screen
            return (
                screen is not first
                and isinstance(screen, CommandPalette)
                and isinstance(app.focused, CommandInput)
            )

        await wait_until(pilot, picker_open, "the theme picker to open")
        await kb.type("mine")
        await pilot.pause()
        assert app.is_running


async def test_high_contrast_filter_placeholder_is_readable(tmp_path):
    """The caseload filter's placeholder was drawn at Textual's 38% grey (about 3:1 on black)."""
    app = make_app(open_store(tmp_path / "db"), Settings(), today=TODAY, theme="high-contrast")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#filter"), "the caseload filter")
        field = app.screen.query_one("#filter")
        assert field.placeholder and not field.value
        await pilot.pause()
        # What the terminal draws for the placeholder's words: their colour on their background.
        second_word = field.placeholder.split()[1]  # the first letter is under the cursor
        cells = [
            seg
            for y in range(field.size.height)
            for seg in field.render_line(y)
            if second_word in seg.text and seg.style
        ]
        assert cells, "the placeholder is drawn"
        fg, bg = cells[0].style.color, cells[0].style.bgcolor
        assert fg is not None and bg is not None
        ratio = contrast_ratio(fg.triplet.hex.upper(), bg.triplet.hex.upper())
        assert ratio >= 4.5, (fg, bg, ratio)
