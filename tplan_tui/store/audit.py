"""The audit log: who opened, changed, exported or shared which plan, and when.

``audit.log`` in the store's folder holds one JSON entry a line, appended, never rewritten::

    {"action":"export","actor":"Dana Reyes","hash":"<hex>","plan_id":"3f9a1c2e",
     "prev":"<hex>","time":"2025-03-04T10:15:02.123Z"}

``hash`` is SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of the entry's other
fields, ``prev`` among them; ``prev`` is the hash of the entry before (64 zeros for the first).
Editing, removing, inserting or reordering an entry breaks the chain at the next one; removing
entries from the end cannot be detected by a chain alone. Entries hold no client names and no
plan text: the time (UTC), the actor (the clinician named in the settings, else the system
user), the action and the plan id.

In an encrypted store each line is the entry sealed on its own (``crypto.EncryptedCodec.seal``,
its own nonce, role ``audit.log``), in base64. The chain is over the plaintext entries, so a
passphrase change re-seals the lines without touching the chain, and evidence of an edit made
before it is kept; encrypting a plain store in place seals its plain lines the same way. A wrong
passphrase cannot seal anything, so a refused unlock goes to ``audit-refused.log``: plain JSON
lines with their own chain, holding only time, actor, action.

Appends hold the store's writer lock and use O_APPEND and fsync. A kill mid-append can leave a
partial last line: :func:`verify` reports it as "incomplete last entry" (the lines before still
verify), and the next append cuts it off before writing, so the log stays a clean chain.
:func:`record` never raises for a disk or store problem: it returns the problem as a sentence
for the caller to show, so an audit failure is visible but never costs the clinician a save.
Core module: never imports Textual.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tplan_tui.paths import FILE_MODE, fsync_dir
from tplan_tui.store.layout import LOCK_TIMEOUT_S, valid_id, writer_lock
from tplan_tui.store.storage import StoreError, os_error_reason

if TYPE_CHECKING:
    from tplan_tui.store.crypto import EncryptedCodec
    from tplan_tui.store.plans import Store

LOG_NAME = "audit.log"
REFUSED_NAME = "audit-refused.log"
ACTIONS = (
    "init",
    "open",
    "create",
    "edit",
    "import",
    "export",
    "share",
    "lock",
    "unlock",
    "failed unlock",
    "passphrase change",
    "unlock pin set",  # a plain store's unlock PIN set or changed (its hash is in the settings)
    "encrypt",  # a plain store encrypted in place (rekey.encrypt_store)
    "attention addressed",  # a plan's alerts marked addressed (the note stays in the plan file)
    "sign incomplete",  # a plan signed though its profile found it incomplete (the reason: in the plan)
)
GENESIS = "0" * 64
MAX_ACTOR = 120
_FIELDS = ("time", "actor", "action", "plan_id", "prev")
_TAIL_CHUNK = 4096


@dataclass(frozen=True)
class AuditEntry:
    """One entry, and where it was read (``log`` file name, 1-based ``line``)."""

    time: str
    actor: str
    action: str
    plan_id: str | None
    log: str = LOG_NAME
    line: int = 0
    hash: str = field(default="", repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "plan_id": self.plan_id,
            "log": self.log,
            "line": self.line,
        }


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found. ``problem`` names the file and the first bad line."""

    entries: int
    problem: str | None = None
    log: str | None = None
    line: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None


# --------------------------------------------------------------------------- entries


