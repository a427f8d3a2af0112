"""One self-contained HTML page: no script, nothing loaded from elsewhere, prints on A4 and Letter.

Every string is passed through ``html.escape``. A Content-Security-Policy allows only the page's
own style block (by its hash), so even a page edited by hand cannot run script or load anything.
The page's colours are fixed — near-black on white, for contrast on screen and paper; the theme's
accent colour only draws rules and borders.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape as _escape

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

_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
NEUTRAL_ACCENT = "#767676"  # without a theme's accent, the rules are plain grey

_CSS = """\
:root { --accent: ACCENT; }
* { box-sizing: border-box; }
html { background: #fff; color: #111; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 1.25rem;
  line-height: 1.55;
  overflow-wrap: anywhere;
}
main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 1.2rem; padding-bottom: .5rem;
     border-bottom: 6px solid var(--accent); }
h2 { font-size: 1.55rem; line-height: 1.25; margin: 2.4rem 0 .7rem; padding-top: .7rem;
     border-top: 2px solid var(--accent); }
h3 { font-size: 1.45rem; margin: 0 0 .6rem; }
h3.label, h4.label { font-size: 1.25rem; margin: 1.4rem 0 .3rem; }
p { margin: .7rem 0; }
section.keep { border-left: 6px solid var(--accent); padding: .3rem 0 .3rem 1.1rem; margin: 1.8rem 0; }
p.emphasis { font-size: 1.4rem; font-weight: 700; line-height: 1.35; }
dl.facts { display: table; margin: .8rem 0; border-spacing: 0 .25rem; }
dl.facts > div { display: table-row; }
dl.facts dt, dl.facts dd { display: table-cell; vertical-align: top; }
dl.facts dt { font-weight: 700; padding-right: 1rem; white-space: nowrap; }
dl.facts dd { margin: 0; }
ul, ol { padding-left: 1.7rem; margin: .5rem 0; }
li { margin: .45rem 0; }
.lead { font-weight: 700; }
.note { display: block; color: #333; font-size: .95em; }
.notice { border: 2px solid #111; border-left: 10px solid var(--accent); padding: .7rem 1rem;
          margin: 1.2rem 0; }
figure { margin: .8rem 0 1rem; }
figcaption { margin-bottom: .3rem; }
table.chart { border-collapse: collapse; }
table.chart th { text-align: left; font-weight: 400; padding: .2rem 1.2rem .2rem 0;
                 white-space: nowrap; }
table.chart td { padding: .2rem 0; }
table.chart td.number { padding-left: .8rem; font-weight: 700; font-variant-numeric: tabular-nums;
                        text-align: right; }
.bar { display: inline-flex; gap: .18em; vertical-align: middle; }
/* Squares drawn with borders, not backgrounds: printers drop backgrounds but keep borders. */
.bar span { display: inline-block; box-sizing: content-box; width: .8em; height: .8em;
            border: .1em solid #111; }
.bar span.on { width: 0; height: 0; border-width: .5em; }
.signatures { margin: 1rem 0; }
.sign { display: flex; align-items: flex-end; gap: .6rem; margin: 1.6rem 0 .4rem; }
.sign .who { white-space: nowrap; }
.sign .line { flex: 1; border-bottom: 1px solid #111; min-width: 6rem; }
.sign .line.date { flex: 0 0 9rem; }
@page {
  margin: 12mm 14mm 14mm;
  @bottom-center {
    content: "Page " counter(page) " of " counter(pages);
    font-family: system-ui, Arial, sans-serif; font-size: 9pt; color: #333;
  }
}
@media print {
  body { font-size: 10.5pt; line-height: 1.3; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; margin: 0 0 .8rem; }
  h2 { font-size: 15pt; margin: 1.1rem 0 .4rem; padding-top: .4rem; }
  h3 { font-size: 13pt; margin-bottom: .3rem; }
  h3.label, h4.label { font-size: 11pt; margin: .6rem 0 .1rem; }
  p { margin: .4rem 0; }
  p.emphasis { font-size: 13pt; }
  li { margin: .15rem 0; }
  section.keep { margin: 1rem 0; }
  table.chart th, table.chart td { padding-top: 0; padding-bottom: 0; line-height: 1.15; }
  figure { margin: .4rem 0 .5rem; }
  dl.facts { margin: .4rem 0; border-spacing: 0 .05rem; }
  .sign { margin: 1.1rem 0 .2rem; }
  h2, h3, h4, figcaption { break-after: avoid; }
  .keep-start, .signatures { break-inside: avoid; }
  li, tr, p, dl.facts, .notice, figure { break-inside: avoid; }
  main.one-page { font-size: 10pt; line-height: 1.3; }
  main.one-page h1 { font-size: 17pt; margin: 0 0 .4rem; border-bottom-width: 4px; }
  main.one-page h2 { font-size: 11.5pt; margin: .45rem 0 .15rem; padding-top: .2rem; }
  main.one-page p { margin: .25rem 0; }
  main.one-page dl.facts { margin: .3rem 0; }
  main.one-page ul { margin: .1rem 0; }
  main.one-page li { margin: .05rem 0; }
  main.one-page .parts { column-count: 2; column-gap: 9mm; }
  main.one-page .parts section { break-inside: avoid; }
  main.one-page .parts h2:first-child { margin-top: 0; }
}
"""


def check_accent(accent: str | None) -> str:
    """The accent colour to draw with; a ValueError unless it is ``#RRGGBB`` (or None)."""
    if accent is None:
        return NEUTRAL_ACCENT
    if not isinstance(accent, str) or not _HEX_COLOUR.fullmatch(accent):
        raise ValueError(f"accent must be a colour written #RRGGBB, got {accent!r}")
    return accent


def _text(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return "<br>\n".join(_escape(line) for line in text.split("\n"))


def _items(block: ItemList) -> list[str]:
    tag = "ol" if block.numbered else "ul"
    out = [f"<{tag}>"]
    for item in block.items:
        lead = f'<span class="lead">{_escape(item.lead)}:</span> ' if item.lead else ""
        notes = "".join(f' <span class="note">{_text(note)}</span>' for note in item.notes)
        # A list entry that is all the plan's text takes its direction from it (Arabic, Hebrew).
        direction = "" if item.lead else ' dir="auto"'
        out.append(f"<li{direction}>{lead}{_text(item.text)}{notes}</li>")
    out.append(f"</{tag}>")
    return out


def _chart(block: Chart) -> list[str]:
    out = [
        "<figure>",
        f"<figcaption>{_escape(block.caption)}</figcaption>",
        '<table class="chart">',
    ]
    for row in block.rows:
        squares = '<span class="on"></span>' * row.value + "<span></span>" * (SCALE_MAX - row.value)
        out.append(
            f'<tr><th scope="row">{_escape(row.label)}</th>'
            f'<td><span class="bar" aria-hidden="true">{squares}</span></td>'
            f'<td class="number">{row.value}</td></tr>'
        )
    return out + ["</table>", "</figure>"]


def _block(block: Block, level: int) -> list[str]:
    if isinstance(block, Paragraph):
        attrs = ' class="emphasis" dir="auto"' if block.emphasis else ""
        return [f"<p{attrs}>{_text(block.text)}</p>"]
    if isinstance(block, Label):
        h = min(level + 1, 6)
        return [f'<h{h} class="label">{_escape(block.text)}</h{h}>']
    if isinstance(block, Facts):
        rows = [
            f"<div><dt>{_escape(label)}</dt><dd>{_text(value)}</dd></div>"
            for label, value in block.rows
        ]
        return ['<dl class="facts">', *rows, "</dl>"]
    if isinstance(block, ItemList):
        return _items(block)
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, Notice):
        return [f'<p class="notice" role="note">{_text(block.text)}</p>']
    if isinstance(block, SignatureLines):
        rows = [
            f'<div class="sign"><span class="who">{_escape(role)}</span>'
            '<span class="line"></span><span class="who">Date</span>'
            '<span class="line date"></span></div>'
            for role in block.roles
        ]
        return ['<div class="signatures">', *rows, "</div>"]
    raise TypeError(f"no HTML form for {type(block).__name__}")


def _blocks(blocks: list[Block], level: int) -> list[str]:
    return [line for block in blocks for line in _block(block, level)]


KEEP_WITH_HEADING = 2  # a goal's heading is never left alone: it keeps its first two blocks


def _section(section: Section, level: int) -> list[str]:
    cls = ' class="keep"' if section.keep_together else ""
    heading = f"<h{level}>{_escape(section.heading)}</h{level}>"
    if section.keep_together:
        # The heading and its first lines stay on one page; the rest of the goal may flow on,
        # so a long goal never forces a new page (and an empty half page) before it.
        first = section.blocks[:KEEP_WITH_HEADING]
        out = [f"<section{cls}>", '<div class="keep-start">', heading, *_blocks(first, level)]
        out += ["</div>", *_blocks(section.blocks[KEEP_WITH_HEADING:], level)]
    else:
        out = [f"<section{cls}>", heading, *_blocks(section.blocks, level)]
    for sub in section.sections:
        if not sub.is_empty():
            out += _section(sub, level + 1)
    return out + ["</section>"]


def to_html(doc: Document, accent: str | None = None) -> str:
    """The document as one self-contained HTML page."""
    css = _CSS.replace("ACCENT", check_accent(accent))
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "font-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    title = f"{doc.title}: {doc.subject}" if doc.subject else doc.title
    body = ["<header>", f"<h1>{_escape(doc.title)}</h1>", *_blocks(doc.opening, 1), "</header>"]
    if doc.one_page:
        body.append('<div class="parts">')
    for section in doc.visible_sections():
        body += _section(section, 2)
    if doc.one_page:
        body.append("</div>")
    if doc.closing:
        body += ["<footer>", *_blocks(doc.closing, 1), "</footer>"]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{_escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<main class="one-page">' if doc.one_page else "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
