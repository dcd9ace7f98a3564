"""The progress report for a clinician as Markdown tables and as JSON (the HTML, with its
charts, is in `progress_html`). Dates and numbers, in the same words in every format.

All numbers come from `hiprot.progress.Progress`; the JSON is `Progress.to_dict()` with
the report's header lines, so it carries exactly what the charts and tables show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hiprot.limits import ABANDONED_SHARE as ABANDONED_FRACTION
from hiprot.limits import ABANDONED_WORK_S as ABANDONED_SECONDS
from hiprot.limits import GOOD_PAIN_MAX, MDC_DEGREES, PAIN_MAX, PAIN_MIN, STOP_PAIN_MIN
from hiprot.models import Prescription
from hiprot.progress import HIGH_PAIN, TREND_SESSIONS, Progress, SessionRow, SideReadings, Week
from hiprot.selftest import NORMAL_IR, degrees_text
from hiprot.text import clock, plural

TITLE = "Progress report"
PAIN_SCALE = (f"Pain {PAIN_MIN}-{PAIN_MAX}. hiprot's rule: {PAIN_MIN}-{GOOD_PAIN_MAX} steps the dose up after two such "
              f"sessions, {GOOD_PAIN_MAX + 1}-{STOP_PAIN_MIN - 1} holds, {STOP_PAIN_MIN} or more steps down.")


def period(p: Progress) -> str:
    """'8 weeks: 2026-10-05 to 2026-11-30, printed 2026-11-30'."""
    return (f"{plural(len(p.weeks), 'week')}: {p.first_day.isoformat()} to {p.today.isoformat()}, "
            f"printed {p.today.isoformat()}")  # fmt: skip


def note_rows(p: Progress) -> list[tuple[int, SessionRow]]:
    """The sessions with a note, numbered from 1 as the charts mark them."""
    return list(enumerate((s for s in p.sessions if s.note), 1))


def day_words(day: date) -> str:
    """'Mon 24 Nov 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def adherence_line(p: Progress) -> str:
    """Against the plan when there is one; else sessions per week."""
    s = p.summary()
    counted = f"{plural(p.counted, 'session')} counted in {plural(len(p.weeks), 'week')}"
    if p.abandoned:
        counted += (f", {p.abandoned} abandoned: under {ABANDONED_SECONDS} s or under {ABANDONED_FRACTION:.0%} of "
                    "the planned time, listed, not counted")  # fmt: skip
    if p.planned_per_week is None:
        return f"Adherence: {s.per_week:.1f} sessions a week ({counted}); no plan, so no target."
    if p.current is not None and p.current.plan is not None:  # the plan's own count, from its prescription
        plan = p.current.plan
        share = "-" if not plan.due_so_far else f"{round(100 * plan.done / plan.due_so_far)}%"
        nxt = f"; next session {day_words(plan.due)}" if plan.due else "; no session left"
        names = " + ".join(f"'{r.saved_name}'" for r in p.routines) if p.mixed else f"'{plan.saved_name}'"
        line = (f"Adherence: {plan.done} of {plan.due_so_far} sessions due so far ({share}); plan {names}, "
                f"week {plan.week} of {plan.weeks}, {plural(p.planned_per_week, 'session')} a week (target){nxt} "
                f"({counted}).")  # fmt: skip
        if p.mixed:
            line += " Adherence by routine: " + "; ".join(
                f"'{r.saved_name}' {'-' if r.percent is None else f'{r.percent}%'} ({r.done} of {r.due_so_far})"
                for r in p.routines) + "."  # fmt: skip
        return line
    planned = p.planned_so_far or 0
    done = sum(min(w.sessions, w.planned or 0) for w in p.weeks)
    return (f"Adherence: {done} of {planned} planned sessions ({percent(p.adherence)}); the plan asks for "
            f"{plural(p.planned_per_week, 'session')} a week ({counted}).")  # fmt: skip


def pain_line(p: Progress) -> str:
    s = p.summary()
    if s.peak is None:
        return "Pain: none recorded." if p.sessions else "Pain: no sessions in these weeks."
    when = "the day after a session" if s.peak.next_day else "during a session"
    line = f"Pain: peak {s.peak.pain}/10 on {day_words(s.peak.day)} ({when})"
    if s.trend is not None and s.trend_from is not None and s.trend_to is not None:
        line += (f"; {s.trend}: on average {s.trend_from:.1f} over the first {TREND_SESSIONS} sessions, "
                 f"{s.trend_to:.1f} over the last {TREND_SESSIONS}")  # fmt: skip
    else:
        line += "; too few sessions with pain for a trend"
    return line + "."


