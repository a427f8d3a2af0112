"""Time from starting `tplan` to its first frame that a user waits for, against a bare Textual app.

Run: .venv/bin/python benchmarks/bench_startup.py [--runs 15]

Each program runs in a pseudo-terminal of 80x24, as in tmux; the clock stops when the awaited
text reaches the terminal. Three cases of tplan, each against the same bare app:

- "first row": a store holding one plan (the sample, client "Chris"), no settings file; the clock
  stops when the client's row is drawn: what a clinician waits for (issue 14's figure).
- "first row, settings": the same with a settings file (a clinician's name, an unlock PIN), as on
  a clinic terminal after the first day.
- "empty store": no plan at all; the clock stops at the caseload's title.

The issue's budget: the first row within 1.3x a bare app.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 1.3

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE-FIRST-FRAME")

Bare().run()
"""

# An invented clinician, as the settings screen writes it.
SETTINGS = """\
theme: tplan-dark
idle_lock_minutes: 10
clinician:
  name: Dana Reyes
  credentials: LPC
"""


def time_to_text(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 20.0
) -> tuple[float, float]:
    """Wall seconds until ``marker`` is drawn, and the child's CPU seconds by then."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                # Textual draws with escape sequences between words: compare letters only.
                if marker in seen.replace(b"\x1b", b"").replace(b" ", b"") or marker in seen:
                    wall = time.perf_counter() - start
                    return wall, _cpu_seconds(proc.pid)
        raise RuntimeError(f"no {marker!r} from {argv} within {timeout} s")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (Linux /proc), or nan elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    base_env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    folder = Path(tempfile.mkdtemp(prefix="tplan-bench-"))
    tplan = shutil.which("tplan") or str(Path(sys.executable).with_name("tplan"))
    bare_py = folder / "bare.py"
    bare_py.write_text(BARE_APP)
    # Both programs start from compiled modules, as installed: Textual's were compiled by pip,
    # and a checkout run with PYTHONDONTWRITEBYTECODE would compile tplan's on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tplan_tui")], check=True)

    def env_for(name: str, *, plan: bool, settings: bool) -> dict[str, str]:
        env = dict(base_env, TPLAN_DB=str(folder / name / "store"))
        env["TPLAN_CONFIG"] = str(folder / name / "config")
        if plan:
            subprocess.run(
                [tplan, "import", str(ROOT / "examples" / "chris.yaml")],
                env=env,
                check=True,
                capture_output=True,
            )
        if settings:
            config = folder / name / "config"
            config.mkdir(parents=True, exist_ok=True)
            (config / "settings.yaml").write_text(SETTINGS)
        return env

    cases = [
        ("first row", env_for("row", plan=True, settings=False), b"Chris"),
        ("first row, settings", env_for("set", plan=True, settings=True), b"Chris"),
        ("empty store, title", env_for("empty", plan=False, settings=False), b"Caseload"),
    ]
    bare_argv = [sys.executable, str(bare_py)]
    # One warm-up each, so all read their files from the page cache (and the index is fresh).
    time_to_text(bare_argv, b"BARE-FIRST-FRAME", base_env)
    for _, env, marker in cases:
        time_to_text([tplan], marker, env)
    bare: list[tuple[float, float]] = []
    ours: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in cases}
    for _ in range(args.runs):  # interleaved, so a change in the load hits every case alike
        bare.append(time_to_text(bare_argv, b"BARE-FIRST-FRAME", base_env))
        for name, env, marker in cases:
            ours[name].append(time_to_text([tplan], marker, env))

    def med(values: list[tuple[float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    b_wall, b_cpu = med(bare, 0), med(bare, 1)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.runs} runs each; medians (ms); CPU = the process's user+system time")
    print(f"{'program':<28}{'wall':>8}{'min':>8}{'CPU':>8}{'ratio':>8}{'CPU ratio':>11}")
    print(
        f"{'bare Textual app':<28}{b_wall * 1000:>8.0f}{min(v[0] for v in bare) * 1000:>8.0f}"
        f"{b_cpu * 1000:>8.0f}{1:>8.2f}{1:>11.2f}"
    )
    for name, values in ours.items():
        wall, cpu = med(values, 0), med(values, 1)
        print(
            f"{'tplan ' + name:<28}{wall * 1000:>8.0f}{min(v[0] for v in values) * 1000:>8.0f}"
            f"{cpu * 1000:>8.0f}{wall / b_wall:>8.2f}{cpu / b_cpu:>11.2f}"
        )
    print(f"budget: the first row within {BUDGET}x the bare app")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
