"""Reading a plan from plain data: every field checked, every problem collected with its path.

``plan_from_data`` builds a :class:`~tplan_tui.core.model.Plan` or raises :class:`PlanFileError`
listing all errors at once (``goals[0].rating.target: must be a whole number from 0 to 10, got
11``). With ``complete=False`` (drafts in the store) the "is required" and "at least one" rules
are skipped; every value that is present must still be right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from tplan_tui.core import bounds
from tplan_tui.core import model as m
from tplan_tui.core.fielderrors import FieldError, FieldErrors, unknown_key_message
from tplan_tui.core.fielderrors import describe as _describe
from tplan_tui.core.fielderrors import join_path as _join

FORMAT_VERSION = 2  # what tplan writes
FORMAT_VERSIONS = (1, 2)  # what it reads: version 2 only adds optional keys

T = TypeVar("T")
W = TypeVar("W", bound=m.Worded)


# --------------------------------------------------------------------------- errors


class PlanFileError(FieldErrors):
    """A plan that cannot be read. ``errors`` lists every problem found, each with its path."""


class _Reader:
    """Walks plain data, building model objects and collecting errors with their paths."""

    def __init__(self, complete: bool, version: int = FORMAT_VERSION):
        self.complete = complete
        self.version = version
        self.errors: list[FieldError] = []

    def v2_only(self, data: dict[str, Any], path: str, keys: tuple[str, ...]) -> None:
        """Report each of ``keys`` present in a version 1 file: they came with version 2."""
        if self.version >= 2:
            return
        for key in keys:
            if data.get(key) is not None:
                self.error(_join(path, key), "is a version 2 key: this file needs 'tplan: 2'")

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    # -- containers

    def mapping(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """``value`` as a mapping with only ``keys`` (and ``extra``); None (reported) otherwise."""
        if not isinstance(value, dict):
            self.error(path, f"must be a set of keys ({', '.join(keys)}), got {_describe(value)}")
            return None
        allowed = (*keys, "extra")
        for key in value:
            if key not in allowed:
                # At most 40 characters of the key, escaped: a foreign file's whole line would
                # otherwise be echoed back, control characters and all.
                self.error(
                    _join(path, bounds.short_key(key)),
                    unknown_key_message(key, keys, also=("extra",)),
                )
        return value

    def extra(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        value = data.get("extra")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(_join(path, "extra"), f"must be a set of keys, got {_describe(value)}")
            return {}
        self._extra_values(value, _join(path, "extra"), 0)
        return value

    def _extra_values(self, value: Any, path: str, depth: int) -> None:
        # Whatever extra holds is kept, but within the bounds of every other value: the store
        # keeps plans as JSON, whose keys are text (`1: a` would come back as '1': a) and whose
        # numbers must be numbers; text is shown on terminals; and the nesting must leave an
        # exported plan under the YAML reader's depth limit.
        # ``depth``: how many lists and sets of keys hold ``value`` inside extra.
        if isinstance(value, (dict, list)) and depth > bounds.EXTRA_DEPTH_MAX:
            self.error(
                path,
                f"nests too deep: extra may hold lists and keys at most "
                f"{bounds.EXTRA_DEPTH_MAX} levels deep",
            )
            return
        if isinstance(value, dict):
            for key, item in value.items():
                here = _join(path, bounds.short_key(key))
                if not isinstance(key, str):
                    self.error(
                        here,
                        f"a key under extra must be text, got {_describe(key)} (put it in quotes)",
                    )
                    continue
                problem = bounds.control_problem(key)
                if problem:
                    self.error(here, f"the key {problem}")
                else:
                    self._extra_values(item, here, depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._extra_values(item, _join(path, i), depth + 1)
        elif isinstance(value, str):
            self._text_bounds(value, path)
        elif isinstance(value, (int, float)):
            problem = bounds.number_problem(value)
            if problem:
                self.error(path, problem)

    def _text_bounds(self, value: str, path: str) -> bool:
        problem = bounds.control_problem(value)
        if problem:
            self.error(path, problem)
            return False
        return True

    def items(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        read: Callable[[Any, str], T | None],
        *,
        required: bool = False,
        what: str = "item",
    ) -> list[T]:
        value = data.get(key)
        here = _join(path, key)
        if value is None:
            if required and self.complete:
                self.error(here, f"is required: at least one {what}")
            return []
        if not isinstance(value, list):
            self.error(here, f"must be a list, got {_describe(value)}")
            return []
        if required and self.complete and not value:
            self.error(here, f"must have at least one {what}")
        out = []
        for i, item in enumerate(value):
            built = read(item, _join(here, i))
            if built is not None:
                out.append(built)
        return out

    # -- scalars

    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> str | None:
        value = data.get(key)
        here = _join(path, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and self.complete:
                self.error(here, "is required")
            return "" if required else None
        if not isinstance(value, str):
            self.error(here, f"must be text, got {_describe(value)} (put it in quotes)")
            return "" if required else None
        if not self._text_bounds(value, here):
            return "" if required else None
        return value

    def text_list(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        def one(item: Any, here: str) -> str | None:
            # A draft may hold an item just added and not typed yet; a complete plan may not.
            if not isinstance(item, str) or (self.complete and not item.strip()):
                self.error(here, f"must be text, got {_describe(item)}")
                return None
            return item if self._text_bounds(item, here) else None

        return self.items(data, key, path, one)

    def date(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        birth: bool = False,
    ) -> date | None:
        value = data.get(key)
        here = _join(path, key)
        if value is None:
            if required and self.complete:
                self.error(here, "is required: a date written YYYY-MM-DD")
            return None
        if isinstance(value, date):  # data built in Python rather than read from YAML
            when = value
        elif not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.error(here, f"must be a date written YYYY-MM-DD, got {_describe(value)}")
            return None
        else:
            try:
                when = date.fromisoformat(value)
            except ValueError as exc:
                self.error(here, f"{value} is not a real date ({exc})")
                return None
        problem = bounds.date_problem(when, birth=birth)
        if problem:
            self.error(here, problem)
            return None
        return when

    def whole(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        lo: int,
        hi: int | None,
        *,
        required: bool = False,
    ) -> int | None:
        value = data.get(key)
        here = _join(path, key)
        span = f"from {lo} to {hi}" if hi is not None else f"of at least {lo}"
        if value is None:
            if required and self.complete:
                self.error(here, f"is required: a whole number {span}")
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < lo
            or (hi is not None and value > hi)
        ):
            self.error(
                here,
                f"must be a whole number {span}, got {_describe(value).removeprefix('the number ')}",
            )
            return None
        return value

    def rating(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> int | None:
        return self.whole(data, key, path, m.RATING_MIN, m.RATING_MAX, required=required)

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        options: tuple[str, ...],
        default: str | None,
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            self.error(
                _join(path, key), f"must be one of {', '.join(options)}, got {_describe(value)}"
            )
            return default
        return value

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(_join(path, key), f"must be true or false, got {_describe(value)}")
            return default
        return value


# -- one function per object, in the order of plan-format.md


def _client(r: _Reader, value: Any, path: str) -> m.Client:
    d = r.mapping(value, path, ("name", "full_name", "date_of_birth", "pronouns", "guardian"))
    if d is None:
        return m.Client()
    guardian = None
    if d.get("guardian") is not None:
        gpath = _join(path, "guardian")
        g = r.mapping(d["guardian"], gpath, ("name", "relationship"))
        if g is not None:
            guardian = m.Guardian(
                name=r.text(g, "name", gpath, required=True) or "",
                relationship=r.text(g, "relationship", gpath, required=True) or "",
                extra=r.extra(g, gpath),
            )
    return m.Client(
        name=r.text(d, "name", path, required=True) or "",
        full_name=r.text(d, "full_name", path),
        date_of_birth=r.date(d, "date_of_birth", path, birth=True),
        pronouns=r.text(d, "pronouns", path),
        guardian=guardian,
        extra=r.extra(d, path),
    )


def _clinician(r: _Reader, value: Any, path: str) -> m.Clinician:
    d = r.mapping(value, path, ("name", "credentials", "contact"))
    if d is None:
        return m.Clinician()
    r.v2_only(d, path, ("contact",))
    return m.Clinician(
        name=r.text(d, "name", path, required=True) or "",
        credentials=r.text(d, "credentials", path),
        contact=r.text(d, "contact", path),
        extra=r.extra(d, path),
    )


def _plan_info(r: _Reader, value: Any, path: str) -> m.PlanInfo:
    keys = (
        "started", "review_every_days", "level_of_care", "status", "version",
        "discharge_criteria", "expected_end", "discharge_in_client_words", "next_session",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return m.PlanInfo()
    r.v2_only(d, path, ("discharge_in_client_words", "next_session"))
    return m.PlanInfo(
        started=r.date(d, "started", path, required=True),
        review_every_days=r.whole(
            d, "review_every_days", path, m.REVIEW_DAYS_MIN, m.REVIEW_DAYS_MAX, required=True
        ),
        level_of_care=r.text(d, "level_of_care", path),
        status=r.choice(d, "status", path, m.PLAN_STATUSES, "active") or "active",
        version=r.whole(d, "version", path, 1, None) or 1,
        discharge_criteria=r.text(d, "discharge_criteria", path),
        expected_end=r.date(d, "expected_end", path),
        discharge_in_client_words=r.text(d, "discharge_in_client_words", path),
        next_session=r.date(d, "next_session", path),
        extra=r.extra(d, path),
    )


def _diagnosis(r: _Reader, value: Any, path: str) -> m.Diagnosis | None:
    d = r.mapping(value, path, ("code", "label", "current", "system"))
    if d is None:
        return None
    r.v2_only(d, path, ("system",))
    return m.Diagnosis(
        code=r.text(d, "code", path, required=True) or "",
        label=r.text(d, "label", path, required=True) or "",
        current=r.flag(d, "current", path, True),
        system=r.choice(d, "system", path, m.DIAGNOSIS_SYSTEMS, None),
        extra=r.extra(d, path),
    )


def _history(r: _Reader, value: Any, path: str) -> m.History:
    keys = (
        "demographics", "psychosocial", "symptom_onset", "treatment_history", "referral",
        "diagnoses",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return m.History()
    r.v2_only(d, path, ("referral",))
    return m.History(
        referral=r.text(d, "referral", path),
        demographics=r.text(d, "demographics", path),
        psychosocial=r.text(d, "psychosocial", path),
        symptom_onset=r.text(d, "symptom_onset", path),
        treatment_history=r.text(d, "treatment_history", path),
        diagnoses=r.items(d, "diagnoses", path, lambda v, p: _diagnosis(r, v, p)),
        extra=r.extra(d, path),
    )


def _worded(r: _Reader, value: Any, path: str, kind: type[W]) -> W | None:
    """A presenting concern or a strength: the clinician's text and the client's own words."""
    d = r.mapping(value, path, ("text", "in_client_words"))
    if d is None:
        return None
    return kind(
        text=r.text(d, "text", path, required=True) or "",
        in_client_words=r.text(d, "in_client_words", path),
        extra=r.extra(d, path),
    )


def _contract(r: _Reader, value: Any, path: str) -> m.Contract:
    keys = ("modality", "frequency", "session_minutes", "client_agrees_to", "clinician_agrees_to")
    d = r.mapping(value, path, keys)
    if d is None:
        return m.Contract()
    return m.Contract(
        modality=r.text(d, "modality", path),
        frequency=r.text(d, "frequency", path),
        session_minutes=r.whole(d, "session_minutes", path, 1, 24 * 60),
        client_agrees_to=r.text_list(d, "client_agrees_to", path),
        clinician_agrees_to=r.text_list(d, "clinician_agrees_to", path),
        extra=r.extra(d, path),
    )


def _rating(r: _Reader, value: Any, path: str) -> m.Rating:
    if value is None:
        if r.complete:
            r.error(path, "is required: the 0-10 scale (label, low, high, target)")
        return m.Rating()
    d = r.mapping(value, path, ("label", "low", "high", "baseline", "target", "better"))
    if d is None:
        return m.Rating()
    r.v2_only(d, path, ("better",))
    rating = m.Rating(
        label=r.text(d, "label", path, required=True) or "",
        low=r.text(d, "low", path, required=True) or "",
        high=r.text(d, "high", path, required=True) or "",
        baseline=r.rating(d, "baseline", path),
        target=r.rating(d, "target", path, required=True),
        better=r.choice(d, "better", path, m.SCALE_DIRECTIONS, "higher") or "higher",
        extra=r.extra(d, path),
    )
    # A version 2 check on values, for a complete plan (a draft may be half typed): a target on
    # the worse side of the baseline is a goal that asks for things to get worse.
    base, target = rating.baseline, rating.target
    if r.complete and r.version >= 2 and base is not None and target is not None:
        if rating.worse_than(target, base):
            r.error(
                _join(path, "target"),
                f"{target} is worse than the baseline {base} on a scale where "
                f"{rating.better} is better",
            )
    return rating


def _objective(r: _Reader, value: Any, path: str) -> m.Objective | None:
    d = r.mapping(value, path, ("text", "target_date", "status", "in_client_words"))
    if d is None:
        return None
    r.v2_only(d, path, ("in_client_words",))
    return m.Objective(
        text=r.text(d, "text", path, required=True) or "",
        in_client_words=r.text(d, "in_client_words", path),
        target_date=r.date(d, "target_date", path),
        status=r.choice(d, "status", path, m.OBJECTIVE_STATUSES, "not-started") or "not-started",
        extra=r.extra(d, path),
    )


def _intervention(r: _Reader, value: Any, path: str) -> m.Intervention | None:
    d = r.mapping(value, path, ("text", "modality", "frequency", "by", "in_client_words"))
    if d is None:
        return None
    r.v2_only(d, path, ("in_client_words",))
    return m.Intervention(
        text=r.text(d, "text", path, required=True) or "",
        in_client_words=r.text(d, "in_client_words", path),
        modality=r.text(d, "modality", path),
        frequency=r.text(d, "frequency", path),
        by=r.text(d, "by", path),
        extra=r.extra(d, path),
    )


def _progress(r: _Reader, value: Any, path: str, n_objectives: int) -> m.ProgressEntry | None:
    keys = ("date", "client_rating", "clinician_rating", "objectives_achieved", "note")
    d = r.mapping(value, path, keys)
    if d is None:
        return None
    when = r.date(d, "date", path, required=True)
    client = r.rating(d, "client_rating", path)
    clinician = r.rating(d, "clinician_rating", path)
    if d.get("client_rating") is None and d.get("clinician_rating") is None:
        r.error(path, "needs at least one rating: client_rating or clinician_rating")

    def number(item: Any, here: str) -> int | None:
        if n_objectives == 0:
            r.error(here, "names an objective, but this goal has no objectives")
            return None
        if (
            isinstance(item, bool)
            or not isinstance(item, int)
            or not 1 <= item <= max(n_objectives, 1)
        ):
            r.error(
                here,
                f"must be the number of one of this goal's objectives (1 to {n_objectives}), got {_describe(item).removeprefix('the number ')}",
            )
            return None
        return item

    achieved = r.items(d, "objectives_achieved", path, number)
    if when is None:
        return None
    return m.ProgressEntry(
        date=when,
        client_rating=client,
        clinician_rating=clinician,
        objectives_achieved=achieved,
        note=r.text(d, "note", path),
        extra=r.extra(d, path),
    )


def _goal(r: _Reader, value: Any, path: str, n_concerns: int = 0) -> m.Goal | None:
    keys = (
        "text", "in_client_words", "rating", "target_date", "status", "achievement",
        "objectives", "interventions", "progress", "addresses",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return None
    r.v2_only(d, path, ("addresses",))
    objectives = r.items(
        d, "objectives", path, lambda v, p: _objective(r, v, p), required=True, what="objective"
    )
    n_objectives = len(d["objectives"]) if isinstance(d.get("objectives"), list) else 0
    return m.Goal(
        text=r.text(d, "text", path, required=True) or "",
        in_client_words=r.text(d, "in_client_words", path),
        rating=_rating(r, d.get("rating"), _join(path, "rating")),
        target_date=r.date(d, "target_date", path),
        status=r.choice(d, "status", path, m.GOAL_STATUSES, "active") or "active",
        achievement=r.choice(d, "achievement", path, m.ACHIEVEMENTS, None),
        objectives=objectives,
        interventions=r.items(d, "interventions", path, lambda v, p: _intervention(r, v, p)),
        progress=r.items(d, "progress", path, lambda v, p: _progress(r, v, p, n_objectives)),
        addresses=r.items(d, "addresses", path, lambda v, p: _concern_number(r, v, p, n_concerns)),
        extra=r.extra(d, path),
    )


def _concern_number(r: _Reader, item: Any, path: str, n_concerns: int) -> int | None:
    """A 1-based presenting-concern number in ``goals[].addresses``."""
    if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= max(n_concerns, 1):
        span = f"1 to {n_concerns}" if n_concerns else "there are none yet"
        r.error(
            path,
            f"must be the number of a presenting concern ({span}), "
            f"got {_describe(item).removeprefix('the number ')}",
        )
        return None
    return item


def _review(r: _Reader, value: Any, path: str) -> m.Review | None:
    d = r.mapping(value, path, ("date", "note"))
    if d is None:
        return None
    when = r.date(d, "date", path, required=True)
    if when is None:
        return None
    return m.Review(date=when, note=r.text(d, "note", path), extra=r.extra(d, path))


def _consent(r: _Reader, value: Any, path: str) -> m.Consent | None:
    keys = (
        "to", "shares", "signed_by", "signed_on", "expires_on", "revoked_on", "purpose",
        "expires_when", "minor_may_consent",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return None
    r.v2_only(d, path, ("purpose", "expires_when", "minor_may_consent"))
    if d.get("shares") is None and r.complete:
        r.error(_join(path, "shares"), f"is required: one of {', '.join(m.CONSENT_SHARES)}")
    return m.Consent(
        to=r.text(d, "to", path, required=True) or "",
        shares=r.choice(d, "shares", path, m.CONSENT_SHARES, "summary") or "summary",
        signed_by=r.text(d, "signed_by", path, required=True) or "",
        signed_on=r.date(d, "signed_on", path, required=True),
        expires_on=r.date(d, "expires_on", path),
        revoked_on=r.date(d, "revoked_on", path),
        purpose=r.text(d, "purpose", path),
        expires_when=r.text(d, "expires_when", path),
        minor_may_consent=r.flag(d, "minor_may_consent", path, False),
        extra=r.extra(d, path),
    )


def _signature(r: _Reader, value: Any, path: str, plan_version: int) -> m.Signature | None:
    d = r.mapping(value, path, ("role", "name", "signed_on", "version"))
    if d is None:
        return None
    roles = m.SIGNATURE_ROLES if r.version >= 2 else m.V1_SIGNATURE_ROLES
    if d.get("role") is None and r.complete:
        r.error(_join(path, "role"), f"is required: one of {', '.join(roles)}")
    version = r.whole(d, "version", path, 1, None)
    if version is not None and version > plan_version:
        r.error(
            _join(path, "version"),
            f"must be at most the plan's version ({plan_version}), got {version}",
        )
    if d.get("role") == "supervisor" and r.version < 2:
        r.error(_join(path, "role"), "supervisor is a version 2 role: this file needs 'tplan: 2'")
        roles = m.SIGNATURE_ROLES  # said once: not also "must be one of"
    return m.Signature(
        role=r.choice(d, "role", path, roles, "client") or "client",
        name=r.text(d, "name", path, required=True) or "",
        signed_on=r.date(d, "signed_on", path, required=True),
        version=version if version is not None else plan_version,
        extra=r.extra(d, path),
    )


def _assessment(r: _Reader, value: Any, path: str) -> m.RiskAssessment | None:
    d = r.mapping(value, path, ("date", "risk", "note"))
    if d is None:
        return None
    when = r.date(d, "date", path, required=True)
    if d.get("risk") is None and r.complete:
        r.error(_join(path, "risk"), f"is required: one of {', '.join(m.RISK_LEVELS)}")
    risk = r.choice(d, "risk", path, m.RISK_LEVELS, "none") or "none"
    if when is None:
        return None
    return m.RiskAssessment(
        date=when, risk=risk, note=r.text(d, "note", path), extra=r.extra(d, path)
    )


def _contact(r: _Reader, value: Any, path: str) -> m.Contact | None:
    d = r.mapping(value, path, ("name", "contact"))
    if d is None:
        return None
    return m.Contact(
        name=r.text(d, "name", path, required=True) or "",
        contact=r.text(d, "contact", path, required=True) or "",
        extra=r.extra(d, path),
    )


def _safety_plan(r: _Reader, value: Any, path: str) -> m.SafetyPlan:
    d = r.mapping(value, path, ("made_on", *m.SAFETY_TEXT_LISTS, *m.SAFETY_CONTACT_LISTS))
    if d is None:
        return m.SafetyPlan()
    lists: dict[str, Any] = {key: r.text_list(d, key, path) for key in m.SAFETY_TEXT_LISTS}
    for key in m.SAFETY_CONTACT_LISTS:
        lists[key] = r.items(d, key, path, lambda v, p: _contact(r, v, p))
    return m.SafetyPlan(made_on=r.date(d, "made_on", path), extra=r.extra(d, path), **lists)


def _safety(r: _Reader, value: Any, path: str) -> m.Safety:
    d = r.mapping(value, path, ("assessments", "plan"))
    if d is None:
        return m.Safety()
    plan = None
    if d.get("plan") is not None:
        plan = _safety_plan(r, d["plan"], _join(path, "plan"))
    return m.Safety(
        assessments=r.items(d, "assessments", path, lambda v, p: _assessment(r, v, p)),
        plan=plan,
        extra=r.extra(d, path),
    )


def _measure(r: _Reader, value: Any, path: str) -> m.Measure | None:
    from tplan_tui.core.instruments import instrument, known_ids, shipped_ids

    d = r.mapping(value, path, ("instrument", "date", "items", "total", "note"))
    if d is None:
        return None
    name = r.text(d, "instrument", path, required=True) or ""
    when = r.date(d, "date", path, required=True)
    known = instrument(name)
    if name and known is None and r.complete:
        r.error(
            _join(path, "instrument"),
            f"is not an instrument tplan knows ({', '.join(known_ids())}), got {_describe(name)}",
        )
    if not r.complete and name not in shipped_ids():
        # A plan in the store stays readable when a practice's instrument file is removed or
        # changed: its scores are kept as whole numbers, checked again when a file is imported.
        known = None
    items: list[int] | None = None
    if d.get("items") is not None:
        lo, hi = (known.item_min, known.item_max) if known else (0, 3 if r.complete else None)

        def score(item: Any, here: str) -> int | None:
            if isinstance(item, int) and not isinstance(item, bool):
                if lo <= item and (hi is None or item <= hi):
                    return item
            what = _describe(item).removeprefix("the number ")
            upto = f"from {lo} to {hi}" if hi is not None else f"from {lo} up"
            r.error(here, f"must be a whole number {upto}, got {what}")
            return None

        items = r.items(d, "items", path, score)
        raw = d["items"]
        if known and isinstance(raw, list) and len(raw) != known.items:
            r.error(
                _join(path, "items"),
                f"{known.id} has {known.items} items, got {len(raw)}",
            )
    total = None
    if known is not None:
        total = r.whole(d, "total", path, known.total_min, known.total_max)
    elif d.get("total") is not None:
        total = r.whole(d, "total", path, 0, None)
    if items is None and d.get("total") is None and r.complete:
        r.error(path, "needs the item scores (items) or the total, or both")
    if total is not None and items is not None and known and len(items) == known.items:
        if sum(items) != total:
            r.error(
                _join(path, "total"),
                f"must be the sum of the items ({sum(items)}), got {total}",
            )
    if when is None:
        return None
    return m.Measure(
        instrument=name, date=when, items=items, total=total, note=r.text(d, "note", path),
        extra=r.extra(d, path),
    )  # fmt: skip


_V2_TOP_KEYS = ("safety", "measures")
_TOP_KEYS = (
    "tplan", "client", "clinician", "plan", "history", "presenting_concerns", "strengths",
    "contract", "goals", "reviews", "consents", "signatures", "clinician_notes", *_V2_TOP_KEYS,
)  # fmt: skip


def plan_from_data(data: Any, *, complete: bool = True) -> m.Plan:
    """Build a Plan from plain data, or raise PlanFileError listing every problem with its path.

    ``complete=False`` skips the "is required" and "at least one" rules, for drafts in the store;
    every value that is present must still be right.
    """
    r = _Reader(complete)
    if data is None:
        raise PlanFileError(
            [FieldError("", "the file is empty: a plan file starts with 'tplan: 2'")]
        )
    d = r.mapping(data, "", _TOP_KEYS)
    if d is None:
        raise PlanFileError(r.errors)
    version = d.get("tplan")
    if version is None:
        r.error("tplan", "is required: the format version, 1 or 2")
    elif type(version) is not int or version not in FORMAT_VERSIONS:  # not true, 2.0 or "2"
        r.error("tplan", f"must be format version 1 or 2; got {_describe(version)}")
    else:
        r.version = version
    r.v2_only(d, "", _V2_TOP_KEYS)

    def section(key: str, read: Callable[[_Reader, Any, str], T], default: Callable[[], T]) -> T:
        if d.get(key) is None:
            if complete:
                r.error(key, "is required")
            return default()
        return read(r, d[key], key)

    concerns = d.get("presenting_concerns")
    n_concerns = len(concerns) if isinstance(concerns, list) else 0
    client = section("client", _client, m.Client)
    clinician = section("clinician", _clinician, m.Clinician)
    info = section("plan", _plan_info, m.PlanInfo)
    plan = m.Plan(
        client=client,
        clinician=clinician,
        plan=info,
        history=_history(r, d["history"], "history")
        if d.get("history") is not None
        else m.History(),
        presenting_concerns=r.items(
            d,
            "presenting_concerns",
            "",
            lambda v, p: _worded(r, v, p, m.Concern),
            required=True,
            what="presenting concern",
        ),
        strengths=r.items(
            d,
            "strengths",
            "",
            lambda v, p: _worded(r, v, p, m.Strength),
            required=True,
            what="strength",
        ),
        contract=_contract(r, d["contract"], "contract")
        if d.get("contract") is not None
        else m.Contract(),
        goals=r.items(
            d, "goals", "", lambda v, p: _goal(r, v, p, n_concerns), required=True, what="goal"
        ),
        reviews=r.items(d, "reviews", "", lambda v, p: _review(r, v, p)),
        consents=r.items(d, "consents", "", lambda v, p: _consent(r, v, p)),
        signatures=r.items(d, "signatures", "", lambda v, p: _signature(r, v, p, info.version)),
        clinician_notes=r.text(d, "clinician_notes", ""),
        safety=_safety(r, d["safety"], "safety") if d.get("safety") is not None else m.Safety(),
        measures=r.items(d, "measures", "", lambda v, p: _measure(r, v, p)),
        extra=r.extra(d, ""),
    )
    if r.errors:
        raise PlanFileError(r.errors)
    return plan
