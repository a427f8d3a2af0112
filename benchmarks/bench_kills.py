"""Random SIGKILLs during saves and imports: does any acknowledged save or import get lost, and
does any plan file come out damaged?

Run: .venv/bin/python benchmarks/bench_kills.py [--kills 1000] [--encrypt] [--dir DIR] [--seed N]

Two kinds of process are killed at random moments, in a random mix (the kill timing is the kill
tests' own, tests/cli/killing.py):

- ``tplan import`` of 1-3 plan files, killed anywhere from start-up to the end, or just after its
  journal appears (in the middle of writing plan files);
- a saver: a process that loads one plan and saves it again and again (every fifth save starts
  a new version, so that a save writes the kept version and then the plan), printing each
  revision once ``Store.save`` has returned, killed after a random number of saves.

A save or import counts as acknowledged once its process printed it. Afterwards (and every 100
kills) it checks: every plan loads and lists with no problem (a damaged one is a corruption),
each plan's revision is at least the last one acknowledged for it and its text is the text of
that revision (else a loss), every acknowledged import is there whole, no import is there in
part, and after the next writer no temp file or journal is left. It prints kills, losses,
corruptions and the time taken. Every plan is the invented sample plan under an invented name.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHRIS = ROOT / "examples" / "chris.yaml"
sys.path.insert(0, str(ROOT))

from tests.cli.killing import TPLAN, kill_at_random, spawn  # noqa: E402 - after sys.path
from tplan_tui import planfile  # noqa: E402
from tplan_tui.store import JOURNAL_NAME, crypto, init_store, open_store  # noqa: E402

PASS = "an invented benchmark passphrase"
SAVER = """
import sys
from tplan_tui.store import open_store
store = open_store(sys.argv[1], passphrase=sys.argv[3] or None)
plan_id = sys.argv[2]
print("ready", flush=True)
while True:
    stored = store.load(plan_id)
    n = stored.revision + 1
    stored.plan.clinician_notes = f"saved as revision {n}"
    if n % 5 == 0:
        stored.plan.plan.version += 1
    saved = store.save(plan_id, stored.plan, base_revision=stored.revision)
    print(saved.revision, flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--encrypt", action="store_true", help="an encrypted store")
    parser.add_argument("--dir", default=None, help="make the store under this folder")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    template = planfile.load_plan_file(CHRIS)

    with tempfile.TemporaryDirectory(prefix="tplan-kills-", dir=args.dir) as tmp:
        tmp_path = Path(tmp)
        db = tmp_path / "store"
        passphrase = PASS if args.encrypt else ""
        env = {"TPLAN_DB": str(db), "TPLAN_PASSPHRASE": passphrase}
        # A cheap key, as the tests make: each killed process derives it again, and the store
        # keeps its own parameters, so every process opens it with this cost.
        crypto.SCRYPT_N = 2**10
        store = init_store(db, passphrase=PASS) if args.encrypt else open_store(db)
        savers = []
        for name in ("Saver One", "Saver Two", "Saver Three"):
            plan = copy.deepcopy(template)
            plan.client.name = name
            savers.append(store.create(plan).plan_id)
        acknowledged = {plan_id: 1 for plan_id in savers}
        files_dir = tmp_path / "files"
        files_dir.mkdir()
        sizes: dict[int, int] = {}
        printed: dict[int, list[str]] = {}

        def batch_files(n: int, size: int) -> list[str]:
            out = []
            for k in range(size):
                path = files_dir / f"b{n}-{k}.yaml"
                text = CHRIS.read_text("utf-8").replace("  name: Chris\n", f"  name: B{n}-{k}\n", 1)
                path.write_text(text, "utf-8")
                out.append(str(path))
            return out

        def timed(argv: list[str]) -> float:
            t0 = time.perf_counter()
            proc = spawn(argv, env)
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            return time.perf_counter() - t0

        sizes[0] = 3
        import_time = timed([*TPLAN, "import", *batch_files(0, 3)])
        printed[0] = []  # counted as finished below, by the list
        print(
            f"kill benchmark: {args.kills} kills, {'encrypted' if args.encrypt else 'plain'} "
            f"store in {tmp}; one import takes {import_time * 1000:.0f} ms here"
        )

        kills = imports = saves_acknowledged = 0
        losses: list[str] = []
        corruptions: list[str] = []
        started = time.perf_counter()
        n = 0
        while kills < args.kills:
            n += 1
            if rng.random() < 0.5:
                imports += 1
                sizes[n] = rng.randint(1, 3)
                proc = spawn([*TPLAN, "import", *batch_files(n, sizes[n])], env)
                killed = kill_at_random(proc, rng, import_time, watch=db / JOURNAL_NAME)
                out, err = proc.communicate(timeout=60)
                printed[n] = [line.split("\t")[0] for line in out.splitlines()]
                if not killed and proc.returncode != 0:
                    corruptions.append(f"import {n} failed: {err.strip()}")
            else:
                plan_id = rng.choice(savers)
                proc = spawn([sys.executable, "-c", SAVER, str(db), plan_id, passphrase], env)
                assert proc.stdout is not None
                first = proc.stdout.readline()  # started and opened: now kill it mid-saves
                if first != "ready\n":
                    proc.kill()
                    corruptions.append(f"a saver could not start: {proc.communicate()[1][-300:]}")
                    continue
                saves = rng.randint(0, 12)
                line = ""
                for _ in range(saves):
                    line = proc.stdout.readline()
                    if not line:
                        break
                    acknowledged[plan_id] = max(acknowledged[plan_id], int(line))
                    saves_acknowledged += 1
                time.sleep(rng.uniform(0, 0.003))  # land anywhere within the next save
                proc.send_signal(signal.SIGKILL)
                rest, err = proc.communicate(timeout=60)
                for line in rest.splitlines():
                    if line.strip().isdigit():  # printed before the kill landed
                        acknowledged[plan_id] = max(acknowledged[plan_id], int(line))
                        saves_acknowledged += 1
                killed = proc.returncode == -signal.SIGKILL
                if not killed:
                    corruptions.append(f"a saver of {plan_id} died: {err.strip()[-300:]}")
            kills += killed
            if kills % 100 == 0 and killed:
                check(db, passphrase, savers, acknowledged, sizes, printed, losses, corruptions)
                print(
                    f"  {kills:5d} kills, {time.perf_counter() - started:6.0f} s: "
                    f"{len(losses)} losses, {len(corruptions)} corruptions",
                    flush=True,
                )
        check(db, passphrase, savers, acknowledged, sizes, printed, losses, corruptions)
        elapsed = time.perf_counter() - started
        plans = len(os.listdir(db / "plans"))
        print(
            f"\n{kills} kills in {elapsed:.0f} s ({kills / elapsed:.1f} a second): "
            f"{imports} imports and {n - imports} savers run, {saves_acknowledged} saves "
            f"acknowledged; {plans} files in plans/ at the end"
        )
        print(f"losses: {len(losses)}")
        for loss in losses[:10]:
            print(f"  {loss}")
        print(f"corruptions: {len(corruptions)}")
        for corruption in corruptions[:10]:
            print(f"  {corruption}")


def check(db, passphrase, savers, acknowledged, sizes, printed, losses, corruptions) -> None:
    """Settle what the kills left (as the next writer does), then count losses and corruptions."""
    store = open_store(db, passphrase=passphrase or None)
    with store.writing():  # the next writer: rolls back a dead import, sweeps temp files
        pass
    leftovers = [name for name in os.listdir(db / "plans") + os.listdir(db) if name.startswith(".")]
    if leftovers != [".lock"] or (db / JOURNAL_NAME).exists():
        corruptions.append(f"left behind after the next writer: {leftovers}")
    rows, problems = store.list_plans()
    corruptions.extend(str(p) for p in problems)
    for plan_id in savers:
        try:
            stored = store.load(plan_id)
            store.versions(plan_id)
        except Exception as exc:  # noqa: BLE001 - any failure to read is a corruption
            corruptions.append(f"{plan_id}: {exc}")
            continue
        if stored.revision < acknowledged[plan_id]:
            losses.append(
                f"{plan_id}: revision {stored.revision}, acknowledged {acknowledged[plan_id]}"
            )
        expected = f"saved as revision {stored.revision}" if stored.revision > 1 else ""
        if stored.revision > 1 and stored.plan.clinician_notes != expected:
            corruptions.append(f"{plan_id}: revision {stored.revision} holds another's text")
    by_batch: dict[int, list[str]] = {}
    for row in rows:
        match = re.fullmatch(r"B(\d+)-\d", row.client)
        if match:
            by_batch.setdefault(int(match.group(1)), []).append(row.plan_id)
    for batch, ids in by_batch.items():
        if len(ids) != sizes[batch]:
            corruptions.append(f"import {batch} is there in part: {len(ids)} of {sizes[batch]}")
    for batch, ids in printed.items():
        if ids and sorted(ids) != sorted(by_batch.get(batch, [])):
            losses.append(f"import {batch} printed its ids and is not there whole")


if __name__ == "__main__":
    main()
