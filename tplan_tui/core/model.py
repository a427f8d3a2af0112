"""The treatment plan, as plain dataclasses, and the values derived from it.

This module is the core's vocabulary: it never imports Textual, YAML or the store. Field names
follow ``docs/plan-format.md`` one for one, so the plan file maps onto it without translation.
Optional values are ``None`` (or an empty list) when absent; every object carries ``extra``, a
dict of data the format lets any object carry and that is kept untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tplan_tui.core import bounds

PLAN_STATUSES = ("draft", "active", "completed")
GOAL_STATUSES = ("proposed", "active", "on-hold", "completed", "cancelled")
ACHIEVEMENTS = ("in-progress", "improving", "worsening", "no-change", "achieved", "not-achieved")
OBJECTIVE_STATUSES = ("not-started", "in-progress", "achieved", "not-achieved", "cancelled")
SIGNATURE_ROLES = ("client", "clinician", "guardian", "family member", "supervisor")
V1_SIGNATURE_ROLES = SIGNATURE_ROLES[:4]  # "supervisor" came with format version 2
DIAGNOSIS_SYSTEMS = ("ICD-10-CM", "ICD-10", "ICD-11", "other")
SCALE_DIRECTIONS = ("higher", "lower")  # which end of a goal's 0-10 scale is better
RISK_LEVELS = ("none", "low", "moderate", "high", "imminent")
CONSENT_SHARES = ("summary", "full plan")
INTERVENTION_BY = ("clinician", "client", "family")  # suggestions: any other text is allowed

RATING_MIN, RATING_MAX = 0, 10
REVIEW_DAYS_MIN, REVIEW_DAYS_MAX = 1, 365
ADULT_AGE = 18


def _extra() -> dict[str, Any]:
    return {}


@dataclass
class Guardian:
    name: str = ""
    relationship: str = ""
    extra: dict[str, Any] = field(default_factory=_extra)


@dataclass
class Client:
    name: str = ""
    full_name: str | None = None
    date_of_birth: date | None = None
    pronouns: str | None = None
    guardian: Guardian | None = None
    extra: dict[str, Any] = field(default_factory=_extra)

    def age_on(self, day: date) -> int | None:
        """Whole years of age on ``day``, or None when the date of birth is unknown."""
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_minor_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE


@dataclass
class Clinician:
    name: str = ""
    credentials: str | None = None
    contact: str | None = None  # how the client reaches them (v2): on every client document
    extra: dict[str, Any] = field(default_factory=_extra)


@dataclass
class PlanInfo:
    """The ``plan:`` block: dates, cadence and status of the plan as a whole."""

    started: date | None = None
    review_every_days: int | None = None
    level_of_care: str | None = None
    status: str = "active"
    version: int = 1
    discharge_criteria: str | None = None
    expected_end: date | None = None
    discharge_in_client_words: str | None = None  # v2
    next_session: date | None = None  # v2
    extra: dict[str, Any] = field(default_factory=_extra)


# What tplan keeps under a diagnosis's ``extra`` until the format has keys for it: the date it
# was made, who made it, and the 1-based numbers of the presenting concerns it relates to.
DIAGNOSIS_EXTRAS = ("diagnosed_on", "diagnosed_by", "concerns")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class Diagnosis:
    code: str = ""
    label: str = ""
    current: bool = True
    system: str | None = None  # v2: None reads as ICD-10-CM in a version 2 file
    extra: dict[str, Any] = field(default_factory=_extra)

    # ``extra`` is kept as it is, so it may hold anything a foreign file put there: these read
    # only a well-formed value (else nothing), and ``core.diagnosis_extra`` names a malformed one.
    @property
    def diagnosed_on(self) -> date | None:
        """The date the diagnosis was made, when ``extra.diagnosed_on`` is one (YYYY-MM-DD)."""
        value = self.extra.get("diagnosed_on")
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            return None
        try:
            when = date.fromisoformat(value)
        except ValueError:
            return None
        return when if bounds.date_problem(when) is None else None

    @property
    def diagnosed_by(self) -> str:
        """Who made the diagnosis (the clinician, with credentials if given), on one line."""
        value = self.extra.get("diagnosed_by")
        return " ".join(value.split()) if isinstance(value, str) else ""

    @property
    def concerns(self) -> list[int]:
        """The 1-based numbers of the presenting concerns it relates to, in order (a list that
        is not all whole numbers from 1 reads as none)."""
        value = self.extra.get("concerns")
        if not isinstance(value, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in value
        ):
            return []
        return sorted(set(value))


@dataclass
class History:
    """History, assessment and demographics: clinician-only, never in a client-facing export."""

    demographics: str | None = None
    psychosocial: str | None = None
    symptom_onset: str | None = None
    treatment_history: str | None = None
    diagnoses: list[Diagnosis] = field(default_factory=list)
    referral: str | None = None  # v2: who referred the person and why
    extra: dict[str, Any] = field(default_factory=_extra)

    def is_empty(self) -> bool:
        return not (
            self.referral
            or self.demographics
            or self.psychosocial
            or self.symptom_onset
            or self.treatment_history
            or self.diagnoses
            or self.extra
        )


@dataclass
class Worded:
    """Something said in the clinician's wording and, optionally, in the person's own."""

    text: str = ""
    in_client_words: str | None = None
    extra: dict[str, Any] = field(default_factory=_extra)

    @property
    def for_client(self) -> str:
        """What a client-facing view shows: the person's own words when there are any."""
        return self.in_client_words or self.text


