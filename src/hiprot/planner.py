"""Build a routine: filters + catalogue -> Routine. Pure: no I/O, no printing.

The steps, each a function below:
1. pool      - exercises for the goal that fit level, position and equipment; one above
               the level is swapped for the first variant down its `easier` chain that fits.
2. dose      - the catalogue's ranges turned into numbers for the goal and level.
3. choose    - a lazy greedy pick (O(n log n)): cover requested muscles, else spread
               across the IR movers and the external rotators; then fill the time budget.
4. order     - one block per position, floor to feet (warm-up, strength) or feet to floor
               (recovery); within a block mobility, strength, then long holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError
from hiprot.models import (
    EXTERNAL_ROTATORS,
    IR_MOVERS,
    Dosage,
    Exercise,
    Goal,
    Item,
    Kind,
    Level,
    Muscle,
    Position,
    Prescription,
    Request,
    Routine,
)
from hiprot.timeline import dose_seconds
MIN_ITEMS = 3
FILL_SHARE = 0.7  # a budget of FILL_FROM_MINUTES or more is used at least this much
FILL_FROM_MINUTES = 10
DEFAULT_REST = {Goal.WARMUP: 0, Goal.STRENGTH: 30, Goal.RECOVERY: 15}

FLOOR_TO_FEET = (
    Position.LYING,
    Position.SIDE_LYING,
    Position.QUADRUPED,
    Position.KNEELING,
    Position.SEATED,
    Position.SQUAT,
    Position.STANDING,
)
POSITION_ORDER = {
    Goal.WARMUP: FLOOR_TO_FEET,
    Goal.STRENGTH: FLOOR_TO_FEET,
    Goal.RECOVERY: tuple(reversed(FLOOR_TO_FEET)),
}
BLOCK_ORDER = (Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE)
# Which kinds of work a goal prefers, best first.
KIND_PREFERENCE = {
    Goal.WARMUP: (Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE),
    Goal.STRENGTH: (Kind.STRENGTH, Kind.MOBILITY, Kind.STRETCH, Kind.RELEASE),
    Goal.RECOVERY: (Kind.STRETCH, Kind.RELEASE, Kind.MOBILITY, Kind.STRENGTH),
}
SPREAD_GROUPS = (IR_MOVERS, EXTERNAL_ROTATORS)


def minimum_items(request: Request, available: int) -> int:
    """At least three exercises, unless fewer qualify or the request's count asks for fewer."""
    return min(MIN_ITEMS, available, request.count if request.count is not None else available)


class Candidate(NamedTuple):
    exercise: Exercise
    substituted_for: Exercise | None
    dosage: Prescription
    rank: tuple  # static preference: lower is better
    seconds: int


def build_routine(catalogue: Catalogue, request: Request) -> Routine:
    """The routine for a request, or NoFitError saying which filter to relax."""
    if request.minutes is not None and request.minutes < 1:
        raise NoFitError("--minutes must be at least 1.")
    pool = eligible(catalogue, request)
    if not pool:
        raise NoFitError(_why_empty(catalogue, request))
    for muscle in request.muscles:
        if not any(muscle in c.exercise.muscles.primary for c in pool):
            raise NoFitError(_why_uncovered(catalogue, request, muscle))
    chosen = None
    if request.equipment is None:
        # Nothing said about equipment: stay bodyweight if that makes a complete routine.
        bodyweight = [c for c in pool if not c.exercise.equipment]
        chosen = _complete(bodyweight, request, minimum=minimum_items(request, len(pool)))
    if chosen is None:
        chosen = _choose(pool, request)
    items = tuple(Item(c.exercise, c.dosage, c.substituted_for) for c in _order(chosen, request.goal))
    return Routine(request, items)


# --- 1. pool ---------------------------------------------------------------------------


def _fits(ex: Exercise, request: Request) -> bool:
    no_loaded_work = request.goal is Goal.RECOVERY and ex.kind is Kind.STRENGTH
    return request.filters.admits(ex) and not no_loaded_work


