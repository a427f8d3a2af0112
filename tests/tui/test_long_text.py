"""A very long paragraph in the TUI: the client pane shows its start and says how much more there
is (the summary screen shows it all), and the text area rewraps per key only near the edit, with
the same line breaks as Textual's own wrap of the whole paragraph."""

from __future__ import annotations

import io
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual._wrap import compute_wrap_offsets
from textual.app import App, ComposeResult
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from tests.core.test_pane_preview import long_words
from tests.tui_helpers import Keyboard, goto_step, settled, wait_until
from tplan_tui.store import open_store
from tplan_tui.summary import render
from tplan_tui.summary.preview import KEEP, cut_point
from tplan_tui.tui.app import make_app
from tplan_tui.tui.longtext import LongLineWrap, rewrap
from tplan_tui.tui.safe import SafeTextArea
from tplan_tui.tui.widgets.client_pane import ClientPane, client_view
from tplan_tui.tui.widgets.fields import PlanTextArea

TODAY = date(2026, 12, 2)
MORE = re.compile(r"… ([\d,]+) more characters(, among them words of self-harm or suicide,)? not")


def pane(plan, width: int = 50) -> str:
    console = Console(file=io.StringIO(), width=width, record=True)
    console.print(client_view(plan, today=TODAY))
    return console.export_text()


def joined(shown: str) -> str:
    return " ".join(line.strip() for line in shown.splitlines())


def test_a_long_strength_shows_its_start_and_says_how_much_more_there_is(chris):
    text = long_words(99_000) + " ENDOFSTRENGTH"
    chris.strengths[0].text = text
    shown = pane(chris)
    lines = joined(shown)
    [(count, risk)] = MORE.findall(lines)
    assert not risk
    start = cut_point(text)
    assert KEEP - 200 <= start <= KEEP
    assert text[start] == " "  # cut between two words
    assert int(count.replace(",", "")) == len(text) - start - 1  # all but the space at the cut
    assert "the full text is in the summary (Ctrl+T)" in lines
    first_words = text[:start].split()
    assert " ".join(first_words) in lines  # every word before the cut, whole
    assert "ENDOFSTRENGTH" not in shown and text.split()[len(first_words)] not in lines.split()
    # The pane stays the size of a short plan: about KEEP characters, not 99,000.
    assert len(shown.splitlines()) < 200
    assert "Organized at work; good at making and following lists." in lines  # the rest is there


def test_long_texts_everywhere_in_the_pane_are_cut_and_named(chris):
    chris.goals[0].in_client_words = long_words(10_000) + " GOALEND"
    chris.presenting_concerns[0].in_client_words = long_words(8_000) + " CONCERNEND"
    chris.contract.client_agrees_to[0] = long_words(7_000) + " AGREEEND"
    shown = pane(chris, 60)
    lines = joined(shown)
    assert len(MORE.findall(lines)) == 3
    for end in ("GOALEND", "CONCERNEND", "AGREEEND"):
        assert end not in shown
        assert end in render(chris, today=TODAY)


# ------------------------------------------------------------------ rewrapping near the edit

# Words, runs of spaces (a no-break space too), long words; wide letters and combining accents
# (another way through ``rewrap``) in half the texts.
ONE_CELL = ["a", "bc", "word", " ", "  ", "\u00a0", "é", "w" * 45, "x" * 90]
ANY = [*ONE_CELL, "字", "漢字", "e\u0301", "漢字" * 300]  # a long one: measured another way
PIECES = st.one_of(st.sampled_from(ONE_CELL), st.sampled_from(ANY))


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.sampled_from([ONE_CELL, ANY]).flatmap(
        lambda kinds: st.lists(st.sampled_from(kinds), max_size=80)
    ),
    width=st.integers(4, 40),
    at=st.floats(0, 1),
    removed=st.integers(0, 12),
    inserted=st.lists(PIECES, max_size=3).map("".join),
)
def test_rewrapping_near_an_edit_gives_textual_s_own_breaks(pieces, width, at, removed, inserted):
    text = "".join(pieces)
    col = int(at * len(text))
    removed = min(removed, len(text) - col)
    new = text[:col] + inserted + text[col + removed :]
    old = compute_wrap_offsets(text, width, 4)
    assert rewrap(new, old, width, col, col + removed, col + len(inserted)) == (
        compute_wrap_offsets(new, width, 4)
    )


