"""Safety in the session (issue 11): the client's safety plan, one part at a time; a quick risk
assessment; and the dialog that says at once why a plan needs attention and offers both.

Keys, designed for few: on the caseload Ctrl+A opens the attention dialog for the highlighted
plan; there S goes over the safety plan, R records a risk assessment, A marks the alerts
addressed with a note. In the safety plan each part is one short list, one entry a line (a person
or line: name, a colon, how to reach them); PageDown / PageUp change part; what is typed is saved
half a second after the last key; Ctrl+S checks every line and leaves; Esc leaves, keeping a line
not finished as a draft (nothing typed is dropped). The client's side shows their plan as it grows.
The plan screen's safety step opens the same screens on the plan it has open.

Saves go through a host (``safety_host.py``): from the caseload each save loads the newest copy and
changes only its safety part, so a save here never overwrites a change made elsewhere; from the
plan screen, the change goes into the plan it edits and out with its autosave.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Footer, Label, Static, TextArea

from tplan_tui.core import model as m
from tplan_tui.core.safety import PART_BY_KEY, PARTS, Part
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.screens.appscreen import TplanModal, TplanScreen
from tplan_tui.tui.screens.safety_host import (
    Change,
    Drafts,
    SafetyHost,
    StoreHost,
)
from tplan_tui.tui.screens.summary_view import SummaryScreen
from tplan_tui.tui.widgets.keychoice import Choice, KeyChoice

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason
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


# --------------------------------------------------------------------------- the safety plan

SAVE_DELAY_S = 0.5  # as the plan screen: typing reaches the store within this, plus the write
LEAVE_WAIT_S = 10.0  # Esc waits this long for the last save before it leaves anyway


def safety_change(parts: dict[str, Entries], today: date) -> Change:
    """The change that puts ``parts`` in a plan as its safety plan, dated ``today``."""

    def change(plan: m.Plan) -> None:
        old = plan.safety.plan
        extra = dict(old.extra) if old is not None else {}
        if not any(parts.values()) and not extra:
            plan.safety.plan = None  # everything cleared: no plan, not an empty dated one
            return
        plan.safety.plan = m.SafetyPlan(made_on=today, extra=extra, **parts)  # type: ignore[arg-type]

    return change


class SafetyPlanScreen(TplanScreen[str | None]):
    """The client's safety plan, one part at a time, the client's side showing it as it grows.
    Saved as it is typed (half a second after the last key, as the plan screen); a line that
    will not do yet (a person without how to reach them) is kept as a draft, never dropped."""

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
            "Done",
            id="safety.save",
            tooltip="Check every line, save the safety plan dated today, and leave.",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            id="safety.back",
            tooltip="Save what was written and leave; a line not finished is kept as a draft.",
        ),
    ]
    DEFAULT_CSS = """
    #safety-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #safety-edit { height: auto; padding: 0 1; }
    #safety-heading { text-style: bold; }
    .safety-entries { height: 5; }
    #safety-problem { display: none; height: auto; color: $text-error; }
    #safety-client { height: 1fr; border: round $primary; padding: 0 1; }
    """

    def __init__(self, host: SafetyHost, plan: m.Plan, today: date, drafts: Drafts | None = None):
        super().__init__()
        self.host = host
        self.plan_id = host.plan_id
        self.name_shown = " ".join(plan.client.name.split())
        self.today = today
        sp = plan.safety.plan
        self.saved_texts = {part.key: part_text(sp, part) for part in PARTS}
        # What was typed and not finished last time comes back as it was typed.
        self.texts = {
            **self.saved_texts,
            **{k: v for k, v in (drafts or {}).items() if k in PART_BY_KEY},
        }
        self.saved_drafts = self._drafts()
        self.index = 0
        self.state = "saved"
        self._timer: Timer | None = None
        self._saving: asyncio.Task[bool] | None = None
        self._leaving = False
        self.edited = False  # saved at least once on this visit

    @property
    def part(self) -> Part:
        return PARTS[self.index]

    @property
    def dirty(self) -> bool:
        return self.texts != self.saved_texts or self._drafts() != self.saved_drafts

    def compose(self) -> ComposeResult:
        yield Static("", id="safety-title")
        with Vertical(id="safety-edit"):
            yield Static("", id="safety-heading")
            yield Static("", id="safety-prompt", classes="hint")
            # One editor a part, only the current one shown: a key typed just before PageDown
            # is still in its own part's queue when the next part appears, so it lands in the
            # part it was typed in (one editor reloaded per part put it in the next part).
            for part in PARTS:
                area = SafeTextArea(
                    self.texts[part.key],
                    id=f"safety-entries-{part.key}",
                    classes="safety-entries",
                    compact=True,
                    soft_wrap=True,
                    tab_behavior="focus",
                )
                area.display = part is self.part
                yield area
            yield Static("", id="safety-problem")
        with VerticalScroll(id="safety-client") as pane:
            pane.border_title = "What the client sees"
            yield Static(id="safety-view")
        yield Footer()

    def on_mount(self) -> None:
        for area in self.query(".safety-entries").results(TextArea):
            area.move_cursor(area.document.end)
        self._show_part()

    def area(self, part: Part | None = None) -> TextArea:
        """The editor of ``part`` (by default the part shown)."""
        return self.query_one(f"#safety-entries-{(part or self.part).key}", TextArea)

    def _show_title(self) -> None:
        self.query_one("#safety-title", Static).update(
            safe_text(
                f"Safety plan · {self.name_shown or '(no name)'} · part {self.index + 1} of "
                f"{len(PARTS)} · {self.state}"
            )  # fmt: skip
        )

    def _show_part(self) -> None:
        part = self.part
        self._show_title()
        self.query_one("#safety-heading", Static).update(
            safe_text(f"{self.index + 1}. {part.heading}")
        )
        hint = "One a line" + (": the name, a colon, how to reach them" if part.contacts else "")
        self.query_one("#safety-prompt", Static).update(
            safe_text(f"{part.prompt}\n{hint} · PageDown next part · saved as you type")
        )
        for other in PARTS:
            self.area(other).display = other is part
        self.set_focus(self.area())  # at once (focus() waits a turn): the next key lands there
        self._refresh_view()

    def _parts(self) -> tuple[dict[str, Entries], list[tuple[int, str]]]:
        parts: dict[str, Entries] = {}
        problems: list[tuple[int, str]] = []
        for i, part in enumerate(PARTS):
            entries, found = parse_part(part, self.texts[part.key])
            parts[part.key] = entries
            problems += [(i, p) for p in found]
        return parts, problems

    def _drafts(self) -> Drafts:
        """The parts with a line that will not do yet, as typed: kept beside the plan."""
        return {
            part.key: self.texts[part.key]
            for part in PARTS
            if part.contacts and parse_part(part, self.texts[part.key])[1]
        }

    def _refresh_view(self) -> None:
        parts, _problems = self._parts()
        self.query_one("#safety-view", Static).update(safety_view(parts, self.name_shown))

    @on(TextArea.Changed, ".safety-entries")
    def _typed(self, event: TextArea.Changed) -> None:
        key = (event.text_area.id or "").removeprefix("safety-entries-")
        text = event.text_area.text
        if key not in PART_BY_KEY or text == self.texts[key]:
            return
        self.texts[key] = text
        if key == self.part.key:
            self._show_problem("")
        self._refresh_view()
        self._schedule_save()

    def _show_problem(self, text: str) -> None:
        problem = self.query_one("#safety-problem", Static)
        problem.update(safe_text(f"⚠ {text}" if text else ""))
        problem.display = bool(text)

    def action_part(self, delta: int) -> None:
        new = max(0, min(len(PARTS) - 1, self.index + delta))
        if new != self.index:
            self.index = new
            self._show_part()

    # ------------------------------------------------------------------ saving

    def _schedule_save(self) -> None:
        self.state = "editing…"
        self._show_title()
        if self._timer is None:
            self._timer = self.set_timer(SAVE_DELAY_S, self._autosave)

    def _autosave(self) -> None:
        self._timer = None
        if self._saving is None or self._saving.done():
            self._saving = asyncio.create_task(self._save_dirty())
        else:  # a save is under way: the next one follows it
            self._timer = self.set_timer(SAVE_DELAY_S, self._autosave)

    async def _save_dirty(self) -> bool:
        """Save what changed since the last save (valid entries in the plan, unfinished lines
        as drafts); True when everything written is saved."""
        from tplan_tui.store import StoreError

        self._catch_up()
        if not self.dirty:
            return True
        texts, drafts = dict(self.texts), self._drafts()
        parts, _problems = self._parts()
        self.state = "saving…"
        self._show_title()
        try:
            await self.host.commit(safety_change(parts, self.today), drafts)
        except (StoreError, OSError, ValueError) as exc:
            self.state = "NOT SAVED"
            if self.is_mounted:
                self._show_title()
                self._show_problem(f"Not saved: {exc}")
            return False
        if not self.edited:
            self.edited = True
            self.tplan.audit("edit", self.plan_id)  # one "edit" a visit, not one a save
        self.saved_texts, self.saved_drafts = texts, drafts
        self.state = "saved" if not self.dirty else "editing…"
        if self.is_mounted:
            self._show_title()
        return not self.dirty

    async def _flush(self) -> bool:
        """Save now whatever is not saved yet, waiting for a save under way."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._saving is not None and not self._saving.done():
            await asyncio.wait_for(asyncio.shield(self._saving), LEAVE_WAIT_S)
        return await asyncio.wait_for(self._save_dirty(), LEAVE_WAIT_S)

    def _catch_up(self) -> None:
        """Take what every editor shows now, whether or not its message has arrived: Esc or
        Ctrl+S right after typing keep the last characters."""
        if not self.is_mounted:
            return
        for part in PARTS:
            try:
                self.texts[part.key] = self.area(part).text
            except NoMatches:
                return

    async def action_save(self) -> None:
        if self._leaving:
            return
        self._catch_up()
        _parts, problems = self._parts()
        if problems:
            self.index = problems[0][0]
            self._show_part()
            self._show_problem(problems[0][1] + " (kept as a draft until then)")
            return
        await self._leave(
            "Safety plan saved. Ctrl+A then P shows the client's page, to save and print."
        )

    async def action_leave(self) -> None:
        if self._leaving:
            return
        self._catch_up()
        drafts = self._drafts()
        said = ""
        if drafts:
            headings = ", ".join(PART_BY_KEY[k].heading for k in drafts)
            said = f"Kept as a draft, to finish next time: {headings}."
        elif self.edited or self.dirty:
            said = "Safety plan saved."
        await self._leave(said)

    async def _leave(self, said: str) -> None:
        self._leaving = True
        try:
            saved = await self._flush()
        except TimeoutError:
            saved = False
        if not saved:
            # Nothing typed is dropped: stay, with the reason on screen.
            self._leaving = False
            self.notify("Not saved yet: Esc tries again.", severity="error", timeout=10)
            return
        if said:
            self.notify(said, timeout=8)
        self.dismiss(self.plan_id if self.edited else None)

    def on_unmount(self) -> None:
        # The app is closing with the screen open: what was typed is still handed to the store.
        self._catch_up()
        if self._leaving or not self.dirty:
            return
        parts, _problems = self._parts()
        self.host.commit_soon(safety_change(parts, self.today), self._drafts())


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

    def __init__(self, host: SafetyHost, client: str, today: date):
        super().__init__()
        self.host = host
        self.plan_id = host.plan_id
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
        """Saved through the host (the store's owner thread, or the open plan screen's
        autosave); the event loop only waits for it."""
        from tplan_tui.store import StoreError

        def change(plan: m.Plan) -> None:
            plan.safety.assessments.append(assessment)
            plan.safety.assessments.sort(key=lambda a: a.date)

        try:
            fresh = await self.host.commit(change)
        except (StoreError, OSError, ValueError) as exc:
            self._failed(f"could not save: {exc}")
        else:
            self._saved(fresh)

    def _failed(self, text: str) -> None:
        self.saving = False
        self._problem(f"Not saved: {text}")

    def _saved(self, fresh: list[Reason]) -> None:
        self.saving = False
        app, plan_id, host = self.tplan, self.plan_id, self.host
        app.audit("edit", plan_id)
        self.notify("Risk assessment saved.", timeout=6)
        self.dismiss(plan_id)
        if fresh:  # what this save raised is said at once, with the same keys
            app.call_later(open_attention, app, plan_id, just_now=fresh, host=host)


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
    app: TplanApp,
    plan_id: str,
    *,
    just_now: list[Reason] | None = None,
    host: SafetyHost | None = None,
) -> None:
    """The attention dialog for a plan, then what was picked. ``just_now``: the reasons a save
    just raised (said as such); otherwise every open reason. The store is read on its owner
    thread; ``host``: where the plan is read and saved (by default the store itself)."""
    from tplan_tui.core.attention import open_reasons
    from tplan_tui.store import StoreError

    where = host or StoreHost(app, plan_id)
    now = await where.current()
    if now is None:
        return
    plan = now[0]
    reasons = just_now
    if reasons is None:
        try:
            addressed = await app.store_worker.run(lambda store: store.addressed(plan_id))
        except StoreError as exc:
            app.notify(str(exc), severity="error", timeout=15)
            return
        reasons = open_reasons(plan, addressed)
    shown = reasons

    async def picked(what: str | None) -> None:
        await answer(app, plan_id, what, shown, host=where)

    await app.push_screen(
        AttentionScreen(plan.client.name, reasons, just_now=just_now is not None), picked
    )


