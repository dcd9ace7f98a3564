"""History renderables: readable at 80 columns without colour, user text never parsed as markup."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from rich.console import Console, RenderableType

from hiprot import selftest
from hiprot.models import Measurement, SessionRecord
from hiprot.report import history
from hiprot.report.history import (
    CHART_WIDTH,
    bar,
    clock,
    measurement_chart,
    measurement_verdict,
    pain_trend,
    sessions_table,
    weekly_chart,
)
from hiprot.store import weekly_counts


def render(renderable: RenderableType, width: int = 80) -> str:
    console = Console(width=width, no_color=True, color_system=None, record=True, force_terminal=False)
    with console.capture() as capture:
        console.print(renderable)
    text = capture.get()
    assert all(len(line) <= width for line in text.splitlines()), text
    return text


def session(
    n: int,
    *,
    pain: int | None = 2,
    next_day: int | None = None,
    saved: str | None = None,
    note: str | None = None,
    status: str = "completed",
    done: int = 600,
) -> SessionRecord:
    return SessionRecord(
        id=n,
        started_at=datetime(2025, 3, 1, 7, 30) + timedelta(days=n),
        goal="warmup",
        saved_name=saved,
        status=status,
        planned_seconds=600,
        done_seconds=done,
        pain=pain,
        pain_next_day=next_day,
        note=note,
        request={},
    )


def test_sessions_table_shows_each_session() -> None:
    records = [
        session(3, saved="Before squats", pain=2, next_day=4, note="tight [bold]left[/bold] hip"),
        session(2, status="partial", done=570, pain=None),
        session(1, status="logged", pain=7),
    ]
    text = render(sessions_table(records))
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "When", "Routine", "Time", "Pain", "Status"]
    row3 = next(line for line in lines if line.lstrip().startswith("3 "))
    assert "2025-03-04 07:30" in row3 and "Before squats (warmup)" in row3 and "2 → 4" in row3
    assert "10:00" in row3 and "completed" in row3
    assert "[bold]left[/bold]" in text  # a note is text, not markup
    row2 = next(line for line in lines if line.lstrip().startswith("2 "))
    assert "9:30 of 10:00" in row2 and "partial" in row2 and " - " in row2
    assert "logged" in next(line for line in lines if line.lstrip().startswith("1 "))


@pytest.mark.parametrize("width", [60, 72, 80, 120])
def test_sessions_table_wraps_long_names_and_notes_and_cuts_nothing(width: int) -> None:
    name = "A saved routine with a name as long as allowed, sixty-four chars"
    note = "left hip tight after the long run on Sunday; right side fine " * 2
    records = [session(1, saved=name, note=note), session(2, status="partial", done=30, pain=None)]
    text = render(sessions_table(records), width)
    assert "2025-03-02" in text
    words = " ".join(text.split())
    for word in (*name.split(), *note.split(), "0:30", "10:00"):
        assert word in words
    if width >= 80:
        assert "2025-03-02 07:30" in text  # the time of day too


def test_sessions_table_on_a_very_narrow_console_still_fits() -> None:
    text = render(sessions_table([session(1, saved="Morning routine", note="fine")]), 44)
    assert "2025-03-02" in text and "completed" in text


def test_sessions_table_empty() -> None:
    assert render(sessions_table([])).split() == ["ID", "When", "Routine", "Time", "Pain", "Status", "─" * 80]


def test_weekly_chart_one_line_per_week_with_counts() -> None:
    today = date(2025, 3, 12)
    days = [today - timedelta(days=n) for n in range(21)] + [today]  # 3 weeks daily, today twice
    counts = weekly_counts(days, today, 6)
    text = render(weekly_chart(counts))
    lines = text.splitlines()
    assert lines[0] == "Sessions per week"
    assert len(lines) == 7
    assert lines[1].startswith("week of 2025-02-03") and lines[1].endswith(" 0")
    assert "█" not in lines[1]
    last = lines[-1]
    assert last.startswith("week of 2025-03-10") and last.endswith(" 4")
    busiest = max(lines[1:], key=lambda line: line.count("█"))
    assert busiest.count("█") == CHART_WIDTH and busiest.endswith(" 7")
    assert len({line.rindex(" ") for line in lines[1:]}) == 1  # counts line up in one column


def test_weekly_chart_with_no_sessions() -> None:
    text = render(weekly_chart(weekly_counts([], date(2025, 3, 12), 4)))
    assert text.count(" 0\n") == 4 and "█" not in text


@pytest.mark.parametrize(
    ("value", "top", "expected"),
    [(0, 7, ""), (7, 7, "█" * CHART_WIDTH), (1, 1000, "▏"), (3.5, 7, "█" * (CHART_WIDTH // 2)), (9, 7, "█" * 40)],
)
def test_bar(value: float, top: float, expected: str) -> None:
    assert bar(value, top) == expected


def test_bar_has_eighths() -> None:
    assert bar(1, 8, width=1) == "▏" and bar(3, 8, width=2) == "▊"


def test_clock() -> None:
    assert [clock(s) for s in (0, 59, 600, 3725)] == ["0:00", "0:59", "10:00", "1:02:05"]


def test_pain_trend_oldest_first_from_any_order() -> None:
    newest_first = [session(5, pain=2), session(4, pain=None), session(3, pain=3), session(2, pain=2)]
    assert render(pain_trend(newest_first)).strip() == "pain: 2 → 3 → 2"
    many = [session(n, pain=n % 11) for n in range(20)]
    assert render(pain_trend(many, last=3)).strip() == "pain: 6 → 7 → 8"
    assert render(pain_trend([session(1, pain=None)])).strip() == "pain: none recorded"


def readings() -> list[Measurement]:
    return [
        Measurement(1, date(2025, 1, 6), "left", 30),
        Measurement(2, date(2025, 1, 6), "right", 36),
        Measurement(3, date(2025, 2, 3), "left", 33.5),
        Measurement(4, date(2025, 3, 3), "left", 38),
        Measurement(5, date(2025, 3, 3), "right", 35),
    ]


def test_measurement_chart_per_side_with_change_since_the_first() -> None:
    text = render(measurement_chart(readings()))
    lines = text.splitlines()
    assert lines[0] == "Left hip" and lines[4] == "Right hip"
    assert lines[1].startswith("2025-01-06") and lines[1].rstrip().endswith("30°")
    assert lines[2].rstrip().endswith("33.5°  (+3.5°)")
    assert lines[3].rstrip().endswith("38°  (+8°)")
    assert lines[6].rstrip().endswith("35°  (-1°)")
    assert lines[1].count("█") < lines[3].count("█")  # the bar grows with the degrees
    assert "usual range 30-45°" in lines[-1]


def test_measurement_chart_without_readings() -> None:
    assert render(measurement_chart([])).strip() == "No readings yet."


def test_measurement_verdict_is_the_pure_one() -> None:
    assert measurement_verdict is selftest.measurement_verdict
    lines = measurement_verdict(readings())
    assert lines[0].startswith("Left: 30° → 38° since 2025-01-06 (+8°): a real gain")
    assert "within measurement noise (minimal detectable change 5.4°, Krause et al.)" in lines[1]
    assert lines[-1] == "Normal seated hip internal rotation is roughly 30-45°."
    assert set(history.__all__) >= {"sessions_table", "weekly_chart", "pain_trend", "measurement_chart"}


def test_sessions_json_stays_an_array_and_gains_readings_on_request() -> None:
    import json

    record = SessionRecord(3, datetime(2026, 11, 30, 8), "warmup", None, "abandoned", 446, 20, None, None, None, {})
    reading = Measurement(1, date(2026, 11, 29), "left", 31.5)
    assert [s["status"] for s in json.loads(history.sessions_json([record]))] == ["abandoned"]
    both = json.loads(history.sessions_json([record], [reading]))
    assert both["measurements"] == [{"id": 1, "taken_on": "2026-11-29", "side": "left", "degrees": 31.5}]
    assert history.measurements_csv([reading]) == "id,taken_on,side,degrees\n1,2026-11-29,left,31.5\n"


def test_an_abandoned_session_is_listed_but_not_in_the_pain_trend() -> None:
    kept = SessionRecord(1, datetime(2026, 11, 29, 8), "warmup", None, "logged", 446, 446, 2, None, None, {})
    dropped = SessionRecord(2, datetime(2026, 11, 30, 8), "warmup", None, "abandoned", 446, 20, 9, None, None, {})
    out = render(history.history_view([dropped, kept], 2, 0, [(date(2026, 11, 23), 1), (date(2026, 11, 30), 0)]))
    assert "abandoned" in out and "pain: 2\n" in out and "1 abandoned session" in out
    assert "streak: 0 weeks with 2+ sessions" in out
