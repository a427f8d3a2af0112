"""`tplan export --document safety-plan`, and the crisis line from the settings (issue 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, imported, ok, tplan
from tests.samples import ROBIN_V2_YAML


@pytest.fixture
def robin_id() -> str:
    return imported(ROBIN_V2_YAML)


def test_the_safety_plan_exports_on_its_own_page(robin_id):
    text = ok("export", robin_id, "--format", "txt", "--document", "safety-plan")
    assert text.startswith("My safety plan\n")
    assert "1. Signs that a hard time is starting" in text
    assert "8. My reasons for living" in text
    assert text.rstrip().endswith(
        "If you are in danger right now, call your local emergency number."
    )
    assert "Passive thoughts" not in text and "low risk" not in text  # the assessment stays


@pytest.mark.parametrize(
    "args",
    [("--format", "yaml"), ("--format", "txt", "--audience", "clinician")],
)
def test_the_safety_plan_is_only_the_clients(robin_id, args):
    done = tplan("export", robin_id, *args, "--document", "safety-plan")
    assert done.returncode == 2
    line = assert_one_line_error(done.stderr)
    assert "--document safety-plan is the client's own page" in line
    assert done.stdout == ""


def test_a_client_export_names_the_crisis_line_from_the_settings(tmp_path, chris_path):
    chris_id = imported(chris_path)
    assert "call or text 988" in ok("export", chris_id, "--format", "txt")
    config = Path(os.environ["TPLAN_CONFIG"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.yaml").write_text(
        "crisis_lines:\n  - name: Samaritans\n    contact: call 116 123\n", "utf-8"
    )
    text = ok("export", chris_id, "--format", "md")
    assert "call 116 123" in text and "988" not in text
    # The clinical record is not a client document: no help section is added to it.
    record = ok("export", chris_id, "--format", "txt", "--audience", "clinician")
    assert "How to reach help" not in record
