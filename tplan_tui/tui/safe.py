"""User text on screen: always shown as text, never read as markup or as terminal control codes.

Plan files, the store, settings and the goal library hold whatever someone typed or wrote into
them. Textual reads a plain string given to a Static, a Label, a border title, an option, a table
cell or a notification as markup: "[@click=app.pop_screen]here[/]" in a client's own words would
become a link that runs an action (out of the client view), and "[/]" in a name stops the app.
And Textual hands an ESC (and the other control characters but five) to the terminal as it is:
"ESC [2J" clears it, "ESC ] 0;…" sets the window title, "ESC ] 52;…" writes the clipboard.

So every string that can hold user text reaches the screen through ``safe_text`` (a Rich ``Text``,
which is never parsed as markup) with its control characters replaced one for one by visible
pictures ("␛" for ESC): one for one, so the offsets of an editor's cursor and of a Text's styles
still fit. Newline and tab stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, TextArea

from tplan_tui.tui.longtext import LongLines

# C0 controls but tab and newline as their Unicode pictures (U+2400…), DEL as "␡". C1 controls
# (U+0080…U+009F) have no pictures; 0x9B is CSI and 0x9D OSC on terminals that read 8-bit
# controls, so they are shown as the replacement character.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_TABLE = str.maketrans(_PICTURES)
# Searching for one is ten times faster than translating (a paragraph is drawn row by row).
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # the keys of _PICTURES


def clean(value: Any) -> str:
    """``value`` as a string whose control characters (but newline and tab) are visible pictures."""
    if value is None:
        return ""
    text = str(value)
    return text.translate(_TABLE) if _ANY_CONTROL.search(text) else text


def safe_text(value: Any, style: str = "", **kwargs: Any) -> Text:
    """``value`` to show as it is written: a Rich Text (never markup), control codes made visible.

    A ``Text`` keeps its styles (the replacement is one character for one).
    """
    if isinstance(value, Text):
        out = value.copy()
        plain = out.plain
        cleaned = clean(plain)
        if cleaned is not plain:
            out.plain = cleaned
        if style:
            out.stylize(style)
        return out
    return Text(clean(value), style=style, **kwargs)


class SafeInput(Input):
    """An Input whose value is drawn with its control characters visible; the value itself (what
    is saved) is left exactly as it is."""

    # Ctrl+A selects all, as in most editors (Home already goes to the start of the line);
    # Ctrl+Home/Ctrl+End go to the start/end, as they do in a multi-line field.
    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+home", "home", "Start", show=False),
        Binding("ctrl+end", "end", "End", show=False),
    ]

    @property
    def _value(self) -> Text:
        return safe_text(super()._value)


class SafeTextArea(LongLines, TextArea):
    """A TextArea that draws its text with control characters visible (the text is unchanged).
    A very long paragraph is rewrapped and drawn per key near the edit only (``LongLines``)."""

    # End goes to the end of the wrapped line; Ctrl+End goes to the end of the whole text and
    # Ctrl+Home to its start. Ctrl+A selects all (Home already goes to the line's start).
    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+home", "text_start", "Start of text", show=False),
        Binding("ctrl+end", "text_end", "End of text", show=False),
        Binding("ctrl+shift+home", "text_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "text_end(True)", "Select to end", show=False),
    ]

    def action_text_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_text_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

    def get_line(self, line_index: int) -> Text:
        # TextArea's own line (a Text, no wrap, no end) from the cleaned string: one Text
        # made per row drawn, not two (a paragraph can be 100,000 characters).
        return Text(clean(self.document.get_line(line_index)), end="", no_wrap=True)

    def get_line_slice(self, row: int, start: int, end: int) -> Text:
        return Text(clean(self.document[row][start:end]), end="")
