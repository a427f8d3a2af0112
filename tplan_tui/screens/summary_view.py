"""The client's summary, full screen, for the client to read: large, calm, scrollable by keys;
and saved to a file (txt, md or html by the name's ending) with the path shown when done."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..model import Plan

FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}


def default_summary_path(plan: Plan, today: date) -> Path:
    name = "".join(ch for ch in (plan.client.name or "client") if ch.isalnum() or ch in "-_") or "client"
    folder = Path.home() / "Documents"
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"{name}-plan-{today.isoformat()}.html"


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="summary.close", tooltip="Back to where you were."),
        Binding("ctrl+s", "save", "Save to file", id="summary.save",
                tooltip="Save this summary to a file to print or take home (.html, .txt or .md)."),
        Binding("down,j", "scroll(1)", "Down", show=False, id="summary.down", tooltip="Scroll down a line."),
        Binding("up,k", "scroll(-1)", "Up", show=False, id="summary.up", tooltip="Scroll up a line."),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="summary.pgdn", tooltip="Scroll down a page."),
        Binding("pageup", "page(-1)", "Page up", show=False, id="summary.pgup", tooltip="Scroll up a page."),
        Binding("home", "top", "Top", show=False, id="summary.top", tooltip="Go to the top."),
        Binding("end", "bottom", "End", show=False, id="summary.end", tooltip="Go to the end."),
    ]

    def __init__(self, plan: Plan, today: date, accent: str | None = None):
        super().__init__()
        self.plan = plan
        self.today = today
        self.accent = accent

    def compose(self) -> ComposeResult:
        from ..summary import render

        with VerticalScroll(id="summary-scroll"):
            yield Static(render(self.plan, audience="client", fmt="txt", today=self.today), id="summary-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()

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

    def action_close(self) -> None:
        self.dismiss(None)

    async def action_save(self, value: str = "", error: str = "") -> None:
        from .modals import AskPath

        async def chosen(path: Path | None) -> None:
            if path is None:
                return
            problem = self.save_to(path)
            if problem:
                await self.action_save(str(path), problem)

        dialog = AskPath("Save the client's summary (.html prints well; .txt and .md work too)",
                         value or str(default_summary_path(self.plan, self.today)))
        await self.app.push_screen(dialog, chosen)
        if error:
            dialog.show_error(error)

    def save_to(self, path: Path) -> str | None:
        """Write the summary to ``path`` (0600); the problem in words, or None when saved."""
        from ..paths import write_private_file
        from ..summary import render

        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            return "end the name with .html, .txt or .md"
        if path.is_dir():
            return "that is a folder: add a file name"
        if path.exists() and getattr(self, "_confirmed", None) != path:
            self._confirmed = path
            return f"{path.name} exists: press Enter again to replace it"
        try:
            write_private_file(path, render(self.plan, audience="client", fmt=fmt, today=self.today,
                                            accent=self.accent).encode("utf-8"))
        except OSError as exc:
            return f"could not write it: {exc.strerror or exc}"
        self.notify(f"Saved the summary to {path}", timeout=8)
        return None
