"""Is this goal or objective measurable? A small heuristic that says why when it is not.

A goal or objective is measurable when someone could count it or see it done:
- a number, or a number word ("3", "twice", "ten"), which covers ratings ("6 out of 10");
- a date or a deadline ("by 2026-12-01", "by March");
- an observable act: something another person could watch or check ("call", "write",
  "attend", "make a list", "walk").
Words of frequency ("daily", "each week") count too, unless the only thing they measure is an
inner state: "feel better every day" is still vague. Words like "feel", "understand",
"improve", "be less" with nothing countable are vague, and the reason names the word.

It is a heuristic for the review step, not a judge: it reads English and can be fooled.
"""

from __future__ import annotations

import re

_NUMBER_WORDS = (  # noqa: SIM905 - a word list reads best as words
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty ninety hundred once twice thrice half dozen"
).split()

_FREQUENCY = (
    r"daily|nightly|weekly|monthly|hourly|weekdays?|weekends?|every|each|per|"
    r"mornings?|evenings?|bedtime|always|whenever|times"
)

_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBREVIATIONS = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A month or a weekday alone may be a name (April, June); with a day or a preposition it is a date.
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    rf"|\b(?:by|before|until|in|during|after|of|on) (?:{_MONTHS}|{_WEEKDAYS}s?)\b"
    rf"|\b(?:{_MONTHS}|{_MONTH_ABBREVIATIONS})\.? \d{{1,2}}\b"
    rf"|\b(?:every|each) (?:{_WEEKDAYS})\b"
    r"|\bby (?:the end of|next|this)\b"
)

# Acts another person could see, hear or check. Regular forms: the stem takes -s, -es, -ed, -ing.
# Verbs that often name an inner act ("use", "practice", "replace", "stay", "take") are left out:
# "use coping skills" is the classic vague objective.
_ACTS = (  # noqa: SIM905 - a word list reads best as words
    "call phone text email message contact send attend visit join invite meet greet introduce "
    "walk run jog swim bike hike dance sing cook clean wash pack drive ride exercise stretch "
    "write list name tell ask say show demonstrate describe identify explain share talk speak "
    "reply answer read sign complete finish submit apply enroll register volunteer schedule "
    "book bring carry arrive leave return create draw build log record track journal rate "
    "enforce monitor teach role-play rehearse count meditate pray review update check choose "
    "pick select sort pay budget save shop buy spend lock remove store thank praise compliment "
    "hug refuse decline request present mark map"
).split()
_IRREGULAR = (  # noqa: SIM905 - a word list reads best as words
    "wrote written said told met made kept brought spoke spoken chose chosen drove rode ridden "
    "sang ran swam paid left sent spent bought built drew drawn taught"
).split()
_ACT_PHRASES = (
    r"make a (?:list|plan|note|call|schedule|budget|chart|poster|collage|card|box|record)",
    r"keeps? a (?:log|journal|diary|record|list|chart|calendar)",
    r"set up|sign up|turn in|hand in|fill (?:in|out)|reach out|check in|point to",
    r"go(?:es)? to (?:school|work|class|group|bed|the gym|a meeting|church)",
    r"out loud|aloud|in writing|on paper|in session|in a journal|on a card|in (?:the|a) log",
)
# "exercise more", "call friends more often": an act, but no amount.
_COMPARED = r"\s+(?:\w+\s+){0,2}?(?:more|less|fewer|better|often|regularly)\b"

_VAGUE = (
    r"feel|feels|feeling|understand|understands|understanding|improve|improves|improved|"
    r"improvement|know|knows|realize|realise|accept|appreciate|believe|cope|coping better|"
    r"gain insight|insight|become|becomes|learn|learns|deal with|work on|try to|try|"
    r"manage|reduce|decrease|increase|lessen|enhance|develop|be better|get better|"
    r"be less|be more|be happier|be calmer|be healthier|be okay|be ok|be able to|"
    r"less|more|better|happier|healthier|calmer|well-being|wellbeing|self-esteem|mood|"
    r"anxious|anxiety|depressed|depression"
)

_NUMBER = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b(?<!\bno one)", re.IGNORECASE)
_FREQ = re.compile(rf"\b(?:{_FREQUENCY})\b", re.IGNORECASE)
_ACT = re.compile(
    r"\b(?:(?:" + "|".join(re.escape(a) for a in _ACTS) + r")(?:s|es|ed|d|ing)?"
    r"|" + "|".join(_IRREGULAR) + "|" + "|".join(_ACT_PHRASES) + r")\b",
    re.IGNORECASE,
)
_ACT_COMPARED = re.compile(_ACT.pattern + _COMPARED, re.IGNORECASE)
_VAGUE_RE = re.compile(rf"\b(?:{_VAGUE})\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{name\}")

ADVICE = "add a number, how often, a date, or something a person could see done"


def vagueness(text: str) -> str | None:
    """None when ``text`` is measurable; otherwise a short reason in words, with advice."""
    text = _PLACEHOLDER.sub("Client", text or "")  # "{name}" is not the verb "name"
    if not text.strip():
        return "there is nothing written yet"
    if _NUMBER.search(text) or _DATE.search(text):
        return None
    compared = _ACT_COMPARED.search(text)
    if compared:
        return f"\u201c{compared.group(0).lower()}\u201d does not say how much: {ADVICE}"
    if _ACT.search(text):
        return None
    vague = _VAGUE_RE.search(text)
    if vague:
        return f"\u201c{vague.group(0).lower()}\u201d cannot be counted or seen: {ADVICE}"
    if _FREQ.search(text):
        return None
    return f"nothing in it can be counted or seen: {ADVICE}"


def is_measurable(text: str) -> bool:
    """True when ``vagueness(text)`` finds nothing to flag."""
    return vagueness(text) is None


# --------------------------------------------------------------------------- the criterion

_COUNT = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + r"|a|an)"
_UNIT = r"(?:days?|nights?|weeks?|months?|times?|hours?|minutes?|mornings?|evenings?|school days?|sessions?)"
_CRITERION = re.compile(
    # "at least 4 days a week", "9 school days out of 10", "twice a week", "3 times per week"
    rf"\b(?:(?:at least|at most|no more than|fewer than|more than|up to)\s+)?"
    rf"(?:{_COUNT}\s+{_UNIT}|once|twice)\s+(?:a|an|per|each|every|out of\s+\d+)"
    rf"(?:\s+{_UNIT})?\b"
    # "at least 9 of 10 school days"
    rf"|\b(?:(?:at least|at most|no more than)\s+)?{_COUNT}\s+(?:of|out of)\s+{_COUNT}\s+{_UNIT}"
    # "for two weeks in a row", "for a month"
    rf"|\bfor\s+(?:at least\s+)?{_COUNT}\s+(?:\w+\s+)?(?:days|weeks|months|day|week|month)"
    r"(?:\s+in a row)?\b",
    re.IGNORECASE,
)


def criteria(text: str) -> list[str]:
    """The countable parts of a goal's wording, as written: "at least 4 days a week", "for two
    weeks in a row". What the client's copy says in plain words when their own words leave it
    out (a goal the client cannot check is not theirs to reach)."""
    out: list[str] = []
    for found in _CRITERION.finditer(text or ""):
        phrase = " ".join(found.group(0).split())
        if phrase.casefold() not in (p.casefold() for p in out):
            out.append(phrase)
    return out
