"""The plan file format (docs/plan-format.md): every rule with its error path, the YAML guards,
the file guards, and property-based round trips of arbitrary valid plans.

Every name and story here is invented.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import time
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.samples import CHRIS_TEXT
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.planfile import PlanFileError

# --------------------------------------------------------------------------- helpers


def chris_data() -> dict[str, Any]:
    """A fresh copy of the sample plan as plain data (dates are strings, as the reader sees them)."""
    return planfile.parse_yaml(CHRIS_TEXT)


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def set_at(data: Any, path: str, value: Any) -> Any:
    *head, last = _steps(path)
    for step in head:
        data = data[step]
    data[last] = value
    return data


def delete_at(data: Any, path: str) -> None:
    *head, last = _steps(path)
    for step in head:
        data = data[step]
    del data[last]


def to_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def errors_of_text(text: str, *, complete: bool = True) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_text(text, complete=complete)
    assert caught.value.errors, "a PlanFileError must say what is wrong"
    assert str(caught.value) == "\n".join(str(e) for e in caught.value.errors)
    return [str(e) for e in caught.value.errors]


def errors_of(data: Any, *, complete: bool = True) -> list[str]:
    """The errors of plain data, read back from YAML text as a user's file would be."""
    return errors_of_text(to_yaml(data), complete=complete)


def errors_after(path: str, value: Any) -> list[str]:
    data = chris_data()
    set_at(data, path, value)
    return errors_of(data)


def errors_without(path: str) -> list[str]:
    data = chris_data()
    delete_at(data, path)
    return errors_of(data)


def with_consent(**fields: Any) -> dict[str, Any]:
    data = chris_data()
    consent = {
        "to": "Lee Park, school counselor",
        "shares": "summary",
        "signed_by": "Chris",
        "signed_on": "2016-07-01",
    }
    consent.update(fields)
    data["consents"] = [{k: v for k, v in consent.items() if v is not None}]
    return data


# --------------------------------------------------------------------------- the sample plan


def test_chris_imports(chris):
    assert chris.client.name == "Chris"
    assert chris.client.pronouns == "he/him"
    assert chris.clinician.credentials == "LPC"
    assert chris.plan.started == date(2016, 7, 1)
    assert chris.plan.review_every_days == 30
    assert chris.plan.status == "active" and chris.plan.version == 1  # defaults
    assert chris.history.diagnoses[0].code == "Z62.820" and chris.history.diagnoses[0].current
    assert chris.contract.session_minutes == 50
    goal = chris.goals[0]
    assert goal.text.startswith("Chris will implement a parenting plan")
    assert not goal.text.endswith("\n")  # `>-` folds and strips
    assert [o.status for o in goal.objectives] == ["achieved"] * 3 + ["in-progress"]
    assert [i.by for i in goal.interventions] == ["clinician"] * 3
    assert goal.progress[0].objectives_achieved == [1, 2, 3]
    assert [s.version for s in chris.signatures] == [1, 1]  # defaults to the plan's version
    assert chris.next_review == date(2016, 7, 31)
    assert chris.is_overdue(date(2016, 8, 1)) and not chris.is_overdue(date(2016, 7, 31))
    assert (goal.latest_client_rating, goal.latest_clinician_rating) == (5, 5)


def test_chris_round_trips(chris):
    text = planfile.dump_plan(chris)
    again = planfile.load_plan_text(text)
    assert again == chris
    assert planfile.dump_plan(again) == text


def test_dump_writes_dates_plainly_and_defaults_out(chris):
    text = planfile.dump_plan(chris)
    assert text.startswith("tplan: 2\nclient:\n")
    assert "  started: 2016-07-01\n" in text
    assert "  status: active\n  version: 1\n" in text
    assert "      status: not-started" not in text  # chris's objectives all have a status
    top = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert top == [
        "tplan",
        "client",
        "clinician",
        "plan",
        "history",
        "presenting_concerns",
        "strengths",
        "contract",
        "goals",
        "signatures",
    ]


def test_plan_to_data_and_back(chris):
    data = planfile.plan_to_data(chris)
    assert data["plan"]["started"] == "2016-07-01"
    assert planfile.plan_from_data(data) == chris
    assert planfile.plan_from_data(copy.deepcopy(data)) == chris


# --------------------------------------------------------------------------- top level


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_file(path)
    assert [str(e) for e in caught.value.errors] == [
        "the file is empty: a plan file starts with 'tplan: 2'"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "null\n"])
def test_a_file_with_nothing_in_it_is_empty(text):
    assert errors_of_text(text) == ["the file is empty: a plan file starts with 'tplan: 2'"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("- a\n- b\n", "a list"), ("just words\n", "'just words'"), ("7\n", "the number 7")],
)
def test_top_level_must_be_keys(text, shown):
    (error,) = errors_of_text(text)
    assert error.startswith("must be a set of keys (tplan, client, clinician, plan,")
    assert error.endswith(f"got {shown}")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3, "the number 3"),
        (0, "the number 0"),
        ("1", "'1'"),
        (1.0, "the number 1.0"),
        (True, "true/false (true)"),
    ],
)
def test_only_format_versions_1_and_2(value, shown):
    errors = errors_after("tplan", value)
    assert errors == [f"tplan: must be format version 1 or 2; got {shown}"]


