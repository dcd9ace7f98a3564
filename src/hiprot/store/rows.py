"""Row decoding: the one way a row read from the history database becomes a record. A
row that does not decode is damage another program did (`DamagedRowError` names it).
Standard library only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hiprot.errors import (
    DamagedRowError,
)
from hiprot.limits import DEGREES_MAX, DEGREES_MIN
from hiprot.limits import PLAN_WEEKS_MAX as WEEKS_MAX
from hiprot.models import Measurement, Plan, SavedRoutine, SessionItem, SessionRecord
from hiprot.store.schema import SIDES

if TYPE_CHECKING:
    from hiprot.psfs import Activity, Rating

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


_ACTIVITY_COLUMNS = "id, name, added_on, removed_on"


def _activity(row: Any) -> Activity:
    from hiprot.psfs import Activity, clean_activity

    removed = None if row[3] is None else _day(row[3])
    return Activity(_int(row[0]), clean_activity(_str(row[1])), _day(row[2]), removed)


def _rating(row: Any) -> Rating:
    from hiprot.psfs import Rating, check_score

    return Rating(_int(row[0]), _day(row[1]), check_score(row[2]))
