"""What an unexpected error in the app leaves behind: a crash report with no client data in it.

Textual's own report of an unhandled error is a traceback showing the local variables of every
frame (a client's name, history and notes), printed into the terminal's scrollback after the
app leaves the alternate screen. tplan's report keeps only what a developer needs to find the
bug and nothing a plan holds: the exception's type and, frame by frame, file, line and function.
Not the exception's message (a MarkupError quotes the text it could not read, a KeyError the
key), not the source lines, not the variables. It is written 0600 into the store's folder and
the terminal gets one line saying where.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

CRASH_FOLDER = "crash-reports"


def _short(filename: str) -> str:
    """A frame's file from the package down (site-packages/…/textual/app.py -> textual/app.py)."""
    parts = Path(filename).parts
    for anchor in ("site-packages", "dist-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    if "tplan_tui" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("tplan_tui") :])
    return Path(filename).name


def _chain(error: BaseException) -> list[BaseException]:
    """The error and those it was raised from or during, oldest first (as Python prints them)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def crash_report(error: BaseException, now: datetime | None = None) -> str:
    """The report's text: types and file:line in function, nothing else."""
    from tplan_tui import __version__

    when = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        "tplan crash report",
        f"time: {when}",
        f"tplan {__version__}, Python {sys.version.split()[0]}, {sys.platform}",
        "No message, source line or variable is kept: they can hold plan text.",
    ]
    for exc in _chain(error):
        kind = type(exc)
        lines.append("")
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_crash_report(error: BaseException, store_root: Path | None) -> str:
    """Write the report into ``store_root``/crash-reports (0600 in a 0700 folder); the one line
    to show in the terminal, saying where it is (or why there is none)."""
    from tplan_tui.paths import ensure_private_dir, write_new_file

    kind = type(error).__name__
    said = f"tplan stopped on an unexpected error ({kind})"
    if store_root is None:
        return f"{said}; no crash report was written (no store folder)."
    now = datetime.now(UTC)
    folder = Path(store_root) / CRASH_FOLDER
    path = folder / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}-{os.urandom(2).hex()}.txt"
    try:
        ensure_private_dir(folder)
        write_new_file(path, crash_report(error, now).encode("utf-8"))
    except OSError as exc:
        return (
            f"{said}; the crash report could not be written: {exc.strerror or type(exc).__name__}."
        )
    except Exception as exc:  # the one line is said whatever went wrong while writing
        return f"{said}; the crash report could not be written ({type(exc).__name__})."
    return f"{said}. A report without plan text is in {path}"
