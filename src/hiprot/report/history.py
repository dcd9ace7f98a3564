"""Rich renderables for `hiprot history` and `hiprot measure`. Builds, never prints.

Everything here reads at 80 columns with colour off: bars are block characters, every bar
carries its number, and user text (saved names, notes) goes in as `Text`, which Rich
never parses as markup. The wording of the self-test verdict is pure and lives in
`hiprot.selftest.measurement_verdict` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from hiprot.selftest import NORMAL_IR, degrees_text, measurement_verdict
from hiprot.store import Measurement, SessionRecord
from hiprot.text import clock

__all__ = [
    "measurement_chart",
    "measurement_verdict",
    "pain_trend",
    "sessions_table",
    "weekly_chart",
]

FULL = "█"
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
CHART_WIDTH = 40  # characters of bar at the longest; label and count fit in 80 columns
DEGREES_SCALE = 90  # the self-test chart runs from 0 to 90 degrees
STATUS_WORDS = {"completed": "completed", "partial": "partial", "logged": "logged"}


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
                STATUS_WORDS.get(r.status, r.status),
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
            name = Text(record.saved_name or record.goal)
            if record.saved_name:
                name.append(f" ({record.goal})", style="dim")
            wrapped = list(name.wrap(console, routine_w, overflow="fold"))
            if record.note:
                note = Text(record.note, style="italic dim")
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
        out.append(f"\n{record.saved_name or record.goal}")
        if record.saved_name:
            out.append(f" ({record.goal})", style="dim")
        out.append(f"\n{_time(record)} · pain {_pain(record)} · {STATUS_WORDS.get(record.status, record.status)}")
        if record.note:
            out.append(f"\n{record.note}", style="italic dim")
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
