"""`hiprot save`, `saved`, `log`, `history` and `measure`: what hiprot remembers."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import YesOption, app, confirmed, console, emit, print_trimmed
from hiprot.cli.ask import advise
from hiprot.cli.complete import saved_names
from hiprot.cli.formats import choices
from hiprot.cli.options import (
    Chosen,
    NoProfileOption,
    PainOption,
    WhenOption,
    file_given,
    format_option,
    nothing_due,
    pain_option,
    planned,
    routine_options,
    when,
)
from hiprot.limits import DEGREES_MAX, DEGREES_MIN, PAIN_MAX, PAIN_MIN, WINDOW_WEEKS_MAX

if TYPE_CHECKING:
    from datetime import date

    from hiprot.models import Measurement, Side


# What history, saved and measure write (from the format registry, hiprot.cli.formats)
HistoryFormat = Enum("HistoryFormat", choices(("table", "json", "csv")), type=str)  # type: ignore[misc]
HISTORY_TABLE = HistoryFormat("table")  # the default


@app.command()
@routine_options(saved=False)
def save(
    name: Annotated[str, typer.Argument(help="A name for the routine, e.g. hips.", show_default=False)],
    chosen: Chosen,
    force: Annotated[bool, typer.Option("--force", help="Replace a saved routine of the same name.")] = False,
) -> None:
    """Save a routine request under a name, to rebuild (and progress) it later.

    What is saved is the request, not the printed list: `hiprot routine --saved NAME`
    rebuilds it, and its doses step up or down with the sessions you log.

    Examples:

    \b
      hiprot save hips --goal strength
      hiprot save morning --goal warmup --avoid hip-replacement --minutes 6
      hiprot save hips --goal strength --equipment loop-band --force
      hiprot save physio --pick clamshell:3x15 --pick 90-90-foot-lift:2x10
    """
    request = chosen.request
    assert request is not None
    chosen.build()  # a request that cannot build is refused now, not later
    from hiprot.practice.saved import save as save_routine

    saved = save_routine(name, request, options.now(), replace=force)
    typer.echo(f"Saved '{saved.name}'. Rebuild it with: hiprot routine --saved {_quoted(saved.name)}", err=True)


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)


@app.command()
def saved(
    delete: Annotated[
        Optional[str],
        typer.Option("--delete", help="Remove the saved routine with this name.", show_default=False,
                     autocompletion=saved_names),
    ] = None,
    fmt: Annotated[
        HistoryFormat, format_option("table for people, json or csv for scripts.", show_default=True)
    ] = HISTORY_TABLE,
    yes: YesOption = False,
) -> None:
    """List saved routines, or delete one (asks first; --yes to skip the question).

    A saved routine that the running plan follows cannot be deleted: end the plan first.

    Examples:

    \b
      hiprot saved
      hiprot saved --delete hips
      hiprot saved --delete hips --yes
    """
    if yes and delete is None:
        raise typer.BadParameter("--yes goes with --delete.", param_hint="--yes")
    from hiprot.practice import saved as use
    from hiprot.text import cut
    from hiprot.text import visible as shown_as

    if delete is not None and not confirmed(f"delete the saved routine '{shown_as(cut(delete))}'", yes):
        return

    if delete is not None:
        gone = use.delete(delete)
        from hiprot.text import visible

        shown = visible(gone)  # as stored, perhaps by an older hiprot
        typer.echo(f"Deleted the saved routine '{shown}'. Its logged sessions stay in the history.", err=True)
        return
    routines = use.saved_routines()
    words = [_request_words(r.request) for r in routines]
    if fmt.value == "json":
        from hiprot.report.history import saved_json

        sys.stdout.write(saved_json(routines))
        return
    if fmt.value == "csv":
        from hiprot.report.history import saved_csv

        sys.stdout.write(saved_csv(routines, words))
        return
    if not routines:
        typer.echo("No saved routines yet. Save one with: hiprot save NAME --goal warmup")
        return
    from hiprot.report.history import saved_table

    emit(saved_table(routines, words))


def _request_words(data: dict[str, Any]) -> str:
    """A saved request as the routine options that rebuild it."""
    from hiprot.cli.options import command_line
    from hiprot.models import Request

    try:
        return command_line(Request.from_dict(data)).removeprefix("hiprot routine ")
    except (ValueError, KeyError, TypeError):
        return "(unreadable: save it again)"


@app.command()
@routine_options(optional=True)
def log(
    chosen: Chosen,
    pain: PainOption = None,
    note: Annotated[Optional[str], typer.Option(help="A note to keep with the session.", show_default=False)] = None,
    when_: WhenOption = None,
    again: Annotated[
        bool, typer.Option("--again", help="Record it even though the same routine was logged minutes ago.")
    ] = False,
) -> None:
    """Record a routine you did without hiprot go.

    The routine is rebuilt from the same options (or --saved NAME, with its progression),
    and every exercise counts as done. With no routine options it records your plan's
    session for that day (on a day with nothing due, its next session, as an extra one).
    The same routine logged twice within 10 minutes is refused (it would count twice)
    unless --again.

    Examples:

    \b
      hiprot log --saved hips --pain 2
      hiprot log --goal warmup --note "before squats"
      hiprot log --goal recovery --when yesterday --pain 4
      hiprot log --when 2026-11-20
    """
    from hiprot.practice import record, refuse_duplicate

    started = when(when_)
    prescription, saved = planned(chosen, started.date())
    routine = prescription.routine
    if chosen.request is None and chosen.saved is None:
        _off_plan_note(started.date())
    # The plan's session logged on a day with nothing due is an extra one (as with go).
    extra = chosen.request is None and chosen.saved is None and nothing_due(prescription, started.date())
    if not again:
        refuse_duplicate(routine, saved, started)
    session_id = record(routine, saved, "logged", started, pain=pain, note=note, phases=prescription.phases,
                        extra=extra).id  # fmt: skip
    from hiprot.text import clock, plural, visible

    named = f"{visible(saved)} ({routine.goal.value})" if saved is not None else routine.goal.value
    typer.echo(
        f"Logged session {session_id}: {named}, {plural(len(routine.items), 'exercise')}, "
        f"{clock(prescription.total_seconds)}" + (f", pain {pain}" if pain is not None else "")
        + (" as an extra session: nothing was due that day; it counts toward its week" if extra else "") + ".",
        err=True,
    )
    advise(pain, session_id)


def _off_plan_note(day: date) -> None:
    """With no routine options, log records the plan's routine: say so when `day` is not
    one of the plan's session days (before it starts, after it ends, or a day off)."""
    from datetime import timedelta

    from hiprot.practice import active_plan
    from hiprot.programme import days_text

    plan = active_plan()
    if plan is None:
        return
    end = plan.start + timedelta(weeks=plan.weeks)
    if day < plan.start:
        why = f"your plan starts on {plan.start.isoformat()}"
    elif day >= end:
        why = f"your plan ended on {(end - timedelta(days=1)).isoformat()}"
    elif day.weekday() not in plan.days:
        why = f"{day:%A} is not one of your plan's days ({days_text(plan.days)})"
    else:
        return
    typer.echo(f"Note: {why}; this records the plan's routine anyway. To record another routine, "
               "give --goal or --saved NAME.", err=True)  # fmt: skip


