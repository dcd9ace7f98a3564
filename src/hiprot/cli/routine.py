"""`hiprot routine`: build a routine and print or save it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from hiprot.cli.app import app
from hiprot.cli.formats import choices
from hiprot.cli.options import Chosen, command_line, force_option, format_option, output_option, routine_options
from hiprot.cli.output import chosen_format, refuse_binary_at_terminal, write

FORMATS = ("table", "json", "markdown", "html", "pdf")
RoutineFormat = Enum("RoutineFormat", choices(FORMATS), type=str)  # type: ignore[misc]  # from the registry


@app.command()
@routine_options()
def routine(
    chosen: Chosen,
    fmt: Annotated[
        Optional[RoutineFormat],
        format_option("table (default), json, markdown, html (a printable handout) or pdf (the handout, with the "
                      "pdf extra). With --output: from the extension."),
    ] = None,
    output: Annotated[Optional[Path], output_option(FORMATS)] = None,
    force: Annotated[bool, force_option()] = False,
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
      hiprot routine --pick clamshell:3x15 --pick 90-90-foot-lift:2x10
      hiprot routine --pick seated-hip-internal-rotation-stretch:3x30s --pick clamshell@right
      hiprot routine --goal strength --keep clamshell --drop fire-hydrant --swap banded-bridge
    """
    name = chosen_format("routine", FORMATS, fmt.value if fmt is not None else None, output, "table")
    refuse_binary_at_terminal(name, output)
    prescription, _ = chosen.prescribe()
    plan = prescription.routine
    catalog = str(chosen.catalog) if chosen.catalog else None
    command = command_line(plan.request, catalog, chosen.saved)
    from hiprot.cli.formats import reporter

    person = chosen.profile.person_lines() if chosen.profile is not None else []
    if name in ("pdf", "html"):  # the handout names who it is for
        from hiprot.report import html

        page = html.routine(plan, command, person)
        if name == "pdf":
            from hiprot.report.pdf import html_to_pdf

            write(html_to_pdf(page), output, force=force)
        else:
            write(page, output, force=force)
    else:
        write(reporter(name).routine(plan, command), output, force=force)
    if output is None:
        return
    from hiprot.text import clock, plural, visible

    summary = f"{name}, {plural(len(plan.items), 'exercise')}, {clock(prescription.total_seconds)}"
    typer.echo(f"Wrote {visible(str(output))} ({summary}).", err=True)
