"""A list of items to tick with Space: "[✓]" ticked, "[ ]" not, in characters rather
than colour; locked items (already achieved) show ticked and cannot be unticked."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tplan_tui.tui.safe import safe_text


@dataclass
class Tick:
    value: int
    text: str
    ticked: bool = False
    locked: bool = False  # shown ticked, with a note, and never changed here
    note: str = ""


class TickList(OptionList):
    BINDINGS = [
        Binding("space", "tick", "Tick", show=False),
        # Enter is not a tick here: on a walk through goals it goes to the next goal.
        Binding("enter", "screen.next_goal", "Next goal", show=False),
    ]

    @dataclass
    class Changed(Message):
        ticklist: TickList

    def __init__(
        self,
        ticks: list[Tick],
        *,
        width: int = 70,
        id: str | None = None,
        classes: str | None = None,
    ):
        self.ticks = ticks
        self.width = width  # one line per item: longer text is cut with "…" (Tab past it reads on)
        super().__init__(
            *[self._option(i) for i in range(len(ticks))], id=id, classes=classes, compact=True
        )

    def _option(self, i: int) -> Option:
        t = self.ticks[i]
        mark = "[✓]" if t.ticked or t.locked else "[ ]"
        text = Text(f"{mark} ")
        if t.note:
            text.append(f"({t.note}) ", style="italic")
        room = self.width - len(text)
        text.append(t.text if len(t.text) <= room else t.text[: room - 1].rstrip() + "…")
        return Option(safe_text(text), id=str(i), disabled=t.locked)

    def on_mount(self) -> None:
        # Space ticks the highlighted item at once: start on the first one that can be ticked.
        first = next((i for i, t in enumerate(self.ticks) if not t.locked), None)
        if first is not None:
            self.highlighted = first

    @property
    def selected(self) -> list[int]:
        """The values ticked here (locked ones are not counted)."""
        return [t.value for t in self.ticks if t.ticked and not t.locked]

    def action_tick(self) -> None:
        i = self.highlighted
        if i is None or self.ticks[i].locked:
            return
        self.ticks[i].ticked = not self.ticks[i].ticked
        self.replace_option_prompt_at_index(i, self._option(i).prompt)
        self.post_message(self.Changed(self))
