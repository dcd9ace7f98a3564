"""`hiprot show` and `hiprot list`: look exercises up."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from hiprot.cli.app import (
    AvoidOption,
    CatalogOption,
    EquipmentOption,
    FormatOption,
    MuscleOption,
    OutputFormat,
    PositionOption,
    app,
    avoided,
    emit,
    have,
    reporter,
)
from hiprot.errors import NoMatchError
from hiprot.models import Goal, Kind, Level, Side


@app.command()
def show(
    name: Annotated[
        list[str],
        typer.Argument(help="Exercise id, name or any alias; quotes are optional.", show_default=False),
    ],
    fmt: FormatOption = OutputFormat.TABLE,
    catalog: CatalogOption = None,
    side: Annotated[
        Optional[Side], typer.Option(help="Word the steps for this side (the leg being worked).")
    ] = None,
) -> None:
    """Show one exercise in full: steps, dosage, muscles, cautions, precautions, variants, sources.

    Examples:

    \b
      hiprot show clamshell
      hiprot show "internal rotation of the hip"
      hiprot show 90/90 foot lift --format json
      hiprot show clamshell --format markdown
      hiprot show clamshell --side right
    """
    from hiprot.catalogue import load_catalogue

    catalogue = load_catalogue(catalog)
    exercise = catalogue.find(" ".join(name))
    emit(reporter(fmt).exercise(exercise, catalogue, side=side))


@app.command("list")
def list_(
    goal: Annotated[Optional[Goal], typer.Option(help="Only exercises that suit this goal.")] = None,
    kind: Annotated[Optional[Kind], typer.Option(help="Only this kind of exercise.")] = None,
    position: PositionOption = None,
    level: Annotated[Optional[Level], typer.Option(help="Only exercises at or below this level.")] = None,
    equipment: EquipmentOption = None,
    muscle: MuscleOption = None,
    avoid: AvoidOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    catalog: CatalogOption = None,
) -> None:
    """Browse the catalogue, narrowed by goal, kind, position, level, equipment or muscle.

    Examples:

    \b
      hiprot list
      hiprot list --position lying --equipment none
      hiprot list --avoid floor --avoid hip-replacement
      hiprot list --muscle "glute med" --level beginner --format json
    """
    from hiprot.catalogue import load_catalogue
    from hiprot.models import Filters

    catalogue = load_catalogue(catalog)
    filters = Filters(
        goal=goal,
        kind=kind,
        positions=frozenset(position) if position else None,
        level=level,
        equipment=have(equipment),
        muscles=frozenset(muscle) if muscle else None,  # type: ignore[arg-type]
        avoid=avoided(avoid),
    )
    exercises = catalogue.select(filters)
    if not exercises and fmt is not OutputFormat.JSON:
        raise NoMatchError(filters, len(catalogue))
    emit(reporter(fmt).exercises(exercises, catalogue))
