"""Keys that arrive together (a fast typist, a paste, SSH): the letters typed before PageDown
belong to the field they were typed in. Found by the safety helper at 80x24 in tmux: "Jordan"
then PageDown kept "Jo". Fixed by keeping each step's form while the plan is open: the
letters still queued for the old step's field land in it, not in a field that is gone."""

from __future__ import annotations

from datetime import date

from textual import events
from textual.keys import _character_to_key

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


def burst(app, *keys: str) -> None:
    """Keys arriving together, as a paste or tmux sends them: all queued before any is handled."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


async def test_text_typed_right_after_ctrl_n_or_pagedown_lands_in_the_new_field(tmp_path):
    """Seen in tmux at 80x24 on a busy machine: a goal's text typed right after Ctrl+N was lost
    (Textual moves the focus by a message queued after the keys already waiting), and so was
    the first concern typed right after PageDown then Ctrl+N."""
    app = make_app(open_store(tmp_path / "db"), today=date(2026, 11, 27))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+n")
        await settled(pilot)
        burst(app, *"Sam", "pagedown", "pagedown", "ctrl+n", *"Fights at home.", "tab", *"We row.")
        await settled(pilot)
        screen = app.screen
        assert screen.plan.client.name == "Sam"
        concern = screen.plan.presenting_concerns[0]
        assert (concern.text, concern.in_client_words) == ("Fights at home.", "We row.")
        burst(app, "pagedown", "pagedown", "pagedown", "ctrl+n", *"Sam will sleep 7 hours.")
        await settled(pilot)
        assert [g.text for g in screen.plan.goals] == ["Sam will sleep 7 hours."]
        burst(app, "pagedown", "ctrl+n", *"Bed by 11.", "ctrl+n", *"Up by 7.")
        await settled(pilot)
        from tplan_tui import planfile

        assert [o.text for o in screen.plan.goals[0].objectives] == ["Bed by 11.", "Up by 7."], (
            planfile.plan_to_data(screen.plan)
        )


async def test_text_typed_right_after_enter_on_an_add_button_lands_in_the_new_item(tmp_path):
    """Seen in tmux: Enter on "+ Add what the client agrees to" then the agreement, sent
    together, lost the agreement (the button's press is a message; the keys went on)."""
    app = make_app(open_store(tmp_path / "db"), today=date(2026, 11, 27))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+n")
        await settled(pilot)
        screen = app.screen
        screen.go_to("interventions")
        await settled(pilot)
        button = next(
            b for b in screen.form.query(".add-button") if "client agrees" in str(b.label)
        )
        button.focus()
        await settled(pilot)
        burst(app, "enter", *"Come each week.", "ctrl+n", *"Read the notes.")
        await settled(pilot)
        assert screen.plan.contract.client_agrees_to == ["Come each week.", "Read the notes."]
