"""The reading grade (core/readability.py): textstat's scores, and its pronouncing dictionary left
out of full garbage collections once loaded (each walked its 300,000 lists: 300 ms on a key)."""

from __future__ import annotations

import gc

import textstat

from tplan_tui.core.readability import grade


def test_the_grade_is_textstats_flesch_kincaid():
    text = "I will sleep seven hours on school nights. I will call a friend each week."
    assert grade(text) == textstat.flesch_kincaid_grade(text)


def test_the_pronouncing_dictionary_is_frozen_once_loaded():
    from textstat.backend.utils._get_cmudict import get_cmudict

    grade("One more sentence to score.")
    words = get_cmudict("en_US")  # textstat's default language
    assert words is not None and len(words) > 100_000
    tracked = {id(o) for o in gc.get_objects()}  # the frozen generation is not listed
    assert id(words) not in tracked
    assert id(next(iter(words.values()))) not in tracked
