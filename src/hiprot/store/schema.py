"""The history database's schema and its life: the file's header checked before SQLite
opens it, the migrations (one transaction each), WAL, the quick check, and SQLite's
errors turned into `StoreError`s naming the file. Standard library only."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from hiprot.errors import (
    CorruptDatabaseError,
    DatabaseAccessError,
    DatabaseLockedError,
    NewerDatabaseError,
    StoreError,
)
from hiprot.limits import ABANDONED_SHARE, ABANDONED_WORK_S
from hiprot.limits import PLAN_WEEKS_MAX as WEEKS_MAX

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
# PRAGMA application_id: "hipr". Tells hiprot's database from any other SQLite file.
APPLICATION_ID = 0x68697072
BUSY_TIMEOUT_S = 10.0
SESSION_STATUSES = ("completed", "partial", "logged", "abandoned")
ITEM_STATUSES = ("done", "skipped")
SIDES = ("left", "right")

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
    # 4: goals that matter to the person (the Patient-Specific Functional Scale, psfs.py):
    # up to five activities, each rated 0-10 now and then. A removed activity keeps its
    # ratings; one rating per activity per day.
    (
        """CREATE TABLE psfs_activity (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            added_on TEXT NOT NULL,
            removed_on TEXT
        )""",
        "CREATE UNIQUE INDEX psfs_activity_in_use ON psfs_activity(name COLLATE NOCASE) WHERE removed_on IS NULL",
        """CREATE TABLE psfs_rating (
            activity_id INTEGER NOT NULL REFERENCES psfs_activity(id) ON DELETE CASCADE,
            rated_on TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            PRIMARY KEY (activity_id, rated_on)
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


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


