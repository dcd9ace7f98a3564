"""The rooms of the code keep to their jobs: the core never reaches up into the CLI or the
reporters, never imports Typer or Rich, and never names a command-line flag."""

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


def test_the_guard_sees_a_flag_and_an_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('import typer\nfrom hiprot.cli.app import app\nMESSAGE = "drop --avoid to build"\n')
    assert "typer" in _imports(bad) and "hiprot.cli.app" in _imports(bad)
    assert FLAG.search(_strings(bad)[0])
