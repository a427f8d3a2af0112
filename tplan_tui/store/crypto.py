"""Encryption at rest for a store: AES-256-GCM under a key derived from a passphrase by scrypt.

An encrypted store keeps its key parameters in ``tplan-store.json`` (never the key)::

    "encryption": {"cipher": "AES-256-GCM", "kdf": "scrypt", "n": 131072, "r": 8, "p": 1,
                   "salt": <16 random bytes, base64>, "key_id": <8 random bytes, hex>,
                   "check": <a known token sealed under the key, base64>}

Every encrypted file (and every line of an encrypted audit log) is::

    b"TPLE" | format version (1 byte) | key id (8 bytes) | nonce (12 random bytes)
            [| revision (8 bytes, big-endian): format 2, plan files] | ciphertext+tag

The whole header and the file's role (its path inside the store, ``.bak`` dropped, so a plan's
last good copy opens as that plan) are the associated data: a plan file copied over another plan
or over the index fails its integrity check instead of being read as the wrong thing. The key id
tells a file sealed under another passphrase (a passphrase change by another session) apart from
a damaged one. The key is derived once per process by :func:`unlock`; a save only seals the one
file it writes. Core module: never imports Textual.

Nonces are 96 random bits from the OS for every write. With random nonces one key may seal at
most 2**32 messages (NIST SP 800-38D); a clinic writing 10,000 times a day would take over
a thousand years, and a passphrase change starts a new key.

Changing the passphrase, and encrypting a plain store in place, are in ``rekey.py``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tplan_tui.store.layout import META_NAME, REKEY_JOURNAL
from tplan_tui.store.storage import (
    SEALED_MAGIC,
    AccessRefused,
    IntegrityError,
    PassphraseChanged,
    StoreCorrupt,
    StoreError,
)

# scrypt cost. The documented internal knob: tests lower SCRYPT_N (monkeypatch) so they stay fast.
# It is read only when a key is made (init, passphrase change); opening a store always uses the
# parameters stored in its meta file, so a store made with any N still opens.
SCRYPT_N = 2**17  # 128 MiB and ~0.25 s per derivation with r = 8
SCRYPT_R = 8
SCRYPT_P = 1
# Bounds for parameters read from a meta file, so a damaged or hostile one cannot make tplan
# allocate gigabytes: 128 * n * r * p bytes is at most 1 GiB here.
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4

CIPHER = "AES-256-GCM"
KDF = "scrypt"
MAGIC = SEALED_MAGIC  # b"TPLE"
FORMAT_VERSION = 1
# Format 2 adds the plan file's revision to the header (authenticated with it): the last good
# copy's revision can then be read without opening it, so an older copy of a plan file swapped
# in over the current one is caught (see ``Store._check_not_rolled_back``). Format 1 files (the
# index, audit lines, the check value, and plan files written before) are still read.
REVISION_FORMAT = 2
REVISION_LEN = 8
SALT_LEN = 16
KEY_ID_LEN = 8
NONCE_LEN = 12
TAG_LEN = 16
HEADER_LEN = len(MAGIC) + 1 + KEY_ID_LEN + NONCE_LEN
REVISION_HEADER_LEN = HEADER_LEN + REVISION_LEN
MIN_PASSPHRASE = 8

CHECK_TOKEN = b"tplan passphrase check v1"
CHECK_ROLE = META_NAME


def passphrase_bytes(passphrase: str) -> bytes:
    """The bytes scrypt sees: NFC-normalised UTF-8, so the same letters typed two ways match."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is refused, in a sentence; None if it will do."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"the passphrase must be at least {MIN_PASSPHRASE} characters long"
    if passphrase != passphrase.strip():
        return "the passphrase must not begin or end with a space"
    return None


