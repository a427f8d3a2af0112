"""The ``tplan`` command end to end, each run a real subprocess: help, import (all or none), export,
list, exit codes, TPLAN_DB and --db, no Textual on the commands that do not open the app, and
imports killed with SIGKILL at random moments.

Every name here is invented. ``TPLAN_TODAY`` fixes "today" for the review dates.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.killing import kill_at_random, spawn
from tests.samples import CHRIS_TEXT
from tplan_tui import planfile
from tplan_tui.store import JOURNAL_NAME, open_store

ROOT = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).with_name("tplan")
TPLAN = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "tplan_tui"]
TODAY = "2016-08-15"  # Chris's first review (2016-07-31) is overdue on this day
HEX_ID = re.compile(r"^[0-9a-f]{8}$")


def tplan(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    """Run ``tplan ARGS`` in a subprocess; the test's own TPLAN_DB unless ``env`` says otherwise."""
    full_env = {**os.environ, "TPLAN_TODAY": TODAY, **(env or {})}
    return subprocess.run(
        [*TPLAN, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def ok(*args: str, **kwargs) -> str:
    done = tplan(*args, **kwargs)
    assert done.returncode == 0, (args, done.returncode, done.stderr)
    return done.stdout


def listing(*args: str, **kwargs) -> list[dict]:
    shown = json.loads(ok(*args, "list", "--json", "--all", **kwargs))
    assert shown["problems"] == []
    return shown["plans"]


def plans_of(stdout: str) -> list[dict]:
    """The plans of `tplan list --json` (which also names the damaged ones under "problems")."""
    return json.loads(stdout)["plans"]


def plan_file(tmp_path: Path, name: str, text: str = CHRIS_TEXT, client: str | None = None) -> Path:
    path = tmp_path / name
    if client is not None:
        text = text.replace("  name: Chris\n", f"  name: {client}\n", 1)
    path.write_text(text, "utf-8")
    return path


def assert_one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tplan: ")
    return lines[0]


# --------------------------------------------------------------------------- help


def test_help():
    out = ok("--help")
    assert out.startswith("usage: tplan")
    for command in ("import", "export", "list", "library"):
        assert command in out
    assert "--db PATH" in out


@pytest.mark.parametrize("command", ["import", "export", "list", "library"])
def test_every_subcommand_has_help(command):
    out = ok(command, "--help")
    assert out.startswith(f"usage: tplan {command}")


def test_library_covers_the_caseload_and_is_found_by_any_word(tmp_path):
    """Issue 16 done: at least 45 areas; suicide finds safety planning; can't sleep finds sleep."""
    env = {"TPLAN_CONFIG": str(tmp_path / "config")}  # no practice library of the user's own
    areas = json.loads(ok("library", "--json", env=env))
    assert len(areas) >= 45
    assert all(len(a["synonyms"]) >= 5 for a in areas)
    assert [
        a["area"] for a in json.loads(ok("library", "--area", "suicide", "--json", env=env))
    ] == ["Safety planning"]
    assert ok("library", "--area", "suicide", env=env).startswith("Safety planning - ")
    found = json.loads(ok("library", "--search", "can't sleep", "--json", env=env))
    assert found[0]["area"] == "Sleep"


def test_an_unknown_command_is_bad_input():
    done = tplan("frobnicate")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


# --------------------------------------------------------------------------- import


def test_import_creates_the_store_with_missing_parents(tmp_path, chris_path):
    db = tmp_path / "new" / "deeper" / "store"
    out = ok("--db", str(db), "import", str(chris_path))
    plan_id, client, name = out.rstrip("\n").split("\t")
    assert HEX_ID.match(plan_id)
    assert (client, name) == ("Chris", str(chris_path))
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    (row,) = listing("--db", str(db))
    assert row["plan_id"] == plan_id


def test_import_of_several_files_is_all_or_none(tmp_path):
    good = plan_file(tmp_path, "good.yaml", client="Ana")
    bad = plan_file(
        tmp_path,
        "bad.yaml",
        CHRIS_TEXT.replace("target: 6", "target: 11").replace("status: active", "status: paused"),
    )
    broken = plan_file(tmp_path, "broken.yaml", "tplan: 1\nclient: [\n")
    also_good = plan_file(tmp_path, "also-good.yaml", client="Ben")
    done = tplan("import", str(good), str(bad), str(broken), str(also_good))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{bad}: goals[0].rating.target: must be a whole number from 0 to 10, got 11",
        (
            f"{bad}: goals[0].status: must be one of proposed, active, on-hold, completed, cancelled, "
            "got 'paused'"
        ),
        (f"{broken}: line 3, column 1: expected the node content, but found '<stream end>'"),
        "tplan: nothing was imported; fix the errors above and run the import again",
    ]
    assert listing() == []


def test_import_of_a_missing_file(tmp_path):
    done = tplan("import", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory"
    )
    assert listing() == []


def test_every_import_is_a_new_plan(chris_path):
    first = ok("import", str(chris_path), str(chris_path)).splitlines()
    second = ok("import", "--allow-duplicate", str(chris_path)).splitlines()
    ids = [line.split("\t")[0] for line in first + second]
    assert len(set(ids)) == 3
    assert sorted(r["plan_id"] for r in listing()) == sorted(ids)


def test_importing_a_client_already_in_the_store_names_them_and_needs_allow_duplicate(
    tmp_path, chris_path
):
    [line] = ok("import", str(chris_path)).splitlines()
    plan_id = line.split("\t")[0]
    other = plan_file(tmp_path, "robin.yaml", client="Robin")
    done = tplan("import", str(other), str(chris_path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{chris_path}: Chris (no date of birth) is already in the store as plan {plan_id}",
        "tplan: nothing was imported; add --allow-duplicate to import a second copy anyway",
    ]
    assert [r["plan_id"] for r in listing()] == [plan_id]  # all or none: Robin waits too
    ok("import", "--allow-duplicate", str(other), str(chris_path))
    assert len(listing()) == 3


# --------------------------------------------------------------------------- export


def imported(path: Path, *db: str) -> str:
    return ok(*db, "import", str(path)).split("\t")[0]


def test_export_yaml_to_stdout(chris_path, chris):
    plan_id = imported(chris_path)
    out = ok("export", plan_id, "--format", "yaml")
    assert out == planfile.dump_plan(chris)
    assert ok("export", plan_id) == out  # yaml is the default


def test_export_to_a_file(tmp_path, chris_path):
    plan_id = imported(chris_path)
    target = tmp_path / "out" / "chris.yaml"
    done = tplan("export", plan_id, "--format", "yaml", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text("utf-8") == ok("export", plan_id)

    target.write_text("keep me")
    done = tplan("export", plan_id, "-o", str(target))
    assert done.returncode == 2
    assert (
        assert_one_line_error(done.stderr) == f"tplan: {target} exists; add --force to replace it"
    )
    assert target.read_text() == "keep me"

    ok("export", plan_id, "-o", str(target), "--force")
    assert target.read_text("utf-8") == ok("export", plan_id)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_import_export_import_gives_the_same_plan(tmp_path, chris_path, chris):
    first_id = imported(chris_path)
    exported = ok("export", first_id)
    assert ok("export", first_id) == exported  # twice: the same text
    again = plan_file(tmp_path, "again.yaml", exported)
    second_id = ok("import", "--allow-duplicate", str(again)).split("\t")[0]
    assert second_id != first_id
    assert ok("export", second_id) == exported
    assert planfile.load_plan_text(exported) == chris


def test_export_of_a_draft_as_a_plan_file_is_refused():
    draft = planfile.plan_from_data({"tplan": 1, "client": {"name": "Robin"}}, complete=False)
    stored = open_store(os.environ["TPLAN_DB"]).create(draft)
    done = tplan("export", stored.plan_id)
    assert done.returncode == 2
    line = assert_one_line_error(done.stderr)
    assert line.startswith(f"tplan: plan {stored.plan_id} is not complete enough for a plan file")


# --------------------------------------------------------------------------- list


def test_list_json(tmp_path, chris_path):
    chris_id = imported(chris_path)
    later = CHRIS_TEXT.replace("started: 2016-07-01", "started: 2016-08-10")
    later_id = imported(plan_file(tmp_path, "later.yaml", later, client="Sam"))
    done_text = CHRIS_TEXT.replace(
        "  review_every_days: 30\n", "  review_every_days: 30\n  status: completed\n"
    )
    done_id = imported(plan_file(tmp_path, "done.yaml", done_text, client="Lee"))

    rows = plans_of(ok("list", "--json"))
    assert [r["plan_id"] for r in rows] == [chris_id, later_id]  # soonest review first
    for row in rows:
        assert {
            "plan_id",
            "client",
            "clinician",
            "status",
            "started",
            "next_review",
            "overdue",
        } <= set(row)
        assert isinstance(row["client"], str) and isinstance(row["clinician"], str)
        assert isinstance(row["overdue"], bool)
    chris_row, later_row = rows
    assert chris_row == {
        **chris_row,
        "client": "Chris",
        "clinician": "Dana Reyes",
        "status": "active",
        "started": "2016-07-01",
        "next_review": "2016-07-31",
        "overdue": True,
    }
    assert later_row["next_review"] == "2016-09-09" and later_row["overdue"] is False

    everything = plans_of(ok("list", "--json", "--all"))
    (done_row,) = [r for r in everything if r["plan_id"] == done_id]
    assert done_row["status"] == "completed" and done_row["overdue"] is False

    # "today" moves the overdue line: the day of the review is not overdue yet.
    rows = plans_of(ok("list", "--json", env={"TPLAN_TODAY": "2016-07-31"}))
    assert [r["overdue"] for r in rows] == [False, False]
    rows = plans_of(ok("list", "--json", env={"TPLAN_TODAY": "2016-09-10"}))
    assert [r["overdue"] for r in rows] == [True, True]


def test_list_as_a_table(tmp_path, chris_path):
    assert ok("list").startswith("No plans yet.")
    chris_id = imported(chris_path)
    lines = ok("list").splitlines()
    assert lines[0].split() == [
        "PLAN",
        "CLIENT",
        "CLINICIAN",
        "STATUS",
        "STARTED",
        "NEXT",
        "REVIEW",
        "REVIEW",
    ]
    assert lines[1].split("  ")[0] == chris_id
    assert "overdue" in lines[1]  # said in words, not only in colour
    assert "2016-07-31" in lines[1]


def test_a_bad_tplan_today_is_bad_input(chris_path):
    imported(chris_path)
    done = tplan("list", env={"TPLAN_TODAY": "2016-13-01"})
    assert done.returncode == 2
    assert assert_one_line_error(done.stderr) == (
        "tplan: TPLAN_TODAY must be a date written YYYY-MM-DD, got '2016-13-01'"
    )


# --------------------------------------------------------------------------- exit codes


def test_an_unknown_plan_id_is_bad_input():
    done = tplan("export", "deadbeef")
    assert done.returncode == 2
    assert assert_one_line_error(done.stderr) == (
        "tplan: no plan with id 'deadbeef' in this store (`tplan list` shows them)"
    )


def test_debug_shows_the_traceback():
    done = tplan("--debug", "export", "deadbeef")
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith("tplan: no plan with id 'deadbeef'")


def test_db_pointing_at_a_file_is_refused(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text("{}")
    done = tplan("--db", str(path), "list")
    assert done.returncode == 1
    assert assert_one_line_error(done.stderr) == (
        f"tplan: {path} is a file; --db names a folder that holds the store"
    )
    assert path.read_text() == "{}"


def test_db_pointing_at_a_folder_that_is_not_a_store_is_refused(tmp_path, chris_path):
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    done = tplan("--db", str(folder), "import", str(chris_path))
    assert done.returncode == 1
    assert assert_one_line_error(done.stderr) == (
        f"tplan: {folder} is not empty and is not a tplan store; choose another folder"
    )
    assert sorted(os.listdir(folder)) == ["notes.txt"]


def test_a_damaged_plan_is_named_and_the_rest_still_listed(tmp_path, chris_path):
    damaged_id = imported(chris_path)
    kept_id = imported(plan_file(tmp_path, "sam.yaml", client="Sam"))
    path = Path(os.environ["TPLAN_DB"]) / "plans" / f"{damaged_id}.json"
    path.write_bytes(path.read_bytes()[:40])
    done = tplan("list", "--json")
    assert done.returncode == 1
    assert [r["plan_id"] for r in plans_of(done.stdout)] == [kept_id]
    line = assert_one_line_error(done.stderr)
    assert str(path) in line and "damaged" in line
    done = tplan("export", damaged_id)
    assert done.returncode == 1
    assert str(path) in assert_one_line_error(done.stderr)


# --------------------------------------------------------------------------- where the store is


def test_tplan_db_is_honoured_and_db_overrides_it(tmp_path, chris_path):
    from_env = tmp_path / "from-env"
    from_flag = tmp_path / "from-flag"
    env_id = ok("import", str(chris_path), env={"TPLAN_DB": str(from_env)}).split("\t")[0]
    assert [r["plan_id"] for r in listing(env={"TPLAN_DB": str(from_env)})] == [env_id]
    assert listing("--db", str(from_flag), env={"TPLAN_DB": str(from_env)}) == []
    flag_id = ok("--db", str(from_flag), "import", str(chris_path), env={"TPLAN_DB": str(from_env)})
    flag_id = flag_id.split("\t")[0]
    assert [r["plan_id"] for r in listing("--db", str(from_flag))] == [flag_id]
    assert [r["plan_id"] for r in listing(env={"TPLAN_DB": str(from_env)})] == [env_id]


# --------------------------------------------------------------------------- no Textual


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["import", "--allow-duplicate", "{chris}"],
        ["export", "{plan_id}", "--format", "yaml"],
    ],
)
def test_commands_that_do_not_open_the_app_never_import_textual(argv, chris_path):
    plan_id = imported(chris_path)
    argv = [a.format(chris=chris_path, plan_id=plan_id) for a in argv]
    script = (
        "import sys\n"
        "from tplan_tui import cli\n"
        f"code = cli.main({argv!r})\n"
        "assert code == 0, code\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "TPLAN_TODAY": TODAY},
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- kills


@pytest.mark.slow
def test_imports_killed_at_random_moments_leave_all_or_none(tmp_path):
    """~40 imports of 1-3 files each are SIGKILLed at random moments; afterwards the store opens,
    every import that printed its ids is whole, and no import is there in part."""
    rng = random.Random(20160701)
    db = tmp_path / "killed-store"
    env = {"TPLAN_DB": str(db)}
    files_dir = tmp_path / "files"
    files_dir.mkdir()

    def batch_files(n: int, size: int) -> list[str]:
        return [
            str(plan_file(files_dir, f"b{n}-{k}.yaml", client=f"B{n}-{k}")) for k in range(size)
        ]

    # How long one import takes here, start-up included: the kills land around its end, where
    # the store is being written, as well as earlier.
    started = time.perf_counter()
    ok("import", *batch_files(0, 3), env=env)
    duration = time.perf_counter() - started
    sizes = {0: 3}
    printed: dict[int, list[str]] = {0: []}
    finished: set[int] = {0}
    kills = journal_left = 0
    n = 0
    deadline = time.monotonic() + 40
    while kills < 40 and time.monotonic() < deadline:
        n += 1
        sizes[n] = rng.randint(1, 3)
        proc = spawn([*TPLAN, "import", *batch_files(n, sizes[n])], env)
        kill_at_random(proc, rng, duration, watch=db / JOURNAL_NAME)
        out, err = proc.communicate(timeout=30)
        printed[n] = [line.split("\t")[0] for line in out.splitlines()]
        if proc.returncode == -signal.SIGKILL:
            kills += 1
            journal_left += (db / JOURNAL_NAME).exists()
        else:
            assert proc.returncode == 0, err
            finished.add(n)
    print(f"\n{n} imports, {kills} killed ({journal_left} in the middle of writing plans)")
    assert kills >= 30, f"only {kills} of {n} imports were killed before they finished"

    done = tplan("list", "--json", "--all", env=env)
    assert done.returncode == 0, done.stderr
    rows = plans_of(done.stdout)
    by_batch: dict[int, list[str]] = {}
    for row in rows:
        batch = int(re.fullmatch(r"B(\d+)-\d", row["client"]).group(1))
        by_batch.setdefault(batch, []).append(row["plan_id"])
    for batch, ids in by_batch.items():
        assert len(ids) == sizes[batch], f"import {batch} is there in part: {ids}"
    for batch in finished:
        assert len(by_batch.get(batch, [])) == sizes[batch], f"finished import {batch} is missing"
    for batch, ids in printed.items():
        if ids:
            assert sorted(ids) == sorted(by_batch[batch]), f"import {batch} printed ids it lost"

    # The next writer rolls back whatever a dead import left; then nothing stray is left.
    ok("import", *batch_files(n + 1, 1), env=env)
    assert not (db / JOURNAL_NAME).exists()
    names = os.listdir(db / "plans")
    assert not [name for name in names if name.startswith(".")]
    assert len(names) == len(rows) + 1
    assert len(listing(env=env)) == len(rows) + 1


def test_tplan_alone_skips_the_parser_with_the_same_defaults():
    # `tplan` alone opens the app without building the parser: the options it would have given.
    from tplan_tui import cli

    assert vars(cli.tui_default_args()) == vars(cli.build_parser().parse_args([]))
