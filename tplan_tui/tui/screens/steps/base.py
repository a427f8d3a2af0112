"""What every guided step shares: a scrolling form built from the plan, and list items as cards."""

from __future__ import annotations

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


class ItemCard(Vertical):
    """One item of a list (a concern, a goal, an objective): Ctrl+N adds after it, Ctrl+R removes it."""

    DEFAULT_CLASSES = "card"

    def __init__(self, title: str, list_path: Path, index: int, *children: Widget):
        super().__init__(*children, id=card_id((*list_path, index)))
        self.border_title = safe_text(title)  # a str title is markup; titles quote goals
        self.list_path = list_path
        self.index = index


class ListSection(Vertical):
    """A list's items and its "add" hint; Ctrl+N with focus here adds to this list."""

    DEFAULT_CLASSES = "list-section"

    def __init__(self, title: str, list_path: Path, what: str, *children: Widget):
        super().__init__(*children, id=card_id(list_path) + "-list")
        self.border_title = safe_text(title)  # a str title is markup; titles quote goals
        self.list_path = list_path
        self.what = what


def add_button(what: str) -> Button:
    """A visible, Tab-reachable way to add to a list: Enter on it adds (as Ctrl+N does)."""
    return Button(f"+ Add {what}  (Ctrl+N)", compact=True, classes="add-button")


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

    def __init__(self, plan: Plan, today: date, drafts: dict[str, Any] | None = None):
        super().__init__(classes="step-form")
        self.plan = plan
        self.today = today
        self.drafts = drafts or {}

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
