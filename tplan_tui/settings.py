"""The settings file: ``settings.yaml`` in the config folder, read strictly, written privately.

A settings file is typed by hand on a clinic terminal, so reading it never fails: every problem
comes back as a sentence naming the field, and the bad field falls back to its default while the
good ones are kept. A file with problems is never overwritten (``save_settings`` refuses), so the
text the user typed is still there to fix. Core module: never imports Textual.

The YAML reader here (:func:`parse_config_yaml`) is shared with ``themes.py``: safe loading, no
anchors or aliases, no duplicate keys, and only ``true``/``false`` are booleans (YAML 1.1 would
read ``yes``, ``no``, ``on`` and ``off`` as booleans too, and silently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tplan_tui.core.bounds import control_problem, short_key
from tplan_tui.core.fielderrors import unknown_key_message
from tplan_tui.core.safety import DEFAULT_CRISIS_LINES
from tplan_tui.paths import config_dir, ensure_private_dir, write_private_file

if TYPE_CHECKING:
    from tplan_tui.core.strict_yaml import StrictLoader

SETTINGS_FILE = "settings.yaml"
DEFAULT_THEME = "tplan-dark"
IDLE_LOCK_RANGE = (1, 30)
REVIEW_DAYS_RANGE = (1, 365)
MAX_CONFIG_BYTES = 64 * 1024  # settings and themes are a few hundred bytes

SETTING_KEYS = (
    "theme",
    "idle_lock_minutes",
    "default_review_days",
    "cursor_blink",
    "clinician",
    "crisis_lines",
    "profile",
    "unlock_secrets",
)
CLINICIAN_KEYS = ("name", "credentials", "contact")
CRISIS_LINE_KEYS = ("name", "contact")
MAX_CRISIS_LINES = 5


# --------------------------------------------------------------------------- YAML


class ConfigYAMLError(ValueError):
    """Text that is not valid config YAML; the message gives the line and column."""


_BOOL = "tag:yaml.org,2002:bool"


@cache
def _config_loader() -> type[StrictLoader]:
    """The strict loader, where only true/false are booleans. Made on first use: PyYAML and the
    loader cost more than the rest of start-up's own code, and a missing settings file (the
    defaults) needs neither."""
    import re

    import yaml

    from tplan_tui.core.strict_yaml import ImplicitResolvers, StrictLoader

    class ConfigLoader(StrictLoader):
        what = "a settings or theme file"
        yaml_implicit_resolvers: ImplicitResolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

    ConfigLoader.add_implicit_resolver(
        _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return ConfigLoader


def parse_config_yaml(text: str) -> Any:
    """Config YAML text to plain data; raises ConfigYAMLError naming the line and column."""
    import yaml

    try:
        return yaml.load(text, Loader=_config_loader())  # a SafeLoader, made strict
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            raise ConfigYAMLError(
                f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
            ) from None
        raise ConfigYAMLError(f"not valid YAML: {problem}") from None


def parsed_config(text: str) -> Any:
    """``parse_config_yaml(text)``, without PyYAML when this text was parsed before: start-up
    reads the settings and its theme this way (``parsed_cache``)."""
    from tplan_tui import parsed_cache

    return parsed_cache.parsed(text, parse_config_yaml)


def read_config_text(path: Path) -> str:
    """A small UTF-8 config file's text; OSError or ValueError with a sentence if it cannot be."""
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise ValueError(f"the file is {size:,} bytes; a config file may be at most 64 KB")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text (bad byte at offset {exc.start})") from None


