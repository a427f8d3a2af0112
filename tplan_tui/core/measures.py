"""A plan's standard questionnaire scores over time: per instrument, each score with its band and
whether it changed reliably, against the first score and the one before.

"Reliable" uses the figure in the instrument's file (``reliable_change``, with its source there):
a change of at least that many points is a reliable improvement or worsening (which way is better
is the file's ``lower_is_better``); a smaller change is no reliable change. Core module: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tplan_tui.core import model as m
from tplan_tui.core.instruments import Band, Instrument, instrument

IMPROVED = "reliable improvement"
NO_CHANGE = "no reliable change"
WORSE = "reliable worsening"
BAR = 20  # cells of the trend's bar at the highest total


def reliable_change(known: Instrument, before: int, after: int) -> str:
    """IMPROVED, NO_CHANGE or WORSE for a move from ``before`` to ``after``."""
    diff = after - before
    if abs(diff) < known.reliable_change:
        return NO_CHANGE
    better = diff < 0 if known.lower_is_better else diff > 0
    return IMPROVED if better else WORSE


@dataclass(frozen=True)
class Score:
    """One score of a series: the measure as stored, its total, band and change."""

    measure: m.Measure
    total: int
    band: Band | None
    vs_first: str | None = None  # None on the first score, or an instrument tplan does not know
    vs_before: str | None = None

    @property
    def date(self) -> date:
        return self.measure.date


@dataclass(frozen=True)
class Series:
    """Every score of one instrument in a plan, oldest first."""

    name: str
    known: Instrument | None
    scores: tuple[Score, ...]

    @property
    def latest(self) -> Score:
        return self.scores[-1]

    def since(self, day: date | None) -> tuple[Score, ...]:
        """The scores after ``day`` (all when None)."""
        return tuple(s for s in self.scores if day is None or s.date > day)


def series_of(plan: m.Plan) -> list[Series]:
    """One series per instrument the plan has scores for, in the order first met; each series
    sorted by date (scores on one day keep the plan's order). A measure with no total is left
    out: there is nothing to compare."""
    by_name: dict[str, list[m.Measure]] = {}
    for x in plan.measures:
        if x.score is not None:
            by_name.setdefault(x.instrument, []).append(x)
    out = []
    for name, measures in by_name.items():
        known = instrument(name)
        scores: list[Score] = []
        for x in sorted(measures, key=lambda x: x.date):
            total = x.score
            assert total is not None
            first = scores[0].total if scores else None
            before = scores[-1].total if scores else None
            scores.append(
                Score(
                    x,
                    total,
                    known.band(total) if known else None,
                    reliable_change(known, first, total) if known and first is not None else None,
                    reliable_change(known, before, total) if known and before is not None else None,
                )
            )
        out.append(Series(name, known, tuple(scores)))
    return out


def score_words(score: Score) -> str:
    """``14 (moderate) · reliable improvement since the first, no reliable change since the one
    before`` — the clinician's words for one score."""
    out = str(score.total)
    if score.band is not None:
        out += f" ({score.band.label})"
    if score.vs_first is not None:
        out += f" · {score.vs_first} from the first"
        if score.vs_before is not None:
            out += f", {score.vs_before} from the one before"
    return out


def trend_lines(series: Series, last: int | None = 8, since: date | None = None) -> list[str]:
    """One instrument's scores over time as plain text, one row per score: a bar as long as the
    total, then the total, band and change in words (read aloud, it makes sense without the bar).
    """
    known = series.known
    top = known.total_max if known else max(s.total for s in series.scores) or 1
    head = series.name + (f" ({known.about})" if known else "")
    if known is not None:
        head += (
            f" · 0-{known.total_max}, {'lower' if known.lower_is_better else 'higher'} is better"
        )
        head += f" · reliable change: {known.reliable_change}+"
    lines = [head]
    rows = series.since(since)
    if not rows:
        lines.append("  No scores since the last review.")
        return lines
    if last is not None and len(rows) > last:
        hidden = len(rows) - last
        lines.append(f"  ({hidden} earlier score{'s' if hidden > 1 else ''} not shown)")
        rows = rows[-last:]
    for s in rows:
        filled = round(BAR * s.total / top) if top else 0
        bar = "█" * filled + "░" * (BAR - filled)
        words = f"{s.total:>2}" + (f" {s.band.label}" if s.band else "")
        if s.vs_before is not None:
            words += f" · {s.vs_before}"
        lines.append(f"  {s.date.isoformat()} {bar} {words}")
    latest = rows[-1]
    if latest.vs_first is not None and len(series.scores) > 2:
        lines.append(f"  Since the first score ({series.scores[0].total}): {latest.vs_first}.")
    return lines
