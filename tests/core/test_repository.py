"""The repository stands alone: its own copies of the plan format and the sample plan, and no
module, test or benchmark that names a folder outside it."""

from __future__ import annotations

import re
import subprocess

from tests.samples import CHRIS_YAML, REPO
from tplan_tui import planfile
from tplan_tui.demo import DEMO_DIR


def test_the_format_document_and_sample_plan_are_in_the_repository():
    doc = (REPO / "docs" / "plan-format.md").read_text("utf-8")
    assert doc.startswith("# The plan file format, version 2")
    assert planfile.load_plan_file(CHRIS_YAML).client.name == "Chris"


def test_the_demo_shows_the_same_sample_plan():
    # The wheel carries the demo's copy (examples/ is not in the package): the two must agree.
    assert planfile.load_plan_file(DEMO_DIR / "chris.yaml") == planfile.load_plan_file(CHRIS_YAML)


def test_nothing_reads_a_folder_beside_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files", "tplan_tui", "tests", "benchmarks", ".ci", "pyproject.toml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if not tracked:  # not a git checkout (an sdist): read the folders themselves
        tracked = [
            str(p.relative_to(REPO))
            for d in ("tplan_tui", "tests", "benchmarks")
            for p in (REPO / d).rglob("*")
            if p.is_file()
        ]
    outside = re.compile(r"""\.\./shared|["']shared["']\s*[/)]|parents\[2\]\s*/\s*["']shared""")
    this = "tests/core/test_repository.py"
    hits = []
    for rel in tracked:
        path = REPO / rel
        if (
            rel == this
            or path.suffix not in (".py", ".md", ".toml", ".yaml", "")
            or not path.is_file()
        ):
            continue
        text = path.read_text("utf-8", errors="replace")
        hits += [f"{rel}: {m.group(0)}" for m in outside.finditer(text)]
    assert hits == []
