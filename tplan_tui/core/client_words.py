"""Is a client line written to the client? The checker for lines that fall back to clinician wording.

The client's documents speak to the person ("you"). Where a line has no client words of its own
(``in_client_words``), the clinician's wording is shown instead, and that wording is often about
the client, not to them: "Maria will walk her dog", "Clinician will use behavioral activation
with Maria". This module says which lines those are and why, each with its field path, so the
client pane can mark them and the sign step can list them with a key to go there.

A line is flagged when it
- speaks of the client in the third person: it names the client, starts with a pronoun ("She",
  "He", "They will"), uses the client's own third-person pronouns ("her log"), or speaks of
  "the client" or of what "Clinician will" do;
- holds a clinical word from the glossary (``core.glossary``), which the summary explains instead;
- has a sentence above grade 8 (Flesch-Kincaid, textstat, the tool the library checker uses).

The grade costs a dictionary load the first time (seconds): ``quick=True`` leaves it out, for the
pane, which is redrawn as the user types.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tplan_tui.core import model as m
from tplan_tui.core.glossary import GLOSSARY, clinical_terms

MAX_GRADE = 8.0

# Words that open a sentence about someone else: "She walks", "He will", "They will".
_PRONOUN_LED = re.compile(r"^(?:she|he|they(?:'ll| will| are| can| agree))\b", re.IGNORECASE)
_ROLE_LED = re.compile(
    r"\b(?:the client|client will|clinician will|therapist will|counselor will|patient will|"
    r"the patient|pt will)\b",
    re.IGNORECASE,
)
_PRONOUNS = {
    "she": ("she", "her", "hers", "herself"),
    "he": ("he", "him", "his", "himself"),
}
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class WordingProblem:
    """One client line that is not written to the client: where it is and why."""

    path: str  # the field path, e.g. "goals[1].objectives[0].text"
    where: str  # in words: "Goal 2, step 1"
    fix: tuple[str | int, ...]  # the field to write the client's words in (an editing path)
    reasons: tuple[str, ...]
    client: str  # the client's name, or "the client"
    pronoun: str  # their possessive pronoun for the advice: "her", "his", "their"

    @property
    def sentence(self) -> str:
        """The line for the sign step: "Goal 2, step 1 is written about Maria, not to her: add
        her words"."""
        return f"{self.where} {'; '.join(self.reasons)}: add {self.pronoun} words"


def _pronoun_set(pronouns: str | None) -> tuple[str, ...]:
    first = (pronouns or "").strip().casefold().split("/")[0].strip()
    return _PRONOUNS.get(first, ())


def _object_pronoun(pronouns: str | None) -> tuple[str, str]:
    """(object, possessive) pronouns for the advice: ("her", "her"), ("him", "his"), else them."""
    first = (pronouns or "").strip().casefold().split("/")[0].strip()
    return {"she": ("her", "her"), "he": ("him", "his")}.get(first, ("them", "their"))


def sentence_grade(sentence: str) -> float:
    from tplan_tui.core.readability import grade  # textstat is imported on first use

    return grade(sentence)


def reasons(
    text: str,
    name: str = "",
    pronouns: str | None = None,
    *,
    full_name: str = "",
    quick: bool = False,
) -> list[str]:
    """Why ``text`` is not written to the client (empty when it is). ``name`` and ``full_name``
    are the client's names (any of their words counts), ``pronouns`` theirs ("she/her")."""
    text = " ".join((text or "").split())
    if not text:
        return []
    out: list[str] = []
    who = " ".join(name.split()) or " ".join(full_name.split()) or "the client"
    obj, _pos = _object_pronoun(pronouns)
    names = [w for w in re.findall(r"[\w'-]+", f"{name} {full_name}") if len(w) > 1]
    about = bool(names) and re.search(
        r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", text, re.IGNORECASE
    )
    words = {w.casefold() for w in re.findall(r"[\w']+", text)}
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    if (
        about
        or _ROLE_LED.search(text)
        or any(_PRONOUN_LED.match(s) for s in sentences)
        or words & set(_pronoun_set(pronouns))
    ):
        out.append(f"is written about {who}, not to {obj}")
    terms = [GLOSSARY[i][0] for i in clinical_terms(text)]
    if terms:
        found = [_term_as_written(text, t) for t in terms]
        out.append("uses clinical words (" + ", ".join(found) + ")")
    if not quick:
        grades = [sentence_grade(s) for s in sentences if len(s.split()) > 2]
        worst = max(grades, default=0.0)
        if worst > MAX_GRADE:
            out.append(f"reads at grade {worst:.1f} (above {MAX_GRADE:.0f})")
    return out


