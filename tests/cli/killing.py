"""Killing tplan with SIGKILL at random moments, as a crash or a pulled plug would: the machinery
shared by the kill tests (tests/cli/test_cli.py) and the kill benchmark (benchmarks/bench_kills.py).

Nothing in a killed process gets to clean up; what it leaves is for the next writer to settle.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).with_name("tplan")
TPLAN = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "tplan_tui"]


def spawn(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start ``argv`` (e.g. ``[*TPLAN, "import", ...]``) with ``env`` added to this environment."""
    return subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
    )


def kill_at_random(
    proc: subprocess.Popen, rng: random.Random, duration: float, watch: Path | None = None
) -> bool:
    """SIGKILL ``proc`` at a random moment; True if it was still running when killed.

    Half the time anywhere in 0.2-1.1 of ``duration`` (how long one run takes here, start-up
    included: start-up, checks and writes are all hit); otherwise, if ``watch`` is given, within
    4 ms of that file appearing (an import's journal: in the middle of writing the plan files).
    Waiting polls the condition; the only sleeps are the random moment itself.
    """
    if watch is None or rng.random() < 0.5:
        time.sleep(rng.uniform(0.2, 1.1) * duration)
    else:
        until = time.monotonic() + 5
        while not watch.exists() and proc.poll() is None and time.monotonic() < until:
            time.sleep(0.0002)
        time.sleep(rng.uniform(0, 0.004))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True
