"""The goal library's vocabulary: areas, ready-made goals, and how a goal becomes a plan goal.

Plain dataclasses, as in ``tplan_tui.core.model``; reading files is ``check.py`` and ``loader.py``.
Texts keep ``{name}`` where the client's name goes until ``to_goal`` fills it in.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
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
        """The words a search looks through for this goal (folded, placeholder removed)."""
        parts = [self.text, self.in_client_words or "", *(o.text for o in self.objectives)]
        parts += [o.in_client_words or "" for o in self.objectives]
        parts += [f"{i.text} {i.modality or ''}" for i in self.interventions]
        return fold(" ".join(parts).replace(PLACEHOLDER, " "))


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


# One goal as search sees it: area, goal, then folded name, synonyms, name and synonyms,
# description and concerns, client words, goal text, and everything together.
_Indexed = tuple[Area, LibraryGoal, str, list[str], str, str, str, str, str]


@dataclass
class Library:
    """Every area, shipped and the clinician's own merged; ``problems`` names the files skipped."""

    areas: list[Area] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _index: tuple[tuple[tuple[int, int, int], ...], list[_Indexed]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

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
        """Goals where every word of ``query`` appears, best matches first.

        A word may be anywhere in the goal's area (name, synonyms, description, example
        concerns) or the goal itself (text, client words, objectives, interventions); case,
        accents and apostrophes do not count ("can't sleep" finds "cant sleep"). Best first:
        the area's name or one of its synonyms, then the goal's own words as the picker shows
        them, then the goal's text, then the concerns, then anywhere (each stable, library
        order). An empty query matches every goal, in library order.
        """
        words = fold(query).split()
        phrase = " ".join(words)
        found = []
        for entry in self._search_index():
            a, g, name, synonyms, about, concerns, shown, text, haystack = entry
            if not all(w in haystack for w in words):
                continue
            if name.startswith(phrase) or phrase in synonyms:
                rank = 0
            elif all(w in about for w in words):
                rank = 1
            elif all(w in shown for w in words):
                rank = 2
            elif all(w in text for w in words):
                rank = 3
            elif all(w in f"{about} {concerns}" for w in words):
                rank = 4
            else:
                rank = 5
            found.append((rank, a, g))
        found.sort(key=lambda item: item[0])
        return [(a, g) for _rank, a, g in found]

    def _search_index(self) -> list[_Indexed]:
        # The picker searches on every key: folding every text each time took ~60 ms for 50
        # areas, so the folded texts are kept until the areas or their goals change.
        key = tuple((id(a), len(a.goals), len(a.synonyms)) for a in self.areas)
        if self._index is not None and self._index[0] == key:
            return self._index[1]
        entries = []
        for a in self.areas:
            name = fold(a.area)
            synonyms = [fold(s) for s in a.synonyms]
            about = " ".join([name, *synonyms])
            concerns = fold(
                " ".join(
                    [a.description, *(f"{c.text} {c.in_client_words or ''}" for c in a.concerns)]
                )
            )
            for g in a.goals:
                shown = fold(g.in_client_words or "")
                haystack = f"{about} {concerns} {g.search_text()}"
                entries.append(
                    (a, g, name, synonyms, about, concerns, shown, fold(g.text), haystack)
                )
        self._index = (key, entries)
        return entries

    def search_areas(self, query: str) -> list[tuple[Area, list[LibraryGoal]]]:
        """The areas ``search`` finds, best first, each with the goals that matched."""
        by_area: dict[int, tuple[Area, list[LibraryGoal]]] = {}
        for a, g in self.search(query):
            by_area.setdefault(id(a), (a, []))[1].append(g)
        return list(by_area.values())

    def find_areas(self, name: str) -> list[Area]:
        """The areas ``name`` means: the area of that name (or file name); else the areas whose
        name starts with it ("loneliness"); else those with it as a synonym ("suicide" is
        safety planning), whole or as the start of one. Empty when none: see ``nearest``."""
        exact = self.area(name)
        if exact is not None:
            return [exact]
        key = fold(name)
        if not key:
            return []
        synonyms = {id(a): [fold(s) for s in a.synonyms] for a in self.areas}
        for found in (
            [a for a in self.areas if fold(a.area).startswith(key)],
            [a for a in self.areas if key in synonyms[id(a)]],
            [a for a in self.areas if any(s.startswith(key) for s in synonyms[id(a)])],
        ):
            if found:
                return found
        return []

    def nearest(self, text: str, n: int = 3) -> list[Area]:
        """Up to ``n`` areas whose name or a synonym is spelled most like ``text`` (or one of
        its words), closest first: what to suggest when nothing matches ("slep" -> Sleep)."""
        key = fold(text)
        names: list[tuple[str, Area]] = []
        for a in self.areas:
            for word in [a.area, *a.synonyms]:
                names.append((fold(word), a))
                for part in fold(word).split():
                    if len(part) > 3:  # "and", "my" would suggest anything
                        names.append((part, a))
        best: dict[int, tuple[float, int, Area]] = {}
        for candidate in [key, *key.split()]:
            for order, (name, a) in enumerate(names):
                score = difflib.SequenceMatcher(None, candidate, name).ratio()
                if score >= 0.7 and score > best.get(id(a), (0.0, 0, a))[0]:
                    best[id(a)] = (score, order, a)
        # Closest spelling first; a tie keeps the library's order.
        ranked = sorted(best.values(), key=lambda t: (-t[0], t[1]))
        return [a for _, _, a in ranked[:n]]


def area_key(name: str) -> str:
    """What makes two area names the same area: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def slug(name: str) -> str:
    """A file name stem for an area: 'Couple conflict' -> 'couple-conflict'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "area"


def goal_key(text: str) -> str:
    """What makes two goal (or concern) texts the same: case and spacing do not count."""
    return " ".join(text.split()).casefold()


_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Text as search compares it: no case, accents or apostrophes ("Can\u2019t" -> "cant"),
    any other punctuation a space ("self-harm" -> "self harm")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split())