def _stand_in(catalogue: Catalogue, ex: Exercise, request: Request) -> Exercise | None:
    """The first variant down the easier chain that fits (the chain is loop-free)."""
    current = ex.easier
    while current is not None:
        variant = catalogue.by_id[current]
        if _fits(variant, request):
            return variant
        current = variant.easier
    return None


def eligible(catalogue: Catalogue, request: Request) -> list[Candidate]:
    """Every exercise the request allows, once each, with its dose; substitutes marked."""
    pool = _pool(catalogue, request)
    if request.muscles:
        pool = [c for c in pool if any(c.exercise.works(m) for m in request.muscles)]
    return pool


def _pool(catalogue: Catalogue, request: Request) -> list[Candidate]:
    """Exercises for the goal that fit, ignoring muscles; a level substitute is recorded."""
    found: dict[str, Exercise | None] = {}
    for ex in catalogue.exercises:
        if request.goal not in ex.goals:
            continue
        if _fits(ex, request):
            found.setdefault(ex.id, None)
        elif ex.level.rank > request.level.rank:
            variant = _stand_in(catalogue, ex, request)
            # A substitute also reachable on its own is still shown as standing in:
            # the person learns why it is there.
            if variant is not None and found.get(variant.id) is None:
                found[variant.id] = ex
    rng = None
    if request.seed is not None:
        import random

        rng = random.Random(request.seed)
    kinds = KIND_PREFERENCE[request.goal]
    doses: dict[Dosage, Prescription] = {}  # a large catalogue repeats the same few doses
    candidates = []
    for index, (ex_id, original) in enumerate(found.items()):
        ex = catalogue.by_id[ex_id]
        # Nothing said: bodyweight first. Equipment named: use what the person has.
        gear = len(ex.equipment) if request.equipment is None else -len(ex.equipment)
        tiebreak = rng.random() if rng is not None else index
        rank = (gear, kinds.index(ex.kind), tiebreak)
        dose = doses.get(ex.dosage)
        if dose is None:
            dose = doses[ex.dosage] = prescribe(ex, request.goal, request.level)
        candidates.append(Candidate(ex, original, dose, rank, dose_seconds(dose)))
    return candidates


# --- 2. dose ---------------------------------------------------------------------------


def prescribe(ex: Exercise, goal: Goal, level: Level) -> Prescription:
    """Warm-up: one set, the shortest hold. Strength: the ranges by level. Recovery: longest holds."""
    d = ex.dosage
    reps = d.reps.at(level) if d.reps is not None else None
    hold = None
    if d.hold_s is not None:
        hold = {
            Goal.WARMUP: d.hold_s.low,
            Goal.STRENGTH: d.hold_s.at(level),
            Goal.RECOVERY: d.hold_s.high,
        }[goal]
    sets = {Goal.WARMUP: 1, Goal.STRENGTH: d.sets.at(level), Goal.RECOVERY: d.sets.low}[goal]
    rest = d.rest_s.at(level) if d.rest_s is not None else DEFAULT_REST[goal]
    return Prescription(sets=sets, per_side=d.per_side, reps=reps, hold_s=hold, rest_s=rest if sets > 1 else 0)


# --- 3. choose -------------------------------------------------------------------------


