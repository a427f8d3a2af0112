"""Form fields that edit one value of the plan each, and say so with a message.

A field knows its model path and kind (see ``tplan_tui.core.editing``) and posts ``FieldEdited``
when its value changes; the plan screen applies it and answers with ``show_error``. Fields never
touch the model themselves: messages go up, calls go down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets._select import SelectOverlay

from tplan_tui.core.editing import Path
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.teardown import taken_down
from tplan_tui.tui.widgets.rating import RatingScale


def focus_now(widget: Widget, scroll_visible: bool = True) -> None:
    """Give ``widget`` the focus before the next key is handled.

    Textual's ``focus()`` moves the focus by a message queued behind the keys already waiting:
    text that arrived together with Ctrl+N or PageDown (a paste, tmux, a fast typist on a busy
    machine) went into the field being left ("Sam" + a concern in the client's name) or
    nowhere. The screen's ``set_focus`` moves it at once.
    """
    try:
        widget.screen.set_focus(widget, scroll_visible=scroll_visible)
    except Exception:  # no screen any more (the step was dropped): Textual's way, deferred
        widget.focus(scroll_visible=scroll_visible)


@dataclass
class FieldEdited(Message):
    """A field's value changed: apply ``raw`` (as typed) to the model at ``path``."""

    field: Field
    path: Path
    kind: str
    raw: Any
    limits: dict[str, int]


# PageUp/PageDown move between steps everywhere in a plan; text fields would otherwise take
# them (and the footer would hide the step keys while one has the focus).
STEP_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("pagedown", "screen.next_step", "Next"),
    Binding("pageup", "screen.previous_step", "Prev"),
]


class PlanInput(SafeInput):
    """A one-line plan field: while it has the focus the cursor is after the text (typing adds,
    Ctrl+U clears, as before); without the focus it shows the start of its text, not the end
    ("Agrees to   at each review.")."""

    BINDINGS = STEP_KEYS

    def on_focus(self) -> None:
        self.cursor_position = len(self.value)

    def on_blur(self) -> None:
        self.cursor_position = 0


class PlanTextArea(SafeTextArea):
    BINDINGS = STEP_KEYS

    def render_lines(self, crop):
        # Textual wraps the text when the area is resized, at the width its region has then: a
        # field wrapped while its step was hidden or not laid out yet (width 0: no wrapping)
        # was drawn as its first line cut at the edge and nothing more, until a key was
        # pressed in it. Drawn at the width it has now, always (``_width``: the width it was
        # last wrapped at; Textual is pinned).
        wrapped_at = self.wrapped_document._width
        if self.soft_wrap and self.wrap_width and wrapped_at != self.wrap_width:
            self._rewrap_and_refresh_virtual_size()
        # Textual 8.2.8 can draw a text area in the frame in which its step is being replaced,
        # after its styles were dropped (KeyError 'text-area--gutter'): draw nothing instead.
        try:
            return super().render_lines(crop)
        except KeyError:
            if self.is_attached:
                raise
            return [Strip.blank(crop.width)] * crop.height


class PlanSelect(Select[Any]):
    """A Select whose step may be dropped while it is still being mounted (items added or
    removed while the step's cards are filled in): Textual 8.2.8 then looks up its overlay after
    it was pruned and stops the app with NoMatches. Such a Select has nothing left to set up."""

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # Select's own handler is the one that would raise
        try:
            self.query_one(SelectOverlay)
        except NoMatches:
            return
        try:
            Select._on_mount(self, event)
        except NoMatches:
            # The same race a step later: its shown value's label was pruned first (seen in
            # CI: NoMatches '#label' on SelectCurrent).
            if not taken_down(self):
                raise


