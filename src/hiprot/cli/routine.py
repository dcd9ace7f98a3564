"""`hiprot routine`: build a routine and print or save it."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from hiprot.cli.app import (
    SUFFIX_FORMATS,
    OutputFormat,
    app,
    emit,
    file_given,
    reporter,
)
from hiprot.cli.options import Chosen, command_line, routine_options


class RoutineFormat(str, Enum):
    """What `routine` writes: every OutputFormat, and a PDF of the handout."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"


ROUTINE_SUFFIXES = {**{s: RoutineFormat(f.value) for s, f in SUFFIX_FORMATS.items()}, ".pdf": RoutineFormat.PDF}


@app.command()
@routine_options()
def routine(
    chosen: Chosen,
    fmt: Annotated[
        Optional[RoutineFormat],
        typer.Option(
            "--format", "-f",
            help="table (default), json, markdown, html (a printable handout) or pdf (the handout, with the "
            "pdf extra). With --output: from the extension.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help="Save to this file (.md, .markdown, .json, .html or .pdf) instead of printing.",
            parser=file_given, metavar="FILE",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
) -> None:
    """Build a routine for a goal that fits your level, position, equipment and time.

    Examples:

    \b
      hiprot routine --goal warmup
      hiprot routine --goal warmup --avoid hip-replacement --avoid floor
      hiprot routine --goal strength --level beginner --equipment band --minutes 15
      hiprot routine --goal recovery --position lying --position seated --muscle piriformis
      hiprot routine --goal warmup --seed 7 --format json
      hiprot routine --goal warmup --output warmup.md
      hiprot routine --goal warmup --output warmup.html
      hiprot routine --goal warmup --output warmup.pdf
      hiprot routine --saved hips
    """
    fmt = _output_format(fmt, output)
    if fmt is RoutineFormat.PDF and output is None and sys.stdout.isatty():
        raise typer.BadParameter("a PDF is not for the terminal: add --output FILE.pdf, or redirect it (> w.pdf).",
                                 param_hint="--format")  # fmt: skip
    plan, _ = chosen.build()
    catalog = str(chosen.catalog) if chosen.catalog else None
    command = command_line(plan.request, catalog, chosen.saved)
    person = chosen.profile.person_lines() if chosen.profile is not None else []
    if fmt in (RoutineFormat.PDF, RoutineFormat.HTML):  # the handout names who it is for
        from hiprot.report import html

        page = html.routine(plan, command, person)
        if fmt is RoutineFormat.PDF:
            from hiprot.report.pdf import html_to_pdf

            data = html_to_pdf(page)
        elif output is None:
            emit(page)
            return
        else:
            data = page.encode("utf-8")
    else:
        rendered = reporter(OutputFormat(fmt.value)).routine(plan, command)
        if output is None:
            emit(rendered)
            return
        assert isinstance(rendered, str)  # only text formats reach a file (see _output_format)
        data = rendered.encode("utf-8")
    if output is None:  # a PDF, to a pipe or a file
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    from hiprot.files import write_atomic_bytes
    from hiprot.text import clock, plural, visible
    from hiprot.timeline import total_seconds

    write_atomic_bytes(output, data, force=force)
    summary = f"{fmt.value}, {plural(len(plan.items), 'exercise')}, {clock(total_seconds(plan))}"
    typer.echo(f"Wrote {visible(str(output))} ({summary}).", err=True)


def _output_format(fmt: Optional[RoutineFormat], output: Optional[Path]) -> RoutineFormat:
    """--format wins; else the --output extension decides; a table cannot go to a file."""
    if output is None:
        return fmt or RoutineFormat.TABLE
    if fmt is None:
        fmt = ROUTINE_SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            raise typer.BadParameter(
                f"cannot tell the format of '{output}': use .md, .markdown, .json, .html or .pdf, or pass --format.",
                param_hint="--output",
            )
    if fmt is RoutineFormat.TABLE:
        raise typer.BadParameter(
            "a table is for the terminal; save with --format markdown, json, html or pdf.", param_hint="--format"
        )
    return fmt


