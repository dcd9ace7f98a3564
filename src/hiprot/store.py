"""The history database: sessions, pain, notes, saved routines and hip-rotation readings.

One SQLite file (stdlib `sqlite3`), normally `paths.database_path()`. This module owns
its schema, its migrations and every query; it imports only the standard library (and
`hiprot.errors`), so opening the history costs little more than importing `sqlite3`.

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
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, Self, TypeVar

from hiprot.errors import (  # the store's errors live with the others; re-exported here
    BackupExists,
    BackupTargetError,
    BadName,
    CorruptDatabaseError,
    DamagedRowError,
    DatabaseAccessError,
    DatabaseLockedError,
    InvalidValue,
    NewerDatabaseError,
    PlanExists,
    SavedRoutineExists,
    SavedRoutineInUse,
    StoreError,
    UnknownSavedRoutine,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
# PRAGMA application_id: "hipr". Tells hiprot's database from any other SQLite file.
APPLICATION_ID = 0x68697072
BUSY_TIMEOUT_S = 10.0
NAME_MAX = 64
DEGREES_MIN = 0.0
DEGREES_MAX = 90.0
PAIN_MAX = 10
SESSION_STATUSES = ("completed", "partial", "logged", "abandoned")
# A session stopped with less work than this is `abandoned`: kept, never counted.
ABANDONED_WORK_S = 60
ABANDONED_SHARE = 0.2
WEEKS_MAX = 52
# The dates a plan may start on, as read back (a plan starts within a year from the day it
# is made); far from date.max, so no week of it overflows.
PLAN_FIRST = date(1900, 1, 1)
PLAN_LAST = date(2200, 12, 31)
ITEM_STATUSES = ("done", "skipped")
SIDES = ("left", "right")

# --- records ---------------------------------------------------------------------------


class SessionItem(NamedTuple):
    """One exercise of a recorded session. `position` is its 0-based place in the routine."""

    position: int
    exercise_id: str
    name: str
    status: str  # done | skipped
    planned_seconds: int
    done_seconds: int
    sets: int
    reps: int | None
    hold_s: int | None
    per_side: bool

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class SessionRecord(NamedTuple):
    """A routine done (`completed`, `partial`) or logged after the fact (`logged`).

    `id` is None for a record not yet stored; `add_session` ignores it. `pain` is pain
    during the session (0-10), `pain_next_day` the pain reported the day after.
    """

    id: int | None
    started_at: datetime
    goal: str
    saved_name: str | None
    status: str  # completed | partial | logged | abandoned
    planned_seconds: int
    done_seconds: int
    pain: int | None
    pain_next_day: int | None
    note: str | None
    request: dict[str, Any]
    items: tuple[SessionItem, ...] = ()

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def counted(self) -> bool:
        """Whether it counts in streaks, adherence, weekly bars and progression."""
        return self.status != "abandoned"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; `started_at` as ISO-8601 text."""
        data = self._asdict()
        data["started_at"] = self.started_at.isoformat()
        data["items"] = [item.to_dict() for item in self.items]
        return data


