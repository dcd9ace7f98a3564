"""The routine options, declared once: one table from which the commands' parameters, the
flags named in errors and the command line that rebuilds a routine are all derived.

`routine`, `go`, `log` and `save` get them through `routine_options`; the routine itself is
built by the core (`hiprot.practice`)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, Optional, TypeVar

import typer

from hiprot.cli.app import (
    AvoidOption,
    CatalogOption,
    EquipmentOption,
    MuscleOption,
    PositionOption,
    avoided,
    have,
)
from hiprot.models import MAX_MINUTES, Goal, Level, Profile, Request, Side

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Routine


def _minutes(text: str) -> int:
    """--minutes in plain words: a whole number of minutes within the limit."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_MINUTES:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise typer.BadParameter(f"must be a whole number from 1 to {MAX_MINUTES}, not {shown!r}.")
    return value

GoalOption = Annotated[Optional[Goal], typer.Option(help="What the routine is for.", show_default=False)]
LevelOption = Annotated[
    Optional[Level],
    typer.Option(help="Your level: exercises above it are swapped for an easier variant. [default: beginner]"),
]
MinutesOption = Annotated[
    Optional[int],
    typer.Option(
        parser=_minutes, metavar="INTEGER",
        help=f"Time budget in minutes (1-{MAX_MINUTES}). Default: warmup 8, strength 20, recovery 12.",
        show_default=False,
    ),
]
CountOption = Annotated[Optional[int], typer.Option(min=1, help="At most this many exercises.")]
SeedOption = Annotated[
    Optional[int], typer.Option(min=0, help="Vary the choice among equally good exercises; reuse it to rebuild.")
]
SideOption = Annotated[
    Optional[Side],
    typer.Option(
        help="Do per-side exercises on this side only, on purpose (a protected hip is never worked either way).",
        show_default=False,
    ),
]
NoProfileOption = Annotated[
    bool,
    typer.Option("--no-profile", help="Ignore your profile (hips, precautions, equipment, level) for this run."),
]
SavedOption = Annotated[
    Optional[str],
    typer.Option("--saved", help="Rebuild the routine saved under this name (see hiprot saved).", show_default=False),
]
NoAdaptOption = Annotated[
    bool, typer.Option("--no-adapt", help="With --saved: ignore its history (no progression).")
]
WhenOption = Annotated[
    Optional[str],
    typer.Option("--when", help="When it happened: YYYY-MM-DD (at noon), 'YYYY-MM-DD HH:MM', today, yesterday "
                 "or 3d (3 days ago). Default: now.", show_default=False),
]


class RoutineOption(NamedTuple):
    """One routine option: its parameter, its flag, its Typer declaration and the
    Request field it fills."""

    name: str
    flag: str
    annotation: Any
    field: str


ROUTINE_OPTIONS = (
    RoutineOption("goal", "--goal", GoalOption, "goal"),
    RoutineOption("level", "--level", LevelOption, "level"),
    RoutineOption("position", "--position", PositionOption, "positions"),
    RoutineOption("equipment", "--equipment", EquipmentOption, "equipment"),
    RoutineOption("muscle", "--muscle", MuscleOption, "muscles"),
    RoutineOption("minutes", "--minutes", MinutesOption, "minutes"),
    RoutineOption("count", "--count", CountOption, "count"),
    RoutineOption("seed", "--seed", SeedOption, "seed"),
    RoutineOption("avoid", "--avoid", AvoidOption, "avoid"),
    RoutineOption("side", "--side", SideOption, "side"),
)
# Each Request field, the flag that sets it (error wording names these).
REQUEST_FLAGS = {option.field: option.flag for option in ROUTINE_OPTIONS}


def command_line(request: Request, catalog: str | None = None, saved: str | None = None) -> str:
    """The `hiprot routine` command that rebuilds a request (never --output/--format/--force)."""
    import shlex

    parts = ["hiprot", "routine"]
    if saved is not None:
        parts += ["--saved", saved]
    else:
        data = request.to_dict()
        for option in ROUTINE_OPTIONS:
            value = data[option.field]
            if option.field == "equipment" and value == []:
                value = ["none"]  # bodyweight only, said out loud
            if value is None or value == [] or (option.field == "level" and value == Level.BEGINNER.value):
                continue
            for one in value if isinstance(value, list) else [value]:
                parts += [option.flag, str(one)]
    if catalog:
        parts += ["--catalog", catalog]
    return shlex.join(parts)


