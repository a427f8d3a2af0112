"""What a save and a caseload list cost as the store grows: 20 plans against 5,000.

Run: .venv/bin/python benchmarks/bench_store.py [--plans 5000] [--saves 50] [--dir DIR]

Prints, for a store of 20 plans and one of N plans (default 5,000):
- one save of a changed plan (``Store.save``): median and p95 over ``--saves`` saves;
- ``list_plans`` at N plans: cold (no index), warm (index fresh), and after one plan changed;
- ``tplan list --json`` as a subprocess at N plans (warm index), start-up included.

The stores live in a temporary folder on the same disk as ``--dir`` (default: the system temp
folder), and every save is fsync'd, so the figures include what the disk costs. Every plan is the
sample plan (examples/chris.yaml) under an invented client name.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHRIS = ROOT / "examples" / "chris.yaml"
sys.path.insert(0, str(ROOT))

from tplan_tui import planfile  # noqa: E402 - after the sys.path line, to run from a checkout
from tplan_tui.store import INDEX_NAME, Store, open_store  # noqa: E402

NAMES = ["Ari", "Bea", "Cam", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lou"]


def build_store(root: Path, n: int, batch: int = 250) -> tuple[Store, list[str]]:
    """A store of ``n`` plans, imported in batches (one lock and one journal per batch)."""
    store = open_store(root)
    template = planfile.load_plan_file(CHRIS)
    ids: list[str] = []
    for start in range(0, n, batch):
        plans = []
        for i in range(start, min(n, start + batch)):
            plan = copy.deepcopy(template)
            plan.client.name = f"{NAMES[i % len(NAMES)]} {i}"
            plan.plan.review_every_days = 1 + i % 90
            plans.append(plan)
        ids += store.import_plans(plans)
    return store, ids


def timings(fn: Callable[[int], object], runs: int) -> list[float]:
    out = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 20 else max(xs)


def ms(x: float) -> str:
    return f"{x * 1000:8.1f} ms"


def bench_saves(store: Store, ids: list[str], runs: int) -> list[float]:
    # Saves spread over a few plans, each a real change (the goal's text), as autosave does.
    targets = [store.load(plan_id) for plan_id in ids[:5]]

    def one(i: int) -> None:
        stored = targets[i % len(targets)]
        stored.plan.goals[0].text = f"Changed {i}: " + stored.plan.goals[0].text.split(": ", 1)[-1]
        targets[i % len(targets)] = store.save(
            stored.plan_id, stored.plan, base_revision=stored.revision
        )

    return timings(one, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--dir", default=None, help="make the stores under this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tplan-bench-", dir=args.dir) as tmp:
        tmp_path = Path(tmp)
        print(f"tplan store benchmark: {args.plans:,} plans, {args.saves} saves, in {tmp}")

        small, small_ids = build_store(tmp_path / "small", 20)
        t0 = time.perf_counter()
        big, big_ids = build_store(tmp_path / "big", args.plans)
        print(f"built the {args.plans:,}-plan store in {time.perf_counter() - t0:.1f} s")
        small.list_plans()
        big.list_plans()

        print("\none save (Store.save of a changed plan)")
        for label, store, ids in (("20", small, small_ids), (f"{args.plans:,}", big, big_ids)):
            xs = bench_saves(store, ids, args.saves)
            print(f"  at {label:>6} plans: median {ms(statistics.median(xs))}   p95 {ms(p95(xs))}")

        print(f"\nlist_plans at {args.plans:,} plans")
        (big.root / INDEX_NAME).unlink(missing_ok=True)
        cold = timings(lambda _: big.list_plans(), 1)[0]
        warm = timings(lambda _: big.list_plans(), 5)
        stored = big.load(big_ids[-1])
        stored.plan.client.name = "Renamed"
        big.save(stored.plan_id, stored.plan)
        after_one = timings(lambda _: big.list_plans(), 1)[0]
        rows, problems = big.list_plans()
        assert len(rows) == args.plans and not problems, (len(rows), problems)
        print(f"  cold (no index):        {ms(cold)}")
        print(f"  warm (index fresh):     {ms(statistics.median(warm))}  (median of 5)")
        print(f"  after one plan changed: {ms(after_one)}")

        print(f"\ntplan list --json at {args.plans:,} plans (a new process each time)")
        env = {**os.environ, "TPLAN_DB": str(big.root), "TPLAN_TODAY": "2026-01-15"}
        cmd = [sys.executable, "-m", "tplan_tui", "list", "--json"]

        def cli(_: int) -> None:
            done = subprocess.run(cmd, env=env, capture_output=True, check=True, cwd=ROOT)
            assert done.stdout.startswith(b"{"), done.stdout[:100]

        xs = timings(cli, 5)
        print(f"  median {ms(statistics.median(xs))}   min {ms(min(xs))}  (5 runs)")
        xs = timings(lambda _: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
        print(f"  (a bare Python start here: {ms(statistics.median(xs))})")


if __name__ == "__main__":
    main()
