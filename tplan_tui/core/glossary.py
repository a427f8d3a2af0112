"""Clinical words a client may meet in a plan's text, each with one short explanation in tplan's
own words. The client summary explains each once (``summary.words.Explainer``); the client-wording
checker (``core.client_words``) flags a client line that would hold one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words a client may meet in the plan's own text, each with one short explanation. The template
# never uses them; when the plan's text does, the summary keeps that text and explains the word
# once, where it first appears. Patterns match whole words, any case, singular or plural.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (r"psycho-?education", '"Psychoeducation" means learning about a problem and how to handle it.'),
    (r"interventions?", 'An "intervention" is something done to help.'),
    (r"modality|modalities", 'A "modality" is a kind of therapy.'),
    (r"objectives?", 'An "objective" is a small step toward a goal.'),
    (
        r"cognitive[- ]behaviou?ral(?: therapy)?|CBT",
        '"CBT" is talk therapy. It looks at how your thoughts, feelings and actions link up.',
    ),
    (
        r"dialectical[- ]behaviou?r(?:al)? therapy|DBT",
        '"DBT" is a kind of therapy. It teaches skills for strong feelings and for getting on with people.',
    ),
    (r"exposures?", '"Exposure" means facing a fear in small, safe steps.'),
    (r"(?:fear |exposure )?hierarch(?:y|ies)", 'A "hierarchy" here is a list of fears, from easy to hard.'),
    (r"SUDS", '"SUDS" is a score from 0 to 100 for how upset you feel.'),
    (
        r"cognitive restructuring",
        '"Cognitive restructuring" means spotting unhelpful thoughts and trying out kinder ones.',
    ),
    (
        r"behaviou?ral activation",
        '"Behavioral activation" means planning things to do that you enjoy or that matter to you.',
    ),
    (r"mindfulness", '"Mindfulness" means paying calm attention to right now, without judging it.'),
    (
        r"motivational interviewing",
        '"Motivational interviewing" is a way of talking that helps you find your own reasons to change.',
    ),
    (r"psychotherapy", '"Psychotherapy" means talk therapy.'),
    (r"baselines?", 'The "baseline" is where you started.'),
    (r"assessments?", 'An "assessment" is a set of questions and talks to learn how you are doing.'),
    (r"relapse prevention", '"Relapse prevention" is a plan to keep your gains and handle setbacks.'),
    (r"adherence|compliance", '"Adherence" means sticking with the plan.'),
    (r"collateral", 'A "collateral" meeting is one with people close to you, with your OK.'),
    (r"somatic", '"Somatic" means to do with the body.'),
    (r"psychosocial", '"Psychosocial" means to do with your feelings, thoughts and life with others.'),
    (r"diagnos[ie]s", 'A "diagnosis" is the name for a health problem.'),
    (r"titrat(?:e|ion|ing)", 'To "titrate" a medicine means to change the dose slowly.'),
)  # fmt: skip

_GLOSSARY = tuple(
    (
        re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE if pattern != "SUDS" else 0),
        text,
    )
    for pattern, text in GLOSSARY
)


# All the words in one pattern, each its own group, so a long text is read once, not once per
# word (a 99,000-character field is searched as the client pane redraws). SUDS matches in
# capitals only; the rest in any case.
_ANY_CASE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(GLOSSARY) if p != "SUDS")
    + r")(?![\w-])",
    re.IGNORECASE,
)
_CAPITALS = {i for i, (p, _) in enumerate(GLOSSARY) if p == "SUDS"}


def clinical_terms(text: str) -> list[int]:
    """Indexes into GLOSSARY of the clinical words ``text`` uses, in glossary order."""
    return list(_terms(text))


@lru_cache(maxsize=256)  # one render asks about the same text more than once (marks, notes)
def _terms(text: str) -> tuple[int, ...]:
    found: set[int] = set()
    for match in _ANY_CASE.finditer(text):
        found.add(int((match.lastgroup or "g0")[1:]))
    found |= {i for i in _CAPITALS if _GLOSSARY[i][0].search(text)}
    return tuple(sorted(found))
