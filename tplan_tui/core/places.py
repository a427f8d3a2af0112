"""The places in a plan one can jump to by name: each goal (its text, its baseline and target
ratings), objective and intervention, with the guided step and field path that edit it.

The command palette offers them ("goal 3", "objective 2.1", "baseline") and the goal outline
lists them. Names hold no typed text (the palette reads its names as markup); the outline's
``label`` adds a short excerpt of the item's words for the person choosing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan

EXCERPT = (
    44  # characters of an item's words in the outline: one line at 80 columns, 2-digit numbers too
)


@dataclass(frozen=True)
class Place:
    name: str  # "Goal 3", "Objective 2.1", "Goal 1 baseline rating"
    help: str  # a sentence without typed text
    step: str  # the guided step's key
    path: Path  # the field focused there
    excerpt: str = ""  # the item's words, shortened (typed text: shown only through safe_text)
    outline: bool = True  # listed in the goal outline (the rating fields are palette-only)

    @property
    def label(self) -> str:
        indent = "" if self.name.startswith("Goal") else "  "
        words = self.excerpt or "(no words yet)"
        return f"{indent}{self.name}: {words}"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def places(plan: Plan) -> list[Place]:
    """Every goal, objective and intervention of ``plan`` in outline order, with each goal's
    baseline and target rating fields after it."""
    out: list[Place] = []
    for gi, goal in enumerate(plan.goals):
        g = gi + 1
        out.append(
            Place(
                f"Goal {g}",
                f"Go to goal {g}'s words on the Goals step.",
                "goals",
                ("goals", gi, "text"),
                _excerpt(goal.text),
            )
        )
        for mark in ("baseline", "target"):
            out.append(
                Place(
                    f"Goal {g} {mark} rating",
                    f"Go to goal {g}'s {mark} rating (0-10) on the Goals step.",
                    "goals",
                    ("goals", gi, "rating", mark),
                    outline=False,
                )
            )
        for oi, objective in enumerate(goal.objectives):
            out.append(
                Place(
                    f"Objective {g}.{oi + 1}",
                    f"Go to objective {g}.{oi + 1} on the Objectives step.",
                    "objectives",
                    ("goals", gi, "objectives", oi, "text"),
                    _excerpt(objective.text),
                )
            )
        for ii, intervention in enumerate(goal.interventions):
            out.append(
                Place(
                    f"Intervention {g}.{ii + 1}",
                    f"Go to intervention {g}.{ii + 1} on the Interventions step.",
                    "interventions",
                    ("goals", gi, "interventions", ii, "text"),
                    _excerpt(intervention.text),
                )
            )
    return out
