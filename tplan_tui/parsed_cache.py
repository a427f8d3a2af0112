"""What the settings file and the theme files parsed to, kept as JSON, so start-up needs no YAML.

Importing PyYAML takes 15-20 ms, about a third of what tplan adds to a bare Textual app's first
frame (issue 14: at most 1.3 times). Start-up reads two small YAML files, the settings and the
theme to draw in, and they rarely change. So what each text parsed to is remembered here, keyed
by the whole text: a text read again, byte for byte, gets the same data without the parser; any
other text (edited by hand, a new theme) is parsed as before. Nothing can be stale: the key is
the text itself. The data is whatever the parser gave, checked and used as before.

The file is ``.parsed-config.json`` in the config folder, beside settings.yaml and as private
(0600 in a 0700 folder): it holds what that file holds. It is written after the caseload's first
rows are drawn (``save``), holding the texts parsed or served in this run only, so old ones go.
A file that is missing, damaged or from another version of tplan is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tplan_tui import __version__

CACHE_FILE = ".parsed-config.json"
# What keeps a cache from one version of tplan (or of this format) from serving another: the
# parser's rules may change with it.
FORMAT = f"tplan {__version__} parsed-config 1"
MAX_BYTES = 1 << 20

_known: dict[str, Any] | None = None  # text -> data, as read from the file (once)
_used: dict[str, Any] = {}  # the texts parsed or served in this run: what ``save`` keeps


def _cache_path() -> Path:
    from tplan_tui.paths import config_dir

    return config_dir() / CACHE_FILE


def _load() -> dict[str, Any]:
    global _known
    if _known is None:
        _known = {}
        try:
            path = _cache_path()
            if path.stat().st_size <= MAX_BYTES:
                saved = json.loads(path.read_text("utf-8"))
                if isinstance(saved, dict) and saved.get("format") == FORMAT:
                    entries = saved.get("entries")
                    if isinstance(entries, list):
                        for entry in entries:
                            if isinstance(entry, list) and len(entry) == 2:
                                text, data = entry
                                if isinstance(text, str):
                                    _known[text] = data
        except (OSError, ValueError):
            pass  # no cache, or not one of ours: parse
    return _known


def _keepable(data: Any) -> bool:
    """JSON gives back exactly this (same types, str keys), so a cached copy is the same data."""
    try:
        return type(data) is dict and json.loads(json.dumps(data)) == data and _same_types(data)
    except (TypeError, ValueError, RecursionError):
        return False


def _same_types(value: Any) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _same_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_same_types(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def parsed(text: str, parse: Callable[[str], Any]) -> Any:
    """``parse(text)``, or what it gave for the same text before. Errors are never cached: a
    text that does not parse raises each time."""
    known = _load()
    if text in known:
        _used[text] = known[text]
        return _copy(known[text])  # a fresh copy: callers may change theirs
    data = parse(text)
    if _keepable(data):
        _used[text] = _copy(data)
    return data


def _copy(data: Any) -> Any:
    return json.loads(json.dumps(data))


def save() -> None:
    """Write what this run parsed or served (0600, atomically); a failure only costs speed."""
    global _known
    if not _used or _used == _known:
        return  # nothing read, or the file already says this
    from tplan_tui.paths import ensure_private_dir, write_private_file

    entries = [[text, data] for text, data in _used.items()]
    try:
        path = _cache_path()
        ensure_private_dir(path.parent)
        body = json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False)
        write_private_file(path, body.encode("utf-8"))
    except OSError:
        return
    _known = dict(_used)


def forget() -> None:
    """Start again from the file (tests, and a process that runs many apps)."""
    global _known
    _known = None
    _used.clear()
