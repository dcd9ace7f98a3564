"""Filling the time: a stiff hip's extra set stays inside the catalogue's range, and a
round that misses by a little is fitted by shortening doses toward the short end."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError
from hiprot.models import Dose, Goal, Item, Level, Request, Routine, Side
from hiprot.planner import FULL_SHARE, MAX_ROUNDS, build_routine, dose_for, smallest_dose
from hiprot.progression import PastSession, apply
from hiprot.timeline import circuit_seconds, dose_seconds, moves, total_seconds
from tests.strategies import requests

SLOW = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _stiff_requests() -> st.SearchStrategy[Request]:
    return st.tuples(requests(), st.frozensets(st.sampled_from(Side), min_size=1)).map(
        lambda pair: pair[0]._replace(stiff=pair[1])
    )


def _within_range(routine: Routine) -> None:
    for item in routine.items:
        dose, sets = item.dosage, item.exercise.dosage.sets
        most = dose.sets + (1 if dose.extra is not None else 0)
        assert most <= max(sets.high, 1), (item.exercise.id, dose, sets)


@SLOW
@given(request=_stiff_requests())
def test_a_stiff_hips_extra_set_never_goes_past_the_set_range(bundled: Catalogue, request: Request) -> None:
    try:
        routine = build_routine(bundled, request)
    except NoFitError:
        return
    _within_range(routine)


def test_the_extra_set_of_a_filled_strength_routine_stays_at_the_top_of_the_range(bundled: Catalogue) -> None:
    # Advanced strength for an hour grows every dose to the top of its range: the stiff
    # side reaches the top, the other side stops one set short of it.
    routine = build_routine(bundled, Request(goal=Goal.RECOVERY, level=Level.ADVANCED, minutes=60,
                                             stiff=frozenset({Side.RIGHT})))  # fmt: skip
    extras = [i for i in routine.items if i.dosage.extra is Side.RIGHT]
    assert extras
    assert any(i.dosage.sets + 1 == i.exercise.dosage.sets.high for i in extras)
    _within_range(routine)


@SLOW
@given(request=_stiff_requests(), good=st.integers(1, 30))
def test_progression_keeps_the_extra_set_inside_the_range(bundled: Catalogue, request: Request, good: int) -> None:
    try:
        routine = build_routine(bundled, request, fill=False)
    except NoFitError:
        return
    history = [PastSession.from_session("completed", 1, (), None) for _ in range(good)]
    _within_range(apply(routine, history, bundled.by_id))


def test_a_warmup_shortens_its_reps_to_fit_one_more_round(bundled: Catalogue) -> None:
    # Intermediate reps at the level's dose make two rounds 20 minutes and a bit: the
    # reps step toward the short end of their ranges so the second round fits.
    request = Request(goal=Goal.WARMUP, level=Level.INTERMEDIATE, minutes=20)
    routine = build_routine(bundled, request)
    assert routine.rounds == 2
    assert any(i.dosage.reps is not None and i.dosage.reps < (dose_for(i.exercise, request).reps or 0)
               for i in routine.items)  # fmt: skip
    assert FULL_SHARE * request.budget_seconds <= total_seconds(routine) <= request.budget_seconds
    for item in routine.items:
        level = dose_for(item.exercise, request)
        least = smallest_dose(item.exercise, item.dosage)
        assert least.sets == item.dosage.sets == 1  # a warm-up stays at one set
        if item.dosage.reps is not None:
            assert least.reps is not None and level.reps is not None
            assert least.reps <= item.dosage.reps <= level.reps


def _top(item: Item, request: Request) -> Dose:
    """The most a legal dose can be: the level's for a warm-up (it stays light), else the
    top of every range (a stiff hip's extra set counted)."""
    if request.goal is Goal.WARMUP:
        return dose_for(item.exercise, request)
    d, p = item.exercise.dosage, item.dosage
    return p._replace(
        sets=max(d.sets.high - (1 if p.extra is not None else 0), 1),
        reps=d.reps.high if d.reps is not None else None,
        hold_s=d.hold_s.high if d.hold_s is not None else None,
        rest_s=p.rest_s or 30,
    )


@SLOW
@given(request=requests(minutes=60))
def test_the_fill_reaches_the_full_share_whenever_legal_doses_and_rounds_surely_do(
    bundled: Catalogue, request: Request
) -> None:
    """The honest bound: with the routine's exercises, some round count fits at the short
    end of every dose, and its top doses reach the full share with a notch to spare (the
    fill grows a notch at a time, so it can stop one notch short of the budget)."""
    try:
        routine = build_routine(bundled, request)
    except NoFitError:
        return
    budget, goal = request.budget_seconds, request.goal
    used = total_seconds(routine)
    assert used <= budget
    least = sum(dose_seconds(smallest_dose(i.exercise, i.dosage), i.exercise) for i in routine.items)
    most = sum(dose_seconds(_top(i, request), i.exercise) for i in routine.items)
    # the largest single step of the fill: one set of the longest item at its top dose
    notch = max(dose_seconds(_top(i, request)._replace(sets=1, rest_s=0), i.exercise) + _top(i, request).rest_s
                for i in routine.items)  # fmt: skip
    between = moves(routine.items, request)
    for rounds in range(1, MAX_ROUNDS + 1):
        fits = circuit_seconds(least, rounds, goal, between) <= budget
        reach = min(circuit_seconds(most, rounds, goal, between), budget - rounds * notch)
        if fits and reach >= FULL_SHARE * budget:
            assert used >= FULL_SHARE * budget, (routine.rounds, rounds, used, budget)
            return
