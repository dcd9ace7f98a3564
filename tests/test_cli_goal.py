"""hiprot goal: the Patient-Specific Functional Scale on the command line, in the history
database, and in every format of the report."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes import FakeNow, fake_now


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
def rated(hiprot, clock) -> None:
    hiprot("goal", "add", "put on socks standing", "--score", "3")
    hiprot("goal", "add", "get out of the car", "-s", "5")
    clock.days(14)
    hiprot("goal", "score", "1=6", "car=7")


def test_add_score_and_list_with_the_trend(hiprot, rated) -> None:
    out = hiprot("goal").stdout
    assert " 1. put on socks standing: 3 → 6 (latest 2026-11-16)" in out
    assert " 2. get out of the car: 5 → 7 (latest 2026-11-16)" in out
    assert "Average up +2.5 points, from 4.0 to 6.5" in out and "meaningful improvement" in out
    data = hiprot.json("goal")
    assert data["change"] == 2.5 and data["meaningful"] is True and data["direction"] == "better"
    assert data["activities"][0]["ratings"] == [
        {"date": "2026-11-02", "score": 3}, {"date": "2026-11-16", "score": 6}]


def test_rating_the_same_day_again_replaces_it_and_says_so(hiprot, rated) -> None:
    err = hiprot("goal", "score", "1=5").stderr
    assert "replacing that day's earlier rating" in err
    assert [r["score"] for r in hiprot.json("goal")["activities"][0]["ratings"]] == [3, 5]


def test_five_activities_at_most_and_no_duplicates(hiprot, clock) -> None:
    for n in range(5):
        hiprot("goal", "add", f"activity {n}", "--score", "4")
    err = hiprot("goal", "add", "a sixth", "--score", "4", code=1).stderr
    assert "five activities" in err and "hiprot goal remove" in err
    assert "already rate 'activity 1'" in hiprot("goal", "add", "Activity  1", "-s", "2", code=1).stderr
    assert len(hiprot.json("goal")["activities"]) == 5


def test_an_unknown_or_ambiguous_activity_writes_nothing(hiprot, rated) -> None:
    before = hiprot.json("goal")
    assert "No activity 'stairs'" in hiprot("goal", "score", "1=9", "stairs=2", code=1).stderr
    assert "could be any of" in hiprot("goal", "score", "t=2", code=1).stderr
    assert hiprot.json("goal") == before  # the good pair before the bad one was not recorded either


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("goal", "add", "stairs"), "--score"),
        (("goal", "add", "--score", "3"), "name the activity"),
        (("goal", "add", "stairs", "--score", "11"), "0 (unable) to 10"),
        (("goal", "score", "1"), "ACTIVITY=SCORE"),
        (("goal", "score", "1=x"), "not a score"),
        (("goal", "score", "--score", "3"), "--score goes with"),
        (("goal", "remove", "1"), "--yes"),
        (("goal", "list"), "add|score|remove"),
    ],
)
def test_usage_mistakes_say_what_to_do(hiprot, rated, args: tuple[str, ...], hint: str) -> None:
    assert hint in hiprot(*args, code=2).stderr


def test_score_without_pairs_and_without_a_terminal_asks_for_them(hiprot, rated) -> None:
    assert "hiprot goal score 1=5" in hiprot("goal", "score", code=2).stderr


def test_remove_keeps_the_ratings_and_frees_a_place(hiprot, rated, clock) -> None:
    clock.days(1)
    assert "Stopped rating activity 2" in hiprot("goal", "remove", "car", "--yes").stderr
    data = hiprot.json("goal")
    assert data["activities"][1]["removed_on"] == "2026-11-17" and len(data["activities"][1]["ratings"]) == 2
    assert "not rated since 2026-11-17" in hiprot("goal").stdout
    assert "No activity 'car'" in hiprot("goal", "score", "car=3", code=1).stderr
    hiprot("goal", "add", "get out of the car", "--score", "7")  # the name is free again


def test_scores_are_kept_in_the_history_database_in_one_table_each(hiprot, rated, tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "xdg_data_home" / "hiprot" / "hiprot.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 4
    assert db.execute("SELECT count(*) FROM psfs_rating").fetchone()[0] == 4


def test_the_report_shows_the_goals_in_every_format(hiprot, rated) -> None:
    markdown = hiprot("report").stdout
    assert "## Goals that matter to you (PSFS)" in markdown and "| put on socks standing | 3 | 6 | +3 | 2 |" in markdown
    assert "- Goals that matter to you (PSFS): Average up +2.5 points" in markdown  # in the summary at the top
    data = hiprot.json("report")
    assert data["psfs"]["change"] == 2.5 and len(data["psfs"]["activities"]) == 2
    page = hiprot("report", "--format", "html").stdout
    assert 'class="psfs"' in page and "put on socks standing" in page and "meaningful improvement" in page


def test_without_goals_the_report_has_no_goal_section(hiprot, clock) -> None:
    assert "PSFS" not in hiprot("report").stdout
    assert hiprot.json("report")["psfs"] == {"activities": [], "averages": [], "first_average": None,
                                              "latest_average": None, "change": None, "meaningful": False,
                                              "direction": None}  # fmt: skip


def test_names_from_another_program_are_shown_as_visible_escapes(hiprot, rated, tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "xdg_data_home" / "hiprot" / "hiprot.db")
    with db:
        db.execute("UPDATE psfs_activity SET name = 'socks\x1b[2J' WHERE id = 1")
    result = hiprot("goal", code=1)  # a name hiprot would never write: the row cannot be read
    assert "\x1b" not in result.stdout + result.stderr
