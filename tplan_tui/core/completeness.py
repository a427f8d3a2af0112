"""What a complete plan holds, as a checklist: each missing element with its field path, in words,
and the step of the session where it is filled in.

The elements are defined here; which of them a practice requires is a profile, a small data file
in ``tplan_tui/profiles/`` ("basic", the default; "medicaid-outpatient"; "joint-commission-bh"),
chosen by the ``profile`` setting. Used by the sign step, ``tplan check`` and the clinical record.
Core module: no Textual, and the diagnosis code set is loaded only when ``codes=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from tplan_tui.core import model as m
from tplan_tui.profiles import profile_names

DEFAULT_PROFILE = "basic"


@dataclass(frozen=True)
class Missing:
    """One thing a complete plan still lacks: where (a field path), what (words), where to go
    in the session (a step key), and which element of the profile it belongs to."""

    path: str
    words: str
    step: str
    element: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "words": self.words, "step": self.step, "element": self.element}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    about: str
    requires: tuple[str, ...]


# --------------------------------------------------------------------------- paths in words

_STEP_OF = (
    (r"^(client|clinician)\b", "client"),
    (r"^plan\.(started|level_of_care|review_every_days)", "client"),
    (r"^plan\.(discharge_criteria|discharge_in_client_words|expected_end)", "interventions"),
    (r"^(history|clinician_notes)\b", "history"),
    (r"^presenting_concerns\b", "concerns"),
    (r"^strengths\b", "strengths"),
    (r"^goals\[\d+\]\.objectives\b", "objectives"),
    (r"^(goals\[\d+\]\.interventions|contract)\b", "interventions"),
    (r"^goals\b", "goals"),
    (r"^safety\b", "safety"),
    (r"^measures\b", "measures"),
)


def step_for(path: str) -> str:
    """The step of the session (or screen: ``safety``, ``measures``) where ``path`` is edited."""
    for pattern, step in _STEP_OF:
        if re.search(pattern, path):
            return step
    return "review"


_FIELD_WORDS = {
    "text": "the text",
    "in_client_words": "the client's own words",
    "rating.label": "what is rated",
    "rating.low": "what 0 means",
    "rating.high": "what 10 means",
    "rating.baseline": "the baseline rating",
    "rating.target": "the target rating",
    "target_date": "the target date",
    "addresses": "the concerns it works on",
    "objectives": "the objectives",
    "interventions": "the interventions",
    "modality": "the modality",
    "frequency": "how often",
    "by": "who provides it",
    "code": "the code",
    "label": "the label",
    "name": "the name",
    "role": "the role",
    "signed_on": "the date signed",
    "started": "the start date",
    "review_every_days": "how often it is reviewed",
    "level_of_care": "the level of care",
    "discharge_criteria": "the discharge criteria",
    "credentials": "the credentials",
    "referral": "the referral",
    "extra.diagnosed_on": "the date it was made",
    "extra.diagnosed_by": "who made it",
    "extra.concerns": "the concerns it relates to",
}

_OWNERS = (
    (r"^goals\[(\d+)\]\.objectives\[(\d+)\]\.?(.*)$", "Objective {0}.{1}"),
    (r"^goals\[(\d+)\]\.interventions\[(\d+)\]\.?(.*)$", "Intervention {0}.{1}"),
    (r"^goals\[(\d+)\]\.?(.*)$", "Goal {0}"),
    (r"^history\.diagnoses\[(\d+)\]\.?(.*)$", "Diagnosis {0}"),
    (r"^presenting_concerns\[(\d+)\]\.?(.*)$", "Concern {0}"),
    (r"^strengths\[(\d+)\]\.?(.*)$", "Strength {0}"),
    (r"^signatures\[(\d+)\]\.?(.*)$", "Signature {0}"),
    (r"^consents\[(\d+)\]\.?(.*)$", "Consent {0}"),
    (r"^(client)\.?(.*)$", "The client"),
    (r"^(clinician)\.?(.*)$", "The clinician"),
    (r"^(plan)\.?(.*)$", "The plan"),
    (r"^(history)\.?(.*)$", "The history"),
)


def path_in_words(path: str) -> tuple[str, str]:
    """(whose, which field) for a field path: ``goals[2].rating.target`` -> ("Goal 3",
    "the target rating"). Numbers count from 1, as the session shows them."""
    for pattern, owner in _OWNERS:
        found = re.match(pattern, path)
        if not found:
            continue
        groups = found.groups()
        numbers = [str(int(g) + 1) for g in groups[:-1] if g.isdigit()]
        rest = groups[-1]
        field = _FIELD_WORDS.get(rest, rest.replace("_", " ").replace(".", " ") if rest else "")
        return owner.format(*numbers), field
    return "", _FIELD_WORDS.get(path, path.replace("_", " "))


def error_in_words(path: str, message: str) -> str:
    """A plan-file error as the session says it: "Goal 3: the target rating is missing"."""
    whose, field = path_in_words(path)
    if message.startswith("is required: at least one "):
        what = f"no {message.removeprefix('is required: at least one ')} yet"
    elif message.startswith("is required"):
        what = f"{field} is missing" if field else "is missing"
    else:
        what = f"{field}: {message}" if field else message
    text = f"{whose}: {what}" if whose else what[:1].upper() + what[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# --------------------------------------------------------------------------- elements


def _file_required(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    from tplan_tui.planfile import completeness_errors

    for e in completeness_errors(plan):
        yield e.path, error_in_words(e.path, e.message)


def _diagnosis(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if not any(d.current for d in plan.history.diagnoses):
        yield (
            "history.diagnoses",
            "No current diagnosis: the problems need the diagnosis they relate to.",
        )
    if codes:
        yield from _codes(plan)


def _diagnosis_extras(plan: m.Plan, today: date) -> Iterator[tuple[str, str]]:
    """A malformed value tplan reads under a diagnosis's extra (its date, who made it, its
    concerns): kept as it is, named here in every profile so it gets fixed."""
    from tplan_tui.core.diagnosis_extra import problems

    for path, problem in problems(plan, today):
        whose, field = path_in_words(path)
        yield path, f"{whose}: {field}: {problem}."


def _diagnosis_details(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for i, dx in enumerate(plan.history.diagnoses):
        if not dx.current:
            continue
        base = f"history.diagnoses[{i}].extra"
        # A value present but malformed is named by ``_diagnosis_extras``, not as missing.
        if "diagnosed_on" not in dx.extra:
            yield f"{base}.diagnosed_on", f"Diagnosis {i + 1}: the date it was made is missing."
        by = dx.extra.get("diagnosed_by")
        if by is None or (isinstance(by, str) and not by.strip()):
            yield (
                f"{base}.diagnosed_by",
                f"Diagnosis {i + 1}: who made it (the diagnosing clinician) is missing.",
            )


def _concerns_tied(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    """Each concern relates to a current diagnosis (medical necessity): said on the diagnosis,
    so the item opens the first current diagnosis's "Relates to"."""
    current = [(i, dx) for i, dx in enumerate(plan.history.diagnoses) if dx.current]
    if not current:
        return  # "No current diagnosis" says it already
    tied = {n for _i, dx in current for n in dx.concerns}
    first = current[0][0]
    for c in range(1, len(plan.presenting_concerns) + 1):
        if c not in tied:
            yield (
                f"history.diagnoses[{first}].extra.concerns",
                f"Concern {c}: no current diagnosis relates to it (a diagnosis's Relates to).",
            )