def derive_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """The 32-byte AES key for ``passphrase`` (slow on purpose: ~0.25 s at the default cost)."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase_bytes(passphrase))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


# --------------------------------------------------------------------------- the codec


class EncryptedCodec:
    """The store's Codec for an encrypted store: seals every file it writes, opens what it reads.

    ``encode``/``decode`` take the file's path to bind its role; ``seal``/``open`` take the role
    directly (the audit log seals each line with role ``audit.log``).
    """

    encrypted = True

    def __init__(self, key: bytes, key_id: bytes, root: Path):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self._key = key
        self.key_id = key_id
        self.root = Path(root)

    def role_of(self, path: Path) -> str:
        path = Path(path)
        try:
            role = path.relative_to(self.root).as_posix()
        except ValueError:
            role = path.name
        return role.removesuffix(".bak")

    def same_key(self, other: EncryptedCodec) -> bool:
        return hmac.compare_digest(self._key, other._key)

    def seal(self, data: bytes, role: str, revision: int | None = None) -> bytes:
        """``data`` sealed for ``role``; with ``revision`` (a plan file's) in the header too."""
        nonce = secrets.token_bytes(NONCE_LEN)
        if revision is None:
            header = MAGIC + bytes([FORMAT_VERSION]) + self.key_id + nonce
        else:
            header = (
                MAGIC + bytes([REVISION_FORMAT]) + self.key_id + nonce
                + revision.to_bytes(REVISION_LEN, "big")
            )  # fmt: skip
        return header + self._aead.encrypt(nonce, data, header + role.encode())

    def open(self, data: bytes, role: str, path: Path) -> bytes:
        """The plaintext of ``data``; IntegrityError (naming ``path``) if it was altered."""
        if len(data) < HEADER_LEN + TAG_LEN or not data.startswith(MAGIC):
            raise StoreCorrupt(
                path, "it is not an encrypted tplan file, though this store is encrypted"
            )
        version = data[len(MAGIC)]
        if version not in (FORMAT_VERSION, REVISION_FORMAT):
            raise StoreCorrupt(path, f"it was encrypted by a newer tplan (format {version})")
        size = HEADER_LEN + (REVISION_LEN if version == REVISION_FORMAT else 0)
        header = data[:size]
        if header[len(MAGIC) + 1 : len(MAGIC) + 1 + KEY_ID_LEN] != self.key_id:
            self._other_key(path)
        from cryptography.exceptions import InvalidTag

        try:
            return self._aead.decrypt(
                header[HEADER_LEN - NONCE_LEN : HEADER_LEN], data[size:], header + role.encode()
            )
        except InvalidTag:
            raise IntegrityError(path) from None

    def encode(self, data: bytes, path: Path, revision: int | None = None) -> bytes:
        return self.seal(data, self.role_of(path), revision)

    def decode(self, data: bytes, path: Path) -> bytes:
        return self.open(data, self.role_of(path), path)

    def _other_key(self, path: Path) -> None:
        """A file sealed under another key: the passphrase changed in another session, or not."""
        meta_key = None
        with suppress(OSError, ValueError, AttributeError, TypeError):
            meta = json.loads((self.root / META_NAME).read_bytes())
            meta_key = bytes.fromhex(meta["encryption"]["key_id"])
        if meta_key != self.key_id or (self.root / REKEY_JOURNAL).exists():
            raise PassphraseChanged()
        raise StoreCorrupt(path, "it was encrypted with a key this store does not use")


def sealed_revision(head: bytes, key_id: bytes) -> int | None:
    """The revision in a sealed plan file's header (its first ``REVISION_HEADER_LEN`` bytes),
    read without opening it; None if the header has none or names another key. Not yet
    authenticated: a caller that acts on it opens the file first."""
    if (
        len(head) < REVISION_HEADER_LEN
        or not head.startswith(MAGIC)
        or head[len(MAGIC)] != REVISION_FORMAT
        or head[len(MAGIC) + 1 : len(MAGIC) + 1 + KEY_ID_LEN] != key_id
    ):
        return None
    return int.from_bytes(head[HEADER_LEN:REVISION_HEADER_LEN], "big")


# --------------------------------------------------------------------------- key parameters


@dataclass(frozen=True)
class KeyParams:
    """What the meta file says about the key: everything but the key itself."""

    salt: bytes
    n: int
    r: int
    p: int
    key_id: bytes
    check: bytes

    def to_meta(self) -> dict[str, Any]:
        return {
            "cipher": CIPHER,
            "kdf": KDF,
            "n": self.n,
            "r": self.r,
            "p": self.p,
            "salt": _b64(self.salt),
            "key_id": self.key_id.hex(),
            "check": _b64(self.check),
        }

    @classmethod
    def from_meta(cls, block: Any, meta_path: Path) -> KeyParams:
        """Read and bound-check the ``encryption`` block; StoreCorrupt naming the file if bad."""
        if not isinstance(block, dict):
            raise StoreCorrupt(meta_path, "its encryption settings are not readable")
        if block.get("cipher") != CIPHER or block.get("kdf") != KDF:
            raise StoreError(
                f"{meta_path} names a cipher this tplan does not know "
                f"({block.get('cipher')!r} with {block.get('kdf')!r}); upgrade tplan"
            )
        try:
            n, r, p = (block[k] for k in ("n", "r", "p"))
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
                raise ValueError("n, r and p must be whole numbers")
            if not (
                2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P
            ):
                raise ValueError(f"scrypt parameters out of range (n={n}, r={r}, p={p})")
            salt = _unb64(block["salt"])
            key_id = bytes.fromhex(block["key_id"])
            check = _unb64(block["check"])
            if len(salt) < SALT_LEN or len(key_id) != KEY_ID_LEN:
                raise ValueError("salt or key id of the wrong length")
        except (KeyError, ValueError, TypeError, binascii.Error) as exc:
            raise StoreCorrupt(meta_path, f"its encryption settings are not valid: {exc}") from None
        return cls(salt=salt, n=n, r=r, p=p, key_id=key_id, check=check)


def new_key(
    passphrase: str, root: Path, *, n: int | None = None
) -> tuple[dict[str, Any], EncryptedCodec]:
    """A fresh salt, key id and key for ``passphrase``: the meta ``encryption`` block and codec."""
    n = n or SCRYPT_N
    salt = secrets.token_bytes(SALT_LEN)
    key_id = secrets.token_bytes(KEY_ID_LEN)
    codec = EncryptedCodec(derive_key(passphrase, salt, n, SCRYPT_R, SCRYPT_P), key_id, root)
    check = codec.seal(CHECK_TOKEN, CHECK_ROLE)
    params = KeyParams(salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, key_id=key_id, check=check)
    return params.to_meta(), codec


def unlock(block: Any, passphrase: str, root: Path) -> EncryptedCodec:
    """The codec for an encrypted store; AccessRefused("wrong passphrase") if it is not the one."""
    meta_path = Path(root) / META_NAME
    params = KeyParams.from_meta(block, meta_path)
    key = derive_key(passphrase, params.salt, params.n, params.r, params.p)
    codec = EncryptedCodec(key, params.key_id, root)
    try:
        token = codec.open(params.check, CHECK_ROLE, meta_path)
    except IntegrityError:
        raise AccessRefused("wrong passphrase") from None
    if token != CHECK_TOKEN:
        raise AccessRefused("wrong passphrase")
    return codec
