"""Hostile input at the command line (issue 18): nothing raw reaches the terminal, every bad file
is exit 2 with a path or a line and leaves the store as it was, a FIFO never blocks an import,
and settings that do not load never stop `tplan` from starting. Each run is a real subprocess
(bytes, so a raw ESC would be seen); every name is invented."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import ROOT, TODAY, TPLAN
from tests.samples import CHRIS_TEXT
from tplan_tui import cli
from tplan_tui.store import open_store
from tplan_tui.store.records import PlanSummary

OSC_TITLE = "\x1b]0;owned\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
CLEAR = "\x1b[2J\x1b[H"
OVERWRITE = "\r\x1b[K"
PAYLOADS = [OSC_TITLE, OSC_CLIPBOARD, CLEAR, OVERWRITE, "\x9b2J", "\u202eevil"]
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    """``tplan ARGS`` as bytes in, text out with nothing decoded away."""
    full = {**os.environ, "TPLAN_TODAY": TODAY, **(env or {})}
    done = subprocess.run(
        [*TPLAN, *args], capture_output=True, env=full, timeout=timeout, cwd=ROOT, check=False
    )
    out = done.stdout.decode("utf-8", "surrogateescape")
    err = done.stderr.decode("utf-8", "surrogateescape")
    return done.returncode, out, err


def assert_nothing_raw(*texts: str) -> None:
    for text in texts:
        for raw in RAW:
            assert raw not in text, (raw, text)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, control characters as escapes."""
    return (
        '"' + "".join(c if c.isalnum() or c in " ;=[]" else f"\\u{ord(c):04x}" for c in text) + '"'
    )


