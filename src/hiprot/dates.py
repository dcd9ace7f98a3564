"""When something happened, from the words a person types. Pure: the clock is a parameter.

`parse_when(text, now)` accepts `YYYY-MM-DD` (at noon, or now if that is earlier), a
date and time (`2026-11-24 18:30`, any ISO-8601 form), `today`, `yesterday` and `Nd`
(N days ago). Anything before `limits.DATE_FLOOR` or after `now` is refused with a `DateError`
that says which, so no date arithmetic can overflow and nothing is recorded in the future.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from hiprot.errors import DateError
from hiprot.limits import DATE_FLOOR

EARLIEST = DATE_FLOOR
NOON = time(12, 0)
_DAYS_AGO = re.compile(r"([0-9]{1,12})d")
_LONGEST = 40  # characters; no date or time is longer


def local_now(clock: Callable[[tzinfo], datetime] = datetime.now) -> tuple[datetime, bool]:
    """The current time in the local time zone, and False; or, when the system's zone
    cannot be used (TZ=UTC+24 names an offset of a whole day, which Python refuses),
    the time in UTC and True, so that the caller can say so once. `clock(tz)` gives the
    time in a zone (datetime.now)."""
    moment = clock(UTC)
    try:
        return moment.astimezone(), False
    except (ValueError, OverflowError, OSError):
        return moment, True


def parse_when(text: str, now: datetime) -> datetime:
    """The moment `text` names, in `now`'s time zone when it gives none; DateError if
    it is not a date, is before the date floor or is later than `now`."""
    word = text.strip().lower()
    if word in ("today", "now"):
        return now
    if word == "yesterday":
        return _checked(text, now - timedelta(days=1), now)
    ago = _DAYS_AGO.fullmatch(word)
    if ago:
        days = int(ago.group(1))
        if days > (now.date() - EARLIEST).days:
            raise DateError(text, "too-early", EARLIEST)
        return now - timedelta(days=days)
    if len(word) > _LONGEST or not word.isascii():
        raise DateError(text, "not-a-date")
    try:
        if len(word) <= 10:
            day = date.fromisoformat(word)
            if day < EARLIEST:
                raise DateError(text, "too-early", EARLIEST)
            # A date alone means the middle of that day (a time nobody typed is a guess,
            # and noon keeps the day whatever the zone); today, not later than now.
            noon = datetime.combine(day, NOON, now.tzinfo)
            return _checked(text, min(now, noon) if day == now.date() else noon, now)
        moment = datetime.fromisoformat(word.upper())
    except ValueError:  # includes "day is out of range for month" and February 29th of 2027
        raise DateError(text, "not-a-date") from None
    if moment.date() < EARLIEST:
        raise DateError(text, "too-early", EARLIEST)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return _checked(text, moment, now)


def _checked(text: str, moment: datetime, now: datetime) -> datetime:
    if moment.date() < EARLIEST:
        raise DateError(text, "too-early", EARLIEST)
    # Compared as instants, so 00:30 tomorrow at UTC+14 can be an hour ago at UTC.
    aware = (moment.tzinfo is None) == (now.tzinfo is None)
    if moment > now if aware else moment.date() > now.date():
        raise DateError(text, "future", now.date())
    return moment
