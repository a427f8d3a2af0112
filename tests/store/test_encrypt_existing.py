"""Encrypting a plain store in place (`tplan init --encrypt` on an existing store): nothing plain is
left, nothing is lost (ids, revisions, versions, last good copies, the audit chain), a kill at any
step leaves the plain store or the encrypted one, and a session opened before writes nothing plain."""

from __future__ import annotations

import base64
import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.privacy_helpers import (
    FAST_N,
    NEW_PASS,
    PASS,
    canary_plan_file,
    files_under,
    hashes,
    holding,
    make_canary,
    run_cli,
)
from tplan_tui import cli, planfile
from tplan_tui.store import (
    NEEDS_PASSPHRASE,
    AccessRefused,
    EncryptedElsewhere,
    Store,
    StoreCorrupt,
    StoreError,
    audit,
    crypto,
    init_store,
    is_encrypted,
    open_store,
    rekey,
)


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


@pytest.fixture
def root(private_dirs) -> Path:
    return private_dirs / "store"


@pytest.fixture
def canary() -> str:
    return make_canary()


@pytest.fixture
def canary_plan(tmp_path, canary, chris_path):
    return planfile.load_plan_file(canary_plan_file(tmp_path / "mine", canary, chris_path))


def _plain_sample(root: Path, canary: str, canary_plan, chris) -> tuple[list[str], dict, Store]:
    """A plain store: the canary's plan with an earlier version kept and a .bak, Chris's plan
    with a .bak, the plain index, audit entries, and a killed writer's temp file (a whole plan)."""
    store = init_store(root)
    audit.record(store, "init")
    canary_id, chris_id = ids = store.import_plans([canary_plan, chris])
    stored = store.load(canary_id)
    new = copy.deepcopy(stored.plan)
    new.plan.version += 1
    new.strengths[0].text = f"{canary} keeps a garden"
    store.save(canary_id, new, base_revision=stored.revision)
    store.update_meta(canary_id, step="goals")
    stored = store.load(chris_id)
    stored.plan.strengths[0].text = "Edited once"
    store.save(chris_id, stored.plan, base_revision=stored.revision)
    assert [r.plan_id for r in store.list_plans()[0]]  # writes the plain index
    for plan_id in ids:
        audit.record(store, "open", plan_id)
    audit.record(store, "export", canary_id)
    dead = store.plans_dir / f".{canary_id}.json.4242.abcdef.tmp"
    dead.write_bytes(store._plan_path(canary_id).read_bytes())
    assert store.versions(canary_id) and (store.plans_dir / f"{chris_id}.json.bak").exists()
    assert (
        canary.encode() in (root / "index.json").read_bytes()
        and canary.encode() in dead.read_bytes()
    )
    return ids, _snapshot(store), store


def _snapshot(store) -> dict:
    """Everything a clinician would miss: each plan as stored, its versions, the audit trail."""
    plans = {}
    for plan_id in sorted(p.name[:-5] for p in store.plans_dir.glob("*.json")):
        s = store.load(plan_id)
        versions = [
            (v.number, planfile.plan_to_data(v.plan), v.replaced) for v in store.versions(plan_id)
        ]
        plans[plan_id] = (planfile.plan_to_data(s.plan), s.revision, s.updated, s.meta, versions)
    trail = [(e.time, e.actor, e.action, e.plan_id, e.hash) for e in audit.read(store)]
    return {"plans": plans, "audit": trail, "verified": audit.verify(store).entries}


def _plan_files(root: Path, codec=None) -> dict[str, bytes]:
    """The bytes of every plan file and last good copy (opened with ``codec`` if given)."""
    out = {}
    for path in sorted((root / "plans").iterdir()):
        if path.name.startswith(".") or path.name.endswith(rekey.REKEY_SUFFIX):
            continue
        data = path.read_bytes()
        out[path.name] = codec.decode(data, path) if codec else data
    return out


