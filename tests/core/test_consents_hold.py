"""A consent shares only when it holds: current, with an end (a date or an event), and signed
by the right person (the client as an adult, the guardian of a minor, a minor alone only where
the clinician recorded that the law allows it). A shared copy names only its own recipient."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest

from tplan_tui import cli
from tplan_tui.core import model as m
from tplan_tui.core.sharing import ReleaseRefused, check_release, released_copy
from tplan_tui.store import open_store

TODAY = date(2026, 10, 1)
ADULT = m.Client(name="Robin", full_name="Robin Vale", date_of_birth=date(1990, 4, 12))
TEEN = m.Client(
    name="Noor",
    date_of_birth=date(2015, 2, 1),  # 11 on TODAY
    guardian=m.Guardian(name="Lena Haddad", relationship="mother"),
)
GOOD = m.Consent("Dr. Kim Lowe", "summary", "Robin", date(2026, 9, 1), date(2027, 9, 1))


def plan_for(client: m.Client, *consents: m.Consent) -> m.Plan:
    return m.Plan(client=client, consents=list(consents))


def problem(client: m.Client, consent: m.Consent) -> str | None:
    plan = plan_for(client, consent)
    return plan.consent_problem(consent, TODAY)


def test_an_adult_signing_with_an_end_date_or_event_holds():
    assert problem(ADULT, GOOD) is None
    assert problem(ADULT, replace(GOOD, signed_by="robin vale")) is None  # full name, any case
    event = replace(GOOD, expires_on=None, expires_when="the end of treatment")
    assert problem(ADULT, event) is None


def test_a_consent_with_no_end_is_refused_with_its_reason():
    endless = replace(GOOD, expires_on=None)
    assert problem(ADULT, endless) == "it has no end: give an expiry date or an event that ends it"
    assert problem(ADULT, replace(endless, expires_when="  ")) is not None


def test_an_adults_consent_signed_by_someone_else_is_refused():
    assert problem(ADULT, replace(GOOD, signed_by="Dad's new girlfriend")) == (
        "it is signed by Dad's new girlfriend, not by the client"
    )


def test_a_minor_signing_alone_is_refused_unless_the_law_allows_it():
    alone = replace(GOOD, signed_by="Noor")
    assert "a parent or guardian must sign" in (problem(TEEN, alone) or "")
    assert problem(TEEN, replace(alone, minor_may_consent=True)) is None
    assert problem(TEEN, replace(GOOD, signed_by="Lena Haddad")) is None
    assert problem(TEEN, replace(GOOD, signed_by="Sam")) == (
        "the client is under 18 and it is signed by Sam, not by the guardian (Lena Haddad)"
    )
    no_guardian = replace(TEEN, guardian=None)
    assert "who is not the guardian on file" in (
        problem(no_guardian, replace(GOOD, signed_by="Dad's new girlfriend")) or ""
    )


def test_the_11_year_olds_release_from_the_issue_is_refused_and_the_summary_says_so():
    from tplan_tui.summary import render

    release = m.Consent("Dad's new girlfriend", "full plan", "Noor", date(2026, 9, 1))
    plan = plan_for(replace(TEEN, guardian=None), release)
    with pytest.raises(ReleaseRefused, match="does not allow sharing: it has no end"):
        check_release(plan, 1, "txt", TODAY)
    assert plan.current_consents(TODAY) == []
    text = " ".join(render(plan, today=TODAY).split())
    assert "It does not say when it ends, so nothing is shared." in text
    record = " ".join(render(plan, audience="clinician", today=TODAY).split())
    assert "Valid today" not in record and "Not valid today: it has no end" in record


def three_consents() -> m.Plan:
    return plan_for(
        TEEN,
        m.Consent(
            "Ms. Ito, school counselor",
            "summary",
            "Lena Haddad",
            date(2026, 9, 1),
            date(2027, 6, 30),
            purpose="to plan help at school",
        ),
        m.Consent(
            "Bayview substance use counseling",
            "full plan",
            "Lena Haddad",
            date(2026, 9, 1),
            expires_when="the end of treatment",
        ),
        m.Consent(
            "Dr. Amara Ndiaye", "full plan", "Lena Haddad", date(2026, 9, 1), date(2027, 1, 1)
        ),
    )


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "yaml"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_released_copy_of_a_plan_with_three_consents_names_one_recipient(number, fmt):
    plan = three_consents()
    if fmt == "yaml" and number == 1:
        return  # a summary-only consent gives no plan file (refused elsewhere)
    release = check_release(plan, number, fmt, TODAY)
    text = released_copy(plan, release, TODAY)
    names = ["Ms. Ito", "Bayview substance use", "Dr. Amara Ndiaye"]
    mine = names[number - 1]
    assert mine in text
    for other in names:
        if other != mine:
            assert other not in text, f"consent {number} ({fmt}) names {other}"


def test_the_cli_refuses_an_invalid_consent_with_exit_2_and_the_reason(tmp_path, monkeypatch):
    plan = three_consents()
    plan.consents.append(m.Consent("Dad's new girlfriend", "full plan", "Noor", date(2026, 9, 1)))
    [plan_id] = open_store(tmp_path / "db").import_plans([plan])
    monkeypatch.setenv("TPLAN_TODAY", TODAY.isoformat())
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", str(tmp_path / "db"), "export", plan_id, "--consent", "4"], out, err)
    assert code == 2 and out.getvalue() == ""
    assert "consent 4 (to Dad's new girlfriend) does not allow sharing: it has no end" in (
        err.getvalue()
    )
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--db", str(tmp_path / "db"), "export", plan_id, "--consent", "2", "--format", "txt"],
        out,
        err,
    )
    assert code == 0, err.getvalue()
    shown = out.getvalue()
    assert "Bayview" in shown and "Ms. Ito" not in shown and "girlfriend" not in shown