def test_the_sample_reads_the_same_as_version_1_and_version_2():
    text = CHRIS_TEXT.replace("tplan: 1\n", "tplan: 2\n")
    assert "tplan: 2\n" in text
    assert planfile.load_plan_text(text) == planfile.load_plan_text(CHRIS_TEXT)


def test_format_version_is_required():
    assert errors_without("tplan") == ["tplan: is required: the format version, 1 or 2"]


@pytest.mark.parametrize("section", ["client", "clinician", "plan"])
def test_required_sections(section):
    assert errors_without(section) == [f"{section}: is required"]


@pytest.mark.parametrize(
    ("key", "what"),
    [("presenting_concerns", "presenting concern"), ("strengths", "strength"), ("goals", "goal")],
)
def test_at_least_one_of_each_list(key, what):
    assert errors_without(key) == [f"{key}: is required: at least one {what}"]
    assert errors_after(key, []) == [f"{key}: must have at least one {what}"]
    assert errors_after(key, "x") == [f"{key}: must be a list, got 'x'"]
    assert errors_after(key, {"text": "x"}) == [f"{key}: must be a list, got a set of keys"]


@pytest.mark.parametrize(
    "key", ["history", "contract", "reviews", "consents", "signatures", "clinician_notes"]
)
def test_optional_sections(key):
    data = chris_data()
    data.pop(key, None)
    planfile.plan_from_data(data)
    data[key] = None  # `key:` with nothing after it
    planfile.plan_from_data(data)


# --------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("path", "key", "hint"),
    [
        ("", "goal", "goals"),
        ("", "clinican", "clinician"),
        ("", "signature", "signatures"),
        ("client", "nmae", "name"),
        ("client", "date_of_brith", "date_of_birth"),
        ("clinician", "credential", "credentials"),
        ("plan", "review_every_day", "review_every_days"),
        ("plan", "stauts", "status"),
        ("history", "diagnosis", "diagnoses"),
        ("history.diagnoses[0]", "lable", "label"),
        ("presenting_concerns[0]", "in_clients_words", "in_client_words"),
        ("strengths[1]", "txt", "text"),
        ("contract", "modalty", "modality"),
        ("goals[0]", "ratng", "rating"),
        ("goals[0]", "objective", "objectives"),
        ("goals[0].rating", "traget", "target"),
        ("goals[0].objectives[2]", "staus", "status"),
        ("goals[0].interventions[1]", "frequncy", "frequency"),
        ("goals[0].progress[0]", "clientrating", "client_rating"),
        ("signatures[1]", "sgned_on", "signed_on"),
        ("goals[0]", "extras", "extra"),
    ],
)
def test_unknown_keys_with_a_typo_hint(path, key, hint):
    data = chris_data()
    target = data
    for step in _steps(path):
        target = target[step]
    target[key] = "something"
    where = f"{path}.{key}" if path else key
    assert errors_of(data) == [f"{where}: unknown key; did you mean '{hint}'?"]


def test_unknown_keys_in_consents_reviews_and_guardian():
    data = with_consent(expires="2017-01-01")
    data["reviews"] = [{"date": "2016-08-01", "notes": "x"}]
    data["client"]["guardian"] = {"name": "Pat", "relationship": "aunt", "phone": "555"}
    assert errors_of(data) == [
        "client.guardian.phone: unknown key (known keys: name, relationship)",
        "reviews[0].notes: unknown key; did you mean 'note'?",
        "consents[0].expires: unknown key; did you mean 'expires_on'?",
    ]


def test_an_unknown_key_with_no_near_match_lists_the_known_keys():
    (error,) = errors_after("clinician.zzz", 1)
    assert error == "clinician.zzz: unknown key (known keys: name, credentials, contact)"


def test_unknown_keys_under_extra_are_kept():
    data = chris_data()
    data["goals"][0]["extra"] = {"nmae": 1, "ratng": {"any": ["thing"]}}
    assert planfile.plan_from_data(data).goals[0].extra == {"nmae": 1, "ratng": {"any": ["thing"]}}


EXTRA = {
    "source": "intake form",
    "when": "2016-07-01",  # date-like text stays text
    "n": 3,
    "ratio": 0.5,
    "flag": False,
    "nothing": None,
    "nested": {"list": [1, "two", {"three": [3.0]}], "empty": {}, "none": []},
    "Ünïcode ключ": "значение",
}

EXTRA_PATHS = [
    "",
    "client",
    "client.guardian",
    "clinician",
    "plan",
    "history",
    "history.diagnoses[0]",
    "presenting_concerns[0]",
    "strengths[0]",
    "contract",
    "goals[0]",
    "goals[0].rating",
    "goals[0].objectives[0]",
    "goals[0].interventions[0]",
    "goals[0].progress[0]",
    "reviews[0]",
    "consents[0]",
    "signatures[0]",
]


def _model_at(plan: m.Plan, path: str) -> Any:
    obj: Any = plan
    for step in _steps(path):
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


