"""Rows in and out of the history database: every value checked on the way in (names,
pains, counts, statuses, a plan's fields) and decoded on the way out, a row that does not
decode being damage another program did (`DamagedRowError` names it). Standard library only."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hiprot.errors import (
    BadName,
    DamagedRowError,
    InvalidValue,
)
from hiprot.limits import DEGREES_MAX, DEGREES_MIN, NAME_MAX, PAIN_MAX
from hiprot.limits import PLAN_WEEKS_MAX as WEEKS_MAX
from hiprot.models import Measurement, Plan, SavedRoutine, SessionItem, SessionRecord
from hiprot.store.schema import ITEM_STATUSES, SESSION_STATUSES, SIDES

if TYPE_CHECKING:
    from hiprot.psfs import Activity, Rating

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


def _decoded(path: Path, table: str, key: object, decode: Callable[[Any], _T], row: Any) -> _T:
    try:
        return decode(row)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:  # JSONDecodeError too
        raise DamagedRowError(path, table, key, str(error)[:80]) from None


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
    ended = row[7]
    return Plan(_int(row[0]), _day(row[1]), weeks, days, _str(row[4]), _str(row[5]), _moment(row[6]),
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




def _plan_fields(start: date, weeks: int, days: Sequence[int]) -> tuple[int, ...]:
    """The plan's days, sorted, once weeks, days and start are checked (InvalidValue if not)."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= WEEKS_MAX:
        raise InvalidValue("weeks", weeks, f"it must be a whole number from 1 to {WEEKS_MAX}")
    chosen = tuple(sorted(set(days)))
    if not chosen or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in chosen):
        raise InvalidValue("days", days, "they must be days of the week, 0 (Monday) to 6 (Sunday)")
    if not isinstance(start, date) or isinstance(start, datetime):
        raise InvalidValue("start", start, "it must be a calendar date")
    return chosen



_ACTIVITY_COLUMNS = "id, name, added_on, removed_on"


def _activity(row: Any) -> Activity:
    from hiprot.psfs import Activity, clean_activity

    removed = None if row[3] is None else _day(row[3])
    return Activity(_int(row[0]), clean_activity(_str(row[1])), _day(row[2]), removed)


def _rating(row: Any) -> Rating:
    from hiprot.psfs import Rating, check_score

    return Rating(_int(row[0]), _day(row[1]), check_score(row[2]))


def _checked_text(field: str, value: Any, check: Callable[[Any], _T]) -> _T:
    """`check(value)`, its ValueError worded as a value the history cannot hold."""
    try:
        return check(value)
    except ValueError as error:
        raise InvalidValue(field, value, str(error)) from None
