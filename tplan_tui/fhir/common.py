"""What the FHIR export and import share: tplan's extension URLs, code systems, and how a text
that FHIR's string type cannot hold travels exactly."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from tplan_tui.planfile.reader import PlanFileError

# A placeholder base (README): a practice that publishes tplan's StructureDefinitions would
# replace it with its own canonical URL. Every tplan-only extension and code lives under it.
BASE = "https://tplan.example/fhir"
EXT = BASE + "/StructureDefinition/"
EXT_CLIENT_WORDS = EXT + "client-words"  # the person's own wording of a goal, concern...
EXT_EXTRA = EXT + "extra"  # an object's `extra:` data, as JSON text
EXT_DATA = EXT + "tplan-data"  # plan-file keys with no FHIR home, as nested extensions
EXT_EXACT = EXT + "exact-text"  # on a primitive: the exact text, as JSON (control characters)
EXT_PROGRESS_ENTRY = EXT + "progress-entry"  # which check-in of a goal a rating belongs to
EXT_PLAN_VERSION = EXT + "plan-version"  # the plan version a CarePlan is, or a signature signed
EXT_PRONOUNS = EXT + "pronouns"
EXT_DIAGNOSIS_SYSTEM = EXT + "diagnosis-system"  # the system as the plan file names it
EXT_DIAGNOSIS_CODE = EXT + "diagnosis-code"  # a code FHIR's `code` type cannot hold
CODES = BASE + "/CodeSystem/tplan"
CODE_GOAL_RATING = "goal-rating"
CODE_CONCERN = "presenting-concern"
TAG_RELEASE = BASE + "/CodeSystem/released-under-consent"

LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SYSTEM_URLS = {
    "ICD-10-CM": ICD10CM,
    "ICD-10": "http://hl7.org/fhir/sid/icd-10",
    "ICD-11": "http://id.who.int/icd/release/11/mms",
}
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# LOINC: the totals are the codes; the items, in the order of the form, were checked
# against public FHIR questionnaires (HL7's PGHD guide for GAD-7, several for PHQ-9).
MEASURE_CODES: dict[str, tuple[str, str, list[str]]] = {
    "PHQ-9": (
        "44261-6",
        "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        [
            "44250-9",
            "44255-8",
            "44259-0",
            "44254-1",
            "44251-7",
            "44258-2",
            "44252-5",
            "44253-3",
            "44260-8",
        ],
    ),  # fmt: skip
    "GAD-7": (
        "70274-6",
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
    ),
}

# FHIR strings may not hold control characters other than tab, CR and LF.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# FHIR's `code`: no leading, trailing or double whitespace.
_CODE = re.compile(r"[^\s]+( [^\s]+)*")


def fhir_safe(text: str) -> bool:
    return not _FORBIDDEN.search(text) and bool(text.strip(" \t\r\n"))


def visible(text: str) -> str:
    """The text with each control character FHIR refuses drawn as its picture (␛ for ESC)."""
    shown = _FORBIDDEN.sub(lambda m: chr(0x2400 + ord(m.group())), text)
    return shown if shown.strip(" \t\r\n") else "\u2400" + shown


def is_code(text: str) -> bool:
    return bool(_CODE.fullmatch(text)) and fhir_safe(text)


def put_text(obj: dict[str, Any], key: str, text: str | None) -> None:
    """Set a FHIR string ``key`` to ``text`` (absent when None or empty); a text FHIR cannot
    hold is shown visibly there, and travels exactly in the primitive's own extension."""
    if text is None or text == "":
        return
    if fhir_safe(text):
        obj[key] = text
        return
    obj[key] = visible(text)
    obj["_" + key] = {"extension": [{"url": EXT_EXACT, "valueString": json.dumps(text)}]}


def text_value(text: str) -> dict[str, str]:
    """An extension's value for ``text``: a string, or (a text FHIR's string cannot hold: the
    models refuse a primitive extension on ``valueString``) its UTF-8 as base64."""
    if fhir_safe(text):
        return {"valueString": text}
    return {"valueBase64Binary": base64.b64encode(text.encode("utf-8")).decode("ascii")}


class BundleError(PlanFileError):
    """A bundle tplan cannot import; each error names the path of its problem in the bundle."""


# --------------------------------------------------------------------------- plan-file keys with
# no FHIR home (strengths, the contract, reviews, the safety plan...) travel as nested extensions
# named by their plan-file keys, so nothing is lost and a FHIR reader can still see them.

LIST_ITEM = "item"  # a list is a complex extension whose children are all `item`
EMPTY_OBJECT = "{}"  # an extension must hold something: an empty mapping says so in a code


def data_extensions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [_data_extension(key, value) for key, value in data.items()]


def _data_extension(url: str, value: Any) -> dict[str, Any]:
    if url == "extra":
        return {"url": url, "valueString": json.dumps(value, ensure_ascii=False)}
    if isinstance(value, bool):
        return {"url": url, "valueBoolean": value}
    if isinstance(value, int):
        return {"url": url, "valueInteger": value}
    if isinstance(value, str):
        if fhir_safe(value):
            return {"url": url, "valueString": value}
        return {"url": url} | text_value(value)
    if isinstance(value, list):
        return {"url": url, "extension": [_data_extension(LIST_ITEM, v) for v in value]}
    if isinstance(value, dict):
        if not value:
            return {"url": url, "valueCode": EMPTY_OBJECT}
        return {"url": url, "extension": data_extensions(value)}
    raise TypeError(f"{url}: cannot carry {type(value).__name__}")
