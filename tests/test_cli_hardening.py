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