async def answer(
    app: TplanApp,
    plan_id: str,
    what: str | None,
    shown: Sequence[Reason] = (),
    *,
    host: SafetyHost | None = None,
) -> None:
    """Open what was picked in the attention dialog: the safety plan, a risk assessment, the
    client's safety plan page, or the note that marks the alerts addressed (those ``shown``)."""
    where = host or StoreHost(app, plan_id)
    if what == "safety":
        await open_safety_plan(app, where)
    elif what == "risk":
        await open_risk(app, where)
    elif what == "addressed":
        await ask_addressed(app, where, shown)
    elif what == "page":
        now = await where.current()
        if now is None:
            return
        app.audit("open", plan_id)  # reading a client's document is an access like any other
        await app.push_screen(SafetyPlanPage(now[0], app.today, plan_id=plan_id))


async def open_safety_plan(app: TplanApp, host: SafetyHost) -> None:
    """The client's safety plan, one part at a time, saved through ``host``."""
    now = await host.current()
    if now is None:
        return
    plan, drafts = now
    await app.push_screen(
        SafetyPlanScreen(host, plan, app.today, drafts), lambda _result: host.closed()
    )


async def open_risk(app: TplanApp, host: SafetyHost) -> None:
    """A quick risk assessment, saved through ``host``."""
    now = await host.current()
    if now is None:
        return
    await app.push_screen(
        RiskScreen(host, now[0].client.name, app.today), lambda _result: host.closed()
    )


async def ask_addressed(app: TplanApp, host: SafetyHost, shown: Sequence[Reason]) -> None:
    """Ask what was done; keep it, dated today, beside the plan (the audit log says only that).
    It answers the reasons ``shown``: one raised meanwhile (another terminal) stays open.
    Written on the store's owner thread."""
    from tplan_tui.store import StoreError
    from tplan_tui.tui.screens.modals import AskText

    today, plan_id = app.today, host.plan_id
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
        host.closed()

    await app.push_screen(
        AskText(
            f"What was done? (dated {today.isoformat()})",
            placeholder="e.g. went over the safety plan",
        ),
        answered,
    )
