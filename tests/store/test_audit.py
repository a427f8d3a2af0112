"""The audit log: entries, the hash chain (edited, removed, moved lines), kills mid-append, a
full disk, encryption, and the CLI's records and `tplan audit`."""

from __future__ import annotations

import base64
import errno
import json
import multiprocessing
import os
from datetime import datetime, timedelta

import pytest

from tests.privacy_helpers import FAST_N, NEW_PASS, PASS, canary_plan_file, make_canary, run_cli
from tests.samples import MAYA_YAML
from tplan_tui.settings import ClinicianDefaults, Settings, save_settings
from tplan_tui.store import audit, crypto, init_store, open_store, rekey


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


@pytest.fixture
def root(private_dirs):
    return private_dirs / "store"


@pytest.fixture(params=["plain", "encrypted"])
def store(request, root):
    return init_store(root, passphrase=PASS if request.param == "encrypted" else None)


def _fill(store, n=5):
    for i in range(n):
        assert audit.record(store, "open", f"abc{i}", actor="Dana Reyes") is None


def _lines(store):
    return (store.root / audit.LOG_NAME).read_bytes().splitlines(keepends=True)


def _write(store, lines):
    (store.root / audit.LOG_NAME).write_bytes(b"".join(lines))


# --------------------------------------------------------------------------- entries


def test_entries_and_their_chain(store):
    _fill(store, 3)
    entries = audit.read(store)
    assert [(e.action, e.plan_id, e.actor) for e in entries] == [
        ("open", f"abc{i}", "Dana Reyes") for i in range(3)
    ]
    for e in entries:
        when = datetime.fromisoformat(e.time)
        assert when.utcoffset() == timedelta(0) and e.time.endswith("Z")
    result = audit.verify(store)
    assert result.ok and result.entries == 3 and result.notes == ()
    if store.encrypted:  # sealed lines: base64, nothing in the clear
        raw = (store.root / audit.LOG_NAME).read_bytes()
        assert b"Dana" not in raw and b"open" not in raw and b"abc1" not in raw
        for line in raw.splitlines():
            assert base64.b64decode(line, validate=True)[:4] == crypto.MAGIC
    else:
        first, second = (json.loads(line) for line in _lines(store)[:2])
        assert first["prev"] == audit.GENESIS and second["prev"] == first["hash"]
        assert first["hash"] == audit.entry_hash(first)


def test_actor_is_the_clinician_in_the_settings_else_the_user(store, monkeypatch):
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "frontdesk")
    audit.record(store, "lock")
    save_settings(Settings(clinician=ClinicianDefaults(name="Dana Reyes")))
    audit.record(store, "unlock")
    assert [(e.actor, e.action, e.plan_id) for e in audit.read(store)] == [
        ("frontdesk", "lock", None),
        ("Dana Reyes", "unlock", None),
    ]


def test_only_known_actions_and_plan_ids(store):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(store, "peek")
    with pytest.raises(ValueError, match="never a name"):
        audit.record(store, "open", "Chris Example")
    assert not (store.root / audit.LOG_NAME).exists()


# --------------------------------------------------------------------------- tampering


def test_an_edited_entry_is_found(store, monkeypatch):
    _fill(store)
    lines = _lines(store)
    if store.encrypted:
        sealed = bytearray(base64.b64decode(lines[2]))
        sealed[-3] ^= 1
        lines[2] = base64.b64encode(bytes(sealed)) + b"\n"
    else:
        lines[2] = lines[2].replace(b'"open"', b'"lock"')
    _write(store, lines)
    result = audit.verify(store)
    assert not result.ok and (result.log, result.line) == (audit.LOG_NAME, 3)
    cli = run_cli(monkeypatch, "audit", "--verify", TPLAN_PASSPHRASE=PASS)
    assert cli.rc == 1 and "audit.log line 3" in cli.err


