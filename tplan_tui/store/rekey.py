"""Re-sealing a whole store under a new key: a passphrase change, or a plain store encrypted in
place (``tplan init --encrypt`` on an existing store, its "old key" being no key at all).

Crash-safe through ``.rekey`` copies and a journal that is the commit point (see :func:`_reseal`).
Core module: never imports Textual.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tplan_tui.store.audit as audit
from tplan_tui.paths import fsync_dir, write_new_file
from tplan_tui.store.crypto import EncryptedCodec, new_key, passphrase_problem
from tplan_tui.store.layout import META_NAME, REKEY_JOURNAL, REKEY_SUFFIX, read_meta, write_marker
from tplan_tui.store.storage import (
    StoreCorrupt,
    StoreError,
    atomic_write,
    os_error_reason,
    revision_of,
)

if TYPE_CHECKING:
    from tplan_tui.store.plans import Store


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that is not yet in use (a left-over one is replaced); the caller fsyncs the
    folder once."""
    path.unlink(missing_ok=True)
    write_new_file(path, data)


def _sealed_files(store: Store) -> Iterator[Path]:
    """Every plan file and last good copy (the index is a cache: it is dropped, not re-sealed)."""
    with os.scandir(store.plans_dir) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.name.endswith(".json") or entry.name.endswith(".json.bak"):
                yield Path(entry.path)


def change_passphrase(store: Store, new_passphrase: str, *, n: int | None = None) -> str | None:
    """Re-seal every file of an encrypted ``store`` under a key from ``new_passphrase``.

    Crash-safe, under the writer lock (see :func:`_reseal`). ``store`` uses the new key
    afterwards. Returns what :func:`audit.record` returns for the ``passphrase change`` entry.
    """
    if not isinstance(store.codec, EncryptedCodec):
        raise StoreError("this store is not encrypted, so it has no passphrase to change")
    return _reseal(store, new_passphrase, n=n, action="passphrase change")


def encrypt_store(store: Store, passphrase: str, *, n: int | None = None) -> str | None:
    """Encrypt a plain ``store`` in place under a key from ``passphrase``.

    Every plan file (its versions are inside it) and last good copy, and every audit line, is
    sealed exactly as an encrypted store would have written it; the plain index is dropped
    (rebuilt, sealed, by the next list) and dead writers' temp files are removed, so no plain
    copy of a plan is left in the folder. Plan ids, revisions, versions and the audit chain are
    unchanged, and an ``encrypt`` entry is added. Crash-safe like a passphrase change (see
    :func:`_reseal`): a kill leaves the plain store as it was, or (after the commit point) an
    encrypted one that the next opener finishes. ``store`` is encrypted afterwards. Returns what
    :func:`audit.record` returns.
    """
    if store.encrypted:
        raise StoreError(
            "this store is encrypted already; `tplan passphrase` changes its passphrase"
        )
    return _reseal(store, passphrase, n=n, action="encrypt")


def _reseal(store: Store, passphrase: str, *, n: int | None, action: str) -> str | None:
    """Re-seal every file of ``store`` (plain or encrypted) under a new key from ``passphrase``.

    Crash-safe: every re-sealed file is first written beside its original as ``<name>.rekey``;
    then ``rekey-journal.json`` (the new meta and the list of files) is written atomically, which
    is the commit point; then each ``.rekey`` is renamed over its original, the index is dropped,
    the meta file is replaced and the journal removed. A kill before the journal exists leaves the
    store as it was (the ``.rekey`` files, sealed, are deleted by the next writer); a kill after
    it is finished by whoever opens the store next, which then opens with the new passphrase.
    The store's writer lock is held throughout.
    """
    problem = passphrase_problem(passphrase)
    if problem:
        raise StoreError(problem)
    block, new = new_key(passphrase, store.root, n=n)
    root = store.root
    with store.writing():  # checks that the store is still on this process's key (or plain)
        old = store.codec
        sealed = isinstance(old, EncryptedCodec)
        new_meta = {**(read_meta(root) or store.meta), "encryption": block}
        # A dead writer's temp file may hold a whole plan (in the clear, in a plain store).
        store.sweep_leftovers()
        rels: list[str] = []
        try:
            for path in _sealed_files(store):
                plain = old.decode(path.read_bytes(), path)
                try:  # the revision is kept in the header (rollbacks: see crypto.py)
                    revision = revision_of(json.loads(plain))
                except ValueError:  # a damaged file is re-sealed as it is, to stay visible
                    revision = None
                sealed_new = new.encode(plain, path, revision)
                _write_new(path.with_name(path.name + REKEY_SUFFIX), sealed_new)
                rels.append(path.relative_to(root).as_posix())
            log = root / audit.LOG_NAME
            if log.exists():
                resealed = audit.reseal(log, old if sealed else None, new)  # type: ignore[arg-type]
                _write_new(log.with_name(log.name + REKEY_SUFFIX), resealed)
                rels.append(audit.LOG_NAME)
            fsync_dir(store.plans_dir)
            fsync_dir(root)
            journal = {"meta": new_meta, "files": rels, "drop": ["index.json"]}
            atomic_write(root / REKEY_JOURNAL, json.dumps(journal, indent=1).encode())
        except BaseException:
            _drop_rekey_files(root)  # before the commit point: the store is as it was
            raise
        try:
            _finish(root, journal)
        except OSError as exc:
            # After the commit point "nothing was changed" would be false: the change is made,
            # and whoever opens the store next finishes it (with the new passphrase).
            raise StoreError(
                f"the {action} is recorded but could not be finished ({os_error_reason(exc)} at "
                f"{exc.filename or root}); it is finished the next time the store is opened, "
                "which then takes the new passphrase"
            ) from None
        store.use_key(new, new_meta)
    return audit.record(store, action)


def _drop_rekey_files(root: Path) -> None:
    for folder in (root, root / "plans"):
        if folder.is_dir():
            for tmp in folder.glob("*" + REKEY_SUFFIX):
                tmp.unlink(missing_ok=True)


def _finish(root: Path, journal: dict[str, Any]) -> None:
    """Roll a committed passphrase change (or encryption) forward; safe to run again after a kill."""
    for rel in journal["files"]:
        target = root / rel
        with suppress(FileNotFoundError):  # already renamed before a kill
            os.replace(target.with_name(target.name + REKEY_SUFFIX), target)
    for rel in journal.get("drop", []):
        (root / rel).unlink(missing_ok=True)
    fsync_dir(root / "plans")
    block = journal["meta"].get("encryption")
    if block:  # before the meta file: an encrypted meta never stands without its marker
        write_marker(root, block)
    atomic_write(root / META_NAME, json.dumps(journal["meta"], indent=2).encode())
    (root / REKEY_JOURNAL).unlink()
    fsync_dir(root)


def recover_rekey(root: Path) -> None:
    """Under the writer lock: finish a committed passphrase change or encryption, or undo one
    that was not."""
    path = root / REKEY_JOURNAL
    try:
        journal = json.loads(path.read_bytes())
        if not isinstance(journal, dict) or not isinstance(journal.get("files"), list):
            raise ValueError
    except FileNotFoundError:
        journal = None
    except (OSError, ValueError):
        # atomic_write never leaves half a journal, so this one was damaged on disk: say so
        # rather than guess which passphrase the store is on.
        raise StoreCorrupt(
            path, "the record of an unfinished passphrase change or encryption is unreadable"
        ) from None
    if journal is not None:
        _finish(root, journal)
    _drop_rekey_files(root)
