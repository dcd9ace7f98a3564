"""The routine options, declared once: one table from which the commands' parameters, the
flags named in errors and the command line that rebuilds a routine are all derived.

`routine`, `go`, `log` and `save` get them through `routine_options`; the routine itself is
built by the core (`hiprot.practice`)."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, Optional, TypeVar

import typer

from hiprot.cli.complete import exercise_ids, saved_names
from hiprot.cli.formats import choices
from hiprot.limits import MAX_MINUTES, PAIN_MAX, PAIN_MIN
from hiprot.models import (
    AVOIDABLE,
    OLD_NAMES,
    Equipment,
    Goal,
    Level,
    Muscle,
    Need,
    Pick,
    Position,
    Precaution,
    Profile,
    Request,
    Side,
    resolve_muscle,
)

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Prescription, Routine


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

# The formats of list and show's views, from the registry (hiprot.cli.formats).
OutputFormat = Enum("OutputFormat", choices(("table", "json", "markdown", "html")), type=str)  # type: ignore[misc]

# What a person can say they have: the equipment vocabulary plus "none" (bodyweight only).
Have = Enum("Have", {"NONE": "none", **{e.name: e.value for e in Equipment}}, type=str)  # type: ignore[misc]
# What a person can ask to leave out: any precaution or need.
# (or a tag's old name, still read)
Avoid = Enum("Avoid", {k.upper().replace("-", "_"): k for k in [*AVOIDABLE, *OLD_NAMES]}, type=str)  # type: ignore[misc]


def muscles_callback(values: Optional[list[str]]) -> Optional[list[Muscle]]:
    if not values:
        return None
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


def have(values: Optional[list[Any]]) -> Optional[frozenset[Equipment]]:
    """--equipment lists what the person has; none means bodyweight only."""
    if not values:
        return None
    return frozenset(Equipment(v.value) for v in values if v.value != "none")


def avoided(values: Optional[list[Any]]) -> frozenset[Precaution | Need]:
    return frozenset(AVOIDABLE.get(v.value) or OLD_NAMES[v.value] for v in values or ())


def path_given(text: str) -> Path:
    """A path option as typed: '' is a usage error (Path('') would quietly be '.'), and a
    file name ending in '/' keeps its slash. Whether it can be read or written is the
    core's to say, in its own words (never Click's "is not readable")."""
    if not text:
        raise typer.BadParameter("empty path: give a file or folder name.")
    return Path(text)


def file_given(text: str) -> Path:
    """An output file name: as `path_given`; a folder, or a name ending in '/', is a usage error."""
    path = path_given(text)
    if text.endswith(("/", os.sep)) or os.path.isdir(path):
        raise typer.BadParameter(f"'{text}' names a folder; give a file name such as "
                                 f"{path / 'routine.md'}.")  # fmt: skip
    return path


CatalogOption = Annotated[
    Optional[Path],
    typer.Option(
        "--catalog",
        envvar="HIPROT_CATALOG",
        show_envvar=True,
        help="Use this catalogue YAML file (or folder of them) instead of the bundled one.",
        parser=path_given,
        metavar="PATH",
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
    typer.Option(help="Target muscle (repeatable): id or common name, e.g. 'glute med'.", callback=muscles_callback),
]
AvoidOption = Annotated[
    Optional[list[Avoid]],
    typer.Option(
        help="Leave out exercises with this precaution or need (repeatable): hip-replacement-posterior "
        "(old name: hip-replacement), hip-replacement-anterior, hip-replacement-early, hip-impingement, knee-pain, "
        "low-back-pain, floor, kneeling, single-leg-balance, deep-squat.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table for people, json for scripts, markdown or html to print or save."),
]


def pain_option(help: str, flag: str = "--pain") -> Any:
    """A pain option, 0-10 (the range from `hiprot.limits`): every command's pain is declared here."""
    return typer.Option(flag, min=PAIN_MIN, max=PAIN_MAX, help=help, show_default=False)


