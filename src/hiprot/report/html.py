"""A printable handout: one self-contained HTML file (inline SVG and CSS, no script, nothing fetched).

It is written for the person who does the exercises, as a physiotherapist's sheet would
be: a header (what the routine is for, how often, the date), one stop-signs box, one card
per exercise (a figure at least 60 mm wide, the dose in large type, a badge when one leg
only is worked, at most five steps, tips and cautions), then the tick grid and the
sources. Plain words only: no command line, no "IR" (it is written out), body text at
least 11 pt. It prints on A4 or US Letter: the content is sized for the narrower width
(A4) and the shorter height (Letter); a five-exercise warm-up fits two pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import fits
from hiprot.figures import Figure, render_svg
from hiprot.models import Dose, Exercise, Item, PersonCautions, Precaution, Routine, Side, Source
from hiprot.report import hidden_words
from hiprot.text import SAFETY, clock, cues_for, everyone, item_cautions, prescription_words, source_lines, steps_for
from hiprot.timeline import item_times, total_seconds

WEEKS = 4
MAX_STEPS = 5  # longer instructions are folded into the fifth step
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STOP_SIGNS = (
    "Sharp, pinching or catching pain: stop this exercise.",
    "Pain above 5 out of 10, during it or the next day: do less next time; see a physiotherapist or "
    "doctor if it lasts or comes back.",
    "Pain of 8 or more, numbness or tingling down the leg: stop the programme and get advice.",
)
# How a person says where they are and what they use.
POSITION_WORDS = {
    "standing": "standing", "seated": "sitting", "lying": "lying on your back",
    "side-lying": "lying on your side", "quadruped": "on hands and knees", "kneeling": "kneeling",
    "squat": "in a squat",
}  # fmt: skip
EQUIPMENT_WORDS = {
    "none": "nothing", "band": "a long resistance band, anchored", "loop-band": "a loop band around both legs",
    "chair": "a chair", "ball": "a massage ball",
}  # fmt: skip
WHAT_IT_IS = (
    "Hip internal rotation: turning the thigh inward, so the knee turns in and the foot swings out. "
    "In the pictures, the start is on the left, the end on the right, the working leg in orange."
)
# The stop signs already say to stop on sharp pain: the rest of text.SAFETY.
NOT_ADVICE = SAFETY.removeprefix("Stop on sharp pain. ")
# "Leave it out ..." in a few words each, for the tags that concern the person.
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

CSS = """
/* A4 is 210 x 297 mm, US Letter 216 x 279 mm: the page follows the printer's paper, and
   the content is sized for the narrower width (A4) and the shorter height (Letter).
   Body text is 11 pt or more; only the figure key, the grid's dates and the sources are
   9 pt (tests/test_browser.py checks both over the computed styles). */
