"""Settings: defaults, a faithful round trip, clear problems, and a broken file left as it was."""

from __future__ import annotations

import os
import stat

import pytest

from tplan_tui.paths import config_dir
from tplan_tui.settings import (
    ClinicianDefaults,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)


def write_settings(text: str):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_live_in_the_config_folder():
    assert settings_path() == config_dir() / "settings.yaml"


def test_missing_file_gives_defaults_and_no_problem():
    settings, problems = load_settings()
    assert problems == []
    assert settings == Settings()
    assert (settings.theme, settings.idle_lock_minutes, settings.default_review_days) == (
        "tplan-dark",
        10,
        90,
    )
    assert settings.clinician == ClinicianDefaults(name="", credentials=None)
    assert not settings_path().exists()  # reading never creates the file


def test_empty_file_gives_defaults_and_no_problem():
    write_settings("# nothing set yet\n")
    assert load_settings() == (Settings(), [])


def test_round_trip():
    chosen = Settings(
        theme="high-contrast",
        idle_lock_minutes=5,
        default_review_days=30,
        cursor_blink=False,
        clinician=ClinicianDefaults(name="Dana Reyes", credentials="LCSW"),
    )
    save_settings(chosen)
    assert "cursor_blink: false" in settings_path().read_text("utf-8")
    assert load_settings() == (chosen, [])
    save_settings(Settings())  # a valid file may be overwritten
    assert load_settings() == (Settings(), [])


def test_cursor_blink_is_on_unless_the_file_says_false():
    assert Settings().cursor_blink is True
    write_settings("cursor_blink: false\n")
    settings, problems = load_settings()
    assert problems == [] and settings.cursor_blink is False
    assert settings.idle_lock_minutes == 10  # the rest keep their defaults


def test_partial_file_keeps_defaults_for_the_rest():
    write_settings("idle_lock_minutes: 3\nclinician:\n  name: Sam Okafor\n")
    settings, problems = load_settings()
    assert problems == []
    assert settings.idle_lock_minutes == 3
    assert settings.default_review_days == 90
    assert settings.clinician == ClinicianDefaults(name="Sam Okafor", credentials=None)


IDLE = "idle_lock_minutes: must be a whole number from 1 to 30, got"
REVIEW = "default_review_days: must be a whole number from 1 to 365, got"
INVALID = {
    "idle too long": ("idle_lock_minutes: 45", f"{IDLE} 45"),
    "idle zero": ("idle_lock_minutes: 0", f"{IDLE} 0"),
    "idle text": ("idle_lock_minutes: ten", f"{IDLE} 'ten'"),
    "idle boolean": ("idle_lock_minutes: true", f"{IDLE} true"),
    "idle yes is text": ("idle_lock_minutes: yes", f"{IDLE} 'yes'"),
    "idle fraction": ("idle_lock_minutes: 2.5", f"{IDLE} 2.5"),
    "idle empty": ("idle_lock_minutes:", f"{IDLE} nothing"),
    "review too long": ("default_review_days: 400", f"{REVIEW} 400"),
    "review zero": ("default_review_days: 0", f"{REVIEW} 0"),
    "blink text": ("cursor_blink: off", "cursor_blink: must be true or false, got 'off'"),
    "blink no is text": ("cursor_blink: no", "cursor_blink: must be true or false, got 'no'"),
    "blink number": ("cursor_blink: 0", "cursor_blink: must be true or false, got 0"),
    "blink empty": ("cursor_blink:", "cursor_blink: must be true or false, got nothing"),
    "theme number": ("theme: 5", "theme: must be the name of a theme, got 5"),
    "theme blank": ("theme: ''", "theme: must be the name of a theme, got ''"),
    "clinician text": ("clinician: Dr Reyes", "clinician: must hold 'name'"),
    "clinician name": ("clinician:\n  name: [a, b]", "clinician.name: must be text, got a list"),
    "clinician credentials": ("clinician:\n  credentials: 7", "clinician.credentials: must be"),
    "clinician contact": ("clinician:\n  contact: [555]", "clinician.contact: must be text"),
    "unknown key hint": (
        "idle_lock_minute: 5",
        "idle_lock_minute: unknown key; did you mean 'idle_lock_minutes'?",
    ),
    "unknown key list": ("colour: blue", "colour: unknown key (known keys: theme, idle_lock"),
    "unknown clinician key": (
        "clinician:\n  nmae: Dana",
        "clinician.nmae: unknown key; did you mean 'name'?",
    ),
    "not a mapping": ("- theme\n- tplan-dark", "must be a set of 'key: value' lines, not a list"),
}


@pytest.mark.parametrize("case", INVALID, ids=str)
def test_each_invalid_field_is_a_problem_naming_it(case):
    text, expected = INVALID[case]
    path = write_settings(text + "\n")
    settings, problems = load_settings()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: ")
    assert expected in problems[0]
    assert settings == Settings()  # the bad field falls back to its default