def rotation_lines(p: Progress) -> list[str]:
    """Per side with two readings: first to last, the change, and whether it is beyond the error."""
    s = p.summary()
    if not s.changes:
        count = sum(len(side.points) for side in p.sides)
        return [f"Hip internal rotation: {plural(count, 'reading')} in these weeks; a change needs two per side."]
    lines = []
    for c in s.changes:
        verdict = "beyond" if c.beyond_error else "within"
        lines.append(f"{c.side.capitalize()} hip internal rotation: {degrees_text(c.first.degrees)} "
                     f"({day_words(c.first.day)}) to {degrees_text(c.last.degrees)} ({day_words(c.last.day)}), "
                     f"{c.degrees:+.0f}°: {verdict} the {MDC_DEGREES:g}° measurement error.")  # fmt: skip
    return lines


def flag_lines(p: Progress) -> list[str]:
    """What needs a look: pain 6+ twice in a row, sharp-pain stops, missed weeks."""
    s = p.summary()
    flags = [f"Pain of {HIGH_PAIN} or more in sessions in a row: {day_words(a)} to {day_words(b)}."
             for a, b in s.high_pain_runs]  # fmt: skip
    flags += [f"Stopped for sharp pain on {day_words(d)}." for d in s.sharp_stops]
    if len(s.missed_weeks) == 1:
        flags.append(f"No session in the week of {day_words(s.missed_weeks[0])}.")
    elif s.missed_weeks:
        weeks = ", ".join(f"{d.day} {d:%b}" for d in s.missed_weeks)
        flags.append(f"No session in {len(s.missed_weeks)} weeks: the weeks of {weeks} (Mondays).")
    return flags


def goals_lines(p: Progress) -> list[str]:
    """The person's own goals (PSFS), when they rated any."""
    if p.goals is None or p.goals.empty:
        return []
    from hiprot.report.psfs import verdict

    return [f"Goals that matter to you (PSFS): {verdict(p.goals)}"]


def summary(p: Progress) -> list[str]:
    """The 30-second summary: adherence, pain, rotation per side, goals, then the flags."""
    return [adherence_line(p), pain_line(p), *rotation_lines(p), *goals_lines(p), *(flag_lines(p) or ["Flags: none."])]


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def pain_text(value: int | None) -> str:
    return "-" if value is None else str(value)


def week_cells(w: Week) -> list[str]:
    return [w.monday.isoformat(), str(w.sessions), "-" if w.planned is None else str(w.planned), percent(w.adherence)]


def session_cells(s: SessionRow) -> list[str]:
    done = clock(s.done_seconds)
    time = done if s.done_seconds >= s.planned_seconds else f"{done} of {clock(s.planned_seconds)}"
    status = s.status if s.counted else "abandoned (not counted)"
    return [s.day.isoformat(), s.routine, status, time, pain_text(s.pain), pain_text(s.pain_next_day)]


WEEK_HEADERS = ("Week of", "Sessions", "Planned", "Adherence")
SESSION_HEADERS = ("Date", "Routine", "Status", "Time", "Pain during", "Next day")
READING_HEADERS = ("Date", "Left", "Right")


def reading_rows(sides: tuple[SideReadings, SideReadings]) -> list[list[str]]:
    """One row per day with a reading: the left and right degrees (the last of a day)."""
    by_day: dict[str, dict[str, str]] = {}
    for side in sides:
        for point in side.points:
            by_day.setdefault(point.day.isoformat(), {})[side.side] = degrees_text(point.degrees)
    return [[day, cells.get("left", "-"), cells.get("right", "-")] for day, cells in sorted(by_day.items())]


def band_lines(sides: tuple[SideReadings, SideReadings]) -> list[str]:
    """The noise band and usual range in words, per side with readings."""
    low, high = NORMAL_IR
    lines = []
    for side in sides:
        band = side.band
        if band is not None:
            lines.append(f"{side.side.capitalize()}: noise band {degrees_text(band[0])} to {degrees_text(band[1])} "
                         f"(first reading ± {MDC_DEGREES:g}°).")  # fmt: skip
    lines.append(f"Minimal detectable change {MDC_DEGREES:g}° (Krause et al.); usual seated range {low}-{high}°.")
    return lines


