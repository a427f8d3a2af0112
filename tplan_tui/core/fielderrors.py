"""Problems with a hand-written file, each named by the path of its field, in words.

Shared by the plan file, the goal library and the settings, so that every file a clinician edits
by hand is reported the same way: ``goals[0].rating.target: must be a whole number from 0 to 10,
got 11``. No Textual, no plan model: cheap to import.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem: where (a field path such as ``goals[0].rating.target``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FieldErrors(ValueError):
    """A file that cannot be used. ``errors`` lists every problem found, each with its path."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def describe(value: Any) -> str:
    """A value as an error message shows it: ``nothing``, ``the number 3.0``, ``'ten'``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"  # 3.0, not 3: the point is why it is refused
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return type(value).__name__


def join_path(path: str, key: str | int) -> str:
    """``goals`` + 0 -> ``goals[0]``; ``goals[0]`` + ``text`` -> ``goals[0].text``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def unknown_key_message(key: Any, known: tuple[str, ...], also: Iterable[str] = ()) -> str:
    """'unknown key; did you mean ...?' with the closest known key (or one of ``also``, keys
    allowed everywhere such as ``extra``), else the list of known keys."""
    # Known keys are short: the first 100 characters of a key are enough to match one, and
    # difflib's cost grows with the length of what it compares.
    hint = difflib.get_close_matches(str(key)[:100], (*known, *also), n=1)
    if hint:
        return f"unknown key; did you mean '{hint[0]}'?"
    return f"unknown key (known keys: {', '.join(known)})"


def utf8_text(raw: bytes, error: type[FieldErrors]) -> str:
    """``raw`` decoded as UTF-8, or ``error`` saying where it is not (files are text, any script)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            [FieldError("", f"the file is not UTF-8 text (bad byte at offset {exc.start})")]
        ) from None
