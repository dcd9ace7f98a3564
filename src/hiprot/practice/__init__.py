"""The use cases: what a person does with hiprot, each one function the CLI calls. The
only door to the history database (`open_store`); no wording, no Typer.

Here: a routine rebuilt from a request or a saved name (with progression replayed over
its history), a plan's state on a day, recording a session (with its stored status and
the duplicate guard), pain advice. Beside it: `history` (the history view, next-day
pain, undo), `saved`, `measure`, `backup`, `plans` (plan new in one transaction, end,
the plan's routine) and `report` (the report's records).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from hiprot.errors import UnreadableSavedRoutine
from hiprot.models import Profile, Request

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Phase, Plan, Routine
    from hiprot.store import Store


def open_store() -> Store:
    """The history database in the user data folder (created on first use)."""
    from hiprot.paths import database_path
    from hiprot.store import Store

    return Store.open(database_path())


def saved_request(store: Store, name: str) -> Request:
    """The request saved under `name`, as the planner takes it."""
    saved = store.saved_routine(name)
    try:
        return Request.from_dict(saved.request)
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableSavedRoutine(saved.name, str(exc)) from None


def load_profile() -> Profile | None:
    """The profile in the user config folder, or None when there is none."""
    from hiprot.paths import profile_path
    from hiprot.profile import load

    return load(profile_path())


def build(
    catalog: Path | None,
    request: Request | None,
    saved: str | None,
    adapt: bool = True,
    *,
    profile: Profile | None,
    today: date,
) -> tuple[Routine, Catalogue]:
    """The routine asked for: built from `request`, or from the request saved as `saved`
    with that routine's history replayed over it (unless `adapt` is off). The profile's
    precautions, stiff hips and equipment apply to either (`today` decides which hip
    precautions are still in force). `profile` has no default: every caller says which
    profile applies (None only when there is none, or it was set aside on purpose)."""
    from hiprot.catalogue import load_catalogue

    catalogue = load_catalogue(catalog)
    day = today
    if saved is None:
        if request is None:
            raise ValueError("build() needs a request or a saved name")
        return _profiled(catalogue, request, profile, day), catalogue
    with open_store() as store:
        request = saved_request(store, saved)
        routine = _profiled(catalogue, request, profile, day, fill=False)
        if not adapt:
            return routine, catalogue
        from hiprot.progression import PastSession, apply

        history = [
            PastSession.from_session(
                s.status, s.pain, (i.exercise_id for i in s.items if i.status == "skipped"), s.pain_next_day
            )
            for s in store.sessions_for_saved(saved)
        ]
    return with_cautions(apply(routine, history, catalogue.by_id), profile, day), catalogue


def with_cautions(routine: Routine, profile: Profile | None, today: date) -> Routine:
    """The routine with each item's cautions chosen for this person (safety.py)."""
    from types import MappingProxyType

    from hiprot.safety import for_person

    chosen = {item.exercise.id: for_person(item.exercise, profile, today) for item in routine.items}
    return routine._replace(cautions=MappingProxyType(chosen))


def _profiled(
    catalogue: Catalogue, request: Request, profile: Profile | None, today: date, *, fill: bool = True
) -> Routine:
    """The planner's routine for the request as the profile makes it, with what the
    profile meant in words. A saved routine is not filled (`fill`): its doses start at
    the level's and progression steps them up into the time asked."""
    from hiprot.planner import build_routine
    from hiprot.profile import apply
    from hiprot.text import profile_notes

    routine = with_cautions(build_routine(catalogue, apply(request, profile, today), fill=fill), profile, today)
    if profile is None or profile.empty:
        return routine
    return routine._replace(profile=profile, profile_notes=tuple(profile_notes(routine, profile, today)))


class Recorded(NamedTuple):
    """A session just written to the history: its id and the status it was stored with
    (`abandoned` when it was stopped too early to count)."""

    id: int
    status: str