@pytest.mark.parametrize("path", EXTRA_PATHS)
def test_extra_is_kept_as_it_is_at_every_level(path):
    data = with_consent()
    data["reviews"] = [{"date": "2016-07-31", "note": "Reviewed together."}]
    data["client"]["guardian"] = {"name": "Pat", "relationship": "aunt"}
    target = data
    for step in _steps(path):
        target = target[step]
    target["extra"] = copy.deepcopy(EXTRA)
    plan = planfile.load_plan_text(to_yaml(data))
    assert _model_at(plan, path).extra == EXTRA
    text = planfile.dump_plan(plan)
    again = planfile.load_plan_text(text)
    assert _model_at(again, path).extra == EXTRA
    assert again == plan and planfile.dump_plan(again) == text


@pytest.mark.parametrize("value", [[1, 2], "notes", 5])
def test_extra_must_be_keys(value):
    assert errors_after("goals[0].rating.extra", value) == [
        f"goals[0].rating.extra: must be a set of keys, got {planfile._describe(value)}"
    ]


# --------------------------------------------------------------------------- required fields


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("client.name", "is required"),
        ("clinician.name", "is required"),
        ("plan.started", "is required: a date written YYYY-MM-DD"),
        ("plan.review_every_days", "is required: a whole number from 1 to 365"),
        ("history.diagnoses[0].code", "is required"),
        ("history.diagnoses[0].label", "is required"),
        ("presenting_concerns[0].text", "is required"),
        ("strengths[0].text", "is required"),
        ("goals[0].text", "is required"),
        ("goals[0].rating", "is required: the 0-10 scale (label, low, high, target)"),
        ("goals[0].rating.label", "is required"),
        ("goals[0].rating.low", "is required"),
        ("goals[0].rating.high", "is required"),
        ("goals[0].rating.target", "is required: a whole number from 0 to 10"),
        ("goals[0].objectives[0].text", "is required"),
        ("goals[0].interventions[0].text", "is required"),
        ("goals[0].progress[0].date", "is required: a date written YYYY-MM-DD"),
        ("signatures[0].role", "is required: one of client, clinician, guardian, family member"),
        ("signatures[0].name", "is required"),
        ("signatures[0].signed_on", "is required: a date written YYYY-MM-DD"),
    ],
)
def test_required_fields(path, message):
    assert errors_without(path) == [f"{path}: {message}"]


@pytest.mark.parametrize("blank", ["", "   ", "\n", None])
def test_blank_text_is_missing_text(blank):
    assert errors_after("client.name", blank) == ["client.name: is required"]
    assert errors_after("goals[0].objectives[1].text", blank) == [
        "goals[0].objectives[1].text: is required"
    ]


def test_a_goal_needs_objectives():
    # progress says objectives 1-3 were achieved; with none there is nothing to name
    named = [
        f"goals[0].progress[0].objectives_achieved[{i}]: names an objective, but this goal has "
        "no objectives"
        for i in range(3)
    ]
    assert errors_after("goals[0].objectives", []) == [
        "goals[0].objectives: must have at least one objective",
        *named,
    ]
    assert errors_without("goals[0].objectives") == [
        "goals[0].objectives: is required: at least one objective",
        *named,
    ]
    data = chris_data()
    del data["goals"][0]["objectives"], data["goals"][0]["progress"]
    assert errors_of(data) == ["goals[0].objectives: is required: at least one objective"]


@pytest.mark.parametrize("key", ["to", "signed_by"])
def test_consent_required_text(key):
    assert errors_of(with_consent(**{key: None})) == [f"consents[0].{key}: is required"]


def test_consent_required_date_and_shares():
    assert errors_of(with_consent(signed_on=None)) == [
        "consents[0].signed_on: is required: a date written YYYY-MM-DD"
    ]
    assert errors_of(with_consent(shares=None)) == [
        "consents[0].shares: is required: one of summary, full plan"
    ]


def test_guardian_needs_name_and_relationship():
    data = chris_data()
    data["client"]["guardian"] = {"name": "Pat"}
    assert errors_of(data) == ["client.guardian.relationship: is required"]
    data["client"]["guardian"] = {}
    assert errors_of(data) == [
        "client.guardian.name: is required",
        "client.guardian.relationship: is required",
    ]


def test_review_needs_a_date():
    data = chris_data()
    data["reviews"] = [{"note": "No date."}]
    assert errors_of(data) == ["reviews[0].date: is required: a date written YYYY-MM-DD"]


# --------------------------------------------------------------------------- enums


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("plan.status", "draft, active, completed"),
        ("goals[0].status", "proposed, active, on-hold, completed, cancelled"),
        (
            "goals[0].achievement",
            "in-progress, improving, worsening, no-change, achieved, not-achieved",
        ),
        (
            "goals[0].objectives[0].status",
            "not-started, in-progress, achieved, not-achieved, cancelled",
        ),
        ("signatures[0].role", "client, clinician, guardian, family member"),
    ],
)
@pytest.mark.parametrize(
    ("value", "shown"), [("done", "'done'"), ("Active", "'Active'"), (3, "the number 3")]
)
def test_enums(path, options, value, shown):
    assert errors_after(path, value) == [f"{path}: must be one of {options}, got {shown}"]


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("plan.status", m.PLAN_STATUSES),
        ("goals[0].status", m.GOAL_STATUSES),
        ("goals[0].achievement", m.ACHIEVEMENTS),
        ("goals[0].objectives[0].status", m.OBJECTIVE_STATUSES),
        ("signatures[0].role", m.SIGNATURE_ROLES),
    ],
)
def test_every_enum_value_is_accepted(path, values):
    for value in values:
        data = chris_data()
        data["tplan"] = 2  # "supervisor" is a version 2 role
        set_at(data, path, value)
        plan = planfile.load_plan_text(to_yaml(data))
        assert _model_at(plan, path) == value


