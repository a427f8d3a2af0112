"""Which presenting concerns a goal works on: one key per concern (its number) ticks or unticks
it, shown as "[✓]" or "[ ]" in characters, never by colour alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.widgets.fields import Field

MAX_KEYED = 9  # concerns 1-9 have a key each; a plan with more names them all, keyed or not


class ConcernTicks(Static, can_focus=True):
    """The concerns, numbered; a digit ticks or unticks that concern."""

    @dataclass
    class Changed(Message):
        ticks: ConcernTicks
        value: list[int]

    def __init__(self, concerns: Callable[[], list[str]], ticked: list[int], *, classes: str = ""):
        super().__init__(classes=classes)
        # The concerns' words as they are now: a step is kept while its concerns are reworded
        # on step 3, and its goals named them as they were when it was built.
        self.words = concerns
        self.ticked = sorted(set(ticked))
        self._shown: Text | None = None  # what was drawn last
        # The width last laid out at: a hidden widget's size is 0 (Textual measures only what is
        # on screen), and drawn at a guessed width while its step was hidden, a long concern
        # took two lines, then one when shown: a second layout of the screen at every step change.
        self._width = 0

    @property
    def concerns(self) -> list[str]:
        return self.words()

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the concerns as they are now (the step is shown again). Only if that changed
        them: an update lays out the whole step again, at every step change."""
        text = self.drawn()
        if text != self._shown:
            self._shown = text
            self.update(text)

    def drawn(self) -> Text:
        out = Text()
        if not self.concerns:
            out.append("(no concerns yet: add them on step 3)")
            return out
        width = max(20, (self.size.width or self._width or 60) - 7)
        for n, concern in enumerate(self.concerns, 1):
            words = " ".join(concern.split()) or "(no text yet)"
            if len(words) > width:
                words = words[: width - 1] + "…"
            mark = "[✓]" if n in self.ticked else "[ ]"
            key = str(n) if n <= MAX_KEYED else " "
            out.append(f"{key} {mark} ")
            out.append(words)
            if n < len(self.concerns):
                out.append("\n")
        return safe_text(out)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            event.stop()
            event.prevent_default()
            if 1 <= n <= min(len(self.concerns), MAX_KEYED):
                self.ticked = sorted(set(self.ticked) ^ {n})
                self.redraw()
                self.post_message(self.Changed(self, list(self.ticked)))

    def on_resize(self, event: events.Resize) -> None:
        self._width = event.size.width - self.styles.gutter.width
        self.redraw()


class ConcernsField(Field):
    """``goals[].addresses``: the numbers of the concerns this goal works on."""

    def __init__(
        self,
        label: str,
        path: Any,
        value: list[int],
        concerns: Callable[[], list[str]],
        **kw: Any,
    ):
        super().__init__(label, path, list(value), kind="choice", **kw)
        self.concerns = concerns

    def make_editor(self) -> Widget:
        return ConcernTicks(self.concerns, self.value, classes="field-editor concern-ticks")

    @on(ConcernTicks.Changed)
    def _changed(self, event: ConcernTicks.Changed) -> None:
        event.stop()
        self.value = event.value
        self.edited(list(event.value))


def redraw_concerns(root: Widget) -> None:
    """Every concern list under ``root`` drawn with the concerns' words as they are now."""
    for ticks in root.walk_children(ConcernTicks):
        ticks.redraw()
