"""A mutation fuzzer for plan files (issue 18), shared by the slow test
(tests/cli/test_fuzz_import.py) and the benchmark (benchmarks/bench_hostile.py).

A case is one of the sample plans with one to three mutations drawn by hypothesis: on the YAML
text (control characters, tags, huge numbers, deep nesting, a line cut or doubled, far dates) or
on its structure (a key deleted or duplicated, a value swapped for another type). ``check_case``
runs it through ``tplan import`` in-process (``cli.main``, the function the command runs) and
holds the oracle: exit 0 or 2, never a traceback or "unexpected error", the store untouched when
refused, and an accepted plan exports (``tplan export``) and re-imports (``load_plan_file``, what
import reads with) equal to the plan stored.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tplan_tui import cli, planfile
from tplan_tui.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "examples" / "chris.yaml", *sorted((ROOT / "tests" / "data").glob("*.yaml"))]
SAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in SAMPLES]

CONTROLS = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x85", "\x9b"]
ESCAPES = ["\\e[2J", "\\e]0;owned\\a", "\\e]52;c;SGVsbG8=\\a", "\\r\\e[K", "\\x9b", "\\0"]
TAGS = ["!!int", "!!bool", "!!map", "!!seq", "!!str", "!!float", "!!null", "!!binary", "!!set",
        "!!timestamp", "!!python/object", "!custom", "!!omap", "!!merge"]  # fmt: skip
NUMBERS = [
    "9" * 4301, "9" * 20, "-" + "9" * 19, "9223372036854775807", "9223372036854775808",
    "0x" + "f" * 17, "0x" + "f" * 3000, "0b" + "1" * 70, "0o" + "7" * 30, "1_000", "1:20:30",
    "1" + ":59" * 20, "1e999", "-1e999", ".nan", ".inf", "1" * 400 + ".5", "-0", "+12",
]  # fmt: skip
DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01",
         "9990-06-15", "2026-02-29", "2024-02-29", "2016-13-01", "20160701"]  # fmt: skip
VALUES: list[Any] = [None, True, 0, -1, 11, 2**63, 1.5, "", " ", "text", [], {}, [1, "a"],
                     {"a": 1}, "2016-07-01", "\x1b[2J"]  # fmt: skip


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _nest(depth: int, flow: bool) -> str:
    if flow:
        return "[" * depth + "]" * depth
    return "\n" + "".join("  " * (i + 1) + "k:\n" for i in range(depth))


@st.composite
def text_mutation(draw, text: str) -> str:
    """One change to the YAML text."""
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            [
                "control",
                "escape",
                "tag",
                "number",
                "date",
                "nest",
                "cut",
                "double",
                "drop",
                "char",
                "indent",
                "long",
            ]
        )  # fmt: skip
    )
    line = lines[i]
    where = draw(st.integers(0, len(line)))
    if kind == "control":
        lines[i] = line[:where] + draw(st.sampled_from(CONTROLS)) + line[where:]
    elif kind == "escape" and ": " in line:
        key, _, value = line.partition(": ")
        lines[i] = f'{key}: "{value.strip(chr(34))}{draw(st.sampled_from(ESCAPES))}"'
    elif kind == "tag" and ": " in line:
        key, _, value = line.partition(": ")
        lines[i] = f"{key}: {draw(st.sampled_from(TAGS))} {value}"
    elif kind == "number" and ": " in line:
        key, _, _ = line.partition(": ")
        lines[i] = f"{key}: {draw(st.sampled_from(NUMBERS))}"
    elif kind == "date":
        found = re.search(r"\d{4}-\d{2}-\d{2}", text)
        if found:
            return text.replace(found.group(), draw(st.sampled_from(DATES)), 1)
    elif kind == "nest" and ": " in line:
        key, _, _ = line.partition(": ")
        depth = draw(st.sampled_from([2, 31, 33, 64, 65, 326, 1000]))
        flow = draw(st.booleans())
        indent = len(key) - len(key.lstrip())
        body = _nest(depth, flow)
        if not flow:
            body = body.replace("\n", "\n" + " " * indent)
        lines[i] = f"{key}: {body}"
    elif kind == "cut":
        lines[i] = line[:where]
    elif kind == "double":
        lines.insert(i, line)
    elif kind == "drop":
        del lines[i]
    elif kind == "char":
        lines[i] = line[:where] + draw(st.sampled_from(list("[]{}&*!|>'\"%@`#:-?,"))) + line[where:]
    elif kind == "indent":
        lines[i] = " " * draw(st.integers(0, 5)) + line.lstrip()
    elif kind == "long" and ": " in line:
        key, _, _ = line.partition(": ")
        lines[i] = f"{key}: {'w' * draw(st.sampled_from([1000, 100_001]))}"
    return "\n".join(lines)


def _containers(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path] if isinstance(node, (dict, list)) and node else []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in items:
        out += _containers(child, (*path, key))
    return out


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def data_mutation(draw, text: str) -> str:
    """One change to the structure: a key deleted, duplicated or renamed, a value swapped."""
    # libyaml where installed: the fuzzer's own parsing is not what is tested, and the pure
    # Python parser took half of each case. A text it cannot read raises, and the caller
    # mutates the text instead.
    data = yaml.load(text, Loader=_FAST_LOADER)  # a SafeLoader
    if not isinstance(data, dict) or not data:
        raise ValueError("no structure to mutate")
    place = _at(data, draw(st.sampled_from(_containers(data))))
    keys = list(place) if isinstance(place, dict) else list(range(len(place)))
    key = draw(st.sampled_from(keys))
    kind = draw(st.sampled_from(["delete", "swap", "rename", "duplicate", "wrap"]))
    if kind == "delete":
        del place[key]
    elif kind == "swap":
        place[key] = draw(st.sampled_from(VALUES))
    elif kind == "rename" and isinstance(place, dict):
        place[str(key) + draw(st.sampled_from(["x", "_", "\x1b]0;t\x07", " " * 3 + "y" * 200]))] = (
            place.pop(key)
        )
    elif kind == "duplicate" and isinstance(place, list):
        place.append(place[key])
    elif kind == "wrap":
        place[key] = [place[key]]
    dumped = yaml.dump(data, Dumper=_FAST_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    if kind == "duplicate" and isinstance(place, dict):  # the same key twice, in the text
        first = dumped.split("\n")[1] if "\n" in dumped else dumped
        dumped = dumped + first + "\n"
    return dumped


@st.composite
def mutated_plans(draw) -> str:
    """A sample plan with one to three mutations."""
    text = draw(st.sampled_from(SAMPLE_TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        try:
            text = draw(st.one_of(text_mutation(text), data_mutation(text)))
        except Exception:  # the text no longer parses (any way at all): keep to the text
            text = draw(text_mutation(text))
    return text


def _store_files(db: Path) -> dict[str, tuple[int, int, int]]:
    """Every file of the store by its inode, size and modification time: any write shows (a
    write replaces a file through a new inode), and stat-ing stays cheap as the store grows."""
    if not db.exists():
        return {}
    out = {}
    for p in db.rglob("*"):
        if p.is_file() and p.name != ".lock":
            st = p.stat()
            out[str(p.relative_to(db))] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def check_case(text: str, workdir: Path) -> str | None:
    """Import ``text`` through the CLI's own function and hold the oracle; the problem in words,
    or None when every rule held. ``workdir`` holds the store (one good plan in it already)."""
    db = workdir / "db"
    path = workdir / "case.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = _store_files(db)
    try:
        # --allow-duplicate: mutants of the sample often keep its client's name and birth date.
        code, out, err = run_cli("--db", str(db), "import", "--allow-duplicate", str(path))
    except BaseException as exc:  # the oracle itself: anything escaping main() is a failure
        return f"import raised {type(exc).__name__}: {exc}"
    if code not in (0, 2):
        return f"import exited {code}: {err.strip()[:300]}"
    if "Traceback" in err or "unexpected error" in err:
        return f"import failed badly: {err.strip()[:300]}"
    if any(c in out + err for c in "\x1b\x07\x9b"):
        return "a raw control character reached the terminal"
    if code == 2:
        if _store_files(db) != before:
            return "a refused import changed the store"
        return None
    plan_id = out.split("\t")[0]
    code, exported, err = run_cli("--db", str(db), "export", plan_id)
    if code != 0:
        return f"export of an accepted plan exited {code}: {err.strip()[:300]}"
    path.write_text(exported, encoding="utf-8")
    try:  # what `tplan import` reads the file with, without a second write to the store
        again = planfile.load_plan_file(path)
    except planfile.PlanFileError as exc:
        return f"the export did not re-import: {str(exc)[:300]}"
    if again != open_store(db).load(plan_id).plan:
        return "the re-imported plan differs from the one imported"
    return None


def seed_store(workdir: Path) -> None:
    """A store holding one good plan, so 'untouched' means something."""
    code, _, err = run_cli("--db", str(workdir / "db"), "import", str(SAMPLES[0]))
    assert code == 0, err
