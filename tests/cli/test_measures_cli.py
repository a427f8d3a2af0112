"""Standard measures on the command line (issue 12): `tplan measure` adds one (checked, the alert
said at once), `tplan list --json` gives each plan's latest score per instrument, and
`tplan export --audience clinician` shows every score."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.samples import ROBIN_V2_YAML
from tplan_tui import cli
from tplan_tui.store import audit, open_store


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPLAN_TODAY", "2026-12-01")


def run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", str(db), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def robin(db: Path) -> str:
    code, out, err = run(db, "import", str(ROBIN_V2_YAML))
    assert code == 0, err
    return out.split("\t")[0]


def test_measure_list_json_and_the_clinical_record(tmp_path):
    db = tmp_path / "db"
    plan_id = robin(db)
    code, out, err = run(db, "measure", plan_id, "--instrument", "PHQ-9",
                         "--items", "1,1,1,1,1,1,1,1,0", "--on", "2026-11-30")  # fmt: skip
    assert code == 0, err
    assert out == (
        f"Recorded PHQ-9 8 (mild); reliable improvement from the one before on 2026-11-30 "
        f"for plan {plan_id}.\n"
    )
    code, out, err = run(db, "list", "--json")
    assert code == 0, err
    [row] = json.loads(out)["plans"]
    assert row["measures"] == {
        "PHQ-9": {"date": "2026-11-30", "total": 8, "band": "mild"},
        "GAD-7": {"date": "2026-10-01", "total": 9, "band": "mild"},
    }
    code, out, err = run(db, "export", plan_id, "--format", "txt", "--audience", "clinician")
    assert code == 0, err
    text = " ".join(out.split())
    assert "October 1, 2026: 14 (moderate:" in text and "November 30, 2026: 8 (mild:" in text
    assert "Reliable improvement from the first (14)." in text
    assert ("edit", plan_id) in [(e.action, e.plan_id) for e in audit.read(open_store(db))]


def test_item_9_above_0_is_said_at_once(tmp_path):
    db = tmp_path / "db"
    plan_id = robin(db)
    code, out, err = run(db, "measure", plan_id, "--instrument", "PHQ-9",
                         "--items", "0,0,0,0,0,0,0,0,1")  # fmt: skip
    assert code == 0, err
    assert (
        "NEEDS ATTENTION NOW: PHQ-9 item 9 (thoughts of death or self-harm) scored 1 on "
        "2026-12-01." in out
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--instrument", "BDI", "--items", "1"], "--instrument: 'BDI' is not an instrument"),
        (["--instrument", "GAD-7", "--items", "1,1"], "--items: GAD-7 has 7 items, got 2"),
        (["--instrument", "GAD-7", "--items", "1,1,1,4,1,1,1"], "--items[3]: must be a whole"),
        (["--instrument", "GAD-7", "--items", "a,b"], "--items must be whole numbers"),
        (["--instrument", "GAD-7", "--items", "1,1,1,1,1,1,1", "--on", "2027-01-01"],
         "--on: 2027-01-01 is after today"),
    ],
)  # fmt: skip
def test_a_bad_measure_is_refused_and_nothing_is_kept(tmp_path, args, said):
    db = tmp_path / "db"
    plan_id = robin(db)
    before = open_store(db).load(plan_id).plan.measures
    code, _out, err = run(db, "measure", plan_id, *args)
    assert code != 0 and said in err, err
    assert open_store(db).load(plan_id).plan.measures == before
