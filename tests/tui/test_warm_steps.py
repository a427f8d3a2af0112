"""Steps built ahead are laid out while the app is idle (``tui/warm.py``): shown, nothing in them
changes size, so the screen is laid out once, and they look exactly as a step built and shown
cold. At 80x24, with the invented sample plan (a second, shorter concern added)."""

from __future__ import annotations

import copy
from datetime import date

from textual.widget import Widget

from tests.tui_helpers import goto_step, open_first_plan, settled, terminal_lines, wait_until
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps import STEP_KEYS

TODAY = date(2026, 12, 2)


def two_concerns(chris) -> m.Plan:
    plan = copy.deepcopy(chris)
    extra = copy.deepcopy(plan.presenting_concerns[0])
    extra.text = "Sleeps badly."
    plan.presenting_concerns.append(extra)
    return plan


def app_on(folder, chris):
    """The app on a store in ``folder`` holding the sample plan with two concerns."""
    store = open_store(folder)
    store.import_plans([two_concerns(chris)])
    return make_app(store, today=TODAY)


async def built_ahead(pilot, screen: PlanScreen, key: str):
    """Wait until step ``key`` is built and the plan screen's idle work is done (its warm-up
    included: it runs last in the same worker)."""
    index = STEP_KEYS.index(key)

    def done() -> bool:
        return (
            index in screen._forms
            and screen._prebuild_timer is None
            and not any(w.is_running for w in screen.workers if w.group == "prebuild")
        )

    await wait_until(pilot, done, f"step {key} built ahead")
    await settled(pilot)
    return screen._forms[index]


def resizes_in(monkeypatch, root_of: list[Widget]) -> list[str]:
    """The widgets under ``root_of[0]`` that the screen's layouts give a new size, from now."""
    resized: list[str] = []
    original = Widget._size_updated

    def noted(self, size, virtual_size, container_size, layout=True):
        changed = original(self, size, virtual_size, container_size, layout)
        if changed and root_of and root_of[0] in self.ancestors_with_self:
            resized.append(f"{type(self).__name__}#{self.id} {size}")
        return changed

    monkeypatch.setattr(Widget, "_size_updated", noted)
    return resized


async def step_screens(tmp_path, chris, monkeypatch, *, warm: bool) -> dict[str, list[str]]:
    """The terminal on each of steps 6 to 9, reached by PageDown from step 5."""
    if not warm:

        async def cold(form, size, wanted) -> int:
            return 0

        monkeypatch.setattr("tplan_tui.tui.screens.plan.warm_layout", cold)
    app = app_on(tmp_path / ("warm" if warm else "cold"), chris)
    shown: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_plan(pilot, app)
        await goto_step(pilot, screen, "safety")
        for key in ("goals", "objectives", "interventions", "review"):
            await built_ahead(pilot, screen, key)
            await pilot.press("pagedown")
            await wait_until(pilot, lambda k=key: screen.form.key == k, f"step {key}")
            await settled(pilot)
            shown[key] = terminal_lines(app)
        await pilot.press("escape")
    return shown


async def test_a_step_built_ahead_is_shown_with_nothing_resized(tmp_path, chris, monkeypatch):
    """Before the warm-up, the objectives step's first show resized 21 widgets, each asking for
    another layout of the screen (three in a row, 82 ms with 12 goals against 35 shown again)."""
    app = app_on(tmp_path / "db", chris)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_plan(pilot, app)
        await goto_step(pilot, screen, "strengths")
        for key in ("safety", "goals", "objectives", "interventions"):
            form = await built_ahead(pilot, screen, key)
            watched: list[Widget] = [form]
            resized = resizes_in(monkeypatch, watched)
            await pilot.press("pagedown")
            await wait_until(pilot, lambda f=form: screen.form is f, f"step {key} shown")
            await settled(pilot)
            monkeypatch.undo()
            assert resized == [], f"step {key} changed size when shown: {resized}"
        await pilot.press("escape")


async def test_a_step_warmed_ahead_looks_as_one_shown_cold(tmp_path, chris, monkeypatch):
    warm = await step_screens(tmp_path, chris, monkeypatch, warm=True)
    monkeypatch.undo()
    cold = await step_screens(tmp_path, chris, monkeypatch, warm=False)
    for key in warm:
        assert warm[key] == cold[key], f"step {key} differs"
    assert any("Sleeps badly." in line for line in warm["goals"])


async def test_a_long_concern_is_cut_to_one_line_each_time_its_step_is_shown(tmp_path, chris):
    """Drawn while its step was hidden, the list used a guessed width (a hidden widget's size is
    0) and its long concern took two lines until the list was measured again: the step-change
    test above sees that as a resize; here, what the clinician reads after each show."""
    app = app_on(tmp_path / "db", chris)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_plan(pilot, app)
        await goto_step(pilot, screen, "safety")
        goals = await built_ahead(pilot, screen, "goals")
        for _ in range(2):
            await pilot.press("pagedown")
            await wait_until(pilot, lambda: screen.form is goals, "the goals step")
            await settled(pilot)
            lines = terminal_lines(app)
            row = next(i for i, line in enumerate(lines) if "1 [ ] Parent reports" in line)
            assert "…" in lines[row] and "2 [ ] Sleeps badly." in lines[row + 1]
            await pilot.press("pageup")
            await wait_until(pilot, lambda: screen.form is not goals, "the step before")
            await settled(pilot)
        await pilot.press("escape")
