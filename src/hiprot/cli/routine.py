"""`hiprot routine`: build a routine and print or save it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from hiprot.cli.app import (
    SUFFIX_FORMATS,
    AvoidOption,
    CatalogOption,
    EquipmentOption,
    MuscleOption,
    OutputFormat,
    PositionOption,
    app,
    avoided,
    emit,
    have,
    reporter,
)
from hiprot.models import Equipment, Goal, Level, Position, Request

GoalOption = Annotated[Goal, typer.Option(help="What the routine is for.", show_default=False)]
LevelOption = Annotated[
    Level, typer.Option(help="Your level: exercises above it are swapped for an easier variant.")
]
MinutesOption = Annotated[
    Optional[int],
    typer.Option(
        min=1, max=180, help="Time budget in minutes. Default: warmup 8, strength 20, recovery 12.",
        show_default=False,
    ),
]
CountOption = Annotated[Optional[int], typer.Option(min=1, help="At most this many exercises.")]
SeedOption = Annotated[
    Optional[int], typer.Option(min=0, help="Vary the choice among equally good exercises; reuse it to rebuild.")
]


def make_request(
    goal: Goal,
    level: Level,
    position: Optional[list[Position]],
    equipment: Optional[list[Any]],
    muscle: Optional[list[Any]],
    minutes: Optional[int],
    count: Optional[int],
    seed: Optional[int],
    avoid: Optional[list[Any]],
) -> Request:
    """The parsed routine options as the core's Request."""
    return Request(
        goal=goal,
        level=level,
        positions=frozenset(position) if position else None,
        equipment=have(equipment),
        muscles=tuple(dict.fromkeys(muscle or ())),
        minutes=minutes,
        count=count,
        seed=seed,
        avoid=avoided(avoid),
    )


def command_line(request: Request, catalog: str | None = None) -> str:
    """The `hiprot routine` command that rebuilds a request (never --output/--format/--force)."""
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
    import shlex

    return shlex.join(parts)


@app.command()
def routine(
    goal: GoalOption,
    level: LevelOption = Level.BEGINNER,
    position: PositionOption = None,
    equipment: EquipmentOption = None,
    muscle: MuscleOption = None,
    avoid: AvoidOption = None,
    minutes: MinutesOption = None,
    count: CountOption = None,
    seed: SeedOption = None,
    fmt: Annotated[
        Optional[OutputFormat],
        typer.Option(
            "--format", "-f",
            help="table (default), json, or markdown. With --output: taken from the file's extension.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help="Save to this file (.md, .markdown or .json) instead of printing.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    catalog: CatalogOption = None,
) -> None:
    """Build a routine for a goal that fits your level, position, equipment and time.

    Examples:

      hiprot routine --goal warmup

      hiprot routine --goal warmup --avoid hip-replacement --avoid floor

      hiprot routine --goal strength --level beginner --equipment band --minutes 15

      hiprot routine --goal recovery --position lying --position seated --muscle piriformis

      hiprot routine --goal warmup --seed 7 --format json

      hiprot routine --goal warmup --output warmup.md
    """
    fmt = _output_format(fmt, output)
    request = make_request(goal, level, position, equipment, muscle, minutes, count, seed, avoid)
    from hiprot.catalogue import load_catalogue
    from hiprot.planner import build_routine

    plan = build_routine(load_catalogue(catalog), request)
    rendered = reporter(fmt).routine(plan, command_line(request, str(catalog) if catalog else None))
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
                f"cannot tell the format of '{output}': use .md, .markdown or .json, or pass --format.",
                param_hint="--output",
            )
    if fmt is OutputFormat.TABLE:
        raise typer.BadParameter(
            "a table is for the terminal; save with --format markdown or json.", param_hint="--format"
        )
    return fmt


