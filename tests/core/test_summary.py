"""The client's plain-language summary and the clinical record (``tplan_tui.summary``).

Golden files: each format of each example lives in ``tests/golden/summary/``, and a test compares
the output with it, so any change of wording shows up as a diff in review. After a change you
mean, regenerate them and read the diff before committing:

    TPLAN_UPDATE_GOLDEN=1 PYTHONPATH=. python -m pytest tests/test_summary.py -q

Every date is fixed (``today`` is passed in), so no output depends on the day the tests run.
The reading grades of the example summaries print with ``-s -k reading_grade``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.cells import cell_len

from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.summary import (
    GLOSSARY,
    client_summary,
    client_summary_txt,
    date_in_words,
    reading_grade,
    render,
    summary_prose,
)
from tplan_tui.summary.words import clinical_terms

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "summary"
from tests.samples import MAYA_YAML  # noqa: E402

UPDATE_GOLDEN = os.environ.get("TPLAN_UPDATE_GOLDEN") == "1"

CHRIS_TODAY = date(2016, 7, 31)
MAYA_TODAY = date(2026, 10, 1)
TODAY = date(2026, 10, 1)  # for the plans built here
FORMATS = ("txt", "md", "html")
AUDIENCES = ("client", "clinician")
MAX_GRADE = 8


@pytest.fixture
def maya():
    """An invented adolescent client with a guardian (tests/data/maya.yaml)."""
    return planfile.load_plan_file(MAYA_YAML)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no golden file {path.name}: write it with TPLAN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs from its golden file; if the change is meant, regenerate with "
        "TPLAN_UPDATE_GOLDEN=1 and review the diff"
    )


# --------------------------------------------------------------------------- plans built here

CLINICIAN_ONLY = {
    "history.demographics",
    "history.psychosocial",
    "history.symptom_onset",
    "history.treatment_history",
    "diagnosis.code",
    "diagnosis.label",
    "progress.note",
    "review.note",
    "clinician_notes",
}


def build_plan(say) -> m.Plan:
    """A plan with every part filled, each free-text field saying ``say(field name)``."""
    return m.Plan(
        client=m.Client(
            name=say("client.name"),
            full_name=say("client.full_name"),
            date_of_birth=date(2010, 5, 4),
            pronouns=say("client.pronouns"),
            guardian=m.Guardian(
                name=say("guardian.name"), relationship=say("guardian.relationship")
            ),
        ),
        clinician=m.Clinician(name=say("clinician.name"), credentials=say("clinician.credentials")),
        plan=m.PlanInfo(
            started=date(2026, 6, 1),
            review_every_days=90,
            level_of_care=say("plan.level_of_care"),
            discharge_criteria=say("plan.discharge_criteria"),
            expected_end=date(2027, 6, 1),
        ),
        history=m.History(
            demographics=say("history.demographics"),
            psychosocial=say("history.psychosocial"),
            symptom_onset=say("history.symptom_onset"),
            treatment_history=say("history.treatment_history"),
            diagnoses=[m.Diagnosis(code=say("diagnosis.code"), label=say("diagnosis.label"))],
        ),
        presenting_concerns=[
            m.Concern(text=say("concern.text"), in_client_words=say("concern.in_client_words"))
        ],
        strengths=[m.Strength(text=say("strength.text"))],
        contract=m.Contract(
            modality=say("contract.modality"),
            frequency=say("contract.frequency"),
            session_minutes=45,
            client_agrees_to=[say("contract.client_agrees_to")],
            clinician_agrees_to=[say("contract.clinician_agrees_to")],
        ),
        goals=[
            m.Goal(
                text=say("goal.text"),
                in_client_words=say("goal.in_client_words"),
                rating=m.Rating(
                    label=say("rating.label"),
                    low=say("rating.low"),
                    high=say("rating.high"),
                    baseline=2,
                    target=8,
                ),
                target_date=date(2027, 1, 15),
                achievement="improving",
                objectives=[m.Objective(text=say("objective.text"), status="in-progress")],
                interventions=[
                    m.Intervention(
                        text=say("intervention.text"),
                        modality=say("intervention.modality"),
                        frequency=say("intervention.frequency"),
                        by=say("intervention.by"),
                    )
                ],
                progress=[
                    m.ProgressEntry(
                        date=date(2026, 7, 1),
                        client_rating=4,
                        clinician_rating=3,
                        objectives_achieved=[1],
                        note=say("progress.note"),
                    )
                ],
            )
        ],
        reviews=[m.Review(date=date(2026, 8, 30), note=say("review.note"))],
        consents=[
            m.Consent(
                to=say("consent.to"),
                shares="summary",
                signed_by=say("consent.signed_by"),
                signed_on=date(2026, 6, 1),
            )
        ],
        signatures=[
            m.Signature(role="client", name=say("signature.name"), signed_on=date(2026, 6, 1))
        ],
        clinician_notes=say("clinician_notes"),
    )


def plain_words(field: str) -> str:
    return {
        "client.name": "Robin",
        "clinician.name": "Lee Park",
        "intervention.by": "family",
        "diagnosis.code": "F00.0",
    }.get(field, "Some words here")


def without_parts(plan: m.Plan) -> m.Plan:
    """The plan with no history, contract, progress, reviews, consents or signatures."""
    plan = copy.deepcopy(plan)
    plan.history = m.History()
    plan.contract = m.Contract()
    plan.reviews, plan.consents, plan.signatures = [], [], []
    plan.clinician_notes = None
    for goal in plan.goals:
        goal.progress = []
    return plan


def all_outputs(plan: m.Plan, audience: str, today: date = TODAY) -> dict[str, str]:
    return {fmt: render(plan, audience=audience, fmt=fmt, today=today) for fmt in FORMATS}


# --------------------------------------------------------------------------- reading output


class _Page(HTMLParser):
    """The tags and the text of an HTML page; <style>, <title> and <pre> (a chart) left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title", "pre"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "pre"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def read_html(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def md_to_html(text: str) -> str:
    """Markdown as GitHub would show it, bare-link autolinking included."""
    return MarkdownIt("gfm-like").render(text)