def test_an_edited_entry_with_its_hash_recomputed_is_found(root):
    store = init_store(root)
    _fill(store)
    lines = _lines(store)
    entry = json.loads(lines[1])
    entry["actor"] = "someone else"
    entry["hash"] = audit.entry_hash(entry)
    lines[1] = audit._canonical(entry) + b"\n"
    _write(store, lines)
    result = audit.verify(store)
    assert (result.ok, result.line) == (False, 3)  # the next entry no longer follows it
    assert "does not follow" in result.problem


@pytest.mark.parametrize("change", ["removed", "moved", "inserted plain"])
def test_a_removed_moved_or_inserted_entry_is_found(store, change):
    _fill(store)
    lines = _lines(store)
    if change == "removed":
        del lines[1]
        bad = 2
    elif change == "moved":
        lines[1], lines[3] = lines[3], lines[1]
        bad = 2
    else:
        fake = {
            "time": "2030-01-01T00:00:00.000Z",
            "actor": "x",
            "action": "open",
            "plan_id": None,
            "prev": audit.GENESIS,
        }
        fake["hash"] = audit.entry_hash(fake)
        lines.insert(2, audit._canonical(fake) + b"\n")
        bad = 3
    _write(store, lines)
    result = audit.verify(store)
    assert (result.ok, result.line) == (False, bad)


def test_audit_verify_cli(monkeypatch, store):
    _fill(store, 4)
    ok = run_cli(monkeypatch, "audit", "--verify", TPLAN_PASSPHRASE=PASS)
    assert (ok.rc, ok.out) == (0, "audit log verifies: 4 entries\n")
    as_json = json.loads(
        run_cli(monkeypatch, "audit", "--verify", "--json", TPLAN_PASSPHRASE=PASS).out
    )
    assert as_json["ok"] is True and as_json["entries"] == 4


# --------------------------------------------------------------------------- kills and full disks