def test_consent_shares():
    for shares in ("summary", "full plan"):
        assert planfile.plan_from_data(with_consent(shares=shares)).consents[0].shares == shares
    assert errors_of(with_consent(shares="everything")) == [
        "consents[0].shares: must be one of summary, full plan, got 'everything'"
    ]


def test_enum_defaults():
    data = chris_data()
    del data["goals"][0]["status"], data["goals"][0]["achievement"]
    del data["goals"][0]["objectives"][0]["status"]
    plan = planfile.plan_from_data(data)
    assert plan.plan.status == "active"
    assert plan.goals[0].status == "active"
    assert plan.goals[0].achievement is None
    assert plan.goals[0].objectives[0].status == "not-started"


def test_intervention_by_is_free_text():
    data = chris_data()
    set_at(data, "goals[0].interventions[0].by", "school nurse")
    assert planfile.plan_from_data(data).goals[0].interventions[0].by == "school nurse"


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("path", "span"),
    [
        ("goals[0].rating.target", "from 0 to 10"),
        ("goals[0].rating.baseline", "from 0 to 10"),
        ("goals[0].progress[0].client_rating", "from 0 to 10"),
        ("goals[0].progress[0].clinician_rating", "from 0 to 10"),
    ],
)
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (11, "11"),
        (-1, "-1"),
        (100, "100"),
        (3.0, "3.0"),
        (5.5, "5.5"),
        ("3", "'3'"),
        (True, "true/false (true)"),
        (False, "true/false (false)"),
        ([3], "a list"),
    ],
)
def test_ratings_are_whole_numbers_from_0_to_10(path, span, value, shown):
    assert errors_after(path, value) == [f"{path}: must be a whole number {span}, got {shown}"]


def test_the_documented_rating_message():
    assert errors_after("goals[0].rating.target", 11) == [
        "goals[0].rating.target: must be a whole number from 0 to 10, got 11"
    ]


@pytest.mark.parametrize("value", [0, 10])
def test_rating_bounds_are_included(value):
    data = chris_data()
    set_at(data, "goals[0].rating.baseline", value)
    set_at(data, "goals[0].progress[0].client_rating", value)
    plan = planfile.plan_from_data(data)
    assert plan.goals[0].rating.baseline == value
    assert plan.goals[0].latest_client_rating == value


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (366, "366"), (30.5, "30.5"), ("30", "'30'"), (-30, "-30")]
)
def test_review_every_days_from_1_to_365(value, shown):
    assert errors_after("plan.review_every_days", value) == [
        f"plan.review_every_days: must be a whole number from 1 to 365, got {shown}"
    ]


@pytest.mark.parametrize("value", [1, 365])
def test_review_every_days_bounds_are_included(value):
    data = chris_data()
    set_at(data, "plan.review_every_days", value)
    assert planfile.plan_from_data(data).plan.review_every_days == value


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (-1, "-1"), (1.5, "1.5"), ("2", "'2'")])
def test_plan_version_is_a_whole_number_of_at_least_1(value, shown):
    assert errors_after("plan.version", value) == [
        f"plan.version: must be a whole number of at least 1, got {shown}"
    ]


def test_session_minutes():
    assert errors_after("contract.session_minutes", 0) == [
        "contract.session_minutes: must be a whole number from 1 to 1440, got 0"
    ]


def test_signature_version_defaults_to_the_plan_version():
    data = chris_data()
    data["plan"]["version"] = 3
    data["signatures"][1]["version"] = 2
    plan = planfile.plan_from_data(data)
    assert [s.version for s in plan.signatures] == [3, 2]
    assert [s.role for s in plan.current_signatures()] == ["client"]


def test_signature_version_is_not_above_the_plan_version():
    data = chris_data()
    data["plan"]["version"] = 2
    data["signatures"][0]["version"] = 3
    data["signatures"][1]["version"] = 0
    assert errors_of(data) == [
        "signatures[0].version: must be at most the plan's version (2), got 3",
        "signatures[1].version: must be a whole number of at least 1, got 0",
    ]


# --------------------------------------------------------------------------- progress


def test_progress_needs_at_least_one_rating():
    data = chris_data()
    del data["goals"][0]["progress"][0]["client_rating"]
    planfile.plan_from_data(copy.deepcopy(data))  # the clinician's rating alone is enough
    del data["goals"][0]["progress"][0]["clinician_rating"]
    assert errors_of(data) == [
        "goals[0].progress[0]: needs at least one rating: client_rating or clinician_rating"
    ]


@pytest.mark.parametrize(
    ("numbers", "bad"),
    [
        ([5], [(0, "5")]),
        ([0], [(0, "0")]),
        ([1, 9, 4], [(1, "9")]),
        (["1"], [(0, "'1'")]),
        ([True], [(0, "true/false (true)")]),
        ([2.0], [(0, "2.0")]),
        ([-1, 5], [(0, "-1"), (1, "5")]),
    ],
)
def test_objectives_achieved_names_existing_objectives(numbers, bad):
    path = "goals[0].progress[0].objectives_achieved"
    assert errors_after(path, numbers) == [
        f"{path}[{i}]: must be the number of one of this goal's objectives (1 to 4), got {shown}"
        for i, shown in bad
    ]


