"""The timeline: the one place that knows durations and where the body is; item and
routine times are its sums."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hiprot.models import Dose, Goal, Item, Phase, Precaution, Request, Routine, Side
from hiprot.timeline import (
    ANCHOR_SECONDS,
    FLOOR_REPLACED_SECONDS,
    FLOOR_SECONDS,
    ROLLOVER_SECONDS,
    ROUND_REST_SECONDS,
    change_kind,
    circuit_seconds,
    dose_seconds,
    item_phases,
    item_times,
    moves,
    phases,
    round_seconds,
    timeline,
    total_seconds,
)

CHANGES = ("switch", "rollover", "anchor")


def test_time_formula(bundled) -> None:
    lying = bundled.get("lying-hip-internal-rotation")  # legs swap in place
    # 2 sets x 2 sides x 20 reps x 3 s + 1 rest of 30 s + 3 side switches x 5 s + 15 s set-up
    assert dose_seconds(Dose(2, True, reps=20, rest_s=30), lying) == 240 + 30 + 15 + 15
    # one 30 s hold per side: 60 s + 1 switch + set-up
    assert dose_seconds(Dose(1, True, hold_s=30), lying) == 60 + 5 + 15
    assert dose_seconds(Dose(1, False, reps=12), lying) == 36 + 15
    clam = bundled.get("clamshell")  # side-lying: every set of one side, one roll-over, then the other
    assert dose_seconds(Dose(2, True, reps=20, rest_s=30), clam) == 240 + 2 * 30 + ROLLOVER_SECONDS + 15
    chair = bundled.get("seated-banded-internal-rotation")  # the band's anchor moves once
    assert dose_seconds(Dose(2, True, reps=15, rest_s=30), chair) == 180 + 2 * 30 + ANCHOR_SECONDS + 15


def test_what_a_change_of_side_is(bundled) -> None:
    kinds = {ex.id: change_kind(ex) for ex in bundled.exercises}
    assert kinds["clamshell"] == kinds["lacrosse-ball-hip-release"] == "rollover"
    assert kinds["seated-banded-internal-rotation"] == kinds["banded-standing-external-rotation"] == "anchor"
    assert kinds["fire-hydrant"] == kinds["lying-hip-internal-rotation"] == kinds["lateral-band-walk"] == "switch"


def test_a_switch_in_place_alternates_sides(bundled) -> None:
    lying = bundled.get("lying-hip-internal-rotation")
    got = [(p.kind, p.seconds, p.set, p.side) for p in phases(Item(lying, Dose(2, True, reps=20, rest_s=30)), 3)]
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
    assert {p.item for p in phases(Item(lying, Dose(1, False, hold_s=30)), 3)} == {3}


def test_side_lying_does_one_side_then_rolls_over_once(bundled) -> None:
    clam = bundled.get("clamshell")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(clam, Dose(3, True, reps=20, rest_s=30)),))
    flat = timeline(routine)
    got = [(p.kind, p.set, p.side) for p in flat]
    assert got == [
        ("setup", None, None),  # the session starts where its first exercise is
        ("reps", 1, "left"), ("rest", 2, None), ("reps", 2, "left"), ("rest", 3, None), ("reps", 3, "left"),
        ("rollover", 1, "right"),
        ("reps", 1, "right"), ("rest", 2, None), ("reps", 2, "right"), ("rest", 3, None), ("reps", 3, "right"),
    ]  # fmt: skip
    roll = next(p for p in flat if p.kind == "rollover")
    assert roll.seconds == ROLLOVER_SECONDS >= 10
    # The clamshell's top leg works: the right leg works lying on the left hip.
    assert roll.text == "Roll onto your left side, left hip down; the right leg works now"
    assert flat[0].text == "Left side first"


def test_a_ball_under_the_hip_lies_on_the_working_side(bundled) -> None:
    ball = bundled.get("lacrosse-ball-hip-release")
    routine = Routine(Request(goal=Goal.RECOVERY), (Item(ball, Dose(1, True, hold_s=120)),))
    roll = next(p for p in timeline(routine) if p.kind == "rollover")
    assert roll.text == "Roll onto your right side, right hip down; the ball under your right hip now"


def test_the_next_side_lying_exercise_starts_on_the_hip_already_down(bundled) -> None:
    lift, clam = bundled.get("hip-internal-rotation-lift-off"), bundled.get("clamshell")
    items = (Item(lift, Dose(1, True, reps=10)), Item(clam, Dose(1, True, reps=10)))
    flat = timeline(Routine(Request(goal=Goal.STRENGTH), items))
    # The lift-off ends with the right leg working, lying on the left hip: the clamshell
    # starts there, right leg first, so the only roll-overs are one per exercise.
    assert [p.side for p in flat if p.kind == "reps"] == ["left", "right", "right", "left"]
    assert sum(p.kind == "rollover" for p in flat) == 2
    assert flat[flat.index(next(p for p in flat if p.item == 1))].text == "Right side first"


def test_a_chair_band_drill_names_the_anchor_and_moves_it_between_sides(bundled) -> None:
    chair = bundled.get("seated-banded-internal-rotation")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(chair, Dose(2, True, reps=12, rest_s=30)),))
    flat = timeline(routine)
    assert flat[0].kind == "setup"
    assert flat[0].text == (
        "Left side first. You need a sturdy chair and a long band anchored at ankle height on your right side"
    )
    anchors = [p for p in flat if p.kind == "anchor"]
    assert len(anchors) == 1 and anchors[0].seconds == ANCHOR_SECONDS
    assert anchors[0].text == "Move the band's anchor to your left; the right leg works now"
    assert [p.side for p in flat if p.kind == "reps"] == ["left", "left", "right", "right"]


def test_standing_band_work_turns_round(bundled) -> None:
    band = bundled.get("banded-standing-external-rotation")
    flat = timeline(Routine(Request(goal=Goal.STRENGTH), (Item(band, Dose(1, True, reps=10)),)))
    assert "left side toward it" in (flat[0].text or "")
    assert next(p for p in flat if p.kind == "anchor").text == (
        "Move the band to your right ankle and turn round, right side toward the anchor"
    )


def test_down_to_the_floor_and_up_again(bundled) -> None:
    clam, stand = bundled.get("clamshell"), bundled.get("standing-hip-internal-rotation")
    chair = bundled.get("chair-banded-internal-rotation")
    items = (Item(stand, Dose(1, True, reps=10)), Item(clam, Dose(1, True, reps=10)),
             Item(chair, Dose(1, False, reps=10)), Item(stand, Dose(1, True, reps=10)))  # fmt: skip
    flat = timeline(Routine(Request(goal=Goal.WARMUP), items))
    moves_ = [(p.item, p.seconds, p.text) for p in flat if p.kind == "transition"]
    assert moves_ == [
        (1, FLOOR_SECONDS, "Get down onto the floor, on a mat or soft surface"),
        (2, FLOOR_SECONDS, "Get up from the floor onto the chair"),
    ]  # up from a chair is part of the next set-up
    assert [p.kind for p in flat if p.item == 1][:2] == ["transition", "setup"]


def test_a_replaced_hip_gets_longer_and_the_safe_way_up(bundled) -> None:
    clam, stand = bundled.get("clamshell"), bundled.get("standing-hip-internal-rotation")
    request = Request(goal=Goal.WARMUP, protect=frozenset({(Side.RIGHT, Precaution.HIP_REPLACEMENT)}))
    items = (Item(clam, Dose(1, True, reps=10)), Item(stand, Dose(1, True, reps=10)))
    flat = timeline(Routine(request, items, rounds=2))
    up, down, _ = (p for p in flat if p.kind == "transition")  # up, down between rounds, up
    assert down.seconds == up.seconds == FLOOR_REPLACED_SECONDS
    assert "weight on your left leg" in (down.text or "")
    assert up.text == (
        "Get up the safe way: roll onto your side, push up with your arms, then come up to standing "
        "leading with your left leg, holding a sturdy chair"
    )
    both = request._replace(protect=frozenset({(Side.RIGHT, Precaution.HIP_REPLACEMENT),
                                               (Side.LEFT, Precaution.HIP_REPLACEMENT_ANTERIOR)}))  # fmt: skip
    assert "your stronger leg" in (next(p for p in timeline(Routine(both, items)) if p.kind == "transition").text or "")
    # An impinged hip is not a replaced one: the usual time.
    impinged = request._replace(protect=frozenset({(Side.RIGHT, Precaution.HIP_IMPINGEMENT)}))
    assert next(p for p in timeline(Routine(impinged, items)) if p.kind == "transition").seconds == FLOOR_SECONDS


def test_the_stiff_hips_extra_set_says_why(bundled) -> None:
    clam, lying = bundled.get("clamshell"), bundled.get("lying-hip-internal-rotation")
    grouped = timeline(Routine(Request(goal=Goal.WARMUP), (Item(clam, Dose(2, True, reps=10, rest_s=15, extra=Side.LEFT)),)))
    work = [(p.set, p.side, p.text) for p in grouped if p.kind == "reps"]
    # Done with the left side's sets, before the roll-over: no extra roll-over for it.
    assert work == [(1, "left", None), (2, "left", None), (3, "left", "Extra set for your stiff left hip"),
                    (1, "right", None), (2, "right", None)]  # fmt: skip
    assert sum(p.kind == "rollover" for p in grouped) == 1
    alternating = timeline(Routine(Request(goal=Goal.WARMUP), (Item(lying, Dose(1, True, reps=10, extra=Side.RIGHT)),)))
    assert [(p.side, p.text) for p in alternating if p.kind == "reps"] == [
        ("left", None), ("right", None), ("right", "Extra set for your stiff right hip")
    ]


def test_one_side_only_says_why_once(bundled) -> None:
    clam, lying = bundled.get("clamshell"), bundled.get("lying-hip-internal-rotation")
    request = Request(goal=Goal.STRENGTH, protect=frozenset({(Side.LEFT, Precaution.HIP_IMPINGEMENT)}))
    items = (Item(lying, Dose(1, True, reps=10, only=Side.RIGHT)), Item(clam, Dose(1, True, reps=10, only=Side.RIGHT)))
    setups = [p.text for p in timeline(Routine(request, items)) if p.kind == "setup"]
    assert setups == ["Your left hip is protected: right leg only today", "Right leg only today"]
    twice = [p.text for p in timeline(Routine(request, items, rounds=2)) if p.kind == "setup"]
    assert twice == [setups[0]] + ["Right leg only today"] * 3  # said in full once, not every round
    asked = Routine(Request(goal=Goal.STRENGTH, side=Side.RIGHT), items[:1])
    assert [p.text for p in timeline(asked) if p.kind == "setup"] == ["Right leg only, as asked"]
    assert not any(p.kind in CHANGES for p in timeline(Routine(request, items)))


doses = st.builds(
    Dose,
    sets=st.integers(1, 10),
    per_side=st.booleans(),
    reps=st.one_of(st.none(), st.integers(1, 100)),
    rest_s=st.integers(0, 300),
    only=st.one_of(st.none(), st.sampled_from(Side)),
    extra=st.one_of(st.none(), st.sampled_from(Side)),
).map(lambda p: p if p.reps is not None else p._replace(hold_s=30))
protects = st.frozensets(
    st.tuples(st.sampled_from(Side), st.sampled_from([Precaution.HIP_REPLACEMENT, Precaution.HIP_IMPINGEMENT])),
    max_size=2,
)


@given(st.data(), st.lists(doses, min_size=0, max_size=6), st.integers(1, 3), st.sampled_from(Goal), protects)
def test_sums_over_the_timeline(bundled, data, dose_list, rounds, goal, protect) -> None:
    exercises = [data.draw(st.sampled_from(bundled.exercises)) for _ in dose_list]
    items = tuple(Item(ex, d) for ex, d in zip(exercises, dose_list, strict=True))
    routine = Routine(Request(goal=goal, protect=protect), items, rounds=rounds)
    flat = timeline(routine)
    # One source of truth: the total, the planner's formula and the phases agree.
    assert total_seconds(routine) == sum(p.seconds for p in flat)
    if items:  # (the planner never builds an empty routine)
        assert total_seconds(routine) == circuit_seconds(round_seconds(routine), rounds, goal, moves(items, routine.request))
    assert [p.round for p in flat] == sorted(p.round for p in flat)  # round by round
    times = item_times(routine)
    for index, (item, mine) in enumerate(zip(items, item_phases(routine), strict=True)):
        assert times[index] == sum(p.seconds for p in mine)
        assert times[index] == dose_seconds(item.dosage, item.exercise) + sum(
            p.seconds for p in mine if p.kind == "transition"
        )
        d = item.dosage
        work = [p for p in mine if p.kind in ("reps", "hold")]
        extra = 1 if d.extra is not None and d.extra in (d.worked_sides or ()) else 0
        assert len(work) == d.sets * d.sides + extra
        worked = [p.side for p in work]
        changes = sum(a != b for a, b in zip(worked, worked[1:]))
        assert sum(p.kind in CHANGES for p in mine) == changes
        if change_kind(item.exercise) != "switch" and d.sides == 2:
            assert changes == 1  # a roll-over or an anchor move: once per exercise
        if not d.per_side:
            assert set(worked) == {None}
        elif d.only is not None:
            assert set(worked) == {d.only.value}  # the protected side is never worked
        assert next(p.kind for p in mine if p.kind != "transition") == "setup"
        assert all(p.seconds > 0 for p in mine)
        assert all(p.text for p in mine if p.kind in ("transition", *CHANGES))


def test_a_circuit_is_every_item_a_rest_then_every_item_again(bundled) -> None:
    clam, hydrant = bundled.get("clamshell"), bundled.get("fire-hydrant")
    items = (Item(clam, Dose(1, True, reps=20)), Item(hydrant, Dose(1, False, reps=8)))
    once = Routine(Request(goal=Goal.STRENGTH), items)
    twice = once._replace(rounds=2)
    one = timeline(once)
    assert {p.round for p in one} == {1}
    flat = timeline(twice)
    rest = Phase(1, "rest", ROUND_REST_SECONDS[Goal.STRENGTH], None, None, 1)  # ends round 1, with its last item
    assert flat == one + [rest] + [p._replace(round=2) for p in one]  # all on the floor: no move between rounds
    assert [(p.round, p.item) for p in flat if p.kind == "setup"] == [(1, 0), (1, 1), (2, 0), (2, 1)]
    assert total_seconds(twice) == sum(p.seconds for p in flat) == 2 * total_seconds(once) + 60
    assert total_seconds(twice) == circuit_seconds(round_seconds(twice), 2, Goal.STRENGTH, moves(items, once.request))


def test_a_circuit_that_ends_standing_gets_down_again_after_the_rest(bundled) -> None:
    clam, stand = bundled.get("clamshell"), bundled.get("standing-hip-internal-rotation")
    items = (Item(clam, Dose(1, True, reps=10)), Item(stand, Dose(1, True, reps=10)))
    flat = timeline(Routine(Request(goal=Goal.WARMUP), items, rounds=2))
    kinds = [(p.kind, p.round, p.item, p.text) for p in flat if p.kind in ("rest", "transition")]
    assert kinds == [
        ("transition", 1, 1, "Get up from the floor to standing"),
        ("rest", 1, 1, None),
        ("transition", 1, 1, "Get down onto the floor, on a mat or soft surface"),  # after the rest, into round 2
        ("transition", 2, 1, "Get up from the floor to standing"),
    ]



def test_a_later_round_starts_on_the_side_the_band_is_anchored_for(bundled) -> None:
    chair = bundled.get("seated-banded-internal-rotation")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(chair, Dose(1, True, reps=12)),), rounds=3)
    flat = timeline(routine)
    assert [p.side for p in flat if p.kind == "reps"] == ["left", "right", "right", "left", "left", "right"]
    assert sum(p.kind == "anchor" for p in flat) == 3  # one per round: never moved back during a rest
    assert total_seconds(routine) == sum(p.seconds for p in flat) == 3 * item_times(routine)[0] + 2 * 60
