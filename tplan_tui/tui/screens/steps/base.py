"""What every guided step shares: a scrolling form built from the plan, and list items as cards.

A step with many items (twelve goals, fifty objectives) would take seconds to build at once, so a
card's fields are mounted when the card is first needed: the first cards of a step at once, the
card to be focused at once, every other card just after, one at a time while the app is idle
(``StepForm.fill``), so a key is never kept waiting behind the whole list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan
from tplan_tui.tui.safe import safe_text


def field_id(path: Path) -> str:
    """A widget id for the field at ``path``, so it can be found again after a redraw."""
    return "f-" + "-".join(str(p) for p in path).replace(" ", "_")


def card_id(path: Path) -> str:
    return "c-" + "-".join(str(p) for p in path)


@dataclass
class GoalCursor:
    """The goal the goals, objectives and interventions steps show (one goal at a time): one
    for the plan screen, shared by its forms, so going from a goal to its objectives stays on
    it (``steps/per_goal.py``)."""

    index: int = 0


class ItemCard(Vertical):
    """One item of a list (a concern, a goal, an objective): Ctrl+N adds after it, Ctrl+R removes it."""

    DEFAULT_CLASSES = "card"

    def __init__(self, title: str, list_path: Path, index: int, *children: Widget):
        super().__init__(id=card_id((*list_path, index)))
        self.border_title = safe_text(title)  # a str title is markup; titles quote goals
        self.list_path = list_path
        self.index = index
        self._waiting: tuple[Widget, ...] = children  # mounted by ``materialize``
        self._materializing: asyncio.Task[None] | None = None

    @property
    def materialized(self) -> bool:
        return self._materializing is not None

    async def materialize(self) -> None:
        """Mount the card's fields (once; a second caller waits for the first)."""
        if self._materializing is None:
            if not self.is_attached:
                return  # its step (or goal, steps 6-8) went meanwhile: nothing to mount into
            self._materializing = asyncio.create_task(self._mount_fields())
        # Shielded: a caller cancelled (its step dropped) never cuts a mount in half.
        await asyncio.shield(self._materializing)

    async def _mount_fields(self) -> None:
        children, self._waiting = self._waiting, ()
        await self.mount_all(children)
        # Bring back what was typed but not yet valid (kept as drafts with the plan).
        form = next((a for a in self.ancestors if isinstance(a, StepForm)), None)
        if form is not None:
            form.apply_drafts(self)


class ListSection(Vertical):
    """A list's items and its "add" hint; Ctrl+N with focus here adds to this list."""

    DEFAULT_CLASSES = "list-section"

    def __init__(self, title: str, list_path: Path, what: str, *children: Widget):
        super().__init__(*children, id=card_id(list_path) + "-list")
        self.border_title = safe_text(title)  # a str title is markup; titles quote goals
        self.list_path = list_path
        self.what = what


def focusable_in(root: Widget) -> list[Widget]:
    """What Tab reaches under ``root``, in order: the displayed, focusable widgets in the
    order of the page. (The screen's focus chain sorts by position on screen, which a
    widget mounted since the last layout does not have yet.)"""
    found: list[Widget] = []

    def walk(node: Widget) -> None:
        for child in node.children:
            if isinstance(child, Widget) and child.display:
                if child.focusable:
                    found.append(child)
                walk(child)

    walk(root)
    return found


def add_label(what: str) -> str:
    return f"+ Add {what}  (Ctrl+N)"


def add_button(what: str) -> Button:
    """A visible, Tab-reachable way to add to a list: Enter on it adds (as Ctrl+N does)."""
    return Button(add_label(what), compact=True, classes="add-button")


def hint(text: str) -> Static:
    return Static(text, classes="hint")


