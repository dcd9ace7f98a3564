"""The history database: sessions, pain, notes, saved routines and hip-rotation readings.

One SQLite file (stdlib `sqlite3`), normally `paths.database_path()`. This package owns
its schema and migrations (`schema.py`), every query (`Store`, here) and the checking and
decoding of rows (`rows.py`); it imports only the standard library (and hiprot's errors,
limits and records), so opening the history costs little more than importing `sqlite3`.

Safety of the user's data
    * Before SQLite ever sees an existing file, its first 100 bytes are read: a file that
      is not SQLite, a SQLite file from another program, or one whose schema version is
      newer than this hiprot knows, raises a `StoreError` and is never opened for writing.
    * Then, still before any write, SQLite reads the schema version again (a truncated
      or damaged header fails here), and before the first write of an open `Store` (a
      migration included) `PRAGMA quick_check` runs: a failure is `CorruptDatabaseError`
      and nothing is written. Reading never pays for the check (about 9 ms on ten years
      of daily sessions), so `hiprot history` stays cheap; a read that meets a damaged
      page raises `CorruptDatabaseError` too.
    * hiprot never deletes, truncates, vacuums or "repairs" the file. A bad file is left
      byte for byte as it was; the message says so and the user decides what to do.
    * Every write is one `BEGIN IMMEDIATE` transaction (a session and its items, a
      migration and its version bump), so a crash leaves either all of it or none.
    * WAL journal and a 10 s busy timeout, so several hiprot processes can log at once.
    * Any `sqlite3.Error` or `OSError` surfaces as a `StoreError` naming the file.

Conventions
    * Times are stored as ISO-8601 text exactly as given (`datetime.isoformat()`); the
      store never asks the clock: callers pass `started_at`, `now`, `taken_on`.
    * A session's `request` (and a saved routine's) is the plain dict of
      `Request.to_dict()`, stored as JSON; the store does not interpret it.
    * Saved-routine names are compared without regard to (ASCII) case.
    * Messages never name a command-line flag: the CLI adds those words.
"""


from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from hiprot.errors import (  # the store's errors live with the others; re-exported here
    ActivityExists,
    ActivityLimit,
    BackupExists,
    BadName,
    CorruptDatabaseError,
    DamagedRowError,
    DatabaseAccessError,
    DatabaseLockedError,
    InvalidValue,
    NewerDatabaseError,
    PlanExists,
    SavedRoutineExists,
    StoreError,
    UnknownActivity,
    UnknownSavedRoutine,
)
from hiprot.limits import DEGREES_MAX, DEGREES_MIN
from hiprot.models import Measurement, Plan, SavedRoutine, SessionItem, SessionRecord
from hiprot.store.rows import (
    _ACTIVITY_COLUMNS,
    _PLAN_COLUMNS,
    _activity,
    _apart,
    _check_pain,
    _checked_text,
    _day,
    _decoded,
    _is_rowid,
    _item,
    _json,
    _measurement,
    _plan,
    _plan_fields,
    _rating,
    _saved,
    _session,
    _session_row,
    clean_name,
)

if TYPE_CHECKING:
    from hiprot.psfs import Activity, Rating

from hiprot.store.schema import (
    BUSY_TIMEOUT_S,
    SCHEMA_VERSION,
    SIDES,
    _migrate,
    _precheck,
    _quick_check,
    _read_version,
    _store_error,
    _use_wal,
)

__all__ = [
    "SCHEMA_VERSION",
    "BackupExists",
    "BadName",
    "CorruptDatabaseError",
    "DamagedRowError",
    "DatabaseAccessError",
    "DatabaseLockedError",
    "InvalidValue",
    "NewerDatabaseError",
    "PlanExists",
    "SavedRoutineExists",
    "Store",
    "StoreError",
    "UnknownSavedRoutine",
    "clean_name",
    "streak",
    "weekly_counts",
]

