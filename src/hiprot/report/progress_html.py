"""The progress report as one self-contained HTML page with inline SVG charts: sessions per
week (against the plan when there is one), pain during and the day after each session, and
hip internal rotation per side with the noise band and the usual range. No script, nothing
fetched, `@page` rules for A4 and Letter; each chart has its numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from hiprot.progress import Progress, SideReadings
from hiprot.report.progress import (
    PAIN_SCALE,
    READING_HEADERS,
    SESSION_HEADERS,
    TITLE,
    WEEK_HEADERS,
    band_lines,
    dose_lines,
    period,
    reading_rows,
    session_cells,
    summary,
    week_cells,
)
from hiprot.selftest import NORMAL_IR, degrees_text

WIDTH = 640  # the charts' user units; they scale to the page's width
LEFT_PAD, RIGHT_PAD, TOP_PAD, BOTTOM_PAD = 40, 14, 14, 34
SIDE_COLOURS = {"left": "#1864ab", "right": "#d9480f"}
INK = "#212529"
GRID = "#dee2e6"

CSS = """
@page { margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; }
html { font: 10pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 180mm; padding: 0 2mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; }
h3 { font-size: 10pt; margin: 2mm 0 1mm; }
p, ul { margin: 0 0 1.5mm; }
ul { padding-left: 5mm; }
.meta { color: #444; }
section { break-inside: avoid; page-break-inside: avoid; }
svg { width: 100%; height: auto; display: block; margin: 1mm 0; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
table { border-collapse: collapse; font-size: 8.5pt; margin: 1mm 0 2mm; }
th, td { border: 1px solid #ced4da; padding: 0.6mm 2mm; text-align: left; }
td.n, th.n { text-align: right; }
.key { font-size: 8pt; color: #444; }
"""


def to_html(p: Progress, profile: Sequence[str] = ()) -> str:
    """The whole report page."""
    body = [f"<h1>{TITLE}</h1>", f'<p class="meta">{escape(period(p))}</p>']
    if profile:
        body.append(f"<p><strong>Profile:</strong> {escape(' '.join(profile))}</p>")
    body.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in summary(p)) + "</ul>")
    body += _weeks(p) + _pain(p) + _rotation(p) + _doses(p)
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


def _text(x: float, y: float, text: str, size: int = 11, anchor: str = "middle", fill: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(text)}</text>")  # fmt: skip


def _y_axis(top: float, bottom: float, low: float, high: float, ticks: Sequence[float], unit: str = "") -> list[str]:
    """Horizontal grid lines with their values on the left."""
    parts = []
    for tick in ticks:
        y = bottom - (tick - low) / (high - low) * (bottom - top)
        parts.append(f'<line x1="{LEFT_PAD}" y1="{y:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(LEFT_PAD - 5, y + 4, f"{tick:g}{unit}", size=10, anchor="end"))
    return parts


# --- sessions per week ------------------------------------------------------------------


def _weeks(p: Progress) -> list[str]:
    height = 170
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    most = max([w.sessions for w in p.weeks] + [p.planned_per_week or 0, 1])
    high = max(4, most + (most % 2))
    slot = (WIDTH - LEFT_PAD - RIGHT_PAD) / len(p.weeks)
    parts = _y_axis(top, bottom, 0, high, range(0, high + 1, max(1, high // 4)))

    def y(value: float) -> float:
        return bottom - value / high * (bottom - top)

    for n, w in enumerate(p.weeks):
        x = LEFT_PAD + n * slot
        bar = slot * 0.6
        if w.sessions:
            parts.append(f'<rect x="{x + (slot - bar) / 2:.1f}" y="{y(w.sessions):.1f}" width="{bar:.1f}" '
                         f'height="{bottom - y(w.sessions):.1f}" fill="#495057"/>')  # fmt: skip
        parts.append(_text(x + slot / 2, y(w.sessions) - 3, str(w.sessions), size=10))
        parts.append(_text(x + slot / 2, bottom + 13, f"{w.monday:%d %b}", size=9))
    if p.planned_per_week is not None:
        target = y(p.planned_per_week)
        parts.append(f'<line x1="{LEFT_PAD}" y1="{target:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{target:.1f}" '
                     'stroke="#2b8a3e" stroke-width="2" stroke-dasharray="6 4"/>')  # fmt: skip
    parts.append(_text(LEFT_PAD, height - 6, "Week of (Monday). Bars: sessions counted"
                       + ("; dashed line: planned per week." if p.planned_per_week is not None else "."),
                       size=9, anchor="start"))  # fmt: skip
    label = "Sessions per week" + ("" if p.planned_per_week is None else " against the plan")
    heading = "Sessions per week" if p.planned_per_week is not None else "Sessions per week (no plan)"
    rows = [week_cells(w) for w in p.weeks]
    return [f"<section><h2>{heading}</h2>", _svg(height, label, parts),
            _table(WEEK_HEADERS, rows, numeric=(1, 2, 3)), "</section>"]  # fmt: skip


# --- pain -------------------------------------------------------------------------------


def _pain(p: Progress) -> list[str]:
    out = ["<section><h2>Pain during and the day after</h2>", f'<p class="key">{escape(PAIN_SCALE)}</p>']
    if not p.sessions:
        return out + ["<p>No sessions in these weeks.</p></section>"]
    height = 190
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    parts = []

    def y(value: float) -> float:
        return bottom - value / 10 * (bottom - top)

    for low, high, colour in ((0, 3, "#ebfbee"), (3, 5, "#fff9db"), (5, 10, "#fff5f5")):
        parts.append(f'<rect x="{LEFT_PAD}" y="{y(high):.1f}" width="{WIDTH - LEFT_PAD - RIGHT_PAD}" '
                     f'height="{y(low) - y(high):.1f}" fill="{colour}"/>')  # fmt: skip
    parts += _y_axis(top, bottom, 0, 10, (0, 3, 5, 10))
    n = len(p.sessions)
    slot = (WIDTH - LEFT_PAD - RIGHT_PAD) / n
    every = max(1, -(-n // 12))  # at most about 12 date labels
    during: list[tuple[float, float]] = []
    marks: list[str] = []
    for i, s in enumerate(p.sessions):
        x = LEFT_PAD + (i + 0.5) * slot
        if i % every == 0:
            parts.append(_text(x, bottom + 13, f"{s.day:%d %b}", size=9))
        if s.pain is not None:
            during.append((x, y(s.pain)))
            marks.append(f'<circle cx="{x:.1f}" cy="{y(s.pain):.1f}" r="4" fill="{INK}"/>')
        if s.pain_next_day is not None:
            ny = y(s.pain_next_day)
            marks.append(f'<rect x="{x - 4:.1f}" y="{ny - 4:.1f}" width="8" height="8" fill="#fff" '
                         f'stroke="#c92a2a" stroke-width="2"/>')  # fmt: skip
    if len(during) > 1:  # the line under the marks
        points = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in during)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{INK}" stroke-width="1.2"/>')
    parts += marks
    parts.append(_text(LEFT_PAD, height - 6, "Each session in order. Dots: pain during. Red squares: pain the "
                       "day after. Bands: 0-3, 4-5, 6-10.", size=9, anchor="start"))  # fmt: skip
    rows = [session_cells(s) for s in p.sessions]
    return out + [_svg(height, "Pain during and the day after each session", parts),
                  _table(SESSION_HEADERS, rows, numeric=(4, 5)), "</section>"]  # fmt: skip


# --- hip internal rotation --------------------------------------------------------------


def _rotation(p: Progress) -> list[str]:
    out = ["<section><h2>Hip internal rotation (seated self-test)</h2>"]
    points = [pt for side in p.sides for pt in side.points]
    if not points:
        return out + ["<p>No readings in these weeks.</p></section>"]
    height = 220
    top, bottom = TOP_PAD, height - BOTTOM_PAD
    low_ir, high_ir = NORMAL_IR
    ceiling = max(60.0, max(pt.degrees for pt in points) + 10)
    floor = 0.0
    first, last = p.first_day, p.today
    span = max(1, (last - first).days)
    inner = WIDTH - LEFT_PAD - RIGHT_PAD - 70  # room on the right for the side labels

    def x(day: date) -> float:
        return LEFT_PAD + 10 + (day - first).days / span * (inner - 20)

    def y(value: float) -> float:
        return bottom - (value - floor) / (ceiling - floor) * (bottom - top)

    usual = f"usual range {low_ir}-{high_ir}°"
    parts = [
        f'<rect x="{LEFT_PAD}" y="{y(high_ir):.1f}" width="{inner}" height="{y(low_ir) - y(high_ir):.1f}" '
        'fill="#e9ecef"/>',
        _text(LEFT_PAD + 4, y(high_ir) - 3, usual, size=9, anchor="start", fill="#495057"),
    ]
    parts += _y_axis(top, bottom, floor, ceiling, [t for t in range(0, int(ceiling) + 1, 15)], "°")
    ends = _label_heights({side.side: y(side.points[-1].degrees) + 4 for side in p.sides if side.points})
    for side in p.sides:
        parts += _side(side, x, y, inner, ends.get(side.side, 0.0))
    for n in range(0, len(p.weeks), max(1, len(p.weeks) // 8)):
        day = p.weeks[n].monday
        parts.append(_text(x(day), bottom + 13, f"{day:%d %b}", size=9))
    parts.append(_text(LEFT_PAD, height - 6, "Lines: each side's readings. Tinted band: its first reading ± the "
                       "minimal detectable change. Grey: the usual range.", size=9, anchor="start"))  # fmt: skip
    lines = band_lines(p.sides) + list(p.verdict)
    return out + [_svg(height, "Hip internal rotation per side, degrees", parts),
                  _table(READING_HEADERS, reading_rows(p.sides), numeric=(1, 2)),
                  "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>", "</section>"]  # fmt: skip


def _label_heights(heights: dict[str, float], gap: float = 13) -> dict[str, float]:
    """The side names at the end of their lines, pushed apart when the lines end close together."""
    if len(heights) == 2 and abs(heights["left"] - heights["right"]) < gap:
        middle = (heights["left"] + heights["right"]) / 2
        upper, lower = ("left", "right") if heights["left"] <= heights["right"] else ("right", "left")
        return {upper: middle - gap / 2, lower: middle + gap / 2}
    return heights


def _side(
    side: SideReadings, x: Callable[[date], float], y: Callable[[float], float], inner: float, label_y: float
) -> list[str]:
    """One side's noise band, line, points with their values (left below, right above) and name."""
    band = side.band
    if band is None:
        return []
    colour = SIDE_COLOURS[side.side]
    parts = [f'<rect x="{LEFT_PAD}" y="{y(band[1]):.1f}" width="{inner}" height="{y(band[0]) - y(band[1]):.1f}" '
             f'fill="{colour}" fill-opacity="0.12"/>']  # fmt: skip
    coords = [(x(pt.day), y(pt.degrees)) for pt in side.points]
    if len(coords) > 1:
        points = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for (cx, cy), pt in zip(coords, side.points):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
        below = side.side == "left"
        parts.append(_text(cx, cy + 15 if below else cy - 7, degrees_text(pt.degrees), size=9, fill=colour))
    parts.append(_text(LEFT_PAD + inner + 6, label_y, side.side, size=11, anchor="start", fill=colour))
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