class SavedRoutine(NamedTuple):
    name: str
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class Measurement(NamedTuple):
    """One reading of the seated active hip internal-rotation self-test."""

    id: int
    taken_on: date
    side: str  # left | right
    degrees: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; `taken_on` as YYYY-MM-DD."""
        return {"id": self.id, "taken_on": self.taken_on.isoformat(), "side": self.side, "degrees": self.degrees}


class Plan(NamedTuple):
    """A programme: `weeks` weeks from `start` (a Monday or any day), sessions on
    `days` (0 = Monday ... 6 = Sunday) of the saved routine `saved_name`, whose goal
    was `goal` when the plan was made. `ended_at` is None while the plan is active."""

    id: int
    start: date
    weeks: int
    days: tuple[int, ...]
    saved_name: str
    goal: str
    created_at: datetime
    ended_at: datetime | None = None


# --- schema ----------------------------------------------------------------------------

# MIGRATIONS[n] takes the schema from version n to n + 1. Each runs in one transaction
# that also sets PRAGMA user_version, so a database is always at exactly one version.
# Never edit a migration that has shipped: add a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the base schema.
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            goal TEXT NOT NULL,
            saved_name TEXT COLLATE NOCASE,
            status TEXT NOT NULL CHECK (status IN ('completed', 'partial', 'logged')),
            planned_seconds INTEGER NOT NULL CHECK (planned_seconds >= 0),
            done_seconds INTEGER NOT NULL CHECK (done_seconds >= 0),
            request TEXT NOT NULL
        )""",
        """CREATE TABLE session_item (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            exercise_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
            planned_seconds INTEGER NOT NULL CHECK (planned_seconds >= 0),
            done_seconds INTEGER NOT NULL CHECK (done_seconds >= 0),
            sets INTEGER NOT NULL,
            reps INTEGER,
            hold_s INTEGER,
            per_side INTEGER NOT NULL,
            PRIMARY KEY (session_id, position)
        ) WITHOUT ROWID""",
        """CREATE TABLE pain (
            session_id INTEGER PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            during INTEGER CHECK (during BETWEEN 0 AND 10)
        )""",
        """CREATE TABLE note (
            session_id INTEGER PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            text TEXT NOT NULL
        )""",
        """CREATE TABLE saved_routine (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            request TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE measurement (
            id INTEGER PRIMARY KEY,
            taken_on TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('left', 'right')),
            degrees REAL NOT NULL CHECK (degrees BETWEEN 0 AND 90)
        )""",
    ),
    # 2: pain the next day, and the indexes that keep a long history cheap to list.
    (
        "ALTER TABLE pain ADD COLUMN next_day INTEGER CHECK (next_day BETWEEN 0 AND 10)",
        "CREATE INDEX session_by_time ON session(started_at)",
        "CREATE INDEX session_by_saved ON session(saved_name, started_at)",
        "CREATE INDEX measurement_by_day ON measurement(taken_on)",
    ),
    # 3: `abandoned` sessions, and plans. SQLite cannot change a CHECK constraint, so the
    # session table is rebuilt (SQLite's documented 12-step way; `Store.open` turns
    # foreign keys on only after migrating, so dropping the old table cascades nothing).
    # Sessions stopped with under 60 s of work or under 20% done become `abandoned`.
    (
        """CREATE TABLE session_v3 (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            goal TEXT NOT NULL,
            saved_name TEXT COLLATE NOCASE,
            status TEXT NOT NULL CHECK (status IN ('completed', 'partial', 'logged', 'abandoned')),
            planned_seconds INTEGER NOT NULL CHECK (planned_seconds >= 0),
            done_seconds INTEGER NOT NULL CHECK (done_seconds >= 0),
            request TEXT NOT NULL
        )""",
        "INSERT INTO session_v3 SELECT id, started_at, goal, saved_name, status, planned_seconds, done_seconds,"
        " request FROM session",
        "DROP TABLE session",
        "ALTER TABLE session_v3 RENAME TO session",
        "CREATE INDEX session_by_time ON session(started_at)",
        "CREATE INDEX session_by_saved ON session(saved_name, started_at)",
        f"UPDATE session SET status = 'abandoned' WHERE status = 'partial'"
        f" AND (done_seconds < {ABANDONED_WORK_S} OR done_seconds < {ABANDONED_SHARE} * planned_seconds)",
        f"""CREATE TABLE plan (
            id INTEGER PRIMARY KEY,
            start TEXT NOT NULL,
            weeks INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND {WEEKS_MAX}),
            days TEXT NOT NULL,
            saved_name TEXT NOT NULL COLLATE NOCASE,
            goal TEXT NOT NULL,
            created_at TEXT NOT NULL,
            ended_at TEXT
        )""",
        # At most one active plan, enforced by SQLite even when two processes race.
        "CREATE UNIQUE INDEX plan_active ON plan(ended_at IS NULL) WHERE ended_at IS NULL",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

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
        # Every stored time must carry a time zone (hiprot's own clock always gives one);
        # set by the application, left off by tests that store plain times.
        self.zoned = False

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
        return [
            _decoded(self.path, "session", row[0], lambda r: _session(r, items, full), row, self.zoned) for row in rows
        ]

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
        stamp = now.isoformat()
        with self._write() as db:
            row = db.execute("SELECT created_at, name FROM saved_routine WHERE name = ?", (name,)).fetchone()
            if row is not None and not replace:
                raise SavedRoutineExists(row[1])  # as it was saved, whatever the case asked for
            created = row[0] if row is not None else stamp
            db.execute("DELETE FROM saved_routine WHERE name = ?", (name,))
            db.execute(
                "INSERT INTO saved_routine (name, request, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (name, text, created, stamp),
            )
        return SavedRoutine(name, json.loads(text), _decoded(self.path, "saved_routine", name, _moment, created), now)

    def saved_routine(self, name: str) -> SavedRoutine:
        """The saved routine with this name (any case); UnknownSavedRoutine if none."""
        name = clean_name(name)
        with self._guard():
            row = self._db.execute(
                "SELECT name, request, created_at, updated_at FROM saved_routine WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            raise UnknownSavedRoutine(name, [r.name for r in self.saved_routines()])
        return _decoded(self.path, "saved_routine", row[0], _saved, row, self.zoned)

    def saved_routines(self) -> list[SavedRoutine]:
        """Every saved routine, by name."""
        with self._guard():
            rows = self._db.execute(
                "SELECT name, request, created_at, updated_at FROM saved_routine ORDER BY name"
            ).fetchall()
        return [_decoded(self.path, "saved_routine", row[0], _saved, row, self.zoned) for row in rows]

    def delete_saved(self, name: str) -> str:
        """Remove a saved routine (its sessions stay in the history) and return its name as
        it was saved; UnknownSavedRoutine if none."""
        name = clean_name(name)
        with self._write() as db:
            row = db.execute("SELECT name FROM saved_routine WHERE name = ?", (name,)).fetchone()
            if row is not None:
                # A plan follows its routine by name: deleting it would break the plan.
                plan = db.execute(
                    "SELECT start FROM plan WHERE ended_at IS NULL AND lower(saved_name) = lower(?)", (row[0],)
                ).fetchone()
                if plan is not None:
                    raise SavedRoutineInUse(str(row[0]), _decoded(self.path, "plan", "", _day, plan[0]))
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
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= WEEKS_MAX:
            raise InvalidValue("weeks", weeks, f"it must be a whole number from 1 to {WEEKS_MAX}")
        chosen = tuple(sorted(set(days)))
        if not chosen or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in chosen):
            raise InvalidValue("days", days, "they must be days of the week, 0 (Monday) to 6 (Sunday)")
        if not isinstance(start, date) or isinstance(start, datetime):
            raise InvalidValue("start", start, "it must be a calendar date")
        name = clean_name(saved_name)
        with self._write() as db:
            active = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
            if active is not None:
                raise PlanExists(_decoded(self.path, "plan", active[0], _plan, active, self.zoned).start)
            cursor = db.execute(
                "INSERT INTO plan (start, weeks, days, saved_name, goal, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (start.isoformat(), weeks, ",".join(map(str, chosen)), name, goal, now.isoformat()),
            )
        assert cursor.lastrowid is not None
        return Plan(cursor.lastrowid, start, weeks, chosen, name, goal, now)

    def active_plan(self) -> Plan | None:
        """The plan in force, or None."""
        with self._guard():
            row = self._db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
        return None if row is None else _decoded(self.path, "plan", row[0], _plan, row, self.zoned)

    def end_plan(self, now: datetime) -> Plan | None:
        """End the active plan (it stays in the database); the plan ended, or None if none was active."""
        with self._write() as db:
            row = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE ended_at IS NULL").fetchone()
            if row is None:
                return None
            plan = _decoded(self.path, "plan", row[0], _plan, row, self.zoned)
            db.execute("UPDATE plan SET ended_at = ? WHERE id = ?", (now.isoformat(), plan.id))
        return plan._replace(ended_at=now)

    # -- backup -------------------------------------------------------------------------

    def backup(self, target: Path | str, replace: bool = False) -> None:
        """Write a consistent copy of the whole database to `target` with SQLite's online
        backup API (safe while other processes write). The copy is made in a temporary
        file beside `target` and renamed into place, so `target` is either the old file
        or a complete copy. An existing `target` is replaced only with `replace`, and only
        if it is a regular file: a symbolic link, a device, a FIFO or a folder is refused
        whatever `replace` says (renaming over /dev/null would replace the device).

        SIGTERM and SIGHUP during the copy remove the temporary file (and its journal)
        before the process ends; temporary files left by a killed backup to the same
        folder are removed by the next one."""
        from hiprot.files import file_kind, interrupted_by_signals

        target = Path(target)
        ends = ("", "-wal", "-shm", "-journal")
        own = {Path(os.path.realpath(self.path.with_name(self.path.name + end))) for end in ends}
        if Path(os.path.realpath(target)) in own:
            raise BackupTargetError(target, "that is the history database itself; choose another file")
        try:
            info: os.stat_result | None = os.lstat(target)
        except FileNotFoundError:
            info = None
        except OSError as error:
            raise BackupTargetError(target, error.strerror or str(error)) from None
        if info is not None:
            if stat.S_ISLNK(info.st_mode):
                raise BackupTargetError(target, "it is a symbolic link; give the path of a regular file")
            if not stat.S_ISREG(info.st_mode):
                raise BackupTargetError(target, f"it is {file_kind(info.st_mode)}, not a regular file")
            if not replace:
                raise BackupExists(target)
        folder = target.parent
        if not folder.is_dir():
            raise BackupTargetError(target, f"the folder {folder} does not exist")
        _sweep_backup_leftovers(folder)
        temp = folder / f"{_BACKUP_TEMP_PREFIX}{os.getpid()}.{target.name[:40]}.tmp"
        try:
            with interrupted_by_signals():
                try:
                    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
                except OSError as error:
                    raise BackupTargetError(target, error.strerror or str(error)) from None
                os.close(fd)
                copy = sqlite3.connect(temp, isolation_level=None)
                try:
                    with self._guard():
                        self._db.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                finally:
                    copy.close()
                os.chmod(temp, 0o600)  # health data: readable by its owner only, like the history
                # The target was checked above; if something not a regular file took its
                # place meanwhile, refuse rather than rename over it.
                with contextlib.suppress(FileNotFoundError):
                    now = os.lstat(target)
                    if not stat.S_ISREG(now.st_mode):
                        raise BackupTargetError(target, f"it became {file_kind(now.st_mode)} during the copy")
                    if not replace:
                        raise BackupExists(target)
                os.replace(temp, target)
        except sqlite3.Error as error:
            raise _store_error(target, error) from None
        except OSError as error:
            raise BackupTargetError(target, error.strerror or str(error)) from None
        finally:
            for leftover in (temp, temp.with_name(temp.name + "-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()


# A backup's temporary file: ".hiprot-backup.PID.NAME.tmp", so one left by a killed
# process can be told from one a running backup is still writing.
_BACKUP_TEMP_PREFIX = ".hiprot-backup."
_BACKUP_TEMP = re.compile(r"\.hiprot-backup\.(\d+)\..*\.tmp(-journal)?")


def _sweep_backup_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files of backups to `folder` whose process is gone (killed
    mid-copy); the paths removed. Only hiprot's own temp names are ever touched, only
    regular files, and never one whose process still runs."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _BACKUP_TEMP.fullmatch(name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        path = folder / name
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


# --- opening, checking, migrating ------------------------------------------------------


def _precheck(path: Path) -> bool:
    """Create the folder (and an empty private file) if missing; vet an existing file's header.

    Returns True if the file already holds data. Reads bytes only: SQLite never sees a
    file this rejects.
    """
    from hiprot.files import NotRegularFileError, check_regular, read_bounded

    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    try:
        # Anything but a regular file (a link to /dev/null, a FIFO, a folder), for the
        # database or the files SQLite keeps beside it, is refused before anything is
        # opened or created: SQLite would write "/dev/null-journal", or hang on a FIFO.
        for part in (path, *companions):
            check_regular(part)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Pain and notes are health data: a new history is readable by its owner only
        # (SQLite gives its -wal and -shm files the same permissions).
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        header = read_bounded(path, HEADER_BYTES, prefix=True)
    except NotRegularFileError as error:
        raise DatabaseAccessError(
            Path(error.filename), f"it is {error.kind}, not a regular file; hiprot keeps its history only in one"
        ) from None
    except OSError as error:
        raise DatabaseAccessError(path, error.strerror or str(error)) from None
    # SQLite opens a file it may not write read-only, and then leaves -wal and -shm files
    # with the same read-only mode, which keep the history unwritable after the file is
    # made writable again. Refuse before SQLite touches anything.
    for part in (path, *companions):
        if part.exists() and not os.access(part, os.W_OK):
            raise DatabaseAccessError(part, "the file is read-only (make it writable for your user to use it)")
    if not os.access(path.parent, os.W_OK):
        raise DatabaseAccessError(path, f"its folder {path.parent} is read-only")
    if not header:
        return False
    if not header.startswith(SQLITE_MAGIC):
        raise CorruptDatabaseError(path, "it is not a SQLite database")
    if len(header) < HEADER_BYTES:
        raise CorruptDatabaseError(path, "the file is cut short")
    version = int.from_bytes(header[60:64], "big")
    application = int.from_bytes(header[68:72], "big")
    if application not in (0, APPLICATION_ID) or (application == 0 and version != 0):
        raise CorruptDatabaseError(path, "it is a SQLite database that another program made")
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(path, version, SCHEMA_VERSION)
    return True


def _read_version(db: sqlite3.Connection, path: Path) -> int:
    """The schema version as SQLite sees it (a WAL file may hold a newer one than the header)."""
    # One statement, so one snapshot: another process may be migrating this very moment.
    version, tables = db.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(path, version, SCHEMA_VERSION)
    if version == 0 and tables:
        raise CorruptDatabaseError(path, "it is a SQLite database that another program made")
    return int(version)


def _use_wal(db: sqlite3.Connection, path: Path) -> None:
    """Switch to WAL unless already there. Changing the journal mode can meet SQLITE_BUSY
    without SQLite waiting (when other processes open the new file at the same moment),
    so wait here, up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() == "wal":
                return
        except sqlite3.OperationalError as error:
            if (getattr(error, "sqlite_errorcode", 0) & 0xFF) not in (_SQLITE_BUSY, _SQLITE_LOCKED):
                raise
        if time.monotonic() > deadline:
            raise DatabaseLockedError(path, BUSY_TIMEOUT_S)
        time.sleep(0.005)


def _quick_check(db: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise CorruptDatabaseError(path, "SQLite reports damage (" + "; ".join(problems) + ")")


def _migrate(db: sqlite3.Connection, path: Path, target: int) -> None:
    """Bring the schema forward to `target`, one transaction per version.

    Safe when several processes open a new database at once: the version is read again
    inside each write transaction, so a step another process has done is skipped.
    """
    while True:
        if int(db.execute("PRAGMA user_version").fetchone()[0]) >= target:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise NewerDatabaseError(path, version, SCHEMA_VERSION)
            if version < target:
                if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise CorruptDatabaseError(path, "it is a SQLite database that another program made")
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")


# SQLite primary result codes (the low byte of an extended code).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 5, 6, 10, 11, 13, 26


def _disk_full(path: Path) -> bool:
    """SQLite reports a write that met a full disk in WAL mode as a plain I/O error."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except (OSError, AttributeError):
        return False


def _store_error(path: Path, error: sqlite3.Error) -> StoreError:
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and _disk_full(path)):
        return DatabaseAccessError(path, "the disk is full (free some space; nothing was recorded)")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return CorruptDatabaseError(path, f"SQLite reports: {error}")
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseLockedError(path, BUSY_TIMEOUT_S)
    return DatabaseAccessError(path, str(error))


# --- validation and conversion ---------------------------------------------------------

# What a note may not hold: C0 controls but tab and newline, DEL, C1 controls, bidi
# embeddings, overrides, isolates and marks, lone surrogates (as hiprot.text.UNSAFE, which
# the store does not import: it stays standard library only).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Format characters that are harmless in a name: zero-width (non-)joiners in emoji and scripts.
_ALLOWED_FORMAT = frozenset("\u200c\u200d")


def clean_name(name: str) -> str:
    """A saved-routine name, stripped of outer spaces; BadName if it is empty, longer
    than 64 characters, or holds a control character (or an invisible format
    character such as a right-to-left override, which would disguise it).
    """
    if not isinstance(name, str):
        raise BadName(repr(name), "it is not text")
    stripped = name.strip()
    if not stripped:
        raise BadName(name, "it is empty")
    if len(stripped) > NAME_MAX:
        raise BadName(name, f"it is longer than {NAME_MAX} characters")
    from unicodedata import category

    for char in stripped:
        kind = category(char)
        if kind in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or (kind == "Cf" and char not in _ALLOWED_FORMAT):
            raise BadName(name, f"it contains a control character (U+{ord(char):04X})")
    return stripped


def _is_rowid(value: object) -> bool:
    """True for an id SQLite can hold (1 to 2**63 - 1); larger ones name no row (and
    would overflow the driver)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _check_pain(field: str, pain: object) -> None:
    if pain is None:
        return
    if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= PAIN_MAX:
        raise InvalidValue(field, pain, f"it must be a whole number from 0 to {PAIN_MAX}")


def _check_count(field: str, value: object, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(field, value, "it must be a whole number, 0 or more")


def _json(request: dict[str, Any]) -> str:
    if not isinstance(request, dict):
        raise InvalidValue("request", request, "it must be a mapping")
    try:
        return json.dumps(request, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidValue("request", request, f"it is not plain data ({error})") from None


_SessionRow = tuple[
    tuple[str, str, str | None, str, int, int, str],
    tuple[int | None, int | None],
    str | None,
    list[tuple[int, str, str, str, int, int, int, int | None, int | None, int]],
]


def _session_row(record: SessionRecord) -> _SessionRow:
    """Validate a record and turn it into the rows to insert (before any transaction starts)."""
    if not isinstance(record.started_at, datetime):
        raise InvalidValue("start time", record.started_at, "it must be a date and time")
    if record.status not in SESSION_STATUSES:
        raise InvalidValue("status", record.status, "it must be one of " + ", ".join(SESSION_STATUSES))
    if not isinstance(record.goal, str) or not record.goal:
        raise InvalidValue("goal", record.goal, "it must be a word such as warmup")
    _check_count("planned seconds", record.planned_seconds)
    _check_count("done seconds", record.done_seconds)
    _check_pain("pain", record.pain)
    _check_pain("pain the next day", record.pain_next_day)
    if record.note is not None and not isinstance(record.note, str):
        raise InvalidValue("note", record.note, "it must be text")
    if record.note is not None and _UNSAFE.search(record.note):
        char = _UNSAFE.search(record.note).group()  # type: ignore[union-attr]
        raise InvalidValue("note", record.note, f"it contains a control character (U+{ord(char):04X})")
    saved = clean_name(record.saved_name) if record.saved_name is not None else None
    items = []
    for item in record.items:
        if item.status not in ITEM_STATUSES:
            raise InvalidValue("item status", item.status, "it must be done or skipped")
        for field, value, optional in (
            ("position", item.position, False),
            ("planned seconds", item.planned_seconds, False),
            ("done seconds", item.done_seconds, False),
            ("sets", item.sets, False),
            ("reps", item.reps, True),
            ("hold", item.hold_s, True),
        ):
            _check_count(field, value, optional)
        items.append(
            (
                item.position,
                item.exercise_id,
                item.name,
                item.status,
                item.planned_seconds,
                item.done_seconds,
                item.sets,
                item.reps,
                item.hold_s,
                int(bool(item.per_side)),
            )
        )
    session = (
        record.started_at.isoformat(),
        record.goal,
        saved,
        record.status,
        record.planned_seconds,
        record.done_seconds,
        _json(record.request),
    )
    return session, (record.pain, record.pain_next_day), record.note, items


# --- decoding: the one way a row read from SQLite becomes a record ------------------------
# SQLite stores whatever it is given ('lots' in an INTEGER column, '{not json' as a
# request), so every value is checked on the way out. A row that does not decode is damage
# another program (or a person with the sqlite3 shell) did: DamagedRowError names it and
# the file is left as it is.

_T = TypeVar("_T")


def _decoded(path: Path, table: str, key: object, decode: Callable[[Any], _T], row: Any, zoned: bool = False) -> _T:
    """A row decoded, or DamagedRowError naming it. `zoned`: every time in the record must
    carry its time zone (hiprot writes them so); one without, written by another program,
    could not be compared with the others."""
    try:
        record = decode(row)
    except RecursionError:  # a request nested thousands deep
        raise DamagedRowError(path, table, key, "a value nested too deep to read") from None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:  # JSONDecodeError too
        raise DamagedRowError(path, table, key, str(error)[:80]) from None
    if zoned and isinstance(record, tuple):
        for value in record:
            if isinstance(value, datetime) and value.tzinfo is None:
                raise DamagedRowError(path, table, key, f"the time {value.isoformat()} has no time zone")
    return record


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r:.40} is not a whole number")
    return value


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r:.40} is not text")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _moment(value: object) -> datetime:
    return datetime.fromisoformat(_str(value))


def _day(value: object) -> date:
    return date.fromisoformat(_str(value))


def _mapping(value: object) -> dict[str, Any]:
    data = json.loads(_str(value))
    if not isinstance(data, dict):
        raise TypeError("the request is not a mapping")
    return data


def _session(row: Any, items: dict[int, tuple[SessionItem, ...]], full: bool) -> SessionRecord:
    return SessionRecord(
        _int(row[0]), _moment(row[1]), _str(row[2]), _opt_str(row[3]), _str(row[4]), _int(row[5]), _int(row[6]),
        _opt_int(row[7]), _opt_int(row[8]), _opt_str(row[9]), _mapping(row[10]) if full else {},
        items.get(row[0], ()),
    )  # fmt: skip


def _item(row: Any) -> SessionItem:
    return SessionItem(_int(row[1]), _str(row[2]), _str(row[3]), _str(row[4]), _int(row[5]), _int(row[6]),
                       _int(row[7]), _opt_int(row[8]), _opt_int(row[9]), bool(_int(row[10])))  # fmt: skip


def _saved(row: Any) -> SavedRoutine:
    return SavedRoutine(_str(row[0]), _mapping(row[1]), _moment(row[2]), _moment(row[3]))


_PLAN_COLUMNS = "id, start, weeks, days, saved_name, goal, created_at, ended_at"


def _plan(row: Any) -> Plan:
    days = tuple(int(d) for d in _str(row[3]).split(","))
    weeks = _int(row[2])
    if not days or any(not 0 <= d <= 6 for d in days) or not 1 <= weeks <= WEEKS_MAX:
        raise ValueError("the weeks or days are out of range")
    start = _day(row[1])
    if not PLAN_FIRST <= start <= PLAN_LAST:  # date arithmetic on 9999-12-31 overflows
        raise ValueError(f"the start {start.isoformat()} is out of range")
    ended = row[7]
    return Plan(_int(row[0]), start, weeks, days, _str(row[4]), _str(row[5]), _moment(row[6]),
                None if ended is None else _moment(ended))  # fmt: skip


def _apart(a: datetime, b: datetime) -> timedelta:
    """How far apart two moments are; a naive and an aware one are compared as wall-clock times."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs(a - b)


def _measurement(row: Any) -> Measurement:
    degrees = row[3]
    if isinstance(degrees, bool) or not isinstance(degrees, int | float) or not DEGREES_MIN <= degrees <= DEGREES_MAX:
        raise ValueError(f"{degrees!r:.40} is not a number of degrees from 0 to 90")
    if row[2] not in SIDES:
        raise ValueError(f"{row[2]!r:.40} is not a side")
    return Measurement(_int(row[0]), _day(row[1]), row[2], float(degrees))


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
