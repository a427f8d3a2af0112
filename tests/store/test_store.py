"""The store: atomic saves, damaged files, concurrent writers, permissions, schema, the index cache,
journaled imports and the folder checks of ``open_store``.

Every name here is invented. Processes that must die at a precise point are real child processes
killed with SIGKILL: nothing in them gets to clean up, exactly as after a crash.
"""

from __future__ import annotations

import concurrent.futures
import copy
import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.samples import CHRIS_YAML
from tests.strategies import plans
from tplan_tui import planfile
from tplan_tui.core.model import Plan
from tplan_tui.store import (
    INDEX_NAME,
    JOURNAL_NAME,
    META_NAME,
    SCHEMA_VERSION,
    ConflictError,
    PlanNotFound,
    StoreCorrupt,
    StoreError,
    open_store,
)
from tplan_tui.store import storage as storage_module

ROOT = Path(__file__).resolve().parents[2]


def named(name: str) -> Plan:
    """The sample plan for another (invented) client."""
    plan = planfile.load_plan_file(CHRIS_YAML)
    plan.client.name = name
    return plan


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "store")


def plan_files(store) -> list[str]:
    """Every name in plans/, sorted: what a crash left behind is visible here."""
    return sorted(os.listdir(store.plans_dir))


def listed(store) -> list[str]:
    rows, problems = store.list_plans()
    assert problems == []
    return sorted(r.client for r in rows)


