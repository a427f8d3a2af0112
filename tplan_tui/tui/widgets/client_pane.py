"""The client pane: the plan as the client reads it, live, from the one writer of the summary.

The pane shows the client summary itself (``summary.client.client_summary``), drawn as the plain
text renderer writes it at the pane's width (``summary.txt.to_txt``): one set of headings, dates
and words for the pane, the summary on screen, and the printed or shared copy. The only addition
is the mark under a line still in the clinician's wording about the client.

A text over 2,000 characters is shown by its start and a line saying how much more there is and
that the summary (Ctrl+T) holds it all (``summary.preview``); nothing else is cut.

Only client-facing content is shown here: the writer never reads history, diagnoses or clinician
notes (a test checks that a canary in them never reaches the pane).
"""

from __future__ import annotations

from datetime import date

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tplan_tui.core.model import Plan
from tplan_tui.summary.client import client_summary
from tplan_tui.summary.document import Document
from tplan_tui.summary.preview import preview
from tplan_tui.summary.txt import UNDERLINES, to_txt
from tplan_tui.tui.safe import safe_text

_RULES = frozenset(UNDERLINES.values())


def pane_text(doc: Document, width: int) -> Text:
    """The document as the pane draws it at ``width``: the txt rendering, headings in bold."""
    text = to_txt(doc, width, marks=True)
    lines = text.split("\n")
    out = safe_text(text.rstrip("\n"))
    offset = 0
    for n, line in enumerate(lines):
        after = lines[n + 1] if n + 1 < len(lines) else ""
        if line and after and set(after) <= _RULES and len(set(after)) == 1:
            out.stylize("bold", offset, offset + len(line))
        offset += len(line) + 1
    return out


class DocumentView:
    """A Rich renderable that writes the document at whatever width it is given, once per width
    (the pane is drawn again on every refresh; the text is written again only when it changes)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._cache: tuple[int, Text] | None = None

    def text_at(self, width: int) -> Text:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, pane_text(self.doc, width))
        return self._cache[1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text_at(options.max_width)
        yield text.copy()  # no_wrap: the lines are already wrapped to this width


def client_view(
    plan: Plan,
    crisis_lines: tuple[tuple[str, str], ...] | None = None,
    today: date | None = None,
) -> DocumentView:
    """The plan for the client's eyes: the client summary as a renderable. Their safety plan in
    short comes first when there is one; how to reach help comes last (``crisis_lines``: the
    settings' lines, for a plan with none of its own). A very long text shows its start and
    says how much more the summary holds (``summary.preview``: the pane is drawn again at every
    pause in typing; the summary screen and every file carry the whole text)."""
    doc = client_summary(plan, today=today or date.today(), crisis_lines=crisis_lines)
    return DocumentView(preview(doc))


class ClientPane(VerticalScroll, can_focus=True):
    """Scrollable by keys when focused; refreshed by the plan screen after every edit."""

    BORDER_TITLE = "What the client sees"

    def compose(self):
        yield Static(id="client-view")

    def show(self, plan: Plan) -> None:
        lines = getattr(getattr(self.app, "settings", None), "crisis_lines", None)
        today = getattr(self.app, "today", None)
        view = client_view(plan, lines, today if isinstance(today, date) else None)
        self.query_one("#client-view", Static).update(view)
