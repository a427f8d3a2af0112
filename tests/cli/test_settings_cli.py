"""`tplan settings`: show the settings, set one key checked first (nothing written if refused)."""

from __future__ import annotations

import io
import stat

from tplan_tui import cli
from tplan_tui.settings import load_settings, settings_path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["settings", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_show_lists_every_setting_and_never_a_hash():
    code, out, err = run()
    assert code == 0 and err == ""
    assert "idle_lock_minutes: 10" in out and "clinician.name: " in out
    assert "crisis_lines: 988" in out and "unlock PIN set for 0 plain store(s)" in out


def test_set_checks_the_value_and_writes_the_file_privately():
    assert run("set", "clinician.name", "Dana Reyes")[0] == 0
    assert run("set", "clinician.credentials", "LPC")[0] == 0
    assert run("set", "idle_lock_minutes", "5")[0] == 0
    assert run("set", "cursor_blink", "false")[0] == 0
    settings, problems = load_settings()
    assert problems == []
    assert (settings.clinician.name, settings.clinician.credentials) == ("Dana Reyes", "LPC")
    assert settings.idle_lock_minutes == 5 and settings.cursor_blink is False
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600
    before = settings_path().read_text()
    for key, value, said in (
        ("idle_lock_minutes", "45", "idle_lock_minutes: must be a whole number from 1 to 30"),
        ("idle_lock_minutes", "ten", "idle_lock_minutes: must be a whole number"),
        ("cursor_blink", "yes", "cursor_blink: must be true or false"),
        ("unlock_secrets", "x", "'unlock_secrets' cannot be set here"),
    ):
        code, _out, err = run("set", key, value)
        assert code == 2 and said in err, (key, value, err)
        assert settings_path().read_text() == before  # nothing written
    code, _out, err = run("set", "theme")
    assert code == 2 and "needs a KEY and a VALUE" in err


def test_show_names_the_problems_of_a_hand_edited_file():
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("idle_lock_minutes: 99\n")
    code, out, err = run("show")
    assert code == 1 and "idle_lock_minutes: 10" in out  # the default, in use
    assert "idle_lock_minutes: must be a whole number from 1 to 30, got 99" in err
