"""Closing the goal library with a goal chosen: the plan screen is never blank. The steps
that show goals are built again; the old one stayed off screen meanwhile (a second of nothing
on a busy machine)."""

from __future__ import annotations

from datetime import date

from tests.tui_helpers import Keyboard, settled, wait_until
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.library_picker import LibraryPicker
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps.base import StepForm
from tplan_tui.tui.widgets.fields import Field

TODAY = date(2016, 10, 3)


def shown_form(screen: PlanScreen) -> StepForm | None:
    """The step form drawn in the plan screen now, if any (with its fields)."""
    for form in screen.query(StepForm):
        if form.display and form.is_attached and form.query(Field):
            return form
    return None


async def test_the_plan_stays_drawn_while_the_library_goal_goes_in(tmp_path, chris):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)
        await kb.press("enter")
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen, "the plan"
        )
        await kb.press("ctrl+g", "6")
        await wait_until(pilot, lambda: screen.form and screen.form.key == "goals", "step 6")
        seen: list[StepForm | None] = []
        rebuild = screen._show_step

        async def watched(index, focus_path=None):
            seen.append(shown_form(screen))  # what is on screen while the step is rebuilt
            await rebuild(index, focus_path)
            seen.append(shown_form(screen))

        screen._show_step = watched  # type: ignore[method-assign]
        await kb.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryPicker), "the library")
        await kb.type("sleep diary")
        await kb.press("enter")
        await wait_until(pilot, lambda: len(screen.plan.goals) == 2, "the goal added")
        await wait_until(pilot, lambda: len(seen) >= 2, "the goals step shown again")
        assert app.screen is screen
        assert all(form is not None for form in seen), seen
        assert shown_form(screen) is screen.form and screen.form.key == "goals"
        assert screen.form.query_one("#f-goals-1-text")  # the new goal's words are there
