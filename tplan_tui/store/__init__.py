"""The plan store: a folder of TinyDB files that survive kills, concurrent writers and a damaged
disk, encrypted when asked, with an audit log.

- ``plans.py``: the :class:`Store` (open, load, save, import, list) and opening or making one;
- ``storage.py``: its errors, atomic writes and codecs; ``records.py``: what it hands out;
- ``layout.py``: the names in a store folder, the meta file, plan ids, the writer lock;
- ``crypto.py``: keys and the sealing of files; ``rekey.py``: a passphrase change, or encrypting
  a plain store in place; ``audit.py``: the hash-chained audit log.

Callers import the store's API from here. Core package: never imports Textual.
"""

from tplan_tui.store.layout import (
    INDEX_NAME,
    JOURNAL_NAME,
    LOCK_TIMEOUT_S,
    META_NAME,
    REKEY_JOURNAL,
    REKEY_SUFFIX,
    SCHEMA_VERSION,
    read_meta,
)
from tplan_tui.store.plans import Passphrase, Store, init_store, is_encrypted, open_store
from tplan_tui.store.records import DamagedPlan, PlanSummary, StoredPlan, StoredVersion
from tplan_tui.store.storage import (
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
    atomic_write,
    backup_path,
    os_error_reason,
    os_error_sentence,
)

__all__ = [
    "INDEX_NAME", "JOURNAL_NAME", "LOCK_TIMEOUT_S", "META_NAME", "NEEDS_PASSPHRASE",
    "REKEY_JOURNAL", "REKEY_SUFFIX", "SCHEMA_VERSION", "SEALED_MAGIC", "AccessRefused",
    "AtomicStorage", "Codec", "ConflictError", "DamagedPlan", "EncryptedElsewhere", "IntegrityError",
    "PassphraseChanged", "Passphrase", "PlainCodec", "PlanNotFound", "PlanSummary", "Store",
    "StoreBusy", "StoreCorrupt", "StoreError", "StoredPlan", "StoredVersion", "atomic_write",
    "backup_path", "init_store", "is_encrypted", "open_store", "os_error_reason",
    "os_error_sentence", "read_meta",
]  # fmt: skip
