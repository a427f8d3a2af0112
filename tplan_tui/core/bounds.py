"""The bounds every value must keep, shared by the plan file reader and the editing core.

A plan file may come from anyone, and what it holds is later shown on a terminal, written to a
JSON store and used in date arithmetic, so each value is bounded at the door, with the same rule
whether it arrives in a file or is typed into a field:

- dates from 1900-01-01 to 2100-12-31 (``date + review_every_days`` must never overflow, and a
  plan dated 9999 is a typo), a date of birth no later than today;
- text without control characters other than line feed and tab (an ESC in a client's name could
  clear a clinician's screen, retitle the window or load the clipboard when ``tplan list`` prints
  it), and at most ``TEXT_MAX`` characters;
- whole numbers that fit 64 bits (JSON and every tool reading it), floats that are numbers;
- nesting under ``extra`` at most ``EXTRA_DEPTH_MAX`` deep, so any accepted plan, written back
  inside its own structure, stays under the YAML reader's depth limit and re-imports.

Each check returns the problem in words, or None. No Textual, no plan model: cheap to import.
"""

from __future__ import annotations

import math
import re
from datetime import date

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
TEXT_MAX = 100_000  # a long session note is a few thousand; this keeps a file's cost linear
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
EXTRA_DEPTH_MAX = 32  # levels of lists and keys under one `extra:`

# C0 controls but tab (\x09) and line feed (\x0a), DEL, and the C1 controls (\x9b is a
# one-byte CSI to some terminals). Carriage return is refused too: it moves the cursor back
# over what was printed, and a file's own CRLF line ends never reach a value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_problem(text: str) -> str | None:
    """Why ``text`` may not be kept as it is (a control character, too long), or None."""
    found = _CONTROL.search(text)
    if found:
        return (
            f"contains the control character {escape_char(found.group())} at character "
            f"{found.start() + 1}; only line breaks and tabs are allowed in text"
        )
    if len(text) > TEXT_MAX:
        return f"is {len(text):,} characters long; text may be at most {TEXT_MAX:,}"
    return None


def date_problem(
    value: date, *, birth: bool = False, today: date | None = None, past_only: str = ""
) -> str | None:
    """Why ``value`` is not a date a plan may hold, or None. ``birth`` (or ``past_only``, what
    the date is, e.g. "a diagnosis date") marks a date that may not be after today."""
    if not DATE_MIN <= value <= DATE_MAX:
        return (
            f"{value.isoformat()} is out of range: dates run from {DATE_MIN.isoformat()} "
            f"to {DATE_MAX.isoformat()}"
        )
    what = "a date of birth" if birth else past_only
    if what:
        today = today or date.today()
        if value > today:
            return f"{value.isoformat()} is after today: {what} cannot be in the future"
    return None


def number_problem(value: int | float) -> str | None:
    """Why a number under ``extra`` cannot be kept, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return f"is a whole number too large to keep (at most {len(str(INT_MAX))} digits)"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number (.inf and .nan cannot be kept)"
    return None


def escape_char(char: str) -> str:
    """One character as a visible escape: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def short_key(key: object, limit: int = 40) -> str:
    """A key as an error message's path shows it: control characters escaped, at most ``limit``
    characters (a foreign file's whole line must not be echoed back as a 'key')."""
    text = str(key)
    shown = _CONTROL.sub(lambda m: escape_char(m.group()), text[: limit + 1])
    if len(text) > limit or len(shown) > limit:
        return shown[: limit - 1] + "…"
    return shown
