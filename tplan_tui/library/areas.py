"""The goal library's vocabulary: areas, ready-made goals, and how a goal becomes a plan goal.

Plain dataclasses, as in ``tplan_tui.core.model``; reading files is ``check.py`` and ``loader.py``.
Texts keep ``{name}`` where the client's name goes until ``to_goal`` fills it in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tplan_tui.core import model as m

SCALE_BETTER = ("higher", "lower")  # LibraryRating.better: which end of 0-10 is better
AGES = ("any", "adolescent")  # LibraryGoal.ages: "adolescent" is a variant written for teenagers
SHIPPED = "shipped"  # Area.source / LibraryGoal.source: came with tplan
USER = "user"  # ... came from the clinician's own library folder
PLACEHOLDER = "{name}"


def fill_name(text: str, client_name: str | None) -> str:
    """``text`` with ``{name}`` replaced by the client's name ("the client" when there is none)."""
    name = (client_name or "").strip() or "the client"
    # A placeholder that starts a sentence gets a capital: "The client will ...".
    text = re.sub(
        r"(^|[.!?]\s+)\{name\}", lambda mt: mt.group(1) + name[:1].upper() + name[1:], text
    )
    return text.replace(PLACEHOLDER, name)


@dataclass
class LibraryRating:
    """The 0-10 scale of a library goal: what is rated and what 0 and 10 mean (no numbers yet)."""

    label: str
    low: str
    high: str
    # None when a file does not say (a clinician's own older file): a plan then assumes
    # "higher", the plan format's default. The shipped library always says.
    better: str | None = None


@dataclass
class LibraryObjective:
    """A step towards a goal, and optionally the client's own wording of it ("I will ...")."""

    text: str
    in_client_words: str | None = None

    def to_objective(self, client_name: str | None) -> m.Objective:
        words = self.in_client_words
        return m.Objective(
            text=fill_name(self.text, client_name),
            in_client_words=fill_name(words, client_name) if words else None,
        )


@dataclass
class LibraryIntervention:
    text: str
    modality: str | None = None
    frequency: str | None = None
    by: str | None = None
    # A short caution for the clinician (who should not get it, what to check first): shown
    # beside the intervention in the picker and the listing, never in the client's words.
    caution: str | None = None


@dataclass
class LibraryConcern:
    """An example presenting concern: the clinician's wording and the person's own."""

    text: str
    in_client_words: str | None = None

    def to_concern(self, client_name: str | None = None) -> m.Concern:
        words = self.in_client_words
        return m.Concern(
            text=fill_name(self.text, client_name),
            in_client_words=fill_name(words, client_name) if words else None,
        )


@dataclass
class LibraryGoal:
    """A ready-made goal. Its texts say ``{name}`` where the client's name goes."""

    area: str
    text: str
    in_client_words: str | None
    rating: LibraryRating
    objectives: list[LibraryObjective]
    interventions: list[LibraryIntervention]
    source: str = SHIPPED
    ages: str = "any"  # "adolescent": written for teenagers (school, family)

    def to_goal(self, client_name: str | None) -> m.Goal:
        """A new plan goal from this one, the name filled in; baseline and target left unset."""
        words = self.in_client_words
        return m.Goal(
            text=fill_name(self.text, client_name),
            in_client_words=fill_name(words, client_name) if words else None,
            rating=m.Rating(
                label=self.rating.label,
                low=self.rating.low,
                high=self.rating.high,
                better=self.rating.better or "higher",
            ),
            objectives=[o.to_objective(client_name) for o in self.objectives],
            interventions=[
                m.Intervention(
                    text=fill_name(i.text, client_name),
                    modality=i.modality,
                    frequency=i.frequency,
                    by=i.by,
                )
                for i in self.interventions
            ],
        )

    def search_text(self) -> str:
        """The words a search looks through for this goal (lower case, placeholder removed)."""
        parts = [self.text, self.in_client_words or "", *(o.text for o in self.objectives)]
        return " ".join(parts).replace(PLACEHOLDER, " ").casefold()


@dataclass
class Area:
    """One problem area: what it covers, example concerns, and its goals."""

    area: str
    description: str
    concerns: list[LibraryConcern]
    goals: list[LibraryGoal]
    source: str = SHIPPED
    # Other names, symptoms and everyday words a clinician or client might search for
    # ("insomnia", "can't sleep" for Sleep).
    synonyms: list[str] = field(default_factory=list)


@dataclass
class Library:
    """Every area, shipped and the clinician's own merged; ``problems`` names the files skipped."""

    areas: list[Area] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def area(self, name: str) -> Area | None:
        """The area called ``name`` (case and spacing ignored; its file name also works)."""
        key = area_key(name)
        for a in self.areas:
            if area_key(a.area) == key or slug(a.area) == slug(name):
                return a
        return None

    def goals(self) -> Iterator[tuple[Area, LibraryGoal]]:
        for a in self.areas:
            for g in a.goals:
                yield a, g

    def search(self, query: str) -> list[tuple[Area, LibraryGoal]]:
        """Goals where every word of ``query`` appears (case-insensitive, in any of the area's
        name and description or the goal's text, client words and objectives), best matches
        first. An empty query matches every goal, in library order."""
        words = query.casefold().split()
        found = []
        for a in self.areas:
            about_area = f"{a.area} {a.description}".casefold()
            for g in a.goals:
                haystack = f"{about_area} {g.search_text()}"
                if all(w in haystack for w in words):
                    # Best first: the words in the area's name or the client's own words (what
                    # the picker shows), then in the goal, then anywhere (stable: library order).
                    shown = f"{a.area} {g.in_client_words or ''}".casefold()
                    rank = (
                        0
                        if all(w in shown for w in words)
                        else (1 if all(w in g.text.casefold() for w in words) else 2)
                    )
                    found.append((rank, a, g))
        found.sort(key=lambda item: item[0])
        return [(a, g) for _rank, a, g in found]


def area_key(name: str) -> str:
    """What makes two area names the same area: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def slug(name: str) -> str:
    """A file name stem for an area: 'Couple conflict' -> 'couple-conflict'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "area"


def goal_key(text: str) -> str:
    """What makes two goal (or concern) texts the same: case and spacing do not count."""
    return " ".join(text.split()).casefold()
