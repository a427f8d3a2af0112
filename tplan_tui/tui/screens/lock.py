"""The idle lock and the client view: what a shared terminal shows when the clinician is away.

The lock screen holds no client data at all. The client view shows one client their own summary
and nothing else. Both are left only with the store's unlock secret: the passphrase of an
encrypted store, or the PIN/passphrase the clinician set for a plain store (``tplan_tui/unlock``).
Nothing on screen ever shows it. Wrong tries wait longer each time, and are audited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Input, Label, Static

from tplan_tui.core.model import Plan
from tplan_tui.store import Store
from tplan_tui.tui.safe import SafeInput
from tplan_tui.tui.screens.appscreen import TplanModal, TplanScreen, tplan_app
from tplan_tui.tui.screens.summary_view import ReadingScreen
from tplan_tui.unlock import secret_problem

if TYPE_CHECKING:
    from tplan_tui.tui.app import TplanApp


class Unlocker:
    """Checks what is typed to unlock: the passphrase of an encrypted store, or the plain
    store's PIN/passphrase against its hash in the settings."""

    def __init__(self, app: TplanApp):
        self.app = app
        self.owner = app.store_worker

    @property
    def wants_passphrase(self) -> bool:
        return self.owner.encrypted

    @property
    def has_secret(self) -> bool:
        return self.owner.encrypted or self.app.unlock_hash is not None

    @property
    def what(self) -> str:
        return "the store's passphrase" if self.wants_passphrase else "your unlock PIN"

    async def check(self, typed: str) -> bool:
        """True when ``typed`` unlocks. Both checks are slow (scrypt): the event loop runs on."""
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
        stored = self.app.unlock_hash
        if stored is None:  # no secret: nothing typed unlocks (the lock says how to quit)
            return False
        from tplan_tui.unlock import verify_secret

        return await asyncio.to_thread(verify_secret, typed, stored)