def describe(value: Any) -> str:
    """A value as a problem message shows it: ``45``, ``'ten'``, ``nothing``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return type(value).__name__


# --------------------------------------------------------------------------- settings


@dataclass
class ClinicianDefaults:
    """Who new plans name as their clinician, until the plan says otherwise."""

    name: str = ""
    credentials: str | None = None
    contact: str | None = None  # how clients reach the clinician: on every client document


@dataclass
class Settings:
    """Everything settings.yaml can hold, with the defaults a missing field takes."""

    theme: str = DEFAULT_THEME  # a theme name; whether it exists is for the app to say
    idle_lock_minutes: int = 10
    default_review_days: int = 90
    # A blinking cursor distracts some readers (and changes a screenshot at random): false keeps
    # the cursor in every field steady.
    cursor_blink: bool = True
    clinician: ClinicianDefaults = field(default_factory=ClinicianDefaults)
    # The crisis lines every client document names when a plan's safety plan has none: (name,
    # contact) pairs. Shipped: the US 988 line; a clinic elsewhere sets its own country's.
    crisis_lines: tuple[tuple[str, str], ...] = DEFAULT_CRISIS_LINES
    # Which elements a plan must hold before it is signed: a file in tplan_tui/profiles/
    # ("basic", "medicaid-outpatient", "joint-commission-bh"); see core/completeness.py.
    profile: str = "basic"
    # The unlock PIN/passphrase of each plain store, as a scrypt hash (tplan_tui/unlock.py),
    # under the store's folder. Never the secret itself.
    unlock_secrets: dict[str, str] = field(default_factory=dict)


class SettingsError(ValueError):
    """Settings that cannot be saved; ``problems`` lists why, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def settings_path() -> Path:
    """Where the settings file lives: ``settings.yaml`` in the config folder."""
    return config_dir() / SETTINGS_FILE


def settings_from_data(data: Any) -> tuple[Settings, list[str]]:
    """Settings from parsed YAML; each problem names its field, and that field keeps its default."""
    settings = Settings()
    problems: list[str] = []
    if data is None:  # an empty file
        return settings, problems
    if not isinstance(data, dict):
        problems.append(f"the file must be a set of 'key: value' lines, not {describe(data)}")
        return settings, problems

    for key in data:
        if key not in SETTING_KEYS:
            problems.append(f"{short_key(key)}: {unknown_key_message(key, SETTING_KEYS)}")

    if "theme" in data:
        theme = data["theme"]
        if isinstance(theme, str) and theme.strip() and not control_problem(theme):
            settings.theme = theme.strip()
        else:
            problems.append(f"theme: must be the name of a theme, got {describe(theme)}")

    for key, (low, high) in (
        ("idle_lock_minutes", IDLE_LOCK_RANGE),
        ("default_review_days", REVIEW_DAYS_RANGE),
    ):
        if key not in data:
            continue
        value = data[key]
        # bool is an int in Python; 'true' is never a number of minutes.
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            setattr(settings, key, value)
        else:
            problems.append(
                f"{key}: must be a whole number from {low} to {high}, got {describe(value)}"
            )

    if "cursor_blink" in data:
        blink = data["cursor_blink"]
        if isinstance(blink, bool):
            settings.cursor_blink = blink
        else:
            problems.append(f"cursor_blink: must be true or false, got {describe(blink)}")

    if "profile" in data:
        from tplan_tui.profiles import profile_names

        profile, names = data["profile"], profile_names()
        if isinstance(profile, str) and profile in names:
            settings.profile = profile
        else:
            problems.append(f"profile: must be one of {', '.join(names)}, got {describe(profile)}")

    if data.get("clinician") is not None:
        settings.clinician = _clinician_from(data["clinician"], problems)
    if "crisis_lines" in data:
        lines = _crisis_lines_from(data["crisis_lines"], problems)
        if lines is not None:
            settings.crisis_lines = lines
    if "unlock_secrets" in data:
        settings.unlock_secrets = _secrets_from(data["unlock_secrets"], problems)
    return settings, problems


