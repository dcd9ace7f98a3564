"""Plans that mix routines (issue 26) and a day with nothing due (issue 27): a plan of two
saved routines on their own days; `go` on a day with nothing due asks, `--yes` records
an extra session; the migration keeps every plan; every view agrees on each routine."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hiprot.cli.app import app
from hiprot.models import Plan, PlanRoutine, SessionRecord
from hiprot.programme import adherence, dated_sessions
from hiprot.store import Store
from hiprot.store import schema as store_schema
from tests.fakes import FakeNow, fake_now

MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, MONDAY)


@pytest.fixture
def fake_session(monkeypatch) -> None:
    """`hiprot go` runs on a fake clock with no keys: a whole session in milliseconds."""
    from tests.fakes import FakeClock, ScriptedKeys

    ticks = FakeClock(1000.0)
    monkeypatch.setattr("hiprot.cli.go.session_input", lambda: (ScriptedKeys(ticks, {}), ticks, False))


@pytest.fixture
def mixed(hiprot, clock):
    hiprot("save", "mobility", "--goal", "warmup")
    hiprot("save", "strength", "--goal", "strength")
    err = hiprot("plan", "new", "--weeks", "4", "--start", "2026-11-30", "--saved", "mobility", "--days",
                 "mon,wed,fri", "--saved", "strength", "--days", "tue,thu").stderr  # fmt: skip
    assert "'mobility' (warmup" in err and "on mon,wed,fri" in err and "'strength' (strength" in err
    assert "on tue,thu" in err and "20 sessions" in err
    return hiprot


# --- the model ------------------------------------------------------------------------------


def _record(n: int, day: date, name: str, *, extra: bool = False, goal: str = "warmup") -> SessionRecord:
    return SessionRecord(n, datetime(day.year, day.month, day.day, 9), goal, name, "completed", 300, 300, None,
                         None, None, {}, (), extra)  # fmt: skip


def test_an_extra_session_fills_the_first_free_session_of_its_week_and_never_goes_over() -> None:
    plan = Plan(1, date(2026, 11, 30), 2, (0, 2), "hips", "warmup", datetime(2026, 11, 30))
    # Tuesday: an extra; Monday was done. It counts for Wednesday's session.
    records = [_record(1, date(2026, 11, 30), "hips"), _record(2, date(2026, 12, 1), "hips", extra=True)]
    sessions = dated_sessions(plan, records, date(2026, 12, 1))
    assert [(s.day.day, s.status, s.extra) for s in sessions[:2]] == [(30, "done", False), (2, "done", True)]
    assert sessions[1].done_on == date(2026, 12, 1)
    # Two more extras that week: nothing left to count for, so adherence stays at 100%.
    records += [_record(3, date(2026, 12, 3), "hips", extra=True), _record(4, date(2026, 12, 4), "hips", extra=True)]
    sessions = dated_sessions(plan, records, date(2026, 12, 5))
    assert adherence(sessions).percent == 100 and adherence(sessions).done == 2
    assert sessions[2].status == "planned"  # next week's are untouched


def test_a_mixed_plan_counts_each_session_for_its_own_routine() -> None:
    parts = (PlanRoutine("a", "warmup", (0, 2)), PlanRoutine("b", "strength", (0, 1)))
    plan = Plan(1, date(2026, 11, 30), 1, (0, 1, 2), "a", "warmup", datetime(2026, 11, 30), None, parts)
    records = [_record(1, date(2026, 11, 30), "b", goal="strength")]
    sessions = dated_sessions(plan, records, date(2026, 12, 1))
    assert [(s.day.day, s.saved_name, s.status) for s in sessions] == [
        (30, "a", "missed"), (30, "b", "done"), (1, "b", "due"), (2, "a", "planned")]  # fmt: skip
    assert adherence(sessions) == (1, 2)


# --- the migration ---------------------------------------------------------------------------


def test_the_migration_keeps_every_plan_and_session(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    db = sqlite3.connect(path, isolation_level=None)
    store_schema._migrate(db, path, 3)
    db.execute("INSERT INTO plan VALUES (1, '2026-01-05', 6, '0,2,4', 'Hips', 'warmup', '2026-01-05T08:00:00',"
               " '2026-02-01T08:00:00')")  # fmt: skip
    db.execute("INSERT INTO plan VALUES (2, '2026-11-30', 4, '1,3', 'strong', 'strength', '2026-11-29T08:00:00',"
               " NULL)")  # fmt: skip
    db.execute("INSERT INTO session (id, started_at, goal, saved_name, status, planned_seconds, done_seconds,"
               " request) VALUES (5, '2026-12-01T08:00:00', 'strength', 'strong', 'completed', 600, 600, '{}')")
    before = db.execute("SELECT * FROM plan ORDER BY id").fetchall()
    db.close()
    with Store.open(path) as store:
        plan = store.active_plan()
        assert plan is not None and plan.routines == (plan.parts[0],)
        assert (plan.id, plan.saved_name, plan.goal, plan.days, plan.weeks) == (2, "strong", "strength", (1, 3), 4)
        (session,) = store.sessions()
        assert session.id == 5 and session.extra is False
    db = sqlite3.connect(path)
    assert db.execute("SELECT * FROM plan ORDER BY id").fetchall() == before
    assert db.execute("SELECT plan_id, position, saved_name, goal, days FROM plan_routine ORDER BY plan_id").fetchall(
    ) == [(1, 0, "Hips", "warmup", "0,2,4"), (2, 0, "strong", "strength", "1,3")]  # fmt: skip
    assert db.execute("PRAGMA user_version").fetchone()[0] == store_schema.SCHEMA_VERSION


def test_a_mixed_plan_is_stored_and_read_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "h.db") as store:
        now = datetime(2026, 11, 30, 8)
        for name in ("a", "b"):
            store.save_routine(name, {"goal": "warmup"}, now)
        made, _ = store.start_plan(date(2026, 11, 30), 4, (0, 2), "a", "warmup", now, more=[("B", "strength", (1,))])
        assert made.days == (0, 1, 2) and made.saved_name == "a"
        assert store.active_plan() == made
        assert made.routines == (PlanRoutine("a", "warmup", (0, 2)), PlanRoutine("b", "strength", (1,)))


# --- the command line -------------------------------------------------------------------------


def test_a_mixed_plan_shows_both_routines_in_every_view(mixed, clock, fake_session) -> None:
    data = mixed.json("plan")
    assert [r["saved_name"] for r in data["routines"]] == ["mobility", "strength"]
    assert [r["days"] for r in data["routines"]] == [["mon", "wed", "fri"], ["tue", "thu"]]
    assert [(s["date"], s["saved_name"]) for s in data["sessions"][:3]] == [
        ("2026-11-30", "mobility"), ("2026-12-01", "strength"), ("2026-12-02", "mobility")]  # fmt: skip
    assert len(data["sessions"]) == 20
    table = mixed("plan").stdout
    assert "mobility (warmup) on mon,wed,fri + strength (strength) on tue,thu" in table.replace("\n", " ")
    assert re.search(r"week  1  mobility\s+▶ Mon 30", table) and re.search(r"\n\s+strength\s+· Tue 01", table)
    assert "Next session of mobility: Mon 2026-11-30" in table and "Next session of strength: Tue 2026-12-01" in table

    today = mixed("today").stdout
    assert "Due today (Mon 2026-11-30, week 1 of 4): mobility (warmup)" in today
    assert "Next: Tue 2026-12-01 (in 1 day), strength," in today

    mixed("go", "--now", "--pain", "1")  # Monday: mobility is due
    clock.days(1)
    mixed("log", "--pain", "2")  # Tuesday: the strength session, logged
    sessions = {s["saved_name"]: s["goal"] for s in mixed.json("history")}
    assert sessions == {"mobility": "warmup", "strength": "strength"}
    clock.days(1)  # Wednesday: mobility is missed
    clock.days(1)  # Thursday
    data = mixed.json("plan")
    assert data["adherence"] == {"done": 2, "due_so_far": 3, "percent": 67}
    assert [r["adherence"]["done"] for r in data["routines"]] == [1, 1]
    assert [r["adherence"]["due_so_far"] for r in data["routines"]] == [2, 1]

    calendar = mixed("plan", "calendar").stdout
    assert calendar.count("BEGIN:VEVENT") == 20
    assert calendar.count("SUMMARY:Hip rotation: mobility") == 12
    assert calendar.count("SUMMARY:Hip rotation: strength") == 8
    assert len(set(re.findall(r"UID:(\S+)", calendar))) == 20

    report = mixed.json("report")
    assert report["plan"]["sessions_per_week"] == 5
    assert [(r["saved_name"], r["adherence"]["percent"]) for r in report["plan"]["routines"]] == [
        ("mobility", 50), ("strength", 100)]  # fmt: skip
    markdown = mixed("report").stdout
    assert "Adherence by routine: 'mobility' 50% (1 of 2); 'strength' 100% (1 of 1)." in markdown
    assert "### mobility" in markdown and "### strength" in markdown

    handout = mixed("plan", "handout").stdout
    assert handout.count("<body>") == 1 and "warm-up routine" in handout and "strength routine" in handout


def test_each_routine_progresses_on_its_own_history(mixed, clock, fake_session) -> None:
    """routine --saved NAME for each routine of the plan gives that routine's plan prescription."""
    data = mixed.json("plan")
    for part in data["routines"]:
        routine = mixed.json("routine", "--saved", part["saved_name"])
        assert routine["total_seconds"] == part["prescription"]["total_seconds"]
        assert [i["id"] for i in routine["items"]] == [i["id"] for i in part["prescription"]["items"]]


