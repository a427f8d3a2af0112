"""Consents and sharing: the one gate (current, expired, revoked, unsigned, future-dated, out of
range, a summary-only consent), family members each with their own consent, `tplan export
--consent N`, and the app's consents screen and Share… by keys."""

from __future__ import annotations

import copy
import io
import os
import stat
from datetime import date

import pytest

from tests.tui_helpers import Keyboard, Notes, settled
from tplan_tui import cli
from tplan_tui.core import model as m
from tplan_tui.core.sharing import (
    ReleaseRefused,
    check_release,
    consent_line,
    family_without_consent,
    format_for,
)
from tplan_tui.store import open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.consents import ConsentForm, ConsentsScreen
from tplan_tui.tui.screens.modals import Choose, Confirm

TODAY = date(2016, 9, 15)
GP = m.Consent("Dr. Lin (family doctor)", "summary", "Chris", date(2016, 7, 1), date(2017, 6, 30))
SCHOOL = m.Consent(
    "Hill Street School counselor",
    "full plan",
    "Chris",
    date(2016, 7, 1),
    expires_when="the end of treatment",
)
EXPIRED = m.Consent("Old clinic", "full plan", "Chris", date(2015, 1, 1), date(2016, 1, 1))
REVOKED = m.Consent("Insurer", "full plan", "Chris", date(2016, 7, 1), revoked_on=date(2016, 9, 1))
UNSIGNED = m.Consent("Sister", "summary", "", None)
FUTURE = m.Consent("New school", "summary", "Chris", date(2016, 10, 1))


@pytest.fixture
def shared(chris):
    chris.consents = [GP, SCHOOL, EXPIRED, REVOKED, UNSIGNED, FUTURE]
    return chris


# --------------------------------------------------------------------------- the gate


@pytest.mark.parametrize(
    "number, fmt, audience, reason",
    [
        (
            3,
            "txt",
            None,
            "consent 3 (to Old clinic) does not allow sharing: it expired on 2016-01-01",
        ),
        (
            4,
            "txt",
            None,
            "consent 4 (to Insurer) does not allow sharing: it was revoked on 2016-09-01",
        ),
        (5, "txt", None, "consent 5 (to Sister) does not allow sharing: it has not been signed"),
        (
            6,
            "md",
            None,
            "consent 6 (to New school) does not allow sharing: it is dated 2016-10-01, "
            "which has not come yet",
        ),
        (7, "txt", None, "consent 7: this plan has 6 consents on file (numbered from 1)"),
        (0, "txt", None, "consent 0: this plan has 6 consents on file (numbered from 1)"),
        (1, "yaml", None, "consent 1 shares only the summary; use --format txt, md or html"),
        (
            1,
            "html",
            "clinician",
            "consent 1 (to Dr. Lin (family doctor)) shares only the client "
            "summary, not the clinical record",
        ),
    ],
)
def test_the_gate_refuses_with_the_reason_in_words(shared, number, fmt, audience, reason):
    with pytest.raises(ReleaseRefused) as exc:
        check_release(shared, number, fmt, TODAY, audience)
    assert str(exc.value) == reason


def test_what_is_shared_follows_the_consent(shared):
    assert check_release(shared, 1, "txt", TODAY).audience == "client"
    assert check_release(shared, 2, "txt", TODAY).audience == "clinician"
    assert check_release(shared, 2, "yaml", TODAY).what() == "the plan file"
    assert check_release(shared, 2, "md", TODAY, "client").what() == "the client summary"
    assert check_release(shared, 1, "txt", date(2017, 6, 30)).number == 1  # its last day
    with pytest.raises(ReleaseRefused, match="expired on 2017-06-30"):
        check_release(shared, 1, "txt", date(2017, 7, 1))
    assert [n for n, _c in shared.current_consents(TODAY)] == [1, 2]


def test_each_family_member_signs_their_own_consent(chris):
    chris.signatures += [
        m.Signature("family member", "Alex", TODAY),
        m.Signature("family member", "Jo", TODAY),
    ]
    chris.consents = [m.Consent("School", "summary", "Alex", TODAY)]
    assert family_without_consent(chris) == ["Jo"]  # Alex's consent does not stand for Jo
    chris.consents.append(m.Consent("School", "summary", "Jo", TODAY))
    assert family_without_consent(chris) == []