def test_objectives_achieved_must_be_a_list():
    assert errors_after("goals[0].progress[0].objectives_achieved", 2) == [
        "goals[0].progress[0].objectives_achieved: must be a list, got the number 2"
    ]


def test_objectives_achieved_counts_this_goals_objectives():
    data = chris_data()
    second = copy.deepcopy(data["goals"][0])
    second["objectives"] = second["objectives"][:2]
    data["goals"].append(second)
    assert errors_of(data) == [
        (
            "goals[1].progress[0].objectives_achieved[2]: must be the number of one of this "
            "goal's objectives (1 to 2), got 3"
        )
    ]


# --------------------------------------------------------------------------- text and dates


@pytest.mark.parametrize(
    "path",
    [
        "client.name",
        "client.pronouns",
        "clinician.credentials",
        "plan.level_of_care",
        "history.demographics",
        "history.diagnoses[0].code",
        "presenting_concerns[0].in_client_words",
        "strengths[1].text",
        "contract.modality",
        "goals[0].text",
        "goals[0].rating.label",
        "goals[0].rating.high",
        "goals[0].objectives[3].text",
        "goals[0].interventions[0].by",
        "goals[0].progress[0].note",
        "signatures[0].name",
        "clinician_notes",
    ],
)
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5, "the number 5"),
        (1.5, "the number 1.5"),
        (True, "true/false (true)"),
        (["a"], "a list"),
        ({"a": 1}, "a set of keys"),
    ],
)
def test_text_fields_reject_other_values(path, value, shown):
    assert errors_after(path, value) == [f"{path}: must be text, got {shown} (put it in quotes)"]


def test_text_lists_reject_other_values():
    data = chris_data()
    data["contract"]["client_agrees_to"] = ["Practice at home.", 7, ""]
    data["contract"]["clinician_agrees_to"] = "Check in weekly."
    assert errors_of(data) == [
        "contract.client_agrees_to[1]: must be text, got the number 7",
        "contract.client_agrees_to[2]: must be text, got ''",
        "contract.clinician_agrees_to: must be a list, got 'Check in weekly.'",
    ]


def test_unquoted_values_that_look_like_numbers_are_numbers_not_text():
    text = CHRIS_TEXT.replace("  credentials: LPC", "  credentials: 1e3\n  extra: {x: yes}")
    assert errors_of_text(text.replace("1e3", "12")) == [
        "clinician.credentials: must be text, got the number 12 (put it in quotes)"
    ]
    assert planfile.load_plan_text(text).clinician.credentials == "1e3"  # not a YAML 1.1 number
    assert planfile.load_plan_text(text).clinician.extra == {"x": True}
    quoted = text.replace("1e3", "'12'")
    assert planfile.load_plan_text(quoted).clinician.credentials == "12"


def test_flags():
    assert errors_after("history.diagnoses[0].current", "yes") == [
        "history.diagnoses[0].current: must be true or false, got 'yes'"
    ]
    data = chris_data()
    data["history"]["diagnoses"][0]["current"] = False
    assert planfile.plan_from_data(data).history.diagnoses[0].current is False


DATE_PATHS = [
    "plan.started",
    "plan.expected_end",
    "client.date_of_birth",
    "goals[0].target_date",
    "goals[0].objectives[0].target_date",
    "goals[0].progress[0].date",
    "signatures[0].signed_on",
    "reviews[0].date",
    "consents[0].signed_on",
    "consents[0].expires_on",
    "consents[0].revoked_on",
]


@pytest.mark.parametrize("path", DATE_PATHS)
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-13-45", "month must be in 1..12"),
        ("2026-02-30", "day is out of range for month"),
        ("2025-02-29", "day is out of range for month"),
        ("0000-01-01", "year 0 is out of range"),
    ],
)
def test_impossible_dates_are_reported_with_their_path(path, value, reason):
    data = with_consent()
    data["reviews"] = [{"date": "2016-07-31"}]
    set_at(data, path, value)
    assert errors_of(data) == [f"{path}: {value} is not a real date ({reason})"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2016/07/01", "'2016/07/01'"),
        ("2016-7-1", "'2016-7-1'"),
        ("July 1, 2016", "'July 1, 2016'"),
        ("2016-07-01T10:00", "'2016-07-01T10:00'"),
        (20160701, "the number 20160701"),
        ("२०१६-०७-०१", "'२०१६-०७-०१'"),
        (["2016-07-01"], "a list"),
    ],
)
def test_dates_are_written_yyyy_mm_dd(value, shown):
    assert errors_after("plan.started", value) == [
        f"plan.started: must be a date written YYYY-MM-DD, got {shown}"
    ]


def test_an_impossible_unquoted_date_in_the_file():
    text = CHRIS_TEXT.replace("started: 2016-07-01", "started: 2026-13-45")
    assert errors_of_text(text) == [
        "plan.started: 2026-13-45 is not a real date (month must be in 1..12)"
    ]


def test_dates_are_read_unquoted_and_quoted():
    quoted = CHRIS_TEXT.replace("started: 2016-07-01", "started: '2016-07-01'")
    assert planfile.load_plan_text(quoted).plan.started == date(2016, 7, 1)