class Chosen(NamedTuple):
    """The routine a command was asked for: a request, or a saved name (with `adapt`),
    and the profile that applies to it (None: none stored, or --no-profile)."""

    request: Request | None
    saved: str | None
    adapt: bool
    catalog: Path | None
    profile: Profile | None  # no default: whoever makes a Chosen says which profile applies
    ignored: bool = False  # --no-profile set a stored profile aside (unread) for this run

    def build(self) -> tuple[Routine, Catalogue]:
        from hiprot.practice import build

        if self.ignored:
            typer.echo("Your profile is not applied to this run (--no-profile): its hip precautions, "
                       "stiff hips, equipment and level are ignored.", err=True)  # fmt: skip
        return build(self.catalog, self.request, self.saved, self.adapt, profile=self.profile, today=now().date())


Command = TypeVar("Command", bound=Callable[..., Any])


def routine_options(*, saved: bool = True, optional: bool = False) -> Callable[[Command], Command]:
    """Give a command every routine option (and --saved/--no-adapt, and --catalog) in
    place of its `chosen: Chosen` parameter, so the options are declared once. With
    `optional`, no routine option and no --saved at all gives a `Chosen` with neither
    (the command then follows the plan)."""
    options: list[tuple[str, Any, Any]] = [(option.name, option.annotation, None) for option in ROUTINE_OPTIONS]
    if saved:
        options += [("saved", SavedOption, None), ("no_adapt", NoAdaptOption, False)]
    options += [("no_profile", NoProfileOption, False), ("catalog", CatalogOption, None)]
    injected = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
                for name, kind, default in options]  # fmt: skip

    def decorate(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True)
        params: list[inspect.Parameter] = []
        for param in own.parameters.values():
            if param.name == "chosen":
                params += injected
            else:
                params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            values = {option.name: kwargs.pop(option.name) for option in ROUTINE_OPTIONS}
            name = kwargs.pop("saved", None)
            adapt = not kwargs.pop("no_adapt", False)
            catalog = kwargs.pop("catalog")
            from hiprot.paths import profile_path
            from hiprot.practice import load_profile

            ignored = kwargs.pop("no_profile")  # a profile set aside is not even read
            profile = None if ignored else load_profile()
            set_aside = ignored and profile_path().exists()
            if optional and name is None and not any(values.values()):
                return command(chosen=Chosen(None, None, adapt, catalog, profile, set_aside), **kwargs)
            request = make_request(values, saved=name, saved_allowed=saved, profile=profile)
            chosen = Chosen(request, name, adapt, catalog, profile, set_aside)
            return command(chosen=chosen, **kwargs)

        run.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


_zone_warned = False


def now() -> datetime:
    """The current local time; tests replace this function to run the clock. A time zone
    Python cannot use (TZ=UTC+24) means UTC, with one warning per run."""
    global _zone_warned
    from hiprot.dates import local_now

    moment, in_utc = local_now()
    if in_utc and not _zone_warned:
        _zone_warned = True
        import os

        from hiprot.text import cut, visible

        zone = visible(cut(os.environ.get("TZ", ""), 80))
        typer.echo(f"Warning: the time zone {zone!r} cannot be used; times are in UTC.", err=True)
    return moment


def when(value: Optional[str]) -> datetime:
    """--when as a time (see `hiprot.dates.parse_when`); a usage error naming --when if not."""
    from hiprot.dates import parse_when
    from hiprot.errors import DateError

    current = now()
    if value is None:
        return current
    try:
        return parse_when(value, current)
    except DateError as exc:
        raise typer.BadParameter(str(exc), param_hint="--when") from None


def make_request(
    values: dict[str, Any], saved: Optional[str] = None, saved_allowed: bool = True, profile: Profile | None = None
) -> Request | None:
    """The parsed routine options (by parameter name) as the core's Request; None with
    --saved (which forbids them). Without --level, the profile's level applies."""
    given = [option.flag for option in ROUTINE_OPTIONS if values.get(option.name)]
    if saved is not None:
        if given:
            raise typer.BadParameter(
                f"--saved rebuilds the saved request as it is; drop {', '.join(given)} "
                "(or save a new routine with hiprot save).",
                param_hint="--saved",
            )
        return None
    goal = values.get("goal")
    if goal is None:
        alternative = " (or --saved NAME)" if saved_allowed else ""
        raise typer.BadParameter(f"give --goal warmup, strength or recovery{alternative}.", param_hint="--goal")
    position = values.get("position")
    return Request(
        goal=goal,
        level=values.get("level") or (profile.level if profile else None) or Level.BEGINNER,
        positions=frozenset(position) if position else None,
        equipment=have(values.get("equipment")),
        muscles=tuple(dict.fromkeys(values.get("muscle") or ())),
        minutes=values.get("minutes"),
        count=values.get("count"),
        seed=values.get("seed"),
        avoid=avoided(values.get("avoid")),
        side=values.get("side"),
    )
