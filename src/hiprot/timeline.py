"""How long everything takes: a routine as a sequence of timed phases. Pure.

This is the only module that knows durations, and where the body is at every moment.
An item is done as `setup` (get into position and set up the equipment), then for each
set and side either `reps` (reps x 3 s) or `hold` (hold_s), with a `rest` between sets
on the same side. What a change of side costs depends on the exercise:

- `switch` (5 s): a foot or leg swapped in place. Sides alternate set by set, as a rest
  for the side just worked.
- `rollover` (12 s): side-lying work turns the body over onto the other hip.
- `anchor` (15 s): a long band's anchor moves to the other side (or, standing, the band
  moves to the other ankle and the person turns round).

A roll-over or an anchor move is hard work for a stiff or replaced hip, so where a change
costs one, all sets of one side come first (one change per exercise), and the next
side-lying exercise starts on the hip the person is already lying on. Between items a
`transition` phase gets the person down to the floor or up from it (floor work, versus
a chair or standing): 20 s, or 30 s with the safe way up when a replaced hip is under
its precautions. The session starts where its first exercise is: the ready screen names
it, and the person starts the clock once there.

Per-side work done on one side only (the other hip protected) has that side's phases
alone; a stiff hip's extra set is done with that side's sets. A phase's `set` and `side`
say which set and side it leads into or is; `text` says what to do in words where the
body moves (set-up, transition, roll-over, anchor, switch) and why a set is there (the
stiff hip's extra one).

An item's seconds and a routine's total are sums over these phases, so the estimate
printed with a routine and the guided session can never disagree. The planner counts an
item's own time with `dose_seconds` (which does not depend on its neighbours) and the
moves between items with `moves`; `circuit_seconds` joins them the same way the
timeline does.

A routine of several rounds (a circuit) is every item in order, a `rest` phase (then a
`transition` when the last item is on the floor and the first is not, or the other way
round), then every item again: those phases belong to the last item of the round they end (so skipping it
starts the next round) and carry that round's number, like every phase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from hiprot.models import Dose, Equipment, Exercise, Goal, Item, Phase, Position, Precaution, Request, Routine, Side

REP_SECONDS = 3
SETUP_SECONDS = 15  # into position, equipment ready: the same height as the item before
SWITCH_SECONDS = 5  # a foot or leg swapped in place
ROLLOVER_SECONDS = 12  # from one side-lying side to the other, without rushing a hip
ANCHOR_SECONDS = 15  # untie, move and retie a long band (or move it to the other ankle)
FLOOR_SECONDS = 20  # down to the floor, or up to a chair or standing
FLOOR_REPLACED_SECONDS = 30  # the same with a replaced hip: slowly, the safe way
SIDES = ("left", "right")
# The rest between two rounds of a circuit: a breather after a light warm-up or gentle
# recovery pass, a minute after a round of strength work.
ROUND_REST_SECONDS = {Goal.WARMUP: 30, Goal.STRENGTH: 60, Goal.RECOVERY: 30}

# How high the body is: floor work, on a chair, on the feet. Getting down to the floor or
# up from it is a transition; standing up from a chair is part of the next set-up.
FLOOR, CHAIR, STANDING = "floor", "chair", "standing"
HEIGHT_RANK = {FLOOR: 0, CHAIR: 1, STANDING: 2}

# What a change of side costs, by kind.
CHANGE_SECONDS = {"switch": SWITCH_SECONDS, "rollover": ROLLOVER_SECONDS, "anchor": ANCHOR_SECONDS}
TRANSITIONS = frozenset({"transition", "switch", "rollover", "anchor"})
REPLACED = frozenset({Precaution.HIP_REPLACEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR})

_HIP_DOWN = re.compile(r"\{(side|other)\|[^}]*\} hip down")
_SIDE_WORD = re.compile(r"\{(side|other)\|")
_LOOP_PLACE = re.compile(r"\b(?:around|round) (both [a-z ]+?)(?= just| above| at|[.,;]|$)")


def height(ex: Exercise) -> str:
    """Floor, chair or standing: seated work is on the floor unless it needs a chair."""
    if ex.position in (Position.STANDING, Position.SQUAT):
        return STANDING
    if ex.position is Position.SEATED and Equipment.CHAIR in ex.equipment:
        return CHAIR
    return FLOOR


def change_kind(ex: Exercise) -> str:
    """What a change of side is for this exercise: `rollover`, `anchor` or `switch`."""
    if ex.position is Position.SIDE_LYING:
        return "rollover"
    if Equipment.BAND in ex.equipment:
        return "anchor"
    return "switch"


def hip_down(ex: Exercise, working: Side) -> Side:
    """The hip a side-lying exercise lies on while `working` works: the other one (the top
    leg works), unless the steps put the working side down (a ball under that hip)."""
    for step in ex.steps:
        found = _HIP_DOWN.search(step)
        if found:
            return working if found.group(1) == "side" else working.other
    return working.other


def anchor_side(ex: Exercise, working: Side) -> Side:
    """Where a long band is anchored while `working` works, from the step that names the
    anchor: on the far side (the foot swings out against it) or the working side."""
    for step in ex.steps:
        if "anchor" in step.lower():
            found = _SIDE_WORD.search(step)
            if found:
                return working if found.group(1) == "side" else working.other
    return working.other


def floor_seconds(request: Request) -> int:
    return FLOOR_REPLACED_SECONDS if replaced(request) else FLOOR_SECONDS


def replaced(request: Request) -> frozenset[Side]:
    """The hips that are replaced and still under their precautions."""
    return frozenset(side for side, precaution in request.protect if precaution in REPLACED)


# --- one item's own time (the planner's unit) -----------------------------------------


def dose_seconds(p: Dose, ex: Exercise) -> int:
    """How long a dose of an exercise takes, set-up included (not the moves between items)."""
    return _seconds(p, change_kind(ex))


@lru_cache(maxsize=4096)
def _seconds(p: Dose, kind: str) -> int:
    """A catalogue repeats the same few doses and kinds of change."""
    return sum(step[1] for step in _steps(p, kind, _order(p, kind, None)))


def _order(p: Dose, kind: str, first: Side | None) -> tuple[tuple[int, tuple[Side | None, ...]], ...]:
    """(set number, sides in order) for each round of sets. A switch in place alternates
    sides set by set; a roll-over or anchor move does every set of one side first."""
    if p.reps is None and p.hold_s is None:
        raise ValueError("a dose needs reps or a hold")
    sides: tuple[Side | None, ...] = p.worked_sides or (None,)
    if first is not None and first in sides and len(sides) == 2:
        sides = (first, first.other)
    extra = p.extra if p.extra is not None and p.extra in sides else None  # never on a side not worked
    if kind == "switch" or len(sides) == 1:
        rounds = [(number, sides) for number in range(1, p.sets + 1)]
        if extra is not None:
            rounds.append((p.sets + 1, (extra,)))
        return tuple(rounds)
    out = []
    for side in sides:
        count = p.sets + (1 if side == extra else 0)
        out += [(number, (side,)) for number in range(1, count + 1)]
    return tuple(out)


def _steps(
    p: Dose, kind: str, order: tuple[tuple[int, tuple[Side | None, ...]], ...]
) -> list[tuple[str, int, int | None, Side | None]]:
    """(kind, seconds, set, side) for a dose done in `order`, set-up first."""
    work = ("reps", p.reps * REP_SECONDS) if p.reps is not None else ("hold", p.hold_s or 0)
    steps: list[tuple[str, int, int | None, Side | None]] = [("setup", SETUP_SECONDS, None, None)]
    previous: Side | None = order[0][1][0] if order else None
    for number, worked in order:
        if number > 1 and p.rest_s:  # a set on a side just worked (a change of side is no rest)
            steps.append(("rest", p.rest_s, number, None))
        for side in worked:
            if side is not None and side != previous:
                change = kind if len(worked) == 1 else "switch"
                steps.append((change, CHANGE_SECONDS[change], number, side))
            steps.append((work[0], work[1], number, side))
            previous = side
    return steps


def phases(item: Item, index: int = 0) -> list[Phase]:
    """The phases of one item on its own (no moves from the item before, no words)."""
    kind = change_kind(item.exercise)
    return [
        Phase(index, step, seconds, number, side.value if side else None)
        for step, seconds, number, side in _steps(item.dosage, kind, _order(item.dosage, kind, None))
    ]


# --- moves between items ---------------------------------------------------------------


class Moves(NamedTuple):
    """Seconds of the transitions between items: between the items of one round, and from
    the last item back to the first between rounds."""

    within: int = 0
    between: int = 0


def moves(items: Sequence[Item], request: Request) -> Moves:
    """The transitions a list of items in this order costs (see the module docstring)."""
    return height_moves([height(item.exercise) for item in items], request)


def height_moves(heights: Sequence[str], request: Request) -> Moves:
    """The transitions a sequence of heights costs (floor, chair, standing)."""
    if not heights:
        return Moves()
    cost = floor_seconds(request)

    def move(a: str, b: str) -> int:
        return cost if (a == FLOOR) != (b == FLOOR) else 0

    within = sum(move(a, b) for a, b in zip(heights, heights[1:]))
    return Moves(within, move(heights[-1], heights[0]))


NO_MOVES = Moves()


def circuit_seconds(round_seconds: int, rounds: int, goal: Goal, between: Moves = NO_MOVES) -> int:
    """How long `rounds` rounds of `round_seconds` each take (the items' own time), with the
    moves between items and the rests between rounds."""
    per_round = round_seconds + between.within
    return rounds * per_round + (rounds - 1) * (ROUND_REST_SECONDS[goal] + between.between)


def round_seconds(routine: Routine) -> int:
    """One round: the sum of the items' own time (the moves between them not included)."""
    return sum(dose_seconds(item.dosage, item.exercise) for item in routine.items)


def total_seconds(routine: Routine) -> int:
    if not routine.items:
        return 0  # nothing to do, in any number of rounds
    return circuit_seconds(round_seconds(routine), routine.rounds, routine.goal, moves(routine.items, routine.request))


# --- the whole session, with words -----------------------------------------------------


class _Body(NamedTuple):
    """Where the body is: its height, the hip it lies on (side-lying) and the side a long
    band is anchored on."""

    height: str
    down: Side | None = None
    anchor: Side | None = None


def _transition(before: str, after: str, request: Request) -> str | None:
    """What to do to go from one height to another, or None when it is not a transition."""
    if (before == FLOOR) == (after == FLOOR):
        return None
    new = replaced(request)
    good = next(iter(new)).other if len(new) == 1 else None
    leg = f"your {good.value} leg" if good else "your stronger leg"
    if after == FLOOR:
        if new:
            return (f"Get down to the floor slowly, holding a sturdy chair, with your weight on {leg}; "
                    "then hands down and onto your side")  # fmt: skip
        return "Get down onto the floor, on a mat or soft surface"
    where = "onto the chair" if after == CHAIR else "to standing"
    if new:
        return (f"Get up the safe way: roll onto your side, push up with your arms, then come up {where} "
                f"leading with {leg}, holding a sturdy chair")  # fmt: skip
    return f"Get up from the floor {where}"


def _setup_words(ex: Exercise, first: Side | None) -> list[str]:
    """What the equipment needs, in a few words (the first step says where the body goes)."""
    words = []
    if Equipment.CHAIR in ex.equipment:
        words.append("a sturdy chair")
    if Equipment.BAND in ex.equipment:
        if first is None:
            words.append("a long band anchored at ankle height")
        elif ex.position is Position.STANDING:
            words.append(f"a long band anchored at ankle height, your {first.value} side toward it")
        else:
            words.append(f"a long band anchored at ankle height on your {anchor_side(ex, first).value} side")
    if Equipment.LOOP_BAND in ex.equipment:
        place = next((m.group(1) for step in ex.steps if (m := _LOOP_PLACE.search(step))), None)
        words.append(f"a loop band round {place}" if place else "a loop band")
    if Equipment.BALL in ex.equipment:
        words.append("a ball (lacrosse or tennis) to hand")
    return words


def _change_words(kind: str, ex: Exercise, side: Side) -> str:
    """What to do to change to `side` (the working leg)."""
    if kind == "rollover":
        down = hip_down(ex, side).value
        works = f"the ball under your {side.value} hip now" if Equipment.BALL in ex.equipment else (
            f"the {side.value} leg works now")  # fmt: skip
        return f"Roll onto your {down} side, {down} hip down; {works}"
    if kind == "anchor":
        if ex.position is Position.STANDING:
            return (f"Move the band to your {side.value} ankle and turn round, "
                    f"{side.value} side toward the anchor")  # fmt: skip
        return f"Move the band's anchor to your {anchor_side(ex, side).value}; the {side.value} leg works now"
    return f"Switch to the {side.value} side"


def _why_one_side(request: Request, only: Side, first_time: bool) -> str:
    """Why per-side work is done on one side: a protected hip, or asked for."""
    protected = {side for side, _ in request.protect}
    if only.other in protected:
        if first_time:
            return f"Your {only.other.value} hip is protected: {only.value} leg only today"
        return f"{only.value.capitalize()} leg only today"
    return f"{only.value.capitalize()} leg only, as asked"


def _first_side(item: Item, body: _Body) -> Side | None:
    """The side an item starts on: left, unless the person already lies on the hip that
    the right side needs (a side-lying item after another: no roll-over between them), or
    the band is already anchored where the right side needs it."""
    sides = item.dosage.worked_sides
    if not sides or len(sides) == 1:
        return sides[0] if sides else None
    ex, kind = item.exercise, change_kind(item.exercise)
    if kind == "rollover" and body.down is not None:
        return next((s for s in sides if hip_down(ex, s) is body.down), sides[0])
    if kind == "anchor" and body.anchor is not None:
        return next((s for s in sides if anchor_side(ex, s) is body.anchor), sides[0])
    return sides[0]


def _item_phases(
    item: Item, index: int, body: _Body | None, request: Request, told: bool
) -> tuple[list[Phase], _Body]:
    """One item's phases after `body` (None: the first), with their words, and where the
    body is after it."""
    ex, dose = item.exercise, item.dosage
    out: list[Phase] = []
    here = height(ex)
    # The first item of a round has no way down or up of its own: the session starts where
    # it is, and a later round's move comes after the rest between rounds.
    way = _transition(body.height, here, request) if body is not None and index else None
    if way is not None:
        out.append(Phase(index, "transition", floor_seconds(request), text=way))
    kind = change_kind(ex)
    first = _first_side(item, body or _Body(here))
    sentences = []
    if dose.only is not None:
        sentences.append(_why_one_side(request, dose.only, not told))
    elif first is not None:
        sentences.append(f"{first.value.capitalize()} side first")
    gear = _setup_words(ex, first)
    if gear:
        sentences.append("You need " + (", ".join(gear[:-1]) + " and " + gear[-1] if len(gear) > 1 else gear[0]))
    setup_text = ". ".join(sentences)
    last: Side | None = None
    for step, seconds, number, side in _steps(dose, kind, _order(dose, kind, first)):
        text: str | None = None
        if step == "setup":
            text = setup_text or None
        elif step in CHANGE_SECONDS and side is not None:
            text = _change_words(step, ex, side)
        elif step in ("reps", "hold") and side is not None and side is dose.extra and number == dose.sets + 1:
            text = f"Extra set for your stiff {side.value} hip"
        out.append(Phase(index, step, seconds, number, side.value if side else None, text=text))
        last = side if side is not None else last
    down = hip_down(ex, last) if kind == "rollover" and last is not None else None
    anchor = anchor_side(ex, last) if Equipment.BAND in ex.equipment and last is not None else None
    return out, _Body(here, down, anchor)


def _one_round(routine: Routine, told: bool = False, body: _Body | None = None) -> tuple[list[Phase], _Body | None]:
    """One round's phases, and where the body is at its end; `told`: the reason for
    one-sided work was given already, `body`: where the round before left the body (a
    later round starts on the side it is already set up for)."""
    request = routine.request
    one: list[Phase] = []
    for index, item in enumerate(routine.items):
        found, body = _item_phases(item, index, body, request, told)
        told = told or item.dosage.only is not None
        one.extend(found)
    return one, body


def timeline(routine: Routine) -> list[Phase]:
    """Every phase of the routine, in the order a person does them: round by round."""
    one, body = _one_round(routine)
    if routine.rounds == 1 or body is None:
        return one
    return _rounds(routine, one, body)


def _rounds(routine: Routine, one: list[Phase], body: _Body) -> list[Phase]:
    """The first round's phases, then a rest (and a move) and the same again, round by round."""
    request = routine.request
    rest = ROUND_REST_SECONDS[routine.goal]
    last = len(routine.items) - 1
    back = _transition(body.height, height(routine.items[0].exercise), request)
    out = list(one)
    end: _Body | None = body
    for number in range(2, routine.rounds + 1):
        out.append(Phase(last, "rest", rest, None, None, number - 1))
        if back is not None:
            out.append(Phase(last, "transition", floor_seconds(request), None, None, number - 1, back))
        # The same lengths; the sides may start where the round before ended, and a
        # one-sided reason is said briefly.
        again, end = _one_round(routine, told=True, body=end)
        out.extend(phase._replace(round=number) for phase in again)
    return out


def item_phases(routine: Routine) -> list[list[Phase]]:
    """Each item's phases in the first round (its move from the item before included)."""
    out: list[list[Phase]] = [[] for _ in routine.items]
    for phase in _one_round(routine)[0]:
        out[phase.item].append(phase)
    return out


def item_times(routine: Routine) -> list[int]:
    """Each item's seconds in the first round: the sum of its phases there."""
    return [sum(p.seconds for p in found) for found in item_phases(routine)]
