"""The 0-10 rating scale, operated by keys: digits, +/-, arrows, Home/End, Delete to clear."""

from __future__ import annotations

import textwrap
import time
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tplan_tui.tui.safe import safe_text

LOW, HIGH = 0, 10


class RatingScale(Widget, can_focus=True):
    """Shows 0 to 10 with the chosen value in brackets (never colour alone) and what 0 and 10 mean."""

    BINDINGS = [
        Binding("plus,equals_sign,right,up", "step(1)", "Higher", show=False),
        Binding("minus,left,down", "step(-1)", "Lower", show=False),
        Binding("home", "set(0)", "0", show=False),
        Binding("end", "set(10)", "10", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
    ]

    value: reactive[int | None] = reactive(None)
    low: reactive[str] = reactive("")
    high: reactive[str] = reactive("")

    @dataclass
    class Changed(Message):
        scale: RatingScale
        value: int | None

    def __init__(
        self,
        value: int | None = None,
        *,
        low: str = "",
        high: str = "",
        marks: dict[str, int | None] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.set_reactive(RatingScale.value, value)
        self.set_reactive(RatingScale.low, low)
        self.set_reactive(RatingScale.high, high)
        self.marks = dict(marks or {})
        self._last_digit_at = 0.0

    def render(self) -> Text:
        text = Text()
        for n in range(LOW, HIGH + 1):
            label = str(n)
            if n == self.value:
                text.append(f"[{label}]", style="reverse bold")
            else:
                text.append(f" {label} ")
        chosen = "not set" if self.value is None else str(self.value)
        text.append(f"  = {chosen}")
        for line in self._caption_lines(self.content_region.width or self.size.width):
            text.append("\n" + line, style="dim")
        return safe_text(text)  # what 0 and 10 mean is typed text

    def _caption_lines(self, width: int) -> list[str]:
        """What 0 and 10 mean and the marks, joined by " · " and broken between parts (or,
        for one part wider than the widget, within it) so the whole caption shows at any width:
        at 80 columns a long label was cut off."""
        parts = []
        if self.low:
            parts.append(f"0 = {self.low}")
        if self.high:
            parts.append(f"10 = {self.high}")
        parts += [f"{name} {v}" for name, v in self.marks.items() if v is not None]
        width = max(width, 10)
        lines: list[str] = []
        for part in parts:
            if lines and len(lines[-1]) + 3 + len(part) <= width:
                lines[-1] += " · " + part
                continue
            wrapped = textwrap.wrap(part, width) or [part]
            lines += wrapped
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:  # noqa: D102
        return 1 + len(self._caption_lines(width))

    def watch_low(self) -> None:
        self.refresh(layout=True)

    def watch_high(self) -> None:
        self.refresh(layout=True)

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def _set(self, value: int | None) -> None:
        if value is not None:
            value = max(LOW, min(HIGH, value))
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        start = self.value if self.value is not None else (LOW if delta > 0 else HIGH + 1)
        self._set(start + delta if self.value is not None else (LOW if delta > 0 else HIGH))

    def action_set(self, value: int) -> None:
        self._set(value)

    def action_clear(self) -> None:
        self._set(None)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            digit = int(event.character)
            now = time.monotonic()
            # "1" then "0" typed quickly means 10, as a person would type it.
            if digit == 0 and self.value == 1 and now - self._last_digit_at < 1.5:
                self._set(10)
            else:
                self._set(digit)
            self._last_digit_at = now

    def set_marks(self, **marks: int | None) -> None:
        self.marks.update(marks)
        self.refresh(layout=True)