@dataclass
class Concern(Worded):
    """A presenting concern: what brought the person in."""


@dataclass
class Strength(Worded):
    """What the person brings: skills, supports, values."""


@dataclass
class Contract:
    modality: str | None = None
    frequency: str | None = None
    session_minutes: int | None = None
    client_agrees_to: list[str] = field(default_factory=list)
    clinician_agrees_to: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=_extra)

    def is_empty(self) -> bool:
        return not (
            self.modality
            or self.frequency
            or self.session_minutes
            or self.client_agrees_to
            or self.clinician_agrees_to
            or self.extra
        )


@dataclass
class Rating:
    """The 0-10 scale that measures a goal."""

    label: str = ""
    low: str = ""
    high: str = ""
    baseline: int | None = None
    target: int | None = None
    better: str = "higher"  # v2: "lower" for a scale where less is better (e.g. panic attacks)
    extra: dict[str, Any] = field(default_factory=_extra)

    def worse_than(self, rating: int, other: int) -> bool:
        """Whether ``rating`` is on the worse side of ``other`` on this scale."""
        return rating < other if self.better == "higher" else rating > other


@dataclass
class Objective:
    text: str = ""
    target_date: date | None = None
    status: str = "not-started"
    in_client_words: str | None = None  # v2
    extra: dict[str, Any] = field(default_factory=_extra)

    @property
    def for_client(self) -> str:
        return self.in_client_words or self.text


@dataclass
class Intervention:
    text: str = ""
    modality: str | None = None
    frequency: str | None = None
    by: str | None = None
    in_client_words: str | None = None  # v2
    extra: dict[str, Any] = field(default_factory=_extra)

    @property
    def for_client(self) -> str:
        return self.in_client_words or self.text


@dataclass
class ProgressEntry:
    date: date
    client_rating: int | None = None
    clinician_rating: int | None = None
    objectives_achieved: list[int] = field(default_factory=list)
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=_extra)


@dataclass
class Goal:
    text: str = ""
    in_client_words: str | None = None
    rating: Rating = field(default_factory=Rating)
    target_date: date | None = None
    status: str = "active"
    achievement: str | None = None
    objectives: list[Objective] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    addresses: list[int] = field(default_factory=list)  # v2: 1-based presenting concerns
    extra: dict[str, Any] = field(default_factory=_extra)

    @property
    def for_client(self) -> str:
        return self.in_client_words or self.text

    @property
    def latest_client_rating(self) -> int | None:
        """The client's most recent rating, falling back to none (not to the baseline)."""
        for entry in reversed(self.progress):
            if entry.client_rating is not None:
                return entry.client_rating
        return None

    @property
    def latest_clinician_rating(self) -> int | None:
        for entry in reversed(self.progress):
            if entry.clinician_rating is not None:
                return entry.clinician_rating
        return None

    def client_ratings(self) -> list[tuple[date, int]]:
        """The client's ratings over time, oldest first."""
        return [(e.date, e.client_rating) for e in self.progress if e.client_rating is not None]

    def clinician_ratings(self) -> list[tuple[date, int]]:
        return [
            (e.date, e.clinician_rating) for e in self.progress if e.clinician_rating is not None
        ]


@dataclass
class Review:
    date: date
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=_extra)


@dataclass
class Consent:
    """A release of information: who may receive what, signed by whom."""

    to: str = ""
    shares: str = "summary"
    signed_by: str = ""
    signed_on: date | None = None
    expires_on: date | None = None
    revoked_on: date | None = None
    purpose: str | None = None  # v2
    expires_when: str | None = None  # v2: an event, e.g. "end of treatment"
    minor_may_consent: bool = False  # v2: the law lets this minor consent alone
    extra: dict[str, Any] = field(default_factory=_extra)

    def problem_on(self, day: date) -> str | None:
        """Why this consent does not allow sharing on ``day``, in words; None when it does."""
        if not self.signed_by or self.signed_on is None:
            return "it has not been signed"
        if self.signed_on > day:
            return f"it is dated {self.signed_on.isoformat()}, which has not come yet"
        if self.revoked_on is not None and self.revoked_on <= day:
            return f"it was revoked on {self.revoked_on.isoformat()}"
        if self.expires_on is not None and self.expires_on < day:
            return f"it expired on {self.expires_on.isoformat()}"
        return None

    def is_current_on(self, day: date) -> bool:
        return self.problem_on(day) is None