class StepForm(VerticalScroll, inherit_bindings=False):
    """One guided step. PageUp/PageDown belong to the plan screen (steps), not to scrolling;
    the form scrolls to whichever field has focus."""

    key = ""  # the step's name in the plan's meta ("client", "goals"…)
    title = ""
    # The list Ctrl+N adds to when the focus is in no list (None: this step has no list).
    default_list: Path | None = None
    default_what = "item"

    # The plan's top-level lists this step shows as items: adding or removing an item of one of
    # them (which shifts positions) means the step is built again.
    shows: tuple[str, ...] = ()
    FIRST_CARDS = 3  # mounted with the step: enough to fill the first screen

    def __init__(
        self,
        plan: Plan,
        today: date,
        drafts: dict[str, Any] | None = None,
        cursor: GoalCursor | None = None,
    ):
        super().__init__(classes="step-form")
        self.plan = plan
        self.today = today
        self.cursor = cursor if cursor is not None else GoalCursor()
        # The plan screen's own dict (not a copy): drafts kept after the step was built still
        # come back in the cards mounted later.
        self.drafts = drafts if drafts is not None else {}
        self._drafts_shown = False
        self._filling = False
        # Called once the form has a size (the plan screen scrolls to a field jumped to).
        self.after_layout: Callable[[], None] | None = None

    def on_resize(self) -> None:
        callback, self.after_layout = self.after_layout, None
        if callback is not None:
            self.call_after_refresh(callback)

    async def ready(self, focus: Path | None = None) -> None:
        """Mount the first cards, and the card at ``focus`` (a card's path), before the step is
        shown; the others follow in the background."""
        if not self._drafts_shown:  # the fields outside cards, once (cards do their own)
            self._drafts_shown = True
            self.apply_drafts(self)
        cards = self.cards()
        wanted = cards[: self.FIRST_CARDS]
        if focus is not None:
            wanted += [
                c for c in cards if (*c.list_path, c.index) == tuple(focus[: len(c.list_path) + 1])
            ]
        for card in wanted:
            await card.materialize()
        if not self._filling and any(not c.materialized for c in cards):
            self._filling = True
            self.run_worker(self.fill(), group="fill")

    def cards(self) -> list[ItemCard]:
        """The cards whose fields this step mounts now and fills in (steps 6-8: of the goal
        shown)."""
        # walk_children, not query(): a query matches a CSS selector at every widget of the
        # step, and these walks run at every key that changes a list (Ctrl+N, Ctrl+Down).
        return self.walk_children(ItemCard)

    async def fill(self) -> None:
        """Mount the remaining cards one at a time, letting keys through between them."""
        for card in self.cards():
            if not card.materialized:
                await card.materialize()
                await asyncio.sleep(0)

    async def settle(self) -> None:
        """Hook: wait for work of the step's own that mounts into it (steps 6-8: a goal)."""

    async def quiesce(self) -> None:
        """Stop filling in cards and wait for any card being mounted: then the form can go."""
        self.workers.cancel_group(self, "fill")
        for card in self.walk_children(ItemCard):
            if card._materializing is not None:
                await card._materializing

    def apply_drafts(self, root: Widget) -> None:
        """Show what was typed but not valid yet (kept as drafts) in the fields under ``root``."""
        from textual.widgets import Input

        from tplan_tui.tui.widgets.fields import Field

        for field in root.walk_children(Field):
            raw = self.drafts.get(field_id(field.path))
            if raw is None:
                continue
            editor = field.editor
            if isinstance(editor, Input) and editor.value != raw:
                editor.value = raw

    def on_shown(self) -> None:
        """Hook: the step is on screen again after another step; bring up to date what it
        shows from other steps (headings that quote a goal, the review's checklist)."""

    def concern_words(self) -> list[str]:
        """The presenting concerns' words as they are now (lists of concerns to tick)."""
        return [c.text for c in self.plan.presenting_concerns]

    def add_target(self, focused: Widget | None) -> tuple[Path, int | None, str] | None:
        """Where Ctrl+N adds: (list path, after which position or None for the end, what)."""
        node = focused
        while node is not None and node is not self:
            if isinstance(node, ItemCard):
                section = next((a for a in node.ancestors if isinstance(a, ListSection)), None)
                what = section.what if section else self.default_what
                return node.list_path, node.index, what
            if isinstance(node, ListSection):
                return node.list_path, None, node.what
            node = node.parent if isinstance(node.parent, Widget) else None
        if self.default_list is None:
            return None
        return self.default_list, None, self.default_what

    def remove_target(self, focused: Widget | None) -> tuple[Path, int] | None:
        node = focused
        while node is not None and node is not self:
            if isinstance(node, ItemCard):
                return node.list_path, node.index
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    def on_plan_changed(self, path: Path) -> None:
        """Hook for fields that depend on others (e.g. the guardian on the date of birth)."""

    def field_warning(self, path: Path) -> str | None:
        """What to say under a field whose value was taken but is doubtful (None: nothing)."""
        return None
