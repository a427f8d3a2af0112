"""The guided planning session: the step form on the left, the client's view on the right.

The screen owns the plan being edited. Fields post ``FieldEdited``; the screen applies it with
``tplan_tui.core.editing``, refreshes the client pane, and hands a copy to the autosaver within half a
second. Values that do not parse yet (a half-typed date) are kept as drafts with the plan, so
leaving or a crash never loses what was typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import events, on, work
from textual._context import active_message_pump  # Textual is pinned
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import AwaitMount, MountError, Widget
from textual.widgets import Button, Input, Static

from tplan_tui.core import editing
from tplan_tui.core.codes import CodeEntry
from tplan_tui.core.editing import Path as FieldPath
from tplan_tui.core.model import Plan
from tplan_tui.core.places import places
from tplan_tui.core.versioning import VersionGuard
from tplan_tui.store import PassphraseChanged, StoredPlan, StoreError
from tplan_tui.tui.autosave import Autosaver, SaveResult
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen
from tplan_tui.tui.screens.modals import Choose, Confirm, GoToStep
from tplan_tui.tui.screens.safety_host import DRAFTS_META, drafts_of
from tplan_tui.tui.screens.steps import STEP_KEYS, STEPS, StepForm
from tplan_tui.tui.screens.steps.base import GoalCursor, card_id, field_id, focusable_in
from tplan_tui.tui.screens.steps.per_goal import PerGoalStep, goal_of, shift_goal_keys
from tplan_tui.tui.screens.steps.sign import Checklist, ReviewStep
from tplan_tui.tui.storeworker import StoreWorker, wait_for
from tplan_tui.tui.teardown import taken_down
from tplan_tui.tui.warm import warm_layout
from tplan_tui.tui.widgets.client_pane import ClientPane
from tplan_tui.tui.widgets.fields import Field, FieldEdited, focus_now
from tplan_tui.tui.widgets.footer import QuietFooter

SAVE_DELAY_S = 0.5  # the first unsaved change reaches the store within this, plus the write
LEAVE_WAIT_S = 10.0  # Esc waits this long for the plan's save before it leaves anyway
# The client pane is drawn again once typing pauses this long (every key would redraw the
# whole plan: 300 ms with a 99,000-character field), and, while typing goes on, at the latest
# this long after the first change it does not show yet, unless the last redraw took longer
# than PANE_CHEAP_S: then only in a pause, so that a slow redraw never lands between two keys.
PANE_IDLE_S = 0.2
PANE_MAX_S = 1.0
PANE_CHEAP_S = 0.05
PREBUILD_DELAY_S = 0.3  # idle time after a step is shown before the next one is built
TYPING_LAND_S = 5.0  # the most a list change waits for keys queued in the field left
NARROW_COLUMNS = 100


@dataclass
class SaveDone(Message):
    result: SaveResult


class StepIndicator(Static):
    """ "Step 3 of 8 · Strengths", and whether the plan is saved (in words)."""

    shown = ""


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
            "ctrl+down,ctrl+pagedown",
            "next_goal",
            "Next goal",
            id="plan.nextgoal",
            priority=True,
            show=False,
            tooltip="On steps 6-8 (one goal at a time): show the next goal.",
        ),
        Binding(
            "ctrl+up,ctrl+pageup",
            "previous_goal",
            "Previous goal",
            id="plan.previousgoal",
            priority=True,
            show=False,
            tooltip="On steps 6-8 (one goal at a time): show the previous goal.",
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
            tooltip="Remove the item you are in (it asks first, naming the item).",
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
            tooltip="Add a goal from the goal library, or ticked steps of one to a goal you choose.",
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
            "f3",
            "measure",
            "Measure",
            id="plan.measure",
            priority=True,
            show=False,
            tooltip="Enter a standard measure (PHQ-9, GAD-7): one key for the questionnaire, "
            "one digit per item; kept in this plan.",
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
        self._jump_field: Widget | None = None  # a field to scroll to once laid out (go_to_field)
        self.today = today
        self.drafts: dict[str, str] = dict(stored.meta.get("drafts", {}))
        # The safety plan's lines not finished yet (screens/safety_host.py), kept as typed.
        self.safety_drafts: dict[str, str] = drafts_of(stored.meta)
        self._applied: dict[str, Any] = {}  # each field's text as last applied to the plan
        step = stored.meta.get("step")
        self.set_reactive(PlanScreen.step_index, STEP_KEYS.index(step) if step in STEP_KEYS else 0)
        self.saver = Autosaver(owner, stored.plan_id, stored.revision, self._saved_from_thread)
        self.save_state = "all changes saved"
        self._save_timer: Timer | None = None
        self._pane_timer: Timer | None = None
        self._pane_due = 0.0  # monotonic time by which the pane must show the plan
        self._pane_cost = 0.0  # seconds the last redraw of the pane took
        self._pane_stale = True  # the pane does not show the plan as it is now
        self.client_side = False  # on narrow screens: showing the client's side instead of the form
        self.version_guard = VersionGuard(
            self.plan
        )  # the first change to a signed plan: new version
        self._previous: tuple[int, Plan] | None = None
        self._edit_recorded = False  # the audit log gets one "edit" per session, not per autosave
        self._dirty = False  # changed since the last hand-over to the autosaver
        self._save_failed = False  # a save refused for a changed passphrase, to retry on unlock
        # Each step's form, built once and kept (hidden while another step is shown): going
        # back and forth between steps never builds a form twice. Items added or removed
        # drop the forms that show their list (positions shift); they are built again.
        self._forms: dict[int, StepForm] = {}
        self._mounting: dict[int, AwaitMount] = {}
        self._current: StepForm | None = None
        self._prebuild_timer: Timer | None = None
        self._library_read = False  # the goal library read ahead (when idle) for Ctrl+L
        # The goal that steps 6-8 show (one at a time), shared by their forms.
        self.goal_cursor = GoalCursor()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StepIndicator(id="step-indicator")
        with Horizontal(id="plan-body"):
            yield Vertical(id="form-holder")
            yield ClientPane(id="client-pane")
        # Ctrl+P is in the help (F1); at 80 columns the footer keeps its room for the step keys.
        yield QuietFooter(show_command_palette=False)

    async def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        await self._show_step(self.step_index)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW_COLUMNS
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.client_side, "-client-side")
        self._refresh_pane_if_shown()

    @property
    def form(self) -> StepForm | None:
        """The step on screen."""
        return self._current

    def _build(self, index: int) -> StepForm:
        """Make step ``index``'s form and start mounting it (hidden); kept for reuse."""
        form = STEPS[index](self.plan, self.today, self.drafts, self.goal_cursor)
        form.display = False
        self._forms[index] = form
        self._mounting[index] = self.query_one("#form-holder").mount(form)
        return form

    async def _show_step(self, index: int, focus_path: FieldPath | None = None) -> None:
        # Awaited, and the focus set before returning, so keys typed right after Ctrl+N or
        # PageDown land in the new field rather than in the one that is going away.
        form = self._forms.get(index)
        shown_before = form is not None and form.is_mounted
        if form is None:
            form = self._build(index)
        # The signing step lists what changed since the version signed before: read (once, on
        # the store's owner) before the old step goes, so the screen never shows an empty form.
        previous = await self.previous_version() if isinstance(form, ReviewStep) else None
        # No frame is drawn (nor the screen laid out) until the step is complete: each
        # intermediate layout of the screen cost as much as the last one.
        with self.app.batch_update():
            await self._mounting[index]
            await form.ready(focus_path)
            if index != self.step_index or not form.is_attached:
                # A key meanwhile (a digit on the sign step's checklist) moved on to another
                # step: that step's own change shows it; this one must not take the screen back.
                return
            if self._current is not None and self._current is not form:
                self._current.display = False
            self._current = form
            form.display = True
            if shown_before:
                form.on_shown()
            if isinstance(form, ReviewStep):
                form.show_changes(previous)
            self._update_indicator()
            self._after_mount(form, focus_path)
        self._schedule_prebuild()

    def _schedule_prebuild(self) -> None:
        if self._prebuild_timer is not None:
            self._prebuild_timer.stop()
        self._prebuild_timer = self.set_timer(PREBUILD_DELAY_S, self._prebuild)

    def _prebuild(self) -> None:
        """Once the app is idle, one thing at a time: on steps 6-8 the goals next to the one
        shown (so Ctrl+Down only switches goals); the next step and the previous one if they
        are not built yet (so PageDown or PageUp finds its step ready); goals far from the
        one shown let go; then the goal library."""
        self._prebuild_timer = None
        if taken_down(self) or not self.query("#form-holder"):
            return  # the screen is being taken down (the app closing)
        here = self.step_index
        current = self._forms.get(here)
        if isinstance(current, PerGoalStep):
            # The next goal first (Ctrl+Down), then a blank one (Ctrl+N), then the previous,
            # then a second blank one (Ctrl+N twice in a row).
            ahead = current.goal_to_prebuild()
            if ahead is not None and ahead > (current.goal or 0):
                self.run_worker(self._goal_work(current, current.prebuild_goal), group="prebuild")
                return
            if current.spare_wanted(upto=1):
                self.run_worker(self._goal_work(current, current.prebuild_spare), group="prebuild")
                return
            if ahead is not None:
                self.run_worker(self._goal_work(current, current.prebuild_goal), group="prebuild")
                return
            if current.spare_wanted():
                self.run_worker(self._goal_work(current, current.prebuild_spare), group="prebuild")
                return
        for index in (here + 1, here - 1):
            if 0 <= index < len(STEPS) and index not in self._forms:
                self._build(index)
                self.run_worker(self._ready(index), group="prebuild")
                return  # one at a time: the other after the next idle moment
            form = self._forms.get(index)
            if isinstance(form, PerGoalStep) and form.goal != self.goal_cursor.index:
                # Built for another goal than the one now worked on: bring in this one.
                self.run_worker(self._ready(index), group="prebuild")
                return
        for form in self._forms.values():
            if isinstance(form, PerGoalStep) and form.to_let_go():
                self.run_worker(self._goal_work(form, form.drop_far_goals), group="prebuild")
                return
        if not self._library_read:
            # Last, once: the goal library read and indexed now, so Ctrl+L opens at once.
            from tplan_tui.library.cache import current_library

            self._library_read = True
            current_library()

    async def _goal_work(self, form: PerGoalStep, work: Callable[[], Awaitable[None]]) -> None:
        """A goal mounted ahead or let go on ``form``, then the next thing to do when idle."""
        try:
            await work()
        except (NoMatches, MountError):
            if form.is_attached:
                raise
            return  # the step was dropped meanwhile (a goal added or removed): nothing to do
        self._schedule_prebuild()

    async def _ready(self, index: int) -> None:
        form, mounting = self._forms.get(index), self._mounting.get(index)
        if form is None or mounting is None:
            return  # dropped meanwhile (an item added or removed)
        await mounting
        await form.ready()
        await self._warm(form)
        self._schedule_prebuild()

    async def _warm(self, form: StepForm) -> None:
        """Lay out a step built ahead while idle, so that PageDown only switches it on
        (``tui/warm.py``): its cards all mounted first (as its fill would), or they would be
        new when shown."""
        for card in form.cards():
            if self._dropped(form):
                return
            await card.materialize()
        if self._dropped(form):
            return
        try:
            size = self.query_one("#form-holder").size
        except NoMatches:
            return  # the screen is being taken down
        await warm_layout(form, size, lambda: not self._dropped(form))

    def _dropped(self, form: StepForm) -> bool:
        """``form`` is on screen, or no longer kept: not for ``_warm``."""
        return form is self._current or form not in self._forms.values() or taken_down(form)

    async def _drop_forms(
        self,
        lists: tuple[str, ...],
        keep_current: bool = False,
        only: list[int] | None = None,
    ) -> StepForm | None:
        """Forget the built steps that show any of ``lists`` (the current one included; with
        ``only``, of those steps). With ``keep_current`` the step on screen stays drawn (still,
        its workers stopped) and is returned, for the caller to remove once its new build is
        shown: removed first, the screen was blank while the new one was built (a second after
        the goal library)."""
        gone = [
            i
            for i, f in self._forms.items()
            if set(f.shows) & set(lists) and (only is None or i in only)
        ]
        kept: StepForm | None = None
        for i in gone:
            # What its fields showed was applied before the lists changed (_let_typing_land);
            # a message of theirs still on its way names a position that may now hold another
            # item: it is dropped, never applied there.
            for field in self._forms[i].walk_children(Field):
                field.retired = True
            form = self._forms.pop(i)
            await self._mounting.pop(i)  # never prune a form in the middle of its mount
            await form.settle()
            await form.quiesce()
            if form is self._current and keep_current:
                kept = form
                continue
            if form is self._current:
                self._current = None
            await form.remove()
        if gone:
            self._applied.clear()  # fields made again start from what they show
        return kept

    def _after_mount(self, form: StepForm, focus_path: FieldPath | None) -> None:
        if focus_path is not None:
            try:
                field = form.query_one(f"#{card_id(focus_path)}").query(Field).first()
            except NoMatches:
                pass  # the item is not on this step: focus its first field instead
            else:
                field.focus_editor()
                # The focus moves at once (keys typed next land there), before the new form
                # has a layout: Textual's scroll on focus measured nothing then, and a second
                # diagnosis picked with F4 had the focus below the screen, out of view.
                self._scroll_when_laid_out(form, field)
                return
        first = next(iter(focusable_in(form)), None)
        if first is not None and not self.client_side:
            # The first field is at the top: no scrolling to it. Textual's scroll on focus
            # measures a kept form shown again before its layout, and centred the sign step's
            # checklist with its title out of view.
            focus_now(first, scroll_visible=False)
            form.scroll_home(animate=False)

    def _update_indicator(self) -> None:
        if taken_down(self):  # a save's answer or its timer as the plan closes: parts go first
            return
        step = STEPS[self.step_index]
        name = self.plan.client.name.strip() or "new plan"
        words = (
            f"Step {self.step_index + 1} of {len(STEPS)} · {step.title}   ─   {name}   ─   "
            f"{self.save_state}"
        )
        indicator = self.query_one(StepIndicator)
        if words != indicator.shown:  # an update lays out the whole screen again: only if new
            indicator.shown = words
            indicator.update(safe_text(words))

    # ------------------------------------------------------------------ moving between steps

    async def watch_step_index(self, index: int) -> None:
        await self._show_step(index)
        self.refresh_bindings()
        self._schedule_save()  # remembers the step, so reopening resumes here

    # PageDown and PageUp show the step before they return (not by the step_index watcher,
    # which Textual runs after the action): the keys that arrived with them are handled once
    # the new step holds the focus, so they land in its first field.
    async def action_next_step(self) -> None:
        if self.step_index < len(STEPS) - 1:
            await self._jump_to_step(self.step_index + 1)
        else:
            self.notify("This is the last step. Esc goes back to the caseload.", timeout=3)

    async def action_previous_step(self) -> None:
        if self.step_index > 0:
            await self._jump_to_step(self.step_index - 1)

    async def _jump_to_step(self, index: int) -> None:
        """Show step ``index`` now and wait for it (the step_index watcher would show it only
        after this handler returns, and the caller goes on to focus a field in it)."""
        if index != self.step_index:
            self.set_reactive(PlanScreen.step_index, index)
            await self._show_step(index)
            self.refresh_bindings()
            self._schedule_save()

    async def go_to_field(self, step_key: str, path: FieldPath) -> None:
        """Show step ``step_key`` with the field at ``path`` focused (the sign step's "go there",
        the palette's "goal 3", the goal outline)."""
        index = STEP_KEYS.index(step_key)
        self._aim(path)
        await self._jump_to_step(index)
        form = self.form
        if form is None:
            return
        await form.ready(path)  # a card further down may not be mounted yet
        try:
            field = form.query_one(f"#{field_id(path)}", Field)
        except NoMatches:
            return
        field.focus_editor()
        self._scroll_when_laid_out(form, field)

    def _scroll_when_laid_out(self, form: StepForm, field: Widget) -> None:
        """Scroll ``field`` into view once ``form`` is laid out. A step just shown or built has
        no layout yet (a kept form was hidden, a form was made again, or the command palette
        closing holds the screen's updates back): scrolling at once measures nothing and left
        the field below the screen."""
        self._jump_field = field
        if form.size:
            # Two refreshes: a goal kept hidden and shown again (steps 6-8) is laid out in the
            # refresh after the one its display changed in.
            self.call_after_refresh(self.call_after_refresh, self._scroll_to_field)
        else:
            form.after_layout = self._scroll_to_field

    def _aim(self, path: FieldPath) -> None:
        """Steps 6-8 show the goal that ``path`` is in, from now on."""
        goal = goal_of(path)
        if goal is not None:
            self.catch_up()  # the goal shown may go: what its fields show is applied first
            self.goal_cursor.index = goal

    def _scroll_to_field(self) -> None:
        field, self._jump_field = self._jump_field, None
        form = self.form
        if field is not None and form is not None and field.is_attached:
            form.scroll_to_widget(field, animate=False)

    def go_to(self, key_or_index: str | int) -> None:
        index = key_or_index if isinstance(key_or_index, int) else STEP_KEYS.index(key_or_index)
        self.step_index = index

    # ------------------------------------------------------------------ one goal at a time

    async def action_next_goal(self) -> None:
        await self._step_goal(+1)

    async def action_previous_goal(self) -> None:
        await self._step_goal(-1)

    async def _step_goal(self, delta: int) -> None:
        form = self.form
        if not isinstance(form, PerGoalStep):
            self.notify(
                "Goals are shown one at a time on steps 6 to 8; here all of the step is shown.",
                timeout=4,
            )
            return
        there = (form.goal or 0) + delta
        if not 0 <= there < len(self.plan.goals):
            last = "This is the last goal: Ctrl+N adds one." if delta > 0 else ""
            self.notify(last or "This is the first goal.", timeout=3)
            return
        await self._show_goal(form, there, first=True)

    async def _show_goal(self, form: PerGoalStep, index: int, *, first: bool) -> None:
        """Show goal ``index`` on the step on screen, the focus in its first field (``first``)
        or its last one (Shift+Tab coming back from the next goal)."""
        await self._let_typing_land()  # what the goal's fields show is applied before they go
        if self.focused is not None and form.part in self.focused.ancestors:
            self.set_focus(None)  # keys meanwhile wait for the new goal's fields
        with self.app.batch_update():  # one layout and one frame, with the goal complete
            await form.show_goal(index)
            await form.ready()
            if first:
                target = form.first_in_part()
                if target is not None:
                    # At once: keys that came with Ctrl+Down land in the new goal's field
                    # (Textual's focus() waits behind them, and they went nowhere).
                    focus_now(target, scroll_visible=False)
                form.scroll_home(animate=False)
            else:
                await form.materialize_goal()
                target = form.last_in_part()
                if target is not None:
                    focus_now(target, scroll_visible=False)
                    self._scroll_when_laid_out(form, target)  # the goal is not laid out yet
        self._schedule_prebuild()  # the steps next to this one follow the goal

    async def move_focus(self, forward: bool) -> None:
        """Tab and Shift+Tab (and Enter in a one-line field). On steps 6-8, which show one goal
        at a time, the focus goes from a goal's last field to the next goal's first (and back),
        in the order all the goals would have on one page."""
        form, focused = self.form, self.focused
        if isinstance(form, PerGoalStep) and focused is not None and self.plan.goals:
            await form.materialize_goal()  # its last field must exist to be known as the last
            chain = self.focus_chain
            in_part = form.in_part()
            goal, last = form.goal or 0, len(self.plan.goals) - 1
            if focused in in_part:
                edge = in_part[-1] if forward else in_part[0]
                there = goal + (1 if forward else -1)
                if focused is edge and 0 <= there <= last:
                    await self._show_goal(form, there, first=forward)
                    return
            elif focused in chain and in_part:
                i = chain.index(focused)
                after = chain[(i + 1) % len(chain)] if forward else chain[i - 1]
                want = 0 if forward else last
                if after in in_part and goal != want:
                    # Coming into the goals from the contract (or around): the first goal
                    # forwards, the last backwards.
                    await self._show_goal(form, want, first=forward)
                    return
        if forward:
            self.focus_next()
        else:
            self.focus_previous()

    async def action_go_to_step(self) -> None:
        choices = [(s.key, f"{s.title}") for s in STEPS]

        async def chosen(key: str | None) -> None:
            if key == GoToStep.OUTLINE:
                await self.show_outline()
            elif key is not None:
                await self._jump_to_step(STEP_KEYS.index(key))  # shown before the next key

        # Awaited, so a digit typed right after Ctrl+G reaches the dialog, not the form.
        await self.app.push_screen(
            GoToStep("Go to step", choices, text="Ctrl+G again (or O): the goal outline."),
            chosen,
        )

    async def show_outline(self) -> None:
        """Every goal, objective and intervention as a list; the one chosen is focused."""
        listed = [p for p in places(self.plan) if p.outline]
        if not listed:
            self.notify("There are no goals yet: add one on step 6 (Goals).", timeout=4)
            return
        by_id = {f"place-{n}": p for n, p in enumerate(listed)}

        async def chosen(key: str | None) -> None:
            place = by_id.get(key or "")
            if place is not None:
                await self.go_to_field(place.step, place.path)

        await self.app.push_screen(
            Choose("Goal outline", [(k, p.label) for k, p in by_id.items()]), chosen
        )

    # ------------------------------------------------------------------ editing

    @on(FieldEdited)
    def _field_edited(self, event: FieldEdited) -> None:
        event.stop()
        if event.field.retired:
            return  # its step was dropped after what it showed was applied (_drop_forms)
        # The field's path now: a goal added before it since the message was posted moved its
        # goal down one (``PerGoalStep.goal_inserted``), and the message names the old place.
        event.path = event.field.path
        try:
            fresh, shown = event.field.current()
        except NoMatches:  # a field without an editor yet: its message is the newest word
            fresh, shown = False, None
        raw = shown if fresh else event.raw  # an older message never undoes newer typing
        self._applied[field_id(event.path)] = raw
        before = editing.get_field(self.plan, event.path)
        problem = editing.set_field(self.plan, event.path, event.kind, raw, **event.limits)
        form = self.form
        try:
            # A value that was taken may still warrant a word (a code that does not exist).
            event.field.show_error(
                problem or (form.field_warning(event.path) if form is not None else None)
            )
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

    async def action_enter_moves_on(self) -> None:
        # Enter in a one-line field moves to the next field, as in a paper form; anywhere else
        # (a text area, a choice, a button) Enter does what it does there.
        if self._add_button_focused():
            # Added here, as Ctrl+N does, before the next key is handled: pressed as a button
            # (a message) the text typed right after it went nowhere (seen in tmux).
            await self.action_add_item_from_button()
            return
        if not isinstance(self.focused, Input):
            raise SkipAction()
        await self.move_focus(forward=True)

    def _add_button_focused(self) -> Button | None:
        focused = self.focused
        return focused if isinstance(focused, Button) and focused.has_class("add-button") else None

    async def action_add_item_from_button(self) -> None:
        """Enter, or a letter (``TplanApp.on_event``), on an add button: add as Ctrl+N does."""
        button = self._add_button_focused()
        if button is not None:
            await self.action_add_item(button)

    @on(Button.Pressed, ".add-button")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add_item(event.button)

    async def action_add_item(self, origin: Widget | None = None) -> None:
        await self._let_typing_land()
        form = self.form
        target = form.add_target(origin or self.focused) if form else None
        if target is None:
            self.notify("Nothing to add on this step.", timeout=3)
            return
        list_path, after, _what = target
        if list_path == ("signatures",):
            await self._sign()
            return
        else:
            index = editing.add_item(self.plan, list_path, after)
        if list_path == ("history", "diagnoses"):
            self._diagnosis_defaults(index)
        if list_path == ("goals",) and len(self.plan.goals) > 1:
            await self._goal_added(index)
            return
        await self._changed_structure((*list_path, index), list_path)

    async def _goal_added(self, index: int) -> None:
        """A blank goal was added at ``index`` (Ctrl+N): the goal steps follow in place rather
        than being built again (some 70 widgets a goal, 130-200 ms), their goals from there on
        renumbered, and the goals step shows the new goal, built ahead while idle."""
        for store in (self.drafts, self._applied):  # keyed by position, as the fields are
            shift_goal_keys(store, index)
        rebuilt = []
        for i, form in list(self._forms.items()):
            if "goals" in form.shows and not (
                isinstance(form, PerGoalStep) and await form.goal_inserted(index)
            ):
                rebuilt.append(i)
        if rebuilt:
            await self._drop_forms(("goals",), only=rebuilt)
        self.goal_cursor.index = index
        shown = self.form
        if isinstance(shown, PerGoalStep) and STEP_KEYS[self.step_index] == "goals":
            await self._show_goal(shown, index, first=True)
        else:
            await self._show_step(self.step_index, ("goals", index))
        self._schedule_save()
        self._schedule_pane()

    def _diagnosis_defaults(self, index: int, *, dated: bool = False) -> None:
        """Who made diagnosis ``index`` (the clinician in the settings, else the plan's), and
        with ``dated`` its date (today), where it says none yet; kept under its extra."""
        from tplan_tui.core.diagnosis_extra import diagnosed_by_default

        extra = self.plan.history.diagnoses[index].extra
        mine = self.tplan.settings.clinician
        by = diagnosed_by_default(mine.name, mine.credentials) or diagnosed_by_default(
            self.plan.clinician.name, self.plan.clinician.credentials
        )
        if by and extra.get("diagnosed_by") in (None, ""):
            extra["diagnosed_by"] = by
        if dated and extra.get("diagnosed_on") in (None, ""):
            extra["diagnosed_on"] = self.today.isoformat()

    async def _sign(self) -> None:
        """Add the next signature needed. A clinician or supervisor signing a plan that still
        lacks what the profile requires is asked why; the reason is kept with the signature and
        the audit log records that an incomplete plan was signed."""
        from tplan_tui.core import codes
        from tplan_tui.tui.screens.modals import AskText
        from tplan_tui.tui.screens.steps.sign import ReviewStep, incomplete_items

        signature = editing.next_signature(self.plan, self.today)
        form = self.form
        profile = form.profile if isinstance(form, ReviewStep) else "basic"
        lacking = incomplete_items(self.plan, self.today, profile, codes=codes.is_loaded())

        async def add(reason: str | None) -> None:
            if lacking and signature.role in ("clinician", "supervisor"):
                if reason is None:
                    self.notify("Not signed: a reason is needed to sign an incomplete plan.")
                    return
                signature.extra["incomplete_reason"] = reason
                self.tplan.audit("sign incomplete", self.plan_id)
            await self._let_typing_land()
            self.plan.signatures.append(signature)
            await self._changed_structure(
                ("signatures", len(self.plan.signatures) - 1), ("signatures",)
            )

        if lacking and signature.role in ("clinician", "supervisor"):
            await self.app.push_screen(
                AskText(
                    f"The plan still lacks {len(lacking)} element(s) (the first: "
                    f"{lacking[0].words}) Why sign it now? The reason is recorded.",
                    placeholder="e.g. client in crisis; the rest at the next session",
                ),
                add,
            )
        else:
            await add(None)

    def _diagnosis_in_focus(self) -> int | None:
        form = self.form
        target = form.remove_target(self.focused) if form else None
        if target is not None and target[0] == ("history", "diagnoses"):
            return target[1]
        return None

    async def action_pick_code(self) -> None:
        """F4 on the history step: pick an ICD-10-CM code for the diagnosis in focus (or a new
        one); the code and its description fill the code and the label."""
        from tplan_tui.tui.screens.code_picker import CodePicker

        index = self._diagnosis_in_focus()
        diagnoses = self.plan.history.diagnoses
        query = diagnoses[index].code.strip() or diagnoses[index].label if index is not None else ""

        async def picked(entry: CodeEntry | None) -> None:
            if entry is None:
                return
            await self._let_typing_land()  # a code typed meanwhile never overwrites the pick
            at = index
            if at is None:
                at = editing.add_item(self.plan, ("history", "diagnoses"))
            base: FieldPath = ("history", "diagnoses", at)
            editing.set_field(self.plan, (*base, "code"), "text", entry.code)
            editing.set_field(self.plan, (*base, "label"), "text", entry.description)
            self._diagnosis_defaults(at, dated=True)
            # The history step is built again to show it (by default only the goal steps
            # were: the code was in the plan but not on the screen).
            await self._changed_structure(base, ("history",), keep_drawn=True)

        await self.app.push_screen(CodePicker(query), picked)

    async def action_move_item(self, delta: int) -> None:
        """Alt+Up/Down: move the diagnosis in focus, so the primary one comes first."""
        index = self._diagnosis_in_focus()
        diagnoses = self.plan.history.diagnoses
        if index is None or not 0 <= index + delta < len(diagnoses):
            return
        await self._let_typing_land()  # what was typed stays with its diagnosis
        diagnoses.insert(index + delta, diagnoses.pop(index))
        await self._changed_structure(
            ("history", "diagnoses", index + delta), ("history",), keep_drawn=True
        )

    @on(Checklist.Open)
    async def _open_item(self, event: Checklist.Open) -> None:
        event.stop()
        await self.open_field(event.path)

    async def open_field(self, path: str) -> None:
        """Go to the step where the field at ``path`` (``goals[2].rating.target``) is edited,
        and put the focus in it (or in the nearest item or list that holds it)."""
        import re

        from tplan_tui.core.completeness import step_for

        step = step_for(path)
        if step == "measures":  # a score is entered in its dialog (F3), not in a step
            await self.action_measure()
            return
        if step not in STEP_KEYS:
            self.notify("That is not edited in this session.", timeout=6)
            return
        steps: FieldPath = tuple(
            int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", path) if p
        )
        index = STEP_KEYS.index(step)
        self._aim(steps)
        await self._jump_to_step(index)
        form = self.form
        if form is None:
            return
        await form.ready(steps)  # the goal it is in, and its card, mounted
        for end in range(len(steps), 0, -1):
            here = steps[:end]
            for selector in (f"#{field_id(here)}", f"#{card_id(here)}", f"#{card_id(here)}-list"):
                found = form.query(selector)
                if not found:
                    continue
                target = found.first()
                fields = (
                    [target] if isinstance(target, Field) else list(target.walk_children(Field))
                )
                if fields:
                    fields[0].focus_editor()
                    fields[0].scroll_visible(animate=False)
                    return
                focusable = [w for w in target.query("*") if w.focusable]
                if focusable:
                    focus_now(focusable[0])
                    return

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
            await self._let_typing_land()  # typed into a later item: kept with that item
            editing.remove_item(self.plan, list_path, index)
            items = editing.get_field(self.plan, list_path)
            focus = (*list_path, min(index, len(items) - 1)) if items else None
            await self._changed_structure(focus, list_path)

        # Always asked, empty or not: a habitual "y" then answers the question, and is never
        # typed into the field the focus would have moved to.
        name = item_name(list_path, index)
        gone = "It is empty." if editing.is_blank(item) else "What it says will be gone."
        await self.app.push_screen(Confirm(f"Remove {name}? {gone}"), remove)

    async def _let_typing_land(self) -> None:
        """Keys that arrived together with Ctrl+N, Ctrl+Down or Alt+Up (a paste, tmux, a fast
        typist on a busy machine) may still be queued for the fields they were typed in, which
        are about to go or to change place: let them take them all, and apply what every field
        shows, before the plan's lists change ("Bed by 11." then Ctrl+N kept nothing).

        Each widget keys were handed to since the last time gets a callback of ours behind
        them, awaited: once it has run, every key before it was handled. (Watching the focused
        field's queue empty was not enough: its last key is off the queue while it is handled,
        and a busy machine kept "C" of "Come each week."; nor was the focused field alone:
        "brave." then Shift+Tab and Ctrl+R lost the full stop.) Call it before changing the
        plan: a field's text applied after its item moved would land in the item that took
        its place."""
        here = active_message_pump.get(None)  # never wait on ourselves
        waiting = [w for w in list(self.tplan.typed_into) if w is not here and w.is_attached]
        self.tplan.typed_into.clear()
        landed = []
        for widget in waiting:
            done = asyncio.Event()
            if widget.call_later(done.set):
                landed.append(done.wait())
        if landed:
            # A bound, never reached in practice: a widget that stopped would otherwise hold
            # the plan screen for good.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*landed), TYPING_LAND_S)
        self.catch_up()

    async def _changed_structure(
        self,
        focus_path: FieldPath | None,
        list_path: FieldPath = ("goals",),
        keep_drawn: bool = False,
    ) -> None:
        # The caller landed the typing (``_let_typing_land``) before it changed the plan.
        # Positions shift when items come and go in a list, so the drafts of fields in that
        # list (keyed by position) no longer fit, nor do the steps built from it.
        top = str(list_path[0])
        prefix = field_id((top,)) + "-"
        for key in [k for k in self.drafts if k.startswith(prefix)]:
            del self.drafts[key]
        # keep_drawn (items only added at the end, so no field's path changed): the old step
        # stays drawn until the new one is shown, rather than a blank screen meanwhile.
        stale = await self._drop_forms((top,), keep_current=keep_drawn)
        if stale is not None and self.focused is not None and stale in self.focused.ancestors:
            self.set_focus(None)  # keys meanwhile go to the new step, not to the old one
        await self._show_step(self.step_index, focus_path)
        if stale is not None:
            if self._current is stale:  # the step was not shown again (a key moved on)
                self._current = None
            await stale.remove()
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

        async def picked(choice: Picked | None) -> None:
            if choice is None:
                return
            await self._let_typing_land()
            if choice.goal.area == "Safety planning":
                # The goal links to the safety step, which holds the plan itself.
                self.notify(
                    "The safety plan itself is written on step 5 (Safety plan and risk): "
                    "S there goes over it with the client.",
                    timeout=10,
                )
            name = self.plan.client.name.strip() or None
            if choice.whole:
                self.plan.goals.append(choice.goal.to_goal(name))
                index = len(self.plan.goals) - 1
                self.notify(f"Added goal {index + 1} from the library: edit it to fit.", timeout=5)
                if STEP_KEYS[self.step_index] != "goals":
                    self.set_reactive(PlanScreen.step_index, STEP_KEYS.index("goals"))
                await self._changed_structure(("goals", index), keep_drawn=True)
                return
            whole = choice.goal.to_goal(name)
            if choice.target is None or choice.target >= len(self.plan.goals):
                # A fresh copy for the new goal: emptying ``whole`` would lose the ticked items.
                self.plan.goals.append(choice.goal.to_goal(name))
                target = self.plan.goals[-1]
                target.objectives, target.interventions = [], []
            else:
                # Exactly the goal chosen and named in the picker, not the one in focus.
                target = self.plan.goals[choice.target]
            for i in choice.objectives:
                target.objectives.append(whole.objectives[i])
            for i in choice.interventions:
                target.interventions.append(whole.interventions[i])
            n = self.plan.goals.index(target)
            self.goal_cursor.index = n  # steps 6-8 show the goal the steps went to
            self.notify(
                f"Added {len(choice.objectives)} step(s) and {len(choice.interventions)} "
                f"intervention(s) to goal {n + 1}.",
                timeout=5,
            )
            await self._changed_structure(None, keep_drawn=True)

        picker = LibraryPicker(
            goals=[g.text for g in self.plan.goals],
            near=self.current_goal(),
            client_name=self.plan.client.name.strip() or None,
        )
        await self.app.push_screen(picker, picked)

    async def action_save_goal_to_library(self) -> None:
        from tplan_tui.library import SaveToLibraryError, load_library, save_goal_to_user_library
        from tplan_tui.tui.screens.modals import AskText, Choose

        index = self.current_goal()
        if index is None:
            self.notify("Move into a goal first (step 6), then save it to your library.", timeout=5)
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

    async def action_measure(self) -> None:
        """The standard measure dialog; the measure joins this screen's plan and its autosave
        (a save of its own to the store would make this screen's next save a conflict)."""
        from tplan_tui.core.attention import Reason
        from tplan_tui.core.instruments import all_instruments
        from tplan_tui.core.model import Measure
        from tplan_tui.tui.screens.measure_entry import MeasureEntry
        from tplan_tui.tui.screens.safety_host import new_alerts

        plan_id = self.plan_id

        async def save(measure: Measure) -> list[Reason]:
            before = editing.snapshot(self.plan)
            self.plan.measures.append(measure)
            self.plan.measures.sort(key=lambda x: x.date)
            after = editing.snapshot(self.plan)
            self._schedule_save()
            self.save_now()  # queued on the store's owner before the alerts are read
            self._schedule_pane()
            return await self.owner.run(lambda store: new_alerts(store, plan_id, before, after))

        await self.app.push_screen(
            MeasureEntry(
                self.plan.client.name,
                self.today,
                list(all_instruments().values()),
                save,
                plan_id=plan_id,
                leave=self.action_back,
            )
        )

    async def action_summary(self) -> None:
        from tplan_tui.tui.screens.summary_view import SummaryScreen

        await self.app.push_screen(
            SummaryScreen(editing.snapshot(self.plan), self.today, plan_id=self.plan_id)
        )

    # ------------------------------------------------------------------ safety (its own step)

    async def action_safety_plan(self) -> None:
        from tplan_tui.tui.screens.plan_safety import PlanScreenHost
        from tplan_tui.tui.screens.safety import open_safety_plan

        self.catch_up()
        await open_safety_plan(self.tplan, PlanScreenHost(self))

    async def action_risk(self) -> None:
        from tplan_tui.tui.screens.plan_safety import PlanScreenHost
        from tplan_tui.tui.screens.safety import open_risk

        self.catch_up()
        await open_risk(self.tplan, PlanScreenHost(self))

    async def action_safety_page(self) -> None:
        from tplan_tui.tui.screens.plan_safety import PlanScreenHost
        from tplan_tui.tui.screens.safety import answer

        self.catch_up()
        await answer(self.tplan, self.plan_id, "page", host=PlanScreenHost(self))

    def safety_changed(self, *, save: bool = True) -> None:
        """The safety plan or a risk assessment changed in a screen over this one: save it
        with the rest (``save``) and show it on the step and the client's side."""
        if save:
            self._schedule_save()
            self._schedule_pane()
        if self.form is not None and self.is_mounted:
            self.form.on_plan_changed(("safety",))

    # ------------------------------------------------------------------ the client's side

    def action_toggle_pane(self) -> None:
        if self.has_class("-narrow"):
            self.client_side = not self.client_side
            self.set_class(self.client_side, "-client-side")
            self._refresh_pane_if_shown()
            if self.client_side:
                self.query_one(ClientPane).focus()
            elif self.form is not None:
                self._after_mount(self.form, None)
        else:
            self.toggle_class("-pane-hidden")
            self._refresh_pane_if_shown()

    @property
    def pane_shown(self) -> bool:
        """Whether the client pane is on screen (by the classes that place it, set at once)."""
        if self.has_class("-narrow"):
            return self.client_side
        return not self.has_class("-pane-hidden")

    def _schedule_pane(self) -> None:
        """The plan changed: redraw the client pane once typing pauses (never on every key);
        a hidden pane is redrawn only when it is shown again."""
        self._pane_stale = True
        if not self.pane_shown:
            return
        now = time.monotonic()
        if self._pane_timer is None:
            cheap = self._pane_cost <= PANE_CHEAP_S
            self._pane_due = now + PANE_MAX_S if cheap else math.inf
        else:
            self._pane_timer.stop()
        # Never 0: Textual's timer divides by its interval (a 0 s timer raises at its tick).
        wait = max(0.01, min(PANE_IDLE_S, self._pane_due - now))
        self._pane_timer = self.set_timer(wait, self._refresh_pane)

    def _refresh_pane_if_shown(self) -> None:
        if self._pane_stale and self.pane_shown:
            self._refresh_pane()

    def _refresh_pane(self) -> None:
        if self._pane_timer is not None:
            self._pane_timer.stop()
            self._pane_timer = None
        if not self.pane_shown or taken_down(self):
            return
        start = time.perf_counter()
        self.query_one(ClientPane).show(self.plan)
        self._pane_stale = False

        def drawn() -> None:  # the pane is laid out and drawn in the refresh after update
            self._pane_cost = time.perf_counter() - start

        self.call_after_refresh(drawn)

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
            f"Version {number} is kept as it was signed; sign again on step 9.",
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
        self.saver.submit(
            copy,
            {
                "step": STEP_KEYS[self.step_index],
                "drafts": dict(self.drafts),
                DRAFTS_META: dict(self.safety_drafts),
            },
        )
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
        for field in self.walk_children(Field):
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
