"""After quitting, nothing of a plan is left in the terminal: not on screen, not in the
scrollback, not in the window title (the app draws on the alternate screen)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

CANARY = "Quillon"  # an invented client name that must not outlive the app in the terminal

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.slow,  # the whole app in a terminal, in a subprocess
]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(session: str, text: str, seconds: float = 15) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        shown = tmux("capture-pane", "-p", "-t", session)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")


def test_nothing_of_the_plan_is_left_in_the_terminal_after_quitting(tmp_path, chris):
    from tplan_tui.store import open_store

    chris.client.name = CANARY
    open_store(tmp_path / "db").import_plans([chris])
    tplan = Path(sys.executable).with_name("tplan")
    session = f"tplan-leak-{os.getpid()}"
    env = f"TPLAN_CONFIG={tmp_path / 'config'} TERM=xterm-256color"
    command = f"env {env} {tplan} --db {tmp_path / 'db'}; echo TPLAN-ENDED; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        wait_for(session, CANARY)  # the caseload shows the client
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Step ")
        tmux("send-keys", "-t", session, "C-q")
        shown = wait_for(session, "TPLAN-ENDED")
        history = tmux("capture-pane", "-p", "-S", "-10000", "-t", session)
        title = tmux("display-message", "-p", "-t", session, "#{pane_title}")
        assert CANARY not in shown and CANARY not in history and CANARY not in title
        assert "Dana Reyes" not in history
    finally:
        tmux("kill-session", "-t", session)
