"""The command under hostile conditions (issue 18): a damaged plan among good ones, a full or
read-only disk, no permission, a file-size limit. Run in this process (``cli.main``), so a disk
error can be injected by monkeypatching the os function that meets it.

Every name here is invented.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from tests.privacy_helpers import FAST_N, NEW_PASS, PASS, hashes, run_cli
from tests.samples import CHRIS_TEXT
from tplan_tui.store import crypto
from tplan_tui.store import storage as storage_module

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


# --------------------------------------------------------------------------- disk errors

# A full disk (or quota, or file-size limit) fails in write or fsync, whose errors name no file;
# a read-only disk or a refused permission fails when the file is created, naming it.
AT_WRITE = [errno.ENOSPC, errno.EDQUOT, errno.EFBIG]
AT_CREATE = [errno.EROFS, errno.EACCES, errno.EPERM]
REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than the disk or the file-size limit allows",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission was denied",
    errno.EPERM: "the operation is not permitted here",
}


def break_the_disk(monkeypatch, code: int) -> None:
    """From now on every new file tplan writes (its temp files, and new files) fails with
    ``code``, as it would on a disk that is full, read-only or refuses permission."""
    real_open, real_fsync = os.open, os.fsync
    if code in AT_WRITE:

        def fsync(fd):
            if stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(code, os.strerror(code))
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    else:

        def open_(path, flags, *args, **kwargs):
            if flags & os.O_CREAT and Path(path).name != ".lock" and not Path(path).exists():
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)


def assert_said(result, code: int, file: Path | str | None = None) -> str:
    assert result.rc == 1, result
    (line,) = result.err.splitlines()
    assert "unexpected error" not in line
    assert line.startswith("tplan: ") and line.endswith(f": {REASONS[code]}. Nothing was changed.")
    if file is not None:
        assert f" {file} could not be " in line
    return line


@pytest.mark.parametrize("code", AT_WRITE + AT_CREATE)
def test_import_on_a_broken_disk_says_so_and_changes_nothing(monkeypatch, tmp_path, db, code):
    imported(monkeypatch, tmp_path, "Oda")
    run_cli(monkeypatch, "list")
    before = hashes(db, skip_audit=False)
    files = [str(plan_file(tmp_path, "Pia")), str(plan_file(tmp_path, "Quin"))]
    with monkeypatch.context() as m:
        break_the_disk(m, code)
        result = run_cli(monkeypatch, "import", *files)
    assert_said(result, code, db / "import-journal.json")
    assert hashes(db, skip_audit=False) == before


@pytest.mark.parametrize("code", AT_WRITE + AT_CREATE)
def test_import_failing_part_way_is_rolled_back(monkeypatch, tmp_path, db, code):
    """The journal is written, then the second plan file fails: the first is removed again."""
    imported(monkeypatch, tmp_path, "Oda")
    # The duplicate check reads the caseload, which may refresh index.json (a cache) first.
    before = {k: v for k, v in hashes(db, skip_audit=False).items() if k != "index.json"}
    files = [str(plan_file(tmp_path, "Pia")), str(plan_file(tmp_path, "Quin"))]
    real = storage_module.write_new_file
    written = []

    def second_plan_fails(path, data):
        if path.name.endswith(".tmp") and ".json." in path.name and "journal" not in path.name:
            written.append(path)
            if len(written) == 2:
                raise OSError(code, os.strerror(code), None if code in AT_WRITE else str(path))
        return real(path, data)

    monkeypatch.setattr(storage_module, "write_new_file", second_plan_fails)
    result = run_cli(monkeypatch, "import", *files)
    line = assert_said(result, code)
    assert str(db / "plans") in line and ".tmp" not in line
    after = hashes(db, skip_audit=False)
    assert {k: v for k, v in after.items() if k != "index.json"} == before


@pytest.mark.parametrize("code", AT_WRITE + AT_CREATE)
def test_export_to_a_file_on_a_broken_disk(monkeypatch, tmp_path, db, code):
    plan_id = imported(monkeypatch, tmp_path, "Rae")
    target = tmp_path / "out" / "rae.html"
    target.parent.mkdir()
    target.write_text("an older copy", "utf-8")
    with monkeypatch.context() as m:
        break_the_disk(m, code)
        result = run_cli(
            monkeypatch, "export", plan_id, "--format", "html", "-o", str(target), "--force"
        )
    assert_said(result, code, target)
    assert (
        os.listdir(target.parent) == ["rae.html"] and target.read_text("utf-8") == "an older copy"
    )


@pytest.mark.parametrize("code", AT_WRITE + AT_CREATE)
def test_init_on_a_broken_disk_leaves_no_folder(monkeypatch, tmp_path, code):
    root = tmp_path / "new" / "store"
    with monkeypatch.context() as m:
        break_the_disk(m, code)
        result = run_cli(monkeypatch, "--db", str(root), "init")
    assert_said(result, code, root / "tplan-store.json")
    assert not (tmp_path / "new").exists()
    assert run_cli(monkeypatch, "--db", str(root), "init").rc == 0  # and it can be made after


@pytest.mark.parametrize("code", AT_WRITE + AT_CREATE)
@pytest.mark.parametrize("command", ["passphrase", "encrypt"])
def test_a_passphrase_change_or_encryption_on_a_broken_disk(
    monkeypatch, tmp_path, db, code, command
):
    if command == "passphrase":
        assert run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE=PASS).rc == 0
    plan_id = imported(monkeypatch, tmp_path, "Sol") if command == "encrypt" else None
    if command == "passphrase":
        done = run_cli(
            monkeypatch, "import", str(plan_file(tmp_path, "Sol")), TPLAN_PASSPHRASE=PASS
        )
        plan_id = done.out.split("\t")[0]
    before = hashes(db, skip_audit=False)
    argv = ["passphrase"] if command == "passphrase" else ["init", "--encrypt"]
    with monkeypatch.context() as m:
        break_the_disk(m, code)
        result = run_cli(m, *argv, TPLAN_PASSPHRASE=PASS, TPLAN_NEW_PASSPHRASE=NEW_PASS)
    assert_said(result, code)
    assert hashes(db, skip_audit=False) == before
    after = run_cli(
        monkeypatch, "export", plan_id, TPLAN_PASSPHRASE=PASS
    )  # the old one still works
    assert after.rc == 0 and "name: Sol" in after.out


def test_list_on_a_full_disk_lists_and_warns(monkeypatch, tmp_path, db):
    plan_id = imported(monkeypatch, tmp_path, "Tao")
    with monkeypatch.context() as m:
        break_the_disk(m, errno.ENOSPC)
        result = run_cli(monkeypatch, "list")
    assert result.rc == 0 and plan_id in result.out
    assert result.err == (
        f"tplan: warning: the caseload index {db / 'index.json'} was not updated (the disk is "
        "full); the list is complete, but each list reads the changed plans again\n"
    )
