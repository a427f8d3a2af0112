"""Snapshots of what a user sees at 80x24: the caseload, each guided step of the sample plan,
and every other screen (check-in, review, consents, versions, lock, client view, help, library).

A change in layout or wording shows as an SVG diff. After a deliberate change, update them with
``.venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update`` and review the diff.

They must not flake on a busy machine, so: the date, plan ids, hand-over code and version times
are fixed; the cursor does not blink (tests/conftest.py); and each screenshot waits until the
screen it is for is there with its field focused, then until the app is still (``settled``),
never for a fixed time.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.tui_helpers import settled, wait_until, with_pin
from tplan_tui.store import Store, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.steps import STEPS

TODAY = date(2016, 8, 15)


@pytest.fixture
def fixed_ids(monkeypatch):
    """Plan ids are random; snapshots need them fixed."""
    counter = itertools.count(1)
    monkeypatch.setattr(Store, "new_plan_id", lambda self: f"plan{next(counter):04d}")


async def on_screen(pilot, kind: type, what: str, focus_within: str | None = None) -> None:
    """Wait until ``kind`` is the screen shown (with the focus inside ``focus_within``, if
    given), then until the app is still."""
    app = pilot.app

    def there() -> bool:
        if not isinstance(app.screen, kind):
            return False
        if focus_within is None:
            return True
        focused = app.focused
        return focused is not None and any(
            node.id == focus_within for node in focused.ancestors_with_self
        )

    await wait_until(pilot, there, what)
    await settled(pilot)


async def open_plan(pilot) -> None:
    from tplan_tui.tui.screens.plan import PlanScreen

    await settled(pilot)
    await pilot.press("enter")
    await on_screen(pilot, PlanScreen, "the plan", focus_within="form-holder")


async def show_step(pilot, step: int | str) -> None:
    """Go to a step and wait until its form is mounted with its first field focused."""
    screen = pilot.app.screen
    screen.go_to(step)
    index = step if isinstance(step, int) else [s.key for s in STEPS].index(step)

    def shown() -> bool:
        focused = pilot.app.focused
        form = screen.form
        return (
            isinstance(form, STEPS[index])
            and focused is not None
            and form in focused.ancestors_with_self
        )

    await wait_until(pilot, shown, f"step {index + 1} with its first field focused")
    # Changing step saves it (to resume there) half a second later; the indicator says
    # "saving…" meanwhile, so the screenshot waits for the save to be done.
    await wait_until(
        pilot,
        lambda: (
            screen.save_state == "all changes saved"
            and "all changes saved" in str(screen.query_one("#step-indicator").render())
        ),
        f"step {index + 1} to be saved",
    )
    await settled(pilot)


@pytest.fixture
def chris_app(tmp_path, chris, fixed_ids):
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    return make_app(store, with_pin(store), today=TODAY)  # a PIN set: F12 and F2 go straight on


def test_caseload_empty(snap_compare, tmp_path, fixed_ids):
    assert snap_compare(make_app(open_store(tmp_path / "db"), today=TODAY), run_before=settled)


def test_caseload(snap_compare, chris_app):
    assert snap_compare(chris_app, run_before=settled)


@pytest.mark.parametrize("step", range(len(STEPS)))
def test_step(snap_compare, chris_app, step):
    async def open_step(pilot):
        await open_plan(pilot)
        await show_step(pilot, step)

    assert snap_compare(chris_app, run_before=open_step)


def test_safety_step_with_a_safety_plan_and_a_risk(snap_compare, tmp_path, fixed_ids):
    from tests.samples import ROBIN_V2_YAML
    from tplan_tui import planfile

    store = open_store(tmp_path / "db")
    store.import_plans([planfile.load_plan_file(ROBIN_V2_YAML)])
    app = make_app(store, today=date(2026, 11, 1))

    async def safety(pilot):
        await open_plan(pilot)
        await show_step(pilot, "safety")

    assert snap_compare(app, run_before=safety)


def test_client_side_at_80_columns(snap_compare, chris_app):
    async def client_side(pilot):
        await open_plan(pilot)
        await pilot.press("ctrl+o")
        await wait_until(
            pilot, lambda: pilot.app.screen.has_class("-client-side"), "the client's side"
        )
        await settled(pilot)

    assert snap_compare(chris_app, run_before=client_side)


def test_side_by_side_when_wide(snap_compare, chris_app):
    async def goals(pilot):
        await open_plan(pilot)
        await show_step(pilot, "goals")

    assert snap_compare(chris_app, run_before=goals, terminal_size=(120, 32))


# --------------------------------------------------------------------------- the other screens


def test_checkin(snap_compare, chris_app):
    from tplan_tui.tui.screens.checkin import CheckinScreen

    async def checkin(pilot):
        await settled(pilot)
        await pilot.press("ctrl+k")
        await on_screen(pilot, CheckinScreen, "the check-in", focus_within="walk-body")

    assert snap_compare(chris_app, run_before=checkin)


def test_review(snap_compare, chris_app):
    from tplan_tui.tui.screens.review import ReviewScreen

    async def review(pilot):
        await settled(pilot)
        await pilot.press("ctrl+r")
        await on_screen(pilot, ReviewScreen, "the review", focus_within="walk-body")

    assert snap_compare(chris_app, run_before=review)


def test_consents(snap_compare, tmp_path, chris, fixed_ids):
    from tplan_tui.core import model as m
    from tplan_tui.tui.screens.consents import ConsentsScreen

    chris.consents = [
        m.Consent(
            "Dr. Lin (family doctor)", "summary", "Chris", date(2016, 7, 1), date(2017, 6, 30)
        ),
        m.Consent("Old clinic", "full plan", "Chris", date(2015, 1, 1), date(2016, 1, 1)),
    ]
    store = open_store(tmp_path / "db")
    store.import_plans([chris])

    async def consents(pilot):
        await settled(pilot)
        await pilot.app.screen.action_tool("consents")
        await on_screen(pilot, ConsentsScreen, "the consents", focus_within="consents-list")

    assert snap_compare(make_app(store, today=TODAY), run_before=consents)


def test_versions(snap_compare, tmp_path, chris, fixed_ids, monkeypatch):
    import copy

    from tplan_tui.core import model as m
    from tplan_tui.store import plans
    from tplan_tui.tui.screens.versions import VersionsScreen

    monkeypatch.setattr(plans, "_now", lambda: "2016-08-01T16:30:00+00:00")
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    new = copy.deepcopy(chris)
    new.plan.version += 1
    new.goals[0].interventions.append(m.Intervention("Therapist will call Chris between sessions."))
    new.reviews.append(m.Review(date(2016, 8, 1), "Good month; one step added."))
    store.save(stored.plan_id, new)

    async def versions(pilot):
        await settled(pilot)
        await pilot.app.screen.action_tool("versions")
        await on_screen(pilot, VersionsScreen, "the versions", focus_within="versions-list")

    assert snap_compare(make_app(store, today=TODAY), run_before=versions)


def test_lock_screen(snap_compare, chris_app):
    from tplan_tui.tui.screens.lock import LockScreen

    async def lock(pilot):
        await open_plan(pilot)
        await pilot.press("f12")
        await on_screen(pilot, LockScreen, "the lock screen")

    assert snap_compare(chris_app, run_before=lock)


def test_hand_over_to_the_client(snap_compare, chris_app):
    from tplan_tui.tui.screens.lock import HandOver

    async def hand_over(pilot):
        await open_plan(pilot)
        await pilot.press("f2")
        await on_screen(pilot, HandOver, "the hand-over question")

    assert snap_compare(chris_app, run_before=hand_over)


def test_client_view(snap_compare, chris_app):
    from tplan_tui.tui.screens.lock import ClientView, HandOver

    async def client_view(pilot):
        await open_plan(pilot)
        await pilot.press("f2")
        await on_screen(pilot, HandOver, "the hand-over question")
        await pilot.press("enter")
        await on_screen(pilot, ClientView, "the client view")

    assert snap_compare(chris_app, run_before=client_view)


def test_help(snap_compare, chris_app):
    from tplan_tui.tui.screens.modals import HelpScreen

    async def help_screen(pilot):
        await open_plan(pilot)
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen, "the list of keys")

    assert snap_compare(chris_app, run_before=help_screen)


def test_settings_screen(snap_compare, chris_app):
    from tplan_tui.tui.screens.settings_screen import SettingsScreen

    async def settings(pilot):
        await settled(pilot)
        await pilot.press("f9")
        await on_screen(pilot, SettingsScreen, "the settings")

    assert snap_compare(chris_app, run_before=settings)


def test_library_picker(snap_compare, chris_app):
    from tplan_tui.tui.screens.library_picker import LibraryPicker

    async def library(pilot):
        await open_plan(pilot)
        await show_step(pilot, "goals")
        await pilot.press("ctrl+l")
        await on_screen(pilot, LibraryPicker, "the goal library")

    assert snap_compare(chris_app, run_before=library)
