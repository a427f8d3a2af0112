"""What a store folder holds and how its pieces are found: names, the meta file, plan ids, the lock.

Every module of the store package reads these from here, so none of them needs another's
internals (the plans, the key, the audit log and the passphrase change each import this, never
each other's private names).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tplan_tui.paths import FILE_MODE
from tplan_tui.store.storage import StoreCorrupt, atomic_write

if TYPE_CHECKING:
    from filelock import BaseFileLock

SCHEMA_VERSION = 1
META_NAME = "tplan-store.json"
INDEX_NAME = "index.json"
JOURNAL_NAME = "import-journal.json"
REKEY_JOURNAL = "rekey-journal.json"  # see rekey.py
REKEY_SUFFIX = ".rekey"
LOCK_NAME = ".lock"
# Present in every encrypted store: a copy of the meta file's sealed check value (so it begins
# like every sealed file and names the key). It lets an edited meta file be caught: a meta that
# says "not encrypted", or names another key, beside it is refused (see plans.check_meta).
ENCRYPTED_MARKER = "tplan-encrypted"
LOCK_TIMEOUT_S = 15.0


def valid_id(plan_id: str) -> bool:
    """Whether ``plan_id`` is a well-formed plan id (so it can never name a file outside plans/)."""
    return 0 < len(plan_id) <= 32 and plan_id.isascii() and plan_id.isalnum()


def read_meta(root: Path) -> dict[str, Any] | None:
    """The store's meta file (``tplan-store.json``) as read now; None if there is none.

    StoreCorrupt naming the file if it is not JSON or has no schema version.
    """
    path = Path(root) / META_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        meta = json.loads(raw)
    except ValueError as exc:
        raise StoreCorrupt(path, f"not valid JSON: {exc}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise StoreCorrupt(path, "no schema version in it")
    return meta


def write_marker(root: Path, block: dict[str, Any]) -> None:
    """Mark the store in ``root`` as encrypted under ``block``'s key (see ``ENCRYPTED_MARKER``)."""
    import base64

    atomic_write(Path(root) / ENCRYPTED_MARKER, base64.b64decode(block["check"]))


def writer_lock(root: Path) -> BaseFileLock:
    """The store's cross-process writer lock (not yet held).

    filelock is imported here, on first use: it costs ~20 ms, off the path to the first frame.
    """
    from filelock import FileLock

    return FileLock(str(Path(root) / LOCK_NAME), timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)
