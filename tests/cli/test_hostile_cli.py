"""The command under hostile conditions (issue 18): a damaged plan among good ones, a full or
read-only disk, no permission, a file-size limit. Run in this process (``cli.main``), so a disk
error can be injected by monkeypatching the os function that meets it.

Every name here is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.privacy_helpers import FAST_N, run_cli
from tests.samples import CHRIS_TEXT
from tplan_tui.store import crypto

TODAY = "2016-08-15"


@pytest.fixture(autouse=True)
def _setup(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)
    monkeypatch.setenv("TPLAN_TODAY", TODAY)


@pytest.fixture
def db(private_dirs) -> Path:
    return private_dirs / "store"


def plan_file(folder: Path, client: str) -> Path:
    path = folder / f"{client}.yaml"
    path.write_text(CHRIS_TEXT.replace("  name: Chris\n", f"  name: {client}\n", 1), "utf-8")
    return path


def imported(monkeypatch, tmp_path, client: str) -> str:
    done = run_cli(monkeypatch, "import", str(plan_file(tmp_path, client)))
    assert done.rc == 0, done.err
    return done.out.split("\t")[0]


# --------------------------------------------------------------------------- one bad plan


def test_one_plan_with_a_date_out_of_range_hides_no_other(monkeypatch, tmp_path, db):
    good = imported(monkeypatch, tmp_path, "Hal")
    bad = imported(monkeypatch, tmp_path, "Ines")
    path = db / "plans" / f"{bad}.json"
    raw = json.loads(path.read_text("utf-8"))
    raw["plan"]["1"]["data"]["plan"]["started"] = "9999-12-31"  # date arithmetic overflows
    path.write_text(json.dumps(raw), "utf-8")

    table = run_cli(monkeypatch, "list")
    assert table.rc == 1
    assert good in table.out and "Hal" in table.out and bad not in table.out
    (line,) = table.err.splitlines()
    assert line.startswith(f"tplan: plan {bad}: {path} is damaged")

    shown = run_cli(monkeypatch, "list", "--json")
    assert shown.rc == 1
    listed = json.loads(shown.out)
    assert [p["plan_id"] for p in listed["plans"]] == [good]
    (problem,) = listed["problems"]
    assert (problem["plan_id"], problem["file"]) == (bad, str(path))
    assert problem["reason"] and problem["problem"] == line.removeprefix("tplan: ")

    exported = run_cli(monkeypatch, "export", good)  # a good plan is unaffected
    assert exported.rc == 0 and "name: Hal" in exported.out


def test_list_json_of_a_healthy_store_has_no_problems(monkeypatch, tmp_path):
    plan_id = imported(monkeypatch, tmp_path, "Jo")
    shown = run_cli(monkeypatch, "list", "--json")
    assert shown.rc == 0 and shown.err == ""
    listed = json.loads(shown.out)
    assert listed["problems"] == [] and [p["plan_id"] for p in listed["plans"]] == [plan_id]
    empty = run_cli(monkeypatch, "--db", str(tmp_path / "empty"), "list", "--json")
    assert json.loads(empty.out) == {"plans": [], "problems": []}
