"""`tplan --demo`: a throwaway store holding a few invented example plans, so a newcomer sees a
working caseload at once. Nothing in it is real, and it is deleted when the app closes."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from tplan_tui.core.model import Plan
from tplan_tui.planfile import load_plan_file
from tplan_tui.store import Store, open_store

DEMO_DIR = Path(__file__).parent


def demo_plans() -> list[Plan]:
    plans = [load_plan_file(p) for p in sorted(DEMO_DIR.glob("*.yaml"))]
    draft = Plan()  # a plan just begun, as one looks before the steps are done
    draft.client.name = "Lee"
    draft.clinician.name = "Dana Reyes"
    draft.plan.status = "draft"
    draft.plan.started = date.today()
    draft.plan.review_every_days = 90
    plans.append(draft)
    return plans


def make_demo_store() -> tuple[Store, tempfile.TemporaryDirectory[str]]:
    folder = tempfile.TemporaryDirectory(prefix="tplan-demo-")
    store = open_store(Path(folder.name) / "store")
    store.import_plans(demo_plans())
    return store, folder