def _secrets_from(value: Any, problems: list[str]) -> dict[str, str]:
    from tplan_tui.unlock import hash_problem

    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(
            f"unlock_secrets: must map a store's folder to a hash, got {describe(value)}"
        )
        return {}
    kept: dict[str, str] = {}
    for key, stored in value.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(f"unlock_secrets: a store's folder must be text, got {describe(key)}")
            continue
        problem = hash_problem(stored) if isinstance(stored, str) else "must be text"
        if problem:
            problems.append(f"unlock_secrets[{short_key(key)}]: {problem}")
        else:
            kept[key] = stored
    return kept


def _crisis_lines_from(value: Any, problems: list[str]) -> tuple[tuple[str, str], ...] | None:
    """The crisis lines, or None (the default stays) with the problems named by path. A client
    document must always name a line, so an empty list is refused too."""
    if not isinstance(value, list) or not value:
        problems.append(
            "crisis_lines: must be a list of lines, each with 'name' and 'contact' "
            f"(e.g. name: 988 Suicide & Crisis Lifeline, contact: call or text 988), "
            f"got {describe(value)}"
        )
        return None
    if len(value) > MAX_CRISIS_LINES:
        problems.append(f"crisis_lines: at most {MAX_CRISIS_LINES} lines, got {len(value)}")
        return None
    lines = []
    before = len(problems)
    for i, line in enumerate(value):
        where = f"crisis_lines[{i}]"
        if not isinstance(line, dict):
            problems.append(f"{where}: must hold 'name' and 'contact', got {describe(line)}")
            continue
        for key in line:
            if key not in CRISIS_LINE_KEYS:
                problems.append(f"{where}.{key}: {unknown_key_message(key, CRISIS_LINE_KEYS)}")
        got = []
        for key in CRISIS_LINE_KEYS:
            text = line.get(key)
            if not isinstance(text, str) or not " ".join(text.split()):
                problems.append(f"{where}.{key}: must be text, got {describe(text)}")
            else:
                got.append(" ".join(text.split()))
        if len(got) == 2:
            lines.append((got[0], got[1]))
    return tuple(lines) if len(problems) == before else None


def _clinician_from(value: Any, problems: list[str]) -> ClinicianDefaults:
    clinician = ClinicianDefaults()
    if not isinstance(value, dict):
        problems.append(f"clinician: must hold 'name' and 'credentials', got {describe(value)}")
        return clinician
    for key in value:
        if key not in CLINICIAN_KEYS:
            problems.append(
                f"clinician.{short_key(key)}: {unknown_key_message(key, CLINICIAN_KEYS)}"
            )
    name = value.get("name")
    if name is None or (isinstance(name, str) and not control_problem(name)):
        clinician.name = (name or "").strip()
    else:
        problems.append(f"clinician.name: {_text_problem(name)}")
    credentials = value.get("credentials")
    if credentials is None or (isinstance(credentials, str) and not control_problem(credentials)):
        clinician.credentials = (credentials or "").strip() or None
    else:
        problems.append(f"clinician.credentials: {_text_problem(credentials)}")
    contact = value.get("contact")
    if contact is None or (isinstance(contact, str) and not control_problem(contact)):
        clinician.contact = (contact or "").strip() or None
    else:
        problems.append(f"clinician.contact: {_text_problem(contact)}")
    return clinician


def _text_problem(value: Any) -> str:
    # The clinician's name goes into every new plan, whose text may hold no control characters.
    if isinstance(value, str):
        return control_problem(value) or "must be text"
    return f"must be text, got {describe(value)}"


