"""ICD-10-CM codes: real and billable codes pass, others are refused with the nearest real ones,
and the picker's search finds codes by their start and by words of their description."""

from __future__ import annotations

import pytest

from tplan_tui.core import codes
from tplan_tui.core import model as m


@pytest.mark.parametrize("code", ["F41.1", "F32.9", "F32.A", "Z62.820", "F329", "F99"])
def test_billable_codes_pass(code):
    assert codes.code_problem(code) is None


def test_banana_is_refused_with_a_suggestion():
    problem = codes.code_problem("banana", "feels sad")
    assert problem is not None
    assert problem.startswith("banana is not an ICD-10-CM code; nearest: ")
    assert "F41.1" in problem  # an example of what a code looks like, and where to search


def test_a_code_that_does_not_exist_suggests_its_real_category():
    problem = codes.code_problem("F99.99")
    assert (
        problem
        == "F99.99 is not an ICD-10-CM code; nearest: F99 Mental disorder, not otherwise specified"
    )


def test_a_category_is_not_billable_and_names_its_codes():
    problem = codes.code_problem("F32")
    assert problem is not None
    assert problem.startswith("F32 is a category, not billable: choose one of F32.0, F32.1")
    assert "F32.9" in problem and "F32.A" in problem


def test_wrong_case_is_refused_and_the_right_code_suggested():
    problem = codes.code_problem("f41.1")
    assert problem is not None and "nearest: F41.1 Generalized anxiety disorder" in problem


def test_an_unknown_code_is_matched_by_its_label():
    problem = codes.code_problem("XYZ", "panic attacks")
    assert problem is not None and "F41.0 Panic disorder" in problem


def test_search_by_code_start_and_by_words():
    assert [e.code for e in codes.search("F32")][:3] == ["F32.0", "F32.1", "F32.2"]
    panic = [e.code for e in codes.search("panic")]
    assert "F41.0" in panic and all(c.startswith("F") for c in panic[:3])
    assert "F32.9" in [e.code for e in codes.search("major depr single unspec")]
    assert codes.search("") == [] and codes.search("zzzqqq") == []


def test_only_icd_10_cm_diagnoses_are_checked():
    plan = m.Plan(
        history=m.History(
            diagnoses=[
                m.Diagnosis(code="banana", label="a"),
                m.Diagnosis(code="6A70", label="b", system="ICD-11"),
                m.Diagnosis(code="F41.1", label="c"),
                m.Diagnosis(code="nope", label="d", system="other"),
            ]
        )
    )
    found = codes.diagnosis_problems(plan)
    assert [path for path, _ in found] == ["history.diagnoses[0].code"]
    assert codes.diagnosis_problems(plan, version=1) == []  # version 1 had no system: as written
