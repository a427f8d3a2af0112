"""Hostile input (issue 18): what the bounds cost and what they save.

Run: .venv/bin/python benchmarks/bench_hostile.py [--cases 10000] [--skip-fuzz]

- **wrap**: one unbroken word of 1 MB (ASCII, and CJK at two cells a character) wrapped for
  txt, and a clinical record whose note is that word rendered as txt. Budget: under 1 s
  (before issue 18 the wrap was quadratic: 200,000 characters took 6.9 s).
- **import**: `tplan import` as a new process of a 2 MB flow list (refused at 50,000 values),
  the largest list under `extra` that is accepted, a 2 MB file of short strengths, and a plan
  nested 5,000 deep; wall time and the child's peak memory (ru_maxrss).
- **fuzz**: the mutation fuzzer of the test suite (tests/fuzzing.py) for ``--cases`` cases,
  in-process through `tplan import`'s own function: cases, accepted, failures, time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tplan_tui import planfile  # noqa: E402
from tplan_tui.summary import render  # noqa: E402
from tplan_tui.summary.txt import wrap  # noqa: E402

CHRIS = ROOT / "examples" / "chris.yaml"
TPLAN = Path(sys.executable).with_name("tplan")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_wrap() -> None:
    print("wrap (txt), one unbroken word of 1 MB:")
    for label, word in (("ASCII", "x" * 1_000_000), ("CJK", "中" * 1_000_000)):
        print(f"  {label:<6} wrap at 80 columns   {timed(lambda w=word: wrap(w)):6.3f} s")
    plan = planfile.load_plan_file(CHRIS)
    plan.clinician_notes = "y" * 1_000_000  # built in Python: the reader caps text at 100,000
    seconds = timed(lambda: render(plan, audience="clinician", fmt="txt", today=date(2016, 8, 1)))
    print(f"  clinical record as txt with that note  {seconds:6.3f} s")


# Runs the command as its own child and prints that child's peak memory: ru_maxrss of children
# is the largest of all of them so far, so each case gets a fresh parent.
_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _import(path: Path, db: Path) -> tuple[int, float, float]:
    """(exit code, seconds, peak MB) of `tplan import path` as a new process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(TPLAN), "--db", str(db), "import", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    code, peak_kb = done.stdout.split()
    return int(code), seconds, int(peak_kb) / 1024


def bench_import(tmp: Path) -> None:
    base = CHRIS.read_text()
    cases: list[tuple[str, str]] = []
    n = (planfile.MAX_FILE_BYTES - len(base) - 40) // 2
    cases.append(("2 MB flow list under extra", base + "extra: {x: [" + "1," * n + "1]}\n"))
    cases.append(("49,000 values under extra", base + "extra: {x: [" + "1," * 48_999 + "1]}\n"))
    strengths = "".join(f"  - text: strength {i}\n" for i in range(15_000))
    cases.append(
        ("15,000 strengths (~0.4 MB)", base.replace("strengths:\n", "strengths:\n" + strengths, 1))
    )
    cases.append(("nesting 5,000 deep", base + "extra: {x: " + "[" * 5000 + "]" * 5000 + "}\n"))
    cases.insert(0, ("the sample plan (for scale)", base))
    print("tplan import as a new process (exit, wall time, peak memory of the process):")
    for label, text in cases:
        path = tmp / "case.yaml"
        path.write_text(text)
        code, seconds, peak = _import(path, tmp / "db")
        size = len(text.encode())
        print(f"  {label:<28} {size / 1e6:5.2f} MB  exit {code}  {seconds:6.2f} s  {peak:6.0f} MB")


def bench_fuzz(cases: int, tmp: Path) -> None:
    from hypothesis import HealthCheck, given, settings

    from tests.fuzzing import check_case, mutated_plans, seed_store

    os.environ.setdefault("TPLAN_CONFIG", str(tmp / "config"))
    seen = {"cases": 0, "accepted": 0}
    failures: list[str] = []
    work = [tmp]

    @settings(
        max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated_plans())
    def one(text: str) -> None:
        if seen["cases"] % 500 == 0:  # a fresh store now and then: each case checks it whole
            work[0] = tmp / f"run{seen['cases']}"
            work[0].mkdir()
            seed_store(work[0])
        seen["cases"] += 1
        if seen["cases"] % 1000 == 0:
            print(f"  ... {seen['cases']:,} cases, {len(failures)} failures", flush=True)
        plans = work[0] / "db" / "plans"
        before = len(list(plans.glob("*.json")))
        problem = check_case(text, work[0])
        if problem:
            failures.append(problem)
        elif len(list(plans.glob("*.json"))) > before:
            seen["accepted"] += 1

    seconds = timed(one)
    print(
        f"fuzz: {seen['cases']:,} cases, {seen['accepted']:,} accepted, {len(failures)} failures, "
        f"{seconds:.1f} s ({seconds / max(seen['cases'], 1) * 1000:.1f} ms a case)"
    )
    for problem in sorted(set(failures))[:10]:
        print(f"  failure: {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="fuzz cases (default 10,000)")
    parser.add_argument("--skip-fuzz", action="store_true")
    args = parser.parse_args()
    bench_wrap()
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=where) as tmp:
        bench_import(Path(tmp))
    if not args.skip_fuzz:
        with tempfile.TemporaryDirectory(dir=where) as tmp:
            bench_fuzz(args.cases, Path(tmp))


if __name__ == "__main__":
    main()
