"""`hiprot plan [new|calendar|end]` and `hiprot today`: a programme over weeks.

`plan` is one command whose first argument picks the action, so it loads as lazily as
every other command (a Typer sub-app would build all its options on every run).
"""

from __future__ import annotations

import sys
from datetime import date, time, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import app, emit, text_width
from hiprot.cli.formats import choices
from hiprot.cli.options import (
    CatalogOption,
    Chosen,
    force_option,
    format_option,
    output_option,
    pain_option,
    routine_options,
)
from hiprot.cli.output import chosen_format, refuse_binary_at_terminal, write
from hiprot.limits import ALARM_MAX_MINUTES, DATE_FLOOR, PAIN_MAX, PAIN_MIN, PLAN_START_AHEAD_DAYS, PLAN_WEEKS_MAX

if TYPE_CHECKING:
    from hiprot.practice.prescribe import PlanState


class PlanAction(str, Enum):
    NEW = "new"
    CALENDAR = "calendar"
    HANDOUT = "handout"
    END = "end"


# What each action writes, from the format registry (the first is its default).
ACTION_FORMATS = {None: ("table", "json"), "handout": ("html", "pdf"), "calendar": ("ics",)}
PlanFormat = Enum("PlanFormat", choices(("table", "json", "html", "pdf", "ics")), type=str)  # type: ignore[misc]


DEFAULT_NAME = "plan"
DEFAULT_AT = time(7, 30)


def _start(text: str) -> date:
    """--start: YYYY-MM-DD, today or tomorrow (a plan may start later, unlike a log)."""
    word = text.strip().lower()
    today = options.now().date()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: use YYYY-MM-DD, today or tomorrow.") from None
    if not DATE_FLOOR <= day <= today + timedelta(days=PLAN_START_AHEAD_DAYS):
        raise typer.BadParameter(f"{text!r} is out of range: a plan starts within a year from today.")
    return day


def _days(text: str) -> tuple[int, ...]:
    from hiprot.programme import parse_days

    try:
        return parse_days(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{str(exc)!r} is not a day of the week: use mon,tue,wed,thu,fri,sat,sun.",
                                 param_hint="--days") from None


def _at(text: str) -> time:
    try:
        moment = time.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a time of day: use HH:MM, such as 07:30.") from None
    return moment.replace(second=0, microsecond=0, tzinfo=None)


