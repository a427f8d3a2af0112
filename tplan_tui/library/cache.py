"""The goal library kept in memory between uses, read again only when the clinician's files change.

Reading and checking the shipped YAML files and folding every goal for search cost about 60 ms
of CPU (more on a busy machine) each time the picker opened (issue 14: Ctrl+L took 150-240 ms).
The shipped files do not change while tplan runs; the clinician's own may (saved from a plan,
or edited by hand), so the key is their paths, sizes and modification times.
"""

from __future__ import annotations

from pathlib import Path

from tplan_tui.library.areas import Library
from tplan_tui.library.loader import load_library, user_files, user_library_dir

_Key = tuple[str, tuple[tuple[str, int, int], ...]]
_cached: tuple[_Key, Library] | None = None


def _key() -> _Key | None:
    folder: Path = user_library_dir()
    try:
        files = tuple(
            (str(p), st.st_mtime_ns, st.st_size) for p in user_files(folder) for st in [p.stat()]
        )
    except OSError:  # a file went meanwhile: no key, read it all again
        return None
    return (str(folder), files)


def current_library() -> Library:
    """The whole library (as ``load_library()``), the same object while nothing changed.

    Callers only read it (search, preview, copy a goal into a plan with ``to_goal``)."""
    global _cached
    key = _key()
    if key is None:
        return load_library()
    if _cached is None or _cached[0] != key:
        library = load_library()
        library.search("")  # builds the search index now, not on the first key
        _cached = (key, library)
    return _cached[1]
