"""Soft wrap of a very long paragraph, kept up to date per key without wrapping it all again.

Textual's TextArea wraps again, on every edit, the whole line (paragraph) the edit is in: for a
99,000-character strength that is some 20,000 words measured in Python on every key. Wrapping is
greedy, so only the part from shortly before the edit can change, and once a new line break falls
where an old one fell (shifted by what was typed) every break after it is the same as before.
``rewrap`` does that: the same breaks as ``textual._wrap.compute_wrap_offsets`` (a test compares
them on random texts and edits), from the line break before the edited word up to the first break
that matches again. A word folded over many lines (one long word, or text written without spaces)
is rewrapped from its piece before the edit, and cut by arithmetic when its characters are all one
cell wide, else by bisection over its cells (each distinct character measured once), where
Textual's loop measures it a character at a time.

Drawing a row of such a paragraph, Textual builds the whole paragraph as a Rich Text and divides
it into all its wrapped lines (thousands of Text objects) to keep one, for each row on screen,
on every key. ``LongLines._render_line`` draws the row from its own slice of the paragraph, with
the same cursor and selection styles (a test compares the two, row by row).

Used for a paragraph of at least ``LONG`` characters without tabs (tab stops depend on the whole
line); anything else is left to Textual.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Any, overload

from rich.cells import get_character_cell_size
from rich.control import strip_control_codes
from rich.text import Text
from textual._cells import cell_len
from textual._wrap import re_chunk
from textual.document._document import Location
from textual.document._wrapped_document import WrappedDocument
from textual.strip import Strip

LONG = 2_000  # shorter paragraphs are cheap to wrap whole: left to Textual
_MEASURED = 512  # a chunk longer than this is measured a distinct character at a time
# The last place before an edit where a word starts (a space, then not a space).
_WORD_START = re.compile(r".*\s(?=\S)", re.DOTALL)
_NEXT_WORD = re.compile(r"\s(?=\S)")  # the next place a word starts
_STRIPPED = re.compile("[\x07\x08\x0b\x0c\x0d]")  # what a Rich Text drops (rich.control)
# Characters Rich counts as one cell each (its own fast path in ``rich.cells``).
_ONE_CELL = re.compile(r"[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2500-\u25fc\u2800-\u28ff]*")


def _word_start(text: str, before: int) -> int:
    """Where the chunk (a word and the spaces after it) holding ``text[before - 1]`` starts."""
    if before <= 0:
        return 0
    found = _WORD_START.match(text, 0, before)
    return found.end() if found else 0


def rewrap(
    line: str, old: list[int], width: int, col: int, old_end: int, new_end: int
) -> list[int]:
    """The wrap offsets of ``line`` after an edit that replaced columns ``col``..``old_end`` of
    the line whose offsets were ``old`` with what now fills ``col``..``new_end``."""
    delta = new_end - old_end
    word = _word_start(line, col)
    kept = bisect_left(old, col)
    if not kept or old[kept - 1] <= word:
        kept = bisect_left(old, word)  # breaks before the edited word are kept
    # else the edited word is folded over lines, and the edit is past its first piece: the
    # pieces before the edit stay as they were (and the word stays longer than a line).
    if _ONE_CELL.fullmatch(line):
        return _rewrap_one_cell(line, old, width, kept, new_end, delta)
    return _rewrap_chunks(line, old, width, kept, new_end, delta)


def _resynced(out: list[int], old: list[int], new_end: int, delta: int) -> bool:
    """True (and ``out`` completed) when the newest break is past the edit where one fell
    before: from a break on, wrapping depends only on the text after it, as it was."""
    last = out[-1]
    if last < new_end:
        return False
    at = bisect_left(old, last - delta)
    if at == len(old) or old[at] != last - delta:
        return False
    out.extend(offset + delta for offset in old[at + 1 :])
    return True


def _rewrap_one_cell(
    line: str, old: list[int], width: int, kept: int, new_end: int, delta: int
) -> list[int]:
    """``rewrap`` of a line whose characters are all one cell wide: a line at a time.

    A line from ``start`` holds every chunk (a word and the spaces after it) that ends within
    ``width`` of it, so it ends where the last word starting within that reach starts; with
    none there, the word from ``start`` is longer than a line and is cut every ``width``."""
    out = old[: max(0, kept - 1)]
    start = old[kept - 1] if kept else 0
    if start:
        out.append(start)
    size = len(line)
    while size - start > width:
        found = _WORD_START.match(line, start, start + width + 1)
        if found:
            start = found.end()
            out.append(start)
        else:
            after = _NEXT_WORD.search(line, start)
            end = after.end() if after else size
            last = start + (end - start - 1) // width * width  # where its last piece starts
            out.extend(range(start + width, last + 1, width))
            start = last
        if _resynced(out, old, new_end, delta):
            break
    return out


def _rewrap_chunks(
    line: str, old: list[int], width: int, kept: int, new_end: int, delta: int
) -> list[int]:
    """``rewrap`` of any line without tabs: Textual's loop over chunks, from the line break
    before the edited word, stopping once a break matches again."""
    out = old[: max(0, kept - 1)]
    start = old[kept - 1] if kept else 0
    append = out.append
    # At a break the line is full: the next chunk starts a new line (Textual's state there).
    cell_offset = width if start else 0
    pos = start
    while (chunk_match := re_chunk.match(line, pos)) is not None:
        start, pos = chunk_match.span()
        chunk = chunk_match.group(0)
        ends = _cell_ends(chunk) if len(chunk) > _MEASURED else None
        chunk_width = ends[-1] if ends else cell_len(chunk)
        if width - cell_offset >= chunk_width:
            cell_offset += chunk_width
            continue
        if chunk_width > width:  # a word longer than a line: folded, as Textual folds it
            pieces = _fold(chunk, width, ends)
            for piece in pieces[:-1]:
                if start:
                    append(start)
                start += len(piece)
            if start:
                append(start)
            cell_offset = cell_len(pieces[-1])
        elif cell_offset and start:
            append(start)
            cell_offset = chunk_width
        else:
            continue
        if out and _resynced(out, old, new_end, delta):
            break
    return out


def _cell_ends(chunk: str) -> list[int] | None:
    """The cells of ``chunk[:i]`` for every ``i``, each distinct character measured once; None
    when it holds a joiner or an emoji selector (Rich measures those together: left to it)."""
    if "\u200d" in chunk or "\ufe0f" in chunk:
        return None
    sizes = {character: get_character_cell_size(character) for character in set(chunk)}
    return list(accumulate(map(sizes.__getitem__, chunk), initial=0))


def _fold(chunk: str, width: int, ends: list[int] | None = None) -> list[str]:
    """``chunk`` cut into pieces a line wide, exactly as ``compute_wrap_offsets`` cuts a word
    longer than a line (tabs apart: a line holding tabs is never rewrapped here). ``ends``:
    its ``_cell_ends``, to cut by bisection rather than a character at a time."""
    if _ONE_CELL.fullmatch(chunk):
        return [chunk[i : i + width] for i in range(0, len(chunk), width)]
    if ends is not None and width >= 2:  # (Textual's loop leaves an empty piece at width 1)
        pieces = []
        start = 0
        while start < len(chunk):
            # The longest piece that fits (zero-width characters stay with the one before).
            end = max(bisect_right(ends, ends[start] + width) - 1, start + 1)
            pieces.append(chunk[start:end])
            start = end
        return pieces
    lines: list[list[str]] = [[]]
    total = 0
    for character in chunk:
        size = get_character_cell_size(character)
        if total + size > width:
            lines.append([character])
            total = size
        else:
            lines[-1].append(character)
            total += size
    return ["".join(line) for line in lines]


class LongLineWrap(WrappedDocument):
    """A WrappedDocument that rewraps a long paragraph edited within itself from near the edit."""

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        row = start[0]
        if (
            self._width
            and row == old_end[0] == new_end[0]
            and row < len(self._wrap_offsets)
            and row < self.document.line_count
            and not any(self._tab_width_cache[row])  # no tabs before the edit
        ):
            line = self.document[row]
            if len(line) >= LONG and "\t" not in line:
                old = self._wrap_offsets[row]
                offsets = rewrap(line, old, self._width, start[1], old_end[1], new_end[1])
                self._set_line_offsets(row, offsets)
                return
        super().wrap_range(start, old_end, new_end)

    def get_sections(self, line_index: int) -> list[str]:
        """The rows of a line as strings: of a long line, made only as they are asked for (the
        cursor's place is looked up in them on every key)."""
        line = self.document[line_index]
        if len(line) < LONG:
            return super().get_sections(line_index)
        return _Sections(line, self._wrap_offsets[line_index])  # type: ignore[return-value]

    def _set_line_offsets(self, row: int, offsets: list[int]) -> None:
        """What ``wrap_range`` records for an edit within line ``row``, given its new offsets."""
        before = len(self._wrap_offsets[row]) + 1
        after = len(offsets) + 1
        top = self._line_index_to_offsets[row][0]
        self._wrap_offsets[row] = offsets
        shift = after - before
        if not shift:
            return
        self._offset_to_line_info[top : top + before] = [(row, n) for n in range(after)]
        self._line_index_to_offsets[row] = list(range(top, top + after))
        for below in range(row + 1, len(self._line_index_to_offsets)):
            self._line_index_to_offsets[below] = [
                y + shift for y in self._line_index_to_offsets[below]
            ]


class _Sections(Sequence[str]):
    """The rows of one long line, each cut from it when asked for, as Textual's ``get_sections``
    cuts them: from the line made a Rich Text, which drops five control characters (and so
    shifts the rows after one; such a line is refused as plan text anyway)."""

    def __init__(self, line: str, offsets: list[int]):
        self._line = strip_control_codes(line) if _STRIPPED.search(line) else line
        self._bounds = [0, *offsets, len(self._line)]

    def __len__(self) -> int:
        return len(self._bounds) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._line[self._bounds[index] : self._bounds[index + 1]]


class LongLines:
    """Mixin for a TextArea (before it in the bases): its wrapped document is a ``LongLineWrap``
    (Textual sets one at construction and again when a text is loaded: its class is swapped,
    nothing is wrapped again), and a row of a long paragraph is drawn from its own slice."""

    _long_wrapped: WrappedDocument

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._long_wrapped

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        if type(document) is WrappedDocument:
            document.__class__ = LongLineWrap
        self._long_wrapped = document

    def _long_row(self, y: int) -> tuple[int, int, int] | None:
        """(paragraph, start, end) of row ``y`` on screen when it belongs to a long paragraph
        drawn here; None when Textual draws it (short, tabs, line numbers, highlighting...)."""
        area: Any = self
        if not area.soft_wrap or area.show_line_numbers or area.suggestion or area._highlights:
            return None
        info = area.wrapped_document._offset_to_line_info
        y_offset = y + area.scroll_offset.y
        if not 0 <= y_offset < len(info):
            return None
        row, section = info[y_offset]
        line = area.document[row]
        if len(line) < LONG or "\t" in line:
            return None
        offsets = area.wrapped_document.get_offsets(row)
        start = offsets[section - 1] if section else 0
        end = offsets[section] if section < len(offsets) else len(line) + 1  # + the cursor's cell
        return row, start, end

    def _render_line(self, y: int) -> Strip:
        where = self._long_row(y)
        if where is None:
            strip: Strip = super()._render_line(y)  # type: ignore[misc]
            return strip
        return self._render_long_row(*where)

    def _render_long_row(self, row: int, start: int, end: int) -> Strip:
        """Textual's ``TextArea._render_line`` for one row of a long paragraph, made from the
        row's own characters (the styles are those Textual gives the same columns)."""
        area: Any = self
        theme = area._theme
        base_style = theme.base_style if theme and theme.base_style is not None else area.rich_style
        whole = area.document[row]
        line = area.get_line_slice(row, start, min(end, len(whole)))
        if end > len(whole):
            line.append(" ")  # the cell after the text, where the cursor rests at its end
        selection = area.selection
        cursor_row, cursor_column = selection.end
        (top_row, top_column), (bottom_row, bottom_column) = sorted(selection)
        cursor_line_style = (
            theme.cursor_line_style
            if theme and area.highlight_cursor_line and area._has_cursor
            else None
        )

        def stylize(style: Any, a: int, b: int) -> None:  # columns of the paragraph
            a, b = max(a, start), min(b, end)
            if style and a < b:
                line.stylize(style, a - start, b - start)

        if area._has_cursor and cursor_line_style and cursor_row == row:
            line.stylize(cursor_line_style)
        if selection.start != selection.end and top_row <= row <= bottom_row:
            selection_style = theme.selection_style if theme else None
            stylize(
                selection_style,
                top_column if row == top_row else 0,
                bottom_column if row == bottom_row else len(whole),
            )
        bracket = area._matching_bracket_location
        brackets = area._has_cursor and area.match_cursor_bracket and bracket is not None
        brackets = brackets and selection.start == selection.end
        if cursor_row == row:
            if brackets:
                stylize(
                    theme.bracket_matching_style if theme else None,
                    cursor_column,
                    cursor_column + 1,
                )
            if area._draw_cursor:
                stylize(theme.cursor_style if theme else None, cursor_column, cursor_column + 1)
        if brackets and theme and bracket[0] == row:
            stylize(theme.bracket_matching_style, bracket[1], bracket[1] + 1)
        target_width = area.scrollable_content_region.size.width - area.gutter_width
        strip = Strip(line.render(area.app.console), cell_length=line.cell_len)
        if cursor_row == row and area.highlight_cursor_line:
            line_style = cursor_line_style
        else:
            line_style = theme.base_style if theme else None
        return strip.extend_cell_length(target_width, line_style).apply_style(base_style)

    def get_line_slice(self, row: int, start: int, end: int) -> Text:
        """Characters ``start``..``end`` of paragraph ``row`` as ``get_line`` draws them
        (a subclass that changes ``get_line`` changes this alike)."""
        return Text(self.document[row][start:end], end="")  # type: ignore[attr-defined]