def _canonical(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the entry's fields, ``prev`` included."""
    return hashlib.sha256(_canonical({k: entry[k] for k in _FIELDS})).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def default_actor() -> str:
    """The clinician named in the settings, else the system user."""
    try:
        from tplan_tui.settings import load_settings

        name = load_settings()[0].clinician.name.strip()
    except Exception:  # a broken settings file must not stop the audit
        name = ""
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name (a container without a passwd entry)
            name = "unknown"
    return name[:MAX_ACTOR]


def _check_args(action: str, plan_id: str | None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {', '.join(ACTIONS)}")
    if plan_id is not None and not valid_id(plan_id):
        raise ValueError("plan_id must be a plan's id (letters and digits), never a name")


def _encode_line(entry: dict[str, Any], codec: EncryptedCodec | None) -> bytes:
    text = _canonical(entry)
    if codec is None:
        return text
    return base64.b64encode(codec.seal(text, LOG_NAME))


def _decode_line(line: bytes, codec: EncryptedCodec | None, path: Path) -> dict[str, Any]:
    """The entry on one line; ValueError (a sentence) if it cannot be read or is malformed."""
    if codec is not None:
        if line.startswith(b"{"):
            raise ValueError("it is not sealed, though the store is encrypted")
        try:
            sealed = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("it cannot be read (damaged)") from None
        try:
            line = codec.open(sealed, LOG_NAME, path)
        except StoreError:
            raise ValueError("it failed its integrity check (altered or damaged)") from None
    try:
        entry = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("it is not a JSON entry (damaged)") from None
    if not isinstance(entry, dict) or any(k not in entry for k in (*_FIELDS, "hash")):
        raise ValueError("it lacks the fields of an entry")
    return entry


def _link_of(line: bytes, codec: EncryptedCodec | None, path: Path) -> str:
    """The hash the next entry chains to: the entry's own, or the raw line's if unreadable."""
    try:
        return entry_hash(_decode_line(line, codec, path))
    except (ValueError, KeyError, TypeError):
        return hashlib.sha256(line).hexdigest()


# --------------------------------------------------------------------------- appending


def _tail(fd: int, codec: EncryptedCodec | None, path: Path) -> tuple[str, int | None]:
    """The last complete entry's link, and where a partial last line starts (None if none)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return GENESIS, None
    pos, buf = size, b""
    while True:
        step = min(_TAIL_CHUNK, pos)
        pos -= step
        buf = os.pread(fd, step, pos) + buf
        last = buf.rfind(b"\n")
        if last == -1:
            if pos == 0:
                return GENESIS, 0  # not one complete line: all of it is a partial write
            continue
        before = buf.rfind(b"\n", 0, last)
        if before == -1 and pos > 0:
            continue
        cut = pos + last + 1
        return _link_of(buf[before + 1 : last], codec, path), (cut if cut < size else None)


def _append(path: Path, entry: dict[str, Any], codec: EncryptedCodec | None) -> None:
    """Append one entry, chained to the last complete one, under the caller's lock."""
    new = not path.exists()
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        prev, cut = _tail(fd, codec, path)
        if cut is not None:
            os.ftruncate(fd, cut)  # a partial line from a killed append: never a complete entry
        entry = {**entry, "prev": prev}
        entry["hash"] = entry_hash(entry)
        view = memoryview(_encode_line(entry, codec) + b"\n")
        while view:  # one write() for a line of a few hundred bytes, in practice
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        fsync_dir(path.parent)


def _problem(exc: BaseException) -> str:
    reason = os_error_reason(exc) if isinstance(exc, OSError) else str(exc)
    return f"the audit log could not be written ({reason}); the work itself was saved"


def record(
    store: Store, action: str, plan_id: str | None = None, actor: str | None = None
) -> str | None:
    """Append an entry to the store's audit log; None when done, else the problem in a sentence.

    Never raises for a disk or store problem (a full disk, a busy lock): show the sentence
    (a notification, a line on stderr), and carry on. ValueError for an unknown action or a
    ``plan_id`` that is not a plan id (a bug in the caller). Sealed when the store is encrypted.
    """
    _check_args(action, plan_id)
    entry = {
        "time": _now(),
        "actor": (actor or default_actor())[:MAX_ACTOR],
        "action": action,
        "plan_id": plan_id,
    }
    codec = store.codec if store.encrypted else None
    try:
        with store.writing():
            _append(store.root / LOG_NAME, entry, codec)  # type: ignore[arg-type]
    except (OSError, StoreError) as exc:
        return _problem(exc)
    return None


def record_refused(root: str | Path, actor: str | None = None) -> str | None:
    """Record a ``failed unlock`` without the key (a wrong passphrase), in audit-refused.log.

    Plain JSON: it holds only the time, the actor and the action. Same contract as :func:`record`.
    """
    root = Path(root)
    entry = {
        "time": _now(),
        "actor": (actor or default_actor())[:MAX_ACTOR],
        "action": "failed unlock",
        "plan_id": None,
    }
    from filelock import Timeout

    try:
        with writer_lock(root).acquire(timeout=LOCK_TIMEOUT_S):
            _append(root / REFUSED_NAME, entry, None)
    except Timeout:
        return _problem(StoreError("the store is busy"))
    except (OSError, StoreError) as exc:
        return _problem(exc)
    return None


# --------------------------------------------------------------------------- reading


def _logs(store: Store) -> list[tuple[Path, EncryptedCodec | None]]:
    codec = store.codec if store.encrypted else None
    return [(store.root / LOG_NAME, codec), (store.root / REFUSED_NAME, None)]  # type: ignore[list-item]


def _lines(path: Path) -> tuple[list[bytes], bool]:
    """The complete lines of a log, and whether a partial last line follows them."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], False
    lines = data.split(b"\n")
    partial = lines.pop() != b""
    return lines, partial


def read(store: Store) -> list[AuditEntry]:
    """Every readable entry of both logs, oldest first (see :func:`verify` for the chain)."""
    entries: list[AuditEntry] = []
    for path, codec in _logs(store):
        lines, _ = _lines(path)
        for number, line in enumerate(lines, 1):
            try:
                e = _decode_line(line, codec, path)
            except ValueError:
                continue
            entries.append(
                AuditEntry(
                    time=str(e["time"]),
                    actor=str(e["actor"]),
                    action=str(e["action"]),
                    plan_id=e["plan_id"] if isinstance(e["plan_id"], str) else None,
                    log=path.name,
                    line=number,
                    hash=str(e["hash"]),
                )
            )
    entries.sort(key=lambda e: e.time)  # stable: same-time entries keep their order
    return entries


def verify(store: Store) -> Verification:
    """Check both logs' hash chains; the first bad line (file and number) if one is broken."""
    total = 0
    notes: list[str] = []
    for path, codec in _logs(store):
        lines, partial = _lines(path)
        expected = GENESIS
        for number, line in enumerate(lines, 1):
            try:
                entry = _decode_line(line, codec, path)
            except ValueError as exc:
                return Verification(total, f"{path.name} line {number}: {exc}", path.name, number)
            if entry_hash(entry) != entry["hash"]:
                return Verification(
                    total,
                    f"{path.name} line {number}: the entry was altered (its hash does not match)",
                    path.name,
                    number,
                )
            if entry["prev"] != expected:
                return Verification(
                    total,
                    f"{path.name} line {number}: does not follow the entry before it (an "
                    "entry was removed, inserted or moved)",
                    path.name,
                    number,
                )
            expected = entry["hash"]
            total += 1
        if partial:
            notes.append(
                f"{path.name} line {len(lines) + 1}: incomplete last entry (an interrupted "
                "write); it is dropped at the next entry"
            )
    return Verification(total, notes=tuple(notes))


def reseal(path: Path, old: EncryptedCodec | None, new: EncryptedCodec) -> bytes:
    """The log at ``path`` (sealed under ``old``, or plain if None) sealed under ``new``: same
    entries, same chain.

    A line that does not open under ``old`` is kept as it is, so its damage stays visible; a
    plain line is sealed byte for byte, whatever it holds, so a damaged or edited one is still
    reported at the same line by :func:`verify`. A partial last line is dropped.
    """
    lines, _ = _lines(path)
    out = []
    for line in lines:
        if old is None:
            out.append(base64.b64encode(new.seal(line, LOG_NAME)))
            continue
        try:
            plain = old.open(base64.b64decode(line, validate=True), LOG_NAME, path)
        except (StoreError, binascii.Error, ValueError):
            out.append(line)
            continue
        out.append(base64.b64encode(new.seal(plain, LOG_NAME)))
    return b"".join(line + b"\n" for line in out)
