"""Themes are data: YAML files holding exactly Textual's ``Theme`` fields, read strictly.

Two places hold them: the themes shipped with tplan (the repository's top-level ``themes/``, which
the wheel carries as ``tplan_tui/themes/``) and the user's own in ``config_dir() / "themes"``. A
user theme with the name of a shipped one replaces it. A file with any problem is skipped as a
whole and described in one sentence, so the app can show it and carry on with the other themes.

Reading and checking never import Textual: turning a spec into a Textual theme is the TUI's
(``tplan_tui/tui/themes.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tplan_tui.core.fielderrors import unknown_key_message
from tplan_tui.paths import config_dir
from tplan_tui.settings import DEFAULT_THEME, describe, parsed_config, read_config_text

__all__ = [
    "DEFAULT_THEME",
    "THEME_FIELDS",
    "ThemeSpec",
    "contrast_ratio",
    "load_theme_specs",
    "pick_theme",
    "shipped_themes_dir",
    "start_theme",
    "user_themes_dir",
]

COLOUR_FIELDS = (
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
)
THEME_FIELDS = ("name", *COLOUR_FIELDS, "dark")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class ThemeSpec:
    """One theme as read from its file: every field checked, colours as ``#RRGGBB``."""

    name: str
    primary: str
    secondary: str
    accent: str
    foreground: str
    background: str
    surface: str
    panel: str
    success: str
    warning: str
    error: str
    dark: bool
    source: Path | None = field(default=None, compare=False)  # the file it came from

    def theme_fields(self) -> dict[str, Any]:
        """The fields Textual's ``Theme`` takes, and nothing else."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in THEME_FIELDS}


# --------------------------------------------------------------------------- colour


def _relative_luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(hex1: str, hex2: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours: 1.0 (same) to 21.0 (black on white)."""
    for colour in (hex1, hex2):
        if not _HEX.fullmatch(colour):
            raise ValueError(f"not a colour written #RRGGBB: {colour!r}")
    lighter, darker = sorted((_relative_luminance(hex1), _relative_luminance(hex2)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --------------------------------------------------------------------------- reading


def shipped_themes_dir() -> Path | None:
    """The folder of shipped themes: this package when installed (the wheel carries the top-level
    ``themes/`` into it), else the checkout's top-level ``themes/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here, here.parents[1] / "themes"):
        if any(candidate.glob("*.yaml")):
            return candidate
    return None


def user_themes_dir() -> Path:
    """Where a user's own theme files go: ``themes/`` in the config folder."""
    return config_dir() / "themes"


def _check(data: Any) -> tuple[ThemeSpec | None, list[str]]:
    """A spec from one file's parsed YAML, or None and every problem, each naming its field."""
    if not isinstance(data, dict):
        return None, [f"the file must be a set of 'field: value' lines, not {describe(data)}"]
    problems = [
        f"{key}: {unknown_key_message(key, THEME_FIELDS)}"
        for key in data
        if key not in THEME_FIELDS
    ]
    missing = [key for key in THEME_FIELDS if key not in data]
    if missing:
        problems.append(f"missing {', '.join(missing)} (a theme needs every one of its fields)")
    name = data.get("name")
    if "name" in data and not (isinstance(name, str) and name.strip()):
        problems.append(f"name: must be text, got {describe(name)}")
    for key in COLOUR_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str) and _HEX.fullmatch(value):
            continue
        hint = ""
        if value is None:
            # The commonest slip: `primary: #1B2430` is an empty value and a comment.
            hint = ' (put the colour in quotes, "#1B2430": an unquoted # starts a comment)'
        problems.append(f"{key}: must be a colour written #RRGGBB, got {describe(value)}{hint}")
    if "dark" in data and not isinstance(data["dark"], bool):
        problems.append(f"dark: must be true or false, got {describe(data['dark'])}")
    if problems:
        return None, problems
    values = {key: data[key] for key in THEME_FIELDS}
    values["name"] = values["name"].strip()
    for key in COLOUR_FIELDS:
        values[key] = values[key].upper()
    return ThemeSpec(**values), []


def load_theme_file(path: Path) -> tuple[ThemeSpec | None, str | None]:
    """One theme file: its spec, or None and a sentence naming the file and every problem."""
    path = Path(path)
    try:
        data = parsed_config(read_config_text(path))
    except OSError as exc:
        problems = [f"cannot read the file: {exc.strerror or exc}"]
    except ValueError as exc:  # too big, not UTF-8, or not YAML (ConfigYAMLError)
        problems = [str(exc)]
    else:
        spec, problems = _check(data)
        if spec is not None:
            return ThemeSpec(**spec.theme_fields(), source=path), None
    # One message per file, one line per problem: the app shows it as a single notification.
    return None, f"Theme file {path} was skipped:" + "".join(f"\n- {p}" for p in problems)


def _load_folder(folder: Path) -> tuple[dict[str, ThemeSpec], list[str]]:
    specs: dict[str, ThemeSpec] = {}
    problems: list[str] = []
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except FileNotFoundError:
        return specs, problems
    except OSError as exc:
        return specs, [f"Cannot read the theme folder {folder}: {exc.strerror or exc}."]
    for path in paths:
        if path.name.startswith("."):  # editor swap files and the like
            continue
        spec, problem = load_theme_file(path)
        if problem:
            problems.append(problem)
        elif spec is not None:
            if spec.name in specs:
                other = specs[spec.name].source
                problems.append(
                    f"Theme file {path} was skipped:\n- name: {spec.name!r} is already the name"
                    f" of the theme in {other.name if other else 'another file'}"
                )
                continue
            specs[spec.name] = spec
    return specs, problems


def load_theme_specs(
    user_dir: Path | None = None, shipped_dir: Path | None = None
) -> tuple[list[ThemeSpec], list[str]]:
    """Every valid theme, shipped and the user's (sorted by name), and the problems found.

    A user theme named like a shipped one replaces it. Folders default to
    :func:`shipped_themes_dir` and :func:`user_themes_dir`. Never raises for a bad file.
    """
    problems: list[str] = []
    shipped_dir = shipped_dir if shipped_dir is not None else shipped_themes_dir()
    if shipped_dir is None:
        problems.append("The themes that come with tplan were not found beside the program.")
        specs: dict[str, ThemeSpec] = {}
    else:
        specs, found = _load_folder(shipped_dir)
        problems += found
    user_specs, found = _load_folder(user_dir if user_dir is not None else user_themes_dir())
    problems += found
    specs.update(user_specs)
    return sorted(specs.values(), key=lambda spec: spec.name), problems


def start_theme(wanted: str | None) -> ThemeSpec | None:
    """The theme ``wanted``, read from its own file alone, when that is certainly the theme a
    full :func:`load_theme_specs` would give: a shipped ``<wanted>.yaml`` that names it, while
    the user's theme folder holds no theme file (one there may replace it under any file name).
    Else None: read them all. Start-up draws its first frame in this one theme; the others are
    read after it."""
    shipped = shipped_themes_dir()
    if not wanted or shipped is None or "/" in wanted or wanted.startswith("."):
        return None
    try:
        if any(p.suffix in (".yaml", ".yml") for p in user_themes_dir().iterdir()):
            return None
    except FileNotFoundError:
        pass
    except OSError:
        return None  # the full load says what is wrong with the folder
    path = shipped / f"{wanted}.yaml"
    if not path.is_file():
        return None
    spec, problem = load_theme_file(path)
    return spec if spec is not None and not problem and spec.name == wanted else None


def pick_theme(wanted: str | None, available: list[str]) -> tuple[str, str | None]:
    """The theme to use for the settings' ``wanted`` name, and a problem if it is not there.

    Falls back to ``tplan-dark`` (or Textual's ``textual-dark`` if even that is missing) and
    suggests the closest name the user might have meant.
    """
    if wanted and wanted in available:
        return wanted, None
    fallback = DEFAULT_THEME if DEFAULT_THEME in available else "textual-dark"
    if not wanted:
        return fallback, None
    import difflib

    hint = difflib.get_close_matches(wanted, available, n=1)
    more = f" Did you mean '{hint[0]}'?" if hint else ""
    return fallback, f"There is no theme called '{wanted}'; using {fallback}.{more}"