def test_good_fields_are_kept_beside_bad_ones():
    write_settings("theme: tplan-light\nidle_lock_minutes: 45\ndefault_review_days: 30\n")
    settings, problems = load_settings()
    assert settings.theme == "tplan-light"
    assert settings.idle_lock_minutes == 10
    assert settings.default_review_days == 30
    assert len(problems) == 1 and "idle_lock_minutes" in problems[0]


BROKEN_FILES = {
    "yaml syntax": "theme: tplan-dark\nidle_lock_minutes: [5\n",
    "duplicate key": "theme: tplan-dark\ntheme: tplan-light\n",
    "invalid field": "idle_lock_minutes: 45\n",
    "unknown key": "idle_lock_minute: 5\n",
}


@pytest.mark.parametrize("case", BROKEN_FILES, ids=str)
def test_broken_file_does_not_crash_and_is_never_overwritten(case):
    text = BROKEN_FILES[case]
    path = write_settings(text)
    settings, problems = load_settings()
    assert problems and all(p.startswith(f"{path}: ") for p in problems)
    assert isinstance(settings, Settings)
    with pytest.raises(SettingsError) as caught:
        save_settings(Settings(theme="tplan-light"))
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == text  # the user's text is still there to fix
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.yaml"]


def test_yaml_syntax_error_names_the_line():
    write_settings("theme: tplan-dark\nidle_lock_minutes: [5\n")
    settings, problems = load_settings()
    assert settings == Settings()
    assert len(problems) == 1 and "line 3" in problems[0]


def test_not_utf8_is_a_problem_not_a_crash():
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"theme: \xff\xfe\n")
    settings, problems = load_settings()
    assert settings == Settings()
    assert len(problems) == 1 and "UTF-8" in problems[0]


def test_invalid_settings_are_not_saved():
    with pytest.raises(SettingsError) as caught:
        save_settings(Settings(idle_lock_minutes=45))
    assert "idle_lock_minutes: must be a whole number from 1 to 30, got 45" in str(caught.value)
    assert not settings_path().exists()


def test_saved_file_is_private_even_with_umask_zero():
    path = config_dir() / "nested" / "settings.yaml"
    assert not config_dir().exists()
    old = os.umask(0)
    try:
        save_settings(Settings(theme="tplan-cvd"), path)
        save_settings(Settings(theme="tplan-light"), path)  # the replacing write too
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(config_dir().stat().st_mode) == 0o700
    assert load_settings(path)[0].theme == "tplan-light"
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.yaml"]  # no temp left


def test_update_changes_only_what_it_means_to_on_the_file_as_it_is_now():
    """A session's copy is read at start; another writer saves meanwhile; the session's change
    is applied to the file as it is, so neither is lost (an unlock PIN above all)."""
    from dataclasses import replace

    from tplan_tui.settings import update_settings
    from tplan_tui.unlock import hash_secret

    a, b = hash_secret("2468", n=2**4), hash_secret("1357", n=2**4)
    save_settings(Settings(unlock_secrets={"/store/a": a}))
    session_copy, _ = load_settings()
    update_settings(lambda s: replace(s, unlock_secrets={**s.unlock_secrets, "/store/b": b}))
    update_settings(lambda s: replace(s, theme="tplan-light"))  # the session's own change
    kept, problems = load_settings()
    assert problems == []
    assert kept.theme == "tplan-light"
    assert kept.unlock_secrets == {"/store/a": a, "/store/b": b}
    assert session_copy.unlock_secrets == {"/store/a": a}  # what a whole write would undo
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600


def test_update_refuses_a_broken_file_and_writes_nothing():
    from dataclasses import replace

    from tplan_tui.settings import update_settings

    path = write_settings("idle_lock_minutes: 45\n")
    with pytest.raises(SettingsError):
        update_settings(lambda s: replace(s, theme="tplan-light"))
    assert path.read_text(encoding="utf-8") == "idle_lock_minutes: 45\n"


def _add_secrets(config: str, prefix: str, count: int) -> None:
    from dataclasses import replace

    from tplan_tui.settings import update_settings
    from tplan_tui.unlock import hash_secret

    os.environ["TPLAN_CONFIG"] = config
    hashed = hash_secret("2468", n=2**4)
    for i in range(count):
        key = f"/store/{prefix}{i}"
        update_settings(lambda s, k=key: replace(s, unlock_secrets={**s.unlock_secrets, k: hashed}))


def test_two_processes_updating_at_once_lose_nothing():
    import multiprocessing

    config = str(config_dir())
    ctx = multiprocessing.get_context("spawn")
    writers = [ctx.Process(target=_add_secrets, args=(config, p, 15)) for p in "xy"]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    kept, problems = load_settings()
    assert problems == []
    assert sorted(kept.unlock_secrets) == sorted(f"/store/{p}{i}" for p in "xy" for i in range(15))
