"""The nine guided steps, in order. Each is a form built from the plan; the plan screen shows one."""

from __future__ import annotations

from tplan_tui.tui.screens.steps.base import StepForm
from tplan_tui.tui.screens.steps.basics import ClientStep, HistoryStep
from tplan_tui.tui.screens.steps.goals import GoalsStep, InterventionsStep, ObjectivesStep
from tplan_tui.tui.screens.steps.lists import ConcernsStep, StrengthsStep
from tplan_tui.tui.screens.steps.safety import SafetyStep
from tplan_tui.tui.screens.steps.sign import ReviewStep

STEPS: list[type[StepForm]] = [
    ClientStep,
    HistoryStep,
    ConcernsStep,
    StrengthsStep,
    SafetyStep,  # before the goals: risk first, and impossible to miss
    GoalsStep,
    ObjectivesStep,
    InterventionsStep,
    ReviewStep,
]
STEP_KEYS = [s.key for s in STEPS]

__all__ = ["STEPS", "STEP_KEYS", "StepForm"]
