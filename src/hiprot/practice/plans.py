"""Plans: start one (in one transaction), end it, and the routine it asks for on a day.
The plan's state week by week (`plan_state`) lives in `hiprot.practice.prescribe`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from hiprot.models import Plan, Prescription, Profile, Request, Routine


class NewPlan(NamedTuple):
    """A plan just started, the routine it follows (as built today) and its saved name."""

    plan: Plan
    routine: Routine
    saved_name: str


def new_plan(
    routine: Routine,
    request: Request | None,
    saved: str | None,
    *,
    start: date,
    weeks: int,
    days: Sequence[int],
    name: str,
    now: datetime,
    replace: bool = False,
) -> NewPlan:
    """Start a plan of `routine` (built by the caller from `request` or the saved routine
    `saved`, so a routine that cannot build is refused before anything is stored). It
    follows the routine saved as `saved`, or `request` saved under `name`. Saving the
    routine, ending a running plan (only with `replace`, else PlanExists) and adding the
    plan are ONE transaction: a refusal or a crash at any step writes nothing. `replace`
    also lets `request` replace a saved routine of the same name."""
    from hiprot.practice import open_store

    if request is None and saved is None:
        raise ValueError("new_plan() needs a request or a saved name")
    with open_store() as store:
        plan, kept = store.start_plan(
            start, weeks, days, saved if saved is not None else name, routine.goal.value, now,
            request=request.to_dict() if saved is None and request is not None else None,
            replace_routine=replace, replace_plan=replace,
        )  # fmt: skip
    return NewPlan(plan, routine, kept.name)


def end_plan(now: datetime) -> Plan | None:
    """End the running plan (its sessions stay); the plan ended, or None if none ran."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.end_plan(now)


def plan_prescription(catalog: Path | None, day: date, profile: Profile | None) -> tuple[Prescription, str] | None:
    """The plan's next session as it stands on `day` and its saved name; None when no plan runs."""
    from hiprot.practice import active_plan
    from hiprot.practice.prescribe import plan_state

    if active_plan() is None:
        return None
    state = plan_state(catalog, day, profile)
    return state.prescription, state.plan.saved_name
