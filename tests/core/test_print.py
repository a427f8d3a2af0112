"""Print: goals flow without a forced page each, a goal keeps its heading with its first lines,
and an unsigned plan has lines to sign. The page counts are measured in a headless browser
(chromium) when one is installed; the HTML structure is checked always."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.summary import render

DATA = Path(__file__).resolve().parents[1] / "data"
MARIA = DATA / "maria.yaml"
TODAY = date(2026, 10, 1)


def maria() -> m.Plan:
    return planfile.load_plan_file(MARIA)


def test_a_goal_keeps_its_heading_with_its_first_lines_and_no_goal_forces_a_page():
    page = render(maria(), fmt="html", today=TODAY)
    css = page[page.index("@media print") :]
    assert "section.keep { break-inside: avoid" not in css  # a whole goal is not kept on a page
    assert re.search(r"\.keep-start[^{]*\{ break-inside: avoid; \}", css)
    assert "break-before: page" not in page and "page-break-before" not in page
    starts = re.findall(
        r'<div class="keep-start">\n<h3>(Goal \d of 3)</h3>\n<p class="emphasis"', page
    )
    assert starts == ["Goal 1 of 3", "Goal 2 of 3", "Goal 3 of 3"]


def test_an_unsigned_plan_has_lines_to_sign_and_a_signed_one_does_not():
    plan = maria()
    text = render(plan, today=TODAY)
    assert re.search(r"^You: _{20,}  Date: _{12}$", text, re.MULTILINE)
    assert re.search(r"^Sam Reyes: _{20,}  Date: _{12}$", text, re.MULTILINE)
    assert "Parent or guardian:" not in text  # Maria is an adult
    assert (
        text.count('class="sign"') == 0
        and render(plan, fmt="html", today=TODAY).count('<div class="sign">') == 2
    )
    plan.signatures = [
        m.Signature("client", "Maria", TODAY),
        m.Signature("clinician", "Sam Reyes", TODAY),
    ]
    assert "Date: ____" not in render(plan, today=TODAY)


def test_a_minors_unsigned_plan_has_a_line_for_the_guardian():
    plan = maria()
    plan.client.date_of_birth = date(2012, 1, 1)
    plan.client.guardian = m.Guardian("Ana Ortega", "mother")
    text = render(plan, today=TODAY)
    assert re.search(r"^Parent or guardian: _+  Date: _{12}$", text, re.MULTILINE)


def pages(html: str, tmp_path: Path, name: str) -> int:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser is not None
    subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser"))
    or not shutil.which("pdfinfo"),
    reason="needs chromium and pdfinfo (poppler-utils) to print",
)
def test_the_printed_summary_of_a_three_goal_plan_is_at_most_four_pages(tmp_path):
    plan = maria()
    assert len(plan.goals) == 3
    assert pages(render(plan, fmt="html", today=TODAY), tmp_path, "maria") <= len(plan.goals) + 1


@pytest.mark.parametrize("document", ["summary", "safety-plan"])
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_every_client_document_has_the_practical_page(fmt, document):
    """Next meeting, when the plan is looked at again, how to reach the clinician, and what to
    do in a crisis: in every client document."""
    text = render(maria(), fmt=fmt, today=TODAY, document=document)
    flat = " ".join(re.sub(r"<[^>]+>|\*\*", " ", text).replace("\\", "").split())
    assert "Your next meeting" in flat and "October 8, 2026" in flat
    assert "Plan looked at again by" in flat and "November 30, 2026" in flat
    assert "To reach Sam Reyes: 555-0188, Monday to Friday, 9 to 5." in flat
    assert "988 Suicide &amp; Crisis Lifeline" in flat or "988 Suicide & Crisis Lifeline" in flat


def test_a_past_next_session_is_not_shown_as_coming():
    later = date(2026, 10, 20)
    text = " ".join(render(maria(), today=later).split())
    assert "Your next meeting" not in text


def test_the_three_goal_summary_reads_at_grade_6_or_below():
    from tplan_tui.summary import reading_grade

    assert reading_grade(maria(), today=TODAY) <= 6
