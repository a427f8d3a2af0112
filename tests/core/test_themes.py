"""Themes: the shipped files are complete and readable, the loader is strict and never crashes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tplan_tui import themes
from tplan_tui.paths import config_dir
from tplan_tui.tui import themes as tui_themes

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "themes"
SHIPPED_FILES = sorted(SHIPPED.glob("*.yaml"))
FIELDS = {
    "name",
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "dark",
}
COLOURS = FIELDS - {"name", "dark"}
REQUIRED = {"tplan-dark", "tplan-light", "high-contrast", "tplan-cvd"}


def wcag_contrast(a: str, b: str) -> float:
    """WCAG 2 contrast, computed here rather than trusted from the module under test."""

    def luminance(colour: str) -> float:
        r, g, b_ = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def user_theme(filename: str, text: str) -> Path:
    folder = config_dir() / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
name: {name}
dark: true
foreground: "#F0F0F0"
background: "{background}"
surface: "#202020"
panel: "#2A2A2A"
primary: "#6FA8DC"
secondary: "#8DB8A6"
accent: "#D9B38C"
success: "#86C5A0"
warning: "#E6C07B"
error: "#E59A9A"
"""


def good_theme(name: str = "mine", background: str = "#101010") -> str:
    return GOOD.format(name=name, background=background)


# --------------------------------------------------------------------------- shipped themes


def test_the_four_required_themes_are_shipped():
    names = {yaml.safe_load(p.read_text())["name"] for p in SHIPPED_FILES}
    assert REQUIRED <= names


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_shipped_theme_has_every_field_and_readable_text(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) == FIELDS
    assert isinstance(data["dark"], bool)
    for key in COLOURS:
        value = data[key]
        assert isinstance(value, str) and len(value) == 7 and value[0] == "#", (key, value)
        int(value[1:], 16)  # six hex digits
    needed = 7.0 if data["name"] == "high-contrast" else 4.5
    # Text sits on the background, on surfaces and on panels; all must stay readable.
    for ground in ("background", "surface", "panel"):
        ratio = wcag_contrast(data["foreground"], data[ground])
        assert ratio >= needed, f"{path.name}: foreground on {ground} is {ratio:.2f}:1"
    # Status words ("overdue", "saved") may be written in these colours on the background.
    for key in ("success", "warning", "error"):
        ratio = wcag_contrast(data[key], data["background"])
        assert ratio >= 4.5, f"{path.name}: {key} on background is {ratio:.2f}:1"


def test_shipped_themes_load_without_problems():
    specs, problems = themes.load_theme_specs()
    assert problems == []
    assert REQUIRED <= {spec.name for spec in specs}
    for spec in specs:
        assert spec.source is not None and spec.source.parent == SHIPPED


def test_cvd_theme_tells_success_from_error_by_blue_and_orange():
    spec = next(s for s in themes.load_theme_specs()[0] if s.name == "tplan-cvd")

    def rgb(colour: str) -> tuple[int, int, int]:
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    r, g, b = rgb(spec.success)
    assert b > r and b > g, "success should be blue, not green"
    r, g, b = rgb(spec.error)
    assert r > g > b, "error should be orange, not red"


def test_shipped_folder_found_in_a_source_checkout():
    assert themes.shipped_themes_dir() == SHIPPED


def test_contrast_ratio_helper():
    assert themes.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert themes.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert themes.contrast_ratio("#1b2430", "#1B2430") == pytest.approx(1.0)
    assert themes.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    for spec in themes.load_theme_specs()[0]:
        assert themes.contrast_ratio(spec.foreground, spec.background) == pytest.approx(
            wcag_contrast(spec.foreground, spec.background)
        )
    with pytest.raises(ValueError):
        themes.contrast_ratio("red", "#FFFFFF")


# --------------------------------------------------------------------------- strict loader


