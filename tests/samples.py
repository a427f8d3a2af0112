"""Where the tests find the invented sample plans: the repository's own copies, never a folder
outside it (a fresh clone with nothing beside it must pass)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
CHRIS_YAML = REPO / "examples" / "chris.yaml"  # the format's sample plan (docs/plan-format.md)
MAYA_YAML = TESTS / "data" / "maya.yaml"
CHRIS_TEXT = CHRIS_YAML.read_text("utf-8")
ROBIN_V2_YAML = TESTS / "data" / "robin-v2.yaml"  # every key of format version 2
