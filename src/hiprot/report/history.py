"""Everything `hiprot history`, `saved` and `measure` show: Rich renderables, CSV and
JSON text. Builds, never prints.

Everything here reads at 80 columns with colour off: bars are block characters, every bar
carries its number, and user text (saved names, notes) goes in as `Text`, which Rich
never parses as markup. Stored text goes through `hiprot.text.visible` on its way to a
table or CSV (a note written by an older hiprot may hold an escape sequence); JSON
escapes it itself. The wording of the self-test verdict is pure and lives in
`hiprot.selftest.measurement_verdict` (re-exported here).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from hiprot.models import Measurement, SavedRoutine, SessionRecord
from hiprot.selftest import NORMAL_IR, degrees_text, measurement_verdict
from hiprot.text import abandoned_words, clock, plural, visible

if TYPE_CHECKING:
    from hiprot.programme import Adherence, Week

__all__ = [
    "history_view",
    "measurement_chart",
    "measurement_guide",
    "measurement_verdict",
    "pain_trend",
    "saved_csv",
    "saved_json",
    "saved_table",
    "sessions_csv",
    "sessions_json",
    "sessions_table",
    "weekly_chart",
]

FULL = "█"
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
CHART_WIDTH = 40  # characters of bar at the longest; label and count fit in 80 columns
DEGREES_SCALE = 90  # the self-test chart runs from 0 to 90 degrees
STATUS_WORDS = {"completed": "completed", "partial": "partial", "logged": "logged", "abandoned": "abandoned"}


def bar(value: float, top: float, width: int = CHART_WIDTH) -> str:
    """A horizontal bar of block characters, `width` long at `top`; any value above 0 shows."""
    if value <= 0 or top <= 0:
        return ""
    eighths = max(1, round(min(value, top) / top * width * 8))
    return FULL * (eighths // 8) + EIGHTHS[eighths % 8]


def _pain(record: SessionRecord) -> str:
    if record.pain is None and record.pain_next_day is None:
        return "-"
    during = "-" if record.pain is None else str(record.pain)
    return during if record.pain_next_day is None else f"{during} → {record.pain_next_day}"


def _time(record: SessionRecord) -> str:
    done = clock(record.done_seconds)
    return done if record.done_seconds >= record.planned_seconds else f"{done} of {clock(record.planned_seconds)}"


class SessionsTable:
    """The sessions as a plain-text table, laid out here rather than by `rich.table.Table`.

    Rich's table measures every cell of every row (about 0.7 ms a row, 40 ms for eight
    weeks of daily sessions, a third of the `hiprot history` budget); these columns are
    known in advance, so only the routine column is sized, to what the console has left.
    Names and notes that do not fit wrap within that column; nothing is cut off. When
    the routine column would be narrow the time of day is left out of "When", and on a
    very narrow console (under about 60 columns) each session is a short block instead.
    """

    HEADERS = ("ID", "When", "Routine", "Time", "Pain", "Status")
    GAP = "  "
    MIN_ROUTINE = 12

    def __init__(self, records: Iterable[SessionRecord]) -> None:
        self.records = list(records)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        gap = len(self.GAP)
        cells = [
            (
                str(r.id),
                r.started_at.strftime("%Y-%m-%d %H:%M"),
                _time(r),
                _pain(r),
                visible(STATUS_WORDS.get(r.status, r.status)),
            )
            for r in self.records
        ]
        id_w, time_w, pain_w, status_w = (
            max([cell_len(self.HEADERS[h])] + [cell_len(row[c]) for row in cells])
            for h, c in ((0, 0), (3, 2), (4, 3), (5, 4))
        )
        when_w = 16
        routine_w = width - (id_w + when_w + time_w + pain_w + status_w + 5 * gap)
        if routine_w < self.MIN_ROUTINE:
            when_w = 10  # the date only
            routine_w += 6
        if routine_w < self.MIN_ROUTINE:  # very narrow: let Rich wrap every column
            yield _wrapping_table(self.records)
            return

        def line(ident: str, when: str, routine: Text, time: str, pain: str, status: str) -> Text:
            text = Text(_rjust(ident, id_w) + self.GAP + when[:when_w].ljust(when_w) + self.GAP)
            text.append_text(routine)
            text.append(" " * (routine_w - cell_len(routine.plain)) + self.GAP)
            text.append(self.GAP.join((_rjust(time, time_w), _rjust(pain, pain_w), status.ljust(status_w))))
            text.rstrip()
            return text

        out = line(*self.HEADERS[:2], Text(self.HEADERS[2]), *self.HEADERS[3:])
        out.stylize("bold")
        out.append("\n" + "─" * min(width, id_w + when_w + routine_w + time_w + pain_w + status_w + 5 * gap))
        indent = " " * (id_w + when_w + 2 * gap)
        for record, (ident, when, time, pain, status) in zip(self.records, cells, strict=True):
            name = Text(visible(record.saved_name or record.goal))
            if record.saved_name:
                name.append(f" ({visible(record.goal)})", style="dim")
            wrapped = list(name.wrap(console, routine_w, overflow="fold"))
            if record.note:
                note = Text(visible(record.note), style="italic dim")
                wrapped += list(note.wrap(console, routine_w, overflow="fold"))
            out.append("\n")
            out.append_text(line(ident, when, wrapped[0], time, pain, status))
            for more in wrapped[1:]:
                out.append("\n" + indent)
                out.append_text(more)
        out.no_wrap = True
        yield out


def _wrapping_table(records: Iterable[SessionRecord]) -> Text:
    """One short block per session, for consoles too narrow for the table's columns."""
    out = Text()
    for record in records:
        if out:
            out.append("\n\n")
        out.append(f"#{record.id}  {record.started_at.strftime('%Y-%m-%d %H:%M')}", style="bold")
        out.append(f"\n{visible(record.saved_name or record.goal)}")
        if record.saved_name:
            out.append(f" ({visible(record.goal)})", style="dim")
        status = visible(STATUS_WORDS.get(record.status, record.status))
        out.append(f"\n{_time(record)} · pain {_pain(record)} · {status}")
        if record.note:
            out.append(f"\n{visible(record.note)}", style="italic dim")
    return out


