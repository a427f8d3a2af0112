"""The Textual app: one factory (``make_app``), the global keys, themes, and moving between screens.

Start-up is kept light: only the caseload is built before the first frame; the plan screen and
its steps are imported when a plan is opened.
"""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from tplan_tui.settings import Settings
from tplan_tui.store import Store, StoredPlan
from tplan_tui.tui.focus_marks import update_focus_marks
from tplan_tui.tui.idle_gc import CHECK_S as IDLE_GC_CHECK_S
from tplan_tui.tui.idle_gc import IdleCollector
from tplan_tui.tui.safe import clean
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.storeworker import StoreWorker, wait_for
from tplan_tui.unlock import Backoff, store_key

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.widget import Widget

    from tplan_tui.core.model import Plan
    from tplan_tui.tui.screens.plan import PlanScreen
    from tplan_tui.tui.screens.plan_tools import PlanTools

QUIT_WAIT_S = 10.0  # Ctrl+Q waits this long for the last saves, then says so
STARTUP_GC_S = 3.0  # the cycle collector is on again by then, even if the caseload never drew


def _commands_provider():
    # Textual accepts a callable here and calls it when the palette opens: the palette's
    # imports stay off the start-up path.
    from tplan_tui.tui.commands import TplanCommands

    return TplanCommands


def _starts_an_item(event: events.Key, focused: Any) -> bool:
    """``event`` is a visible character typed on an add button of the plan's steps."""
    character = event.character
    return (
        character is not None
        and character.isprintable()
        and not character.isspace()
        and focused.has_class("add-button")
    )


