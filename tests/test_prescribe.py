"""The prescription's builder (hiprot.practice.prescribe), on the core: items, sides and why,
phases computed once, and a plan's week computed for its next session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hiprot.catalogue import Catalogue
from hiprot.models import Approach, Goal, Hip, HipCondition, Level, Precaution, Profile, Request, Side, SideReason
from hiprot.planner import build_routine
from hiprot.practice.prescribe import from_routine, plan_state, prescribe
from hiprot.profile import apply
from hiprot.safety import person_cautions
from hiprot.timeline import timeline, total_seconds

MONDAY = date(2026, 11, 30)
PERSON = Profile(left=Hip(HipCondition.HIP_REPLACEMENT, Approach.POSTERIOR, MONDAY - timedelta(weeks=6)),
                 right=Hip(HipCondition.STIFF))  # fmt: skip


def test_items_say_their_sides_and_why(bundled: Catalogue) -> None:
    request = apply(Request(Goal.WARMUP), PERSON, MONDAY)
    routine = build_routine(bundled, request)
    p = from_routine(routine, MONDAY, PERSON)
    assert p.total_seconds == total_seconds(routine) == sum(ph.seconds for ph in p.phases)
    assert list(p.phases) == timeline(routine)
    one_side = [i for i in p.items if i.sides == (Side.RIGHT,)]
    assert one_side, "a posterior replacement on the left leaves right-only work in a warm-up"
    for item in one_side:
        assert SideReason("protected", Side.LEFT, Precaution.HIP_REPLACEMENT) in item.why
    if routine.rounds == 1:
        assert sum(i.seconds for i in p.items) == p.total_seconds
    for item, planned in zip(p.items, routine.items, strict=True):
        assert item.seconds == sum(ph.seconds for ph in item.phases)
        assert item.extra_set == (Side.RIGHT if SideReason("stiff", Side.RIGHT) in item.why else None)
        assert item.cautions == person_cautions(planned.exercise, PERSON, MONDAY)  # worded for this person
        assert all(ph.round == 1 for ph in item.phases)


def test_a_side_asked_for_is_said_as_chosen(bundled: Catalogue) -> None:
    routine = build_routine(bundled, Request(Goal.WARMUP, side=Side.LEFT))
    p = from_routine(routine, MONDAY, None)
    per_side = [i for i in p.items if i.sides is not None]
    assert per_side and all(i.why == (SideReason("chosen", Side.LEFT),) for i in per_side)


def test_rounds_keep_their_rest_out_of_the_items(bundled: Catalogue) -> None:
    routine = build_routine(bundled, Request(Goal.WARMUP, level=Level.BEGINNER, minutes=20))
    p = from_routine(routine, MONDAY, None)
    assert routine.rounds > 1
    assert p.total_seconds == sum(i.seconds for i in p.items) * routine.rounds + sum(
        ph.seconds for ph in p.phases if ph.kind == "rest" and ph.set is None)  # fmt: skip


def _plan(goal: Goal, start: date, days: tuple[int, ...] = (0, 2, 4)) -> None:
    from hiprot.practice import open_store

    made = datetime.combine(start, time(7))
    with open_store() as store:
        store.save_routine("plan", Request(goal).to_dict(), made)
        store.add_plan(start, 6, days, "plan", goal.value, made)


def _log(day: date, pain: int) -> None:
    from hiprot.practice import record

    routine = plan_state(None, day, None).prescription.routine
    record(routine, "plan", "logged", datetime.combine(day, time(8)), pain=pain)


def test_on_sunday_the_plan_prescribes_mondays_session() -> None:
    """Week 1's three good sessions step the dose up from week 2: on the Sunday that ends
    week 1, the next session is Monday's, in week 2, at week 2's doses."""
    _plan(Goal.STRENGTH, MONDAY)
    for offset in (0, 2, 4):
        _log(MONDAY + timedelta(days=offset), pain=1)
    sunday = MONDAY + timedelta(days=6)
    state = plan_state(None, sunday, None)
    p = state.prescription
    assert p.plan is not None and (p.plan.week, p.plan.due, p.plan.status) == (2, MONDAY + timedelta(weeks=1),
                                                                               "planned")  # fmt: skip
    assert p.day == MONDAY + timedelta(weeks=1)
    week1, week2 = state.doses[0], state.doses[1]
    assert sorted(i.dosage for i in week1.items) != sorted(i.dosage for i in week2.items)
    assert sorted(i.dose for i in p.items) == sorted(i.dosage for i in week2.items)
    assert (p.plan.done, p.plan.due_so_far) == (3, 3)
    # Every later session of week 2 lasts what the prescription lasts.
    assert {s.seconds for s in state.sessions if s.week == 2} == {p.total_seconds}


def test_pain_steps_the_rest_of_the_week_down_and_the_calendar_follows() -> None:
    _plan(Goal.STRENGTH, MONDAY)
    for offset in (0, 2, 4):
        _log(MONDAY + timedelta(days=offset), pain=1)
    before = plan_state(None, MONDAY + timedelta(days=6), None).prescription
    _log(MONDAY + timedelta(weeks=1), pain=7)
    state = plan_state(None, MONDAY + timedelta(weeks=1, days=1), None)
    after = state.prescription
    assert after.total_seconds < before.total_seconds
    rest_of_week = [s for s in state.sessions if s.week == 2 and s.status != "done"]
    assert rest_of_week and {s.seconds for s in rest_of_week} == {after.total_seconds}


def test_a_saved_routine_the_plan_follows_gets_the_plans_doses(bundled: Catalogue) -> None:
    """`routine --saved plan` used to replay progression without the plan's limits."""
    _plan(Goal.STRENGTH, MONDAY)
    for offset in (0, 2, 4, 7, 9, 11):
        _log(MONDAY + timedelta(days=offset), pain=1)
    day = MONDAY + timedelta(days=13)
    saved, _ = prescribe(None, None, "plan", profile=None, today=day)
    planned = plan_state(None, day, None).prescription
    assert [(i.exercise.id, i.dose) for i in saved.items] == [(i.exercise.id, i.dose) for i in planned.items]
    assert saved.plan == planned.plan
    free, _ = prescribe(None, None, "plan", adapt=False, profile=None, today=day)
    assert free.plan is None


def test_no_plan_no_context(bundled: Catalogue) -> None:
    p, _ = prescribe(None, Request(Goal.RECOVERY), None, profile=None, today=MONDAY)
    assert p.plan is None and p.saved is None and p.day == MONDAY
    assert p.minutes == max(1, round(p.total_seconds / 60))
