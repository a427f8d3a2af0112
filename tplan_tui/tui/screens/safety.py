"""Safety in the session (issue 11): the client's safety plan, one part at a time; a quick risk
assessment; and the dialog that says at once why a plan needs attention and offers both.

Keys, designed for few: on the caseload Ctrl+A opens the attention dialog for the highlighted
plan; there S goes over the safety plan, R records a risk assessment, A marks the alerts
addressed with a note. In the safety plan each part is one short list, one entry a line (a person
or line: name, a colon, how to reach them); PageDown / PageUp change part, Ctrl+S saves, Esc
leaves (asking first if anything changed). The client's side shows their plan as it grows.

Each save loads the newest copy of the plan and changes only its safety part, so a save here never
overwrites a change made elsewhere.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, Static, TextArea

from tplan_tui.core import model as m
from tplan_tui.core.safety import PARTS, Part
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.screens.appscreen import Reloadable, TplanModal, TplanScreen
from tplan_tui.tui.screens.summary_view import SummaryScreen
from tplan_tui.tui.widgets.keychoice import Choice, KeyChoice

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason
    from tplan_tui.store import Store
    from tplan_tui.tui.app import TplanApp

Entries = list[m.Contact] | list[str]

RISK_CHOICES = [
    Choice("none", "none", "n"),
    Choice("low", "low", "l"),
    Choice("moderate", "moderate", "m"),
    Choice("high", "high", "h"),
    Choice("imminent", "imminent", "i"),
]


# --------------------------------------------------------------------------- the parts as text


def part_text(sp: m.SafetyPlan | None, part: Part) -> str:
    """A part of the safety plan as the editor shows it: one entry a line."""
    if sp is None:
        return ""
    if part.contacts:
        return "\n".join(f"{c.name}: {c.contact}" for c in getattr(sp, part.key))
    return "\n".join(getattr(sp, part.key))


def parse_part(part: Part, text: str) -> tuple[Entries, list[str]]:
    """The entries of one part typed one a line, and a problem in words for each line that will
    not do (a person or line needs a name and, after a colon, how to reach them)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not part.contacts:
        return lines, []
    entries: list[m.Contact] = []
    problems: list[str] = []
    for n, line in enumerate(lines, 1):
        name, colon, contact = line.partition(":")
        name, contact = name.strip(), contact.strip()
        if not colon or not name or not contact:
            problems.append(
                f"{part.heading}, line {n}: write the name, a colon, then how to reach them "
                "(e.g. 'Sam: 555-0199')"
            )
            continue
        entries.append(m.Contact(name=name, contact=contact))
    return entries, problems


def safety_view(parts: dict[str, Entries], name: str) -> Group:
    """The client's safety plan as it grows, in their words; only the parts with something in.
    Every line is ``safe_text``: never markup, control characters visible."""
    out: list[RenderableType] = [safe_text(f"My safety plan{', ' + name if name else ''}", "bold")]
    step = 0
    for part in PARTS:
        entries = parts.get(part.key) or []
        if not entries:
            continue
        step += 1
        out.append(safe_text(f"\n{step}. {part.heading}", "bold underline"))
        for entry in entries:
            text = f"{entry.name}: {entry.contact}" if isinstance(entry, m.Contact) else entry
            out.append(Padding(safe_text(f"• {text}"), (0, 0, 0, 2)))
    if step == 0:
        out.append(safe_text("\nAs you write, the client's plan shows here.", style="dim"))
    return Group(*out)


# --------------------------------------------------------------------------- saving


def save_change(store: Store, plan_id: str, change: Callable[[m.Plan], None]) -> list[Reason]:
    """Apply ``change`` to the newest stored copy and save it; what the save raised. A job for
    the store's owner thread (``tui/storeworker.py``): never called on the event loop."""
    stored = store.load(plan_id)
    plan = copy.deepcopy(stored.plan)
    change(plan)
    saved = store.save(plan_id, plan, base_revision=stored.revision)
    return new_alerts(store, plan_id, stored.plan, saved.plan)


