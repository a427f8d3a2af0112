"""Hostile conditions for the store (issue 18): a plan that cannot be read or summarised, an
index that cannot be written, disk errors, no hard links, an edited meta file, an older copy of
an encrypted plan swapped in, and a store folder removed under a running tplan.

Every name here is invented.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.privacy_helpers import FAST_N, PASS, hashes, run_cli
from tests.samples import CHRIS_YAML
from tplan_tui import planfile
from tplan_tui.core.model import Plan
from tplan_tui.store import (
    INDEX_NAME,
    META_NAME,
    AccessRefused,
    DamagedPlan,
    PlanSummary,
    StoreCorrupt,
    StoreError,
    crypto,
    init_store,
    open_store,
    os_error_sentence,
)
from tplan_tui.store import plans as plans_module
from tplan_tui.store import storage as storage_module
from tplan_tui.store.layout import ENCRYPTED_MARKER


def named(name: str) -> Plan:
    plan = planfile.load_plan_file(CHRIS_YAML)
    plan.client.name = name
    return plan


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "store")


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)


def edit_stored_plan(store, plan_id: str, **plan_keys) -> Path:
    """Change keys of the ``plan:`` section inside a plain store's plan file, as a hand edit would."""
    path = store.plans_dir / f"{plan_id}.json"
    raw = json.loads(path.read_text("utf-8"))
    raw["plan"]["1"]["data"]["plan"].update(plan_keys)
    path.write_text(json.dumps(raw), "utf-8")
    return path


# --------------------------------------------------------------------------- one bad plan


def test_a_start_date_far_in_the_future_hides_no_other_plan(store):
    good = store.create(named("Ada")).plan_id
    bad = store.create(named("Bo")).plan_id
    path = edit_stored_plan(store, bad, started="9999-12-31")  # its next review overflows

    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good]
    (problem,) = problems
    assert isinstance(problem, DamagedPlan)
    assert (problem.plan_id, problem.path) == (bad, path)
    assert problem.reason  # in words; the plan reader may refuse the date, or the summary overflow
    assert problem.startswith(f"plan {bad}: {path} is damaged")
    assert "Bo" not in problem  # a problem line never carries the plan's text
    # The good plan is listed again from the index, the bad one reported again.
    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good] and [p.plan_id for p in problems] == [bad]


@pytest.mark.parametrize(
    "error", [OverflowError("date value out of range"), ValueError("x"), RuntimeError("y")]
)
def test_any_failure_to_summarise_one_plan_is_that_plan_s_problem(store, monkeypatch, error):
    ids = [store.create(named(name)).plan_id for name in ("Cy", "Di", "Ed")]
    real = PlanSummary.of.__func__

    def of(cls, plan_id, plan, updated, *more):  # more: how to read the addressed alerts
        if plan_id == ids[1]:
            raise error
        return real(cls, plan_id, plan, updated, *more)

    monkeypatch.setattr(PlanSummary, "of", classmethod(of))
    rows, problems = store.list_plans()
    assert sorted(r.plan_id for r in rows) == sorted([ids[0], ids[2]])
    assert [p.plan_id for p in problems] == [ids[1]]
    assert str(store.plans_dir / f"{ids[1]}.json") in problems[0]


def test_a_plan_file_that_cannot_be_read_is_that_plan_s_problem(store, monkeypatch):
    good = store.create(named("Fay")).plan_id
    bad = store.create(named("Gil")).plan_id
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == f"{bad}.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == [good]
    assert problems[0].plan_id == bad and "permission was denied" in problems[0]


# --------------------------------------------------------------------------- the index is a cache


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EFBIG, errno.EDQUOT])
def test_an_index_that_cannot_be_written_never_fails_a_list(tmp_path, monkeypatch, code):
    writer = open_store(tmp_path / "store")
    ids = sorted(writer.create(named(n)).plan_id for n in ("Kim", "Lu"))
    store = open_store(tmp_path / "store")

    def full(path, data):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage_module, "write_new_file", full)
    for _ in range(2):  # and again: nothing was cached, every plan is read again
        rows, problems = store.list_plans()
        assert sorted(r.plan_id for r in rows) == ids and problems == []
        assert store.index_problem and str(tmp_path / "store" / INDEX_NAME) in store.index_problem
    assert not (tmp_path / "store" / INDEX_NAME).exists()
    monkeypatch.undo()
    store.list_plans()
    assert store.index_problem is None and (tmp_path / "store" / INDEX_NAME).exists()