class _UnlockForm(Vertical):
    """The prompt shared by the lock screen and the way out of the client view: checks what is
    typed in a thread (scrypt is slow on purpose) and hands the verdict to ``on_result``. After a
    wrong try the next is not even checked until the back-off has passed."""

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
        yield SafeInput(password=True, id="unlock-input", select_on_focus=False)
        yield Static("", id="unlock-error", classes="unlock-error")

    def on_mount(self) -> None:
        self.query_one("#unlock-input").focus()

    def _say(self, text: str) -> None:
        self.query_one("#unlock-error", Static).update(text)

    @on(Input.Submitted, "#unlock-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:  # Enter alone is no try (and never unlocks)
            self._say(f"Type {self.unlocker.what}, then press Enter.")
            return
        wait = tplan_app(self).backoff.wait_left()
        if wait > 0:
            self.query_one("#unlock-input", Input).value = ""
            self._say(f"Too many wrong tries: wait {wait:.0f} s, then try again.")
            return
        self._say("Checking…")
        self._check(event.value)

    @work(exclusive=True, group="unlock")
    async def _check(self, typed: str) -> None:
        self._checked(await self.unlocker.check(typed))

    def _checked(self, ok: bool) -> None:
        app = tplan_app(self)
        if ok:
            app.backoff.succeeded()
        else:
            delay = app.backoff.failed()
            app.failed_unlock()
            self._say(f"{self.wrong} Wait {delay:.0f} s before the next try.")
            self.query_one("#unlock-input", Input).value = ""
        self.on_result(ok)


class LockScreen(TplanScreen[None]):
    """Everything hidden; only the unlock secret opens it. A plain store whose clinician never
    set a PIN (the idle lock came first) cannot be unlocked at all: Ctrl+Q saves and quits."""

    BINDINGS = [Binding("escape", "noop", show=False)]

    def __init__(self, unlocker: Unlocker):
        super().__init__()
        self.unlocker = unlocker

    def compose(self) -> ComposeResult:
        if self.unlocker.has_secret:
            ask = f"Type {self.unlocker.what} and press Enter to unlock."
        else:
            ask = (
                "No unlock PIN was set for this store, so this lock cannot be opened: "
                "Ctrl+Q saves everything and quits. (F12 asks for a PIN the first time.)"
            )
        with Center(id="lock-center"):
            yield _UnlockForm(
                self.unlocker,
                "tplan is locked",
                "The plans are hidden. " + ask,
                self._result,
                "That is not it.",
            )
        yield Footer(show_command_palette=False)

    def action_noop(self) -> None:
        pass

    def _result(self, ok: bool) -> None:
        if ok:
            self.tplan.unlocked()


class SetUnlockSecret(TplanModal[str | None]):
    """The clinician sets (or changes) the plain store's unlock PIN/passphrase: typed twice,
    hidden. Changing it asks for the current one first. Dismisses with the new secret."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="secret.cancel"),
        Binding("enter", "next", "Next", show=False, priority=True, id="secret.next"),
    ]

    def __init__(self, why: str, current: Unlocker | None = None):
        super().__init__()
        self.why = why
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Set an unlock PIN for this store", classes="dialog-title")
            yield Static(
                self.why + " Only you should know it: the lock and the client view open with "
                "it and nothing else. At least 4 characters; digits are fine."
            )
            if self.current is not None:
                yield Label("Current PIN or passphrase")
                yield SafeInput(password=True, id="secret-current")
            yield Label("New PIN or passphrase")
            yield SafeInput(password=True, id="secret-new")
            yield Label("The same again")
            yield SafeInput(password=True, id="secret-again")
            yield Static("", id="secret-error", classes="unlock-error")
            yield Static("Enter  next / set      Esc  cancel", classes="hint")

    def on_mount(self) -> None:
        self.query(SafeInput).first().focus()

    def _say(self, text: str) -> None:
        self.query_one("#secret-error", Static).update(text)

    def action_next(self) -> None:
        """Enter: the next field, or set the PIN from the last. A priority key, so the focus has
        moved before the next key is handed on: "1357 Enter 1357 Enter" typed fast (or pasted)
        fills both fields."""
        focused = self.focused
        if not (isinstance(focused, Input) and focused.id == "secret-again"):
            self.focus_next()
            return
        # Checked once the keys typed before this Enter have reached the fields (each field
        # handles its keys in its own queue, after this priority key).
        self.call_after_refresh(self._check_new)

    def _check_new(self) -> None:
        new = self.query_one("#secret-new", Input).value
        problem = secret_problem(new)
        if problem:
            self._say(f"The new PIN: {problem}.")
            self.query_one("#secret-new").focus()
            return
        if new != self.query_one("#secret-again", Input).value:
            self._say("The two do not match: type the new one again.")
            self.query_one("#secret-again", Input).value = ""
            return
        self._finish(new)

    @work(exclusive=True, group="secret")
    async def _finish(self, new: str) -> None:
        if self.current is not None:
            app = self.tplan
            wait = app.backoff.wait_left()
            if wait > 0:
                self._say(f"Too many wrong tries: wait {wait:.0f} s, then try again.")
                return
            typed = self.query_one("#secret-current", Input).value
            if not await self.current.check(typed):
                delay = app.backoff.failed()
                app.failed_unlock()
                self._say(f"The current PIN is not right. Wait {delay:.0f} s before the next try.")
                self.query_one("#secret-current", Input).value = ""
                self.query_one("#secret-current").focus()
                return
            app.backoff.succeeded()
        self.dismiss(new)

    def action_cancel(self) -> None:
        self.dismiss(None)


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
        back = f"To come back, press F2 and type {self.unlocker.what}."
        with Vertical(classes="dialog"):
            yield Label("Hand the keyboard to the client?", classes="dialog-title")
            yield Static(
                "They will see their own plan in plain words, and nothing else: not the caseload, "
                "not another plan, not your notes.\n\n" + back
            )
            yield Static("Enter  hand over      Esc  cancel", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ClientView(ReadingScreen):
    """The client reads their own plan, large and calm; only the clinician can leave."""

    BINDINGS = [
        Binding(
            "f2",
            "leave",
            "Clinician",
            id="clientview.leave",
            tooltip="For the clinician: leave the client view (the unlock PIN or passphrase).",
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
            else "Your unlock PIN or passphrase:"
        )
        with Vertical(classes="dialog"):
            yield _UnlockForm(
                self.unlocker,
                "Clinician: leave the client view",
                ask,
                self._result,
                "That is not it.",
            )
            yield Static("Enter to go on · Esc to stay in the client view", classes="hint")

    def _result(self, ok: bool) -> None:
        if ok:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