def test_days_pair_with_saved_in_order_or_once_for_all(hiprot, clock) -> None:
    hiprot("save", "a", "--goal", "warmup")
    hiprot("save", "b", "--goal", "strength")
    wrong = hiprot("plan", "new", "--saved", "a", "--days", "mon", "--saved", "b", "--days", "tue", "--days", "wed",
                   code=2)  # fmt: skip
    assert "once after each --saved" in wrong.stderr
    assert "once" in hiprot("plan", "new", "--saved", "a", "--saved", "a", code=2).stderr
    assert "--days goes with 'plan new'" in hiprot("plan", "--days", "mon", code=2).stderr
    hiprot("plan", "new", "--saved", "a", "--saved", "b", "--days", "tue,thu")
    data = hiprot.json("plan")
    assert [r["days"] for r in data["routines"]] == [["tue", "thu"], ["tue", "thu"]]
    assert len(data["sessions"]) == 6 * 4
    # an unknown saved routine writes nothing, not even the end of the running plan
    assert hiprot("plan", "new", "--saved", "a", "--saved", "nope", "--force", code=1)
    assert [r["saved_name"] for r in hiprot.json("plan")["routines"]] == ["a", "b"]


def test_the_single_forms_work_as_before(hiprot, clock) -> None:
    hiprot("plan", "new", "--goal", "strength", "--days", "mon,wed,fri")
    data = hiprot.json("plan")
    assert data["days"] == ["mon", "wed", "fri"] and [r["saved_name"] for r in data["routines"]] == ["plan"]
    assert "mobility" not in hiprot("plan").stdout and "Next session: Mon" in hiprot("plan").stdout