@dataclass
class Signature:
    role: str = "client"
    name: str = ""
    signed_on: date | None = None
    version: int = 1
    extra: dict[str, Any] = field(default_factory=_extra)

    # The format has no keys for these yet, so tplan keeps them under the signature's ``extra``
    # (which every reader keeps as it is): the signer's credentials, that the person declined to
    # sign, that the client was offered a copy, and why a plan was signed though incomplete.
    @property
    def credentials(self) -> str:
        value = self.extra.get("credentials")
        return " ".join(value.split()) if isinstance(value, str) else ""

    @property
    def declined(self) -> bool:
        return self.extra.get("declined") is True

    @property
    def offered_copy(self) -> bool:
        return self.extra.get("offered_copy") is True

    @property
    def incomplete_reason(self) -> str:
        value = self.extra.get("incomplete_reason")
        return value.strip() if isinstance(value, str) else ""


@dataclass
class RiskAssessment:
    """A dated risk assessment: clinician-only, never in a client-facing export."""

    date: date
    risk: str = "none"
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=_extra)


@dataclass
class Contact:
    """Someone on a safety plan: a name and how to reach them."""

    name: str = ""
    contact: str = ""
    extra: dict[str, Any] = field(default_factory=_extra)


SAFETY_TEXT_LISTS = (
    "warning_signs", "coping_on_my_own", "people_and_places", "safer_surroundings",
    "reasons_for_living",
)  # fmt: skip
SAFETY_CONTACT_LISTS = ("people_to_ask", "professionals", "crisis_lines")


@dataclass
class SafetyPlan:
    """The client's own safety plan, in their words: client-facing (format v2, ``safety.plan``)."""

    made_on: date | None = None
    warning_signs: list[str] = field(default_factory=list)
    coping_on_my_own: list[str] = field(default_factory=list)
    people_and_places: list[str] = field(default_factory=list)
    people_to_ask: list[Contact] = field(default_factory=list)
    professionals: list[Contact] = field(default_factory=list)
    crisis_lines: list[Contact] = field(default_factory=list)
    safer_surroundings: list[str] = field(default_factory=list)
    reasons_for_living: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=_extra)

    def is_empty(self) -> bool:
        return (
            self.made_on is None
            and not self.extra
            and not any(getattr(self, k) for k in (*SAFETY_TEXT_LISTS, *SAFETY_CONTACT_LISTS))
        )


@dataclass
class Safety:
    assessments: list[RiskAssessment] = field(default_factory=list)
    plan: SafetyPlan | None = None
    extra: dict[str, Any] = field(default_factory=_extra)

    def is_empty(self) -> bool:
        return not (self.assessments or self.plan is not None or self.extra)

    @property
    def latest_assessment(self) -> RiskAssessment | None:
        # Of two on one day, the one entered later (assessments are kept oldest first, a new
        # one after those of its day): max() alone would keep the first, the morning's.
        return max(reversed(self.assessments), key=lambda a: a.date, default=None)


@dataclass
class Measure:
    """A standard questionnaire's score on one day (format v2, ``measures``)."""

    instrument: str
    date: date
    items: list[int] | None = None
    total: int | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=_extra)

    @property
    def score(self) -> int | None:
        """The total: as given, else the sum of the items."""
        if self.total is not None:
            return self.total
        return sum(self.items) if self.items is not None else None


