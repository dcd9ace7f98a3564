"""A printable handout: one self-contained HTML file (inline SVG and CSS, no script, nothing fetched).

Each exercise is one block that never splits across pages, with its figure, dose, steps,
cautions and stop signs; then a four-week tick grid and the sources. It prints on A4 or
US Letter: the page takes the printer's paper and the content fits the narrower of the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import fits
from hiprot.figures import Figure, render_svg
from hiprot.models import Exercise, Item, Level, PersonCautions, Routine, Side, Source
from hiprot.report import header_notes, hidden_words
from hiprot.text import (
    SAFETY,
    clock,
    cues_for,
    dosage_words,
    everyone,
    item_cautions,
    muscle_names,
    needs_words,
    plural,
    prescription_words,
    routine_title,
    seed_words,
    sides,
    source_lines,
    steps_for,
    substitution_note,
    vocabulary_words,
)
from hiprot.timeline import item_times, total_seconds

WEEKS = 4
# "Leave it out ..." in a few words each; every exercise's cautions give the full reason.
LEAVE_OUT = {
    "hip-replacement-posterior": "after a posterior-approach hip replacement",
    "hip-replacement-early": "in the first 12 weeks after a hip replacement",
    "hip-impingement": "with hip impingement",
    "hip-replacement-anterior": "after an anterior-approach hip replacement",
    "knee-pain": "if your knee hurts",
    "low-back-pain": "with low back pain",
    "floor": "if getting down to the floor and up is hard",
    "kneeling": "if you cannot kneel",
    "single-leg-balance": "if you cannot balance on one leg",
    "deep-squat": "if you cannot sink into a deep squat",
}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STOP_SIGNS = (
    "Sharp, pinching or catching pain: stop this exercise.",
    "Pain above 5 out of 10, during it or the next day: do less next time; see a physiotherapist or "
    "doctor if it lasts or comes back.",
    "Pain of 8 or more, numbness or tingling down the leg: stop the programme and get advice.",
)

CSS = """
/* A4 is 210 x 297 mm, US Letter 216 x 279 mm: the page follows the printer's paper, and
   the content is sized for the narrower width (A4) and the shorter height (Letter). */
