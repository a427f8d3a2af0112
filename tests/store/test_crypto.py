"""Encryption at rest: what is on disk, wrong passphrases, tampering, passphrase change (with
kills at every step), the scrypt parameters, and the CLI's prompts."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
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
    IntegrityError,
    PassphraseChanged,
    StoreCorrupt,
    StoreError,
    audit,
    crypto,
    init_store,
    is_encrypted,
    open_store,
    rekey,
)

DEFAULT_N = crypto.SCRYPT_N  # read before the fixture below lowers it


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


@pytest.fixture
def root(private_dirs) -> Path:
    return private_dirs / "store"


def _new_store(root: Path, plans, passphrase: str = PASS):
    store = init_store(root, passphrase=passphrase)
    return store, store.import_plans(plans)


# --------------------------------------------------------------------------- the codec


def test_each_write_has_a_fresh_nonce_and_a_header(tmp_path):
    _, codec = crypto.new_key(PASS, tmp_path)
    path = tmp_path / "plans" / "abc.json"
    a, b = codec.encode(b"same text", path), codec.encode(b"same text", path)
    assert a != b
    assert a[:4] == crypto.MAGIC and a[4] == crypto.FORMAT_VERSION
    assert a[5:13] == codec.key_id
    assert a[13:25] != b[13:25]  # the nonces
    assert codec.decode(a, path) == codec.decode(b, path) == b"same text"
    nonces = {codec.encode(b"x", path)[13:25] for _ in range(2000)}
    assert len(nonces) == 2000


def test_a_file_cannot_pass_for_another(root, chris):
    store, (first, second) = _new_store(root, [chris, chris])
    one, two = store._plan_path(first), store._plan_path(second)
    shutil.copyfile(one, two)  # a copy of plan 1 put in place of plan 2
    with pytest.raises(IntegrityError) as caught:
        store.load(second)
    assert str(two) in str(caught.value)
    # The last good copy (.bak) of a plan opens as that plan: same role.
    stored = store.load(first)
    store.save(first, stored.plan)
    assert store.codec.decode(
        store._plan_path(first).with_suffix(".json.bak").read_bytes(),
        store._plan_path(first).with_suffix(".json.bak"),
    )


# --------------------------------------------------------------------------- nothing readable on disk


def test_canary_never_reaches_the_disk_tmp_or_stderr(monkeypatch, tmp_path, root, chris_path):
    canary = make_canary()
    source = canary_plan_file(tmp_path / "mine", canary, chris_path)
    tmpdir = Path(tempfile.gettempdir())
    before = set(os.listdir(tmpdir))
    env = {"TPLAN_PASSPHRASE": PASS}

    assert run_cli(monkeypatch, "init", "--encrypt", **env).rc == 0
    imported = run_cli(monkeypatch, "import", str(source), str(source), **env)
    assert imported.rc == 0 and canary in imported.out  # the user's own terminal: fine
    plan_id = imported.out.split("\t")[0]
    assert run_cli(monkeypatch, "list", **env).rc == 0  # writes the index
    store = open_store(root, passphrase=PASS)
    for n in range(3):  # edits: new text, new revisions, a .bak each time
        stored = store.load(plan_id)
        stored.plan.strengths[0].text = f"{canary} edit {n} keeps a garden"
        store.save(plan_id, stored.plan, base_revision=stored.revision)
    store.update_meta(plan_id, step="goals")
    exported = tmp_path / "out" / "plan.yaml"
    assert run_cli(monkeypatch, "export", plan_id, "-o", str(exported), **env).rc == 0
    assert canary.encode() in exported.read_bytes()  # outside the store, plain: the user's choice

    failing = [
        run_cli(monkeypatch, "list", TPLAN_PASSPHRASE="not the passphrase"),
        run_cli(monkeypatch, "export", plan_id, TPLAN_PASSPHRASE=None),
        run_cli(monkeypatch, "export", "ffffffff", **env),
    ]
    plan_file = store._plan_path(plan_id)
    data = bytearray(plan_file.read_bytes())
    data[100] ^= 0x01
    plan_file.write_bytes(bytes(data))
    failing += [run_cli(monkeypatch, "export", plan_id, **env), run_cli(monkeypatch, "list", **env)]
    assert [r.rc for r in failing] == [3, 3, 2, 1, 1]
    for result in failing:
        assert canary not in result.err
    assert canary not in "".join(r.out for r in failing[:-1])  # the list shows the intact plan

    for needle in (canary, "household rules", "Dana Reyes", "Single father", "garden"):
        assert holding(root, needle.encode()) == [], needle
    plans_files = {p.name for p in files_under(root / "plans")}
    assert f"{plan_id}.json.bak" in plans_files
    for name in ("index.json", "audit.log"):
        assert (root / name).read_bytes()[:1] != b"{"

    new = set(os.listdir(tmpdir)) - before
    new_paths = [tmpdir / n for n in new if not n.startswith("pytest-of-")]
    for path in new_paths:
        found = (
            holding(path, canary.encode())
            if path.is_dir()
            else ([str(path)] if path.is_file() and canary.encode() in path.read_bytes() else [])
        )
        assert found == [], f"a temp file holds client data: {found}"


def test_passphrase_change_leaves_no_readable_text(monkeypatch, tmp_path, root, chris_path):
    canary = make_canary()
    source = canary_plan_file(tmp_path / "mine", canary, chris_path)
    store, [plan_id] = _new_store(root, [planfile.load_plan_file(source)])
    stored = store.load(plan_id)
    store.save(plan_id, stored.plan)
    store.list_plans()
    rekey.change_passphrase(store, NEW_PASS)
    store.list_plans()
    assert holding(root, canary.encode()) == []
    assert not list(root.rglob("*.rekey")) and not (root / rekey.REKEY_JOURNAL).exists()


# --------------------------------------------------------------------------- refusing


def test_wrong_passphrase_exit_3_and_nothing_changed(monkeypatch, root, chris_path):
    env = {"TPLAN_PASSPHRASE": PASS}
    run_cli(monkeypatch, "init", "--encrypt", **env)
    plan_id = run_cli(monkeypatch, "import", str(chris_path), **env).out.split("\t")[0]
    run_cli(monkeypatch, "list", **env)
    before = hashes(root)
    wrong = {"TPLAN_PASSPHRASE": "Correct horse battery"}
    commands = [
        ("list",),
        ("list", "--json"),
        ("export", plan_id),
        ("import", str(chris_path)),
        ("audit",),
        ("passphrase",),
    ]
    for argv in commands:
        result = run_cli(monkeypatch, *argv, **wrong, TPLAN_NEW_PASSPHRASE=NEW_PASS)
        assert (result.rc, result.err) == (3, "tplan: wrong passphrase\n"), argv
    assert hashes(root) == before
    refused = [json.loads(line) for line in (root / audit.REFUSED_NAME).read_text().splitlines()]
    assert [e["action"] for e in refused] == ["failed unlock"] * len(commands)
    assert all(e["plan_id"] is None for e in refused)
    verified = run_cli(monkeypatch, "audit", "--verify", **env)
    assert verified.rc == 0 and verified.out == f"audit log verifies: {2 + len(commands)} entries\n"


def test_no_passphrase_for_an_encrypted_store(monkeypatch, root, chris):
    init_store(root, passphrase=PASS)
    monkeypatch.setattr(cli, "_ask", lambda prompt: pytest.fail("asked without a terminal"))
    result = run_cli(monkeypatch, "list")
    assert (result.rc, result.err) == (3, f"tplan: {NEEDS_PASSPHRASE}\n")
    with pytest.raises(AccessRefused, match="this store is encrypted: give the passphrase"):
        open_store(root)
    assert not (root / audit.REFUSED_NAME).exists()  # no attempt, nothing to record
    assert is_encrypted(root) and not is_encrypted(root.parent / "elsewhere")


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (0, "not an encrypted tplan file"),
        (4, "newer tplan"),
        (7, "a key this store does not use"),
        (16, "integrity check"),  # nonce
        (60, "integrity check"),  # ciphertext
        (-1, "integrity check"),  # tag
    ],
)
def test_a_flipped_byte_is_an_integrity_error_naming_the_file(
    monkeypatch, root, chris, offset, reason
):
    store, [plan_id] = _new_store(root, [chris])
    path = store._plan_path(plan_id)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt, match=reason):
        open_store(root, passphrase=PASS).load(plan_id)
    result = run_cli(monkeypatch, "export", plan_id, TPLAN_PASSPHRASE=PASS)
    assert result.rc == 1 and result.out == ""
    assert str(path) in result.err and reason in result.err and "Chris" not in result.err


def test_a_damaged_index_is_rebuilt_not_read(root, chris):
    store, [plan_id] = _new_store(root, [chris])
    store.list_plans()
    index = root / "index.json"
    data = bytearray(index.read_bytes())
    data[-5] ^= 1
    index.write_bytes(bytes(data))
    rows, problems = open_store(root, passphrase=PASS).list_plans()
    assert [r.plan_id for r in rows] == [plan_id] and problems == []


def test_a_damaged_meta_file_is_not_a_wrong_passphrase(root):
    init_store(root, passphrase=PASS)
    meta_path = root / "tplan-store.json"
    meta = json.loads(meta_path.read_text())
    meta["encryption"]["n"] = 2**40  # would ask for petabytes
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(StoreCorrupt, match="out of range"):
        open_store(root, passphrase=PASS)
    meta["encryption"].update(n=FAST_N, cipher="ROT13")
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(StoreError, match="cipher this tplan does not know"):
        open_store(root, passphrase=PASS)


# --------------------------------------------------------------------------- keys and cost


def test_the_real_default_parameters(root, chris, monkeypatch):
    assert (DEFAULT_N, crypto.SCRYPT_R, crypto.SCRYPT_P) == (2**17, 8, 1)
    monkeypatch.setattr(crypto, "SCRYPT_N", DEFAULT_N)
    store, [plan_id] = _new_store(root, [chris])
    block = json.loads((root / "tplan-store.json").read_text())["encryption"]
    assert (block["n"], block["r"], block["p"], block["cipher"], block["kdf"]) == (
        2**17,
        8,
        1,
        "AES-256-GCM",
        "scrypt",
    )
    assert len(base64.b64decode(block["salt"])) == 16
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)  # the knob changes new keys, not this store
    assert open_store(root, passphrase=PASS).load(plan_id).plan.client.name == "Chris"


def test_a_store_keeps_its_own_parameters(root, chris, monkeypatch):
    store, [plan_id] = _new_store(root, [chris])
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(crypto, "derive_key", lambda *a: calls.append(a[2:]) or real(*a))
    reopened = open_store(root, passphrase=PASS)
    assert calls == [(FAST_N, 8, 1)]
    for _ in range(5):  # the key is derived once per open, not per save
        stored = reopened.load(plan_id)
        reopened.save(plan_id, stored.plan, base_revision=stored.revision)
    reopened.list_plans()
    assert len(calls) == 1


def test_a_save_reseals_only_its_own_file(root, chris):
    store, ids = _new_store(root, [chris] * 4)
    store.list_plans()
    before = hashes(root)
    stored = store.load(ids[0])
    store.save(ids[0], stored.plan)
    after = hashes(root)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {f"plans/{ids[0]}.json", f"plans/{ids[0]}.json.bak"}


# --------------------------------------------------------------------------- passphrase change


def test_tplan_passphrase(monkeypatch, root, chris_path):
    run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE=PASS)
    plan_id = run_cli(monkeypatch, "import", str(chris_path), TPLAN_PASSPHRASE=PASS).out[:8]
    result = run_cli(
        monkeypatch, "passphrase", TPLAN_PASSPHRASE=PASS, TPLAN_NEW_PASSPHRASE=NEW_PASS
    )
    assert result.rc == 0 and "Passphrase changed" in result.out
    assert run_cli(monkeypatch, "export", plan_id, TPLAN_PASSPHRASE=PASS).rc == 3
    assert "Chris" in run_cli(monkeypatch, "export", plan_id, TPLAN_PASSPHRASE=NEW_PASS).out
    short = run_cli(
        monkeypatch, "passphrase", TPLAN_PASSPHRASE=NEW_PASS, TPLAN_NEW_PASSPHRASE="short"
    )
    assert short.rc == 2 and "at least 8 characters" in short.err
    actions = [e.action for e in audit.read(open_store(root, passphrase=NEW_PASS))]
    # The refused attempt is in audit-refused.log; read() merges both logs in time order.
    assert actions == ["init", "import", "passphrase change", "failed unlock", "export"]


def test_passphrase_of_a_plain_store(monkeypatch, root):
    run_cli(monkeypatch, "init")
    result = run_cli(
        monkeypatch, "passphrase", TPLAN_PASSPHRASE=PASS, TPLAN_NEW_PASSPHRASE=NEW_PASS
    )
    assert result.rc == 2 and "not encrypted" in result.err


class Killed(BaseException):
    """Stands for SIGKILL: no `except Exception` catches it."""


def _sample_store(root: Path, chris) -> dict[str, object]:
    store, ids = _new_store(root, [chris, chris])
    stored = store.load(ids[0])
    stored.plan.strengths[0].text = "Edited once"
    store.save(ids[0], stored.plan)
    store.list_plans()
    for plan_id in ids:
        audit.record(store, "open", plan_id)
    return {plan_id: planfile.plan_to_data(store.load(plan_id).plan) for plan_id in ids}


def _points(monkeypatch, root: Path) -> int:
    """How many steps (file writes and renames) a passphrase change takes on ``root``."""
    count = {"n": 0}
    real_write, real_replace = rekey._write_new, os.replace

    def counting_write(*a):
        count["n"] += 1
        return real_write(*a)

    def counting_replace(*a, **k):
        count["n"] += 1
        return real_replace(*a, **k)

    with monkeypatch.context() as m:
        m.setattr(rekey, "_write_new", counting_write)
        m.setattr(os, "replace", counting_replace)
        rekey.change_passphrase(open_store(root, passphrase=PASS), NEW_PASS)
    return count["n"]


def _kill_at_step(kill_at: int):
    """Wraps functions so that the ``kill_at``-th call among all of them raises Killed."""
    count = {"n": 0}

    def wrap(real):
        def step(*a, **k):
            count["n"] += 1
            if count["n"] == kill_at:
                raise Killed()
            return real(*a, **k)

        return step

    return wrap


def test_a_passphrase_change_killed_at_any_step(monkeypatch, tmp_path, chris):
    base = tmp_path / "base"
    plans = _sample_store(base, chris)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    steps = _points(monkeypatch, probe)
    assert steps >= 8  # 3 plan files + 1 .bak + the log; journal, renames, meta
    outcomes = []
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        step = _kill_at_step(kill_at)
        with monkeypatch.context() as m:
            m.setattr(rekey, "_write_new", step(rekey._write_new))
            m.setattr(os, "replace", step(os.replace))
            m.setattr(rekey, "_drop_rekey_files", lambda root: None)  # a kill cleans nothing
            with pytest.raises(Killed):
                rekey.change_passphrase(open_store(root, passphrase=PASS), NEW_PASS)

        opened = []
        for passphrase in (PASS, NEW_PASS):
            try:
                opened.append((passphrase, open_store(root, passphrase=passphrase)))
            except AccessRefused:
                pass
        assert len(opened) == 1, f"killed at step {kill_at}: opens with {len(opened)} passphrases"
        passphrase, store = opened[0]
        outcomes.append(passphrase)
        assert {p: planfile.plan_to_data(store.load(p).plan) for p in plans} == plans
        rows, problems = store.list_plans()
        assert len(rows) == 2 and problems == []
        assert audit.record(store, "open") is None  # a write: clears what the kill left
        assert audit.verify(store).ok
        assert [e.action for e in audit.read(store)].count("open") == 3
        assert not list(root.rglob("*.rekey")) and not (root / rekey.REKEY_JOURNAL).exists()
        # The store goes on working: the passphrase can be changed again.
        rekey.change_passphrase(store, "third passphrase!")
        assert open_store(root, passphrase="third passphrase!").load(next(iter(plans)))
    # Old passphrase until the journal is down (the commit point), the new one from then on.
    assert outcomes[0] == PASS and outcomes[-1] == NEW_PASS
    assert outcomes == sorted(outcomes, key=lambda p: p == NEW_PASS)


def test_another_session_changing_the_passphrase(root, chris):
    first, [plan_id] = _new_store(root, [chris])
    second = open_store(root, passphrase=PASS)
    rekey.change_passphrase(second, NEW_PASS)
    stored = second.load(plan_id)
    with pytest.raises(PassphraseChanged):
        first.save(plan_id, stored.plan)  # never written under the old key
    with pytest.raises(PassphraseChanged):
        first.load(plan_id)
    with pytest.raises(AccessRefused, match="wrong passphrase"):
        first.unlock(PASS)
    first.unlock(NEW_PASS)
    first.save(plan_id, stored.plan)
    with pytest.raises(AccessRefused, match="wrong passphrase"):
        first.unlock("nope nope nope")
    entries = audit.read(first)
    assert [e.action for e in entries if e.log == audit.LOG_NAME][-1] == "failed unlock"
    assert [e.action for e in entries if e.log == audit.REFUSED_NAME] == ["failed unlock"]
    assert audit.verify(first).ok


# --------------------------------------------------------------------------- init and prompts


def test_init(monkeypatch, root):
    result = run_cli(monkeypatch, "init")
    assert (
        result.rc == 0 and json.loads((root / "tplan-store.json").read_text())["encryption"] is None
    )
    again = run_cli(monkeypatch, "init")
    assert again.rc == 2 and "already a tplan store" in again.err and "not encrypted" in again.err
    assert not is_encrypted(root)
    # --encrypt on a plain store encrypts it in place (tests/test_encrypt_existing.py).
    assert run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE=PASS).rc == 0
    assert is_encrypted(root)


def test_init_encrypt_needs_a_good_passphrase(monkeypatch, root):
    assert run_cli(monkeypatch, "init", "--encrypt").rc == 2  # no terminal, no variable
    short = run_cli(monkeypatch, "init", "--encrypt", TPLAN_PASSPHRASE="short")
    assert short.rc == 2 and "at least 8" in short.err
    assert not root.exists()


def test_prompts_on_a_terminal(monkeypatch, root, chris_path):
    answers: list[str] = []
    prompts: list[str] = []
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    monkeypatch.setattr(cli, "_ask", lambda prompt: prompts.append(prompt) or answers.pop(0))
    answers[:] = [PASS, PASS + "x"]
    result = run_cli(monkeypatch, "init", "--encrypt")
    assert result.rc == 2 and "differ" in result.err and not root.exists()
    answers[:] = [PASS, PASS]
    assert run_cli(monkeypatch, "init", "--encrypt").rc == 0
    answers[:] = [PASS]
    assert run_cli(monkeypatch, "import", str(chris_path)).rc == 0
    answers[:] = [PASS, NEW_PASS, NEW_PASS]
    prompts.clear()
    assert run_cli(monkeypatch, "passphrase").rc == 0
    assert prompts == ["Current passphrase: ", "New passphrase: ", "The new passphrase again: "]
    answers[:] = []
    assert run_cli(monkeypatch, "list", TPLAN_PASSPHRASE=NEW_PASS).rc == 0  # the variable wins
    assert answers == []


@pytest.mark.slow
def test_the_installed_command(tmp_path, root, chris):
    """The real entry point in a child process with no terminal: refused, then let in."""
    _new_store(root, [chris])
    env = {k: v for k, v in os.environ.items() if k != "TPLAN_PASSPHRASE"}
    argv = [sys.executable, "-m", "tplan_tui", "list", "--json"]
    refused = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert (refused.returncode, refused.stderr) == (3, f"tplan: {NEEDS_PASSPHRASE}\n")
    env["TPLAN_PASSPHRASE"] = PASS
    ok = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["plans"][0]["client"] == "Chris"
