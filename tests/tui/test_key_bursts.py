"""Keys that arrive together (a fast typist, a paste, SSH): the letters typed before PageDown
belong to the field they were typed in. Found by the safety helper at 80x24 in tmux: "Jordan"
then PageDown kept "Jo". Fixed by keeping each step's form while the plan is open: the
letters still queued for the old step's field land in it, not in a field that is gone."""

from __future__ import annotations

from datetime import date

from textual import events

from tests.tui_helpers import settled
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app


async def test_a_name_typed_just_before_pagedown_is_kept(tmp_path):
    app = make_app(open_store(tmp_path / "db"), today=date(2026, 11, 27))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+n")
        await settled(pilot)
        for key in [*"Jordan", "pagedown"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settled(pilot)
        screen = app.screen
        assert screen.plan.client.name == "Jordan"
        assert "Step 2 of" in str(screen.query_one("#step-indicator").render())
        await pilot.press("escape")  # leaving waits for the save
        await settled(pilot)
    assert open_store(tmp_path / "db").load(screen.plan_id).plan.client.name == "Jordan"
