"""The client pane: the plan as the client reads it, in plain words and their own words, live.

Only client-facing content is shown here. History, diagnoses and clinician notes are never read
by this module (a test checks that a canary in them never reaches the pane).
"""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tplan_tui.core.model import Plan
from tplan_tui.tui.safe import safe_text

OBJECTIVE_WORDS = {
    "not-started": "not started yet",
    "in-progress": "working on it",
    "achieved": "done",
    "not-achieved": "not reached",
    "cancelled": "stopped",
}
BY_WORDS = {"clinician": "Your counselor", "client": "You", "family": "Your family"}


def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def client_view(plan: Plan, crisis_lines: tuple[tuple[str, str], ...] | None = None) -> Group:
    """The plan for the client's eyes: headings and short sentences, never clinician-only text.
    Their safety plan in short comes first when there is one; how to reach help comes last
    (``crisis_lines``: the settings' lines, for a plan with none of its own)."""
    parts: list[RenderableType] = []

    def heading(title: str) -> None:
        parts.append(Text("\n" + title, style="bold underline"))

    def item(marker: str, text: str, indent: int) -> None:
        # The marker in a column of its own, so wrapped lines stay under the text.
        grid = Table.grid()
        grid.add_column(width=len(marker) + 1, no_wrap=True)
        grid.add_column(ratio=1)
        # Text: what clients type is never markup; safe_text: nor terminal control codes.
        grid.add_row(Text(marker), safe_text(text))
        parts.append(Padding(grid, (0, 0, 0, indent)))

    def line(text: str, indent: int = 0, style: str = "") -> None:
        # Padding keeps wrapped lines under the first one (a hanging indent).
        parts.append(Padding(safe_text(text, style=style), (0, 0, 0, indent)))

    name = plan.client.name.strip() or "you"
    title = f"Your plan, {name}" if plan.client.name.strip() else "Your plan"
    parts.append(safe_text(title, style="bold"))
    if plan.clinician.name.strip():
        cred = f", {plan.clinician.credentials}" if plan.clinician.credentials else ""
        line(f"You are working with {plan.clinician.name}{cred}.")

    from tplan_tui.core.safety import PART_BY_KEY, crisis_lines_words, entries, has_safety_plan

    safety_plan = plan.safety.plan
    if safety_plan is not None and has_safety_plan(plan):
        heading("Your safety plan, in short")
        for key in ("warning_signs", "coping_on_my_own", "people_to_ask", "crisis_lines"):
            part = PART_BY_KEY[key]
            found = entries(safety_plan, part)
            if found:
                line(f"{part.heading}:", 0, "italic")
                for text, contact in found:
                    item("•", f"{text}: {contact}" if contact else text, 2)
    if plan.presenting_concerns:
        heading("What brought you here")
        for concern in plan.presenting_concerns:
            if concern.for_client.strip():
                item("•", f"{concern.for_client.strip()}", 2)
    if plan.strengths:
        heading("Your strengths")
        for strength in plan.strengths:
            if strength.for_client.strip():
                item("•", f"{strength.for_client.strip()}", 2)
    goals = [g for g in plan.goals if g.for_client.strip() or g.objectives]
    if goals:
        heading("What you want to work on")
        for n, goal in enumerate(goals, 1):
            line(f"Goal {n}: {goal.for_client.strip() or '(not written yet)'}", style="bold")
            r = goal.rating
            if r.label.strip():
                scale = f"You rate “{r.label.strip()}” from 0 to 10"
                if r.low.strip() and r.high.strip():
                    scale += f": 0 means {r.low.strip()}, 10 means {r.high.strip()}"
                line(scale + ".", 2)
            marks = []
            if r.baseline is not None:
                marks.append(f"you started at {r.baseline}")
            latest = goal.latest_client_rating
            if latest is not None:
                marks.append(f"your latest rating is {latest}")
            if r.target is not None:
                marks.append(f"your target is {r.target}")
            if marks:
                line(("; ".join(marks) + ".").capitalize(), 2)
            if goal.target_date:
                line(f"Aim to get there by {long_date(goal.target_date)}.", 2)
            steps = [o for o in goal.objectives if o.text.strip()]
            if steps:
                line("Your steps:", 2, "italic")
                for k, o in enumerate(steps, 1):
                    when = f" (by {long_date(o.target_date)})" if o.target_date else ""
                    item(
                        f"{k}.",
                        f"{o.text.strip()}{when} — {OBJECTIVE_WORDS.get(o.status, o.status)}",
                        4,
                    )
            helps = [i for i in goal.interventions if i.text.strip()]
            if helps:
                line("How we will help:", 2, "italic")
                for i in helps:
                    who = BY_WORDS.get((i.by or "").strip().lower(), (i.by or "").strip() or "")
                    item("•", i.text.strip() + (f" ({who})" if who else ""), 4)
    c = plan.contract
    if not c.is_empty():
        heading("How we will work together")
        how = []
        if c.modality:
            how.append(c.modality.strip())
        if c.frequency:
            how.append(c.frequency.strip())
        if c.session_minutes:
            how.append(f"{c.session_minutes} minutes each time")
        if how:
            line("We meet: " + ", ".join(how) + ".")
        if c.client_agrees_to:
            line("You agree to:")
            for t in c.client_agrees_to:
                if t.strip():
                    item("•", f"{t.strip()}", 2)
        if c.clinician_agrees_to:
            line("Your counselor agrees to:")
            for t in c.clinician_agrees_to:
                if t.strip():
                    item("•", f"{t.strip()}", 2)
    if plan.next_review:
        heading("Next check of this plan")
        line(f"We will look at this plan together again by {long_date(plan.next_review)}.")
    signed = plan.current_signatures()
    if signed:
        heading("Signed by")
        for s in signed:
            when = f" on {long_date(s.signed_on)}" if s.signed_on else ""
            item("•", f"{s.name} ({s.role}){when}", 2)
    if len(parts) <= 2:
        line("")
        line(
            "As you fill in the plan, this side shows it in plain words for the client.",
            style="dim",
        )
    heading("How to reach help")
    for words in crisis_lines_words(plan, crisis_lines):
        line(words)
    return Group(*parts)


class ClientPane(VerticalScroll, can_focus=True):
    """Scrollable by keys when focused; refreshed by the plan screen after every edit."""

    BORDER_TITLE = "What the client sees"

    def compose(self):
        yield Static(id="client-view")

    def show(self, plan: Plan) -> None:
        lines = getattr(getattr(self.app, "settings", None), "crisis_lines", None)
        self.query_one("#client-view", Static).update(client_view(plan, lines))