def visible(fmt: str, text: str) -> str:
    """What a reader sees: the txt as it is, the html's text, the Markdown's text once shown."""
    if fmt == "md":
        text = md_to_html(text)
    if fmt in ("md", "html"):
        return "".join(read_html(text).text)
    return text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def headings_md(text: str) -> list[tuple[int, str]]:
    return [(len(m_[1]), m_[2]) for m_ in re.finditer(r"^(#{1,6}) (.*)$", text, re.MULTILINE)]


# --------------------------------------------------------------------------- golden files


GOLDEN_CASES = {
    "chris": (lambda chris, maya: chris, CHRIS_TODAY),
    "maya": (lambda chris, maya: maya, MAYA_TODAY),
    "chris-without-parts": (lambda chris, maya: without_parts(chris), CHRIS_TODAY),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_output_matches_golden_file(case, audience, fmt, chris, maya):
    make, today = GOLDEN_CASES[case]
    text = render(make(chris, maya), audience=audience, fmt=fmt, today=today)
    check_golden(f"{case}.{audience}.{fmt}", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_released_copy_matches_golden_file(fmt, maya):
    text = render(maya, fmt=fmt, today=MAYA_TODAY, released_under=(1, maya.consents[0]))
    check_golden(f"maya.client.released.{fmt}", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unicode_and_markup_match_golden_file(fmt):
    names = {"client.name": "Zoë 李小龙 🌱", "goal.in_client_words": "# I want *less* <worry>"}
    plan = build_plan(lambda f: names.get(f, plain_words(f)))
    check_golden(f"unicode-markup.client.{fmt}", render(plan, fmt=fmt, today=TODAY))


# --------------------------------------------------------------------------- what the summary says


CLIENT_HEADINGS_IN_ORDER = [
    "What brought you here",
    "Your strengths",
    "Your goals",
    "What you each agree to",
    "How often you meet",
    "When you look at the plan again",
    "Who may get information about you",
    "Signatures",
    "How to reach help",  # always last (issue 11)
]


def test_client_summary_sections_come_in_the_set_order(maya):
    text = render(maya, fmt="md", today=MAYA_TODAY)
    found = [h for level, h in headings_md(text) if level == 2]
    assert found == CLIENT_HEADINGS_IN_ORDER


def test_client_summary_opens_with_who_with_whom_and_the_date(maya):
    opening = client_summary_txt(maya, today=MAYA_TODAY).split("What brought you here")[0]
    assert "For:                 Maya" in opening
    assert "With:                Sam Okafor, LCSW" in opening
    assert "Parent or guardian:  Elena Torres (mother)" in opening
    assert "Date:                October 1, 2026" in opening


def test_client_summary_prefers_the_clients_own_words(maya):
    text = client_summary_txt(maya, today=MAYA_TODAY)
    assert "I get a stomach ache every school morning" in text
    assert "School avoidance with somatic complaints" not in text
    assert "I want to go to school without feeling sick about it." in text
    assert "Maya will attend school on at least 9 of 10" not in text
    # a strength without the client's words falls back to the clinician's
    assert "Wants to go back to the swim team." in text


def test_goal_shows_the_scale_in_one_sentence_the_start_latest_and_target(chris):
    text = client_summary_txt(chris, today=CHRIS_TODAY)
    assert (
        'You rate "My son\'s behavior at home" from 0 to 10: 0 means very poor, 10 means\nexcellent. '
        "A higher number is better." in text
    )
    assert "Where you started:   3 out of 10" in text
    assert "Your latest rating:  5 out of 10, on July 31, 2016" in text
    assert "Your target:         6 out of 10 or higher, by October 1, 2016" in text
    assert "How it is going:     getting better" in text


def test_rating_chart_draws_a_bar_out_of_ten_and_names_start_and_target(chris, maya):
    text = client_summary_txt(chris, today=CHRIS_TODAY)
    assert "  Start          ###.......   3\n" in text
    assert "  July 31, 2016  #####.....   5\n" in text
    assert "  Target         ######....   6\n" in text
    rows = re.findall(
        r"^  (.+?)  +([#.]{10})  +(\d+)$", client_summary_txt(maya, today=MAYA_TODAY), re.MULTILINE
    )
    assert [r[0] for r in rows[:6]] == [
        "Start", "June 29, 2026", "July 27, 2026", "August 24, 2026", "September 14, 2026", "Target",
    ]  # fmt: skip
    for _, bar, number in rows:
        assert bar.count("#") == int(number)


def test_next_review_is_written_out_in_words(maya):
    text = client_summary_txt(maya, today=MAYA_TODAY)
    assert "You and Sam Okafor will look at this plan again by December 13, 2026." in text


def test_an_overdue_review_says_so_in_words(chris):
    text = client_summary_txt(chris, today=date(2016, 9, 1))
    assert "This plan was due to be looked at again on July 31, 2016." in text


@pytest.mark.parametrize(
    "status, words",
    [
        ("not-started", "Not started yet:"),
        ("in-progress", "Working on it:"),
        ("achieved", "Done:"),
        ("not-achieved", "Not reached:"),
        ("cancelled", "Stopped:"),
    ],
)
def test_objective_status_in_words(status, words):
    plan = build_plan(plain_words)
    plan.goals[0].objectives[0].status = status
    assert f"1. {words} Some words here" in client_summary_txt(plan, today=TODAY)


@pytest.mark.parametrize(
    "achievement, words",
    [
        ("in-progress", "working on it"),
        ("improving", "getting better"),
        ("worsening", "getting harder"),
        ("no-change", "no change yet"),
        ("achieved", "reached"),
        ("not-achieved", "not reached"),
    ],
)
def test_goal_achievement_in_words(achievement, words):
    plan = build_plan(plain_words)
    plan.goals[0].achievement = achievement
    assert f"How it is going:     {words}\n" in client_summary_txt(plan, today=TODAY)


def test_consents_say_who_may_get_what_and_which_have_ended(maya):
    text = " ".join(client_summary_txt(maya, today=MAYA_TODAY).split())
    assert "Ms. Ito, school counselor, Lakeview High School: may get a short summary" in text
    assert "Dr. Amara Ndiaye, family doctor: may get your whole plan" in text
    assert "Coach Brandt, swim team: may get a short summary" in text
    assert "This ended on August 1, 2026. Nothing more is shared." in text
    assert "This ends on June 15, 2027." in text


def test_signatures_of_the_current_version_are_listed(maya):
    text = client_summary_txt(maya, today=MAYA_TODAY)
    assert "- Maya (you) signed on June 15, 2026." in text
    assert "- Elena Torres (parent or guardian) signed on June 15, 2026." in text
    assert "- Sam Okafor signed on June 15, 2026." in text


# --------------------------------------------------------------------------- empty parts left out


def test_missing_parts_leave_their_sections_out_of_the_summary(chris):
    full = client_summary_txt(chris, today=CHRIS_TODAY)
    text = client_summary_txt(without_parts(chris), today=CHRIS_TODAY)
    for heading in ("What you each agree to", "How often you meet"):
        assert heading in full
        assert heading not in text
    # No one has signed: the signatures part is lines to sign on paper.
    assert "You: ____" in text and "- Chris (you) signed" not in text
    # What is private and its limits is true of every plan: it stays, with no one named.
    assert "Who may get information about you" in text
    assert "You have not said yes to sharing it with anyone." in " ".join(text.split())
    assert "Your latest rating" not in text and "Your ratings over time" not in text
    assert "Your latest rating" in full and "Your ratings over time" in full
    assert "What brought you here" in text and "Your goals" in text


def test_missing_parts_leave_their_sections_out_of_the_record(chris):
    full = render(chris, audience="clinician", today=CHRIS_TODAY)
    text = render(without_parts(chris), audience="clinician", today=CHRIS_TODAY)
    for heading in ("History and assessment", "Treatment contract", "Progress:", "Signatures"):
        assert heading in full
        assert heading not in text
    for heading in ("Consents", "Reviews", "Clinician notes"):
        assert heading not in text


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_heading_is_printed_empty(audience, chris, maya):
    for plan, today in (
        (chris, CHRIS_TODAY),
        (maya, MAYA_TODAY),
        (without_parts(chris), CHRIS_TODAY),
    ):
        text = render(plan, audience=audience, fmt="md", today=today)
        lines = [line for line in text.splitlines() if line.strip()]
        for here, after in zip(lines, lines[1:] + ["# end"], strict=True):
            if here.startswith("#") and after.startswith("#"):
                level, next_level = len(here.split()[0]), len(after.split()[0])
                assert next_level > level, f"empty section: {here!r}"


# --------------------------------------------------------------------------- never in the summary


def canary(field: str) -> str:
    return f"CANARY-{field}" if field in CLINICIAN_ONLY else plain_words(field)


@pytest.mark.parametrize("fmt", FORMATS)
def test_clinician_only_text_never_reaches_the_client(fmt):
    plan = build_plan(canary)
    client = render(plan, audience="client", fmt=fmt, today=TODAY)
    record = visible(fmt, render(plan, audience="clinician", fmt=fmt, today=TODAY))
    assert "CANARY" not in client
    for field in CLINICIAN_ONLY:  # the canaries are real: the record shows every one of them
        assert f"CANARY-{field}" in record


@pytest.mark.parametrize("fmt", FORMATS)
def test_chris_summary_has_no_diagnosis_or_history(fmt, chris):
    client = render(chris, fmt=fmt, today=CHRIS_TODAY)
    record = visible(fmt, render(chris, audience="clinician", fmt=fmt, today=CHRIS_TODAY))
    for secret in ("Z62.820", "Parent-biological child conflict", "Single father", "divorce",
                   "Over the past 30 days"):  # fmt: skip
        assert secret not in client
        assert secret in record


def test_clinical_record_is_titled_and_keeps_everything(maya):
    maya = copy.deepcopy(maya)
    maya.goals[0].objectives[0].extra = {"source": "goal library"}
    for fmt in FORMATS:
        text = visible(fmt, render(maya, audience="clinician", fmt=fmt, today=MAYA_TODAY))
        assert "Treatment plan \N{EM DASH} clinical record" in text
        for kept in ("F41.1", "Generalized anxiety disorder", "Watch for low mood",
                     "School avoidance with somatic complaints", "Fear hierarchy done with ten steps",
                     "add a family session in October", "Maya Lindqvist-Torres", "March 9, 2011",
                     "goals[0].objectives[0].extra.source", "goal library"):  # fmt: skip
            assert kept in text, (fmt, kept)


# --------------------------------------------------------------------------- plain language


@pytest.mark.parametrize("name", ["chris", "maya"])
def test_reading_grade_of_the_example_summaries(name, chris, maya):
    plan, today = (chris, CHRIS_TODAY) if name == "chris" else (maya, MAYA_TODAY)
    grade = reading_grade(plan, today=today)
    print(f"\nFlesch-Kincaid grade of {name}'s summary (txt prose): {grade:.1f}")
    assert grade == textstat.flesch_kincaid_grade(summary_prose(plan, today=today))
    assert grade <= MAX_GRADE


@pytest.mark.parametrize("name", ["chris", "maya"])
def test_measured_prose_is_the_txt_summarys_text(name, chris, maya):
    plan, today = (chris, CHRIS_TODAY) if name == "chris" else (maya, MAYA_TODAY)
    txt = squash(client_summary_txt(plan, today=today))
    pieces = summary_prose(plan, today=today).splitlines()
    assert len(pieces) > 20
    for piece in pieces:
        # the measured piece is what the page says (a full stop may be added to end it)
        assert squash(piece).rstrip(".") in txt


def test_the_template_never_uses_clinical_words():
    plan = build_plan(plain_words)
    for fmt in FORMATS:
        text = render(plan, fmt=fmt, today=TODAY)
        found = [GLOSSARY[i][0] for i in clinical_terms(text)]
        assert found == [], f"the {fmt} template uses {found}"


def test_clinical_words_in_the_plan_are_kept_and_explained_once(maya):
    text = client_summary_txt(maya, today=MAYA_TODAY)
    assert "Provide psychoeducation for Maya and her mother" in text
    assert text.count('"Psychoeducation" means learning about') == 1
    assert '"Exposure" means facing a fear' in text
    assert '"CBT" is talk therapy.' in text


# --------------------------------------------------------------------------- shown as typed

MARKUP = [
    "<script>alert(1)</script>",
    "# heading",
    "*stars*",
    "[link](http://x)",
    "<img src=x onerror=alert(1)>",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "| a | table |",
    "**bold** and _under_ and ~~gone~~",
    "`code` and ```fence",
    "&amp; stays &amp;",
    "\\*backslash\\*",
    "see http://example.com and www.example.com",
    "---",
    "===",
]
MD_TEMPLATE_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "pre",
    "code",
    "br",
    "blockquote",  # the record's "NOT SIGNED" notice, and a release notice
}
HTML_TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section",
    "h1", "h2", "h3", "h4", "h5", "p", "br", "dl", "div", "dt", "dd", "ul", "ol", "li", "span",
    "figure", "figcaption", "table", "tr", "th", "td",
}  # fmt: skip


def marked_up(text: str):
    """Every free-text field says ``text``, as typed (by needs to be a performer, so it is too)."""
    return build_plan(lambda field: text)


@pytest.mark.parametrize("text", MARKUP)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_markup_in_plan_text_is_shown_as_typed(text, audience):
    plan = marked_up(text)
    out = all_outputs(plan, audience)

    assert text in out["txt"]

    page = read_html(out["html"])
    assert {tag for tag, _ in page.tags} <= HTML_TEMPLATE_TAGS
    assert "<script" not in out["html"]
    shown_in_html = "".join(page.text).count(text)
    assert shown_in_html >= 5

    shown = md_to_html(out["md"])
    md_page = read_html(shown)
    assert {tag for tag, _ in md_page.tags} <= MD_TEMPLATE_TAGS, shown
    assert sum(tag == "code" for tag, _ in md_page.tags) == sum(
        tag == "pre" for tag, _ in md_page.tags
    )
    assert sum(tag == "h1" for tag, _ in md_page.tags) == 1
    # every place the page shows the text, the Markdown shows it too, as typed
    assert "".join(md_page.text).count(text) == shown_in_html


def test_a_goal_starting_with_hash_is_not_a_heading():
    plan = build_plan(plain_words)
    plan.goals[0].in_client_words = "# I want to sleep\n## better\n1. every night"
    md = render(plan, fmt="md", today=TODAY)
    assert [h for _, h in headings_md(md)] == [
        h for _, h in headings_md(render(build_plan(plain_words), fmt="md", today=TODAY))
    ]
    text = "".join(read_html(md_to_html(md)).text)
    assert "# I want to sleep\n## better\n1. every night" in text


def test_control_characters_cannot_drive_a_terminal():
    plan = build_plan(
        lambda f: "Robin\x1b[31m red \x07bell" if f == "client.name" else plain_words(f)
    )
    for fmt in FORMATS:
        out = render(plan, fmt=fmt, today=TODAY)
        assert "\x1b" not in out and "\x07" not in out
        assert "Robin\N{REPLACEMENT CHARACTER}[31m red" in visible(fmt, out)


# --------------------------------------------------------------------------- Unicode and width

SCRIPTS = {
    "client.name": "Zoë Ångström-Øyen",
    "clinician.name": "李小龙",
    "guardian.name": "محمد الأحمد",
    "goal.in_client_words": "Я хочу спать спокойно 😴 και να ξυπνάω ξεκούραστη 🌅 אני רוצה לישון",
    "concern.in_client_words": "夜は眠れません。毎朝とても疲れています。" * 6,
    "strength.text": "👨‍👩‍👧 family first 💪🏽 and friends 🎉",
}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_names_in_many_scripts_and_emoji_show_as_typed(audience):
    plan = build_plan(lambda f: SCRIPTS.get(f, plain_words(f)))
    out = all_outputs(plan, audience)
    for typed in ("Zoë Ångström-Øyen", "李小龙"):
        assert typed in out["txt"] and typed in out["md"] and typed in out["html"]
    for typed in SCRIPTS.values():
        if audience == "client" or typed != SCRIPTS["goal.in_client_words"]:
            assert squash(typed) in squash(out["txt"])
            assert typed in "".join(read_html(out["html"]).text).replace("\n", "")


LONG = {
    "goal.in_client_words": " ".join(["I want to feel steady and rested every single day"] * 12),
    "concern.in_client_words": "http://example.com/" + "a-very-long-address/" * 8,
    "strength.text": "学校に行くのが好きです。友達と話すのも好きです。" * 8,
    "intervention.text": "Supercalifragilisticexpialidocious" * 4,
    "client.name": "Antonia Wilhelmina Konstanze Bartholomäus-Featherstonehaugh-Montgomery",
}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_long_text_wraps_within_80_columns(audience):
    plan = build_plan(lambda f: LONG.get(f, SCRIPTS.get(f, plain_words(f))))
    txt = render(plan, audience=audience, fmt="txt", today=TODAY)
    widest = max(txt.splitlines(), key=cell_len)
    assert cell_len(widest) <= 80, widest
    for typed in LONG.values():
        assert squash(typed) in squash(txt)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_example_plans_stay_within_80_columns(audience, chris, maya):
    for plan, today in ((chris, CHRIS_TODAY), (maya, MAYA_TODAY)):
        for line in render(plan, audience=audience, fmt="txt", today=today).splitlines():
            assert cell_len(line) <= 80, line


# --------------------------------------------------------------------------- the html page


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_page_is_self_contained(audience, maya):
    page = render(maya, audience=audience, fmt="html", today=MAYA_TODAY, accent="#2F6690")
    lowered = page.lower()
    assert "<script" not in lowered
    assert "src=" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    for _, href in re.findall(r"<(\w+)[^>]*\shref=\"([^\"]*)\"", page):
        raise AssertionError(f"a link or a loaded resource: {href}")
    for tag, attrs in read_html(page).tags:
        assert tag in HTML_TEMPLATE_TAGS
        assert not any(name.startswith("on") for name in attrs)


def test_html_policy_forbids_scripts_and_loads_and_allows_its_own_style(maya):
    page = render(maya, fmt="html", today=MAYA_TODAY)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert meta, "no Content-Security-Policy"
    policy = {d.split()[0]: d.split()[1:] for d in meta[1].split("; ")}
    assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'none'"]
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]  # else the browser drops the page's style
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_html_prints_on_a4_and_letter_and_keeps_goals_together(maya):
    page = render(maya, fmt="html", today=MAYA_TODAY)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)[1]
    assert "@page" in style and "@media print" in style
    page_rule = style.split("@page")[1].split("@bottom")[0]
    assert not re.search(r"(?<![-\w])size:", page_rule)  # the printer's own paper size
    # A goal keeps its heading with its first lines, but flows on: no forced page per goal.
    assert ".keep-start, .signatures { break-inside: avoid; }" in style
    assert "section.keep { break-inside" not in style
    assert page.count('<section class="keep">') == 2  # one per goal
    assert page.count('<div class="keep-start">') == 2


