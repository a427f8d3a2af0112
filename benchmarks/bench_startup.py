"""Time from starting `tplan` to its first frame (the caseload on screen), against a bare Textual app.

Run: .venv/bin/python benchmarks/bench_startup.py [--runs 15]

Each program runs in a pseudo-terminal of 80x24, as in tmux; the clock stops when the first
frame's text reaches the terminal. The issue's budget: the caseload within 1.5x a bare app.
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

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE-FIRST-FRAME")

Bare().run()
"""


def time_to_text(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 10.0
) -> float:
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
                    return time.perf_counter() - start
        raise RuntimeError(f"no first frame from {argv} within {timeout} s")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    folder = Path(tempfile.mkdtemp(prefix="tplan-bench-"))
    env["TPLAN_DB"] = str(folder / "store")
    env["TPLAN_CONFIG"] = str(folder / "config")
    tplan = shutil.which("tplan") or str(Path(sys.executable).with_name("tplan"))
    bare_py = folder / "bare.py"
    bare_py.write_text(BARE_APP)
    # One warm-up each, so both read their files from the page cache.
    time_to_text([sys.executable, str(bare_py)], b"BARE-FIRST-FRAME", env)
    time_to_text([tplan], b"Caseload", env)
    bare, ours = [], []
    for _ in range(args.runs):
        bare.append(time_to_text([sys.executable, str(bare_py)], b"BARE-FIRST-FRAME", env))
        ours.append(time_to_text([tplan], b"Caseload", env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app, first frame: median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"tplan caseload, first frame:   median {o * 1000:.0f} ms (min {min(ours) * 1000:.0f})")
    print(f"ratio: {o / b:.2f}x (budget 1.5x)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
