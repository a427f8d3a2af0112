"""How long the goal library takes to load and to search, per key typed in the picker.

Run: .venv/bin/python benchmarks/bench_library_search.py
The picker searches on every key, so a search should stay well under a frame (~16 ms) for a
library three times the shipped one (the caseload-wide library of issue 16 and a practice's own).
"""

from __future__ import annotations

import copy
import time

from tplan_tui.library import load_shipped_library
from tplan_tui.library.areas import Library


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    load_ms = best_of(5, load_shipped_library)
    shipped = load_shipped_library()
    big = Library([copy.deepcopy(a) for _ in range(3) for a in shipped.areas])
    goals = sum(len(a.goals) for a in big.areas)
    print(f"load the shipped library ({len(shipped.areas)} areas): {load_ms:.1f} ms")
    print(f"first search, {len(big.areas)} areas, {goals} goals (builds the index): "
          f"{best_of(1, lambda: big.search('s')):.1f} ms")  # fmt: skip
    for query in ("c", "can't sleep", "panic attack heart", "nothing like this"):
        ms = best_of(50, lambda q=query: big.search(q))
        print(f"search {query!r}: {ms:.2f} ms")


if __name__ == "__main__":
    main()
