"""The client's summary, full screen, for the client to read: large, calm, scrollable by keys;
and saved to a file (txt, md or html by the name's ending) with the path shown when done."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from tplan_tui.core.model import Plan
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen

FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}


def default_summary_path(plan: Plan, today: date, kind: str = "plan") -> Path:
    name = (
        "".join(ch for ch in (plan.client.name or "client") if ch.isalnum() or ch in "-_")
        or "client"
    )
    folder = Path.home() / "Documents"
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"{name}-{kind}-{today.isoformat()}.html"


class ReadingScreen(TplanScreen[None]):
    """The client's summary, wrapped to the terminal's width, scrolled by keys."""

    document = "summary"  # or "safety-plan": the client's one-page safety plan (screens/safety)
    what = "the client's summary"

    BINDINGS = [
        Binding(
            "down,j",
            "scroll(1)",
            "Down",
            show=False,
            id="reading.down",
            tooltip="Scroll down a line.",
        ),
        Binding(
            "up,k", "scroll(-1)", "Up", show=False, id="reading.up", tooltip="Scroll up a line."
        ),
        Binding(
            "pagedown,space",
            "page(1)",
            "Page down",
            id="reading.pgdn",
            tooltip="Scroll down a page.",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            id="reading.pgup",
            tooltip="Scroll up a page.",
        ),
        Binding("home", "top", "Top", show=False, id="reading.top", tooltip="Go to the top."),
        Binding("end", "bottom", "End", show=False, id="reading.end", tooltip="Go to the end."),
    ]

    def __init__(self, plan: Plan, today: date, plan_id: str | None = None):
        super().__init__()
        self.plan = plan
        self.today = today
        self.plan_id = plan_id
        self._width = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-scroll"):
            yield Static(id="summary-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()

    def on_resize(self, event: events.Resize) -> None:
        # Wrapped to fit: padding and the scrollbar take a few columns of the screen.
        width = min(80, event.size.width - 6)
        if width != self._width:
            from tplan_tui.summary import render

            self._width = width
            text = render(
                self.plan,
                audience="client",
                fmt="txt",
                today=self.today,
                width=width,
                crisis_lines=self.tplan.settings.crisis_lines,
                document=self.document,
            )
            # As text: a plain string would be read as markup (a link planted in the client's
            # words would run an action, out of the client view).
            self.query_one("#summary-text", Static).update(safe_text(text))

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#summary-scroll", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self._scroller().scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroller = self._scroller()
        scroller.scroll_relative(y=pages * max(1, scroller.size.height - 2), animate=False)

    def action_top(self) -> None:
        self._scroller().scroll_home(animate=False)

    def action_bottom(self) -> None:
        self._scroller().scroll_end(animate=False)


class SummaryScreen(ReadingScreen):
    BINDINGS = [
        Binding(
            "escape,q", "close", "Close", id="summary.close", tooltip="Back to where you were."
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save to file",
            id="summary.save",
            tooltip="Save this summary to a file to print or take home (.html, .txt or .md).",
        ),
    ]

    def __init__(self, plan: Plan, today: date, plan_id: str | None = None):
        super().__init__(plan, today, plan_id)

    def action_close(self) -> None:
        self.dismiss(None)

    async def action_save(self, value: str = "", error: str = "") -> None:
        from tplan_tui.tui.screens.modals import AskPath

        async def chosen(path: Path | None) -> None:
            if path is None:
                return
            problem = await self.save_to(path)
            if problem:
                await self.action_save(str(path), problem)

        dialog = AskPath(
            f"Save {self.what} (.html prints well; .txt and .md work too)",
            value
            or str(
                default_summary_path(
                    self.plan, self.today, "plan" if self.document == "summary" else self.document
                )
            ),
        )
        await self.app.push_screen(dialog, chosen)
        if error:
            dialog.show_error(error)

    async def save_to(self, path: Path) -> str | None:
        """Write the summary to ``path`` (0600, on the store's owner thread: the event loop
        never waits on the disk); the problem in words, or None when saved."""
        from tplan_tui.paths import write_private_file
        from tplan_tui.summary import render

        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            return "end the name with .html, .txt or .md"
        if path.is_dir():
            return "that is a folder: add a file name"
        if path.exists() and getattr(self, "_confirmed", None) != path:
            self._confirmed = path
            return f"{path.name} exists: press Enter again to replace it"
        try:
            accent = self.app.current_theme.accent  # the page's rules only: decoration
            if not (isinstance(accent, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", accent)):
                accent = None  # a theme written another way: the page's own grey
            data = render(
                self.plan,
                audience="client",
                fmt=fmt,
                today=self.today,
                accent=accent,
                crisis_lines=self.tplan.settings.crisis_lines,
                document=self.document,
            ).encode("utf-8")
            await self.tplan.store_worker.run(lambda _store: write_private_file(path, data))
        except OSError as exc:
            return f"could not write it: {exc.strerror or exc}"
        self.notify(f"Saved {self.what} to {path}", timeout=8)
        self.tplan.audit("export", self.plan_id)
        return None
