"""Multi-line fields show all their text the first time their step is drawn (issue 14 item 1).

Seen in tmux at 80x24: an intervention drawn as "Clinician will use behavioral activation with
Maria, weekl" and nothing more (its text wrapped at a width it no longer had), and, on every
run, the sample's interventions (three wrapped lines in a two-line box), its agreements and a
long referral (two or three lines in a one-line box) cut to their first lines. Each step is
reached the ways a user reaches it (PageDown onto a step built ahead while hidden, Ctrl+G and
its number, reopening the plan where it was left), and the terminal's text must hold every
wrapped line of every multi-line field on the screen.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.tui_helpers import Keyboard, settled, terminal_lines, wait_until
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.steps import STEP_KEYS
from tplan_tui.tui.widgets.fields import Field, PlanTextArea

TODAY = date(2016, 7, 1)
# Steps with multi-line fields, and (invented) texts long enough to wrap in them at 80 columns.
STEPS = ("history", "concerns", "strengths", "goals", "objectives", "interventions")
LONG_REFERRAL = (
    "Self-referred after his son's school counselor, Ms. Okafor, suggested parent coaching; "
    "his doctor agreed it would help."
)
LONG_ONSET = "About 12 months ago, after the divorce, and worse since his son changed schools."
LONG_AGREEMENT = (
    "Practice the parenting plan at home between sessions and bring the week's notes to "
    "each session."
)


def wrapped_lines(area: PlanTextArea) -> list[str]:
    """The area's text wrapped at the width the area has on screen now."""
    from textual.document._document import Document
    from textual.document._wrapped_document import WrappedDocument

    wrapped = WrappedDocument(Document(area.text), width=area.wrap_width)
    return [section.rstrip() for sections in wrapped.lines for section in sections]


def unshown_lines(app) -> list[str]:
    """Every wrapped line of a multi-line field fully on screen that the terminal lacks."""
    screen = app.screen
    form = screen.form
    rows = terminal_lines(app)
    missing = []
    for area in form.query(PlanTextArea):
        region = area.region
        if not area.text or not region or not form.region.contains_region(region):
            continue  # empty, or scrolled out of view
        shown = [rows[y][region.x : region.right].rstrip() for y in range(region.y, region.bottom)]
        for line in wrapped_lines(area):
            if line.strip() and line not in shown:
                field = area.parent.parent.id if area.parent else "?"
                missing.append(f"{form.key}: {field}: {line!r} not drawn (drawn: {shown!r})")
    return missing


def long_sample(chris):
    chris.history.referral = LONG_REFERRAL
    chris.history.symptom_onset = LONG_ONSET
    chris.contract.client_agrees_to[0] = LONG_AGREEMENT
    return chris


def app_on_long_sample(tmp_path, chris, step: str):
    """The app on a store holding the long sample alone, left at ``step``; and its plan id."""
    store = open_store(tmp_path / "db")
    plan_id = store.create(long_sample(chris), {"step": step}).plan_id
    return make_app(store, today=TODAY), plan_id


async def check_step(pilot, screen: PlanScreen) -> list[str]:
    """Every multi-line field of the step on screen, each scrolled into view in turn."""
    await settled(pilot)
    missing = unshown_lines(pilot.app)
    form = screen.form
    for area in list(form.query(PlanTextArea)):
        if area.text and not form.region.contains_region(area.region):
            form.scroll_to_widget(area, animate=False, top=True)
            await settled(pilot)
            missing += unshown_lines(pilot.app)
    return missing


async def reach(pilot, screen: PlanScreen, key: str, how: str) -> PlanScreen:
    """Go to step ``key`` as a user would (``how``); the plan screen showing it."""
    app = pilot.app
    kb = Keyboard(pilot)
    index = STEP_KEYS.index(key)
    if how == "pagedown":  # the next step was built ahead, hidden
        while screen.step_index < index:
            await kb.press("pagedown")
    elif how == "ctrl+g":
        await kb.press("ctrl+g", str(index + 1))
    else:  # "reopen": leave at the step and open the plan again, which starts there
        screen.go_to(key)
        await wait_until(pilot, lambda: screen.step_index == index, f"step {key}")
        await kb.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PlanScreen), "the caseload")
        await settled(pilot)
        await kb.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        screen = app.screen
    form = await wait_until(
        pilot,
        lambda: (f := screen.form) is not None and f.key == key and f.display and f,
        f"step {key} to be shown",
    )
    assert form is screen.form
    return screen


@pytest.mark.parametrize("how", ["pagedown", "ctrl+g", "reopen"])
async def test_every_line_of_a_multi_line_field_is_drawn_when_its_step_is_first_shown(
    tmp_path, chris, how
):
    app, plan_id = app_on_long_sample(tmp_path, chris, "client")
    missing: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(plan_id)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        for key in STEPS:
            screen = await reach(pilot, screen, key, how)
            missing += await check_step(pilot, screen)
    assert not missing, "\n".join(missing)


async def test_a_field_wrapped_at_a_width_it_no_longer_has_is_drawn_at_its_own(tmp_path, chris):
    """Textual wraps a text area when it is resized; one wrapped while its region was not laid
    out (width 0: one long line) must still be drawn wrapped at the width it has."""
    app, plan_id = app_on_long_sample(tmp_path, chris, "interventions")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(plan_id)
        await settled(pilot)
        screen = app.screen
        area = screen.form.query(PlanTextArea).first()
        assert len(wrapped_lines(area)) == 3  # the sample's first intervention
        area.wrapped_document.wrap(0)  # as Textual leaves it when wrapped with no region
        area._line_cache.clear()  # and no line of it drawn yet
        area.refresh()
        await settled(pilot)
        assert not unshown_lines(app)


async def test_a_field_sized_by_the_screen_without_a_resize_is_still_wrapped(tmp_path, chris):
    """Seen in CI on a busy machine, step 8: the contract's agreements drawn as their first line
    only, wrapped at width 0 (as made). Textual's layout gives a widget its size but sends it a
    Resize (where a text area wraps its text) only when the compositor saw its box appear or
    change; a box laid out first by a scroll-only layout, while below the fold, was sized later
    with no Resize at all. Here the area is put back in that state (its text wrapped at width
    0, as made) and laid out once with its Resize held back, as Textual did. It must still end
    wrapped at its width, as tall as its text, before anything scrolls it into view."""
    from textual import events
    from textual.geometry import Size

    app, plan_id = app_on_long_sample(tmp_path, chris, "interventions")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(plan_id)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and screen.form.key == "interventions"
        area = screen.query_one("#f-contract-client_agrees_to-0", Field).query_one(PlanTextArea)
        width, height = area.size
        assert height == 2  # the long agreement takes two lines at 80 columns
        area.wrapped_document.wrap(0)  # as the area was made
        area.set_reactive(type(area).virtual_size, Size(0, 1))
        area._size = Size(0, 0)  # never told its size (private: Textual is pinned)
        post = area.post_message
        area.post_message = lambda m: isinstance(m, events.Resize) or post(m)  # type: ignore
        screen._refresh_layout()  # sized, with no Resize
        del area.post_message
        await settled(pilot)
        assert area.size == Size(width, 2) and area.wrapped_document._width == area.wrap_width
        missing = await check_step(pilot, screen)
    assert not missing, "\n".join(missing)