def _rjust(text: str, width: int) -> str:
    return " " * (width - cell_len(text)) + text


def sessions_table(records: Iterable[SessionRecord]) -> SessionsTable:
    """One row per session, in the order given: id, when, routine (saved name and goal),
    time done ("9:30 of 12:00" when it fell short of the plan), pain ("2", or "2 → 3"
    with the next day's), and how it ended. A note goes under the routine's name.
    """
    return SessionsTable(records)


def weekly_chart(counts: Sequence[tuple[date, int]], width: int = CHART_WIDTH) -> Text:
    """Sessions per week as bars, one line per week: 'week of 2025-05-26  ████▌ 5'.

    `counts` is `store.weekly_counts(...)`: (Monday, sessions), oldest first.
    """
    text = Text("Sessions per week", style="bold")
    top = max((count for _, count in counts), default=0)
    for monday, count in counts:
        text.append(f"\nweek of {monday.isoformat()}  ")
        drawn = bar(count, top, width)
        text.append(drawn, style="cyan")
        text.append(f"{' ' * (width + 1 - len(drawn))}{count}")
    return text


def pain_trend(records: Iterable[SessionRecord], last: int = 8) -> Text:
    """Pain during the last `last` sessions that recorded it, oldest first: 'pain: 2 → 3 → 2'."""
    rated = sorted((r for r in records if r.pain is not None), key=lambda r: (r.started_at, r.id or 0))
    values = [str(r.pain) for r in rated[-last:]] if last > 0 else []
    return Text("pain: " + (" → ".join(values) if values else "none recorded"))


def measurement_chart(measurements: Iterable[Measurement], width: int = CHART_WIDTH) -> RenderableType:
    """Each side's readings, oldest first, as bars on a 0-90° scale with the change since
    that side's first reading; a scale line marks the usual 30-45° range.
    """
    readings = sorted(measurements, key=lambda m: (m.taken_on, m.id))
    parts: list[RenderableType] = []
    low, high = NORMAL_IR
    for side in ("left", "right"):
        own = [m for m in readings if m.side == side]
        if not own:
            continue
        text = Text(f"{side.capitalize()} hip", style="bold")
        first = own[0].degrees
        for reading in own:
            drawn = bar(reading.degrees, DEGREES_SCALE, width)
            text.append(f"\n{reading.taken_on.isoformat()}  ")
            text.append(drawn, style="green")
            change = "" if reading is own[0] else f"  ({degrees_text(reading.degrees - first, signed=True)})"
            text.append(f"{' ' * (width + 1 - len(drawn))}{degrees_text(reading.degrees):>5}{change}")
        parts.append(text)
    if not parts:
        return Text("No readings yet.")
    scale = [" "] * (width + 1)
    for mark in (low, high):
        scale[round(mark / DEGREES_SCALE * width)] = "|"
    axis = Text(" " * 12 + "".join(scale) + f" | = usual range {low}-{high}°", style="dim")
    return Group(*parts, axis)


# --- whole views and script formats -------------------------------------------------------

CSV_FIELDS = ("id", "started_at", "goal", "saved_name", "status", "planned_seconds", "done_seconds", "pain",
              "pain_next_day", "note")  # fmt: skip
