"""``tplan export --format fhir`` and ``tplan import FILE.json`` (issue 17), run in process
through ``cli.main``: the bundle written is valid FHIR and imports back to the same plan; the
client's copy is refused; a consent shares only what it allows; a bad bundle stores nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from fhir.resources.R4B.bundle import Bundle

from tests.samples import CHRIS_YAML, ROBIN_V2_YAML
from tplan_tui import cli
from tplan_tui.planfile import load_plan_file
from tplan_tui.store import open_store


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPLAN_TODAY", "2026-11-15")


def run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", str(db), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def imported(db: Path, *files: Path) -> list[str]:
    code, out, err = run(db, "import", "--allow-duplicate", *map(str, files))
    assert code == 0, err
    return [line.split("\t")[0] for line in out.splitlines()]


def stored_ids(db: Path) -> list[str]:
    code, out, err = run(db, "list", "--json", "--all")
    assert code == 0, err
    return sorted(p["plan_id"] for p in json.loads(out)["plans"])


def test_export_fhir_then_import_it_gives_the_same_plan(tmp_path: Path):
    db = tmp_path / "store"
    (plan_id,) = imported(db, CHRIS_YAML)
    target = tmp_path / "chris.json"
    code, _out, err = run(db, "export", plan_id, "--format", "fhir", "-o", str(target))
    assert code == 0, err
    Bundle.model_validate_json(target.read_text("utf-8"))
    (again,) = imported(db, target)
    assert again != plan_id
    assert open_store(db).load(again).plan == load_plan_file(CHRIS_YAML)


def test_the_client_audience_is_refused_for_fhir(tmp_path: Path):
    db = tmp_path / "store"
    (plan_id,) = imported(db, CHRIS_YAML)
    target = tmp_path / "out.json"
    args = ("export", plan_id, "--format", "fhir", "--audience", "client", "-o", str(target))
    code, out, err = run(db, *args)
    assert code == 2 and out == ""
    assert "--format fhir is the clinical record for another system" in err
    assert not target.exists()


def robin_with_consents(tmp_path: Path) -> Path:
    data = yaml.safe_load(ROBIN_V2_YAML.read_text("utf-8"))
    data["consents"] += [
        {"to": "Harbor Group Practice", "shares": "full plan", "signed_by": "Robin",
         "signed_on": "2026-10-05", "expires_on": "2027-10-05"},
        {"to": "An old insurer", "shares": "full plan", "signed_by": "Robin",
         "signed_on": "2026-10-05", "revoked_on": "2026-11-01"},
    ]  # fmt: skip
    path = tmp_path / "robin.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_a_consent_shares_only_what_it_allows(tmp_path: Path):
    db = tmp_path / "store"
    (plan_id,) = imported(db, robin_with_consents(tmp_path))
    plan = open_store(db).load(plan_id).plan
    referral = plan.history.referral
    assert referral

    code, summary, err = run(db, "export", plan_id, "--format", "fhir", "--consent", "1")
    assert code == 0, err
    Bundle.model_validate_json(summary)
    assert referral not in summary and "44261-6" not in summary  # history, PHQ-9 scores
    kinds = [e["resource"]["resourceType"] for e in json.loads(summary)["entry"]]
    assert "CarePlan" in kinds and "Goal" in kinds
    assert json.loads(summary)["meta"]["tag"][0]["code"] == "1"

    code, full, err = run(db, "export", plan_id, "--format", "fhir", "--consent", "2")
    assert code == 0, err
    assert referral in full and "44261-6" in full

    code, out, err = run(db, "export", plan_id, "--format", "fhir", "--consent", "3")
    assert (code, out) == (2, "")
    assert "revoked on 2026-11-01" in err

    args = ("export", plan_id, "--format", "fhir", "--consent", "1", "--audience", "clinician")
    code, out, err = run(db, *args)
    assert (code, out) == (2, "")
    assert "shares only the client summary" in err


def test_a_bad_bundle_is_refused_with_its_path_and_nothing_is_stored(tmp_path: Path):
    db = tmp_path / "store"
    (plan_id,) = imported(db, CHRIS_YAML)
    code, text, _err = run(db, "export", plan_id, "--format", "fhir")
    bundle = json.loads(text)
    goal = next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Goal")
    bundle["entry"][goal]["resource"]["target"][0]["dueDate"] = 20261231
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle), "utf-8")
    no_plan = tmp_path / "no-careplan.json"
    no_plan.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": bundle["entry"][:2]}),
        "utf-8",
    )
    before = stored_ids(db)
    assert before == [plan_id]
    code, out, err = run(db, "import", str(CHRIS_YAML), str(bad), str(no_plan))
    assert (code, out) == (2, "")
    assert (
        f"{bad}: entry[{goal}].resource.target[0].dueDate: must be a date written YYYY-MM-DD, "
        "got the number 20261231"
    ) in err
    assert f"{no_plan}: entry: holds no CarePlan" in err
    assert "nothing was imported" in err
    assert stored_ids(db) == before


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path: Path):
    db = tmp_path / "store"
    bad = tmp_path / "plan.json"
    bad.write_text('{"resourceType": "Bundle",\n  "entry": [}', "utf-8")
    code, _out, err = run(db, "import", str(bad))
    assert code == 2
    assert f"{bad}: line 2, column 13: not valid JSON" in err
