"""FHIR R4 export and import (issue 17): the resources in each sample plan's bundle, and how long
turning a plan into bundle JSON takes, and the JSON back into a plan.

Run: .venv/bin/python benchmarks/bench_fhir.py [--runs 200]

Export is ``plan_to_bundle`` + ``bundle_json`` (what ``tplan export --format fhir`` does after
loading the plan); import is ``json.loads`` + ``bundle_to_plan`` (every check included). Also a
large invented plan: the sample's goals repeated to 20, each with 50 check-ins.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tplan_tui.core import model as m  # noqa: E402
from tplan_tui.fhir import bundle_json, bundle_to_plan, plan_to_bundle  # noqa: E402
from tplan_tui.planfile import load_plan_file  # noqa: E402

SAMPLES = [ROOT / "examples" / "chris.yaml", ROOT / "tests" / "data" / "robin-v2.yaml"]


def large_plan() -> m.Plan:
    plan = load_plan_file(SAMPLES[0])
    goals = [copy.deepcopy(plan.goals[i % len(plan.goals)]) for i in range(20)]
    for goal in goals:
        goal.progress = [
            m.ProgressEntry(date=date(2026, 1, 1) + timedelta(days=7 * k), client_rating=k % 11,
                            clinician_rating=(k + 1) % 11)
            for k in range(50)
        ]  # fmt: skip
    plan.goals = goals
    return plan


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    cases = [(p.name, load_plan_file(p)) for p in SAMPLES] + [("large (20 goals)", large_plan())]
    print("| plan | resources | bundle | export median / p95 | import median / p95 |")
    print("|---|---|---|---|---|")
    for name, plan in cases:
        bundle = plan_to_bundle(plan, "bench")
        text = bundle_json(bundle)
        assert bundle_to_plan(json.loads(text)) == plan
        kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
        counts = ", ".join(f"{k} {n}" for k, n in kinds.items())
        runs = args.runs if len(bundle["entry"]) < 200 else max(10, args.runs // 10)
        ex = timed(lambda p=plan: bundle_json(plan_to_bundle(p, "bench")), runs)
        im = timed(lambda t=text: bundle_to_plan(json.loads(t)), runs)
        print(
            f"| {name} | {len(bundle['entry'])}: {counts} | {len(text.encode()):,} bytes "
            f"| {ex[0]:.2f} / {ex[1]:.2f} ms | {im[0]:.2f} / {im[1]:.2f} ms |"
        )


if __name__ == "__main__":
    main()