def test_a_kill_mid_append_leaves_a_log_that_verifies(store, monkeypatch):
    _fill(store, 3)
    real_write = os.write

    def half_then_die(fd, data):
        real_write(fd, bytes(data)[: len(data) // 2])
        raise KeyboardInterrupt  # a kill: nothing after this runs

    monkeypatch.setattr(audit.os, "write", half_then_die)
    with pytest.raises(KeyboardInterrupt):
        audit.record(store, "edit", "abc9")
    monkeypatch.setattr(audit.os, "write", real_write)
    assert not (store.root / audit.LOG_NAME).read_bytes().endswith(b"\n")
    result = audit.verify(store)
    assert result.ok and result.entries == 3
    assert result.notes == (
        "audit.log line 4: incomplete last entry (an interrupted write); "
        "it is dropped at the next entry",
    )
    cli = run_cli(monkeypatch, "audit", "--verify", TPLAN_PASSPHRASE=PASS)
    assert cli.rc == 0 and "incomplete last entry" in cli.err
    assert audit.record(store, "edit", "abc9") is None  # repairs, then appends
    result = audit.verify(store)
    assert result.ok and result.entries == 4 and result.notes == ()
    assert [e.action for e in audit.read(store)] == ["open"] * 3 + ["edit"]


def test_a_log_that_is_only_a_partial_line(store):
    (store.root / audit.LOG_NAME).write_bytes(b'{"time":"20')
    assert audit.verify(store).notes and audit.verify(store).entries == 0
    assert audit.record(store, "open") is None
    assert audit.verify(store).entries == 1 and audit.verify(store).ok


def test_a_long_log_appends_from_its_tail(root):
    store = init_store(root, passphrase=PASS)
    _fill(store, 40)  # sealed lines, far more than one read-back chunk
    assert audit.verify(store).ok and audit.verify(store).entries == 40


def test_a_full_disk_is_a_warning_never_a_lost_save(store, monkeypatch, chris_path):
    def full(*args):  # only the audit log's disk is full: the plan files still save
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(audit, "_append", full)
    problem = audit.record(store, "edit")
    assert problem == (
        "the audit log could not be written (the disk is full); the work itself was saved"
    )
    result = run_cli(monkeypatch, "import", str(chris_path), TPLAN_PASSPHRASE=PASS)
    assert result.rc == 0 and "tplan: warning: the audit log could not be written" in result.err
    plan_id = result.out[:8]
    assert open_store(store.root, passphrase=PASS).load(plan_id).plan.client.name == "Chris"


def _record_many(root, n):
    store = open_store(root, passphrase=PASS)
    for _ in range(n):
        assert audit.record(store, "open") is None


@pytest.mark.slow  # three processes appending at once
def test_processes_appending_at_once_keep_one_chain(root):
    init_store(root, passphrase=PASS)
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_record_many, args=(root, 15)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    result = audit.verify(open_store(root, passphrase=PASS))
    assert result.ok and result.entries == 45


# --------------------------------------------------------------------------- encryption


def test_passphrase_change_keeps_the_chain_and_its_damage(root):
    store = init_store(root, passphrase=PASS)
    _fill(store, 4)
    before = [(e.time, e.action, e.plan_id, e.hash) for e in audit.read(store)]
    rekey.change_passphrase(store, NEW_PASS)
    reopened = open_store(root, passphrase=NEW_PASS)
    after = [(e.time, e.action, e.plan_id, e.hash) for e in audit.read(reopened)]
    assert after[:4] == before and after[4][1] == "passphrase change"
    assert audit.verify(reopened).ok
    # Evidence of an earlier removal survives the re-sealing.
    lines = _lines(reopened)
    del lines[1]
    _write(reopened, lines)
    rekey.change_passphrase(reopened, "a third passphrase")
    result = audit.verify(open_store(root, passphrase="a third passphrase"))
    assert (result.ok, result.line) == (False, 2)


def test_a_wrong_passphrase_is_recorded_unsealed_without_client_data(
    monkeypatch, root, tmp_path, chris_path
):
    canary = make_canary()
    run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE=PASS)
    source = canary_plan_file(tmp_path / "mine", canary, chris_path)
    plan_id = run_cli(monkeypatch, "import", str(source), TPLAN_PASSPHRASE=PASS).out[:8]
    result = run_cli(monkeypatch, "export", plan_id, TPLAN_PASSPHRASE="guess guess")
    assert result.rc == 3
    [line] = (root / audit.REFUSED_NAME).read_text().splitlines()
    entry = json.loads(line)
    assert set(entry) == {"time", "actor", "action", "plan_id", "prev", "hash"}
    assert entry["action"] == "failed unlock" and entry["plan_id"] is None
    assert canary not in line and plan_id not in line


# --------------------------------------------------------------------------- the CLI


def test_cli_records_import_export_and_share(monkeypatch, chris_path):
    monkeypatch.setenv("TPLAN_TODAY", "2026-07-01")
    maya = MAYA_YAML
    env = {"TPLAN_PASSPHRASE": PASS}
    run_cli(monkeypatch, "init", "--encrypt", **env)
    imported = run_cli(monkeypatch, "import", str(chris_path), str(maya), **env)
    ids = [line.split("\t")[0] for line in imported.out.splitlines()]
    assert run_cli(monkeypatch, "export", ids[0], "--format", "txt", **env).rc == 0
    shared = run_cli(monkeypatch, "export", ids[1], "--consent", "1", "--format", "txt", **env)
    assert shared.rc == 0, shared.err
    listed = run_cli(monkeypatch, "audit", "--json", **env)
    assert listed.rc == 0
    entries = json.loads(listed.out)
    assert [(e["action"], e["plan_id"]) for e in entries] == [
        ("init", None),
        ("import", ids[0]),
        ("import", ids[1]),
        ("export", ids[0]),
        ("share", ids[1]),
    ]
    for e in entries:
        assert {"time", "actor", "action", "plan_id"} <= set(e)
        assert datetime.fromisoformat(e["time"]).utcoffset() == timedelta(0)
    text = run_cli(monkeypatch, "audit", **env).out
    assert "share" in text and ids[1] in text and "Chris" not in text