def test_a_lock_that_cannot_be_made_on_a_read_only_disk_never_fails_a_list(tmp_path, monkeypatch):
    ids = [open_store(tmp_path / "store").create(named("Mo")).plan_id]
    store = open_store(tmp_path / "store")

    class ReadOnlyLock:
        is_locked = False

        def acquire(self, *args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "store" / ".lock"))

    monkeypatch.setattr(plans_module, "writer_lock", lambda root: ReadOnlyLock())
    (tmp_path / "store" / "plans" / ".left.json.1.ab.tmp").write_bytes(b"{}")  # asks for a sweep
    rows, problems = store.list_plans()
    assert [r.plan_id for r in rows] == ids and problems == []
    assert "read-only" in store.index_problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a 0500 folder regardless")
def test_a_read_only_store_folder_still_lists(tmp_path):
    root = tmp_path / "store"
    ids = [open_store(root).create(named("Ned")).plan_id]
    os.chmod(root, 0o500)
    try:
        rows, problems = open_store(root).list_plans()
    finally:
        os.chmod(root, 0o700)
    assert [r.plan_id for r in rows] == ids and problems == []


# --------------------------------------------------------------------------- disk errors in words


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (errno.ENOSPC, "/s/plans/a.json could not be written: the disk is full."),
        (errno.EDQUOT, "/s/plans/a.json could not be written: the disk quota is used up."),
        (errno.EROFS, "/s/plans/a.json could not be written: the disk is read-only."),
        (
            errno.EFBIG,
            "/s/plans/a.json could not be written: the file would be larger than the disk or "
            "the file-size limit allows.",
        ),
        (errno.EACCES, "/s/plans/a.json could not be used: permission was denied."),
        (errno.EPERM, "/s/plans/a.json could not be used: the operation is not permitted here."),
        (errno.EIO, "/s/plans/a.json could not be used: input/output error."),
    ],
)
def test_each_disk_error_is_one_sentence_naming_the_file(code, sentence):
    named_file = OSError(code, os.strerror(code), "/s/plans/a.json")
    assert os_error_sentence(named_file) == f"{sentence} Nothing was changed."
    no_file = OSError(code, os.strerror(code))  # os.write's errors name no file
    assert os_error_sentence(no_file, "/s/plans/a.json") == f"{sentence} Nothing was changed."
    assert os_error_sentence(no_file).startswith("a file could not be ")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_a_save_on_a_full_disk_names_the_plan_and_keeps_it(store, monkeypatch, code):
    stored = store.create(named("Uma"))
    plan_file = store.plans_dir / f"{stored.plan_id}.json"
    before = {p: p.read_bytes() for p in store.plans_dir.iterdir()}
    real = os.fsync

    def fsync(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}"):
            raise OSError(code, os.strerror(code))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    stored.plan.clinician_notes = "a change that does not fit"
    with pytest.raises(OSError) as caught:
        store.save(stored.plan_id, stored.plan, base_revision=stored.revision)
    assert caught.value.filename == str(plan_file)
    assert os_error_sentence(caught.value).startswith(f"{plan_file} could not be written")
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in store.plans_dir.iterdir()} == before
    assert store.load(stored.plan_id).revision == stored.revision


# --------------------------------------------------------------------------- no hard links


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EXDEV])
def test_a_disk_without_hard_links_still_has_a_store_and_last_good_copies(
    tmp_path, monkeypatch, code
):
    def no_links(src, dst, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(src), str(dst))

    monkeypatch.setattr(os, "link", no_links)
    store = open_store(tmp_path / "store")  # the meta file is published without a link too
    assert (tmp_path / "store" / "tplan-store.json").exists()
    stored = store.create(named("Vic"))
    for n in (2, 3):
        stored.plan.clinician_notes = f"revision {n}"
        stored = store.save(stored.plan_id, stored.plan, base_revision=stored.revision)
    path = store.plans_dir / f"{stored.plan_id}.json"
    backup = Path(f"{path}.bak")
    assert json.loads(backup.read_text("utf-8"))["plan"]["1"]["revision"] == 2
    assert os.stat(backup).st_mode & 0o777 == 0o600
    assert sorted(os.listdir(store.plans_dir)) == [path.name, backup.name]  # no temp file left
    assert store.load(stored.plan_id).plan.clinician_notes == "revision 3"
    assert open_store(tmp_path / "store").load(stored.plan_id).revision == 3