def test_leap_day_is_a_real_date():
    data = chris_data()
    data["plan"]["started"] = "2024-02-29"
    assert planfile.plan_from_data(data).next_review == date(2024, 3, 30)


# --------------------------------------------------------------------------- containers


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            "client",
            "Chris",
            (
                "client: must be a set of keys (name, full_name, date_of_birth, "
                "pronouns, guardian), got 'Chris'"
            ),
        ),
        (
            "goals[0]",
            "Be better",
            (
                "goals[0]: must be a set of keys (text, in_client_words, rating, "
                "target_date, status, achievement, objectives, interventions, "
                "progress, addresses), got 'Be better'"
            ),
        ),
        (
            "goals[0].rating",
            6,
            (
                "goals[0].rating: must be a set of keys (label, low, high, "
                "baseline, target, better), got the number 6"
            ),
        ),
        (
            "signatures[0]",
            ["client"],
            ("signatures[0]: must be a set of keys (role, name, signed_on, version), got a list"),
        ),
        (
            "goals[0].objectives[0]",
            "List the rules.",
            (
                "goals[0].objectives[0]: must be a set of "
                "keys (text, target_date, status, in_client_words), got "
                "'List the rules.'"
            ),
        ),
    ],
)
def test_objects_must_be_keys(path, value, error):
    assert error in errors_after(path, value)


# --------------------------------------------------------------------------- all at once


def test_every_error_is_reported_at_once():
    data = chris_data()
    data["tplan"] = 3
    data["client"]["name"] = 7
    data["clinician"]["credentails"] = "LPC"
    data["plan"]["review_every_days"] = 400
    data["plan"]["started"] = "2026-13-45"
    goal = data["goals"][0]
    goal["rating"]["target"] = 11
    goal["status"] = "paused"
    goal["objectives"][1]["status"] = "done"
    goal["progress"][0]["objectives_achieved"] = [1, 9]
    data["signatures"][0]["role"] = "therapist"
    data["strengths"] = []
    assert errors_of(data) == [
        "tplan: must be format version 1 or 2; got the number 3",
        "client.name: must be text, got the number 7 (put it in quotes)",
        "clinician.credentails: unknown key; did you mean 'credentials'?",
        "plan.started: 2026-13-45 is not a real date (month must be in 1..12)",
        "plan.review_every_days: must be a whole number from 1 to 365, got 400",
        "strengths: must have at least one strength",
        (
            "goals[0].objectives[1].status: must be one of not-started, in-progress, achieved, "
            "not-achieved, cancelled, got 'done'"
        ),
        "goals[0].rating.target: must be a whole number from 0 to 10, got 11",
        (
            "goals[0].status: must be one of proposed, active, on-hold, completed, cancelled, "
            "got 'paused'"
        ),
        (
            "goals[0].progress[0].objectives_achieved[1]: must be the number of one of this goal's "
            "objectives (1 to 4), got 9"
        ),
        (
            "signatures[0].role: must be one of client, clinician, guardian, family member, "
            "supervisor, got 'therapist'"
        ),
    ]


# --------------------------------------------------------------------------- drafts


def test_a_draft_may_lack_required_fields_but_not_have_wrong_ones():
    draft = {"tplan": 1, "client": {"name": "Robin"}}
    plan = planfile.plan_from_data(draft, complete=False)
    assert plan.client.name == "Robin" and plan.goals == []
    assert errors_of({"tplan": 1, "client": {"name": 5}}, complete=False) == [
        "client.name: must be text, got the number 5 (put it in quotes)"
    ]
    assert errors_of({"tplan": 1, "plan": {"started": "2026-13-45"}}, complete=False) == [
        "plan.started: 2026-13-45 is not a real date (month must be in 1..12)"
    ]


def test_completeness_errors():
    draft = planfile.plan_from_data({"tplan": 1, "client": {"name": "Robin"}}, complete=False)
    missing = [str(e) for e in planfile.completeness_errors(draft)]
    assert "clinician.name: is required" in missing
    assert "goals: is required: at least one goal" in missing
    assert "plan.started: is required: a date written YYYY-MM-DD" in missing


def test_a_complete_plan_has_no_completeness_errors(chris):
    assert planfile.completeness_errors(chris) == []


# --------------------------------------------------------------------------- YAML guards


def test_anchors_and_aliases_are_refused():
    text = (
        CHRIS_TEXT.replace("  name: Dana Reyes\n", "  name: &who Dana Reyes\n")
        + "clinician_notes: *who\n"
    )
    assert errors_of_text(text) == [
        "line 7, column 9: anchors and aliases (& and *) are not allowed in a plan file"
    ]
    line = CHRIS_TEXT.count("\n") + 1
    assert errors_of_text(CHRIS_TEXT + "clinician_notes: *who\n") == [
        f"line {line}, column 18: anchors and aliases (& and *) are not allowed in a plan file"
    ]


