"""A FHIR R4 Bundle back into a plan: the reverse of ``export``, for bundles tplan wrote and for
bundles an EHR wrote in the same shape (what tplan cannot place is left out, never guessed).

Two steps, as for the plan file: the bundle's JSON is read into plan-file data, every value
checked where it stands (an error names its path in the bundle: ``entry[3].resource.target[0]
.detailInteger``), then ``plan_from_data`` checks the plan's own rules; its errors are named by
the resource they came from and the plan field. Nothing is stored unless every check passes.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

from tplan_tui.core import model as m
from tplan_tui.core.fielderrors import FieldError, describe, utf8_text
from tplan_tui.fhir.common import (
    CODE_CONCERN,
    CODES,
    EMPTY_OBJECT,
    EXT_CLIENT_WORDS,
    EXT_DATA,
    EXT_DIAGNOSIS_CODE,
    EXT_DIAGNOSIS_SYSTEM,
    EXT_EXACT,
    EXT_EXTRA,
    EXT_PLAN_VERSION,
    EXT_PROGRESS_ENTRY,
    EXT_PRONOUNS,
    LIST_ITEM,
    LOINC,
    MEASURE_CODES,
    US_CORE_CATEGORY,
    BundleError,
)  # fmt: skip
from tplan_tui.planfile import PlanFileError, plan_from_data

# A bundle is far wordier than the plan file (a check-in is two Observations of ~1 KB): a plan
# with 20 goals of 50 check-ins each is 2.3 MB. Anything this big is not a plan's bundle.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CONCERN_CATEGORIES = {(CODES, CODE_CONCERN), (US_CORE_CATEGORY, "health-concern")}
_INSTRUMENTS = {total: name for name, (total, _d, _items) in MEASURE_CODES.items()}


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.origins: list[tuple[str, str]] = []  # (plan field path, bundle path) it came from
        self.careplan = ""  # where a problem of the plan as a whole is placed

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"must be a JSON object, got {describe(value)}")
            return None
        return value

    def arr(self, d: dict[str, Any], key: str, path: str) -> list[tuple[dict[str, Any], str]]:
        """The objects in list ``key`` with their paths (absent: none)."""
        value = d.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", f"must be a list, got {describe(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            o = self.obj(item, f"{path}.{key}[{i}]")
            if o is not None:
                out.append((o, f"{path}.{key}[{i}]"))
        return out

    def first(self, d: dict[str, Any], key: str, path: str) -> tuple[dict[str, Any], str] | None:
        items = self.arr(d, key, path)
        return items[0] if items else None

    def text(self, d: dict[str, Any] | None, key: str, path: str) -> str | None:
        if d is None or key not in d:
            return None
        exact = d.get("_" + key)
        if isinstance(exact, dict):
            for e in exact.get("extension") or []:
                if isinstance(e, dict) and e.get("url") == EXT_EXACT:
                    try:
                        value = json.loads(e.get("valueString", ""))
                    except ValueError:
                        value = None
                    if isinstance(value, str):
                        return value
                    self.error(f"{path}._{key}", "the exact text must be a JSON string")
                    return None
        value = d[key]
        if not isinstance(value, str):
            self.error(f"{path}.{key}", f"must be text, got {describe(value)}")
            return None
        return value

    def integer(self, d: dict[str, Any], key: str, path: str) -> int | None:
        if key not in d:
            return None
        value = d[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{path}.{key}", f"must be a whole number, got {describe(value)}")
            return None
        return value

    def date(self, d: dict[str, Any], key: str, path: str) -> str | None:
        """A FHIR date (or the day of a dateTime), as the plan file writes it."""
        if key not in d:
            return None
        value = d[key]
        if not isinstance(value, str) or not _DATE.match(value):
            self.error(f"{path}.{key}", f"must be a date written YYYY-MM-DD, got {describe(value)}")
            return None
        return value[:10]

    def ref(self, d: dict[str, Any], key: str, path: str) -> str | None:
        r = d.get(key)
        if r is None:
            return None
        o = self.obj(r, f"{path}.{key}")
        if o is None or "reference" not in o:
            return None
        return self.text(o, "reference", f"{path}.{key}")

    def refs(self, d: dict[str, Any], key: str, path: str) -> list[tuple[str, str]]:
        """The references in list ``key``, with their paths; one that is not text is an error."""
        out = []
        for x, here in self.arr(d, key, path):
            ref = x.get("reference")
            if isinstance(ref, str):
                out.append((ref, here))
            else:
                self.error(f"{here}.reference", f"must be a reference (text), got {describe(ref)}")
        return out

    def extension(
        self, d: dict[str, Any], url: str, path: str
    ) -> tuple[dict[str, Any], str] | None:
        for e, here in self.arr(d, "extension", path):
            if e.get("url") == url:
                return e, here
        return None

    def ext_text(self, d: dict[str, Any], url: str, path: str) -> str | None:
        found = self.extension(d, url, path)
        return self.value_text(*found) if found else None

    def value_text(self, e: dict[str, Any], path: str) -> str | None:
        """An extension's text: a valueString, or a valueBase64Binary of UTF-8 text."""
        if "valueBase64Binary" not in e:
            return self.text(e, "valueString", path)
        try:
            return base64.b64decode(e["valueBase64Binary"], validate=True).decode("utf-8")
        except (ValueError, TypeError):
            self.error(f"{path}.valueBase64Binary", "must be UTF-8 text in base64")
            return None

    def ext_int(self, d: dict[str, Any], url: str, path: str) -> int | None:
        found = self.extension(d, url, path)
        return self.integer(found[0], "valueInteger", found[1]) if found else None

    def put(self, out: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            out[key] = value

    def words_and_extra(self, out: dict[str, Any], d: dict[str, Any], path: str) -> None:
        self.put(out, "in_client_words", self.ext_text(d, EXT_CLIENT_WORDS, path))
        found = self.extension(d, EXT_EXTRA, path)
        if found:
            raw = self.text(found[0], "valueString", found[1])
            try:
                out["extra"] = json.loads(raw or "")
            except ValueError:
                self.error(f"{found[1]}.valueString", "must be the extra data as JSON text")

    def data(self, d: dict[str, Any], path: str) -> dict[str, Any]:
        """tplan's data extension on ``d`` back to plan-file keys (none: empty)."""
        found = self.extension(d, EXT_DATA, path)
        if not found:
            return {}
        value = self._data_value(found[0], found[1])
        return value if isinstance(value, dict) else {}

    def _data_value(self, e: dict[str, Any], path: str) -> Any:
        if e.get("url") == "extra":
            raw = self.text(e, "valueString", path)
            try:
                return json.loads(raw or "")
            except ValueError:
                self.error(f"{path}.valueString", "must be the extra data as JSON text")
                return None
        for key in (
            "valueString",
            "valueBase64Binary",
            "valueInteger",
            "valueBoolean",
            "valueCode",
        ):
            if key in e:
                if key in ("valueString", "valueBase64Binary"):
                    return self.value_text(e, path)
                if key == "valueCode" and e[key] == EMPTY_OBJECT:
                    return {}
                return e[key]
        children = self.arr(e, "extension", path)
        if children and all(c.get("url") == LIST_ITEM for c, _ in children):
            return [self._data_value(c, here) for c, here in children]
        out: dict[str, Any] = {}
        for c, here in children:
            url = c.get("url")
            if not isinstance(url, str):
                self.error(f"{here}.url", f"must be text, got {describe(url)}")
                continue
            out[url] = self._data_value(c, here)
        return out


def _codes(r: _Reader, cc: dict[str, Any] | None, path: str) -> list[tuple[str | None, str | None]]:
    if cc is None:
        return []
    return [(c.get("system"), c.get("code")) for c, _here in r.arr(cc, "coding", path)]


def bundle_to_plan(bundle: Any) -> m.Plan:
    """The plan a FHIR Bundle holds; BundleError names every problem by its path in the bundle."""
    r = _Reader()
    data = _read(r, bundle)
    if r.errors or data is None:
        raise BundleError(r.errors or [FieldError("", "not a bundle tplan can read")])
    try:
        return plan_from_data(data)
    except PlanFileError as exc:
        raise BundleError([_placed(r, e) for e in exc.errors]) from None


def _placed(r: _Reader, error: FieldError) -> FieldError:
    """A plan-file error named by the bundle path its value came from (the longest plan path
    that holds it, else the CarePlan: the plan as a whole), and the plan field."""
    best, where = "", r.careplan
    for plan_path, bundle_path in r.origins:
        holds = error.path == plan_path or error.path.startswith((plan_path + ".", plan_path + "["))
        if holds and len(plan_path) >= len(best):
            best, where = plan_path, bundle_path
    if not where:
        return FieldError(error.path, error.message)
    return FieldError(f"{where} ({error.path})", error.message)


def _read(r: _Reader, bundle: Any) -> dict[str, Any] | None:
    b = r.obj(bundle, "")
    if b is None:
        return None
    if b.get("resourceType") != "Bundle":
        r.error("resourceType", f"must be 'Bundle', got {describe(b.get('resourceType'))}")
        return None
    by_url: dict[str, tuple[dict[str, Any], str]] = {}
    kinds: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for entry, epath in r.arr(b, "entry", ""):
        epath = epath.removeprefix(".")
        res = r.obj(entry.get("resource"), f"{epath}.resource")
        if res is None:
            continue
        rpath = f"{epath}.resource"
        kind = res.get("resourceType")
        if not isinstance(kind, str):
            r.error(f"{rpath}.resourceType", f"must be text, got {describe(kind)}")
            continue
        kinds.setdefault(kind, []).append((res, rpath))
        url = entry.get("fullUrl")
        if isinstance(url, str):
            by_url[url] = (res, rpath)
        if isinstance(res.get("id"), str):
            by_url[f"{kind}/{res['id']}"] = (res, rpath)
    careplans = kinds.get("CarePlan", [])
    if len(careplans) != 1:
        r.error(
            "entry",
            "holds no CarePlan: a tplan bundle holds one CarePlan, the plan"
            if not careplans
            else f"holds {len(careplans)} CarePlans: tplan imports one plan per bundle",
        )
        return None
    cp, cpath = careplans[0]
    r.careplan = cpath

    def target(ref: str | None, kind: str, path: str) -> tuple[dict[str, Any], str] | None:
        if ref is None:
            return None
        found = by_url.get(ref)
        if found is None or found[0].get("resourceType") != kind:
            r.error(path, f"must refer to a {kind} in the bundle, got {describe(ref)}")
            return None
        return found

    out: dict[str, Any] = {"tplan": 2}
    rest = r.data(cp, cpath)
    patient_ref = r.ref(cp, "subject", cpath)
    patient = target(patient_ref, "Patient", f"{cpath}.subject")
    if patient is None:
        if patient_ref is None:
            r.error(f"{cpath}.subject", "is required: the Patient the plan is for")
        return None
    out["client"] = _client(r, *patient)
    r.origins.append(("client", patient[1]))
    practitioner_ref = r.ref(cp, "author", cpath)
    practitioner = target(practitioner_ref, "Practitioner", f"{cpath}.author")
    out["clinician"] = _clinician(r, *practitioner) if practitioner else {}
    if practitioner:
        r.origins.append(("clinician", practitioner[1]))

    info: dict[str, Any] = dict(rest.get("plan", {}))
    period = cp.get("period")
    if isinstance(period, dict):
        r.put(info, "started", r.date(period, "start", f"{cpath}.period"))
        r.put(info, "expected_end", r.date(period, "end", f"{cpath}.period"))
    r.put(info, "status", r.text(cp, "status", cpath))
    r.put(info, "version", r.ext_int(cp, EXT_PLAN_VERSION, cpath))
    out["plan"] = info
    r.origins.append(("plan", cpath))

    # Conditions: presenting concerns and diagnoses, in the order the plan addresses them.
    concerns: list[str] = []
    diagnoses: list[dict[str, Any]] = []
    history = dict(rest.get("history", {}))
    for ref, here in r.refs(cp, "addresses", cpath):
        found = target(ref, "Condition", here)
        if found is None:
            continue
        cond, path = found
        # A presenting concern is a health concern (US Core's category, which an EHR's bundle
        # uses too); any other Condition the plan addresses is a diagnosis.
        if _CONCERN_CATEGORIES & set(_codes_all(r, cond, path)):
            concern: dict[str, Any] = {}
            r.put(concern, "text", r.text(cond.get("code") or {}, "text", f"{path}.code"))
            r.words_and_extra(concern, cond, path)
            r.origins.append((f"presenting_concerns[{len(concerns)}]", path))
            out.setdefault("presenting_concerns", []).append(concern)
            concerns.append(ref)
        else:
            r.origins.append((f"history.diagnoses[{len(diagnoses)}]", path))
            diagnoses.append(_diagnosis(r, cond, path))
    if diagnoses:
        history["diagnoses"] = diagnoses
    if history:
        out["history"] = history
    for key in ("strengths", "contract", "reviews", "safety", "extra"):
        if key in rest:
            out[key] = rest[key]
    note = r.first(cp, "note", cpath)
    if note:
        r.put(out, "clinician_notes", r.text(note[0], "text", note[1]))

    goals: list[dict[str, Any]] = []
    goal_index: dict[str, int] = {}
    for ref, here in r.refs(cp, "goal", cpath):
        found = target(ref, "Goal", here)
        if found is None:
            continue
        goal_index[ref] = len(goals)
        r.origins.append((f"goals[{len(goals)}]", found[1]))
        goals.append(_goal(r, *found, concerns))
    for act, apath in r.arr(cp, "activity", cpath):
        detail = r.obj(act.get("detail"), f"{apath}.detail")
        if detail is None:
            continue
        dpath = f"{apath}.detail"
        goal_ref = next((ref for ref, _ in r.refs(detail, "goal", dpath)), None)
        if goal_ref is None or goal_ref not in goal_index:
            r.error(f"{dpath}.goal", "must refer to one of the CarePlan's goals")
            continue
        g = goals[goal_index[goal_ref]]
        r.origins.append(
            (
                f"goals[{goal_index[goal_ref]}].interventions[{len(g.get('interventions', []))}]",
                dpath,
            )
        )
        g.setdefault("interventions", []).append(
            _intervention(r, detail, dpath, patient_ref, practitioner_ref)
        )
    for obs, opath in kinds.get("Observation", []):
        focus = next((f.get("reference") for f, _ in r.arr(obs, "focus", opath)), None)
        if focus in goal_index:
            _rating(r, obs, opath, goals, goal_index[focus], patient_ref)
        elif any(
            s == LOINC and c in _INSTRUMENTS for s, c in _codes(r, obs.get("code"), f"{opath}.code")
        ):
            r.origins.append((f"measures[{len(out.get('measures', []))}]", opath))
            out.setdefault("measures", []).append(_measure(r, obs, opath))
    for g in goals:
        if "progress" in g:
            g["progress"] = [p for _i, p in sorted(g["progress"].items())]
    if goals:
        out["goals"] = goals
    for res, path in kinds.get("Consent", []):
        r.origins.append((f"consents[{len(out.get('consents', []))}]", path))
        out.setdefault("consents", []).append(_consent(r, res, path))
    for res, path in kinds.get("Provenance", []):
        r.origins.append((f"signatures[{len(out.get('signatures', []))}]", path))
        out.setdefault("signatures", []).append(
            _signature(r, res, path, patient_ref, practitioner_ref)
        )
    return out


def _codes_all(r: _Reader, res: dict[str, Any], path: str) -> list[tuple[str | None, str | None]]:
    codes = []
    for cat, here in r.arr(res, "category", path):
        codes += _codes(r, cat, here)
    return codes


def _client(r: _Reader, p: dict[str, Any], path: str) -> dict[str, Any]:
    c: dict[str, Any] = {}
    for name, here in r.arr(p, "name", path):
        key = "full_name" if name.get("use") == "official" else "name"
        r.put(c, key, r.text(name, "text", here))
    r.put(c, "date_of_birth", r.date(p, "birthDate", path))
    r.put(c, "pronouns", r.ext_text(p, EXT_PRONOUNS, path))
    contact = r.first(p, "contact", path)
    if contact:
        o, here = contact
        g: dict[str, Any] = {}
        rel = r.first(o, "relationship", here)
        if rel:
            r.put(g, "relationship", r.text(rel[0], "text", rel[1]))
        if isinstance(o.get("name"), dict):
            r.put(g, "name", r.text(o["name"], "text", f"{here}.name"))
        r.words_and_extra(g, o, here)
        c["guardian"] = g
    r.words_and_extra(c, p, path)
    return c


def _clinician(r: _Reader, p: dict[str, Any], path: str) -> dict[str, Any]:
    c: dict[str, Any] = {}
    name = r.first(p, "name", path)
    if name:
        r.put(c, "name", r.text(name[0], "text", name[1]))
    q = r.first(p, "qualification", path)
    if q and isinstance(q[0].get("code"), dict):
        r.put(c, "credentials", r.text(q[0]["code"], "text", f"{q[1]}.code"))
    t = r.first(p, "telecom", path)
    if t:
        r.put(c, "contact", r.text(t[0], "value", t[1]))
    r.words_and_extra(c, p, path)
    return c


def _diagnosis(r: _Reader, cond: dict[str, Any], path: str) -> dict[str, Any]:
    dx: dict[str, Any] = {}
    code = r.obj(cond.get("code", {}), f"{path}.code") or {}
    coding = r.first(code, "coding", f"{path}.code")
    exact = r.ext_text(cond, EXT_DIAGNOSIS_CODE, path)
    r.put(
        dx, "code", exact if exact is not None else coding and r.text(coding[0], "code", coding[1])
    )
    r.put(dx, "label", r.text(code, "text", f"{path}.code"))
    status = _codes(r, cond.get("clinicalStatus"), f"{path}.clinicalStatus")
    dx["current"] = not status or status[0][1] in ("active", "recurrence", "relapse")
    r.put(dx, "system", r.ext_text(cond, EXT_DIAGNOSIS_SYSTEM, path))
    r.words_and_extra(dx, cond, path)
    dx.pop("in_client_words", None)
    return dx


def _goal(r: _Reader, g: dict[str, Any], path: str, concerns: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rest = r.data(g, path)
    desc = r.obj(g.get("description"), f"{path}.description")
    r.put(out, "text", r.text(desc, "text", f"{path}.description"))
    rating = dict(rest.get("rating", {}))
    t = r.first(g, "target", path)
    if t:
        target, tpath = t
        measure = target.get("measure")
        if isinstance(measure, dict):
            r.put(rating, "label", r.text(measure, "text", f"{tpath}.measure"))
        r.put(rating, "target", r.integer(target, "detailInteger", tpath))
        r.put(out, "target_date", r.date(target, "dueDate", tpath))
    out["rating"] = rating
    r.put(out, "status", r.text(g, "lifecycleStatus", path))
    achieved = _codes(r, g.get("achievementStatus"), f"{path}.achievementStatus")
    if achieved:
        r.put(out, "achievement", achieved[0][1])
    r.put(out, "objectives", rest.get("objectives"))
    addresses = []
    for a, here in r.arr(g, "addresses", path):
        ref = a.get("reference")
        if ref in concerns:
            addresses.append(concerns.index(ref) + 1)
        else:
            r.error(f"{here}.reference", "must refer to one of the plan's presenting concerns")
    if addresses:
        out["addresses"] = addresses
    r.words_and_extra(out, g, path)
    return out


def _intervention(
    r: _Reader, d: dict[str, Any], path: str, patient: str | None, practitioner: str | None
) -> dict[str, Any]:
    iv: dict[str, Any] = {}
    r.put(iv, "text", r.text(d, "description", path))
    if isinstance(d.get("code"), dict):
        r.put(iv, "modality", r.text(d["code"], "text", f"{path}.code"))
    r.put(iv, "frequency", r.text(d, "scheduledString", path))
    who = r.first(d, "performer", path)
    if who:
        ref = who[0].get("reference")
        by = {patient: "client", practitioner: "clinician"}.get(ref) if ref else None
        r.put(iv, "by", by if by else r.text(who[0], "display", who[1]))
    r.words_and_extra(iv, d, path)
    return iv


def _rating(
    r: _Reader, obs: dict[str, Any], path: str, goals: list[dict[str, Any]], gi: int,
    patient: str | None,
) -> None:  # fmt: skip
    goal = goals[gi]
    index = r.ext_int(obs, EXT_PROGRESS_ENTRY, path)
    entries: dict[int, dict[str, Any]] = goal.setdefault("progress", {})
    index = len(entries) if index is None else index
    first = index not in entries
    entry = entries.setdefault(index, {})
    if first:
        r.origins.append((f"goals[{gi}].progress[{index}]", path))
    r.put(entry, "date", r.date(obs, "effectiveDateTime", path))
    who = next((p.get("reference") for p, _ in r.arr(obs, "performer", path)), None)
    value = r.integer(obs, "valueInteger", path)
    if value is not None:
        entry["client_rating" if who == patient else "clinician_rating"] = value
    note = r.first(obs, "note", path)
    if note:
        r.put(entry, "note", r.text(note[0], "text", note[1]))
    entry.update(r.data(obs, path))
    r.words_and_extra(entry, obs, path)
    entry.pop("in_client_words", None)


def _measure(r: _Reader, obs: dict[str, Any], path: str) -> dict[str, Any]:
    code = next(c for s, c in _codes(r, obs.get("code"), f"{path}.code") if c in _INSTRUMENTS)
    name = _INSTRUMENTS[code]
    x: dict[str, Any] = {"instrument": name}
    r.put(x, "date", r.date(obs, "effectiveDateTime", path))
    r.put(x, "total", r.integer(obs, "valueInteger", path))
    items = [r.integer(c, "valueInteger", here) for c, here in r.arr(obs, "component", path)]
    if "component" in obs:
        x["items"] = items
    note = r.first(obs, "note", path)
    if note:
        r.put(x, "note", r.text(note[0], "text", note[1]))
    r.words_and_extra(x, obs, path)
    x.pop("in_client_words", None)
    return x


def _consent(r: _Reader, c: dict[str, Any], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    provision = r.obj(c.get("provision", {}), f"{path}.provision") or {}
    actor = r.first(provision, "actor", f"{path}.provision")
    if actor and isinstance(actor[0].get("reference"), dict):
        r.put(out, "to", r.text(actor[0]["reference"], "display", f"{actor[1]}.reference"))
    signer = r.first(c, "performer", path)
    if signer:
        r.put(out, "signed_by", r.text(signer[0], "display", signer[1]))
    r.put(out, "signed_on", r.date(c, "dateTime", path))
    period = provision.get("period")
    if isinstance(period, dict):
        r.put(out, "expires_on", r.date(period, "end", f"{path}.provision.period"))
    out.update(r.data(c, path))
    r.words_and_extra(out, c, path)
    out.pop("in_client_words", None)
    return out


def _signature(
    r: _Reader, p: dict[str, Any], path: str, patient: str | None, practitioner: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    agent = r.first(p, "agent", path)
    if agent:
        a, here = agent
        role = r.first(a, "role", here)
        if role:
            r.put(out, "role", r.text(role[0], "text", role[1]))
        who = r.obj(a.get("who", {}), f"{here}.who") or {}
        r.put(out, "name", r.text(who, "display", f"{here}.who"))
    r.put(out, "signed_on", r.date(p, "occurredDateTime", path))
    t = r.first(p, "target", path)
    if t:
        r.put(out, "version", r.ext_int(t[0], EXT_PLAN_VERSION, t[1]))
    r.words_and_extra(out, p, path)
    out.pop("in_client_words", None)
    return out


def load_bundle_file(path: str | Path) -> m.Plan:
    """The plan in a FHIR Bundle JSON file; BundleError names every problem by its path."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            raw = f.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise BundleError([FieldError("", f"cannot read the file: {exc.strerror}")]) from None
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(
            [
                FieldError(
                    "", f"the file is {max(size, len(raw)):,} bytes; a bundle may be at most 32 MB"
                )
            ]
        )
    text = utf8_text(raw, BundleError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(
            [FieldError(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")]
        ) from None
    return bundle_to_plan(data)
