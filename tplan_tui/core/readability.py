"""The reading grade tplan holds client wording to: Flesch-Kincaid, as textstat 0.7.8 scores it
(pinned: versions score differently, and later ones download data at first use).

textstat is imported on first use, not when tplan starts. Its syllable counts come from the CMU
pronouncing dictionary, which it loads on the first score: some 135,000 words as 300,000 Python
lists, kept for good. Once loaded they are frozen out of the full garbage collections
(``core/heap.py``): each walked them all, half of a 600 ms pause on a key in the app.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_loaded = False


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text``."""
    global _loaded
    import textstat

    if not _loaded:
        with _lock:
            if not _loaded:
                textstat.syllable_count("dictionary")  # loads the pronouncing dictionary
                from tplan_tui.core.heap import freeze_loaded

                freeze_loaded()
                _loaded = True
    return float(textstat.flesch_kincaid_grade(text))
