"""The mutation fuzzer (tests/fuzzing.py) over the sample plans, through `tplan import`: at least
500 cases in-process and a few as subprocesses. Slow lane (``-m slow``); well under 60 s."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.cli.test_hostile_input_cli import run
from tests.fuzzing import check_case, mutated_plans, seed_store

pytestmark = pytest.mark.slow

# One store for every case, in memory where the system has it: what is fuzzed is reading and
# checking, and 500 imports each fsync'd to a shared disk took over a minute.
_SHM = Path("/dev/shm")
_WORK = tempfile.TemporaryDirectory(
    prefix="tplan-fuzz-", dir=_SHM if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None
)
_SEEDED: list[Path] = []


def _workdir() -> Path:
    if not _SEEDED:
        path = Path(_WORK.name)
        seed_store(path)
        _SEEDED.append(path)
    return _SEEDED[0]


@settings(
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_plans())
def test_any_mutated_plan_imports_whole_or_is_refused_cleanly(text):
    assert check_case(text, _workdir()) is None


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(mutated_plans())
def test_mutated_plans_as_a_subprocess_exit_0_or_2_without_a_traceback(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("case") / "case.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = run("--db", str(path.parent / "db"), "import", str(path))
    assert code in (0, 2), err
    assert "Traceback" not in err and "unexpected error" not in err
    assert "\x1b" not in out + err
