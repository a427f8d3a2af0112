"""Where tplan keeps things, and how it makes folders and files private to their owner.

Treatment plans are health information: every folder tplan makes is 0700 and every file 0600,
whatever the umask, so another account on a shared terminal cannot read them.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tplan"
DIR_MODE = 0o700
FILE_MODE = 0o600


def default_store_path() -> Path:
    """The store used when neither ``--db`` nor ``TPLAN_DB`` names one."""
    env = os.environ.get("TPLAN_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path  # imported here: only needed on this path

    return user_data_path(APP_NAME, appauthor=False) / "store"


def config_dir() -> Path:
    """The user's config folder (settings.yaml, themes/, library/); ``TPLAN_CONFIG`` overrides."""
    env = os.environ.get("TPLAN_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents; the folders tplan creates are 0700."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask; chmod is not
    return path


def temp_path(path: Path) -> Path:
    """A fresh hidden name beside ``path`` for writing it atomically (pid and random bytes: two
    writers never share one). os.urandom rather than secrets: importing secrets costs start-up."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``: it must not exist yet, is never reached through a symlink,
    is 0600 whatever the umask, and is fsync'd; a failed write removes it again."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        try:
            os.fchmod(fd, FILE_MODE)  # O_CREAT's mode is masked by the umask; fchmod is not
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        Path(path).unlink(missing_ok=True)  # a full disk must not leave half a file behind
        raise


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename), the file 0600.

    For files outside the store (exports, settings); the store has its own storage class.
    """
    path = Path(path)
    ensure_private_dir(path.parent)
    # A fresh name, created exclusively and never through a symlink: the folder of an export may
    # be shared, and a name someone else made in advance must not receive the plan.
    tmp = temp_path(path)
    try:
        write_new_file(tmp, data)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and (exc.filename is None or exc.filename == str(tmp)):
            # Name the file the user asked for, not a temp name, nor nothing (a full disk fails
            # in os.write, whose error names no file).
            exc.filename, exc.filename2 = str(path), None
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
