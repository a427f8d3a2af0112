"""Snapshots of what a user sees at 80x24: the caseload and each guided step of the sample plan.

A change in layout or wording shows as an SVG diff. After a deliberate change, update them with
``.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update`` and review the diff.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.tui_helpers import settled
from tplan_tui.store import Store, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.steps import STEP_KEYS

TODAY = date(2016, 8, 15)


async def steady(pilot) -> None:
    """Settled, with the text cursors not blinking: on a loaded machine the picture was taken on
    either side of a blink, so snapshots of the same screen differed by one cursor cell."""
    await settled(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
        # Textual 8.2.8's TextArea keys its line cache on the cursor only while it blinks: a
        # line drawn before the focus arrived would be shown again without the cursor.
        getattr(widget, "_line_cache", {}).clear()
        widget.refresh()
    await pilot.pause()


async def shown(pilot, key: str) -> None:
    """Wait until step ``key`` is on screen with the focus in it: the step is replaced over a
    few frames, more of them on a loaded machine."""
    app = pilot.app
    for _ in range(500):
        form = app.screen.form
        if form is not None and form.key == key and app.focused in form.query("*"):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"step {key} never showed with the focus in it")


@pytest.fixture
def fixed_ids(monkeypatch):
    """Plan ids are random; snapshots need them fixed."""
    counter = itertools.count(1)
    monkeypatch.setattr(Store, "new_plan_id", lambda self: f"plan{next(counter):04d}")


@pytest.fixture
def chris_app(tmp_path, chris, fixed_ids):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    return make_app(store, today=TODAY)


def test_caseload_empty(snap_compare, tmp_path, fixed_ids):
    assert snap_compare(make_app(open_store(tmp_path / "db"), today=TODAY), run_before=steady)


def test_caseload(snap_compare, chris_app):
    assert snap_compare(chris_app, run_before=steady)


@pytest.mark.parametrize("step", range(8))
def test_step(snap_compare, chris_app, step):
    async def open_step(pilot):
        await settled(pilot)
        await pilot.press("enter")
        pilot.app.screen.go_to(step)
        await shown(pilot, STEP_KEYS[step])
        await steady(pilot)

    assert snap_compare(chris_app, run_before=open_step)


def test_client_side_at_80_columns(snap_compare, chris_app):
    async def client_side(pilot):
        await settled(pilot)
        await pilot.press("enter", "ctrl+o")
        await steady(pilot)

    assert snap_compare(chris_app, run_before=client_side)


def test_side_by_side_when_wide(snap_compare, chris_app):
    async def goals(pilot):
        await settled(pilot)
        await pilot.press("enter")
        pilot.app.screen.go_to("goals")
        await shown(pilot, "goals")
        await steady(pilot)

    assert snap_compare(chris_app, run_before=goals, terminal_size=(120, 32))
