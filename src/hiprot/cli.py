"""The command line: parse options, call the core, print. Nothing else lives here.

Errors from the core (`HiprotError`) are caught once, in `_Group.invoke`: the message
goes to stderr and the exit code is 1. Usage mistakes are Typer's own (exit 2).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from hiprot import __version__
from hiprot.errors import HiprotError
from hiprot.timeline import item_seconds, total_seconds
from hiprot.models import Equipment, Goal, Kind, Level, Muscle, Position, resolve_muscle


class _Group(TyperGroup):
    """Turns a HiprotError into a one-line message and exit 1, and Ctrl-C into 130."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except HiprotError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_Group,
    name="hiprot",
    help=(
        "Build safe, well-dosed hip internal rotation routines from a source-cited "
        "exercise catalogue.\n\n"
        "Examples:\n\n"
        "  hiprot routine --goal warmup\n\n"
        "  hiprot list --position lying --equipment none\n\n"
        "  hiprot show clamshell"
    ),
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
)


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


SUFFIX_FORMATS = {".md": OutputFormat.MARKDOWN, ".markdown": OutputFormat.MARKDOWN, ".json": OutputFormat.JSON}


# What a person can say they have: the equipment vocabulary plus "none" (bodyweight only).
Have = Enum("Have", {"NONE": "none", **{e.name: e.value for e in Equipment}}, type=str)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hiprot {__version__}")
        raise typer.Exit()


def _muscles(values: Optional[list[str]]) -> Optional[list[Muscle]]:
    if not values:
        return values
    resolved = []
    for value in values:
        muscle = resolve_muscle(value)
        if muscle is None:
            valid = ", ".join(m.value for m in Muscle)
            raise typer.BadParameter(
                f"unknown muscle '{value}'. Valid: {valid} (common names such as 'glute med' work too)."
            )
        resolved.append(muscle)
    return resolved


def _have(values: Optional[list[Have]]) -> Optional[frozenset[Equipment]]:
    """--equipment lists what the person has; none means bodyweight only."""
    if not values:
        return None
    return frozenset(Equipment(v.value) for v in values if v.value != "none")


CatalogOption = Annotated[
    Optional[Path],
    typer.Option(
        "--catalog",
        envvar="HIPROT_CATALOG",
        show_envvar=True,
        help="Use this catalogue YAML file (or folder of them) instead of the bundled one.",
        dir_okay=True,
    ),
]
PositionOption = Annotated[
    Optional[list[Position]], typer.Option(help="Only these positions (repeat the option for more).")
]
EquipmentOption = Annotated[
    Optional[list[Have]],
    typer.Option(help="What you have (repeatable); 'none' means bodyweight only. Default: anything."),
]
MuscleOption = Annotated[
    Optional[list[str]],
    typer.Option(help="Target muscle (repeatable): id or common name, e.g. 'glute med'.", callback=_muscles),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table for people, json for scripts, markdown to print or save."),
]


