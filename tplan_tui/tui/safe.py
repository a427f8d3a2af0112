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

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input

from tplan_tui.tui.in_order import InOrderKeys
from tplan_tui.tui.plain import clean, safe_text

if TYPE_CHECKING:
    from tplan_tui.tui.safe_area import SafeTextArea

__all__ = ["SafeInput", "SafeTextArea", "clean", "safe_text"]


class SafeInput(InOrderKeys, Input):
    """An Input whose value is drawn with its control characters visible; the value itself (what
    is saved) is left exactly as it is. Its editing keys act in the order typed (``in_order``)."""

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


def __getattr__(name: str) -> Any:
    # SafeTextArea lives in safe_area.py and is imported from here on first use: Textual's
    # TextArea (its document, history, themes) is not on the path to the caseload's first rows.
    if name == "SafeTextArea":
        from tplan_tui.tui.safe_area import SafeTextArea

        return SafeTextArea
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