def new_alerts(store: Store, plan_id: str, before: m.Plan, after: m.Plan) -> list[Reason]:
    """What a save just raised, set against the alerts already addressed. Reads the store: run
    it on the store's owner thread."""
    from tplan_tui.core.attention import new_reasons
    from tplan_tui.store import StoreError

    try:
        addressed = store.addressed(plan_id)
    except StoreError:
        addressed = []
    return new_reasons(before, after, addressed)


# --------------------------------------------------------------------------- the safety plan


class SafetyPlanScreen(TplanScreen[str | None]):
    """The client's safety plan, one part at a time, the client's side showing it as it grows."""

    BINDINGS = [
        # Priority: the next key typed must land in the next part's list.
        Binding(
            "pagedown",
            "part(1)",
            "Next part",
            id="safety.next",
            priority=True,
            tooltip="Go to the next part of the safety plan.",
        ),
        Binding(
            "pageup",
            "part(-1)",
            "Previous part",
            id="safety.previous",
            priority=True,
            tooltip="Go back to the part before.",
        ),
        # Not priority: after the keys typed before it, so the last line is in what is saved.
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="safety.save",
            tooltip="Save the safety plan, dated today; the client's copy can then be printed.",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            id="safety.back",
            tooltip="Leave; asks first if anything changed.",
        ),
    ]
    DEFAULT_CSS = """
    #safety-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #safety-edit { height: auto; padding: 0 1; }
    #safety-heading { text-style: bold; }
    #safety-entries { height: 5; }
    #safety-problem { display: none; height: auto; color: $text-error; }
    #safety-client { height: 1fr; border: round $primary; padding: 0 1; }
    """

    def __init__(self, plan_id: str, plan: m.Plan, today: date):
        super().__init__()
        self.plan_id = plan_id
        self.name_shown = " ".join(plan.client.name.split())
        self.today = today
        sp = plan.safety.plan
        self.texts = {part.key: part_text(sp, part) for part in PARTS}
        self.saved_texts = dict(self.texts)
        self.index = 0
        self.saving = False

    @property
    def part(self) -> Part:
        return PARTS[self.index]

    @property
    def dirty(self) -> bool:
        return self.texts != self.saved_texts

    def compose(self) -> ComposeResult:
        yield Static("", id="safety-title")
        with Vertical(id="safety-edit"):
            yield Static("", id="safety-heading")
            yield Static("", id="safety-prompt", classes="hint")
            yield SafeTextArea(
                self.texts[self.part.key],
                id="safety-entries",
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
            )
            yield Static("", id="safety-problem")
        with VerticalScroll(id="safety-client") as pane:
            pane.border_title = "What the client sees"
            yield Static(id="safety-view")
        yield Footer()

    def on_mount(self) -> None:
        self._show_part()
        self.set_focus(self.query_one("#safety-entries"))

    def _show_part(self) -> None:
        part = self.part
        self.query_one("#safety-title", Static).update(
            safe_text(
                f"Safety plan · {self.name_shown or '(no name)'} · part {self.index + 1} of "
                f"{len(PARTS)}"
            )  # fmt: skip
        )
        self.query_one("#safety-heading", Static).update(
            safe_text(f"{self.index + 1}. {part.heading}")
        )
        hint = "One a line" + (": the name, a colon, how to reach them" if part.contacts else "")
        self.query_one("#safety-prompt", Static).update(
            safe_text(f"{part.prompt}\n{hint} · PageDown next part · Ctrl+S saves")
        )
        area = self.query_one("#safety-entries", TextArea)
        area.load_text(self.texts[part.key])
        area.move_cursor(area.document.end)
        self._refresh_view()

    def _parts(self) -> tuple[dict[str, Entries], list[tuple[int, str]]]:
        parts: dict[str, Entries] = {}
        problems: list[tuple[int, str]] = []
        for i, part in enumerate(PARTS):
            entries, found = parse_part(part, self.texts[part.key])
            parts[part.key] = entries
            problems += [(i, p) for p in found]
        return parts, problems

    def _refresh_view(self) -> None:
        parts, _problems = self._parts()
        self.query_one("#safety-view", Static).update(safety_view(parts, self.name_shown))

    @on(TextArea.Changed, "#safety-entries")
    def _typed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text == self.texts[self.part.key]:
            return  # a part loaded into the editor, not typed: a problem shown stays
        self.texts[self.part.key] = text
        self._show_problem("")
        self._refresh_view()

    def _show_problem(self, text: str) -> None:
        problem = self.query_one("#safety-problem", Static)
        problem.update(safe_text(f"⚠ {text}" if text else ""))
        problem.display = bool(text)

    def action_part(self, delta: int) -> None:
        new = max(0, min(len(PARTS) - 1, self.index + delta))
        if new != self.index:
            self.index = new
            self._show_part()

    async def action_save(self) -> None:
        if self.saving:
            return
        parts, problems = self._parts()
        if problems:
            self.index = problems[0][0]
            self._show_part()
            self._show_problem(problems[0][1])
            return
        self.saving = True
        await self._save(parts)

    async def _save(self, parts: dict[str, Entries]) -> None:
        """Saved on the store's owner thread; the event loop only waits for it."""
        from tplan_tui.store import ConflictError, StoreError

        today = self.today
        plan_id = self.plan_id

        def change(plan: m.Plan) -> None:
            old = plan.safety.plan
            extra = dict(old.extra) if old is not None else {}
            if not any(parts.values()) and not extra:
                plan.safety.plan = None  # everything cleared: no plan, not an empty dated one
                return
            plan.safety.plan = m.SafetyPlan(made_on=today, extra=extra, **parts)  # type: ignore[arg-type]

        try:
            await self.tplan.store_worker.run(lambda store: save_change(store, plan_id, change))
        except ConflictError:  # saved elsewhere in the instant between load and save
            self._failed("the plan changed meanwhile; Ctrl+S again")
        except (StoreError, OSError, ValueError) as exc:
            self._failed(f"could not save: {exc}")
        else:
            self._saved()

    def _failed(self, text: str) -> None:
        self.saving = False
        self._show_problem(f"Not saved: {text}")

    def _saved(self) -> None:
        self.saving = False
        self.saved_texts = dict(self.texts)
        self.tplan.audit("edit", self.plan_id)
        self.notify(
            "Safety plan saved. Ctrl+A then P shows the client's page, to save and print.",
            timeout=8,
        )
        self.dismiss(self.plan_id)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from tplan_tui.tui.screens.modals import Confirm

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.tplan.push_screen(
            Confirm("Leave without saving the safety plan? What was written here will be gone."),
            answer,
        )


