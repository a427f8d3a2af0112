"""Large tables loaded once and kept for the life of the process, left out of Python's full
garbage collections (issue 14: a full collection walks every object it tracks, and landed on
whatever key came next in the app).

``gc.freeze`` freezes every object alive at the moment it is called, not only the table just
loaded: cyclic garbage among them (say, the widgets of a plan screen open then and closed later)
is not collected until everything is thawed: the app does that at long rests (``tui/idle_gc.py``),
a command-line run never. That is bounded (what was alive once, at each of the few loads) and
the price of not walking hundreds of thousands of objects on every full collection.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Leave every object alive now out of full collections from here on."""
    gc.collect()  # what is garbage now goes first: frozen, it would be kept for good
    gc.freeze()
