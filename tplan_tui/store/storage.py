"""How the store's files are written and read: atomic writes that keep the last good copy, the
TinyDB storage built on them, the codecs (plain, or sealed by ``crypto.py``), and the errors a
damaged or refused file raises. No Textual, no plan model: bytes and JSON only."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any, Protocol

from tplan_tui.paths import fsync_dir, temp_path, write_new_file

SEALED_MAGIC = b"TPLE"  # how every encrypted file begins (crypto.MAGIC)


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """A store problem the user can act on; ``str()`` is one line in words."""


class StoreCorrupt(StoreError):
    """A store file that does not parse. It is never treated as empty or overwritten."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        backup = backup_path(path)
        hint = (
            f"; the last good copy is {backup}" if backup.exists() else "; no earlier copy exists"
        )
        super().__init__(f"{path} is damaged ({reason}){hint}. Nothing was changed.")


class PlanNotFound(StoreError):
    def __init__(self, plan_id: str):
        self.plan_id = plan_id
        super().__init__(f"no plan with id {plan_id!r} in this store (`tplan list` shows them)")


class ConflictError(StoreError):
    """The plan changed in the store since it was loaded (another terminal saved it)."""

    def __init__(self, plan_id: str, expected: int, found: int):
        self.plan_id, self.expected, self.found = plan_id, expected, found
        super().__init__(
            f"plan {plan_id} was changed elsewhere (revision {found}, this copy has {expected})"
        )


class StoreBusy(StoreError):
    pass


class IntegrityError(StoreCorrupt):
    """An encrypted file that fails its integrity check: altered or damaged, never read."""

    def __init__(self, path: Path):
        super().__init__(path, "it failed its integrity check: it was altered or damaged")


class AccessRefused(StoreError):
    """A wrong passphrase, or none given for an encrypted store (exit code 3)."""


class PassphraseChanged(AccessRefused):
    """Another session changed the store's passphrase: unlock again (``Store.unlock``)."""

    def __init__(self) -> None:
        super().__init__(
            "the passphrase of this store was changed in another session; give the new passphrase"
        )


class EncryptedElsewhere(AccessRefused):
    """A store this session opened plain was encrypted since, by another session: open it again."""

    def __init__(self, root: Path):
        super().__init__(
            f"the store at {root} was encrypted by another session; open it again with its passphrase"
        )


# What an OSError from the disk means, in words: (what could not be done, why). One mapping for
# every command, so a full disk says so instead of "unexpected error".
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("written", "the disk is full"),
    errno.EDQUOT: ("written", "the disk quota is used up"),
    errno.EROFS: ("written", "the disk is read-only"),
    errno.EFBIG: (
        "written",
        "the file would be larger than the disk or the file-size limit allows",
    ),
    errno.EACCES: ("used", "permission was denied"),
    errno.EPERM: ("used", "the operation is not permitted here"),
}


def os_error_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in words ("the disk is full")."""
    known = _OS_ERRORS.get(exc.errno or 0)
    if known:
        return known[1]
    return (exc.strerror or type(exc).__name__).lower()


def os_error_sentence(exc: OSError, name: str | Path | None = None) -> str:
    """One sentence for a failed file operation: the file (``exc.filename``, else ``name``), what
    could not be done and why, and that nothing was changed. Callers say it only where that is
    true: every write of the store and of an export is atomic, and an import is rolled back."""
    target = exc.filename if exc.filename not in (None, "") else name
    verb = _OS_ERRORS.get(exc.errno or 0, ("used", ""))[0]
    what = f"{target} could not be {verb}" if target else f"a file could not be {verb}"
    return f"{what}: {os_error_reason(exc)}. Nothing was changed."


NEEDS_PASSPHRASE = "this store is encrypted: give the passphrase (TPLAN_PASSPHRASE or the prompt)"


# --------------------------------------------------------------------------- bytes on disk


class Codec(Protocol):
    """Turns the JSON bytes of a store file into what is written to disk, and back.

    The plain codec writes JSON as it is; the encrypted one (see ``crypto.py``) seals it, binding
    the file's path in the store so one file cannot be passed off as another.
    """

    encrypted: bool

    def encode(self, data: bytes, path: Path, revision: int | None = None) -> bytes: ...

    def decode(self, data: bytes, path: Path) -> bytes: ...


class PlainCodec:
    encrypted = False

    def encode(self, data: bytes, path: Path, revision: int | None = None) -> bytes:
        return data

    def decode(self, data: bytes, path: Path) -> bytes:
        if data.startswith(SEALED_MAGIC):
            # JSON never starts so: the store was encrypted in place after this session opened it.
            root = path.parent.parent if path.parent.name == "plans" else path.parent
            raise EncryptedElsewhere(root)
        return data


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old or the new file, never half.

    Temp file in the same folder, fsync, rename over the old one, fsync the folder. With
    ``keep_backup`` the old file is first hard-linked to ``<name>.bak`` (no copy: a rename does
    not touch the old inode), so the last good version is always beside the current one.
    """
    tmp = temp_path(path)
    try:
        write_new_file(tmp, data)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        if keep_backup and path.exists():
            link = tmp.with_name(tmp.name + ".bak")
            try:
                _link_or_copy(path, link)
                os.replace(link, backup_path(path))
            finally:
                # rename() does nothing when both names are one file already (a write killed
                # after this step left .bak == the current file): the link would stay behind.
                link.unlink(missing_ok=True)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _naming(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


# os.link's answers where a folder cannot hold hard links (FAT/exFAT, some network shares).
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def _link_or_copy(path: Path, link: Path) -> None:
    """Make ``link`` hold the current ``path``: a hard link (no copy, the old inode untouched),
    or, where the disk has no hard links, a new private file with the same bytes: without this
    such a disk had no store at all."""
    try:
        os.link(path, link)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        write_new_file(link, path.read_bytes())


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path``, the file being written, rather than a temp name or nothing (a
    full disk fails in os.write, whose error names no file)."""
    if exc.filename is None or Path(str(exc.filename)).name.startswith(f".{path.name}."):
        exc.filename, exc.filename2 = str(path), None
    return exc


def revision_of(data: Any) -> int | None:
    """The plan's revision in the TinyDB data of a plan file (None for any other file)."""
    try:
        revision = data["plan"]["1"]["revision"]
    except (KeyError, TypeError):
        return None
    return revision if type(revision) is int and 0 <= revision < 2**63 else None


class AtomicStorage:
    """A TinyDB storage that writes atomically and never mistakes a damaged file for an empty one.

    TinyDB only calls read, write and close, so this does not subclass its ``Storage``: that
    keeps TinyDB's import off the app's start-up path (the caseload draws before it is needed).
    """

    def __init__(self, path: str | Path, codec: Codec | None = None, keep_backup: bool = True):
        self.path = Path(path)
        self.codec = codec or PlainCodec()
        self.keep_backup = keep_backup

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw:
            raise StoreCorrupt(self.path, "the file is empty")
        text = self.codec.decode(raw, self.path)
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreCorrupt(self.path, f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise StoreCorrupt(self.path, "not a TinyDB database")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self.codec.encode(raw, self.path, revision_of(data))
        atomic_write(self.path, sealed, keep_backup=self.keep_backup)

    def close(self) -> None:
        pass
