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
    reporter,
)
from hiprot.cli.plan import Chosen, routine_options
from hiprot.models import Equipment, Level, Position, Request


def command_line(request: Request, catalog: str | None = None, saved: str | None = None) -> str:
    """The `hiprot routine` command that rebuilds a request (never --output/--format/--force)."""
    import shlex

    if saved is not None:
        return shlex.join(["hiprot", "routine", "--saved", saved, *(["--catalog", catalog] if catalog else [])])
    parts = ["hiprot", "routine", "--goal", request.goal.value]
    if request.level is not Level.BEGINNER:
        parts += ["--level", request.level.value]
    for position in sorted(request.positions or (), key=list(Position).index):
        parts += ["--position", position.value]
    if request.equipment is not None:
        for item in [e.value for e in Equipment if e in request.equipment] or ["none"]:
            parts += ["--equipment", item]
    for muscle in request.muscles:
        parts += ["--muscle", muscle.value]
    for flag, value in (("--minutes", request.minutes), ("--count", request.count), ("--seed", request.seed)):
        if value is not None:
            parts += [flag, str(value)]
    for name in request.to_dict()["avoid"]:
        parts += ["--avoid", name]
    if catalog:
        parts += ["--catalog", catalog]
    return shlex.join(parts)


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
            dir_okay=False,
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
    from hiprot.text import clock, plural
    from hiprot.timeline import total_seconds

    write_atomic(output, rendered, force=force)
    typer.echo(
        f"Wrote {output} ({fmt.value}, {plural(len(plan.items), 'exercise')}, {clock(total_seconds(plan))}).",
        err=True,
    )


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


