"""The prescription: what this person does on a date, built once from the profile, the
request (goal options, a saved routine or a plan) and the date. Every view renders it;
none recomputes a dose, a side, a caution or a length (see `models.Prescription`).

A plan's week is computed here and nowhere else: the prescription of a plan is for its
next session (today's when it is due, else the next one planned), with that session's
week and the progression of every session logged before it. No wording, no Typer.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from hiprot.models import PlanContext, Prescribed, Prescription, Profile, Request, Routine, SideReason

if TYPE_CHECKING:
    from hiprot.catalogue import Catalogue
    from hiprot.models import Item, Phase, Plan, SessionRecord
    from hiprot.programme import PlannedSession, WeekDose
    from hiprot.progression import PastSession

WORK = ("reps", "hold")  # the phases that are the work itself


def from_routine(
    routine: Routine, day: date, profile: Profile | None, *, saved: str | None = None, plan: PlanContext | None = None
) -> Prescription:
    """The prescription of a routine already built with the date's doses: the timeline
    is computed here, once, and every item says its sides and why, its changes and cautions."""
    from hiprot.safety import person_cautions
    from hiprot.timeline import timeline

    phases = tuple(timeline(routine))
    own: list[list[Phase]] = [[] for _ in routine.items]
    # An item's phases in the first round: the round ends with its last set of work; what
    # follows before round 2 (the rest between rounds) belongs to the circuit.
    end = max((n for n, p in enumerate(phases) if p.round == 1 and p.kind in WORK), default=-1)
    for phase in phases[: end + 1]:
        own[phase.item].append(phase)
    items = tuple(
        Prescribed(
            exercise=item.exercise,
            dose=item.dosage,
            sides=item.dosage.worked_sides,
            why=side_reasons(item, routine.request),
            changes=tuple(n for n in routine.notes if n.startswith(item.exercise.name + " ")),
            cautions=person_cautions(item.exercise, profile, day),
            phases=tuple(own[index]),
            seconds=sum(p.seconds for p in own[index]),
            substituted_for=item.substituted_for,
        )
        for index, item in enumerate(routine.items)
    )
    return Prescription(
        day=day, routine=routine, items=items, phases=phases, total_seconds=sum(p.seconds for p in phases),
        notes=routine.notes, profile_notes=routine.profile_notes, plan=plan, saved=saved,
        sources=tuple(routine.cited()),
    )  # fmt: skip


def side_reasons(item: Item, request: Request) -> tuple[SideReason, ...]:
    """Why the item is worked on the sides it is: a protected hip, a side asked for, a stiff hip."""
    dose, ex = item.dosage, item.exercise
    found: list[SideReason] = []
    if dose.per_side and dose.only is not None:
        found += [SideReason("protected", side, precaution)
                  for side, precaution in sorted(request.protect, key=lambda sp: (sp[0].value, sp[1].value))
                  if side is not dose.only and precaution in ex.precautions]  # fmt: skip
        if request.side is dose.only:
            found.append(SideReason("chosen", dose.only))
    if dose.extra is not None and dose.worked_sides is not None and dose.extra in dose.worked_sides:
        found.append(SideReason("stiff", dose.extra))
    return tuple(found)


def prescribe(
    catalog: Path | None,
    request: Request | None,
    saved: str | None,
    adapt: bool = True,
    *,
    profile: Profile | None,
    today: date,
) -> tuple[Prescription, Catalogue]:
    """The prescription for a request or a saved routine on `today`. A saved routine that
    the running plan follows is the plan's prescription (its week's doses, within the
    plan's limits), so `routine --saved` and the plan never disagree."""
    from hiprot.practice import active_plan, build

    if saved is not None and adapt:
        plan = active_plan()
        if plan is not None and plan.saved_name.casefold() == saved.casefold():
            state = plan_state(catalog, today, profile)
            return state.prescription, state.catalogue
    routine, catalogue = build(catalog, request, saved, adapt, profile=profile, today=today)
    return from_routine(routine, today, profile, saved=saved), catalogue


# --- plans ------------------------------------------------------------------------------------


class PlanState(NamedTuple):
    """An active plan on a given day: its dated sessions (each with its length), every
    week's dose, the week of the next session, and that session's prescription."""

    plan: Plan
    day: date
    sessions: list[PlannedSession]
    doses: list[WeekDose]
    week: int
    routine: Routine
    days_done: list[date]
    prescription: Prescription
    catalogue: Catalogue


