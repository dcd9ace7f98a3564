"""The progress report as one self-contained HTML page with inline SVG charts: sessions per
week (against the plan when there is one), pain during and the day after each session, and
hip internal rotation per side with the noise band and the usual range. No script, nothing
fetched, `@page` rules for A4 and Letter; each chart has its numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from html import escape

from hiprot.limits import MDC_DEGREES
from hiprot.progress import Progress, SideReadings
from hiprot.report.progress import (
    PAIN_SCALE,
    READING_HEADERS,
    SESSION_HEADERS,
    TITLE,
    WEEK_HEADERS,
    adherence_line,
    band_lines,
    day_words,
    dose_lines,
    flag_lines,
    goals_lines,
    note_rows,
    pain_line,
    period,
    programme_lines,
    reading_rows,
    rotation_lines,
    session_cells,
    week_cells,
)
from hiprot.selftest import NORMAL_IR, degrees_text

WIDTH = 640  # the charts' user units; they scale to the page's width (about 1.06 px each on A4)
LEFT_PAD, RIGHT_PAD, TOP_PAD, BOTTOM_PAD = 54, 14, 14, 44
CHART_TEXT = 12  # chart labels: 12 units print at about 9.5 pt
SIDE_COLOURS = {"left": "#1864ab", "right": "#d9480f"}
DASHES = {"left": "8 4", "right": "2 3"}
SIDE_LABEL_ROOM = 78  # room at the right for "right 36.5°"
NEXT_DAY = "#c92a2a"
INK = "#212529"
GRID = "#dee2e6"

CSS = """
/* Body text 11 pt; chart labels and footnotes 9 pt or more (tests/test_browser.py checks). */
@page { margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; }
html { font: 11pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 180mm; padding: 0 2mm; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
h2 { font-size: 14pt; margin: 4mm 0 1.5mm; }
h3 { font-size: 12pt; margin: 2mm 0 1mm; }
p, ul, ol { margin: 0 0 1.5mm; }
ul, ol { padding-left: 6mm; }
.meta { color: #444; }
.who { font-size: 12pt; font-weight: bold; margin-bottom: 1mm; }
.summary { border: 2px solid #1864ab; border-radius: 2mm; padding: 2mm 4mm; margin: 3mm 0; }
.summary h2 { margin-top: 0; }
.summary li { margin-bottom: 1mm; }
.flags { border: 2px solid #c92a2a; border-radius: 2mm; padding: 2mm 4mm; margin: 3mm 0; }
.flags h2 { margin-top: 0; color: #c92a2a; }
.charts { break-before: page; page-break-before: always; }
.chart { break-inside: avoid; page-break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
tr { break-inside: avoid; page-break-inside: avoid; }
svg { width: 100%; height: auto; display: block; margin: 1mm 0; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
table { border-collapse: collapse; margin: 1mm 0 2mm; }
th, td { border: 1px solid #ced4da; padding: 0.6mm 2mm; text-align: left; white-space: nowrap; }
td.n, th.n { text-align: right; }
.key { font-size: 9pt; color: #444; }
"""


def to_html(p: Progress, profile: Sequence[str] = (), person: Sequence[str] = ()) -> str:
    """The whole report: page 1 the summary and the flags, then the charts with their tables.
    `person`: who it is about, the clinician and the contact (`Profile.person_lines`)."""
    body = [f"<h1>{TITLE}</h1>"]
    if person:
        body.append(f'<p class="who">{" · ".join(escape(line) for line in person)}</p>')
    body.append(f'<p class="meta">{escape(period(p))}</p>')
    if profile:
        body.append(f"<p><strong>Profile:</strong> {escape(' '.join(profile))}</p>")
    headline = [adherence_line(p), pain_line(p), *rotation_lines(p), *goals_lines(p)]
    body.append('<div class="summary"><h2>Summary</h2><ul>'
                + "".join(f"<li>{escape(line)}</li>" for line in headline) + "</ul></div>")  # fmt: skip
    flags = flag_lines(p)
    if flags:
        body.append('<div class="flags"><h2>Flags</h2><ul>'
                    + "".join(f"<li>{escape(line)}</li>" for line in flags) + "</ul></div>")  # fmt: skip
    else:
        body.append("<p>Flags: none (no pain of 6 or more twice in a row, no sharp-pain stop, no week missed).</p>")
    if p.current is not None:  # the plan's next session, as today and go give it
        head, _, *items = programme_lines(p.current)
        body.append(f"<section><h2>Current programme</h2><p>{escape(head)}</p><ol>"
                    + "".join(f"<li>{escape(line.split('. ', 1)[1])}</li>" for line in items) + "</ol></section>")
    body += _doses(p)
    body += ['<div class="charts">', *_weeks(p), *_pain(p), *_rotation(p), "</div>"]
    if p.goals is not None and not p.goals.empty:
        from hiprot.report import psfs

        body.append(psfs.html_section(p.goals))
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    def cell(tag: str, n: int, text: str) -> str:
        cls = ' class="n"' if n in numeric else ""
        return f"<{tag}{cls}>{escape(text)}</{tag}>"

    head = "".join(cell("th", n, h) for n, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", n, c) for n, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _svg(height: int, label: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(parts)}</svg>')  # fmt: skip


def _text(x: float, y: float, text: str, size: int = CHART_TEXT, anchor: str = "middle", fill: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(text)}</text>")  # fmt: skip


def _y_axis(top: float, bottom: float, low: float, high: float, ticks: Sequence[float], unit: str = "") -> list[str]:
    """Horizontal grid lines with their values on the left."""
    parts = []
    for tick in ticks:
        y = bottom - (tick - low) / (high - low) * (bottom - top)
        parts.append(f'<line x1="{LEFT_PAD}" y1="{y:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(LEFT_PAD - 6, y + 4, f"{tick:g}{unit}", anchor="end"))
    return parts


# --- sessions per week ------------------------------------------------------------------


def _weeks(p: Progress) -> list[str]:
    height = 190
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    most = max([w.sessions for w in p.weeks] + [p.planned_per_week or 0, 1])
    high = max(4, most + (most % 2))
    slot = (WIDTH - LEFT_PAD - RIGHT_PAD) / len(p.weeks)
    parts = _y_axis(top, bottom, 0, high, range(0, high + 1, max(1, high // 4)))
    parts.append(_y_title(top, bottom, "Sessions"))
    every = max(1, -(-len(p.weeks) // 10))  # at most about ten date labels

    def y(value: float) -> float:
        return bottom - value / high * (bottom - top)

    for n, w in enumerate(p.weeks):
        x = LEFT_PAD + n * slot
        bar = slot * 0.6
        if w.sessions:
            parts.append(f'<rect x="{x + (slot - bar) / 2:.1f}" y="{y(w.sessions):.1f}" width="{bar:.1f}" '
                         f'height="{bottom - y(w.sessions):.1f}" fill="#495057"/>')  # fmt: skip
        if len(p.weeks) <= 16:
            parts.append(_text(x + slot / 2, y(w.sessions) - 4, str(w.sessions)))
        if n % every == 0:
            parts.append(_text(x + slot / 2, bottom + 16, f"{w.monday.day} {w.monday:%b}"))
    if p.planned_per_week is not None:
        target = y(p.planned_per_week)
        parts.append(f'<line x1="{LEFT_PAD}" y1="{target:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{target:.1f}" '
                     'stroke="#2b8a3e" stroke-width="2" stroke-dasharray="6 4"/>')  # fmt: skip
    parts.append(_text((LEFT_PAD + WIDTH - RIGHT_PAD) / 2, bottom + 33, "Week of (Monday)"))
    key = "Bars: sessions counted each week" + ("; dashed line: the plan's sessions per week." if
                                                 p.planned_per_week is not None else ".")  # fmt: skip
    label = "Sessions per week" + ("" if p.planned_per_week is None else " against the plan")
    heading = "Sessions per week" if p.planned_per_week is not None else "Sessions per week (no plan)"
    rows = [week_cells(w) for w in p.weeks]
    return [f'<section><div class="chart"><h2>{heading}</h2>', _svg(height, label, parts),
            f'<p class="key">{escape(key)}</p></div>',
            _table(WEEK_HEADERS, rows, numeric=(1, 2, 3)), "</section>"]  # fmt: skip


# --- pain -------------------------------------------------------------------------------


def _date_axis(first: date, last: date, top: float, bottom: float) -> tuple[Callable[[date], float], list[str]]:
    """x for a day, from `first` to `last` (both drawn), and the axis: a tick and a date label on
    Mondays (at most about eight), and the axis title."""
    span = max(1, (last - first).days)
    inner = WIDTH - LEFT_PAD - RIGHT_PAD - 16

    def x(day: date) -> float:
        return LEFT_PAD + 8 + (day - first).days / span * inner

    mondays = [first + timedelta(days=n) for n in range(span + 1) if (first + timedelta(days=n)).weekday() == 0]
    every = max(1, -(-len(mondays) // 8))
    parts = [f'<line x1="{LEFT_PAD}" y1="{bottom:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{bottom:.1f}" stroke="{INK}"/>']
    for day in mondays[::every]:
        parts.append(f'<line x1="{x(day):.1f}" y1="{bottom:.1f}" x2="{x(day):.1f}" y2="{bottom + 4:.1f}" '
                     f'stroke="{INK}"/>')  # fmt: skip
        parts.append(_text(x(day), bottom + 16, f"{day.day} {day:%b}", size=CHART_TEXT))
    parts.append(_text((LEFT_PAD + WIDTH - RIGHT_PAD) / 2, bottom + 33, "Date (ticks on Mondays)", size=CHART_TEXT))
    return x, parts


def _y_title(top: float, bottom: float, title: str) -> str:
    middle = (top + bottom) / 2
    return (f'<text x="12" y="{middle:.1f}" font-size="{CHART_TEXT}" text-anchor="middle" fill="{INK}" '
            f'transform="rotate(-90 12 {middle:.1f})">{escape(title)}</text>')  # fmt: skip


def _pain(p: Progress) -> list[str]:
    out = ['<section><div class="chart"><h2>Pain during and the day after</h2>']
    if not p.sessions:
        return out + ["<p>No sessions in these weeks.</p></div></section>"]
    height = 250
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    x, axis = _date_axis(p.first_day, p.today + timedelta(days=1), top, bottom)

    def y(value: float) -> float:
        return bottom - value / 10 * (bottom - top)

    parts = []
    for low, high, colour in ((0, 3, "#f4fbf5"), (3, 5, "#fffbe8"), (5, 10, "#fff4f4")):
        parts.append(f'<rect x="{LEFT_PAD}" y="{y(high):.1f}" width="{WIDTH - LEFT_PAD - RIGHT_PAD}" '
                     f'height="{y(low) - y(high):.1f}" fill="{colour}"/>')  # fmt: skip
    for monday_ in p.summary().missed_weeks:  # a week with no session: hatched, labelled
        left, right = x(max(p.first_day, monday_)), x(monday_ + timedelta(days=7))
        parts.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" height="{bottom - top:.1f}" '
                     f'fill="url(#missed)"><title>No session in the week of {monday_.day} {monday_:%b}</title></rect>')
        parts.append(_text((left + right) / 2, top + 14, "no session", size=CHART_TEXT, fill="#868e96"))
    parts += _y_axis(top, bottom, 0, 10, (0, 3, 5, 10))
    parts.append(_y_title(top, bottom, "Pain 0-10"))
    parts += axis
    during: list[tuple[float, float]] = []
    marks: list[str] = []
    numbers = {id(s): n for n, s in note_rows(p)}
    for s in p.sessions:
        cx = x(s.day)
        if s.pain is not None:
            tip = f"{day_words(s.day)}: pain {s.pain} during" + ("" if s.counted else " (abandoned, not counted)")
            if s.counted:
                during.append((cx, y(s.pain)))
                marks.append(f'<circle cx="{cx:.1f}" cy="{y(s.pain):.1f}" r="4.5" fill="{INK}"><title>'
                             f"{escape(tip)}</title></circle>")  # fmt: skip
            else:  # abandoned: a hollow grey ring, off the line
                marks.append(f'<circle cx="{cx:.1f}" cy="{y(s.pain):.1f}" r="4.5" fill="#fff" stroke="#868e96" '
                             f'stroke-width="1.5" stroke-dasharray="2 2"><title>{escape(tip)}</title></circle>')
        if s.pain_next_day is not None:
            nx, ny = x(s.day + timedelta(days=1)), y(s.pain_next_day)
            tip = f"{day_words(s.day + timedelta(days=1))}: pain {s.pain_next_day} the day after the session"
            marks.append(f'<rect x="{nx - 4.5:.1f}" y="{ny - 4.5:.1f}" width="9" height="9" fill="#fff" '
                         f'stroke="{NEXT_DAY}" stroke-width="2"><title>{escape(tip)}</title></rect>')  # fmt: skip
        if id(s) in numbers:
            level = y(s.worst) if s.worst is not None else bottom
            marks.append(f'<g><title>{escape(day_words(s.day))}: {escape(s.note or "")}</title>'
                         f'<circle cx="{cx:.1f}" cy="{level - 17:.1f}" r="8" fill="#fff" stroke="#5f3dc4"/>'
                         + _text(cx, level - 13, str(numbers[id(s)]), size=CHART_TEXT, fill="#5f3dc4") + "</g>")
    for (ax, ay), (bx, by) in zip(during, during[1:]):  # the line under the marks, counted sessions only;
        gap = bx - ax > x(p.first_day + timedelta(days=8)) - x(p.first_day)  # dotted across a missed week
        style = ' stroke-dasharray="2 4" stroke="#868e96"' if gap else f' stroke="{INK}"'
        parts.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}"{style} stroke-width="1.2"/>')
    parts += marks
    defs = ('<defs><pattern id="missed" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" fill="#f8f9fa"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#ced4da" stroke-width="2"/></pattern></defs>')
    key = ("Dots: pain during a session, on its date. Red squares: pain the next day, on that date. Grey rings: "
           "a session abandoned too early to count. Hatched: a week with no session. Numbers: the notes below. "
           "Bands: 0-3, 4-5, 6-10. " + PAIN_SCALE)
    rows = [session_cells(s) for s in p.sessions]
    notes = note_rows(p)
    listed = []
    if notes:
        listed = ["<h3>Session notes</h3><ol>"
                  + "".join(f"<li>{escape(day_words(s.day))}: {escape(s.note or '')}</li>" for _, s in notes)
                  + "</ol>"]  # fmt: skip
    return out + [_svg(height, "Pain during and the day after each session", [defs, *parts]),
                  f'<p class="key">{escape(key)}</p></div>', *listed,
                  _table(SESSION_HEADERS, rows, numeric=(4, 5)), "</section>"]  # fmt: skip


# --- hip internal rotation --------------------------------------------------------------


def _rotation(p: Progress) -> list[str]:
    out = ['<section><div class="chart"><h2>Hip internal rotation (seated self-test)</h2>']
    points = [pt for side in p.sides for pt in side.points]
    if not points:
        return out + ["<p>No readings in these weeks.</p></div></section>"]
    height = 250
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    low_ir, high_ir = NORMAL_IR
    ceiling = max(60.0, max(pt.degrees for pt in points) + 10)
    floor = 0.0
    x, axis = _date_axis(p.first_day, p.today, top, bottom)

    def y(value: float) -> float:
        return bottom - (value - floor) / (ceiling - floor) * (bottom - top)

    usual = f"usual range {low_ir}-{high_ir}°"
    inner = WIDTH - LEFT_PAD - RIGHT_PAD
    parts = [
        f'<rect x="{LEFT_PAD}" y="{y(high_ir):.1f}" width="{inner}" height="{y(low_ir) - y(high_ir):.1f}" '
        'fill="#f1f3f5"/>',
        _text((LEFT_PAD + WIDTH - RIGHT_PAD - SIDE_LABEL_ROOM) / 2, y(high_ir) + 14, usual, fill="#495057"),
    ]
    parts += _y_axis(top, bottom, floor, ceiling, [t for t in range(0, int(ceiling) + 1, 15)], "°")
    parts.append(_y_title(top, bottom, "Degrees"))
    parts += axis
    ends = _label_heights({side.side: y(side.points[-1].degrees) for side in p.sides if side.points}, gap=16)
    for side in p.sides:
        parts += _side(side, x, y, ends.get(side.side, 0.0))
    key = (f"Lines: each side's readings, on their dates. Dashed lines: the first reading ± {MDC_DEGREES:g}°, "
           "the test's measurement error (a later reading between them may be noise). Grey: the usual range.")
    lines = band_lines(p.sides) + list(p.verdict)
    return out + [_svg(height, "Hip internal rotation per side, degrees", parts),
                  f'<p class="key">{escape(key)}</p></div>',
                  _table(READING_HEADERS, reading_rows(p.sides), numeric=(1, 2)),
                  "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>", "</section>"]  # fmt: skip


def _label_heights(heights: dict[str, float], gap: float = 13) -> dict[str, float]:
    """The side names at the end of their lines, pushed apart when the lines end close together."""
    if len(heights) == 2 and abs(heights["left"] - heights["right"]) < gap:
        middle = (heights["left"] + heights["right"]) / 2
        upper, lower = ("left", "right") if heights["left"] <= heights["right"] else ("right", "left")
        return {upper: middle - gap / 2, lower: middle + gap / 2}
    return heights


def _side(side: SideReadings, x: Callable[[date], float], y: Callable[[float], float], label_y: float) -> list[str]:
    """One side's error band as two dashed lines (no fill to blend with the other side's),
    its line and points (each with its value on hover), the first and last values, and its name."""
    band = side.band
    if band is None:
        return []
    colour = SIDE_COLOURS[side.side]
    start, end = LEFT_PAD, WIDTH - RIGHT_PAD - SIDE_LABEL_ROOM
    parts = [f'<line x1="{start}" y1="{y(edge):.1f}" x2="{end}" y2="{y(edge):.1f}" stroke="{colour}" '
             f'stroke-width="1.2" stroke-dasharray="{DASHES[side.side]}"/>' for edge in band]  # fmt: skip
    coords = [(x(pt.day), y(pt.degrees)) for pt in side.points]
    if len(coords) > 1:
        points = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
    for (cx, cy), pt in zip(coords, side.points):
        tip = f"{side.side} {degrees_text(pt.degrees)}, {day_words(pt.day)}"
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"><title>{escape(tip)}</title></circle>')
    if len(coords) > 1:  # the first value by its point (left below its line, right above)
        cx, cy = coords[0]
        below = side.side == "left"
        parts.append(_text(cx, cy + 18 if below else cy - 9, degrees_text(side.points[0].degrees), fill=colour))
    # The side's name and its latest value at the right, pushed apart from the other side's.
    last = degrees_text(side.points[-1].degrees)
    parts.append(_text(end + 4, label_y + 4, f"{side.side} {last}", anchor="start", fill=colour))
    return parts


# --- dose changes -----------------------------------------------------------------------


def _doses(p: Progress) -> list[str]:
    out = ["<section><h2>Dose changes</h2>"]
    changes = dose_lines(p)
    if not changes:
        return out + ["<p>No saved routines: doses change only for a saved routine.</p></section>"]
    for head, lines in changes:
        out.append(f"<h3>{escape(head)}</h3><ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
    return out + ["</section>"]
