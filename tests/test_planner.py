"""The planner's rules, tested directly: unit tests for each rule, properties for invariants."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError, TooShortError
from hiprot.models import (
    EXTERNAL_ROTATORS,
    IR_MOVERS,
    Dose,
    Equipment,
    Goal,
    Item,
    Kind,
    Level,
    Muscle,
    Need,
    Position,
    Precaution,
    Request,
    Routine,
    Shortfall,
)
from hiprot.planner import (
    DEFAULT_REST,
    END_POSITION,
    FLOOR_TO_FEET,
    FULL_SHARE,
    MAX_ROUNDS,
    POSITION_ORDER,
    _Picker,
    build_routine,
    eligible,
    minimum_items,
    order_items,
    prescribe,
    smallest_dose,
)
from hiprot.timeline import circuit_seconds, dose_seconds, moves, round_seconds, total_seconds

from .strategies import requests

RELAXED = {
    "positions": None, "equipment": None, "level": Level.ADVANCED, "muscles": (), "avoid": frozenset(), "count": None,
}  # fmt: skip


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
    assert prescribe(clam, Goal.STRENGTH, Level.BEGINNER) == Dose(2, True, reps=20, rest_s=30)
    assert prescribe(clam, Goal.STRENGTH, Level.ADVANCED).sets == 3
    assert prescribe(clam, Goal.WARMUP, Level.ADVANCED).sets == 1
    rdl = bundled.get("single-leg-romanian-deadlift-with-reach")
    assert prescribe(rdl, Goal.STRENGTH, Level.ADVANCED) == Dose(3, True, reps=10, rest_s=45)
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
    routine = build(bundled, goal=Goal.STRENGTH, level=level, minutes=20, equipment=frozenset(Equipment))
    assert 0.7 * 1200 <= total_seconds(routine) <= 1200


def test_without_equipment_no_surprise_equipment(bundled) -> None:
    warmup = build(bundled, goal=Goal.WARMUP)
    assert all(not i.exercise.equipment for i in warmup.items)
    # Bodyweight work qualifies, so a strength routine stays bodyweight even though that
    # leaves the 20 minutes under-used; the routine says what equipment would add.
    strength = build(bundled, goal=Goal.STRENGTH)
    assert all(not i.exercise.equipment for i in strength.items)
    assert Equipment.LOOP_BAND in strength.more_with
    assert build(bundled, goal=Goal.STRENGTH, equipment=frozenset(Equipment)).more_with == ()


def test_count_caps_the_routine(bundled) -> None:
    assert len(build(bundled, goal=Goal.STRENGTH, count=2).items) == 2


def test_at_least_three_exercises_when_they_fit(bundled) -> None:
    assert len(build(bundled, goal=Goal.WARMUP, minutes=4).items) >= 3


def test_a_shrunk_routine_gives_back_what_the_budget_allows(bundled) -> None:
    # Two sets of each bodyweight drill do not fit 10 minutes; one set of each left 47% of
    # it unused. Sets come back item by item while they fit.
    routine = build(bundled, goal=Goal.STRENGTH, minutes=10)
    assert 0.7 * 600 <= total_seconds(routine) <= 600
    assert {i.dosage.sets for i in routine.items} == {1, 2}


def test_short_budgets_shrink_sets_then_ranges_then_count(bundled) -> None:
    # Issue 9: this used to exit 1.
    short = build(bundled, goal=Goal.STRENGTH, level=Level.ADVANCED, minutes=5)
    assert short.items and total_seconds(short) <= 300
    assert all(i.dosage.sets == 1 for i in short.items)
    one = build(bundled, goal=Goal.RECOVERY, minutes=2)
    assert len(one.items) >= 1 and total_seconds(one) <= 120


def test_too_short_says_the_minutes_that_build_and_they_do(bundled) -> None:
    with pytest.raises(TooShortError) as caught:
        build(bundled, goal=Goal.STRENGTH, equipment=frozenset({Equipment.BAND}), minutes=1)
    needed = caught.value.needed
    assert needed is not None and needed > 1
    assert build(bundled, goal=Goal.STRENGTH, equipment=frozenset({Equipment.BAND}), minutes=needed).items
    with pytest.raises(TooShortError):
        build(bundled, goal=Goal.STRENGTH, equipment=frozenset({Equipment.BAND}), minutes=needed - 1)


def test_the_issue_9_minutes_hint_case_builds(bundled) -> None:
    # "--minutes 12 or more" used to be suggested for a request that failed at 12 too.
    muscles = (Muscle.GLUTEUS_MEDIUS, Muscle.GLUTEUS_MINIMUS)
    for minutes in (12, 15):
        routine = build(bundled, goal=Goal.STRENGTH, level=Level.INTERMEDIATE, muscles=muscles, minutes=minutes)
        assert set(muscles) <= set(routine.muscles_covered)


# --- filling the budget ----------------------------------------------------------------


def test_the_default_strength_routine_uses_its_twenty_minutes(bundled) -> None:
    # Issue 18: it gave 11:36. Every dose now reaches the top of its range first.
    routine = build(bundled, goal=Goal.STRENGTH)
    assert 0.8 * 1200 <= total_seconds(routine) <= 1200
    assert routine.rounds == 1 and routine.shortfall is None
    # Reps reach the top of every range before any set is added; the sets then fill what is
    # left (roll-overs and each side's own rests leave no room for the last one of them).
    for item in routine.items:
        d = item.exercise.dosage
        assert item.dosage.reps == d.reps.high
    assert [i.dosage.sets for i in routine.items] == [i.exercise.dosage.sets.high for i in routine.items][:2] + [2]


@pytest.mark.parametrize("goal", list(Goal))
def test_default_budgets_are_used_or_say_why(bundled, goal) -> None:
    routine = build(bundled, goal=goal)
    assert total_seconds(routine) >= FULL_SHARE * routine.budget_seconds or routine.shortfall is not None


def test_a_long_warmup_repeats_in_rounds_and_stays_light(bundled) -> None:
    once = build(bundled, goal=Goal.WARMUP)
    twice = build(bundled, goal=Goal.WARMUP, minutes=20)
    assert (once.rounds, twice.rounds) == (1, 2)
    assert twice.items == once.items  # the same light doses, done twice
    assert total_seconds(twice) == 2 * total_seconds(once) + 30 <= 1200


def test_rounds_stop_at_the_most_a_routine_is_given_and_say_so(bundled) -> None:
    # Only the ball release is left (issue 23 tagged it for the posterior approach, so the
    # impingement and knee precautions leave one recovery drill).
    routine = build(bundled, goal=Goal.RECOVERY, avoid=frozenset({Precaution.HIP_IMPINGEMENT, Precaution.KNEE_PAIN}),
                    minutes=60)  # fmt: skip
    assert routine.rounds == MAX_ROUNDS
    assert routine.shortfall is not None and not routine.shortfall.more_rounds


def test_the_reason_for_unused_time_is_data(bundled) -> None:
    # Only the ball release qualifies; a second round does not fit 9 minutes, even at
    # its shortest hold (12 minutes take two rounds at shorter holds).
    avoid = frozenset({Precaution.HIP_IMPINGEMENT, Precaution.KNEE_PAIN})
    assert build(bundled, goal=Goal.RECOVERY, avoid=avoid).rounds == 2
    routine = build(bundled, goal=Goal.RECOVERY, avoid=avoid, minutes=9)
    assert total_seconds(routine) < 0.8 * 540
    assert routine.shortfall == Shortfall(qualifying=1, variants=0, bodyweight=False, capped_at=None, more_rounds=True)
    capped = build(bundled, goal=Goal.STRENGTH, count=1, minutes=60)
    assert capped.shortfall is not None and capped.shortfall.capped_at == 1


# --- the promises issue 18's sweep found broken -----------------------------------------


def test_no_variant_pair_when_smaller_doses_avoid_it(bundled) -> None:
    # `routine --goal recovery --minutes 5` paired the seated and lying IR stretches.
    routine = build(bundled, goal=Goal.RECOVERY, minutes=5)
    chosen = {i.exercise.id for i in routine.items}
    assert not {"seated-hip-internal-rotation-stretch", "lying-hip-internal-rotation-stretch"} <= chosen
    for item in routine.items:
        assert not {item.exercise.easier, item.exercise.harder} & chosen


def test_a_largest_pair_free_set_is_tried_before_a_pair(bundled) -> None:
    # Seated stretch - twisted legs - legs long is one chain: taking its middle blocks both ends.
    request = Request(goal=Goal.RECOVERY, level=Level.INTERMEDIATE, positions=frozenset({Position.SEATED, Position.STANDING}))
    for seed in range(40):
        routine = build_routine(bundled, request._replace(seed=seed))
        chosen = {i.exercise.id for i in routine.items}
        assert len(chosen) == 3
        assert all(not {i.exercise.easier, i.exercise.harder} & chosen for i in routine.items), (seed, chosen)


def test_a_pair_free_group_on_one_height_is_tried_before_a_pair(bundled) -> None:
    # `routine --goal recovery --level intermediate --minutes 4` paired the seated and lying
    # IR stretches (beside standing IR and a move down to the floor), although lying IR,
    # twisted legs and the lying stretch fit in 228 s of 240 all on the floor. The largest
    # pair-free set the planner tried held the long legs-long stretch and the standing drill.
    request = Request(goal=Goal.RECOVERY, level=Level.INTERMEDIATE, minutes=4)
    routine = build_routine(bundled, request)
    chosen = {i.exercise.id for i in routine.items}
    assert len(chosen) == 3
    assert all(not {i.exercise.easier, i.exercise.harder} & chosen for i in routine.items), chosen
    assert total_seconds(routine) <= request.budget_seconds
    assert routine.items[-1].exercise.position is Position.LYING
    check_no_avoidable_pair(bundled, request, routine)


def test_a_pair_free_group_around_the_last_position_is_tried_before_a_pair(bundled) -> None:
    # A sibling of the case above, found with more hypothesis examples: a warm-up without
    # kneeling in 4 minutes paired the squatting IR drill and squat with rotation, although
    # standing IR (the promised standing end), the seated stretch and squat with rotation
    # fit in 216 s of 240, one move up from the floor included.
    request = Request(goal=Goal.WARMUP, level=Level.INTERMEDIATE, minutes=4, seed=0, avoid=frozenset({Need.KNEELING}))
    routine = build_routine(bundled, request)
    chosen = {i.exercise.id for i in routine.items}
    assert len(chosen) == 3
    assert all(not {i.exercise.easier, i.exercise.harder} & chosen for i in routine.items), chosen
    assert total_seconds(routine) <= request.budget_seconds
    assert routine.items[-1].exercise.position is Position.STANDING
    check_no_avoidable_pair(bundled, request, routine)


def test_ties_among_the_shortest_go_by_rank_not_by_memory(bundled) -> None:
    # The room kept for the minimum number of items counted the shortest candidates with
    # ties broken by id(): a 20,000-example hypothesis run built one request two ways.
    request = Request(goal=Goal.RECOVERY, level=Level.INTERMEDIATE, minutes=4)
    pool = eligible(bundled, request)
    made_backwards = [c._replace() for c in reversed(pool)][::-1]  # the same candidates, new objects

    def shortest(cands: list) -> list[str]:
        return [c.exercise.id for *_, c in _Picker(cands, request, 3, False).shortest]

    assert shortest(pool) == shortest(made_backwards)


def test_a_stand_in_suits_the_goal(bundled) -> None:
    # `routine --goal warmup --avoid hip-impingement` got the recovery-only lying IR stretch.
    for level in Level:
        routine = build(bundled, goal=Goal.WARMUP, level=level, avoid=frozenset({Precaution.HIP_IMPINGEMENT}))
        assert "lying-hip-internal-rotation-stretch" not in ids(routine)
        assert all(Goal.WARMUP in i.exercise.goals for i in routine.items)


def test_equipment_named_is_used(bundled) -> None:
    # `routine --goal recovery --equipment ball --minutes 8` used no ball.
    routine = build(bundled, goal=Goal.RECOVERY, equipment=frozenset({Equipment.BALL}), minutes=8)
    assert "lacrosse-ball-hip-release" in ids(routine)
    assert total_seconds(routine) <= 480


# --- order -----------------------------------------------------------------------------


@pytest.mark.parametrize("goal", [Goal.WARMUP, Goal.STRENGTH])
@pytest.mark.parametrize("level", list(Level))
def test_warmup_and_strength_go_floor_to_feet_and_end_standing(bundled, goal, level) -> None:
    routine = build(bundled, goal=goal, level=level, equipment=frozenset(Equipment))
    positions = [i.exercise.position for i in routine.items]
    assert positions[-1] is Position.STANDING
    assert positions == sorted(positions, key=FLOOR_TO_FEET.index)


@pytest.mark.parametrize("level", list(Level))
def test_recovery_ends_lying(bundled, level) -> None:
    routine = build(bundled, goal=Goal.RECOVERY, level=level)
    assert routine.items[-1].exercise.position is Position.LYING


def test_avoid_leaves_out_and_substitution_walks_past(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP, avoid=frozenset({Precaution.HIP_REPLACEMENT}))
    assert routine.items
    assert all(Precaution.HIP_REPLACEMENT not in i.exercise.precautions for i in routine.items)
    floorless = build(bundled, goal=Goal.WARMUP, level=Level.INTERMEDIATE, avoid=frozenset({Need.FLOOR}))
    assert all(Need.FLOOR not in i.exercise.needs for i in floorless.items)


def test_no_exercise_beside_its_direct_variant(bundled) -> None:
    routine = build(bundled, goal=Goal.WARMUP)
    chosen = {i.exercise.id for i in routine.items}
    for item in routine.items:
        assert not {item.exercise.easier, item.exercise.harder} & chosen
    # Issue 9: the default strength routine put the lift-off beside its progression.
    strength = {i.exercise.id for i in build(bundled, goal=Goal.STRENGTH, equipment=frozenset(Equipment)).items}
    assert not {"hip-internal-rotation-lift-off", "side-lying-banded-internal-rotation"} <= strength


def test_within_a_block_mobility_then_strength_then_holds(bundled) -> None:
    # (Lying warm-up work: two mobility drills and the banded bridge; the lying IR stretch,
    # recovery-only, no longer stands in.)
    routine = build(bundled, goal=Goal.WARMUP, positions=frozenset({Position.LYING}), equipment=frozenset(Equipment))
    kinds = [i.exercise.kind for i in routine.items]
    order = [Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE]
    assert kinds == sorted(kinds, key=order.index) and len(set(kinds)) > 1
    recovery = build(bundled, goal=Goal.RECOVERY, level=Level.INTERMEDIATE).items
    for a, b in zip(recovery, recovery[1:]):
        if (a.exercise.position, a.exercise.kind) == (b.exercise.position, b.exercise.kind):
            assert dose_seconds(a.dosage, a.exercise) <= dose_seconds(b.dosage, b.exercise)  # shorter holds first


# --- determinism and seeds -------------------------------------------------------------


def test_same_request_same_routine_and_seeds_vary_it(bundled) -> None:
    assert build(bundled, goal=Goal.STRENGTH) == build(bundled, goal=Goal.STRENGTH)
    assert build(bundled, goal=Goal.STRENGTH, seed=5) == build(bundled, goal=Goal.STRENGTH, seed=5)
    variants = {tuple(ids(build(bundled, goal=Goal.WARMUP, seed=s))) for s in range(12)}
    assert len(variants) > 1


# --- no fit ----------------------------------------------------------------------------


def test_empty_pool_names_the_filter_that_blocks(bundled) -> None:
    with pytest.raises(NoFitError) as caught:
        build(bundled, goal=Goal.STRENGTH, positions=frozenset({Position.KNEELING}))
    assert caught.value.blockers == ("positions",)
    assert "--" not in str(caught.value)  # the core never names a flag


def test_no_fit_names_the_real_blocker_not_the_goal(bundled) -> None:
    # Issue 9: "No strength exercise works piriformis. Goals that do: warmup, strength, ..."
    request = Request(
        goal=Goal.STRENGTH, positions=frozenset({Position.SEATED}), muscles=(Muscle.PIRIFORMIS,)
    )
    with pytest.raises(NoFitError) as caught:
        build_routine(bundled, request)
    assert caught.value.blockers == ("muscles",) and caught.value.goals_for == ("recovery",)
    for field in caught.value.blockers:
        assert build_routine(bundled, request._replace(**{field: RELAXED[field]})).items
    with pytest.raises(NoFitError) as caught:
        build(bundled, goal=Goal.RECOVERY, muscles=(Muscle.HAMSTRINGS,))
    assert caught.value.uncovered == ("hamstrings",) and "strength" in caught.value.goals_for


# --- properties ------------------------------------------------------------------------

any_request = requests()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=any_request)
def test_planner_invariants(bundled, request: Request) -> None:
    pool = eligible(bundled, request)
    try:
        routine = build_routine(bundled, request)
    except TooShortError as exc:
        # Short budgets shrink rather than refuse: only when not even one exercise fits at
        # its smallest dose. Every "Try --minutes N" hint builds at N, and not at N - 1.
        if not request.muscles:
            assert min(dose_seconds(smallest_dose(c.exercise, c.dosage), c.exercise) for c in pool) > request.budget_seconds
        if exc.needed is not None:
            assert build_routine(bundled, request._replace(minutes=exc.needed)).items
            if exc.needed > 1:
                with pytest.raises(TooShortError):
                    build_routine(bundled, request._replace(minutes=exc.needed - 1))
        return
    except NoFitError as exc:
        assert str(exc).strip() and "--" not in str(exc)
        for field in exc.blockers:  # each named blocker really is one
            build_routine(bundled, request._replace(**{field: RELAXED[field]}))
        return
    items = routine.items
    assert items
    assert total_seconds(routine) <= request.budget_seconds
    between = moves(items, request)  # down to the floor and up: one source of truth with the timeline
    assert total_seconds(routine) == circuit_seconds(round_seconds(routine), routine.rounds, request.goal, between)
    assert 1 <= routine.rounds <= MAX_ROUNDS
    assert len({i.exercise.id for i in items}) == len(items)
    if request.count is not None:
        assert len(items) <= request.count
    for item in items:
        ex = item.exercise
        assert ex.level.rank <= request.level.rank
        assert request.positions is None or ex.position in request.positions
        assert request.equipment is None or set(ex.equipment) <= request.equipment
        assert request.goal in ex.goals  # a stand-in suits the goal too
        if request.goal is Goal.WARMUP:  # light: one set, holds no longer than prescribed
            assert item.dosage.sets == 1
            assert item.dosage.hold_s is None or item.dosage.hold_s <= prescribe(ex, request.goal, request.level).hold_s
        assert not (request.goal is Goal.RECOVERY and ex.kind is Kind.STRENGTH)
        assert not ex.carries(request.avoid)  # --avoid X: no item carries X
        if request.muscles:
            assert any(ex.works(m) for m in request.muscles)
    assert set(request.muscles) <= set(routine.muscles_covered)
    # Positions come in blocks, in the goal's order, ending where the goal promises
    # whenever an exercise in that position qualifies and fits.
    positions = [i.exercise.position for i in items]
    assert positions == sorted(positions, key=POSITION_ORDER[request.goal].index)
    end = END_POSITION[request.goal]
    used_pool = pool if not routine.more_with else [c for c in pool if not c.exercise.equipment]
    fitting_end = [
        c for c in used_pool
        if c.exercise.position is end and _smallest(c) <= request.budget_seconds
    ]  # fmt: skip
    if fitting_end and not request.muscles:
        assert positions[-1] is end
    # No surprise equipment: without equipment named, bodyweight whenever bodyweight builds.
    bodyweight = [c for c in pool if not c.exercise.equipment]
    if request.equipment is None and bodyweight and not request.muscles:
        fits = any(_smallest(c) <= request.budget_seconds for c in bodyweight)
        if fits:
            assert all(not i.exercise.equipment for i in items)
    # No exercise beside its direct easier or harder variant, unless nothing else fits.
    chosen = {i.exercise.id for i in items}
    pointing = [i.exercise for i in items if {i.exercise.easier, i.exercise.harder} & chosen]
    pairs = {ex.id for ex in pointing} | {link for ex in pointing for link in (ex.easier, ex.harder) if link in chosen}
    # A pair only makes the minimum: no member of one could go and leave the minimum, the
    # last position and the requested muscles.
    minimum = minimum_items(request, len(used_pool))
    for item in items:
        if item.exercise.id not in pairs or item.exercise.position is END_POSITION[request.goal]:
            continue
        rest = [i for i in items if i is not item]
        if set(request.muscles) <= {m for i in rest for m in i.exercise.muscles.primary}:
            assert len(rest) < minimum, (item.exercise.id, [i.exercise.id for i in items])
    # A shrunk dose is given back what the budget still allows, and then the time left
    # goes to the top of each range: no item below the top could take one more notch.
    one = round_seconds(routine)
    for item in items:
        for bigger in _notches(item, request):
            grown = one - dose_seconds(item.dosage, item.exercise) + dose_seconds(bigger, item.exercise)
            assert circuit_seconds(grown, routine.rounds, request.goal, between) > request.budget_seconds, (item, bigger)
    # Extra rounds come after the top of the ranges: a routine repeats only if once through
    # at the top of every range would not use FULL_SHARE of the budget within it.
    if routine.rounds > 1:
        top = sum(dose_seconds(_top(item, request), item.exercise) for item in items) + between.within
        assert not FULL_SHARE * request.budget_seconds <= top <= request.budget_seconds
    check_full_or_says_why(bundled, request, routine)
    check_no_avoidable_pair(bundled, request, routine)
    check_named_equipment_used(bundled, request, routine)
    # Same input, same output.
    assert build_routine(bundled, request) == routine


def _notches(item, request: Request) -> list[Dose]:
    """One notch more of each kind (reps or hold, then sets) within the catalogue range; none for a warm-up."""
    if request.goal is Goal.WARMUP:
        return []
    d, p = item.exercise.dosage, item.dosage
    found = []
    if p.reps is not None and p.reps < d.reps.high:
        found.append(p._replace(reps=p.reps + 1))
    if p.hold_s is not None and p.hold_s < d.hold_s.high:
        found.append(p._replace(hold_s=min(p.hold_s + 5, d.hold_s.high)))
    if p.sets < d.sets.high:
        found.append(p._replace(sets=p.sets + 1, rest_s=_rest(item, request)))
    return found


def _top(item, request: Request) -> Dose:
    """The item's dose at the top of every range (a warm-up's dose stays as it is)."""
    if request.goal is Goal.WARMUP:
        return item.dosage
    d, p = item.exercise.dosage, item.dosage
    rest = _rest(item, request)
    return p._replace(
        sets=d.sets.high,
        reps=d.reps.high if d.reps else None,
        hold_s=d.hold_s.high if d.hold_s else None,
        rest_s=rest if d.sets.high > 1 else 0,
    )


def _rest(item, request: Request) -> int:
    """The rest between sets once an item has more than one."""
    d = item.exercise.dosage
    return item.dosage.rest_s or (d.rest_s.at(request.level) if d.rest_s else DEFAULT_REST[request.goal])


def _used_pool(bundled, request: Request, routine: Routine) -> list:
    pool = eligible(bundled, request)
    return [c for c in pool if not c.exercise.equipment] if routine.more_with else pool


def check_full_or_says_why(bundled, request: Request, routine: Routine) -> None:
    """At least FULL_SHARE of the budget is used, or the routine carries a reason, and the reason is true."""
    used, budget = total_seconds(routine), request.budget_seconds
    short = routine.shortfall
    if used >= FULL_SHARE * budget:
        assert short is None
        return
    assert short is not None, (request, used)
    if short.capped_at is not None:
        assert len(routine.items) == short.capped_at == request.count
    else:
        assert short.qualifying == len(_used_pool(bundled, request, routine))
        assert short.bodyweight == bool(routine.more_with)
    if short.more_rounds:
        assert routine.rounds < MAX_ROUNDS
        between = moves(routine.items, request)
        assert circuit_seconds(round_seconds(routine), routine.rounds + 1, request.goal, between) > budget
    else:
        assert routine.rounds == MAX_ROUNDS


def _smallest(c) -> int:
    return dose_seconds(smallest_dose(c.exercise, c.dosage), c.exercise)


def _moving(exercises, request: Request) -> int:
    """Seconds of getting down to the floor and up again between these, in the goal's order."""
    items = [Item(ex, smallest_dose(ex)) for ex in exercises]
    return moves(order_items(items, request.goal), request).within


