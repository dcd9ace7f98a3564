"""`hiprot report`: a progress report for a clinician (HTML with charts, PDF, Markdown, JSON)."""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import CatalogOption, app, emit, file_given
from hiprot.cli.options import NoProfileOption

if TYPE_CHECKING:
    from hiprot.models import Profile
    from hiprot.progress import DoseChanges, Progress


class ReportFormat(str, Enum):
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


REPORT_SUFFIXES = {".md": ReportFormat.MARKDOWN, ".markdown": ReportFormat.MARKDOWN, ".json": ReportFormat.JSON,
                   ".html": ReportFormat.HTML, ".htm": ReportFormat.HTML, ".pdf": ReportFormat.PDF}  # fmt: skip


@app.command()
def report(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks back, this week last.")] = 8,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="DATE", show_default=False,
                     help="Start the report on this day (YYYY-MM-DD, or 30d for 30 days ago) instead of --weeks "
                     "back. Default: the running plan's first day, when it is within --weeks."),
    ] = None,
    fmt: Annotated[
        Optional[ReportFormat],
        typer.Option("--format", "-f", show_default=False,
                     help="markdown (default), html (with charts, to print), pdf (the same, with the pdf extra) "
                     "or json. With --output: from the extension."),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", parser=file_given, metavar="FILE",
                     help="Save to this file (.md, .markdown, .html, .pdf or .json) instead of printing."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    no_profile: NoProfileOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Progress report for your physiotherapist or doctor.

    First a summary to read in 30 seconds: sessions per week (against your plan when
    there is one), the pain peak and trend, the change in hip rotation per side against
    the test's 5.4° error, and flags (pain of 6 or more twice in a row, sharp-pain stops,
    missed weeks). Then the charts on a date axis, the session notes, and each saved
    routine's dose changes with the reason.

    Examples:

    \b
      hiprot report
      hiprot report --weeks 12 --output report.html
      hiprot report --since 2026-09-01 --output report.pdf
      hiprot report --format json
    """
    fmt = _format(fmt, output)
    if fmt is ReportFormat.PDF and output is None and sys.stdout.isatty():
        raise typer.BadParameter("a PDF is not for the terminal: add --output FILE.pdf, or redirect it (> r.pdf).",
                                 param_hint="--format")  # fmt: skip
    start = None if since is None else _since(since)
    profile = None if no_profile else _profile()
    today = options.now().date()
    progress = gather(today, weeks, catalog, profile, since=start)
    lines = _profile_lines(profile, today)
    person = profile.person_lines() if profile is not None else []
    if fmt in (ReportFormat.HTML, ReportFormat.PDF):
        from hiprot.report.progress_html import to_html

        text = to_html(progress, lines, person)
    elif fmt is ReportFormat.JSON:
        from hiprot.report.progress import to_json

        text = to_json(progress, lines)
    else:
        from hiprot.report.progress import to_markdown

        text = to_markdown(progress, lines, person)
    if fmt is ReportFormat.PDF:
        from hiprot.report.pdf import html_to_pdf

        data = html_to_pdf(text)
        if output is None:  # to a pipe or a redirected file
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            return
    elif output is None:
        emit(text)
        return
    else:
        data = text.encode("utf-8")
    from hiprot.files import write_atomic_bytes
    from hiprot.text import plural, visible

    write_atomic_bytes(output, data, force=force)
    typer.echo(f"Wrote {visible(str(output))} ({fmt.value}, {plural(len(progress.weeks), 'week')}, "
               f"{plural(progress.counted, 'session')}).", err=True)  # fmt: skip


def gather(
    today: date, weeks: int, catalog: Optional[Path], profile: Optional[Profile],
    planned_per_week: Optional[int] = None, since: Optional[date] = None,
) -> Progress:  # fmt: skip
    """The report's numbers from the history database: sessions and readings of the
    window, and every saved routine's dose changes (rebuilt as `routine --saved` would).
    `planned_per_week` is the plan's, when there is one. The window opens on `since`, or
    else on the running plan's first day when that is within `weeks`."""
    from collections import Counter
    from datetime import timedelta

    from hiprot.practice import open_store
    from hiprot.progress import build, monday

    with open_store() as store:
        sessions = store.sessions(full=False)  # summaries: the window's, and a count per saved routine
        readings = store.measurements()
        names = [s.name for s in store.saved_routines()]
        plan = store.active_plan()
    if since is None and plan is not None and monday(today) - timedelta(weeks=weeks - 1) <= plan.start <= today:
        since = plan.start
    since_day = monday(today) - timedelta(weeks=weeks - 1) if since is None else since
    logged = Counter(s.saved_name.casefold() for s in sessions if s.saved_name is not None)
    doses = [_doses(name, logged[name.casefold()], catalog, profile, today) for name in names]
    sessions = [s for s in sessions if s.started_at.date() >= since_day]
    return build(sessions, readings, today, weeks, planned_per_week=planned_per_week, doses=doses, since=since)


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
    from hiprot.progress import DoseChanges, dose_changes

    try:
        base, _ = build(catalog, None, name, adapt=False, profile=profile, today=today)
        adapted, _ = build(catalog, None, name, adapt=True, profile=profile, today=today)
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


def _format(fmt: Optional[ReportFormat], output: Optional[Path]) -> ReportFormat:
    """--format wins; else the --output extension; else Markdown."""
    if fmt is not None:
        return fmt
    if output is None:
        return ReportFormat.MARKDOWN
    found = REPORT_SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise typer.BadParameter(
            f"cannot tell the format of '{output}': use .md, .markdown, .html, .pdf or .json, or pass --format.",
            param_hint="--output",
        )
    return found
