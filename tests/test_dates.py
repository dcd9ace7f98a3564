"""parse_when: the dates a person can type for --when, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hiprot.dates import EARLIEST, parse_when
from hiprot.errors import DateError

NOW = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", NOW),
        ("Yesterday", NOW - timedelta(days=1)),
        ("3d", NOW - timedelta(days=3)),
        ("0d", NOW),
        ("2026-11-20", datetime(2026, 11, 20, 12, 0, tzinfo=UTC)),  # a date alone: noon (issue 25)
        ("2026-11-30", NOW),  # today before noon: now, never the future
        ("1900-01-01", datetime(1900, 1, 1, 12, 0, tzinfo=UTC)),
        ("2026-11-24 18:30", datetime(2026, 11, 24, 18, 30, tzinfo=UTC)),
        ("2026-11-29T18:30:00", datetime(2026, 11, 29, 18, 30, tzinfo=UTC)),
        ("2026-11-29t18:30:00z", datetime(2026, 11, 29, 18, 30, tzinfo=UTC)),
    ],
)
def test_accepted(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0001-01-01T00:00:00", "too-early"),  # issue 16 row 2: "year 0 is out of range" before
        ("0001-01-01", "too-early"),
        ("1899-12-31", "too-early"),
        ("0001-01-01T00:00:00+14:00", "too-early"),
        ("99999999999999999999d", "not-a-date"),
        ("999999999999d", "too-early"),
        ("47000d", "too-early"),
        ("2026-11-31", "not-a-date"),
        ("2026-12-01", "future"),
        ("9999-12-31T23:59:59", "future"),
        ("2026-11-30T09:16:00", "future"),
        ("soon", "not-a-date"),
        ("", "not-a-date"),
        ("２０２６-11-20", "not-a-date"),
        ("\x1b[2J", "not-a-date"),
        ("x" * 5000, "not-a-date"),
    ],
)
def test_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text, NOW)
    assert caught.value.problem == problem
    assert caught.value.text == text
    message = str(caught.value)
    assert "\x1b" not in message and len(message) < 200 and "--" not in message


def test_an_instant_earlier_than_now_is_not_the_future_whatever_its_date() -> None:
    # 00:30 on 1 December at UTC+14 (Kiritimati) is 10:30 UTC on 30 November.
    kiritimati = timezone(timedelta(hours=14))
    late = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert parse_when("2026-12-01T00:30:00+14:00", late) == datetime(2026, 12, 1, 0, 30, tzinfo=kiritimati)


def test_a_clock_at_utc_plus_14_still_refuses_the_far_past() -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=timezone(timedelta(hours=14)))
    with pytest.raises(DateError):
        parse_when("0001-01-01T00:00:00", now)
    assert parse_when("1d", now).date() == date(2026, 11, 30)
    assert date(1900, 1, 1) == EARLIEST