def _pair(a, b) -> bool:
    return a.id in (b.easier, b.harder) or b.id in (a.easier, a.harder)


def check_no_avoidable_pair(bundled, request: Request, routine: Routine) -> None:
    """A routine holds an exercise beside its direct variant only if no pair-free routine of
    the same size fits, at the smallest doses, with the same last position and muscles."""
    items = [i.exercise for i in routine.items]
    if not any(_pair(a, b) for a, b in combinations(items, 2)):
        return
    pool = _used_pool(bundled, request, routine)
    end = items[-1].position is END_POSITION[request.goal]
    for group in combinations(pool, len(items)):
        if any(_pair(a.exercise, b.exercise) for a, b in combinations(group, 2)):
            continue
        if end and not any(c.exercise.position is END_POSITION[request.goal] for c in group):
            continue
        if not set(request.muscles) <= {m for c in group for m in c.exercise.muscles.primary}:
            continue
        need = sum(_smallest(c) for c in group) + _moving([c.exercise for c in group], request)
        assert need > request.budget_seconds, [c.exercise.id for c in group]


def check_named_equipment_used(bundled, request: Request, routine: Routine) -> None:
    """Equipment named is used whenever an exercise using it qualifies and a routine of the
    same size holding it fits (at the smallest doses, with the same last position; requests
    for muscles aside: coverage comes first)."""
    if not request.equipment or request.muscles:
        return
    if any(set(i.exercise.equipment) & request.equipment for i in routine.items):
        return
    end = END_POSITION[request.goal]
    items = [i.exercise for i in routine.items]
    ends = items[-1].position is end
    for c in eligible(bundled, request):
        if not set(c.exercise.equipment) & request.equipment:
            continue
        for out in items:
            others = [ex for ex in items if ex is not out]
            if ends and c.exercise.position is not end and not any(ex.position is end for ex in others):
                continue
            if any(_pair(ex, c.exercise) for ex in others):
                continue
            group = [c.exercise, *others]
            need = sum(dose_seconds(smallest_dose(ex), ex) for ex in group) + _moving(group, request)
            assert need > request.budget_seconds, (c.exercise.id, out.id, [ex.id for ex in items])


# Every goal x level x equipment x budget up to an hour: at least FULL_SHARE used, or a true reason.
GRID_EQUIPMENT = [None, frozenset(), *(frozenset({e}) for e in Equipment), frozenset(Equipment)]


@pytest.mark.parametrize("goal", list(Goal))
def test_full_or_says_why_over_the_grid(bundled, goal) -> None:
    for level in Level:
        for equipment in GRID_EQUIPMENT:
            for minutes in range(1, 61):
                request = Request(goal=goal, level=level, equipment=equipment, minutes=minutes)
                try:
                    routine = build_routine(bundled, request)
                except TooShortError:
                    continue
                assert total_seconds(routine) <= request.budget_seconds
                check_full_or_says_why(bundled, request, routine)
                check_named_equipment_used(bundled, request, routine)