# --- a day with nothing due ---------------------------------------------------------------------


def test_go_on_a_day_with_nothing_due_without_a_terminal_exits_naming_yes(mixed, clock, fake_session) -> None:
    clock.days(5)  # Saturday
    result = mixed("go", "--now", code=1)
    assert "Nothing is due today (Sat 2026-12-05)" in result.stderr
    assert "Next: Mon 2026-12-07: mobility (warmup)" in result.stderr and "--yes" in result.stderr
    assert mixed.json("history") == []


def test_go_asks_and_records_an_extra_session_that_plan_shows(mixed, clock, fake_session, monkeypatch) -> None:
    monkeypatch.setattr("hiprot.cli.go.interactive", lambda: True)
    monkeypatch.setattr("hiprot.cli.go._ask_pain", lambda: None)
    clock.days(5)  # Saturday: nothing due; the next is Monday's mobility
    said = mixed.runner.invoke(app, ["go", "--now"], input="n\n")
    assert said.exit_code == 0 and "Do it now as an extra session?" in said.stdout
    assert mixed.json("history") == []
    said = mixed.runner.invoke(app, ["go", "--now"], input="maybe\ny\n")
    assert said.exit_code == 0 and "Answer y or n." in said.stderr
    assert "an extra session: it counts toward this week" in said.stderr
    (session,) = mixed.json("history")
    assert session["extra"] is True and session["saved_name"] == "mobility"
    data = mixed.json("plan")
    counted = [s for s in data["sessions"] if s["session_id"] == session["id"]]
    # Week 1's first mobility session nothing else did: Monday's (it was missed)
    assert counted == [dict(counted[0], date="2026-11-30", extra=True, done_on="2026-12-05", status="done")]
    assert "✓ Mon 30+" in mixed("plan").stdout
    today = mixed.json("today")
    assert [s["session_id"] for s in today["extra_today"]] == [session["id"]]
    assert "Done today: an extra session of mobility" in mixed("today").stdout