@dataclass
class Plan:
    client: Client = field(default_factory=Client)
    clinician: Clinician = field(default_factory=Clinician)
    plan: PlanInfo = field(default_factory=PlanInfo)
    history: History = field(default_factory=History)
    presenting_concerns: list[Concern] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    contract: Contract = field(default_factory=Contract)
    goals: list[Goal] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    clinician_notes: str | None = None
    safety: Safety = field(default_factory=Safety)  # v2
    measures: list[Measure] = field(default_factory=list)  # v2
    extra: dict[str, Any] = field(default_factory=_extra)

    # --- derived values: screens, the CLI and the summary all ask the model, never recompute ---

    @property
    def latest_review(self) -> Review | None:
        return max(self.reviews, key=lambda r: r.date, default=None)

    @property
    def next_review(self) -> date | None:
        """When the next review is due: the cadence after the latest review, else after the start."""
        if self.plan.review_every_days is None:
            return None
        latest = self.latest_review
        since = latest.date if latest is not None else self.plan.started
        if since is None:
            return None
        return since + timedelta(days=self.plan.review_every_days)

    def is_overdue(self, today: date) -> bool:
        """True when the next review date is before today (a completed plan is never overdue)."""
        due = self.next_review
        return self.plan.status != "completed" and due is not None and due < today

    def review_state(self, today: date, soon_days: int = 14) -> str:
        """The review status in words: 'overdue', 'due soon', 'on schedule', 'not set' or 'completed'."""
        if self.plan.status == "completed":
            return "completed"
        due = self.next_review
        if due is None:
            return "not set"
        if due < today:
            return "overdue"
        if (due - today).days <= soon_days:
            return "due soon"
        return "on schedule"

    def current_signatures(self) -> list[Signature]:
        """Signatures given to the plan's current version (a refusal to sign, recorded with
        ``extra: {declined: true}``, is no signature)."""
        return [s for s in self.signatures if s.version == self.plan.version and not s.declined]

    def current_consents(self, today: date) -> list[tuple[int, Consent]]:
        """(1-based position, consent) of each consent that allows sharing today."""
        return [
            (i, c) for i, c in enumerate(self.consents, 1) if self.consent_problem(c, today) is None
        ]

    def consent_problem(self, consent: Consent, today: date) -> str | None:
        """Why ``consent`` does not allow sharing today, in words; None when it holds.

        Beyond its dates (``Consent.problem_on``), a release must say when it ends (a date or an
        event), and be signed by the right person: the client as an adult, the guardian of a
        minor, or a minor alone only where the clinician recorded that the law allows it.
        """
        problem = consent.problem_on(today)
        if problem:
            return problem
        if consent.expires_on is None and not (consent.expires_when or "").strip():
            return "it has no end: give an expiry date or an event that ends it"
        signer = consent.signed_by
        guardian = self.client.guardian.name if self.client.guardian is not None else ""
        by_guardian = _same_person(signer, guardian)
        by_client = _same_person(signer, self.client.name) or _same_person(
            signer, self.client.full_name or ""
        )
        if self.client.is_minor_on(today):
            if by_guardian or (by_client and consent.minor_may_consent):
                return None
            if by_client:
                return (
                    "the client is under 18 and signed it alone: a parent or guardian must sign, "
                    "unless the law lets the client consent (mark it so)"
                )
            if not guardian.strip():
                return (
                    f"the client is under 18 and it is signed by {signer.strip()}, who is not the "
                    "guardian on file: add the guardian, who signs it"
                )
            return (
                f"the client is under 18 and it is signed by {signer.strip()}, not by the "
                f"guardian ({guardian.strip()})"
            )
        # In family therapy the family is the client: a family member who signed the plan signs
        # their own consent (``sharing.family_without_consent``).
        family = any(
            s.role == "family member" and _same_person(signer, s.name) for s in self.signatures
        )
        if by_client or by_guardian or family:
            return None
        return f"it is signed by {signer.strip()}, not by the client"

    def signing_problems(self, today: date) -> list[str]:
        """What the current version still needs before it is signed, in words (empty: signed).

        The client and the clinician sign every version; a guardian too while the client is
        under 18. Whoever signed an earlier version is asked to sign again by name.
        """
        current = self.current_signatures()
        roles = {s.role for s in current}
        needed = ["client", "clinician"] + (["guardian"] if self.client.is_minor_on(today) else [])
        problems = []
        for role in needed:
            if role in roles:
                continue
            earlier = [
                s for s in self.signatures if s.role == role and s.version != self.plan.version
            ]
            if earlier:
                s = max(earlier, key=lambda s: s.version)
                who = s.name.strip() or f"the {role}"
                problems.append(
                    f"{who} ({role}) signed an earlier version (version {s.version}): sign again."
                )
            elif role == "guardian":
                problems.append("The client is under 18: a guardian must sign too.")
            else:
                problems.append(f"Not signed yet by the {role}.")
        # Anyone else who signed an earlier version (a family member) is asked again too.
        signed_now = {(s.role, s.name.strip().casefold()) for s in current}
        asked: set[tuple[str, str]] = set()
        for s in sorted(self.signatures, key=lambda s: -s.version):
            person = (s.role, s.name.strip().casefold())
            if (
                s.role in needed
                or s.version == self.plan.version
                or person in signed_now
                or person in asked
            ):
                continue
            asked.add(person)
            problems.append(
                f"{s.name.strip() or 'A ' + s.role} ({s.role}) signed an earlier version "
                f"(version {s.version}): sign again."
            )
        return problems

    def signing_state(self, today: date) -> str:
        """'signed' when the current version has every signature it needs, else 'needs signing'."""
        return "needs signing" if self.signing_problems(today) else "signed"


def _same_person(signed_by: str, name: str) -> bool:
    """Whether a signature names this person: the same words, or one name the first part of the
    other ("Maya" signs for "Maya Lindqvist-Torres"), any case."""
    a, b = signed_by.casefold().split(), name.casefold().split()
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long[: len(short)] == short
