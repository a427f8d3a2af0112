"""The idle lock and the client view: what a shared terminal shows when the clinician is away.

The lock screen holds no client data at all. The client view shows one client their own summary
and nothing else; leaving it needs the clinician (the store's passphrase when it is encrypted,
otherwise a code shown only to the clinician before the hand-over).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Label, Static

from tplan_tui.core.model import Plan
from tplan_tui.store import Store
from tplan_tui.tui.safe import SafeInput
from tplan_tui.tui.screens.appscreen import TplanModal, TplanScreen, tplan_app
from tplan_tui.tui.screens.summary_view import ReadingScreen
from tplan_tui.tui.storeworker import StoreWorker


class Unlocker:
    """Checks what is typed to unlock: the passphrase of an encrypted store, or a code."""

    def __init__(self, owner: StoreWorker, code: str | None = None):
        self.owner = owner
        self.code = code

    @property
    def wants_passphrase(self) -> bool:
        return self.owner.encrypted

    async def check(self, typed: str) -> bool:
        """True when ``typed`` unlocks. A passphrase is slow to check (scrypt): it is a job on
        the store's owner thread, and the event loop runs on meanwhile."""
        if self.wants_passphrase:
            from tplan_tui.store import AccessRefused

            def unlock(store: Store) -> bool:
                # Checked against the key on disk now, so that after a passphrase change in
                # another session the new one unlocks (and the store takes the new key).
                # A wrong one is recorded in the audit log by the store itself.
                try:
                    store.unlock(typed)
                except AccessRefused:
                    return False
                return True

            return await self.owner.run(unlock)
        if self.code is None:
            return True
        return typed.replace(" ", "") == self.code


class _UnlockForm(Vertical):
    """The prompt shared by the lock screen and the way out of the client view: checks what is
    typed in a thread (scrypt is slow on purpose) and hands the verdict to ``on_result``."""

    def __init__(
        self,
        unlocker: Unlocker,
        title: str,
        ask: str,
        on_result: Callable[[bool], None],
        wrong: str,
    ):
        super().__init__(classes="unlock-form")
        self.unlocker = unlocker
        self.title_text = title
        self.ask = ask
        self.on_result = on_result
        self.wrong = wrong

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, classes="dialog-title")
        yield Static(self.ask)
        yield SafeInput(
            password=self.unlocker.wants_passphrase, id="unlock-input", select_on_focus=False
        )
        yield Static("", id="unlock-error", classes="unlock-error")

    def on_mount(self) -> None:
        self.query_one("#unlock-input").focus()

    @on(Input.Submitted, "#unlock-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#unlock-error", Static).update("Checking…")
        self._check(event.value)

    @work(exclusive=True, group="unlock")
    async def _check(self, typed: str) -> None:
        self._checked(await self.unlocker.check(typed))

    def _checked(self, ok: bool) -> None:
        if not ok:
            tplan_app(self).failed_unlock()
            self.query_one("#unlock-error", Static).update(self.wrong)
            self.query_one("#unlock-input", Input).value = ""
        self.on_result(ok)


class LockScreen(TplanScreen[None]):
    """Everything hidden; Enter (or the passphrase, for an encrypted store) unlocks."""

    BINDINGS = [Binding("escape", "noop", show=False)]

    def __init__(self, unlocker: Unlocker):
        super().__init__()
        self.unlocker = unlocker

    def compose(self) -> ComposeResult:
        ask = (
            "Type the store's passphrase and press Enter to unlock."
            if self.unlocker.wants_passphrase
            else "Press Enter to unlock."
        )
        with Center(id="lock-center"):
            yield _UnlockForm(
                self.unlocker,
                "tplan is locked",
                "The plans are hidden. " + ask,
                self._result,
                "Wrong passphrase. Try again.",
            )

    def action_noop(self) -> None:
        pass

    def _result(self, ok: bool) -> None:
        if ok:
            self.tplan.unlocked()


class HandOver(TplanModal[bool]):
    """Shown to the clinician only, before the keyboard goes to the client: how to come back."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Hand over", id="handover.yes"),
        Binding("escape,n", "answer(False)", "Cancel", id="handover.no"),
    ]

    def __init__(self, unlocker: Unlocker):
        super().__init__()
        self.unlocker = unlocker

    def compose(self) -> ComposeResult:
        if self.unlocker.wants_passphrase:
            back = "To come back, press F2 and type the store's passphrase."
        else:
            spaced = " ".join(self.unlocker.code or "")
            back = f"To come back, press F2 and type this code: {spaced}\n(Remember it: it is not shown again.)"
        with Vertical(classes="dialog"):
            yield Label("Hand the keyboard to the client?", classes="dialog-title")
            yield Static(
                "They will see their own plan in plain words, and nothing else: not the caseload, "
                "not another plan, not your notes.\n\n" + back
            )
            yield Static("Enter  hand over      Esc  cancel", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def new_code() -> str:
    return f"{secrets.randbelow(10_000):04d}"


class ClientView(ReadingScreen):
    """The client reads their own plan, large and calm; only the clinician can leave."""

    BINDINGS = [
        Binding(
            "f2",
            "leave",
            "Clinician",
            id="clientview.leave",
            tooltip="For the clinician: leave the client view (code or passphrase).",
        ),
        Binding("escape", "noop", show=False),
    ]

    def __init__(self, plan: Plan, today: date, unlocker: Unlocker, plan_id: str | None = None):
        super().__init__(plan, today, plan_id)
        self.unlocker = unlocker

    def action_noop(self) -> None:
        pass

    async def action_leave(self) -> None:
        await self.app.push_screen(LeaveClientView(self.unlocker), self._left)

    def _left(self, ok: bool | None) -> None:
        if ok:
            tplan_app(self).left_client_view()


class LeaveClientView(TplanModal[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="leave.cancel")]

    def __init__(self, unlocker: Unlocker):
        super().__init__()
        self.unlocker = unlocker

    def compose(self) -> ComposeResult:
        ask = (
            "The store's passphrase:"
            if self.unlocker.wants_passphrase
            else "The code you were shown:"
        )
        what = "passphrase" if self.unlocker.wants_passphrase else "code"
        with Vertical(classes="dialog"):
            yield _UnlockForm(
                self.unlocker,
                "Clinician: leave the client view",
                ask,
                self._result,
                f"That is not the {what}.",
            )
            yield Static("Enter to go on · Esc to stay in the client view", classes="hint")

    def _result(self, ok: bool) -> None:
        if ok:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
