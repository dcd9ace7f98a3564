"""Issue 25 row 9: rows edited by another program give the "row N cannot be read" error,
naming the row, in every command that reads them (never a traceback)."""

from __future__ import annotations

import sqlite3

import pytest

from hiprot.paths import database_path

COMMANDS = [
    ["history"],
    ["history", "--format", "json"],
    ["today"],
    ["plan"],
    ["plan", "calendar"],
    ["report"],
    ["report", "--format", "json"],
    ["saved"],
    ["routine", "--saved", "morning"],
    ["log", "--saved", "morning"],
    ["go", "--saved", "morning", "--dry-run"],
]


def _world(hiprot) -> None:
    hiprot("log", "--goal", "warmup")
    hiprot("log", "--goal", "warmup", "--again")  # a naive time among aware ones cannot be compared
    hiprot("save", "morning", "--goal", "warmup")
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--saved", "morning")


def _edit(sql: str, *args: object) -> None:
    db = sqlite3.connect(database_path())
    with db:
        db.execute(sql, args)
    db.close()


EDITS = {
    "plan-start": ("UPDATE plan SET start = '9999-12-31'", "plan"),
    "deep-request": ("UPDATE saved_routine SET request = ?", "saved_routine"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_row9_an_edited_row_is_named_in_every_command(hiprot, edit: str, command: list[str]) -> None:
    _world(hiprot)
    sql, table = EDITS[edit]
    _edit(sql, *(["[" * 20_000 + "]" * 20_000] if edit == "deep-request" else []))
    result = hiprot.runner.invoke(__import__("hiprot.cli", fromlist=["app"]).app, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:  # a command that never reads that row may run
        assert result.exit_code == 1, result.stderr
        assert "row " in result.stderr and f"of the {table} table" in result.stderr, result.stderr
        assert "cannot read" in result.stderr
