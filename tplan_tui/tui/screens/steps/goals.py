"""Steps 6 to 8: goals with their 0-10 measure, the objectives (small steps) of each goal, and the
interventions of each goal with the treatment contract."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button

from tplan_tui.core import editing
from tplan_tui.core import model as m
from tplan_tui.core.editing import Path
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.steps.base import (
    ItemCard,
    ListSection,
    StepForm,
    add_button,
    add_label,
    field_id,
    hint,
)
from tplan_tui.tui.screens.steps.basics import area, text
from tplan_tui.tui.screens.steps.per_goal import GoalPart, PerGoalStep
from tplan_tui.tui.widgets.concerns import ConcernsField, redraw_concerns
from tplan_tui.tui.widgets.fields import ChoiceField, RatingField

GOAL_STATUS = [(s, s) for s in m.GOAL_STATUSES]
ACHIEVEMENT = [(s, s) for s in m.ACHIEVEMENTS]
OBJECTIVE_STATUS = [(s, s) for s in m.OBJECTIVE_STATUSES]


def choice(
    label: str, path: Path, value: Any, options: list[tuple[str, str]], allow_blank: bool = False
) -> ChoiceField:
    return ChoiceField(
        label, path, value, options=options, allow_blank=allow_blank, id=field_id(path)
    )


def goal_heading(goal: m.Goal, n: int) -> str:
    words = (goal.for_client or "").strip().replace("\n", " ")
    if len(words) > 60:
        words = words[:57] + "…"
    return f"Goal {n}: {words}" if words else f"Goal {n}"


def refresh_goal_headings(form: StepForm) -> None:
    """The goal sections quote each goal's words, which are typed on step 5."""
    for section in form.walk_children(ListSection):
        path = section.list_path
        if len(path) == 3 and path[0] == "goals" and int(path[1]) < len(form.plan.goals):
            gi = int(path[1])
            section.border_title = safe_text(goal_heading(form.plan.goals[gi], gi + 1))


# The titles that number a goal and its items: used to build them and, after a goal added
# before them moved the goal down (``PerGoalStep.goal_inserted``), to title them again.
def goal_title(i: int) -> str:
    return f"Goal {i + 1}"


def item_title(title: str, gi: int, i: int) -> str:
    return f"{title} {gi + 1}.{i + 1}"  # "Objective 3.1"


def add_to_goal(what: str, gi: int) -> str:
    return f"{what} to goal {gi + 1}"  # on the add button: "+ Add objective to goal 3"


def relabel_goal_items(form: StepForm, part: GoalPart, title: str, what: str) -> None:
    """The titles of a goal's objectives or interventions, after the goal was renumbered:
    the heading, "Objective 3.1" and "+ Add objective to goal 3"."""
    gi = part.goal
    for section in part.walk_children(ListSection):
        section.border_title = safe_text(goal_heading(form.plan.goals[gi], gi + 1))
    for card in part.walk_children(ItemCard):
        card.border_title = safe_text(item_title(title, gi, card.index))
    for button in part.query(".add-button").results(Button):
        button.label = add_label(add_to_goal(what, gi))


