"""The command palette (Ctrl+P) is built from the screens' bindings: a key, its name and its
sentence have one source, and a keyed command run from the palette does what the key does."""

from __future__ import annotations

from datetime import date

from textual.binding import Binding

from tests.tui_helpers import palette_search, settled
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.commands import NOT_IN_PALETTE, TplanCommands
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.checkin import CheckinScreen
from tplan_tui.tui.screens.plan import PlanScreen

TODAY = date(2016, 10, 3)


async def until(pilot, condition, what: str, tries: int = 600) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def palette(app) -> dict[str, str]:
    """What the palette offers on the current screen: name -> the sentence shown under it."""
    return {name: sentence for name, sentence, _run in TplanCommands(app.screen)._commands()}


async def test_every_key_of_a_screen_is_in_the_palette_with_its_own_sentence(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)

        def key(name: str) -> str:  # as the footer and the help show it
            return app.get_key_display(Binding(name, ""))

        for screen_class in (CaseloadScreen, PlanScreen):
            offered = palette(app)
            for binding in [*screen_class.BINDINGS, *app.BINDINGS]:
                if binding.id in NOT_IN_PALETTE:
                    assert binding.description not in offered, binding.id
                    continue
                assert binding.tooltip in offered[binding.description], binding.id
            if screen_class is CaseloadScreen:
                assert offered["Check-in"].endswith(f"({key('ctrl+k')})")
                assert "Go to step 8: Interventions and contract" not in offered
                await pilot.press("enter")
                assert isinstance(app.screen, PlanScreen)
        assert palette(app)["Next"] == f"Go to the next step of the plan. ({key('pagedown')})"
        assert "Go to step 8: Interventions and contract" in palette(
            app
        )  # actions without a key stay


async def test_a_keyed_command_run_from_the_palette_does_what_its_key_does(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await palette_search(pilot, "Check-in")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CheckinScreen), "the check-in opens")
        assert "Check-in · Chris" in str(app.screen.query_one("#walk-title").render())


async def test_the_safety_keys_are_in_the_palette_with_their_sentences(tmp_path, chris):
    from tplan_tui.tui.screens.safety import AttentionScreen, RiskScreen, SafetyPlanScreen

    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)

        def key(name: str) -> str:
            return app.get_key_display(Binding(name, ""))

        assert palette(app)["Safety"].startswith("Why the highlighted plan needs attention")
        assert palette(app)["Safety"].endswith(f"({key('ctrl+a')})")

        def offers_every_key(screen_class: type) -> None:
            offered = palette(app)
            for binding in screen_class.BINDINGS:
                if binding.id in NOT_IN_PALETTE:
                    assert binding.description not in offered, binding.id
                    continue
                assert binding.tooltip in offered[binding.description], binding.id

        for letter, screen_class in (("s", SafetyPlanScreen), ("r", RiskScreen)):
            await pilot.press("ctrl+a")
            await until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the dialog")
            offers_every_key(AttentionScreen)
            assert palette(app)["Risk assessment"].endswith(f"({key('r')})")
            await pilot.press(letter)
            await until(pilot, lambda kind=screen_class: isinstance(app.screen, kind), letter)
            offers_every_key(screen_class)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "back")
        # Run from the palette, a safety key does what the key does.
        await palette_search(pilot, "Safety")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the dialog opens")
