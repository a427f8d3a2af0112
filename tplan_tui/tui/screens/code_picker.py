"""Pick an ICD-10-CM code by typing its start ("F32") or words of its description ("panic"):
the list follows the typing, ↑↓ move in it, Enter picks. The code set loads in a worker
thread the first time (about 3 s), and every search runs in one too, so typing never waits."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tplan_tui.core.codes import CodeEntry
from tplan_tui.tui.safe import SafeInput, safe_text
from tplan_tui.tui.teardown import taken_down

SHOWN = 30


class CodePicker(ModalScreen[CodeEntry | None]):
    """Dismissed with the chosen code (its code and description), or None on Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="codes.cancel"),
        # The typing stays in the box: ↑↓ move the highlight in the list, Enter picks it.
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, query: str = ""):
        super().__init__()
        self.query_text = query
        self.found: list[CodeEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Diagnosis code (ICD-10-CM)", classes="dialog-title")
            yield SafeInput(
                self.query_text,
                placeholder='a code\'s start ("F32") or words ("panic")',
                id="code-query",
                select_on_focus=False,
            )
            yield Static("Loading the code set…", id="code-status", classes="hint")
            listing = OptionList(id="code-list", compact=True)
            listing.can_focus = False  # the focus stays in the box, where the typing goes
            yield listing
            yield Static("Type · ↑↓ choose · Enter picks · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#code-query", Input).focus()
        self.search(self.query_text)

    @on(Input.Changed, "#code-query")
    def _typed(self, event: Input.Changed) -> None:
        from tplan_tui.core import codes

        if event.value.strip() and not codes.is_loaded():
            # The first search loads the code set (seconds): say so, rather than go on
            # asking for what was just typed ("Type a code's start...").
            self.query_one("#code-status", Static).update(
                "Loading the code set (a few seconds, the first time)…"
            )
        self.search(event.value)

    @work(thread=True, exclusive=True, group="code-search")
    def search(self, query: str) -> None:
        from tplan_tui.core import codes

        found = codes.search(query, SHOWN) if query.strip() else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, query, found)

    def _show(self, query: str, found: list[CodeEntry]) -> None:
        if taken_down(self):  # closed (Esc, or the app quitting) while the search ran
            return
        self.found = found
        listing = self.query_one("#code-list", OptionList)
        listing.clear_options()
        for n, entry in enumerate(found):
            listing.add_option(Option(safe_text(f"{entry.code}  {entry.description}"), id=str(n)))
        status = self.query_one("#code-status", Static)
        if not query.strip():
            status.update("Type a code's start or words of its name.")
        elif not found:
            status.update(safe_text(f"No billable code for {query.strip()!r}."))
        else:
            more = " (the first 30)" if len(found) >= SHOWN else ""
            status.update(f"{len(found)} billable code(s){more}:")
        if found:
            listing.highlighted = 0

    @on(Input.Submitted, "#code-query")
    def _enter(self, event: Input.Submitted) -> None:
        listing = self.query_one("#code-list", OptionList)
        if self.found:
            self.dismiss(self.found[listing.highlighted or 0])

    @on(OptionList.OptionSelected, "#code-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[int(event.option.id or 0)])

    def action_move(self, delta: int) -> None:
        listing = self.query_one("#code-list", OptionList)
        if delta > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
