"""The plan model's derived values: next review, review state, age, consent and ratings.

Every date here is fixed, so no test depends on the day it runs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tplan_tui.core import model as m

D = date.fromisoformat


def plan_started(
    started: str | None, every: int | None, reviews: tuple[str, ...] = (), status="active"
):
    return m.Plan(
        plan=m.PlanInfo(
            started=D(started) if started else None, review_every_days=every, status=status
        ),
        reviews=[m.Review(date=D(r)) for r in reviews],
    )


# --------------------------------------------------------------------------- the sample plan


def test_chris_next_review_is_thirty_days_after_the_start(chris):
    assert chris.plan.started == D("2016-07-01")
    assert chris.reviews == []
    assert chris.next_review == D("2016-07-31")


def test_chris_is_overdue_only_after_the_review_date(chris):
    assert not chris.is_overdue(D("2016-07-30"))
    assert not chris.is_overdue(D("2016-07-31"))  # due today is not overdue
    assert chris.is_overdue(D("2016-08-01"))
    assert chris.review_state(D("2016-08-01")) == "overdue"
    assert chris.review_state(D("2016-07-31")) == "due soon"
    assert chris.review_state(D("2016-07-01")) == "on schedule"


def test_chris_latest_ratings(chris):
    goal = chris.goals[0]
    assert goal.latest_client_rating == 5
    assert goal.latest_clinician_rating == 5
    assert goal.client_ratings() == [(D("2016-07-31"), 5)]
    assert goal.rating.baseline == 3 and goal.rating.target == 6


def test_latest_rating_skips_entries_without_that_rating(chris):
    goal = chris.goals[0]
    goal.progress.append(m.ProgressEntry(date=D("2016-08-30"), client_rating=7))
    assert goal.latest_client_rating == 7
    assert goal.latest_clinician_rating == 5  # the clinician did not rate on 2016-08-30
    goal.progress.append(m.ProgressEntry(date=D("2016-09-29"), clinician_rating=6))
    assert (goal.latest_client_rating, goal.latest_clinician_rating) == (7, 6)
    assert goal.clinician_ratings() == [(D("2016-07-31"), 5), (D("2016-09-29"), 6)]


def test_latest_rating_is_none_without_progress_not_the_baseline():
    goal = m.Goal(rating=m.Rating(baseline=3, target=6))
    assert goal.latest_client_rating is None
    assert goal.latest_clinician_rating is None
    assert goal.client_ratings() == []


def test_client_words_are_preferred_for_the_client(chris):
    assert chris.goals[0].for_client == "I want a plan at home that helps my son behave better."
    assert chris.strengths[0].for_client == chris.strengths[0].text  # no words of his own
    assert chris.presenting_concerns[0].for_client.startswith("My son and I argue")


def test_chris_signatures_are_for_the_current_version(chris):
    assert [s.role for s in chris.current_signatures()] == ["client", "clinician"]
    chris.plan.version = 2
    assert chris.current_signatures() == []


# --------------------------------------------------------------------------- next review


def test_next_review_without_reviews_counts_from_the_start():
    assert plan_started("2026-01-10", 90).next_review == D("2026-04-10")


def test_next_review_counts_from_the_latest_review():
    p = plan_started("2026-01-01", 30, ("2026-01-29", "2026-03-02"))
    assert p.latest_review.date == D("2026-03-02")
    assert p.next_review == D("2026-04-01")


def test_next_review_uses_the_latest_review_even_out_of_order():
    p = plan_started("2026-01-01", 30, ("2026-03-02", "2026-01-29"))
    assert p.next_review == D("2026-04-01")


def test_next_review_across_a_leap_day():
    assert plan_started("2028-02-28", 1).next_review == D("2028-02-29")
    assert plan_started("2028-01-01", 365).next_review == D("2028-12-31")


@pytest.mark.parametrize(
    ("started", "every", "reviews"),
    [
        (None, 30, ()),
        ("2026-01-01", None, ()),
        (None, None, ()),
        ("2026-01-01", None, ("2026-02-01",)),
    ],
)
def test_next_review_is_unknown_without_a_start_or_a_cadence(started, every, reviews):
    p = plan_started(started, every, reviews)
    assert p.next_review is None
    assert p.review_state(D("2030-01-01")) == "not set"
    assert not p.is_overdue(D("2030-01-01"))


def test_next_review_from_a_review_even_without_a_start():
    assert plan_started(None, 10, ("2026-05-01",)).next_review == D("2026-05-11")


# --------------------------------------------------------------------------- review state


@pytest.mark.parametrize(
    ("today", "state", "overdue"),
    [
        ("2026-01-01", "on schedule", False),
        ("2026-03-16", "on schedule", False),  # 15 days before
        ("2026-03-17", "due soon", False),  # 14 days before
        ("2026-03-31", "due soon", False),  # due today
        ("2026-04-01", "overdue", True),
        ("2027-01-01", "overdue", True),
    ],
)
def test_review_state(today, state, overdue):
    p = plan_started("2026-01-01", 89)  # due 2026-03-31
    assert p.next_review == D("2026-03-31")
    assert p.review_state(D(today)) == state
    assert p.is_overdue(D(today)) is overdue


def test_review_state_soon_days_is_adjustable():
    p = plan_started("2026-01-01", 89)
    assert p.review_state(D("2026-03-17"), soon_days=7) == "on schedule"
    assert p.review_state(D("2026-03-24"), soon_days=7) == "due soon"


def test_a_completed_plan_is_never_overdue():
    p = plan_started("2016-01-01", 30, status="completed")
    assert p.next_review == D("2016-01-31")
    assert not p.is_overdue(D("2026-01-01"))
    assert p.review_state(D("2026-01-01")) == "completed"


@pytest.mark.parametrize("status", ["draft", "active"])
def test_draft_and_active_plans_can_be_overdue(status):
    p = plan_started("2016-01-01", 30, status=status)
    assert p.is_overdue(D("2016-02-01"))


# --------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("born", "on", "age", "minor"),
    [
        ("2000-03-15", "2018-03-14", 17, True),
        ("2000-03-15", "2018-03-15", 18, False),
        ("2000-03-15", "2030-01-01", 29, False),
        ("2010-06-01", "2010-06-01", 0, True),
        ("2004-02-29", "2022-02-28", 17, True),  # a leap-day birthday comes on 1 March
        ("2004-02-29", "2022-03-01", 18, False),
    ],
)
def test_client_age_and_minor(born, on, age, minor):
    client = m.Client(name="Sam", date_of_birth=D(born))
    assert client.age_on(D(on)) == age
    assert client.is_minor_on(D(on)) is minor


def test_a_client_without_a_date_of_birth_is_not_taken_for_a_minor():
    client = m.Client(name="Sam")
    assert client.age_on(D("2026-01-01")) is None
    assert client.is_minor_on(D("2026-01-01")) is False


# --------------------------------------------------------------------------- consent

CONSENT = m.Consent(
    to="Dr. Ama Owusu, primary care",
    shares="summary",
    signed_by="Chris",
    signed_on=D("2026-01-10"),
    expires_on=D("2026-07-10"),
)


def test_a_current_consent_allows_sharing():
    for day in ("2026-01-10", "2026-04-01", "2026-07-10"):  # first and last day included
        assert CONSENT.problem_on(D(day)) is None
        assert CONSENT.is_current_on(D(day))


def test_an_expired_consent():
    assert CONSENT.problem_on(D("2026-07-11")) == "it expired on 2026-07-10"
    assert not CONSENT.is_current_on(D("2026-07-11"))


def test_a_consent_without_an_end_does_not_expire():
    assert replace(CONSENT, expires_on=None).problem_on(D("2099-01-01")) is None


def test_a_revoked_consent():
    revoked = replace(CONSENT, revoked_on=D("2026-03-01"))
    assert revoked.problem_on(D("2026-02-28")) is None  # revocation takes effect on its date
    assert revoked.problem_on(D("2026-03-01")) == "it was revoked on 2026-03-01"
    assert revoked.problem_on(D("2026-12-31")) == "it was revoked on 2026-03-01"


@pytest.mark.parametrize(
    "unsigned",
    [replace(CONSENT, signed_by=""), replace(CONSENT, signed_on=None), m.Consent(to="school")],
)
def test_an_unsigned_consent(unsigned):
    assert unsigned.problem_on(D("2026-04-01")) == "it has not been signed"
    assert not unsigned.is_current_on(D("2026-04-01"))


def test_a_consent_dated_in_the_future():
    assert CONSENT.problem_on(D("2026-01-09")) == "it is dated 2026-01-10, which has not come yet"


def test_current_consents_are_numbered_from_one():
    p = m.Plan(
        client=m.Client(name="Chris"),
        consents=[replace(CONSENT, revoked_on=D("2026-02-01")), CONSENT],
    )
    assert p.current_consents(D("2026-03-01")) == [(2, CONSENT)]
    assert p.current_consents(D("2026-01-15")) == [(1, p.consents[0]), (2, CONSENT)]


# --------------------------------------------------------------------------- emptiness


def test_history_and_contract_emptiness():
    assert m.History().is_empty()
    assert not m.History(extra={"source": "intake form"}).is_empty()
    assert not m.History(diagnoses=[m.Diagnosis(code="F41.1", label="GAD")]).is_empty()
    assert m.Contract().is_empty()
    assert not m.Contract(session_minutes=50).is_empty()
    assert not m.Contract(client_agrees_to=["Come on time."]).is_empty()