_SESSION_COLUMNS = (
    "s.id, s.started_at, s.goal, s.saved_name, s.status, s.planned_seconds, s.done_seconds, "
    "p.during, p.next_day, n.text, s.request"
)
_SESSION_FROM = "session s LEFT JOIN pain p ON p.session_id = s.id LEFT JOIN note n ON n.session_id = s.id"
_ITEM_COLUMNS = (
    "session_id, position, exercise_id, name, status, planned_seconds, done_seconds, sets, reps, hold_s, per_side"
)



# --- the store -------------------------------------------------------------------------


class Store:
    """An open history database. Use `Store.open(path)`, as a context manager or with `close()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, checked: bool = False) -> None:
        self._db = connection
        self.path = path
        self._checked = checked  # quick_check passed (or this process created the file)

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating the folder and file if missing) and migrate the database at `path`.

        Raises CorruptDatabaseError, NewerDatabaseError, DatabaseLockedError or
        DatabaseAccessError; in each case an existing file is left unchanged.
        """
        path = Path(path)
        existing = _precheck(path)
        try:
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise _store_error(path, error) from None
        try:
            version = _read_version(db, path) if existing else 0
            if existing and version < SCHEMA_VERSION:
                _quick_check(db, path)  # never migrate a damaged file
            _use_wal(db, path)
            _migrate(db, path, SCHEMA_VERSION)
            # After migrating: a migration that rebuilds a table must not cascade deletes.
            db.execute("PRAGMA foreign_keys = ON")
        except BaseException as error:
            db.close()
            if isinstance(error, sqlite3.Error):
                raise _store_error(path, error) from None
            raise
        return cls(db, path, checked=not existing or version < SCHEMA_VERSION)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self) -> None:
        """Run SQLite's quick_check over the whole file; CorruptDatabaseError if it finds damage."""
        with self._guard():
            _quick_check(self._db, self.path)
        self._checked = True

    @property
    def version(self) -> int:
        """The schema version of the open database."""
        with self._guard():
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- plumbing -----------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn any sqlite3.Error or OSError into a StoreError that names the file."""
        try:
            yield
        except sqlite3.Error as error:
            raise _store_error(self.path, error) from None
        except OSError as error:
            raise DatabaseAccessError(self.path, error.strerror or str(error)) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: everything inside lands, or nothing does."""
        if not self._checked:
            self.check()  # never write into a damaged file
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            finally:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")

    # -- sessions -----------------------------------------------------------------------

    def add_session(self, record: SessionRecord) -> int:
        """Store a session with its items, pain and note in one transaction; return its id."""
        return self.add_sessions([record])[0]

    def add_sessions(self, records: Iterable[SessionRecord]) -> list[int]:
        """Store many sessions in ONE transaction (imports, benchmarks); return their ids."""
        rows = [_session_row(record) for record in records]
        ids: list[int] = []
        with self._write() as db:
            for session, pain, note, items in rows:
                cursor = db.execute(
                    "INSERT INTO session (started_at, goal, saved_name, status, planned_seconds,"
                    " done_seconds, request) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    session,
                )
                session_id = cursor.lastrowid
                assert session_id is not None
                ids.append(session_id)
                if pain != (None, None):
                    db.execute("INSERT INTO pain (session_id, during, next_day) VALUES (?, ?, ?)", (session_id, *pain))
                if note is not None:
                    db.execute("INSERT INTO note (session_id, text) VALUES (?, ?)", (session_id, note))
                db.executemany(
                    f"INSERT INTO session_item ({_ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(session_id, *item) for item in items],
                )
        return ids

    def sessions(
        self, since: date | None = None, limit: int | None = None, full: bool = True
    ) -> list[SessionRecord]:
        """Sessions started on or after the day `since` (all if None), newest first, at most `limit`.

        `full=False` gives summaries: every record's `items` is () and its `request` {}.
        A history table needs neither, and on ten years of sessions they are most of the
        cost (about 70 ms in full, 13 ms as summaries, for 3,650 sessions).
        """
        where, params = ("WHERE s.started_at >= ?", [since.isoformat()]) if since is not None else ("", [])
        return self._select_sessions(where, params, "DESC", limit, full)

    def session(self, session_id: int) -> SessionRecord | None:
        """One session by id, or None if there is none."""
        if not _is_rowid(session_id):
            return None
        found = self._select_sessions("WHERE s.id = ?", [session_id], "DESC", None, True)
        return found[0] if found else None

    def sessions_for_saved(self, name: str, limit: int | None = None) -> list[SessionRecord]:
        """The last `limit` counted sessions (all if None) of a saved routine, OLDEST FIRST.

        Oldest first because that is the order progression replays them in; abandoned
        sessions play no part in it. The name is matched without regard to case; the
        saved routine need not exist any more.
        """
        name = clean_name(name)
        where = "WHERE s.saved_name = ? AND s.status != 'abandoned'"
        return self._select_sessions(where, [name], "DESC", limit, True)[::-1]

    def sessions_near(self, moment: datetime, within: timedelta) -> list[SessionRecord]:
        """Every session started within `within` of `moment` (either side), newest first."""
        low = (moment - within - timedelta(days=1)).date().isoformat()  # text bounds, widened for time zones
        high = (moment + within + timedelta(days=2)).date().isoformat()
        found = self._select_sessions("WHERE s.started_at >= ? AND s.started_at < ?", [low, high], "DESC", None, True)
        return [r for r in found if _apart(r.started_at, moment) <= within]

    def latest_session(self) -> SessionRecord | None:
        """The session added last (the highest id), or None in an empty history."""
        with self._guard():
            row = self._db.execute("SELECT max(id) FROM session").fetchone()
        return self.session(row[0]) if row and row[0] is not None else None

    def session_days(self, since: date | None = None) -> list[date]:
        """The day of every counted session (one entry per session; abandoned ones are
        left out), oldest first: for streaks and charts."""
        where, params = ("AND started_at >= ?", (since.isoformat(),)) if since is not None else ("", ())
        where = "WHERE status != 'abandoned' " + where
        with self._guard():
            query = f"SELECT substr(started_at, 1, 10) FROM session {where} ORDER BY started_at"
            rows = self._db.execute(query, params).fetchall()
        return [_decoded(self.path, "session", "", _day, row[0]) for row in rows]

    def delete_session(self, session_id: int) -> bool:
        """Remove a session with its items, pain and note; False if there was no such session."""
        if not _is_rowid(session_id):
            return False
        with self._write() as db:
            return db.execute("DELETE FROM session WHERE id = ?", (session_id,)).rowcount > 0

    def set_pain_next_day(self, session_id: int, pain: int) -> bool:
        """Record the pain reported the day after a session; False if there is no such session."""
        _check_pain("pain the next day", pain)
        if not _is_rowid(session_id):
            return False
        with self._write() as db:
            if db.execute("SELECT 1 FROM session WHERE id = ?", (session_id,)).fetchone() is None:
                return False
            db.execute(
                "INSERT INTO pain (session_id, next_day) VALUES (?, ?)"
                " ON CONFLICT (session_id) DO UPDATE SET next_day = excluded.next_day",
                (session_id, pain),
            )
            return True

    def _select_sessions(
        self, where: str, params: list[Any], order: str, limit: int | None, full: bool
    ) -> list[SessionRecord]:
        limit_sql = ""
        if limit is not None:
            limit_sql = " LIMIT ?"
            params = [*params, max(0, limit)]
        query = f"SELECT {_SESSION_COLUMNS} FROM {_SESSION_FROM} {where} ORDER BY s.started_at {order}, s.id {order}"
        with self._guard():
            # One read transaction, so the items match the sessions even while others write.
            self._db.execute("BEGIN")
            try:
                rows = self._db.execute(query + limit_sql, params).fetchall()
                items = self._items_for([row[0] for row in rows]) if full else {}
            finally:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")  # a read: nothing to keep
        return [_decoded(self.path, "session", row[0], lambda r: _session(r, items, full), row) for row in rows]

    def _items_for(self, ids: list[int]) -> dict[int, tuple[SessionItem, ...]]:
        """The items of these sessions, grouped by session id, in routine order."""
        if not ids:
            return {}
        low, high = min(ids), max(ids)
        if high - low < 2 * len(ids):
            # Ids mostly contiguous (a recent window): one range scan of the primary key.
            wanted = None if high - low + 1 == len(ids) else set(ids)
            batches: list[tuple[str, Sequence[int]]] = [("session_id BETWEEN ? AND ?", (low, high))]
        else:
            wanted = None
            batches = [
                (f"session_id IN ({','.join('?' * len(chunk))})", chunk)
                for chunk in (ids[n : n + 500] for n in range(0, len(ids), 500))
            ]
        grouped: dict[int, list[SessionItem]] = {}
        for condition, params in batches:
            query = f"SELECT {_ITEM_COLUMNS} FROM session_item WHERE {condition} ORDER BY session_id, position"
            for row in self._db.execute(query, params):
                if wanted is not None and row[0] not in wanted:
                    continue
                grouped.setdefault(row[0], []).append(
                    _decoded(self.path, "session_item", f"{row[0]}/{row[1]}", _item, row)
                )
        return {key: tuple(value) for key, value in grouped.items()}

    # -- saved routines -----------------------------------------------------------------

    def save_routine(
        self, name: str, request: dict[str, Any], now: datetime, replace: bool = False
    ) -> SavedRoutine:
        """Save a request under a name (see `clean_name`).

        A name already taken raises SavedRoutineExists unless `replace`; replacing keeps
        the original `created_at` and takes the new spelling of the name.
        """
        name = clean_name(name)
        text = _json(request)
        with self._write() as db:
            return _save_routine(db, name, text, now, replace)

    def import_routines(
        self,
        routines: Sequence[tuple[str, dict[str, Any]]],
        now: datetime,
        *,
        replace: bool = False,
        plan: tuple[date, int, Sequence[int], str, str] | None = None,
    ) -> Plan | None:
        """Save several requests by name and, with `plan` (start, weeks, days, saved name,
        goal), start a plan following one of them: ONE transaction, so either all of it is
        stored or nothing is. SavedRoutineExists for a name taken (unless `replace`);
        PlanExists when a plan is running already."""
        entries = [(clean_name(name), _json(request)) for name, request in routines]
        chosen = _plan_fields(plan[0], plan[1], plan[2]) if plan is not None else None
        with self._write() as db:
            if plan is not None:
                self._refuse_active_plan(db)
            for name, text in entries:
                _save_routine(db, name, text, now, replace)
            if plan is None or chosen is None:
                return None
            start, weeks, _, saved_name, goal = plan
            return self._insert_plan(db, start, weeks, chosen, clean_name(saved_name), goal, now)

    def saved_routine(self, name: str) -> SavedRoutine:
        """The saved routine with this name (any case); UnknownSavedRoutine if none."""
        name = clean_name(name)
        with self._guard():
            row = self._db.execute(
                "SELECT name, request, created_at, updated_at FROM saved_routine WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            raise UnknownSavedRoutine(name, [r.name for r in self.saved_routines()])
        return _decoded(self.path, "saved_routine", row[0], _saved, row)

    def saved_routines(self) -> list[SavedRoutine]:
        """Every saved routine, by name."""
        with self._guard():
            rows = self._db.execute(
                "SELECT name, request, created_at, updated_at FROM saved_routine ORDER BY name"
            ).fetchall()
        return [_decoded(self.path, "saved_routine", row[0], _saved, row) for row in rows]

    def delete_saved(self, name: str) -> str:
        """Remove a saved routine (its sessions stay in the history) and return its name as
        it was saved; UnknownSavedRoutine if none."""
        name = clean_name(name)
        with self._write() as db:
            row = db.execute("SELECT name FROM saved_routine WHERE name = ?", (name,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM saved_routine WHERE name = ?", (name,))
        if row is None:
            raise UnknownSavedRoutine(name, [r.name for r in self.saved_routines()])
        return str(row[0])

    # -- measurements -------------------------------------------------------------------

    def add_measurement(self, taken_on: date, side: str, degrees: float) -> int:
        """Record one side's reading; degrees must be a number from 0 to 90. Returns its id."""
        if side not in SIDES:
            raise InvalidValue("side", side, "it must be left or right")
        if isinstance(degrees, bool) or not isinstance(degrees, int | float):
            raise InvalidValue("degrees", degrees, "it must be a number")
        if not DEGREES_MIN <= degrees <= DEGREES_MAX:  # also rejects NaN
            raise InvalidValue("degrees", degrees, f"it must be from {DEGREES_MIN:g} to {DEGREES_MAX:g}")
        if not isinstance(taken_on, date) or isinstance(taken_on, datetime):
            raise InvalidValue("date", taken_on, "it must be a calendar date")
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO measurement (taken_on, side, degrees) VALUES (?, ?, ?)",
                (taken_on.isoformat(), side, float(degrees)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def measurements(self) -> list[Measurement]:
        """Every reading, oldest first (by day, then in the order they were recorded)."""
        with self._guard():
            rows = self._db.execute(
                "SELECT id, taken_on, side, degrees FROM measurement ORDER BY taken_on, id"
            ).fetchall()
        return [_decoded(self.path, "measurement", row[0], _measurement, row) for row in rows]

    def delete_measurement(self, measurement_id: int) -> bool:
        """Remove one reading; False if there was no such reading."""
        if not _is_rowid(measurement_id):
            return False
        with self._write() as db:
            return db.execute("DELETE FROM measurement WHERE id = ?", (measurement_id,)).rowcount > 0


    # -- plans ----------------------------------------------------------------------------

    def add_plan(
        self, start: date, weeks: int, days: Sequence[int], saved_name: str, goal: str, now: datetime
    ) -> Plan:
        """Store a new active plan; PlanExists if one is active already."""
        chosen = _plan_fields(start, weeks, days)
        name = clean_name(saved_name)
        with self._write() as db:
            self._refuse_active_plan(db)
            return self._insert_plan(db, start, weeks, chosen, name, goal, now)

    def start_plan(
        self, start: date, weeks: int, days: Sequence[int], saved_name: str, goal: str, now: datetime, *,
        request: dict[str, Any] | None = None, replace_routine: bool = False, replace_plan: bool = False,
    ) -> tuple[Plan, SavedRoutine]:  # fmt: skip
        """Start a plan in ONE transaction: save `request` under `saved_name` first (or,
        without one, find the saved routine of that name), end the active plan when
        `replace_plan` (PlanExists otherwise), and add the new plan. A refusal at any step
        (PlanExists, SavedRoutineExists, UnknownSavedRoutine) or a crash writes nothing."""
        chosen = _plan_fields(start, weeks, days)
        name = clean_name(saved_name)
        text = _json(request) if request is not None else None
        with self._write() as db:
            if not replace_plan:
                self._refuse_active_plan(db)
            if text is not None:
                saved = _save_routine(db, name, text, now, replace_routine)
            else:
                saved = self.saved_routine(name)
            if replace_plan:
                self._end_plan(db, now)
            return self._insert_plan(db, start, weeks, chosen, saved.name, goal, now), saved

    def _refuse_active_plan(self, db: sqlite3.Connection) -> None:
        active = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
        if active is not None:
            raise PlanExists(_decoded(self.path, "plan", active[0], _plan, active).start)

    def _insert_plan(
        self, db: sqlite3.Connection, start: date, weeks: int, days: tuple[int, ...], name: str, goal: str,
        now: datetime,
    ) -> Plan:  # fmt: skip
        cursor = db.execute(
            "INSERT INTO plan (start, weeks, days, saved_name, goal, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (start.isoformat(), weeks, ",".join(map(str, days)), name, goal, now.isoformat()),
        )
        assert cursor.lastrowid is not None
        return Plan(cursor.lastrowid, start, weeks, days, name, goal, now)

    def _end_plan(self, db: sqlite3.Connection, now: datetime) -> Plan | None:
        row = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
        if row is None:
            return None
        plan = _decoded(self.path, "plan", row[0], _plan, row)
        db.execute("UPDATE plan SET ended_at = ? WHERE id = ?", (now.isoformat(), plan.id))
        return plan._replace(ended_at=now)

    def active_plan(self) -> Plan | None:
        """The plan in force, or None."""
        with self._guard():
            row = self._db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
        return None if row is None else _decoded(self.path, "plan", row[0], _plan, row)

    def end_plan(self, now: datetime) -> Plan | None:
        """End the active plan (it stays in the database); the plan ended, or None if none was active."""
        with self._write() as db:
            return self._end_plan(db, now)

    # -- goals that matter to the person (PSFS) ------------------------------------------

    def add_activity(self, name: str, added_on: date, score: int) -> Activity:
        """Start rating a new activity, with its first score, in one transaction.
        ActivityLimit when five are in use; ActivityExists when one in use has this name."""
        from hiprot.psfs import MAX_ACTIVITIES, Activity, check_score, clean_activity

        text = _checked_text("activity", name, clean_activity)
        _checked_text("score", score, check_score)
        if not isinstance(added_on, date) or isinstance(added_on, datetime):
            raise InvalidValue("date", added_on, "it must be a calendar date")
        with self._write() as db:
            rows = db.execute(f"SELECT {_ACTIVITY_COLUMNS} FROM psfs_activity WHERE removed_on IS NULL").fetchall()
            in_use = [_decoded(self.path, "psfs_activity", row[0], _activity, row) for row in rows]
            for activity in in_use:
                if activity.name.casefold() == text.casefold():
                    raise ActivityExists(activity.name)
            if len(in_use) >= MAX_ACTIVITIES:
                raise ActivityLimit([a.name for a in in_use])
            cursor = db.execute(
                "INSERT INTO psfs_activity (name, added_on) VALUES (?, ?)", (text, added_on.isoformat())
            )
            assert cursor.lastrowid is not None
            db.execute(
                "INSERT INTO psfs_rating (activity_id, rated_on, score) VALUES (?, ?, ?)",
                (cursor.lastrowid, added_on.isoformat(), score),
            )
        return Activity(cursor.lastrowid, text, added_on)

    def activities(self, in_use_only: bool = False) -> list[Activity]:
        """The activities, oldest first (with those no longer rated unless `in_use_only`)."""
        where = " WHERE removed_on IS NULL" if in_use_only else ""
        with self._guard():
            rows = self._db.execute(f"SELECT {_ACTIVITY_COLUMNS} FROM psfs_activity{where} ORDER BY id").fetchall()
        return [_decoded(self.path, "psfs_activity", row[0], _activity, row) for row in rows]

    def rate(self, rated_on: date, scores: Mapping[int, int]) -> list[int]:
        """Record each activity's score for `rated_on` in one transaction (a rating already
        there for that day is replaced); the ids whose same-day rating was replaced.
        UnknownActivity for an id that is not in use on that day."""
        from hiprot.psfs import check_score

        if not isinstance(rated_on, date) or isinstance(rated_on, datetime):
            raise InvalidValue("date", rated_on, "it must be a calendar date")
        for score in scores.values():
            _checked_text("score", score, check_score)
        replaced = []
        with self._write() as db:
            for activity_id, score in scores.items():
                row = db.execute(
                    f"SELECT {_ACTIVITY_COLUMNS} FROM psfs_activity WHERE id = ?",
                    (activity_id if _is_rowid(activity_id) else -1,),
                ).fetchone()
                activity = None if row is None else _decoded(self.path, "psfs_activity", row[0], _activity, row)
                if activity is None or not activity.active_on(rated_on):
                    raise UnknownActivity(activity_id, rated_on)
                day = rated_on.isoformat()
                if db.execute("SELECT 1 FROM psfs_rating WHERE activity_id = ? AND rated_on = ?",
                              (activity_id, day)).fetchone():  # fmt: skip
                    replaced.append(activity_id)
                db.execute(
                    "INSERT OR REPLACE INTO psfs_rating (activity_id, rated_on, score) VALUES (?, ?, ?)",
                    (activity_id, day, score),
                )
        return replaced

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        with self._guard():
            rows = self._db.execute(
                "SELECT activity_id, rated_on, score FROM psfs_rating ORDER BY rated_on, activity_id"
            ).fetchall()
        return [_decoded(self.path, "psfs_rating", f"{row[0]}/{row[1]}", _rating, row) for row in rows]

    def remove_activity(self, activity_id: int, removed_on: date) -> Activity:
        """Stop rating an activity from `removed_on` on; its ratings stay. UnknownActivity if
        it is not in use."""
        with self._write() as db:
            row = db.execute(
                f"SELECT {_ACTIVITY_COLUMNS} FROM psfs_activity WHERE id = ? AND removed_on IS NULL",
                (activity_id if _is_rowid(activity_id) else -1,),
            ).fetchone()
            if row is None:
                raise UnknownActivity(activity_id)
            activity = _decoded(self.path, "psfs_activity", row[0], _activity, row)
            # Removed the day it was added: gone from that day on, ratings kept.
            day = max(removed_on, activity.added_on)
            db.execute("UPDATE psfs_activity SET removed_on = ? WHERE id = ?", (day.isoformat(), activity_id))
        return activity._replace(removed_on=day)

    # -- backup -------------------------------------------------------------------------

    def backup(self, target: Path | str, replace: bool = False) -> None:
        """Write a consistent copy of the whole database to `target` with SQLite's online
        backup API (safe while other processes write). The copy is made in a temporary
        file beside `target` and renamed into place, so `target` is either the old file
        or a complete copy. An existing `target` is replaced only with `replace`."""
        import tempfile

        target = Path(target)
        ends = ("", "-wal", "-shm", "-journal")
        own = {Path(os.path.realpath(self.path.with_name(self.path.name + end))) for end in ends}
        if Path(os.path.realpath(target)) in own:
            raise DatabaseAccessError(target, "that is the history database itself; choose another file")
        if target.exists() and not replace:
            raise BackupExists(target)
        if target.is_dir():
            raise DatabaseAccessError(target, "it is a folder; give a file name")
        folder = target.parent
        if not folder.is_dir():
            raise DatabaseAccessError(target, f"the folder {folder} does not exist")
        try:
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as error:
            raise DatabaseAccessError(target, error.strerror or str(error)) from None
        os.close(handle)
        temp = Path(name)
        try:
            copy = sqlite3.connect(temp, isolation_level=None)
            try:
                with self._guard():
                    self._db.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
            os.chmod(temp, 0o600)  # health data: readable by its owner only, like the history
            os.replace(temp, target)
        except sqlite3.Error as error:
            raise _store_error(target, error) from None
        except OSError as error:
            raise DatabaseAccessError(target, error.strerror or str(error)) from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()



def _save_routine(db: sqlite3.Connection, name: str, text: str, now: datetime, replace: bool) -> SavedRoutine:
    """Save a request's JSON under a (clean) name, inside the caller's transaction."""
    stamp = now.isoformat()
    row = db.execute("SELECT created_at, name FROM saved_routine WHERE name = ?", (name,)).fetchone()
    if row is not None and not replace:
        raise SavedRoutineExists(row[1])  # as it was saved, whatever the case asked for
    created = row[0] if row is not None else stamp
    db.execute("DELETE FROM saved_routine WHERE name = ?", (name,))
    db.execute(
        "INSERT INTO saved_routine (name, request, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (name, text, created, stamp),
    )
    return SavedRoutine(name, json.loads(text), datetime.fromisoformat(created), now)


# --- pure helpers (no database) --------------------------------------------------------


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one session, ending today or yesterday; else 0.

    A streak is not broken before the day is over: sessions up to yesterday still count
    this morning. Days after `today` are ignored.
    """
    done = {day for day in days if day <= today}
    one = timedelta(days=1)
    day = today if today in done else today - one
    count = 0
    while day in done:
        count += 1
        day -= one
    return count


def weekly_counts(days: Iterable[date], today: date, weeks: int) -> list[tuple[date, int]]:
    """Sessions per week for the last `weeks` weeks, oldest first, the current week last.

    Weeks start on Monday; each entry is (that Monday, how many sessions). Each element
    of `days` is one session, so two sessions on one day count twice. Exactly `weeks`
    entries, empty weeks included; sessions outside the window are ignored.
    """
    if weeks < 0:
        raise ValueError("weeks must be 0 or more")
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    for day in days:
        index = (day - first).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
    return [(first + timedelta(weeks=n), counts[n]) for n in range(weeks)]

