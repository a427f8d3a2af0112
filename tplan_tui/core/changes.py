"""What changed between two versions of a plan, in words: goals, objectives and interventions
added, removed or reworded, and goals opened or closed.

Core: no Textual. Items carry no ids in the plan file, so they are matched by their text and
their position: first the same text, then the most similar text (difflib's ratio, with a small
bonus for staying in place), then what is left at the same position if it is still somewhat
alike. Whatever has no match was removed (old) or added (new). A goal keeps its number in the
version it belongs to: "Goal 2 removed" is goal 2 of the old version, "Goal 3 added" of the new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TypeVar

from tplan_tui.core import model as m

SIMILAR = 0.6  # at least this alike: the same item, reworded
SAME_PLACE = 0.3  # at the same position, this alike is enough
PLACE_BONUS = 0.1
QUOTE_LENGTH = 70

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One difference. ``what`` is "Goal", "Objective" or "Intervention"; ``number`` is "2" or
    "1.3"; ``kind`` is "added", "removed", "reworded" or "status"; texts are one line each."""

    what: str
    number: str
    kind: str
    old: str = ""
    new: str = ""

    def __str__(self) -> str:
        label = f"{self.what} {self.number}"
        if self.kind == "added":
            return f"{label} added: {quote(self.new)}"
        if self.kind == "removed":
            return f"{label} removed: {quote(self.old)}"
        if self.kind == "reworded":
            return f"{label} reworded: '{quote(self.old)}' → '{quote(self.new)}'"
        return f"{label} status: {self.old} → {self.new}"


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def quote(text: str, limit: int = QUOTE_LENGTH) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def similarity(a: str, b: str) -> float:
    a, b = one_line(a).casefold(), one_line(b).casefold()
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_items(
    old: Sequence[T], new: Sequence[T], text: Callable[[T], str]
) -> list[tuple[int | None, int | None]]:
    """Pair old and new items: (old index, new index), None on the side an item is missing.

    Pairs come back in the new list's order, each removed item after the pairs before it.
    """
    pairs: dict[int, int] = {}  # old -> new
    taken: set[int] = set()
    # 1. the same text (nearest position first, so duplicates pair up in order)
    for oi, o in enumerate(old):
        for ni in sorted(range(len(new)), key=lambda n: abs(n - oi)):
            if (
                ni not in taken
                and one_line(text(o)).casefold() == one_line(text(new[ni])).casefold()
            ):
                pairs[oi] = ni
                taken.add(ni)
                break
    # 2. the most alike, greedily
    scored = []
    for oi, o in enumerate(old):
        if oi in pairs:
            continue
        for ni, n in enumerate(new):
            if ni in taken:
                continue
            score = similarity(text(o), text(n))
            if score >= SIMILAR:
                scored.append((score + (PLACE_BONUS if oi == ni else 0.0), oi, ni))
    for _score, oi, ni in sorted(scored, reverse=True):
        if oi not in pairs and ni not in taken:
            pairs[oi] = ni
            taken.add(ni)
    # 3. what is left at the same position, if still somewhat alike
    for oi in range(min(len(old), len(new))):
        if (
            oi not in pairs
            and oi not in taken
            and similarity(text(old[oi]), text(new[oi])) >= SAME_PLACE
        ):
            pairs[oi] = oi
            taken.add(oi)
    out: list[tuple[int | None, int | None]] = []
    by_new = {ni: oi for oi, ni in pairs.items()}
    removed = [oi for oi in range(len(old)) if oi not in pairs]
    for ni in range(len(new)):
        # a removed item is listed where it stood: before the first new item that came after it
        before = by_new.get(ni, len(old))
        while removed and removed[0] < before:
            out.append((removed.pop(0), None))
        out.append((by_new.get(ni), ni))
    out += [(oi, None) for oi in removed]
    return out


def _items(
    what: str,
    prefix: str,
    old: Sequence[T],
    new: Sequence[T],
    text: Callable[[T], str],
) -> list[Change]:
    changes: list[Change] = []
    for oi, ni in match_items(old, new, text):
        if ni is None:
            assert oi is not None  # match_items never pairs a missing item with a missing one
            changes.append(Change(what, f"{prefix}{oi + 1}", "removed", old=text(old[oi])))
        elif oi is None:
            changes.append(Change(what, f"{prefix}{ni + 1}", "added", new=text(new[ni])))
        elif one_line(text(old[oi])) != one_line(text(new[ni])):
            changes.append(
                Change(what, f"{prefix}{ni + 1}", "reworded", text(old[oi]), text(new[ni]))
            )
    return changes


def diff_plans(old: m.Plan, new: m.Plan) -> list[Change]:
    """The goals, objectives and interventions added, removed or reworded from ``old`` to ``new``,
    and the goals whose status changed (opened, put on hold, completed, cancelled).

    Progress, achievement, objective status, reviews, consents and signatures are records of how
    the plan is going, not of what was agreed: they are not listed.
    """
    changes: list[Change] = []
    for oi, ni in match_items(old.goals, new.goals, lambda g: g.text):
        if ni is None:
            assert oi is not None  # match_items never pairs a missing goal with a missing one
            changes.append(Change("Goal", str(oi + 1), "removed", old=old.goals[oi].text))
            continue
        g_new = new.goals[ni]
        if oi is None:
            changes.append(Change("Goal", str(ni + 1), "added", new=g_new.text))
            continue
        g_old = old.goals[oi]
        number = str(ni + 1)
        if one_line(g_old.text) != one_line(g_new.text):
            changes.append(Change("Goal", number, "reworded", g_old.text, g_new.text))
        if g_old.status != g_new.status:
            changes.append(Change("Goal", number, "status", g_old.status, g_new.status))
        changes += _items(
            "Objective", f"{number}.", g_old.objectives, g_new.objectives, lambda o: o.text
        )
        changes += _items(
            "Intervention", f"{number}.", g_old.interventions, g_new.interventions, lambda i: i.text
        )
    return changes


def changes_in_words(old: m.Plan, new: m.Plan) -> list[str]:
    """``diff_plans`` as sentences, or one sentence saying nothing changed."""
    changes = diff_plans(old, new)
    if not changes:
        return ["No goal, objective or intervention was added, removed or reworded."]
    return [str(c) for c in changes]