@page { margin: 12mm 12mm 14mm; }
@page :first { margin-top: 12mm; }
* { box-sizing: border-box; }
html { font: 10.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 180mm; padding: 0 2mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 12.5pt; margin: 0 0 1.5mm; }
h3 { font-size: 9pt; margin: 1.5mm 0 0.3mm; }
p, ul, ol { margin: 0 0 1.5mm; }
ul, ol { padding-left: 5mm; }
.meta { color: #444; }
.note { border-left: 3px solid #e8590c; padding: 1mm 3mm; background: #fff4e6; margin: 1.5mm 0; }
.exercise { break-inside: avoid; page-break-inside: avoid; border: 1px solid #ced4da; border-radius: 2mm;
  padding: 2.5mm 3mm; margin: 2.5mm 0; }
.exercise .head h2 { display: inline; margin-right: 3mm; }
.exercise .head p { display: inline; margin: 0; }
.exercise .head p.meta { display: block; }
.cols { display: flex; gap: 3mm; margin-top: 1mm; font-size: 8pt; line-height: 1.22; }
.cols .figure { flex: 0 0 44mm; }
.cols .figure svg { width: 44mm; height: auto; max-height: 32mm; }
.cols .figure p.key { font-size: 7pt; color: #555; margin: 0 0 1mm; }
.cols .leave { margin: 0; }
.cols .steps { flex: 1.1; min-width: 0; }
.cols .care { flex: 1; min-width: 0; font-size: 7.6pt; }
.cols h3 { margin-top: 0; }
.cols ul, .cols ol { padding-left: 4mm; margin-bottom: 1mm; }
.dose { font-weight: bold; }
.ticks { font-size: 9pt; }
.ticks span { display: inline-block; width: 4.5mm; height: 4.5mm; border: 1px solid #333; margin-right: 1.5mm;
  vertical-align: middle; }
.profile { break-inside: avoid; border: 2px solid #1864ab; background: #e7f5ff; border-radius: 2mm;
  padding: 2mm 3mm; margin: 2mm 0; }
.profile h2 { margin-bottom: 1mm; }
.profile ul { margin: 0; }
.stop { break-inside: avoid; border: 2px solid #c92a2a; border-radius: 2mm; padding: 2mm 3mm; margin: 3mm 0; }
.grid { break-inside: avoid; margin: 2mm 0; }
.grid h2 { margin-bottom: 1mm; }
table { border-collapse: collapse; }
.grid td, .grid th { border: 1px solid #adb5bd; width: 19mm; height: 5.5mm; text-align: center; font-size: 8pt; }
.grid th:first-child { width: 22mm; }
.grid td { color: #868e96; font-size: 7pt; vertical-align: top; text-align: left; padding: 0.5mm 1mm; }
.grid td.off { background: #e9ecef; }
.sources { font-size: 7.5pt; line-height: 1.2; }
.sources h2 { font-size: 11pt; }
.sources ul { margin: 0; }
"""


def routine(plan: Routine, command: str) -> str:
    """The handout for a routine, dated today; `command` rebuilds it."""
    return routine_to_html(plan, command, date.today(), figures())


def exercise(
    ex: Exercise, catalogue: Catalogue, side: Side | None = None, person: PersonCautions | None = None
) -> str:
    """One exercise on its own sheet, with the cautions that concern the person (default: all)."""
    care = person if person is not None else everyone(ex)
    drawn = None if ex.id in catalogue.overrides else fits(figures().get(ex.id), ex)  # not a drill of yours
    card = _card(ex, drawn, dose=dosage_words(ex.dosage), ticks=None, side=side, care=care, say_hidden=True)
    body = [f"<h1>{escape(ex.name)}</h1>", f'<p class="meta">{escape(dosage_words(ex.dosage))}</p>', card]
    return _page(ex.name, body + _stop_box() + _sources_block(ex.sources, catalogue.sources))


def exercises(found: list[Exercise], catalogue: Catalogue) -> str:
    """A sheet of several exercises (what `list` found), each with its figure."""
    drawn = figures()
    body = [f"<h1>Exercises ({len(found)} of {len(catalogue)})</h1>"]
    body += [_card(ex, fits(drawn.get(ex.id), ex), dose=dosage_words(ex.dosage), ticks=None, care=everyone(ex))
             for ex in found]  # fmt: skip
    return _page("Exercises", body + _stop_box())


def figures() -> dict[str, Figure]:
    """The bundled figures by exercise id."""
    from hiprot.catalogue.figures import load_figures

    return load_figures()


class PlanGrid(NamedTuple):
    """The weeks of a plan for the handout's tick grid: its first day, its length in
    weeks, and the days of the week it has sessions on (0 = Monday)."""

    start: date
    weeks: int
    days: tuple[int, ...]


def routine_to_html(
    plan: Routine, command: str, today: date, figures: dict[str, Figure], grid: PlanGrid | None = None
) -> str:
    """The handout; `figures` by exercise id (a drill without one is printed without);
    the tick grid follows `grid` (a plan's weeks and days), or four open weeks."""
    title = routine_title(plan)
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{today.day} {today:%B %Y} · total {clock(total_seconds(plan))} of '
        f"{clock(plan.budget_seconds)} min · {plural(len(plan.items), 'exercise')} · you need: "
        f"{escape(needs_words(plan))} · muscles: {escape(muscle_names(plan.muscles_covered) or 'none')} · "
        f"seed: {escape(seed_words(plan))}</p>",
        f'<p class="meta">Rebuild it with <code>{escape(command)}</code></p>',
        *_profile_box(plan.profile_notes),  # the person's own precautions come first
        *[f'<p class="note">{escape(note)}</p>' for note in header_notes(plan) if note not in plan.profile_notes],
        *_stop_box(),  # safety before the first exercise
    ]
    for n, (item, seconds) in enumerate(zip(plan.items, item_times(plan), strict=True), 1):
        ex = item.exercise
        body.append(_item(n, item, seconds, plan.level, fits(figures.get(ex.id), ex), item_cautions(plan, ex)))
    body.append(_tick_grid(grid))
    body += _sources_block((src for item in plan.items for src in item.exercise.sources), plan.sources)
    return _page(title, body)


def _item(n: int, item: Item, seconds: int, level: Level, figure: Figure | None, care: PersonCautions) -> str:
    ex, p = item.exercise, item.dosage
    note = substitution_note(item, level)
    dose = f"{prescription_words(p)} ({clock(seconds)})"
    ticks = [f"Set {s}" + (f" · {side}" if side else "") for s in range(1, p.sets + 1) for side in sides(p)]
    if p.extra is not None and p.extra.value in sides(p):
        ticks.append(f"Set {p.sets + 1} · {p.extra.value}")
    return _card(ex, figure, dose=dose, ticks=ticks, heading=f"{n}. {ex.name}", note=note, side=p.only,
                 care=care)  # fmt: skip


def _card(
    ex: Exercise, figure: Figure | None, dose: str, ticks: list[str] | None, heading: str | None = None,
    note: str | None = None, side: Side | None = None, care: PersonCautions | None = None, say_hidden: bool = False,
) -> str:  # fmt: skip
    """Heading and dose across the top; figure, steps and cautions side by side; ticks below."""
    gear = vocabulary_words(ex.equipment, "none")
    head = [f"<h2>{escape(heading or ex.name)}</h2>",
            f'<p><span class="dose">{escape(dose)}</span> · {escape(ex.position.value)} · '
            f"equipment: {escape(gear)}</p>"]  # fmt: skip
    if note:
        head.append(f'<p class="meta"><em>Stands in as the {escape(note)}.</em></p>')
    steps_title = f"Steps ({side.value} side only)" if side is not None and ex.dosage.per_side else "Steps"
    steps = [f"<h3>{escape(steps_title)}</h3>", "<ol>",
             *[f"<li>{escape(step)}</li>" for step in steps_for(ex, side)], "</ol>"]  # fmt: skip
    lines: list[str] = []
    chosen = care if care is not None else everyone(ex)
    shown = chosen.shown + ((hidden_words(chosen.hidden),) if say_hidden and chosen.hidden else ())
    if shown:
        lines += ["<h3>Cautions</h3>", "<ul>", *[f"<li>{escape(e)}</li>" for e in shown], "</ul>"]
    leave = [LEAVE_OUT[t.value] for t in chosen.leave_out]
    if leave:
        lines.append(f'<p class="leave"><strong>Leave it out</strong> {escape("; ".join(leave))}.</p>')
    picture = '<div class="figure">'
    if figure is not None:
        svg = render_svg(figure, side=side.value if side else None, title=f"{ex.name}: start and end")
        picture += f'{svg}<p class="key">Left: start. Right: end. Orange: the working leg.</p>'
    else:
        picture += '<p class="key">No figure for this exercise.</p>'
    if ex.cues:
        picture += "<h3>Cues</h3><ul>" + "".join(f"<li>{escape(c)}</li>" for c in cues_for(ex, side)) + "</ul>"
    picture += "</div>"
    parts = [
        f'<section class="exercise"><div class="head">{"".join(head)}</div>',
        f'<div class="cols">{picture}<div class="steps">{"".join(steps)}</div>',
        f'<div class="care">{"".join(lines)}</div></div>',
    ]
    if ticks:
        boxes = "".join(f"<span></span>{escape(t)} &nbsp; " for t in ticks)
        parts.append(f'<p class="ticks">Done today: {boxes}</p>')
    return "".join(parts) + "</section>"


def _profile_box(notes: Iterable[str]) -> list[str]:
    """The profile's precautions, in a box of their own above everything else (none: nothing)."""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    if not items:
        return []
    return [f'<div class="profile"><h2>Your precautions</h2><ul>{items}</ul></div>']


def _stop_box() -> list[str]:
    items = "".join(f"<li>{escape(s)}</li>" for s in STOP_SIGNS)
    return [f'<div class="stop"><h2>Stop signs</h2><ul>{items}</ul><p>{escape(SAFETY)}</p></div>']


def _tick_grid(grid: PlanGrid | None = None) -> str:
    """A box per day to tick: every day of four weeks, or a plan's session days only
    (the other days are greyed), one row per week of the plan, dated."""
    head = "".join(f"<th>{d}</th>" for d in DAYS)
    if grid is None:
        rows = "".join(f"<tr><th>Week {w}</th>" + "<td></td>" * len(DAYS) + "</tr>" for w in range(1, WEEKS + 1))
        return (f'<div class="grid"><h2>Four weeks: tick each day you do it</h2>'
                f"<table><tr><th></th>{head}</tr>{rows}</table></div>")  # fmt: skip
    monday = grid.start - timedelta(days=grid.start.weekday())
    end = grid.start + timedelta(weeks=grid.weeks)
    rows = ""
    for w in range(grid.weeks + (1 if grid.start.weekday() else 0)):
        week_start = monday + timedelta(weeks=w)
        cells = ""
        for d in range(len(DAYS)):
            day = week_start + timedelta(days=d)
            planned = d in grid.days and grid.start <= day < end
            cells += f"<td>{day.day}</td>" if planned else '<td class="off"></td>'
        rows += f"<tr><th>{week_start.day} {week_start:%b}</th>{cells}</tr>"
    return (f'<div class="grid"><h2>Your plan: tick each session you do ({len(grid.days)} days a week, '
            f"{grid.weeks} weeks)</h2><table><tr><th>Week of</th>{head}</tr>{rows}</table></div>")  # fmt: skip


def _sources_block(ids: Iterable[str], sources: Mapping[str, Source]) -> list[str]:
    """The works cited, by title (author, publisher, date where known)."""
    cited = source_lines(dict.fromkeys(ids), sources)
    if not cited:
        return []
    items = "".join(f"<li>{escape(s)}</li>" for s in cited)
    return [f'<div class="sources"><h2>Sources</h2><ul>{items}</ul></div>']


def _page(title: str, body: list[str]) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
