"""The caseload (home) screen: every plan, filtered as you type, with its next review in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tplan_tui.tui.safe import SafeInput, safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen
from tplan_tui.tui.teardown import taken_down

if TYPE_CHECKING:
    from tplan_tui.store import PlanSummary
    from tplan_tui.tui.screens.plan_tools import PlanTools
    from tplan_tui.tui.storeworker import StoreWorker

EMPTY_TEXT = (
    "No plans yet.\n\n"
    "Press Ctrl+N to start a new plan with your client,\n"
    "or Ctrl+O to import a plan file (YAML).\n\n"
    "To look around first, quit (Ctrl+Q) and run: tplan --demo"
)


def status_words(r: PlanSummary, today: date) -> str:
    """The plan's status; first why it needs attention, if it does, in words (never colour
    alone: "needs attention: rating fell from 6 to 0"), then an active plan that lacks a signature
    says "needs signing"."""
    if r.needs_attention:
        return r.attention_words()
    return (
        "needs signing"
        if r.status == "active" and r.signing_on(today) == "needs signing"
        else r.status
    )


def review_words(r: PlanSummary, today: date) -> str:
    """When the review is due, in words (never colour alone): "overdue 45 days", "due in 9 days"."""
    state = r.review_state(today)
    if r.next_review is None or state in ("completed", "not set"):
        return state
    days = (r.next_review - today).days
    if days < 0:
        return f"overdue {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    if state == "due soon":
        return f"due soon: {days} day{'s' if days != 1 else ''}"
    return state


def damaged_plan_id(problem: object) -> str | None:
    """The id of the plan a listing problem is about: its ``plan_id`` or ``path`` if it has
    them, else the plan file named in its words (``…/plans/<id>.json is damaged …``)."""
    import re

    from tplan_tui.store.layout import valid_id

    plan_id = getattr(problem, "plan_id", None)
    if isinstance(plan_id, str) and valid_id(plan_id):
        return plan_id
    path = getattr(problem, "path", None)
    words = str(path) if path is not None else str(problem)
    found = re.findall(r"([^/\\\s]+)\.json(?:\.bak)?\b", words)
    return found[-1] if found and valid_id(found[-1]) else None


class CaseloadScreen(TplanScreen[None]):
    # Priority bindings, as on the plan screen: keys typed right after Enter or Ctrl+N reach
    # the plan that opens, not the filter.
    BINDINGS = [
        Binding(
            "ctrl+n",
            "new_plan",
            "New plan",
            id="caseload.new",
            priority=True,
            tooltip="Start a new plan and walk through its steps with the client.",
        ),
        Binding(
            "enter",
            "open_plan",
            "Open",
            id="caseload.open",
            priority=True,
            tooltip="Open the highlighted plan where it was left.",
        ),
        Binding(
            "ctrl+o",
            "import_file",
            "Import",
            id="caseload.import",
            priority=True,
            tooltip="Import a plan file (YAML, format version 1) as a new plan.",
        ),
        Binding(
            "ctrl+t",
            "summary",
            "Summary",
            id="caseload.summary",
            priority=True,
            show=False,  # at 80 columns the footer keeps room for F1 (every key) and Ctrl+Q
            tooltip="Show the highlighted plan's client summary full screen, to read or save.",
        ),
        Binding(
            "ctrl+k",
            "tool('checkin')",
            "Check-in",
            id="caseload.checkin",
            priority=True,
            tooltip="Check-in on the highlighted plan: the client's and your 0-10 ratings of "
            "each goal, objectives reached, a note.",
        ),
        Binding(
            "f3",
            "tool('measure')",
            "Measure",
            id="caseload.measure",
            priority=True,
            show=False,  # at 80 columns the footer has no room left; the palette and F1 list it
            tooltip="Enter a standard measure (PHQ-9, GAD-7) for the highlighted plan: one "
            "key for the questionnaire, one digit per item.",
        ),
        Binding(
            "f9",
            "settings",
            "Settings",
            id="caseload.settings",
            priority=True,
            show=False,  # at 80 columns the footer has no room; the palette and F1 list it
            tooltip="Settings: your name, credentials and contact for new plans and the audit "
            "log, crisis lines, theme, idle lock, review days, sign profile.",
        ),
        Binding(
            "ctrl+r",
            "tool('review')",
            "Review",
            id="caseload.review",
            priority=True,
            show=False,
            tooltip="Review the highlighted plan: how each goal is going, open or close goals, "
            "a dated note; starts a new version and moves the next review date.",
        ),
        Binding(
            "ctrl+a",
            "attention",
            "Safety",
            id="caseload.attention",
            priority=True,
            show=False,  # the title says "Ctrl+A" when a plan needs attention
            tooltip="Why the highlighted plan needs attention, and one key each to go over its "
            "safety plan, record a risk assessment or mark its alerts addressed.",
        ),
        Binding(
            "ctrl+g",
            "tool('progress')",
            "Progress",
            id="caseload.progress",
            priority=True,
            show=False,
            tooltip="The highlighted plan's ratings over time, goal by goal.",
        ),
        Binding(
            "ctrl+e",
            "tool('share')",
            "Share",
            id="caseload.share",
            priority=True,
            show=False,
            tooltip="Share a copy of the highlighted plan under a current consent on file.",
        ),
        Binding(
            "ctrl+f",
            "toggle_due",
            "Due",
            id="caseload.due",
            priority=True,
            show=False,
            tooltip="Show only the plans whose review is due soon or overdue (again: all).",
        ),
        Binding(
            "ctrl+l",
            "toggle_completed",
            "Completed",
            id="caseload.completed",
            priority=True,
            show=False,
            tooltip="Show completed plans too (again: hide them).",
        ),
        Binding(
            "down",
            "move(1)",
            "Down",
            show=False,
            id="caseload.down",
            tooltip="Highlight the next plan.",
        ),
        Binding(
            "up",
            "move(-1)",
            "Up",
            show=False,
            id="caseload.up",
            tooltip="Highlight the previous plan.",
        ),
    ]

    def __init__(self, owner: StoreWorker, today: date):
        super().__init__()
        self.owner = owner  # the store's owner thread: every read of the list goes through it
        self.today = today
        self.rows: list[PlanSummary] = []
        self.problems: list[str] = []
        # Plans the store could not read, by id: each is a row marked "damaged", and opening it
        # says why, while every other plan is listed and opens as usual.
        self.damaged: dict[str, str] = {}
        self.due_only = False  # Ctrl+F: only reviews due soon or overdue
        self.show_completed = False  # Ctrl+L: completed plans leave the list unless asked for
        self._footer_mounted = False

    def compose(self) -> ComposeResult:
        with Vertical(id="caseload"):
            yield Static("Caseload", id="caseload-title")
            yield SafeInput(
                placeholder="Type to filter: client, clinician, status, overdue…",
                id="filter",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="empty")

    def on_mount(self) -> None:
        self.query_one("#filter").focus()
        # The list is read at once, on the store's owner thread, while Textual lays out and
        # draws the first frame: the first rows are what the clinician waits for. The footer
        # (~12 ms to build) follows them.
        self.reload()

    async def _after_first_rows(self) -> None:
        if self._footer_mounted or not self.is_attached:
            return
        from textual.widgets import Footer

        self._footer_mounted = True
        self.tplan.first_rows_shown()
        await self.mount(Footer())
        self.refresh_bindings()  # a footer mounted late learns the keys from this

    @work(exclusive=True, group="caseload")
    async def reload(self) -> None:
        """Read the list on the store's owner thread (the event loop runs on), then show it."""
        from tplan_tui.store import AccessRefused

        try:
            rows, problems = await self.owner.run(lambda store: store.list_plans())
        except AccessRefused as exc:
            # Another session changed the passphrase or encrypted this plain store: the list
            # cannot be read with this session's key. Said once, never a crash of the worker.
            self._refused(exc)
            return
        finally:
            if not self._footer_mounted:  # the first list is drawn (or refused): the footer
                self.call_after_refresh(self._after_first_rows)
        self._loaded(rows, problems)

    def _refused(self, exc: Exception) -> None:
        from tplan_tui.store import PassphraseChanged

        self.notify(str(exc), severity="error", timeout=15)
        if isinstance(exc, PassphraseChanged) and not self.tplan.locked:
            self.tplan.lock()  # unlocking with the new passphrase takes the new key, then reloads

    @property
    def table(self):
        """The plan table, made once the list is read (DataTable's import is not on the path
        to the first frame)."""
        from textual.widgets import DataTable

        tables = self.query("#plans").results(DataTable)
        table = next(tables, None)
        if table is None:
            table = DataTable(id="plans", cursor_type="row", zebra_stripes=False)
            table.can_focus = False  # the filter keeps the focus; ↑↓ move the highlight
            self.query_one("#caseload").mount(table, before="#empty")
            table.add_columns("Client", "Status", "Next review", "Review", "Clinician", "Plan")
        return table

    def _loaded(self, rows: list[PlanSummary], problems: Sequence[str]) -> None:
        if taken_down(self) or not self.query("#caseload") or not self.query("#empty"):
            # The app closed while the list was read on the owner thread (a quick Ctrl+Q at
            # start): Textual takes its widgets down one by one (the "no plans" line before the
            # table's box, seen in CI), and filling them would fail the worker on the way out.
            return
        # Plans that need attention lead the list (issue: risk never goes unseen).
        rows.sort(
            key=lambda r: (
                not r.needs_attention,
                r.status == "completed",
                r.next_review or date.max,
                r.client.casefold(),
            )
        )
        self.rows = rows
        self.problems = [str(p) for p in problems]
        self.damaged = {}
        unplaced = []
        for problem in problems:
            plan_id = damaged_plan_id(problem)
            if plan_id is None:
                unplaced.append(str(problem))  # not about one plan: said as it is
            else:
                self.damaged[plan_id] = str(problem)
        if self.damaged:
            n = len(self.damaged)
            self.notify(
                f"{n} plan{'s' if n != 1 else ''} cannot be read and {'are' if n != 1 else 'is'} "
                "listed as damaged; Enter on one says why. The other plans are not affected.",
                severity="error",
                timeout=15,
            )
        for problem in unplaced:
            self.notify(problem, severity="error", timeout=15)
        self._fill()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._fill()

    def _matching(self, *, completed: bool | None = None) -> list[PlanSummary]:
        words = self.query_one("#filter", Input).value.casefold().split()
        completed = self.show_completed if completed is None else completed
        out = []
        for r in self.rows:
            if r.status == "completed" and not completed:
                continue
            if self.due_only and r.review_state(self.today) not in ("overdue", "due soon"):
                continue
            hay = " ".join(
                (
                    r.client,
                    r.clinician,
                    r.status,
                    r.plan_id,
                    r.review_state(self.today),
                    r.next_review.isoformat() if r.next_review else "",
                    r.signing_on(self.today),
                    r.attention_words(),
                )
            ).casefold()
            if all(w in hay for w in words):
                out.append(r)
        return out

    def _fill(self) -> None:
        table = self.table
        table.clear()
        shown = self._matching()
        for r in shown:
            # Text cells: a string cell is read as markup, and names come from plan files.
            table.add_row(
                safe_text(r.client or "(no name yet)"),
                safe_text(status_words(r, self.today)),
                safe_text(r.next_review.isoformat() if r.next_review else "-"),
                safe_text(review_words(r, self.today)),
                safe_text(r.clinician or "-"),
                safe_text(r.plan_id),
                key=r.plan_id,
            )
        words = self.query_one("#filter", Input).value.casefold().split()
        damaged = [i for i in self.damaged if all(w in f"damaged {i}".casefold() for w in words)]
        for plan_id in damaged:  # after the plans that can be read: they keep their order
            table.add_row(
                safe_text("(cannot be read)"),
                safe_text("damaged", style="bold"),
                safe_text("-"),
                safe_text("-"),
                safe_text("-"),
                safe_text(plan_id),
                key=plan_id,
            )
        empty = self.query_one("#empty", Static)
        empty.display = not (shown or damaged)
        table.display = bool(shown or damaged)
        if (self.rows or self.damaged) and not (shown or damaged):
            hidden = len(self._matching(completed=True)) if not self.show_completed else 0
            empty.update(
                f"{hidden} completed plan{'s' if hidden != 1 else ''} match: Ctrl+L shows "
                "completed plans."
                if hidden
                else "No plan matches the filter."
                + (
                    " Ctrl+F shows all reviews again."
                    if self.due_only
                    else " Backspace to widen it."
                )
            )
        elif not self.rows and not self.damaged:
            empty.update(EMPTY_TEXT)
        n = len(self.rows)
        overdue = sum(1 for r in self.rows if r.is_overdue(self.today))
        title = f"Caseload · {n} plan{'s' if n != 1 else ''}"
        flagged = sum(1 for r in self.rows if r.needs_attention)
        if flagged:
            title += f" · {flagged} need{'s' if flagged == 1 else ''} attention (Ctrl+A)"
        if overdue:
            title += f" · {overdue} overdue for review"
        if self.damaged:
            title += f" · {len(self.damaged)} damaged"
        if self.due_only:
            title += " · showing reviews due soon or overdue (Ctrl+F: all)"
        completed = sum(1 for r in self.rows if r.status == "completed")
        if completed and not self.show_completed:
            title += f" · {completed} completed hidden (Ctrl+L)"
        elif self.show_completed:
            title += " · completed plans shown (Ctrl+L hides them)"  # the key always says so
        self.query_one("#caseload-title", Static).update(title)

    def action_toggle_due(self) -> None:
        self.due_only = not self.due_only
        self._fill()

    def action_toggle_completed(self) -> None:
        self.show_completed = not self.show_completed
        self._fill()

    def _tools_on_highlighted(self) -> tuple[PlanTools, str] | None:
        """The plan-over-time screens and the highlighted plan's id (``screens/plan_tools``)."""
        plan_id = self.highlighted()
        if plan_id is None:
            self.notify("No plan highlighted. Ctrl+N starts a new one.", timeout=3)
            return None
        if self._explained_damaged(plan_id):
            return None
        return self.tplan.tools, plan_id

    async def action_tool(self, name: str) -> None:
        """Open the plan-over-time tool ``name`` (check-in, review, progress, versions,
        consents, share: ``screens/plan_tools``) on the highlighted plan."""
        if found := self._tools_on_highlighted():
            tools, plan_id = found
            await tools.open(name, plan_id)

    async def action_attention(self) -> None:
        """The attention dialog of the highlighted plan (``screens/safety``)."""
        from tplan_tui.tui.screens.safety import open_attention

        plan_id = self.highlighted()
        if plan_id is None:
            self.notify("No plan highlighted.", timeout=3)
            return
        await open_attention(self.tplan, plan_id)

    def action_move(self, delta: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def highlighted(self) -> str | None:
        table = self.table
        if not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    @on(Input.Submitted, "#filter")
    async def _submitted(self) -> None:
        await self.action_open_plan()

    async def action_open_plan(self) -> None:
        plan_id = self.highlighted()
        if plan_id is None:
            self.notify("No plan to open. Ctrl+N starts a new one.", timeout=3)
            return
        if not self._explained_damaged(plan_id):
            await self.tplan.open_plan(plan_id)

    async def action_summary(self) -> None:
        plan_id = self.highlighted()
        if plan_id is None:
            self.notify("No plan to show.", timeout=3)
            return
        if not self._explained_damaged(plan_id):
            await self.tplan.show_summary(plan_id)

    def _explained_damaged(self, plan_id: str) -> bool:
        """For a plan that cannot be read: say why (the file, its last good copy) and True."""
        problem = self.damaged.get(plan_id)
        if problem is None:
            return False
        self.notify(
            f"Plan {plan_id} cannot be opened: {problem} The other plans are not affected.",
            severity="error",
            timeout=20,
        )
        return True

    async def action_settings(self) -> None:
        from tplan_tui.tui.screens.settings_screen import SettingsScreen

        await self.app.push_screen(SettingsScreen())

    async def action_new_plan(self) -> None:
        await self.tplan.new_plan()

    async def action_import_file(self) -> None:
        await self.tplan.import_file()
