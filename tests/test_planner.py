"""The planner's rules, tested directly: unit tests for each rule, properties for invariants."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError
from hiprot.models import (
    EXTERNAL_ROTATORS,
    IR_MOVERS,
    Equipment,
    Goal,
    Kind,
    Level,
    Muscle,
    Position,
    Prescription,
    Routine,
)
from hiprot.models import Request
from hiprot.planner import FLOOR_TO_FEET, POSITION_ORDER, build_routine, eligible, prescribe
from hiprot.timeline import item_seconds, total_seconds


def ids(routine: Routine) -> list[str]:
    return [item.exercise.id for item in routine.items]


def build(catalogue: Catalogue, **kw) -> Routine:
    return build_routine(catalogue, Request(**kw))


# --- level substitution ----------------------------------------------------------------


def test_beginner_warmup_gets_the_lying_drill_in_place_of_the_standing_one(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP)
    assert "standing-hip-internal-rotation" not in ids(routine)
    [item] = [i for i in routine.items if i.exercise.id == "lying-hip-internal-rotation"]
    assert item.substituted_for.id == "standing-hip-internal-rotation"


def test_intermediate_warmup_keeps_the_standing_drill(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP, level=Level.INTERMEDIATE)
    assert "standing-hip-internal-rotation" in ids(routine)
    assert all(item.substituted_for is None for item in routine.items)


def test_substitute_need_not_list_the_goal_itself(mini) -> None:
    # lying-drill lists warmup and recovery, not strength; its harder version lists neither.
    routine = build(mini, goal=Goal.WARMUP, positions=frozenset({Position.LYING}), count=1)
    assert ids(routine) == ["lying-drill"] and routine.items[0].substituted_for.id == "standing-drill"


def test_substitute_must_fit_position_and_equipment_too(bundled) -> None:
    pool = eligible(bundled, Request(goal=Goal.WARMUP, positions=frozenset({Position.STANDING})))
    assert "lying-hip-internal-rotation" not in {c.exercise.id for c in pool}
    assert "standing-hip-internal-rotation" not in {c.exercise.id for c in pool}


# --- dosage ----------------------------------------------------------------------------


def test_dosage_follows_goal_and_level(bundled) -> None:
    clam = bundled.get("clamshell")
    assert prescribe(clam, Goal.STRENGTH, Level.BEGINNER) == Prescription(2, True, reps=20, rest_s=30)
    assert prescribe(clam, Goal.STRENGTH, Level.ADVANCED).sets == 3
    assert prescribe(clam, Goal.WARMUP, Level.ADVANCED).sets == 1
    rdl = bundled.get("single-leg-romanian-deadlift-with-reach")
    assert prescribe(rdl, Goal.STRENGTH, Level.ADVANCED) == Prescription(3, True, reps=10, rest_s=45)
    stretch = bundled.get("twisted-legs-stretch")
    assert prescribe(stretch, Goal.RECOVERY, Level.BEGINNER).hold_s == 60
    assert prescribe(stretch, Goal.WARMUP, Level.BEGINNER).hold_s == 30


def test_recovery_has_no_loaded_work_and_favours_holds(bundled) -> None:
    routine = build(bundled, goal=Goal.RECOVERY)
    kinds = [item.exercise.kind for item in routine.items]
    assert Kind.STRENGTH not in kinds
    assert sum(k in (Kind.STRETCH, Kind.RELEASE) for k in kinds) >= len(kinds) / 2


# --- coverage, budget, count -----------------------------------------------------------


@pytest.mark.parametrize("goal", list(Goal))
def test_unrequested_routine_spreads_across_ir_movers_and_external_rotators(bundled, goal) -> None:
    covered = set(build(bundled, goal=goal).muscles_covered)
    assert covered & IR_MOVERS and covered & EXTERNAL_ROTATORS
    assert len(covered) >= 4


def test_requested_muscles_are_primary_targets(bundled) -> None:
    routine = build(bundled, goal=Goal.RECOVERY, muscles=(Muscle.PIRIFORMIS, Muscle.TENSOR_FASCIAE_LATAE))
    assert {Muscle.PIRIFORMIS, Muscle.TENSOR_FASCIAE_LATAE} <= set(routine.muscles_covered)


def test_banded_glute_med_strength_for_a_beginner_in_ten_minutes(bundled) -> None:
    routine = build(
        bundled, goal=Goal.STRENGTH, equipment=frozenset({Equipment.LOOP_BAND}), muscles=(Muscle.GLUTEUS_MEDIUS,),
        minutes=10,
    )  # fmt: skip
    assert 0.7 * 600 <= total_seconds(routine) <= 600
    assert any(Equipment.LOOP_BAND in i.exercise.equipment for i in routine.items)
    assert all(i.exercise.level is Level.BEGINNER for i in routine.items)


@pytest.mark.parametrize("level", list(Level))
def test_long_strength_budget_is_mostly_used(bundled, level) -> None:
    routine = build(bundled, goal=Goal.STRENGTH, level=level, minutes=20)
    assert 0.7 * 1200 <= total_seconds(routine) <= 1200


def test_without_equipment_bodyweight_comes_first(bundled) -> None:
    warmup = build(bundled, goal=Goal.WARMUP)
    assert all(not i.exercise.equipment for i in warmup.items)
    # Bodyweight alone cannot fill 70% of a 20-minute beginner strength session: gear joins in.
    strength = build(bundled, goal=Goal.STRENGTH)
    assert any(i.exercise.equipment for i in strength.items)
    assert total_seconds(strength) >= 0.7 * 1200


def test_count_caps_the_routine(bundled) -> None:
    assert len(build(bundled, goal=Goal.STRENGTH, count=2).items) == 2


def test_at_least_three_exercises_or_a_clear_error(bundled) -> None:
    assert len(build(bundled, goal=Goal.WARMUP, minutes=4).items) >= 3
    with pytest.raises(NoFitError, match=r"too short .* Try --minutes \d+"):
        build(bundled, goal=Goal.RECOVERY, minutes=2)


# --- order -----------------------------------------------------------------------------


def test_warmup_goes_floor_to_feet_and_ends_standing(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP, level=Level.INTERMEDIATE)
    positions = [i.exercise.position for i in routine.items]
    assert positions[-1] is Position.STANDING
    assert positions == sorted(positions, key=FLOOR_TO_FEET.index)


def test_recovery_ends_lying(bundled) -> None:
    routine = build(bundled, goal=Goal.RECOVERY, level=Level.INTERMEDIATE)
    assert routine.items[-1].exercise.position in (Position.LYING, Position.SIDE_LYING)


def test_within_a_block_mobility_then_strength_then_holds(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP, positions=frozenset({Position.LYING}), count=4)
    kinds = [i.exercise.kind for i in routine.items]
    order = [Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE]
    assert kinds == sorted(kinds, key=order.index) and len(set(kinds)) > 1
    recovery = build(bundled, goal=Goal.RECOVERY, level=Level.INTERMEDIATE).items
    for a, b in zip(recovery, recovery[1:]):
        if (a.exercise.position, a.exercise.kind) == (b.exercise.position, b.exercise.kind):
            assert item_seconds(a) <= item_seconds(b)  # shorter holds first


# --- determinism and seeds -------------------------------------------------------------


def test_same_request_same_routine_and_seeds_vary_it(bundled) -> None:
    assert build(bundled, goal=Goal.STRENGTH) == build(bundled, goal=Goal.STRENGTH)
    assert build(bundled, goal=Goal.STRENGTH, seed=5) == build(bundled, goal=Goal.STRENGTH, seed=5)
    variants = {tuple(ids(build(bundled, goal=Goal.WARMUP, seed=s))) for s in range(12)}
    assert len(variants) > 1


# --- no fit ----------------------------------------------------------------------------


def test_empty_pool_names_the_filter(bundled) -> None:
    with pytest.raises(NoFitError, match="--position") as caught:
        build(bundled, goal=Goal.STRENGTH, positions=frozenset({Position.KNEELING}))
    assert "positions with strength work:" in str(caught.value)


def test_uncoverable_muscle_says_what_to_relax(bundled) -> None:
    with pytest.raises(NoFitError, match="--level") as caught:
        build(bundled, goal=Goal.STRENGTH, muscles=(Muscle.PIRIFORMIS,))
    assert "works piriformis" in str(caught.value)
    with pytest.raises(NoFitError, match="Goals that do: strength"):
        build(bundled, goal=Goal.RECOVERY, muscles=(Muscle.HAMSTRINGS,))


# --- properties ------------------------------------------------------------------------

requests = st.builds(
    Request,
    goal=st.sampled_from(Goal),
    level=st.sampled_from(Level),
    positions=st.none() | st.frozensets(st.sampled_from(Position), min_size=1),
    equipment=st.none() | st.frozensets(st.sampled_from(Equipment)),
    muscles=st.lists(st.sampled_from(Muscle), max_size=2, unique=True).map(tuple),
    minutes=st.none() | st.integers(1, 60),
    count=st.none() | st.integers(1, 8),
    seed=st.none() | st.integers(0, 2**32),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests)
def test_planner_invariants(bundled, request: Request) -> None:
    try:
        routine = build_routine(bundled, request)
    except NoFitError as exc:
        assert str(exc).strip()
        return
    items = routine.items
    assert items
    assert total_seconds(routine) <= request.budget_seconds
    assert total_seconds(routine) == sum(item_seconds(i) for i in items)
    assert len({i.exercise.id for i in items}) == len(items)
    if request.count is not None:
        assert len(items) <= request.count
    for item in items:
        ex = item.exercise
        assert ex.level.rank <= request.level.rank
        assert request.positions is None or ex.position in request.positions
        assert request.equipment is None or set(ex.equipment) <= request.equipment
        assert request.goal in ex.goals or item.substituted_for is not None
        assert not (request.goal is Goal.RECOVERY and ex.kind is Kind.STRENGTH)
        if request.muscles:
            assert any(ex.works(m) for m in request.muscles)
    assert set(request.muscles) <= set(routine.muscles_covered)
    # Positions come in blocks, in the goal's order.
    positions = [i.exercise.position for i in items]
    assert positions == sorted(positions, key=POSITION_ORDER[request.goal].index)
    # Same input, same output.
    assert build_routine(bundled, request) == routine
    # Nothing left out that would still fit; a long budget is 70% used when the pool allows.
    if request.count is None or len(items) < request.count:
        spare = request.budget_seconds - total_seconds(routine)
        chosen = {i.exercise.id for i in items}
        left = [c for c in eligible(bundled, request) if c.exercise.id not in chosen]
        if request.equipment is None and not any(i.exercise.equipment for i in items):
            left = [c for c in left if not c.exercise.equipment]  # bodyweight was enough
        assert all(c.seconds > spare for c in left)
        if request.budget_seconds >= 600 and total_seconds(routine) < 0.7 * request.budget_seconds:
            assert not left or min(c.seconds for c in left) > spare
