"""progress.py: the progress report's numbers, from records passed in (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

import pytest

from hiprot.limits import MDC_DEGREES
from hiprot.progress import build, dose_changes, monday

TODAY = date(2026, 11, 30)  # a Monday


class S(NamedTuple):
    id: int
    started_at: datetime
    goal: str = "warmup"
    saved_name: str | None = None
    status: str = "logged"
    planned_seconds: int = 600
    done_seconds: int = 600
    pain: int | None = None
    pain_next_day: int | None = None
    note: str | None = None


class R(NamedTuple):
    taken_on: date
    side: str
    degrees: float


def at(day: str, hour: int = 8) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_weeks_start_on_monday_and_only_the_window_counts() -> None:
    sessions = [S(1, at("2026-10-01")), S(2, at("2026-11-16")), S(3, at("2026-11-22")), S(4, at("2026-11-23")),
                S(5, at("2026-11-30")), S(6, at("2026-12-01"))]  # fmt: skip
    p = build(sessions, [], TODAY, 3)
    assert p.first_day == date(2026, 11, 16) == monday(date(2026, 11, 22))
    assert [(w.monday.isoformat(), w.sessions) for w in p.weeks] == [
        ("2026-11-16", 2), ("2026-11-23", 1), ("2026-11-30", 1)]  # fmt: skip
    assert [s.id for s in p.sessions] == [2, 3, 4, 5]  # before the window and after today: left out
    assert p.planned_per_week is None and p.adherence is None and all(w.adherence is None for w in p.weeks)


def test_abandoned_sessions_are_listed_but_never_counted() -> None:
    # The history decides (programme.is_abandoned, when the session is recorded).
    sessions = [S(1, at("2026-11-24"), status="abandoned", done_seconds=30),
                S(2, at("2026-11-25"), status="abandoned", done_seconds=100, planned_seconds=900),
                S(3, at("2026-11-26"), status="partial", done_seconds=400, planned_seconds=900)]  # fmt: skip
    p = build(sessions, [], TODAY, 2)
    assert [s.counted for s in p.sessions] == [False, False, True]
    assert p.weeks[0].sessions == 1 and p.counted == 1 and p.abandoned == 2


def test_adherence_against_a_plan_per_week_and_overall() -> None:
    days = ["2026-11-16", "2026-11-18", "2026-11-20", "2026-11-21", "2026-11-24"]
    p = build([S(n, at(d)) for n, d in enumerate(days)], [], TODAY, 3, planned_per_week=3)
    assert [(w.sessions, w.planned, w.adherence) for w in p.weeks] == [(4, 3, 1.0), (1, 3, 1 / 3), (0, 3, 0.0)]
    assert p.planned_so_far == 9
    assert p.adherence == pytest.approx(4 / 9)  # a fourth session in one week does not make up for another
    data = p.to_dict()
    assert data["plan"] == {"sessions_per_week": 3} and data["adherence"] == 0.444
    assert data["weeks"][1] == {"week_of": "2026-11-23", "sessions": 1, "planned": 3, "adherence": 0.333}


def test_readings_per_side_with_the_noise_band_and_change() -> None:
    readings = [R(date(2026, 9, 1), "left", 10), R(date(2026, 11, 2), "left", 28), R(date(2026, 11, 2), "right", 35),
                R(date(2026, 11, 27), "left", 36), R(date(2026, 11, 27), "right", 37)]  # fmt: skip
    p = build([], readings, TODAY, 8)
    left, right = p.sides
    assert [pt.degrees for pt in right.points] == [35, 37]
    assert [pt.degrees for pt in left.points] == [28, 36]  # the September reading is outside the window
    assert left.band == pytest.approx((28 - MDC_DEGREES, 28 + MDC_DEGREES)) and left.change == 8
    data = p.to_dict()["rotation"]
    assert data["usual_range"] == [30, 45] and data["mdc_degrees"] == 5.4
    assert data["left"]["noise_band"] == [22.6, 33.4] and data["left"]["beyond_noise"] is True
    assert data["right"]["change"] == 2 and data["right"]["beyond_noise"] is False
    assert any("a real gain" in line for line in data["verdict"])
    assert build([], [], TODAY, 8).sides[0].band is None


def test_pain_during_and_next_day_are_kept_per_session() -> None:
    p = build([S(1, at("2026-11-24"), pain=2, pain_next_day=5), S(2, at("2026-11-26"), pain=None)], [], TODAY, 2)
    assert [(s.pain, s.pain_next_day) for s in p.sessions] == [(2, 5), (None, None)]
    assert p.pain_values == [2, 5]
    assert p.to_dict()["sessions"][0] == {"id": 1, "date": "2026-11-24", "routine": "warmup", "status": "logged",
                                          "done_seconds": 600, "planned_seconds": 600, "counted": True,
                                          "pain": 2, "pain_next_day": 5, "note": None}  # fmt: skip


def test_dose_changes_are_the_notes_progression_added() -> None:
    base = ("Bodyweight only.",)
    adapted = base + ("Clamshell 2 x 20 → 3 x 20: two sessions in a row at pain 3 or less",)
    found = dose_changes("hips", base, adapted, 3)
    assert found.changes == adapted[1:] and found.to_dict() == {"routine": "hips", "sessions": 3,
                                                               "changes": list(adapted[1:])}  # fmt: skip
    assert dose_changes("hips", base, base, 0).changes == ()


def test_weeks_must_be_positive() -> None:
    with pytest.raises(ValueError):
        build([], [], TODAY, 0)


def test_a_start_date_begins_the_window_there_with_no_empty_weeks_before() -> None:
    sessions = [S(1, at("2026-11-10")), S(2, at("2026-11-19")), S(3, at("2026-11-27"))]
    p = build(sessions, [], TODAY, 8, planned_per_week=2, since=date(2026, 11, 18))  # a Wednesday
    assert p.first_day == date(2026, 11, 18)
    assert [w.monday for w in p.weeks] == [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
    assert [s.id for s in p.sessions] == [2, 3]  # the session before the start is not in it
    assert p.to_dict()["from"] == "2026-11-18"
    with pytest.raises(ValueError):
        build([], [], TODAY, 8, since=date(2026, 12, 1))


def test_the_summary_peak_trend_flags_and_rotation_change() -> None:
    pains = [(5, None), (4, None), (6, 7), (6, None), (2, None), (1, None), (1, None)]
    days = ["2026-11-02", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-23", "2026-11-25", "2026-11-27"]
    sessions = [S(n, at(d), pain=p, pain_next_day=nd) for n, (d, (p, nd)) in enumerate(zip(days, pains), 1)]
    sessions.append(S(9, at("2026-11-28"), status="partial", pain=3,
                      note="Stopped for sharp pain (recorded as pain 3)."))  # fmt: skip
    readings = [R(date(2026, 11, 2), "left", 28), R(date(2026, 11, 27), "left", 35),
                R(date(2026, 11, 2), "right", 33), R(date(2026, 11, 27), "right", 36)]  # fmt: skip
    s = build(sessions, readings, TODAY, 5).summary()
    assert s.peak is not None and (s.peak.pain, s.peak.day, s.peak.next_day) == (7, date(2026, 11, 6), True)
    assert s.trend == "falling" and s.trend_from == pytest.approx(16 / 3) and s.trend_to == pytest.approx(5 / 3)
    assert s.high_pain_runs == ((date(2026, 11, 5), date(2026, 11, 6)),)  # 7 then 6: two in a row
    assert s.sharp_stops == (date(2026, 11, 28),)
    assert s.missed_weeks == (date(2026, 11, 9), date(2026, 11, 16))  # not this week, still under way
    left, right = s.changes
    assert (left.side, left.degrees, left.beyond_error) == ("left", 7, True)
    assert (right.degrees, right.beyond_error) == (3, False)
    assert s.per_week == pytest.approx(8 / 29 * 7)


def test_a_single_high_pain_session_is_no_run() -> None:
    sessions = [S(1, at("2026-11-24"), pain=7), S(2, at("2026-11-25"), pain=2), S(3, at("2026-11-26"), pain=6)]
    assert build(sessions, [], TODAY, 1).summary().high_pain_runs == ()


def test_an_abandoned_session_says_so_once() -> None:
    from hiprot.report.progress import session_cells

    p = build([S(1, at("2026-11-24"), status="abandoned", done_seconds=40, pain=5)], [], TODAY, 2)
    assert session_cells(p.sessions[0])[2] == "abandoned (not counted)"
