"""`hiprot show` and `hiprot list`: look exercises up."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import app, console, emit, reporter
from hiprot.cli.complete import exercise_ids
from hiprot.cli.formats import choices
from hiprot.cli.options import (
    AvoidOption,
    CatalogOption,
    EquipmentOption,
    FormatOption,
    MuscleOption,
    NoProfileOption,
    OutputFormat,
    PositionOption,
    avoided,
    have,
)
from hiprot.errors import NoMatchError
from hiprot.models import Goal, Kind, Level, Side

if TYPE_CHECKING:
    from rich.console import RenderableType

    from hiprot.catalogue import Catalogue
    from hiprot.figures import Figure
    from hiprot.models import Exercise


# `show` prints everything `list` does, and the exercise's figure as SVG (formats from the registry).
ShowFormat = Enum("ShowFormat", choices(("table", "json", "markdown", "html", "svg")), type=str)  # type: ignore[misc]
SHOW_TABLE, LIST_TABLE = ShowFormat("table"), OutputFormat("table")  # the defaults


# The terminal figure: the start and the end pose side by side above the steps, each at
# least 36 columns wide; a narrower terminal gets a one-line pointer to the SVG instead.
FIGURE_MIN_WIDTH = 76


@app.command()
def show(
    name: Annotated[
        list[str],
        typer.Argument(help="Exercise id, name or any alias; quotes are optional.", show_default=False,
                       autocompletion=exercise_ids),
    ],
    fmt: Annotated[
        ShowFormat,
        typer.Option(
            "--format", "-f", help="table for people, json for scripts, markdown or html to print, svg: the figure."
        ),
    ] = SHOW_TABLE,
    no_figure: Annotated[
        bool, typer.Option("--no-figure", help="Leave out the figure (drawn above the steps from 76 columns).")
    ] = False,
    side: Annotated[
        Optional[Side],
        typer.Option(help="Word the steps, and draw the figure, for this side (the leg being worked)."),
    ] = None,
    no_profile: NoProfileOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Show one exercise in full: a figure, steps, dosage, muscles, cautions, precautions, variants, sources.

    With a profile, the cautions are those that concern you: one tied to a precaution you
    do not have (say, the posterior approach when yours was anterior) is left out, and the
    card says how many were; --no-profile shows every caution.

    Examples:

    \b
      hiprot show clamshell
      hiprot show "internal rotation of the hip"
      hiprot show 90/90 foot lift --format json
      hiprot show clamshell --format markdown
      hiprot show clamshell --format svg > clamshell.svg
      hiprot show clamshell --side right
      hiprot show clamshell --no-profile
      hiprot show clamshell --format json --side left   # with the figure's joints

    \b
    From 76 columns the figure (start and end, the working leg in orange) is drawn above
    the steps; on a narrower terminal, `--format svg` gives the picture.
    """
    from hiprot.catalogue import load_catalogue
    from hiprot.practice import load_profile
    from hiprot.safety import for_person

    catalogue = load_catalogue(catalog)
    exercise = catalogue.find(" ".join(name))
    which = side.value if side is not None else None
    profile = None if no_profile else load_profile()
    person = None if profile is None or profile.empty else for_person(exercise, profile, options.now().date())
    if exercise.id in catalogue.overrides:
        typer.echo(f"From your own catalogue ({catalogue.overrides[exercise.id]}), in place of the bundled "
                   f"{exercise.id}.", err=True)  # fmt: skip
    if fmt.value == "svg":
        from hiprot.figures import render_svg

        emit(render_svg(_figure_for(exercise, catalogue, catalog), side=which, title=exercise.name))
        return
    if fmt.value == "json":
        from hiprot.figures import figure_data
        from hiprot.report import json as json_report

        figure = None if no_figure else _drawn(exercise, catalogue, catalog)
        data = figure_data(figure, which) if figure is not None else None
        emit(json_report.exercise(exercise, catalogue, side=side, person=person, figure=data))
        return
    if fmt.value == "table" and not no_figure:
        from rich.text import Text

        from hiprot.catalogue.figures import terminal_pair
        from hiprot.report.figure import HEIGHT, FigureView, pose_width
        from hiprot.report.table import exercise_detail

        width = console().width
        # A user's own catalogue may have drills hiprot has not drawn, or replace one it has.
        replaced = exercise.id in catalogue.overrides
        pair = None if replaced else terminal_pair(exercise.id, which, pose_width(width), HEIGHT)
        drawn: RenderableType
        if pair is None:
            drawn = Text("No figure for this exercise.", style="dim")
        elif width >= FIGURE_MIN_WIDTH:
            drawn = FigureView(*pair)
        else:
            drawn = Text("Figure: --format svg (or 76+ columns)", style="dim", no_wrap=True)
        emit(exercise_detail(exercise, catalogue, drawn, side=side, person=person))
        return
    emit(reporter(fmt.value).exercise(exercise, catalogue, side=side, person=person))


