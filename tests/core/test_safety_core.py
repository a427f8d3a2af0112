"""The core of safety in the session: what a save just raised, and a safety plan that never asks
for the treatment plan to be signed again."""

from __future__ import annotations

import copy
import re
from datetime import date

from tplan_tui.core import model as m
from tplan_tui.core.attention import new_reasons
from tplan_tui.core.versioning import VersionGuard, agreed_content


def test_new_reasons_are_only_what_the_change_raised(chris):
    before = copy.deepcopy(chris)
    chris.goals[0].progress.append(m.ProgressEntry(date(2016, 8, 10), client_rating=0))
    raised = new_reasons(before, chris)
    assert [r.brief for r in raised] == ["rating fell from 5 to 0", "client rated 0 out of 10"]
    assert new_reasons(chris, chris) == []  # nothing new when nothing changed
    assert new_reasons(before, chris, addressed_on=date(2016, 8, 10)) == []


def test_a_safety_plan_or_risk_assessment_never_starts_a_new_version(chris):
    assert chris.current_signatures()  # the sample plan is signed
    guard = VersionGuard(chris)
    agreed = agreed_content(chris)
    chris.safety.plan = m.SafetyPlan(made_on=date(2016, 8, 10), warning_signs=["Not sleeping"])
    chris.safety.assessments.append(m.RiskAssessment(date(2016, 8, 10), "moderate"))
    assert agreed_content(chris) == agreed
    assert guard.check(chris) is None and chris.plan.version == 1
    chris.goals[0].text = "A reworded goal"  # the check is real: a change to a goal does
    assert guard.check(chris) is not None and chris.plan.version == 2


def test_the_librarys_safety_goals_point_to_the_safety_plan_and_means_safety_is_today():
    from tplan_tui.library import load_shipped_library

    [area] = [a for a in load_shipped_library().areas if a.area == "Safety planning"]
    plan_goal, means_goal = area.goals[0], area.goals[1]
    assert "in tplan's safety plan" in plan_goal.text
    assert "today" in means_goal.text
    for text in [means_goal.text, *(o.text for o in means_goal.objectives)]:
        assert not re.search(r"\bweek\b|\bday 7\b", text), text


def test_a_dated_safety_plan_with_nothing_in_it_is_no_safety_plan(chris):
    chris.safety.assessments.append(m.RiskAssessment(date(2016, 8, 10), "moderate"))
    chris.safety.plan = m.SafetyPlan(made_on=date(2016, 8, 10), warning_signs=["  "])
    assert [r.brief for r in new_reasons(m.Plan(), chris)] == ["no safety plan yet"]
    chris.safety.plan.warning_signs = ["Not sleeping"]
    assert new_reasons(m.Plan(), chris) == []
