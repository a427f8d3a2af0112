"""Markdown (CommonMark, GitHub-flavoured safe): all structure comes from the template.

Every string is escaped, so the plan's text shows as typed: a goal that starts with ``#`` is not a
heading, ``<script>`` is not HTML, ``[a](b)`` is not a link, ``*a*`` is not emphasis.
"""

from __future__ import annotations

import re

from tplan_tui.summary.document import (
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
from tplan_tui.summary.txt import chart_lines

# Backslash-escaped anywhere they appear: each can start markup somewhere in a line.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>#|~&@])")
# Only at the start of a line can these begin a list, a heading underline or a rule.
_LINE_START = re.compile(r"^([-+=])")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])")
# Renderers turn bare addresses (http://x, www.x.org, x.com, a@b.org) into links: an escaped
# ':' before '//', '.' inside a word, or '@' breaks the pattern and keeps them as typed text.
_BARE_LINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\w)(\.)(?=\w)")


def escape_line(line: str) -> str:
    """One line of plain text as Markdown that shows exactly that text."""
    line = _ANYWHERE.sub(r"\\\1", line.strip())
    line = _LINE_START.sub(r"\\\1", line)
    line = _NUMBERED.sub(r"\1\\\2", line)
    return _BARE_LINK.sub(lambda m: "\\" + m[0], line)


def escape(text: str, indent: str = "") -> str:
    """Plain text, possibly of several lines, as Markdown. Line breaks stay line breaks (a
    backslash at the end of a line); blank lines are dropped so the text stays one block."""
    lines = [escape_line(line) for line in text.split("\n") if line.strip()]
    return ("\\\n" + indent).join(lines)


def _strong(text: str) -> str:
    lines = [escape_line(line) for line in text.split("\n") if line.strip()]
    return "\\\n".join(f"**{line}**" for line in lines)


def _items(block: ItemList) -> list[str]:
    out = []
    for n, item in enumerate(block.items, 1):
        marker = f"{n}. " if block.numbered else "- "
        hang = " " * len(marker)
        text = escape(item.text, hang)
        if item.lead:
            text = f"**{escape(item.lead)}:** {text}"
        lines = [text] + [escape(note, hang) for note in item.notes]
        out.append(marker + ("\\\n" + hang).join(lines))
    return out


def _fence(lines: list[str]) -> list[str]:
    # A fence longer than any run of backticks inside, so nothing can close it early.
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *lines, fence]


def _block(block: Block, level: int) -> list[str]:
    if isinstance(block, Paragraph):
        return [_strong(block.text) if block.emphasis else escape(block.text)]
    if isinstance(block, Label):
        return [f"{'#' * min(level + 1, 6)} {escape_line(block.text)}"]
    if isinstance(block, Facts):
        return [f"- **{escape_line(label)}:** {escape(value, '  ')}" for label, value in block.rows]
    if isinstance(block, ItemList):
        return _items(block)
    if isinstance(block, Chart):
        return [escape(block.caption), "", *_fence(chart_lines(block, indent=""))]
    if isinstance(block, Notice):
        return ["> " + escape(block.text, "> ")]
    if isinstance(block, SignatureLines):
        # Escaped underscores: a line to sign, not emphasis.
        line, day = "\\_" * 30, "\\_" * 12
        return [f"{escape_line(role)}: {line} Date: {day}  " for role in block.roles]
    raise TypeError(f"no Markdown form for {type(block).__name__}")


def _blocks(blocks: list[Block], level: int) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += ["", *_block(block, level)]
    return out


def _section(section: Section, level: int) -> list[str]:
    out = ["", f"{'#' * level} {escape_line(section.heading)}", *_blocks(section.blocks, level)]
    for sub in section.sections:
        if not sub.is_empty():
            out += _section(sub, level + 1)
    return out


def to_md(doc: Document) -> str:
    """The document as Markdown, ending in a newline."""
    lines = [f"# {escape_line(doc.title)}", *_blocks(doc.opening, 1)]
    for section in doc.visible_sections():
        lines += _section(section, 2)
    lines += _blocks(doc.closing, 1)
    return "\n".join(lines) + "\n"
