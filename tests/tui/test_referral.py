"""The referral (history step, clinician-only): typed in the session, it is kept with the plan,
shown in the clinical record, and never on the client's side: not in their pane, not in the
summary they read (Ctrl+T), not in any client document."""

from __future__ import annotations

from datetime import date

from tests.tui_helpers import (
    Keyboard,
    goto_step,
    on_screen,
    settled,
    terminal_lines,
    wait_until,
)
from tplan_tui.store import open_store
from tplan_tui.summary import render
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.widgets.client_pane import ClientPane

TODAY = date(2016, 7, 1)
# Invented, and long enough to wrap in the field at 80 columns.
REFERRAL = (
    "Referred by his son's school counselor, Ms. Okafor, after three calls home about "
    "fights in class; Chris asked for help with limits at home."
)
MARKER = "Okafor"  # a word found only in the referral


async def test_a_referral_typed_is_kept_in_the_record_and_never_on_the_clients_side(
    tmp_path, chris
):
    store = open_store(tmp_path / "db")
    plan_id = store.create(chris).plan_id
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(130, 40)) as pilot:  # wide: the client pane is beside the form
        await app.open_plan(plan_id)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        await goto_step(pilot, screen, "history")
        kb = Keyboard(pilot)
        # Demographics, psychosocial, symptom onset, past treatment, then the referral.
        await kb.press("tab", "tab", "tab", "tab")
        assert app.focused is not None and any(
            a.id == "f-history-referral" for a in app.focused.ancestors
        ), f"Tab x4 from the first field should reach the referral, not {app.focused!r}"
        await kb.type(REFERRAL)
        await wait_until(
            pilot, lambda: screen.plan.history.referral == REFERRAL, "the plan to take the referral"
        )
        # The whole referral is drawn in its field (it wraps: the field grows, nothing is hidden).
        await settled(pilot)
        field = screen.query_one("#f-history-referral")
        drawn = " ".join(
            row[field.region.x : field.region.right]
            for row in terminal_lines(app)[field.region.y : field.region.bottom]
        )
        assert " ".join(drawn.split()).endswith(REFERRAL), drawn
        # The client's side, drawn beside the form, never shows it, page by page to its end.
        await wait_until(pilot, lambda: not screen._pane_stale, "the client pane to be redrawn")
        pane = screen.query_one(ClientPane)
        seen = ""
        for y in range(0, pane.max_scroll_y + pane.size.height, pane.size.height):
            pane.scroll_to(y=y, animate=False)
            await settled(pilot)
            rows = terminal_lines(app)[pane.region.y : pane.region.bottom]
            seen += "\n".join(row[pane.region.x : pane.region.right] for row in rows)
        assert "Chris" in seen and "How to reach help" in seen, seen  # the pane, to its end
        assert MARKER not in seen
        # The summary the client reads (Ctrl+T) does not either.
        await kb.press("ctrl+t")
        await wait_until(pilot, lambda: app.screen is not screen, "the summary to open")
        await settled(pilot)
        assert "Chris" in on_screen(app) and MARKER not in on_screen(app)
        await kb.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the plan to be back")
        await kb.press("escape")  # leave: the plan is saved
        await wait_until(pilot, lambda: app.screen is not screen, "the caseload to be back")

    kept = open_store(tmp_path / "db").load(plan_id).plan
    assert kept.history.referral == REFERRAL
    record = render(kept, audience="clinician", today=TODAY, fmt="txt", width=200)
    assert "Referral" in record and REFERRAL in " ".join(record.split())
    for fmt in ("txt", "md", "html"):
        assert MARKER not in render(kept, audience="client", today=TODAY, fmt=fmt)
    assert MARKER not in render(kept, audience="client", today=TODAY, document="safety-plan")
