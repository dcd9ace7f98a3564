"""`hiprot report`: a progress report for a clinician (HTML with charts, PDF, Markdown, JSON)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import app
from hiprot.cli.formats import choices
from hiprot.cli.options import CatalogOption, NoProfileOption, force_option, format_option, output_option
from hiprot.cli.output import chosen_format, refuse_binary_at_terminal, write
from hiprot.limits import WINDOW_WEEKS_MAX

if TYPE_CHECKING:
    from hiprot.models import Profile
    from hiprot.progress import DoseChanges, Progress, RoutineAdherence


FORMATS = ("markdown", "html", "pdf", "json")
ReportFormat = Enum("ReportFormat", choices(FORMATS), type=str)  # type: ignore[misc]  # from the registry


@app.command()
def report(
    weeks: Annotated[int, typer.Option(min=1, max=WINDOW_WEEKS_MAX, help="How many weeks back, this week last.")] = 8,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="DATE", show_default=False,
                     help="Start the report on this day (YYYY-MM-DD, or 30d for 30 days ago) instead of --weeks "
                     "back. Default: the running plan's first day, when it is within --weeks."),
    ] = None,
    fmt: Annotated[
        Optional[ReportFormat],
        format_option("markdown (default), html (with charts, to print), pdf (the same, with the pdf extra) or "
                      "json. With --output: from the extension."),
    ] = None,
    output: Annotated[Optional[Path], output_option(FORMATS)] = None,
    force: Annotated[bool, force_option()] = False,
    no_profile: NoProfileOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Progress report for your physiotherapist or doctor.

    First a summary to read in 30 seconds: sessions per week (against your plan when
    there is one), the pain peak and trend, the change in hip rotation per side against
    the test's 5.4° error, and flags (pain of 6 or more twice in a row, sharp-pain stops,
    missed weeks). Then the charts on a date axis, the session notes, the current
    programme, each saved routine's dose changes with the reason, and your own goals
    (hiprot goal) with their trend.

    Examples:

    \b
      hiprot report
      hiprot report --weeks 12 --output report.html
      hiprot report --since 2026-09-01 --output report.pdf
      hiprot report --format json
    """
    name = chosen_format("report", FORMATS, fmt.value if fmt is not None else None, output, "markdown")
    refuse_binary_at_terminal(name, output)
    start = None if since is None else _since(since)
    profile = None if no_profile else _profile()
    today = options.now().date()
    progress = gather(today, weeks, catalog, profile, with_plan=True, since=start)
    lines = _profile_lines(profile, today)
    person = profile.person_lines() if profile is not None else []
    rendered: str | bytes
    if name in ("html", "pdf"):
        from hiprot.report.progress_html import to_html

        text = to_html(progress, lines, person)
    elif name == "json":
        from hiprot.report.progress import to_json

        text = to_json(progress, lines)
    else:
        from hiprot.report.progress import to_markdown

        text = to_markdown(progress, lines, person)
    if name == "pdf":
        from hiprot.report.pdf import html_to_pdf

        rendered = html_to_pdf(text)
    else:
        rendered = text
    write(rendered, output, force=force)
    if output is None:
        return
    from hiprot.text import plural, visible

    typer.echo(f"Wrote {visible(str(output))} ({name}, {plural(len(progress.weeks), 'week')}, "
               f"{plural(progress.counted, 'session')}).", err=True)  # fmt: skip


def gather(
    today: date, weeks: int, catalog: Optional[Path], profile: Optional[Profile],
    planned_per_week: Optional[int] = None, *, with_plan: bool = False, since: Optional[date] = None,
) -> Progress:  # fmt: skip
    """The report's numbers from the history database: sessions and readings of the
    window, and every saved routine's dose changes (rebuilt as `routine --saved` would:
    the running plan's, as the plan prescribes them). `planned_per_week` is the plan's,
    when there is one; `with_plan` reads the running plan: its sessions per week, and
    its next session as the report's current programme. The window opens on `since`, or
    else on the running plan's first day when that is within `weeks`."""
    from collections import Counter
    from datetime import timedelta

    from hiprot.practice import active_plan
    from hiprot.practice.goals import goals_summary
    from hiprot.practice.report import report_records
    from hiprot.progress import build, monday

    current = None
    routines: list[RoutineAdherence] = []
    running = active_plan() if with_plan else None
    if running is not None:
        from hiprot.errors import HiprotError
        from hiprot.practice.prescribe import plan_state

        planned_per_week = sum(len(part.days) for part in running.parts)
        try:
            state = plan_state(catalog, today, profile)
        except HiprotError:  # the plan's routine no longer builds: its dose changes say why
            current = None
        else:
            from hiprot.programme import adherence
            from hiprot.progress import RoutineAdherence  # the name above is for typing only

            current = state.prescription
            for part in state.routines:
                done = adherence(part.sessions)
                routines.append(RoutineAdherence(part.saved_name, done.done, done.due_so_far, part.prescription))

    if since is None and running is not None and monday(today) - timedelta(weeks=weeks - 1) <= running.start <= today:
        since = running.start
    since_day = monday(today) - timedelta(weeks=weeks - 1) if since is None else since
    # summaries: the window's, and a count per saved routine
    sessions, readings, names = report_records()
    logged = Counter(s.saved_name.casefold() for s in sessions if s.saved_name is not None)
    doses = [_doses(name, logged[name.casefold()], catalog, profile, today) for name in names]
    sessions = [s for s in sessions if s.started_at.date() >= since_day]
    return build(sessions, readings, today, weeks, planned_per_week=planned_per_week, doses=doses, current=current,
                 routines=routines, since=since, goals=goals_summary())  # fmt: skip


def _since(text: str) -> date:
    """--since as a day (see `hiprot.dates.parse_when`); a usage error naming --since if not."""
    from hiprot.dates import parse_when
    from hiprot.errors import DateError

    try:
        return parse_when(text, options.now()).date()
    except DateError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None


def _doses(name: str, sessions: int, catalog: Optional[Path], profile: Optional[Profile], today: date) -> DoseChanges:
    """A saved routine's changes: the notes its progression adds to the routine built without it."""
    from hiprot.cli.app import explain
    from hiprot.errors import HiprotError
    from hiprot.practice import build
    from hiprot.practice.prescribe import prescribe
    from hiprot.progress import DoseChanges, dose_changes

    try:
        base, _ = build(catalog, None, name, adapt=False, profile=profile, today=today)
        adapted, _ = prescribe(catalog, None, name, adapt=True, profile=profile, today=today)
    except HiprotError as exc:
        return DoseChanges(name, (f"Not rebuilt: {explain(exc)}",), sessions)
    return dose_changes(name, base.notes, adapted.notes, sessions)


def _profile() -> Optional[Profile]:
    from hiprot.practice import load_profile

    return load_profile()


def _profile_lines(profile: Optional[Profile], today: date) -> list[str]:
    if profile is None or profile.empty:
        return []
    from hiprot.text import profile_lines

    return profile_lines(profile, today)
