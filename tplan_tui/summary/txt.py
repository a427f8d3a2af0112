"""Plain text: wrapped at 80 columns, ASCII structure, prints on any printer.

Widths are measured in terminal cells (``rich.cells.cell_len``), so a line of Chinese or emoji is
wrapped by how wide it shows, not by how many characters it has.
"""

from __future__ import annotations

from bisect import bisect_right
from contextvars import ContextVar
from itertools import accumulate

from rich.cells import cell_len

from tplan_tui.summary.document import (
    SCALE_MAX,
    Block,
    Chart,
    Document,
    Facts,
    ItemList,
    Label,
    Notice,
    Paragraph,
    Section,
    SignatureLines,
)

WIDTH = 80
# The width of the text being written: 80 for files and printers, narrower for a terminal pane.
_width: ContextVar[int] = ContextVar("txt_width", default=WIDTH)
# Whether lines in clinician wording are marked (the live pane) or not (files, paper).
_marks: ContextVar[bool] = ContextVar("txt_marks", default=False)
MARK = "\u2691 Not yet in your own words."
MIN_WIDTH = 24  # a narrow pane beside the form still gets whole words
INDENT = "    "  # how far a goal (an emphasised paragraph) stands in
UNDERLINES = {1: "=", 2: "-", 3: "~"}


# --------------------------------------------------------------------------- wrapping


def _char_widths(word: str) -> list[int]:
    """The cells each character of ``word`` takes, measured once per distinct character."""
    if word.isascii() and word.isprintable():
        return [1] * len(word)
    seen: dict[str, int] = {}
    return [seen[c] if c in seen else seen.setdefault(c, cell_len(c)) for c in word]


def _cuts(
    word: str, first_room: int, room: int, widths: list[int] | None = None
) -> list[tuple[str, int]]:
    """``word`` cut into pieces: the first fits in ``first_room`` cells, the others in ``room``,
    each at least one character; the last piece is the rest (its cells follow it).

    One pass over the word with its per-character widths: cutting head after head off the
    rest and measuring the rest again was quadratic (a 200,000-character word took 7 s).
    Zero-width characters (combining marks, joiners) stay with the character before them."""
    # ends[i]: the cells of word[:i]; the longest head that fits is found by bisection.
    ends = list(accumulate(widths or _char_widths(word), initial=0))
    left = ends[-1]
    pieces: list[tuple[str, int]] = []
    start, space = 0, first_room
    while left > space and start < len(word):
        cut = bisect_right(ends, ends[start] + space) - 1
        if cut <= start:  # not even one character fits: it goes alone (with its marks)
            cut = bisect_right(ends, ends[start + 1]) - 1
        used = ends[cut] - ends[start]
        pieces.append((word[start:cut], used))
        left -= used
        start, space = cut, room
    pieces.append((word[start:], left))
    return pieces


