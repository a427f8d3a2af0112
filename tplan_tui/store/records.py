"""What the store hands out: a stored plan with its bookkeeping, a kept version, and the one-line
summary of a plan that the caseload and ``tplan list`` show without loading the plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model is imported where plans are read, not to list them
    from tplan_tui.core.attention import Marks
    from tplan_tui.core.model import Plan


@dataclass
class StoredPlan:
    """A plan as kept in the store: its id, the plan, and the store's bookkeeping."""

    plan_id: str
    plan: Plan
    revision: int
    updated: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredVersion:
    """An earlier version of a plan, kept read-only: its number, the plan, when it was replaced."""

    number: int
    plan: Plan
    replaced: str  # UTC timestamp of the save that started the next version


class DamagedPlan(str):
    """A plan that could not be listed: a damaged, unreadable or out-of-range plan file.

    It is the one-line problem itself (``str``: "plan <id>: <file> is damaged (<reason>)...",
    naming the file and its last good copy), so callers that print or notify problems need
    nothing new; a caseload can also show it as a "damaged" row from its fields:

    - ``plan_id``: the plan's id (its file name without ``.json``);
    - ``path``: the plan file (a ``Path``);
    - ``reason``: why, in words, without any of the plan's content.
    """

    plan_id: str
    path: Path
    reason: str

    def __new__(cls, plan_id: str, path: Path, reason: str, message: str) -> DamagedPlan:
        self = super().__new__(cls, message)
        self.plan_id, self.path, self.reason = plan_id, Path(path), reason
        return self

    def to_json(self) -> dict[str, str]:
        return {
            "plan_id": self.plan_id,
            "file": str(self.path),
            "reason": self.reason,
            "problem": str(self),
        }


@dataclass(frozen=True)
class Addressed:
    """The clinician's answer to a plan's alerts: the day, a note, when it was recorded, and
    the keys of the reasons it answered (``core/attention.py``; None in a note kept before
    keys were: it answers every reason up to its day)."""

    on: date
    note: str
    recorded: str  # UTC timestamp
    seen: frozenset[str] | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "on": self.on.isoformat(),
            "note": self.note,
            "recorded": self.recorded,
        }
        if self.seen is not None:
            data["seen"] = sorted(self.seen)
        return data

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Addressed:
        seen = d.get("seen")
        if seen is not None and not (
            isinstance(seen, list) and all(isinstance(k, str) for k in seen)
        ):
            raise ValueError("'seen' is not a list of reasons' keys")
        return cls(
            date.fromisoformat(d["on"]),
            str(d["note"]),
            str(d["recorded"]),
            None if seen is None else frozenset(seen),
        )


