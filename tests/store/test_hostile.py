"""Hostile conditions for the store (issue 18): a plan that cannot be read or summarised, an
index that cannot be written, disk errors, no hard links, an edited meta file, an older copy of
an encrypted plan swapped in, and a store folder removed under a running tplan.

Every name here is invented.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from tests.privacy_helpers import FAST_N
from tests.samples import CHRIS_YAML
from tplan_tui import planfile
from tplan_tui.core.model import Plan
from tplan_tui.store import (
    DamagedPlan,
    PlanSummary,
    crypto,
    open_store,
)


def named(name: str) -> Plan:
    plan = planfile.load_plan_file(CHRIS_YAML)
    plan.client.name = name
    return plan


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "store")


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


def edit_stored_plan(store, plan_id: str, **plan_keys) -> Path:
    """Change keys of the ``plan:`` section inside a plain store's plan file, as a hand edit would."""
    path = store.plans_dir / f"{plan_id}.json"
    raw = json.loads(path.read_text("utf-8"))
    raw["plan"]["1"]["data"]["plan"].update(plan_keys)
    path.write_text(json.dumps(raw), "utf-8")
    return path


# --------------------------------------------------------------------------- one bad plan


def test_a_start_date_far_in_the_future_hides_no_other_plan(store):
    good = store.create(named("Ada")).plan_id
    bad = store.create(named("Bo")).plan_id
    path = edit_stored_plan(store, bad, started="9999-12-31")  # its next review overflows

    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good]
    (problem,) = problems
    assert isinstance(problem, DamagedPlan)
    assert (problem.plan_id, problem.path) == (bad, path)
    assert problem.reason  # in words; the plan reader may refuse the date, or the summary overflow
    assert problem.startswith(f"plan {bad}: {path} is damaged")
    assert "Bo" not in problem  # a problem line never carries the plan's text
    # The good plan is listed again from the index, the bad one reported again.
    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good] and [p.plan_id for p in problems] == [bad]


@pytest.mark.parametrize(
    "error", [OverflowError("date value out of range"), ValueError("x"), RuntimeError("y")]
)
def test_any_failure_to_summarise_one_plan_is_that_plan_s_problem(store, monkeypatch, error):
    ids = [store.create(named(name)).plan_id for name in ("Cy", "Di", "Ed")]
    real = PlanSummary.of.__func__

    def of(cls, plan_id, plan, updated):
        if plan_id == ids[1]:
            raise error
        return real(cls, plan_id, plan, updated)

    monkeypatch.setattr(PlanSummary, "of", classmethod(of))
    rows, problems = store.list_plans()
    assert sorted(r.plan_id for r in rows) == sorted([ids[0], ids[2]])
    assert [p.plan_id for p in problems] == [ids[1]]
    assert str(store.plans_dir / f"{ids[1]}.json") in problems[0]


def test_a_plan_file_that_cannot_be_read_is_that_plan_s_problem(store, monkeypatch):
    good = store.create(named("Fay")).plan_id
    bad = store.create(named("Gil")).plan_id
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == f"{bad}.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good]
    assert problems[0].plan_id == bad and "permission was denied" in problems[0]
