"""Prescription files in and out (the use cases behind export and import).

Export turns saved routines (and the running plan) into a `rxfile.PrescriptionFile`;
import reads one, checks every routine against the catalogue and the person's profile by
building it exactly as `routine --saved` will, says what the profile changes, and saves
the routines (and starts the plan) in one transaction, or writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from hiprot.errors import HiprotError, PrescriptionFileError
from hiprot.models import Goal, Pick, Request
from hiprot.rxfile import PrescriptionFile, WrittenExercise, WrittenRoutine

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Plan, Profile, Routine, SavedRoutine

# Request fields a prescription file carries, in its own words (the rest are defaults).
_CARRIED = ("goal", "level", "minutes", "positions", "equipment", "muscles", "avoid", "side", "seed", "count",
            "keep", "drop", "swap", "order")  # fmt: skip


# --- out --------------------------------------------------------------------------------


def written(name: str, request: Request, catalogue: Catalogue, days: tuple[int, ...] | None = None) -> WrittenRoutine:
    """A saved request as a prescription's routine: its options, and its picks as
    exercises named by their catalogue ids."""
    data = request.to_dict()
    options: dict[str, Any] = {}
    for key in _CARRIED:
        value = data.get(key)
        if value in (None, [], False):
            continue
        if key == "level" and value == "beginner" and request.picks:
            continue
        options[key] = value
    if request.picks and data.get("goal") == Goal.STRENGTH.value:
        options.pop("goal")  # the default for written exercises: the file need not say it
    exercises = tuple(_exercise(p, catalogue) for p in request.picks)
    return WrittenRoutine(name, options, exercises, days)


def _exercise(pick: Pick, catalogue: Catalogue) -> WrittenExercise:
    return WrittenExercise(catalogue.find(pick.name).id, pick.sets, pick.reps, pick.hold_s, pick.side)


def export(
    saved: Sequence[SavedRoutine],
    catalogue: Catalogue,
    *,
    plan: Plan | None = None,
    title: str | None = None,
    clinician: str | None = None,
    contact: str | None = None,
    notes: str | None = None,
    written_on: date | None = None,
) -> PrescriptionFile:
    """The prescription that holds these saved routines (with the plan's days and weeks
    when `plan` follows one of them)."""
    from hiprot.errors import UnreadableSavedRoutine

    routines = []
    for entry in saved:
        try:
            request = Request.from_dict(entry.request)
        except (ValueError, KeyError, TypeError) as exc:
            raise UnreadableSavedRoutine(entry.name, str(exc)) from None
        days = plan.days if plan is not None and plan.saved_name.casefold() == entry.name.casefold() else None
        routines.append(written(entry.name, request, catalogue, days))
    return PrescriptionFile(
        tuple(routines), plan.weeks if plan else None, plan.start if plan else None,
        title, clinician, contact, notes, written_on,
    )  # fmt: skip


# --- in ---------------------------------------------------------------------------------


class Imported(NamedTuple):
    """One routine of a prescription as it will be saved: its name, its request, the
    routine it builds today for this person, and what the profile changed, in words."""

    name: str
    request: Request
    routine: Routine
    changes: tuple[str, ...]
    days: tuple[int, ...] | None


def request_of(routine: WrittenRoutine) -> Request:
    """The saved request a prescription's routine stands for (ValueError if it cannot be one)."""
    data = {key: value for key, value in routine.options.items()}
    if routine.exercises:
        data["picks"] = [Pick(e.id, e.sets, e.reps, e.hold_s, False, e.side).text() for e in routine.exercises]
        data.setdefault("goal", Goal.STRENGTH.value)
    return Request.from_dict(data)


def check(
    rx: PrescriptionFile, path: Path, text: str, catalogue: Catalogue, profile: Profile | None, today: date,
    rename: str | None = None,
) -> list[Imported]:  # fmt: skip
    """Every routine of the prescription built for this person today: the catalogue
    must know every exercise and the profile must allow it (else a PrescriptionFileError
    naming the line and the reason). Nothing is saved here."""
    from hiprot.planner import build_routine
    from hiprot.profile import apply
    from hiprot.rxfile import line_of

    if rename is not None and len(rx.routines) != 1:
        raise PrescriptionFileError(path, 0, f"it holds {len(rx.routines)} routines; a new name is for one")
    out = []
    for n, routine in enumerate(rx.routines):
        name = rename or routine.name
        for k, exercise in enumerate(routine.exercises):
            try:
                catalogue.find(exercise.id)
            except HiprotError as exc:
                raise PrescriptionFileError(path, line_of(text, n, k, "id"), f"routine '{name}': {exc}") from None
        try:
            request = request_of(routine)
        except (ValueError, KeyError, TypeError) as exc:
            raise PrescriptionFileError(path, line_of(text, n), f"routine '{name}': {exc}") from None
        try:
            plain = build_routine(catalogue, request, fill=False)
            built = build_routine(catalogue, apply(request, profile, today), fill=False)
        except HiprotError as exc:
            culprit = _culprit(routine, request, catalogue, profile, today)
            line = line_of(text, n, culprit, None if culprit is None else "id")
            raise PrescriptionFileError(path, line, f"routine '{name}': {_why(exc)}") from None
        out.append(Imported(name, request, built, tuple(_changes(plain, built, profile, today)), routine.days))
    return out


