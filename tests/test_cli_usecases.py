"""The command line over the use cases: refusals that write nothing (issue 25 row 12)
and the one format registry deciding what a file gets (issue 25 row 16)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from hiprot.paths import database_path
from tests.fakes import FakeNow, fake_now


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # a Monday


def _count(table: str) -> int:
    with sqlite3.connect(database_path()) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_refused_plan_new_saves_no_routine(hiprot, clock) -> None:
    """Issue 25 row 12: `plan new --goal warmup --name plan2` while a plan runs created
    the saved routine plan2 although the plan itself was refused."""
    hiprot("plan", "new", "--goal", "strength")
    err = hiprot("plan", "new", "--goal", "warmup", "--name", "plan2", code=1).stderr
    assert "plan end" in err and "--force" in err
    assert "plan2" not in hiprot("saved").stdout
    assert _count("saved_routine") == 1 and _count("plan") == 1


def test_plan_new_force_replaces_the_plan_and_its_routine(hiprot, clock) -> None:
    hiprot("plan", "new", "--goal", "strength")
    hiprot("plan", "new", "--goal", "warmup", "--weeks", "4", "--force")
    assert hiprot.json("plan")["weeks"] == 4
    assert _count("plan") == 2 and _count("saved_routine") == 1
