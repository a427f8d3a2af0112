"""The live client pane's copy of a summary: a very long text shown by its start, and a line that
says how much more there is and where to read it.

The pane draws the client summary again whenever typing pauses; a text of 99,000 characters took
about 300 ms of CPU to wrap and lay out each time, and keys arriving meanwhile waited. So in the
pane (and only there) a text over ``CUT_OVER`` characters shows its first ``KEEP`` or so, cut
between words, then "… 97,500 more characters: the full text is in the summary (Ctrl+T)". The cut
is never silent and never falls inside words of self-harm or suicide; when the part not shown holds
such words, the line says so. The summary screen, the client view, files and prints always carry
the whole text (``summary.render``): nothing here is used by them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache

from tplan_tui.core.attention import risk_spans, risk_words
from tplan_tui.summary.document import (
    Block,
    Chart,
    ChartRow,
    Document,
    Facts,
    Item,
    ItemList,
    Label,
    Notice,
    Paragraph,
    Section,
    SignatureLines,
)

CUT_OVER = 2_000  # a text longer than this is cut in the pane
KEEP = 1_500  # about this much of it is shown
_WORD_BACK = 200  # how far back from KEEP a cut looks for the space between two words
_RISK_WINDOW = 200  # risk phrases are short: this much either side of a cut is searched


def cut_point(text: str, keep: int = KEEP) -> int:
    """Where to cut ``text`` to show about ``keep`` characters: at a space or line break if
    there is one shortly before ``keep`` (else at ``keep``: one very long word), moved on past
    any words of self-harm or suicide it would fall inside, and never between a letter and its
    combining mark."""
    space = max(
        text.rfind(" ", keep - _WORD_BACK, keep + 1), text.rfind("\n", keep - _WORD_BACK, keep + 1)
    )
    end = space if space > 0 else keep
    start = max(0, end - _RISK_WINDOW)
    for a, b in risk_spans(text[start : end + _RISK_WINDOW]):
        if start + a < end < start + b:
            end = start + b
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


@lru_cache(maxsize=32)  # the pane is redrawn at every pause: the same long texts come back
def _hides_risk(hidden: str) -> bool:
    return bool(risk_words(hidden))


def cut(text: str) -> str:
    """``text`` as the live pane shows it: whole up to ``CUT_OVER`` characters; longer, its
    start and a line saying how many characters follow and where to read them all."""
    if len(text) <= CUT_OVER:
        return text
    end = cut_point(text)
    shown = text[:end].rstrip()
    hidden = text[end:].strip()
    if not hidden:
        return text
    among = ", among them words of self-harm or suicide," if _hides_risk(hidden) else ""
    return (
        f"{shown}\n… {len(hidden):,} more characters{among} not shown here: "
        "the full text is in the summary (Ctrl+T)"
    )


def _item(item: Item) -> Item:
    return replace(
        item, text=cut(item.text), lead=cut(item.lead), notes=tuple(cut(n) for n in item.notes)
    )


def _block(block: Block) -> Block:
    if isinstance(block, Paragraph | Notice | Label):
        return replace(block, text=cut(block.text))
    if isinstance(block, ItemList):
        return replace(block, items=tuple(_item(i) for i in block.items))
    if isinstance(block, Facts):
        return replace(block, rows=tuple((cut(k), cut(v)) for k, v in block.rows))
    if isinstance(block, Chart):
        rows = tuple(ChartRow(cut(r.label), r.value) for r in block.rows)
        return replace(block, caption=cut(block.caption), rows=rows)
    if isinstance(block, SignatureLines):
        return block
    raise TypeError(f"no preview for {type(block).__name__}")


def _section(section: Section) -> Section:
    return replace(
        section,
        heading=cut(section.heading),
        blocks=[_block(b) for b in section.blocks],
        sections=[_section(s) for s in section.sections],
    )


def preview(doc: Document) -> Document:
    """``doc`` with every text over ``CUT_OVER`` characters cut (see ``cut``); a new document,
    ``doc`` is left as it is."""
    return replace(
        doc,
        title=cut(doc.title),
        opening=[_block(b) for b in doc.opening],
        sections=[_section(s) for s in doc.sections],
        closing=[_block(b) for b in doc.closing],
    )