def test_go_yes_records_an_extra_without_asking(mixed, clock, fake_session) -> None:
    clock.days(5)
    result = mixed("go", "--now", "--yes", "--pain", "0")
    assert "Doing it now as an extra session (--yes)" in result.stderr
    (session,) = mixed.json("history")
    assert session["extra"] is True
    assert mixed.json("plan")["adherence"]["done"] == 1
    # --yes with routine options is a usage error; a day with something due never asks
    assert "--yes goes with" in mixed("go", "--goal", "warmup", "--yes", code=2).stderr
    clock.days(2)  # Monday: mobility due
    mixed("go", "--now", "--pain", "0")
    assert [s["extra"] for s in mixed.json("history")] == [False, True]


def test_log_on_a_day_with_nothing_due_records_the_next_session_as_extra(mixed, clock) -> None:
    clock.days(5)  # Saturday
    said = mixed("log", "--pain", "1").stderr
    assert "Logged session 1: mobility (warmup)" in said and "as an extra session" in said
    (session,) = mixed.json("history")
    assert session["extra"] is True
    assert mixed.json("plan")["adherence"]["done"] == 1
    clock.days(2)  # Monday: due, so not extra
    mixed("log")
    assert [s["extra"] for s in mixed.json("history")] == [False, True]


def test_an_extra_session_before_the_plans_start_counts_toward_its_first_week(hiprot, clock, fake_session) -> None:
    hiprot("plan", "new", "--weeks", "2", "--days", "wed", "--goal", "warmup", "--start", "2026-12-02")
    result = hiprot("go", "--now", "--yes")  # Monday: the plan starts on Wednesday
    assert "Next: Wed 2026-12-02: plan (warmup)" in result.stderr
    first = hiprot.json("plan")["sessions"][0]
    assert (first["date"], first["status"], first["extra"], first["done_on"]) == (
        "2026-12-02", "done", True, "2026-11-30")  # fmt: skip


def test_an_extra_session_from_before_the_plan_was_made_counts_for_nothing() -> None:
    plan = Plan(1, date(2026, 11, 30), 1, (2,), "hips", "warmup", datetime(2026, 11, 29, 8))
    early = _record(1, date(2026, 11, 28), "hips", extra=True)
    assert adherence(dated_sessions(plan, [early], date(2026, 12, 3))) == (0, 1)
    later = _record(2, date(2026, 11, 29), "hips", extra=True)
    assert adherence(dated_sessions(plan, [early, later], date(2026, 12, 3))) == (1, 1)