def store_files(db: Path) -> dict[str, bytes]:
    if not db.exists():
        return {}
    return {str(p.relative_to(db)): p.read_bytes() for p in sorted(db.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_import_errors_show_escapes_never_the_sequence(tmp_path, payload):
    line = "a foreign line pasted in by mistake " * 20  # a key may be up to 1,024 characters
    text = CHRIS_TEXT.replace("  name: Chris\n", f"  name: {quoted('Chris' + payload)}\n", 1)
    text += f"{quoted(payload + line)}: 1\n"
    path = tmp_path / f"plan{payload}.yaml"
    path.write_text(text)
    db = tmp_path / "db"
    code, out, err = run("--db", str(db), "import", str(path))
    assert code == 2
    assert_nothing_raw(out, err)
    if payload != "\u202eevil":  # a bidi override is text a plan may hold; shown escaped
        assert "client.name: contains the control character" in err
    assert "\\x1b" in err or "\\x9b" in err or "\\u202e" in err
    unknown = next(e for e in err.splitlines() if "unknown key" in e)
    key = unknown.split(": ")[1]
    assert key.endswith("…") and len(key) <= 50  # ~40 characters of the key (some as escapes)
    assert "foreign line pasted in by mistake a foreign" not in err
    assert store_files(db) == {}  # nothing was written


def test_import_prints_no_raw_file_name(tmp_path):
    path = tmp_path / f"chris{OSC_TITLE}.yaml"
    path.write_text(CHRIS_TEXT)
    code, out, err = run("--db", str(tmp_path / "db"), "import", str(path))
    assert code == 0, err
    assert_nothing_raw(out, err)
    assert out.endswith("\tChris\t" + str(tmp_path / "chris\\x1b]0;owned\\x07.yaml") + "\n")


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            ("started: 2016-07-01", "started: 9999-12-31"),
            "plan.started: 9999-12-31 is out of range",
        ),
        (
            ("  name: Chris\n", "  name: Chris\n  date_of_birth: 9990-01-01\n"),
            "client.date_of_birth",
        ),
        (("tplan: 1", "tplan: !!int {a: 1}"), "line 2, column 8: the tag !!int must be on"),
        (("tplan: 1", "tplan: !!bool [1]"), "line 2, column 8: the tag !!bool must be on"),
        (("tplan: 1", "tplan: !!map one"), "line 2, column 8: the tag !!map must be on"),
        (("tplan: 1", "tplan: " + "7" * 4301), "line 2, column 8: a whole number of 4,301"),
        (("tplan: 1", "tplan: 1\nextra: {x: 0x" + "f" * 400 + "}"), "line 3, column 12: a whole"),
        (("tplan: 1", "tplan: 1\nextra: " + "[" * 326 + "]" * 326), "line 3, column "),
        (
            ("tplan: 1", "tplan: 1\nextra: {x: [" + "1," * 150_000 + "1]}"),
            "line 3, column 99999: too many values",
        ),
    ],
)
def test_a_bad_file_is_exit_2_with_a_path_or_line_and_the_store_untouched(tmp_path, change, shown):
    db = tmp_path / "db"
    good = tmp_path / "good.yaml"
    good.write_text(CHRIS_TEXT)
    code, _, err = run("--db", str(db), "import", str(good))
    assert code == 0, err
    before = store_files(db)
    bad = tmp_path / "bad.yaml"
    bad.write_text(CHRIS_TEXT.replace(*change, 1))
    code, out, err = run("--db", str(db), "import", str(bad))
    assert code == 2, err
    assert f"{bad}: {shown}" in err
    assert "unexpected error" not in err and "Traceback" not in err
    assert store_files(db) == before
    code, out, err = run("--db", str(db), "list", "--all")  # the store still lists
    assert code == 0 and "Chris" in out, err


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_import_refuses_what_is_not_a_regular_file_without_blocking(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "plan.yaml"
        os.mkfifo(path)  # no writer: opening it to read would wait forever
        words = "this is a named pipe (FIFO), not a file"
    elif kind == "folder":
        path = tmp_path / "plans.yaml"
        path.mkdir()
        words = "this is a folder, not a file"
    else:
        path = Path("/dev/null")
        words = "this is a device, not a file"
    start = time.monotonic()
    code, out, err = run("--db", str(tmp_path / "db"), "import", str(path), timeout=30)
    assert code == 2
    assert f"{path}: {words}: tplan imports only regular files" in err
    assert time.monotonic() - start < 30
    assert not (tmp_path / "db" / "plans").exists() or not any(
        (tmp_path / "db" / "plans").iterdir()
    )


def test_export_messages_and_errors_show_escapes(tmp_path):
    db = tmp_path / "db"
    good = tmp_path / "good.yaml"
    good.write_text(CHRIS_TEXT)
    code, out, _ = run("--db", str(db), "import", str(good))
    plan_id = out.split("\t")[0]
    target = tmp_path / f"out{CLEAR}.txt"
    code, out, err = run("--db", str(db), "export", plan_id, "--format", "txt", "-o", str(target))
    assert code == 0, err
    assert_nothing_raw(out, err)
    assert "wrote " + str(tmp_path / "out\\x1b[2J\\x1b[H.txt") in err
    code, out, err = run("--db", str(db), "export", f"{plan_id}{OSC_CLIPBOARD}")
    assert code == 2
    assert_nothing_raw(out, err)
    assert "\\x1b]52;c;" in err


def test_audit_shows_an_actor_with_escapes(tmp_path):
    db = tmp_path / "db"
    good = tmp_path / "good.yaml"
    good.write_text(CHRIS_TEXT)
    hostile = {"LOGNAME": f"dana{OSC_TITLE}", "USER": f"dana{OSC_TITLE}"}
    code, _, err = run("--db", str(db), "import", str(good), env=hostile)
    assert code == 0, err
    code, out, err = run("--db", str(db), "audit")
    assert code == 0, err
    assert_nothing_raw(out, err)
    assert "dana\\x1b]0;owned\\x07" in out
    code, out, err = run("--db", str(db), "audit", "--json")
    assert_nothing_raw(out, err)
    assert json.loads(out)[0]["actor"] == f"dana{OSC_TITLE}"  # still JSON, the same value


def test_library_shows_a_users_area_with_escapes(tmp_path):
    config = tmp_path / "config"
    (config / "library").mkdir(parents=True)
    area = (ROOT / "tplan_tui" / "library" / "sleep.yaml").read_text()
    area = area.replace("area: Sleep", f"area: {quoted('Naps' + OSC_TITLE)}", 1)
    area = area.replace('description: "', 'description: "\\u001b[2J\\u001b[HToo many. ', 1)
    (config / "library" / "naps.yaml").write_text(area)
    code, out, err = run("library", env={"TPLAN_CONFIG": str(config)})
    assert_nothing_raw(out, err)
    assert code == 0, err
    assert "Naps\\x1b]0;owned\\x07 - " in out
    assert "  \\x1b[2J\\x1b[HToo many. Trouble falling" in out
    code, out, err = run("library", "--json", env={"TPLAN_CONFIG": str(config)})
    assert_nothing_raw(out, err)
    assert any(a["area"] == f"Naps{OSC_TITLE}" for a in json.loads(out))


def _row(client: str, clinician: str) -> PlanSummary:
    return PlanSummary(
        plan_id="1a2b3c4d", client=client, clinician=clinician, status="active",
        started=date(2016, 7, 1), next_review=date(2016, 7, 31), updated="2016-07-01T00:00:00",
        signing_adult="", signing_minor="", adult_on=None,
    )  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_list_shows_names_and_problems_with_escapes(tmp_path, monkeypatch, payload):
    # A store written by an older tplan, or edited by hand, may hold anything: `list` shows it.
    from tplan_tui.store.plans import Store

    rows = [_row(f"Robin{payload}", f"Ash{payload}" + "x" * 500)]
    from tplan_tui.store.records import DamagedPlan

    damaged = tmp_path / "plans" / f"{payload}.json"
    problem = DamagedPlan(payload, damaged, "not valid", f"{damaged}: the plan in it is not valid")
    monkeypatch.setattr(Store, "list_plans", lambda self: (rows, [problem]))
    for args in (["list"], ["list", "--json"]):
        out, err = io.StringIO(), io.StringIO()
        cli.main(["--db", str(tmp_path / "db"), *args], out=out, err=err)
        assert_nothing_raw(out.getvalue(), err.getvalue())
        assert "plans/\\" in err.getvalue()
    out = io.StringIO()
    cli.main(["--db", str(tmp_path / "db"), "list"], out=out, err=io.StringIO())
    assert "Robin\\" in out.getvalue()
    assert max(len(line) for line in out.getvalue().splitlines()) < 200  # the long name is cut
    out = io.StringIO()
    cli.main(["--db", str(tmp_path / "db"), "list", "--json"], out=out, err=io.StringIO())
    listed = json.loads(out.getvalue())
    assert listed["plans"][0]["client"] == f"Robin{payload}"
    assert listed["problems"][0]["plan_id"] == payload  # the same value, escaped only as JSON


def test_an_old_plan_with_a_control_character_is_a_problem_line_not_a_raw_name(tmp_path):
    from tests.samples import CHRIS_YAML
    from tplan_tui import planfile

    db = tmp_path / "db"
    store = open_store(db)
    (plan_id,) = store.import_plans([planfile.load_plan_file(CHRIS_YAML)])
    path = db / "plans" / f"{plan_id}.json"
    path.write_text(path.read_text().replace('"Chris"', '"Chris\\u001b]0;owned\\u0007"'))
    code, out, err = run("--db", str(db), "list")
    assert_nothing_raw(out, err)
    assert "client.name" in err and code == 1


# --------------------------------------------------------------------------- settings


BAD_SETTINGS = {
    "bad YAML": "theme: [unclosed\n",
    "a misplaced tag": "idle_lock_minutes: !!int {a: 1}\n",
    "a tag it cannot read": "idle_lock_minutes: !!int many\n",
    "a huge number": "idle_lock_minutes: " + "9" * 5000 + "\n",
    "a huge hex number": "idle_lock_minutes: 0x" + "f" * 5000 + "\n",
    "deep nesting": "theme: " + "[" * 400 + "]" * 400 + "\n",
    "a wrong type": "clinician: [a, b]\n",
    "a bad date": "theme: 2026-13-45\n",
}


@pytest.mark.parametrize("name", BAD_SETTINGS)
def test_settings_that_do_not_load_fall_back_with_a_notice(tmp_path, name):
    from tplan_tui.settings import Settings, load_settings

    path = tmp_path / "settings.yaml"
    path.write_text(BAD_SETTINGS[name])
    settings, problems = load_settings(path)
    assert settings.idle_lock_minutes == Settings().idle_lock_minutes
    assert settings.theme == Settings().theme
    assert len(problems) == 1 and problems[0].startswith(f"{path}: ")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("name", ["a huge number", "deep nesting", "a misplaced tag"])
def test_tplan_starts_whatever_the_settings_hold(tmp_path, name):
    import tempfile

    # A short folder: the notice names the file, and a long pytest path would wrap mid-word.
    config = Path(tempfile.mkdtemp(prefix="tpcfg"))
    (config / "settings.yaml").write_text(BAD_SETTINGS[name])
    session = f"tplan-settings-{os.getpid()}-{abs(hash(name))}"
    command = (
        f"env TPLAN_CONFIG={config} TERM=xterm-256color {TPLAN[-1]} --db {tmp_path / 'db'}; "
        "echo TPLAN-ENDED; sleep 30"
    )
    if len(TPLAN) > 1:
        command = command.replace(TPLAN[-1], " ".join(TPLAN))
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        end = time.monotonic() + 60
        shown, noticed, listed = "", "", False
        # The notice stays 12 s and the list may draw later on a loaded machine: each is
        # looked for on its own, at whatever moment it is on the screen.
        while time.monotonic() < end:
            shown = tmux("capture-pane", "-p", "-t", session)
            if "settings.yaml" in shown:
                noticed = shown
            listed = listed or "No plans" in shown
            if noticed and listed or "TPLAN-ENDED" in shown:
                break
            time.sleep(0.2)  # polling the screen of another process: no event to wait on
        assert "TPLAN-ENDED" not in shown, shown  # it did not exit
        assert listed, shown  # it started and drew the caseload
        assert noticed, shown  # the notice names the file
        tmux("send-keys", "-t", session, "C-q")
    finally:
        tmux("kill-session", "-t", session)
        shutil.rmtree(config, ignore_errors=True)