class GoalsStep(PerGoalStep):
    key = "goals"
    title = "Goals"
    default_list = ("goals",)
    default_what = "goal"
    shows = ("goals", "presenting_concerns")  # "Works on" ticks the concerns by number
    SPARES = 2  # Ctrl+N shows a blank goal built while idle (twice in a row too)

    def compose_before(self) -> ComposeResult:
        yield hint("Measurable goals, each with a 0-10 measure; in Works on, digits tick concerns.")

    def no_goal_widgets(self) -> list[Widget]:
        return [ListSection("Goals", ("goals",), "goal", add_button("goal"))]

    def goal_widgets(self, i: int, goal: m.Goal | None = None) -> list[Widget]:
        card = self.goal_card(i, goal)
        return [ListSection("Goals", ("goals",), "goal", card, add_button("goal"))]

    def spare_goal(self) -> m.Goal:
        goal: m.Goal = editing.new_item("goals", self.plan)
        return goal

    def spare_widgets(self, at: int) -> list[Widget]:
        return self.goal_widgets(at, self.spare_goal())

    def relabel(self, part: GoalPart) -> None:
        for card in part.walk_children(ItemCard):
            card.border_title = safe_text(goal_title(card.index))

    def on_shown(self) -> None:
        redraw_concerns(self)  # reworded on step 3 meanwhile

    def goal_card(self, i: int, goal: m.Goal | None = None) -> ItemCard:
        g = self.plan.goals[i] if goal is None else goal
        base = ("goals", i)
        r = g.rating
        return ItemCard(
            goal_title(i),
            ("goals",),
            i,
            area(
                "Goal",
                (*base, "text"),
                g.text,
                kind="text",
                lines=3,
                hint="measurable: who will do what, rated how",
            ),
            area("Client's words", (*base, "in_client_words"), g.in_client_words, lines=2),
            # Why the goal is there: digits tick the concerns it works on.
            ConcernsField(
                "Works on",
                (*base, "addresses"),
                g.addresses,
                self.concern_words,
                id=field_id((*base, "addresses")),
            ),
            text(
                "What is rated",
                (*base, "rating", "label"),
                r.label,
                kind="text",
                hint="e.g. my mood most days",
            ),
            text("0 means", (*base, "rating", "low"), r.low, kind="text", hint="e.g. very poor"),
            text("10 means", (*base, "rating", "high"), r.high, kind="text", hint="e.g. excellent"),
            RatingField(
                "Baseline",
                (*base, "rating", "baseline"),
                r.baseline,
                low=r.low,
                high=r.high,
                marks={"target": r.target},
                id=field_id((*base, "rating", "baseline")),
            ),
            RatingField(
                "Target",
                (*base, "rating", "target"),
                r.target,
                low=r.low,
                high=r.high,
                marks={"baseline": r.baseline},
                id=field_id((*base, "rating", "target")),
            ),
            text("Target date", (*base, "target_date"), g.target_date, kind="date"),
            choice("Status", (*base, "status"), g.status, GOAL_STATUS),
            choice(
                "Achievement",
                (*base, "achievement"),
                g.achievement,
                ACHIEVEMENT,
                allow_blank=True,
            ),
        )

    def on_plan_changed(self, path: Path) -> None:
        # The scales show what 0 and 10 mean and the other mark, as they are typed.
        if len(path) >= 4 and path[0] == "goals" and path[2] == "rating":
            goal = self.plan.goals[int(path[1])]
            r = goal.rating
            for name, other in (
                ("baseline", {"target": r.target}),
                ("target", {"baseline": r.baseline}),
            ):
                try:
                    field = self.query_one(
                        f"#{field_id(('goals', path[1], 'rating', name))}", RatingField
                    )
                except Exception:
                    continue
                scale = field.editor
                scale.low, scale.high = r.low, r.high
                scale.set_marks(**other)


class ObjectivesStep(PerGoalStep):
    key = "objectives"
    title = "Objectives"
    default_what = "objective"
    shows = ("goals",)

    def compose_before(self) -> ComposeResult:
        yield hint(
            "Small, measurable steps toward each goal: a number, a date or something you can see."
        )

    def no_goal_widgets(self) -> list[Widget]:
        return [hint("There are no goals yet: add one on step 6 (Goals) first.")]

    def goal_widgets(self, gi: int) -> list[Widget]:
        goal = self.plan.goals[gi]
        lp = ("goals", gi, "objectives")
        cards: list[Widget] = []
        for oi, o in enumerate(goal.objectives):
            base = (*lp, oi)
            cards.append(
                ItemCard(
                    item_title("Objective", gi, oi),
                    lp,
                    oi,
                    area("Objective", (*base, "text"), o.text, kind="text", lines=2),
                    area(
                        "Client's words",
                        (*base, "in_client_words"),
                        o.in_client_words,
                        lines=2,
                        hint="the step as they would say it: what the client reads",
                    ),
                    text("Target date", (*base, "target_date"), o.target_date, kind="date"),
                    choice("Status", (*base, "status"), o.status, OBJECTIVE_STATUS),
                )
            )
        cards.append(add_button(add_to_goal("objective", gi)))
        return [ListSection(goal_heading(goal, gi + 1), lp, "objective", *cards)]

    @property
    def default_list(self):  # type: ignore[override]
        return ("goals", self.goal or 0, "objectives") if self.plan.goals else None

    def on_shown(self) -> None:
        refresh_goal_headings(self)

    def relabel(self, part: GoalPart) -> None:
        relabel_goal_items(self, part, "Objective", "objective")


