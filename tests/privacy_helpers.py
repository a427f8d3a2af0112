"""Helpers for the encryption, audit and private-file tests: run the CLI in-process, make a plan
file with a canary client name, hash and walk a store folder."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from tplan_tui import cli
from tplan_tui.store import crypto

PASS = "correct horse battery"
NEW_PASS = "a whole new passphrase"
FAST_N = 2**10  # scrypt cost for tests (crypto.SCRYPT_N is the knob); stores keep their own


@dataclass
class Result:
    rc: int
    out: str
    err: str


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str, **env: str | None) -> Result:
    """``tplan ARGV`` in this process, with extra environment variables (None unsets one)."""
    with monkeypatch.context() as m:
        for key, value in env.items():
            if value is None:
                m.delenv(key, raising=False)
            else:
                m.setenv(key, value)
        out, err = io.StringIO(), io.StringIO()
        rc = cli.main(list(argv), out, err)
    return Result(rc, out.getvalue(), err.getvalue())


def make_canary() -> str:
    """An invented client name that occurs nowhere else: 'Quillon' and random hex."""
    return "Quillon" + secrets.token_hex(5)


def canary_plan_file(folder: Path, canary: str, source: Path) -> Path:
    """The sample plan with every 'Chris' replaced by ``canary``, written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{canary}.yaml"
    path.write_text(source.read_text("utf-8").replace("Chris", canary), "utf-8")
    return path


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file() or p.is_symlink())


def hashes(root: Path, skip_audit: bool = True) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (the audit logs left out if ``skip_audit``)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files_under(root)
        if not (skip_audit and p.name.startswith("audit"))
    }


def holding(root: Path, needle: bytes) -> list[str]:
    """The files under ``root`` whose bytes contain ``needle``."""
    return [str(p) for p in files_under(root) if p.is_file() and needle in p.read_bytes()]


def modes(root: Path) -> dict[str, int]:
    """Permission bits of ``root`` and of every folder and file under it."""
    out = {str(root): os.stat(root).st_mode & 0o777}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            out[path] = os.lstat(path).st_mode & 0o777
    return out


@pytest.fixture
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)