def settings_to_data(settings: Settings) -> dict[str, Any]:
    """Settings as the plain data settings.yaml holds: every field, in a fixed order."""
    return {
        "theme": settings.theme,
        "idle_lock_minutes": settings.idle_lock_minutes,
        "default_review_days": settings.default_review_days,
        "cursor_blink": settings.cursor_blink,
        "clinician": {
            "name": settings.clinician.name,
            "credentials": settings.clinician.credentials,
            "contact": settings.clinician.contact,
        },
        "crisis_lines": [
            {"name": name, "contact": contact} for name, contact in settings.crisis_lines
        ],
        "profile": settings.profile,
        **({"unlock_secrets": dict(settings.unlock_secrets)} if settings.unlock_secrets else {}),
    }


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings, and a list of problems (each naming the file and field); never raises.

    A missing file gives the defaults and no problems. A file that cannot be read or parsed gives
    the defaults and one problem; an invalid field gives its default and a problem.
    """
    path = Path(path) if path is not None else settings_path()
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [f"{path}: cannot read the file: {exc.strerror or exc}"]
    except ValueError as exc:
        return Settings(), [f"{path}: {exc}"]
    try:
        data = parsed_config(text)
        settings, problems = settings_from_data(data)
    except ConfigYAMLError as exc:
        return Settings(), [f"{path}: {exc}"]
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:
        # The last line of defence: tplan must start whatever the file holds.
        return Settings(), [f"{path}: cannot be read ({type(exc).__name__}); using the defaults"]
    return settings, [f"{path}: {problem}" for problem in problems]


def dump_settings(settings: Settings) -> str:
    """settings.yaml text for ``settings``, with a short header for whoever edits it by hand."""
    header = (
        "# tplan settings. tplan checks every field when it starts.\n"
        "# theme: a theme name (your own themes go in themes/ beside this file)\n"
        f"# idle_lock_minutes: {IDLE_LOCK_RANGE[0]}-{IDLE_LOCK_RANGE[1]}; "
        f"default_review_days: {REVIEW_DAYS_RANGE[0]}-{REVIEW_DAYS_RANGE[1]}\n"
        "# cursor_blink: true or false (false: a steady cursor)\n"
        "# crisis_lines: named at the end of every client document when a plan's safety plan\n"
        "# has none (each a name and a contact; set your own country's line here)\n"
        "# profile: what a plan must hold before it is signed: basic, medicaid-outpatient or\n"
        "# joint-commission-bh (tplan check --profile NAME tries one)\n"
    )
    import yaml

    body = yaml.safe_dump(
        settings_to_data(settings), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return header + body


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write ``settings`` atomically, the file 0600 in a 0700 folder.

    Raises SettingsError, writing nothing, if ``settings`` is invalid or if the file on disk has
    problems: the user's own text is kept until they fix it.
    """
    path = Path(path) if path is not None else settings_path()
    text = dump_settings(settings)
    _, problems = settings_from_data(parse_config_yaml(text))
    if problems:
        raise SettingsError([f"not saved: {problem}" for problem in problems])
    if path.exists() or path.is_symlink():
        _, on_disk = load_settings(path)
        if on_disk:
            raise SettingsError(
                [f"{path} has problems, so tplan will not overwrite it; fix these first:", *on_disk]
            )
    write_private_file(path, text.encode("utf-8"))


def update_settings(change: Callable[[Settings], Settings], path: Path | None = None) -> Settings:
    """Apply ``change`` to the settings as they are on disk now, save them, and return them.

    A session keeps its settings in memory for hours while ``tplan settings set``, another
    terminal's session or another store's first lock may write the same file. Writing a
    session's old copy whole would undo their changes (an unlock PIN set in another terminal
    would be lost), so every writer goes through here: the file is read afresh under a lock,
    only what this writer means to change is changed, and the result is written before the lock
    is let go. Raises SettingsError (nothing written) as :func:`save_settings` does, and whatever
    ``change`` raises.
    """
    from filelock import FileLock  # only when saving: not on the start-up path

    path = Path(path) if path is not None else settings_path()
    # The lock file sits beside the settings: the folder must exist first, and be private (the
    # lock library would create it with the umask's mode).
    ensure_private_dir(path.parent)
    with FileLock(f"{path}.lock", mode=0o600):
        current, problems = load_settings(path)
        if problems and (path.exists() or path.is_symlink()):
            raise SettingsError(
                [
                    f"{path} has problems, so tplan will not overwrite it; fix these first:",
                    *problems,
                ]
            )
        new = change(current)
        save_settings(new, path)
        return new
