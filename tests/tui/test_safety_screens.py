"""Safety in the app (issue 11): the client's summary on screen ends with how to reach help."""

from __future__ import annotations

from datetime import date

from tests.tui_helpers import settled
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
