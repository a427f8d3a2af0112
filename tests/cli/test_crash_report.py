"""A crash never shows client data: `tplan` in a real (pseudo-)terminal hits an unexpected error
while a plan is loaded, and what it leaves in the terminal is one line pointing to a crash
report that is private (0600) and holds no plan text either.

Textual's own handler would print a traceback with every frame's local variables (the plan, its
history and notes) into the scrollback after leaving the alternate screen.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import stat
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

NAME = "Quillon"  # invented; shown on the caseload while the app runs, gone after
SECRET = "Marrowby"  # invented; in the history and notes only, never drawn on the caseload

# `tplan` itself (cli.main), with one screen action made to fail on purpose: it reads the plan
# (so plan text is in its frame's variables) and raises with plan text in the message.
SCRIPT = """
import sys
from tplan_tui.tui.screens.caseload import CaseloadScreen

def broken_summary(self):
    plan_id = self.highlighted()
    stored = self.app.store_worker.submit(lambda store: store.load(plan_id)).result()
    notes = stored.plan.clinician_notes
    raise RuntimeError("could not show " + notes + " for " + stored.plan.client.name)

CaseloadScreen.action_summary = broken_summary
from tplan_tui.cli import main
sys.exit(main())
"""


def run_in_terminal(argv: list[str], env: dict[str, str], keys_when: list[tuple[str, bytes]]):
    """Run ``argv`` in a pseudo-terminal of 80x24; when the output shows each text, type its
    keys. Returns everything the terminal received, and the exit status."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out = b""
    deadline = time.monotonic() + 60
    pending = list(keys_when)
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child closed the terminal: it has ended
                    break
                if not chunk:
                    break
                out += chunk
            if pending and pending[0][0].encode() in out:
                os.write(fd, pending.pop(0)[1])
        else:
            raise AssertionError(f"tplan did not end; the terminal got:\n{out[-2000:]!r}")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return out.decode("utf-8", "replace"), os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_crash_prints_one_line_and_a_private_report_without_plan_text(tmp_path, chris):
    from tplan_tui.store import open_store

    chris.client.name = f"[/]{NAME}[@click=app.quit]"  # markup: shown as it is, no crash
    chris.clinician_notes = f"{SECRET} said the notes"
    chris.history.psychosocial = f"{SECRET} in the history"
    db = tmp_path / "db"
    open_store(db).import_plans([chris])
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "TPLAN_CONFIG": str(tmp_path / "config"),
        "LANG": "C.UTF-8",
    }
    shown, code = run_in_terminal(
        [sys.executable, "-c", SCRIPT, "--db", str(db)],
        env,
        [(NAME, b"\x14")],  # Ctrl+T
    )

    assert code == 1
    assert SECRET not in shown  # not on the screen, not in the scrollback, not in a traceback
    after = shown.rsplit("\x1b[?1049l", 1)[-1]  # what stays after the alternate screen is left
    assert NAME not in after and "Traceback" not in after and "could not show" not in after
    [line] = [x for x in after.splitlines() if x.strip()]
    assert "tplan stopped on an unexpected error (RuntimeError)" in line

    [report] = (db / "crash-reports").iterdir()
    assert str(report) in line
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
    text = report.read_text()
    assert "builtins.RuntimeError" in text and "in broken_summary" in text
    assert SECRET not in text and NAME not in text and "could not show" not in text


def test_the_report_keeps_types_and_frames_only(tmp_path):
    from tplan_tui.tui.crash import crash_report, write_crash_report

    def inner(secret: str) -> None:
        raise KeyError(secret)

    try:
        try:
            inner(SECRET)
        except KeyError as exc:
            raise ValueError(f"while reading {SECRET}") from exc
    except ValueError as exc:
        error = exc
    text = crash_report(error)
    assert SECRET not in text
    assert text.index("builtins.KeyError") < text.index("builtins.ValueError")  # oldest first
    assert "tests/cli/test_crash_report.py" not in text or "in inner" in text
    assert "in inner" in text and "test_crash_report.py:" in text

    line = write_crash_report(error, tmp_path / "store")
    [report] = Path(tmp_path / "store" / "crash-reports").iterdir()
    assert str(report) in line and report.read_text() == text.replace(
        text.splitlines()[1], report.read_text().splitlines()[1]
    )
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert "could not be written" in write_crash_report(error, blocked)