@page { margin: 9mm 10mm 9mm; }
* { box-sizing: border-box; }
html { font: 11pt/1.13 "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; color: #111; }
body { margin: 0 auto; max-width: 190mm; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
.title { display: flex; justify-content: space-between; align-items: baseline; gap: 4mm; }
h2 { font-size: 14pt; margin: 0; }
p, ul, ol { margin: 0 0 1mm; }
ul, ol { padding-left: 5.5mm; }
.meta { color: #333; }
.who { font-size: 12pt; }
.note { border-left: 3px solid #e8590c; padding: 0.5mm 3mm; background: #fff4e6; margin: 1mm 0; }
.profile { border: 2px solid #1864ab; background: #e7f5ff; border-radius: 2mm; padding: 1.5mm 3mm; margin: 1.5mm 0; }
.profile ul { margin: 0; }
.stop { break-inside: avoid; page-break-inside: avoid; border: 2px solid #c92a2a; border-radius: 2mm;
  padding: 1.5mm 3mm; margin: 2mm 0; }
.stop h2 { color: #c92a2a; font-size: 13pt; display: inline; margin-right: 3mm; }
.stop ul { margin: 0.5mm 0; }
.stop p { margin: 0; }
.card { border: 1px solid #adb5bd; border-radius: 2mm; padding: 0.8mm 2.5mm 0.3mm; margin: 1.2mm 0; }
/* A card may run on to the next page after its steps, never between its name, picture and steps. */
.card .top { break-inside: avoid; page-break-inside: avoid; }
.card p.care, .card p.tips { break-inside: avoid; page-break-inside: avoid; }
.card .head { display: flex; align-items: baseline; gap: 3mm; flex-wrap: wrap; margin-bottom: 0.5mm; }
.card .head h2 { flex: 1 1 auto; }
.dose { font-size: 17pt; font-weight: bold; white-space: nowrap; }
.time { color: #555; }
.badge { font-size: 12pt; font-weight: bold; color: #fff; background: #d9480f; border-radius: 1.5mm;
  padding: 0.3mm 2mm; white-space: nowrap; }
.body { display: flex; gap: 3mm; align-items: flex-start; }
.body .text { flex: 1 1 0; min-width: 0; }
.figure { flex: 0 0 62mm; width: 62mm; margin-bottom: 0.5mm; }
.figure svg { display: block; width: 62mm; height: auto; max-height: 40mm; }
/* The drawing's own labels (Start, End, the working leg) in user units: at 62 mm wide a
   figure's 408 units print at about 0.57 px each, so 21 units is 9 pt. */
.figure svg text { font-size: 21px; }
.card ol { margin-bottom: 0.5mm; }
.grid { break-inside: avoid; page-break-inside: avoid; margin: 1.5mm 0; flex: 0 0 auto; }
.grid h2 { font-size: 12pt; }
table { border-collapse: collapse; }
.grid td, .grid th { border: 1px solid #adb5bd; width: 10mm; height: 5.2mm; text-align: center; }
.grid th:first-child { width: 19mm; }
.grid td { color: #868e96; font-size: 9pt; vertical-align: top; text-align: left; padding: 0.5mm 1mm; }
.grid td.off { background: #e9ecef; }
.sources { font-size: 9pt; line-height: 1.2; color: #333; margin-top: 1.5mm; }
"""


def routine(plan: Routine, command: str, person: Sequence[str] = ()) -> str:
    """The handout for a routine, dated today (`command` is for the terminal, not the sheet);
    `person`: who it is for, their clinician and contact (`Profile.person_lines`)."""
    return routine_to_html(plan, command, date.today(), figures(), person=person)


def exercise(
    ex: Exercise, catalogue: Catalogue, side: Side | None = None, person: PersonCautions | None = None
) -> str:
    """One exercise on its own sheet, with the cautions that concern the person (default: all)."""
    care = person if person is not None else everyone(ex)
    drawn = None if ex.id in catalogue.overrides else fits(figures().get(ex.id), ex)  # not a drill of yours
    body = [f"<h1>{escape(plain_name(ex.name))}</h1>", f'<p class="meta">{escape(WHAT_IT_IS)}</p>', *_stop_box(),
            _card(ex, drawn, dose=_range_words(ex), side=side, care=care, say_hidden=True)]  # fmt: skip
    return _page(ex.name, body + _sources_block(ex.sources, catalogue.sources))


def exercises(found: list[Exercise], catalogue: Catalogue) -> str:
    """A sheet of several exercises (what `list` found), each with its figure."""
    drawn = figures()
    body = [f"<h1>Exercises ({len(found)} of {len(catalogue)})</h1>", f'<p class="meta">{escape(WHAT_IT_IS)}</p>',
            *_stop_box()]  # fmt: skip
    body += [_card(ex, fits(drawn.get(ex.id), ex), dose=_range_words(ex), care=everyone(ex)) for ex in found]
    return _page("Exercises", body)


def figures() -> dict[str, Figure]:
    """The bundled figures by exercise id."""
    from hiprot.catalogue.figures import load_figures

    return load_figures()


def plain_name(name: str) -> str:
    """An exercise named as a person would say it: 'Hip Internal Rotation Lift-Off' ->
    'Hip internal rotation lift-off' (the first word keeps its capital, so do acronyms)."""
    words = name.split(" ")
    return " ".join([words[0], *(w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:])])


def dose_words(p: Dose) -> str:
    """The dose in a person's words, for large type: '2 x 12 each side', 'Hold 30 s each side', '2 x 12'."""
    each = " each side" if p.per_side and p.only is None else ""
    sets = p.sets + 1 if p.only is not None and p.extra is p.only else p.sets  # one side, and the stiff one
    if p.reps is not None:
        return f"{sets} x {p.reps}{each}"
    hold = f"hold {p.hold_s} s{each}"
    return hold.capitalize() if sets == 1 else f"{sets} x {hold}"


def _range_words(ex: Exercise) -> str:
    """The catalogue's range, for a sheet that is not a routine: '2-3 x 20 each side'."""
    d = ex.dosage
    each = " each side" if d.per_side else ""
    work = f"{d.reps}" if d.reps is not None else f"hold {d.hold_s} s"
    return f"{d.sets} x {work}{each}"


def substitution_words(item: Item, *, where: bool = True) -> str | None:
    """Why a variant stands in, for a person: 'An easier version of standing hip internal
    rotation, lying on your back.' (without the position when `where` is False)."""
    original = item.substituted_for
    if original is None:
        return None
    ex = item.exercise
    moved = where and ex.position is not original.position
    position = f", {POSITION_WORDS.get(ex.position.value, ex.position.value)}" if moved else ""
    return f"An easier version of {plain_name(original.name).lower()}{position}."


def how_often(grid: PlanGrid | None) -> str | None:
    """'3 times a week (Mon, Wed, Fri) for 6 weeks, from Mon 7 Dec 2026.' None without a plan."""
    if grid is None:
        return None
    days = ", ".join(DAYS[d] for d in sorted(grid.days))
    times = {1: "Once", 2: "Twice"}.get(len(grid.days), f"{len(grid.days)} times")
    weeks = f"{grid.weeks} week{'s' if grid.weeks != 1 else ''}"
    start = f"{DAYS[grid.start.weekday()]} {grid.start.day} {grid.start:%b %Y}"
    return f"{times} a week ({days}) for {weeks}, from {start}."


class PlanGrid(NamedTuple):
    """The weeks of a plan for the handout's tick grid: its first day, its length in
    weeks, and the days of the week it has sessions on (0 = Monday)."""

    start: date
    weeks: int
    days: tuple[int, ...]


def routine_to_html(
    plan: Routine, command: str, today: date, figures: dict[str, Figure], grid: PlanGrid | None = None,
    person: Sequence[str] = (),
) -> str:  # fmt: skip
    """The handout; `figures` by exercise id (a drill without one is printed without);
    the tick grid follows `grid` (a plan's weeks and days), or four open weeks; `person`
    heads it (who it is for, the clinician, the contact: `Profile.person_lines`).
    `command` rebuilds the routine at the terminal; it is not printed on a person's sheet."""
    title = _title(plan)
    minutes = clock(total_seconds(plan))
    count = f"{len(plan.items)} exercise{'s' if len(plan.items) != 1 else ''}"
    gear = sorted({e.value for item in plan.items for e in item.exercise.equipment})
    needs = ", ".join(EQUIPMENT_WORDS.get(g, g) for g in gear) or "nothing but a mat"
    body = [
        f'<div class="title"><h1>{escape(title)}</h1><p class="meta">Printed {today.day} {today:%B %Y}</p></div>',
        f'<p class="meta">{count}, about {minutes} minutes · you need: {escape(needs)}</p>',
    ]
    if person:
        body.insert(1, f'<p class="who">{" · ".join(escape(line) for line in person)}</p>')
    often = how_often(grid)
    if often:
        body.append(f"<p><strong>How often:</strong> {escape(often)}</p>")
    if plan.rounds > 1:
        body.append(f"<p><strong>Rounds:</strong> go through the list {plan.rounds} times, with a short rest "
                    "between rounds.</p>")  # fmt: skip
    common = _common_cues(plan)
    for_all = " ".join(["For all of them:", *common]) if common else ""
    body.append(f'<p class="meta">{escape(WHAT_IT_IS)} {escape(for_all)}</p>')
    folded, other = _fold_notes(plan)
    body += _profile_box(plan.profile_notes)  # the person's own precautions come first
    body += [f'<p class="note">{escape(note)}</p>' for note in _header_notes(plan, other)]
    body += _stop_box()  # safety before the first exercise
    body.append(_tick_grid(grid))  # at the top, where it is seen each time
    for n, (item, seconds) in enumerate(zip(plan.items, item_times(plan), strict=True), 1):
        ex = item.exercise
        body.append(_item(n, item, seconds, fits(figures.get(ex.id), ex), item_cautions(plan, ex),
                          folded.get(n - 1), common))  # fmt: skip
    body += _sources_block((src for item in plan.items for src in item.exercise.sources), plan.sources)
    return _page(title, body)


def _title(plan: Routine) -> str:
    goal = {"warmup": "Hip warm-up", "strength": "Hip strength", "recovery": "Hip recovery"}.get(plan.goal.value)
    return f"{goal or plan.goal.value.capitalize()} routine ({plan.level.value})"


def _fold_notes(plan: Routine) -> tuple[dict[int, str], list[str]]:
    """The routine's notes about one exercise (dose changes, stays) folded into one line per
    exercise, by item index; the rest stay in the header."""
    folded: dict[int, list[str]] = {}
    other: list[str] = []
    names = sorted(((item.exercise.name, n) for n, item in enumerate(plan.items)), key=lambda x: -len(x[0]))
    for note in plan.notes:
        for name, n in names:
            if note.startswith(name + " "):
                folded.setdefault(n, []).append(note[len(name) + 1 :])
                break
        else:
            other.append(note)
    return {n: "; ".join(_dose_note(text) for text in texts) for n, texts in folded.items()}, other


def _dose_note(text: str) -> str:
    """'2 x 20 → 3 x 20: pain 2 ...' -> 'now 3 x 20 (was 2 x 20): pain 2 ...';
    'stays at 2 x 12 (not 2 x 14): reason' -> 'stays at 2 x 12 this week: reason';
    'is at the top of its range: ready to try X.' -> 'at the top of its range; ask about moving on to x'."""
    moved = re.match(r"(.+?) → (.+?): (.+)", text)
    if moved:
        return f"now {moved.group(2)} (was {moved.group(1)}): {moved.group(3)}"
    stays = re.match(r"stays at (.+?) \(not (.+?)\): (.+)", text)
    if stays:
        return f"stays at {stays.group(1)} this week: {stays.group(3)}"
    top = re.match(r"is at the top of its range: ready to try (.+?)\.?$", text)
    if top:
        return f"at the top of its range; ask about moving on to {plain_name(top.group(1)).lower()}"
    return text


def _header_notes(plan: Routine, notes: list[str]) -> list[str]:
    """What the sheet says above the exercises, in a person's words: the exercises to leave
    out after a hip replacement when the profile does not already leave them out, then the
    routine's notes that are not about one exercise."""
    out = []
    flagged = [str(n) for n, item in enumerate(plan.items, 1)
               if Precaution.HIP_REPLACEMENT in item.exercise.precautions]  # fmt: skip
    # For someone hiprot knows nothing of (as report.header_notes): a profile says which
    # approach applies, and an anterior-approach replacement is not told about posterior-only work.
    unknown = plan.profile is None or plan.profile.empty
    if flagged and unknown and not any(p is Precaution.HIP_REPLACEMENT for _, p in plan.request.protect):
        which = f"number {flagged[0]}" if len(flagged) == 1 else f"numbers {', '.join(flagged[:-1])} and {flagged[-1]}"
        out.append(f"After a posterior-approach hip replacement, leave out {which}: "
                   f"{'it bends' if len(flagged) == 1 else 'they bend'} the hip to 90 degrees or more, or turn it "
                   "in or across the body.")  # fmt: skip
    return out + [note for note in notes if not _for_the_terminal(note)]


def _for_the_terminal(note: str) -> bool:
    """A note only a command-line user can act on (how the routine was built, its time budget)."""
    return "--" in note or "hiprot " in note or note.startswith("Uses ")


def _common_cues(plan: Routine) -> list[str]:
    """Tips every exercise of a routine of two or more gives ('Use a mat or soft surface.'):
    said once in the header, not on each card."""
    if len(plan.items) < 2:
        return []
    each = [cues_for(item.exercise, item.dosage.only) for item in plan.items]
    return [cue for cue in each[0] if all(cue in cues for cues in each[1:])]


def _item(
    n: int, item: Item, seconds: int, figure: Figure | None, care: PersonCautions, dose_note: str | None,
    said: Iterable[str] = (),
) -> str:  # fmt: skip
    p = item.dosage
    minutes = clock(seconds)
    return _card(item.exercise, figure, dose=dose_words(p), heading=f"{n}. {plain_name(item.exercise.name)}",
                 side=p.only, extra=p.extra if p.extra in (p.worked_sides or ()) else None,
                 lines=[x for x in (substitution_words(item, where=False),
                                    f"This dose is {item.note}." if item.note else None) if x],
                 minutes=minutes,
                 dose_note=dose_note, said=frozenset(said), care=care, record=prescription_words(p))  # fmt: skip


def _card(
    ex: Exercise, figure: Figure | None, dose: str, heading: str | None = None, side: Side | None = None,
    extra: Side | None = None, lines: Iterable[str] = (), dose_note: str | None = None,
    said: frozenset[str] = frozenset(), minutes: str | None = None, care: PersonCautions | None = None,
    say_hidden: bool = False, record: str | None = None,
) -> str:  # fmt: skip
    """Name, dose and side badge across the top; the figure at the left with the steps
    beside it (a flex row, which Chromium and WeasyPrint lay out alike); tips and cautions
    below, across the card."""
    head = [f"<h2>{escape(heading or plain_name(ex.name))}</h2>"]
    if side is not None:
        head.append(f'<span class="badge">{escape(side.value.upper())} leg only</span>')
    if minutes:
        head.append(f'<span class="time">{escape(minutes)} min</span>')
    head.append(f'<span class="dose">{escape(dose)}</span>')
    # Where you are is in the picture and the first step; say what you use, and why a variant stands in.
    gear = ", ".join(EQUIPMENT_WORDS.get(e.value, e.value) for e in ex.equipment)
    facts = [f"You need {gear}."] if gear else []
    facts += lines
    if extra is not None:
        facts.append(f"One more set on the {extra.value} side than usual: that hip is the stiffer one.")
    # `record`: the dose as every other view words it, for a program to compare ("1 x 8 / side").
    data = f' data-dose="{escape(record)}"' if record else ""
    parts = [f'<section class="card"{data}><div class="top"><div class="head">{"".join(head)}</div><div class="body">']
    if figure is not None:
        svg = render_svg(figure, side=side.value if side else None, title=f"{plain_name(ex.name)}: start and end")
        parts.append(f'<div class="figure">{svg}</div>')
    else:  # a drill of the person's own, or one hiprot cannot draw
        parts.append('<div class="figure"><p class="key">No figure for this exercise.</p></div>')
    parts.append('<div class="text">' + (f'<p class="meta">{escape(" ".join(facts))}</p>' if facts else ""))
    if dose_note:
        parts.append(f"<p><strong>Dose:</strong> {escape(dose_note)}</p>")
    steps = steps_for(ex, side)
    if len(steps) > MAX_STEPS:
        steps = [*steps[: MAX_STEPS - 1], " ".join(steps[MAX_STEPS - 1 :])]
    parts.append("<ol>" + "".join(f"<li>{escape(step)}</li>" for step in steps) + "</ol></div></div></div>")
    cues = [cue for cue in cues_for(ex, side) if cue not in said]
    if cues:
        parts.append(f'<p class="tips"><strong>Tips:</strong> {escape(" ".join(cues))}</p>')
    chosen = care if care is not None else everyone(ex)  # the cautions that concern this person
    shown = list(chosen.shown) + ([hidden_words(chosen.hidden)] if say_hidden and chosen.hidden else [])
    # Who should leave it out, unless a caution shown already says so for that precaution or need.
    said_by = {c.when for c in ex.cautions if c.when is not None and c.text in chosen.shown}
    leave = [LEAVE_OUT.get(t.value, t.value) for t in chosen.leave_out if t not in said_by]
    if leave:
        shown.append(f"Leave it out {'; '.join(leave)}.")
    if shown:
        parts.append(f'<p class="care"><strong>Take care:</strong> {escape(" ".join(shown))}</p>')
    return "".join(parts) + "</section>"


# What a person always leaves out, in words (the profile's `avoid` names).
AVOID_WORDS = {
    "hip-replacement": "positions a posterior-approach hip replacement must avoid",
    "hip-replacement-posterior": "positions a posterior-approach hip replacement must avoid",
    "hip-replacement-early": "what the first 12 weeks after a hip replacement rule out",
    "hip-replacement-anterior": "positions an anterior-approach hip replacement must avoid",
    "hip-impingement": "deep hip bends with an inward turn", "knee-pain": "work that twists or kneels on the knee",
    "low-back-pain": "a loaded bend or twist of the lower back", "floor": "getting down to the floor",
    "kneeling": "kneeling", "single-leg-balance": "balancing on one leg", "deep-squat": "deep squats",
}  # fmt: skip


def _about_you(note: str) -> str:
    """A profile note for the sheet: what a person owns and their level are for the planner,
    not the page; what they always leave out is said in words."""
    note = re.sub(r"\s*(Equipment you own: [^.]*|Level: [a-z]+)\.", "", note)

    def words(found: re.Match[str]) -> str:
        names = [name.strip() for name in found.group(1).split(",")]
        return "Always left out: " + "; ".join(AVOID_WORDS.get(name, name) for name in names) + "."

    return re.sub(r"Always left out: ([a-z, -]+)\.", words, note)


def _profile_box(notes: Iterable[str]) -> list[str]:
    """The profile in plain words, in a box of its own above everything else (none: nothing)."""
    kept = [_about_you(note) for note in notes if not _for_the_terminal(note)]
    items = "".join(f"<li>{escape(note)}</li>" for note in kept if note.removeprefix("Your profile:").strip())
    if not items:
        return []
    return [f'<div class="profile"><strong>About you</strong><ul>{items}</ul></div>']


def _stop_box() -> list[str]:
    items = "".join(f"<li>{escape(s)}</li>" for s in STOP_SIGNS)
    return [f'<div class="stop"><h2>Stop signs</h2><span>{escape(NOT_ADVICE)}</span><ul>{items}</ul></div>']


def _tick_grid(grid: PlanGrid | None = None) -> str:
    """A box per day to tick: every day of four weeks, or a plan's session days only
    (the other days are greyed), one row per week of the plan, dated."""
    head = "".join(f"<th>{d}</th>" for d in DAYS)
    if grid is None:
        rows = "".join(f"<tr><th>Week {w}</th>" + "<td></td>" * len(DAYS) + "</tr>" for w in range(1, WEEKS + 1))
        return (f'<div class="grid"><h2>Tick each day you do it (four weeks)</h2>'
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
    """The works cited, by title (author, publisher, date where known), as one small paragraph."""
    cited = source_lines(dict.fromkeys(ids), sources)
    if not cited:
        return []
    return [f'<p class="sources"><strong>Sources:</strong> {escape(" ".join(cited))}</p>']


def _page(title: str, body: list[str]) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def join_handouts(pages: Sequence[str]) -> str:
    """Several handouts (a plan that mixes routines: one per routine) as one document,
    each routine from a new printed page; the first one's title and style head it."""
    if len(pages) == 1:
        return pages[0]
    head = pages[0][: pages[0].index("<body>") + len("<body>")]
    bodies = [page[page.index("<body>") + len("<body>") : page.rindex("</body>")] for page in pages]
    joined = "\n".join(f'<div style="break-before: page">{body}</div>' if n else body for n, body in enumerate(bodies))
    return f"{head}{joined}</body></html>\n"