def test_consent_lines_and_file_formats(shared):
    assert consent_line(shared, 1, TODAY) == (
        "1. To Dr. Lin (family doctor) · summary · signed by Chris on "
        "2016-07-01, until 2017-06-30 · current"
    )
    assert consent_line(shared, 2, TODAY).endswith("until the end of treatment · current")
    assert consent_line(shared, 4, TODAY).endswith("not current: it was revoked on 2016-09-01")
    assert [
        format_for(__import__("pathlib").Path(n))
        for n in ("a.TXT", "b.md", "c.html", "d.yml", "e.pdf")
    ] == ["txt", "md", "html", "yaml", None]


# --------------------------------------------------------------------------- tplan export


def export(db, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("TPLAN_TODAY", TODAY.isoformat())
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", str(db), "export", *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path, shared):
    path = tmp_path / "db"
    [plan_id] = open_store(path).import_plans([shared])
    return path, plan_id


def test_export_under_a_current_consent_names_it(db, monkeypatch, tmp_path, chris):
    path, plan_id = db
    code, out, _err = export(path, monkeypatch, plan_id, "--consent", "1", "--format", "txt")
    assert code == 0 and "Dr. Lin (family doctor)" in out and "consent 1" in out
    assert "Parent-biological child conflict" not in out  # a summary: no diagnosis
    code, out, _err = export(path, monkeypatch, plan_id, "--consent", "2", "--format", "txt")
    assert code == 0 and "Parent-biological child conflict" in out  # the full plan: the record
    # A plan file needs a complete plan (an unsigned consent is not): one with the two current.
    chris.consents = [GP, SCHOOL]
    [complete_id] = open_store(tmp_path / "db2").import_plans([chris])
    code, out, _err = export(
        tmp_path / "db2", monkeypatch, complete_id, "--consent", "2", "--format", "yaml"
    )
    assert code == 0 and out.startswith(
        "# Released to Hill Street School counselor under consent 2.\n"
    )


@pytest.mark.parametrize(
    "args, reason",
    [
        (("--consent", "3", "--format", "txt"), "it expired on 2016-01-01"),
        (("--consent", "4", "--format", "txt"), "it was revoked on 2016-09-01"),
        (("--consent", "5", "--format", "txt"), "it has not been signed"),
        (("--consent", "6", "--format", "txt"), "which has not come yet"),
        (("--consent", "9", "--format", "txt"), "this plan has 6 consents on file"),
        (("--consent", "1", "--format", "yaml"), "shares only the summary"),
        (
            ("--consent", "1", "--format", "md", "--audience", "clinician"),
            "not the clinical record",
        ),
    ],
)
def test_export_refuses_without_a_current_consent(db, monkeypatch, tmp_path, args, reason):
    path, plan_id = db
    target = tmp_path / "out.txt"
    code, out, err = export(path, monkeypatch, plan_id, *args, "-o", str(target))
    assert code == cli.EXIT_BAD_INPUT and reason in err and out == ""
    assert not target.exists()


def test_the_clinicians_own_copy_needs_no_consent(db, monkeypatch, tmp_path, chris):
    path, plan_id = db
    for fmt in ("txt", "md"):
        code, out, _err = export(path, monkeypatch, plan_id, "--format", fmt)
        assert code == 0 and "Released to" not in out
    chris.consents = []
    [own_id] = open_store(tmp_path / "db2").import_plans([chris])
    code, out, _err = export(tmp_path / "db2", monkeypatch, own_id, "--format", "yaml")
    assert code == 0 and out.startswith("tplan: 2")


def test_a_newline_in_the_recipient_stays_inside_the_yaml_comment(tmp_path, chris, monkeypatch):
    chris.consents = [
        m.Consent(
            "Dr. Lin\nclient:\n  name: Mallory",
            "full plan",
            "Chris",
            date(2016, 7, 1),
            date(2017, 7, 1),
        )
    ]
    [plan_id] = open_store(tmp_path / "db").import_plans([chris])
    code, out, _err = export(
        tmp_path / "db", monkeypatch, plan_id, "--consent", "1", "--format", "yaml"
    )
    assert (
        code == 0
        and out.splitlines()[0] == "# Released to Dr. Lin client: name: Mallory under consent 1."
    )
    from tplan_tui.planfile import load_plan_text

    assert load_plan_text(out).client.name == "Chris"


# --------------------------------------------------------------------------- in the app


async def test_share_offers_only_current_consents_and_writes_a_private_named_copy(db, tmp_path):
    path, plan_id = db
    target = tmp_path / "out" / "for-dr-lin.md"
    app = make_app(open_store(path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("ctrl+e")
        dialog = app.screen
        assert isinstance(dialog, Choose)
        assert [key for key, _label in dialog.choices] == ["1", "2"]  # not 3 to 6
        await kb.press("1")
        field = app.screen.query_one("#askline")
        assert field.value == "chris-summary-consent1.txt"
        field.value = str(tmp_path / "for-dr-lin.pdf")
        await kb.press("enter")
        assert "end the name with .txt, .md or .html" in str(
            app.screen.query_one("#askline-error").render()
        )
        field.value = str(target)
        await kb.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
    text = target.read_text()
    assert "Dr. Lin (family doctor)" in text and "consent 1" in text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_no_current_consent_means_nothing_to_share(tmp_path, chris):
    chris.consents = [EXPIRED]
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, CaseloadScreen)
        assert notes.said("No current consent on file for Chris")


async def test_consents_are_added_revoked_and_expired_by_keys(tmp_path, chris):
    chris.signatures.append(m.Signature("family member", "Alex", date(2016, 7, 1)))
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await app.screen.action_tool("consents")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsentsScreen)
        assert "No consent of their own on file from: Alex" in str(
            screen.query_one("#consents-detail").render()
        )
        await kb.press("a")
        assert isinstance(app.screen, ConsentForm)
        await kb.type("Hill Street School counselor")
        await kb.press("tab")
        await kb.type("Alex")
        await kb.press("tab")
        await kb.type("to plan help at school")
        await kb.press("tab", "tab", "f", "tab")  # no end event; shares: full plan
        await kb.press("tab", "tab")  # minor alone: no (an adult); signed on: today (there)
        await kb.type("2016-09-10")  # ends before it was signed: said, not kept
        await kb.press("ctrl+s")
        assert "cannot end before it was signed" in str(
            app.screen.query_one("#consent-error").render()
        )
        app.screen.query_one("#consent-expires_on").value = "2017-09-14"
        await kb.press("ctrl+s")
        await settled(pilot)
        assert app.screen is screen
        assert "1 on file, 1 current" in str(screen.query_one("#consents-title").render())
        assert "Alex" not in str(screen.query_one("#consents-detail").render())
        await kb.press("r")
        assert isinstance(app.screen, Confirm)
        await kb.press("y")
        await settled(pilot)
        assert "1 on file, 0 current" in str(screen.query_one("#consents-title").render())
        await kb.press("s")  # share under a revoked consent: refused, in words
        assert notes.said("Consent 1 does not allow sharing: it was revoked on 2016-09-15")
        await kb.press("x")  # the end date can still be set, e.g. to match the form
        app.screen.query_one("#askline").value = "2016-12-31"
        await kb.press("enter")
        await settled(pilot)
        await kb.press("escape")
        assert isinstance(app.screen, CaseloadScreen)
    [consent] = open_store(db).load(plan_id).plan.consents
    assert consent == m.Consent(
        "Hill Street School counselor",
        "full plan",
        "Alex",
        TODAY,
        date(2016, 12, 31),
        revoked_on=TODAY,
        purpose="to plan help at school",
    )


async def test_a_consent_change_never_overwrites_a_change_made_elsewhere(tmp_path, chris):
    chris.consents = [copy.deepcopy(GP)]
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await app.screen.action_tool("consents")
        await pilot.pause()
        other = open_store(db)
        theirs = other.load(plan_id)
        theirs.plan.client.pronouns = "they/them"
        other.save(plan_id, theirs.plan, base_revision=theirs.revision)
        await pilot.press("r", "y")
        await settled(pilot)
    plan = open_store(db).load(plan_id).plan
    assert plan.client.pronouns == "they/them" and plan.consents[0].revoked_on == TODAY
