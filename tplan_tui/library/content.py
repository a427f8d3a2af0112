"""What the shipped library promises, checked: ``content_problems(library)`` lists every miss.

The loader (``check.py``) checks that a file is well formed; this checks that what it says is
fit to hand a clinician: enough of each part, every goal and objective measurable, a target on
the better side of its scale, client wording a person can read (grade 6 or lower), no text twice,
named treatments named correctly, and a caution beside an intervention that needs one. Each
problem is one readable line naming the area and the text, so a test that fails lists them all.
A clinician's own library is not held to this: it is theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from tplan_tui.core.measurable import vagueness
from tplan_tui.library.areas import PLACEHOLDER, Area, Library, LibraryGoal

# Interventions that are not for everyone (the caution a clinician needs beside them) are listed
# with the record's look-up, which must not import this module's reading-grade tool.
from tplan_tui.library.cautions import NEEDS_CAUTION

MIN_SYNONYMS = 5
MIN_CONCERNS = 2
MIN_GOALS = 3
MIN_OBJECTIVES = 4
MIN_INTERVENTIONS = 3
MAX_CLIENT_GRADE = 6.0  # Flesch-Kincaid grade of every piece of client wording

# A target the goal's text names: "rated 3 out of 10 or lower", "at least 7 out of 10".
_TARGET = re.compile(
    r"(?:(?P<before>at least|at most|no more than|no higher than|no lower than|below|above)\s+)?"
    r"\b\d+\s*(?:out of|/)\s*10\b"
    r"(?:\s+or\s+(?P<after>lower|less|below|under|higher|more|above|better))?",
    re.IGNORECASE,
)
_LOWER_WORDS = {"at most", "no more than", "no higher than", "below", "lower", "less", "under"}
_HIGHER_WORDS = {"at least", "no lower than", "above", "higher", "more"}

# Named treatments said the wrong way, with the name a clinician expects.
_MISNAMED = [
    (re.compile(r"\bexposure (?:with|&)? ?response prevention\b", re.I), "exposure and response prevention (ERP)"),
    (re.compile(r"\beye movement desensiti[sz]ation(?! and reprocessing)\b", re.I), "EMDR (eye movement desensitization and reprocessing)"),
    (re.compile(r"\bmotivational interview\b(?!ing)", re.I), "motivational interviewing (MI)"),
    (re.compile(r"\binterpersonal therapy\b", re.I), "interpersonal psychotherapy (IPT)"),
    (re.compile(r"\bfamily[- ]based therapy\b", re.I), "family-based treatment (FBT)"),
    (re.compile(r"\bcognitive processing treatment\b", re.I), "cognitive processing therapy (CPT)"),
    (re.compile(r"\bprolonged exposure treatment\b", re.I), "prolonged exposure (PE)"),
    (re.compile(r"\bdialectical behaviou?ral therapy\b", re.I), "dialectical behavior therapy (DBT)"),
    (re.compile(r"\bbehaviou?ral activation therapy\b", re.I), "behavioral activation (BA)"),
]  # fmt: skip
# TF-CBT is the model for children and teens with a caregiver taking part, not for adults.
_TF_CBT = re.compile(r"\bTF-CBT\b|\btrauma[- ]focused cognitive[- ]behaviou?ral therapy\b", re.I)
_CAREGIVER = re.compile(r"\b(?:caregiver|parent|parents|carer|guardian|family)\b", re.I)


def grade(text: str) -> float:
    """The reading grade tplan holds client wording to (``core/readability.py``)."""
    from tplan_tui.core.readability import grade as reading_grade

    return reading_grade(text)


def client_wording(library: Library) -> Iterator[tuple[str, str]]:
    """Every piece of client wording, with where it is: concerns, goals and objectives."""
    for a in library.areas:
        for c in a.concerns:
            if c.in_client_words:
                yield f"{a.area}: concern {c.text!r}", c.in_client_words
        for g in a.goals:
            if g.in_client_words:
                yield f"{a.area}: goal {g.text!r}", g.in_client_words
            for o in g.objectives:
                if o.in_client_words:
                    yield f"{a.area}: objective {o.text!r}", o.in_client_words


def _target_problems(where: str, goal: LibraryGoal) -> list[str]:
    better = goal.rating.better
    if better is None:
        return [f"{where}: rating.better is missing (higher or lower)"]
    problems = []
    for mt in _TARGET.finditer(goal.text):
        side = (mt["before"] or mt["after"] or "").casefold()
        if side in _LOWER_WORDS and better != "lower":
            problems.append(
                f"{where}: the target {mt[0]!r} is on the lower side but better is {better}"
            )
        elif side in _HIGHER_WORDS and better != "higher":
            problems.append(
                f"{where}: the target {mt[0]!r} is on the higher side but better is {better}"
            )
    return problems


def _intervention_problems(where: str, goal: LibraryGoal) -> list[str]:
    problems = []
    for i in goal.interventions:
        here = f"{where}: intervention {i.text!r}"
        missing = [k for k in ("modality", "frequency", "by") if not getattr(i, k)]
        if missing:
            problems.append(f"{here}: needs {', '.join(missing)}")
        named = f"{i.text} / {i.modality or ''}"  # a treatment may be named in either
        for wrong, right in _MISNAMED:
            if wrong.search(named):
                problems.append(f"{here}: name it {right}")
        if _TF_CBT.search(named) and not (
            goal.ages == "adolescent" or _CAREGIVER.search(f"{i.text} {goal.text}")
        ):
            problems.append(
                f"{here}: TF-CBT is for children and teens with a caregiver; for an adult, name "
                "the protocol (cognitive processing therapy, prolonged exposure, written exposure "
                "therapy)"
            )
        for pattern, what in NEEDS_CAUTION:
            if pattern.search(named) and not i.caution:
                problems.append(f"{here}: {what} needs a caution")
    return problems


def _area_problems(a: Area) -> list[str]:
    problems = []
    if not a.description:
        problems.append(f"{a.area}: needs a description")
    if len(a.synonyms) < MIN_SYNONYMS:
        problems.append(f"{a.area}: has {len(a.synonyms)} synonyms, needs {MIN_SYNONYMS}")
    if len(a.concerns) < MIN_CONCERNS:
        problems.append(f"{a.area}: has {len(a.concerns)} example concerns, needs {MIN_CONCERNS}")
    for c in a.concerns:
        if not c.in_client_words:
            problems.append(f"{a.area}: concern {c.text!r} needs in_client_words")
    if len(a.goals) < MIN_GOALS:
        problems.append(f"{a.area}: has {len(a.goals)} goals, needs {MIN_GOALS}")
    for g in a.goals:
        where = f"{a.area}: goal {g.text!r}"
        if not g.text.startswith(PLACEHOLDER):
            problems.append(f"{where}: starts with {PLACEHOLDER}")
        if not g.in_client_words:
            problems.append(f"{where}: needs in_client_words")
        if not (g.rating.label and g.rating.low and g.rating.high):
            problems.append(f"{where}: the rating needs label, low and high")
        problems += _target_problems(where, g)
        if len(g.objectives) < MIN_OBJECTIVES:
            problems.append(f"{where}: has {len(g.objectives)} objectives, needs {MIN_OBJECTIVES}")
        if len(g.interventions) < MIN_INTERVENTIONS:
            problems.append(
                f"{where}: has {len(g.interventions)} interventions, needs {MIN_INTERVENTIONS}"
            )
        for text in [g.text, *(o.text for o in g.objectives)]:
            reason = vagueness(text)
            if reason is not None:
                problems.append(f"{a.area}: not measurable: {text!r}: {reason}")
        problems += _intervention_problems(where, g)
    return problems


def _texts(library: Library) -> Iterator[str]:
    for a in library.areas:
        yield a.description
        for c in a.concerns:
            yield c.text
            yield c.in_client_words or ""
        for g in a.goals:
            yield from (g.text, g.in_client_words or "", g.rating.label)
            for o in g.objectives:
                yield from (o.text, o.in_client_words or "")
            yield from (i.text for i in g.interventions)


def _same(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


def content_problems(library: Library) -> list[str]:
    """Every way ``library`` falls short of the shipped library's promises (empty when none)."""
    problems = []
    for a in library.areas:
        problems += _area_problems(a)
    for where, words in client_wording(library):
        level = grade(words)
        if level > MAX_CLIENT_GRADE:
            problems.append(f"{where}: client words at grade {level:.1f} (over 6): {words!r}")
        if PLACEHOLDER in words:
            problems.append(f"{where}: client words speak as the person, not {PLACEHOLDER}")
    counts = Counter(_same(t) for t in _texts(library) if t.strip())
    problems += [f"said twice in the library: {t!r}" for t, n in counts.items() if n > 1]
    return problems
