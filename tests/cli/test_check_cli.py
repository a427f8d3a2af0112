"""``tplan check`` and the diagnosis codes ``tplan import`` refuses, run in-process (``main``).

Every name here is invented."""

from __future__ import annotations

import io
import json

import yaml

from tests.core.test_completeness import complete, minimal
from tests.samples import ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.cli import main


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, plan, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(planfile.dump_plan(plan), "utf-8")
    return path


def test_check_lists_exactly_what_a_minimal_plan_lacks(tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAN_TODAY", "2026-03-01")
    code, out, _err = run("check", str(write(tmp_path, minimal())))
    assert code == 2
    assert out.splitlines() == [
        "signatures: Not signed yet by the client.",
        "signatures: Not signed yet by the clinician.",
        "goals[0].addresses: Goal 1: which concern it works on is not said.",
        "goals[0].objectives[0].target_date: Objective 1.1: the target date is missing.",
        "goals[0].interventions: Goal 1: no intervention says what will be done.",
        "plan.discharge_criteria: The plan: the discharge criteria are missing (when treatment ends).",
    ]


def test_check_says_nothing_is_missing_from_a_complete_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAN_TODAY", "2026-03-01")
    path = write(tmp_path, complete())
    for profile in ("basic", "medicaid-outpatient", "joint-commission-bh"):
        code, out, _err = run("check", str(path), "--profile", profile)
        assert code == 0, out
        assert "complete for the" in out
    code, out, _err = run("check", str(path), "--json")
    assert code == 0 and json.loads(out)["missing"] == []


def test_check_a_stored_plan_with_json_and_the_settings_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAN_TODAY", "2026-03-01")
    code, out, _err = run("import", str(write(tmp_path, minimal())))
    assert code == 0
    plan_id = out.split("\t")[0]
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.yaml").write_text("profile: joint-commission-bh\n", "utf-8")
    code, out, _err = run("check", plan_id, "--json")
    report = json.loads(out)
    assert code == 2 and report["profile"] == "joint-commission-bh" and not report["complete"]
    assert {"path": "measures", "element": "outcome_measure"}.items() <= next(
        m for m in report["missing"] if m["path"] == "measures"
    ).items()
    code, _out, err = run("check", plan_id, "--profile", "strict")
    assert code == 2 and "--profile: no profile 'strict'" in err


def test_import_refuses_made_up_codes_with_their_path_and_stores_nothing(tmp_path):
    data = yaml.safe_load(ROBIN_V2_YAML.read_text("utf-8"))
    data["history"]["diagnoses"] = [
        {"code": "banana", "label": "feels sad"},
        {"code": "F99.99", "label": "unsure"},
        {"code": "F32", "label": "depression"},
        {"code": "6A70", "label": "depressive episode", "system": "ICD-11"},
    ]
    path = tmp_path / "robin.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, out, err = run("import", str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(
        f"{path}: history.diagnoses[0].code: banana is not an ICD-10-CM code; nearest: "
    )
    assert lines[1] == (
        f"{path}: history.diagnoses[1].code: F99.99 is not an ICD-10-CM code; "
        "nearest: F99 Mental disorder, not otherwise specified"
    )
    assert lines[2].startswith(
        f"{path}: history.diagnoses[2].code: F32 is a category, not billable: choose one of F32.0,"
    )
    assert len(lines) == 4 and lines[3].startswith("tplan: nothing was imported")
    assert run("list", "--json")[1].count('"plan_id"') == 0


def test_a_picked_code_round_trips(tmp_path):
    data = yaml.safe_load(ROBIN_V2_YAML.read_text("utf-8"))
    data["history"]["diagnoses"] = [{"code": "F41.0", "label": "Panic disorder"}]
    path = tmp_path / "robin.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, out, err = run("import", str(path))
    assert code == 0, err
    code, text, err = run("export", out.split("\t")[0])
    assert code == 0, err
    again = planfile.load_plan_text(text)
    assert [(d.code, d.label) for d in again.history.diagnoses] == [("F41.0", "Panic disorder")]


def test_a_foreign_value_under_a_diagnosis_extra_imports_and_check_names_its_path(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TPLAN_TODAY", "2026-11-01")
    data = yaml.safe_load(ROBIN_V2_YAML.read_text("utf-8"))
    data["history"]["diagnoses"][0]["extra"] = {"diagnosed_on": "soon", "concerns": [1]}
    path = tmp_path / "robin.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, out, err = run("import", str(path))
    assert code == 0, err  # the format keeps extra as it is
    plan_id = out.split("\t")[0]
    code, out, _err = run("check", plan_id)
    assert code == 2
    assert (
        "history.diagnoses[0].extra.diagnosed_on: Diagnosis 1: the date it was made: must be a "
        'date written YYYY-MM-DD, got "soon".'
    ) in out.splitlines()
    code, text, err = run("export", plan_id)
    assert code == 0, err
    assert planfile.load_plan_text(text).history.diagnoses[0].extra == {
        "diagnosed_on": "soon", "concerns": [1]
    }  # fmt: skip
