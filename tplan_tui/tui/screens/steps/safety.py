"""Step 5: the client's safety plan and the latest risk, in words, before the goals (issue 11).

The step shows; the writing happens in the safety-plan walk (``screens/safety.py``), one part at a
time with the client's side growing, opened here with one key (S), as is a risk assessment (R)
and the client's one-page safety plan (P). Both save into the plan this screen has open.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from tplan_tui.core import attention
from tplan_tui.core import model as m
from tplan_tui.core.editing import Path
from tplan_tui.core.safety import PARTS, entries, has_safety_plan
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.steps.base import StepForm, hint

NEEDS_SAFETY_PLAN = ("moderate", "high", "imminent")


def safety_words(plan: m.Plan) -> Text:
    """The latest risk and the safety plan in words, for the clinician's side of the step."""
    out = Text()
    latest = plan.safety.latest_assessment
    if latest is None:
        out.append("Risk: no assessment yet.", style="bold")
        out.append(" R records one (the level by one key, a note, today's date).\n")
    else:
        out.append(f"Latest risk: {latest.risk}", style="bold")
        out.append(f", on {latest.date.isoformat()}")
        note = " ".join((latest.note or "").split())
        out.append(f": {note}\n" if note else ".\n")
        out.append("  (clinician-only: never in a client document)\n", style="dim")
    # The plan's own risk reasons, said as the caseload says them (words, not colour alone).
    for reason in attention.reasons(plan):
        if reason.key.startswith(("risk|", "no-safety-plan|", "old-safety-plan|")):
            out.append(f"⚠ Needs attention: {reason.text}\n", style="bold")
    sp = plan.safety.plan
    if sp is None or not has_safety_plan(plan):
        needed = latest is not None and latest.risk in NEEDS_SAFETY_PLAN
        out.append("\nSafety plan: none yet", style="bold")
        out.append(" (needed: the risk is above low).\n" if needed else ".\n")
        out.append("S writes it with the client, one short list at a time.\n")
        return out
    made = f", made on {sp.made_on.isoformat()}" if sp.made_on else ""
    out.append(f"\nSafety plan{made}:\n", style="bold")
    for part in PARTS:
        found = entries(sp, part)
        if not found:
            out.append(f"  {part.heading}: (nothing yet)\n", style="dim")
            continue
        said = "; ".join(f"{t}: {c}" if c else t for t, c in found)
        out.append(f"  {part.heading}: ", style="bold")
        out.append(f"{said}\n")
    return out


class SafetyStep(StepForm):
    key = "safety"
    title = "Safety plan and risk"

    BINDINGS = [
        Binding(
            "s",
            "screen.safety_plan",
            "Safety plan",
            id="plan.safety.plan",
            # The step's buttons say S, R and P; at 80 columns the footer then keeps room for
            # the plan's own keys (with S and R there, Quit and F1 were cut off).
            show=False,
            tooltip="Go over the client's safety plan now, one part at a time.",
        ),
        Binding(
            "r",
            "screen.risk",
            "Risk",
            id="plan.safety.risk",
            show=False,
            tooltip="Record a risk assessment: the level by one key, a note, today's date.",
        ),
        Binding(
            "p",
            "screen.safety_page",
            "Page",
            id="plan.safety.page",
            show=False,
            tooltip="The client's safety plan on one page, to read together or save and print.",
        ),
    ]

    DEFAULT_CSS = """
    SafetyStep .safety-button { margin: 0 0 0 1; min-width: 0; }
    SafetyStep #safety-words { height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield hint("The client's own plan for a hard time, and the latest risk. One key each:")
        yield Button(
            "S  Go over the safety plan", id="safety-open", compact=True, classes="safety-button"
        )
        yield Button(
            "R  Record a risk assessment", id="safety-risk", compact=True, classes="safety-button"
        )
        yield Button(
            "P  The client's safety plan page",
            id="safety-page",
            compact=True,
            classes="safety-button",
        )
        yield Static(safe_text(safety_words(self.plan)), id="safety-words")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {
            "safety-open": "safety_plan",
            "safety-risk": "risk",
            "safety-page": "safety_page",
        }.get(event.button.id or "")
        if action:
            await self.screen.run_action(action)

    def refresh_words(self) -> None:
        self.query_one("#safety-words", Static).update(safe_text(safety_words(self.plan)))

    def on_plan_changed(self, path: Path) -> None:
        self.refresh_words()

    def on_shown(self) -> None:
        # Kept while other steps are shown: the walk or a risk assessment opened from the
        # palette on another step changed what this step says.
        self.refresh_words()
