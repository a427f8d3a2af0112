"""The standard questionnaires a plan can hold scores of (format v2, ``measures``): the facts the
plan file checks a score against. tplan never prints the questions; the clinician gives the
standard form and enters the item scores.

Facts carry over from the published instruments (item counts and ranges); every word here is
tplan's own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    id: str
    items: int
    item_min: int
    item_max: int

    @property
    def total_min(self) -> int:
        return self.items * self.item_min

    @property
    def total_max(self) -> int:
        return self.items * self.item_max


BUILT_IN = {
    "PHQ-9": Instrument("PHQ-9", items=9, item_min=0, item_max=3),  # depression, totals 0-27
    "GAD-7": Instrument("GAD-7", items=7, item_min=0, item_max=3),  # anxiety, totals 0-21
}


def instrument(name: str) -> Instrument | None:
    """The instrument with this id, or None when tplan does not know it."""
    return BUILT_IN.get(name)