def _assert_nothing_plain(root: Path, canary: str) -> None:
    for needle in (canary, "household rules", "Dana Reyes", "Edited once"):
        assert holding(root, needle.encode()) == [], needle
    for path in files_under(root):
        if path.name in ("tplan-store.json", ".lock", audit.REFUSED_NAME):
            continue  # no client data: key parameters, an empty lock, refused-unlock times
        if path.name == audit.LOG_NAME:
            for line in path.read_bytes().splitlines():
                assert base64.b64decode(line, validate=True).startswith(crypto.MAGIC)
        else:
            assert path.read_bytes().startswith(crypto.MAGIC), path
    leftovers = [p for p in files_under(root) if p.name.startswith(".") and p.name != ".lock"]
    assert leftovers == [] and not list(root.rglob("*.rekey"))
    assert not (root / rekey.REKEY_JOURNAL).exists()


# --------------------------------------------------------------------------- the command


@pytest.mark.slow
def test_tplan_init_encrypt_on_a_plain_store(root, canary, canary_plan, chris):
    (canary_id, chris_id), before, _ = _plain_sample(root, canary, canary_plan, chris)
    files_before = _plan_files(root)
    assert f"{canary_id}.json.bak" in files_before and f"{chris_id}.json.bak" in files_before
    env = {k: v for k, v in os.environ.items() if k != "TPLAN_PASSPHRASE"}

    def tplan(*argv: str, passphrase: str | None = PASS) -> subprocess.CompletedProcess:
        extra = {"TPLAN_PASSPHRASE": passphrase} if passphrase else {}
        return subprocess.run(
            [sys.executable, "-m", "tplan_tui", "--db", str(root), *argv],
            env={**env, **extra},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = tplan("init", "--encrypt")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Encrypted the store" in done.stdout and canary not in done.stdout
    assert is_encrypted(root)
    _assert_nothing_plain(root, canary)
    assert not (root / "index.json").exists()  # the plain cache is dropped, not sealed

    store = open_store(root, passphrase=PASS)
    # Every plan file and last good copy opens to exactly the bytes it held in the clear.
    assert _plan_files(root, store.codec) == files_before
    after = _snapshot(store)
    assert after["plans"] == before["plans"]
    assert after["audit"][:-1] == before["audit"]  # the same entries, the same chain
    assert after["audit"][-1][2:4] == ("encrypt", None)
    assert after["verified"] == before["verified"] + 1

    refused = tplan("list", passphrase=None)
    assert (refused.returncode, refused.stderr) == (3, f"tplan: {NEEDS_PASSPHRASE}\n")
    listed = tplan("list")
    assert listed.returncode == 0 and canary in listed.stdout and "Chris" in listed.stdout
    verified = tplan("audit", "--verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout == f"audit log verifies: {before['verified'] + 1} entries\n"
    _assert_nothing_plain(root, canary)  # the index `list` rebuilt is sealed
    assert (root / "index.json").exists()


def test_an_encrypted_store_is_refused(monkeypatch, root, chris_path):
    env = {"TPLAN_PASSPHRASE": PASS}
    assert run_cli(monkeypatch, "init", "--encrypt", **env).rc == 0
    assert run_cli(monkeypatch, "import", str(chris_path), **env).rc == 0
    before = hashes(root, skip_audit=False)
    for argv in (("init", "--encrypt"), ("init",)):
        result = run_cli(monkeypatch, *argv, **env)
        assert result.rc == 2 and "nothing was changed" in result.err, argv
    again = run_cli(monkeypatch, "init", "--encrypt", **env)
    assert "encrypted already" in again.err and "`tplan passphrase`" in again.err
    assert hashes(root, skip_audit=False) == before
    store = open_store(root, passphrase=PASS)
    with pytest.raises(StoreError, match="encrypted already"):
        rekey.encrypt_store(store, NEW_PASS)
    with pytest.raises(StoreError, match="no passphrase to change"):
        rekey.change_passphrase(open_store(root.parent / "plain"), NEW_PASS)


def test_a_plain_store_says_how_to_encrypt_it(monkeypatch, root):
    assert run_cli(monkeypatch, "init").rc == 0
    result = run_cli(monkeypatch, "init")
    assert result.rc == 2 and "not encrypted" in result.err and "init --encrypt" in result.err


def test_the_new_passphrase_is_asked_twice_and_checked(monkeypatch, root, chris):
    store = init_store(root)
    store.import_plans([chris])
    before = hashes(root, skip_audit=False)
    assert run_cli(monkeypatch, "init", "--encrypt").rc == 2  # no terminal, no variable
    short = run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE="short")
    assert short.rc == 2 and "at least 8" in short.err
    answers: list[str] = []
    prompts: list[str] = []
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    monkeypatch.setattr(cli, "_ask", lambda prompt: prompts.append(prompt) or answers.pop(0))
    answers[:] = [PASS, PASS + "x"]
    differ = run_cli(monkeypatch, "init", "--encrypt")
    assert differ.rc == 2 and "differ" in differ.err
    assert hashes(root, skip_audit=False) == before and not is_encrypted(root)
    answers[:], prompts[:] = [PASS, PASS], []
    assert run_cli(monkeypatch, "init", "--encrypt").rc == 0
    assert prompts == ["Passphrase: ", "The passphrase again: "]
    answers[:] = [PASS]
    listed = run_cli(monkeypatch, "list")
    assert listed.rc == 0 and "Chris" in listed.out


def test_damage_stays_visible_not_lost(root, chris):
    """A damaged plan file or audit line is sealed as it is: still reported, at the same place."""
    store = init_store(root)
    good, bad = store.import_plans([chris, chris])
    store.save(bad, store.load(bad).plan)  # a last good copy
    for _ in range(3):
        audit.record(store, "open", good)
    bad_path = store._plan_path(bad)
    damaged = bad_path.read_bytes()[:50]
    bad_path.write_bytes(damaged)
    log = root / audit.LOG_NAME
    lines = log.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"open"', b'"edit"')
    log.write_bytes(b"".join(lines))
    plain = audit.verify(store)
    assert plain.line == 2 and "altered" in plain.problem

    rekey.encrypt_store(store, PASS)
    sealed = open_store(root, passphrase=PASS)
    with pytest.raises(StoreCorrupt, match="not valid JSON") as caught:
        sealed.load(bad)
    assert str(bad_path) in str(caught.value) and "last good copy" in str(caught.value)
    assert bad_path.read_bytes().startswith(crypto.MAGIC)  # sealed, byte for byte
    assert sealed.codec.decode(bad_path.read_bytes(), bad_path) == damaged
    assert sealed.load(good).plan == chris
    result = audit.verify(sealed)
    assert (result.line, result.problem) == (plain.line, plain.problem)


# --------------------------------------------------------------------------- sessions


def test_a_session_opened_before_writes_nothing_plain(root, canary, canary_plan, chris):
    (canary_id, _), _, first = _plain_sample(root, canary, canary_plan, chris)
    stale = open_store(root)
    stored = stale.load(canary_id)
    # The session that wrote before (so it swept plans/ already) encrypts: the temp file a
    # killed writer left since is removed all the same.
    rekey.encrypt_store(first, PASS)
    assert first.encrypted and first.load(canary_id).plan == stored.plan
    _assert_nothing_plain(root, canary)

    with pytest.raises(EncryptedElsewhere, match="encrypted by another session"):
        stale.save(canary_id, stored.plan)
    with pytest.raises(EncryptedElsewhere):
        stale.load(canary_id)
    with pytest.raises(AccessRefused):
        stale.list_plans()
    assert "encrypted by another session" in audit.record(stale, "open", canary_id)
    # A list that scanned the plain files before the encryption must not write its index after.
    entries = {canary_id: {"plan_id": canary_id, "stamp": [0, 0, 0], "summary": {"client": canary}}}
    stale._write_index(root / "index.json", entries)
    _assert_nothing_plain(root, canary)
    assert audit.verify(open_store(root, passphrase=PASS)).ok


# --------------------------------------------------------------------------- kills


class Killed(BaseException):
    """Stands for SIGKILL: no `except Exception` catches it."""


def _steps(monkeypatch, root: Path) -> int:
    """How many steps (file writes and renames) encrypting ``root`` takes."""
    count = {"n": 0}

    def counting(real):
        def step(*a, **k):
            count["n"] += 1
            return real(*a, **k)

        return step

    with monkeypatch.context() as m:
        m.setattr(rekey, "_write_new", counting(rekey._write_new))
        m.setattr(os, "replace", counting(os.replace))
        rekey.encrypt_store(open_store(root), PASS)
    return count["n"]


def _kill_at(kill_at: int):
    count = {"n": 0}

    def wrap(real):
        def step(*a, **k):
            count["n"] += 1
            if count["n"] == kill_at:
                raise Killed()
            return real(*a, **k)

        return step

    return wrap


@pytest.mark.slow
def test_encryption_killed_at_any_step(monkeypatch, tmp_path, canary, canary_plan, chris):
    base = tmp_path / "base"
    ids, before, _ = _plain_sample(base, canary, canary_plan, chris)
    files_before = _plan_files(base)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    steps = _steps(monkeypatch, probe)
    assert steps >= 2 * len(files_before) + 3  # write + rename per file, the log, journal, meta
    outcomes = []
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        step = _kill_at(kill_at)
        with monkeypatch.context() as m:
            m.setattr(rekey, "_write_new", step(rekey._write_new))
            m.setattr(os, "replace", step(os.replace))
            m.setattr(rekey, "_drop_rekey_files", lambda root: None)  # a kill cleans nothing
            with pytest.raises(Killed):
                rekey.encrypt_store(open_store(root), PASS)

        try:
            store = open_store(root)  # finishes a committed encryption, passphrase or not
        except AccessRefused as exc:
            assert str(exc) == NEEDS_PASSPHRASE, f"killed at step {kill_at}"
            store = open_store(root, passphrase=PASS)
            assert _plan_files(root, store.codec) == files_before, f"killed at step {kill_at}"
            outcomes.append("encrypted")
        else:
            assert not store.encrypted
            assert _plan_files(root) == files_before, (
                f"killed at step {kill_at}: plain files changed"
            )
            outcomes.append("plain")
        after = _snapshot(store)
        assert after["plans"] == before["plans"], f"killed at step {kill_at}"
        assert after["audit"] == before["audit"] and after["verified"] == before["verified"]
        rows, problems = store.list_plans()
        assert sorted(r.plan_id for r in rows) == sorted(ids) and problems == []
        assert audit.record(store, "open") is None  # a write: clears what the kill left
        assert not list(root.rglob("*.rekey")) and not (root / rekey.REKEY_JOURNAL).exists()
        if not store.encrypted:  # encrypting again, to the end, works
            rekey.encrypt_store(store, PASS)
        store.list_plans()
        _assert_nothing_plain(root, canary)
        final = open_store(root, passphrase=PASS)
        assert _snapshot(final)["plans"] == before["plans"] and audit.verify(final).ok
    # Plain until the journal is down (the commit point), encrypted from then on.
    assert outcomes[0] == "plain" and outcomes[-1] == "encrypted"
    assert outcomes == sorted(outcomes, key=lambda o: o == "encrypted")


# --------------------------------------------------------------------------- the app, meanwhile


async def test_the_caseload_of_a_store_encrypted_elsewhere(tmp_path, canary, canary_plan, chris):
    from tests.tui_helpers import Notes, settled
    from tplan_tui.tui.app import make_app
    from tplan_tui.tui.screens.caseload import CaseloadScreen

    root = tmp_path / "db"
    store = init_store(root)
    store.import_plans([canary_plan, chris])
    app = make_app(store)
    notes = Notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen) and len(app.screen.rows) == 2
        rekey.encrypt_store(open_store(root), PASS)
        app.screen.reload()  # as on coming back from a plan
        await settled(pilot)
        assert len(notes) == 1 and "encrypted by another session" in notes.messages[0]
        assert app.is_running and len(app.screen.rows) == 2  # what was shown stays, no crash
    _assert_nothing_plain(root, canary)


async def test_the_caseload_after_a_passphrase_change_elsewhere(tmp_path, chris):
    from tests.tui_helpers import Keyboard, settled, wait_until
    from tplan_tui.tui.app import make_app
    from tplan_tui.tui.screens.lock import LockScreen

    root = tmp_path / "db"
    store = init_store(root, passphrase=PASS)
    store.import_plans([chris])
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        rekey.change_passphrase(open_store(root, passphrase=PASS), NEW_PASS)
        caseload = app.screen
        caseload.reload()
        await settled(pilot)
        assert app.locked and isinstance(app.screen, LockScreen)
        caseload.rows = []  # so that the list shown after unlocking is one read again
        kb = Keyboard(pilot)
        await kb.type(NEW_PASS)
        await kb.press("enter")
        await wait_until(pilot, lambda: not app.locked, "the new passphrase to unlock")
        await settled(pilot)
        assert not app.locked and app.screen is caseload
        assert [r.client for r in caseload.rows] == ["Chris"]
