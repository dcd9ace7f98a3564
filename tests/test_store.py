"""The history database: migrations, round-trips, validation, concurrency, and bad files left untouched."""

from __future__ import annotations

import ast
import importlib.util
import io
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import tokenize
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hiprot.store as store_module
import hiprot.store.schema as store_schema
from hiprot.errors import HiprotError
from hiprot.models import (
    Equipment,
    Goal,
    Level,
    Measurement,
    Muscle,
    Need,
    Position,
    Precaution,
    Request,
    SessionItem,
    SessionRecord,
)
from hiprot.store import (
    SCHEMA_VERSION,
    BadName,
    CorruptDatabaseError,
    DatabaseAccessError,
    DatabaseLockedError,
    InvalidValue,
    NewerDatabaseError,
    SavedRoutineExists,
    Store,
    StoreError,
    UnknownSavedRoutine,
    streak,
    weekly_counts,
)

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = SRC.parent
T0 = datetime(2025, 3, 3, 7, 30)
REQUEST = Request(Goal.WARMUP).to_dict()

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NOTE_CHARS = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=BIDI) | st.sampled_from("\n\t")


def item(position: int = 0, *, status: str = "done", hold: bool = False, per_side: bool = True) -> SessionItem:
    return SessionItem(
        position=position,
        exercise_id=f"exercise-{position}",
        name=f"Exercise {position}",
        status=status,
        planned_seconds=120,
        done_seconds=0 if status == "skipped" else 120,
        sets=2,
        reps=None if hold else 10,
        hold_s=30 if hold else None,
        per_side=per_side,
    )


def record(
    when: datetime = T0,
    *,
    saved: str | None = None,
    status: str = "completed",
    pain: int | None = 2,
    next_day: int | None = None,
    note: str | None = None,
    items: int = 2,
    goal: str = "warmup",
) -> SessionRecord:
    its = tuple(item(n, hold=n % 2 == 1) for n in range(items))
    return SessionRecord(
        id=None,
        started_at=when,
        goal=goal,
        saved_name=saved,
        status=status,
        planned_seconds=sum(i.planned_seconds for i in its),
        done_seconds=sum(i.done_seconds for i in its),
        pain=pain,
        pain_next_day=next_day,
        note=note,
        request={"goal": goal},
        items=its,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hiprot" / "hiprot.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as s:
        yield s


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in a folder: bytes, mode and modification time."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())
    }


def pragma(path: Path, name: str) -> Any:
    db = sqlite3.connect(path)
    try:
        return db.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        db.close()


def schema(path: Path) -> dict[str, Any]:
    """Tables with their columns, and indexes with their columns: the shape, not the SQL text."""
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        shape: dict[str, Any] = {}
        for name in names:
            shape[name] = db.execute(f"PRAGMA table_info({name})").fetchall()
            for index in db.execute(f"PRAGMA index_list({name})").fetchall():
                shape[f"{name}.{index[1]}"] = db.execute(f"PRAGMA index_info({index[1]})").fetchall()
        return shape
    finally:
        db.close()


# --- opening and migrating -------------------------------------------------------------