def test_a_billion_laughs_alias_bomb_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\n"
    started = time.perf_counter()
    (error,) = errors_of_text(bomb)
    assert time.perf_counter() - started < 0.5
    assert error == "line 1, column 5: anchors and aliases (& and *) are not allowed in a plan file"


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/object:tplan_tui.core.model.Plan {}",
        "!!python/name:os.system",
        "!!python/tuple [1, 2]",
        "!!binary aGVsbG8=",
        "!custom thing",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!!pairs [a: 1]",
        "!!timestamp 2016-07-01",
    ],
)
def test_python_and_unknown_tags_are_refused(tagged):
    text = CHRIS_TEXT + f"clinician_notes: {tagged}\n"
    (error,) = errors_of_text(text)
    line = CHRIS_TEXT.count("\n") + 1
    assert error.startswith(f"line {line}, column 18: the tag !")
    assert error.endswith(
        " is not allowed in a plan file: only text, numbers, true/false, lists and keys"
    )


def test_duplicate_keys_are_refused():
    text = CHRIS_TEXT.replace("  pronouns: he/him\n", "  pronouns: he/him\n  name: Christopher\n")
    assert errors_of_text(text) == [
        "line 6, column 3: the key 'name' appears twice in the same place"
    ]
    top = CHRIS_TEXT + "tplan: 1\n"
    line = CHRIS_TEXT.count("\n") + 1
    assert errors_of_text(top) == [
        f"line {line}, column 1: the key 'tplan' appears twice in the same place"
    ]


@pytest.mark.parametrize(
    ("extra", "where", "shown"),
    [
        ("{1: a}", "extra.1", "the number 1"),
        ("{x: {true: a}}", "extra.x.True", "true/false (true)"),
        ("{x: [{2.5: a}]}", "extra.x[0].2.5", "the number 2.5"),
        ("{~: a}", "extra.None", "nothing"),
    ],
)
def test_keys_under_extra_are_text(extra, where, shown):
    # The store keeps plans as JSON: a number key would come back as text, changed.
    assert errors_of_text(CHRIS_TEXT + f"extra: {extra}\n") == [
        f"{where}: a key under extra must be text, got {shown} (put it in quotes)"
    ]
    assert planfile.load_plan_text(CHRIS_TEXT + "extra: {'1': a}\n").extra == {"1": "a"}


def test_explicit_plain_tags_are_fine():
    text = (
        CHRIS_TEXT
        + "clinician_notes: !!str 5\nextra: {n: !!int '7', f: !!float 1, b: !!bool yes}\n"
    )
    plan = planfile.load_plan_text(text)
    assert plan.clinician_notes == "5"
    assert plan.extra == {"n": 7, "f": 1.0, "b": True}


def test_duplicate_keys_inside_extra_are_refused_too():
    text = "tplan: 1\nextra:\n  a: 1\n  a: 2\n"
    assert errors_of_text(text) == ["line 4, column 3: the key 'a' appears twice in the same place"]


def test_merge_keys_are_only_text():
    # `<<` merges need anchors to be of use; here it is a key like any other, and unknown.
    errors = errors_of_text("tplan: 1\nclient:\n  <<: {name: Chris}\n", complete=False)
    assert errors == [
        "client.<<: unknown key (known keys: name, full_name, date_of_birth, pronouns, guardian)"
    ]
    assert errors_of_text("tplan: 1\nclient: !!merge {name: Chris}\n") == [
        (
            "line 2, column 9: the tag !!merge is not allowed in a plan file: only text, numbers, "
            "true/false, lists and keys"
        )
    ]
    plan = planfile.load_plan_text(CHRIS_TEXT + "clinician_notes: <<\nextra: {'=': =}\n")
    assert plan.clinician_notes == "<<" and plan.extra == {"=": "="}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tplan: 1\nclient:\n  name: [Chris\n", "line 4, column 1"),
        ("tplan: 1\nclient:\n  name: Chris\n   pronouns: he\n", "line 4, column 12"),
        ("tplan: 1\nclient: {name: Chris\n", "line 3, column 1"),
        ("tplan: 1\nclient:\n\tname: Chris\n", "line 3, column 1"),
        ("tplan: 1\nclinician_notes: 'unclosed\n", "line 3, column 1"),
    ],
)
def test_yaml_syntax_errors_give_line_and_column(text, where):
    (error,) = errors_of_text(text)
    assert error.startswith(f"{where}: ")
    assert "\n" not in error


def test_unprintable_characters_are_one_line_with_a_position():
    (error,) = errors_of_text("tplan: 1\nclinician_notes: a\x00b\n")
    assert "\n" not in error
    assert error.startswith("line 2, column 19: ")
    assert error == "line 2, column 19: the character #x0000 is not allowed in a plan file"


# --------------------------------------------------------------------------- file guards


def test_a_file_over_2_mb_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(4 * 1024**3)  # 4 GB, sparse: reading it whole would take seconds
    started = time.perf_counter()
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_file(path)
    assert time.perf_counter() - started < 0.5
    assert [str(e) for e in caught.value.errors] == [
        "the file is 4,294,967,296 bytes; a plan file may be at most 2 MB"
    ]


def test_a_file_of_exactly_2_mb_is_read(tmp_path):
    path = tmp_path / "padded.yaml"
    body = CHRIS_TEXT.encode()
    path.write_bytes(body + b"#" * (planfile.MAX_FILE_BYTES - len(body)))
    assert planfile.load_plan_file(path).client.name == "Chris"
    path.write_bytes(body + b"#" * (planfile.MAX_FILE_BYTES - len(body) + 1))
    with pytest.raises(PlanFileError, match="at most 2 MB"):
        planfile.load_plan_file(path)


