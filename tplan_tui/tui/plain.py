"""User text made plain for the screen: ``clean`` and ``safe_text``, which ``tui/safe.py`` hands
out with its widgets (see there why). A module of their own so that the multi-line editor
(``safe_area.py``), imported only when first used, can use them too.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

# C0 controls but tab and newline as their Unicode pictures (U+2400…), DEL as "␡". C1 controls
# (U+0080…U+009F) have no pictures; 0x9B is CSI and 0x9D OSC on terminals that read 8-bit
# controls, so they are shown as the replacement character.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_TABLE = str.maketrans(_PICTURES)
# Searching for one is ten times faster than translating (a paragraph is drawn row by row).
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # the keys of _PICTURES


def clean(value: Any) -> str:
    """``value`` as a string whose control characters (but newline and tab) are visible pictures."""
    if value is None:
        return ""
    text = str(value)
    return text.translate(_TABLE) if _ANY_CONTROL.search(text) else text


def safe_text(value: Any, style: str = "", **kwargs: Any) -> Text:
    """``value`` to show as it is written: a Rich Text (never markup), control codes made visible.

    A ``Text`` keeps its styles (the replacement is one character for one).
    """
    if isinstance(value, Text):
        out = value.copy()
        plain = out.plain
        cleaned = clean(plain)
        if cleaned is not plain:
            out.plain = cleaned
        if style:
            out.stylize(style)
        return out
    return Text(clean(value), style=style, **kwargs)