PainOption = Annotated[
    Optional[int], pain_option(f"Pain during the session, {PAIN_MIN} (none) to {PAIN_MAX} (worst).")
]

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
    typer.Option("--saved", help="Rebuild the routine saved under this name (see hiprot saved).", show_default=False,
                 autocompletion=saved_names),
]
PickOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--pick", metavar="NAME[:DOSE]", autocompletion=exercise_ids, show_default=False,
        help="Write the routine yourself, one exercise a --pick, done in the order given: an id, name or alias, "
        "and a dose SETSxREPS (3x15) or SETSxHOLDs (3x30s), optionally /side, @left or @right. Without a dose: "
        "your level's. --goal is optional with --pick (default strength: it sets the default doses and rests).",
    ),
]
OrderOption = Annotated[
    bool, typer.Option("--order", help="With --pick: put the picks in the goal's flow (floor to feet) instead.")
]
KeepOption = Annotated[
    Optional[list[str]],
    typer.Option("--keep", metavar="EXERCISE", autocompletion=exercise_ids, show_default=False,
                 help="Keep this exercise in the routine chosen for you (repeatable)."),
]
DropOption = Annotated[
    Optional[list[str]],
    typer.Option("--drop", metavar="EXERCISE", autocompletion=exercise_ids, show_default=False,
                 help="Leave this exercise of the chosen routine out: one exercise fewer (repeatable)."),
]
SwapOption = Annotated[
    Optional[list[str]],
    typer.Option("--swap", metavar="EXERCISE", autocompletion=exercise_ids, show_default=False,
                 help="Put the best other exercise in place of this one of the chosen routine (repeatable)."),
]
NoAdaptOption = Annotated[
    bool, typer.Option("--no-adapt", help="With --saved: ignore its history (no progression).")
]
WhenOption = Annotated[
    Optional[str],
    typer.Option("--when", help="When it happened: YYYY-MM-DD, today, yesterday or 3d (3 days ago). Default: now.",
                 show_default=False),
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
    RoutineOption("pick", "--pick", PickOption, "picks"),
    RoutineOption("order", "--order", OrderOption, "order"),
    RoutineOption("keep", "--keep", KeepOption, "keep"),
    RoutineOption("drop", "--drop", DropOption, "drop"),
    RoutineOption("swap", "--swap", SwapOption, "swap"),
)
# Options that shape a chosen routine, which a written one (--pick) does not take.
CHOOSING = ("position", "muscle", "count", "seed", "keep", "drop", "swap")
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
            value = data.get(option.field)
            if value is True:
                parts.append(option.flag)  # a switch (--order)
                continue
            if option.field == "equipment" and value == []:
                value = ["none"]  # bodyweight only, said out loud
            beginner = option.field == "level" and value == Level.BEGINNER.value
            if value is None or value is False or value == [] or beginner:
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

    def prescribe(self, day: date | None = None) -> tuple[Prescription, Catalogue]:
        """The prescription for `day` (default today): the plan's, when the saved routine is the plan's."""
        from hiprot.practice.prescribe import prescribe

        if self.ignored:
            typer.echo("Your profile is not applied to this run (--no-profile): its hip precautions, "
                       "stiff hips, equipment and level are ignored.", err=True)  # fmt: skip
        return prescribe(self.catalog, self.request, self.saved, self.adapt, profile=self.profile,
                         today=day or now().date())  # fmt: skip


def planned(chosen: Chosen, day: date) -> tuple[Prescription, Optional[str]]:
    """The prescription asked for and its saved name; with no routine options, the plan's
    next session as it stands on `day` (a usage error when no plan is running)."""
    if chosen.request is not None or chosen.saved is not None:
        prescription, _ = chosen.prescribe(day)
        return prescription, chosen.saved
    from hiprot.practice.plans import plan_prescription

    found = plan_prescription(chosen.catalog, day, chosen.profile)
    if found is None:
        raise typer.BadParameter(
            "give --goal warmup, strength or recovery (or --saved NAME), or start a plan to follow "
            "(hiprot plan new --weeks 6 --days mon,wed,fri --goal strength).",
            param_hint="--goal",
        )
    return found


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


def now() -> datetime:
    """The current local time; tests replace this function to run the clock."""
    return datetime.now().astimezone()


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
    picks = tuple(_pick(text) for text in values.get("pick") or ())
    goal = values.get("goal")
    if picks:
        also = [option.flag for option in ROUTINE_OPTIONS if option.name in CHOOSING and values.get(option.name)]
        if also:
            raise typer.BadParameter(f"--pick writes the routine exercise by exercise; drop {', '.join(also)} "
                                     "(they shape a routine chosen for you).", param_hint="--pick")  # fmt: skip
        goal = goal or Goal.STRENGTH
    elif values.get("order"):
        raise typer.BadParameter("--order puts picked exercises in the goal's flow: add --pick NAME (a routine "
                                 "chosen for you is always in that flow).", param_hint="--order")  # fmt: skip
    if goal is None:
        alternative = " (or --saved NAME, or --pick NAME)" if saved_allowed else " (or --pick NAME)"
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
        picks=picks,
        order=bool(values.get("order")),
        keep=tuple(dict.fromkeys(values.get("keep") or ())),
        drop=tuple(dict.fromkeys(values.get("drop") or ())),
        swap=tuple(dict.fromkeys(values.get("swap") or ())),
    )


def _pick(text: str) -> Pick:
    """One --pick as the core's Pick; a usage error naming --pick if it cannot be read."""
    try:
        return Pick.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc) + ".", param_hint="--pick") from None
