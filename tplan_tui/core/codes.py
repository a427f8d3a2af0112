"""ICD-10-CM diagnosis codes: whether a code exists and is billable, the nearest real ones, and a
search by code or by words, for the checklist, ``tplan import``, ``tplan check`` and the picker.

The code set comes from the ``simple-icd-10-cm`` package (about 11 MB, and about 3 seconds to
import: it parses the whole tabular list). It is imported here, inside the functions, on first
use: never when tplan starts, never when a store reads a plan. The index of billable codes is
built once, under a lock, so the app can build it in a worker thread while the screen stays live.
"""

from __future__ import annotations

import difflib
import re
import sys
import threading
from dataclasses import dataclass
from types import ModuleType

from tplan_tui.core import model as m

PACKAGE = "simple_icd_10_cm"
CHECKED_SYSTEM = "ICD-10-CM"
SHOWN_CHOICES = 12  # codes named after "choose one of"
SHOWN_NEAREST = 3

_lock = threading.Lock()
_index: list[CodeEntry] | None = None
_by_code: dict[str, CodeEntry] = {}
_CODE_LIKE = re.compile(r"^[A-Za-z][0-9]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class CodeEntry:
    """One billable code: ``code`` as written (``F41.0``) and its description."""

    code: str
    description: str
    key: str  # the code without its dot, upper case: what a typed code is matched on
    words: str  # the description in lower case, punctuation as spaces, with a leading space


def _icd() -> ModuleType:
    import warnings

    with warnings.catch_warnings():
        # Its loader uses importlib.resources calls Python now calls deprecated: not ours to
        # show on a clinician's terminal.
        warnings.simplefilter("ignore")
        import simple_icd_10_cm  # 3 s: only here, never at start-up

    module: ModuleType = simple_icd_10_cm
    return module


def is_loaded() -> bool:
    """Whether the index is built (checking a code is then instant)."""
    return _index is not None


def index() -> list[CodeEntry]:
    """Every billable ICD-10-CM code, mental and behavioural (chapter F) first, then the rest."""
    global _index
    with _lock:
        if _index is None:
            icd = _icd()
            found = []
            seen = set()
            for code in icd.get_all_codes(with_dots=True):
                if not icd.is_leaf(code):
                    continue
                if not (icd.is_category_or_subcategory(code) or icd.is_extended_subcategory(code)):
                    continue  # a block or chapter with no children is no code
                if code in seen:
                    continue  # a category that is also its own block (F99) is listed twice
                seen.add(code)
                text = icd.get_description(code)
                words = " " + _NOT_WORD.sub(" ", text.lower()).strip()
                found.append(CodeEntry(code, text, code.replace(".", ""), words))
            found.sort(key=lambda e: (not e.code.startswith("F"), e.key))
            _by_code.update({e.key: e for e in found})
            _index = found
            _freeze_what_is_loaded()
    return _index


def _freeze_what_is_loaded() -> None:
    """Leave the code set (some 680,000 objects, kept for the life of the process and never
    changed) out of the cycle collector's full collections (``core/heap.py``): each walked them
    all again, about a second on this machine, landing on whatever key came next in the app."""
    from tplan_tui.core.heap import freeze_loaded

    freeze_loaded()


def _key(code: str) -> str:
    return code.strip().replace(".", "").upper()


def lookup(code: str) -> CodeEntry | None:
    """The billable code ``code`` (with or without its dot), or None."""
    index()
    entry = _by_code.get(code.strip().replace(".", ""))
    return entry if entry is not None and code.strip() in (entry.code, entry.key) else None


def search(query: str, limit: int = 50) -> list[CodeEntry]:
    """Billable codes for what was typed: a code's start (``F32``, ``f41.``) or words of the
    description, each the start of a word (``panic``, ``major depr``), chapter F first."""
    entries = index()
    query = query.strip()
    if not query:
        return []
    if _CODE_LIKE.match(query):
        start = _key(query)
        hits = [e for e in entries if e.key.startswith(start)]
        if hits:
            return hits[:limit]
    words = [" " + w for w in _NOT_WORD.sub(" ", query.lower()).split()]
    if not words:
        return []
    out = []
    for e in entries:
        if all(w in e.words for w in words):
            out.append(e)
            if len(out) >= limit:
                break
    return out


def _nearest(code: str, label: str) -> list[CodeEntry]:
    icd = _icd()
    key = _key(code)
    exact = _by_code.get(key)
    if exact is not None:
        return [exact]  # the same code in another case or spacing
    # The longest start of the code that names a real category: its billable codes.
    for end in range(len(key), 2, -1):
        start = key[:end]
        written = start[:3] + "." + start[3:] if len(start) > 3 else start
        if icd.is_valid_item(written) and (
            icd.is_category_or_subcategory(written) or icd.is_extended_subcategory(written)
        ):
            return [e for e in index() if e.key.startswith(start)][:SHOWN_CHOICES]
    if label.strip():
        by_words = search(label, SHOWN_NEAREST)
        if by_words:
            return by_words
        # Any one word of the label, longest (most telling) first; a word that finds mental
        # and behavioural codes (chapter F) before one that finds only others.
        tried = []
        for word in sorted(_NOT_WORD.sub(" ", label.lower()).split(), key=len, reverse=True):
            if len(word) >= 4:
                hits = search(word, SHOWN_NEAREST)
                if hits and hits[0].code.startswith("F"):
                    return hits
                tried.append(hits)
        for hits in tried:
            if hits:
                return hits
        return []
    close = difflib.get_close_matches(key[:10], [e.key for e in index()], n=SHOWN_NEAREST)
    return [_by_code[k] for k in close]


NO_CLOSE_CODE = (
    "none is close: a code is a letter, two digits, a dot and up to four more (e.g. F41.1); "
    "search the label's words with the code picker (F4 on a diagnosis in the app)"
)


def _show(code: str) -> str:
    code = " ".join(code.split())
    return code if len(code) <= 20 else code[:19] + "…"


def code_problem(code: str, label: str = "") -> str | None:
    """Why ``code`` is not a billable ICD-10-CM code, in words with the nearest real codes
    (found by the code, else by the words of ``label``); None when it is one."""
    index()
    icd = _icd()
    given = code.strip()
    if lookup(given) is not None:
        return None
    shown = _show(given) or "(empty)"
    if icd.is_valid_item(given) and icd.is_category_or_subcategory(given):
        children = [e.code for e in index() if e.key.startswith(_key(given))]
        more = ", …" if len(children) > SHOWN_CHOICES else ""
        return (
            f"{shown} is a category, not billable: choose one of "
            f"{', '.join(children[:SHOWN_CHOICES])}{more}"
        )
    near = _nearest(given, label)
    what = f"{shown} is not an ICD-10-CM code"
    if not near:
        return f"{what}; nearest: {NO_CLOSE_CODE}"
    if len(near) <= SHOWN_NEAREST:
        return f"{what}; nearest: " + "; ".join(f"{e.code} {e.description}" for e in near)
    more = ", …" if len(near) >= SHOWN_CHOICES else ""
    return f"{what}; nearest: {', '.join(e.code for e in near)}{more}"


def checked(dx: m.Diagnosis, version: int = 2) -> bool:
    """Whether ``dx`` is checked against ICD-10-CM: its system says so, or it names none in a
    version 2 file (version 1 had no system, so its codes are as written)."""
    if dx.system is not None:
        return dx.system == CHECKED_SYSTEM
    return version >= 2


def diagnosis_problems(plan: m.Plan, version: int = 2) -> list[tuple[str, str]]:
    """(field path, problem) for every checked diagnosis whose code is not billable."""
    found = []
    for i, dx in enumerate(plan.history.diagnoses):
        if not checked(dx, version) or not dx.code.strip():
            continue
        problem = code_problem(dx.code, dx.label)
        if problem:
            found.append((f"history.diagnoses[{i}].code", problem))
    return found


def loaded_in_process() -> bool:
    """Whether the code set's package is imported in this process (start-up tests ask)."""
    return PACKAGE in sys.modules