def _term_as_written(text: str, pattern: str) -> str:
    found = re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.IGNORECASE)
    return found.group(0) if found else pattern


Fix = tuple[str | int, ...]


def client_lines(plan: m.Plan) -> Iterator[tuple[str, str, str, Fix]]:
    """Every client-facing line that shows clinician wording (no client words of its own):
    (field path, where in words, the text, the field to write their words in)."""
    for n, c in enumerate(plan.presenting_concerns):
        if not (c.in_client_words or "").strip() and c.text.strip():
            fix: Fix = ("presenting_concerns", n, "in_client_words")
            yield f"presenting_concerns[{n}].text", f"Concern {n + 1}", c.text, fix
    for n, s in enumerate(plan.strengths):
        if not (s.in_client_words or "").strip() and s.text.strip():
            fix = ("strengths", n, "in_client_words")
            yield f"strengths[{n}].text", f"Strength {n + 1}", s.text, fix
    for g, goal in enumerate(plan.goals):
        if not (goal.in_client_words or "").strip() and goal.text.strip():
            fix = ("goals", g, "in_client_words")
            yield f"goals[{g}].text", f"Goal {g + 1}", goal.text, fix
        for k, o in enumerate(goal.objectives):
            if not (o.in_client_words or "").strip() and o.text.strip():
                fix = ("goals", g, "objectives", k, "in_client_words")
                yield f"goals[{g}].objectives[{k}].text", f"Goal {g + 1}, step {k + 1}", o.text, fix
        for k, i in enumerate(goal.interventions):
            if not (i.in_client_words or "").strip() and i.text.strip():
                fix = ("goals", g, "interventions", k, "in_client_words")
                yield (
                    f"goals[{g}].interventions[{k}].text",
                    f"Goal {g + 1}, help {k + 1}",
                    i.text,
                    fix,
                )
    for k, t in enumerate(plan.contract.client_agrees_to):
        # No client words of its own: the agreement itself is written to the client.
        fix = ("contract", "client_agrees_to", k)
        yield f"contract.client_agrees_to[{k}]", f"Agreement {k + 1}", t, fix
    info = plan.plan
    finish = info.discharge_criteria or ""
    if not (info.discharge_in_client_words or "").strip() and finish.strip():
        fix = ("plan", "discharge_in_client_words")
        yield "plan.discharge_criteria", "Ready to finish", finish, fix


def wording_problems(plan: m.Plan, *, quick: bool = False) -> list[WordingProblem]:
    """Every client line written about the client, with clinical words, or too hard to read."""
    name = " ".join(plan.client.name.split())
    full = " ".join((plan.client.full_name or "").split())
    _obj, pos = _object_pronoun(plan.client.pronouns)
    out = []
    for path, where, text, fix in client_lines(plan):
        found = reasons(text, name, plan.client.pronouns, full_name=full, quick=quick)
        if found:
            out.append(WordingProblem(path, where, fix, tuple(found), name or "the client", pos))
    return out


def flagged_texts(plan: m.Plan) -> frozenset[str]:
    """The texts of client lines the pane marks (quick checks: no reading grade)."""
    return frozenset(
        " ".join(text.split())
        for _path, _where, text, _fix in client_lines(plan)
        if reasons(
            text,
            plan.client.name,
            plan.client.pronouns,
            full_name=plan.client.full_name or "",
            quick=True,
        )
    )
