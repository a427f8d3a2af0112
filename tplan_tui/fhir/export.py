"""A plan as one FHIR R4 Bundle (type ``collection``): Patient, Practitioner, a Condition per
presenting concern and per diagnosis, the CarePlan, a Goal per goal, an Observation per progress
rating and per measure score, a Consent per consent and a Provenance per signature.

Built from the plan-file data (``plan_to_data``), so the bundle holds exactly what the plan file
holds: each value in its FHIR place, and what FHIR has no place for (strengths, the contract,
reviews, the safety plan, `extra:`) in tplan's extensions. ``import_`` reverses it.
Every resource is referenced by its ``urn:uuid`` full URL, derived from the plan id, so the
same plan gives the same bundle and a later ``tplan push`` only has to turn the collection into
a transaction (a ``request`` per entry).
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from tplan_tui.core import model as m
from tplan_tui.fhir.common import (
    CLINICAL_STATUS,
    CODE_CONCERN,
    CODE_GOAL_RATING,
    CODES,
    CONDITION_CATEGORY,
    EXT_CLIENT_WORDS,
    EXT_DATA,
    EXT_DIAGNOSIS_CODE,
    EXT_DIAGNOSIS_SYSTEM,
    EXT_EXTRA,
    EXT_PLAN_VERSION,
    EXT_PROGRESS_ENTRY,
    EXT_PRONOUNS,
    GOAL_ACHIEVEMENT,
    LOINC,
    MEASURE_CODES,
    OBSERVATION_CATEGORY,
    SYSTEM_URLS,
    TAG_RELEASE,
    US_CORE_CATEGORY,
    data_extensions,
    is_code,
    put_text,
    text_value,
)  # fmt: skip
from tplan_tui.planfile import plan_to_data

_NAMESPACE = uuid.UUID("6f1c5d2e-4b1a-5c7e-9d3f-2a8b7c6d5e4f")  # tplan's own, fixed forever
# The goal's lifecycle and the plan's status are FHIR's codes already (the format borrowed them).
_ACTIVITY_STATUS = {
    "proposed": "not-started", "active": "in-progress", "on-hold": "on-hold",
    "completed": "completed", "cancelled": "cancelled",
}  # fmt: skip


class _Bundle:
    def __init__(self, seed: str):
        self.seed = seed
        self.entries: list[dict[str, Any]] = []

    def urn(self, kind: str, *index: int) -> str:
        name = "/".join([self.seed, kind, *map(str, index)])
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"

    def add(self, urn: str, resource: dict[str, Any]) -> None:
        resource["id"] = urn.removeprefix("urn:uuid:")
        self.entries.append({"fullUrl": urn, "resource": resource})


def _ext(obj: dict[str, Any], url: str, **value: Any) -> None:
    obj.setdefault("extension", []).append({"url": url, **value})


def _words(obj: dict[str, Any], words: str | None) -> None:
    if words:
        obj.setdefault("extension", []).append({"url": EXT_CLIENT_WORDS} | text_value(words))


def _rest(obj: dict[str, Any], data: dict[str, Any], *keys: str) -> None:
    """Carry the plan-file keys ``keys`` of ``data`` (those present) in tplan's data extension."""
    rest = {k: data[k] for k in keys if k in data}
    if rest:
        obj.setdefault("extension", []).append(
            {"url": EXT_DATA, "extension": data_extensions(rest)}
        )


def _extra(obj: dict[str, Any], data: dict[str, Any]) -> None:
    if "extra" in data:
        _ext(obj, EXT_EXTRA, valueString=json.dumps(data["extra"], ensure_ascii=False))