def wrap(text: str, width: int | None = None, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped to ``width`` cells (default: the width being written): the first line
    starts with ``first``, the others with ``rest``. Line breaks are kept; long words are cut.

    Linear in the length of ``text``, however long its words (see ``_cuts``)."""
    width = width or _width.get()
    lines: list[str] = []
    for n, source in enumerate(text.split("\n")):
        prefix = first if n == 0 else rest
        words = [w for w in source.split(" ") if w]
        if not words:
            lines.append(prefix.rstrip())
            continue
        line, used, empty = prefix, cell_len(prefix), True
        for word in words:
            widths = None
            if len(word) < 512:  # rich measures (and caches) short words exactly
                size = cell_len(word)
            else:  # a long word is measured once, character by character, and cut from that
                widths = _char_widths(word)
                size = sum(widths)
            if not empty and used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
                continue
            if not empty:
                lines.append(line)
                line, used = rest, cell_len(rest)
            if used + size > width:
                room = width - cell_len(rest)
                *heads, (word, size) = _cuts(word, width - used, room, widths)
                for head, _ in heads:
                    lines.append(line + head)
                    line, used = rest, cell_len(rest)
            line, used, empty = line + word, used + size, False
        lines.append(line)
    return lines


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))


# --------------------------------------------------------------------------- blocks


def _facts(block: Facts) -> list[str]:
    column = max(cell_len(label) for label, _ in block.rows) + 3
    out: list[str] = []
    for label, value in block.rows:
        if column > _width.get() // 2:
            out += [f"{label}:"] + wrap(value, first="  ", rest="  ")
        else:
            out += wrap(value, first=_pad(f"{label}:", column), rest=" " * column)
    return out


def _items(block: ItemList) -> list[str]:
    out: list[str] = []
    marker_width = len(f"{len(block.items)}. ") if block.numbered else 2
    for n, item in enumerate(block.items, 1):
        marker = _pad(f"{n}." if block.numbered else "-", marker_width)
        hang = " " * marker_width
        text = f"{item.lead}: {item.text}" if item.lead else item.text
        out += wrap(text, first=marker, rest=hang)
        for note in item.notes:
            out += wrap(note, first=hang, rest=hang)
        if item.flagged and _marks.get():
            out += wrap(MARK, first=hang, rest=hang)
    return out


def chart_lines(chart: Chart, indent: str = "  ") -> list[str]:
    """One row per rating: the label, a bar of ``#`` out of 10 (dots for the rest), the number."""
    column = max(cell_len(row.label) for row in chart.rows) + 2
    return [
        f"{indent}{_pad(row.label, column)}"
        f"{'#' * row.value}{'.' * (SCALE_MAX - row.value)}  {row.value:>2}"
        for row in chart.rows
    ]


def _notice(block: Notice) -> list[str]:
    inner = _width.get() - 4
    rule = "+" + "-" * (_width.get() - 2) + "+"
    return [rule, *(f"| {_pad(line, inner)} |" for line in wrap(block.text, inner)), rule]


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        mark = wrap(MARK, first=INDENT, rest=INDENT) if block.flagged and _marks.get() else []
        if block.emphasis:
            return wrap(block.text, first=INDENT, rest=INDENT) + mark
        return wrap(block.text) + mark
    if isinstance(block, Label):
        return wrap(f"{block.text}:")
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, ItemList):
        return _items(block)
    if isinstance(block, Chart):
        return wrap(block.caption) + chart_lines(block)
    if isinstance(block, Notice):
        return _notice(block)
    if isinstance(block, SignatureLines):
        return _signature_lines(block)
    raise TypeError(f"no text form for {type(block).__name__}")


def _signature_lines(block: SignatureLines) -> list[str]:
    """A line to sign and a line for the date, per person, as wide as the page allows."""
    width = _width.get()
    date_part = "  Date: " + "_" * 12
    out: list[str] = []
    for role in block.roles:
        room = width - cell_len(role) - 2 - len(date_part)
        if room >= 10:
            out += ["", f"{role}: {'_' * room}{date_part}"]
        else:  # a narrow page: the date goes on its own line
            line = "_" * max(8, width - cell_len(role) - 2)
            out += ["", f"{role}: {line}", date_part.strip()]
    return out[1:]


def _blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for i, block in enumerate(blocks):
        # A label belongs to what follows it: no blank line between them.
        if i and not isinstance(blocks[i - 1], Label):
            out.append("")
        out += _block(block)
    return out


def _heading(text: str, level: int) -> list[str]:
    lines = wrap(text)
    return lines + [UNDERLINES[min(level, 3)] * max(cell_len(line) for line in lines)]


def _section(section: Section, level: int) -> list[str]:
    out = (
        ["", "", *_heading(section.heading, level)]
        if level == 2
        else ["", *_heading(section.heading, level)]
    )
    if section.blocks:
        out += ["", *_blocks(section.blocks)]
    for sub in section.sections:
        if not sub.is_empty():
            out += _section(sub, level + 1)
    return out


def to_txt(doc: Document, width: int = WIDTH, *, marks: bool = False) -> str:
    """The document as plain text, no line wider than ``width`` cells (80 for files and printers),
    ending in a newline. ``marks`` marks the lines in clinician wording (the live pane)."""
    token = _width.set(max(MIN_WIDTH, width))
    marked = _marks.set(marks)
    try:
        return _to_txt(doc)
    finally:
        _marks.reset(marked)
        _width.reset(token)


def _to_txt(doc: Document) -> str:
    lines = _heading(doc.title, 1)
    if doc.opening:
        lines += ["", *_blocks(doc.opening)]
    for section in doc.visible_sections():
        lines += _section(section, 2)
    if doc.closing:
        lines += ["", "", *_blocks(doc.closing)]
    return "\n".join(line.rstrip() for line in lines) + "\n"
