"""The eight guided steps, in order. Each is a form built from the plan; the plan screen shows one."""

from __future__ import annotations

from .base import StepForm
from .basics import ClientStep, HistoryStep
from .goals import GoalsStep, InterventionsStep, ObjectivesStep
from .lists import ConcernsStep, StrengthsStep
from .sign import ReviewStep

STEPS: list[type[StepForm]] = [
    ClientStep,
    HistoryStep,
    ConcernsStep,
    StrengthsStep,
    GoalsStep,
    ObjectivesStep,
    InterventionsStep,
    ReviewStep,
]
STEP_KEYS = [s.key for s in STEPS]

__all__ = ["STEPS", "STEP_KEYS", "StepForm"]
