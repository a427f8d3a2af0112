"""Shared fixtures: every test gets its own data and config folders and never touches the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.samples import CHRIS_YAML
from tplan_tui import planfile


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """A fresh store and config folder per test, so no test sees another's plans or settings."""
    monkeypatch.setenv("TPLAN_DB", str(tmp_path / "store"))
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "config"))
    monkeypatch.delenv("TPLAN_PASSPHRASE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def chris_path() -> Path:
    assert CHRIS_YAML.exists(), f"the sample plan is missing: {CHRIS_YAML}"
    return CHRIS_YAML


@pytest.fixture
def chris(chris_path):
    """The seed's sample plan (Chris), as a model object."""
    return planfile.load_plan_file(chris_path)
