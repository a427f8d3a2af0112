"""The unlock secret of a plain store, and the back-off after wrong tries. Core: no Textual.

An encrypted store is unlocked with its passphrase. A plain store has no passphrase, so the
clinician sets a PIN or passphrase the first time they lock or hand over; only its scrypt hash
(salt and cost with it) is kept, in the settings file (0600), under the store's folder name.
Nothing on screen ever tells the way back in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

# scrypt cost: about 16 MiB and a few tens of milliseconds, enough that guessing a PIN offline
# from the settings file is slow. Tests lower SCRYPT_N (monkeypatch) so they stay fast.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MIN_SECRET = 4
MAX_SECRET = 200
HASH_RE = re.compile(r"scrypt\$(\d+)\$(\d+)\$(\d+)\$([0-9a-f]{32})\$([0-9a-f]{64})")

MAX_DELAY_S = 60.0


def store_key(root: Path) -> str:
    """The name a store's secret is kept under: its folder, absolute."""
    return str(Path(root).expanduser().resolve())


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` cannot be an unlock PIN/passphrase, or None."""
    if len(secret.strip()) < MIN_SECRET:
        return f"at least {MIN_SECRET} characters (digits are fine)"
    if len(secret) > MAX_SECRET:
        return f"at most {MAX_SECRET} characters"
    return None


def _bytes(secret: str) -> bytes:
    import unicodedata

    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib  # OpenSSL's, loaded only when a secret is checked: not on tplan's start

    return hashlib.scrypt(_bytes(secret), salt=salt, n=n, r=r, p=p, maxmem=2**27, dklen=32)


def hash_secret(secret: str, n: int | None = None) -> str:
    """``scrypt$n$r$p$salt$hash``: what the settings file keeps in place of the secret."""
    n = n or SCRYPT_N
    salt = os.urandom(16)
    digest = _scrypt(secret, salt, n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def hash_problem(stored: str) -> str | None:
    """Why ``stored`` is not a hash this module wrote (for the settings reader), or None."""
    match = HASH_RE.fullmatch(stored)
    if not match:
        return "must be a hash written by tplan (scrypt$n$r$p$salt$hash); set the PIN in tplan"
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
        return "has scrypt parameters out of range"
    return None


def verify_secret(secret: str, stored: str) -> bool:
    """True when ``secret`` is the one ``stored`` was made from (slow on purpose: a thread)."""
    match = HASH_RE.fullmatch(stored)
    if not match or hash_problem(stored):
        return False
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    digest = _scrypt(secret, bytes.fromhex(match.group(4)), n, r, p)
    import hmac

    return hmac.compare_digest(digest, bytes.fromhex(match.group(5)))


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong tries in a row: 1, 2, 4, ... up to a minute."""
    if failures <= 0:
        return 0.0
    return min(MAX_DELAY_S, 2.0 ** (failures - 1))


class Backoff:
    """Wrong unlock tries in a row, and when the next try may be checked (by ``clock``)."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.failures = 0
        self.not_before = 0.0

    def wait_left(self) -> float:
        return max(0.0, self.not_before - self.clock())

    def failed(self) -> float:
        """Count a wrong try; the seconds before the next one is checked."""
        self.failures += 1
        delay = delay_after(self.failures)
        self.not_before = self.clock() + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0.0
