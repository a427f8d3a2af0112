"""Versions: kept read-only in the plan's own file, the change list between two versions, the first
change to a signed plan starting a new version once, and signatures bound to a version."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from tests.privacy_helpers import FAST_N, PASS
from tests.tui_helpers import Keyboard, Notes, goto_step, row, settled
from tplan_tui.core import model as m
from tplan_tui.core.changes import Change, changes_in_words, diff_plans, match_items
from tplan_tui.core.versioning import VersionGuard, agreed_content
from tplan_tui.store import StoreError, crypto, init_store, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.versions import VersionsScreen, VersionView

TODAY = date(2016, 9, 15)


def bumped(plan: m.Plan) -> m.Plan:
    new = copy.deepcopy(plan)
    new.plan.version += 1
    return new


# --------------------------------------------------------------------------- the store


def test_a_save_that_raises_the_version_keeps_the_one_it_replaces(tmp_path, chris):
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    assert store.versions(stored.plan_id) == []
    new = bumped(chris)
    new.goals[0].text = "Chris will keep the parenting plan going."
    store.save(stored.plan_id, new, base_revision=stored.revision)
    [v1] = store.versions(stored.plan_id)
    assert v1.number == 1 and v1.plan == chris and v1.replaced[:4].isdigit()
    assert store.load_version(stored.plan_id, 1).plan.goals[0].text == chris.goals[0].text
    assert store.load(stored.plan_id).plan.plan.version == 2
    # Later saves of version 2 keep version 1 as it was; a save without a bump adds nothing.
    new.goals[0].text = "changed again"
    store.save(stored.plan_id, new)
    assert [v.number for v in store.versions(stored.plan_id)] == [1]
    assert store.load_version(stored.plan_id, 1).plan == chris
    with pytest.raises(StoreError, match="has no earlier version 2 kept"):
        store.load_version(stored.plan_id, 2)


def test_a_kept_version_is_never_rewritten(tmp_path, chris):
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    assert store.save_version(stored.plan_id, chris) is True
    other = copy.deepcopy(chris)
    other.goals[0].text = "not what was signed"
    assert store.save_version(stored.plan_id, other) is False
    assert store.load_version(stored.plan_id, 1).plan == chris
    store.save(stored.plan_id, bumped(other))  # the automatic keep does not rewrite it either
    assert store.load_version(stored.plan_id, 1).plan == chris


def test_versions_live_in_the_plans_own_file_and_are_encrypted_with_it(
    tmp_path, chris, monkeypatch
):
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)
    chris.goals[0].text = "ZEBRA-CANARY-4401 goal"
    store = init_store(tmp_path / "enc", passphrase=PASS)
    stored = store.create(chris)
    store.save(stored.plan_id, bumped(chris))
    path = tmp_path / "enc" / "plans" / f"{stored.plan_id}.json"
    assert b"ZEBRA-CANARY-4401" not in path.read_bytes()
    again = open_store(tmp_path / "enc", passphrase=PASS)
    assert again.load_version(stored.plan_id, 1).plan.goals[0].text == "ZEBRA-CANARY-4401 goal"
    plain = open_store(tmp_path / "plain")
    plain_id = plain.create(chris).plan_id
    plain.save(plain_id, bumped(chris))
    tables = json.loads((tmp_path / "plain" / "plans" / f"{plain_id}.json").read_text())
    assert set(tables) == {"plan", "versions"} and list(tables["versions"]) == ["1"]


# --------------------------------------------------------------------------- what changed


def test_the_change_list_in_words(chris):
    new = bumped(chris)
    g = new.goals[0]
    g.objectives[2].text = "Chris will present the parenting plan to his son at a family meeting."
    del g.interventions[1]
    g.interventions.append(
        m.Intervention("Therapist will teach Chris to praise effort, once a week.")
    )
    g.status = "completed"
    new.goals.append(
        m.Goal(
            text="Chris will sleep 7 hours on 5 nights a week.",
            objectives=[m.Objective("Chris will keep a sleep diary.")],
        )
    )
    assert changes_in_words(chris, new) == [
        "Goal 1 status: active → completed",
        "Objective 1.3 reworded: 'Chris will present his new parenting plan to his son during a "
        "family…' → 'Chris will present the parenting plan to his son at a family meeting.'",
        "Intervention 1.2 removed: Therapist will provide materials for Chris to document the new "
        "house…",
        "Intervention 1.3 added: Therapist will teach Chris to praise effort, once a week.",
        "Goal 2 added: Chris will sleep 7 hours on 5 nights a week.",
    ]
    assert changes_in_words(chris, copy.deepcopy(chris)) == [
        "No goal, objective or intervention was added, removed or reworded."
    ]


def test_items_are_matched_by_text_before_position():
    old = ["Walk the dog daily.", "Call a friend each week.", "Sleep by 11 pm."]
    new = ["Sleep by 11 pm on weeknights.", "Walk the dog daily.", "Join a choir."]
    # (old, new) in the new list's order; a removed item where it stood in the old one
    assert match_items(old, new, str) == [(1, None), (2, 0), (0, 1), (None, 2)]


def test_goals_moved_and_reworded_keep_their_objectives_apart(chris):
    second = m.Goal(
        text="Chris will sleep 7 hours on 5 nights a week.",
        objectives=[m.Objective("Chris will keep a sleep diary for 2 weeks.")],
    )
    old = copy.deepcopy(chris)
    old.goals.append(second)
    new = copy.deepcopy(old)
    new.goals.reverse()  # the same goals, in another order
    new.goals[0].objectives[0].text = "Chris will keep a sleep diary for 3 weeks."
    assert diff_plans(old, new) == [
        Change(
            "Objective",
            "1.1",
            "reworded",
            "Chris will keep a sleep diary for 2 weeks.",
            "Chris will keep a sleep diary for 3 weeks.",
        )
    ]


def test_a_goal_rewritten_in_place_is_reworded_not_removed_and_added(chris):
    new = bumped(chris)
    new.goals[
        0
    ].text = "Chris will use the parenting plan so that his son's behavior is rated 6 or more."
    [change] = diff_plans(chris, new)
    assert change.kind == "reworded" and change.number == "1"


def test_progress_reviews_and_signatures_are_not_changes_of_the_plan(chris):
    new = bumped(chris)
    new.goals[0].progress.append(m.ProgressEntry(TODAY, 6, 6))
    new.goals[0].achievement = "achieved"
    new.goals[0].objectives[3].status = "achieved"
    new.reviews.append(m.Review(TODAY, "fine"))
    new.signatures = []
    assert diff_plans(chris, new) == []
    assert agreed_content(chris) == agreed_content(new)


# --------------------------------------------------------------------------- signing


def test_a_change_to_a_signed_plan_starts_one_new_version(chris):
    guard = VersionGuard(chris)
    chris.signatures.append(m.Signature("family member", "Alex", TODAY, version=1))
    assert guard.check(chris) is None  # signing is not a change of the plan
    chris.goals[0].progress.append(m.ProgressEntry(TODAY, 6))
    assert guard.check(chris) is None  # neither is progress
    signed_copy = copy.deepcopy(chris)
    chris.goals[0].objectives[0].text = "Chris will write the house rules on a poster."
    number, signed = guard.check(chris)
    assert number == 1 and signed == signed_copy and chris.plan.version == 2
    chris.goals[0].objectives[1].text = "and again"
    assert guard.check(chris) is None and chris.plan.version == 2  # once


def test_signatures_of_an_earlier_version_ask_to_sign_again_by_name(chris):
    assert chris.signing_problems(TODAY) == [] and chris.signing_state(TODAY) == "signed"
    chris.signatures.append(m.Signature("family member", "Alex", TODAY, version=1))
    chris.plan.version = 2
    assert chris.signing_problems(TODAY) == [
        "Chris (client) signed an earlier version (version 1): sign again.",
        "Dana Reyes (clinician) signed an earlier version (version 1): sign again.",
        "Alex (family member) signed an earlier version (version 1): sign again.",
    ]
    chris.signatures.append(m.Signature("client", "Chris", TODAY, version=2))
    chris.signatures.append(m.Signature("clinician", "Dana Reyes", TODAY, version=2))
    assert chris.signing_problems(TODAY) == [
        "Alex (family member) signed an earlier version (version 1): sign again."
    ]
    chris.signatures.append(m.Signature("family member", "Alex", TODAY, version=2))
    assert chris.signing_state(TODAY) == "signed"


def test_a_minor_needs_a_guardian_until_one_signs(chris):
    chris.client.date_of_birth = date(2001, 3, 4)
    chris.client.guardian = m.Guardian("Pat Lee", "mother")
    assert chris.signing_problems(TODAY) == ["The client is under 18: a guardian must sign too."]
    assert chris.signing_state(date(2019, 3, 4)) == "signed"  # 18 that day
    chris.signatures.append(m.Signature("guardian", "Pat Lee", TODAY, version=1))
    assert chris.signing_state(TODAY) == "signed"


async def test_the_caseload_says_needs_signing_for_a_minor_without_a_guardian_signature(
    tmp_path, chris
):
    minor = copy.deepcopy(chris)
    minor.client.name = "Robin"
    minor.client.date_of_birth = date(2010, 1, 1)
    store = open_store(tmp_path / "db")
    store.import_plans([chris, minor])
    rows = {r.client: r.signing for r in store.list_plans()[0]}
    assert rows == {"Chris": "signed", "Robin": "needs signing"}
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        table = app.screen.table
        cells = {row(table, i)[0]: row(table, i)[1] for i in range(table.row_count)}
        assert cells == {"Chris": "active", "Robin": "needs signing"}


async def test_editing_a_signed_plan_starts_a_new_version_once_and_asks_to_sign_again(
    tmp_path, chris
):
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        kb = Keyboard(pilot)
        await kb.press("enter")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        await goto_step(pilot, screen, "objectives")
        area = screen.query_one("#f-goals-0-objectives-0-text PlanTextArea")
        area.focus()
        area.move_cursor(area.document.end)
        await kb.type(" Poster on the fridge.")
        assert notes.said("Version 1 was signed, so this change starts version 2")
        await kb.type(" Done.")
        assert screen.plan.plan.version == 2  # once
        await goto_step(pilot, screen, "review")
        checklist = [i.words for i in screen.query_one("#checklist").items]
        assert "Chris (client) signed an earlier version (version 1): sign again." in checklist
        changes = str(screen.query_one("#changes").render())
        assert (
            "Changed since version 1, signed by Chris (client), Dana Reyes (clinician):" in changes
        )
        assert "Objective 1.1 reworded:" in changes
        # Sign again: Ctrl+N adds the next signature needed, dated today, for this version; the
        # plan still lacks what the basic profile asks, so the clinician is asked why.
        await kb.press("ctrl+n", "ctrl+n")
        await kb.type("Signed again after the poster was added")
        await kb.press("enter")
        assert [(s.role, s.version) for s in screen.plan.current_signatures()] == [
            ("client", 2),
            ("clinician", 2),
        ]
        assert not any("sign again" in i.words for i in screen.query_one("#checklist").items)
        assert screen.plan.signatures[-1].incomplete_reason.startswith("Signed again after")
        await kb.press("escape")
        await settled(pilot)
        table = app.screen.table
        assert row(table, 0)[1] == "active"  # signed again: no "needs signing"
    store = open_store(db)
    plan = store.load(plan_id).plan
    assert plan.plan.version == 2 and plan.signing_state(TODAY) == "signed"
    assert plan.goals[0].objectives[0].text.endswith("Poster on the fridge. Done.")
    [v1] = store.versions(plan_id)
    assert v1.plan == chris  # exactly as signed


async def test_signing_does_not_start_a_new_version(tmp_path, chris):
    chris.signatures = [chris.signatures[0]]  # the client has signed; the clinician signs now
    db = tmp_path / "db"
    [plan_id] = open_store(db).import_plans([chris])
    app = make_app(open_store(db), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await goto_step(pilot, app.screen, "review")
        await pilot.press("ctrl+n", "escape")
    store = open_store(db)
    assert store.load(plan_id).plan.plan.version == 1 and store.versions(plan_id) == []


async def test_the_versions_view_lists_versions_and_what_changed_read_only(tmp_path, chris):
    store = open_store(tmp_path / "db")
    stored = store.create(chris)
    new = bumped(chris)
    new.goals[0].interventions.append(m.Intervention("Therapist will call Chris between sessions."))
    new.reviews.append(m.Review(date(2016, 8, 1), "Good month; one step added."))
    store.save(stored.plan_id, new)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await app.screen.action_tool("versions")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        labels = [
            str(screen.query_one("#versions-list").get_option_at_index(i).prompt) for i in range(2)
        ]
        assert labels[0] == "Version 2 (current) · not signed"
        assert labels[1].startswith("Version 1 · replaced ") and labels[1].endswith(
            "signed by Chris (client, 2016-07-01), Dana Reyes (clinician, 2016-07-01)"
        )
        text = str(screen.query_one("#versions-diff").render())
        assert "What changed from version 1 to version 2:" in text
        assert "Intervention 1.4 added: Therapist will call Chris between sessions." in text
        assert "Review of 2016-08-01: Good month; one step added." in text
        await pilot.press("down")
        assert "first version kept" in str(screen.query_one("#versions-diff").render())
        await pilot.press("enter")
        assert isinstance(app.screen, VersionView)
        assert "read-only" in str(app.screen.query_one("#version-title").render())
        assert not [w for w in app.screen.query("Input, TextArea")]  # nothing here edits
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, CaseloadScreen)
