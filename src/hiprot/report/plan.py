"""Everything `hiprot plan` and `hiprot today` show: the plan as weeks of marks, JSON for
scripts, and today's lines. Builds, never prints. Rich is imported only by the plan's
table, so `hiprot today` stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from hiprot.text import clock, plural, visible

if TYPE_CHECKING:
    from rich.console import RenderableType

    from hiprot.models import Prescription, SessionRecord
    from hiprot.practice.prescribe import PlanState
    from hiprot.programme import Adherence, PlannedSession, Week


def adherence_text(done: Adherence) -> str:
    """'5 of 6 sessions done (83%)'."""
    if done.percent is None:
        return "nothing due yet"
    return f"{done.done} of {plural(done.due_so_far, 'session')} done ({done.percent}%)"


# --- plans and today ---------------------------------------------------------------------

_MARKS = {"done": "✓", "missed": "✗", "due": "▶", "planned": "·"}
NAME_WIDTH = 10  # a mixed plan's routine names in the week lines


def _weekday(day: date) -> str:
    return day.strftime("%a %d")


def _mark(session: PlannedSession) -> str:
    """'✓ Mon 07', with '+' when an extra session (on another day) did it."""
    return f"{_MARKS[session.status]} {_weekday(session.day)}" + ("+" if session.extra else "")


def _short(name: str) -> str:
    shown = visible(name)
    return shown if len(shown) <= NAME_WIDTH else shown[: NAME_WIDTH - 1] + "…"


def plan_header(state: PlanState) -> str:
    """'Plan: mobility (warmup) on mon,wed,fri + strength (strength) on tue,thu · 6 weeks …'."""
    from hiprot.programme import days_text, last_day

    plan = state.plan
    span = f"{plural(plan.weeks, 'week')} {plan.start.isoformat()} to {last_day(plan).isoformat()}"
    if not plan.mixed:
        return f"Plan: {visible(plan.saved_name)} ({plan.goal}) · {span} · {days_text(plan.days)}"
    parts = " + ".join(f"{visible(p.saved_name)} ({p.goal}) on {days_text(p.days)}" for p in plan.parts)
    return f"Plan: {parts} · {span}"


def plan_view(state: PlanState, done: Adherence, streak: int, weeks: Sequence[Week]) -> RenderableType:
    """`hiprot plan`: one line per week (per routine of a mixed plan) with each session's
    mark, the week's length and adherence, then the overall adherence (and each
    routine's) and streak, the next session of each routine, and each week's dose changes."""
    from rich.console import Group
    from rich.text import Text

    from hiprot.programme import adherence

    plan = state.plan
    header = Text(plan_header(state), style="bold")
    lines = Text()
    routines = state.routines
    width = max((len("  ".join(_mark(s) for s in r.sessions if s.week == w.week)) for r in routines for w in weeks),
                default=0)  # fmt: skip
    for week in weeks:
        pointer = "→" if week.week == state.week and plan.start <= state.day else " "
        for n, part in enumerate(routines):
            own = [s for s in part.sessions if s.week == week.week]
            marks = "  ".join(_mark(s) for s in own).ljust(width)
            dose = next((d for d in part.doses if d.week == week.week), None)
            length = clock(dose.total_seconds) if dose is not None else "-"
            counted = adherence(own) if plan.mixed else week.adherence
            tally = f"{counted.done}/{counted.due_so_far}" if counted.due_so_far else "-"
            if lines:
                lines.append("\n")
            if not plan.mixed:
                lines.append(f"{pointer} week {week.week:>2}  {marks}  {length:>6}  {tally}")
                continue
            label = f"{pointer} week {week.week:>2}" if n == 0 else " " * 9
            lines.append(f"{label}  {_short(part.saved_name):<{NAME_WIDTH}}  {marks}  {length:>6}  {tally}")
    extra = "  + by an extra session" if any(s.extra for s in state.sessions) else ""
    key = Text(f"✓ done  ✗ missed  ▶ due today  · planned{extra}; time is the session's length that week",
               style="dim")  # fmt: skip
    summary = f"Adherence: {adherence_text(done)}"
    if plan.mixed:
        summary += " (" + "; ".join(f"{visible(r.saved_name)}: {adherence_text(adherence(r.sessions))}"
                                    for r in routines) + ")"  # fmt: skip
    parts: list[RenderableType] = [header, Text(), lines, key, Text(),
                                   Text(f"{summary} · streak: {plural(streak, 'week')} on plan")]  # fmt: skip
    parts += [Text(line) for line in next_session_lines(state)]
    notes = [(r.saved_name, note) for r in routines for d in r.doses for note in d.notes]
    if notes:
        parts += [Text(), Text("Dose by week", style="bold")]
        parts += [Text(f"- {visible(name) + ': ' if plan.mixed else ''}{visible(note)}") for name, note in notes]
    return Group(*parts)


def next_session_lines(state: PlanState) -> list[str]:
    """The plan's next session (of each routine of a mixed plan), as `go` will run it:
    when, how long, each exercise and dose."""
    from hiprot.text import prescription_words

    lines: list[str] = []
    ahead = [r.prescription for r in state.routines] if state.plan.mixed else [state.prescription]
    ahead = sorted((p for p in ahead if p.plan is not None and p.plan.due is not None),
                   key=lambda p: p.plan.due if p.plan is not None and p.plan.due else p.day)  # fmt: skip
    for p in ahead:
        assert p.plan is not None and p.plan.due is not None
        which = f" of {visible(p.plan.saved_name)}" if state.plan.mixed else ""
        lines += ["", f"Next session{which}: {p.plan.due:%a %Y-%m-%d}, week {p.plan.week} of {p.plan.weeks}, "
                      f"{clock(p.total_seconds)}"]  # fmt: skip
        lines += [f"- {visible(i.exercise.name)}: {prescription_words(i.dose)}" for i in p.items]
    return lines


def plan_json(state: PlanState, done: Adherence, streak: int, weeks: Sequence[Week]) -> str:
    from hiprot.programme import WEEKDAYS, adherence
    from hiprot.report.json import dumps, prescription_to_dict

    plan = state.plan
    return dumps({
        "start": plan.start.isoformat(), "weeks": plan.weeks, "days": [WEEKDAYS[d] for d in plan.days],
        "saved_name": plan.saved_name, "goal": plan.goal, "today": state.day.isoformat(),
        "sessions": [s.to_dict() for s in state.sessions],
        "adherence": done.to_dict(), "streak_weeks": streak,
        "by_week": [{"week": w.week, "first_day": w.first.isoformat(), "planned": w.planned,
                     "adherence": w.adherence.to_dict()} for w in weeks],
        "doses": [d.to_dict() for d in state.doses],
        "prescription": prescription_to_dict(state.prescription),  # the next session
        # Each routine of the plan (one for a plan of one routine), in the plan's order.
        "routines": [{"saved_name": r.saved_name, "goal": part.goal, "days": [WEEKDAYS[d] for d in r.days],
                      "adherence": adherence(r.sessions).to_dict(), "doses": [d.to_dict() for d in r.doses],
                      "prescription": prescription_to_dict(r.prescription)}
                     for part, r in zip(plan.parts, state.routines, strict=True)],
    })  # fmt: skip


def _today_parts(day: date, state: PlanState | None) -> dict[str, Any]:
    from hiprot.programme import next_session

    if state is None:
        return {"plan": None, "today": [], "next": None, "extra": []}
    todays = [s for s in state.sessions if s.day == day]
    upcoming = next_session(state.sessions, day + timedelta(days=1))
    extra = [s for s in state.sessions if s.extra and s.done_on == day]
    return {"plan": state.plan, "today": todays, "next": upcoming, "extra": extra}


def _prescription_of(state: PlanState, session: PlannedSession) -> Prescription | None:
    """The prescription of a session's routine when it is that routine's next one."""
    part = state.part(session.saved_name)
    found = part.prescription if part is not None else state.prescription
    return found if found.plan is not None and found.plan.due == session.day else None


def today_json(day: date, state: PlanState | None, asking: SessionRecord | None) -> str:
    """`hiprot today --format json`: `{"date", "plan", "today", "items", "next", "ask_next_day",
    "prescription", "due_today", "extra_today"}`."""
    from hiprot.report.json import dumps, prescription_to_dict
    from hiprot.text import prescription_words

    parts = _today_parts(day, state)
    plan = parts["plan"]
    todays: list[PlannedSession] = parts["today"]
    first = todays[0] if todays else None
    items = []
    due = [s for s in todays if s.status != "done"]
    if state is not None and due:
        shown = _prescription_of(state, due[0]) or state.prescription
        items = [{"id": i.exercise.id, "name": i.exercise.name, "dose": prescription_words(i.dose),
                  "seconds": i.seconds} for i in shown.items]  # fmt: skip
    return dumps({
        "date": day.isoformat(),
        "plan": None if plan is None else {"saved_name": plan.saved_name, "goal": plan.goal,
                                           "start": plan.start.isoformat(), "weeks": plan.weeks,
                                           "routines": [p.saved_name for p in plan.parts]},
        "today": None if first is None else (due[0] if due else first).to_dict(),
        "items": items,
        "next": None if parts["next"] is None else parts["next"].to_dict(),
        "ask_next_day": None if asking is None else {"session_id": asking.id},
        # The next session (today's when due), as every view shows it.
        "prescription": None if state is None else prescription_to_dict(state.prescription),
        # Every session planned today (one per routine of a mixed plan), and the extra
        # sessions done today (each with the planned session it counts for).
        "due_today": [s.to_dict() for s in todays],
        "extra_today": [s.to_dict() for s in parts["extra"]],
    })  # fmt: skip


def today_lines(day: date, state: PlanState | None, asking: SessionRecord | None) -> list[str]:
    """`hiprot today` in words: what is due (name, length, exercises) or when the next
    session is, extra sessions done today, and next-day pain still to record."""
    from hiprot.limits import PAIN_MAX, PAIN_MIN
    from hiprot.text import prescription_words

    lines: list[str] = []
    if asking is not None:
        lines.append(f"Yesterday's session ({asking.id}) has no next-day pain yet: hiprot today --next-day N "
                     f"({PAIN_MIN}-{PAIN_MAX}) records how the hip feels this morning.")  # fmt: skip
    parts = _today_parts(day, state)
    if state is None:
        lines.append("No plan is running. Start one: hiprot plan new --weeks 6 --days mon,wed,fri --goal strength")
        return lines
    plan, upcoming = parts["plan"], parts["next"]
    todays: list[PlannedSession] = parts["today"]
    for extra in parts["extra"]:
        which = visible(extra.saved_name or plan.saved_name)
        lines.append(f"Done today: an extra session of {which} (session {extra.session_id}), counted for week "
                     f"{extra.week}'s session of {extra.day:%a %d %b}.")  # fmt: skip
    for session in todays:
        name = visible(session.saved_name or plan.saved_name)
        if session.status == "done":
            how = ", an extra session" if session.extra else ""
            lines.append(f"Today ({day:%a %Y-%m-%d}): {name} done ✓ (session {session.session_id}{how}).")
            continue
        p = _prescription_of(state, session) or state.prescription
        goal = p.routine.goal.value
        lines.append(f"Due today ({day:%a %Y-%m-%d}, week {session.week} of {plan.weeks}): {name} ({goal}), "
                     f"{clock(p.total_seconds)}.")  # fmt: skip
        lines += [f"  {n}. {visible(i.exercise.name)}: {prescription_words(i.dose)}" for n, i in enumerate(p.items, 1)]
        lines += [f"  {visible(note)}" for note in p.notes]
    if any(s.status != "done" for s in todays):
        lines.append("Start it with: hiprot go  (or record it afterwards: hiprot log)")
    elif not todays:
        lines.append(f"Nothing due today ({day:%a %Y-%m-%d}).")
    if upcoming is not None:
        wait = (upcoming.day - day).days
        which = f"{visible(upcoming.saved_name)}, " if plan.mixed and upcoming.saved_name else ""
        lines.append(f"Next: {upcoming.day:%a %Y-%m-%d} (in {plural(wait, 'day')}), {which}week {upcoming.week} of "
                     f"{plan.weeks}, about {plural(upcoming.minutes, 'minute')}.")  # fmt: skip
        coming = _prescription_of(state, upcoming)
        if coming is not None and all(s.status == "done" for s in todays):
            lines += [f"  {n}. {visible(i.exercise.name)}: {prescription_words(i.dose)}"
                      for n, i in enumerate(coming.items, 1)]  # fmt: skip
            if not todays and not parts["extra"]:
                lines.append("Do it today as an extra session (it counts toward its week): hiprot go")
    elif all(s.status == "done" for s in todays):
        lines.append("No more sessions in this plan: hiprot plan shows how it went; hiprot plan end closes it.")
    return lines
