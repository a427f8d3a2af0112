"""Safety in client documents (issue 11): every client document ends with how to reach the
clinician and a crisis line; the client's safety plan has its own page and a short version at
the top of the summary; risk levels and assessment notes never reach a client."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest

from tests.core.test_summary import build_plan, headings_md, plain_words, visible
from tests.samples import MAYA_YAML, ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.core.safety import DEFAULT_CRISIS_LINES, PARTS, crisis_lines, has_safety_plan
from tplan_tui.core.sharing import check_release, released_copy
from tplan_tui.settings import Settings, load_settings, save_settings, settings_path
from tplan_tui.summary import render

TODAY = date(2026, 11, 1)
FORMATS = ("txt", "md", "html")
DOCUMENTS = ("summary", "safety-plan")


@pytest.fixture
def robin() -> m.Plan:
    """An invented v2 plan with a safety plan and a low-risk assessment."""
    return planfile.load_plan_file(ROBIN_V2_YAML)


def plans(chris, robin):
    maya = planfile.load_plan_file(MAYA_YAML)
    return {"chris": chris, "maya": maya, "robin": robin, "empty": m.Plan()}


def after_last_heading(fmt: str, text: str) -> tuple[str, str]:
    """The last level-2 heading of a document and what a reader sees after it."""
    if fmt == "md":
        heading = headings_md(text)[-1][1]
    elif fmt == "html":
        heading = re.findall(r"<h2>(.*?)</h2>", text)[-1]
    else:
        heading = re.findall(r"^(.+)\n-+$", text, re.MULTILINE)[-1]
    seen = visible(fmt, text)
    return heading, seen[seen.rindex(heading) + len(heading) :]


# --------------------------------------------------------------------------- how to reach help


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_client_document_ends_with_the_contact_and_a_crisis_line(fmt, document, chris, robin):
    for name, plan in plans(chris, robin).items():
        text = render(plan, fmt=fmt, today=TODAY, document=document)
        heading, end = after_last_heading(fmt, text)
        assert heading == "How to reach help", (name, fmt)
        end = " ".join(end.split())
        assert "988 Suicide & Crisis Lifeline: call or text 988" in end, (name, fmt)
        if name == "robin":  # clinician.contact, as the plan gives it
            assert "To reach Avery Quinn: 555-0142, weekdays 9 to 5." in end
        elif name == "chris":  # no contact on file: the client is told to ask
            assert "Ask Dana Reyes how to reach them between meetings." in end
        else:
            assert "how to reach them" in end


def test_a_shared_copy_ends_with_how_to_reach_help_too():
    maya = planfile.load_plan_file(MAYA_YAML)
    release = check_release(maya, 1, "txt", date(2026, 10, 1), None)
    lines = (("Samaritans (UK and Ireland)", "call 116 123"),)
    text = released_copy(maya, release, date(2026, 10, 1), lines)
    help_at = text.index("How to reach help")
    assert "Samaritans (UK and Ireland): call 116 123" in text[help_at:]
    assert "988" not in text  # the settings' line stands in for the shipped one
    # Only the reminder of whom the copy was released to follows it.
    assert "This copy was released to" in text[help_at:]


def test_the_plans_own_crisis_lines_come_before_the_settings(robin):
    uk = (("Samaritans", "call 116 123"),)
    robin.safety.plan.crisis_lines = [m.Contact("Crisis Text Line", "text HOME to 741741")]
    text = render(robin, today=TODAY, crisis_lines=uk)
    end = text[text.index("How to reach help") :]
    assert "Crisis Text Line: text HOME to 741741" in end and "Samaritans" not in end
    # A line with no contact cannot be reached: the settings' lines are named instead.
    robin.safety.plan.crisis_lines = [m.Contact("A line with no number", "")]
    assert crisis_lines(robin, uk) == [("Samaritans", "call 116 123")]
    assert crisis_lines(m.Plan()) == list(DEFAULT_CRISIS_LINES)


# --------------------------------------------------------------------------- settings


def test_the_crisis_line_setting_ships_988_and_can_be_another_countrys():
    settings, problems = load_settings()
    assert problems == []
    assert settings.crisis_lines == (("988 Suicide & Crisis Lifeline", "call or text 988"),)
    save_settings(Settings(crisis_lines=(("Lifeline Australia", "call 13 11 14"),)))
    text = settings_path().read_text("utf-8")
    assert "crisis_lines" in text and "Lifeline Australia" in text
    assert load_settings()[0].crisis_lines == (("Lifeline Australia", "call 13 11 14"),)


@pytest.mark.parametrize(
    "value, problem",
    [
        ("[]", "crisis_lines: must be a list of lines"),
        ("call 988", "crisis_lines: must be a list of lines"),
        ("[{name: Lifeline}]", "crisis_lines[0].contact: must be text, got nothing"),
        ("[{name: '', contact: call 1}]", "crisis_lines[0].name: must be text, got ''"),
        ("[{name: A, contact: B, nmber: 3}]", "crisis_lines[0].nmber: "),
        ("[plain]", "crisis_lines[0]: must hold 'name' and 'contact'"),
    ],
)
def test_a_bad_crisis_line_setting_is_named_and_the_default_kept(value, problem):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"idle_lock_minutes: 5\ncrisis_lines: {value}\n", "utf-8")
    settings, problems = load_settings()
    assert [p for p in problems if problem in p], problems
    assert settings.crisis_lines == DEFAULT_CRISIS_LINES  # never a document with no line
    assert settings.idle_lock_minutes == 5  # the good field is kept


# --------------------------------------------------------------------------- never to the client


RISK_CANARY = "CANARY-risk-note"


def with_assessments(plan: m.Plan) -> m.Plan:
    plan = copy.deepcopy(plan)
    plan.safety.assessments = [
        m.RiskAssessment(date(2026, 10, 20), "imminent", f"{RISK_CANARY} plan and means"),
        m.RiskAssessment(date(2026, 10, 1), "moderate", f"{RISK_CANARY} earlier"),
    ]
    return plan


@pytest.mark.parametrize("fmt", FORMATS)
def test_risk_levels_and_assessment_notes_never_reach_a_client_document(fmt, robin):
    for plan in (with_assessments(robin), with_assessments(build_plan(plain_words))):
        for document in DOCUMENTS:
            client = visible(fmt, render(plan, fmt=fmt, today=TODAY, document=document))
            assert RISK_CANARY not in client
            assert not re.search(r"\b(imminent|moderate)\b", client, re.IGNORECASE)
        record = visible(fmt, render(plan, audience="clinician", fmt=fmt, today=TODAY))
        assert f"{RISK_CANARY} plan and means" in record  # the canary is real
        assert "imminent risk" in record


# --------------------------------------------------------------------------- the safety plan


def test_the_summary_opens_with_the_safety_plan_in_short(robin, chris):
    text = render(robin, fmt="md", today=TODAY)
    sections = [h for level, h in headings_md(text) if level == 2]
    assert sections[0] == "Your safety plan, in short"
    txt = render(robin, fmt="txt", today=TODAY)
    short = txt[txt.index("Your safety plan, in short") : txt.index("What brought you")]
    for said in ("Staying in bed past noon", "Walk to the park", "My brother Sam: 555-0199",
                 "988 Suicide & Crisis Lifeline: call or text 988"):  # fmt: skip
        assert said in short
    assert "spare pills" not in short  # the whole plan is on its own page
    assert "safety plan" not in render(chris, fmt="md", today=TODAY).lower()  # none: no section


def test_the_safety_plan_page_has_every_part_in_order_in_plain_words(robin):
    text = render(robin, fmt="md", today=TODAY, document="safety-plan")
    assert text.startswith("# My safety plan\n")
    found = [h.replace("\\.", ".") for level, h in headings_md(text) if level == 2]
    assert found == [f"{n}. {p.heading}" for n, p in enumerate(PARTS, 1)] + ["How to reach help"]
    seen = " ".join(visible("md", text).split())
    assert "Avery Quinn: 555-0142" in seen
    assert "Leave the spare pills with Sam" in seen
    assert "Made on October 1, 2026" in seen or "Made on: October 1, 2026" in seen


def test_a_part_left_empty_is_left_out_and_the_steps_renumbered(robin):
    robin.safety.plan.people_and_places = []
    text = render(robin, fmt="txt", today=TODAY, document="safety-plan")
    assert "3. People I can ask for help" in text
    assert "People and places" not in text


def test_a_plan_without_a_safety_plan_says_so_on_its_page(chris):
    assert not has_safety_plan(chris)
    text = render(chris, fmt="txt", today=TODAY, document="safety-plan")
    assert "There is nothing in this plan yet. You can make it with Dana Reyes." in text
    assert "call or text 988" in text


def test_the_safety_plan_is_the_clients_document_only(robin):
    with pytest.raises(ValueError, match="audience must be 'client'"):
        render(robin, audience="clinician", today=TODAY, document="safety-plan")
    with pytest.raises(ValueError, match="document must be one of"):
        render(robin, today=TODAY, document="risk")


def test_the_safety_plan_page_keeps_what_the_client_typed_literal(robin):
    robin.safety.plan.warning_signs = ["<b>not bold</b> & *not emphasis*"]
    html = render(robin, fmt="html", today=TODAY, document="safety-plan")
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; *not emphasis*" in html
    assert "<b>" not in html
