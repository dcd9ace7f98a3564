"""Issue 25 rows 5, 17 and 19: text from the database and typed paths never reach a
terminal raw; JSON escapes bidi and control characters; binary output checks the real
target for a terminal."""

from __future__ import annotations

import json
import sqlite3

import pytest

from hiprot.paths import database_path
from hiprot.text import UNSAFE

HOSTILE = "warmup\x1bc\x07\x1bP+q\x1b\\\u202egnp"


def _tamper(sql: str, *args: object) -> None:
    db = sqlite3.connect(database_path())
    with db:
        db.execute(sql, args)
    db.close()


@pytest.fixture
def hostile_history(hiprot) -> None:
    hiprot("save", "morning", "--goal", "warmup")
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,tue,wed,thu,fri,sat,sun", "--saved", "morning")
    hiprot("log", "--saved", "morning", "--note", "fine", "--pain", "2")
    _tamper("UPDATE session SET goal = ?, saved_name = ?", HOSTILE, "morning" + HOSTILE[6:])
    _tamper("UPDATE note SET text = ?", HOSTILE)
    _tamper("UPDATE plan SET goal = ?", HOSTILE)


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(__import__("sys").modules["hiprot.cli.app"], "on_terminal", lambda stream: stream is not None)


TERMINAL_VIEWS = [
    ["report"],
    ["report", "--format", "html"],
    ["plan"],
    ["today"],
    ["history"],
    ["saved"],
]


@pytest.mark.parametrize("command", TERMINAL_VIEWS, ids=" ".join)
def test_row5_stored_text_is_visible_on_a_terminal(hiprot, hostile_history, at_a_terminal, command) -> None:
    result = hiprot(*command)
    found = UNSAFE.search(result.stdout + result.stderr)
    assert found is None, f"{found.group()!r} reached the terminal raw"


JSON_VIEWS = [["report", "--format", "json"], ["plan", "--format", "json"], ["history", "--format", "json"],
              ["today", "--format", "json"]]  # fmt: skip


@pytest.mark.parametrize("command", JSON_VIEWS, ids=" ".join)
def test_row5_json_escapes_controls_and_bidi_and_keeps_the_data(hiprot, hostile_history, command) -> None:
    result = hiprot(*command)
    assert UNSAFE.search(result.stdout) is None
    texts = list(_strings(json.loads(result.stdout)))
    if command[0] in ("history", "today"):  # they carry the goal: the data comes back exactly
        assert any(HOSTILE in text for text in texts)


def _strings(data: object):  # type: ignore[no-untyped-def]
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


# --- row 17: typed paths are shown as visible escapes -----------------------------------------


@pytest.mark.parametrize(
    "command",
    [["plan", "calendar", "--output", "{}"], ["plan", "handout", "--output", "{}"], ["backup", "{}"]],
    ids=lambda c: c[1] if c[0] == "plan" else c[0],
)
def test_row17_a_typed_path_is_echoed_visibly(hiprot, tmp_path, command: list[str]) -> None:
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--goal", "warmup")
    suffix = {"calendar": ".ics", "handout": ".html"}.get(command[1], ".db")
    target = tmp_path / f"a\x1b]0;x\x07\u202e{suffix}"
    result = hiprot(*[str(target) if part == "{}" else part for part in command])
    assert target.exists()
    assert UNSAFE.search(result.stdout + result.stderr) is None
    assert "a\\x1b]0;x\\x07\\u202e" in result.stderr


# --- row 19: binary output follows the real target to a terminal ----------------------------


def test_row19_a_pdf_link_to_a_terminal_is_refused(hiprot, tmp_path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        link = tmp_path / "w.pdf"
        link.symlink_to(os.ttyname(follower))
        result = hiprot("routine", "--goal", "warmup", "--output", str(link), code=2)
        assert "not for the terminal" in result.stderr
        assert link.is_symlink()
        hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--goal", "warmup")
        assert "not for the terminal" in hiprot("plan", "handout", "--output", str(link), code=2).stderr
    finally:
        os.close(leader)
        os.close(follower)


def test_row19_dev_stdout_at_a_terminal_is_refused(hiprot, at_a_terminal, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("hiprot.files.is_terminal", lambda path: str(path) == "/dev/stdout")
    result = hiprot("routine", "--goal", "warmup", "--format", "pdf", "--output", "/dev/stdout", code=2)
    assert "not for the terminal" in result.stderr


def test_row19_files_is_terminal_follows_links(tmp_path) -> None:
    import os
    import pty

    from hiprot.files import is_terminal

    leader, follower = pty.openpty()
    try:
        link = tmp_path / "t.pdf"
        link.symlink_to(os.ttyname(follower))
        assert is_terminal(link)
        assert not is_terminal("/dev/null")
        assert not is_terminal(tmp_path / "missing.pdf")
        (tmp_path / "f.pdf").write_bytes(b"%PDF")
        assert not is_terminal(tmp_path / "f.pdf")
    finally:
        os.close(leader)
        os.close(follower)
