"""How long everything takes: a routine as a sequence of timed phases. Pure.

This is the only module that knows durations. An item is done as `setup` (get into
position), then for each set and side either `reps` (reps x 3 s) or `hold` (hold_s),
with a `switch` before each change of side and a `rest` between sets (a phase's `set`
and `side` say which set and side it leads into or is). Per-side work done on one side
only (the other hip protected) has that side's phases alone; a stiff hip's extra set
comes last, on that side. An item's seconds and a
routine's total are sums over these phases, so the estimate printed with a routine and
the guided session can never disagree.

A routine of several rounds (a circuit) is every item in order, a `rest` phase, then
every item again: the rest belongs to the last item of the round it ends (so skipping
it starts the next round) and carries that round's number, like every phase.
"""

from __future__ import annotations

from functools import lru_cache

from hiprot.models import Dose, Goal, Item, Phase, Routine

REP_SECONDS = 3
SWITCH_SECONDS = 5
SETUP_SECONDS = 15
SIDES = ("left", "right")
# The rest between two rounds of a circuit: a breather after a light warm-up or gentle
# recovery pass, a minute after a round of strength work.
ROUND_REST_SECONDS = {Goal.WARMUP: 30, Goal.STRENGTH: 60, Goal.RECOVERY: 30}


def phases(item: Item, index: int = 0) -> list[Phase]:
    """The phases of one routine item; `index` is its place in the routine."""
    return [Phase(index, *step) for step in _steps(item.dosage)]


@lru_cache(maxsize=1024)
def _steps(p: Dose) -> tuple[tuple[str, int, int | None, str | None], ...]:
    """(kind, seconds, set, side) for a dose; a catalogue repeats the same few doses."""
    if p.reps is not None:
        work = ("reps", p.reps * REP_SECONDS)
    elif p.hold_s is not None:
        work = ("hold", p.hold_s)
    else:
        raise ValueError("a prescription needs reps or a hold")
    sides: tuple[str | None, ...] = tuple(s.value for s in p.worked_sides) if p.worked_sides else (None,)
    rounds = [(number, sides) for number in range(1, p.sets + 1)]
    if p.extra is not None and p.extra.value in sides:  # never on a side not worked
        rounds.append((p.sets + 1, (p.extra.value,)))
    steps: list[tuple[str, int, int | None, str | None]] = [("setup", SETUP_SECONDS, None, None)]
    previous: str | None = sides[0]
    for number, worked in rounds:
        if number > 1 and p.rest_s:
            steps.append(("rest", p.rest_s, number, None))
        for side in worked:
            if side is not None and side != previous:
                steps.append(("switch", SWITCH_SECONDS, number, side))
            steps.append((work[0], work[1], number, side))
            previous = side
    return tuple(steps)


def dose_seconds(p: Dose) -> int:
    """How long a dose takes, setup included."""
    return sum(step[1] for step in _steps(p))


def item_seconds(item: Item) -> int:
    return dose_seconds(item.dosage)


def timeline(routine: Routine) -> list[Phase]:
    """Every phase of the routine, in the order a person does them: round by round."""
    one = [phase for index, item in enumerate(routine.items) for phase in phases(item, index)]
    if routine.rounds == 1:
        return one
    rest = ROUND_REST_SECONDS[routine.goal]
    last = len(routine.items) - 1
    out: list[Phase] = []
    for number in range(1, routine.rounds + 1):
        if number > 1:
            out.append(Phase(last, "rest", rest, None, None, number - 1))
        out.extend(phase._replace(round=number) for phase in one)
    return out


def circuit_seconds(round_seconds: int, rounds: int, goal: Goal) -> int:
    """How long `rounds` rounds of `round_seconds` each take, rests between them included."""
    return rounds * round_seconds + (rounds - 1) * ROUND_REST_SECONDS[goal]


def round_seconds(routine: Routine) -> int:
    """One round: the sum of the items."""
    return sum(item_seconds(item) for item in routine.items)


def total_seconds(routine: Routine) -> int:
    return circuit_seconds(round_seconds(routine), routine.rounds, routine.goal)
