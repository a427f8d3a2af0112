"""Untrusted text made safe to print on a terminal: the one helper every CLI line uses.

A plan file, a store or a library file may hold anything, and a terminal obeys what it is sent:
ESC sequences clear the screen, set the window title (OSC 0) or the clipboard (OSC 52), and
``\\r\\x1b[K`` hides what was printed before it. So every character that steers a terminal
rather than showing itself — the C0 and C1 controls (line breaks and tabs too: a value is
printed on one line), DEL, the line and paragraph separators and the bidirectional overrides
that reorder what is shown — is printed as a visible escape (``\\x1b``), and a long value is cut
with an ellipsis so one field cannot flood the screen. No Textual: cheap to import.
"""

from __future__ import annotations

import re

from tplan_tui.core.bounds import escape_char

SHOWN_MAX = 200  # characters of one value on one line

_STEERING = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def for_terminal(text: object, limit: int | None = SHOWN_MAX) -> str:
    """``text`` with every terminal-steering character as a visible escape, at most ``limit``
    characters of it (then "…"); ``limit=None`` keeps it whole (a message tplan wrote itself
    around values already cut)."""
    text = str(text)
    cut = limit is not None and len(text) > limit
    head = text[:limit] if cut else text
    shown = _STEERING.sub(lambda m: escape_char(m.group()), head)
    return shown + "…" if cut else shown


# What json.dumps(ensure_ascii=False) leaves raw in a string (it escapes only C0 controls); the
# line breaks between JSON values are layout and stay.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_for_terminal(text: str) -> str:
    """JSON text with the characters json leaves raw (DEL, C1, separators, bidi) as \\u escapes,
    so ``--json`` output is still JSON, reads back the same and cannot steer a terminal."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
