"""Step 8: the whole plan on one screen, what is missing or vague, and the signatures."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tplan_tui.core import model as m
from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan
from tplan_tui.planfile import completeness_errors
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.steps.base import ItemCard, ListSection, StepForm, add_button, hint
from tplan_tui.tui.screens.steps.basics import text
from tplan_tui.tui.screens.steps.goals import choice

ROLES = [(r, r) for r in m.SIGNATURE_ROLES]
PLAN_STATUS = [(s, s) for s in m.PLAN_STATUSES]


def plan_checklist(plan: Plan, today: date) -> list[str]:
    """What is missing or vague, in words, for the review-and-sign step."""
    from tplan_tui.core.measurable import vagueness

    # Signatures first: they are what this step is for, and the list is cut at 12 lines.
    problems = plan.signing_problems(today)
    problems += [f"{e.path}: {e.message}" for e in completeness_errors(plan)]
    if not plan.strengths:
        problems.append("No strengths yet: every plan builds on what the person brings.")
    for gi, goal in enumerate(plan.goals, 1):
        r = goal.rating
        if not (r.label.strip() and r.target is not None):
            problems.append(f"Goal {gi} has no measure: set what is rated and the target.")
        if goal.text.strip():
            why = vagueness(goal.text)
            if why:
                problems.append(f"Goal {gi} may be vague: {why}.")
        for oi, obj in enumerate(goal.objectives, 1):
            if obj.target_date is None and obj.status not in ("achieved", "cancelled"):
                problems.append(f"Objective {gi}.{oi} has no target date.")
            if obj.text.strip():
                why = vagueness(obj.text)
                if why:
                    problems.append(f"Objective {gi}.{oi} may be vague: {why}.")
    return problems


def signature_title(plan: Plan, i: int) -> str:
    s = plan.signatures[i]
    if s.version == plan.plan.version:
        return f"Signature {i + 1}"
    return f"Signature {i + 1} (signed an earlier version: {s.version})"


def status_options(plan: Plan) -> list[tuple[str, str]]:
    # A plan is completed by a closing review (it records why), not by this choice.
    return [(s, s) for s in m.PLAN_STATUSES if s != "completed" or plan.plan.status == "completed"]


def changes_text(previous: tuple[int, Plan] | None, plan: Plan) -> Text:
    """What changed since the previous version, for the people about to sign again."""
    from tplan_tui.core.changes import changes_in_words

    out = Text()
    if previous is None:
        return out
    number, old = previous
    signers = ", ".join(
        f"{s.name or s.role} ({s.role})" for s in old.signatures if s.version == number
    )
    out.append(
        f"Changed since version {number}" + (f", signed by {signers}" if signers else "") + ":\n",
        style="bold",
    )
    for line in changes_in_words(old, plan):
        out.append(f"  • {line}\n")
    return out


def plan_overview(plan: Plan) -> Text:
    out = Text()
    out.append(f"{plan.client.name or '(no name)'}", style="bold")
    out.append(
        f" · {plan.clinician.name or '(no clinician)'} · status {plan.plan.status} · version {plan.plan.version}\n"
    )
    out.append(
        f"{len(plan.presenting_concerns)} concern(s), {len(plan.strengths)} strength(s), {len(plan.goals)} goal(s)\n"
    )
    for gi, g in enumerate(plan.goals, 1):
        r = g.rating
        measure = f"{r.label} {r.baseline if r.baseline is not None else '?'}→{r.target if r.target is not None else '?'}"
        text = " ".join(g.text.split()) or "(no text)"
        out.append(f"  Goal {gi}: {text if len(text) <= 60 else text[:59] + '…'}\n")
        out.append(
            f"    {measure}; {len(g.objectives)} objective(s), {len(g.interventions)} intervention(s)\n"
        )
    return out


class ReviewStep(StepForm):
    key = "review"
    title = "Review and sign"
    default_list = ("signatures",)
    default_what = "signature"
    shows = ("signatures",)

    def compose(self) -> ComposeResult:
        yield Static(safe_text(plan_overview(self.plan)), id="overview", classes="overview")
        yield Static(id="checklist", classes="checklist")
        yield choice(
            "Plan status", ("plan", "status"), self.plan.plan.status, status_options(self.plan)
        )
        if self.plan.plan.status != "completed":
            yield hint("To complete the plan, record a closing review (Ctrl+R on the caseload).")
        changes = Static(id="changes", classes="checklist")  # read just before signing again
        changes.display = False  # until the plan screen says what changed (show_changes)
        yield changes
        with ListSection("Signatures", ("signatures",), "signature"):
            for i, s in enumerate(self.plan.signatures):
                base = ("signatures", i)
                yield ItemCard(
                    signature_title(self.plan, i),
                    ("signatures",),
                    i,
                    choice("Role", (*base, "role"), s.role, ROLES),
                    text("Name", (*base, "name"), s.name, kind="text"),
                    text("Signed on", (*base, "signed_on"), s.signed_on, kind="date"),
                )
            yield add_button("signature (dated today)")

    def on_mount(self) -> None:
        self.refresh_checklist()

    def on_shown(self) -> None:
        self.refresh_checklist()  # everything on the other steps may have changed

    def show_changes(self, previous: tuple[int, Plan] | None) -> None:
        """Show what changed since ``previous`` (number, plan), the version signed before."""
        changes = self.query_one("#changes", Static)
        changes.update(safe_text(changes_text(previous, self.plan)))
        changes.display = previous is not None

    def refresh_checklist(self) -> None:
        problems = plan_checklist(self.plan, self.today)
        body = Text()
        if problems:
            body.append(f"To look at before signing ({len(problems)}):\n", style="bold")
            for p in problems[:12]:
                body.append(f"  • {p}\n")
            if len(problems) > 12:
                body.append(f"  … and {len(problems) - 12} more\n")
        else:
            body.append("✓ Nothing missing: the plan is complete and signed.\n", style="bold")
        self.query_one("#checklist", Static).update(safe_text(body))
        self.query_one("#overview", Static).update(safe_text(plan_overview(self.plan)))
        for card in self.query(ItemCard):
            if card.list_path == ("signatures",) and card.index < len(self.plan.signatures):
                card.border_title = safe_text(signature_title(self.plan, card.index))

    def on_plan_changed(self, path: Path) -> None:
        self.refresh_checklist()