def _codes(plan: m.Plan) -> Iterator[tuple[str, str]]:
    from tplan_tui.core.codes import diagnosis_problems

    for path, problem in diagnosis_problems(plan):
        whose, _field = path_in_words(path)
        yield path, f"{whose}: {problem}"


def _goals_tied(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for gi, g in enumerate(plan.goals):
        if not g.addresses:
            yield f"goals[{gi}].addresses", f"Goal {gi + 1}: which concern it works on is not said."


def _goal_dates(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for gi, g in enumerate(plan.goals):
        if g.target_date is None and g.status not in ("completed", "cancelled"):
            yield f"goals[{gi}].target_date", f"Goal {gi + 1}: the target date is missing."


def _objective_dates(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for gi, g in enumerate(plan.goals):
        for oi, o in enumerate(g.objectives):
            if o.target_date is None and o.status not in ("achieved", "cancelled"):
                yield (
                    f"goals[{gi}].objectives[{oi}].target_date",
                    f"Objective {gi + 1}.{oi + 1}: the target date is missing.",
                )


def _interventions(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for gi, g in enumerate(plan.goals):
        if not g.interventions:
            yield (
                f"goals[{gi}].interventions",
                f"Goal {gi + 1}: no intervention says what will be done.",
            )


def _intervention_details(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for gi, g in enumerate(plan.goals):
        for ii, iv in enumerate(g.interventions):
            for key in ("modality", "frequency", "by"):
                if not (getattr(iv, key) or "").strip():
                    yield (
                        f"goals[{gi}].interventions[{ii}].{key}",
                        f"Intervention {gi + 1}.{ii + 1}: {_FIELD_WORDS[key]} is missing.",
                    )


def _signatures(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    for problem in plan.signing_problems(today):
        yield "signatures", problem
    for s in plan.signatures:
        if s.version == plan.plan.version and s.declined:
            who = s.name.strip() or f"the {s.role}"
            yield "signatures", f"{who} ({s.role}) declined to sign: recorded, still unsigned."


def _credentials(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if not (plan.clinician.credentials or "").strip():
        yield (
            "clinician.credentials",
            "The clinician: the credentials are missing (they go on the signature line).",
        )


def _participation(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if plan.goals and not any((g.in_client_words or "").strip() for g in plan.goals):
        yield (
            "goals[0].in_client_words",
            "No goal is in the client's own words: the plan does not show that they took part.",
        )


def _reviews(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if plan.plan.started is None:
        yield "plan.started", "The plan: the start date is missing, so no review date can be set."
    if plan.plan.review_every_days is None:
        yield "plan.review_every_days", "The plan: how often it is reviewed is missing."


def _text_field(path: str, words: str) -> Callable[[m.Plan, date, bool], Iterator[tuple[str, str]]]:
    def check(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
        from tplan_tui.core.editing import get_field

        steps: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
        if not (get_field(plan, tuple(steps)) or "").strip():
            yield path, words

    return check


def _safety_plan(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    """Risk above low and no safety plan: the safety step can be passed by, so the sign step
    names it (in every profile)."""
    from tplan_tui.core.safety import NEEDS_SAFETY_PLAN, has_safety_plan

    latest = plan.safety.latest_assessment
    if latest is not None and latest.risk in NEEDS_SAFETY_PLAN and not has_safety_plan(plan):
        yield (
            "safety.plan",
            f"The latest risk assessment ({latest.date.isoformat()}) says {latest.risk} risk "
            "and there is no safety plan (step 5: S writes it with the client).",
        )


def _risk(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if not plan.safety.assessments:
        yield "safety.assessments", "No risk assessment is recorded (step 5: R records one)."


def _measure(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if not plan.measures:
        yield "measures", "No outcome measure (such as a PHQ-9 or GAD-7 score) is recorded."


def _concerns(plan: m.Plan, today: date, codes: bool) -> Iterator[tuple[str, str]]:
    if not plan.presenting_concerns:
        yield "presenting_concerns", "No presenting concern: what brought the person in."


Check = Callable[[m.Plan, date, bool], Iterator[tuple[str, str]]]

# Every element a profile may require, in the order the checklist lists them. Signatures come
# first: they are what the sign step is for.
ELEMENTS: dict[str, Check] = {
    "signatures": _signatures,
    "safety_plan": _safety_plan,  # next: risk must not wait behind the paperwork
    "plan_file": _file_required,
    "concerns": _concerns,
    "diagnosis": _diagnosis,
    "diagnosis_details": _diagnosis_details,
    "concerns_tied_to_diagnosis": _concerns_tied,
    "goals_tied_to_concerns": _goals_tied,
    "goal_target_dates": _goal_dates,
    "objective_target_dates": _objective_dates,
    "interventions": _interventions,
    "intervention_details": _intervention_details,
    "review_dates": _reviews,
    "discharge_criteria": _text_field(
        "plan.discharge_criteria",
        "The plan: the discharge criteria are missing (when treatment ends).",
    ),
    "level_of_care": _text_field("plan.level_of_care", "The plan: the level of care is missing."),
    "referral": _text_field(
        "history.referral",
        "The history: the referral (who referred the person and why) is missing.",
    ),
    "clinician_credentials": _credentials,
    "client_participation": _participation,
    "risk_assessment": _risk,
    "outcome_measure": _measure,
}


# --------------------------------------------------------------------------- profiles


class ProfileError(ValueError):
    pass


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile; ProfileError naming the field when its file is wrong."""
    import yaml

    if name not in profile_names():
        raise ProfileError(f"no profile {name!r}; the profiles are: {', '.join(profile_names())}")
    text = resources.files("tplan_tui.profiles").joinpath(f"{name}.yaml").read_text("utf-8")
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ProfileError(f"{name}.yaml: must be a set of keys")
    requires = data.get("requires")
    if not isinstance(requires, list) or not requires:
        raise ProfileError(f"{name}.yaml: requires: must be a list of elements")
    for i, element in enumerate(requires):
        if element not in ELEMENTS:
            raise ProfileError(
                f"{name}.yaml: requires[{i}]: unknown element {element!r} "
                f"(known: {', '.join(ELEMENTS)})"
            )
    return Profile(
        name=name,
        title=str(data.get("title") or name),
        about=" ".join(str(data.get("about") or "").split()),
        requires=tuple(e for e in ELEMENTS if e in requires),
    )


def missing(
    plan: m.Plan, today: date, profile: str | Profile = DEFAULT_PROFILE, *, codes: bool = True
) -> list[Missing]:
    """Every element ``profile`` requires that ``plan`` lacks, in order (empty: complete).

    ``codes=False`` leaves out the check of diagnosis codes against ICD-10-CM (it loads the
    code set, 3 s the first time): the sign step asks again once a worker has loaded it."""
    chosen = load_profile(profile) if isinstance(profile, str) else profile
    found: list[Missing] = []
    seen: set[tuple[str, str]] = set()
    for element in chosen.requires:
        for path, words in ELEMENTS[element](plan, today, codes):
            if (path, words) not in seen:
                seen.add((path, words))
                found.append(Missing(path, words, step_for(path), element))
    # A code that is written down must be real, and what tplan keeps under a diagnosis's extra
    # well-formed, in every profile.
    always = list(_diagnosis_extras(plan, today))
    if codes and "diagnosis" not in chosen.requires:
        always += _codes(plan)
    for path, words in always:
        if (path, words) not in seen:
            seen.add((path, words))
            found.append(Missing(path, words, step_for(path), "diagnosis"))
    return found
