"""A small document structure between a plan and a format.

The writers (``client.py``, ``record.py``) decide *what* is said and in what order; the renderers
(``txt.py``, ``md.py``, ``html.py``) decide only how it looks. Every string in a document is plain
text — the template's words and the plan's alike — and each renderer escapes all of it for its
format, so no text from a plan can ever become markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tplan_tui.summary.words import sentence

SCALE_MAX = 10  # the 0-10 rating scale every goal uses


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``emphasis`` marks the one paragraph a reader's eye should land on (a goal)."""

    text: str
    emphasis: bool = False
    flagged: bool = False  # clinician wording about the client (see ``Item.flagged``)


@dataclass(frozen=True)
class Label:
    """A small heading inside a section ("Your steps", "What Dana Reyes will do")."""

    text: str


@dataclass(frozen=True)
class Item:
    """One list entry: an optional short ``lead`` ("Done"), the text, and notes shown under it."""

    text: str
    lead: str = ""
    notes: tuple[str, ...] = ()
    # Clinician wording about the client where their own words belong: the live pane marks it
    # (``to_txt(marks=True)``); paper and files do not.
    flagged: bool = False


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Facts:
    """Short labelled values ("Where you started: 3 out of 10"), one a line."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ChartRow:
    label: str  # template words or a date in words: never the plan's free text
    value: int


@dataclass(frozen=True)
class Chart:
    """Ratings over time, drawn as bars out of 10 that read without colour."""

    caption: str
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class Notice:
    """Something the reader must not miss, such as who a copy was released to."""

    text: str


@dataclass(frozen=True)
class SignatureLines:
    """Blank lines to sign on paper, one per person ("Client", "Clinician"), each with a date."""

    roles: tuple[str, ...]


Block = Paragraph | Label | ItemList | Facts | Chart | Notice | SignatureLines


@dataclass
class Section:
    """A headed part of the document. ``keep_together`` asks print not to split it (a goal)."""

    heading: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    keep_together: bool = False

    def is_empty(self) -> bool:
        return not self.blocks and all(s.is_empty() for s in self.sections)


@dataclass
class Document:
    """A whole summary or record: a title, an opening, sections, and a closing."""

    title: str
    subject: str = ""  # whom it is about, for a window or tab title
    opening: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    # A page to carry (the safety plan): printed compact, its sections in two columns, so that
    # it fits on one sheet.
    one_page: bool = False

    def visible_sections(self) -> list[Section]:
        """The sections with something in them: an empty part of a plan is left out, not printed."""
        return [s for s in self.sections if not s.is_empty()]


def nonempty_sections(sections: list[Section]) -> list[Section]:
    return [s for s in sections if not s.is_empty()]


def _block_prose(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph | Notice):
        yield block.text
    elif isinstance(block, ItemList):
        for item in block.items:
            yield f"{item.lead}: {item.text}" if item.lead else item.text
            yield from item.notes
    elif isinstance(block, Facts):
        for label, value in block.rows:
            yield f"{label}: {value}"
    # Labels are headings, charts are pictures and signature lines are blanks: none is prose.


def _section_prose(section: Section) -> Iterator[str]:
    for block in section.blocks:
        yield from _block_prose(block)
    for sub in section.sections:
        yield from _section_prose(sub)


def prose(doc: Document) -> str:
    """The document's running text, one sentence-ended piece per line, for measuring readability.

    Headings and charts are left out; each paragraph, list entry, note and labelled value is a
    piece that ends with a full stop, as it reads on the page.
    """
    pieces: list[str] = []
    for block in doc.opening:
        pieces.extend(_block_prose(block))
    for section in doc.visible_sections():
        pieces.extend(_section_prose(section))
    for block in doc.closing:
        pieces.extend(_block_prose(block))
    return "\n".join(sentence(" ".join(p.split())) for p in pieces if p.strip())
