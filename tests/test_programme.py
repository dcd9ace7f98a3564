"""programme.py: a plan's dated sessions, adherence, weekly streaks and the dose by week. Pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.models import Goal, Plan, Request, SessionRecord
from hiprot.planner import build_routine
from hiprot.programme import (
    WEEKLY_GROWTH,
    adherence,
    dated_sessions,
    is_abandoned,
    last_day,
    limit_growth,
    next_session,
    parse_days,
    plan_days,
    plan_streak,
    project,
    week_of,
    weekly_streak,
    work_seconds,
)

MONDAY = date(2026, 11, 30)


def plan(weeks: int = 6, days: tuple[int, ...] = (0, 2, 4), start: date = MONDAY) -> Plan:
    return Plan(1, start, weeks, days, "hips", "strength", datetime(2026, 11, 29, 9, tzinfo=UTC))


def session(day: date, sid: int, goal: str = "strength", status: str = "logged", saved: str | None = None,
            done: int = 600) -> SessionRecord:  # fmt: skip
    return SessionRecord(sid, datetime.combine(day, datetime.min.time()).replace(hour=8, tzinfo=UTC), goal, saved,
                         status, 600, done, None, None, None, {})  # fmt: skip


def test_six_weeks_on_mon_wed_fri_is_18_sessions_on_those_days() -> None:
    days = plan_days(plan())
    assert len(days) == 18
    assert {d.weekday() for d, _ in days} == {0, 2, 4}
    assert [w for _, w in days] == [n for n in range(1, 7) for _ in range(3)]
    assert last_day(plan()) == date(2027, 1, 10)


def test_a_plan_starting_midweek_still_has_weeks_times_days_sessions() -> None:
    wednesday = plan(start=date(2026, 12, 2), weeks=4)
    days = plan_days(wednesday)
    assert len(days) == 12 and days[0] == (date(2026, 12, 2), 1) and days[2] == (date(2026, 12, 7), 1)
    assert days[3] == (date(2026, 12, 9), 2)


def test_statuses_done_missed_due_planned_and_adherence() -> None:
    p = plan()
    records = [
        session(MONDAY, 1),  # week 1 Monday: done
        session(MONDAY + timedelta(days=2), 2, goal="warmup"),  # another goal: not the plan's
        session(MONDAY + timedelta(days=7), 3, goal="warmup", saved="HIPS"),  # the plan's saved routine, any case
        session(MONDAY + timedelta(days=4), 4, status="abandoned"),  # abandoned never counts
    ]
    today = MONDAY + timedelta(days=9)  # Wednesday of week 2
    found = dated_sessions(p, records, today, {1: 600, 2: 660})
    by_day = {s.day: s for s in found}
    assert by_day[MONDAY].status == "done" and by_day[MONDAY].session_id == 1
    assert by_day[MONDAY + timedelta(days=2)].status == "missed"
    assert by_day[MONDAY + timedelta(days=4)].status == "missed"
    assert by_day[MONDAY + timedelta(days=7)].status == "done"
    assert by_day[today].status == "due" and by_day[today].minutes == 11
    assert by_day[today + timedelta(days=2)].status == "planned"
    done = adherence(found)
    assert (done.done, done.due_so_far, done.percent) == (2, 4, 50)
    assert next_session(found, today) == by_day[today]
    assert next_session(found, today + timedelta(days=1)).day == today + timedelta(days=2)


def test_two_sessions_on_one_planned_day_count_once() -> None:
    found = dated_sessions(plan(), [session(MONDAY, 1), session(MONDAY, 2)], MONDAY + timedelta(days=1))
    assert adherence(found).done == 1


def test_adherence_is_none_before_anything_is_due() -> None:
    found = dated_sessions(plan(), [], MONDAY)
    assert adherence(found).percent is None and found[0].status == "due"


def test_streak_counts_whole_weeks_on_plan_and_this_week_does_not_break_it() -> None:
    p = plan()
    week1 = [session(MONDAY + timedelta(days=d), n) for n, d in enumerate((0, 2, 4), 1)]
    week2 = [session(MONDAY + timedelta(days=d), n) for n, d in enumerate((7, 9, 11), 10)]
    wednesday3 = MONDAY + timedelta(days=16)
    found = dated_sessions(p, week1 + week2, wednesday3)
    assert plan_streak(p, found, wednesday3) == 2  # week 3 is not over: the streak stands
    found = dated_sessions(p, week1 + week2[:2], wednesday3)
    assert plan_streak(p, found, wednesday3) == 0  # week 2 missed a session
    assert plan_streak(p, found, MONDAY - timedelta(days=1)) == 0  # before the plan


def test_without_a_plan_a_week_with_two_sessions_keeps_the_streak() -> None:
    thursday = date(2026, 11, 26)
    days = [thursday - timedelta(weeks=w, days=d) for w in (1, 2, 3) for d in (0, 2)] + [thursday - timedelta(weeks=5)]
    assert weekly_streak(days, thursday) == 3  # this week has none yet: it does not break the streak
    assert weekly_streak(days + [thursday, thursday], thursday) == 4
    assert weekly_streak([thursday - timedelta(weeks=1)], thursday) == 0  # one a week is not enough


@pytest.mark.parametrize(
    ("status", "planned", "done", "abandoned"),
    [("partial", 600, 59, True), ("partial", 600, 119, True), ("partial", 600, 120, False),
     ("partial", 200, 60, False), ("completed", 45, 45, False), ("logged", 600, 0, False)],
)  # fmt: skip
def test_abandoned_is_under_a_minute_of_work_or_under_a_fifth(status, planned, done, abandoned) -> None:
    assert is_abandoned(status, planned, done) is abandoned


def test_days_of_the_week_in_words() -> None:
    assert parse_days("mon,wed,fri") == (0, 2, 4)
    assert parse_days("Friday, monday") == (0, 4)
    for bad in ("", "mo", "funday", "t"):
        with pytest.raises(ValueError):
            parse_days(bad)


def test_week_of() -> None:
    p = plan()
    assert [week_of(p, MONDAY + timedelta(days=d)) for d in (-1, 0, 6, 7, 41, 42)] == [0, 1, 1, 2, 6, 7]


def test_limit_growth_holds_the_biggest_step_back_and_says_why(bundled) -> None:
    routine = build_routine(bundled, Request(Goal.STRENGTH))
    before = routine.items
    grown = tuple(i._replace(dosage=i.dosage._replace(sets=i.dosage.sets + 1)) for i in before)
    limited = limit_growth(before, grown, WEEKLY_GROWTH, "because")
    assert work_seconds(limited.items) <= work_seconds(before) * 1.1
    assert limited.held and all("because" in note and "stays at" in note for note in limited.notes)
    smaller = tuple(i._replace(dosage=i.dosage._replace(sets=1)) for i in before)
    assert limit_growth(before, smaller, 0.0, "x").items == smaller  # a step down is never undone


@settings(max_examples=25, deadline=None)
@given(weeks=st.integers(2, 12), days=st.sets(st.integers(0, 6), min_size=1, max_size=7),
       goal=st.sampled_from(list(Goal)))  # fmt: skip
def test_projection_grows_at_most_ten_percent_a_week_and_the_last_week_holds(bundled, weeks, days, goal) -> None:
    p = plan(weeks=weeks, days=tuple(sorted(days)))
    routine = build_routine(bundled, Request(goal))
    doses = project(p, {1: routine.items}, bundled.by_id)
    assert [d.week for d in doses] == list(range(1, weeks + 1))
    for before, after in zip(doses, doses[1:]):
        assert after.work_seconds <= before.work_seconds * (1 + WEEKLY_GROWTH) + 1e-9
        assert (after.projected and after.notes) or after.items == before.items
    assert doses[-1].items == doses[-2].items and "consolidates" in doses[-1].notes[0]
    for dose in doses:  # never above the catalogue's ranges
        for item in dose.items:
            d = item.exercise.dosage
            assert item.dosage.sets <= max(d.sets.high, 1)


def test_hold_steps_up_keeps_steps_down_and_new_exercises(bundled) -> None:
    from hiprot.programme import hold_steps_up

    before = build_routine(bundled, Request(Goal.STRENGTH)).items
    up = before[0]._replace(dosage=before[0].dosage._replace(sets=before[0].dosage.sets + 1))
    down = before[1]._replace(dosage=before[1].dosage._replace(sets=1))
    held = hold_steps_up(before, (up, down, *before[2:]), "wait")
    assert held.items == (before[0], down, *before[2:])
    assert held.held == (before[0].exercise.id,) and held.notes[0].endswith(": wait")


@settings(max_examples=60, deadline=None)
@given(
    weeks=st.integers(1, 8),
    days=st.sets(st.integers(0, 6), min_size=1, max_size=7),
    offsets=st.lists(st.tuples(st.integers(-10, 70), st.sampled_from(["logged", "completed", "abandoned"])),
                     max_size=40),
    today=st.integers(-5, 70),
)  # fmt: skip
def test_every_planned_day_once_each_session_at_most_once(weeks, days, offsets, today) -> None:
    p = plan(weeks=weeks, days=tuple(sorted(days)))
    records = [session(MONDAY + timedelta(days=d), n, status=s) for n, (d, s) in enumerate(offsets, 1)]
    day = MONDAY + timedelta(days=today)
    found = dated_sessions(p, records, day)
    assert len(found) == weeks * len(days) and len({s.day for s in found}) == len(found)
    ids = [s.session_id for s in found if s.session_id is not None]
    assert len(ids) == len(set(ids))
    abandoned = {n for n, (_, s) in enumerate(offsets, 1) if s == "abandoned"}
    assert not abandoned & set(ids)
    for s in found:
        assert (s.status == "done") == (s.session_id is not None)
        if s.status != "done":
            assert s.status == ("missed" if s.day < day else "due" if s.day == day else "planned")
    done = adherence(found)
    assert 0 <= done.done <= done.due_so_far <= len(found)
    assert plan_streak(p, found, day) <= weeks