def _text_of(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    put_text(out, "text", text)
    return out


def _display_ref(urn: str | None, name: str | None) -> dict[str, Any]:
    ref: dict[str, Any] = {"reference": urn} if urn else {}
    put_text(ref, "display", name)
    return ref


def shared_view(plan: m.Plan) -> m.Plan:
    """What a consent that shares only the summary lets leave: the plan without the
    clinician-only content (history and diagnoses, clinician notes, risk assessments, the
    clinician's ratings and notes on check-ins, review notes), as structured data.

    Measures are left out too, although the client summary (``summary/client.py``) speaks of
    each questionnaire's latest total in words: structured scores carry the items, the risk
    item among them, and a consent to share the summary is read narrowly."""
    out = copy.deepcopy(plan)
    out.history = m.History()
    out.clinician_notes = None
    out.safety.assessments = []
    out.measures = []
    out.reviews = [m.Review(date=r.date) for r in out.reviews]
    for goal in out.goals:
        goal.progress = [
            m.ProgressEntry(date=p.date, client_rating=p.client_rating,
                            objectives_achieved=p.objectives_achieved)
            for p in goal.progress
            if p.client_rating is not None
        ]  # fmt: skip
    return out


def plan_to_bundle(
    plan: m.Plan, plan_id: str = "", released_under: tuple[int, m.Consent] | None = None
) -> dict[str, Any]:
    """The plan as a FHIR R4 Bundle (plain JSON data). ``plan_id`` seeds the resource ids;
    ``released_under`` tags the bundle with the consent it is shared under."""
    d = plan_to_data(plan)
    b = _Bundle(plan_id or f"{plan.client.name}/{plan.plan.started}")
    patient, practitioner, careplan = b.urn("Patient"), b.urn("Practitioner"), b.urn("CarePlan")
    b.add(patient, _patient(d["client"]))
    b.add(practitioner, _practitioner(d["clinician"]))

    concern_urns = []
    for i, c in enumerate(d.get("presenting_concerns", [])):
        concern_urns.append(b.urn("Concern", i))
        b.add(concern_urns[-1], _concern(c, patient))
    history = d.get("history", {})
    diagnosis_urns = []
    for i, dx in enumerate(history.get("diagnoses", [])):
        diagnosis_urns.append(b.urn("Diagnosis", i))
        b.add(diagnosis_urns[-1], _diagnosis(dx, patient, practitioner))

    goal_urns = [b.urn("Goal", i) for i in range(len(d.get("goals", [])))]
    b.add(careplan, _careplan(d, patient, practitioner, concern_urns + diagnosis_urns, goal_urns))
    for i, g in enumerate(d.get("goals", [])):
        b.add(
            goal_urns[i], _goal(g, patient, [concern_urns[n - 1] for n in g.get("addresses", [])])
        )
        for j, entry in enumerate(g.get("progress", [])):
            for k, obs in enumerate(_ratings(entry, j, g, goal_urns[i], patient, practitioner)):
                b.add(b.urn("Rating", i, j, k), obs)
    for i, x in enumerate(d.get("measures", [])):
        if x["instrument"] not in MEASURE_CODES:
            continue  # a practice's own instrument has no standard code: FHIR leaves it out
        b.add(b.urn("Measure", i), _measure(x, patient, practitioner))
    for i, c in enumerate(d.get("consents", [])):
        b.add(b.urn("Consent", i), _consent(c, patient))
    for i, s in enumerate(d.get("signatures", [])):
        b.add(b.urn("Provenance", i), _provenance(s, careplan, patient, practitioner))

    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if released_under is not None:
        n, consent = released_under
        tag = {"system": TAG_RELEASE, "code": str(n)}
        put_text(tag, "display", f"Released to {' '.join(consent.to.split())} under consent {n}")
        bundle["meta"] = {"tag": [tag]}
    bundle["entry"] = b.entries
    return bundle


def bundle_json(bundle: dict[str, Any]) -> str:
    """The bundle as JSON text: UTF-8 as it is (FHIR's JSON), two-space indent, one final newline."""
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"


def as_transaction(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle as a FHIR transaction for a server's base URL (what a ``tplan push`` would
    POST): each resource PUT under its own id, so sending the same plan again updates it, and
    the server rewrites the ``urn:uuid`` references to the ids it stores."""
    out = copy.deepcopy(bundle)
    out["type"] = "transaction"
    for entry in out["entry"]:
        res = entry["resource"]
        entry["request"] = {"method": "PUT", "url": f"{res['resourceType']}/{res['id']}"}
    return out


def _patient(c: dict[str, Any]) -> dict[str, Any]:
    r: dict[str, Any] = {"resourceType": "Patient"}
    names = []
    if "name" in c:
        names.append({"use": "usual"} | _text_of(c["name"]))
    if "full_name" in c:
        names.append({"use": "official"} | _text_of(c["full_name"]))
    if names:
        r["name"] = names
    if "date_of_birth" in c:
        r["birthDate"] = c["date_of_birth"]
    if "guardian" in c:
        g = c["guardian"]
        contact: dict[str, Any] = {}
        if "relationship" in g:
            contact["relationship"] = [_text_of(g["relationship"])]
        if "name" in g:
            contact["name"] = _text_of(g["name"])
        _extra(contact, g)
        if not contact:  # a guardian with nothing filled in yet is still a guardian
            contact["extension"] = [{"url": EXT_DATA, "valueCode": "{}"}]
        r["contact"] = [contact]
    if "pronouns" in c:
        r.setdefault("extension", []).append({"url": EXT_PRONOUNS} | text_value(c["pronouns"]))
    _extra(r, c)
    return r


def _practitioner(c: dict[str, Any]) -> dict[str, Any]:
    r: dict[str, Any] = {"resourceType": "Practitioner"}
    if "name" in c:
        r["name"] = [_text_of(c["name"])]
    if "contact" in c:
        telecom = {"system": "other"}
        put_text(telecom, "value", c["contact"])
        r["telecom"] = [telecom]
    if "credentials" in c:
        r["qualification"] = [{"code": _text_of(c["credentials"])}]
    _extra(r, c)
    return r


def _concern(c: dict[str, Any], patient: str) -> dict[str, Any]:
    r: dict[str, Any] = {
        "resourceType": "Condition",
        "category": [
            {"coding": [{"system": US_CORE_CATEGORY, "code": "health-concern"}]},
            {"coding": [{"system": CODES, "code": CODE_CONCERN}]},
        ],
        "code": _text_of(c.get("text", "")),
        "subject": {"reference": patient},
    }
    _words(r, c.get("in_client_words"))
    _extra(r, c)
    return r


def _diagnosis(dx: dict[str, Any], patient: str, practitioner: str) -> dict[str, Any]:
    system = dx.get("system")
    coding: dict[str, Any] = {}
    url = SYSTEM_URLS.get(system or "ICD-10-CM")  # absent reads as ICD-10-CM (format v2)
    if url:
        coding["system"] = url
    code = dx.get("code", "")
    if is_code(code):
        coding["code"] = code
    put_text(coding, "display", dx.get("label"))
    r: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": {
            "coding": [
                {"system": CLINICAL_STATUS, "code": "active" if dx["current"] else "inactive"}
            ]
        },
        "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "encounter-diagnosis"}]}],
        "code": {"coding": [coding]} | _text_of(dx.get("label", "")),
        "subject": {"reference": patient},
        "asserter": {"reference": practitioner},
    }
    if system is not None:
        _ext(r, EXT_DIAGNOSIS_SYSTEM, valueString=system)
    if code and not is_code(code):
        r.setdefault("extension", []).append({"url": EXT_DIAGNOSIS_CODE} | text_value(code))
    _extra(r, dx)
    return r


def _careplan(
    d: dict[str, Any], patient: str, practitioner: str, addresses: list[str], goals: list[str]
) -> dict[str, Any]:
    info = d["plan"]
    r: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": info["status"],  # draft, active, completed: FHIR's own codes
        "intent": "plan",
        "title": "Treatment plan",
        "subject": {"reference": patient},
        "author": {"reference": practitioner},
    }
    period = {}
    if "started" in info:
        period["start"] = info["started"]
    if "expected_end" in info:
        period["end"] = info["expected_end"]
    if period:
        r["period"] = period
    if addresses:
        r["addresses"] = [{"reference": u} for u in addresses]
    if goals:
        r["goal"] = [{"reference": u} for u in goals]
    activities = []
    for i, g in enumerate(d.get("goals", [])):
        for iv in g.get("interventions", []):
            activities.append(
                {"detail": _activity(iv, g["status"], goals[i], patient, practitioner)}
            )
    if activities:
        r["activity"] = activities
    if "clinician_notes" in d:
        note: dict[str, Any] = {}
        put_text(note, "text", d["clinician_notes"])
        r["note"] = [note]
    _ext(r, EXT_PLAN_VERSION, valueInteger=info["version"])
    plan_rest = {k: v for k, v in info.items() if k not in ("started", "expected_end", "status")}
    history = {k: v for k, v in d.get("history", {}).items() if k != "diagnoses"}
    rest: dict[str, Any] = {"plan": plan_rest}
    if "history" in d:
        rest["history"] = history
    for key in ("strengths", "contract", "reviews", "safety", "extra"):
        if key in d:
            rest[key] = d[key]
    _rest(r, rest, *rest)
    return r


def _activity(
    iv: dict[str, Any], goal_status: str, goal: str, patient: str, practitioner: str
) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": _ACTIVITY_STATUS[goal_status],
        "goal": [{"reference": goal}],
    }
    if "modality" in iv:
        detail["code"] = _text_of(iv["modality"])
    put_text(detail, "scheduledString", iv.get("frequency"))
    by = iv.get("by")
    if by == "clinician":
        detail["performer"] = [{"reference": practitioner}]
    elif by == "client":
        detail["performer"] = [{"reference": patient}]
    elif by:
        detail["performer"] = [_display_ref(None, by)]
    put_text(detail, "description", iv.get("text"))
    _words(detail, iv.get("in_client_words"))
    _extra(detail, iv)
    return detail


def _goal(g: dict[str, Any], patient: str, addresses: list[str]) -> dict[str, Any]:
    r: dict[str, Any] = {
        "resourceType": "Goal",
        "lifecycleStatus": g["status"],
        "description": _text_of(g.get("text", "")),
        "subject": {"reference": patient},
    }
    if "achievement" in g:
        r["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": g["achievement"]}]
        }
    rating = g.get("rating", {})
    target: dict[str, Any] = {
        "measure": {"coding": [{"system": CODES, "code": CODE_GOAL_RATING}]}
        | _text_of(rating.get("label", ""))
    }
    if "target" in rating:
        target["detailInteger"] = rating["target"]
    if "target_date" in g:
        target["dueDate"] = g["target_date"]
    r["target"] = [target]
    if "in_client_words" in g:
        r["expressedBy"] = {"reference": patient}
    if addresses:
        r["addresses"] = [{"reference": u} for u in addresses]
    _words(r, g.get("in_client_words"))
    rest = dict(g)
    rest["rating"] = {k: v for k, v in rating.items() if k not in ("label", "target")}
    _rest(r, rest, "rating", "objectives")
    _extra(r, g)
    return r


def _ratings(
    entry: dict[str, Any], index: int, goal: dict[str, Any], goal_urn: str, patient: str,
    practitioner: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """One Observation per rating of a check-in (the client's, the clinician's); the rest of the
    check-in (objectives reached, note, extra) rides on the first."""
    who = [(k, u) for k, u in (("client_rating", patient), ("clinician_rating", practitioner))]
    out: list[dict[str, Any]] = []
    for key, performer in who:
        if key in entry or (not out and key == "clinician_rating"):
            obs: dict[str, Any] = {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [{"system": CODES, "code": CODE_GOAL_RATING}]}
                | _text_of(goal.get("rating", {}).get("label", "")),
                "subject": {"reference": patient},
                "focus": [{"reference": goal_urn}],
                "effectiveDateTime": entry["date"],
                "performer": [{"reference": performer}],
            }
            if key in entry:
                obs["valueInteger"] = entry[key]
            _ext(obs, EXT_PROGRESS_ENTRY, valueInteger=index)
            if not out:
                if "note" in entry:
                    note: dict[str, Any] = {}
                    put_text(note, "text", entry["note"])
                    obs["note"] = [note]
                _rest(obs, entry, "objectives_achieved")
                _extra(obs, entry)
            out.append(obs)
    return out


def _measure(x: dict[str, Any], patient: str, practitioner: str) -> dict[str, Any]:
    total_code, display, item_codes = MEASURE_CODES[x["instrument"]]
    r: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {"coding": [{"system": LOINC, "code": total_code, "display": display}]},
        "subject": {"reference": patient},
        "effectiveDateTime": x["date"],
        "performer": [{"reference": practitioner}],
    }
    if "total" in x:
        r["valueInteger"] = x["total"]
    if "items" in x:
        r["component"] = [
            {"code": {"coding": [{"system": LOINC, "code": code}]}, "valueInteger": score}
            for code, score in zip(item_codes, x["items"], strict=True)
        ]
    if "note" in x:
        note: dict[str, Any] = {}
        put_text(note, "text", x["note"])
        r["note"] = [note]
    _extra(r, x)
    return r


def _consent(c: dict[str, Any], patient: str) -> dict[str, Any]:
    provision: dict[str, Any] = {"type": "permit"}
    period = {}
    if "signed_on" in c:
        period["start"] = c["signed_on"]
    if "expires_on" in c:
        period["end"] = c["expires_on"]
    if period:
        provision["period"] = period
    if "to" in c:
        provision["actor"] = [
            {
                "role": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                            "code": "IRCP",
                        }
                    ]
                },
                "reference": _display_ref(None, c["to"]),
            }
        ]
    r: dict[str, Any] = {
        "resourceType": "Consent",
        "status": "inactive" if "revoked_on" in c else "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
        "patient": {"reference": patient},
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
            ]
        },
        "provision": provision,
    }
    if "signed_on" in c:
        r["dateTime"] = c["signed_on"]
    if "signed_by" in c:
        r["performer"] = [_display_ref(None, c["signed_by"])]
    _rest(r, c, "shares", "revoked_on", "purpose", "expires_when", "minor_may_consent")
    _extra(r, c)
    return r


def _provenance(
    s: dict[str, Any], careplan: str, patient: str, practitioner: str
) -> dict[str, Any]:
    role = s["role"]
    who = {"client": patient, "clinician": practitioner}.get(role)
    agent: dict[str, Any] = {
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                    "code": "attester",
                }
            ]
        },
        "role": [{"coding": [{"system": CODES, "code": role.replace(" ", "-")}], "text": role}],
        "who": _display_ref(who, s.get("name")),
    }
    target: dict[str, Any] = {"reference": careplan}
    _ext(target, EXT_PLAN_VERSION, valueInteger=s["version"])
    # FHIR wants an instant; tplan keeps the day signed, so the instant is that day's start (UTC).
    day = s.get("signed_on", "1970-01-01")
    r: dict[str, Any] = {
        "resourceType": "Provenance",
        "target": [target],
        "recorded": f"{day}T00:00:00Z",
        "agent": [agent],
    }
    if "signed_on" in s:
        r["occurredDateTime"] = s["signed_on"]
    _extra(r, s)
    return r