class Field(Vertical):
    """A labelled editor of one model value. Subclasses supply the editor widget."""

    DEFAULT_CLASSES = "field"

    def __init__(
        self,
        label: str,
        path: Path,
        value: Any,
        *,
        kind: str = "optional",
        hint: str = "",
        limits: dict[str, int] | None = None,
        id: str | None = None,
    ):
        super().__init__(id=id)
        self.label = label
        self.path = path
        self.value = value
        self.kind = kind
        self.hint = hint
        self.limits = limits or {}
        self.first_text: Any = None  # what a typed-into editor showed when it was made
        self._error_shown = ""  # the reason on show now, in words ("" when none)
        self.retired = False  # its step was dropped: its path may name another item now
        # The editor typed into (text fields), kept so that what it shows can be read after
        # it was removed with its goal or step: a message of its still on the way is older.
        self._typed_in: Any = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            yield self.make_editor()
        yield Static("", classes="field-error")

    def make_editor(self) -> Widget:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @property
    def editor(self):
        return self.query_one(".field-editor")

    def edited(self, raw: Any) -> None:
        self.post_message(FieldEdited(self, self.path, self.kind, raw, self.limits))

    def current(self) -> tuple[bool, Any]:
        """(True, what the editor shows now) for editors typed into, else (False, None).

        A typed character reaches the plan through three message queues (editor, field,
        screen); the screen reads the editor's value itself so that a key that quits or leaves
        right after typing, and any message still on its way, applies the newest text."""
        return False, None

    def show_error(self, problem: str | None) -> None:
        """Show the reason a value was not taken, in words (or clear it)."""
        words = f"⚠ {self.label.rstrip(':')} {problem}" if problem else ""
        if words == self._error_shown:
            return  # every key asks: updating a Static lays out the whole screen again
        self._error_shown = words
        error = self.query_one(".field-error", Static)
        error.update(safe_text(words))  # the reason may quote what was typed
        self.set_class(bool(problem), "-invalid")

    def focus_editor(self) -> None:
        focus_now(self.editor)


class TextField(Field):
    """One line of text (also dates and numbers, by ``kind``)."""

    def make_editor(self) -> Widget:
        value = self.value
        text = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else ("" if value is None else str(value))
        )
        placeholder = self.hint or ("YYYY-MM-DD" if self.kind == "date" else "")
        self.first_text = text
        editor = self._typed_in = PlanInput(
            text,
            placeholder=placeholder,
            compact=True,
            select_on_focus=False,
            classes="field-editor",
        )
        # Input puts its cursor after the text, so a long value was drawn scrolled to its end
        # ("Agrees to   at each review."): a field first shows the start of what it holds.
        editor.cursor_position = 0
        return editor

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited(event.value)

    def current(self) -> tuple[bool, Any]:
        if self._typed_in is None:
            raise NoMatches("the field has no editor yet")
        return True, self._typed_in.value


MAX_AREA_LINES = 8  # a longer text scrolls in its field (the screen keeps room for the rest)


class AreaField(Field):
    """Several lines of text, soft-wrapped: for goals, notes and history."""

    def __init__(self, *args: Any, lines: int = 3, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines = lines

    def make_editor(self) -> Widget:
        self.first_text = "" if self.value is None else str(self.value)
        area = self._typed_in = PlanTextArea(
            self.first_text,
            compact=True,
            soft_wrap=True,
            tab_behavior="focus",
            highlight_cursor_line=False,
            placeholder=self.hint,
            classes="field-editor",
        )
        # As tall as its text, from ``lines`` up to MAX_AREA_LINES (then it scrolls): a fixed
        # height showed a long referral or agreement as its first wrapped line and nothing
        # more, as if the rest were lost.
        area.styles.height = "auto"
        area.styles.min_height = self.lines
        area.styles.max_height = max(self.lines, MAX_AREA_LINES)
        return area

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.edited(event.text_area.text)

    def current(self) -> tuple[bool, Any]:
        if self._typed_in is None:
            raise NoMatches("the field has no editor yet")
        return True, self._typed_in.text


class ChoiceField(Field):
    """One of a few values (status codes), chosen with the keyboard."""

    def __init__(
        self, *args: Any, options: list[tuple[str, Any]], allow_blank: bool = False, **kwargs: Any
    ):
        super().__init__(*args, kind="choice", **kwargs)
        self.options = options
        self.allow_blank = allow_blank

    def make_editor(self) -> Widget:
        value = self.value if self.value is not None else Select.NULL
        return PlanSelect(
            self.options,
            value=value,
            allow_blank=self.allow_blank,
            prompt="(none)",
            compact=True,
            classes="field-editor",
        )

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        if value != self.value:
            self.value = value
            self.edited(value)


class FlagField(ChoiceField):
    """Yes or no, said in words: a checkbox shows its state by colour alone under NO_COLOR."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, options=[("yes", True), ("no", False)], **kwargs)
        self.kind = "flag"


class RatingField(Field):
    """A 0-10 rating, set by digits, +/-, Home/End (see RatingScale)."""

    def __init__(
        self,
        *args: Any,
        low: str = "",
        high: str = "",
        marks: dict[str, int | None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, kind="rating", **kwargs)
        self.low = low
        self.high = high
        self.marks = marks or {}

    def make_editor(self) -> Widget:
        return RatingScale(
            self.value, low=self.low, high=self.high, marks=self.marks, classes="field-editor"
        )

    @on(RatingScale.Changed)
    def _changed(self, event: RatingScale.Changed) -> None:
        event.stop()
        self.edited(event.value)