def test_accent_colours_rules_only_and_is_validated(maya):
    page = render(maya, fmt="html", today=MAYA_TODAY, accent="#8A5A2B")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)[1]
    assert "--accent: #8A5A2B;" in style
    for line in style.splitlines():
        if "var(--accent)" in line:
            assert re.search(r"border(-\w+)?: [\w.]+ solid var\(--accent\)", line), line
    assert "color: #111" in style and "background: #fff" in style
    for bad in ("red", "#fff", "#12345g", "#123456; } body { display: none", "#1234567"):
        with pytest.raises(ValueError, match="#RRGGBB"):
            render(maya, fmt="html", today=MAYA_TODAY, accent=bad)


# --------------------------------------------------------------------------- sharing and the API


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_released_copy_says_so_at_top_and_bottom(fmt, audience, maya):
    text = render(
        maya, audience=audience, fmt=fmt, today=MAYA_TODAY, released_under=(2, maya.consents[1])
    )
    flat = " ".join(re.sub(r"[|+\\>-]{2,}|[|>\\]", " ", text).split())
    notice = (
        "This copy was released to Dr. Amara Ndiaye, family doctor, under consent 2, "
        "signed by Elena Torres on June 15, 2026."
    )
    assert flat.count(notice) == 2
    first_section = "What brought you here" if audience == "client" else "History and assessment"
    last_section = "Signatures" if audience == "client" else "Clinician notes"
    assert flat.index(notice) < flat.index(first_section)
    assert flat.rindex(notice) > flat.rindex(last_section)
    assert "released" not in render(maya, audience=audience, fmt=fmt, today=MAYA_TODAY)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"audience": "family"},
        {"fmt": "pdf"},
        {"fmt": "yaml"},
        {"released_under": (0, m.Consent(to="x"))},
        {"released_under": ("1", m.Consent(to="x"))},
        {"released_under": m.Consent(to="x")},
    ],
)
def test_render_refuses_what_it_cannot_do(kwargs, chris):
    with pytest.raises(ValueError):
        render(chris, today=CHRIS_TODAY, **kwargs)