class _Picker:
    """Greedy choice under the budget, keeping room for the minimum number of items."""

    def __init__(self, pool: list[Candidate], request: Request) -> None:
        self.budget = request.budget_seconds
        self.limit = request.count if request.count is not None else len(pool)
        self.minimum = minimum_items(request, len(pool))
        self.chosen: list[Candidate] = []
        self.taken: set[int] = set()
        self.used = 0
        self.covered: set[Muscle] = set()
        # Shortest durations, to check that the minimum number of items still fits.
        self.shortest = sorted((c.seconds, id(c)) for c in pool)[: self.minimum + 1]

    def room_for(self, cand: Candidate) -> bool:
        if len(self.chosen) >= self.limit:
            return False
        seconds = cand.seconds
        still_needed = self.minimum - len(self.chosen) - 1
        if still_needed > 0:
            others = [s for s, key in self.shortest if key not in self.taken and key != id(cand)]
            seconds += sum(others[:still_needed])
        return self.used + seconds <= self.budget

    def swap(self, out: Candidate, cand: Candidate) -> None:
        self.chosen[self.chosen.index(out)] = cand
        self.taken.discard(id(out))
        self.taken.add(id(cand))
        self.used += cand.seconds - out.seconds
        self.covered = {m for c in self.chosen for m in c.exercise.muscles.primary}

    def unchosen(self, pool: list[Candidate]) -> list[Candidate]:
        return [c for c in pool if id(c) not in self.taken]

    def take(self, cand: Candidate) -> None:
        self.chosen.append(cand)
        self.taken.add(id(cand))
        self.used += cand.seconds
        self.covered.update(cand.exercise.muscles.primary)

    def greedy(self, pool: Iterable[Candidate], gain) -> None:
        """Lazy greedy: gains only shrink as coverage grows, so a re-scored top is exact."""
        heap = [(_neg(gain(c)), c.rank, i, c) for i, c in enumerate(pool)]
        if not heap:
            return
        shortest = min(c.seconds for _, _, _, c in heap)
        heapq.heapify(heap)
        while heap and len(self.chosen) < self.limit and self.budget - self.used >= shortest:
            old, rank, i, cand = heapq.heappop(heap)
            new = _neg(gain(cand))
            if new != old:
                heapq.heappush(heap, (new, rank, i, cand))
                continue
            if self.room_for(cand):
                self.take(cand)


def _neg(values: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-v for v in values)


def _choose(pool: list[Candidate], request: Request) -> list[Candidate]:
    picker = _Picker(pool, request)
    requested = set(request.muscles)
    if requested:
        targets = [c for c in pool if requested & set(c.exercise.muscles.primary)]
        picker.greedy(targets, lambda c: (len(requested & set(c.exercise.muscles.primary) - picker.covered),))
        missing = requested - picker.covered
        if missing:
            raise NoFitError(_too_short(request, pool, f"cover {_names(missing)}"))

    def spread(c: Candidate) -> tuple[int, int]:
        primary = set(c.exercise.muscles.primary)
        groups = sum(1 for g in SPREAD_GROUPS if primary & g and not picker.covered & g)
        return groups, len(primary - picker.covered)

    picker.greedy(picker.unchosen(pool), spread)
    if len(picker.chosen) < picker.minimum:
        raise NoFitError(_too_short(request, pool, f"fit {picker.minimum} exercises"))
    _fill_up(picker, pool, request)
    picker.greedy(picker.unchosen(pool), lambda c: ())  # anything that still fits
    return picker.chosen


def _complete(pool: list[Candidate], request: Request, minimum: int) -> list[Candidate] | None:
    """A routine from this pool if it is as good as the full pool's promise, else None."""
    if len(pool) < minimum:
        return None
    try:
        chosen = _choose(pool, request)
    except NoFitError:
        return None
    used = sum(c.seconds for c in chosen)
    budget = request.budget_seconds
    if budget >= FILL_FROM_MINUTES * 60 and used < FILL_SHARE * budget and len(chosen) != request.count:
        return None
    return chosen


def _fill_up(picker: _Picker, pool: list[Candidate], request: Request) -> None:
    """Swap short items for longer ones until a long budget is at least 70% used."""
    if picker.budget < FILL_FROM_MINUTES * 60:
        return
    goal = FILL_SHARE * picker.budget
    protected = set(request.muscles)
    for _ in range(2 * len(picker.chosen)):  # each swap adds time; a few rounds suffice
        if picker.used >= goal:
            return
        best = None
        spare = picker.unchosen(pool)
        for out in picker.chosen:
            rest = [c for c in picker.chosen if c is not out]
            if protected - {m for c in rest for m in c.exercise.muscles.primary}:
                continue  # removing it would uncover a requested muscle
            for cand in spare:
                used = picker.used - out.seconds + cand.seconds
                if used <= picker.budget and used > picker.used and (best is None or used > best[0]):
                    best = (used, out, cand)
        if best is None:
            return
        _, out, cand = best
        picker.swap(out, cand)


