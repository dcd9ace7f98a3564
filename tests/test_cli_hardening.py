"""Issue 16 (hardening, round 3), one test per row outside `hiprot go`, through CliRunner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture
def clock(monkeypatch):
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    monkeypatch.setattr("hiprot.cli.plan.now", lambda: at)
    return at


# --- row 2: dates ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01", "1899-12-31", "2026-12-02"])
def test_row2_far_past_and_future_dates_are_usage_errors(hiprot, clock, value: str) -> None:
    for command in (["log", "--goal", "warmup"], ["measure", "--left", "30"]):
        result = hiprot(*command, "--when", value, code=2)
        assert "--when" in result.stderr and "cannot be used as a date" in result.stderr
    assert not hiprot("history", "--format", "json").stdout.strip("[]\n")


def test_row2_today_yesterday_and_days_ago(hiprot, clock) -> None:
    for value in ("today", "yesterday", "3d"):
        hiprot("log", "--goal", "warmup", "--when", value)
    hiprot("measure", "--left", "30", "--when", "2d")
    days = sorted(s["started_at"][:10] for s in hiprot.json("history"))
    assert days == ["2026-11-27", "2026-11-29", "2026-11-30"]
    assert "2026-11-28" in hiprot("measure").stdout


# --- row 4: values SQLite holds but hiprot cannot decode ---------------------------------


def _tamper(sql: str) -> None:
    import sqlite3

    from hiprot.paths import database_path

    db = sqlite3.connect(database_path())
    with db:
        db.execute(sql)
    db.close()


@pytest.mark.parametrize(
    ("sql", "commands", "where"),
    [
        ("update saved_routine set request = '{not json'", [["saved"], ["routine", "--saved", "hips"],
                                                            ["saved", "--format", "csv"]], "saved_routine"),
        ("update saved_routine set request = '[1, 2]'", [["saved", "--format", "json"]], "saved_routine"),
        ("update saved_routine set updated_at = 'last week'", [["saved"]], "saved_routine"),
        ("update session set started_at = 'yesterday-ish'", [["history"], ["history", "--format", "json"],
                                                            ["history", "--format", "csv"]], "session"),
        ("update session set planned_seconds = 'lots'", [["history"], ["history", "--format", "csv"]], "session"),
        ("update session set request = '{'", [["history", "--format", "json"], ["routine", "--saved", "hips"]],
         "session"),
        ("update session_item set sets = 'three'", [["history", "--format", "json"]], "session_item"),
        ("update measurement set taken_on = 'soon'", [["measure"], ["measure", "--left", "20"]], "measurement"),
    ],
)
def test_row4_undecodable_rows_are_damage_named_and_left_alone(hiprot, clock, sql, commands, where) -> None:
    from hiprot.paths import database_path

    hiprot("save", "hips", "--goal", "warmup")
    hiprot("log", "--saved", "hips", "--note", "fine")
    hiprot("measure", "--left", "30")
    _tamper(sql)
    before = database_path().read_bytes()
    for command in commands:
        result = hiprot(*command, code=1)
        assert "cannot be used" in result.stderr and f"of the {where} table" in result.stderr
        assert "left the file exactly as it was" in result.stderr
        assert result.stderr.count("\n") == 1
    assert database_path().read_bytes() == before
