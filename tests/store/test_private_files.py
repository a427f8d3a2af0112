"""Owner-only files: everything tplan writes is 0600 in 0700 folders, whatever the umask; no
temp file is left behind; error messages carry no plan content."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest

from tests.privacy_helpers import (
    FAST_N,
    NEW_PASS,
    PASS,
    canary_plan_file,
    make_canary,
    modes,
    run_cli,
)
from tplan_tui import paths
from tplan_tui.settings import ClinicianDefaults, Settings, save_settings, settings_path
from tplan_tui.store import StoreCorrupt, audit, crypto, init_store, open_store


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


@pytest.fixture
def umask_000():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _all_private(root) -> dict[str, str]:
    """Every path under ``root`` that is not 0700 (folders) or 0600 (files), with its mode."""
    wrong = {}
    for path, mode in modes(root).items():
        want = 0o700 if stat.S_ISDIR(os.lstat(path).st_mode) else 0o600
        if mode != want:
            wrong[path] = oct(mode)
    return wrong


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_everything_written_is_owner_only_under_umask_000(
    monkeypatch, private_dirs, chris_path, umask_000, encrypted
):
    root = private_dirs / "deep" / "store"  # parents made by tplan too
    monkeypatch.setenv("TPLAN_DB", str(root))
    env = {"TPLAN_PASSPHRASE": PASS}
    init = ("init", "--encrypt") if encrypted else ("init",)
    assert run_cli(monkeypatch, *init, **env).rc == 0
    plan_id = run_cli(monkeypatch, "import", str(chris_path), str(chris_path), **env).out[:8]
    store = open_store(root, passphrase=PASS)
    for _ in range(2):
        stored = store.load(plan_id)
        store.save(plan_id, stored.plan, base_revision=stored.revision)
    assert run_cli(monkeypatch, "list", **env).rc == 0
    assert run_cli(monkeypatch, "audit", "--verify", **env).rc == 0
    export = private_dirs / "exports" / "new-folder" / "chris.yaml"
    assert run_cli(monkeypatch, "export", plan_id, "-o", str(export), **env).rc == 0
    if encrypted:
        assert run_cli(monkeypatch, "list", TPLAN_PASSPHRASE="wrong passphrase").rc == 3
        changed = run_cli(monkeypatch, "passphrase", **env, TPLAN_NEW_PASSPHRASE=NEW_PASS)
        assert changed.rc == 0
        assert run_cli(monkeypatch, "list", TPLAN_PASSPHRASE=NEW_PASS).rc == 0
    save_settings(Settings(clinician=ClinicianDefaults(name="Dana Reyes")))

    names = {p.name for p in root.rglob("*")}
    assert {
        "tplan-store.json",
        "index.json",
        "audit.log",
        ".lock",
        "plans",
        f"{plan_id}.json",
        f"{plan_id}.json.bak",
    } <= names
    if encrypted:
        assert audit.REFUSED_NAME in names
    assert _all_private(root) == {}
    assert _all_private(private_dirs / "deep") == {}
    assert _all_private(private_dirs / "exports" / "new-folder") == {}
    assert oct(os.stat(private_dirs / "exports").st_mode & 0o777) == "0o700"
    assert _all_private(settings_path().parent) == {}


def test_a_folder_made_by_hand_becomes_private(private_dirs, umask_000):
    root = private_dirs / "handmade"
    root.mkdir(mode=0o777)
    init_store(root, passphrase=PASS)
    assert _all_private(root) == {}


def test_an_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "out" / "plan.yaml"
    paths.write_private_file(target, b"first")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(paths.os, "fsync", full)
    with pytest.raises(OSError):
        paths.write_private_file(target, b"second")
    monkeypatch.undo()
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.yaml"]
    assert target.read_bytes() == b"first"


def test_an_export_replaces_a_symlink_and_never_writes_through_it(
    tmp_path, monkeypatch, chris_path
):
    plan_id = run_cli(monkeypatch, "import", str(chris_path)).out[:8]
    elsewhere = tmp_path / "someone-elses.txt"
    elsewhere.write_text("theirs")
    link = tmp_path / "export.yaml"
    link.symlink_to(elsewhere)
    assert run_cli(monkeypatch, "export", plan_id, "-o", str(link), "--force").rc == 0
    assert elsewhere.read_text() == "theirs" and not link.is_symlink()
    assert oct(link.stat().st_mode & 0o777) == "0o600"


def test_a_damaged_plan_is_named_by_path_and_field_never_by_value(
    monkeypatch, private_dirs, chris_path
):
    canary = make_canary()
    source = canary_plan_file(private_dirs / "mine", canary, chris_path)
    plan_id = run_cli(monkeypatch, "import", str(source)).out[:8]
    path = private_dirs / "store" / "plans" / f"{plan_id}.json"
    db = json.loads(path.read_text())
    record = db["plan"]["1"]
    record["data"]["plan"]["status"] = f"{canary} status"
    record["data"]["goals"][0]["rating"]["target"] = f"{canary} wishes"
    path.write_text(json.dumps(db))
    result = run_cli(monkeypatch, "export", plan_id)
    assert result.rc == 1 and str(path) in result.err and "plan.status" in result.err
    assert canary not in result.err
    with pytest.raises(StoreCorrupt) as caught:
        open_store(private_dirs / "store").load(plan_id)
    assert canary not in str(caught.value)