# --- 4. order --------------------------------------------------------------------------


def _order(chosen: list[Candidate], goal: Goal) -> list[Candidate]:
    positions = POSITION_ORDER[goal]
    return sorted(
        chosen,
        key=lambda c: (
            positions.index(c.exercise.position),
            BLOCK_ORDER.index(c.exercise.kind),
            c.seconds,  # within a kind, shorter work first
            c.rank,
        ),
    )


# --- messages for a request that cannot be met -----------------------------------------


def _names(muscles: Iterable[Muscle]) -> str:
    return ", ".join(m.label for m in sorted(muscles, key=list(Muscle).index))


def _too_short(request: Request, pool: list[Candidate], what: str) -> str:
    need = sorted(c.seconds for c in pool)[: minimum_items(request, len(pool))]
    minutes = -(-sum(need) // 60)
    return (
        f"{request.budget_seconds // 60} minutes is too short to {what} "
        f"for a {request.goal.value} routine with these filters. Try --minutes {max(minutes, 1)} or more."
    )


# Each filter a message can suggest relaxing: its flag, its field, and its widest value.
_RELAXABLE = (("--position", "positions", None), ("--equipment", "equipment", None), ("--level", "level", Level.ADVANCED))


def _blame(catalogue: Catalogue, request: Request, keep) -> list[str]:
    """Which single filters, if widened, would let something through."""
    hints = []
    for flag, field, widest in _RELAXABLE:
        if getattr(request, field) == widest:
            continue
        if any(keep(c) for c in _pool(catalogue, replace(request, **{field: widest}))):
            hints.append(flag)
    return hints


def _why_empty(catalogue: Catalogue, request: Request) -> str:
    goal = request.goal.value
    base = _pool(catalogue, replace(request, **{field: widest for _, field, widest in _RELAXABLE}))
    if not base:
        return f"The catalogue has no {goal} exercises. Try another --goal."
    wanted = set(request.muscles)
    hints = _blame(catalogue, request, lambda c: not wanted or any(c.exercise.works(m) for m in wanted))
    if request.muscles and not hints:
        return f"No {goal} exercise works {_names(wanted)}.{_goals_for(catalogue, wanted)} Drop --muscle or change --goal."
    parts = []
    if request.positions is not None:
        found = sorted({c.exercise.position.value for c in base})
        parts.append(f"positions with {goal} work: {', '.join(found)}")
    if request.equipment is not None:
        parts.append("--equipment lists what you have; add what you own or drop it to allow all")
    if "--level" in hints:
        parts.append(f"a higher --level than {request.level.value} would allow more")
    relax = " or ".join(hints) if hints else "these filters together"
    advice = f" Relax it: {'; '.join(parts)}." if parts else " Drop a filter."
    working = f" that works {_names(wanted)}" if wanted else ""
    return f"No {goal} exercise{working} fits {relax}.{advice}"


def _why_uncovered(catalogue: Catalogue, request: Request, muscle: Muscle) -> str:
    goal = request.goal.value
    hints = _blame(catalogue, request, lambda c: muscle in c.exercise.muscles.primary)
    if hints:
        return (
            f"No {goal} exercise that fits your filters has {muscle.label} as a main muscle. "
            f"Relax {' or '.join(hints)}, or drop --muscle {muscle.value}."
        )
    elsewhere = _goals_for(catalogue, {muscle})
    return f"No {goal} exercise has {muscle.label} as a main muscle.{elsewhere} Drop --muscle {muscle.value} or change --goal."


def _goals_for(catalogue: Catalogue, muscles: set[Muscle]) -> str:
    goals = {g for ex in catalogue.exercises if muscles & set(ex.muscles.primary) for g in ex.goals}
    names = [g.value for g in Goal if g in goals]
    return f" Goals that do: {', '.join(names)}." if names else ""