def plan_state(catalog: Path | None, day: date, profile: Profile | None) -> PlanState:
    """The active plan as it stands on `day` (NoPlanError if none is active).

    The prescription is for the next session: today's if it is due, else the next one
    planned (on a Sunday after the week's last session, next week's). Each week's dose is
    the saved routine's progression replayed over the sessions before that week, limited
    to 10% more work than the week before, and no more at all in the plan's last week (see
    `hiprot.programme`). Within the next session's week, a step down (pain) applies at
    once; a step up waits for the next week."""
    from hiprot.errors import NoPlanError
    from hiprot.planner import request_order
    from hiprot.practice import build, open_store, with_cautions
    from hiprot.programme import (
        CONSOLIDATE_REASON,
        GROWTH_REASON,
        WEEK_STEP_REASON,
        WEEKLY_GROWTH,
        adherence,
        dated_sessions,
        hold_steps_up,
        limit_growth,
        next_session,
        project,
        week_of,
    )
    from hiprot.progression import apply

    with open_store() as store:
        plan = store.active_plan()
        if plan is None:
            raise NoPlanError
        history = store.sessions_for_saved(plan.saved_name)
        records = store.sessions(since=plan.start, full=False)
        days_done = store.session_days()
    base, catalogue = build(catalog, None, plan.saved_name, adapt=False, profile=profile, today=day)
    upcoming = next_session(dated_sessions(plan, records, day), day)
    target = upcoming.day if upcoming is not None else day  # the day the doses are for
    current = min(max(week_of(plan, target), 1), plan.weeks)
    known: dict[int, tuple[Item, ...]] = {}
    notes: dict[int, tuple[str, ...]] = {}
    adapted: Routine = base
    for week in range(1, current + 1):
        first = plan.start + timedelta(weeks=week - 1)
        adapted = apply(base, [_past(s) for s in history if s.day < first], catalogue.by_id)
        items = adapted.items
        held: tuple[str, ...] = ()
        said: tuple[str, ...] = ()
        if week == current and target >= first:
            # Within the week, pain steps a dose down at once; steps up wait for next week.
            now = apply(base, [_past(s) for s in history if s.day <= target], catalogue.by_id)
            waited = hold_steps_up(adapted.items, now.items, WEEK_STEP_REASON)
            adapted, items, held, said = now, waited.items, waited.held, waited.notes
        if week > 1:
            last_week = week == plan.weeks
            growth, reason = (0.0, CONSOLIDATE_REASON) if last_week else (WEEKLY_GROWTH, GROWTH_REASON)
            limited = limit_growth(known[week - 1], items, growth, reason)
            items, held, said = limited.items, held + limited.held, said + limited.notes
        known[week] = items
        notes[week] = tuple(n for n in said if WEEK_STEP_REASON not in n)
        if week == current:
            # A step held back is not a change the person makes: its progression note goes.
            names = {catalogue.by_id[i].name for i in held if i in catalogue.by_id}
            kept = tuple(n for n in adapted.notes if not any(n.startswith(name + " ") for name in names))
            adapted = adapted._replace(items=request_order(items, base.request), notes=kept + said)
    adapted = with_cautions(adapted, profile, day)
    doses = project(plan, known, catalogue.by_id, notes, base.request)
    seconds = {dose.week: dose.total_seconds for dose in doses}
    from hiprot.timeline import total_seconds

    seconds[current] = total_seconds(adapted)
    sessions = dated_sessions(plan, records, day, seconds)
    upcoming = next_session(sessions, day)
    done = adherence(sessions)
    context = PlanContext(
        saved_name=plan.saved_name, goal=plan.goal, start=plan.start, weeks=plan.weeks, days=plan.days,
        week=current, due=upcoming.day if upcoming else None, status=upcoming.status if upcoming else None,
        done=done.done, due_so_far=done.due_so_far,
    )  # fmt: skip
    prescription = from_routine(adapted, target, profile, saved=plan.saved_name, plan=context)
    return PlanState(plan, day, sessions, doses, current, adapted, days_done, prescription, catalogue)


def _past(s: SessionRecord) -> PastSession:
    from hiprot.progression import PastSession

    skipped = (i.exercise_id for i in s.items if i.status == "skipped")
    return PastSession.from_session(s.status, s.pain, skipped, s.pain_next_day)
