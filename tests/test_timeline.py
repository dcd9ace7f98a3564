"""The timeline: the one place that knows durations; item and routine times are its sums."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hiprot.models import Dose, Goal, Item, Phase, Request, Routine
from hiprot.timeline import (
    ROUND_REST_SECONDS,
    circuit_seconds,
    dose_seconds,
    item_seconds,
    phases,
    round_seconds,
    timeline,
    total_seconds,
)


def test_time_formula() -> None:
    # 2 sets x 2 sides x 20 reps x 3 s + 1 rest of 30 s + 3 side switches x 5 s + 15 s set-up
    assert dose_seconds(Dose(2, True, reps=20, rest_s=30)) == 240 + 30 + 15 + 15
    # one 30 s hold per side: 60 s + 1 switch + set-up
    assert dose_seconds(Dose(1, True, hold_s=30)) == 60 + 5 + 15
    assert dose_seconds(Dose(1, False, reps=12)) == 36 + 15


def test_phases_of_a_two_set_per_side_item(bundled) -> None:
    clam = bundled.get("clamshell")
    got = [(p.kind, p.seconds, p.set, p.side) for p in phases(Item(clam, Dose(2, True, reps=20, rest_s=30)), 3)]
    assert got == [
        ("setup", 15, None, None),
        ("reps", 60, 1, "left"),
        ("switch", 5, 1, "right"),
        ("reps", 60, 1, "right"),
        ("rest", 30, 2, None),
        ("switch", 5, 2, "left"),
        ("reps", 60, 2, "left"),
        ("switch", 5, 2, "right"),
        ("reps", 60, 2, "right"),
    ]
    assert {p.item for p in phases(Item(clam, Dose(1, False, hold_s=30)), 3)} == {3}


def test_one_sided_hold_has_no_switch(bundled) -> None:
    ex = bundled.get("clamshell")
    kinds = [p.kind for p in phases(Item(ex, Dose(3, False, hold_s=20, rest_s=10)))]
    assert kinds == ["setup", "hold", "rest", "hold", "rest", "hold"]


doses = st.builds(
    Dose,
    sets=st.integers(1, 10),
    per_side=st.booleans(),
    reps=st.one_of(st.none(), st.integers(1, 100)),
    rest_s=st.integers(0, 300),
).map(lambda p: p if p.reps is not None else p._replace(hold_s=30))


@given(st.lists(doses, min_size=0, max_size=8))
def test_sums_over_the_timeline(bundled, dose_list) -> None:
    ex = bundled.exercises[0]
    routine = Routine(Request(goal=Goal.WARMUP), tuple(Item(ex, d) for d in dose_list))
    flat = timeline(routine)
    assert total_seconds(routine) == sum(p.seconds for p in flat)
    for index, item in enumerate(routine.items):
        mine = [p for p in flat if p.item == index]
        assert item_seconds(item) == sum(p.seconds for p in mine)
        d = item.dosage
        work = [p for p in mine if p.kind in ("reps", "hold")]
        extra = 1 if d.extra is not None and d.extra in (d.worked_sides or ()) else 0
        assert len(work) == d.sets * d.sides + extra
        worked = [p.side for p in work]
        changes = sum(a != b for a, b in zip(worked, worked[1:]))
        assert sum(p.kind == "switch" for p in mine) == changes
        assert sum(p.kind == "rest" for p in mine) == ((d.sets + extra - 1) if d.rest_s else 0)
        if not d.per_side:
            assert set(worked) == {None}
        elif d.only is not None:
            assert set(worked[: d.sets]) == {d.only.value}  # the protected side is never worked
        if extra:
            assert worked[-1] == d.extra.value
        assert mine[0].kind == "setup"
        assert all(p.seconds > 0 for p in mine)


def test_a_circuit_is_every_item_a_rest_then_every_item_again(bundled) -> None:
    clam, hydrant = bundled.get("clamshell"), bundled.get("fire-hydrant")
    items = (Item(clam, Dose(1, True, reps=20)), Item(hydrant, Dose(1, False, reps=8)))
    once = Routine(Request(goal=Goal.STRENGTH), items)
    twice = once._replace(rounds=2)
    one = timeline(once)
    assert {p.round for p in one} == {1}
    flat = timeline(twice)
    rest = Phase(1, "rest", ROUND_REST_SECONDS[Goal.STRENGTH], None, None, 1)  # ends round 1, with its last item
    assert flat == one + [rest] + [p._replace(round=2) for p in one]
    assert [(p.round, p.item) for p in flat if p.kind == "setup"] == [(1, 0), (1, 1), (2, 0), (2, 1)]
    assert total_seconds(twice) == sum(p.seconds for p in flat) == 2 * total_seconds(once) + 60
    assert total_seconds(twice) == circuit_seconds(round_seconds(twice), 2, Goal.STRENGTH)


@given(st.integers(1, 4), st.sampled_from(Goal), st.lists(doses, min_size=1, max_size=4))
def test_a_circuit_sums_over_its_timeline(bundled, rounds, goal, dose_list) -> None:
    ex = bundled.exercises[0]
    routine = Routine(Request(goal=goal), tuple(Item(ex, d) for d in dose_list), rounds=rounds)
    flat = timeline(routine)
    assert total_seconds(routine) == sum(p.seconds for p in flat)
    assert [p.round for p in flat] == sorted(p.round for p in flat)  # round by round
    assert sum(p.kind == "setup" for p in flat) == rounds * len(dose_list)
