"""Hostile plan files (issue 18): every value bounded at the door, every YAML failure an error
with a path or a line, and every plan that is accepted exports and re-imports. The editing core
the app uses keeps the same bounds. All names and stories here are invented."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.samples import CHRIS_TEXT
from tests.strategies import CONTROL_TEXT, plans
from tplan_tui import planfile
from tplan_tui.core import bounds, editing
from tplan_tui.planfile import PlanFileError


def errors(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        planfile.load_plan_text(text)
    return [str(e) for e in caught.value.errors]


def chris_with(old: str, new: str) -> str:
    assert old in CHRIS_TEXT
    return CHRIS_TEXT.replace(old, new, 1)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "1899-12-31", "0001-01-01"])
def test_a_date_outside_1900_to_2100_is_refused_with_its_path(day):
    assert errors(chris_with("started: 2016-07-01", f"started: {day}")) == [
        f"plan.started: {day} is out of range: dates run from 1900-01-01 to 2100-12-31"
    ]


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_first_and_last_dates_are_kept_and_a_review_date_follows(day):
    plan = planfile.load_plan_text(chris_with("started: 2016-07-01", f"started: {day}"))
    assert plan.plan.started.isoformat() == day
    assert plan.next_review == date.fromisoformat(day) + timedelta(days=30)  # never overflows
    assert planfile.load_plan_text(planfile.dump_plan(plan)) == plan


def test_a_date_of_birth_after_today_is_refused():
    tomorrow = date.today() + timedelta(days=1)
    text = chris_with("  name: Chris\n", f"  name: Chris\n  date_of_birth: {tomorrow}\n")
    assert errors(text) == [
        f"client.date_of_birth: {tomorrow} is after today: a date of birth cannot be in the future"
    ]
    today = chris_with("  name: Chris\n", f"  name: Chris\n  date_of_birth: {date.today()}\n")
    assert planfile.load_plan_text(today).client.date_of_birth == date.today()


def test_a_birth_year_9990_is_refused():
    text = chris_with("  name: Chris\n", "  name: Chris\n  date_of_birth: 9990-05-01\n")
    assert errors(text) == [
        "client.date_of_birth: 9990-05-01 is out of range: dates run from 1900-01-01 to 2100-12-31"
    ]


# --------------------------------------------------------------------------- control characters


def _quoted(text: str) -> str:
    return (
        '"' + "".join(c if c.isalnum() or c in " ;[]=" else f"\\x{ord(c):02x}" for c in text) + '"'
    )


@pytest.mark.parametrize("text", CONTROL_TEXT)
def test_a_control_character_is_refused_in_every_text_with_its_path(text):
    bad = _quoted(text)
    plan_text = (
        chris_with("  name: Chris\n", f"  name: {bad}\n").replace(
            "  credentials: LPC\n", f"  credentials: {bad}\n", 1
        )
    ) + f"extra:\n  k: [{bad}]\n  {bad}: 1\n"
    found = errors(plan_text)
    assert len(found) == 4, found
    assert [e.split(":")[0] for e in found] == [
        "client.name", "clinician.credentials", "extra.k[0]", f"extra.{bounds.short_key(text)}"
    ]  # fmt: skip
    assert all("control character" in e and "\x1b" not in e for e in found)


def test_line_breaks_and_tabs_are_text():
    text = chris_with("  name: Chris\n", '  name: "Chris\\tR.\\nsecond line"\n')
    assert planfile.load_plan_text(text).client.name == "Chris\tR.\nsecond line"


def test_an_unknown_key_is_quoted_short_and_escaped():
    key = "\x1b]0;owned\x07" + "a foreign line that goes on " * 20
    text = chris_with("  name: Chris\n", f"  name: Chris\n  {_quoted(key)}: 1\n")
    (error,) = errors(text)
    shown = error.split(": unknown key")[0]
    assert shown.startswith("client.\\x1b]0;owned\\x07a foreign")
    assert len(shown) <= len("client.") + 40 and shown.endswith("…")
    assert "\x1b" not in error and "\x07" not in error


def test_a_text_over_the_limit_is_refused():
    long = "word " * (bounds.TEXT_MAX // 5 + 1)
    assert errors(CHRIS_TEXT + f"extra: {{note: '{long}'}}\n") == [
        f"extra.note: is {len(long):,} characters long; text may be at most {bounds.TEXT_MAX:,}"
    ]


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!int {a: 1}", "the tag !!int must be on a single value, not on a set of keys"),
        ("!!bool [1]", "the tag !!bool must be on a single value, not on a list"),
        ("!!map abc", "the tag !!map must be on a set of keys, not on a single value"),
        ("!!seq {a: 1}", "the tag !!seq must be on a list, not on a set of keys"),
        ("!!int abc", "'abc' cannot be read as !!int"),
        ("!!int ''", "'' cannot be read as !!int"),
        ("!!bool maybe", "'maybe' cannot be read as !!bool"),
        ("!!float abc", "'abc' cannot be read as !!float"),
        ("9" * 4301, "a whole number of 4,301 characters is too long: at most 19 digits"),
        ("0x" + "f" * 5000, "a whole number of 5,002 characters is too long: at most 19 digits"),
        (
            "0x" + "f" * 17,
            f"the whole number 0x{'f' * 17} is too large: it must fit 64 bits "
            "(-9223372036854775808 to 9223372036854775807)",
        ),
    ],
)
def test_a_bad_tag_or_number_is_an_error_with_its_line(value, problem):
    text = CHRIS_TEXT + f"extra:\n  x: {value}\n"
    line = CHRIS_TEXT.count("\n") + 2
    assert errors(text) == [f"line {line}, column 6: {problem}"]


def test_the_largest_64_bit_numbers_are_kept():
    text = CHRIS_TEXT + f"extra:\n  big: {bounds.INT_MAX}\n  small: {bounds.INT_MIN}\n"
    plan = planfile.load_plan_text(text)
    assert plan.extra == {"big": bounds.INT_MAX, "small": bounds.INT_MIN}
    assert planfile.load_plan_text(planfile.dump_plan(plan)) == plan


@pytest.mark.parametrize("depth", [65, 326, 5000])
def test_deep_nesting_is_an_error_with_its_line(depth):
    flow = CHRIS_TEXT + "extra: {x: " + "[" * depth + "]" * depth + "}\n"
    (error,) = errors(flow)
    assert error.startswith(f"line {CHRIS_TEXT.count(chr(10)) + 1}, column ")
    assert error.endswith(
        "nested too deep: a plan file may nest lists and keys at most 64 levels deep"
    )
    block = CHRIS_TEXT + "extra:\n" + "".join("  " * i + "  a:\n" for i in range(depth))
    (error,) = errors(block)
    assert "nested too deep" in error


def test_extra_nested_to_its_limit_is_kept_and_its_export_reimports():
    deep: object = "leaf"
    for _ in range(bounds.EXTRA_DEPTH_MAX):
        deep = [deep]
    plan = planfile.load_plan_text(CHRIS_TEXT)
    plan.goals[0].progress[0].extra = {"x": copy.deepcopy(deep)}  # the deepest place in a plan
    again = planfile.load_plan_text(planfile.dump_plan(plan))
    assert again == plan
    plan.goals[0].progress[0].extra = {"x": [deep]}
    with pytest.raises(
        PlanFileError, match=r"extra may hold lists and keys at most 32 levels deep"
    ):
        planfile.load_plan_text(planfile.dump_plan(plan))


def test_too_many_values_is_an_error_with_its_line():
    text = CHRIS_TEXT + "extra:\n  x: [" + "1," * 200_000 + "1]\n"
    (error,) = errors(text)
    assert error.endswith("too many values: a plan file may hold at most 50,000 values and keys")
    assert error.startswith(f"line {CHRIS_TEXT.count(chr(10)) + 2}, column ")


def test_nan_under_extra_is_refused_as_it_cannot_come_back_equal():
    assert errors(CHRIS_TEXT + "extra:\n  x: .nan\n") == [
        "extra.x: must be a finite number (.inf and .nan cannot be kept)"
    ]


# --------------------------------------------------------------------------- the editing core


@pytest.mark.parametrize("text", CONTROL_TEXT)
def test_the_editing_core_refuses_a_control_character(text, chris):
    problem = editing.set_field(chris, ("client", "name"), "text", text)
    assert problem and problem.startswith("contains the control character")
    assert chris.client.name == "Chris"  # the last good value is kept
    assert editing.set_field(chris, ("clinician_notes",), "optional", text)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("9999-12-31", "9999-12-31 is out of range: dates run from 1900-01-01 to 2100-12-31"),
        ("1899-12-31", "1899-12-31 is out of range: dates run from 1900-01-01 to 2100-12-31"),
    ],
)
def test_the_editing_core_refuses_a_far_date(raw, problem, chris):
    assert editing.set_field(chris, ("plan", "started"), "date", raw) == problem
    assert chris.plan.started == date(2016, 7, 1)


def test_the_editing_core_refuses_a_birth_date_after_today(chris):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert editing.set_field(chris, ("client", "date_of_birth"), "date", tomorrow) == (
        f"{tomorrow} is after today: a date of birth cannot be in the future"
    )
    assert editing.set_field(chris, ("plan", "next_session"), "date", tomorrow) is None


@pytest.mark.parametrize("raw", ["9" * 5000, "12345678901234567890", "²", "٣"])
def test_the_editing_core_refuses_a_number_it_cannot_keep(raw, chris):
    problem = editing.set_field(chris, ("plan", "version"), "whole", raw, lo=1)
    assert problem and problem.startswith("must be a whole number")
    assert len(problem) < 100
    assert chris.plan.version == 1


# --------------------------------------------------------------------------- round trip


@st.composite
def plans_at_the_bounds(draw):
    """Any plan, with values pushed to the edges the reader allows."""
    plan = draw(plans())
    plan.plan.started = draw(st.sampled_from([bounds.DATE_MIN, bounds.DATE_MAX]))
    plan.client.date_of_birth = draw(st.sampled_from([None, bounds.DATE_MIN, date.today()]))
    depth = draw(st.integers(1, bounds.EXTRA_DEPTH_MAX))
    deep: object = draw(st.sampled_from([bounds.INT_MAX, bounds.INT_MIN, "x\ty", 1.5e308]))
    for _ in range(depth):
        deep = [deep] if draw(st.booleans()) else {"k": deep}
    plan.goals[0].objectives[0].extra = {"deep": deep}
    return plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_at_the_bounds())
def test_every_accepted_plan_exports_and_reimports_equal(plan):
    text = planfile.dump_plan(plan)
    again = planfile.load_plan_text(text)  # accepted at the door...
    assert again == plan
    assert planfile.load_plan_text(planfile.dump_plan(again)) == plan  # ...and again


# --------------------------------------------------------------------------- wrapping


def _reference_wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """The txt wrap as it was before issue 18 (right, but quadratic in a long word's length)."""
    from rich.cells import cell_len

    def chop(word: str, room: int) -> tuple[str, str]:
        used = cut = 0
        for i, char in enumerate(word):
            w = cell_len(char)
            if w and used + w > room and cut:
                break
            used += w
            cut = i + 1
        return word[:cut], word[cut:]

    lines: list[str] = []
    for n, source in enumerate(text.split("\n")):
        prefix = first if n == 0 else rest
        words = [w for w in source.split(" ") if w]
        if not words:
            lines.append(prefix.rstrip())
            continue
        line, used, empty = prefix, cell_len(prefix), True
        for word in words:
            size = cell_len(word)
            if not empty and used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
                continue
            if not empty:
                lines.append(line)
                line, used = rest, cell_len(rest)
            while used + size > width:
                head, word = chop(word, width - used)
                lines.append(line + head)
                line, used = rest, cell_len(rest)
                size = cell_len(word)
            line, used, empty = line + word, used + size, False
        lines.append(line)
    return lines


_wrap_chars = st.sampled_from(list("ab c\n") + ["中", "é", "\u0301", "😀", " "])


@settings(max_examples=300, deadline=None)
@given(
    st.text(_wrap_chars, max_size=400),
    st.integers(8, 60),
    st.sampled_from(["", "1. ", "    "]),
    st.sampled_from(["", "   ", "  "]),
)
def test_the_txt_wrap_cuts_as_it_always_did(text, width, first, rest):
    from tplan_tui.summary.txt import wrap

    assert wrap(text, width, first, rest) == _reference_wrap(text, width, first, rest)


@pytest.mark.parametrize("char", ["x", "中", "é"])
def test_a_long_word_is_cut_into_lines_that_fit_and_lose_nothing(char):
    from rich.cells import cell_len

    from tplan_tui.summary.txt import wrap

    word = char * 100_000
    lines = wrap(word, 80, first="1. ", rest="   ")
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0].startswith("1. ") and all(line.startswith("   ") for line in lines[1:])
    assert "".join(line[3:] for line in lines) == word


def test_wrapping_a_long_word_measures_each_character_about_once(monkeypatch):
    # Linear, not quadratic (a 200,000-character word took 6.9 s): count the characters the
    # wrap asks rich to measure, rather than time it.
    from tplan_tui.summary import txt

    measured = [0]
    real = txt.cell_len

    def counting(text: str) -> int:
        measured[0] += len(text)
        return real(text)

    monkeypatch.setattr(txt, "cell_len", counting)
    for word in ("x" * 20_000, "中é" * 10_000):
        measured[0] = 0
        txt.wrap(word, 80)
        assert measured[0] <= 2 * len(word), measured[0]
