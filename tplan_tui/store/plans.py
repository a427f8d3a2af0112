"""The plan store: TinyDB files that survive kills, concurrent writers and a damaged disk.

Layout of a store folder (``--db PATH`` names the folder)::

    tplan-store.json        schema version and encryption settings (no client data)
    plans/<plan_id>.json    one TinyDB file per plan: the plan, its revision, its versions
    plans/<plan_id>.json.bak  the previous good copy of that file
    index.json              a cache of the caseload list (client, status, next review)
    .lock                   serialises writers across processes
    import-journal.json     present only while an import runs: rolled back if it died
    audit.log               the audit trail (see ``audit.py``); audit-refused.log: refused unlocks
    rekey-journal.json      present only while a passphrase change, or the encryption of a plain
                            store, commits (see ``crypto.py``)
    tplan-encrypted         only in an encrypted store: a copy of the meta's sealed check value,
                            so an edited meta file cannot switch encryption off (``check_meta``)

An encrypted store (``init_store(root, passphrase=...)``, or a plain one encrypted in place by
``rekey.encrypt_store``) seals every plan file, last good copy, index and audit entry with
AES-256-GCM (``crypto.py``); the meta file holds only the key's salt, scrypt parameters and a check
value, and the import journal only random plan ids.

Why this shape: TinyDB's JSONStorage rewrites its whole file in place on every write, with no
fsync and no lock. Here every write goes through :class:`AtomicStorage` (temp file, fsync,
rename, fsync the folder) under one cross-process lock, and each plan has its own small file, so
saving a plan costs the same with 20 plans as with 5,000. The index is only a cache keyed by each
plan file's inode, size and mtime: a save never touches it, and ``list_plans`` refreshes the
entries whose files changed, so it cannot go stale after a crash.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model is imported where plans are read, not to open a store
    from datetime import date

    from filelock import BaseFileLock
    from tinydb import TinyDB

    from tplan_tui.core.model import Plan
from tplan_tui.paths import DIR_MODE, ensure_private_dir, fsync_dir, temp_path, write_new_file
from tplan_tui.store.layout import (
    ENCRYPTED_MARKER,
    INDEX_NAME,
    JOURNAL_NAME,
    LOCK_TIMEOUT_S,
    META_NAME,
    REKEY_JOURNAL,
    REKEY_SUFFIX,
    SCHEMA_VERSION,
    read_meta,
    valid_id,
    write_marker,
    writer_lock,
)
from tplan_tui.store.records import (
    Addressed,
    DamagedPlan,
    PlanSummary,
    StoredPlan,
    StoredVersion,
    _now,
)
from tplan_tui.store.storage import (
    _NO_LINKS,
    NEEDS_PASSPHRASE,
    SEALED_MAGIC,
    AccessRefused,
    AtomicStorage,
    Codec,
    ConflictError,
    EncryptedElsewhere,
    IntegrityError,
    PassphraseChanged,
    PlainCodec,
    PlanNotFound,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    _naming,
    atomic_write,
    backup_path,
    os_error_reason,
)

# The store's errors, records and file primitives are part of its API: callers import them here.
__all__ = [
    "NEEDS_PASSPHRASE", "SEALED_MAGIC", "AccessRefused", "AtomicStorage", "Codec", "ConflictError",
    "EncryptedElsewhere", "IntegrityError", "PassphraseChanged", "PlainCodec", "PlanNotFound",
    "PlanSummary", "Store", "StoreBusy", "StoreCorrupt", "StoreError", "StoredPlan",
    "StoredVersion", "atomic_write", "backup_path", "init_store", "is_encrypted", "open_store",
]  # fmt: skip

_PLAN_DOC = 1  # each plan file holds its plan as document 1 of table "plan"


# --------------------------------------------------------------------------- the store


class Store:
    """A folder of plans. Create with :func:`open_store`; every method is safe across processes."""

    def __init__(self, root: Path, codec: Codec | None = None, meta: dict[str, Any] | None = None):
        self.root = Path(root)
        self.plans_dir = self.root / "plans"
        self.codec: Codec = codec or PlainCodec()
        self.meta = meta or {}
        self._file_lock: BaseFileLock | None = None
        self._swept = False  # plans/ is swept of dead writers' temp files on the first write
        self._depth = 0  # nested writing() blocks recover and check the key only once
        self._meta_stamp: tuple[int, int, int] | None = None  # the first write reads the meta
        self._marked = False  # the encrypted marker was seen (or written) by this Store
        # Why the last list_plans could not update the index (a warning; the list was whole).
        self.index_problem: str | None = None

    @property
    def encrypted(self) -> bool:
        """True for a store whose files are sealed under a passphrase."""
        return bool(getattr(self.codec, "encrypted", False))

    @property
    def _lock(self) -> BaseFileLock:
        # Made on first use: importing filelock costs ~20 ms, off the path to the first frame.
        if self._file_lock is None:
            self._file_lock = writer_lock(self.root)
        # filelock makes the lock's folder if it is missing, with the umask's mode: a store
        # folder deleted or moved under a running tplan would come back, world-readable, and
        # be filled with new plans. The folder must be there, private, before every lock.
        if not self._file_lock.is_locked:
            self._check_folder()
        return self._file_lock

    def _check_folder(self) -> None:
        try:
            st = os.stat(self.root)
        except FileNotFoundError:
            raise StoreError(
                f"the store folder {self.root} is gone (moved or deleted while tplan was "
                "running); nothing was written. Put it back, or open the store again"
            ) from None
        if not stat.S_ISDIR(st.st_mode):
            raise StoreError(f"{self.root} is no longer a folder; nothing was written")
        if st.st_mode & 0o077:
            os.chmod(self.root, DIR_MODE)  # made private again, as every folder tplan makes

    # -- locking and recovery

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's writer lock; finish or roll back any import a killed process left."""
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StoreBusy(
                f"another tplan is writing to {self.root} and did not finish in "
                f"{LOCK_TIMEOUT_S:.0f} s; try again"
            ) from None
        try:
            if self._depth == 0:
                self._recover()
                self._check_key()
                if self.encrypted and not self._marked:
                    # A store encrypted before the marker existed gets one (see check_meta).
                    if not (self.root / ENCRYPTED_MARKER).exists():
                        write_marker(self.root, self.meta["encryption"])
                    self._marked = True
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
        finally:
            self._lock.release()

    def _stat_meta(self) -> tuple[int, int, int] | None:
        try:
            st = (self.root / META_NAME).stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _check_key(self) -> None:
        """Refuse to write under a key the store no longer uses (a passphrase changed elsewhere).

        One stat per write; the meta file is read again only when it was replaced.
        """
        stamp = self._stat_meta()
        if stamp == self._meta_stamp:
            return
        meta = read_meta(self.root) or {}
        if meta.get("encryption") != self.meta.get("encryption"):
            raise PassphraseChanged() if self.encrypted else EncryptedElsewhere(self.root)
        self._meta_stamp = stamp

    def _recover(self) -> None:
        # Called under the lock, so whatever a journal or temp file describes belongs to a
        # writer that died: the import it started is rolled back (all or none), and a
        # passphrase change is finished if it was committed (its .rekey files dropped if not).
        if (self.root / REKEY_JOURNAL).exists():
            from tplan_tui.store.rekey import recover_rekey

            recover_rekey(self.root)
        journal = self.root / JOURNAL_NAME
        if journal.exists():
            ids = self._journal_ids()  # none if it was cut short: no plan file written yet
            for plan_id in ids:
                self._plan_path(plan_id).unlink(missing_ok=True)
                backup_path(self._plan_path(plan_id)).unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            fsync_dir(self.plans_dir)
        # plans/ holds every plan and its last good copy: scanning it on every save made a save
        # at 5,000 plans cost ~3x one at 20. A dead writer's temp files there are never read as
        # plans, so they are swept on a Store's first write, and by list_plans, which sees them.
        self.sweep_leftovers(plans=not self._swept)
        self._swept = True

    def sweep_leftovers(self, *, plans: bool = True) -> None:
        """Under the lock: remove dead writers' temp files and the ``.rekey`` files of a passphrase
        change (or encryption) killed before its commit point, from the store's folder and
        (``plans``) from plans/."""
        for folder in (self.root, self.plans_dir) if plans else (self.root,):
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(REKEY_SUFFIX) or (
                        name.startswith(".") and name.endswith((".tmp", ".tmp.bak"))
                    ):
                        os.unlink(entry.path)

    def _recover_now(self) -> None:
        from filelock import Timeout

        try:
            with self._lock.acquire():
                self._recover()
        except Timeout:
            raise StoreBusy(
                f"another tplan is writing to {self.root} and did not finish in "
                f"{LOCK_TIMEOUT_S:.0f} s; try again"
            ) from None

    def _pending_ids(self) -> set[str]:
        """Ids of an import in progress (or dead): not yet plans, so never listed or opened."""
        return set(self._journal_ids())

    def _journal_ids(self) -> list[str]:
        """The plan ids the import journal names; none if there is no journal or it is damaged."""
        try:
            ids = json.loads((self.root / JOURNAL_NAME).read_text("utf-8"))["ids"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        if not isinstance(ids, list):
            return []
        # Well-formed ids only: a damaged journal must never name a file outside plans/.
        return [i for i in ids if isinstance(i, str) and self._valid_id(i)]

    # -- passphrase

    def unlock(self, passphrase: str) -> None:
        """Check ``passphrase`` against the store's key as it is on disk now, and use that key.

        For an unlock prompt: after an idle lock, or after PassphraseChanged (another session
        changed the passphrase). Slow on purpose (~0.25 s of scrypt): call it off the event loop.
        A wrong one raises AccessRefused("wrong passphrase") and is recorded in the audit log as
        a ``failed unlock`` (the caller records ``unlock`` on success). StoreError for a plain
        store, which has no passphrase to check.
        """
        meta = read_meta(self.root)
        if not meta or not meta.get("encryption"):
            raise StoreError(f"the store at {self.root} is not encrypted: it has no passphrase")
        from tplan_tui.store.crypto import unlock

        try:
            codec = unlock(meta["encryption"], passphrase, self.root)
        except AccessRefused:
            import tplan_tui.store.audit as audit

            if meta.get("encryption") == self.meta.get("encryption"):
                audit.record(self, "failed unlock")  # sealed: this process holds the key
            else:
                audit.record_refused(self.root)
            raise
        self.use_key(codec, meta)

    def use_key(self, codec: Codec, meta: dict[str, Any]) -> None:
        """Use ``codec`` and ``meta`` from now on (after an unlock, or after this process re-sealed
        the store under a new key): the next write reads the meta file again."""
        self.codec, self.meta, self._meta_stamp = codec, meta, None

    # -- plan files

    def _plan_path(self, plan_id: str) -> Path:
        return self.plans_dir / f"{plan_id}.json"

    def _db(self, path: Path, keep_backup: bool = True) -> TinyDB:
        from tinydb import TinyDB

        return TinyDB(path, storage=AtomicStorage, codec=self.codec, keep_backup=keep_backup)

    def _put_record(
        self, path: Path, record: dict[str, Any], keep_backup: bool = True, *, new: bool = False
    ) -> None:
        from tinydb.table import Document

        with self._db(path, keep_backup=keep_backup) as db:
            table = db.table("plan", cache_size=0)
            if new:
                # One write: TinyDB's upsert of a missing document first writes the file with an
                # empty table, and a kill right then left a plan file with no plan in it.
                table.insert(Document(record, doc_id=_PLAN_DOC))
            else:
                table.upsert(Document(record, doc_id=_PLAN_DOC))

    @staticmethod
    def _valid_id(plan_id: str) -> bool:
        return valid_id(plan_id)

    def new_plan_id(self) -> str:
        while True:
            plan_id = os.urandom(4).hex()  # 8 hex digits, as secrets.token_hex(4) gives
            if not self._plan_path(plan_id).exists():
                return plan_id

    def _read_record(self, plan_id: str) -> dict[str, Any]:
        path = self._plan_path(plan_id)
        if not self._valid_id(plan_id) or not path.exists() or plan_id in self._pending_ids():
            raise PlanNotFound(plan_id)
        with self._db(path) as db:
            doc = db.table("plan", cache_size=0).get(doc_id=_PLAN_DOC)
        if doc is None:
            raise StoreCorrupt(path, "it holds no plan")
        if self.encrypted:
            self._check_not_rolled_back(path, doc.get("revision", 0))
        if doc.get("schema", 0) > SCHEMA_VERSION:
            raise StoreError(f"{path} was written by a newer tplan (schema {doc['schema']})")
        return dict(doc)

    def _check_not_rolled_back(self, path: Path, revision: Any) -> None:
        """Refuse an older copy of an encrypted plan file put in place of the current one.

        Every save links the file it replaces to ``.bak``, so the current file's revision is never
        below its last good copy's. A lower one means an older copy (from a backup, say) was put
        over it: sealed under the same key it opens fine, and would silently undo saves. The
        last good copy's revision is in its header (format 2), so this costs one small read.
        The usual recovery (the last good copy copied over the current file) keeps the two
        equal and opens. An older pair of both files put back together is not caught here.
        """
        from tplan_tui.store.crypto import REVISION_HEADER_LEN, sealed_revision

        backup = backup_path(path)
        try:
            with open(backup, "rb") as f:
                head = f.read(REVISION_HEADER_LEN)
        except FileNotFoundError:
            return
        older = sealed_revision(head, self.codec.key_id)  # type: ignore[attr-defined]
        if older is None or not isinstance(revision, int) or revision >= older:
            return
        try:  # the header is authenticated only with the whole file: open it before saying so
            AtomicStorage(backup, self.codec).read()
        except StoreError:
            return  # a damaged last good copy is no evidence against the current file
        raise StoreCorrupt(
            path,
            f"it is an older copy (revision {revision}) than its own last good copy (revision "
            f"{older}): an earlier file was put in its place, which would undo saves",
        )

    def _to_stored(self, plan_id: str, record: dict[str, Any]) -> StoredPlan:
        from tplan_tui import planfile

        path = self._plan_path(plan_id)
        try:
            plan = planfile.plan_from_data(record["data"], complete=False)
        except (planfile.PlanFileError, KeyError) as exc:
            # Field paths only: the offending values are client data and this goes to stderr.
            where = (
                ", ".join(e.path or "the file" for e in exc.errors[:3])
                if isinstance(exc, planfile.PlanFileError)
                else f"no {exc}"
            )
            raise StoreCorrupt(path, f"the plan in it is not valid at {where}") from None
        return StoredPlan(
            plan_id=plan_id,
            plan=plan,
            revision=record.get("revision", 0),
            updated=record.get("updated", ""),
            meta=record.get("meta", {}),
        )

    def _write_record(
        self, plan_id: str, plan: Plan, revision: int, meta: dict[str, Any], *, new: bool
    ) -> StoredPlan:
        from tplan_tui import planfile

        data = planfile.plan_to_data(plan)
        try:  # never write what could not be read back
            planfile.plan_from_data(data, complete=False)
        except planfile.PlanFileError as exc:
            first = exc.errors[0]
            raise StoreError(
                f"the plan was not saved: {first.path or 'the plan'} is not valid"
            ) from None
        updated = _now()
        record = {
            "schema": SCHEMA_VERSION,
            "plan_id": plan_id,
            "revision": revision,
            "updated": updated,
            "meta": meta,
            "data": data,
        }
        self._put_record(self._plan_path(plan_id), record, keep_backup=not new, new=new)
        return StoredPlan(plan_id, plan, revision, updated, meta)

    # -- public API

    def load(self, plan_id: str) -> StoredPlan:
        """The plan with this id; PlanNotFound or StoreCorrupt (naming the file) otherwise."""
        return self._to_stored(plan_id, self._read_record(plan_id))

    def create(self, plan: Plan, meta: dict[str, Any] | None = None) -> StoredPlan:
        """Store a new plan under a new id."""
        with self.writing():
            return self._write_record(self.new_plan_id(), plan, 1, dict(meta or {}), new=True)

    def import_plans(self, plans: Iterable[Plan]) -> list[str]:
        """Store every plan as a new plan, all or none: a killed import leaves no partial trace."""
        plans = list(plans)
        with self.writing():
            ids: list[str] = []
            for _ in plans:
                plan_id = self.new_plan_id()
                while plan_id in ids:
                    plan_id = self.new_plan_id()
                ids.append(plan_id)
            journal = self.root / JOURNAL_NAME
            atomic_write(journal, json.dumps({"ids": ids}).encode())
            try:
                for plan_id, plan in zip(ids, plans, strict=True):
                    self._write_record(plan_id, plan, 1, {}, new=True)
                fsync_dir(self.plans_dir)
            except BaseException:
                self._recover()  # roll back now (all or none), not at the next write
                raise
            journal.unlink()
            fsync_dir(self.root)
        return ids

    def save(
        self,
        plan_id: str,
        plan: Plan,
        *,
        base_revision: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> StoredPlan:
        """Save a changed plan. With ``base_revision``, refuse (ConflictError) if another
        process saved it since that revision; ``meta`` (e.g. the step to resume at) is merged."""
        with self.writing():
            record = self._read_record(plan_id)
            self._to_stored(plan_id, record)  # a damaged plan is refused, never overwritten
            current = record.get("revision", 0)
            if base_revision is not None and base_revision != current:
                raise ConflictError(plan_id, base_revision, current)
            merged = {**record.get("meta", {}), **(meta or {})}
            self._keep_replaced_version(plan_id, record, plan)
            return self._write_record(plan_id, plan, current + 1, merged, new=False)

    # -- earlier versions: table "versions" of the plan's own file, each written once

    def _keep_replaced_version(self, plan_id: str, record: dict[str, Any], plan: Plan) -> None:
        # A save that raises the plan's version keeps the version it replaces exactly as it was
        # stored, before the new one is written: a crash between the two loses neither.
        data = record.get("data") or {}
        stored = (data.get("plan") or {}).get("version", 1)
        if plan.plan.version > stored:
            self._put_version(plan_id, stored, data)

    def _put_version(self, plan_id: str, number: int, data: dict[str, Any]) -> bool:
        from tinydb.table import Document

        with self._db(self._plan_path(plan_id)) as db:
            table = db.table("versions", cache_size=0)
            if table.contains(doc_id=number):
                return False  # a version, once kept, is never rewritten
            table.insert(
                Document({"version": number, "replaced": _now(), "data": data}, doc_id=number)
            )
        return True

    def save_version(self, plan_id: str, plan: Plan) -> bool:
        """Keep ``plan`` as the earlier version numbered ``plan.plan.version``, read-only.

        Written once: if that version is kept already, nothing changes and this returns False.
        (``save`` calls this itself, with the stored copy, when a plan's version goes up.)
        """
        from tplan_tui import planfile

        with self.writing():
            self._read_record(plan_id)
            return self._put_version(plan_id, plan.plan.version, planfile.plan_to_data(plan))

    def versions(self, plan_id: str) -> list[StoredVersion]:
        """The earlier versions kept for this plan, oldest first (the current one is ``load``)."""
        from tplan_tui import planfile

        path = self._plan_path(plan_id)
        if not self._valid_id(plan_id) or not path.exists():
            raise PlanNotFound(plan_id)
        with self._db(path) as db:
            docs = db.table("versions", cache_size=0).all()
        out = []
        for doc in sorted(docs, key=lambda d: d.doc_id):
            try:
                plan = planfile.plan_from_data(doc["data"], complete=False)
            except (planfile.PlanFileError, KeyError) as exc:
                raise StoreCorrupt(
                    path, f"version {doc.doc_id} in it is not valid: {exc}"
                ) from None
            out.append(StoredVersion(doc.doc_id, plan, doc.get("replaced", "")))
        return out

    def load_version(self, plan_id: str, number: int) -> StoredVersion:
        """Earlier version ``number`` of this plan; StoreError in words if it is not kept."""
        for version in self.versions(plan_id):
            if version.number == number:
                return version
        raise StoreError(f"plan {plan_id} has no earlier version {number} kept")

    # -- alerts answered: table "addressed" of the plan's own file, not a plan-file key (a plan
    #    file exported and imported elsewhere starts with its alerts open again, on purpose)

    def mark_addressed(
        self, plan_id: str, on: date, note: str, seen: Iterable[str] | None = None
    ) -> Addressed:
        """Record that the clinician addressed the plan's alerts on ``on``, with a note: the
        reasons whose keys are ``seen`` (those the clinician was shown; by default every reason
        the plan has now), dated up to that day, are set aside; a newer cause brings the alert
        back, even the same day. No new plan revision, so an open session's next save is not
        refused as a conflict."""
        from tinydb.table import Document

        from tplan_tui.core.attention import reasons

        note = note.strip()
        if not note:
            raise StoreError("note: say what was done (e.g. the safety plan was gone over)")
        with self.writing():
            record = self._read_record(plan_id)
            stored = self._to_stored(
                plan_id, record
            )  # a damaged plan is refused, never overwritten
            keys = (
                frozenset(r.key for r in reasons(stored.plan)) if seen is None else frozenset(seen)
            )
            done = Addressed(on=on, note=note, recorded=_now(), seen=keys)
            with self._db(self._plan_path(plan_id)) as db:
                table = db.table("addressed", cache_size=0)
                table.insert(Document(done.to_data(), doc_id=len(table) + 1))
        return done

    def addressed(self, plan_id: str) -> list[Addressed]:
        """The plan's alerts marked addressed, oldest first."""
        path = self._plan_path(plan_id)
        if not self._valid_id(plan_id) or not path.exists():
            raise PlanNotFound(plan_id)
        with self._db(path) as db:
            docs = db.table("addressed", cache_size=0).all()
        try:
            return [Addressed.from_data(d) for d in sorted(docs, key=lambda d: d.doc_id)]
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreCorrupt(path, f"an 'addressed' entry in it is not valid: {exc}") from None

    def addressed_on(self, plan_id: str) -> date | None:
        """The latest day the plan's alerts were marked addressed, or None."""
        return max((a.on for a in self.addressed(plan_id)), default=None)

    def update_meta(self, plan_id: str, **meta: Any) -> None:
        """Record bookkeeping (such as the step last shown) without a new plan revision."""
        with self.writing():
            record = self._read_record(plan_id)
            self._to_stored(plan_id, record)  # a damaged plan is refused, never overwritten
            record["meta"] = {**record.get("meta", {}), **meta}
            self._put_record(self._plan_path(plan_id), record)

    def delete(self, plan_id: str) -> None:
        with self.writing():
            path = self._plan_path(plan_id)
            if not path.exists():
                raise PlanNotFound(plan_id)
            path.unlink()
            backup_path(path).unlink(missing_ok=True)
            fsync_dir(self.plans_dir)

    def list_plans(self) -> tuple[list[PlanSummary], list[DamagedPlan]]:
        """Every plan's summary, newest first, and a :class:`DamagedPlan` for each plan that could
        not be read or summarised, whatever the reason (a damaged file, a refused read, a date out
        of range): one bad plan never hides the others. Each DamagedPlan is the problem's one line
        (a ``str`` naming the plan's id and file) with ``plan_id``, ``path`` and ``reason`` for a
        "damaged" row. AccessRefused (a wrong or changed key) still fails the whole list.

        Reads only the plan files that changed since the index was last refreshed; the index is a
        cache, so failing to write it (a full or read-only disk) never fails the list.
        """
        index_path = self.root / INDEX_NAME
        cached = self._read_index(index_path)
        pending = self._pending_ids()
        rows: list[PlanSummary] = []
        problems: list[DamagedPlan] = []
        fresh: dict[str, dict[str, Any]] = {}
        changed = False
        stale: list[str] = []
        with os.scandir(self.plans_dir) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") and name.endswith((".tmp", ".tmp.bak")):
                    stale.append(entry.path)  # left by a writer that was killed
                if not name.endswith(".json") or name.startswith("."):
                    continue
                plan_id = name[: -len(".json")]
                if plan_id in pending or not self._valid_id(plan_id):
                    continue
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue  # deleted since the scan began
                except OSError as exc:
                    problems.append(self._damaged(plan_id, exc))
                    continue
                stamp = [st.st_ino, st.st_mtime_ns, st.st_size]
                hit = cached.get(plan_id)
                if (
                    hit is not None
                    and hit.get("stamp") == stamp
                    and "attention" in hit["summary"]  # older entries lack it: re-read
                    and "measures" in hit["summary"]
                ):
                    try:
                        rows.append(PlanSummary._from_cache(plan_id, hit["summary"]))
                    except (KeyError, TypeError, ValueError, AttributeError):
                        pass  # a damaged entry: read the plan file instead
                    else:
                        fresh[plan_id] = hit
                        continue
                # One plan that cannot be read or summarised (damaged, unreadable, a date whose
                # arithmetic overflows) is reported on its own: it must never hide the others.
                try:
                    stored = self.load(plan_id)
                    summary = PlanSummary.of(
                        plan_id, stored.plan, stored.updated, partial(self.addressed, plan_id)
                    )
                except AccessRefused:
                    raise  # the whole store is refused, not one plan
                except Exception as exc:
                    problems.append(self._damaged(plan_id, exc))
                    continue
                rows.append(summary)
                fresh[plan_id] = {"plan_id": plan_id, "stamp": stamp, "summary": summary._cache()}
                changed = True
        # An import that started while we scanned is not a plan yet either.
        late = self._pending_ids() - pending
        if late:
            rows = [r for r in rows if r.plan_id not in late]
            for plan_id in late:
                fresh.pop(plan_id, None)
        if stale:
            self._sweep(stale)
        if changed or len(fresh) != len(cached):
            self._write_index(index_path, fresh)
        rows.sort(key=lambda s: s.updated, reverse=True)
        return rows, problems

    def _damaged(self, plan_id: str, exc: Exception) -> DamagedPlan:
        """The problem line for a plan that could not be listed; never any of the plan's text."""
        path = self._plan_path(plan_id)
        if isinstance(exc, StoreCorrupt):
            reason, message = exc.reason, str(exc)
        elif isinstance(exc, StoreError):
            reason = message = str(exc)  # names the file already (e.g. written by a newer tplan)
        else:
            if isinstance(exc, OSError):
                reason = f"it could not be read: {os_error_reason(exc)}"
            elif isinstance(exc, (OverflowError, ValueError)):
                # e.g. a start date of 9999-12-31: the next review falls after the year 9999.
                reason = "a date in it is out of range"
            else:
                reason = f"it could not be read ({type(exc).__name__})"
            message = str(StoreCorrupt(path, reason))
        return DamagedPlan(plan_id, path, reason, f"plan {plan_id}: {message}")

    def _read_index(self, index_path: Path) -> dict[str, dict[str, Any]]:
        """The index's entries by plan id; none (rebuilt from the plan files) if it is damaged."""
        try:
            with self._db(index_path, keep_backup=False) as db:
                docs = db.table("plans", cache_size=0).all()
        except (StoreCorrupt, OSError, ValueError, TypeError, AttributeError, KeyError):
            return {}  # the index is only a cache: rebuild it from the plan files
        return {
            d["plan_id"]: d
            for d in docs
            if isinstance(d.get("plan_id"), str) and isinstance(d.get("summary"), dict)
        }

    def _sweep(self, paths: list[str]) -> None:
        # Best effort, like the index. Under the lock no writer is running, so the temp files
        # seen while scanning belong to writers that are gone.
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except (Timeout, OSError, StoreError):  # e.g. a read-only folder: the temp files stay
            return
        try:
            for path in paths:
                Path(path).unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            self._lock.release()

    def _write_index(self, index_path: Path, entries: dict[str, dict[str, Any]]) -> None:
        # The index is only a cache: a full or read-only disk, or a file-size limit, must never
        # fail a read. The write is skipped and said once as a warning (``index_problem``).
        self.index_problem = None
        try:
            self._try_write_index(index_path, entries)
        except StoreError:
            return  # the folder is gone: the list was read, and the next write says so
        except OSError as exc:
            self.index_problem = (
                f"the caseload index {index_path} was not updated ({os_error_reason(exc)}); "
                "the list is complete, but each list reads the changed plans again"
            )

    def _try_write_index(self, index_path: Path, entries: dict[str, dict[str, Any]]) -> None:
        # Best effort: a reader must not wait for a writer just to refresh a cache.
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return
        try:
            # Not under a key the store no longer uses: after a passphrase change, or the
            # encryption of this plain store, by another session (that would put client names
            # back on disk in the clear). The scan above may have read the files before it.
            if (self.root / REKEY_JOURNAL).exists():
                return
            try:
                self._check_key()
            except StoreError:
                return
            data = {"plans": {str(i): e for i, e in enumerate(entries.values(), 1)}}
            AtomicStorage(index_path, self.codec, keep_backup=False).write(data)
        finally:
            self._lock.release()


# --------------------------------------------------------------------------- opening


Passphrase = str | Callable[[], str | None] | None
"""A passphrase, or a function that asks for one (called only if the store is encrypted)."""


def open_store(root: str | Path, *, create: bool = True, passphrase: Passphrase = None) -> Store:
    """Open the store in folder ``root``, creating a plain one (0700, with missing parents) if
    allowed; ``init_store`` makes an encrypted one.

    An encrypted store needs ``passphrase`` (text, or a function that prompts for it): without
    one, AccessRefused(NEEDS_PASSPHRASE); with a wrong one, AccessRefused("wrong passphrase"),
    recorded in ``audit-refused.log`` and nothing else written. Deriving the key takes about a
    quarter of a second, once. ``passphrase`` is ignored for a plain store. A store made by a
    newer tplan (a higher schema version) is refused rather than misread.
    """
    root = Path(root).expanduser()
    if root.exists() and not root.is_dir():
        raise StoreError(f"{root} is a file; --db names a folder that holds the store")
    if (root / REKEY_JOURNAL).exists():  # a passphrase change was killed: settle it first
        Store(root)._recover_now()
    meta = read_meta(root) if root.exists() else None
    if meta is None:
        if not create:
            raise StoreError(f"no tplan store at {root}")
        meta = {"schema": SCHEMA_VERSION, "created": _now(), "encryption": None}
        if not _publish_new_store(root, meta):
            meta = read_meta(root)  # another process made it at the same moment
            assert meta is not None
    if meta["schema"] > SCHEMA_VERSION:
        raise StoreError(
            f"the store at {root} was made by a newer tplan (schema {meta['schema']}, "
            f"this one reads {SCHEMA_VERSION}); upgrade tplan"
        )
    ensure_private_dir(root / "plans")
    if meta.get("encryption") is None:
        check_meta(root, meta)
        return Store(root, meta=meta)
    codec = _unlock(root, meta["encryption"], passphrase)
    check_meta(root, meta)
    return Store(root, codec, meta)


def init_store(root: str | Path, *, passphrase: str | None = None) -> Store:
    """Make a new store in folder ``root`` (missing, or empty): sealed under ``passphrase`` if
    one is given (see ``crypto.py``), plain otherwise. StoreError if there is a store already.
    """
    root = Path(root).expanduser()
    if root.exists() and not root.is_dir():
        raise StoreError(f"{root} is a file; --db names a folder that holds the store")
    codec: Codec | None = None
    block = None
    if passphrase is not None:
        from tplan_tui.store.crypto import new_key, passphrase_problem

        problem = passphrase_problem(passphrase)
        if problem:
            raise StoreError(problem)
        block, codec = new_key(passphrase, root)
    meta = {"schema": SCHEMA_VERSION, "created": _now(), "encryption": block}
    if not _publish_new_store(root, meta):
        raise StoreError(f"there is already a tplan store at {root}; nothing was changed")
    if block is not None:
        write_marker(root, block)
    return Store(root, codec, meta)


def check_meta(root: Path, meta: dict[str, Any]) -> None:
    """Refuse a meta file that disagrees with the store's files: edited to say the store is not
    encrypted (later imports would write plans in the clear), or naming a key the store is not
    sealed with (its parameters swapped for another store's).

    The meta file is plain JSON anyone with write access can edit; what it is checked against is
    the marker (a copy of its sealed check value) and the first plan file's header, which names
    the key it was sealed with. A few bytes read per open. A passphrase change or encryption that
    is being finished by another process at this moment is told apart (EncryptedElsewhere or
    PassphraseChanged: open the store again).
    """
    import base64

    marker = Path(root) / ENCRYPTED_MARKER
    try:
        marked = marker.read_bytes()
    except FileNotFoundError:
        marked = None
    block = meta.get("encryption")
    meta_path = Path(root) / META_NAME
    if block is None:
        sealed = marked is not None or _first_plan_header(Path(root)).startswith(SEALED_MAGIC)
        if not sealed:
            return
        if _rekeying(root):
            raise EncryptedElsewhere(Path(root))
        raise StoreError(
            f"{meta_path} says this store is not encrypted, but its files are: the meta file was "
            "edited or damaged. tplan will not write plans in the clear into an encrypted store; "
            "put the meta file back from a backup. Nothing was changed."
        )
    # Only the marker is compared here, not a plan file: one damaged plan must not lock the
    # whole store (it is reported on its own). A store made before the marker gets one on its
    # first write (Store.writing).
    if marked is not None and marked != base64.b64decode(block["check"]):
        if _rekeying(root):
            raise PassphraseChanged()
        raise StoreError(
            f"{meta_path} names a key this store is not sealed with ({marker} does not match "
            "it): its encryption settings were edited or swapped for another store's, or one "
            "of the two files is damaged. Put them back from a backup. Nothing was changed."
        )


def _rekeying(root: Path) -> bool:
    """Whether a passphrase change or encryption is committing now (or was cut short)."""
    return (Path(root) / REKEY_JOURNAL).exists()


def _first_plan_header(root: Path) -> bytes:
    """The first bytes of one plan file (b"" if there is none): sealed or plain, and its key."""
    try:
        with os.scandir(root / "plans") as entries:
            for entry in entries:
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    with open(entry.path, "rb") as f:
                        return f.read(16)
    except OSError:
        pass  # an unreadable plan is reported on its own when it is read, never the whole store
    return b""


def is_encrypted(root: str | Path) -> bool:
    """Whether the store in ``root`` is encrypted (False if there is no store there)."""
    root = Path(root).expanduser()
    meta = read_meta(root) if root.is_dir() else None
    return bool(meta and meta.get("encryption"))


def _foreign(path: Path) -> bool:
    """Whether ``path``, in a folder with no meta file, is someone else's and not a store's.

    Another tplan making the store at this moment (or killed while making it) leaves the lock,
    an empty plans/ and a temp meta file: none of these makes the folder "not empty".
    """
    name = path.name
    if name == ".lock" or (name.startswith(f".{META_NAME}.") and name.endswith(".tmp")):
        return False
    return not (name == "plans" and path.is_dir() and not any(path.iterdir()))


def _publish_new_store(root: Path, meta: dict[str, Any]) -> bool:
    """Make the store's folders and its meta file; False if a meta file is there already.

    The meta file is linked into place, which fails if one exists: two processes making a store
    at once (say ``tplan init --encrypt`` and the app) never overwrite each other's.
    """
    if root.exists():
        if read_meta(root) is not None:
            return False
        if any(_foreign(p) for p in root.iterdir()):
            if read_meta(root) is not None:
                return False  # another process made it meanwhile
            raise StoreError(f"{root} is not empty and is not a tplan store; choose another folder")
    made = [p for p in (root / "plans", root, *root.parents) if not p.exists()]
    try:
        ensure_private_dir(root / "plans")
        os.chmod(root, DIR_MODE)  # the folder may have been made by hand, with the umask's mode
        path = root / META_NAME
        data = json.dumps(meta, indent=2).encode()
        tmp = temp_path(path)
        write_new_file(tmp, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            # No hard links on this disk (FAT, some network shares): an exclusive create still
            # never overwrites another process's meta file, though a reader may see it half
            # written for a moment (and says so, as a damaged meta file).
            try:
                write_new_file(path, data)
            except FileExistsError:
                return False
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        # A full or read-only disk: leave no empty folders behind ("nothing was changed").
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                break
        raise _naming(exc, root / META_NAME) from None
    fsync_dir(root)
    return True


def _unlock(root: Path, block: Any, passphrase: Passphrase) -> Codec:
    from tplan_tui.store.crypto import unlock

    if callable(passphrase):
        passphrase = passphrase()
    if not passphrase:
        raise AccessRefused(NEEDS_PASSPHRASE)
    try:
        return unlock(block, passphrase, root)
    except AccessRefused:
        import tplan_tui.store.audit as audit

        audit.record_refused(root)
        raise