def test_a_device_is_refused_without_reading_it():
    # /dev/zero says it has no size at all; reading it whole would never end. It is refused
    # for what it is before a byte is read (a child process with a memory limit keeps a
    # regression from taking the machine down with it).
    script = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from tplan_tui import planfile\n"
        "try:\n    planfile.load_plan_file('/dev/zero')\n"
        "except planfile.PlanFileError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "this is a device, not a file" in done.stdout


@pytest.mark.parametrize(
    ("raw", "offset"),
    [
        (b"tplan: 1\nclient:\n  name: Andr\xe9\n", 29),
        (b"\xff\xfet\x00p\x00", 0),
        (CHRIS_TEXT.encode("utf-16"), 0),
    ],
)
def test_non_utf8_files_are_refused(tmp_path, raw, offset):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(raw)
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_file(path)
    assert [str(e) for e in caught.value.errors] == [
        f"the file is not UTF-8 text (bad byte at offset {offset})"
    ]


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + CHRIS_TEXT.encode())
    assert planfile.load_plan_file(path).client.name == "Chris"


def test_windows_line_endings_are_accepted(tmp_path, chris):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(CHRIS_TEXT.replace("\n", "\r\n").encode())
    assert planfile.load_plan_file(path) == chris


def test_a_missing_file_and_a_folder(tmp_path):
    with pytest.raises(PlanFileError, match="^cannot read the file: No such file or directory$"):
        planfile.load_plan_file(tmp_path / "nope.yaml")
    with pytest.raises(PlanFileError, match="^this is a folder, not a file: tplan imports only"):
        planfile.load_plan_file(tmp_path)


# --------------------------------------------------------------------------- markup is text


def test_markup_and_lookalikes_stay_text(chris):
    tricky = {
        "client.name": "<b>Chris</b>",
        "client.pronouns": "null",
        "clinician.credentials": "yes",
        "goals[0].text": "*Really* # not a heading & [not](a link)",
        "goals[0].rating.low": "0",
        "goals[0].rating.high": "2016-07-01",
        "goals[0].objectives[0].text": "- not a list item: with a colon",
        "clinician_notes": "line one\n  indented line two\n\nlast line  \n",
    }
    for path, value in tricky.items():
        obj = _model_at(chris, path.rsplit(".", 1)[0]) if "." in path else chris
        setattr(obj, path.rsplit(".", 1)[-1], value)
    again = planfile.load_plan_text(planfile.dump_plan(chris))
    for path, value in tricky.items():
        assert _model_at(again, path) == value


# --------------------------------------------------------------------------- round trips

from tests.strategies import any_text, plain_data, plans  # noqa: E402

ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(plans())
def test_any_valid_plan_round_trips(plan):
    text = planfile.dump_plan(plan)
    again = planfile.load_plan_text(text)
    assert again == plan
    assert planfile.dump_plan(again) == text  # exporting twice gives the same text
    assert planfile.plan_from_data(planfile.plan_to_data(plan)) == plan  # the store's path


@ROUND_TRIP
@given(any_text)
@example("a\n\u2028\nb")
@example("ps\u2029x")
@example("tab\tx")
@example("trailing newline\n")
def test_any_text_round_trips_in_every_text_field_kind(text):
    plan = planfile.load_plan_text(CHRIS_TEXT)
    plan.client.name = text
    plan.goals[0].objectives[0].text = text
    plan.contract.client_agrees_to = [text]
    plan.clinician_notes = text
    plan.extra = {text: text}
    dumped = planfile.dump_plan(plan)
    again = planfile.load_plan_text(dumped)
    assert again.client.name == text
    assert again.goals[0].objectives[0].text == text
    assert again.contract.client_agrees_to == [text]
    assert again.clinician_notes == text
    assert again.extra == {text: text}
    assert planfile.dump_plan(again) == dumped


# --------------------------------------------------------------------------- robustness


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_plan_or_a_plan_file_error(text):
    try:
        planfile.load_plan_text(text)
    except PlanFileError as exc:
        assert all(isinstance(e, planfile.FieldError) for e in exc.errors)


@st.composite
def damaged_chris(draw) -> Any:
    """The sample plan with one value somewhere replaced by arbitrary YAML data."""
    data = chris_data()
    paths = []

    def walk(node: Any, path: list[Any]) -> None:
        paths.append(path)
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        for key, child in children:
            walk(child, [*path, key])

    walk(data, [])
    path = draw(st.sampled_from(paths[1:]))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = draw(plain_data)
    return data


@settings(max_examples=150, deadline=None)
@given(damaged_chris())
def test_any_damaged_plan_gives_a_plan_or_errors_with_paths(data):
    try:
        planfile.load_plan_text(to_yaml(data))
    except PlanFileError as exc:
        for error in exc.errors:
            assert error.path and "\n" not in error.message, error


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab1.: -[]{}&*!#|>'\"\n\t?,%@`~<=", max_size=80))
def test_yaml_like_noise_gives_a_plan_or_a_plan_file_error(text):
    try:
        planfile.load_plan_text(text)
    except PlanFileError as exc:
        assert all("\n" not in str(e) for e in exc.errors)
