"""Standard measure scores (PHQ-9, GAD-7…) in the documents: every score with its items, band and
change in the clinical record; in the client's summary, the latest score of each in plain words,
what it means, and how it moved, never a bare label ("moderately severe") without its meaning.

The client's part says only totals: no item (not the one on thoughts of self-harm), no note (the
clinician's). Its sentences are short, for a reading grade of 8 or below.
"""

from __future__ import annotations

from tplan_tui.core import model as m
from tplan_tui.core.measures import IMPROVED, NO_CHANGE, WORSE, Score, Series, series_of
from tplan_tui.summary.document import Block, Item, ItemList, Label, Paragraph, Section
from tplan_tui.summary.words import date_in_words, one_line

# What a change means, said to the client.
_CLIENT_CHANGE = {
    IMPROVED: "That is a big enough change to count as real progress.",
    NO_CHANGE: "That change is small. It may not mean much yet.",
    WORSE: "That is a big enough change that we should talk about it.",
}


def _moved(before: int, after: int) -> str:
    if after < before:
        return "down from"
    if after > before:
        return "up from"
    return "the same as"


def client_sentences(s: Series) -> list[str]:
    """The latest score of one instrument in plain words ("Your answers about low mood: ...")."""
    known = s.known
    if known is None:  # an instrument tplan no longer knows: its score, nothing more
        return [f"Your {s.name} score: {s.latest.total} on {date_in_words(s.latest.date)}."]
    latest = s.latest
    head = f"Your answers about {known.about}: {latest.total} on {date_in_words(latest.date)}"
    if len(s.scores) > 1:
        before = s.scores[-2]
        head += (
            f", {_moved(before.total, latest.total)} {before.total} on {date_in_words(before.date)}"
        )
    better = "lower" if known.lower_is_better else "higher"
    out = [
        head + ".",
        f"The score can go from {known.total_min} to {known.total_max}. A {better} score is better.",
    ]
    if latest.band is not None:
        out.append(f"A score of {latest.total} means {latest.band.meaning}.")
    if latest.vs_before is not None:
        out.append(_CLIENT_CHANGE[latest.vs_before])
    if len(s.scores) > 2 and latest.vs_first is not None:
        first = s.scores[0]
        out.append(
            f"Your first score was {first.total}. "
            + {
                IMPROVED: "Since then, you have made real progress.",
                NO_CHANGE: "Since then, the change is small.",
                WORSE: "Since then, it has got a lot worse. We should talk about it.",
            }[latest.vs_first]
        )
    return out


def client_section(plan: m.Plan) -> Section:
    """The client summary's part on the questionnaires (empty, so left out, when none)."""
    series = series_of(plan)
    section = Section("Your questionnaires")
    if not series:
        return section
    section.blocks.append(
        Paragraph(
            "You filled in some short forms about how you feel. "
            "Here is what your answers add up to."
        )
    )
    for s in series:
        section.blocks.append(Paragraph(" ".join(client_sentences(s))))
    return section


def _record_item(s: Series, score: Score) -> Item:
    known = s.known
    words = str(score.total)
    if score.band is not None:
        words += f" ({score.band.label}: {score.band.meaning})"
    notes: list[str] = []
    index = s.scores.index(score)
    if score.vs_first is not None:
        change = f"{score.vs_first} from the first ({s.scores[0].total})"
        if index > 1 and score.vs_before is not None:
            change += f"; {score.vs_before} from the one before ({s.scores[index - 1].total})"
        notes.append(first_cap(change) + ".")
    items = score.measure.items
    if items:
        topics = [known.topic(i) if known else f"item {i}" for i in range(1, len(items) + 1)]
        notes.append("Items: " + ", ".join(f"{t} {v}" for t, v in zip(topics, items, strict=True)))
        if known and known.risk_item and len(items) >= known.risk_item:
            value = items[known.risk_item - 1]
            if value > 0:
                notes.append(
                    f"Item {known.risk_item} ({known.topic(known.risk_item)}) is {value}: "
                    "above 0, the safety alert was raised."
                )
    note = one_line(score.measure.note)
    if note:
        notes.append(f"Note: {note}")
    return Item(words, lead=date_in_words(score.date), notes=tuple(notes))


def first_cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def record_blocks(plan: m.Plan) -> list[Block]:
    """Every score of every instrument, oldest first, for the clinical record."""
    blocks: list[Block] = []
    for s in series_of(plan):
        known = s.known
        head = s.name
        if known is not None:
            better = "lower" if known.lower_is_better else "higher"
            head += (
                f" ({known.about}), {known.total_min} to {known.total_max}, {better} is better; "
                f"reliable change: {known.reliable_change} points"
            )
        blocks.append(Label(head))
        blocks.append(ItemList(tuple(_record_item(s, score) for score in s.scores)))
        if known is not None:
            blocks.append(Paragraph(f"Source of the reliable change figure: {known.source}"))
    return blocks