@dataclass(frozen=True)
class PlanSummary:
    """One row of the caseload: what the list needs, without loading the plan."""

    plan_id: str
    client: str
    clinician: str
    status: str
    started: date | None
    next_review: date | None
    updated: str
    # "signed" or "needs signing" for the current version, as an adult client and (until
    # ``adult_on``, the 18th birthday) as a minor, who needs a guardian's signature too. Both are
    # kept so that a cached row stays right on the day the client turns 18.
    signing_adult: str = ""
    signing_minor: str = ""
    adult_on: date | None = None
    # Why the plan needs attention now (core/attention.py), newest first, leaving out what the
    # clinician marked addressed: each the reason in words, in a few words, its date (ISO) and
    # the goal it is about (1-based, or None). Empty when none.
    attention: tuple[tuple[str, str, str, int | None], ...] = ()
    # The latest score per standard measure (core/measures.py): instrument, date (ISO), total,
    # band label (None for an instrument tplan no longer knows).
    measures: tuple[tuple[str, str, int, str | None], ...] = ()

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)

    def attention_words(self) -> str:
        """ "needs attention: rating fell from 6 to 0" (and how many more), or "" when none."""
        if not self.attention:
            return ""
        words = f"needs attention: {self.attention[0][1]}"
        more = len(self.attention) - 1
        return words + (f" (+{more} more)" if more else "")

    @property
    def signing(self) -> str:
        """'signed' or 'needs signing' today."""
        return self.signing_on(date.today())

    def signing_on(self, today: date) -> str:
        """'signed' or 'needs signing' on ``today``."""
        minor = self.adult_on is not None and today < self.adult_on
        return self.signing_minor if minor else self.signing_adult

    def is_overdue(self, today: date) -> bool:
        return (
            self.status != "completed" and self.next_review is not None and self.next_review < today
        )

    def review_state(self, today: date, soon_days: int = 14) -> str:
        """The review status in words ('overdue', 'due soon', 'on schedule', ...)."""
        if self.status == "completed":
            return "completed"
        if self.next_review is None:
            return "not set"
        if self.next_review < today:
            return "overdue"
        if (self.next_review - today).days <= soon_days:
            return "due soon"
        return "on schedule"

    def to_json(self, today: date) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "client": self.client,
            "clinician": self.clinician,
            "status": self.status,
            "started": self.started.isoformat() if self.started else None,
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "overdue": self.is_overdue(today),
            "review": self.review_state(today),
            "signing": self.signing_on(today),
            "attention": [
                {"reason": text, "short": short, "date": on, "goal": goal}
                for text, short, on, goal in self.attention
            ],
            "measures": {
                name: {"date": on, "total": total, "band": band}
                for name, on, total, band in self.measures
            },
        }

    @classmethod
    def of(
        cls,
        plan_id: str,
        plan: Plan,
        updated: str,
        addressed: Marks | Callable[[], Marks] = None,
    ) -> PlanSummary:
        """The plan's row; ``addressed`` (the plan's "addressed" notes or a day, or a function
        that reads them only when the plan has reasons for attention) sets aside the reasons
        they answered."""
        return cls(
            plan_id=plan_id,
            client=plan.client.name,
            clinician=plan.clinician.name,
            status=plan.plan.status,
            started=plan.plan.started,
            next_review=plan.next_review,
            updated=updated,
            attention=_attention(plan, addressed),
            measures=_latest_measures(plan),
            **_signing(plan),
        )

    def _cache(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "clinician": self.clinician,
            "status": self.status,
            "started": self.started.isoformat() if self.started else None,
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "updated": self.updated,
            "signing_adult": self.signing_adult,
            "signing_minor": self.signing_minor,
            "adult_on": self.adult_on.isoformat() if self.adult_on else None,
            "attention": [list(a) for a in self.attention],
            "measures": [list(x) for x in self.measures],
        }

    @classmethod
    def _from_cache(cls, plan_id: str, d: dict[str, Any]) -> PlanSummary:
        def day(v: str | None) -> date | None:
            return date.fromisoformat(v) if v else None

        return cls(
            plan_id=plan_id,
            client=d["client"],
            clinician=d["clinician"],
            status=d["status"],
            started=day(d["started"]),
            next_review=day(d["next_review"]),
            updated=d["updated"],
            signing_adult=d["signing_adult"],
            signing_minor=d["signing_minor"],
            adult_on=day(d["adult_on"]),
            attention=tuple(
                (str(t), str(short), str(on), None if g is None else int(g))
                for t, short, on, g in d["attention"]
            ),
            measures=tuple(
                (str(name), str(on), int(total), None if band is None else str(band))
                for name, on, total, band in d["measures"]
            ),
        )


def _latest_measures(plan: Plan) -> tuple[tuple[str, str, int, str | None], ...]:
    from tplan_tui.core.measures import series_of

    return tuple(
        (
            s.name,
            s.latest.date.isoformat(),
            s.latest.total,
            s.latest.band.label if s.latest.band else None,
        )
        for s in series_of(plan)
    )


def _attention(
    plan: Plan, addressed: Marks | Callable[[], Marks]
) -> tuple[tuple[str, str, str, int | None], ...]:
    from tplan_tui.core.attention import open_reasons, reasons

    if not reasons(plan):
        return ()  # most plans: the addressed notes are not even read
    if callable(addressed):
        addressed = addressed()
    return tuple((r.text, r.short, r.on.isoformat(), r.goal) for r in open_reasons(plan, addressed))


def _signing(plan: Plan) -> dict[str, Any]:
    """The plan's signing state as an adult and as a minor, and the day it changes."""
    born = plan.client.date_of_birth
    if born is None:
        state = plan.signing_state(date.today())
        return {"signing_adult": state, "signing_minor": state, "adult_on": None}
    try:
        adult_on = born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February: 18 on 1 March
        adult_on = date(born.year + 18, 3, 1)
    return {
        "signing_adult": plan.signing_state(adult_on),
        "signing_minor": plan.signing_state(born),
        "adult_on": adult_on,
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
