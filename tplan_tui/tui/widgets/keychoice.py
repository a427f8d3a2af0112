"""One of a few values, picked with one key: each choice shows its letter, e.g. "(i) improving".

Used where a person walks through several goals and says one thing about each (how it is going,
its status): one focus stop per question and one key per answer, instead of a drop-down's three.
The chosen value is in brackets and reversed, so it never depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str  # one lower-case letter


class KeyChoice(Widget, can_focus=True):
    """Letters pick a choice; ←/→ move between them; Delete clears (when a blank is allowed)."""

    BINDINGS = [
        Binding("right", "step(1)", "Next choice", show=False),
        Binding("left", "step(-1)", "Previous choice", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
    ]

    DEFAULT_CSS = """
    KeyChoice { height: auto; }
    KeyChoice:focus { text-style: bold; background: $boost; }
    """

    value: reactive[str | None] = reactive(None)

    @dataclass
    class Changed(Message):
        choice: KeyChoice
        value: str | None

    def __init__(
        self,
        choices: list[Choice],
        value: str | None = None,
        *,
        allow_blank: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        keys = [c.key for c in choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"two choices share a key: {keys}")
        self.choices = choices
        self.allow_blank = allow_blank
        self.set_reactive(KeyChoice.value, value)

    def render(self) -> Text:
        text = Text()
        for i, c in enumerate(self.choices):
            if i:
                text.append("  ")
            # No-break spaces: a line wraps between choices, never inside one.
            piece = f"({c.key}) {c.label}".replace(" ", "\u00a0")
            if c.value == self.value:
                text.append(f"[{piece}]", style="reverse bold")
            else:
                text.append(f" {piece} ")
        return text

    def _set(self, value: str | None) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        values = [c.value for c in self.choices]
        if self.value not in values:
            self._set(values[0] if delta > 0 else values[-1])
        else:
            self._set(values[(values.index(self.value) + delta) % len(values)])

    def action_clear(self) -> None:
        if self.allow_blank:
            self._set(None)

    def on_key(self, event: events.Key) -> None:
        char = (event.character or "").lower()
        for c in self.choices:
            if char == c.key:
                event.stop()
                event.prevent_default()
                self._set(c.value)
                return