class TplanApp(App[int]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_commands_provider}
    TITLE = "tplan"
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="Save everything and quit. Nothing typed is lost.",
        ),
        Binding("f1", "help", "Keys", id="app.help", tooltip="Show every key with what it does."),
        # Tab is a priority binding so that the focus moves before the next key is handed on:
        # text typed (or pasted, or arriving in one packet over SSH) right after Tab lands in the
        # next field, not in the one being left.
        Binding(
            "tab",
            "next_field",
            "Next field",
            show=False,
            priority=True,
            id="app.tab",
            tooltip="Move to the next field, list or button.",
        ),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            show=False,
            priority=True,
            id="app.shift_tab",
            tooltip="Move back to the previous field.",
        ),
        Binding(
            "f12",
            "lock",
            "Lock",
            show=False,
            id="app.lock",
            tooltip="Lock now: hide every plan until unlocked (also after the idle time).",
        ),
    ]
    IDLE_CHECK_S = 5.0

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        today: date | None = None,
        theme: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        cursor_blink: bool | None = None,
    ):
        super().__init__()
        # The one owner of the store: every store call of the app is a job on its thread.
        self.store_worker = StoreWorker(store)
        self.clock = clock  # injected by tests of the idle lock
        self.last_activity = clock()
        # The widgets keys were handed to since the plan's lists last changed: their keys may
        # still be queued there (PlanScreen._let_typing_land waits for them).
        self.typed_into: weakref.WeakSet[Widget] = weakref.WeakSet()
        self.idle_collector = IdleCollector()
        self.locked = False
        self.in_client_view = False
        self.backoff = Backoff(clock)  # wrong unlock tries, shared by the lock and client view
        self._quit_anyway = False  # a second Ctrl+Q while saves are stuck quits regardless
        self.settings = settings or Settings()
        # None: as the settings say. Tests pass False: a blink caught half-way changes a snapshot.
        self.cursor_blink = self.settings.cursor_blink if cursor_blink is None else cursor_blink
        self.fixed_today = today
        self.wanted_theme = theme
        self.startup_problems: list[str] = []
        self._crashed = False
        self._other_themes_later = False
        self._theme_problems = self._choose_theme()

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    def _choose_theme(self) -> list[str]:
        # Before the app starts: a theme set later makes Textual restyle every widget again.
        from tplan_tui.themes import pick_theme
        from tplan_tui.tui.themes import register_start_theme, register_themes

        wanted = self.wanted_theme or self.settings.theme
        # Usually only the theme wanted is read before the first frame; the others (and what
        # is wrong with their files) follow the first rows (first_rows_shown).
        problems: list[str] = []
        self._other_themes_later = register_start_theme(self, wanted)
        if not self._other_themes_later:
            problems = register_themes(self)
        name, problem = pick_theme(wanted, list(self.available_themes))
        self._start_with_theme(name)
        return problems + ([problem] if problem else [])

    def _start_with_theme(self, name: str) -> None:
        """Make ``name`` the theme of an app not yet running, as Textual's theme watcher would,
        less the restyle it queues: that parsed all the CSS a second time at start-up (~7 ms of
        ~250). The stylesheet takes the theme's variables before its first parse instead."""
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        for cls in [c for c in self.classes if c.startswith("-theme-")]:
            self.remove_class(cls, update=False)
        self.add_class(f"-theme-{theme.name}", update=False)
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def get_default_screen(self) -> CaseloadScreen:
        # The caseload is the first screen itself, not pushed over Textual's blank default one:
        # a screen fewer (with its toasts and tooltip) to build and style before the first rows.
        return CaseloadScreen(self.store_worker, self.today)

    def on_mount(self) -> None:
        for problem in self._theme_problems + self.startup_problems:
            self.notify(problem, severity="warning", timeout=12)
        self.set_interval(self.IDLE_CHECK_S, self.check_idle_lock)
        self.idle_collector.start()
        self.set_interval(IDLE_GC_CHECK_S, self.idle_collector.check)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.set_timer(STARTUP_GC_S, self.first_rows_shown)  # whatever the caseload does

    def first_rows_shown(self) -> None:
        """The caseload's first rows are drawn (or could not be read): start-up is over, so
        Python's cycle collector, off while the app started (``cli.cmd_tui``), runs again."""
        import gc

        if not gc.isenabled():
            gc.enable()
        self._register_other_themes()
        from tplan_tui import parsed_cache

        parsed_cache.save()  # the next start reads its settings and theme without PyYAML

    def _register_other_themes(self) -> None:
        """Every theme, once, if start-up read only the one it draws in; what is wrong with
        their files is said then."""
        if self._other_themes_later:
            self._other_themes_later = False
            from tplan_tui.tui.themes import register_themes

            for problem in register_themes(self):
                self.notify(problem, severity="warning", timeout=12)

    def _validate_theme(self, theme_name: str) -> str:
        # A theme chosen before the first rows were drawn (a test, a script) is there too.
        if theme_name not in self._registered_themes:
            self._register_other_themes()
        return super()._validate_theme(theme_name)

    def search_themes(self) -> None:
        self._register_other_themes()  # the palette's theme picker lists every theme
        super().search_themes()

    def _theme_changed(self, theme: Theme) -> None:
        """A theme chosen in the palette is kept for next time, in the settings file."""
        if theme.name != self.settings.theme:
            from dataclasses import replace

            self.settings = replace(self.settings, theme=theme.name)
            self.run_worker(lambda: self._keep_theme(theme.name), thread=True, group="settings")

    def _keep_theme(self, name: str) -> None:
        problem = _remember_theme(name)
        if problem:
            self.call_from_thread(self.notify, problem, severity="warning", timeout=10)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text: many quote plan text (a client's name, a consent's
        recipient, a plan file's errors), which must never be read as markup nor reach the
        terminal as control codes. Screens' and widgets' ``notify`` come here too."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    # ------------------------------------------------------------------ crashes

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app, as in Textual, but leaves only one line in the
        terminal, saying where a crash report without plan text is (``tui/crash.py``).

        Textual's own handler (textual/app.py, pinned) prints a traceback with every frame's
        local variables (names, history, notes) after leaving the alternate screen. This keeps
        the rest of what it does: exit code 1, and the first error kept for Pilot to re-raise.
        """
        from rich.text import Text

        from tplan_tui.tui.crash import write_crash_report

        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        if not self._crashed:  # one report and one line, however many errors follow
            self._crashed = True
            line = write_crash_report(error, self.store_worker.root)
            self._exit_renderables.append(Text(clean(line)))
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        # As Textual does, but each on one line, never wrapped: the report's path is copied
        # from it. (Textual prints only the first, and a note about the others.)
        for renderable in self._exit_renderables:
            self.error_console.print(renderable, soft_wrap=True)
        self._exit_renderables.clear()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Every focused field (Input, TextArea, the palette's search) blinks only if allowed.

        Done here, as focus reaches the app, rather than in each screen: a field added anywhere
        later follows the setting without knowing about it.
        """
        widget = event.widget
        update_focus_marks(self, widget)
        if not self.cursor_blink and getattr(widget, "cursor_blink", False) is True:
            cast(
                Any, widget
            ).cursor_blink = False  # the widget stops its timer and shows a steady cursor
            # Textual 8.2.8's TextArea caches each drawn line under a key that, with blinking
            # off, leaves out the focus: a line drawn before the focus came would be shown again
            # without its cursor. Dropping the widget's drawn lines redraws them focused.
            widget.notify_style_update()
            widget.refresh()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        update_focus_marks(self, event.widget)

    # ------------------------------------------------------------------ shared terminal

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
        ):
            self.last_activity = self.clock()
            self.idle_collector.key()
            if isinstance(event, events.Key) and self._screen_stack:
                focused = self.focused
                if focused is not None:
                    if _starts_an_item(event, focused):
                        # A letter typed on "+ Add …" went nowhere (a button takes no text): it
                        # adds the item as Enter does, awaited here so that this key and the
                        # ones after it land in the new item's first field.
                        await self.screen.run_action("add_item_from_button")
                        focused = self.focused
                    if focused is not None:
                        self.typed_into.add(focused)
        await super().on_event(event)

    @property
    def idle_seconds(self) -> float:
        return self.settings.idle_lock_minutes * 60

    def check_idle_lock(self) -> None:
        """Lock when nobody has touched the keyboard for the idle time (default 10 minutes)."""
        if not self.locked and self.clock() - self.last_activity >= self.idle_seconds:
            self.lock()

    @property
    def unlock_hash(self) -> str | None:
        """The plain store's unlock PIN as a hash (from the settings), or None if never set."""
        return self.settings.unlock_secrets.get(store_key(self.store_worker.root))

    @property
    def needs_unlock_secret(self) -> bool:
        return not self.store_worker.encrypted and self.unlock_hash is None

    async def ask_unlock_secret(
        self, why: str, then: Callable[[], Any] | None = None, change: bool = False
    ) -> None:
        """Ask the clinician for a new unlock PIN (and the current one when changing it), keep
        its hash in the settings, then call ``then``. (A callback, not a worker waiting on the
        dialog: a worker would stay running as long as the dialog is open.)"""
        from tplan_tui.tui.screens.lock import SetUnlockSecret, Unlocker

        async def chosen(secret: str | None) -> None:
            if secret:
                await self.keep_unlock_secret(secret)
                if then is not None:
                    result = then()
                    if hasattr(result, "__await__"):
                        await result

        await self.push_screen(SetUnlockSecret(why, Unlocker(self) if change else None), chosen)

    async def keep_unlock_secret(self, secret: str) -> None:
        """Hash ``secret`` (slow: a thread) and keep it, for this session and in the settings."""
        import asyncio
        from dataclasses import replace

        from tplan_tui.unlock import hash_secret

        stored = await asyncio.to_thread(hash_secret, secret)
        key = store_key(self.store_worker.root)
        self.settings = replace(
            self.settings, unlock_secrets={**self.settings.unlock_secrets, key: stored}
        )
        problem = await asyncio.to_thread(_keep_unlock_secret, key, stored)
        self.audit("unlock pin set")
        if problem:
            self.notify(
                f"The PIN works for this session but is not kept: {problem}",
                severity="warning",
                timeout=12,
            )

    async def action_lock(self) -> None:
        if self.locked or self.in_client_view:
            return
        if self.needs_unlock_secret:
            await self.ask_unlock_secret("The store has no unlock PIN yet.", self.lock)
            return
        self.lock()

    def lock(self) -> None:
        from tplan_tui.tui.screens.lock import LockScreen, Unlocker

        for screen in self.plan_screens():
            screen.save_if_dirty()  # queued before anything the lock does: written first
        self.clear_notifications()  # a toast may name a client
        self.locked = True
        self.audit("lock")
        self.push_screen(LockScreen(Unlocker(self)))

    def unlocked(self) -> None:
        from tplan_tui.tui.screens.lock import LockScreen

        self.locked = False
        self.last_activity = self.clock()
        self.audit("unlock")
        if isinstance(self.screen, LockScreen):
            self.pop_screen()
        if isinstance(self.screen, CaseloadScreen):
            self.screen.reload()  # after a passphrase change elsewhere, the list reads again
        for screen in self.plan_screens():
            screen.retry_failed_save()

    def failed_unlock(self) -> None:
        # An encrypted store records a refused passphrase itself (Store.unlock); a wrong PIN
        # of a plain store is recorded here.
        if not self.store_worker.encrypted:
            self.audit("failed unlock")

    async def enter_client_view(self, plan: Plan, plan_id: str) -> None:
        """Hand the keyboard to the client: their own summary, and no way out without the clinician."""
        from tplan_tui.tui.screens.lock import ClientView, HandOver, Unlocker

        if self.needs_unlock_secret:
            await self.ask_unlock_secret(
                "Before the client has the keyboard, set the PIN that takes it back.",
                lambda: self.enter_client_view(plan, plan_id),
            )
            return
        unlocker = Unlocker(self)

        async def go(yes: bool | None) -> None:
            if yes:
                self.in_client_view = True
                self.clear_notifications()
                self.audit("open", plan_id)
                await self.push_screen(ClientView(plan, self.today, unlocker))

        await self.push_screen(HandOver(unlocker), go)

    def left_client_view(self) -> None:
        from tplan_tui.tui.screens.lock import ClientView

        self.in_client_view = False
        if isinstance(self.screen, ClientView):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Behind the lock and in the client view the app's keys do nothing, so the footer does
        not offer them. The one exception: a lock with no PIN to open it can only be quit."""
        if self.locked or self.in_client_view:
            if action == "quit":
                return self.locked and not self.in_client_view and self.needs_unlock_secret
            if action in ("help", "command_palette", "lock"):
                return False
        return True

    def _kept_out(self) -> bool:
        """True (and says why) when the screen is locked or in the client's hands."""
        if self.locked:
            self.notify("Unlock first.", timeout=3)
            return True
        if self.in_client_view:
            self.notify("Please hand the keyboard back to your clinician.", timeout=3)
            return True
        return False

    async def action_next_field(self) -> None:
        await self._move_focus(forward=True)

    async def action_previous_field(self) -> None:
        await self._move_focus(forward=False)

    async def _move_focus(self, forward: bool) -> None:
        # Awaited (a priority binding): the plan screen may bring in the next goal first, and
        # text typed right after Tab must land in its field.
        from tplan_tui.tui.screens.appscreen import MovesFocus

        screen = self.screen
        if isinstance(screen, MovesFocus):
            await screen.move_focus(forward)
        elif forward:
            screen.focus_next()
        else:
            screen.focus_previous()

    def action_command_palette(self) -> None:
        if not self._kept_out():
            super().action_command_palette()

    def audit(self, action: str, plan_id: str | None = None) -> None:
        """Record an action in the audit log, on the store's owner thread and in order with the
        saves; a failure is shown, never fatal."""

        def record(store: Store) -> str | None:
            from tplan_tui.store.audit import record

            # The clinician named in this session's settings (edited on the settings screen,
            # F9), else the system user.
            return record(store, action, plan_id, actor=actor)

        actor = self.settings.clinician.name.strip() or None
        self.store_worker.submit(record).add_done_callback(self._audit_done)

    def _audit_done(self, future: Future[str | None]) -> None:
        # On the owner thread: call_later hands the notice to the event loop (thread-safe).
        error = future.exception()
        problem = str(error) if error is not None else future.result()
        if problem and self.is_running:
            self.call_later(self.notify, f"Audit log: {problem}", severity="warning", timeout=10)

    # ------------------------------------------------------------------ plans

    async def load(self, plan_id: str) -> StoredPlan | None:
        """The stored plan (read on the owner thread), or None after saying in words why it
        cannot be read."""
        from tplan_tui.store import StoreError

        try:
            return await self.store_worker.run(lambda store: store.load(plan_id))
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return None

    @property
    def tools(self) -> PlanTools:
        """The plan-over-time screens (check-in, review…), imported when first asked for."""
        from tplan_tui.tui.screens.plan_tools import PlanTools

        return PlanTools(self)

    async def open_plan(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.plan import PlanScreen

        stored = await self.load(plan_id)
        if stored is None:
            return
        self.audit("open", plan_id)
        # Awaited: keys typed right after Enter or Ctrl+N land in the plan's first field.
        await self.push_screen(
            PlanScreen(self.store_worker, stored, self.today), self._back_from_plan
        )

    async def show_summary(self, plan_id: str) -> None:
        from tplan_tui.tui.screens.summary_view import SummaryScreen

        stored = await self.load(plan_id)
        if stored is None:
            return
        self.audit("open", plan_id)  # reading a client's summary is an access like any other
        await self.push_screen(SummaryScreen(stored.plan, self.today, plan_id=plan_id))

    def _back_from_plan(self, _plan_id: str | None) -> None:
        screen = self.screen
        if isinstance(screen, CaseloadScreen):
            screen.reload()

    async def new_plan(self) -> None:
        """Start a draft plan with today's date and the clinician from the settings."""
        from tplan_tui.core.model import Plan

        plan = Plan()
        plan.plan.status = "draft"
        plan.plan.started = self.today
        plan.plan.review_every_days = self.settings.default_review_days
        plan.clinician.name = self.settings.clinician.name
        plan.clinician.credentials = self.settings.clinician.credentials
        plan.clinician.contact = self.settings.clinician.contact
        from tplan_tui.store import StoreError

        try:
            stored = await self.store_worker.run(
                lambda store: store.create(plan, {"step": "client"})
            )
        except StoreError as exc:
            self.notify(f"No new plan: {exc}", severity="error", timeout=10)
            return
        self.audit("create", stored.plan_id)
        await self.open_plan(stored.plan_id)

    async def import_file(self, value: str = "", error: str = "") -> None:
        from tplan_tui.planfile import PlanFileError, load_plan_file
        from tplan_tui.store import StoreError
        from tplan_tui.tui.screens.modals import AskPath

        async def chosen(path: Path | None) -> None:
            if path is None:
                return

            def read_and_check(store: Store) -> tuple[Plan, list[tuple[int, str]]]:
                # On the owner thread: the event loop never reads the disk.
                from tplan_tui.store.duplicates import find_duplicates

                plan = load_plan_file(path)
                return plan, find_duplicates(store, [plan])

            try:
                plan, duplicates = await self.store_worker.run(read_and_check)
            except PlanFileError as exc:
                lines = [str(e) for e in exc.errors]
                shown = lines[:12]  # one a line; the dialog must still fit at 80x24
                if len(lines) > len(shown):
                    shown.append(
                        f"… and {len(lines) - len(shown)} more (`tplan import` lists them all)"
                    )
                await self.import_file(str(path), "nothing was imported:\n" + "\n".join(shown))
                return
            except (StoreError, OSError) as exc:
                await self.import_file(str(path), f"nothing was imported: {exc}")
                return

            async def store_it(yes: bool | None) -> None:
                if not yes:
                    self.notify("Nothing was imported.", timeout=5)
                    return
                try:
                    [plan_id] = await self.store_worker.run(
                        lambda store: store.import_plans([plan])
                    )
                except (StoreError, OSError) as exc:
                    await self.import_file(str(path), f"nothing was imported: {exc}")
                    return
                self.audit("import", plan_id)
                self.notify(f"Imported the plan for {plan.client.name} ({plan_id}).", timeout=5)
                if isinstance(self.screen, CaseloadScreen):
                    self.screen.reload()

            if duplicates:  # the same client already there: named, and asked
                from tplan_tui.store.duplicates import duplicate_message
                from tplan_tui.tui.screens.modals import Confirm

                said = duplicate_message(plan, duplicates[0][1])
                await self.push_screen(Confirm(f"{said}. Import a second copy?"), store_it)
            else:
                await store_it(True)

        dialog = AskPath("Import a plan file", value)
        await self.push_screen(dialog, chosen)
        if error:
            dialog.show_error(error)

    # ------------------------------------------------------------------ global keys

    def plan_screens(self) -> list[PlanScreen]:
        from tplan_tui.tui.screens.plan import PlanScreen

        return [s for s in self.screen_stack if isinstance(s, PlanScreen)]

    async def action_quit(self) -> None:
        if not self.check_action("quit", ()):
            self._kept_out()
            return
        for screen in self.plan_screens():
            screen.save_if_dirty()
        # Everything queued before this marker (saves, audit entries) is written when it is done.
        # A second Ctrl+Q after a stuck save quits at once (the owner still gets until the app
        # has closed to finish it).
        if not self._quit_anyway and not await wait_for(self.store_worker.drain(), QUIT_WAIT_S):
            self._quit_anyway = True
            self.notify("Still saving… press Ctrl+Q again to quit anyway.", severity="warning")
            return
        self.exit(0)

    def on_unmount(self) -> None:
        # The app is ending: the last jobs (a save, the audit entries) are written before it does.
        self.store_worker.close(QUIT_WAIT_S)
        self.idle_collector.stop()

    async def action_help(self) -> None:
        from tplan_tui.tui.screens.modals import HelpScreen

        if isinstance(self.screen, HelpScreen) or self._kept_out():
            return
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        # The keys of the part of the screen in use too (the history step's F4, the safety
        # step's S, R and P): ours carry an id, Textual's own widget keys do not.
        focused = self.screen.focused
        local = [
            node
            for node in (focused.ancestors_with_self if focused is not None else [])
            if node is not self.screen and node is not self
        ]
        for holder in (self.screen, *reversed(local), self):
            for binding in holder.BINDINGS:
                if not isinstance(binding, Binding) or binding.key in seen:
                    continue
                if holder in local and binding.id is None:
                    continue
                seen.add(binding.key)
                keys = ", ".join(
                    self.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
                )
                rows.append((keys, binding.description, binding.tooltip or ""))
        rows += [
            ("Ctrl+P", "Command palette", "Search every action and step by name."),
            (
                "0-9, +/-",
                "Rating",
                "On a 0-10 scale: type the number, or step it up and down; "
                "Home is 0, End is 10, Delete clears it.",
            ),
        ]
        await self.push_screen(HelpScreen(rows))


def quieter_garbage_collection() -> None:
    """Full garbage collections ten times rarer than Python's default (issue 14, fast).

    Once the diagnosis codes are read the process holds over a million objects, and every full
    collection walked them all: 400-500 ms, about once a minute of work, landing on whatever key
    came next (a goal change of 200 ms took a second; one benchmark run spent 11 s in them).
    The young generations are collected as before, so short-lived cycles still go at once."""
    first, second, _third = gc.get_threshold()
    gc.set_threshold(first, second, 100)


def make_app(
    store: Store,
    settings: Settings | None = None,
    *,
    today: date | None = None,
    theme: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    cursor_blink: bool | None = None,
) -> TplanApp:
    """The one way to build the app: tests pass a store in a temporary folder (and a clock).

    ``cursor_blink`` overrides the setting of the same name (None: as the settings say).
    """
    quieter_garbage_collection()
    return TplanApp(
        store, settings, today=today, theme=theme, clock=clock, cursor_blink=cursor_blink
    )


def run_app(
    store: Store,
    settings: Settings,
    problems: list[str],
    *,
    today: date,
    theme: str | None = None,
) -> int:
    """Run the app on an open store until it quits; keep a theme chosen with ``--theme``."""
    app = make_app(store, settings, today=today, theme=theme)
    app.startup_problems = problems
    app.run()
    if theme and theme in app.available_themes and theme != settings.theme:
        _remember_theme(theme)
    return app.return_code or 0


def _keep_unlock_secret(key: str, stored: str) -> str | None:
    """Add one store's unlock hash to the settings file (the others kept); the problem or None."""
    from dataclasses import replace

    from tplan_tui.settings import SettingsError, update_settings

    try:
        update_settings(lambda s: replace(s, unlock_secrets={**s.unlock_secrets, key: stored}))
    except SettingsError:
        return "the settings file has problems to fix first (tplan settings shows them)"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _remember_theme(name: str) -> str | None:
    """Save ``name`` as the theme in the settings file; the problem in words, or None."""
    from dataclasses import replace

    from tplan_tui.settings import SettingsError, update_settings

    try:
        update_settings(lambda s: replace(s, theme=name))
    except SettingsError:
        # A broken settings file is never overwritten: the user's text stays there to fix.
        return "The theme is not kept for next time: the settings file has problems to fix first."
    except OSError as exc:
        return f"The theme is not kept for next time: {exc.strerror or exc}"
    return None
