"""Consents (releases of information): add, expire and revoke them, and share a copy of the plan
under one that is current. In family therapy every family member signs their own consent.

Sharing goes through ``tplan_tui.core.sharing``, the same gate as ``tplan export --consent N``: only a
consent that is signed, already in force, not expired and not revoked is offered; what is shared
follows it (summary → the client summary, full plan → the clinical record or the plan file); the
copy names the consent and is written 0600 to a file the user names.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tplan_tui.core import model as m
from tplan_tui.core.editing import parse_value
from tplan_tui.core.sharing import (
    ReleaseRefused,
    check_release,
    consent_line,
    family_without_consent,
    format_for,
    released_copy,
    suggested_name,
)
from tplan_tui.paths import write_private_file
from tplan_tui.store import ConflictError, Store, StoredPlan, StoreError
from tplan_tui.tui.safe import SafeInput, safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen
from tplan_tui.tui.screens.modals import Choose, Confirm
from tplan_tui.tui.storeworker import StoreWorker
from tplan_tui.tui.widgets.keychoice import Choice, KeyChoice

if TYPE_CHECKING:
    from tplan_tui.tui.app import TplanApp

SHARES = [Choice("summary", "summary", "s"), Choice("full plan", "full plan", "f")]
# Whether the law lets this minor consent alone (the clinician's call, recorded with the consent).
MINOR_ALONE = [
    Choice("no", "no: a guardian signs", "n"),
    Choice("yes", "yes, the law allows it", "y"),
]


class AskLine(ModalScreen[str | None]):
    """One line of text, checked before the dialog closes: ``check`` returns a problem or None."""

    AUTO_FOCUS = "#askline"

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="askline.cancel", tooltip="Close; nothing is done."
        )
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        text: str = "",
        check: Callable[[str], str | None] | None = None,
    ):
        super().__init__()
        self.title_text = title
        self.value = value
        self.text = text
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Titles and texts quote the consent's recipient: text, never markup.
            yield Label(safe_text(self.title_text), classes="dialog-title")
            if self.text:
                yield Static(safe_text(self.text))
            yield SafeInput(self.value, id="askline", select_on_focus=False)
            yield Static("", id="askline-error")
            yield Static("Enter to go on · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        problem = self.check(value) if self.check else (None if value else "type something first")
        if problem:
            self.query_one("#askline-error", Static).update(safe_text(f"⚠ {problem}"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def date_problem(raw: str, *, required: bool) -> str | None:
    value, problem = parse_value("date", raw)
    if problem:
        return f"the date {problem}"
    if value is None and required:
        return "a date is needed (YYYY-MM-DD)"
    return None


class ConsentForm(ModalScreen[m.Consent | None]):
    """Add or change one consent. Tab or Enter moves on; Ctrl+S keeps it; Esc cancels."""

    AUTO_FOCUS = "#consent-to"

    BINDINGS = [
        Binding(
            "ctrl+s",
            "keep",
            "Keep",
            id="consent.keep",
            priority=True,
            tooltip="Keep this consent on file.",
        ),
        Binding(
            "escape", "cancel", "Cancel", id="consent.cancel", tooltip="Close; nothing changes."
        ),
    ]
    FIELDS = (
        ("to", "To", "who may receive it, e.g. Dr. Lin (family doctor)"),
        ("signed_by", "Signed by", "the client; for a minor, the guardian"),
        ("purpose", "Purpose", "why, e.g. to coordinate care"),
        ("expires_when", "Ends when", "an event, e.g. end of treatment (or a date below)"),
        ("signed_on", "Signed on", "YYYY-MM-DD"),
        ("expires_on", "Ends on", "YYYY-MM-DD: the last day (or an event above)"),
        ("revoked_on", "Revoked on", "YYYY-MM-DD, only if it was withdrawn"),
    )
    TEXT_FIELDS = 4  # the first four are text; the rest are dates

    def __init__(self, consent: m.Consent, title: str, signers: list[str]):
        super().__init__()
        self.consent = consent
        self.title_text = title
        self.signers = signers

    def compose(self) -> ComposeResult:
        c = self.consent
        with Vertical(classes="dialog consent-form"):
            yield Label(safe_text(self.title_text), classes="dialog-title")
            yield Static(
                "In family therapy each family member signs their own consent.", classes="hint"
            )
            for key, label, hint in self.FIELDS[: self.TEXT_FIELDS]:
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield SafeInput(
                        getattr(c, key) or "",
                        placeholder=hint,
                        id=f"consent-{key}",
                        compact=True,
                        select_on_focus=False,
                        classes="field-editor",
                    )
            with Horizontal(classes="field-row"):
                yield Label("Shares", classes="field-label")
                yield KeyChoice(SHARES, c.shares, id="consent-shares", classes="field-editor")
            with Horizontal(classes="field-row"):
                yield Label("Minor alone", classes="field-label")
                yield KeyChoice(
                    MINOR_ALONE,
                    "yes" if c.minor_may_consent else "no",
                    id="consent-minor",
                    classes="field-editor",
                )
            for key, label, hint in self.FIELDS[self.TEXT_FIELDS :]:
                value = getattr(c, key)
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield SafeInput(
                        value.isoformat() if value else "",
                        placeholder=hint,
                        id=f"consent-{key}",
                        compact=True,
                        select_on_focus=False,
                        classes="field-editor",
                    )
            yield Static("", id="consent-error")
            yield Static("Tab or Enter next · Ctrl+S keep · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#consent-signed_by", Input).suggester = SuggestFromList(
            self.signers, case_sensitive=False
        )

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_keep(self) -> None:
        values = {
            key: self.query_one(f"#consent-{key}", Input).value.strip() for key, *_ in self.FIELDS
        }
        problems = []
        if not values["to"]:
            problems.append("To: say who may receive the information")
        if not values["signed_by"]:
            problems.append("Signed by: the person who signs it")
        dates = {}
        for key, label, _hint in self.FIELDS[self.TEXT_FIELDS :]:
            problem = date_problem(values[key], required=key == "signed_on")
            if problem:
                problems.append(f"{label}: {problem}")
            else:
                dates[key] = parse_value("date", values[key])[0]
        if not problems and dates.get("expires_on") and dates["expires_on"] < dates["signed_on"]:
            problems.append("Ends on: it cannot end before it was signed")
        if not problems and not dates.get("expires_on") and not values["expires_when"]:
            problems.append("Ends on or Ends when: a release must say when it ends")
        if problems:
            self.query_one("#consent-error", Static).update(safe_text("⚠ " + "; ".join(problems)))
            return
        shares = self.query_one("#consent-shares", KeyChoice).value or "summary"
        self.dismiss(
            m.Consent(
                to=values["to"],
                shares=shares,
                signed_by=values["signed_by"],
                purpose=values["purpose"] or None,
                expires_when=values["expires_when"] or None,
                minor_may_consent=self.query_one("#consent-minor", KeyChoice).value == "yes",
                extra=dict(self.consent.extra),
                **dates,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConsentsScreen(TplanScreen[str | None]):
    AUTO_FOCUS = "#consents-list"
    BINDINGS = [
        Binding(
            "ctrl+n,a",
            "add",
            "Add",
            id="consents.add",
            tooltip="Add a consent (one per person: each family member signs their own).",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="consents.edit",
            tooltip="Change the highlighted consent (a typo, its end date).",
        ),
        Binding(
            "x",
            "expire",
            "Expire",
            id="consents.expire",
            tooltip="Set the last day the highlighted consent allows sharing.",
        ),
        Binding(
            "r",
            "revoke",
            "Revoke",
            id="consents.revoke",
            tooltip="The person withdrew the highlighted consent: from today it allows nothing.",
        ),
        Binding(
            "s",
            "share",
            "Share",
            id="consents.share",
            tooltip="Write a copy under the highlighted consent, if it is current.",
        ),
        Binding("escape", "back", "Back", id="consents.back", tooltip="Back to where you were."),
    ]
    DEFAULT_CSS = """
    #consents-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #consents-list { height: auto; max-height: 12; margin: 0 1; }
    #consents-detail { height: auto; padding: 0 1; }
    .consent-form Input { width: 1fr; }
    #consent-error { height: auto; color: $text-error; }
    #askline-error { height: auto; color: $text-error; }
    """

    def __init__(self, owner: StoreWorker, stored: StoredPlan, today: date):
        super().__init__()
        self.owner = owner  # the store's owner thread: each change is a job there
        self.stored = stored
        self.plan_id = stored.plan_id
        self.today = today

    @property
    def plan(self) -> m.Plan:
        return self.stored.plan

    def compose(self) -> ComposeResult:
        yield Static("", id="consents-title")
        yield OptionList(id="consents-list")
        yield Static("", id="consents-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self, highlight: int | None = None) -> None:
        plan = self.plan
        current = len(plan.current_consents(self.today))
        self.query_one("#consents-title", Static).update(
            safe_text(
                f"Consents · {plan.client.name or '(no name)'} · {len(plan.consents)} on file, "
                f"{current} current"
            )
        )
        options = self.query_one(OptionList)
        options.clear_options()
        for n in range(1, len(plan.consents) + 1):
            options.add_option(Option(safe_text(consent_line(plan, n, self.today)), id=str(n)))
        if plan.consents:
            options.highlighted = min(
                highlight if highlight is not None else 0, len(plan.consents) - 1
            )
        self._show_detail()

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        text = Text()
        if not self.plan.consents:
            text.append(
                "No consent on file. Ctrl+N (or A) adds one: who may receive what, "
                "signed by whom.\n"
            )
        missing = family_without_consent(self.plan)
        if missing:
            text.append(
                "No consent of their own on file from: "
                + ", ".join(missing)
                + " (family member). Each family member signs their own.\n"
            )
        text.append(
            "Sharing with anyone but the client needs a current consent: signed, "
            "in force, not expired, not revoked.",
            style="italic",
        )
        self.query_one("#consents-detail", Static).update(safe_text(text))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def highlighted(self) -> int | None:
        """The 1-based number of the highlighted consent, or None."""
        index = self.query_one(OptionList).highlighted
        return None if index is None or not self.plan.consents else index + 1

    def signers(self) -> list[str]:
        names = [self.plan.client.name]
        if self.plan.client.guardian:
            names.append(self.plan.client.guardian.name)
        names += [s.name for s in self.plan.signatures if s.role == "family member"]
        return sorted({n for n in names if n and n.strip()})

    # ------------------------------------------------------------------ changes

    def action_add(self) -> None:
        blank = m.Consent(signed_on=self.today)

        def kept(consent: m.Consent | None) -> None:
            if consent is not None:
                self._change(
                    lambda plan: plan.consents.append(consent),
                    f"Consent to {consent.to} added.",
                    focus=len(self.plan.consents),
                )

        self.tplan.push_screen(ConsentForm(blank, "Add a consent", self.signers()), kept)

    def action_edit(self) -> None:
        n = self.highlighted()
        if n is None:
            self.notify("No consent to change: Ctrl+N (or A) adds one.", timeout=4)
            return

        def kept(consent: m.Consent | None) -> None:
            if consent is not None:

                def edit(plan: m.Plan) -> None:
                    plan.consents[n - 1] = consent

                self._change(edit, f"Consent {n} changed.", focus=n - 1)

        self.tplan.push_screen(
            ConsentForm(self.plan.consents[n - 1], f"Consent {n}", self.signers()), kept
        )

    def action_expire(self) -> None:
        n = self.highlighted()
        if n is None:
            return

        def chosen(raw: str | None) -> None:
            if raw is None:
                return
            day = parse_value("date", raw)[0]

            def expire(plan: m.Plan) -> None:
                plan.consents[n - 1].expires_on = day

            self._change(expire, f"Consent {n} ends on {day.isoformat()}.", focus=n - 1)

        consent = self.plan.consents[n - 1]
        self.tplan.push_screen(
            AskLine(
                f"Consent {n}: the last day it allows sharing",
                (consent.expires_on or self.today).isoformat(),
                text="From the day after, nothing can be shared under it.",
                check=lambda v: date_problem(v, required=True),
            ),
            chosen,
        )

    def action_revoke(self) -> None:
        n = self.highlighted()
        if n is None:
            return
        consent = self.plan.consents[n - 1]
        if consent.revoked_on is not None:
            self.notify(
                f"Consent {n} was revoked on {consent.revoked_on.isoformat()} already.", timeout=4
            )
            return

        def answer(yes: bool | None) -> None:
            if yes:

                def revoke(plan: m.Plan) -> None:
                    plan.consents[n - 1].revoked_on = self.today

                self._change(
                    revoke,
                    f"Consent {n} revoked today: nothing more is shared under it.",
                    focus=n - 1,
                )

        self.tplan.push_screen(
            Confirm(
                f"Revoke consent {n} (to {consent.to}) as of today? "
                "Nothing more can be shared under it."
            ),
            answer,
        )

    @work(exclusive=True, group="consents-save")
    async def _change(
        self, change: Callable[[m.Plan], None], message: str, focus: int | None = None
    ) -> None:
        first = self.stored

        def save(store: Store) -> tuple[StoredPlan, str]:
            # On the store's owner thread.
            plan = copy.deepcopy(first.plan)
            change(plan)
            try:
                return store.save(self.plan_id, plan, base_revision=first.revision), message
            except ConflictError:
                # Changed in another terminal: make the same one change to the newest copy.
                newest = store.load(self.plan_id)
                plan = copy.deepcopy(newest.plan)
                change(plan)
                saved = store.save(self.plan_id, plan, base_revision=newest.revision)
                return (
                    saved,
                    message + " (The plan had changed in another terminal; theirs is kept too.)",
                )

        try:
            saved, said = await self.owner.run(save)
        except (StoreError, IndexError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            return
        self._changed(saved, said, focus)

    def _changed(self, saved: StoredPlan, message: str, focus: int | None) -> None:
        self.stored = saved
        self.tplan.audit("edit", self.plan_id)
        self.refresh_list(focus)
        self.notify(message, timeout=6)

    # ------------------------------------------------------------------ sharing

    def action_share(self) -> None:
        n = self.highlighted()
        if n is None:
            self.notify(
                "No consent on file: nothing can be shared with anyone but the client.", timeout=5
            )
            return
        problem = self.plan.consent_problem(self.plan.consents[n - 1], self.today)
        if problem:
            self.notify(
                f"Consent {n} does not allow sharing: {problem}.", severity="warning", timeout=6
            )
            return
        ask_share_file(self.tplan, self.plan, self.plan_id, n, self.today)

    def action_back(self) -> None:
        self.dismiss(self.plan_id)


def share_choices(app: TplanApp, plan: m.Plan, plan_id: str, today: date) -> None:
    """ "Share…": offer only the consents current today; then ask for the file."""
    current = plan.current_consents(today)
    if not current:
        on_file = len(plan.consents)
        app.notify(
            f"No current consent on file for {plan.client.name or 'this plan'} "
            f"({on_file} on file, none current): nothing can be shared with anyone but the "
            "client. Add one under Consents (Ctrl+P).",
            severity="warning",
            timeout=8,
        )
        return
    choices = [(str(n), consent_line(plan, n, today)) for n, _c in current]

    def chosen(key: str | None) -> None:
        if key is not None:
            ask_share_file(app, plan, plan_id, int(key), today)

    app.push_screen(
        Choose(
            "Share under which consent?",
            choices,
            text="Only consents that are current today are listed.",
        ),
        chosen,
    )


def ask_share_file(app: TplanApp, plan: m.Plan, plan_id: str, number: int, today: date) -> None:
    consent = plan.consents[number - 1]
    what = (
        "the client summary"
        if consent.shares == "summary"
        else "the clinical record (or the plan file: .yaml)"
    )

    def check(raw: str) -> str | None:
        if not raw:
            return "name the file to write"
        path = Path(raw).expanduser()
        fmt = format_for(path)
        if fmt is None:
            return "end the name with .txt, .md or .html" + (
                "" if consent.shares == "summary" else " (or .yaml)"
            )
        if path.is_dir():
            return f"{path} is a folder; name a file"
        try:
            check_release(plan, number, fmt, today)
        except ReleaseRefused as exc:
            return str(exc)
        return None

    async def chosen(raw: str | None) -> None:
        if raw is None:
            return
        path = Path(raw).expanduser()
        if path.exists():

            async def answer(yes: bool | None) -> None:
                if yes:
                    await write_share(app, plan, plan_id, number, path, today)

            app.push_screen(Confirm(f"{path} exists. Replace it?"), answer)
        else:
            await write_share(app, plan, plan_id, number, path, today)

    app.push_screen(
        AskLine(
            f"Share under consent {number}: to {consent.to}",
            suggested_name(plan, consent, number),
            text=f"This consent shares {what}. Name the file "
            "(.txt, .md, .html); it is written readable by you only.",
            check=check,
        ),
        chosen,
    )


async def write_share(
    app: TplanApp, plan: m.Plan, plan_id: str, number: int, path: Path, today: date
) -> bool:
    """Write the copy allowed by consent ``number`` to ``path`` (0600, on the store's owner
    thread: the event loop never waits on the disk); tell the user in words."""
    fmt = format_for(path) or "txt"
    try:
        release = check_release(plan, number, fmt, today)
        if fmt == "yaml":
            from tplan_tui.planfile import completeness_errors

            missing = completeness_errors(plan)
            if missing:
                raise ReleaseRefused(
                    f"the plan is not complete enough for a plan file ({missing[0]})"
                )
        data = released_copy(plan, release, today, app.settings.crisis_lines).encode("utf-8")
        await app.store_worker.run(lambda _store: write_private_file(path, data))
    except ReleaseRefused as exc:
        app.notify(f"Not shared: {exc}.", severity="error", timeout=10)
        return False
    except OSError as exc:
        app.notify(
            f"Not shared: could not write {path}: {exc.strerror or exc}",
            severity="error",
            timeout=10,
        )
        return False
    app.audit("share", plan_id)
    app.notify(
        f"Wrote {path.resolve()}: {release.what()} released to {release.consent.to} under consent "
        f"{number} (readable by you only).",
        timeout=10,
    )
    return True
