"""The plan's versions: the current one and every earlier one kept, read-only, with what changed
from each version to the next (goals, objectives and interventions added, removed, reworded)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tplan_tui.core.changes import changes_in_words
from tplan_tui.core.model import Plan
from tplan_tui.store import StoredVersion
from tplan_tui.tui.safe import safe_text


def signed_by(plan: Plan, version: int) -> str:
    people = [
        f"{s.name or s.role} ({s.role}, {s.signed_on.isoformat() if s.signed_on else 'undated'})"
        for s in plan.signatures
        if s.version == version
    ]
    return "signed by " + ", ".join(people) if people else "not signed"


def version_label(number: int, plan: Plan, replaced: str | None) -> str:
    when = f" · replaced {replaced[:10]}" if replaced else " (current)"
    return f"Version {number}{when} · {signed_by(plan, number)}"


class VersionsScreen(Screen[None]):
    AUTO_FOCUS = "#versions-list"
    BINDINGS = [
        Binding(
            "enter",
            "read",
            "Read",
            id="versions.read",
            tooltip="Read the highlighted version in full (read-only).",
        ),
        Binding("escape", "back", "Back", id="versions.back", tooltip="Back to where you were."),
    ]
    DEFAULT_CSS = """
    #versions-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #versions-list { height: auto; max-height: 8; margin: 0 1; }
    #versions-changes { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, current: Plan, earlier: list[StoredVersion], today: date):
        super().__init__()
        self.current = current
        self.earlier = earlier
        self.today = today
        # newest first: (number, plan, replaced or None for the current one)
        self.entries: list[tuple[int, Plan, str | None]] = [(current.plan.version, current, None)]
        self.entries += [(v.number, v.plan, v.replaced) for v in reversed(earlier)]

    def compose(self) -> ComposeResult:
        yield Static(
            safe_text(
                f"Versions · {self.current.client.name or '(no name)'} · now version "
                f"{self.current.plan.version} · Enter reads one (read-only)"
            ),
            id="versions-title",
        )
        yield OptionList(
            *[
                Option(safe_text(version_label(n, p, r)), id=str(i))
                for i, (n, p, r) in enumerate(self.entries)
            ],
            id="versions-list",
        )
        with VerticalScroll(id="versions-changes"):
            yield Static("", id="versions-diff")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self._show(0)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(int(event.option.id or 0))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_read()

    def previous_of(self, index: int) -> tuple[int, Plan] | None:
        """The version before entry ``index`` (entries are newest first), if one is kept."""
        if index + 1 < len(self.entries):
            number, plan, _r = self.entries[index + 1]
            return number, plan
        return None

    def changes_text(self, index: int) -> Text:
        number, plan, _replaced = self.entries[index]
        out = Text()
        before = self.previous_of(index)
        if before is None:
            out.append(f"Version {number} is the first version kept: nothing to compare it with.\n")
            return out
        old_number, old_plan = before
        out.append(f"What changed from version {old_number} to version {number}:\n", style="bold")
        for line in changes_in_words(old_plan, plan):
            out.append(f"  • {line}\n")
        new_reviews = [r for r in plan.reviews if r not in old_plan.reviews]
        for review in new_reviews:
            out.append(
                f"  Review of {review.date.isoformat()}: {' '.join((review.note or '').split())}\n"
            )
        return out

    def _show(self, index: int) -> None:
        self.query_one("#versions-diff", Static).update(safe_text(self.changes_text(index)))

    def action_read(self) -> None:
        index = self.query_one(OptionList).highlighted or 0
        number, plan, replaced = self.entries[index]
        self.app.push_screen(VersionView(number, plan, replaced, self.today))

    def action_back(self) -> None:
        self.dismiss(None)


class VersionView(Screen[None]):
    """One version in full, as the clinical record reads it: nothing on this screen edits."""

    AUTO_FOCUS = "#version-body"

    BINDINGS = [
        Binding("escape", "back", "Back", id="version.back", tooltip="Back to the versions.")
    ]
    DEFAULT_CSS = """
    #version-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #version-body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, number: int, plan: Plan, replaced: str | None, today: date):
        super().__init__()
        self.number = number
        self.plan = plan
        self.replaced = replaced
        self.today = today

    def compose(self) -> ComposeResult:
        from tplan_tui.summary import render

        state = f"replaced {self.replaced[:10]}, read-only" if self.replaced else "current"
        yield Static(
            safe_text(f"Version {self.number} ({state}) · ↑↓ scroll · Esc back"), id="version-title"
        )
        with VerticalScroll(id="version-body"):
            yield Static(
                safe_text(render(self.plan, audience="clinician", fmt="txt", today=self.today))
            )
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)