class SafetyPlanPage(SummaryScreen):
    """The client's safety plan on one page, full screen; Ctrl+S saves it (.html prints on one
    sheet)."""

    document = "safety-plan"
    what = "the client's safety plan"


# --------------------------------------------------------------------------- risk assessment


class RiskScreen(TplanModal[str | None]):
    """A quick risk assessment: the level by one key, a note, the date (today unless changed).
    Clinician-only: never in a client document."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="risk.cancel", tooltip="Close; nothing is kept."),
        Binding(
            "ctrl+s", "save", "Save", id="risk.save", tooltip="Keep the assessment in the plan."
        ),
        Binding(
            "enter",
            "enter",
            "Next",
            id="risk.enter",
            priority=True,
            show=False,
            tooltip="On the level: go to the note. On the note or date: save.",
        ),
    ]
    DEFAULT_CSS = """
    RiskScreen #risk-date { width: 14; }
    RiskScreen #risk-problem { display: none; height: auto; color: $text-error; }
    """
    AUTO_FOCUS = "#risk-level"

    def __init__(self, plan_id: str, client: str, today: date):
        super().__init__()
        self.plan_id = plan_id
        self.client = client
        self.today = today
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                safe_text(f"Risk assessment · {self.client or '(no name)'}"),
                classes="dialog-title",
            )
            yield Static("Clinician-only: never in a client document.", classes="hint")
            yield KeyChoice(RISK_CHOICES, id="risk-level")
            yield SafeInput(placeholder="note: what was asked and said", id="risk-note")
            with Horizontal(classes="field-row"):
                yield Label("Date", classes="field-label")
                yield SafeInput(self.today.isoformat(), id="risk-date", compact=True)
            yield Static("", id="risk-problem")
            yield Static("Letter picks the level · Enter next · Ctrl+S saves · Esc", classes="hint")

    def _problem(self, text: str) -> None:
        problem = self.query_one("#risk-problem", Static)
        problem.update(safe_text(f"⚠ {text}"))
        problem.display = True

    def action_cancel(self) -> None:
        if not self.saving:  # a save under way finishes and closes the dialog itself
            self.dismiss(None)

    async def action_enter(self) -> None:
        if isinstance(self.focused, KeyChoice):
            self.set_focus(self.query_one("#risk-note"))
        else:
            await self.action_save()

    async def action_save(self) -> None:
        from tplan_tui.core.editing import parse_value

        if self.saving:
            return
        level = self.query_one("#risk-level", KeyChoice).value
        if level is None:
            self._problem("risk: pick a level by its letter (n, l, m, h or i)")
            self.set_focus(self.query_one("#risk-level"))
            return
        day, problem = parse_value("date", self.query_one("#risk-date", SafeInput).value)
        if problem or not isinstance(day, date):
            self._problem(f"date: {problem or 'give the date (YYYY-MM-DD)'}")
            return
        if day > self.today:
            self._problem(f"date: {day.isoformat()} is after today")
            return
        note = " ".join(self.query_one("#risk-note", SafeInput).value.split()) or None
        self.saving = True
        await self._save(m.RiskAssessment(date=day, risk=level, note=note))

    async def _save(self, assessment: m.RiskAssessment) -> None:
        """Saved on the store's owner thread; the event loop only waits for it."""
        from tplan_tui.store import StoreError

        plan_id = self.plan_id

        def change(plan: m.Plan) -> None:
            plan.safety.assessments.append(assessment)
            plan.safety.assessments.sort(key=lambda a: a.date)

        try:
            fresh = await self.tplan.store_worker.run(
                lambda store: save_change(store, plan_id, change)
            )
        except (StoreError, OSError, ValueError) as exc:
            self._failed(f"could not save: {exc}")
        else:
            self._saved(fresh)

    def _failed(self, text: str) -> None:
        self.saving = False
        self._problem(f"Not saved: {text}")

    def _saved(self, fresh: list[Reason]) -> None:
        self.saving = False
        app, plan_id = self.tplan, self.plan_id
        app.audit("edit", plan_id)
        self.notify("Risk assessment saved.", timeout=6)
        self.dismiss(plan_id)
        if fresh:  # what this save raised is said at once, with the same keys
            app.call_later(open_attention, app, plan_id, just_now=fresh)


