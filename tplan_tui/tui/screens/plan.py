"""The guided planning session: the step form on the left, the client's view on the right.

The screen owns the plan being edited. Fields post ``FieldEdited``; the screen applies it with
``tplan_tui.core.editing``, refreshes the client pane, and hands a copy to the autosaver within half a
second. Values that do not parse yet (a half-typed date) are kept as drafts with the plan, so
leaving or a crash never loses what was typed.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Static

from tplan_tui.core import editing
from tplan_tui.core.editing import Path as FieldPath
from tplan_tui.core.model import Plan
from tplan_tui.core.versioning import VersionGuard
from tplan_tui.store import PassphraseChanged, StoredPlan, StoreError
from tplan_tui.tui.autosave import Autosaver, SaveResult
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen
from tplan_tui.tui.screens.modals import Choose, Confirm
from tplan_tui.tui.screens.steps import STEP_KEYS, STEPS, StepForm
from tplan_tui.tui.screens.steps.base import card_id, field_id
from tplan_tui.tui.screens.steps.sign import ReviewStep
from tplan_tui.tui.storeworker import StoreWorker, wait_for
from tplan_tui.tui.widgets.client_pane import ClientPane
from tplan_tui.tui.widgets.fields import Field, FieldEdited

SAVE_DELAY_S = 0.5  # the first unsaved change reaches the store within this, plus the write
LEAVE_WAIT_S = 10.0  # Esc waits this long for the plan's save before it leaves anyway
PANE_DELAY_S = 0.1
NARROW_COLUMNS = 100


@dataclass
class SaveDone(Message):
    result: SaveResult


class StepIndicator(Static):
    """ "Step 3 of 8 · Strengths", and whether the plan is saved (in words)."""


class PlanScreen(TplanScreen[str]):
    # Keys that change what is on screen are priority bindings: the app runs them before it
    # hands the next key on, so text typed right after PageDown or Ctrl+N (a fast typist, or
    # keys arriving together over SSH) lands in the new field, not in the one going away.
    BINDINGS = [
        Binding(
            "enter",
            "enter_moves_on",
            "Next field",
            show=False,
            id="plan.enter",
            priority=True,
            tooltip="In a one-line field, Enter moves to the next field.",
        ),
        Binding(
            "pagedown",
            "next_step",
            "Next",
            id="plan.next",
            priority=True,
            tooltip="Go to the next step of the plan.",
        ),
        Binding(
            "pageup",
            "previous_step",
            "Prev",
            id="plan.previous",
            priority=True,
            tooltip="Go back to the previous step.",
        ),
        Binding(
            "ctrl+g",
            "go_to_step",
            "Go to",
            id="plan.goto",
            priority=True,
            show=False,
            tooltip="Jump to any step by number.",
        ),
        Binding(
            "ctrl+n",
            "add_item",
            "Add",
            id="plan.add",
            priority=True,
            tooltip="Add an item to the list you are in (concern, strength, goal, objective…).",
        ),
        Binding(
            "ctrl+r",
            "remove_item",
            "Remove",
            id="plan.remove",
            priority=True,
            show=False,
            tooltip="Remove the item you are in; asks first if anything was typed in it.",
        ),
        Binding(
            "ctrl+o",
            "toggle_pane",
            "Client",
            id="plan.pane",
            priority=True,
            tooltip="Show or hide the client's side (on narrow screens: switch sides).",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="plan.back",
            show=False,
            tooltip="Save and go back to the caseload. Nothing typed is lost.",
        ),
        Binding(
            "ctrl+l",
            "library",
            "Library",
            id="plan.library",
            priority=True,
            tooltip="Add a goal, or steps for the goal you are in, from the goal library.",
        ),
        Binding(
            "f2",
            "client_view",
            "Client view",
            id="plan.clientview",
            show=False,
            priority=True,
            tooltip="Hand the keyboard to the client: they read their own plan and nothing else.",
        ),
        Binding(
            "ctrl+t",
            "summary",
            "Summary",
            id="plan.summary",
            priority=True,
            show=False,
            tooltip="Show the client's plain-language summary full screen, to read or save.",
        ),
    ]

    step_index: reactive[int] = reactive(0, init=False)

    def __init__(self, owner: StoreWorker, stored: StoredPlan, today: date):
        super().__init__()
        self.owner = owner  # the store's owner thread: saves and reads are jobs there
        self.plan_id = stored.plan_id
        self.plan: Plan = stored.plan
        self.today = today
        self.drafts: dict[str, str] = dict(stored.meta.get("drafts", {}))
        self._applied: dict[str, Any] = {}  # each field's text as last applied to the plan
        step = stored.meta.get("step")
        self.set_reactive(PlanScreen.step_index, STEP_KEYS.index(step) if step in STEP_KEYS else 0)
        self.saver = Autosaver(owner, stored.plan_id, stored.revision, self._saved_from_thread)
        self.save_state = "all changes saved"
        self._save_timer: Timer | None = None
        self._pane_timer: Timer | None = None
        self.client_side = False  # on narrow screens: showing the client's side instead of the form
        self.version_guard = VersionGuard(
            self.plan
        )  # the first change to a signed plan: new version
        self._previous: tuple[int, Plan] | None = None
        self._edit_recorded = False  # the audit log gets one "edit" per session, not per autosave
        self._dirty = False  # changed since the last hand-over to the autosaver
        self._save_failed = False  # a save refused for a changed passphrase, to retry on unlock

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StepIndicator(id="step-indicator")
        with Horizontal(id="plan-body"):
            yield Vertical(id="form-holder")
            yield ClientPane(id="client-pane")
        # Ctrl+P is in the help (F1); at 80 columns the footer keeps its room for the step keys.
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.query_one(ClientPane).show(self.plan)
        await self._show_step(self.step_index)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW_COLUMNS
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.client_side, "-client-side")

    @property
    def form(self) -> StepForm | None:
        forms = self.query(StepForm)
        return forms.first() if forms else None

    async def _show_step(self, index: int, focus_path: FieldPath | None = None) -> None:
        # Awaited, and the focus set before returning, so keys typed right after Ctrl+N or
        # PageDown land in the new field rather than in the one that is going away.
        form = STEPS[index](self.plan, self.today, self.drafts)
        self._applied.clear()  # the new step's fields start from what they show
        # The signing step lists what changed since the version signed before: read (once, on
        # the store's owner) before the old step goes, so the screen never shows an empty form.
        previous = await self.previous_version() if isinstance(form, ReviewStep) else None
        holder = self.query_one("#form-holder")
        await holder.remove_children()
        await holder.mount(form)
        if isinstance(form, ReviewStep):
            form.show_changes(previous)
        self._update_indicator()
        self._after_mount(form, focus_path)

    def _after_mount(self, form: StepForm, focus_path: FieldPath | None) -> None:
        # Bring back what was typed but not yet valid (kept as drafts with the plan).
        for key, raw in self.drafts.items():
            for field in form.query(f"#{key}").results(Field):
                editor = field.editor
                if isinstance(editor, Input) and editor.value != raw:
                    editor.value = raw
        if focus_path is not None:
            try:
                form.query_one(f"#{card_id(focus_path)}").query(Field).first().focus_editor()
                return
            except NoMatches:
                pass  # the item is not on this step: focus its first field instead
        first = next((w for w in form.query("*") if w.focusable), None)
        if first is not None and not self.client_side:
            first.focus()
            form.scroll_home(animate=False)

    def _update_indicator(self) -> None:
        step = STEPS[self.step_index]
        name = self.plan.client.name.strip() or "new plan"
        self.query_one(StepIndicator).update(
            safe_text(
                f"Step {self.step_index + 1} of {len(STEPS)} · {step.title}   ─   {name}   ─   "
                f"{self.save_state}"
            )
        )

    # ------------------------------------------------------------------ moving between steps

    async def watch_step_index(self, index: int) -> None:
        await self._show_step(index)
        self.refresh_bindings()
        self._schedule_save()  # remembers the step, so reopening resumes here

    def action_next_step(self) -> None:
        if self.step_index < len(STEPS) - 1:
            self.step_index += 1
        else:
            self.notify("This is the last step. Esc goes back to the caseload.", timeout=3)

    def action_previous_step(self) -> None:
        if self.step_index > 0:
            self.step_index -= 1

    def go_to(self, key_or_index: str | int) -> None:
        index = key_or_index if isinstance(key_or_index, int) else STEP_KEYS.index(key_or_index)
        self.step_index = index

    async def action_go_to_step(self) -> None:
        choices = [(s.key, f"{s.title}") for s in STEPS]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.go_to(key)

        # Awaited, so a digit typed right after Ctrl+G reaches the dialog, not the form.
        await self.app.push_screen(Choose("Go to step", choices), chosen)

    # ------------------------------------------------------------------ editing

    @on(FieldEdited)
    def _field_edited(self, event: FieldEdited) -> None:
        event.stop()
        try:
            fresh, shown = event.field.current()
        except NoMatches:  # the field left with its step: its message is the newest word
            fresh, shown = False, None
        raw = shown if fresh else event.raw  # an older message never undoes newer typing
        self._applied[field_id(event.path)] = raw
        before = editing.get_field(self.plan, event.path)
        problem = editing.set_field(self.plan, event.path, event.kind, raw, **event.limits)
        try:
            event.field.show_error(problem)
        except NoMatches:  # its step was replaced meanwhile (keys pressed fast): nothing to show
            pass
        key = field_id(event.path)
        had_draft = key in self.drafts
        if problem:
            self.drafts[key] = raw
        else:
            self.drafts.pop(key, None)
        if before == editing.get_field(self.plan, event.path) and had_draft == (key in self.drafts):
            return  # a field announcing the value it already shows: nothing to save
        if self.form is not None:
            self.form.on_plan_changed(event.path)
        if event.path[:2] == ("client", "name"):
            self._update_indicator()
        self._schedule_save()
        self._schedule_pane()

    def action_enter_moves_on(self) -> None:
        # Enter in a one-line field moves to the next field, as in a paper form; anywhere else
        # (a text area, a choice, a button) Enter does what it does there.
        if not isinstance(self.focused, Input):
            raise SkipAction()
        self.focus_next()

    @on(Button.Pressed, ".add-button")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add_item(event.button)

    async def action_add_item(self, origin: Widget | None = None) -> None:
        form = self.form
        target = form.add_target(origin or self.focused) if form else None
        if target is None:
            self.notify("Nothing to add on this step.", timeout=3)
            return
        list_path, after, _what = target
        if list_path == ("signatures",):
            self.plan.signatures.append(editing.next_signature(self.plan, self.today))
            index = len(self.plan.signatures) - 1
        else:
            index = editing.add_item(self.plan, list_path, after)
        await self._changed_structure((*list_path, index))

    async def action_remove_item(self) -> None:
        form = self.form
        target = form.remove_target(self.focused) if form else None
        if target is None:
            self.notify("Move into an item (a concern, a goal…) to remove it.", timeout=3)
            return
        list_path, index = target
        item = editing.get_field(self.plan, (*list_path, index))

        async def remove(yes: bool | None) -> None:
            if not yes:
                return
            editing.remove_item(self.plan, list_path, index)
            items = editing.get_field(self.plan, list_path)
            focus = (*list_path, min(index, len(items) - 1)) if items else None
            await self._changed_structure(focus)

        # Always asked, empty or not: a habitual "y" then answers the question, and is never
        # typed into the field the focus would have moved to.
        name = item_name(list_path, index)
        gone = "It is empty." if editing.is_blank(item) else "What it says will be gone."
        await self.app.push_screen(Confirm(f"Remove {name}? {gone}"), remove)

    async def _changed_structure(self, focus_path: FieldPath | None) -> None:
        # Positions shift when items come and go, so drafts keyed by position no longer fit.
        self.drafts.clear()
        await self._show_step(self.step_index, focus_path)
        self._schedule_save()
        self._schedule_pane()

    # ------------------------------------------------------------------ library and summary

    def current_goal(self) -> int | None:
        """The position of the goal the focus is in (its card or its objectives/interventions)."""
        from tplan_tui.tui.screens.steps.base import ItemCard, ListSection

        node = self.focused
        while node is not None:
            if (
                isinstance(node, (ItemCard, ListSection))
                and node.list_path
                and node.list_path[0] == "goals"
            ):
                if isinstance(node, ItemCard) and node.list_path == ("goals",):
                    return node.index
                if len(node.list_path) >= 2:
                    return int(node.list_path[1])
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    async def action_library(self) -> None:
        from tplan_tui.tui.screens.library_picker import LibraryPicker, Picked

        goal_index = self.current_goal()

        async def picked(choice: Picked | None) -> None:
            if choice is None:
                return
            name = self.plan.client.name.strip() or None
            if choice.whole:
                self.plan.goals.append(choice.goal.to_goal(name))
                index = len(self.plan.goals) - 1
                self.notify(f"Added goal {index + 1} from the library: edit it to fit.", timeout=5)
                if STEP_KEYS[self.step_index] != "goals":
                    self.set_reactive(PlanScreen.step_index, STEP_KEYS.index("goals"))
                await self._changed_structure(("goals", index))
                return
            whole = choice.goal.to_goal(name)
            if goal_index is None:
                # A fresh copy for the new goal: emptying ``whole`` would lose the ticked items.
                self.plan.goals.append(choice.goal.to_goal(name))
                target = self.plan.goals[-1]
                target.objectives, target.interventions = [], []
            else:
                target = self.plan.goals[goal_index]
            for i in choice.objectives:
                target.objectives.append(whole.objectives[i])
            for i in choice.interventions:
                target.interventions.append(whole.interventions[i])
            n = self.plan.goals.index(target)
            self.notify(
                f"Added {len(choice.objectives)} step(s) and {len(choice.interventions)} "
                f"intervention(s) to goal {n + 1}.",
                timeout=5,
            )
            await self._changed_structure(None)

        picker = LibraryPicker(
            has_goal=goal_index is not None, client_name=self.plan.client.name.strip() or None
        )
        await self.app.push_screen(picker, picked)

    async def action_save_goal_to_library(self) -> None:
        from tplan_tui.library import SaveToLibraryError, load_library, save_goal_to_user_library
        from tplan_tui.tui.screens.modals import AskText, Choose

        index = self.current_goal()
        if index is None:
            self.notify("Move into a goal first (step 5), then save it to your library.", timeout=5)
            return
        goal = editing.snapshot(self.plan).goals[index]
        areas = [a.area for a in load_library().areas]

        def save(area: str | None) -> None:
            if not area:
                return
            try:
                path = save_goal_to_user_library(area, goal, self.plan.client.name or None)
            except SaveToLibraryError as exc:
                self.notify(f"Not saved to your library: {exc}", severity="error", timeout=10)
                return
            self.notify(f"Saved goal {index + 1} to your library ({path}).", timeout=8)

        def chosen(key: str | None) -> None:
            if key == "(new)":
                self.app.push_screen(
                    AskText("Name the new problem area", placeholder="e.g. caregiver stress"), save
                )
            else:
                save(key)

        await self.app.push_screen(
            Choose(
                "Save this goal to my library: which area?",
                [(a, a) for a in areas] + [("(new)", "A new area…")],
            ),
            chosen,
        )

    async def action_client_view(self) -> None:
        self.save_if_dirty()
        await self.tplan.enter_client_view(editing.snapshot(self.plan), self.plan_id)

    async def action_summary(self) -> None:
        from tplan_tui.tui.screens.summary_view import SummaryScreen

        await self.app.push_screen(
            SummaryScreen(editing.snapshot(self.plan), self.today, plan_id=self.plan_id)
        )

    # ------------------------------------------------------------------ the client's side

    def action_toggle_pane(self) -> None:
        if self.has_class("-narrow"):
            self.client_side = not self.client_side
            self.set_class(self.client_side, "-client-side")
            if self.client_side:
                self.query_one(ClientPane).focus()
            elif self.form is not None:
                self._after_mount(self.form, None)
        else:
            self.toggle_class("-pane-hidden")

    def _schedule_pane(self) -> None:
        if self._pane_timer is None:
            self._pane_timer = self.set_timer(PANE_DELAY_S, self._refresh_pane)

    def _refresh_pane(self) -> None:
        self._pane_timer = None
        self.query_one(ClientPane).show(self.plan)

    # ------------------------------------------------------------------ saving

    def _schedule_save(self) -> None:
        self._check_version()
        self._dirty = True
        self.save_state = "editing…"
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY_S, self.save_now)

    def _check_version(self) -> None:
        """The first change to what a signed version agreed starts a new version, once; the
        signed one is kept in the store exactly as it was signed (written before the change)."""
        started = self.version_guard.check(self.plan)
        if started is None:
            return
        number, signed = started
        self._previous = (number, signed)
        plan_id = self.plan_id
        # Queued now, before any save of the change (the owner runs jobs in order).
        kept = self.owner.submit(lambda store: store.save_version(plan_id, signed))
        kept.add_done_callback(lambda future: self._version_kept(number, future))
        self.notify(
            f"Version {number} was signed, so this change starts version {number + 1}. "
            f"Version {number} is kept as it was signed; sign again on step 8.",
            timeout=10,
        )
        if self.form is not None:
            self.form.on_plan_changed(("plan", "version"))

    def _version_kept(self, number: int, future: Future[bool]) -> None:
        # On the owner thread: call_later hands a failure to the event loop (thread-safe).
        error = future.exception()
        if error is not None:
            self.call_later(
                self.notify,
                f"Version {number} could not be kept: {error}",
                severity="error",
                timeout=10,
            )

    async def previous_version(self) -> tuple[int, Plan] | None:
        """The version before the current one, if the store keeps it: (number, plan). Read
        once, on the owner thread."""
        wanted = self.plan.plan.version - 1
        if self._previous is None and wanted >= 1:
            plan_id = self.plan_id
            try:
                stored = await self.owner.run(lambda store: store.load_version(plan_id, wanted))
            except StoreError:
                return None
            self._previous = (wanted, stored.plan)
        return self._previous if self._previous and self._previous[0] == wanted else None

    def save_now(self, *, show: bool = True) -> None:
        """Hand a copy of the plan to the autosaver (never blocks on the disk)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self._dirty = False
        copy = editing.snapshot(self.plan)
        editing.drop_empty_guardian(copy)
        self.save_state = "saving…"
        self.saver.submit(copy, {"step": STEP_KEYS[self.step_index], "drafts": dict(self.drafts)})
        if show and self.is_mounted:
            self._update_indicator()

    def _saved_from_thread(self, result: SaveResult) -> None:
        self.post_message(SaveDone(result))  # post_message is safe from another thread

    @on(SaveDone)
    def _save_done(self, event: SaveDone) -> None:
        result = event.result
        if result.stored is not None:
            if not self._edit_recorded:
                self._edit_recorded = True
                self.tplan.audit("edit", self.plan_id)
            if self._save_timer is None:
                self.save_state = "all changes saved"
        elif isinstance(result.error, PassphraseChanged):
            # Another session changed the passphrase: nothing is written under the old key.
            self._save_failed = True
            self.save_state = "NOT SAVED: unlock with the new passphrase"
            self.notify(
                "The store's passphrase was changed in another session. Unlock with the "
                "new one; your changes are kept here and saved then.",
                timeout=15,
            )
            if not self.tplan.locked:
                self.tplan.lock()
        elif result.conflict:
            self.save_state = "NOT SAVED: changed in another terminal"
            self._ask_conflict()
        else:
            self.save_state = "NOT SAVED"
            self.notify(f"Could not save: {result.error}", severity="error", timeout=10)
        self._update_indicator()

    def _ask_conflict(self) -> None:
        choices = [
            ("mine", "Keep my version (replace the other terminal's changes)"),
            ("copy", "Save my version as a new plan, keep theirs as it is"),
        ]

        def chosen(key: str | None) -> None:
            if key == "mine":
                self.saver.overwrite_next()
                self.save_now()
            elif key == "copy":
                self._save_as_copy()
            else:
                self.save_state = (
                    "NOT SAVED: changed in another terminal (the next edit asks again)"
                )
                self._update_indicator()

        self.app.push_screen(
            Choose(
                "This plan was changed in another terminal",
                choices,
                text="Since you opened it, someone saved it elsewhere. Nothing is lost: choose.",
            ),
            chosen,
        )

    @work(exclusive=True, group="store")
    async def _save_as_copy(self) -> None:
        copy = editing.snapshot(self.plan)
        meta = {"step": STEP_KEYS[self.step_index]}
        try:
            stored = await self.owner.run(lambda store: store.create(copy, meta))
        except StoreError as exc:
            self.notify(f"Not saved as a new plan: {exc}", severity="error", timeout=10)
            return
        self._switched_to_copy(stored)

    def _switched_to_copy(self, stored: StoredPlan) -> None:
        self.saver.close()
        self.plan_id = stored.plan_id
        self.saver = Autosaver(self.owner, stored.plan_id, stored.revision, self._saved_from_thread)
        self.save_state = f"saved as a new plan ({stored.plan_id})"
        self._update_indicator()

    def retry_failed_save(self) -> None:
        """After an unlock: save again what could not be saved under the old key."""
        if self._save_failed:
            self._save_failed = False
            self.save_now()

    def catch_up(self) -> None:
        """Apply what every field on the step shows now, whether or not its message has
        arrived: Esc, Ctrl+Q, F2 or F12 right after typing keep the last characters."""
        if not self.is_mounted:
            return
        for field in self.query(Field):
            try:
                fresh, raw = field.current()
            except NoMatches:
                continue
            # Only a field whose text moved on since it was last applied (or made): an untouched
            # blank field is not an edit (a blank guardian's name would add a guardian).
            if fresh and raw != self._applied.get(field_id(field.path), field.first_text):
                self._field_edited(FieldEdited(field, field.path, field.kind, raw, field.limits))

    def save_if_dirty(self, *, show: bool = True) -> None:
        """Hand what changed to the autosaver now (locking, quitting, opening a view of the
        plan): anything queued on the store's owner after this sees it saved."""
        self.catch_up()
        if self._dirty:
            self.save_now(show=show)

    async def action_back(self) -> None:
        # Leaving waits for the save (the event loop runs on), so the caseload and another
        # terminal see the plan as it was left.
        self.save_if_dirty()
        await wait_for(self.saver.saved(), LEAVE_WAIT_S)
        self.saver.close()
        self.dismiss(self.plan_id)

    def on_unmount(self) -> None:
        self.save_if_dirty(show=False)  # the app is closing: still written before it ends
        self.saver.close()


def item_name(list_path: FieldPath, index: int) -> str:
    """An item as the user counts it: ``objective 2.1`` for the first objective of goal 2."""
    numbers = [str(p + 1) for p in list_path if isinstance(p, int)] + [str(index + 1)]
    what = str(list_path[-1]).replace("_", " ")
    what = what[:-1] if what.endswith("s") else what
    return f"{what} {'.'.join(numbers)}"
