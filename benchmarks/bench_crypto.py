"""What encryption at rest costs: key derivation, one save at 20 and 5,000 plans (plain and
encrypted side by side), a warm caseload list, an audit entry, a passphrase change, and encrypting
the plain store in place (`tplan init --encrypt` on an existing store; every plan given a last good
copy first, so twice as many files as plans) with the first caseload list after it.

Run: .venv/bin/python benchmarks/bench_crypto.py [--plans 5000] [--saves 50] [--dir DIR]

Every save is fsync'd, so the figures include the disk. The key is derived once per open, at
the real default cost (scrypt N = 2**17, r = 8, p = 1), never per save.
"""

from __future__ import annotations

import argparse
import copy
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHRIS = ROOT / "examples" / "chris.yaml"
sys.path.insert(0, str(ROOT))

from tplan_tui import planfile  # noqa: E402
from tplan_tui.store import Store, audit, backup_path, crypto, init_store, open_store, rekey  # noqa: E402

PASS = "benchmark passphrase"
NAMES = ["Ari", "Bea", "Cam", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lou"]


def ms(x: float) -> str:
    return f"{x * 1000:8.2f} ms"


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 20 else max(xs)


def build(root: Path, n: int, encrypted: bool) -> tuple[Store, list[str]]:
    store = init_store(root, passphrase=PASS if encrypted else None)
    template = planfile.load_plan_file(CHRIS)
    ids: list[str] = []
    for start in range(0, n, 250):
        plans = []
        for i in range(start, min(n, start + 250)):
            plan = copy.deepcopy(template)
            plan.client.name = f"{NAMES[i % len(NAMES)]} {i}"
            plans.append(plan)
        ids += store.import_plans(plans)
    return store, ids


def saves(store: Store, ids: list[str], runs: int) -> list[float]:
    stored = store.load(ids[0])
    out = []
    for i in range(runs):
        stored.plan.goals[0].text = f"Changed {i}"
        t0 = time.perf_counter()
        stored = store.save(stored.plan_id, stored.plan, base_revision=stored.revision)
        out.append(time.perf_counter() - t0)
    return out


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kdf = [
        timed(lambda: crypto.derive_key(PASS, b"s" * 16, crypto.SCRYPT_N, 8, 1)) for _ in range(3)
    ]
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"key derivation (scrypt N=2**{crypto.SCRYPT_N.bit_length() - 1}, r=8, p=1): "
        f"median {ms(statistics.median(kdf))}; peak memory +{(rss1 - rss0) / 1024:.0f} MiB"
    )

    with tempfile.TemporaryDirectory(dir=args.dir, prefix="tplan-bench-crypto-") as tmp:
        for n in (20, args.plans):
            for encrypted in (False, True):
                kind = "encrypted" if encrypted else "plain    "
                root = Path(tmp) / f"{n}-{kind.strip()}"
                t0 = time.perf_counter()
                store, ids = build(root, n, encrypted)
                t_build = time.perf_counter() - t0
                store.list_plans()  # the index, warm
                t_open = timed(lambda r=root: open_store(r, passphrase=PASS))
                xs = saves(store, ids, args.saves)
                warm = timed(store.list_plans)
                rec = [
                    timed(lambda s=store, i=ids[0]: audit.record(s, "edit", i)) for _ in range(20)
                ]
                print(
                    f"{n:>5} plans {kind}: save median {ms(statistics.median(xs))} "
                    f"p95 {ms(p95(xs))} | open {ms(t_open)} | list (warm) {ms(warm)} | "
                    f"audit entry {ms(statistics.median(rec))} | built in {t_build:.1f} s"
                )
                if not encrypted and n == args.plans:
                    for plan_id in ids:  # a last good copy of every plan, as after a year of use
                        path = store._plan_path(plan_id)
                        if not backup_path(path).exists():
                            shutil.copyfile(path, backup_path(path))
                    plain = open_store(root)  # a fresh process's view, as `tplan init --encrypt`
                    t_encrypt = timed(lambda s=plain: rekey.encrypt_store(s, PASS))
                    t_list = timed(plain.list_plans)
                    print(
                        f"{n:>5} plans plain    : encrypted in place in {t_encrypt:.2f} s "
                        f"({2 * n} plan files and copies, the audit log; one derivation "
                        f"included); first list after {t_list:.2f} s"
                    )
                if encrypted and n == args.plans:
                    t_change = timed(lambda s=store: rekey.change_passphrase(s, "a new passphrase"))
                    print(
                        f"{n:>5} plans encrypted: passphrase change {t_change:.2f} s "
                        f"(both derivations included)"
                    )


if __name__ == "__main__":
    main()
