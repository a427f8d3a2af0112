"""The goal library kept between opens of the picker, and read again when the clinician's own
files change (a goal saved to the library must show at the next Ctrl+L)."""

from __future__ import annotations

import pytest

from tplan_tui.core import model as m
from tplan_tui.library import save_goal_to_user_library
from tplan_tui.library.cache import current_library


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def test_the_same_library_while_nothing_changed(config):
    assert current_library() is current_library()


def test_a_goal_saved_to_the_library_is_found_at_once(config):
    before = current_library()
    assert before.search("Quokka walks") == []
    goal = m.Goal(
        text="Take the quokka walks each morning",
        rating=m.Rating(label="Mornings with a walk", low="none", high="every one"),
        objectives=[m.Objective(text="Walks to the gate and back three mornings a week")],
    )
    save_goal_to_user_library("Outdoors", goal, None)
    after = current_library()
    assert after is not before
    assert [g.text for _a, g in after.search("quokka walks")] == [goal.text]


def test_another_config_has_its_own_library(config, tmp_path, monkeypatch):
    first = current_library()
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "other"))
    assert current_library() is not first