@app.command()
def history(
    weeks: Annotated[int, typer.Option(min=1, max=WINDOW_WEEKS_MAX, help="How many weeks back to show.")] = 8,
    delete: Annotated[
        Optional[int], typer.Option("--delete", help="Remove the session with this id.", show_default=False)
    ] = None,
    fmt: Annotated[
        HistoryFormat, format_option("table for people, json or csv for spreadsheets.", show_default=True)
    ] = HISTORY_TABLE,
    next_day: Annotated[
        Optional[int],
        pain_option(f"Record the pain the day after a session, {PAIN_MIN}-{PAIN_MAX} (the latest, or --session ID).",
                    "--next-day"),
    ] = None,
    session: Annotated[
        Optional[int], typer.Option("--session", help="With --next-day: which session (its id).", show_default=False)
    ] = None,
    with_measurements: Annotated[
        bool,
        typer.Option("--measurements", help='With --format json: one object, {"sessions": [...], '
                     '"measurements": [...]}, the self-test readings included.'),
    ] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the session recorded last (asks first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --delete or --undo: do not ask.")] = False,
) -> None:
    """Show the sessions of the last weeks, your streak, sessions per week and pain.

    --delete and --undo ask before removing a session at a terminal; --yes skips the
    question, and without a terminal it is needed.

    Examples:

    \b
      hiprot history
      hiprot history --weeks 12 --format csv > sessions.csv
      hiprot history --format json --measurements
      hiprot history --next-day 3
      hiprot history --delete 7
      hiprot history --delete 7 --yes
      hiprot history --undo --yes
    """
    today = options.now().date()
    if session is not None and next_day is None:
        raise typer.BadParameter("--session goes with --next-day.", param_hint="--session")
    actions = [flag for flag, given in (("--delete", delete is not None), ("--undo", undo),
                                        ("--next-day", next_day is not None)) if given]  # fmt: skip
    if len(actions) > 1:
        raise typer.BadParameter(f"one thing at a time: {' or '.join(actions)}, not both.", param_hint=actions[0])
    if with_measurements and fmt.value != "json":
        raise typer.BadParameter("--measurements goes with --format json.", param_hint="--measurements")
    if yes and not undo and delete is None:
        raise typer.BadParameter("--yes goes with --delete or --undo.", param_hint="--yes")
    if undo:
        _undo(yes)
        return
    from hiprot.practice import history as use

    if delete is not None and not confirmed(f"remove session {delete} from your history", yes):
        return

    if next_day is not None:
        _record_next_day(next_day, session)
        return
    if delete is not None:
        use.delete_session(delete)
        typer.echo(f"Deleted session {delete}.", err=True)
        return
    view = use.history_view(today, weeks, full=fmt.value == "json", measurements=with_measurements,
                            summary=fmt.value == "table")  # fmt: skip
    if fmt.value == "json":
        from hiprot.report.history import sessions_json

        sys.stdout.write(sessions_json(view.records, view.readings))
        return
    if fmt.value == "csv":
        from hiprot.report.history import sessions_csv

        sys.stdout.write(sessions_csv(view.records))
        return
    from hiprot.report.history import history_view

    emit(history_view(view.records, weeks, view.streak, view.counts, view.adherence, view.plan_weeks))


def _undo(yes: bool) -> None:
    """Remove the newest session, after saying which (and asking, unless --yes)."""
    from hiprot.practice.history import latest_session, undo
    from hiprot.text import clock, visible

    newest = latest_session()
    what = (f"session {newest.id}: {visible(newest.saved_name or newest.goal)} on "
            f"{newest.started_at:%Y-%m-%d %H:%M}, {clock(newest.done_seconds)}, {newest.status}")  # fmt: skip
    if not confirmed(f"remove {what}", yes):
        return
    undo(newest)
    typer.echo(f"Removed {what}.", err=True)


def _record_next_day(pain: int, session_id: Optional[int]) -> None:
    """Pain the day after: the traffic light looks at the next morning too."""
    from hiprot.practice.history import record_next_day

    session_id = record_next_day(pain, session_id)
    typer.echo(f"Recorded pain {pain} the day after session {session_id}.", err=True)
    advise(pain, session_id)


def degrees(text: str) -> float:
    """--left/--right in plain words: a number of degrees within the limits (30.5 is fine)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not DEGREES_MIN <= value <= DEGREES_MAX:  # NaN, infinities and words fail here too
        raise typer.BadParameter(f"give a number of degrees from {DEGREES_MIN:g} to {DEGREES_MAX:g}, such as 32.")
    return value


DEGREES_RANGE = f"{DEGREES_MIN:g}-{DEGREES_MAX:g}"


@app.command()
def measure(
    left: Annotated[
        Optional[float],
        typer.Option(parser=degrees, metavar="DEG", help=f"Left hip internal rotation in degrees, {DEGREES_RANGE}.",
                     show_default=False),
    ] = None,
    right: Annotated[
        Optional[float],
        typer.Option(parser=degrees, metavar="DEG", help=f"Right hip internal rotation in degrees, {DEGREES_RANGE}.",
                     show_default=False),
    ] = None,
    when_: WhenOption = None,
    fmt: Annotated[
        Optional[HistoryFormat],
        format_option("List every reading: table, json or csv."),
    ] = None,
    delete: Annotated[
        Optional[int], typer.Option("--delete", help="Remove the reading with this id.", show_default=False)
    ] = None,
    no_profile: NoProfileOption = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --delete: do not ask.")] = False,
) -> None:
    """Record the seated hip internal-rotation self-test, or show how to do it and your trend.

    A change since your first reading, or a left/right difference, under 6 degrees is
    within measurement noise. --delete asks first at a terminal; --yes skips the question.

    Examples:

    \b
      hiprot measure
      hiprot measure --left 28 --right 35
      hiprot measure --left 30 --right 36 --when yesterday
      hiprot measure --format csv > readings.csv
      hiprot measure --delete 4 --yes
    """
    recording = left is not None or right is not None
    if sum((recording, fmt is not None, delete is not None)) > 1:
        raise typer.BadParameter("one thing at a time: record (--left/--right), list (--format) or --delete.",
                                 param_hint="--format/--delete")  # fmt: skip
    if yes and delete is None:
        raise typer.BadParameter("--yes goes with --delete.", param_hint="--yes")
    from hiprot.practice import measure as use

    if delete is not None and not confirmed(f"remove reading {delete}", yes):
        return

    if delete is not None:
        use.delete(delete)
        typer.echo(f"Deleted reading {delete}.", err=True)
        return
    if fmt is not None:
        _list_measurements(use.readings(), fmt)
        return
    from hiprot.models import Side
    from hiprot.practice import load_profile
    from hiprot.selftest import barred

    profile = None if no_profile else load_profile()
    bar = barred(profile.protect(options.now().date()) if profile else ())
    if not recording:
        _show_measurements(use.readings(), [s for s in Side if s not in bar])
        return
    for side, value in ((Side.LEFT, left), (Side.RIGHT, right)):
        if value is not None and side in bar:
            from hiprot.errors import SelfTestBarred

            raise SelfTestBarred(side.value, bar[side].value)
    taken_on = when(when_).date()
    readings = use.record(taken_on, {name: d for name, d in (("left", left), ("right", right)) if d is not None})
    from hiprot.selftest import degrees_text, measurement_verdict

    recorded = ", ".join(f"{side} {degrees_text(d)}" for side, d in (("left", left), ("right", right)) if d is not None)
    typer.echo(f"Recorded {recorded} on {taken_on.isoformat()}.", err=True)
    for line in measurement_verdict(readings):
        typer.echo(line)


def _list_measurements(readings: list[Measurement], fmt: HistoryFormat) -> None:
    from hiprot.report.history import measurements_csv, measurements_json

    if fmt.value == "json":
        sys.stdout.write(measurements_json(readings))
    elif fmt.value == "csv":
        sys.stdout.write(measurements_csv(readings))
    elif not readings:
        typer.echo("No readings yet. Record one: hiprot measure --left 28 --right 35")
    else:
        from hiprot.selftest import degrees_text

        typer.echo("ID  Date        Side   Degrees")
        for m in readings:
            typer.echo(f"{m.id:>2}  {m.taken_on.isoformat()}  {m.side:<5}  {degrees_text(m.degrees):>7}")


@app.command()
def backup(
    file: Annotated[
        Path, typer.Argument(parser=file_given, metavar="FILE", help="Where to write the copy, e.g. hiprot-backup.db.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write a consistent copy of your history to FILE.

    The copy is a complete SQLite database made with SQLite's online backup API. To
    restore it, put it in place of hiprot.db in your data folder (see "Back up and restore"
    in docs/guide.md). FILE must be a new file or (with --force) a regular file: a link, a
    device, a pipe or a folder is refused. Your profile (profile.toml) is not in the copy:
    the command says where it is, so you can copy it too.

    Examples:

    \b
      hiprot backup ~/hiprot-backup.db
      hiprot backup ~/hiprot-backup.db --force
    """
    from hiprot.paths import profile_path
    from hiprot.practice.backup import backup as copy
    from hiprot.text import visible

    source = copy(file, replace=force)
    typer.echo(f"Backed up {visible(str(source))} to {visible(str(file))}.", err=True)
    profile = profile_path()
    if profile.exists():
        typer.echo(
            f"Your profile {visible(str(profile))} is not in this backup; copy that file too "
            "to keep your hips' precautions.",
            err=True,
        )


def _show_measurements(readings: list[Measurement], sides: list[Side]) -> None:
    from hiprot.report.history import measurement_guide, measurement_verdict
    from hiprot.selftest import how_to

    steps = how_to(sides)
    if sides:
        example = " ".join(f"--{side.value} {degrees}" for side, degrees in zip(sides, (28, 35)))
        steps.append(f"   For example: hiprot measure {example}")
    print_trimmed(console(), measurement_guide(steps, readings, measurement_verdict(readings)))
