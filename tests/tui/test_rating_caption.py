"""The rating scale's caption (what 0 and 10 mean, the marks) shows whole at 80 columns."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.tui_helpers import wait_until
from tplan_tui.tui.widgets.rating import RatingScale

LOW = "the worst my mood has been in the past month, hardly out of bed"
HIGH = "as good as I have ever felt, looking forward to each day"


class OneScale(App[None]):
    CSS = "RatingScale { height: auto; }"  # as in app.tcss

    def compose(self) -> ComposeResult:
        yield RatingScale(4, low=LOW, high=HIGH, marks={"target": 7, "baseline": 3})


async def test_long_labels_show_whole_at_80_columns() -> None:
    app = OneScale()
    async with app.run_test(size=(80, 24)) as pilot:
        scale = app.query_one(RatingScale)
        await wait_until(pilot, lambda: scale.size.height > 2, "the caption to wrap")
        lines = scale.render().plain.split("\n")
        assert len(lines) == scale.size.height  # every line drawn, none cut below
        shown = " ".join(" ".join(lines).split())
        for part in (f"0 = {LOW}", f"10 = {HIGH}", "target 7", "baseline 3"):
            assert " ".join(part.split()) in shown, part
        assert all(len(line) <= scale.size.width <= 80 for line in lines)
