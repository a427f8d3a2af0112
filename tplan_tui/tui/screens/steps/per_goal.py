"""Steps that show one goal at a time (goals, objectives, interventions), with "Goal 2 of 12" on top.

At 80x24 only one goal fits on screen anyway, and a step that mounted every goal of a 12-goal plan
(500+ widgets) took Textual most of a second to lay out on every step change and after every goal
added. Here a step mounts the goal it shows; Ctrl+Down/Ctrl+Up (or Tab past a goal's last field)
bring in the next or previous one. The goal shown is shared by the three steps (``GoalCursor``), so
going from a goal to its objectives stays with that goal.

Mounting a goal's widgets (60 to 110 of them) costs Textual 130-200 ms: too long for a key. So a
step keeps the goals it has mounted, each in its own ``GoalPart``, only the one shown displayed;
while the app is idle the plan screen has the goals next to the one shown mounted
(``prebuild_goal``) and the far ones dropped (``drop_far_goals``): Ctrl+Down then only switches
which part is displayed. Every field's id names its goal, so the parts never clash.

A goal added (Ctrl+N) moves the goals after it down one: the parts of those goals are renumbered in
place (``goal_inserted``: paths, ids and titles) rather than the steps built again, and the goals
step shows a blank goal it built while idle (a spare, ``prebuild_spare``) as the new one. It keeps
two spares, so that Ctrl+N twice in a row finds one each time: the idle moment that builds the
next one only comes after the keys. A goal removed or moved still has its steps built again whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widget import MountError, Widget
from textual.widgets import Static

from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan
from tplan_tui.tui.screens.steps.base import (
    GoalCursor,
    ItemCard,
    ListSection,
    StepForm,
    card_id,
    field_id,
    focusable_in,
)
from tplan_tui.tui.widgets.fields import Field


def goal_of(path: Path | None) -> int | None:
    """The goal position a path is in (``("goals", 2, "objectives", 0)`` -> 2), or None."""
    if path is not None and len(path) >= 2 and path[0] == "goals" and isinstance(path[1], int):
        return path[1]
    return None


class GoalBar(Static):
    """Which goal is shown, of how many, and the keys to the others: docked, always in view."""

    def show(self, index: int, count: int) -> None:
        self.display = count > 0
        if count > 1:
            self.update(f"Goal {index + 1} of {count} · Ctrl+↓ next goal · Ctrl+↑ previous goal")
        else:
            self.update(f"Goal {index + 1} of {count} · Ctrl+N adds a goal")


class GoalPart(Vertical):
    """Holds the widgets of one goal (or, with no goals yet, what the step shows instead)."""

    def __init__(self, goal: int, *, placeholder: bool = False):
        super().__init__(classes="goal-part")
        self.goal = goal
        self.placeholder = placeholder  # what the step shows while the plan has no goal


class GoalParts(Vertical):
    """The goal parts of a step, in the place the goal shown takes on the page."""


KEPT_GOALS = 1  # goals kept mounted on each side of the one shown
# The position a spare blank goal is built for (the second spare the next one): no plan has a goal
# there, so a field of a spare can never write into a goal (its fields are retired, too, until it
# is taken as a new goal); each spare its own, so their ids never clash.
SPARE_AT = 1_000_000


def moved(path: Path, old: int, new: int) -> Path:
    """``path`` with goal ``old`` made goal ``new`` (any other path as it is)."""
    if len(path) >= 2 and path[0] == "goals" and path[1] == old:
        return ("goals", new, *path[2:])
    return path


def shift_goal_keys(keyed: dict[str, Any], index: int) -> None:
    """Move the entries of ``keyed`` (by field id: drafts, what was last applied) of goal
    ``index`` and those after it one goal down, as a goal added at ``index`` moved them."""
    prefix = field_id(("goals",)) + "-"
    moves: dict[str, str] = {}
    for key in keyed:
        if key.startswith(prefix):
            number, sep, rest = key[len(prefix) :].partition("-")
            if number.isdigit() and int(number) >= index:
                moves[key] = f"{prefix}{int(number) + 1}{sep}{rest}"
    values = {key: keyed.pop(key) for key in moves}
    for key, value in values.items():
        keyed[moves[key]] = value


def rename(widget: Widget, new_id: str) -> None:
    """Give a widget another id, mounted or not. Textual sets an id once and indexes it in the
    parent's child list (queries by id read that index): both are updated here, and the
    parent's list marked changed, which drops the cached query results of it and its
    ancestors. (Private attributes: Textual is pinned, and tests cover the lookups.)"""
    old_id = widget.id
    if old_id == new_id:
        return
    parent = widget.parent
    nodes = parent._nodes if parent is not None else None
    if nodes is not None and old_id is not None and nodes._nodes_by_id.get(old_id) is widget:
        del nodes._nodes_by_id[old_id]
    widget._id = new_id
    if nodes is not None:
        nodes._nodes_by_id[new_id] = widget
        nodes.updated()


def widgets_of(part: Widget) -> list[Widget]:
    """``part`` and everything under it, the fields of cards not mounted yet included."""
    nodes: list[Widget] = []

    def gather(node: Widget) -> None:
        nodes.append(node)
        for child in node.children:
            if isinstance(child, Widget):
                gather(child)
        if isinstance(node, ItemCard):
            for waiting in node._waiting:
                gather(waiting)

    gather(part)
    return nodes


def renumber_goal(part: GoalPart, old: int, new: int) -> None:
    """Make the widgets of goal ``old`` those of goal ``new``: every field's path and id, every
    card's and list's place and id (the titles are the step's: ``relabel``)."""
    part.goal = new
    for node in widgets_of(part):
        if isinstance(node, Field):
            node.path = moved(node.path, old, new)
            rename(node, field_id(node.path))
        elif isinstance(node, ItemCard):
            if node.list_path == ("goals",) and node.index == old:
                node.index = new
            node.list_path = moved(node.list_path, old, new)
            rename(node, card_id((*node.list_path, node.index)))
        elif isinstance(node, ListSection):
            node.list_path = moved(node.list_path, old, new)
            rename(node, card_id(node.list_path) + "-list")


def retire(part: Widget, retired: bool) -> None:
    """Mark every field of ``part`` retired (its messages ignored) or not."""
    for node in widgets_of(part):
        if isinstance(node, Field):
            node.retired = retired


class PerGoalStep(StepForm):
    """A step that shows the items of one goal; subclasses say which (``goal_widgets``)."""

    SPARES = 0  # blank goals built while idle, shown when Ctrl+N adds one (the goals step)

    def __init__(
        self,
        plan: Plan,
        today: date,
        drafts: dict[str, Any] | None = None,
        cursor: GoalCursor | None = None,
    ):
        super().__init__(plan, today, drafts, cursor)
        self.goal: int | None = None  # the goal shown (None: none yet)
        self._parts: dict[int, GoalPart] = {}  # the goals mounted, by position
        self._swapping = asyncio.Lock()
        self._going = False  # the step is being dropped (``settle``); not ``_closing``: Textual's
        self._spares: list[GoalPart] = []  # blank goals, hidden, from SPARE_AT (``SPARES``)

    def compose(self) -> ComposeResult:
        yield GoalBar(classes="goal-bar")
        yield from self.compose_before()
        yield GoalParts(classes="goal-parts")
        yield from self.compose_after()

    def compose_before(self) -> Iterable[Widget]:
        return ()

    def compose_after(self) -> Iterable[Widget]:
        return ()

    def goal_widgets(self, index: int) -> list[Widget]:  # pragma: no cover - overridden
        raise NotImplementedError

    def relabel(self, part: GoalPart) -> None:
        """Hook: titles that number the goal, after ``part`` was renumbered."""

    def spare_widgets(self, at: int) -> list[Widget]:  # pragma: no cover - overridden (SPARES)
        raise NotImplementedError

    def no_goal_widgets(self) -> list[Widget]:
        return []

    @property
    def part(self) -> GoalPart:
        """The part of the goal shown."""
        if self.goal is None or self.goal not in self._parts:
            raise NoMatches("no goal is shown yet")
        return self._parts[self.goal]

    def cards(self) -> list[ItemCard]:
        # Only the goal shown and what is outside the goals (the contract): a goal kept
        # hidden has its first cards mounted when it is built, the rest when it is shown.
        hidden = [p for i, p in self._parts.items() if i != self.goal] + self._spares
        return [c for c in super().cards() if not any(p in c.ancestors for p in hidden)]

    async def ready(self, focus: Path | None = None) -> None:
        # One at a time: a goal is never swapped out while its first cards are being mounted
        # (the plan screen's build ahead and a key may both get a step ready).
        async with self._swapping:
            at = goal_of(focus)
            await self._swap(self.cursor.index if at is None else at)
            await super().ready(focus)

    async def show_goal(self, index: int) -> None:
        """Show goal ``index`` in place of the one shown (clamped to the plan's goals); it
        becomes the goal the three steps show."""
        async with self._swapping:
            await self._swap(index)

    async def _swap(self, index: int) -> None:
        count = len(self.plan.goals)
        index = max(0, min(index, count - 1))
        self.cursor.index = index
        if index == self.goal:
            return
        await self.quiesce()  # the old goal's cards stop filling in (it stays, hidden)
        self._filling = False
        if len(self.plan.goals) != count:
            # A goal was added meanwhile (this step being got ready ahead while Ctrl+N was
            # pressed on the goals step): the renumbering waits for this lock, and the goal to
            # show is brought in after it. Ctrl+N adds after the goal shown, which is the one
            # got ready here, so ``index`` still names it today; a goal added before it would
            # not, and this would build a part from the goal that took its place.
            return
        part = await self._mounted_part(index)
        if part is None:
            return
        for other in self._parts.values():
            if other is not part:
                other.display = False
        part.display = True
        self.goal = index
        for bar in self.walk_children(GoalBar):  # none if the step was dropped meanwhile
            bar.show(index, count)

    async def _mounted_part(self, index: int) -> GoalPart | None:
        """Goal ``index``'s part, mounted now (hidden) if it was not; None if the step was
        dropped meanwhile."""
        part = self._parts.get(index)
        if part is not None:
            return part
        # The step can be dropped (an item added or removed elsewhere) before this runs: its
        # parts are gone then, and a query for them failed the build-ahead worker, which ended
        # the app (seen under load: NoMatches 'GoalBar'). Once ``settle`` has run, no goal is
        # mounted any more.
        if self._going or not self.is_attached:
            return None
        count = len(self.plan.goals)
        part = GoalPart(index, placeholder=not count)
        part.display = False
        # Made now, from the goal at ``index`` now: Ctrl+N may insert a goal while the part is
        # being mounted, and the part is then renumbered with the goals after it. Made after
        # the mount's first wait, it took the new blank goal's words under the old goal's
        # place, and the goal after showed blank (what was typed there replaced its words).
        widgets = self.goal_widgets(index) if count else self.no_goal_widgets()
        self._parts[index] = part
        try:
            await self.query_one(GoalParts).mount(part)
            await part.mount_all(widgets)
        except (MountError, NoMatches):
            if self.is_attached and part.is_attached:
                raise
            return None  # the step was dropped while the goal was being mounted
        return part

    def goal_to_prebuild(self) -> int | None:
        """The goal next to the one shown (the next first) not mounted yet, or None."""
        if self.goal is None or self._going or not self.is_attached:
            return None
        for index in (self.goal + 1, self.goal - 1):
            if 0 <= index < len(self.plan.goals) and index not in self._parts:
                return index
        return None

    async def prebuild_goal(self) -> None:
        """Mount, hidden, the goal ``goal_to_prebuild`` names, with its first cards."""
        async with self._swapping:
            index = self.goal_to_prebuild()  # again: a key may have moved on meanwhile
            part = None if index is None else await self._mounted_part(index)
            if part is not None:
                for card in list(part.walk_children(ItemCard))[: self.FIRST_CARDS]:
                    await card.materialize()

    def spare_wanted(self, upto: int | None = None) -> bool:
        """A spare blank goal is to be built: the step shows goals, is on screen and has fewer
        than ``upto`` spares (``SPARES`` if not given)."""
        limit = self.SPARES if upto is None else min(upto, self.SPARES)
        return (
            len(self._spares) < limit
            and bool(self.plan.goals)
            and self.goal is not None
            and bool(self.display)
            and not self._going
            and self.is_attached
        )

    async def prebuild_spare(self) -> None:
        """Mount, hidden, a blank goal at a free place from SPARE_AT with its fields, retired
        until taken."""
        async with self._swapping:
            if not self.spare_wanted():  # again: a key may have moved on meanwhile
                return
            taken = {p.goal for p in self._spares}
            at = next(i for i in range(SPARE_AT, SPARE_AT + self.SPARES + 1) if i not in taken)
            part = GoalPart(at)
            part.display = False
            widgets = self.spare_widgets(at)  # before any wait, as a goal's (_mounted_part)
            self._spares.append(part)
            try:
                await self.query_one(GoalParts).mount(part)
                await part.mount_all(widgets)
                retire(part, True)  # before any field is mounted: they wait in their cards
                for card in part.walk_children(ItemCard):
                    await card.materialize()
            except (MountError, NoMatches):
                if self.is_attached and part.is_attached:
                    raise
                self._spares.remove(part)  # the step was dropped meanwhile

    def spare_goal(self) -> Any:
        """The blank goal a spare shows (``SPARES``)."""
        return None

    async def goal_inserted(self, index: int) -> bool:
        """A goal was added at ``index``: the goals mounted from there on are renumbered (one
        down), titles and count included, and on the goals step the spare becomes the new
        goal's part (hidden) if it still fits. False when the step cannot follow (it showed
        that there was no goal, or it is being dropped): it is to be built again."""
        async with self._swapping:  # never while a goal or the spare is being mounted
            if self._going or any(p.placeholder for p in self._parts.values()):
                return False
            for old in sorted((i for i in self._parts if i >= index), reverse=True):
                part = self._parts.pop(old)
                renumber_goal(part, old, old + 1)
                self.relabel(part)
                self._parts[old + 1] = part
            if self.goal is not None and self.goal >= index:
                self.goal += 1
            if self.goal is not None:  # "Goal 3 of 12" counts one more
                for bar in self.walk_children(GoalBar):
                    bar.show(self.goal, len(self.plan.goals))
            self._take_spare(index)
            return True

    def _take_spare(self, index: int) -> None:
        """Make the first spare goal ``index``'s part if the new goal is as blank as the spare
        (its concerns' words are drawn as they are when shown); else let the spares go (they
        were built from a plan that is not the one now)."""
        if not self._spares:
            return
        spare = self._spares[0]
        if (
            index not in self._parts
            and spare.is_attached
            and all(c.materialized for c in spare.walk_children(ItemCard))
            and self.plan.goals[index] == self.spare_goal()
        ):
            self._spares.pop(0)
            renumber_goal(spare, spare.goal, index)
            self.relabel(spare)
            retire(spare, False)
            self._parts[index] = spare
        else:
            for spare in self._spares:
                spare.remove()  # hidden, its fields retired: nothing waits for it
            self._spares.clear()

    def far_goals(self) -> list[int]:
        """The goals mounted more than ``KEPT_GOALS`` from the one shown, or, on a step not
        on screen, all but the one shown: every hidden widget of the screen still costs each
        restyle and each list change (removing a goal drops and rebuilds the goal steps)."""
        if self.goal is None:
            return []
        kept = KEPT_GOALS if self.display else 0
        return [i for i in self._parts if abs(i - self.goal) > kept]

    def to_let_go(self) -> bool:
        """Far goals mounted, or spares on a step not on screen."""
        return bool(self.far_goals()) or (bool(self._spares) and not self.display)

    async def drop_far_goals(self) -> None:
        """Remove one goal of ``far_goals``, or a spare of a step not on screen (a 12-goal
        plan would otherwise keep some 1,000 widgets per step)."""
        async with self._swapping:
            far = self.far_goals()
            if far:
                part = self._parts.pop(far[0])
            elif self._spares and not self.display:
                part = self._spares.pop()
            else:
                return
            # Never prune a card in the middle of its mount.
            for card in part.walk_children(ItemCard):
                if card._materializing is not None:
                    await card._materializing
            await part.remove()

    async def settle(self) -> None:
        """Wait for a goal being mounted or let go, and mount none after: the step is going."""
        async with self._swapping:
            self._going = True

    async def materialize_goal(self) -> None:
        """Mount every card of the goal shown (Tab must know which field is the goal's last)."""
        for card in self.part.walk_children(ItemCard):
            await card.materialize()

    def in_part(self) -> list[Widget]:
        """What Tab reaches in the goal shown, in order."""
        return focusable_in(self.part)

    def first_in_part(self) -> Widget | None:
        return next(iter(self.in_part()), None)

    def last_in_part(self) -> Widget | None:
        return next(reversed(self.in_part()), None)