def run_child(script: str, *, expect_kill: bool = False) -> subprocess.CompletedProcess:
    """Run a Python script in a child process (the project importable)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    if expect_kill:
        assert done.returncode == -signal.SIGKILL, (done.returncode, done.stderr)
    else:
        assert done.returncode == 0, done.stderr
    return done


# --------------------------------------------------------------------------- basics


def test_create_load_save(store, chris):
    stored = store.create(chris, meta={"step": 2})
    assert stored.revision == 1
    again = store.load(stored.plan_id)
    assert again.plan == chris
    assert again.meta == {"step": 2}
    chris.goals[0].achievement = "achieved"
    saved = store.save(stored.plan_id, chris, meta={"seen": True})
    assert saved.revision == 2
    again = store.load(stored.plan_id)
    assert again.plan.goals[0].achievement == "achieved"
    assert again.revision == 2
    assert again.meta == {"step": 2, "seen": True}


def test_update_meta_keeps_the_revision(store, chris):
    stored = store.create(chris)
    store.update_meta(stored.plan_id, step=5)
    again = store.load(stored.plan_id)
    assert (again.revision, again.meta, again.plan) == (1, {"step": 5}, chris)


def test_a_draft_can_be_stored(store):
    draft = planfile.plan_from_data({"tplan": 1, "client": {"name": "Robin"}}, complete=False)
    stored = store.create(draft)
    assert store.load(stored.plan_id).plan == draft
    assert listed(store) == ["Robin"]


@pytest.mark.parametrize("plan_id", ["nope1234", "", "../../etc/passwd", "a" * 33, "ab.cd", "ünï"])
def test_unknown_plan_ids(store, chris, plan_id):
    store.create(chris)
    with pytest.raises(PlanNotFound):
        store.load(plan_id)
    with pytest.raises(PlanNotFound):
        store.save(plan_id, chris)


def test_delete(store, chris):
    a = store.create(chris)
    store.save(a.plan_id, chris)
    b = store.create(named("Sam"))
    store.delete(a.plan_id)
    assert plan_files(store) == [f"{b.plan_id}.json"]  # the last good copy goes too
    assert listed(store) == ["Sam"]
    with pytest.raises(PlanNotFound):
        store.delete(a.plan_id)


def test_a_new_plan_is_one_write(store, chris, monkeypatch):
    # A create killed between two writes must not leave a plan file with no plan in it.
    writes = []
    real = storage_module.atomic_write
    monkeypatch.setattr(
        storage_module,
        "atomic_write",
        lambda path, *a, **k: (writes.append(path.name), real(path, *a, **k)),
    )
    stored = store.create(chris)
    assert writes == [f"{stored.plan_id}.json"]
    writes.clear()
    store.save(stored.plan_id, chris)
    assert writes == [f"{stored.plan_id}.json"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(plans())
def test_any_plan_round_trips_through_the_store(tmp_path_factory, plan):
    store = open_store(tmp_path_factory.mktemp("store"))
    stored = store.create(plan)
    assert store.load(stored.plan_id).plan == plan
    store.save(stored.plan_id, plan)
    assert store.load(stored.plan_id).plan == plan


# --------------------------------------------------------------------------- atomic save


def test_a_failed_replace_leaves_the_old_plan(store, chris, monkeypatch):
    stored = store.create(chris)
    before = (store.plans_dir / f"{stored.plan_id}.json").read_bytes()
    real_replace = os.replace

    def fail_on_the_plan(src, dst):
        if Path(dst).name == f"{stored.plan_id}.json":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_the_plan)
    changed = copy.deepcopy(chris)
    changed.client.name = "Christopher"
    with pytest.raises(OSError, match="No space left"):
        store.save(stored.plan_id, changed)
    monkeypatch.undo()
    assert (store.plans_dir / f"{stored.plan_id}.json").read_bytes() == before
    assert store.load(stored.plan_id).plan == chris
    assert store.load(stored.plan_id).revision == 1
    assert [n for n in plan_files(store) if n.endswith(".tmp")] == []  # cleaned up
    assert listed(store) == ["Chris"]
    assert store.save(stored.plan_id, changed).revision == 2


def test_a_kill_between_write_and_replace_leaves_the_old_plan(store, chris):
    stored = store.create(chris)
    store.save(stored.plan_id, chris)
    path = store.plans_dir / f"{stored.plan_id}.json"
    before = path.read_bytes()
    run_child(
        f"""
        import os, signal
        from pathlib import Path
        from tplan_tui import planfile
        from tplan_tui.store import open_store
        real = os.replace
        def die(src, dst):
            if Path(dst).name == "{path.name}":  # the temp file is written and synced: die now
                os.kill(os.getpid(), signal.SIGKILL)
            real(src, dst)
        os.replace = die
        store = open_store({str(store.root)!r})
        stored = store.load("{stored.plan_id}")
        stored.plan.client.name = "Christopher"
        store.save(stored.plan_id, stored.plan)
        """,
        expect_kill=True,
    )
    assert path.read_bytes() == before
    leftovers = [n for n in plan_files(store) if n.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".{path.name}.")
    assert store.load(stored.plan_id).plan == chris
    assert store.load(stored.plan_id).revision == 2
    assert listed(store) == ["Chris"]  # the temp file is not counted as a plan
    changed = copy.deepcopy(chris)
    changed.client.name = "Christopher"
    assert store.save(stored.plan_id, changed).revision == 3
    store.list_plans()
    assert plan_files(store) == [path.name, f"{path.name}.bak"]  # the leftover was swept


# --------------------------------------------------------------------------- damaged files

DAMAGE = {
    "truncated JSON": lambda raw: raw[: len(raw) // 2],
    "empty file": lambda raw: b"",
    "garbage": lambda raw: os.urandom(300),
    "NUL bytes": lambda raw: b"\0" * len(raw),
    "a list": lambda raw: b"[1, 2, 3]",
    "no plan in it": lambda raw: b'{"plan": {}}',
    "not a plan": lambda raw: b'{"plan": {"1": {"revision": 1, "data": {"client": {"name": 5}}}}}',
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_plan_file_names_itself_and_its_last_good_copy(store, chris, damage):
    stored = store.create(chris)
    chris.clinician_notes = "second revision"
    store.save(stored.plan_id, chris)  # revision 1 is now the last good copy
    other = store.create(named("Sam"))
    path = store.plans_dir / f"{stored.plan_id}.json"
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)

    with pytest.raises(StoreCorrupt) as caught:
        store.load(stored.plan_id)
    message = str(caught.value)
    assert str(path) in message
    assert f"the last good copy is {path}.bak" in message
    assert "\n" not in message

    for attempt in (
        lambda: store.save(stored.plan_id, chris),
        lambda: store.save(stored.plan_id, chris, base_revision=2),
        lambda: store.update_meta(stored.plan_id, step=1),
    ):
        with pytest.raises(StoreCorrupt):
            attempt()
        assert path.read_bytes() == damaged  # never overwritten

    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [other.plan_id]
    assert len(problems) == 1 and str(path) in problems[0]

    # The last good copy is a readable store file holding revision 1.
    backup = json.loads((store.plans_dir / f"{path.name}.bak").read_text("utf-8"))
    assert backup["plan"]["1"]["revision"] == 1


def test_a_damaged_plan_without_an_earlier_copy(store, chris):
    stored = store.create(chris)
    path = store.plans_dir / f"{stored.plan_id}.json"
    path.write_bytes(b"{")
    with pytest.raises(StoreCorrupt, match="no earlier copy exists"):
        store.load(stored.plan_id)


def test_the_last_good_copy_is_the_previous_revision(store, chris):
    stored = store.create(chris)
    for n in range(2, 5):
        chris.clinician_notes = f"revision {n}"
        store.save(stored.plan_id, chris)
    path = store.plans_dir / f"{stored.plan_id}.json"
    backup = json.loads(Path(f"{path}.bak").read_text("utf-8"))["plan"]["1"]
    assert backup["revision"] == 3
    assert backup["data"]["clinician_notes"] == "revision 3"


# --------------------------------------------------------------------------- conflicts


def test_a_stale_base_revision_is_a_conflict(store, chris):
    stored = store.create(chris)
    mine = store.load(stored.plan_id)
    theirs = open_store(store.root).load(stored.plan_id)  # another terminal
    theirs.plan.clinician_notes = "saved elsewhere"
    open_store(store.root).save(theirs.plan_id, theirs.plan, base_revision=theirs.revision)
    mine.plan.clinician_notes = "mine"
    with pytest.raises(ConflictError) as caught:
        store.save(mine.plan_id, mine.plan, base_revision=mine.revision)
    assert (caught.value.expected, caught.value.found) == (1, 2)
    assert "changed elsewhere" in str(caught.value)
    assert store.load(stored.plan_id).plan.clinician_notes == "saved elsewhere"
    assert store.save(mine.plan_id, mine.plan, base_revision=2).revision == 3


# --------------------------------------------------------------------------- many writers


def _writer(root: str, shared_id: str, own_id: str, tag: str, saves: int, start: float) -> dict:
    """One of two processes hammering the same store: returns what it believes it stored."""
    store = open_store(root)
    revisions, imported = [], []
    while time.time() < start:  # both processes begin together
        time.sleep(0.001)
    for i in range(saves):
        shared = store.load(shared_id)
        shared.plan.clinician_notes = f"{tag} {i}"
        revisions.append(store.save(shared_id, shared.plan).revision)
        own = store.load(own_id)
        own.plan.goals[0].text = f"{tag} goal {i}"
        store.save(own_id, own.plan, base_revision=own.revision)
        if i % 10 == 0:
            imported += store.import_plans([named(f"{tag} import {i} #{k}") for k in range(2)])
        if i % 7 == 0:
            store.list_plans()
    return {"revisions": revisions, "imported": imported}


def _importer(base: str, tag: str, rounds: int, start: float) -> list[list[str]]:
    """Open fresh stores at the same moment as the other process and import into them."""
    out = []
    for r in range(rounds):
        while time.time() < start + r * 0.25:
            time.sleep(0.001)
        store = open_store(Path(base) / f"store{r}")
        out.append(store.import_plans([named(f"{tag} {r} #{k}") for k in range(3)]))
    return out


def _pool():
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=2, mp_context=multiprocessing.get_context("spawn")
    )


@pytest.mark.slow  # two processes saving many times
def test_two_processes_saving_at_once_lose_nothing(store, chris):
    shared = store.create(named("Shared"))
    own = [store.create(named("Own A")), store.create(named("Own B"))]
    saves = 50
    start = time.time() + 1.5  # time for both children to start
    with _pool() as pool:
        jobs = [
            pool.submit(_writer, str(store.root), shared.plan_id, own[i].plan_id, tag, saves, start)
            for i, tag in enumerate("AB")
        ]
        results = [job.result(timeout=120) for job in jobs]

    # Every save of the shared plan got its own revision: none was lost or overwritten.
    revisions = sorted(results[0]["revisions"] + results[1]["revisions"])
    assert revisions == list(range(2, 2 + 2 * saves))
    final = store.load(shared.plan_id)
    assert final.revision == 1 + 2 * saves
    assert final.plan.clinician_notes in {f"A {saves - 1}", f"B {saves - 1}"}
    for i, tag in enumerate("AB"):
        mine = store.load(own[i].plan_id)
        assert mine.revision == 1 + saves
        assert mine.plan.goals[0].text == f"{tag} goal {saves - 1}"

    imported = results[0]["imported"] + results[1]["imported"]
    assert len(imported) == 2 * 2 * 5
    rows, problems = store.list_plans()
    assert problems == []
    assert sorted(r.plan_id for r in rows) == sorted(
        [shared.plan_id, own[0].plan_id, own[1].plan_id, *imported]
    )
    assert not any(n.endswith((".tmp", ".tmp.bak")) for n in plan_files(store))
    assert not (store.root / JOURNAL_NAME).exists()
    for row in rows:
        store.load(row.plan_id)


@pytest.mark.slow  # processes racing to create one store
def test_two_processes_creating_the_same_new_store_at_once(tmp_path):
    rounds = 5
    start = time.time() + 1.5
    with _pool() as pool:
        jobs = [pool.submit(_importer, str(tmp_path), tag, rounds, start) for tag in "AB"]
        results = [job.result(timeout=120) for job in jobs]
    for r in range(rounds):
        store = open_store(tmp_path / f"store{r}")
        assert sorted(row.plan_id for row in store.list_plans()[0]) == sorted(
            results[0][r] + results[1][r]
        )


# --------------------------------------------------------------------------- permissions


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_0700_and_files_0600_whatever_the_umask(tmp_path, chris):
    old = os.umask(0)
    try:
        store = open_store(tmp_path / "deep" / "er" / "store")
        stored = store.create(chris)
        store.save(stored.plan_id, chris)  # makes the .bak
        store.import_plans([named("Sam")])
        store.list_plans()  # makes the index
    finally:
        os.umask(old)
    for folder in (tmp_path / "deep", tmp_path / "deep" / "er", store.root, store.plans_dir):
        assert mode(folder) == 0o700, folder
    files = [p for p in store.root.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {META_NAME, INDEX_NAME, ".lock", f"{stored.plan_id}.json.bak"} <= names
    for path in files:
        assert mode(path) == 0o600, path


# --------------------------------------------------------------------------- schema


def test_the_schema_version_is_stored(store, chris):
    meta = json.loads((store.root / META_NAME).read_text("utf-8"))
    assert meta["schema"] == SCHEMA_VERSION == 1
    stored = store.create(chris)
    record = json.loads((store.plans_dir / f"{stored.plan_id}.json").read_text("utf-8"))
    assert record["plan"]["1"]["schema"] == SCHEMA_VERSION


def test_a_store_from_a_newer_tplan_is_refused(store):
    meta_path = store.root / META_NAME
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["schema"] = SCHEMA_VERSION + 1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(StoreError) as caught:
        open_store(store.root)
    assert str(caught.value) == (
        f"the store at {store.root} was made by a newer tplan (schema 2, this one reads 1); "
        "upgrade tplan"
    )


def test_a_plan_from_a_newer_tplan_is_refused(store, chris):
    stored = store.create(chris)
    path = store.plans_dir / f"{stored.plan_id}.json"
    record = json.loads(path.read_text("utf-8"))
    record["plan"]["1"]["schema"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(record))
    with pytest.raises(StoreError, match="written by a newer tplan"):
        store.load(stored.plan_id)
    with pytest.raises(StoreError, match="written by a newer tplan"):
        store.save(stored.plan_id, chris)
    assert json.loads(path.read_text("utf-8")) == record


@pytest.mark.parametrize("meta", [b"", b"{", b"[]", b'{"created": "x"}', b'{"schema": "1"}'])
def test_a_damaged_store_meta_file_is_refused(store, meta):
    (store.root / META_NAME).write_bytes(meta)
    with pytest.raises(StoreCorrupt) as caught:
        open_store(store.root)
    assert str(store.root / META_NAME) in str(caught.value)


# --------------------------------------------------------------------------- the index cache


def test_the_index_is_rebuilt_when_deleted(store, chris):
    for name in ("Ana", "Ben", "Cy"):
        store.create(named(name))
    assert listed(store) == ["Ana", "Ben", "Cy"]
    index = store.root / INDEX_NAME
    assert index.exists()
    index.unlink()
    assert listed(store) == ["Ana", "Ben", "Cy"]
    assert index.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"plans": []}',
        b'{"plans": {"1": "x"}}',
        b'{"plans": {"1": {}}}',
        b'{"plans": {"1": {"plan_id": "x", "stamp": 1, "summary": []}}}',
        b"\xff\xfe",
        b"null",
    ],
)
def test_a_damaged_index_is_rebuilt(store, content):
    for name in ("Ana", "Ben"):
        store.create(named(name))
    store.list_plans()
    (store.root / INDEX_NAME).write_bytes(content)
    assert listed(store) == ["Ana", "Ben"]
    assert listed(store) == ["Ana", "Ben"]
    json.loads((store.root / INDEX_NAME).read_text("utf-8"))  # rewritten whole


def test_an_index_entry_with_a_matching_stamp_but_a_broken_summary(store):
    stored = store.create(named("Ana"))
    store.list_plans()
    index = store.root / INDEX_NAME
    data = json.loads(index.read_text("utf-8"))
    del data["plans"]["1"]["summary"]["client"]
    index.write_text(json.dumps(data))
    assert listed(store) == ["Ana"]
    assert store.list_plans()[0][0].plan_id == stored.plan_id


def test_a_warm_list_reads_no_plan_file(store, monkeypatch):
    for name in ("Ana", "Ben"):
        store.create(named(name))
    store.list_plans()

    def no(*args, **kwargs):
        raise AssertionError("a warm list must come from the index")

    monkeypatch.setattr(type(store), "load", no)
    assert listed(store) == ["Ana", "Ben"]


def test_the_list_sees_changes_made_by_another_process(store):
    a = store.create(named("Ana"))
    b = store.create(named("Ben"))
    assert listed(store) == ["Ana", "Ben"]
    run_child(
        f"""
        from tplan_tui import planfile
        from tplan_tui.store import open_store
        store = open_store({str(store.root)!r})
        stored = store.load("{a.plan_id}")
        stored.plan.client.name = "Anabel"  # another length: the file changes size
        stored.plan.plan.status = "completed"
        store.save(stored.plan_id, stored.plan)
        stored = store.load("{b.plan_id}")
        stored.plan.client.name = "Bea"  # same length as before
        store.save(stored.plan_id, stored.plan)
        store.import_plans([planfile.load_plan_file({str(CHRIS_YAML)!r})])
        """
    )
    rows, problems = store.list_plans()
    assert problems == []
    assert sorted((r.client, r.status) for r in rows) == [
        ("Anabel", "completed"),
        ("Bea", "active"),
        ("Chris", "active"),
    ]
    run_child(
        f"""
        from tplan_tui.store import open_store
        open_store({str(store.root)!r}).delete("{b.plan_id}")
        """
    )
    assert listed(store) == ["Anabel", "Chris"]


def test_the_list_row(store, chris):
    stored = store.create(chris)
    (row,), _ = store.list_plans()
    assert row.plan_id == stored.plan_id
    assert (row.client, row.clinician, row.status) == ("Chris", "Dana Reyes", "active")
    assert row.started.isoformat() == "2016-07-01"
    assert row.next_review.isoformat() == "2016-07-31"
    (cached,), _ = store.list_plans()
    assert cached == row


# --------------------------------------------------------------------------- journaled import


def test_an_import_is_all_or_none_when_a_plan_fails(store, monkeypatch):
    first = store.create(named("Before"))
    real = type(store)._write_record
    calls = []

    def fail_on_the_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(store), "_write_record", fail_on_the_third)
    with pytest.raises(OSError):
        store.import_plans([named(f"Batch {k}") for k in range(4)])
    monkeypatch.undo()
    assert listed(store) == ["Before"]
    assert plan_files(store) == [f"{first.plan_id}.json"]  # rolled back at once
    assert not (store.root / JOURNAL_NAME).exists()


@pytest.mark.slow  # a SIGKILLed child process per case
@pytest.mark.parametrize("die_at", [1, 2, 3])
def test_an_import_killed_midway_is_rolled_back(store, die_at):
    first = store.create(named("Before"))
    run_child(
        f"""
        import os, signal
        from tplan_tui import planfile
        from tplan_tui.store import Store, open_store
        real = Store._write_record
        calls = []
        def write(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == {die_at}:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(self, *args, **kwargs)
        Store._write_record = write
        plan = planfile.load_plan_file({str(CHRIS_YAML)!r})
        open_store({str(store.root)!r}).import_plans([plan, plan, plan])
        """,
        expect_kill=True,
    )
    assert (store.root / JOURNAL_NAME).exists()
    assert len(plan_files(store)) == die_at  # the plans written before the kill...
    assert listed(store) == ["Before"]  # ...are not plans
    with pytest.raises(PlanNotFound):
        pending = json.loads((store.root / JOURNAL_NAME).read_text("utf-8"))["ids"]
        store.load(pending[0])
    store.create(named("After"))  # the next writer rolls the dead import back
    assert not (store.root / JOURNAL_NAME).exists()
    assert listed(store) == ["After", "Before"]
    assert len(plan_files(store)) == 2
    assert first.plan_id + ".json" in plan_files(store)


def test_an_import_killed_after_its_journal_is_gone_is_complete(store):
    run_child(
        f"""
        import os, signal
        from pathlib import Path
        from tplan_tui import planfile
        from tplan_tui.store import plans as s
        real = s.fsync_dir
        def fsync_dir(path):
            real(path)
            if not (Path(path) / s.JOURNAL_NAME).exists() and Path(path) == Path({str(store.root)!r}):
                os.kill(os.getpid(), signal.SIGKILL)
        s.fsync_dir = fsync_dir
        plan = planfile.load_plan_file({str(CHRIS_YAML)!r})
        s.open_store({str(store.root)!r}).import_plans([plan, plan])
        """,
        expect_kill=True,
    )
    assert listed(store) == ["Chris", "Chris"]


@pytest.mark.parametrize("journal", [b"", b'{"ids": [', b"[]", b'{"other": 1}'])
def test_a_cut_short_journal_is_dropped(store, chris, journal):
    stored = store.create(chris)
    (store.root / JOURNAL_NAME).write_bytes(journal)
    assert listed(store) == ["Chris"]
    store.create(named("Sam"))
    assert not (store.root / JOURNAL_NAME).exists()
    assert store.load(stored.plan_id).plan == chris


# --------------------------------------------------------------------------- opening


def test_open_store_creates_missing_parents(tmp_path):
    store = open_store(tmp_path / "a" / "b" / "store")
    assert (store.root / META_NAME).exists() and store.plans_dir.is_dir()
    assert listed(store) == []


def test_open_store_refuses_a_file(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text("{}")
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert str(caught.value) == f"{path} is a file; --db names a folder that holds the store"
    assert path.read_text() == "{}"


def test_open_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "taxes.txt").write_text("mine")
    with pytest.raises(StoreError) as caught:
        open_store(folder)
    assert str(caught.value) == (
        f"{folder} is not empty and is not a tplan store; choose another folder"
    )
    assert sorted(os.listdir(folder)) == ["taxes.txt"]


def test_open_store_uses_an_empty_folder(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert listed(open_store(folder)) == []


def test_open_store_without_create(tmp_path):
    with pytest.raises(StoreError, match="no tplan store at"):
        open_store(tmp_path / "nothing", create=False)
    assert not (tmp_path / "nothing").exists()


def test_a_store_opened_twice_is_the_same_store(store, chris):
    stored = store.create(chris)
    assert open_store(store.root).load(stored.plan_id).plan == chris


def test_a_cached_row_knows_the_day_a_minor_turns_18(store, chris):
    # The caseload's index is a cache: a row kept from before the 18th birthday must not go on
    # asking for a guardian's signature after it.
    from datetime import date

    chris.client.date_of_birth = date(2000, 5, 20)
    stored = store.create(chris)
    store.list_plans()  # fills the index
    [row] = store.list_plans()[0]  # read back from the index
    assert row.plan_id == stored.plan_id
    assert row.signing_on(date(2018, 5, 19)) == "needs signing"  # a minor: the guardian too
    assert row.signing_on(date(2018, 5, 20)) == "signed"
    assert row.to_json(date(2018, 5, 19))["signing"] == "needs signing"
