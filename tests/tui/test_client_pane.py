"""One writer: the client pane draws the client summary itself, at its width; it marks lines
still in clinician wording about the client, and the sign step lists them with a key to go there."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from tests.samples import ROBIN_V2_YAML
from tests.tui_helpers import Keyboard, goto_step, settled, wait_until
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.store import open_store
from tplan_tui.summary import client_summary, render
from tplan_tui.summary.txt import MARK
from tplan_tui.tui.app import make_app
from tplan_tui.tui.widgets.client_pane import client_view

TODAY = date(2026, 10, 1)


def drawn(plan: m.Plan, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, record=True)
    console.print(client_view(plan, today=TODAY))
    return console.export_text()


def headings(plan: m.Plan) -> list[str]:
    doc = client_summary(plan, today=TODAY)
    out = []
    for section in doc.visible_sections():
        out.append(section.heading)
        out += [sub.heading for sub in section.sections if not sub.is_empty()]
    return out


def test_the_pane_and_the_summary_are_one_writer():
    robin = planfile.load_plan_file(ROBIN_V2_YAML)
    for width in (36, 50, 80):
        pane = drawn(robin, width)
        summary = render(robin, today=TODAY, width=width)
        # Same lines, same headings, same dates: the pane is the summary at its width.
        # (Only the marks under lines in clinician wording are the pane's own.)
        lines = [line.rstrip() for line in pane.splitlines() if line.strip() != MARK]
        assert lines == summary.rstrip("\n").splitlines()
        assert max(len(line.rstrip()) for line in pane.splitlines()) <= width
    md = render(robin, today=TODAY, fmt="md")
    pane = drawn(robin, 60)
    for heading in headings(robin):
        assert heading in pane and heading in md


def test_the_pane_marks_clinician_wording_about_the_client_and_the_summary_does_not():
    plan = m.Plan(
        client=m.Client(name="Maria", pronouns="she/her"),
        goals=[
            m.Goal(
                text="Walk more.",
                in_client_words="I want to move more.",
                objectives=[
                    m.Objective("Maria will walk her dog 4 days a week."),
                    m.Objective("x", in_client_words="I walk to the shop 2 days a week."),
                ],
            )
        ],
    )
    pane = " ".join(drawn(plan, 60).split())
    assert f"Maria will walk her dog 4 days a week. {MARK}" in pane
    assert pane.count(MARK) == 1  # the step in her words is not marked
    for fmt in ("txt", "md", "html"):
        assert MARK not in render(plan, today=TODAY, fmt=fmt)


async def test_the_sign_step_lists_lines_about_the_client_and_enter_goes_there(tmp_path, chris):
    chris.goals[0].objectives[0].in_client_words = None
    chris.goals[0].objectives[0].text = "Chris will praise his son once a day."
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_plan(stored.plan_id)
        await settled(pilot)
        screen = app.screen
        await goto_step(pilot, screen, "review")
        from textual.widgets import OptionList

        options = await wait_until(
            pilot,
            lambda: (o := screen.query("#client-words").first(OptionList)).option_count and o,
            "the sign step to list the lines written about the client",
        )
        shown = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
        line = "Goal 1, step 1 is written about Chris, not to him: add his words"
        assert line in shown
        options.focus()
        options.highlighted = shown.index(line)
        await Keyboard(pilot).press("enter")
        await wait_until(
            pilot,
            lambda: (
                app.focused is not None
                and any(
                    a.id == "f-goals-0-objectives-0-in_client_words" for a in app.focused.ancestors
                )
            ),
            "the focus to land on the step's client words",
        )
        assert "Objectives" in str(screen.query_one("#step-indicator").render())
