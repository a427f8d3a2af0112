"""The words the summary uses: dates written out, statuses in plain words, and clinical terms explained.

Everything here is plain text; escaping for a format happens only when a document is rendered.
"""

from __future__ import annotations

import re
from datetime import date

from tplan_tui.core.glossary import _GLOSSARY
from tplan_tui.core.glossary import GLOSSARY as GLOSSARY  # re-exported: the summary's words
from tplan_tui.core.glossary import clinical_terms as clinical_terms

# English month names, not strftime's %B: the summary must not change with the machine's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_in_words(day: date) -> str:
    """A date written out for a reader: ``July 31, 2016``."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


# --------------------------------------------------------------------------- statuses

OBJECTIVE_STATUS_WORDS = {
    "not-started": "not started yet",
    "in-progress": "working on it",
    "achieved": "done",
    "not-achieved": "not reached",
    "cancelled": "stopped",
}

ACHIEVEMENT_WORDS = {
    "in-progress": "working on it",
    "improving": "getting better",
    "worsening": "getting harder",
    "no-change": "no change yet",
    "achieved": "reached",
    "not-achieved": "not reached",
}

# A sentence for each goal status other than the usual one (active says nothing).
GOAL_STATUS_SENTENCES = {
    "proposed": "This goal is an idea for now. You have not started it yet.",
    "on-hold": "This goal is on hold for now.",
    "completed": "This goal is finished.",
    "cancelled": "You and {clinician} chose to stop this goal.",
}

PLAN_STATUS_SENTENCES = {
    "draft": "This plan is a draft. It may still change.",
    "completed": "This plan is finished.",
}


def status_words(table: dict[str, str], code: str | None) -> str:
    """The plain words for a status code; an unknown code is shown as it is rather than hidden."""
    if code is None:
        return ""
    return table.get(code, code.replace("-", " "))


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- clinical words


class Explainer:
    """Explains each clinical word once in a document: the first time the plan's text uses it."""

    def __init__(self) -> None:
        self.explained: set[int] = set()

    def notes_for(self, *texts: str | None) -> tuple[str, ...]:
        notes = []
        for text in texts:
            for i in clinical_terms(text or ""):
                if i not in self.explained:
                    self.explained.add(i)
                    notes.append(_GLOSSARY[i][1])
        return tuple(notes)


# --------------------------------------------------------------------------- cleaning plan text

# Control characters (C0 but newline, DEL, C1) would drive a terminal or printer rather than
# show: an escape sequence in a client's name must not recolour a terminal that prints the txt.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str:
    """Plan text made safe to place in any format: newlines kept, control characters made visible
    as U+FFFD, tabs as spaces, and spaces trimmed at the ends of lines and of the text."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text.replace("\t", " "))
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    # Runs of blank lines collapse to one: a paragraph break is all they can mean.
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out)


def one_line(text: str | None) -> str:
    """Plan text meant for one line (a name, a label): inner newlines become spaces."""
    return " ".join(clean(text).split())


def sentence(text: str) -> str:
    """``text`` ending in a full stop unless it already ends a sentence."""
    text = text.rstrip()
    if not text or text[-1] in ".!?…。！？":
        return text
    if text[-1] in "\"'”’)" and len(text) > 1 and text[-2] in ".!?":
        return text
    return text + "."
