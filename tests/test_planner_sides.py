"""Per-side safety in the planner: a protected hip is never worked, whatever is asked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError
from hiprot.models import HIP_PRECAUTIONS, Equipment, Goal, HipScope, Kind, Level, Precaution, Request, Side
from hiprot.planner import build_routine, sides_for
from hiprot.timeline import timeline
from tests.strategies import requests

LEFT_REPLACED = frozenset({(Side.LEFT, Precaution.HIP_REPLACEMENT)})


def test_work_on_a_protected_hip_goes_to_the_other_side_or_is_left_out(bundled: Catalogue) -> None:
    request = Request(goal=Goal.WARMUP, protect=LEFT_REPLACED)
    seen = set()
    for ex in bundled.exercises:
        rule = sides_for(ex, request)
        if Precaution.HIP_REPLACEMENT not in ex.precautions:
            assert rule == (None, None), ex.id
            continue
        seen.add(ex.hips)
        if ex.hips is HipScope.WORKING and ex.dosage.per_side:
            assert rule == (Side.RIGHT, None), ex.id
        else:
            assert rule is None, ex.id
    assert seen == {HipScope.WORKING, HipScope.BOTH}  # the catalogue has both kinds to test


def test_side_picks_one_side_and_never_a_protected_one(bundled: Catalogue) -> None:
    drill = bundled.get("lying-hip-internal-rotation")
    assert drill.hips is HipScope.WORKING
    assert sides_for(drill, Request(goal=Goal.WARMUP, side=Side.LEFT)) == (Side.LEFT, None)
    assert sides_for(drill, Request(goal=Goal.WARMUP, side=Side.LEFT, protect=LEFT_REPLACED)) is None


def test_a_stiff_hip_gets_one_extra_set_of_per_side_mobility_and_stretch(bundled: Catalogue) -> None:
    request = Request(goal=Goal.RECOVERY, minutes=60, stiff=frozenset({Side.RIGHT}))
    routine = build_routine(bundled, request)
    extra = [item for item in routine.items if item.dosage.extra is Side.RIGHT]
    assert extra, "a recovery routine holds per-side stretches"
    for item in routine.items:
        if item.dosage.extra is not None:
            assert item.exercise.kind in (Kind.MOBILITY, Kind.STRETCH) and item.dosage.per_side
    flat = timeline(routine)
    for index, item in enumerate(routine.items):
        work = [p for p in flat if p.item == index and p.kind in ("reps", "hold")]
        if item in extra:
            # one extra set on the stiff side in every round of the circuit
            assert [p.side for p in work].count("right") == [p.side for p in work].count("left") + routine.rounds


@settings(max_examples=250, deadline=None)
@given(requests(), st.sampled_from(sorted(HIP_PRECAUTIONS)), st.sampled_from(Side))
def test_no_routine_ever_works_a_protected_hip(bundled: Catalogue, asked: Request, precaution, side) -> None:
    """Issue 17's sweep: whatever the goal, level, budget, equipment or --side, a hip under a
    precaution is never worked by an exercise carrying that precaution."""
    protect = frozenset({(side, precaution)})
    try:
        routine = build_routine(bundled, asked._replace(protect=protect))
    except NoFitError as exc:  # a precaution is never a filter the error offers to drop
        assert "protect" not in exc.blockers
        return
    flat = timeline(routine)
    for index, item in enumerate(routine.items):
        if precaution not in item.exercise.precautions:
            continue
        assert item.exercise.dosage.per_side and item.exercise.hips is HipScope.WORKING, item.exercise.id
        assert item.dosage.only is side.other
        assert {p.side for p in flat if p.item == index} <= {None, side.other.value}


def test_without_the_profile_those_drills_come_back(bundled: Catalogue) -> None:
    asked = Request(goal=Goal.WARMUP)
    free = build_routine(bundled, asked)
    guarded = build_routine(bundled, asked._replace(protect=LEFT_REPLACED))
    carrying = [i for i in free.items if Precaution.HIP_REPLACEMENT in i.exercise.precautions]
    assert carrying and all(i.dosage.only is None for i in carrying)
    assert all(
        i.dosage.only is Side.RIGHT for i in guarded.items if Precaution.HIP_REPLACEMENT in i.exercise.precautions
    )


def test_a_short_budget_shrinks_one_sided_work_without_reaching_the_protected_hip(bundled: Catalogue) -> None:
    """Shrinking a dose (fewer sets, the short end of a range) keeps its sides: a 7-minute
    recovery with every piece of equipment once put the protected hip back to work."""
    for goal in Goal:
        for level in Level:
            for equipment in (None, frozenset(), frozenset(Equipment)):
                for minutes in range(1, 25):
                    asked = Request(goal=goal, level=level, equipment=equipment, minutes=minutes, protect=LEFT_REPLACED)
                    try:
                        routine = build_routine(bundled, asked)
                    except NoFitError:
                        continue
                    flat = timeline(routine)
                    for index, item in enumerate(routine.items):
                        if Precaution.HIP_REPLACEMENT in item.exercise.precautions:
                            assert item.dosage.only is Side.RIGHT, (asked, item.exercise.id)
                            assert "left" not in {p.side for p in flat if p.item == index}
