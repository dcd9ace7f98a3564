"""When something happened, from the words a person types. Pure: the clock is a parameter.

`parse_when(text, now)` accepts `YYYY-MM-DD` (at `now`'s time of day), a full ISO-8601
time, `today`, `yesterday` and `Nd` (N days ago). Anything before `limits.DATE_FLOOR` or after
`now` is refused with a `DateError` that says which, so no date arithmetic can overflow
and nothing is recorded in the future.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from hiprot.errors import DateError
from hiprot.limits import DATE_FLOOR

EARLIEST = DATE_FLOOR
_DAYS_AGO = re.compile(r"([0-9]{1,12})d")
_LONGEST = 40  # characters; no date or time is longer


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
            return _checked(text, now.replace(year=day.year, month=day.month, day=day.day), now)
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