@app.command()
@routine_options(optional=True, many=True)
def plan(
    action: Annotated[
        Optional[PlanAction],
        typer.Argument(help="new: start a plan; calendar: export it; handout: print it; end: stop it; none: show it.",
                       show_default=False, metavar="[new|calendar|handout|end]"),
    ] = None,
    *,
    chosen: Chosen,
    weeks: Annotated[int, typer.Option(min=1, max=PLAN_WEEKS_MAX, help="new: how many weeks.")] = 6,
    days: Annotated[
        Optional[list[str]],
        typer.Option(metavar="DAYS", show_default=False,
                     help="new: the days of the week, e.g. mon,wed,fri (default). With several --saved: once for "
                          "all, or once per --saved, paired in order."),
    ] = None,
    start: Annotated[
        Optional[str],
        typer.Option(metavar="DATE", help="new: first day, YYYY-MM-DD, today or tomorrow. Default: today.",
                     show_default=False),
    ] = None,
    name: Annotated[
        str, typer.Option("--name", help="new, with routine options: save the routine under this name.")
    ] = DEFAULT_NAME,
    fmt: Annotated[
        Optional[PlanFormat],
        format_option("plan: table (default) or json; handout: html (default) or pdf; calendar: ics. "
                      "With --output: from the extension."),
    ] = None,
    output: Annotated[
        Optional[Path],
        output_option(("html", "pdf", "ics"), "calendar: write the .ics file here; handout: the .html (or .pdf) "
                      "file. Default: standard output."),
    ] = None,
    at: Annotated[
        str, typer.Option(parser=_at, metavar="HH:MM", help="calendar: the local time of each session.")
    ] = "07:30",
    alarm: Annotated[
        Optional[int],
        typer.Option(min=0, max=ALARM_MAX_MINUTES, metavar="MINUTES", show_default=False,
                     help="calendar: a reminder this many minutes before."),
    ] = None,
    force: Annotated[bool, force_option("Replace the --output file, the saved routine, or the running plan.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="end: do not ask (needed without a terminal).")] = False,
) -> None:
    """Plan sessions over weeks, with dose and adherence.

    A plan follows a saved routine (give --saved NAME, or routine options, which are
    saved under --name) on the days you choose; the dose steps up with the progression
    rules, at most 10% more work a week, and the last week consolidates. A plan can mix
    saved routines: give --saved more than once, each followed by its --days (paired in
    order), or one --days for all of them.

    Examples:

    \b
      hiprot plan new --weeks 6 --days mon,wed,fri --goal strength --start 2026-11-30
      hiprot plan new --weeks 4 --days tue,thu,sat --saved hips
      hiprot plan new --weeks 6 --saved mobility --days mon,wed,fri --saved strength --days tue,thu
      hiprot plan
      hiprot plan --format json
      hiprot plan calendar --output plan.ics --at 07:30 --alarm 10
      hiprot plan handout --output plan.html
      hiprot plan end
      hiprot plan end --yes
    """
    given = chosen.request is not None or chosen.saved is not None
    if action is not PlanAction.NEW:
        if days is not None:
            raise typer.BadParameter("--days goes with 'plan new'.", param_hint="--days")
        if given:
            raise typer.BadParameter("routine options go with 'plan new'.", param_hint="--goal/--saved")
        if start is not None:
            raise typer.BadParameter("--start goes with 'plan new'.", param_hint="--start")
    if action is not PlanAction.CALENDAR and alarm is not None:
        raise typer.BadParameter("--alarm goes with 'plan calendar'.", param_hint="--alarm")
    if action not in (PlanAction.CALENDAR, PlanAction.HANDOUT) and output is not None:
        raise typer.BadParameter("--output goes with 'plan calendar' or 'plan handout'.", param_hint="--output")
    if yes and action is not PlanAction.END:
        raise typer.BadParameter("--yes goes with 'plan end'.", param_hint="--yes")
    key = action.value if action in (PlanAction.CALENDAR, PlanAction.HANDOUT) else None
    if action not in (PlanAction.NEW, PlanAction.END):
        formats = ACTION_FORMATS[key]
        what = f"plan {key}" if key else "plan"
        written = chosen_format(what, formats, fmt.value if fmt is not None else None, output, formats[0])
        refuse_binary_at_terminal(written, output)
    elif fmt is not None:
        raise typer.BadParameter(f"--format goes with plan, 'plan handout' or 'plan calendar', not 'plan "
                                 f"{action.value}'.", param_hint="--format")  # fmt: skip
    if action is PlanAction.NEW:
        _new(chosen, weeks, _paired_days(chosen, days), start, name, force)
    elif action is PlanAction.END:
        _end(yes)
    elif action is PlanAction.CALENDAR:
        _calendar(chosen, output, at, alarm, force)  # type: ignore[arg-type]  # parsed by _at
    elif action is PlanAction.HANDOUT:
        _handout(chosen, output, force, written)
    else:
        _show(chosen, written)


def _paired_days(chosen: Chosen, given: Optional[list[str]]) -> list[tuple[int, ...]]:
    """Each routine's days: --days paired in order with --saved, or one --days for all."""
    count = 1 + len(chosen.more)
    parsed = [_days(text) for text in given or ["mon,wed,fri"]]
    if len(parsed) == 1:
        return parsed * count
    if len(parsed) != count:
        raise typer.BadParameter(
            f"{len(parsed)} --days for {plural_routines(count)}: give --days once (every routine on the same "
            "days) or once after each --saved, in the same order.", param_hint="--days")  # fmt: skip
    return parsed


def plural_routines(count: int) -> str:
    from hiprot.text import plural

    return plural(count, "routine")


def _new(chosen: Chosen, weeks: int, days: list[tuple[int, ...]], start: Optional[str], name: str,
         force: bool) -> None:  # fmt: skip
    from hiprot.practice.plans import new_plan
    from hiprot.programme import days_text
    from hiprot.text import clock, plural, visible

    if chosen.request is None and chosen.saved is None:
        raise typer.BadParameter("plan new needs the routine to follow: --goal warmup, strength or recovery "
                                 "(and any routine option), or --saved NAME.", param_hint="--goal")  # fmt: skip
    lowered = [n.casefold() for n in (chosen.saved or "", *chosen.more)]
    if chosen.more and len(set(lowered)) != len(lowered):
        raise typer.BadParameter("each --saved routine goes in a plan once; give it more days instead.",
                                 param_hint="--saved")  # fmt: skip
    first = _start(start) if start is not None else options.now().date()
    routine, _ = chosen.build()  # a routine that cannot build is refused before anything is stored
    more = []
    for other, own in zip(chosen.more, days[1:], strict=True):
        built, _ = chosen._replace(saved=other, more=()).build()
        more.append((other, built.goal.value, own))
    made = new_plan(routine, chosen.request, chosen.saved, start=first, weeks=weeks, days=days[0], name=name,
                    now=options.now(), replace=force, more=more).plan  # fmt: skip
    # The length of each routine's first session, as the plan table and calendar show it
    # (a saved routine starts at its level's doses, not filled to the minutes asked).
    state = _state(chosen._replace(request=None, saved=None, more=()))
    described = []
    for made_part, part_state in zip(made.parts, state.routines, strict=True):
        described.append(f"'{visible(made_part.saved_name)}' ({made_part.goal}, "
                         f"{clock(part_state.prescription.total_seconds)}) on {days_text(made_part.days)}")  # fmt: skip
    total = sum(len(part.days) for part in made.parts) * weeks
    typer.echo(
        f"Plan: {plural(weeks, 'week')} of {' and '.join(described)} from {made.start.isoformat()}: "
        f"{plural(total, 'session')}. See hiprot plan and hiprot today.",
        err=True,
    )
    if len(made.days) < 2:
        typer.echo("Note: for lasting range, ACSM advises stretching at least 2-3 days a week.", err=True)


def _end(yes: bool) -> None:
    from hiprot.cli.app import confirmed
    from hiprot.errors import NoPlanError
    from hiprot.practice import active_plan
    from hiprot.practice.plans import end_plan
    from hiprot.text import visible

    running = active_plan()
    if running is not None and not confirmed(
        f"end the plan of '{visible(running.saved_name)}' that started on {running.start.isoformat()}", yes
    ):
        return
    ended = end_plan(options.now())
    if ended is None:
        raise NoPlanError
    names = " and ".join(f"'{visible(part.saved_name)}'" for part in ended.parts)
    typer.echo(f"Ended the plan of {names} that started on {ended.start.isoformat()}. "
               "Its sessions stay in the history.", err=True)  # fmt: skip


def _state(chosen: Chosen) -> PlanState:
    from hiprot.practice.prescribe import plan_state

    return plan_state(chosen.catalog, options.now().date(), chosen.profile)


def _show(chosen: Chosen, fmt: str) -> None:
    from hiprot.programme import adherence, plan_streak, weeks

    state = _state(chosen)
    done = adherence(state.sessions)
    streak = plan_streak(state.plan, state.sessions, state.day)
    if fmt == "json":
        from hiprot.report.plan import plan_json

        sys.stdout.write(plan_json(state, done, streak, weeks(state.plan, state.sessions)))
        return
    from hiprot.report.plan import plan_view

    emit(plan_view(state, done, streak, weeks(state.plan, state.sessions)))


def _calendar(chosen: Chosen, output: Optional[Path], at: time, alarm: Optional[int], force: bool) -> None:
    from hiprot.report.calendar import plan_calendar

    state = _state(chosen)
    routines = {r.saved_name.casefold(): (r.doses, r.prescription) for r in state.routines}
    text = plan_calendar(state.plan, state.sessions, state.doses, state.prescription, at, alarm, options.now(),
                         routines)  # fmt: skip
    write(text, output, force=force)
    if output is None:
        return
    from hiprot.text import visible

    typer.echo(f"Wrote {len(state.sessions)} sessions to {visible(str(output))}. Import it into your calendar; "
               "importing a newer export updates the same events.", err=True)  # fmt: skip


def _handout(chosen: Chosen, output: Optional[Path], force: bool, fmt: str) -> None:
    """The plan's next session as the printable handout, its tick grid the plan's days; a
    plan that mixes routines gets a handout for each routine, one after the other."""
    from hiprot.cli.options import command_line
    from hiprot.report.html import PlanGrid, figures, join_handouts, routine_to_html

    state = _state(chosen)
    drawn = figures()
    person = chosen.profile.person_lines() if chosen.profile is not None else []
    pages = []
    # Each routine's next session (the doses go will run), its tick grid its own days.
    for part in state.routines:
        grid = PlanGrid(state.plan.start, state.plan.weeks, part.days)
        routine = part.prescription.routine
        pages.append(routine_to_html(routine, command_line(routine.request, saved=part.saved_name),
                                     options.now().date(), drawn, grid, person=person))  # fmt: skip
    html = join_handouts(pages)
    if fmt == "pdf":
        from hiprot.report.pdf import html_to_pdf

        write(html_to_pdf(html), output, force=force)
    else:
        write(html, output, force=force)
    if output is None:
        return
    from hiprot.text import visible

    typer.echo(f"Wrote the handout for week {state.week} of {state.plan.weeks} to {visible(str(output))}.", err=True)


# What today writes (from the format registry, hiprot.cli.formats)
TodayFormat = Enum("TodayFormat", choices(("text", "json")), type=str)  # type: ignore[misc]
TODAY_TEXT = TodayFormat("text")  # the default


@app.command()
def today(
    fmt: Annotated[TodayFormat, format_option("text for people, json for scripts.", show_default=True)] = (
        TODAY_TEXT
    ),
    next_day: Annotated[
        Optional[int],
        pain_option(f"Record the pain this morning after yesterday's session, {PAIN_MIN}-{PAIN_MAX}.", "--next-day"),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """What is due today in your plan, and what to record.

    Examples:

    \b
      hiprot today
      hiprot today --next-day 2
      hiprot today --format json
    """
    from hiprot.practice import active_plan
    from hiprot.practice.history import morning_after, record_morning_after, record_next_day

    current = options.now().date()
    asking = morning_after(current).asking
    if next_day is not None:
        target = record_morning_after(current, next_day)
        typer.echo(f"Recorded pain {next_day} the morning after session {target}.", err=True)
        from hiprot.cli.ask import advise

        advise(next_day, target)
        asking = None
    from hiprot.practice import load_profile

    profile = load_profile()  # the plan's routine is this person's: their precautions apply
    state = _state(Chosen(None, None, True, catalog, profile)) if active_plan() is not None else None
    if fmt.value == "json":
        from hiprot.report.plan import today_json

        sys.stdout.write(today_json(current, state, asking))
        return
    import textwrap

    from hiprot.report.plan import today_lines

    width = text_width()
    for line in today_lines(current, state, asking):
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        typer.echo(textwrap.fill(line, width=width, subsequent_indent=indent, break_on_hyphens=False))
    if asking is not None and next_day is None and _interactive():
        pain = _ask_next_day()
        if pain is not None:
            assert asking.id is not None
            record_next_day(pain, asking.id)
            typer.echo(f"Recorded pain {pain} the morning after session {asking.id}.", err=True)


def _interactive() -> bool:
    from hiprot.cli.ask import interactive

    return interactive()


def _ask_next_day() -> int | None:
    """Pain the morning after, from the person (see app.ask_pain)."""
    from hiprot.cli.app import ask_pain

    return ask_pain("Pain this morning")