def test_another_link_error_is_not_mistaken_for_no_links(store, monkeypatch):
    stored = store.create(named("Wes"))

    def full(src, dst, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(src), str(dst))

    monkeypatch.setattr(os, "link", full)
    with pytest.raises(OSError) as caught:
        store.save(stored.plan_id, stored.plan)
    assert caught.value.errno == errno.ENOSPC
    assert sorted(os.listdir(store.plans_dir)) == [f"{stored.plan_id}.json"]


# --------------------------------------------------------------------------- the lock and the folder


def test_the_lock_never_makes_a_deleted_store_folder_again(tmp_path):
    root = tmp_path / "store"
    store = open_store(root)
    stored = store.create(named("Xia"))
    shutil.rmtree(root)
    for write in (
        lambda: store.create(named("Yan")),
        lambda: store.save(stored.plan_id, stored.plan),
        lambda: store.import_plans([named("Zed")]),
    ):
        with pytest.raises(StoreError, match=f"the store folder {root} is gone"):
            write()
        assert not root.exists()


def test_the_lock_makes_a_store_folder_opened_up_private_again(tmp_path):
    root = tmp_path / "store"
    store = open_store(root)
    os.chmod(root, 0o755)
    store.create(named("Abe"))
    assert os.stat(root).st_mode & 0o777 == 0o700


# --------------------------------------------------------------------------- an edited meta file


def _meta(root: Path) -> dict:
    return json.loads((root / META_NAME).read_text("utf-8"))


def _put_meta(root: Path, meta: dict) -> None:
    (root / META_NAME).write_text(json.dumps(meta), "utf-8")


def test_encryption_cannot_be_switched_off_by_editing_the_meta_file(tmp_path, monkeypatch):
    root = tmp_path / "store"
    init_store(root, passphrase=PASS).import_plans([named("Bex")])
    meta = _meta(root)
    _put_meta(root, {**meta, "encryption": None})
    before = hashes(root, skip_audit=False)
    with pytest.raises(StoreError) as caught:
        open_store(root)
    assert str(caught.value).startswith(f"{root / META_NAME} says this store is not encrypted")
    done = run_cli(monkeypatch, "--db", str(root), "import", str(CHRIS_YAML))
    assert done.rc == 1 and "says this store is not encrypted" in done.err
    assert hashes(root, skip_audit=False) == before  # no plan written in the clear
    # Without the marker too, the sealed plan files give it away.
    (root / ENCRYPTED_MARKER).unlink()
    with pytest.raises(StoreError, match="says this store is not encrypted"):
        open_store(root)
    _put_meta(root, meta)  # the meta file put back: the store opens with its passphrase
    assert len(open_store(root, passphrase=PASS).list_plans()[0]) == 1


def test_the_key_settings_cannot_be_swapped_for_another_store_s(tmp_path):
    root, other = tmp_path / "store", tmp_path / "other"
    init_store(root, passphrase=PASS).import_plans([named("Cal")])
    init_store(other, passphrase="another passphrase known to someone")
    _put_meta(root, {**_meta(root), "encryption": _meta(other)["encryption"]})
    before = hashes(root, skip_audit=False)
    with pytest.raises(StoreError, match="names a key this store is not sealed with"):
        open_store(root, passphrase="another passphrase known to someone")
    assert hashes(root, skip_audit=False) == before


def test_an_edited_scrypt_cost_is_refused(tmp_path):
    root = tmp_path / "store"
    init_store(root, passphrase=PASS)
    meta = _meta(root)
    meta["encryption"]["n"] = 2  # cheaper to guess: the check value no longer opens
    _put_meta(root, meta)
    with pytest.raises(AccessRefused):
        open_store(root, passphrase=PASS)


def test_an_encrypted_store_made_before_the_marker_gets_one_on_its_first_write(tmp_path):
    root = tmp_path / "store"
    init_store(root, passphrase=PASS)
    (root / ENCRYPTED_MARKER).unlink()
    store = open_store(root, passphrase=PASS)
    store.create(named("Dot"))
    assert (root / ENCRYPTED_MARKER).read_bytes().startswith(crypto.MAGIC)
    _put_meta(root, {**_meta(root), "encryption": None})
    with pytest.raises(StoreError, match="says this store is not encrypted"):
        open_store(root)


def test_a_plain_store_has_no_marker_and_opens(tmp_path):
    root = tmp_path / "store"
    open_store(root).create(named("Eve"))
    assert not (root / ENCRYPTED_MARKER).exists()
    assert len(open_store(root).list_plans()[0]) == 1


