"""The seated hip-IR self-test verdict (selftest.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import pytest

from hiprot.selftest import measurement_verdict


class R(NamedTuple):
    taken_on: date
    side: str
    degrees: float


D0 = date(2025, 1, 6)


def readings(side: str, *values: float) -> list[R]:
    return [R(D0 + timedelta(weeks=n), side, v) for n, v in enumerate(values)]


NOISE = "within measurement noise (minimal detectable change 5.4°, Krause et al.)"
NORMAL = "Normal seated hip internal rotation is roughly 30-45°."


def test_verdict_without_readings_is_empty() -> None:
    assert measurement_verdict([]) == []


def test_verdict_on_a_first_reading() -> None:
    assert measurement_verdict(readings("left", 31.5)) == [
        "Left: 31.5° on 2025-01-06, the first reading; measure again in a few weeks to see a trend.",
        NORMAL,
    ]


@pytest.mark.parametrize(
    ("values", "verdict"),
    [
        ((30, 35.9), NOISE),
        ((30, 24.1), NOISE),
        ((30, 33, 36), "a real gain, more than measurement noise"),
        ((36, 30), "a real loss, more than measurement noise"),
        ((30, 40, 31), NOISE),  # first against latest, not the best
    ],
)
def test_verdict_on_change_since_the_first_reading(values: tuple[float, ...], verdict: str) -> None:
    lines = measurement_verdict(readings("right", *values))
    assert lines[0].startswith(f"Right: {values[0]:g}° → {values[-1]:g}° since 2025-01-06 (")
    assert lines[0].endswith(f": {verdict}.")
    assert lines[-1] == NORMAL


def test_verdict_on_the_difference_between_sides() -> None:
    close = measurement_verdict(readings("left", 30, 40) + readings("right", 44, 35))
    assert f"Left and right differ by 5° (latest readings): {NOISE}." in close
    apart = measurement_verdict(readings("left", 30, 32) + readings("right", 30, 40))
    assert "The left hip turns in 8° less than the right (latest readings): a real difference" in apart[2]
    assert apart[0].endswith(f"{NOISE}.") and "real gain" in apart[1]


def test_verdict_reads_readings_in_any_order() -> None:
    mixed = readings("left", 30, 31, 38)[::-1]
    assert "(+8°): a real gain" in measurement_verdict(mixed)[0]