def _drawn(exercise: Exercise, catalogue: Catalogue, catalog: Optional[Path]) -> Figure | None:
    """The exercise's figure, or None when hiprot has not drawn it."""
    from hiprot.errors import NoFigureError

    try:
        return _figure_for(exercise, catalogue, catalog)
    except NoFigureError:
        return None


def _figure_for(exercise: Exercise, catalogue: Catalogue, catalog: Optional[Path]) -> Figure:
    """The bundled figure for an exercise; checked against the bundled catalogue when that
    is the one in use. NoFigureError when hiprot has not drawn it (or the person's own
    catalogue replaces the exercise it was drawn for)."""
    from hiprot.catalogue.figures import load_figures
    from hiprot.errors import NoFigureError

    figures = load_figures() if catalog is not None else _bundled_figures()
    figure = figures.get(exercise.id) if exercise.id not in catalogue.overrides else None
    if figure is None:
        raise NoFigureError(exercise.id, exercise.name)
    return figure


def _bundled_figures() -> dict[str, Figure]:
    from hiprot.catalogue import load_catalogue
    from hiprot.catalogue.figures import load_figures

    return load_figures(exercises=load_catalogue(user=False).by_id)


@app.command("list")
def list_(
    goal: Annotated[Optional[Goal], typer.Option(help="Only exercises that suit this goal.")] = None,
    kind: Annotated[Optional[Kind], typer.Option(help="Only this kind of exercise.")] = None,
    position: PositionOption = None,
    level: Annotated[Optional[Level], typer.Option(help="Only exercises at or below this level.")] = None,
    equipment: EquipmentOption = None,
    muscle: MuscleOption = None,
    avoid: AvoidOption = None,
    fmt: FormatOption = LIST_TABLE,
    no_profile: NoProfileOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Browse the catalogue, narrowed by goal, kind, position, level, equipment or muscle.

    Your profile applies: its precautions and needs, the equipment you own and your level
    narrow the list, and a drill that would put a protected hip in a position it must
    avoid is left out (one done on the other side only stays).

    Examples:

    \b
      hiprot list
      hiprot list --position lying --equipment none
      hiprot list --avoid floor --avoid hip-replacement
      hiprot list --muscle "glute med" --level beginner --format json
    """
    from hiprot.catalogue import load_catalogue
    from hiprot.models import Filters, Request
    from hiprot.planner import sides_for
    from hiprot.practice import load_profile
    from hiprot.profile import apply_filters
    from hiprot.safety import early_note
    from hiprot.text import plural

    catalogue = load_catalogue(catalog)
    if catalogue.overrides:
        typer.echo(f"Your own catalogue replaces the bundled {', '.join(sorted(catalogue.overrides))}.", err=True)
    profile = None if no_profile else load_profile()
    today = options.now().date()
    asked = Filters(
        goal=goal,
        kind=kind,
        positions=frozenset(position) if position else None,
        level=level,
        equipment=have(equipment) if equipment else None,
        muscles=frozenset(muscle) if muscle else None,  # type: ignore[arg-type]
        avoid=avoided(avoid),
    )
    filters = apply_filters(asked, profile, today)
    exercises = catalogue.select(filters)
    if profile is not None and not profile.empty:
        early = early_note(profile, today)
        if early is not None:
            typer.echo(early, err=True)
        protected = Request(goal=Goal.WARMUP, protect=profile.protect(today))
        kept = [ex for ex in exercises if sides_for(ex, protected) is not None]
        if len(kept) < len(exercises):
            gone = len(exercises) - len(kept)
            typer.echo(f"Your profile's hip precautions leave out {plural(gone, 'exercise')} "
                       "(hiprot show NAME explains each).", err=True)  # fmt: skip
        exercises = kept
    if not exercises and fmt.value != "json":
        raise NoMatchError(filters, len(catalogue))
    emit(reporter(fmt.value).exercises(exercises, catalogue))
