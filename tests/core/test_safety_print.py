"""The client's safety plan prints on one page: checked by printing the html in headless chromium
and counting the pages of the PDF (needs `chromium` and `pdfinfo`; skipped without them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.samples import ROBIN_V2_YAML
from tplan_tui import planfile
from tplan_tui.core import model as m
from tplan_tui.summary import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or shutil.which("pdfinfo") is None, reason="needs chromium and pdfinfo"
    ),
]


def pages(html: str, folder: Path) -> int:
    """How many pages ``html`` prints on (Letter, chromium's default paper)."""
    page, pdf = folder / "page.html", folder / "page.pdf"
    page.write_text(html, "utf-8")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])


def full_safety_plan(entries: int) -> m.Plan:
    """Every part with ``entries`` lines of ordinary length, and three people in each list."""
    plan = planfile.load_plan_file(ROBIN_V2_YAML)
    sp = plan.safety.plan
    line = "When the evening gets quiet and I start to go over the day again"
    for key in ("warning_signs", "coping_on_my_own", "people_and_places", "safer_surroundings",
                "reasons_for_living"):  # fmt: skip
        setattr(sp, key, [f"{line} ({i + 1})" for i in range(entries)])
    for key in ("people_to_ask", "professionals", "crisis_lines"):
        setattr(sp, key, [m.Contact(f"Jules Marrow {i}", f"555-01{i:02d}, any evening") for i in range(3)])  # fmt: skip
    return plan


def test_a_full_safety_plan_prints_on_one_page(tmp_path):
    plan = full_safety_plan(entries=4)
    html = render(plan, fmt="html", today=date(2026, 11, 1), document="safety-plan")
    assert pages(html, tmp_path) == 1
    # The check is real: the summary of the same plan takes more than one page.
    assert pages(render(plan, fmt="html", today=date(2026, 11, 1)), tmp_path) > 1
