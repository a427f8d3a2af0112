"""A very long text in the live client pane: its start and a line saying how much more there is and
where to read it, never cut silently or inside words of self-harm or suicide; the summary, the
client's copy and every file always hold the whole text. (The pane itself: tests/tui/test_long_text.py.)"""

from __future__ import annotations

from datetime import date

from tplan_tui.summary import client_summary, render
from tplan_tui.summary.preview import CUT_OVER, KEEP, cut, preview
from tplan_tui.summary.txt import to_txt

TODAY = date(2026, 12, 2)


def long_words(n: int) -> str:
    """``n`` characters of invented words, numbered so that any part of them is recognisable."""
    words, size, k = [], 0, 0
    while size < n:
        word = f"walk{k}"
        words.append(word)
        size += len(word) + 1
        k += 1
    return " ".join(words)[:n].rstrip()


def test_the_summary_the_client_copy_and_every_file_hold_the_whole_text(chris):
    text = long_words(99_000) + " ENDOFSTRENGTH"
    chris.strengths[0].text = text
    for fmt in ("txt", "md", "html"):
        out = render(chris, today=TODAY, fmt=fmt)
        assert "ENDOFSTRENGTH" in out and "more characters" not in out, fmt
    record = render(chris, today=TODAY, audience="clinician")
    assert "ENDOFSTRENGTH" in record and "more characters" not in record
    doc = client_summary(chris, today=TODAY)
    kept = preview(doc)
    assert "ENDOFSTRENGTH" in to_txt(doc) and "ENDOFSTRENGTH" not in to_txt(kept)
    assert "ENDOFSTRENGTH" in to_txt(doc)  # preview made a new document, the summary is whole


def test_texts_up_to_the_limit_are_shown_whole():
    assert cut("") == ""
    exact = long_words(CUT_OVER)
    assert len(exact) == CUT_OVER and cut(exact) == exact
    assert cut(exact + " x").startswith(exact[:1000]) and "more characters" in cut(exact + " x")


def test_one_very_long_word_is_cut_at_the_keep_and_counted():
    text = "w" * 99_000
    out = cut(text)
    head, marker = out.split("\n")
    assert head == "w" * KEEP
    assert marker == (
        f"… {99_000 - KEEP:,} more characters not shown here: "
        "the full text is in the summary (Ctrl+T)"
    )


def test_the_cut_never_falls_inside_words_of_self_harm_or_suicide():
    # The last space before KEEP is the one inside "kill myself": the cut moves past it.
    lead = long_words(KEEP - 5)
    text = lead + " kill myself " + long_words(5_000)
    assert text.rfind(" ", KEEP - 200, KEEP + 1) == len(lead) + 5  # the space in the phrase
    assert cut(text).split("\n")[0].endswith(" kill myself")
    # No space near KEEP (one long run of letters): "suicidal..." is not cut inside.
    text = (
        "a" * (KEEP - 300) + " " + "b" * 294 + "-suicidal" + "z" * 1_000 + " " + long_words(3_000)
    )
    assert "-suicidal" in cut(text).split("\n")[0]
    # Letters written with a separate accent (folding changes the length) before the phrase.
    accents = "cafe\u0301 " * 240
    lead = accents + "x" * (KEEP - 13 - len(accents))
    text = lead + " quitarme la vida " + "b" * 3_000
    assert text.rfind(" ", KEEP - 200, KEEP + 1) == KEEP - 1  # between "la" and "vida"
    assert cut(text).split("\n")[0].endswith(" quitarme la vida")


def test_words_of_self_harm_in_the_part_not_shown_are_named_in_the_line():
    text = long_words(3_000) + " some days I want to kill myself " + long_words(3_000)
    marker = cut(text).split("\n")[1]
    assert "among them words of self-harm or suicide" in marker
    assert "among them" not in cut(long_words(6_000)).split("\n")[1]


def test_a_letter_and_its_combining_mark_stay_together():
    text = "x" + "e\u0301" * 5_000  # one long word of letters written with a separate accent
    shown = cut(text).split("\n")[0]
    assert len(shown) == KEEP + 1 and shown.endswith("e\u0301")