# --------------------------------------------------------------------------- the alert


class AttentionScreen(TplanModal[str | None]):
    """Why the plan needs attention, in words, and one key for each way to answer it."""

    BINDINGS = [
        Binding(
            "s",
            "pick('safety')",
            "Safety plan",
            id="attention.safety",
            tooltip="Go over the client's safety plan now, one part at a time.",
        ),
        Binding(
            "r",
            "pick('risk')",
            "Risk assessment",
            id="attention.risk",
            tooltip="Record a risk assessment: the level by one key, a note, today's date.",
        ),
        Binding(
            "p",
            "pick('page')",
            "Safety plan page",
            id="attention.page",
            tooltip="The client's safety plan on one page, to read together or save and print.",
        ),
        Binding(
            "a",
            "pick('addressed')",
            "Addressed",
            id="attention.addressed",
            tooltip="Mark the alerts addressed with a note; a newer cause brings them back.",
        ),
        Binding(
            "escape",
            "pick('')",
            "Later",
            id="attention.later",
            tooltip="Close; the plan stays first in the caseload.",
        ),
    ]

    def __init__(self, client: str, reasons: list[Reason], *, just_now: bool = False):
        super().__init__()
        self.client = client
        self.reasons = reasons
        self.just_now = just_now

    def compose(self) -> ComposeResult:
        who = self.client or "this client"
        if self.reasons:
            title = (
                f"This needs attention now: {who}" if self.just_now else f"{who} needs attention"
            )
            lines = [f"• {r.text} ({r.on.isoformat()})" for r in self.reasons]
        else:
            title = f"{who}: nothing needs attention now"
            lines = []
        keys = [
            "S  go over the safety plan now",
            "R  record a risk assessment",
            "P  the client's safety plan page, to read or save and print",
        ]
        if self.reasons:
            keys.append("A  mark addressed, with a note")
        keys.append(
            "Esc  later" + (" (the plan stays first in the caseload)" if self.reasons else "")
        )
        with Vertical(classes="dialog"):
            yield Label(safe_text(title), classes="dialog-title")
            if lines:
                yield Static(safe_text("\n".join(lines)), id="attention-reasons")
            yield Static(safe_text("\n".join(keys)), id="attention-keys")

    def action_pick(self, what: str) -> None:
        if what == "addressed" and not self.reasons:
            return
        self.dismiss(what or None)