def dose_lines(p: Progress) -> list[tuple[str, list[str]]]:
    """Per saved routine: its name and sessions, and its changes (or that there are none)."""
    found = []
    for d in p.doses:
        head = f"{d.routine} ({plural(d.sessions, 'session')} logged)"
        found.append((head, list(d.changes) or ["No change from its starting doses."]))
    return found


def programme_lines(current: Prescription) -> list[str]:
    """The plan's next session in words: when and how long, then each exercise and its dose."""
    from hiprot.text import prescription_words

    plan = current.plan
    when = f"Next session {plan.due.isoformat()} (week {plan.week} of {plan.weeks}), " if plan and plan.due else ""
    lines = [f"{when}{clock(current.total_seconds)}:", ""]
    lines += [f"{n}. {i.exercise.name}: {prescription_words(i.dose)}" for n, i in enumerate(current.items, 1)]
    return lines


# --- Markdown -------------------------------------------------------------------------


def _md(text: str) -> str:
    """Cell or line text that Markdown prints as it is."""
    out = text.replace("\\", "\\\\").replace("|", "\\|")
    for char in "*_`[]<>#":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", " ")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def to_markdown(p: Progress, profile: Sequence[str] = (), person: Sequence[str] = ()) -> str:
    """The report as GitHub-flavoured Markdown: a header, then one table per part."""
    out = [f"# {TITLE}", ""]
    if person:
        out += ["**" + _md(" · ".join(person)) + "**", ""]
    out += [_md(period(p)), ""]
    if profile:
        out += ["**Profile:** " + _md(" ".join(profile)), ""]
    out += ["## Summary", ""] + [f"- {_md(line)}" for line in summary(p)] + [""]
    out += ["## Sessions per week", ""] + _table(WEEK_HEADERS, [week_cells(w) for w in p.weeks]) + [""]
    out += ["## Pain during and the day after", "", _md(PAIN_SCALE), ""]
    if p.sessions:
        out += _table(SESSION_HEADERS, [session_cells(s) for s in p.sessions])
        notes = note_rows(p)
        if notes:
            out += ["", "Session notes:", ""] + [f"{n}. {_md(day_words(s.day))}: {_md(s.note or '')}" for n, s in notes]
    else:
        out.append("No sessions in these weeks.")
    out += ["", "## Hip internal rotation (seated self-test, degrees)", ""]
    rows = reading_rows(p.sides)
    if rows:
        out += _table(READING_HEADERS, rows) + [""]
        out += [f"- {_md(line)}" for line in band_lines(p.sides) + list(p.verdict)]
    else:
        out.append("No readings in these weeks.")
    if p.mixed:
        out += ["", "## Current programme"]
        for r in p.routines:
            out += ["", f"### {_md(r.saved_name)}", ""] + [_md(line) for line in programme_lines(r.current)]
    elif p.current is not None:
        out += ["", "## Current programme", ""] + [_md(line) for line in programme_lines(p.current)]
    out += ["", "## Dose changes", ""]
    changes = dose_lines(p)
    if not changes:
        out.append("No saved routines: doses change only for a saved routine.")
    for head, lines in changes:
        out += [f"### {_md(head)}", ""] + [f"- {_md(line)}" for line in lines] + [""]
    if p.goals is not None and not p.goals.empty:
        from hiprot.report import psfs

        out += ["", *psfs.markdown(p.goals)]
    return "\n".join(out).rstrip("\n") + "\n"


# --- JSON -----------------------------------------------------------------------------


def to_json(p: Progress, profile: Sequence[str] = ()) -> str:
    """The report's numbers as one JSON object (see `Progress.to_dict`), with its header lines."""
    from hiprot.report.json import dumps, prescription_to_dict  # the one JSON writer: bidi and C1 escaped

    data = {"title": TITLE, "profile": list(profile) or None, "summary": summary(p), **p.to_dict(),
            "current_programme": None if p.current is None else prescription_to_dict(p.current)}  # fmt: skip
    return dumps(data)
