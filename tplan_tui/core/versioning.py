"""When a plan starts a new version. Core: no Textual.

A version is what the people signing agreed to. Each review starts a new version (the review
screen raises ``plan.version``), and so does the first change to what was agreed in a version
that has signatures. Records of how the plan is going — progress, achievement, objective status,
reviews — and its consents, signatures and status (draft/active) do not: signing the plan, or
checking in, never asks for it to be signed again.

The store keeps each replaced version read-only (``Store.save`` freezes the stored copy when the
version goes up; ``Store.save_version`` keeps a given copy). ``VersionGuard`` watches a plan being
edited in the guided session and says when a change started a new version.
"""

from __future__ import annotations

import copy
from typing import Any

from tplan_tui.core import model as m


def agreed_content(plan: m.Plan) -> dict[str, Any]:
    """The plan as agreed: its data without signatures, consents, reviews, the safety part,
    status, version and the records of progress (progress entries, achievement, objective
    status, standard measure scores)."""
    from tplan_tui.planfile import plan_to_data

    data = plan_to_data(plan)
    # The safety plan and risk assessments are made and remade in the room, often in a crisis:
    # they never ask for the treatment plan to be signed again. Standard measure scores are a
    # record of progress, like the ratings.
    for key in ("signatures", "consents", "reviews", "safety", "measures"):
        data.pop(key, None)
    info = data.get("plan", {})
    info.pop("status", None)
    info.pop("version", None)
    for goal in data.get("goals", []):
        goal.pop("progress", None)
        goal.pop("achievement", None)
        for objective in goal.get("objectives", []):
            objective.pop("status", None)
    return data


def is_signed(plan: m.Plan) -> bool:
    """True when the plan's current version carries at least one signature."""
    return bool(plan.current_signatures())


def start_new_version(plan: m.Plan) -> int:
    """Raise the plan's version by one; return the version it replaces."""
    old = plan.plan.version
    plan.plan.version = old + 1
    return old


class VersionGuard:
    """Watches a plan as it is edited; ``check`` after each change.

    It keeps a copy of the plan as last seen while its current version is signed; when a change
    alters what was agreed, ``check`` raises the version once and returns (the signed version's
    number, the plan as it was signed), for the store to keep. Later changes belong to the new,
    unsigned version and start nothing.
    """

    def __init__(self, plan: m.Plan):
        self._signed: m.Plan | None = None
        self._agreed: dict[str, Any] | None = None
        self._remember(plan)

    def _remember(self, plan: m.Plan) -> None:
        if is_signed(plan):
            self._signed = copy.deepcopy(plan)
            self._agreed = agreed_content(plan)
        else:
            self._signed = self._agreed = None

    def check(self, plan: m.Plan) -> tuple[int, m.Plan] | None:
        if self._signed is not None and agreed_content(plan) != self._agreed:
            signed = self._signed
            start_new_version(plan)
            self._remember(plan)  # the new version has no signatures yet: nothing more to watch
            return signed.plan.version, signed
        self._remember(plan)
        return None
