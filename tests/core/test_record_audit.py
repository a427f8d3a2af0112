"""The clinical record an auditor reads: "not signed" first when it is not, the missing elements
under their own heading, the referral, concern -> goal -> objectives -> interventions, and the
signature lines with credentials, refusals and reasons. It prints cleanly in headless chromium."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.core.test_completeness import TODAY, complete, minimal
from tplan_tui.summary import render


def record(plan, fmt="txt", **kw) -> str:
    return render(plan, audience="clinician", fmt=fmt, today=TODAY, **kw)


def test_an_unsigned_plan_says_so_first_and_lists_what_is_missing():
    text = record(minimal())
    head = text.split("Client:")[0]
    assert "NOT SIGNED: version 1 of this plan is not signed." in head
    assert "Signed:             no" in text
    missing = text.split("Missing elements\n----------------\n")[1].split("\n\n\n")[0]
    assert (
        "- Goal 1: which concern it works on is not said.\n  Field: goals[0].addresses" in missing
    )
    assert "Field: plan.discharge_criteria" in missing


def test_a_complete_signed_plan_has_no_notice_and_no_missing_elements():
    text = record(complete(), profile="joint-commission-bh", check_codes=True)
    assert "NOT SIGNED" not in text and "Missing elements" not in text
    assert "Signed:             yes" in text


def test_the_record_carries_the_referral_and_ties_goals_to_concerns():
    plan = complete()
    plan.presenting_concerns.append(plan.presenting_concerns[0].__class__(text="Poor sleep"))
    text = record(plan)
    assert "Referral:\nReferred by his doctor for low mood" in text
    assert "Diagnoses:          F32.1 Major depressive disorder (primary)" in text
    tree = text.split("Problems and goals")[1]
    assert tree.index("Concern 1: Low mood most days") < tree.index("Goal 1 of 1")
    assert tree.index("Goal 1 of 1") < tree.index("Objectives") < tree.index("Interventions")
    assert "Concern 2: Poor sleep" in tree and "No goal works on this concern yet." in tree


def test_signature_lines_carry_credentials_refusals_copies_and_reasons():
    plan = complete()
    plan.signatures[0].extra.update(declined=True, offered_copy=True)
    plan.signatures[1].extra.update(credentials="LCSW", incomplete_reason="Client in crisis today")
    plan.signatures.append(
        plan.signatures[1].__class__(role="supervisor", name="Ines Park", signed_on=TODAY)
    )
    plan.signatures[2].extra["credentials"] = "LICSW"
    text = record(plan)
    assert "Sam (client) declined to sign version 1" in text
    assert "Was offered a copy of the plan." in text
    assert "Dana Reyes, LCSW (clinician) signed version 1" in text
    assert "Signed although incomplete, because: Client in crisis today" in text
    assert "Ines Park, LICSW (supervisor) signed version 1" in text
    assert "NOT SIGNED" in text  # a refusal is recorded, and is no signature
    assert "signatures[0].extra" not in text  # shown on the line, not as raw data


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None, reason="needs chromium and pdftotext"
)
def test_the_record_prints_cleanly_in_a_headless_browser(tmp_path):
    page, pdf = tmp_path / "record.html", tmp_path / "record.pdf"
    page.write_text(record(minimal(), fmt="html"), "utf-8")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first_page = text.split("\f")[0]
    assert "NOT SIGNED" in first_page and "Missing elements" in first_page
    words = " ".join(text.split())
    assert "Objective 1.1: the target date is missing." in words
    assert not re.search(r"<[a-z/]", text)  # no markup printed as text