def _console(stderr: bool = False):
    from rich.console import Console

    # Catalogue text arrives as rich.text.Text; nothing printed needs markup or emoji codes.
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def _print_json(data: object) -> None:
    from hiprot.export import to_json

    sys.stdout.write(to_json(data))


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Build safe, well-dosed hip internal rotation routines."""


@app.command()
def routine(
    goal: Annotated[Goal, typer.Option(help="What the routine is for.", show_default=False)],
    level: Annotated[
        Level, typer.Option(help="Your level: exercises above it are swapped for an easier variant.")
    ] = Level.BEGINNER,
    position: PositionOption = None,
    equipment: EquipmentOption = None,
    muscle: MuscleOption = None,
    minutes: Annotated[
        Optional[int],
        typer.Option(
            min=1, max=180, help="Time budget in minutes. Default: warmup 8, strength 20, recovery 12.",
            show_default=False,
        ),
    ] = None,
    count: Annotated[Optional[int], typer.Option(min=1, help="At most this many exercises.")] = None,
    seed: Annotated[
        Optional[int], typer.Option(min=0, help="Vary the choice among equally good exercises; reuse it to rebuild.")
    ] = None,
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

      hiprot routine --goal strength --level beginner --equipment band --minutes 15

      hiprot routine --goal recovery --position lying --position seated --muscle piriformis

      hiprot routine --goal warmup --seed 7 --format json

      hiprot routine --goal warmup --output warmup.md
    """
    fmt = _output_format(fmt, output)
    from hiprot.catalogue import load_catalogue
    from hiprot.models import Request
    from hiprot.planner import build_routine

    request = Request(
        goal=goal,
        level=level,
        positions=frozenset(position) if position else None,
        equipment=_have(equipment),
        muscles=tuple(dict.fromkeys(muscle or ())),
        minutes=minutes,
        count=count,
        seed=seed,
    )
    plan = build_routine(load_catalogue(catalog), request)
    if fmt is OutputFormat.TABLE:
        from hiprot.render import routine_view

        _console().print(routine_view(plan))
        return
    from hiprot import export

    if fmt is OutputFormat.JSON:
        text = export.to_json(export.routine_to_dict(plan))
    else:
        text = export.routine_to_markdown(plan, export.command_line(request, str(catalog) if catalog else None))
    if output is None:
        sys.stdout.write(text)
        return
    from hiprot.files import write_atomic

    write_atomic(output, text, force=force)
    typer.echo(
        f"Wrote {output} ({fmt.value}, {len(plan.items)} exercises, {export.clock(total_seconds(plan))}).",
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


@app.command()
def show(
    name: Annotated[
        list[str],
        typer.Argument(help="Exercise id, name or any alias; quotes are optional.", show_default=False),
    ],
    fmt: FormatOption = OutputFormat.TABLE,
    catalog: CatalogOption = None,
) -> None:
    """Show one exercise in full: steps, dosage, muscles, cautions, variants and sources.

    Examples:

      hiprot show clamshell

      hiprot show "internal rotation of the hip"

      hiprot show 90/90 foot lift --format json

      hiprot show clamshell --format markdown
    """
    from hiprot.catalogue import load_catalogue

    catalogue = load_catalogue(catalog)
    exercise = catalogue.find(" ".join(name))
    if fmt is OutputFormat.JSON:
        from hiprot.export import exercise_to_dict

        _print_json(exercise_to_dict(exercise))
        return
    if fmt is OutputFormat.MARKDOWN:
        from hiprot.export import exercise_to_markdown

        names = {link: catalogue.by_id[link].name for link in (exercise.easier, exercise.harder) if link}
        sys.stdout.write(exercise_to_markdown(exercise, names))
        return
    from hiprot.render import exercise_detail

    _console().print(exercise_detail(exercise, catalogue))


@app.command("list")
def list_(
    goal: Annotated[Optional[Goal], typer.Option(help="Only exercises that suit this goal.")] = None,
    kind: Annotated[Optional[Kind], typer.Option(help="Only this kind of exercise.")] = None,
    position: PositionOption = None,
    level: Annotated[Optional[Level], typer.Option(help="Only exercises at or below this level.")] = None,
    equipment: EquipmentOption = None,
    muscle: MuscleOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    catalog: CatalogOption = None,
) -> None:
    """Browse the catalogue, narrowed by goal, kind, position, level, equipment or muscle.

    Examples:

      hiprot list

      hiprot list --position lying --equipment none

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
        equipment=_have(equipment),
        muscles=frozenset(muscle) if muscle else None,
    )
    exercises = catalogue.select(filters)
    if fmt is OutputFormat.JSON:
        from hiprot.export import exercise_to_dict

        _print_json([exercise_to_dict(ex) for ex in exercises])
        return
    if not exercises:
        raise HiprotError(
            f"No exercise in the catalogue matches these filters (of {len(catalogue)}). "
            "Drop a filter or widen --level, --position or --equipment."
        )
    from hiprot.render import exercise_table

    console = _console()
    console.print(exercise_table(exercises))
    console.print(f"{len(exercises)} of {len(catalogue)} exercises. Details: hiprot show NAME")


def main() -> None:
    """The `hiprot` console script and `python -m hiprot`.

    A run lasts well under a second and frees little, so the cyclic collector is kept off,
    and everything is frozen before exit so the interpreter's final collection has
    nothing to rescan (about 10 ms of a 90 ms run). Tests call `app` and are unaffected.
    """
    import gc

    gc.disable()
    try:
        app(prog_name="hiprot")
    finally:
        gc.freeze()
