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

    from hiprot.models import SessionRecord
    from hiprot.practice.prescribe import PlanState
    from hiprot.programme import Adherence, Week


def adherence_text(done: Adherence) -> str:
    """'5 of 6 sessions done (83%)'."""
    if done.percent is None:
        return "nothing due yet"
    return f"{done.done} of {plural(done.due_so_far, 'session')} done ({done.percent}%)"


# --- plans and today ---------------------------------------------------------------------

_MARKS = {"done": "✓", "missed": "✗", "due": "▶", "planned": "·"}


def _weekday(day: date) -> str:
    return day.strftime("%a %d")


def plan_view(state: PlanState, done: Adherence, streak: int, weeks: Sequence[Week]) -> RenderableType:
    """`hiprot plan`: one line per week with each session's mark, the week's length and
    adherence, then the overall adherence and streak, and each week's dose changes."""
    from rich.console import Group
    from rich.text import Text

    from hiprot.programme import days_text, last_day

    plan = state.plan
    header = Text(f"Plan: {visible(plan.saved_name)} ({plan.goal}) · {plural(plan.weeks, 'week')} "
                  f"{plan.start.isoformat()} to {last_day(plan).isoformat()} · {days_text(plan.days)}",
                  style="bold")  # fmt: skip
    lines = Text()
    doses = {d.week: d for d in state.doses}
    for week in weeks:
        own = [s for s in state.sessions if s.week == week.week]
        marks = "  ".join(f"{_MARKS[s.status]} {_weekday(s.day)}" for s in own)
        dose = doses.get(week.week)
        length = clock(dose.total_seconds) if dose is not None else "-"
        tally = f"{week.adherence.done}/{week.adherence.due_so_far}" if week.adherence.due_so_far else "-"
        if lines:
            lines.append("\n")
        pointer = "→" if week.week == state.week and plan.start <= state.day else " "
        lines.append(f"{pointer} week {week.week:>2}  {marks}  {length:>6}  {tally}")
    key = Text("✓ done  ✗ missed  ▶ due today  · planned; time is the session's length that week", style="dim")
    summary = Text(f"Adherence: {adherence_text(done)} · streak: {plural(streak, 'week')} on plan")
    parts: list[RenderableType] = [header, Text(), lines, key, Text(), summary]
    parts += [Text(line) for line in next_session_lines(state)]
    notes = [note for d in state.doses for note in d.notes]
    if notes:
        parts += [Text(), Text("Dose by week", style="bold")]
        parts += [Text(f"- {visible(note)}") for note in notes]
    return Group(*parts)


def next_session_lines(state: PlanState) -> list[str]:
    """The plan's next session, as `go` will run it: when, how long, each exercise and dose."""
    from hiprot.text import prescription_words

    p = state.prescription
    if p.plan is None or p.plan.due is None:
        return []
    lines = ["", f"Next session: {p.plan.due:%a %Y-%m-%d}, week {p.plan.week} of {p.plan.weeks}, "
                 f"{clock(p.total_seconds)}"]  # fmt: skip
    lines += [f"- {visible(i.exercise.name)}: {prescription_words(i.dose)}" for i in p.items]
    return lines


def plan_json(state: PlanState, done: Adherence, streak: int, weeks: Sequence[Week]) -> str:
    from hiprot.programme import WEEKDAYS
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
    })  # fmt: skip


def _today_parts(day: date, state: PlanState | None) -> dict[str, Any]:
    from hiprot.programme import next_session

    if state is None:
        return {"plan": None, "today": None, "next": None}
    todays = [s for s in state.sessions if s.day == day]
    upcoming = next_session(state.sessions, day + timedelta(days=1))
    return {"plan": state.plan, "today": todays[0] if todays else None, "next": upcoming}


def today_json(day: date, state: PlanState | None, asking: SessionRecord | None) -> str:
    """`hiprot today --format json`: `{"date", "plan", "today", "items", "next", "ask_next_day"}`."""
    from hiprot.report.json import dumps, prescription_to_dict
    from hiprot.text import prescription_words

    parts = _today_parts(day, state)
    plan = parts["plan"]
    items = []
    if state is not None and parts["today"] is not None and parts["today"].status != "done":
        items = [{"id": i.exercise.id, "name": i.exercise.name, "dose": prescription_words(i.dose),
                  "seconds": i.seconds} for i in state.prescription.items]  # fmt: skip
    return dumps({
        "date": day.isoformat(),
        "plan": None if plan is None else {"saved_name": plan.saved_name, "goal": plan.goal,
                                           "start": plan.start.isoformat(), "weeks": plan.weeks},
        "today": None if parts["today"] is None else parts["today"].to_dict(),
        "items": items,
        "next": None if parts["next"] is None else parts["next"].to_dict(),
        "ask_next_day": None if asking is None else {"session_id": asking.id},
        # The next session (today's when due), as every view shows it.
        "prescription": None if state is None else prescription_to_dict(state.prescription),
    })  # fmt: skip


def today_lines(day: date, state: PlanState | None, asking: SessionRecord | None) -> list[str]:
    """`hiprot today` in words: what is due (name, length, exercises) or when the next
    session is, and next-day pain still to record."""
    from hiprot.text import prescription_words

    lines: list[str] = []
    if asking is not None:
        lines.append(f"Yesterday's session ({asking.id}) has no next-day pain yet: hiprot today --next-day N "
                     "(0-10) records how the hip feels this morning.")  # fmt: skip
    parts = _today_parts(day, state)
    if state is None:
        lines.append("No plan is running. Start one: hiprot plan new --weeks 6 --days mon,wed,fri --goal strength")
        return lines
    plan, todays, upcoming = parts["plan"], parts["today"], parts["next"]
    name = visible(plan.saved_name)
    if todays is not None and todays.status == "done":
        lines.append(f"Today ({day:%a %Y-%m-%d}): done ✓ (session {todays.session_id}).")
    elif todays is not None:
        p = state.prescription
        lines.append(f"Due today ({day:%a %Y-%m-%d}, week {todays.week} of {plan.weeks}): {name} ({plan.goal}), "
                     f"{clock(p.total_seconds)}.")  # fmt: skip
        lines += [f"  {n}. {visible(i.exercise.name)}: {prescription_words(i.dose)}" for n, i in enumerate(p.items, 1)]
        lines += [f"  {visible(note)}" for note in p.notes]
        lines.append("Start it with: hiprot go  (or record it afterwards: hiprot log)")
    else:
        lines.append(f"Nothing due today ({day:%a %Y-%m-%d}).")
    if upcoming is not None:
        wait = (upcoming.day - day).days
        lines.append(f"Next: {upcoming.day:%a %Y-%m-%d} (in {plural(wait, 'day')}), week {upcoming.week} of "
                     f"{plan.weeks}, about {plural(upcoming.minutes, 'minute')}.")  # fmt: skip
        p = state.prescription
        if p.day == upcoming.day and (todays is None or todays.status == "done"):
            lines += [f"  {n}. {visible(i.exercise.name)}: {prescription_words(i.dose)}"
                      for n, i in enumerate(p.items, 1)]  # fmt: skip
    elif todays is None or todays.status == "done":
        lines.append("No more sessions in this plan: hiprot plan shows how it went; hiprot plan end closes it.")
    return lines
