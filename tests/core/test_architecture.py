"""The layout keeps its two rules, read from the source with ``ast`` (no import is run):

1. Textual lives in ``tplan_tui/tui/`` only: nothing outside it imports ``textual``, and only the
   command line (``cli.py``, inside the function that starts the app) imports the TUI.
2. No import cycle between tplan's modules (imports under ``if TYPE_CHECKING:`` are for the type
   checker only and do not count; an import inside a function does).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tplan_tui"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import in ``module`` that runs."""
    path = MODULES[module]
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub, top)
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    source = ".".join(base + ([child.module] if child.module else []))
                else:
                    source = child.module or ""
                for alias in child.names:
                    sub = f"{source}.{alias.name}"
                    found.append((sub if sub in MODULES else source, top))
            inner = top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            visit(child, inner)

    visit(tree, True)
    return found


def in_tui(module: str) -> bool:
    return module == "tplan_tui.tui" or module.startswith("tplan_tui.tui.")


def test_every_module_is_found():
    assert {
        "tplan_tui.cli",
        "tplan_tui.core.model",
        "tplan_tui.store.plans",
        "tplan_tui.tui.app",
    } <= set(MODULES)


def test_textual_is_imported_only_inside_the_tui_package():
    outside = sorted(
        f"{module} imports {name}"
        for module in MODULES
        if not in_tui(module)
        for name, _top in imports(module)
        if name == "textual" or name.startswith("textual.")
    )
    assert outside == []


def test_only_the_command_line_reaches_the_tui_and_only_when_it_starts_it():
    reach = sorted(
        (module, name, top)
        for module in MODULES
        if not in_tui(module)
        for name, top in imports(module)
        if in_tui(name)
    )
    assert reach == [("tplan_tui.cli", "tplan_tui.tui.app", False)]


def test_there_is_no_import_cycle():
    graph = {
        m: sorted({name for name, _ in imports(m) if name in MODULES and name != m})
        for m in MODULES
    }
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    assert cycles == []


def test_the_checker_sees_a_cycle_and_a_textual_import(tmp_path, monkeypatch):
    """The rules can fail: a made-up pair of modules that import each other is caught."""
    fake = tmp_path / "tplan_tui"
    (fake / "core").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "core" / "__init__.py").write_text("")
    (fake / "core" / "a.py").write_text("from tplan_tui.core import b\nimport textual.app\n")
    (fake / "core" / "b.py").write_text("def f():\n    from . import a\n")
    import sys

    this = sys.modules[__name__]
    monkeypatch.setattr(this, "PACKAGE", fake)
    monkeypatch.setattr(this, "MODULES", {module_name(p): p for p in fake.rglob("*.py")})
    assert ("tplan_tui.core.b", True) in imports("tplan_tui.core.a")
    assert ("tplan_tui.core.a", False) in imports("tplan_tui.core.b")
    try:
        test_there_is_no_import_cycle()
    except AssertionError:
        pass
    else:
        raise AssertionError("the cycle a <-> b was not seen")
    try:
        test_textual_is_imported_only_inside_the_tui_package()
    except AssertionError:
        pass
    else:
        raise AssertionError("textual imported by the core was not seen")


def test_the_code_set_is_imported_only_by_the_codes_module_inside_its_functions():
    # simple_icd_10_cm takes about 3 s to import: never at start-up, never on a store read.
    found = sorted(
        (module, top)
        for module in MODULES
        for name, top in imports(module)
        if name == "simple_icd_10_cm" or name.startswith("simple_icd_10_cm.")
    )
    assert found == [("tplan_tui.core.codes", False)]


def test_importing_every_module_leaves_the_code_set_unloaded():
    import subprocess
    import sys

    names = sorted(n for n in MODULES if not n.endswith("__main__"))  # that one runs tplan
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "from tplan_tui.tui.app import TplanApp\n"
        "print('simple_icd_10_cm' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# What `tplan` must not import before the caseload's first rows are drawn: each is needed only
# later (a plan opened, a summary, an export, the library, a code checked, an encrypted store,
# a multi-line field), and together they cost more than a bare Textual app takes to start.
LAZY_AT_START = (
    "simple_icd_10_cm",
    "cryptography",
    "hashlib",  # OpenSSL: the unlock PIN is checked only when unlocking
    "tplan_tui.core.model",
    "tplan_tui.planfile",
    "tplan_tui.summary",
    "tplan_tui.fhir",
    "tplan_tui.library",
    "tplan_tui.store.crypto",
    "tplan_tui.tui.screens.plan",
    "textual.widgets._text_area",
)

FIRST_ROWS_SCRIPT = """
import json, sys
from tplan_tui import cli
from tplan_tui.tui import app as tui_app

seen = {}

def first_rows_shown(self):
    from textual.widgets import DataTable, Footer

    seen["modules"] = sorted(sys.modules)
    seen["row"] = [str(cell) for cell in self.screen.query_one(DataTable).get_row_at(0)]
    # Quit once the footer that follows the rows is mounted (quitting in the middle of its
    # mount is another matter).
    self.set_interval(0.01, lambda: self.screen.query(Footer) and self.exit(0))

tui_app.TplanApp.first_rows_shown = first_rows_shown
run = tui_app.TplanApp.run
tui_app.TplanApp.run = lambda self, **kw: run(self, headless=True, size=(80, 24))
code = cli.main([])
print(json.dumps(seen))
sys.exit(code)
"""


def _modules_at_first_rows(settings_text: str | None, tmp_path, chris) -> dict:
    """Start `tplan` (as `cli.main([])` does, headless) on a store holding the sample plan, and
    return the modules imported when its first row is drawn, and that row."""
    import json
    import os
    import subprocess
    import sys

    from tplan_tui.store import open_store

    store = open_store(tmp_path / "store")
    store.import_plans([chris])
    store.list_plans()  # as a session before would have: the caseload's index is up to date
    if settings_text is not None:
        (tmp_path / "config").mkdir(exist_ok=True)
        (tmp_path / "config" / "settings.yaml").write_text(settings_text)
    env = dict(os.environ, TPLAN_DB=str(tmp_path / "store"), TPLAN_CONFIG=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", FIRST_ROWS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _too_early(modules: list[str]) -> list[str]:
    return [
        m for m in modules if any(m == lazy or m.startswith(lazy + ".") for lazy in LAZY_AT_START)
    ]


@pytest.mark.slow  # two subprocesses that start the app
def test_the_first_rows_need_none_of_the_heavy_modules(tmp_path, chris):
    seen = _modules_at_first_rows(None, tmp_path, chris)
    assert seen["row"][0] == "Chris"  # the row is real: read from the store
    assert _too_early(seen["modules"]) == []
    assert "tplan_tui.tui.app" in seen["modules"]  # the check would see a module imported

    # With a settings file the same holds (its YAML is read, the plan reader is not).
    seen = _modules_at_first_rows("clinician:\n  name: Dana Reyes\n", tmp_path / "b", chris)
    assert seen["row"][0] == "Chris"
    assert _too_early(seen["modules"]) == []