EMPTY_HISTORY = "Nothing logged yet: hiprot go runs a routine and logs it; hiprot log records one."


def history_view(
    records: Sequence[SessionRecord],
    weeks: int,
    streak_weeks: int,
    counts: Sequence[tuple[date, int]],
    plan_adherence: Adherence | None = None,
    plan_weeks: Sequence[Week] = (),
) -> RenderableType:
    """`hiprot history` as people read it: a header with the streak (in weeks: on plan
    when a plan runs, else weeks with at least two sessions) and the plan's adherence,
    the sessions, the sessions per week and the pain trend. Abandoned sessions are
    listed but not counted."""
    header = Text(f"{plural(len(records), 'session')} in the last {plural(weeks, 'week')}", style="bold")
    rule = "on plan" if plan_adherence is not None else "with 2+ sessions"
    header.append(f" · streak: {plural(streak_weeks, 'week')} {rule}")
    if plan_adherence is not None:
        from hiprot.report.plan import adherence_text

        header.append(f" · plan: {adherence_text(plan_adherence)}")
    if not records:
        return Group(header, Text(EMPTY_HISTORY))
    parts: list[RenderableType] = [header, Text(), sessions_table(records), Text(), weekly_chart(counts), Text()]
    so_far = [w for w in plan_weeks if w.adherence.due_so_far]
    if so_far:
        by_week = " · ".join(f"week {w.week} {w.adherence.done}/{w.adherence.due_so_far}" for w in so_far)
        parts += [Text("Plan, done of due by week: " + by_week), Text()]
    parts.append(pain_trend(r for r in records if r.counted))
    abandoned = sum(1 for r in records if not r.counted)
    if abandoned:
        parts.append(Text(f"{plural(abandoned, 'abandoned session')} ({abandoned_words()}) "
                          "shown but not counted.", style="dim"))  # fmt: skip
    return Group(*parts)


def sessions_json(records: Iterable[SessionRecord], measurements: Iterable[Measurement] | None = None) -> str:
    """The sessions (newest first) as a JSON array, as scripts have always read it; with
    `measurements`, one object: `{"sessions": [...], "measurements": [...]}` (readings
    oldest first)."""
    from hiprot.report.json import dumps

    sessions = [r.to_dict() for r in records]
    if measurements is None:
        return dumps(sessions)
    return dumps({"sessions": sessions, "measurements": [m.to_dict() for m in measurements]})


def measurements_json(measurements: Iterable[Measurement]) -> str:
    from hiprot.report.json import dumps

    return dumps([m.to_dict() for m in measurements])


def measurements_csv(measurements: Iterable[Measurement]) -> str:
    rows = [[m.id, m.taken_on.isoformat(), m.side, m.degrees] for m in measurements]
    return _csv(["id", "taken_on", "side", "degrees"], rows)


def sessions_csv(records: Iterable[SessionRecord]) -> str:
    rows = [[r.started_at.isoformat() if f == "started_at" else getattr(r, f) for f in CSV_FIELDS] for r in records]
    return _csv(list(CSV_FIELDS), rows)


def saved_json(routines: Iterable[SavedRoutine]) -> str:
    from hiprot.report.json import dumps

    return dumps([{"name": r.name, "request": r.request, "updated_at": r.updated_at.isoformat()} for r in routines])


def saved_csv(routines: Sequence[SavedRoutine], requests: Sequence[str]) -> str:
    """`requests` is each routine's request in words (the CLI's own flags)."""
    rows = [[r.name, words, r.updated_at.isoformat()] for r, words in zip(routines, requests, strict=True)]
    return _csv(["name", "request", "updated_at"], rows)


def saved_table(routines: Sequence[SavedRoutine], requests: Sequence[str]) -> RenderableType:
    from rich.table import Table

    table = Table(box=None, show_edge=False, pad_edge=False)
    for column in ("Name", "Request", "Saved"):
        table.add_column(column, overflow="fold")
    for r, words in zip(routines, requests, strict=True):
        table.add_row(Text(visible(r.name)), Text(visible(words)), r.updated_at.date().isoformat())
    return table


def measurement_guide(how_to: Sequence[str], readings: Sequence[Measurement], verdict: Sequence[str]) -> Group:
    """`hiprot measure` alone: how to do the test, then each side's chart and the verdict."""
    parts: list[RenderableType] = [Text(line) for line in how_to]
    if readings:
        parts += [Text(), measurement_chart(readings), Text()]
        parts += [Text(line) for line in verdict]
    return Group(*parts)


def _csv(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV text; stored text is made visible (a spreadsheet shows an escape as it is)."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[visible(v) if isinstance(v, str) else v for v in row] for row in rows])
    return out.getvalue()
