"""Start-up reads the settings and its theme without PyYAML when their texts were read before
(``parsed_cache``): the same data as the parser gives, never a stale one, private like the
settings. The clinician in the settings file is invented."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tplan_tui import parsed_cache
from tplan_tui.settings import parse_config_yaml

SETTINGS = """\
theme: tplan-light
idle_lock_minutes: 12
clinician:
  name: Dana Reyes
  credentials: LPC
"""

# One process's start-up reads: what the app reads before its first frame, then the save that
# follows the first rows. Prints what it read, and whether PyYAML was imported.
START = """
import json, sys
from tplan_tui import parsed_cache
from tplan_tui.settings import load_settings
from tplan_tui.themes import start_theme
settings, problems = load_settings()
theme = start_theme(settings.theme)
parsed_cache.save()
print(json.dumps({
    "yaml": "yaml" in sys.modules,
    "theme": settings.theme,
    "minutes": settings.idle_lock_minutes,
    "clinician": settings.clinician.name,
    "colours": theme.theme_fields() if theme else None,
    "problems": problems,
}))
"""


def start_up(config: Path) -> dict:
    env = dict(os.environ, TPLAN_CONFIG=str(config))
    done = subprocess.run(
        [sys.executable, "-c", START], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.fixture(autouse=True)
def fresh():
    parsed_cache.forget()
    yield
    parsed_cache.forget()


def test_a_second_start_reads_the_same_settings_and_theme_without_yaml(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    first = start_up(config)
    assert first["yaml"] and first["clinician"] == "Dana Reyes" and first["colours"]
    cache = config / parsed_cache.CACHE_FILE
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    second = start_up(config)
    assert not second.pop("yaml")
    assert second == {k: v for k, v in first.items() if k != "yaml"}
    assert second["theme"] == "tplan-light" and second["minutes"] == 12


def test_an_edited_settings_file_is_read_anew_never_from_the_cache(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    start_up(config)
    (config / "settings.yaml").write_text(SETTINGS.replace("Dana Reyes", "Sam Ortiz"))
    again = start_up(config)
    assert again["yaml"] and again["clinician"] == "Sam Ortiz"
    assert start_up(config)["clinician"] == "Sam Ortiz"


@pytest.mark.parametrize("damage", ["", "{not json", '{"format": "other", "entries": []}', "[1]"])
def test_a_damaged_or_foreign_cache_is_ignored(tmp_path, damage):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    (config / parsed_cache.CACHE_FILE).write_text(damage)
    read = start_up(config)
    assert read["yaml"] and read["clinician"] == "Dana Reyes" and read["problems"] == []


def test_served_data_is_the_parsers_and_a_fresh_copy_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "config"))
    text = SETTINGS + "extra:\n  - 1\n  - true\n  - null\n  - 2.5\n"
    first = parsed_cache.parsed(text, parse_config_yaml)
    parsed_cache.save()
    parsed_cache.forget()

    def never(_text: str) -> None:
        raise AssertionError("parsed again")

    served = parsed_cache.parsed(text, never)
    assert served == parse_config_yaml(text) == first
    served["clinician"]["name"] = "changed by a caller"
    assert parsed_cache.parsed(text, never)["clinician"]["name"] == "Dana Reyes"


def test_a_text_that_does_not_parse_raises_every_time(tmp_path, monkeypatch):
    from tplan_tui.settings import ConfigYAMLError

    monkeypatch.setenv("TPLAN_CONFIG", str(tmp_path / "config"))
    for _ in range(2):
        with pytest.raises(ConfigYAMLError):
            parsed_cache.parsed("theme: [unclosed\n", parse_config_yaml)
        parsed_cache.save()
    assert not (tmp_path / "config" / parsed_cache.CACHE_FILE).exists()
