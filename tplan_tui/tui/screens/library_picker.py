"""The goal library picker (Ctrl+L): search as you type across areas and goals, preview one, and
insert the whole goal, or only the objectives and interventions you tick, in a few keys."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from tplan_tui.library import Area, Library, LibraryGoal, fill_name
from tplan_tui.library.cache import current_library
from tplan_tui.tui.safe import SafeInput, safe_text


@dataclass
class Picked:
    """What the clinician chose: a whole goal, or some of its objectives and interventions."""

    goal: LibraryGoal
    whole: bool
    objectives: list[int]
    interventions: list[int]
    # Where ticked steps go: the position of an existing goal the clinician chose in the
    # picker, or None for a new goal made from the library goal. Never the goal that had focus
    # unless it was chosen: steps landing in the wrong goal were issue 14's bug.
    target: int | None = None


def where_hint(target: int | None, goal_count: int, steps: int, helps: int) -> str:
    """What Enter will do with the ticked items, in words short enough for 80 columns."""
    if not steps and not helps:
        where = f"a new goal {goal_count + 1}" if target is None else f"goal {target + 1}"
        return f"Ticked steps go to {where}"
    what = f"{steps} step{'s' if steps != 1 else ''}"
    if helps:
        what += f", {helps} help{'s' if helps != 1 else ''}"
    if target is None:
        return f"Adds goal {goal_count + 1} with {what}"
    return f"Adds {what} to goal {target + 1}"


def preview(area: Area, goal: LibraryGoal, name: str | None) -> Text:
    out = Text()
    out.append(f"{area.area}\n", style="bold")
    out.append(f"{fill_name(goal.text, name)}\n")
    if goal.in_client_words:
        out.append(
            f"In the client's words: {fill_name(goal.in_client_words, name)}\n", style="italic"
        )
    r = goal.rating
    out.append(f"Rated: {r.label} (0 = {r.low}, 10 = {r.high})\n")
    return out


class TickList(SelectionList[str]):
    """The goal's steps and interventions: Space ticks one, Enter adds the ticked ones.

    Each line starts with [x] or [ ] so ticked and unticked differ by a mark, not colour alone.
    """

    BINDINGS = [
        Binding(
            "enter",
            "screen.add_ticked",
            "Add ticked",
            tooltip="Add the ticked steps and interventions.",
        )
    ]

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A highlight posted just before a search with no match emptied the list would look
        # up an option that is gone (Textual 8.2.8 does not check) and stop the app.
        # Textual calls the handler of each class in turn: prevent_default skips SelectionList's.
        if event.option_index >= self.option_count:
            event.stop()
            event.prevent_default()


class LibraryPicker(ModalScreen[Picked | None]):
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="library.cancel",
            tooltip="Close the library; nothing is added.",
        ),
        Binding(
            "ctrl+t",
            "target",
            "Which goal",
            id="library.target",
            tooltip="Choose where ticked steps go: a new goal, or one of the plan's goals.",
        ),
        Binding(
            "down",
            "results",
            "Results",
            show=False,
            id="library.down",
            tooltip="From the search box, move into the list of goals.",
        ),
    ]

    def __init__(
        self,
        library: Library | None = None,
        *,
        goals: list[str] | None = None,
        near: int | None = None,
        client_name: str | None = None,
    ):
        super().__init__()
        self.client_name = client_name
        self.library = library or current_library()
        # The plan's goals (their text), so the picker can name the one ticked steps go to.
        self.goals = goals or []
        # The goal the focus was in: the first Ctrl+T offers it, but only Ctrl+T chooses it.
        self.near = near
        self.target: int | None = None
        self.found: list[tuple[Area, LibraryGoal]] = []
        self.prompts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog library"):
            yield Label(
                "Goal library · type to search · Enter adds the whole goal", classes="dialog-title"
            )
            yield SafeInput(
                placeholder="e.g. sleep, panic, parent, walk…", id="library-search", compact=True
            )
            with Horizontal(id="library-body"):
                yield OptionList(id="library-goals")
                with VerticalScroll(id="library-preview", can_focus=False):
                    yield Static(id="library-about")
                    yield TickList(id="library-items")
            yield Static(id="library-where", classes="hint")
            yield Static(
                "↓ goals · Enter adds the goal · Tab Tab to steps · Space ticks · Esc close",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(".library").set_class(self.app.size.width < 100, "-narrow")
        self._search("")
        self._show_where()
        self.query_one("#library-search").focus()
        for problem in self.library.problems:
            self.notify(problem, severity="warning", timeout=10)

    @on(Input.Changed, "#library-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#library-search")
    def _enter_in_search(self) -> None:
        if self.found:
            self._pick_whole(self.query_one("#library-goals", OptionList).highlighted or 0)

    def _search(self, query: str) -> None:
        self.found = self.library.search(query)
        options = self.query_one("#library-goals", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(safe_text(f"{a.area}: {g.in_client_words or g.text}"), id=str(i))
                for i, (a, g) in enumerate(self.found)
            ]
        )
        if self.found:
            options.highlighted = 0
            self._show(0)
        else:
            near = ", ".join(a.area for a in self.library.nearest(query))
            self.query_one("#library-about", Static).update(
                safe_text(
                    "No goal matches. Try fewer or other words."
                    + (f" Nearest areas: {near}." if near else "")
                )
            )
            self.query_one("#library-items", SelectionList).clear_options()

    @on(OptionList.OptionHighlighted, "#library-goals")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A highlight from before the last search may point past its results.
        if event.option_index is not None and event.option_index < len(self.found):
            self._show(event.option_index)

    def _show(self, index: int) -> None:
        area, goal = self.found[index]
        # The library's files and the client's name are user text: never markup.
        self.query_one("#library-about", Static).update(
            safe_text(preview(area, goal, self.client_name))
        )
        items = self.query_one("#library-items", SelectionList)
        items.clear_options()
        name = self.client_name
        self.prompts = {
            f"o{i}": f"Step: {fill_name(o.text, name)}" for i, o in enumerate(goal.objectives)
        }
        for i, iv in enumerate(goal.interventions):
            self.prompts[f"i{i}"] = (
                f"Help: {fill_name(iv.text, name)}"
                + (f" ({iv.by})" if iv.by else "")
                # The caution sits beside the intervention, where it is chosen.
                + (f" ⚠ Caution: {fill_name(iv.caution, name)}" if iv.caution else "")
            )
        items.add_options([(safe_text(f"[ ] {p}"), v) for v, p in self.prompts.items()])
        items.highlighted = 0  # Space ticks the first at once
        self._show_where()

    @on(SelectionList.SelectedChanged, "#library-items")
    def _ticked(self) -> None:
        items = self.query_one("#library-items", TickList)
        for index, value in enumerate(self.prompts):
            mark = "[x]" if value in items.selected else "[ ]"
            items.replace_option_prompt_at_index(index, safe_text(f"{mark} {self.prompts[value]}"))
        self._show_where()

    def _show_where(self) -> None:
        selected = self.query_one("#library-items", TickList).selected
        steps = sum(1 for v in selected if v.startswith("o"))
        helps = len(selected) - steps
        text = where_hint(self.target, len(self.goals), steps, helps)
        if self.target is not None:
            title = self.goals[self.target].strip() or "(no text yet)"
            text += f" ({title[:30]}{'…' if len(title) > 30 else ''})"
        if self.goals:
            text += " · Ctrl+T other goal"
        self.query_one("#library-where", Static).update(safe_text(text))

    def action_target(self) -> None:
        """Step through: a new goal, the goal that had focus, the other goals, a new goal..."""
        if not self.goals:
            self.notify("The plan has no goals yet: ticked steps make a new goal.", timeout=4)
            return
        start = self.near if self.near is not None and self.near < len(self.goals) else 0
        order: list[int | None] = [None]
        order += [(start + i) % len(self.goals) for i in range(len(self.goals))]
        self.target = order[(order.index(self.target) + 1) % len(order)]
        self._show_where()

    @on(OptionList.OptionSelected, "#library-goals")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick_whole(event.option_index)

    def _pick_whole(self, index: int) -> None:
        self.dismiss(Picked(self.found[index][1], True, [], []))

    def action_add_ticked(self) -> None:
        items = self.query_one("#library-items", SelectionList)
        index = self.query_one("#library-goals", OptionList).highlighted
        if index is None or not items.selected:
            self.notify(
                "Tick steps with Space first, or Enter on a goal to add it whole.", timeout=4
            )
            return
        goal = self.found[index][1]
        objectives = [int(v[1:]) for v in items.selected if v.startswith("o")]
        interventions = [int(v[1:]) for v in items.selected if v.startswith("i")]
        self.dismiss(Picked(goal, False, objectives, interventions, self.target))

    def action_results(self) -> None:
        if self.focused is self.query_one("#library-search"):
            self.query_one("#library-goals").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
