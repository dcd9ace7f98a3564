"""The history's use cases: the sessions of the last weeks as `history` shows them,
next-day pain, and taking a session back. No wording, no Typer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from hiprot.errors import NoSessionError, NoSuchRecord, SessionGone

if TYPE_CHECKING:
    from hiprot.models import Measurement, SessionRecord
    from hiprot.programme import Adherence, Week


class HistoryView(NamedTuple):
    """What `history` shows: the window's sessions (newest first), the readings when
    asked, sessions per week, the streak in weeks, and the plan's adherence and weeks
    when a plan runs (None and () without one: the streak then counts weeks with two
    sessions or more)."""

    records: list[SessionRecord]
    readings: list[Measurement] | None
    counts: list[tuple[date, int]]
    streak: int
    adherence: Adherence | None
    plan_weeks: list[Week]


def window_start(today: date, weeks: int) -> date:
    """The Monday `weeks - 1` weeks before this week's: the first day a window of `weeks` shows."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


def history_view(
    today: date, weeks: int, *, full: bool = False, measurements: bool = False, summary: bool = True
) -> HistoryView:
    """The history over the last `weeks` weeks. `full` reads each session's items too;
    `measurements` adds the self-test readings; `summary` adds the counts per week and
    the streak (against the plan when one runs)."""
    from hiprot.practice import open_store
    from hiprot.programme import adherence, dated_sessions, plan_streak, weekly_streak
    from hiprot.programme import weeks as plan_weeks
    from hiprot.store import weekly_counts

    with open_store() as store:
        records = store.sessions(since=window_start(today, weeks), full=full)
        readings = store.measurements() if measurements else None
        if not summary:
            return HistoryView(records, readings, [], 0, None, [])
        days = store.session_days()
        running = store.active_plan()
        planned = (
            dated_sessions(running, store.sessions(since=running.start, full=False), today)
            if running is not None else None
        )  # fmt: skip
    counts = weekly_counts(days, today, weeks)
    if running is None or planned is None:
        return HistoryView(records, readings, counts, weekly_streak(days, today), None, [])
    return HistoryView(records, readings, counts, plan_streak(running, planned, today), adherence(planned),
                       plan_weeks(running, planned))  # fmt: skip


def delete_session(session_id: int) -> None:
    """Remove one session (NoSuchRecord if there is none with that id)."""
    from hiprot.practice import open_store

    with open_store() as store:
        if not store.delete_session(session_id):
            raise NoSuchRecord("session", session_id)


def latest_session() -> SessionRecord:
    """The session recorded last (NoSessionError when the history is empty)."""
    from hiprot.practice import open_store

    with open_store() as store:
        newest = store.latest_session()
    if newest is None:
        raise NoSessionError("undo")
    return newest


def undo(session: SessionRecord) -> None:
    """Remove `session`, the one `latest_session` named (SessionGone if another process did first)."""
    from hiprot.practice import open_store

    assert session.id is not None
    with open_store() as store:
        if not store.delete_session(session.id):
            raise SessionGone(session.id)


def record_next_day(pain: int, session_id: int | None = None) -> int:
    """Record the pain the day after a session (the latest when `session_id` is None);
    the session's id. NoSessionError with an empty history, NoSuchRecord for an unknown id."""
    from hiprot.practice import open_store

    with open_store() as store:
        if session_id is None:
            latest = store.sessions(limit=1, full=False)
            if not latest:
                raise NoSessionError("next-day")
            session_id = latest[0].id
        assert session_id is not None
        if not store.set_pain_next_day(session_id, pain):
            raise NoSuchRecord("session", session_id)
    return session_id


class MorningAfter(NamedTuple):
    """Yesterday's counted sessions, and the one still waiting for its next-day pain."""

    yesterday: list[SessionRecord]
    asking: SessionRecord | None


def morning_after(today: date) -> MorningAfter:
    """Yesterday's counted sessions and the first without its next-day pain."""
    from hiprot.practice import open_store

    day = today - timedelta(days=1)
    with open_store() as store:
        yesterday = [s for s in store.sessions(since=day, full=False) if s.day == day and s.counted]
    return MorningAfter(yesterday, next((s for s in yesterday if s.pain_next_day is None), None))


def record_morning_after(today: date, pain: int) -> int:
    """This morning's pain for yesterday's session (the one still asking, else the last);
    its id. NoSessionError when there was no session yesterday."""
    found = morning_after(today)
    if not found.yesterday:
        raise NoSessionError("yesterday")
    target = found.asking or found.yesterday[-1]
    assert target.id is not None
    return record_next_day(pain, target.id)
