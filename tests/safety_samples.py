"""Invented plans for the safety tests: the sample plan (Chris) after a check-in that rates 0."""

from __future__ import annotations

from tests.samples import CHRIS_TEXT

_LAST_NOTE_END = "          rewards. Chris is ready to begin enforcing his new parenting system.\n"
# A second check-in, after the sample's one rated 5 by both: the client now rates 0.
RATED_ZERO = (
    "      - date: 2016-08-10\n"
    "        client_rating: 0\n"
    "        clinician_rating: 4\n"
    "        note: Says the house would be calmer without him; stayed in bed all week.\n"
)


def chris_rated_zero_text() -> str:
    """Chris's plan with a latest client rating of 0, down from 5 (dated 2016-08-10)."""
    assert CHRIS_TEXT.count(_LAST_NOTE_END) == 1
    return CHRIS_TEXT.replace(_LAST_NOTE_END, _LAST_NOTE_END + RATED_ZERO)