# --------------------------------------------------------------------------- an older copy swapped in


def _saved_revisions(store, plan_id: str, n: int) -> dict[int, bytes]:
    """Save the plan ``n`` times; the plan file's bytes after each revision."""
    path = store.plans_dir / f"{plan_id}.json"
    copies = {1: path.read_bytes()}
    for _ in range(n):
        stored = store.load(plan_id)
        stored.plan.clinician_notes = f"after revision {stored.revision}"
        stored = store.save(plan_id, stored.plan, base_revision=stored.revision)
        copies[stored.revision] = path.read_bytes()
    return copies


def test_an_older_copy_of_an_encrypted_plan_put_in_its_place_is_caught(tmp_path):
    root = tmp_path / "store"
    store = init_store(root, passphrase=PASS)
    plan_id = store.create(named("Fox")).plan_id
    other = store.create(named("Gia")).plan_id
    copies = _saved_revisions(store, plan_id, 3)  # revisions 1 to 4; the last good copy is 3
    path = store.plans_dir / f"{plan_id}.json"
    path.write_bytes(copies[2])  # e.g. from a backup: same key, same place, an older revision

    with pytest.raises(StoreCorrupt) as caught:
        open_store(root, passphrase=PASS).load(plan_id)
    message = str(caught.value)
    assert message.startswith(f"{path} is damaged (it is an older copy (revision 2)")
    assert "last good copy (revision 3)" in message
    rows, problems = open_store(root, passphrase=PASS).list_plans()
    assert [r.plan_id for r in rows] == [other] and [p.plan_id for p in problems] == [plan_id]
    with pytest.raises(StoreCorrupt):  # and never saved over
        store.save(plan_id, named("Fox"))
    assert path.read_bytes() == copies[2]


def test_the_last_good_copy_put_back_still_opens(tmp_path):
    root = tmp_path / "store"
    store = init_store(root, passphrase=PASS)
    plan_id = store.create(named("Hu")).plan_id
    _saved_revisions(store, plan_id, 2)
    path = store.plans_dir / f"{plan_id}.json"
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 1
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreCorrupt, match="the last good copy is"):
        store.load(plan_id)
    shutil.copyfile(f"{path}.bak", path)  # what the message suggests
    assert store.load(plan_id).revision == 2
    os.replace(f"{path}.bak", path)  # or moved back
    assert store.load(plan_id).revision == 2


def test_plan_files_sealed_before_revisions_were_kept_still_open(tmp_path):
    root = tmp_path / "store"
    store = init_store(root, passphrase=PASS)
    plan_id = store.create(named("Ivy")).plan_id
    path = store.plans_dir / f"{plan_id}.json"
    plain = store.codec.decode(path.read_bytes(), path)
    path.write_bytes(store.codec.encode(plain, path))  # format 1: no revision in the header
    assert path.read_bytes()[4] == crypto.FORMAT_VERSION
    _saved_revisions(store, plan_id, 1)
    assert path.read_bytes()[4] == crypto.REVISION_FORMAT
    assert store.load(plan_id).revision == 2


def test_a_passphrase_change_keeps_the_revision_in_each_plan_header(tmp_path):
    from tplan_tui.store import rekey

    root = tmp_path / "store"
    store = init_store(root, passphrase=PASS)
    plan_id = store.create(named("Jay")).plan_id
    copies = _saved_revisions(store, plan_id, 2)  # revision 3, its last good copy 2
    rekey.change_passphrase(store, "a new invented passphrase")
    path = store.plans_dir / f"{plan_id}.json"
    for name, revision in ((path, 3), (f"{path}.bak", 2)):
        head = Path(name).read_bytes()[: crypto.REVISION_HEADER_LEN]
        assert crypto.sealed_revision(head, store.codec.key_id) == revision
    assert copies[3] != path.read_bytes()  # re-sealed under the new key


def test_unreadable_plans_do_not_stop_a_plain_store_opening(tmp_path, monkeypatch):
    root = tmp_path / "store"
    ids = [open_store(root).create(named(n)).plan_id for n in ("Kay", "Lee")]
    real = open

    def refusing(path, *args, **kwargs):
        if Path(path).parent.name == "plans" and str(path).endswith(".json"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing)
    monkeypatch.setattr(Path, "read_bytes", lambda self: refusing(self, "rb").read())
    rows, problems = open_store(root).list_plans()
    assert rows == [] and sorted(p.plan_id for p in problems) == sorted(ids)
    assert all("permission was denied" in p for p in problems)