def test_a_long_paragraph_edited_anywhere_wraps_as_if_wrapped_whole():
    text = (
        long_words(9_000) + " \x07\x1b " + "y" * 3_000 + " tail\nsecond line " + long_words(3_000)
    )
    document = Document(text)
    wrapped = WrappedDocument(document, width=37)
    wrapped.__class__ = LongLineWrap
    for row, col, removed, inserted in [
        (0, 0, 0, "x"),
        (0, 4_000, 0, "a longer insert "),
        (0, 4_000, 5, ""),
        (0, 9_500, 0, "zz"),  # inside the long word
        (0, 12_000, 0, " "),
        (1, 20, 0, "q"),
    ]:
        result = document.replace_range((row, col), (row, col + removed), inserted)
        wrapped.wrap_range((row, col), (row, col + removed), result.end_location)
        whole = WrappedDocument(document, width=37)
        assert wrapped._wrap_offsets == whole._wrap_offsets
        assert wrapped._offset_to_line_info == whole._offset_to_line_info
        assert wrapped._line_index_to_offsets == whole._line_index_to_offsets
        # Rows as strings (the cursor's place is found in them), made only when asked for.
        sections = wrapped.get_sections(row)
        assert list(sections) == whole.get_sections(row)
        assert (
            sections[:7] == whole.get_sections(row)[:7]
            and sections[-1] == whole.get_sections(row)[-1]
        )


class OneArea(App[None]):
    def __init__(self, area: TextArea):
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        yield self.area


async def test_a_long_paragraph_s_rows_are_drawn_as_textual_draws_them():
    # A control character (shown as a picture), a long word, a second paragraph.
    text = long_words(6_000) + " \x1b[2J " + long_words(3_000) + " " + "y" * 3_000 + " tail"
    area = SafeTextArea(text + "\nsecond line", soft_wrap=True, compact=True)
    app = OneArea(area)
    async with app.run_test(size=(50, 8)) as pilot:
        area.focus()
        end = len(text)
        for selection in [
            Selection.cursor((0, 0)),
            Selection.cursor((0, 4_321)),
            Selection((0, 4_000), (0, 4_100)),  # a selection over several rows
            Selection((0, 4_100), (0, 3_990)),  # made backwards
            Selection.cursor((0, 6_002)),  # on the control character
            Selection.cursor((0, end - 2_000)),  # inside the long word
            Selection((0, end - 30), (1, 3)),  # into the next paragraph
            Selection.cursor((0, end)),  # after the last character
        ]:
            area.selection = selection
            await pilot.pause()
            assert area._long_row(0) is not None
            for y in range(area.size.height):
                ours = area._render_line(y)
                theirs = TextArea._render_line(area, y)
                assert list(ours) == list(theirs), (selection, y)
                assert ours.cell_length == theirs.cell_length
        area.selection = Selection.cursor((0, 6_002))
        await pilot.pause()
        rows = "".join(s.text for y in range(area.size.height) for s in area._render_line(y))
        assert "\u241b[2J" in rows  # ESC drawn as its picture, never sent to the terminal


# ------------------------------------------------------------------ in the app


async def test_typing_in_a_long_strength_beside_the_pane(tmp_path, chris):
    text = long_words(60_000) + " ENDOFSTRENGTH"
    chris.strengths[0].text = text
    [plan_id] = open_store(tmp_path / "db").import_plans([chris])
    app = make_app(open_store(tmp_path / "db"), today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await app.open_plan(plan_id)
        screen = app.screen
        await goto_step(pilot, screen, "strengths")
        area = screen.query_one("#f-strengths-0-text PlanTextArea", PlanTextArea)
        assert isinstance(area.wrapped_document, LongLineWrap)
        area.focus()
        area.move_cursor((0, 30_000))
        await pilot.pause()
        await Keyboard(pilot).press(*"brave", "space")
        typed = text[:30_000] + "brave " + text[30_000:]
        await wait_until(pilot, lambda: screen.plan.strengths[0].text == typed, "the keys")
        # The text area's breaks are those of a fresh wrap of the whole text.
        whole = WrappedDocument(Document(typed), width=area.wrapped_document._width)
        assert area.wrapped_document._wrap_offsets == whole._wrap_offsets

        def drawn() -> str:
            content = screen.query_one(ClientPane).query_one("#client-view").content
            console = Console(file=io.StringIO(), width=60, record=True)
            console.print(content)
            return joined(console.export_text())

        more = len(typed) - cut_point(typed) - 1  # all but the space at the cut
        await wait_until(pilot, lambda: MORE.findall(drawn()) == [(f"{more:,}", "")], "the cut")
        assert "ENDOFSTRENGTH" not in drawn() and "brave" not in drawn()  # past the cut
        # The summary (Ctrl+T), as the line says, holds the whole text.
        await Keyboard(pilot).press("ctrl+t")
        await wait_until(pilot, lambda: app.screen.query("#summary-text"), "the summary")
        summary = app.screen.query_one("#summary-text", Static)
        await wait_until(pilot, lambda: "ENDOFSTRENGTH" in str(summary.content), "the whole text")
        assert "more characters" not in str(summary.content)
        assert "walk0 walk1" in str(summary.content) and "brave" in str(summary.content)
