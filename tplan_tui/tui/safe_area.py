"""The multi-line editor of user text (imported through ``tui/safe.py`` as ``SafeTextArea``)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import TextArea

from tplan_tui.tui.in_order import InOrderKeys
from tplan_tui.tui.longtext import LongLines
from tplan_tui.tui.plain import clean


class SafeTextArea(InOrderKeys, LongLines, TextArea):
    """A TextArea that draws its text with control characters visible (the text is unchanged).
    A very long paragraph is rewrapped and drawn per key near the edit only (``LongLines``).
    Its editing keys act in the order typed (``in_order``)."""

    # End goes to the end of the wrapped line; Ctrl+End goes to the end of the whole text and
    # Ctrl+Home to its start. Ctrl+A selects all (Home already goes to the line's start).
    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+home", "text_start", "Start of text", show=False),
        Binding("ctrl+end", "text_end", "End of text", show=False),
        Binding("ctrl+shift+home", "text_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "text_end(True)", "Select to end", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Prose, not code: a bracket's partner lit up in a client's words means nothing, and
        # finding it walks the text a character at a time on every key.
        self.match_cursor_bracket = False

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        # Textual's layout gives a widget its size, but sends the Resize (where a text area
        # wraps its text) only if the compositor saw the widget's box appear or change. A box
        # first placed by a scroll-only layout while below the fold was sized later with no
        # Resize: seen in CI on a busy machine, step 8's agreements stayed wrapped at width 0
        # (as made), drawn as their first line. Wrapped here whenever the width is not the one
        # the text was wrapped at; the warm-up (layout=False) sends its own Resize.
        if layout and self.soft_wrap and size.width:
            if self.wrapped_document._width != self.wrap_width:  # private: Textual is pinned
                self._rewrap_and_refresh_virtual_size()
        return changed

    def _refresh_size(self) -> None:
        before = self.virtual_size
        super()._refresh_size()
        if self.virtual_size != before:
            # The height of an area as tall as its text is its virtual height, and Textual
            # keeps a widget's measured box keyed by a count of its layout changes; but a change
            # while one is already pending (before the next idle) does not count. Wrapped twice
            # in a row (its width, then again narrower once its own scrollbar showed), an area
            # kept the box of the first: 3 lines of text in a 1-line box, seen in CI on step 8.
            self._layout_updates += 1  # private: Textual is pinned

    @property
    def wrap_width(self) -> int:
        # Textual measures the width where the area is on screen: a hidden one (its step built
        # ahead and laid out while idle, tui/warm.py) is nowhere, and wrapped at no width its
        # text took other lines than when shown, which laid the screen out again. The size it
        # was last given stands in then, measured the same way.
        if self.region or not self.outer_size or not self.soft_wrap:
            return super().wrap_width
        gutters = self.styles.gutter.width + self.scrollbar_gutter.width
        return max(0, self.outer_size.width - gutters - self.gutter_width - 1)

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
