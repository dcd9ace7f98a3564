"""The rooms of the code keep to their jobs: the core never reaches up into the CLI or the
reporters, never imports Typer or Rich, and never names a command-line flag; the CLI never
touches the store (it calls the use cases in `hiprot.practice`); the reporters render
records from the models, never the store; and no hiprot module imports itself round a
circle, lazily or not (DESIGN.md, "Shape of the code")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "hiprot"
# __main__.py only launches the CLI.
CORE = sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in ("cli", "report", "__main__.py"))
# A long option as the CLI spells it, e.g. --avoid; "--" alone (an em-dash stand-in) is not one.
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    return [
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]  # fmt: skip


def test_there_is_a_core_to_check() -> None:
    names = {_module(p) for p in CORE}
    assert {"hiprot.practice", "hiprot.planner", "hiprot.progression", "hiprot.selftest", "hiprot.store"} <= names


def _module(path: Path) -> str:
    """hiprot.x.y for src/hiprot/x/y.py (a package's __init__.py is the package)."""
    parts = ("hiprot", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_imports_neither_typer_rich_nor_the_cli(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] in ("typer", "rich", "click") or n.startswith("hiprot.cli")}
    bad |= {n for n in _imports(path) if n.startswith("hiprot.report")}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_names_no_command_line_flag(path: Path) -> None:
    flags = [s for s in _strings(path) if FLAG.search(s)]
    assert not flags, f"{path.name} names a flag in {flags[:3]}"


def test_the_reporters_never_import_the_cli() -> None:
    for path in (SRC / "report").rglob("*.py"):
        assert not {n for n in _imports(path) if n.startswith("hiprot.cli")}, path.name


# --- the CLI and the store, the reporters and the store ------------------------------------

CLI = sorted((SRC / "cli").rglob("*.py"))
REPORTERS = sorted((SRC / "report").rglob("*.py"))
# What only the use cases may touch: the store, SQLite, and the door into them.
STORE_NAMES = ("Store", "open_store", "sqlite3")


def _store_uses(path: Path) -> list[str]:
    """Imports of the store or SQLite, and every name or attribute naming Store, open_store or sqlite3."""
    found = [n for n in _imports(path) if n == "sqlite3" or n.split(".")[:2] == ["hiprot", "store"]]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id in STORE_NAMES:
            found.append(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in STORE_NAMES:
            found.append(node.attr)
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in STORE_NAMES:
            found.append(node.name)
    return found


@pytest.mark.parametrize("path", CLI, ids=lambda p: str(p.relative_to(SRC)))
def test_the_cli_never_touches_the_store(path: Path) -> None:
    assert not _store_uses(path), f"{path.name} uses {sorted(set(_store_uses(path)))}: call a use case in practice/"


@pytest.mark.parametrize("path", REPORTERS, ids=lambda p: str(p.relative_to(SRC)))
def test_the_reporters_never_import_the_store(path: Path) -> None:
    assert not _store_uses(path), f"{path.name} uses {sorted(set(_store_uses(path)))}: render records from models"


# --- no circles --------------------------------------------------------------------------------


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The hiprot modules `path` imports when it runs: at the top or inside a function,
    not under `if TYPE_CHECKING:`. `from a import b` counts as a.b when b is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                      for a in node.names}  # fmt: skip
    return {m for m in found if m in modules}


def import_circles(root: Path) -> list[list[str]]:
    """Every set of hiprot modules that import one another round a circle (Tarjan's
    strongly connected components of the import graph, lazy imports included)."""
    paths = {_module_in(root, p): p for p in root.rglob("*.py")}
    names = set(paths)
    graph = {m: _runtime_imports(p, names) - {m} for m, p in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def _module_in(root: Path, path: Path) -> str:
    parts = (root.name, *path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circles() -> None:
    assert import_circles(SRC) == []


def test_the_guards_see_a_store_use_and_a_circle(tmp_path: Path) -> None:
    cli = tmp_path / "bad_cli.py"
    cli.write_text("from hiprot.practice import open_store\n\ndef f():\n    with open_store() as store:\n"
                   "        return store.sessions()\n")  # fmt: skip
    assert "open_store" in _store_uses(cli)
    lazy = tmp_path / "lazy_cli.py"
    lazy.write_text("def f():\n    from hiprot.store import Store\n    return Store\n")
    assert "hiprot.store" in _store_uses(lazy) and "Store" in _store_uses(lazy)
    package = tmp_path / "hiprot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from hiprot import b\n")
    (package / "b.py").write_text("def f():\n    from hiprot.c import x\n")  # lazy: still a circle
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nfrom hiprot.a import y\n"
                                  "if TYPE_CHECKING:\n    from hiprot.b import z\n")  # fmt: skip
    assert import_circles(package) == [["hiprot.a", "hiprot.b", "hiprot.c"]]
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hiprot.a import y\n")
    assert import_circles(package) == []  # an import for the type checker only is no circle


def test_the_guard_sees_a_flag_and_an_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('import typer\nfrom hiprot.cli.app import app\nMESSAGE = "drop --avoid to build"\n')
    assert "typer" in _imports(bad) and "hiprot.cli.app" in _imports(bad)
    assert FLAG.search(_strings(bad)[0])
