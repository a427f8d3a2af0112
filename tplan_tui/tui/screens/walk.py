"""What the check-in and the review share: a walk through the plan's goals, one card each, and a
save that never overwrites a change made elsewhere.

Keys: Tab moves field by field; Enter on a goal's field jumps to the next goal (after the last,
to the note); Ctrl+S saves; Esc leaves, asking first if anything was entered. The save applies
the screen's answers to a copy of the stored plan and stores it with ``base_revision``: if the
plan changed in another terminal meanwhile, the user is asked, and the answers can be added to
the newest copy instead (both are additive), never written over it.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import on, work
from textual.actions import SkipAction
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from tplan_tui.core.editing import parse_value
from tplan_tui.core.model import Plan
from tplan_tui.store import ConflictError, Store, StoredPlan, StoreError
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.appscreen import TplanScreen
from tplan_tui.tui.screens.modals import Choose, Confirm
from tplan_tui.tui.storeworker import StoreWorker
from tplan_tui.tui.widgets.keychoice import KeyChoice
from tplan_tui.tui.widgets.rating import RatingScale
from tplan_tui.tui.widgets.ticklist import TickList

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason

ResultT = TypeVar("ResultT")


class WalkProblem(ValueError):
    """What stops a save, in words (shown on the screen; nothing is saved)."""


def goal_title(plan: Plan, gi: int) -> str:
    goal = plan.goals[gi]
    words = " ".join((goal.for_client or "").split())
    if len(words) > 56:
        words = words[:55].rstrip() + "…"
    return f"Goal {gi + 1}: {words}" if words else f"Goal {gi + 1}"


class GoalCard(Widget):
    """One goal's part of the walk; ``index`` is the goal's position in the plan."""

    DEFAULT_CLASSES = "card walk-goal"

    def __init__(self, index: int, title: str, *children: Widget):
        super().__init__(*children, id=f"goal-{index}")
        self.index = index
        self.border_title = safe_text(title)  # a str title is markup; it quotes the goal


class GoalWalk(TplanScreen[ResultT | None], Generic[ResultT]):
    """Dismissed with None when left unsaved; after a save, with what ``after_saved`` says."""

    BINDINGS = [
        # Not a priority binding: Ctrl+S goes through the focused field's queue, after the keys
        # typed before it, so a note typed just before Ctrl+S is in what is saved.
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="walk.save",
            tooltip="Save what was entered; the plan keeps it.",
        ),
        # Priority: keys typed fast or arriving together (over SSH) must each reach the field
        # the one before moved to, so Tab and Enter move the focus before the next key is sent.
        Binding(
            "enter",
            "next_goal",
            "Next goal",
            id="walk.next",
            priority=True,
            tooltip="On a goal's field: go to the next goal (after the last one, the note).",
        ),
        Binding(
            "tab",
            "app.focus_next",
            "Next field",
            id="walk.tab",
            priority=True,
            show=False,
            tooltip="Go to the next field.",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            id="walk.backtab",
            priority=True,
            show=False,
            tooltip="Go back to the previous field.",
        ),
        Binding(
            "space",
            "tick",
            "Tick",
            id="walk.tick",
            priority=True,
            show=False,
            tooltip="In a list of objectives: tick (or untick) the highlighted one.",
        ),
        Binding(
            "escape",
            "leave",
            "Cancel",
            id="walk.cancel",
            tooltip="Leave without saving; asks first if anything was entered.",
        ),
    ]
    noun = "check-in"
    # The first field is focused as the screen appears (not a moment later, as focus() in
    # on_mount would be), so a digit typed right after Ctrl+K lands in it.
    AUTO_FOCUS = ".walk-first"
    # Layout only; colours come from the theme.
    DEFAULT_CSS = """
    #walk-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #walk-body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    .walk-goal { height: auto; }
    .walk-objectives { height: auto; max-height: 6; }
    .walk-problem { display: none; height: auto; color: $text-error; }
    #walk-end Input { width: 14; }
    #walk-save { margin-top: 1; }
    """

    def __init__(self, owner: StoreWorker, stored: StoredPlan, today: date):
        super().__init__()
        self.owner = owner  # the store's owner thread: the save is a job there
        self.stored = stored
        self.plan_id = stored.plan_id
        self.plan = stored.plan
        self.today = today
        self.dirty = False
        self.saving = False
        self.answers: object = None

    # ------------------------------------------------------------------ moving

    def card_of(self, widget: Widget | None) -> GoalCard | None:
        node = widget
        while node is not None and node is not self:
            if isinstance(node, GoalCard):
                return node
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    def first_field(self, card: GoalCard) -> Widget | None:
        return next((w for w in card.query("*") if w.focusable), None)

    def action_tick(self) -> None:
        # Resolved when the key arrives (priority), like Tab and Enter, so a Space typed just
        # before Enter ticks the list it was typed in.
        if not isinstance(self.focused, TickList):
            raise SkipAction()
        self.focused.action_tick()

    def action_next_goal(self) -> None:
        card = self.card_of(self.focused)
        if card is None or not isinstance(self.focused, (RatingScale, KeyChoice, TickList)):
            raise SkipAction()  # Enter keeps its own meaning: a button, a list, a new line
        cards = list(self.query(GoalCard))
        later = [c for c in cards if c.index > card.index]
        target = self.first_field(later[0]) if later else self.query_one("#walk-note")
        if target is not None:
            self.set_focus(target)  # at once (focus() waits a turn): the next key lands there
            target.scroll_visible(animate=False)

    @on(Input.Submitted)
    def _enter_moves_on(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#walk-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    # ------------------------------------------------------------------ saving

    def walk_date(self) -> date:
        """The date typed in the date field; WalkProblem in words if it is not a date."""
        raw = self.query_one("#walk-date", Input).value
        value, problem = parse_value("date", raw)
        if problem:
            raise WalkProblem(f"The date {problem}.")
        if value is None:
            raise WalkProblem(f"A {self.noun} needs its date (YYYY-MM-DD).")
        assert isinstance(value, date)
        return value

    def collect(self) -> object:  # pragma: no cover - every walk overrides it
        """Read the answers off the screen (on the event loop); WalkProblem if they will not do."""
        raise NotImplementedError

    def apply(self, plan: Plan, answers: Any) -> str:  # pragma: no cover - every walk overrides it
        """Apply ``answers`` to ``plan`` (a copy; no widgets here: this runs in a worker);
        return what was done, in words."""
        raise NotImplementedError

    def show_problem(self, text: str) -> None:
        problem = self.query_one("#walk-problem", Static)
        problem.update(safe_text(f"⚠ {text}" if text else ""))
        problem.display = bool(text)

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            answers = self.collect()
            self.apply(copy.deepcopy(self.stored.plan), answers)  # a dry run: problems show now
        except (WalkProblem, ValueError) as exc:
            self.show_problem(str(exc))
            self.notify(f"Not saved yet: {exc}", severity="warning", timeout=6)
            return
        self.show_problem("")
        self.saving = True
        self.answers = answers
        self._save(reload=False)

    @work(exclusive=True, group="walk-save")
    async def _save(self, reload: bool) -> None:
        answers, first = self.answers, self.stored

        def save(store: Store) -> tuple[StoredPlan, str, list[Reason]]:
            # On the store's owner thread: no widget is touched here.
            from tplan_tui.tui.screens.safety_host import new_alerts

            stored = store.load(self.plan_id) if reload else first
            plan = copy.deepcopy(stored.plan)
            message = self.apply(plan, answers)
            saved = store.save(self.plan_id, plan, base_revision=stored.revision)
            # What this save raised (it reads the alerts addressed: here, not on the loop).
            return saved, message, new_alerts(store, self.plan_id, stored.plan, saved.plan)

        try:
            saved, message, fresh = await self.owner.run(save)
        except ConflictError:
            self._conflict()
        except (WalkProblem, ValueError) as exc:
            self._failed(str(exc))
        except (StoreError, OSError) as exc:
            self._failed(f"could not save: {exc}")
        else:
            self._saved(saved, message, fresh)

    def _failed(self, text: str) -> None:
        self.saving = False
        self.show_problem(text)
        self.notify(f"Not saved: {text}", severity="error", timeout=10)

    def _conflict(self) -> None:
        self.saving = False

        def chosen(key: str | None) -> None:
            if key == "add":
                self.saving = True
                self._save(reload=True)
            else:
                self.show_problem(
                    "Not saved: the plan was changed in another terminal. Ctrl+S asks again."
                )

        self.tplan.push_screen(
            Choose(
                "This plan was changed in another terminal",
                [
                    ("add", f"Add this {self.noun} to the plan as it is now"),
                    ("wait", "Not now: keep it on screen, unsaved"),
                ],
                text="Since this screen opened, the plan was saved elsewhere. Nothing of theirs "
                "is replaced: your answers can be added to their copy.",
            ),
            chosen,
        )

    def _saved(self, stored: StoredPlan, message: str, fresh: list[Reason]) -> None:
        from tplan_tui.tui.screens.safety import AttentionScreen, answer

        self.saving = False
        self.dirty = False
        self.stored = stored
        self.tplan.audit("edit", self.plan_id)
        if not fresh:
            self.after_saved(stored, message)
            return

        # What this save raised is said before anything else, with one key for each answer.
        def picked(what: str | None) -> None:
            if what is None:
                self.after_saved(stored, message)
                return
            app, plan_id = self.tplan, self.plan_id
            self.notify(message, timeout=8)
            self.dismiss(None)  # saved all the same; the caseload reads it again
            app.call_later(answer, app, plan_id, what, fresh)

        self.tplan.push_screen(
            AttentionScreen(stored.plan.client.name, fresh, just_now=True), picked
        )

    def after_saved(
        self, stored: StoredPlan, message: str
    ) -> None:  # pragma: no cover - every walk overrides it
        """Say what was saved and leave (dismissed with the walk's result)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ leaving

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.tplan.push_screen(
            Confirm(f"Leave without saving this {self.noun}? What was entered here will be gone."),
            answer,
        )
