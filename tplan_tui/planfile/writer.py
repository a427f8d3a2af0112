"""Writing a plan as plain data in plan-file shape: every field with its value, defaults included,
so that import -> export -> import gives the same plan and exporting twice gives the same text."""

from __future__ import annotations

from datetime import date
from typing import Any

from tplan_tui.core import model as m
from tplan_tui.planfile.reader import FORMAT_VERSION


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless the value is absent (None, empty text, empty list or mapping)."""
    if value is None or value == "" or value == [] or value == {}:
        return
    out[key] = value.isoformat() if isinstance(value, date) else value


def _with_extra(out: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    _put(out, "extra", extra)
    return out


def _goal_data(g: m.Goal) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "text", g.text)
    _put(out, "in_client_words", g.in_client_words)
    rating: dict[str, Any] = {}
    for key in ("label", "low", "high", "baseline", "target"):
        _put(rating, key, getattr(g.rating, key))
    if g.rating.better != "higher":  # the default is left out, as it reads back the same
        rating["better"] = g.rating.better
    _put(out, "rating", _with_extra(rating, g.rating.extra))
    _put(out, "target_date", g.target_date)
    out["status"] = g.status
    _put(out, "achievement", g.achievement)
    objectives = []
    for o in g.objectives:
        od: dict[str, Any] = {}
        _put(od, "text", o.text)
        _put(od, "in_client_words", o.in_client_words)
        _put(od, "target_date", o.target_date)
        od["status"] = o.status
        objectives.append(_with_extra(od, o.extra))
    _put(out, "objectives", objectives)
    interventions = []
    for i in g.interventions:
        idata: dict[str, Any] = {}
        for key in ("text", "in_client_words", "modality", "frequency", "by"):
            _put(idata, key, getattr(i, key))
        interventions.append(_with_extra(idata, i.extra))
    _put(out, "interventions", interventions)
    progress = []
    for p in g.progress:
        pd: dict[str, Any] = {"date": p.date.isoformat()}
        _put(pd, "client_rating", p.client_rating)
        _put(pd, "clinician_rating", p.clinician_rating)
        _put(pd, "objectives_achieved", list(p.objectives_achieved))
        _put(pd, "note", p.note)
        progress.append(_with_extra(pd, p.extra))
    _put(out, "progress", progress)
    _put(out, "addresses", list(g.addresses))
    return _with_extra(out, g.extra)


def plan_to_data(plan: m.Plan) -> dict[str, Any]:
    """The plan as plain data in plan-file shape, dates as ISO strings, defaults written out."""
    out: dict[str, Any] = {"tplan": FORMAT_VERSION}

    client: dict[str, Any] = {}
    for key in ("name", "full_name", "date_of_birth", "pronouns"):
        _put(client, key, getattr(plan.client, key))
    if plan.client.guardian is not None:
        g = plan.client.guardian
        guardian: dict[str, Any] = {}
        _put(guardian, "name", g.name)
        _put(guardian, "relationship", g.relationship)
        client["guardian"] = _with_extra(guardian, g.extra)
    out["client"] = _with_extra(client, plan.client.extra)

    clinician: dict[str, Any] = {}
    _put(clinician, "name", plan.clinician.name)
    _put(clinician, "credentials", plan.clinician.credentials)
    _put(clinician, "contact", plan.clinician.contact)
    out["clinician"] = _with_extra(clinician, plan.clinician.extra)

    info: dict[str, Any] = {}
    p = plan.plan
    _put(info, "started", p.started)
    _put(info, "review_every_days", p.review_every_days)
    _put(info, "level_of_care", p.level_of_care)
    info["status"] = p.status
    info["version"] = p.version
    _put(info, "discharge_criteria", p.discharge_criteria)
    _put(info, "expected_end", p.expected_end)
    _put(info, "discharge_in_client_words", p.discharge_in_client_words)
    _put(info, "next_session", p.next_session)
    out["plan"] = _with_extra(info, p.extra)

    if not plan.history.is_empty():
        h = plan.history
        history: dict[str, Any] = {}
        for key in (
            "demographics", "psychosocial", "symptom_onset", "treatment_history", "referral",
        ):  # fmt: skip
            _put(history, key, getattr(h, key))
        diagnoses = []
        for dx in h.diagnoses:
            dd: dict[str, Any] = {}
            _put(dd, "code", dx.code)
            _put(dd, "label", dx.label)
            dd["current"] = dx.current
            _put(dd, "system", dx.system)
            diagnoses.append(_with_extra(dd, dx.extra))
        _put(history, "diagnoses", diagnoses)
        out["history"] = _with_extra(history, h.extra)

    def worded(items: list[m.Concern] | list[m.Strength]) -> list[dict[str, Any]]:
        result = []
        for item in items:
            d: dict[str, Any] = {}
            _put(d, "text", item.text)
            _put(d, "in_client_words", item.in_client_words)
            result.append(_with_extra(d, item.extra))
        return result

    _put(out, "presenting_concerns", worded(plan.presenting_concerns))
    _put(out, "strengths", worded(plan.strengths))

    if not plan.contract.is_empty():
        c = plan.contract
        contract: dict[str, Any] = {}
        for key in ("modality", "frequency", "session_minutes"):
            _put(contract, key, getattr(c, key))
        _put(contract, "client_agrees_to", list(c.client_agrees_to))
        _put(contract, "clinician_agrees_to", list(c.clinician_agrees_to))
        out["contract"] = _with_extra(contract, c.extra)

    _put(out, "goals", [_goal_data(g) for g in plan.goals])

    reviews = []
    for rv in plan.reviews:
        rd: dict[str, Any] = {"date": rv.date.isoformat()}
        _put(rd, "note", rv.note)
        reviews.append(_with_extra(rd, rv.extra))
    _put(out, "reviews", reviews)

    consents = []
    for cs in plan.consents:
        cd: dict[str, Any] = {}
        for key in (
            "to", "shares", "signed_by", "signed_on", "expires_on", "revoked_on", "purpose",
            "expires_when",
        ):  # fmt: skip
            _put(cd, key, getattr(cs, key))
        if cs.minor_may_consent:
            cd["minor_may_consent"] = True
        consents.append(_with_extra(cd, cs.extra))
    _put(out, "consents", consents)

    signatures = []
    for s in plan.signatures:
        sd: dict[str, Any] = {"role": s.role}
        _put(sd, "name", s.name)
        _put(sd, "signed_on", s.signed_on)
        sd["version"] = s.version
        signatures.append(_with_extra(sd, s.extra))
    _put(out, "signatures", signatures)

    _put(out, "clinician_notes", plan.clinician_notes)
    if not plan.safety.is_empty():
        out["safety"] = _safety_data(plan.safety)
    _put(out, "measures", [_measure_data(x) for x in plan.measures])
    return _with_extra(out, plan.extra)


def _safety_data(safety: m.Safety) -> dict[str, Any]:
    out: dict[str, Any] = {}
    assessments = []
    for a in safety.assessments:
        ad: dict[str, Any] = {"date": a.date.isoformat(), "risk": a.risk}
        _put(ad, "note", a.note)
        assessments.append(_with_extra(ad, a.extra))
    _put(out, "assessments", assessments)
    if safety.plan is not None:
        sp = safety.plan
        pd: dict[str, Any] = {}
        _put(pd, "made_on", sp.made_on)
        for key in m.SAFETY_TEXT_LISTS:
            _put(pd, key, list(getattr(sp, key)))
        for key in m.SAFETY_CONTACT_LISTS:
            people = []
            for c in getattr(sp, key):
                cd: dict[str, Any] = {}
                _put(cd, "name", c.name)
                _put(cd, "contact", c.contact)
                people.append(_with_extra(cd, c.extra))
            _put(pd, key, people)
        out["plan"] = _with_extra(pd, sp.extra)  # kept even when empty: a plan begun
    return _with_extra(out, safety.extra)


def _measure_data(x: m.Measure) -> dict[str, Any]:
    out: dict[str, Any] = {"instrument": x.instrument, "date": x.date.isoformat()}
    if x.items is not None:
        out["items"] = list(x.items)
    _put(out, "total", x.total)
    _put(out, "note", x.note)
    return _with_extra(out, x.extra)