class InterventionsStep(PerGoalStep):
    key = "interventions"
    title = "Interventions and contract"
    default_what = "intervention"
    shows = ("goals", "contract")

    def compose_before(self) -> ComposeResult:
        yield hint("What will be done for each goal, and by whom; then the treatment contract.")

    def goal_widgets(self, gi: int) -> list[Widget]:
        goal = self.plan.goals[gi]
        lp: Path = ("goals", gi, "interventions")
        cards: list[Widget] = []
        for ii, iv in enumerate(goal.interventions):
            base = (*lp, ii)
            cards.append(
                ItemCard(
                    item_title("Intervention", gi, ii),
                    lp,
                    ii,
                    area("What", (*base, "text"), iv.text, kind="text", lines=2),
                    area(
                        "Client's words",
                        (*base, "in_client_words"),
                        iv.in_client_words,
                        lines=2,
                        hint="what it means for them, to them: what the client reads",
                    ),
                    text(
                        "Modality",
                        (*base, "modality"),
                        iv.modality,
                        hint="e.g. CBT, psychoeducation",
                    ),
                    text("Frequency", (*base, "frequency"), iv.frequency, hint="e.g. weekly"),
                    text("By", (*base, "by"), iv.by, hint="clinician, client, family, or a name"),
                )
            )
        cards.append(add_button(add_to_goal("intervention", gi)))
        return [ListSection(goal_heading(goal, gi + 1), lp, "intervention", *cards)]

    def compose_after(self) -> ComposeResult:
        c = self.plan.contract
        with Vertical(classes="sub-section", id="contract") as box:
            box.border_title = "Treatment contract"
            yield text("Modality", ("contract", "modality"), c.modality, hint="e.g. individual CBT")
            yield text("Frequency", ("contract", "frequency"), c.frequency, hint="e.g. weekly")
            yield text(
                "Session minutes",
                ("contract", "session_minutes"),
                c.session_minutes,
                kind="whole",
                limits={"lo": 1, "hi": 1440},
            )
            for key, title, who in (
                ("client_agrees_to", "The client agrees to", "client"),
                ("clinician_agrees_to", "The clinician agrees to", "clinician"),
            ):
                lp = ("contract", key)
                with ListSection(title, lp, "agreement"):
                    for i, t in enumerate(getattr(c, key)):
                        yield ItemCard(
                            f"{i + 1}", lp, i, area("Agrees to", (*lp, i), t, kind="text", lines=1)
                        )
                    yield add_button(f"what the {who} agrees to")
        yield area(
            "Discharge criteria",
            ("plan", "discharge_criteria"),
            self.plan.plan.discharge_criteria,
            lines=2,
        )
        yield area(
            "Client's words",
            ("plan", "discharge_in_client_words"),
            self.plan.plan.discharge_in_client_words,
            lines=2,
            hint="when they will be ready to finish, in their words",
        )
        yield text(
            "Expected end", ("plan", "expected_end"), self.plan.plan.expected_end, kind="date"
        )

    @property
    def default_list(self):  # type: ignore[override]
        return (
            ("goals", self.goal or 0, "interventions")
            if self.plan.goals
            else ("contract", "client_agrees_to")
        )

    def on_shown(self) -> None:
        refresh_goal_headings(self)

    def relabel(self, part: GoalPart) -> None:
        relabel_goal_items(self, part, "Intervention", "intervention")
