"""Step 8: the whole plan on one screen, what is missing or vague, and the signatures."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ... import model as m
from ...model import Plan
from ...planfile import completeness_errors
from .base import ItemCard, ListSection, StepForm, add_button, field_id, hint
from .basics import text
from .goals import choice

ROLES = [(r, r) for r in m.SIGNATURE_ROLES]
PLAN_STATUS = [(s, s) for s in m.PLAN_STATUSES]


def plan_checklist(plan: Plan, today) -> list[str]:
    """What is missing or vague, in words, for the review-and-sign step."""
    try:
        from ...measurable import vagueness
    except ImportError:  # the checker ships with the goal library
        def vagueness(_text: str) -> str | None:
            return None

    problems = [f"{e.path}: {e.message}" for e in completeness_errors(plan)]
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
    signed = {s.role for s in plan.current_signatures()}
    for role in ("client", "clinician"):
        if role not in signed:
            problems.append(f"Not signed yet by the {role}.")
    if plan.client.is_minor_on(today) and "guardian" not in signed:
        problems.append("The client is under 18: a guardian must sign too.")
    stale = [s for s in plan.signatures if s.version != plan.plan.version]
    if stale:
        problems.append(f"{len(stale)} signature(s) are for an earlier version: sign again.")
    return problems


def plan_overview(plan: Plan) -> Text:
    out = Text()
    out.append(f"{plan.client.name or '(no name)'}", style="bold")
    out.append(f" · {plan.clinician.name or '(no clinician)'} · status {plan.plan.status} · version {plan.plan.version}\n")
    out.append(f"{len(plan.presenting_concerns)} concern(s), {len(plan.strengths)} strength(s), {len(plan.goals)} goal(s)\n")
    for gi, g in enumerate(plan.goals, 1):
        r = g.rating
        measure = f"{r.label} {r.baseline if r.baseline is not None else '?'}→{r.target if r.target is not None else '?'}"
        out.append(f"  Goal {gi}: {g.text.strip()[:70] or '(no text)'}\n")
        out.append(f"    {measure}; {len(g.objectives)} objective(s), {len(g.interventions)} intervention(s)\n")
    return out


class ReviewStep(StepForm):
    key = "review"
    title = "Review and sign"
    default_list = ("signatures",)
    default_what = "signature"

    def compose(self) -> ComposeResult:
        yield Static(plan_overview(self.plan), id="overview", classes="overview")
        yield Static(id="checklist", classes="checklist")
        yield choice("Plan status", ("plan", "status"), self.plan.plan.status, PLAN_STATUS)
        with ListSection("Signatures", ("signatures",), "signature"):
            for i, s in enumerate(self.plan.signatures):
                base = ("signatures", i)
                yield ItemCard(
                    f"Signature {i + 1}" + ("" if s.version == self.plan.plan.version else " (earlier version)"),
                    ("signatures",),
                    i,
                    choice("Role", (*base, "role"), s.role, ROLES),
                    text("Name", (*base, "name"), s.name, kind="text"),
                    text("Signed on", (*base, "signed_on"), s.signed_on, kind="date"),
                )
            yield add_button("signature (dated today)")

    def on_mount(self) -> None:
        self.refresh_checklist()

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
        self.query_one("#checklist", Static).update(body)
        self.query_one("#overview", Static).update(plan_overview(self.plan))

    def on_plan_changed(self, path) -> None:
        self.refresh_checklist()