def record(
    routine: Routine,
    saved: str | None,
    status: str,
    started_at: datetime,
    *,
    pain: int | None = None,
    note: str | None = None,
    done: Mapping[int, tuple[str, int]] | None = None,
    phases: Sequence[Phase] | None = None,
) -> Recorded:
    """Write one session to the history in one transaction; its id and stored status.

    `done` maps an item's index to (status, seconds done); an item not in it counts as
    done in full. `phases` is the routine's timeline when the caller has it."""
    from hiprot.models import SessionItem, SessionRecord
    from hiprot.timeline import timeline

    # An item's planned time is its phases in every round, as the guided session counts it
    # (a rest between rounds belongs to the item that ends the round).
    planned_by_item = [0] * len(routine.items)
    for phase in phases if phases is not None else timeline(routine):
        planned_by_item[phase.item] += phase.seconds
    items = []
    for index, item in enumerate(routine.items):
        planned = planned_by_item[index]
        item_status, seconds = (done or {}).get(index, ("done", planned))
        p = item.dosage
        items.append(SessionItem(index, item.exercise.id, item.exercise.name, item_status, planned, seconds,
                                 p.sets, p.reps, p.hold_s, p.per_side))  # fmt: skip
    from hiprot.programme import is_abandoned

    planned, done_seconds = sum(i.planned_seconds for i in items), sum(i.done_seconds for i in items)
    if is_abandoned(status, planned, done_seconds, pain):
        status = "abandoned"  # kept, shown, never counted
    session = SessionRecord(
        id=None, started_at=started_at, goal=routine.goal.value, saved_name=saved, status=status,
        planned_seconds=planned, done_seconds=done_seconds,
        pain=pain, pain_next_day=None, note=note, request=routine.request.to_dict(), items=tuple(items),
    )  # fmt: skip
    with open_store() as store:
        return Recorded(store.add_session(session), status)


def pain_before(session_id: int) -> int | None:
    """The pain the session logged before `session_id` counts for (during or next day)."""
    from hiprot.progression import counted_pain

    with open_store() as store:
        earlier = [s for s in store.sessions(limit=8, full=False) if s.id is not None and s.id < session_id]
    return counted_pain(earlier[0].pain, earlier[0].pain_next_day) if earlier else None


def advice(pain: int | None, session_id: int, *, sharp: bool = False) -> list[str]:
    """The advice for a recorded session's pain (nothing below the stop threshold), with
    the pain logged before it taken into account when this one is high too."""
    from hiprot.limits import STOP_PAIN_MIN
    from hiprot.progression import pain_advice

    worrying = sharp or (pain is not None and pain >= STOP_PAIN_MIN)
    return pain_advice(pain, sharp=sharp, previous=pain_before(session_id) if worrying else None)


def refuse_duplicate(routine: Routine, saved: str | None, started_at: datetime) -> None:
    """DuplicateSessionError if the same routine (same saved name, or the same request)
    was recorded within ten minutes of `started_at`: most likely the same session twice."""
    from hiprot.errors import DuplicateSessionError
    from hiprot.programme import DUPLICATE_WINDOW

    request = routine.request.to_dict()
    with open_store() as store:
        near = store.sessions_near(started_at, DUPLICATE_WINDOW)
    for other in near:
        same = (
            other.saved_name.casefold() == saved.casefold()
            if saved is not None and other.saved_name is not None
            else other.saved_name is None and saved is None and other.request == request
        )
        if same and other.id is not None:
            theirs, ours = other.started_at, started_at
            if (theirs.tzinfo is None) != (ours.tzinfo is None):  # compare as wall-clock times
                theirs, ours = theirs.replace(tzinfo=None), ours.replace(tzinfo=None)
            raise DuplicateSessionError(other.id, int(abs((theirs - ours).total_seconds()) // 60))


# --- plans ------------------------------------------------------------------------------------


def active_plan() -> Plan | None:
    with open_store() as store:
        return store.active_plan()