async def open_attention(
    app: TplanApp, plan_id: str, *, just_now: list[Reason] | None = None
) -> None:
    """The attention dialog for a plan, then what was picked. ``just_now``: the reasons a save
    just raised (said as such); otherwise every open reason. The store is read on its owner
    thread."""
    from tplan_tui.core.attention import open_reasons
    from tplan_tui.store import StoreError

    def read(store: Store) -> tuple[m.Plan, list[Reason]]:
        plan = store.load(plan_id).plan
        if just_now is not None:
            return plan, just_now
        return plan, open_reasons(plan, store.addressed(plan_id))

    try:
        plan, reasons = await app.store_worker.run(read)
    except StoreError as exc:
        app.notify(str(exc), severity="error", timeout=15)
        return

    async def picked(what: str | None) -> None:
        await answer(app, plan_id, what, reasons)

    await app.push_screen(
        AttentionScreen(plan.client.name, reasons, just_now=just_now is not None), picked
    )


async def answer(
    app: TplanApp, plan_id: str, what: str | None, shown: Sequence[Reason] = ()
) -> None:
    """Open what was picked in the attention dialog: the safety plan, a risk assessment, the
    client's safety plan page, or the note that marks the alerts addressed (those ``shown``)."""
    if what == "safety":
        await open_safety_plan(app, plan_id)
    elif what == "risk":
        stored = await app.load(plan_id)
        if stored is None:
            return
        await app.push_screen(RiskScreen(plan_id, stored.plan.client.name, app.today), _back(app))
    elif what == "addressed":
        await ask_addressed(app, plan_id, shown)
    elif what == "page":
        stored = await app.load(plan_id)
        if stored is None:
            return
        app.audit("open", plan_id)  # reading a client's document is an access like any other
        await app.push_screen(SafetyPlanPage(stored.plan, app.today, plan_id=plan_id))


def _back(app: TplanApp) -> Callable[[Any], None]:
    """What to do when a safety screen closes: the screen under it (the caseload) reads again."""

    def back(_result: object = None) -> None:
        if isinstance(app.screen, Reloadable):
            app.screen.reload()

    return back


async def open_safety_plan(app: TplanApp, plan_id: str) -> None:
    stored = await app.load(plan_id)
    if stored is None:
        return
    await app.push_screen(SafetyPlanScreen(plan_id, stored.plan, app.today), _back(app))


async def ask_addressed(app: TplanApp, plan_id: str, shown: Sequence[Reason]) -> None:
    """Ask what was done; keep it, dated today, beside the plan (the audit log says only that).
    It answers the reasons ``shown``: one raised meanwhile (another terminal) stays open.
    Written on the store's owner thread."""
    from tplan_tui.store import StoreError
    from tplan_tui.tui.screens.modals import AskText

    today = app.today
    seen = [r.key for r in shown]

    async def answered(note: str | None) -> None:
        if not note:
            return
        try:
            await app.store_worker.run(
                lambda store: store.mark_addressed(plan_id, today, note, seen)
            )
        except (StoreError, OSError) as exc:
            app.notify(f"Not recorded: {exc}", severity="error", timeout=10)
            return
        app.audit("attention addressed", plan_id)
        app.notify("Marked addressed. A newer cause will bring the alert back.", timeout=8)
        _back(app)(None)

    await app.push_screen(
        AskText(
            f"What was done? (dated {today.isoformat()})",
            placeholder="e.g. went over the safety plan",
        ),
        answered,
    )