def _culprit(routine: WrittenRoutine, request: Request, catalogue: Catalogue, profile: Profile | None,
             today: date) -> int | None:  # fmt: skip
    """The first written exercise that cannot be had on its own (to name its line), if any."""
    from hiprot.planner import build_routine
    from hiprot.profile import apply

    for k, pick in enumerate(request.picks):
        try:
            build_routine(catalogue, apply(request._replace(picks=(pick,), minutes=None), profile, today), fill=False)
        except HiprotError:
            return k
    return None


def _why(exc: HiprotError) -> str:
    return str(exc).rstrip(".")


def _changes(plain: Routine, built: Routine, profile: Profile | None, today: date) -> list[str]:
    """What the person's profile does to the routine, exercise by exercise."""
    if profile is None or profile.empty:
        return []
    out = []
    before = {item.exercise.id: item for item in plain.items}
    after = {item.exercise.id: item for item in built.items}
    for ident, item in before.items():
        if ident not in after:
            out.append(f"{item.exercise.name} is left out for you")
    for ident, item in after.items():
        only = item.dosage.only
        if only is not None and (ident not in before or before[ident].dosage.only is None):
            out.append(f"{item.exercise.name} will be done on your {only.value} side only")
        if item.dosage.extra is not None and (ident not in before or before[ident].dosage.extra is None):
            out.append(f"{item.exercise.name} gets an extra set for your stiff {item.dosage.extra.value} hip")
        if ident not in before:
            out.append(f"{item.exercise.name} is done instead, to suit your profile")
    return out


def save(imported: Sequence[Imported], rx: PrescriptionFile, now: datetime, *, replace: bool, plan: bool,
         start: date | None) -> Plan | None:  # fmt: skip
    """Save every routine (and start the plan, with `plan`) in one transaction: all of it
    is saved, or none. Returns the plan started, if any."""
    from hiprot.practice import open_store

    plan_args = None
    if plan:
        if rx.weeks is None:
            raise PrescriptionFileError(Path("."), 0, "it holds no plan")
        if len(imported) != 1:
            raise HiprotError(f"This prescription's plan follows {len(imported)} routines; hiprot follows one "
                              "routine per plan for now. Import the routines without starting the plan, then "
                              "start a plan with one of them.")  # fmt: skip
        first = imported[0]
        assert first.days is not None
        plan_args = (start or rx.start or now.date(), rx.weeks, first.days, first.name, first.routine.goal.value)
    with open_store() as store:
        return store.import_routines([(i.name, i.request.to_dict()) for i in imported], now, replace=replace,
                                     plan=plan_args)  # fmt: skip


def read(path: Path) -> tuple[PrescriptionFile, str]:
    """The prescription in the file and its text (for the lines of later problems)."""
    from hiprot.rxfile import read_text

    return read_text(path)


def export_saved(
    names: Sequence[str], with_plan: bool, catalog: Path | None, today: date, **meta: str | None
) -> PrescriptionFile:
    """The prescription of these saved routines (every one when `names` is empty and no
    plan is asked for), with the running plan when `with_plan` (its routine included)."""
    from hiprot.catalogue import load_catalogue
    from hiprot.errors import NoPlanError
    from hiprot.practice import open_store

    with open_store() as store:
        plan = store.active_plan() if with_plan else None
        if with_plan and plan is None:
            raise NoPlanError
        wanted = list(names)
        if plan is not None and not any(n.casefold() == plan.saved_name.casefold() for n in wanted):
            wanted.insert(0, plan.saved_name)
        chosen = [store.saved_routine(n) for n in wanted] if wanted else store.saved_routines()
    if not chosen:
        raise HiprotError("There are no saved routines to export.")
    return export(chosen, load_catalogue(catalog), plan=plan, written_on=today, **meta)
