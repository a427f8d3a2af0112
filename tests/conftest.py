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


@pytest.fixture(autouse=True)
def steady_cursor(request, monkeypatch):
    """Every app a test builds has a steady cursor, as with the ``cursor_blink: false`` setting.

    A blinking cursor is drawn or not depending on when the screenshot is taken, so on a busy
    machine a snapshot differed in one cell. A test marked ``cursor_blinks`` gets what its
    settings say (or its own ``cursor_blink=`` argument).
    """
    if request.node.get_closest_marker("cursor_blinks"):
        return
    from tplan_tui.tui.app import TplanApp

    build = TplanApp.__init__

    def steady(self, *args, **kwargs):
        if kwargs.get("cursor_blink") is None:  # make_app passes None for "as the settings say"
            kwargs["cursor_blink"] = False
        build(self, *args, **kwargs)

    monkeypatch.setattr(TplanApp, "__init__", steady)


@pytest.fixture
def chris_path() -> Path:
    assert CHRIS_YAML.exists(), f"the sample plan is missing: {CHRIS_YAML}"
    return CHRIS_YAML


@pytest.fixture
def chris(chris_path):
    """The seed's sample plan (Chris), as a model object."""
    return planfile.load_plan_file(chris_path)
