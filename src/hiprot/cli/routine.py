"""`hiprot routine`: build a routine and print or save it."""

from __future__ import annotations

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


@app.command()
@routine_options()
def routine(
    chosen: Chosen,
    fmt: Annotated[
        Optional[OutputFormat],
        typer.Option(
            "--format", "-f",
            help="table (default), json, markdown, or html (a printable handout). With --output: from the extension.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help="Save to this file (.md, .markdown, .json or .html) instead of printing.",
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
      hiprot routine --saved hips
    """
    fmt = _output_format(fmt, output)
    plan, _ = chosen.build()
    catalog = str(chosen.catalog) if chosen.catalog else None
    rendered = reporter(fmt).routine(plan, command_line(plan.request, catalog, chosen.saved))
    if output is None:
        emit(rendered)
        return
    from hiprot.files import write_atomic
    from hiprot.text import clock, plural, visible
    from hiprot.timeline import total_seconds

    assert isinstance(rendered, str)  # only text formats reach a file (see _output_format)
    write_atomic(output, rendered, force=force)
    summary = f"{fmt.value}, {plural(len(plan.items), 'exercise')}, {clock(total_seconds(plan))}"
    typer.echo(f"Wrote {visible(str(output))} ({summary}).", err=True)


def _output_format(fmt: Optional[OutputFormat], output: Optional[Path]) -> OutputFormat:
    """--format wins; else the --output extension decides; a table cannot go to a file."""
    if output is None:
        return fmt or OutputFormat.TABLE
    if fmt is None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise typer.BadParameter(
                f"cannot tell the format of '{output}': use .md, .markdown, .json or .html, or pass --format.",
                param_hint="--output",
            )
    if fmt is OutputFormat.TABLE:
        raise typer.BadParameter(
            "a table is for the terminal; save with --format markdown, json or html.", param_hint="--format"
        )
    return fmt


