"""What routine, go, log and save share: the request from options or a saved name,
the routine built (and adapted to its history), and the history database."""

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
from hiprot.errors import HiprotError
from hiprot.models import Goal, Level, Position, Request

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Routine
    from hiprot.store import Store

GoalOption = Annotated[Optional[Goal], typer.Option(help="What the routine is for.", show_default=False)]
LevelOption = Annotated[
    Optional[Level],
    typer.Option(help="Your level: exercises above it are swapped for an easier variant. [default: beginner]"),
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
SavedOption = Annotated[
    Optional[str],
    typer.Option("--saved", help="Rebuild the routine saved under this name (see hiprot saved).", show_default=False),
]
NoAdaptOption = Annotated[
    bool, typer.Option("--no-adapt", help="With --saved: ignore its history (no progression).")
]
WhenOption = Annotated[
    Optional[str],
    typer.Option("--when", help="When it happened: YYYY-MM-DD, today, yesterday or 3d (3 days ago). Default: now.",
                 show_default=False),
]


class Chosen(NamedTuple):
    """The routine a command was asked for: a request, or a saved name (with `adapt`)."""

    request: Request | None
    saved: str | None
    adapt: bool
    catalog: Path | None

    def build(self) -> tuple[Routine, Catalogue]:
        return build(self.catalog, self.request, self.saved, self.adapt)


Command = TypeVar("Command", bound=Callable[..., Any])


def routine_options(*, saved: bool = True) -> Callable[[Command], Command]:
    """Give a command every routine option (and --saved/--no-adapt, and --catalog) in
    place of its `chosen: Chosen` parameter, so the options are declared once."""
    options: list[tuple[str, Any, Any]] = [
        ("goal", GoalOption, None), ("level", LevelOption, None), ("position", PositionOption, None),
        ("equipment", EquipmentOption, None), ("muscle", MuscleOption, None), ("avoid", AvoidOption, None),
        ("minutes", MinutesOption, None), ("count", CountOption, None), ("seed", SeedOption, None),
    ]  # fmt: skip
    if saved:
        options += [("saved", SavedOption, None), ("no_adapt", NoAdaptOption, False)]
    options.append(("catalog", CatalogOption, None))
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
            values = {name: kwargs.pop(name) for name, _, _ in options}
            name = values.pop("saved", None)
            adapt = not values.pop("no_adapt", False)
            catalog = values.pop("catalog")
            chosen = Chosen(make_request(**values, saved=name, saved_allowed=saved), name, adapt, catalog)
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
    goal: Optional[Goal],
    level: Optional[Level],
    position: Optional[list[Position]],
    equipment: Optional[list[Any]],
    muscle: Optional[list[Any]],
    minutes: Optional[int],
    count: Optional[int],
    seed: Optional[int],
    avoid: Optional[list[Any]],
    saved: Optional[str] = None,
    saved_allowed: bool = True,
) -> Request | None:
    """The parsed routine options as the core's Request; None with --saved (which forbids them)."""
    given = [flag for flag, value in (
        ("--goal", goal), ("--level", level), ("--position", position), ("--equipment", equipment),
        ("--muscle", muscle), ("--minutes", minutes), ("--count", count), ("--seed", seed), ("--avoid", avoid),
    ) if value]  # fmt: skip
    if saved is not None:
        if given:
            raise typer.BadParameter(
                f"--saved rebuilds the saved request as it is; drop {', '.join(given)} "
                "(or save a new routine with hiprot save).",
                param_hint="--saved",
            )
        return None
    if goal is None:
        alternative = " (or --saved NAME)" if saved_allowed else ""
        raise typer.BadParameter(f"give --goal warmup, strength or recovery{alternative}.", param_hint="--goal")
    return Request(
        goal=goal,
        level=level or Level.BEGINNER,
        positions=frozenset(position) if position else None,
        equipment=have(equipment),
        muscles=tuple(dict.fromkeys(muscle or ())),
        minutes=minutes,
        count=count,
        seed=seed,
        avoid=avoided(avoid),
    )


def open_store() -> Store:
    """The history database in the user data folder (created on first use)."""
    from hiprot.paths import database_path
    from hiprot.store import Store

    return Store.open(database_path())


def saved_request(store: Store, name: str) -> Request:
    saved = store.saved_routine(name)
    try:
        return Request.from_dict(saved.request)
    except (ValueError, KeyError, TypeError) as exc:
        raise HiprotError(
            f"The saved routine '{saved.name}' cannot be read ({exc}); save it again with hiprot save."
        ) from None


def build(
    catalog: Optional[Path], request: Request | None, saved: Optional[str], adapt: bool = True
) -> tuple[Routine, Catalogue]:
    """The routine for the options: built from the request, or from a saved one with its
    history replayed over it (unless `adapt` is off)."""
    from hiprot.catalogue import load_catalogue
    from hiprot.planner import build_routine

    catalogue = load_catalogue(catalog)
    if saved is None:
        assert request is not None
        return build_routine(catalogue, request), catalogue
    with open_store() as store:
        request = saved_request(store, saved)
        routine = build_routine(catalogue, request)
        if not adapt:
            return routine, catalogue
        from hiprot.planner import prescribe
        from hiprot.progression import Outcome, apply

        outcomes = [
            Outcome.from_session(s.status, _worst(s.pain, s.pain_next_day),
                                 (i.exercise_id for i in s.items if i.status == "skipped"))
            for s in store.sessions_for_saved(saved)
        ]
    goal, level = request.goal, request.level
    return apply(routine, outcomes, catalogue.by_id, lambda ex: prescribe(ex, goal, level)), catalogue


def _worst(during: int | None, next_day: int | None) -> int | None:
    """The pain a session counts for: the worse of during and the day after."""
    given = [p for p in (during, next_day) if p is not None]
    return max(given) if given else None


def record(
    routine: Routine,
    saved: Optional[str],
    status: str,
    started_at: datetime,
    *,
    pain: Optional[int] = None,
    note: Optional[str] = None,
    done: Optional[dict[int, tuple[str, int]]] = None,
) -> int:
    """Write one session to the history; `done` maps item index -> (status, done seconds),
    else every item counts as done in full. Returns the session's id."""
    from hiprot.store import SessionItem, SessionRecord
    from hiprot.timeline import item_seconds

    items = []
    for index, item in enumerate(routine.items):
        planned = item_seconds(item)
        item_status, seconds = (done or {}).get(index, ("done", planned))
        p = item.dosage
        items.append(SessionItem(index, item.exercise.id, item.exercise.name, item_status, planned, seconds,
                                 p.sets, p.reps, p.hold_s, p.per_side))  # fmt: skip
    session = SessionRecord(
        id=None, started_at=started_at, goal=routine.goal.value, saved_name=saved, status=status,
        planned_seconds=sum(i.planned_seconds for i in items), done_seconds=sum(i.done_seconds for i in items),
        pain=pain, pain_next_day=None, note=note, request=routine.request.to_dict(), items=tuple(items),
    )  # fmt: skip
    with open_store() as store:
        return store.add_session(session)
