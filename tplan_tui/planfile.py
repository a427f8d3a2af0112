"""The plan file (``shared/plan-format.md``, version 1): YAML in, YAML out, validation with field paths.

Reading is two steps: YAML text becomes plain data (safe loading only, no anchors or aliases, no
duplicate keys), then ``plan_from_data`` checks every field and builds a :class:`~tplan_tui.model.Plan`,
collecting *all* errors with their paths before it gives up. ``plan_to_data`` is the inverse and
writes every field, defaults included, so that import -> export -> import gives the same plan.

The store keeps plans as the same plain data (dates as ISO strings), so it reuses both directions
with ``complete=False``: a draft being typed in may lack goals, but never has a wrong type.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from . import model as m
from .strict_yaml import StrictLoader

FORMAT_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024  # a plan is a few KB; anything this big is not a plan file

T = TypeVar("T")
W = TypeVar("W", bound=m.Worded)


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class FieldError:
    """One problem with a plan: where (a field path such as ``goals[0].rating.target``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PlanFileError(ValueError):
    """A plan that cannot be read. ``errors`` lists every problem found, each with its path."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# --------------------------------------------------------------------------- YAML

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict) -> dict:
    # Dates stay strings in the data and are checked by the validator, so that an impossible
    # date ('2026-13-45') is reported with its field path instead of as a YAML traceback, and
    # a date-like string under `extra:` round-trips as the string it was.
    return {k: [(tag, rx) for tag, rx in v if tag != _TIMESTAMP] for k, v in resolvers.items()}


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "str", "seq", "map")}
# `<<` (merge) and `=` (value) are read as the text they are: merging needs anchors, refused anyway.
_LOADER_SKIPS = {_TIMESTAMP, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None,
        f"the tag {tag} is not allowed in a plan file: only text, numbers, true/false, "
        "lists and keys",
        node.start_mark,
    )  # fmt: skip


class _PlanLoader(StrictLoader):
    """The strict loader, refusing also every tag but plain data.

    Only what JSON can also hold is built (text, numbers, true/false, null, lists, keys): the
    store keeps plans as JSON, and a !!binary, !!set or !!timestamp under `extra:` would
    otherwise crash the import or come back changed.
    """

    what = "a plan file"
    yaml_implicit_resolvers: ClassVar[dict] = {
        k: [(tag, rx) for tag, rx in v if tag not in _LOADER_SKIPS]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors: ClassVar[dict] = {
        tag: make for tag, make in yaml.SafeLoader.yaml_constructors.items() if tag in _PLAIN_TAGS
    }


_PlanLoader.add_constructor(None, _refuse_tag)


class _PlanDumper(yaml.SafeDumper):
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    # Multi-line text reads best as a literal block; everything else as PyYAML chooses.
    # PyYAML falls back to quoting by itself where a block cannot hold the text exactly, but
    # not for the other line breaks (CR, NEL, U+2028, U+2029): in a block or plain scalar a
    # reader turns them into "\n" or a space, so only double quotes (with escapes) keep them.
    if any(ch in value for ch in "\r\x85\u2028\u2029"):
        style = '"'
    elif "\n" in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _represent_str)


def _yaml_error(exc: yaml.YAMLError, text: str) -> FieldError:
    if isinstance(exc, yaml.reader.ReaderError):
        # A character YAML does not allow (e.g. NUL): PyYAML gives an offset and two lines.
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return FieldError(
            f"line {line}, column {column}",
            f"the character #x{exc.character:04x} is not allowed in a plan file",
        )
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return FieldError(f"line {mark.line + 1}, column {mark.column + 1}", problem)
    return FieldError("", f"not valid YAML: {' '.join(problem.split())}")


def parse_yaml(text: str) -> Any:
    """YAML text to plain data, or PlanFileError with the line and column of a syntax error."""
    try:
        return yaml.load(text, Loader=_PlanLoader)  # _PlanLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise PlanFileError([_yaml_error(exc, text)]) from None


def load_plan_text(text: str, *, complete: bool = True) -> m.Plan:
    """A plan from plan-file text; raises PlanFileError listing every problem."""
    return plan_from_data(parse_yaml(text), complete=complete)


def load_plan_file(path: str | Path) -> m.Plan:
    """A plan from a plan file on disk, refusing oversized and non-UTF-8 files quickly."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise PlanFileError(
                    [FieldError("", f"the file is {size:,} bytes; a plan file may be at most 2 MB")]
                )
            # Never more than the limit, even from a file that does not know its size (a pipe,
            # /dev/zero): one byte over is enough to refuse it.
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlanFileError([FieldError("", f"cannot read the file: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(
            [FieldError("", f"the file is over {MAX_FILE_BYTES:,} bytes; a plan file may be at most 2 MB")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFileError(
            [FieldError("", f"the file is not UTF-8 text (bad byte at offset {exc.start})")]
        ) from None
    return load_plan_text(text)


def dump_plan(plan: m.Plan) -> str:
    """The plan as plan-file YAML. Deterministic: the same plan always gives the same text."""
    data = plan_to_data(plan)
    body = yaml.dump(
        data,
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return body


# --------------------------------------------------------------------------- reading data


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"  # 3.0, not 3: the point is why it is refused
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return type(value).__name__


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Reader:
    """Walks plain data, building model objects and collecting errors with their paths."""

    def __init__(self, complete: bool):
        self.complete = complete
        self.errors: list[FieldError] = []

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
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                more = f"; did you mean '{hint[0]}'?" if hint else f" (known keys: {', '.join(keys)})"
                self.error(_join(path, str(key)), f"unknown key{more}")
        return value

    def extra(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        value = data.get("extra")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(_join(path, "extra"), f"must be a set of keys, got {_describe(value)}")
            return {}
        self._text_keys(value, _join(path, "extra"))
        return value

    def _text_keys(self, value: Any, path: str) -> None:
        # The store keeps plans as JSON, whose keys are text: `1: a` would come back as '1': a.
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    self.error(
                        _join(path, str(key)),
                        f"a key under extra must be text, got {_describe(key)} (put it in quotes)",
                    )
                else:
                    self._text_keys(item, _join(path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._text_keys(item, _join(path, i))

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

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        here = _join(path, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and self.complete:
                self.error(here, "is required")
            return "" if required else None
        if not isinstance(value, str):
            self.error(here, f"must be text, got {_describe(value)} (put it in quotes)")
            return "" if required else None
        return value

    def text_list(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        def one(item: Any, here: str) -> str | None:
            # A draft may hold an item just added and not typed yet; a complete plan may not.
            if not isinstance(item, str) or (self.complete and not item.strip()):
                self.error(here, f"must be text, got {_describe(item)}")
                return None
            return item

        return self.items(data, key, path, one)

    def date(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> date | None:
        value = data.get(key)
        here = _join(path, key)
        if value is None:
            if required and self.complete:
                self.error(here, "is required: a date written YYYY-MM-DD")
            return None
        if isinstance(value, date):  # data built in Python rather than read from YAML
            return value
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.error(here, f"must be a date written YYYY-MM-DD, got {_describe(value)}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.error(here, f"{value} is not a real date ({exc})")
            return None

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
        if isinstance(value, bool) or not isinstance(value, int) or value < lo or (
            hi is not None and value > hi
        ):
            self.error(here, f"must be a whole number {span}, got {_describe(value).removeprefix('the number ')}")
            return None
        return value

    def rating(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        return self.whole(data, key, path, m.RATING_MIN, m.RATING_MAX, required=required)

    def choice(
        self, data: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str | None
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return default
        if value not in options:
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
        date_of_birth=r.date(d, "date_of_birth", path),
        pronouns=r.text(d, "pronouns", path),
        guardian=guardian,
        extra=r.extra(d, path),
    )


def _clinician(r: _Reader, value: Any, path: str) -> m.Clinician:
    d = r.mapping(value, path, ("name", "credentials"))
    if d is None:
        return m.Clinician()
    return m.Clinician(
        name=r.text(d, "name", path, required=True) or "",
        credentials=r.text(d, "credentials", path),
        extra=r.extra(d, path),
    )


def _plan_info(r: _Reader, value: Any, path: str) -> m.PlanInfo:
    keys = (
        "started", "review_every_days", "level_of_care", "status", "version",
        "discharge_criteria", "expected_end",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return m.PlanInfo()
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
        extra=r.extra(d, path),
    )


def _diagnosis(r: _Reader, value: Any, path: str) -> m.Diagnosis | None:
    d = r.mapping(value, path, ("code", "label", "current"))
    if d is None:
        return None
    return m.Diagnosis(
        code=r.text(d, "code", path, required=True) or "",
        label=r.text(d, "label", path, required=True) or "",
        current=r.flag(d, "current", path, True),
        extra=r.extra(d, path),
    )


def _history(r: _Reader, value: Any, path: str) -> m.History:
    keys = ("demographics", "psychosocial", "symptom_onset", "treatment_history", "diagnoses")
    d = r.mapping(value, path, keys)
    if d is None:
        return m.History()
    return m.History(
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
    d = r.mapping(value, path, ("label", "low", "high", "baseline", "target"))
    if d is None:
        return m.Rating()
    return m.Rating(
        label=r.text(d, "label", path, required=True) or "",
        low=r.text(d, "low", path, required=True) or "",
        high=r.text(d, "high", path, required=True) or "",
        baseline=r.rating(d, "baseline", path),
        target=r.rating(d, "target", path, required=True),
        extra=r.extra(d, path),
    )


def _objective(r: _Reader, value: Any, path: str) -> m.Objective | None:
    d = r.mapping(value, path, ("text", "target_date", "status"))
    if d is None:
        return None
    return m.Objective(
        text=r.text(d, "text", path, required=True) or "",
        target_date=r.date(d, "target_date", path),
        status=r.choice(d, "status", path, m.OBJECTIVE_STATUSES, "not-started") or "not-started",
        extra=r.extra(d, path),
    )


def _intervention(r: _Reader, value: Any, path: str) -> m.Intervention | None:
    d = r.mapping(value, path, ("text", "modality", "frequency", "by"))
    if d is None:
        return None
    return m.Intervention(
        text=r.text(d, "text", path, required=True) or "",
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
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= max(n_objectives, 1):
            r.error(here, f"must be the number of one of this goal's objectives (1 to {n_objectives}), got {_describe(item).removeprefix('the number ')}")
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


def _goal(r: _Reader, value: Any, path: str) -> m.Goal | None:
    keys = (
        "text", "in_client_words", "rating", "target_date", "status", "achievement",
        "objectives", "interventions", "progress",
    )  # fmt: skip
    d = r.mapping(value, path, keys)
    if d is None:
        return None
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
        extra=r.extra(d, path),
    )


def _review(r: _Reader, value: Any, path: str) -> m.Review | None:
    d = r.mapping(value, path, ("date", "note"))
    if d is None:
        return None
    when = r.date(d, "date", path, required=True)
    if when is None:
        return None
    return m.Review(date=when, note=r.text(d, "note", path), extra=r.extra(d, path))


def _consent(r: _Reader, value: Any, path: str) -> m.Consent | None:
    keys = ("to", "shares", "signed_by", "signed_on", "expires_on", "revoked_on")
    d = r.mapping(value, path, keys)
    if d is None:
        return None
    if d.get("shares") is None and r.complete:
        r.error(_join(path, "shares"), f"is required: one of {', '.join(m.CONSENT_SHARES)}")
    return m.Consent(
        to=r.text(d, "to", path, required=True) or "",
        shares=r.choice(d, "shares", path, m.CONSENT_SHARES, "summary") or "summary",
        signed_by=r.text(d, "signed_by", path, required=True) or "",
        signed_on=r.date(d, "signed_on", path, required=True),
        expires_on=r.date(d, "expires_on", path),
        revoked_on=r.date(d, "revoked_on", path),
        extra=r.extra(d, path),
    )


def _signature(r: _Reader, value: Any, path: str, plan_version: int) -> m.Signature | None:
    d = r.mapping(value, path, ("role", "name", "signed_on", "version"))
    if d is None:
        return None
    if d.get("role") is None and r.complete:
        r.error(_join(path, "role"), f"is required: one of {', '.join(m.SIGNATURE_ROLES)}")
    version = r.whole(d, "version", path, 1, None)
    if version is not None and version > plan_version:
        r.error(
            _join(path, "version"),
            f"must be at most the plan's version ({plan_version}), got {version}",
        )
    return m.Signature(
        role=r.choice(d, "role", path, m.SIGNATURE_ROLES, "client") or "client",
        name=r.text(d, "name", path, required=True) or "",
        signed_on=r.date(d, "signed_on", path, required=True),
        version=version if version is not None else plan_version,
        extra=r.extra(d, path),
    )


_TOP_KEYS = (
    "tplan", "client", "clinician", "plan", "history", "presenting_concerns", "strengths",
    "contract", "goals", "reviews", "consents", "signatures", "clinician_notes",
)  # fmt: skip


def plan_from_data(data: Any, *, complete: bool = True) -> m.Plan:
    """Build a Plan from plain data, or raise PlanFileError listing every problem with its path.

    ``complete=False`` skips the "is required" and "at least one" rules, for drafts in the store;
    every value that is present must still be right.
    """
    r = _Reader(complete)
    if data is None:
        raise PlanFileError([FieldError("", "the file is empty: a plan file starts with 'tplan: 1'")])
    d = r.mapping(data, "", _TOP_KEYS)
    if d is None:
        raise PlanFileError(r.errors)
    version = d.get("tplan")
    if version is None:
        r.error("tplan", "is required: the format version, 1")
    elif type(version) is not int or version != FORMAT_VERSION:  # not true, 1.0 or "1"
        r.error("tplan", f"this is format version {FORMAT_VERSION} only; got {_describe(version)}")

    def section(key: str, read: Callable[[_Reader, Any, str], T], default: Callable[[], T]) -> T:
        if d.get(key) is None:
            if complete:
                r.error(key, "is required")
            return default()
        return read(r, d[key], key)

    client = section("client", _client, m.Client)
    clinician = section("clinician", _clinician, m.Clinician)
    info = section("plan", _plan_info, m.PlanInfo)
    plan = m.Plan(
        client=client,
        clinician=clinician,
        plan=info,
        history=_history(r, d["history"], "history") if d.get("history") is not None else m.History(),
        presenting_concerns=r.items(
            d, "presenting_concerns", "", lambda v, p: _worded(r, v, p, m.Concern), required=True,
            what="presenting concern",
        ),
        strengths=r.items(
            d, "strengths", "", lambda v, p: _worded(r, v, p, m.Strength), required=True, what="strength"
        ),
        contract=_contract(r, d["contract"], "contract") if d.get("contract") is not None else m.Contract(),
        goals=r.items(d, "goals", "", lambda v, p: _goal(r, v, p), required=True, what="goal"),
        reviews=r.items(d, "reviews", "", lambda v, p: _review(r, v, p)),
        consents=r.items(d, "consents", "", lambda v, p: _consent(r, v, p)),
        signatures=r.items(d, "signatures", "", lambda v, p: _signature(r, v, p, info.version)),
        clinician_notes=r.text(d, "clinician_notes", ""),
        extra=r.extra(d, ""),
    )
    if r.errors:
        raise PlanFileError(r.errors)
    return plan


# --------------------------------------------------------------------------- writing data


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
    _put(out, "rating", _with_extra(rating, g.rating.extra))
    _put(out, "target_date", g.target_date)
    out["status"] = g.status
    _put(out, "achievement", g.achievement)
    objectives = []
    for o in g.objectives:
        od: dict[str, Any] = {}
        _put(od, "text", o.text)
        _put(od, "target_date", o.target_date)
        od["status"] = o.status
        objectives.append(_with_extra(od, o.extra))
    _put(out, "objectives", objectives)
    interventions = []
    for i in g.interventions:
        idata: dict[str, Any] = {}
        for key in ("text", "modality", "frequency", "by"):
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
    out["plan"] = _with_extra(info, p.extra)

    if not plan.history.is_empty():
        h = plan.history
        history: dict[str, Any] = {}
        for key in ("demographics", "psychosocial", "symptom_onset", "treatment_history"):
            _put(history, key, getattr(h, key))
        diagnoses = []
        for dx in h.diagnoses:
            dd: dict[str, Any] = {}
            _put(dd, "code", dx.code)
            _put(dd, "label", dx.label)
            dd["current"] = dx.current
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
        for key in ("to", "shares", "signed_by", "signed_on", "expires_on", "revoked_on"):
            _put(cd, key, getattr(cs, key))
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
    return _with_extra(out, plan.extra)


def completeness_errors(plan: m.Plan) -> list[FieldError]:
    """What a draft still lacks before it is a complete plan file (empty when nothing)."""
    try:
        plan_from_data(plan_to_data(plan), complete=True)
    except PlanFileError as exc:
        return exc.errors
    return []
