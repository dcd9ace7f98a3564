"""The use cases in `hiprot.practice`, called directly (no CLI): recording, the history
view, next-day pain, saved routines, readings, backup and plans (one transaction)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hiprot.errors import (
    BackupExists,
    NoSessionError,
    NoSuchRecord,
    PlanExists,
    SavedRoutineExists,
    SessionGone,
    UnknownSavedRoutine,
)
from hiprot.models import Goal, Request
from hiprot.paths import database_path
from hiprot.practice import Recorded, build, history, measure, plans, record, saved
from hiprot.practice import backup as backups
from hiprot.practice.report import report_records

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday
WARMUP = Request(Goal.WARMUP)


def _routine(request: Request = WARMUP):
    routine, _ = build(None, request, None, profile=None, today=NOW.date())
    return routine


def _rows(table: str) -> int:
    with sqlite3.connect(database_path()) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- record ------------------------------------------------------------------------------------


def test_record_returns_the_id_and_the_status_it_stored() -> None:
    routine = _routine()
    done = record(routine, None, "completed", NOW, pain=2)
    assert done == Recorded(done.id, "completed") and done.id > 0
    # Stopped after a few seconds: stored as abandoned, and the caller is told so.
    early = record(routine, None, "partial", NOW + timedelta(hours=1), done={i: ("skipped", 1) for i in
                                                                                 range(len(routine.items))})
    assert early.status == "abandoned"
    assert [s.status for s in history.history_view(NOW.date(), 1).records] == ["abandoned", "completed"]


def test_a_partial_session_in_pain_is_never_abandoned() -> None:
    routine = _routine()
    stopped = record(routine, None, "partial", NOW, pain=7, done={i: ("skipped", 0) for i in range(len(routine.items))})
    assert stopped.status == "partial"


# --- history -----------------------------------------------------------------------------------


def test_history_view_counts_weeks_and_streak_without_a_plan() -> None:
    routine = _routine()
    for days in (0, 2, 7, 9):  # two sessions in each of two weeks
        record(routine, None, "logged", NOW - timedelta(days=days))
    view = history.history_view(NOW.date(), 4)
    assert len(view.records) == 4 and view.adherence is None and view.plan_weeks == []
    assert [n for _, n in view.counts] == [0, 1, 2, 1]  # Monday-based weeks, oldest first
    assert view.streak == 1  # last week had two; this week's one session does not break it yet
    assert view.readings is None
    bare = history.history_view(NOW.date(), 4, summary=False)
    assert bare.counts == [] and bare.records == view.records


def test_history_view_follows_the_plan_when_one_runs() -> None:
    plans.new_plan(_routine(), WARMUP, None, start=NOW.date() - timedelta(days=7), weeks=4, days=(0, 2, 4),
                   name="plan", now=NOW)  # fmt: skip
    record(_routine(), "plan", "logged", NOW - timedelta(days=7))
    view = history.history_view(NOW.date(), 2)
    assert view.adherence is not None and view.adherence.done == 1 and view.adherence.due_so_far == 3
    assert [w.week for w in view.plan_weeks] == [1, 2, 3, 4]


def test_delete_and_undo_name_what_is_missing() -> None:
    with pytest.raises(NoSessionError):
        history.latest_session()
    first = record(_routine(), None, "logged", NOW).id
    with pytest.raises(NoSuchRecord, match="No session with id 99"):
        history.delete_session(99)
    newest = history.latest_session()
    assert newest.id == first
    history.undo(newest)
    with pytest.raises(SessionGone):
        history.undo(newest)  # gone already: nothing else is removed
    assert _rows("session") == 0


def test_next_day_pain_goes_to_the_latest_or_the_named_session() -> None:
    with pytest.raises(NoSessionError):
        history.record_next_day(3)
    one = record(_routine(), None, "logged", NOW - timedelta(days=2)).id
    two = record(_routine(), None, "logged", NOW - timedelta(days=1)).id
    assert history.record_next_day(3) == two
    assert history.record_next_day(1, one) == one
    with pytest.raises(NoSuchRecord):
        history.record_next_day(1, 99)
    pains = {s.id: s.pain_next_day for s in history.history_view(NOW.date(), 2).records}
    assert pains == {one: 1, two: 3}


def test_the_morning_after_asks_for_yesterdays_session_only() -> None:
    with pytest.raises(NoSessionError):
        history.record_morning_after(NOW.date(), 2)
    old = record(_routine(), None, "logged", NOW - timedelta(days=3)).id
    yesterday = record(_routine(), None, "logged", NOW - timedelta(days=1)).id
    found = history.morning_after(NOW.date())
    assert [s.id for s in found.yesterday] == [yesterday] and found.asking is not None
    assert history.record_morning_after(NOW.date(), 2) == yesterday
    assert history.morning_after(NOW.date()).asking is None
    assert old != yesterday


# --- saved routines, readings, backup ----------------------------------------------------------


def test_saved_routines_save_list_and_delete() -> None:
    saved.save("Hips", WARMUP, NOW)
    with pytest.raises(SavedRoutineExists):
        saved.save("hips", WARMUP, NOW)
    saved.save("hips", Request(Goal.STRENGTH), NOW, replace=True)
    assert [(r.name, r.request["goal"]) for r in saved.saved_routines()] == [("hips", "strength")]
    assert saved.delete("HIPS") == "hips"
    with pytest.raises(UnknownSavedRoutine):
        saved.delete("hips")


def test_readings_record_list_and_delete() -> None:
    readings = measure.record(date(2026, 11, 29), {"left": 28.0, "right": 35.5})
    assert [(m.side, m.degrees) for m in readings] == [("left", 28.0), ("right", 35.5)]
    measure.delete(readings[0].id)
    assert [m.side for m in measure.readings()] == ["right"]
    with pytest.raises(NoSuchRecord, match="No reading with id"):
        measure.delete(readings[0].id)


def test_backup_copies_the_history_and_refuses_to_replace(tmp_path: Path) -> None:
    record(_routine(), None, "logged", NOW)
    target = tmp_path / "copy.db"
    assert backups.backup(target) == database_path()
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 1
    with pytest.raises(BackupExists):
        backups.backup(target)
    backups.backup(target, replace=True)


def test_report_records_reads_sessions_readings_and_names() -> None:
    saved.save("hips", WARMUP, NOW)
    record(_routine(), "hips", "logged", NOW)
    measure.record(NOW.date(), {"left": 30.0})
    found = report_records()
    assert (len(found.sessions), len(found.readings), found.saved_names) == (1, 1, ["hips"])


# --- plans: one transaction --------------------------------------------------------------------


def _new(name: str = "plan", *, replace: bool = False, saved_name: str | None = None) -> plans.NewPlan:
    request = None if saved_name is not None else WARMUP
    return plans.new_plan(_routine(), request, saved_name, start=NOW.date(), weeks=6, days=(0, 2, 4), name=name,
                          now=NOW, replace=replace)  # fmt: skip


def test_new_plan_saves_its_routine_and_starts() -> None:
    made = _new()
    assert made.saved_name == "plan" and made.plan.weeks == 6 and made.plan.days == (0, 2, 4)
    assert [r.name for r in saved.saved_routines()] == ["plan"]
    found = plans.plan_prescription(None, NOW.date(), None)
    assert found is not None and found[1] == "plan" and found[0].items


def test_a_refused_plan_new_writes_nothing() -> None:
    """Issue 25 row 12: with a plan running, `plan new --name plan2` used to save plan2 anyway."""
    _new()
    with pytest.raises(PlanExists):
        _new("plan2")
    assert [r.name for r in saved.saved_routines()] == ["plan"]
    assert _rows("plan") == 1


def test_plan_new_with_an_unknown_saved_routine_writes_nothing() -> None:
    with pytest.raises(UnknownSavedRoutine):
        _new(saved_name="nothing")
    assert _rows("plan") == 0 and _rows("saved_routine") == 0


def test_plan_new_replace_is_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 25 row 12: a crash between ending the old plan and adding the new one (a kill
    of `plan new --force`) leaves the old plan running and no new routine saved."""
    first = _new()
    from hiprot.store import Store

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed between the writes")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(Store, "_insert_plan", crash)
        _new("plan2", replace=True)
    from hiprot.practice import active_plan

    running = active_plan()
    assert running is not None and running.id == first.plan.id and running.ended_at is None
    assert [r.name for r in saved.saved_routines()] == ["plan"]
    replaced = _new("plan2", replace=True)  # and without the crash, all of it lands
    assert active_plan() == replaced.plan and _rows("plan") == 2


def test_end_plan_and_plan_routine_without_a_plan() -> None:
    assert plans.end_plan(NOW) is None
    assert plans.plan_prescription(None, NOW.date(), None) is None
    made = _new()
    ended = plans.end_plan(NOW)
    assert ended is not None and ended.id == made.plan.id and ended.ended_at == NOW


# --- pain advice -------------------------------------------------------------------------------


def test_advice_looks_at_the_session_before_only_when_this_one_hurts() -> None:
    from hiprot.practice import advice
    from hiprot.progression import sharp_pain

    first = record(_routine(), None, "logged", NOW - timedelta(days=2), pain=7).id
    second = record(_routine(), None, "logged", NOW - timedelta(days=1), pain=6).id
    assert advice(2, second) == []
    assert any("two sessions in a row at pain 6 or more" in line for line in advice(6, second))
    assert not any("two sessions in a row" in line for line in advice(6, first))  # nothing before it
    assert any(line.startswith("Sharp pain") for line in advice(None, second, sharp=True))
    assert (sharp_pain(None), sharp_pain(3), sharp_pain(9)) == (8, 8, 9)