BROKEN = {
    "unknown key": (good_theme("broken") + "primry: '#123456'\n", ["primry", "primary"]),
    "bad colour": (good_theme("broken").replace('"#6FA8DC"', '"blue"'), ["primary", "#RRGGBB"]),
    "short colour": (good_theme("broken").replace('"#6FA8DC"', '"#6FA"'), ["primary", "'#6FA'"]),
    "unquoted colour": (
        good_theme("broken").replace('"#6FA8DC"', "#6FA8DC"),
        ["primary", "quotes"],
    ),
    "missing key": (good_theme("broken").replace('warning: "#E6C07B"\n', ""), ["missing warning"]),
    "dark not a boolean": (
        good_theme("broken").replace("dark: true", "dark: yes"),
        ["dark", "'yes'"],
    ),
    "name not text": (good_theme("broken").replace("name: broken", "name: [a, b]"), ["name"]),
    "not a mapping": ("- just\n- a list\n", ["a list"]),
    "empty file": ("", ["nothing"]),
    "yaml syntax error": (good_theme("broken") + "accent: [unclosed\n", ["line", "not valid YAML"]),
    "duplicate key": (good_theme("broken") + 'panel: "#000000"\n', ["'panel'", "twice"]),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_broken_user_theme_is_skipped_with_a_problem_naming_file_and_field(case):
    text, expected = BROKEN[case]
    broken = user_theme("broken.yaml", text)
    user_theme("fine.yaml", good_theme("fine"))
    specs, problems = themes.load_theme_specs()
    names = {spec.name for spec in specs}
    assert "broken" not in names
    assert {"fine"} | REQUIRED <= names  # the other themes still load
    assert len(problems) == 1
    assert str(broken) in problems[0]
    for word in expected:
        assert word in problems[0], problems[0]


def test_every_problem_in_a_file_is_reported_at_once():
    text = good_theme("broken").replace('"#6FA8DC"', '"blue"').replace("dark: true", "dark: 1")
    user_theme("broken.yaml", text + "colour: red\n")
    _, problems = themes.load_theme_specs()
    assert len(problems) == 1
    for word in ("primary:", "dark:", "colour:"):
        assert word in problems[0]


def test_user_theme_is_loaded_and_overrides_a_shipped_one():
    user_theme("mine.yml", good_theme("mine"))
    user_theme("dark-override.yaml", good_theme("tplan-dark", background="#000000"))
    specs, problems = themes.load_theme_specs()
    assert problems == []
    by_name = {spec.name: spec for spec in specs}
    assert by_name["mine"].background == "#101010"
    assert by_name["tplan-dark"].background == "#000000"
    assert by_name["tplan-dark"].source == config_dir() / "themes" / "dark-override.yaml"
    assert [s.name for s in specs].count("tplan-dark") == 1


def test_two_user_files_with_one_name_keep_the_first():
    user_theme("a.yaml", good_theme("twin", background="#111111"))
    second = user_theme("b.yaml", good_theme("twin", background="#222222"))
    specs, problems = themes.load_theme_specs()
    assert [s.background for s in specs if s.name == "twin"] == ["#111111"]
    assert len(problems) == 1 and str(second) in problems[0] and "a.yaml" in problems[0]


def test_missing_user_folder_is_not_a_problem():
    assert not (config_dir() / "themes").exists()
    specs, problems = themes.load_theme_specs()
    assert problems == [] and specs


def test_pick_theme_falls_back_and_suggests():
    names = ["high-contrast", "tplan-cvd", "tplan-dark", "tplan-light"]
    assert themes.pick_theme("tplan-light", names) == ("tplan-light", None)
    assert themes.pick_theme(None, names) == ("tplan-dark", None)
    chosen, problem = themes.pick_theme("tplan-lite", names)
    assert chosen == "tplan-dark"
    assert "tplan-lite" in problem and "tplan-light" in problem


# --------------------------------------------------------------------------- Textual


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_to_textual_theme_builds_a_real_theme(path):
    from textual.theme import Theme

    spec, problem = themes.load_theme_file(path)
    assert problem is None
    theme = tui_themes.to_textual_theme(spec)
    assert isinstance(theme, Theme)
    assert theme.name == spec.name and theme.dark == spec.dark
    assert theme.background == spec.background and theme.error == spec.error
    variables = theme.to_color_system().generate()  # Textual can derive every shade from it
    assert "primary" in variables and "text" in variables


def test_register_themes_makes_them_usable_and_reports_broken_files():
    from textual.app import App

    broken = user_theme("broken.yaml", "name: broken\n")
    app = App()
    problems = tui_themes.register_themes(app)
    assert len(problems) == 1 and str(broken) in problems[0]
    assert "broken" not in app.available_themes

    async def switch_themes() -> list[str]:
        shown = []
        async with app.run_test(size=(80, 24)):
            for name in sorted(REQUIRED):
                app.theme = name
                shown.append(app.current_theme.name)
        return shown

    # asyncio.run: the suite has no async test plugin, and this is the only async step here.
    assert asyncio.run(switch_themes()) == sorted(REQUIRED)


def test_reading_themes_and_settings_never_imports_textual():
    code = (
        "import sys; from tplan_tui import themes, settings; "
        "specs, problems = themes.load_theme_specs(); settings.load_settings(); "
        "assert specs and not problems, problems; "
        "assert not any(m.split('.')[0] == 'textual' for m in sys.modules), 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
