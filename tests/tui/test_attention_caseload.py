"""The caseload at 80x24: a plan that needs attention leads the list and its row says why."""

from __future__ import annotations

from datetime import date

from tests.safety_samples import chris_rated_zero_text
from tests.tui_helpers import row, settled
from tplan_tui import planfile
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app

TODAY = date(2016, 8, 15)


async def test_a_plan_imported_with_a_latest_rating_of_0_leads_and_says_why(tmp_path, chris):
    db = tmp_path / "db"
    low = planfile.load_plan_text(chris_rated_zero_text())
    low.client.name = "Ariel"
    chris.plan.started = date(2016, 6, 1)  # an earlier review: it would lead on its date alone
    [_calm_id, low_id] = open_store(db).import_plans([chris, low])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        table = app.screen.table
        first = row(table, 0)
        assert first[0] == "Ariel"
        assert first[1] == "needs attention: rating fell from 5 to 0 (+1 more)"
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == low_id
        assert row(table, 1)[1] != first[1] and "attention" not in row(table, 1)[1]
        # The words fit on the screen: the client and status columns end within 80 columns.
        widths = [c.get_render_width(table) for c in table.ordered_columns[:2]]
        assert sum(widths) <= 80
        title = str(app.screen.query_one("#caseload-title").render())
        assert "1 needs attention" in title
        # Typing "attention" keeps only the plans that need it.
        await pilot.press(*"attention")
        await pilot.pause()
        assert table.row_count == 1


async def test_the_caseload_footer_at_80_columns_offers_help_and_quit(tmp_path, chris):
    from tests.tui_helpers import footer_keys
    from tplan_tui.store import open_store as _open
    from tplan_tui.tui.app import make_app as _make

    store = _open(tmp_path / "db")
    store.import_plans([chris])
    app = _make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        keys = footer_keys(app)
        assert "Quit" in keys and "Keys" in keys, keys
        footer = app.screen.query_one("Footer")
        # Every key the footer offers is drawn inside the 80 columns.
        assert all(k.region.right <= 80 for k in footer.query("FooterKey")), keys