def test_dates_are_written_out_whatever_the_locale():
    assert date_in_words(date(2016, 7, 31)) == "July 31, 2016"
    assert date_in_words(date(2026, 12, 13)) == "December 13, 2026"


def test_a_draft_plan_says_so(chris):
    plan = copy.deepcopy(chris)
    plan.plan.status = "draft"
    assert "This plan is a draft. It may still change." in client_summary_txt(
        plan, today=CHRIS_TODAY
    )


def test_the_document_is_the_same_for_every_format(maya):
    doc = client_summary(maya, today=MAYA_TODAY)
    headings = [s.heading for s in doc.visible_sections()]
    for fmt in FORMATS:
        text = render(maya, fmt=fmt, today=MAYA_TODAY)
        positions = [text.index(h) for h in headings]
        assert positions == sorted(positions), fmt


def test_the_summary_never_imports_textual():
    code = (
        "import sys, datetime; from tplan_tui import summary, planfile; "
        f"p = planfile.load_plan_file({str(MAYA_YAML)!r}); "
        "[summary.render(p, fmt=f, today=datetime.date(2026, 10, 1)) for f in summary.FORMATS]; "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "sys.exit(f'imported {bad}' if bad else 0)"
    )
    root = HERE.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- any text at all

MARKUP_ALPHABET = st.sampled_from(
    list("ab Z09\n\t<>&#*_[]()`~|\\!-+=.:;'\"/{}")
    + ["http://", "www.", "1. ", "&amp;", "李", "🌱", "\u0301", "@", "example.com"]
)


@settings(max_examples=150, deadline=None)
@given(text=st.lists(MARKUP_ALPHABET, min_size=1, max_size=40).map("".join))
def test_any_plan_text_shows_as_typed_in_every_format(text):
    text = f"\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}{text}\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}"
    plan = marked_up(text)  # the quotation marks keep the template's own words out of the count
    out = all_outputs(plan, "clinician")

    assert max(cell_len(line) for line in out["txt"].splitlines()) <= 80

    page = read_html(out["html"])
    assert {tag for tag, _ in page.tags} <= HTML_TEMPLATE_TAGS
    md_page = read_html(md_to_html(out["md"]))
    assert {tag for tag, _ in md_page.tags} <= MD_TEMPLATE_TAGS
    assert sum(tag == "h1" for tag, _ in md_page.tags) == 1

    typed = squash(text)
    in_html = squash("".join(page.text)).count(typed)
    assert in_html >= 5
    assert squash("".join(md_page.text)).count(typed) == in_html
    assert squash(out["txt"]).count(typed) == in_html
