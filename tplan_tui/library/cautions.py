"""The caution a plan's intervention carries, looked up in the goal library (issue 16).

A plan file has no caution field: an intervention drawn from the library is a copy of its text
with the client's name filled in. So the caution is found again when the clinician's record is
made: first by the text (the name matched as any words, so a renamed client still matches),
then, for the treatments that always need one (sleep restriction, interoceptive exposure), by
naming that treatment in the text or the modality, typed by hand or edited. Clinician-only: the
client's documents never call this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tplan_tui.core import model as m
from tplan_tui.library.areas import PLACEHOLDER, Library, fill_name

# Interventions that are not for everyone: named in any words, they need a caution beside them
# (the library checker, ``content.py``, holds the library to it).
NEEDS_CAUTION = [
    (re.compile(r"\bsleep restriction\b|\brestrict(?:s|ing)? (?:the )?time in bed\b", re.I), "sleep restriction"),
    (re.compile(r"\binteroceptive\b", re.I), "interoceptive exposure"),
]  # fmt: skip

# The text may hold the name anywhere: a name is a few words, never a sentence.
_NAME = r"(?:.{1,80}?)"


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


@dataclass(frozen=True)
class _Cautioned:
    pattern: re.Pattern[str]
    caution: str


class Cautions:
    """The cautions of a library, ready to look up a plan's interventions."""

    def __init__(self, library: Library):
        self._by_text: list[_Cautioned] = []
        # A treatment that always needs a caution: the library's caution for it, when the
        # library gives exactly one.
        named: dict[str, set[str]] = {what: set() for _p, what in NEEDS_CAUTION}
        for area in library.areas:
            for goal in area.goals:
                for iv in goal.interventions:
                    if not iv.caution:
                        continue
                    parts = [re.escape(_plain(p)) for p in _plain(iv.text).split(PLACEHOLDER)]
                    self._by_text.append(_Cautioned(re.compile(_NAME.join(parts)), iv.caution))
                    said = f"{iv.text} / {iv.modality or ''}"
                    for pattern, what in NEEDS_CAUTION:
                        if pattern.search(said):
                            named[what].add(iv.caution)
        self._by_name = [
            (pattern, next(iter(named[what])))
            for pattern, what in NEEDS_CAUTION
            if len(named[what]) == 1
        ]

    def of(self, intervention: m.Intervention, client_name: str | None = None) -> str | None:
        """The caution for ``intervention``, its {name} filled in; None when it needs none."""
        text = _plain(intervention.text)
        found = next((c.caution for c in self._by_text if c.pattern.fullmatch(text)), None)
        if found is None:
            said = f"{intervention.text} / {intervention.modality or ''}"
            found = next((c for p, c in self._by_name if p.search(said)), None)
        return fill_name(found, client_name) if found else None


_cached: tuple[tuple[tuple[str, int, int], ...], Cautions] | None = None


def _library_cautions() -> Cautions:
    """The cautions of the whole library (shipped and the clinician's own), read again only when
    the clinician's library files change: a record is made often, the library read is not free."""
    global _cached
    from tplan_tui.library.loader import load_library, user_files

    try:
        key = tuple((str(p), st.st_mtime_ns, st.st_size) for p in user_files() for st in [p.stat()])
    except OSError:  # a file went meanwhile: read it all, keep nothing
        return Cautions(load_library())
    if _cached is None or _cached[0] != key:
        _cached = (key, Cautions(load_library()))
    return _cached[1]


def plan_cautions(plan: m.Plan, library: Library | None = None) -> dict[tuple[int, int], str]:
    """The cautions of the plan's interventions, by (goal, intervention) position, 0-based.
    The library (shipped and the clinician's own) is read only when the plan has interventions."""
    everyone: Iterable[tuple[int, int, m.Intervention]] = [
        (gi, ii, iv) for gi, g in enumerate(plan.goals) for ii, iv in enumerate(g.interventions)
    ]
    if not everyone:
        return {}
    cautions = Cautions(library) if library is not None else _library_cautions()
    name = plan.client.name.strip() or None
    out = {}
    for gi, ii, iv in everyone:
        caution = cautions.of(iv, name)
        if caution:
            out[(gi, ii)] = caution
    return out