def test_open_creates_folder_and_file_at_the_current_version(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store.open(db_path) as s:
        assert s.version == SCHEMA_VERSION
        assert s._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s._db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert pragma(db_path, "application_id") == store_schema.APPLICATION_ID
    assert db_path.stat().st_mode & 0o777 == 0o600  # pain and notes are health data
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["hiprot.db"]


def test_an_empty_file_is_a_new_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with Store.open(db_path) as s:
        assert s.version == SCHEMA_VERSION
        assert s.sessions() == []


def _database_at(path: Path, version: int) -> None:
    """A file at an earlier schema version, holding one of every record that version has."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    if version == 0:  # an existing, empty SQLite file
        db.execute("CREATE TABLE scratch (x)")
        db.execute("DROP TABLE scratch")
    else:
        store_schema._migrate(db, path, version)
        db.execute(
            "INSERT INTO session (id, started_at, goal, saved_name, status, planned_seconds, done_seconds, request)"
            " VALUES (7, '2024-05-01T08:00:00', 'strength', 'Morning', 'completed', 600, 600, '{\"goal\": \"strength\"}')"
        )
        db.execute(
            "INSERT INTO session_item VALUES (7, 0, 'clamshell', 'Clamshell', 'done', 300, 300, 2, 20, NULL, 1)"
        )
        db.execute("INSERT INTO pain (session_id, during) VALUES (7, 3)")
        db.execute("INSERT INTO note VALUES (7, 'felt good')")
        db.execute(
            "INSERT INTO saved_routine VALUES ('Morning', '{\"goal\": \"strength\"}',"
            " '2024-04-01T09:00:00', '2024-04-02T09:00:00')"
        )
        db.execute("INSERT INTO measurement VALUES (1, '2024-05-01', 'left', 31.5)")
    db.close()
    assert pragma(path, "user_version") == version


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_migrates_forward_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    old = tmp_path / f"v{version}.db"
    _database_at(old, version)
    with Store.open(old) as s:
        assert s.version == SCHEMA_VERSION
        if version >= 1:  # the data came through
            (session,) = s.sessions()
            assert session.id == 7 and session.pain == 3 and session.pain_next_day is None
            assert session.note == "felt good" and session.saved_name == "Morning"
            assert session.items[0].exercise_id == "clamshell" and session.items[0].per_side is True
            assert s.set_pain_next_day(7, 4)
            assert s.session(7).pain_next_day == 4
            assert s.saved_routine("morning").created_at == datetime(2024, 4, 1, 9)
            assert s.measurements() == [Measurement(1, date(2024, 5, 1), "left", 31.5)]
    assert schema(old) == schema(fresh)


def test_a_migration_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.db"
    _database_at(path, 1)
    broken = (*store_schema.MIGRATIONS[:1], (*store_schema.MIGRATIONS[1][:2], "CREATE TABLE oops ("))
    monkeypatch.setattr(store_schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError):
        Store.open(path)
    assert pragma(path, "user_version") == 1
    assert "session_by_time" not in str(schema(path))  # the statements before the bad one were undone


def test_reopening_does_not_migrate_again(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.add_session(record())
    with Store.open(db_path) as s:
        assert len(s.sessions()) == 1 and s.version == SCHEMA_VERSION


# --- bad files are left untouched ------------------------------------------------------


def _real_database(path: Path, sessions: int = 200) -> None:
    with Store.open(path) as s:
        s.add_sessions(record(T0 + timedelta(days=n), note="x" * 200) for n in range(sessions))


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("SQLite was asked to open a file the header check should refuse")


def _assert_refused(path: Path, error: type[StoreError]) -> StoreError:
    before = snapshot(path.parent)
    with pytest.raises(error) as caught:
        Store.open(path)
    assert snapshot(path.parent) == before, "the file (or its folder) changed"
    assert str(path) in str(caught.value)
    assert "left" in str(caught.value)  # "... left exactly as it was"
    return caught.value


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(0).randbytes(8192), id="random-bytes"),
        pytest.param(b"goal: warmup\nthis is a text file, not a database\n" * 20, id="text"),
        pytest.param(b"SQLite format 3\x00" + b"\x00" * 20, id="cut-in-the-header"),
        pytest.param(b"\x00" * 4096, id="zeros"),  # a page of zeros, as a crash can leave
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_untouched(
    db_path: Path, content: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    monkeypatch.setattr(store_module.sqlite3, "connect", _never)  # refused from its first bytes
    _assert_refused(db_path, CorruptDatabaseError)


@pytest.mark.parametrize("keep", [0.5, 0.9, 4096, 8192])
def test_a_truncated_database_is_refused_and_untouched(db_path: Path, keep: float) -> None:
    db_path.parent.mkdir(parents=True)
    _real_database(db_path)
    size = db_path.stat().st_size
    os.truncate(db_path, int(size * keep) if keep < 1 else int(keep))
    _assert_refused(db_path, CorruptDatabaseError)


def test_a_newer_database_is_refused_and_untouched(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path.parent.mkdir(parents=True)
    _real_database(db_path, sessions=3)
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    monkeypatch.setattr(store_module.sqlite3, "connect", _never)  # the header says it all
    error = _assert_refused(db_path, NewerDatabaseError)
    assert (error.found_version, error.supported_version) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    assert "newer hiprot" in str(error)


def test_a_newer_version_still_in_the_wal_is_refused(db_path: Path) -> None:
    """The header on disk says an old version; only SQLite, reading the WAL, sees the new one."""
    db_path.parent.mkdir(parents=True)
    _real_database(db_path, sessions=3)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    try:
        assert int.from_bytes(db_path.read_bytes()[60:64], "big") == SCHEMA_VERSION  # header is stale
        before = db_path.read_bytes()
        with pytest.raises(NewerDatabaseError):
            Store.open(db_path)
        assert db_path.read_bytes() == before
    finally:
        other.close()


@pytest.mark.parametrize("application_id", [0, 0x12345678])
def test_another_programs_database_is_refused_and_untouched(db_path: Path, application_id: int) -> None:
    db_path.parent.mkdir(parents=True)
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA application_id = {application_id}")
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.execute("INSERT INTO contacts VALUES ('Ada')")
    db.commit()
    db.close()
    error = _assert_refused(db_path, CorruptDatabaseError)
    assert "another program" in str(error)


def test_damage_inside_the_file_stops_the_first_write(db_path: Path) -> None:
    """Damage where the write would not go (the measurement table): only quick_check sees it."""
    db_path.parent.mkdir(parents=True)
    _real_database(db_path)
    page = pragma(db_path, "page_size")
    db = sqlite3.connect(db_path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'measurement'").fetchone()
    db.close()
    with open(db_path, "r+b") as file:
        file.seek(page * (root - 1))
        file.write(random.Random(1).randbytes(page))
    before = snapshot(db_path.parent)
    s = Store.open(db_path)  # cheap open: the header and version are fine
    try:
        with pytest.raises(CorruptDatabaseError) as caught:
            s.add_session(record())
        assert "damage" in str(caught.value) or "malformed" in str(caught.value)
    finally:
        s.close()
    assert snapshot(db_path.parent) == before


def test_an_older_damaged_database_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _database_at(path, 1)
    db = sqlite3.connect(path)
    db.executemany("INSERT INTO note VALUES (?, ?)", [(n, "y" * 500) for n in range(100, 400)])
    db.commit()
    db.close()
    page = pragma(path, "page_size")
    with open(path, "r+b") as file:
        file.seek(page * 4)
        file.write(b"\xff" * page)
    _assert_refused(path, CorruptDatabaseError)


def test_unusable_paths_are_store_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DatabaseAccessError) as caught:
        Store.open(blocker / "hiprot.db")
    assert str(blocker) in str(caught.value)
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(DatabaseAccessError):
        Store.open(folder)


def test_a_busy_database_is_a_locked_error(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)
    with Store.open(db_path) as s:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseLockedError):
                s.add_session(record())
        finally:
            other.execute("ROLLBACK")
            other.close()
        s.add_session(record())  # and it works once the other writer is done
        assert len(s.sessions()) == 1


CHILD = """
import sys, time
from datetime import datetime
from pathlib import Path
from hiprot.models import SessionItem, SessionRecord
from hiprot.store import Store
path, go, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
deadline = time.monotonic() + 30
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
item = SessionItem(0, "clamshell", "Clamshell", "done", 60, 60, 1, 20, None, True)
with Store.open(path) as store:
    store.add_session(SessionRecord(None, datetime(2025, 1, 1, 8, n), "warmup", None, "logged",
                                    60, 60, n % 11, None, f"writer {n}", {"goal": "warmup"}, (item,)))
"""


def test_twenty_processes_logging_at_once_all_land(db_path: Path, tmp_path: Path) -> None:
    """A database that does not exist yet: the writers race to create and migrate it too."""
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), str(go), str(n)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(20)
    ]
    time.sleep(0.3)  # let them all start and wait at the line
    go.touch()
    results = [child.communicate(timeout=60) + (child.returncode,) for child in children]
    for _out, err, code in results:
        assert code == 0 and err == b"", err.decode()
    with Store.open(db_path) as s:
        notes = sorted(r.note for r in s.sessions() if r.note)
        assert notes == sorted(f"writer {n}" for n in range(20))
        assert all(len(r.items) == 1 for r in s.sessions())
        assert s.version == SCHEMA_VERSION


# --- sessions --------------------------------------------------------------------------


def test_a_session_round_trips_with_its_items_pain_and_note(store: Store) -> None:
    original = record(saved="  Morning ", pain=3, next_day=5, note="left hip tight", items=4)
    session_id = store.add_session(original)
    got = store.session(session_id)
    assert got == original._replace(id=session_id, saved_name="Morning")
    assert got.items[1].hold_s == 30 and got.items[1].reps is None
    assert store.session(session_id + 1) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
zones = st.sampled_from([None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=7))])
items_strategy = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=30),
        st.sampled_from(["done", "skipped"]),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
        st.integers(0, 10),
        st.one_of(st.tuples(st.integers(0, 100), st.none()), st.tuples(st.none(), st.integers(0, 600))),
        st.booleans(),
    ),
    max_size=6,
).map(
    lambda rows: tuple(
        SessionItem(n, f"ex-{n}", name, status, planned, done, sets, reps_hold[0], reps_hold[1], side)
        for n, (name, status, planned, done, sets, reps_hold, side) in enumerate(rows)
    )
)
records_strategy = st.builds(
    SessionRecord,
    id=st.none(),
    started_at=st.builds(
        lambda dt, tz: dt.replace(tzinfo=tz), st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)), zones
    ),
    goal=st.sampled_from([g.value for g in Goal]),
    saved_name=st.sampled_from([None, "Morning", "Rest day", "Avant le squat 🏃‍♀️", "x" * 64]),
    status=st.sampled_from(["completed", "partial", "logged"]),
    planned_seconds=st.integers(0, 100_000),
    done_seconds=st.integers(0, 100_000),
    pain=st.none() | st.integers(0, 10),
    pain_next_day=st.none() | st.integers(0, 10),
    # Any text a note may hold: controls and bidi overrides are refused (see below).
    note=st.none() | st.text(NOTE_CHARS, max_size=200),
    request=st.dictionaries(st.text(max_size=8), json_values, max_size=5),
    items=items_strategy,
)


@pytest.fixture(scope="module")
def quick_store(tmp_path_factory: pytest.TempPathFactory):
    """One store for many examples; no fsync per commit (durability is not under test here)."""
    with Store.open(tmp_path_factory.mktemp("roundtrip") / "hiprot.db") as s:
        s._db.execute("PRAGMA synchronous = OFF")
        yield s


@settings(max_examples=80, deadline=None)
@given(original=records_strategy)
def test_any_session_round_trips(quick_store: Store, original: SessionRecord) -> None:
    session_id = quick_store.add_session(original)
    got = quick_store.session(session_id)
    assert got == original._replace(id=session_id)
    assert got.started_at.isoformat() == original.started_at.isoformat()  # offset kept too


def test_to_dict_is_json_data(store: Store) -> None:
    import json

    got = store.session(store.add_session(record(note="n")))
    data = json.loads(json.dumps(got.to_dict()))
    assert data["started_at"] == T0.isoformat() and data["items"][0]["exercise_id"] == "exercise-0"


def test_sessions_newest_first_since_a_day_and_limited(store: Store) -> None:
    day = date(2025, 3, 10)
    times = [
        datetime.combine(day - timedelta(days=1), datetime.max.time()),  # 23:59:59.999999 the day before
        datetime.combine(day, datetime.min.time()),  # midnight: on the day
        datetime(2025, 3, 10, 18, 0),
        datetime(2025, 3, 12, 7, 0),
        datetime(2025, 3, 12, 7, 0),  # same time: the later id counts as newer
    ]
    ids = store.add_sessions(record(t) for t in times)
    assert [r.id for r in store.sessions()] == [ids[4], ids[3], ids[2], ids[1], ids[0]]
    assert [r.id for r in store.sessions(since=day)] == [ids[4], ids[3], ids[2], ids[1]]
    assert [r.id for r in store.sessions(since=day, limit=2)] == [ids[4], ids[3]]
    assert store.sessions(since=date(2025, 4, 1)) == []
    assert store.sessions(limit=0) == []
    summary = store.sessions(limit=1, full=False)[0]
    assert summary.items == () and summary.request == {} and summary.pain == 2


def test_backdated_sessions_sort_by_when_they_happened(store: Store) -> None:
    late = store.add_session(record(datetime(2025, 5, 1)))
    early = store.add_sessions(record(datetime(2024, 1, 1) + timedelta(days=n), items=n % 3) for n in range(50))
    got = store.sessions(limit=3)
    assert [r.id for r in got] == [late, early[-1], early[-2]]
    assert [len(r.items) for r in got] == [2, 49 % 3, 48 % 3]


def test_sessions_for_a_saved_routine_are_oldest_first_and_any_case(store: Store) -> None:
    ids = store.add_sessions(
        record(T0 + timedelta(days=n), saved="Morning" if n % 2 == 0 else "Evening") for n in range(10)
    )
    morning = [ids[n] for n in range(0, 10, 2)]
    assert [r.id for r in store.sessions_for_saved("morning")] == morning
    assert [r.id for r in store.sessions_for_saved("MORNING", limit=2)] == morning[-2:]
    assert store.sessions_for_saved("Noon") == []


def test_session_days_one_per_session_oldest_first(store: Store) -> None:
    store.add_sessions(record(t) for t in [datetime(2025, 3, 5, 9), datetime(2025, 3, 4, 9), datetime(2025, 3, 5, 18)])
    assert store.session_days() == [date(2025, 3, 4), date(2025, 3, 5), date(2025, 3, 5)]
    assert store.session_days(since=date(2025, 3, 5)) == [date(2025, 3, 5)] * 2


def test_delete_session_takes_its_items_pain_and_note(store: Store) -> None:
    keep = store.add_session(record(note="keep"))
    gone = store.add_session(record(note="gone", next_day=1))
    assert store.delete_session(gone) is True
    assert store.delete_session(gone) is False
    for table in ("session_item", "pain", "note"):
        (count,) = store._db.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?", (gone,)).fetchone()
        assert count == 0, table
    assert [r.id for r in store.sessions()] == [keep]


def test_pain_next_day(store: Store) -> None:
    no_pain = store.add_session(record(pain=None))
    assert store.session(no_pain).pain is None
    assert store.set_pain_next_day(no_pain, 6) is True
    got = store.session(no_pain)
    assert (got.pain, got.pain_next_day) == (None, 6)
    assert store.set_pain_next_day(no_pain + 99, 2) is False
    with pytest.raises(InvalidValue):
        store.set_pain_next_day(no_pain, 11)


@pytest.mark.parametrize(
    "change",
    [
        {"pain": 11},
        {"pain": -1},
        {"pain": True},
        {"pain_next_day": 10.5},
        {"status": "done"},
        {"goal": ""},
        {"planned_seconds": -1},
        {"done_seconds": 1.5},
        {"started_at": date(2025, 1, 1)},
        {"request": {"avoid": {"knee-pain"}}},  # a set is not JSON
        {"request": {"x": float("nan")}},
        {"saved_name": "bad\nname"},
        {"items": (item(0)._replace(status="half"),)},
        {"items": (item(0)._replace(sets=-2),)},
        {"items": (item(0)._replace(reps=None, hold_s=-5),)},
    ],
)
def test_invalid_sessions_are_refused_before_anything_is_written(store: Store, change: dict[str, Any]) -> None:
    with pytest.raises(StoreError):
        store.add_sessions([record(), record()._replace(**change)])
    assert store.sessions() == []


def test_a_failing_batch_leaves_nothing_behind(store: Store) -> None:
    """An error inside the transaction (two items at one position) undoes the whole batch."""
    bad = record()._replace(items=(item(0), item(0)))
    with pytest.raises(StoreError):
        store.add_sessions([record(), bad])
    assert store.sessions() == []
    assert store._db.execute("SELECT count(*) FROM session_item").fetchone()[0] == 0


def test_queries_use_the_indexes(store: Store) -> None:
    def plan(sql: str, *params: Any) -> str:
        return " ".join(str(row[-1]) for row in store._db.execute("EXPLAIN QUERY PLAN " + sql, params))

    since = plan(
        f"SELECT {store_module._SESSION_COLUMNS} FROM {store_module._SESSION_FROM} WHERE s.started_at >= ?"
        " ORDER BY s.started_at DESC, s.id DESC",
        "2025-01-01",
    )
    assert "session_by_time" in since and "TEMP B-TREE" not in since
    saved = plan(
        f"SELECT s.id FROM {store_module._SESSION_FROM} WHERE s.saved_name = ? ORDER BY s.started_at DESC, s.id DESC",
        "Morning",
    )
    assert "session_by_saved" in saved and "TEMP B-TREE" not in saved
    items = plan(f"SELECT {store_module._ITEM_COLUMNS} FROM session_item WHERE session_id BETWEEN ? AND ?", 1, 9)
    assert "PRIMARY KEY" in items
    assert "measurement_by_day" in plan("SELECT * FROM measurement ORDER BY taken_on, id")


# --- saved routines --------------------------------------------------------------------


def test_saved_routine_round_trips_a_request_with_avoid(store: Store) -> None:
    request = Request(
        Goal.STRENGTH,
        Level.INTERMEDIATE,
        positions=frozenset({Position.LYING, Position.SEATED}),
        equipment=frozenset({Equipment.BAND}),
        muscles=(Muscle.GLUTEUS_MEDIUS,),
        minutes=15,
        seed=3,
        avoid=frozenset({Precaution.HIP_REPLACEMENT, Need.KNEELING}),
    )
    now = datetime(2025, 3, 1, 9, 0)
    saved = store.save_routine("Before squats", request.to_dict(), now)
    assert saved.created_at == saved.updated_at == now
    got = store.saved_routine("before SQUATS")
    assert got == saved
    assert Request.from_dict(got.request) == request


def test_saving_a_taken_name_needs_replace(store: Store) -> None:
    first = datetime(2025, 3, 1, 9)
    store.save_routine("Morning", REQUEST, first)
    with pytest.raises(SavedRoutineExists) as caught:
        store.save_routine("morning", {"goal": "strength"}, first + timedelta(days=1))
    assert caught.value.name == "Morning"  # the name as it was saved
    assert store.saved_routine("Morning").request == REQUEST
    later = first + timedelta(days=2)
    replaced = store.save_routine("MORNING", {"goal": "strength"}, later, replace=True)
    assert (replaced.name, replaced.created_at, replaced.updated_at) == ("MORNING", first, later)
    assert [r.name for r in store.saved_routines()] == ["MORNING"]
    assert store.saved_routine("morning").request == {"goal": "strength"}


def test_saved_routines_listed_by_name_and_deleted(store: Store) -> None:
    for name in ("rest day", "Before squats", "Morning"):
        store.save_routine(name, REQUEST, T0)
    assert [r.name for r in store.saved_routines()] == ["Before squats", "Morning", "rest day"]
    store.delete_saved("MORNING")
    assert [r.name for r in store.saved_routines()] == ["Before squats", "rest day"]
    with pytest.raises(UnknownSavedRoutine) as caught:
        store.delete_saved("Morning")
    assert caught.value.known == ("Before squats", "rest day")
    with pytest.raises(UnknownSavedRoutine) as caught:
        store.saved_routine("Noon")
    assert "Before squats" in str(caught.value)


def test_deleting_a_saved_routine_keeps_its_history(store: Store) -> None:
    store.save_routine("Morning", REQUEST, T0)
    store.add_session(record(saved="Morning"))
    store.delete_saved("Morning")
    assert [r.saved_name for r in store.sessions_for_saved("Morning")] == ["Morning"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("x" * 65, "longer than 64"),
        ("bell\x07", "control character"),
        ("two\nlines", "control character"),
        ("tab\there", "control character"),
        ("evil\u202etxt.exe", "control character"),  # right-to-left override
        ("zero\u200bwidth", "control character"),
        ("del\x7f", "control character"),
    ],
)
def test_bad_names_are_refused(store: Store, name: str, reason: str) -> None:
    with pytest.raises(BadName) as caught:
        store.save_routine(name, REQUEST, T0)
    assert reason in caught.value.reason
    assert store.saved_routines() == []


@pytest.mark.parametrize("name", ["Morning", "x" * 64, "Avant le squat", "🏃‍♀️ run day", "名前", "  padded  "])
def test_good_names_are_kept(store: Store, name: str) -> None:
    saved = store.save_routine(name, REQUEST, T0)
    assert saved.name == name.strip()
    assert store.saved_routine(name).name == name.strip()


def test_a_request_must_be_plain_data(store: Store) -> None:
    with pytest.raises(InvalidValue):
        store.save_routine("Morning", {"when": datetime(2025, 1, 1)}, T0)


# --- measurements ----------------------------------------------------------------------


def test_measurements_round_trip_oldest_first(store: Store) -> None:
    a = store.add_measurement(date(2025, 3, 2), "right", 38)
    b = store.add_measurement(date(2025, 3, 1), "left", 31.5)
    c = store.add_measurement(date(2025, 3, 2), "left", 0)
    d = store.add_measurement(date(2025, 3, 2), "left", 90.0)
    assert store.measurements() == [
        Measurement(b, date(2025, 3, 1), "left", 31.5),
        Measurement(a, date(2025, 3, 2), "right", 38.0),
        Measurement(c, date(2025, 3, 2), "left", 0.0),
        Measurement(d, date(2025, 3, 2), "left", 90.0),
    ]
    assert store.delete_measurement(a) is True and store.delete_measurement(a) is False
    assert len(store.measurements()) == 3


@pytest.mark.parametrize(
    ("taken_on", "side", "degrees"),
    [
        (date(2025, 3, 1), "middle", 30),
        (date(2025, 3, 1), "Left", 30),
        (date(2025, 3, 1), "left", -0.5),
        (date(2025, 3, 1), "left", 90.5),
        (date(2025, 3, 1), "left", float("nan")),
        (date(2025, 3, 1), "left", float("inf")),
        (date(2025, 3, 1), "left", True),
        (date(2025, 3, 1), "left", "30"),
        ("2025-03-01", "left", 30),
        (datetime(2025, 3, 1, 9), "left", 30),
    ],
)
def test_bad_measurements_are_refused(store: Store, taken_on: Any, side: Any, degrees: Any) -> None:
    with pytest.raises(InvalidValue):
        store.add_measurement(taken_on, side, degrees)
    assert store.measurements() == []


# --- pure helpers ----------------------------------------------------------------------

TODAY = date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([], 0),
        ([0], 1),
        ([1], 1),  # yesterday: the streak is alive until today is over
        ([2], 0),
        ([0, 1, 2, 4], 3),
        ([1, 2, 3], 3),
        ([0, 0, 1, 1], 2),  # two sessions a day count once
        ([-1, 0], 1),  # a day after today is ignored
        ([-1], 0),
    ],
)
def test_streak(offsets: list[int], expected: int) -> None:
    assert streak([TODAY - timedelta(days=n) for n in offsets], TODAY) == expected


def test_weekly_counts_monday_weeks_oldest_first() -> None:
    days = [
        date(2025, 3, 10),  # Monday of this week
        date(2025, 3, 12),
        date(2025, 3, 12),  # two sessions one day: two
        date(2025, 3, 9),  # Sunday: last week
        date(2025, 2, 17),  # Monday, four weeks back
        date(2025, 2, 16),  # five weeks back: outside a 4-week window
        date(2025, 3, 20),  # next week: outside
    ]
    assert weekly_counts(days, TODAY, 4) == [
        (date(2025, 2, 17), 1),
        (date(2025, 2, 24), 0),
        (date(2025, 3, 3), 1),
        (date(2025, 3, 10), 3),
    ]
    assert weekly_counts(days, TODAY, 0) == []
    assert [monday.weekday() for monday, _ in weekly_counts([], date(2025, 3, 16), 8)] == [0] * 8
    assert weekly_counts([], date(2025, 3, 16), 8)[-1] == (date(2025, 3, 10), 0)  # Sunday ends a week
    with pytest.raises(ValueError):
        weekly_counts([], TODAY, -1)


# --- the module itself -----------------------------------------------------------------


def test_store_imports_only_the_standard_library() -> None:
    code = (
        "import sys, hiprot.store\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'rich', 'typer', 'yaml', 'platformdirs', 'click', 'hypothesis'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('hiprot')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "[]"
    # Its own package, the errors, and the pure records and limits it stores: nothing else of hiprot's.
    loaded = set(ast.literal_eval(out[1]))
    assert {"hiprot", "hiprot.errors", "hiprot.store"} <= loaded
    assert loaded <= {"hiprot", "hiprot.errors", "hiprot.models", "hiprot.limits"} | {
        m for m in loaded if m == "hiprot.store" or m.startswith("hiprot.store.")
    }


@pytest.mark.parametrize(
    "module", ["store/__init__.py", "store/schema.py", "store/rows.py", "progression.py"]
)
def test_core_modules_name_no_command_line_flag(module: str) -> None:
    source = (SRC / "hiprot" / module).read_text()
    strings = [
        tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.STRING
    ]
    assert strings
    assert [s for s in strings if re.search(r"--[a-z]", s)] == []


def test_every_store_error_is_a_hiprot_error_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    errors = [
        CorruptDatabaseError(path, "it is not a SQLite database"),
        NewerDatabaseError(path, 3, 2),
        DatabaseLockedError(path, 10.0),
        DatabaseAccessError(path, "Permission denied"),
        UnknownSavedRoutine("x", ["a"]),
        UnknownSavedRoutine("x"),
        SavedRoutineExists("x"),
        BadName("", "it is empty"),
        InvalidValue("pain", 11, "it must be a whole number from 0 to 10"),
    ]
    for error in errors:
        assert isinstance(error, HiprotError)
        assert "--" not in str(error) and "\n" not in str(error)
    assert all(str(path) in str(e) for e in errors[:4])


def test_history_db_bench_builds_daily_sessions(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("history_db", ROOT / "bench" / "history_db.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "bench.db"
    today = date(2025, 6, 2)
    assert bench.make_history_db(path, days=40, today=today) == 40
    with Store.open(path) as s:
        sessions = s.sessions()
        assert len(sessions) == 40 and all(3 <= len(r.items) <= 6 for r in sessions)
        assert sessions[0].day == today and sessions[-1].day == today - timedelta(days=39)
        assert streak(s.session_days(), today) == 40
        assert len(s.saved_routines()) == 3 and s.measurements()


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x7f", "\x9b", "\u202e", "\u2066", "\ud800"])
def test_a_note_with_a_control_or_bidi_character_is_refused(tmp_path: Path, char: str) -> None:
    record = SessionRecord(None, datetime(2026, 11, 30, 8, 0, tzinfo=UTC), "warmup", None, "logged", 60, 60,
                           None, None, f"ok{char}[2J", {})  # fmt: skip
    with Store.open(tmp_path / "h.db") as store:
        with pytest.raises(InvalidValue, match="control character"):
            store.add_session(record)
        assert store.sessions() == []


# --- schema 3: abandoned sessions and plans (issue 18) ------------------------------------


def test_migration_3_keeps_every_row_and_marks_early_stops_abandoned(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    _database_at(path, 2)
    db = sqlite3.connect(path, isolation_level=None)
    rows = [(8, "partial", 600, 40), (9, "partial", 600, 100), (10, "partial", 600, 300), (11, "logged", 600, 0)]
    for sid, status, planned, done in rows:
        db.execute("INSERT INTO session (id, started_at, goal, saved_name, status, planned_seconds, done_seconds,"
                   " request) VALUES (?, '2024-05-02T08:00:00', 'warmup', 'Morning', ?, ?, ?, '{}')",
                   (sid, status, planned, done))  # fmt: skip
        db.execute("INSERT INTO session_item VALUES (?, 0, 'clamshell', 'Clamshell', 'done', 300, 30, 2, 20, NULL, 1)",
                   (sid,))  # fmt: skip
    db.close()
    with Store.open(path) as s:
        found = {r.id: r for r in s.sessions()}
        assert {k: v.status for k, v in found.items()} == {
            7: "completed", 8: "abandoned", 9: "abandoned", 10: "partial", 11: "logged"}  # fmt: skip
        assert all(r.items for r in found.values())  # rebuilding the table cascaded nothing
        assert found[7].pain == 3 and found[7].note == "felt good"
        assert len(s.session_days()) == 3  # abandoned sessions count in no streak or chart
        assert [r.id for r in s.sessions_for_saved("morning")] == [7, 10, 11]  # nor in progression
        assert s.delete_session(7) and s.session(7) is None  # foreign keys are on again: the items went too
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM session_item WHERE session_id = 7").fetchone()[0] == 0


def test_an_abandoned_session_round_trips(store: Store) -> None:
    sid = store.add_session(record(status="abandoned"))
    assert store.session(sid).status == "abandoned" and not store.session(sid).counted
    assert store.session_days() == []


def test_plans_one_at_a_time_and_ended_ones_kept(store: Store) -> None:
    now = datetime(2026, 11, 29, 9, tzinfo=UTC)
    assert store.active_plan() is None and store.end_plan(now) is None
    made = store.add_plan(date(2026, 11, 30), 6, [4, 0, 2, 2], "Hips", "strength", now)
    assert made.days == (0, 2, 4) and store.active_plan() == made
    with pytest.raises(store_module.PlanExists) as caught:
        store.add_plan(date(2026, 12, 7), 4, [1], "Hips", "strength", now)
    assert caught.value.start == date(2026, 11, 30)
    ended = store.end_plan(now + timedelta(days=3))
    assert ended is not None and ended.ended_at == now + timedelta(days=3) and store.active_plan() is None
    again = store.add_plan(date(2026, 12, 7), 4, [1], "Hips", "strength", now)
    assert again.id != made.id
    for weeks, days in ((0, [1]), (53, [1]), (True, [1]), (4, []), (4, [7]), (4, [-1])):
        with pytest.raises(InvalidValue):
            store.add_plan(date(2026, 12, 7), weeks, days, "x", "warmup", now)


def test_a_damaged_plan_row_names_the_row(db_path: Path) -> None:
    now = datetime(2026, 11, 29, 9, tzinfo=UTC)
    with Store.open(db_path) as s:
        s.add_plan(date(2026, 11, 30), 6, [0], "Hips", "strength", now)
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE plan SET days = 'mon,wed'")
    with Store.open(db_path) as s, pytest.raises(CorruptDatabaseError, match="row 1 of the plan table"):
        s.active_plan()


def test_backup_copies_everything_and_never_overwrites_unasked(store: Store, tmp_path: Path) -> None:
    store.add_session(record())
    store.add_measurement(date(2025, 3, 3), "left", 30)
    target = tmp_path / "copy.db"
    store.backup(target)
    with Store.open(target) as copy:
        assert len(copy.sessions()) == 1 and len(copy.measurements()) == 1
    with pytest.raises(StoreError, match="already exists"):
        store.backup(target)
    store.add_session(record(T0 + timedelta(days=1)))
    store.backup(target, replace=True)
    with Store.open(target) as copy:
        assert len(copy.sessions()) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_sessions_near_finds_the_same_moment_across_time_zones(store: Store) -> None:
    at = datetime(2026, 11, 30, 23, 55, tzinfo=UTC)
    sid = store.add_session(record(at))
    elsewhere = at.astimezone(timezone(timedelta(hours=5)))  # 04:55 the next day there
    assert [r.id for r in store.sessions_near(elsewhere + timedelta(minutes=9), timedelta(minutes=10))] == [sid]
    assert store.sessions_near(at + timedelta(minutes=11), timedelta(minutes=10)) == []
    assert store.latest_session().id == sid
