"""Build a routine: Request + Catalogue -> Routine. Pure: no I/O, no printing.

The steps, each a function below:
1. pool      - exercises for the goal that fit level, position, equipment and what to
               avoid; one above the level is swapped for the first variant down its
               `easier` chain that fits. Without equipment named, bodyweight only
               whenever a bodyweight exercise qualifies.
2. dose      - the catalogue's ranges turned into numbers for the goal and level.
3. choose    - reserve the slot the routine ends in (standing for warm-up and strength,
               lying for recovery) and, when equipment is named, one exercise that uses
               it; then a lazy greedy pick (O(n log n)): cover the requested muscles,
               else spread across the IR movers and the external rotators; then fill the
               time budget. An exercise and its direct easier or harder variant are
               never both chosen while a pair-free routine of the same size fits, even
               at smaller doses.
4. shrink    - a short budget takes fewer sets (down to 1), then the short end of each
               range, then fewer exercises (down to 1); whatever the budget still
               allows is then given back, item by item.
5. fill      - time left over goes first to the top of each dose range (reps or hold,
               then sets), then to whole extra rounds of the routine (a circuit, a rest
               between rounds, at most MAX_ROUNDS); when one more round misses by a
               little, every dose restarts from the short end of its ranges and grows
               back within the round's share. A warm-up stays light: one set at its
               short holds, so it fills with rounds only. A stiff hip's extra set
               counts against the top of the set range. A routine still under
               FULL_SHARE of its budget carries a `Shortfall` that says why.
6. order     - one block per position, floor to feet (warm-up, strength) or feet to floor
               (recovery); within a block mobility, strength, then long holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from hiprot.catalogue import Catalogue
from hiprot.errors import NoFitError, PickError, TooShortError
from hiprot.limits import MAX_MINUTES
from hiprot.models import (
    EXTERNAL_ROTATORS,
    IR_MOVERS,
    Dosage,
    Dose,
    Equipment,
    Exercise,
    Filters,
    Goal,
    HipScope,
    Item,
    Kind,
    Level,
    Muscle,
    Pick,
    Position,
    Precaution,
    Range,
    Request,
    Routine,
    Shortfall,
    Side,
)
from hiprot.timeline import (
    FLOOR,
    HEIGHT_RANK,
    change_kind,
    circuit_seconds,
    dose_seconds,
    height,
    height_moves,
    moves,
    total_seconds,
)

MIN_ITEMS = 3
FILL_SHARE = 0.7  # a budget of FILL_FROM_MINUTES or more is used at least this much
FILL_FROM_MINUTES = 10
FULL_SHARE = 0.8  # a routine using less of its budget says why
MAX_ROUNDS = 3  # a circuit repeats at most this often: more is volume, not a routine
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
# Where a routine promises to end: on the feet, or lying down after recovery work.
END_POSITION = {Goal.WARMUP: Position.STANDING, Goal.STRENGTH: Position.STANDING, Goal.RECOVERY: Position.LYING}
BLOCK_ORDER = (Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE)
# Which kinds of work a goal prefers, best first.
KIND_PREFERENCE = {
    Goal.WARMUP: (Kind.MOBILITY, Kind.STRENGTH, Kind.STRETCH, Kind.RELEASE),
    Goal.STRENGTH: (Kind.STRENGTH, Kind.MOBILITY, Kind.STRETCH, Kind.RELEASE),
    Goal.RECOVERY: (Kind.STRETCH, Kind.RELEASE, Kind.MOBILITY, Kind.STRENGTH),
}
SPREAD_GROUPS = (IR_MOVERS, EXTERNAL_ROTATORS)
# Each filter a no-fit search tries without: the field and its widest value for a request.
# A medical precaution is never among them: `avoid` widens to its precautions alone (only
# the needs go), and the profile's hip precautions are not a filter at all.
RELAXABLE: tuple[tuple[str, Callable[[Request], Any]], ...] = (
    ("positions", lambda r: None),
    ("equipment", lambda r: None),
    ("level", lambda r: Level.ADVANCED),
    ("muscles", lambda r: ()),
    ("avoid", lambda r: frozenset(a for a in r.avoid if isinstance(a, Precaution))),
    ("side", lambda r: None),
)


class Candidate(NamedTuple):
    exercise: Exercise
    substituted_for: Exercise | None
    dosage: Dose
    rank: tuple[Any, ...]  # static preference: lower is better
    seconds: int


def minimum_items(request: Request, available: int) -> int:
    """At least three exercises, unless fewer qualify or the request's count asks for fewer."""
    return min(MIN_ITEMS, available, request.count if request.count is not None else available)


GROWING_NOTE = (
    "A saved routine starts at your level's doses and steps up after good sessions, "
    "so part of its time is left as room to grow."
)


def build_routine(catalogue: Catalogue, request: Request, *, fill: bool = True) -> Routine:
    """The routine for a request, or a NoFitError that says what stops it. Without `fill`
    the doses stay at the level's prescription and the routine is done once (a saved
    routine: progression grows it into its time)."""
    if request.minutes is not None and request.minutes < 1:
        raise TooShortError(request.goal.value, request.minutes, _minutes_that_build(catalogue, request))
    if request.picks:
        return written_routine(catalogue, request)
    if request.keep or request.drop or request.swap:
        return _adjusted(catalogue, request, fill)
    return _chosen_routine(catalogue, request, fill)


def _chosen_routine(catalogue: Catalogue, request: Request, fill: bool) -> Routine:
    pool = eligible(catalogue, request)
    uncovered = tuple(m for m in request.muscles if not any(m in c.exercise.muscles.primary for c in pool))
    if not pool or uncovered:
        found = blockers(catalogue, request)
        raise NoFitError(
            request.goal.value,
            found,
            tuple(m.label for m in uncovered),
            _goals_for(catalogue, set(uncovered)),
            () if found else _precautions_to_blame(catalogue, request),
        )
    routine = _build(pool, request, fill)
    if routine is None and request.count is not None and _builds(catalogue, request._replace(count=None)):
        raise NoFitError(request.goal.value, ("count",))
    if routine is None:
        raise TooShortError(request.goal.value, request.budget_seconds // 60, _minutes_that_build(catalogue, request))
    if not fill and total_seconds(routine) < FULL_SHARE * request.budget_seconds:
        routine = routine._replace(notes=(*routine.notes, GROWING_NOTE))
    return routine._replace(sources=catalogue.sources)  # so reports can cite titles


def _build(pool: list[Candidate], request: Request, fill: bool = True) -> Routine | None:
    """The routine from an eligible pool, or None when nothing fits the budget."""
    bodyweight, more_with = _prefer_bodyweight(pool, request)
    chosen = _fit(bodyweight, request) if more_with else None
    used = bodyweight
    notes: tuple[str, ...] = ()
    if chosen is None:
        used = pool
        chosen = _fit(pool, request)
        if more_with and chosen is not None and any(c.exercise.equipment for c in chosen):
            # Bodyweight work qualifies but none fits the time: say so, never surprise.
            notes = ("No bodyweight exercise fits this time budget, so this routine uses equipment.",)
        more_with = ()
    if chosen is None:
        return None
    items = tuple(Item(c.exercise, c.dosage, c.substituted_for) for c in _order(chosen, request.goal))
    routine = Routine(request, items, more_with=more_with, notes=notes)
    return _filled(routine, used) if fill else routine


def _builds(catalogue: Catalogue, request: Request) -> bool:
    pool = eligible(catalogue, request)
    if not pool or any(not any(m in c.exercise.muscles.primary for c in pool) for m in request.muscles):
        return False
    return _build(pool, request, fill=False) is not None


# --- 1. pool ---------------------------------------------------------------------------


def _fits(ex: Exercise, request: Request, filters: Filters) -> bool:
    no_loaded_work = request.goal is Goal.RECOVERY and ex.kind is Kind.STRENGTH
    return filters.admits(ex) and not no_loaded_work and sides_for(ex, request) is not None


def sides_for(ex: Exercise, request: Request) -> tuple[Side | None, Side | None] | None:
    """How an exercise may be done under the request's hip precautions, side and stiff
    hips: (the one side it is done on, or None for the usual; the side that gets an extra
    set, or None), or None when it cannot be done at all.

    A hip under a precaution the exercise carries rules out work on that hip: per-side
    work whose precaution concerns the working hip is done on the other side only; work
    that puts both hips in position (or is not done per side) is left out.
    """
    if not request.protect and request.side is None and not request.stiff:
        return None, None  # the usual case, on every exercise of a large catalogue: no work here
    blocked = {side for side, precaution in request.protect if precaution in ex.precautions}
    per_side = ex.dosage.per_side
    if blocked and (not per_side or ex.hips is not HipScope.WORKING):
        return None
    if not per_side:
        return None, None
    allowed = [side for side in Side if side not in blocked and request.side in (None, side)]
    if not allowed:
        return None
    stiff = [side for side in allowed if side in request.stiff]
    extra = stiff[0] if len(stiff) == 1 and ex.kind in (Kind.MOBILITY, Kind.STRETCH) else None
    return (allowed[0] if len(allowed) == 1 else None), extra


def dose_for(ex: Exercise, request: Request) -> Dose:
    """The exercise's dose for this request: its goal and level, on the sides it may be
    done on, with a stiff hip's extra set where the catalogue's range has room for it."""
    dose = prescribe(ex, request.goal, request.level)
    rule = sides_for(ex, request)
    if rule is None or rule == (None, None):
        return dose
    only, extra = rule
    if extra is not None and dose.sets + 1 > max(ex.dosage.sets.high, 1):
        extra = None
    return dose._replace(only=only, extra=extra, rest_s=dose.rest_s or (DEFAULT_REST[request.goal] if extra else 0))


def _stand_in(
    catalogue: Catalogue, ex: Exercise, request: Request, filters: Filters, below: dict[str, Exercise | None]
) -> Exercise | None:
    """The first variant down the easier chain that fits (the chain is loop-free).

    `below` remembers, for each variant already walked past, what the walk found beyond
    it, so one long chain is walked once per request, not once per exercise on it (a
    chain of 8,000 took 32 s when every walk started again).
    """
    walked: list[str] = []
    found: Exercise | None = None
    current = ex.easier
    while current is not None:
        if current in below:
            found = below[current]
            break
        variant = catalogue.by_id[current]
        if request.goal in variant.goals and _fits(variant, request, filters):
            found = variant
            break
        walked.append(current)
        current = variant.easier
    for passed in walked:
        below[passed] = found
    return found


def eligible(catalogue: Catalogue, request: Request) -> list[Candidate]:
    """Every exercise the request allows, once each, with its dose; substitutes marked."""
    pool = _pool(catalogue, request)
    if request.muscles:
        pool = [c for c in pool if any(c.exercise.works(m) for m in request.muscles)]
    return pool


def _pool(catalogue: Catalogue, request: Request) -> list[Candidate]:
    """Exercises for the goal that fit, ignoring muscles; a level substitute is recorded."""
    found: dict[str, Exercise | None] = {}
    filters = request.filters
    below: dict[str, Exercise | None] = {}
    left_out = {*request.drop, *request.swap}  # resolved ids by now (see _adjusted)
    for ex in catalogue.exercises:
        if request.goal not in ex.goals or ex.id in left_out:
            continue
        if _fits(ex, request, filters):
            found.setdefault(ex.id, None)
        elif ex.level.rank > request.level.rank:
            variant = _stand_in(catalogue, ex, request, filters, below)
            # A substitute also reachable on its own is still shown as standing in:
            # the person learns why it is there.
            if variant is not None and found.get(variant.id) is None:
                found[variant.id] = ex
    for gone in left_out:  # nor as a stand-in for a harder variant
        found.pop(gone, None)
    rng = None
    if request.seed is not None:
        import random

        rng = random.Random(request.seed)
    kinds = KIND_PREFERENCE[request.goal]
    doses: dict[tuple[Dosage, Any, str], tuple[Dose, int]] = {}  # a large catalogue repeats the same few doses
    candidates = []
    for index, (ex_id, original) in enumerate(found.items()):
        ex = catalogue.by_id[ex_id]
        # Nothing said: bodyweight first. Equipment named: use what the person has.
        gear = len(ex.equipment) if request.equipment is None else -len(ex.equipment)
        tiebreak = rng.random() if rng is not None else index
        rank = (gear, kinds.index(ex.kind), tiebreak)
        key = (ex.dosage, sides_for(ex, request), change_kind(ex))
        known = doses.get(key)
        if known is None:
            dose = dose_for(ex, request)
            known = doses[key] = (dose, dose_seconds(dose, ex))
        candidates.append(Candidate(ex, original, known[0], rank, known[1]))
    return candidates


# --- 2. dose ---------------------------------------------------------------------------


def prescribe(ex: Exercise, goal: Goal, level: Level) -> Dose:
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
    return Dose(sets=sets, per_side=d.per_side, reps=reps, hold_s=hold, rest_s=rest if sets > 1 else 0)


# --- 3. choose -------------------------------------------------------------------------


def _prefer_bodyweight(pool: list[Candidate], request: Request) -> tuple[list[Candidate], tuple[Equipment, ...]]:
    """Nothing said about equipment: bodyweight only, whenever bodyweight work qualifies
    (and covers the requested muscles). Also returns the equipment left out that way."""
    if request.equipment is not None:
        return pool, ()
    bodyweight = [c for c in pool if not c.exercise.equipment or c.exercise.id in request.keep]
    covered = {m for c in bodyweight for m in c.exercise.muscles.primary}
    if not bodyweight or not set(request.muscles) <= covered:
        return pool, ()
    left_out = {e for c in pool for e in c.exercise.equipment}
    return bodyweight, tuple(e for e in Equipment if e in left_out)


def _partners(ex: Exercise) -> set[str]:
    return {link for link in (ex.easier, ex.harder) if link is not None}


class _Picker:
    """Greedy choice under the budget, keeping room for the minimum number of items."""

    def __init__(self, pool: list[Candidate], request: Request, minimum: int, pairs: bool) -> None:
        self.budget = request.budget_seconds
        self.request = request
        self.limit = request.count if request.count is not None else len(pool)
        self.minimum = minimum
        self.pairs = pairs  # may an exercise stand beside its direct variant?
        self.chosen: list[Candidate] = []
        self.taken: set[int] = set()
        self.ids: set[str] = set()
        self.used = 0  # the chosen items' own time; the moves between them come on top (`moving`)
        self.covered: set[Muscle] = set()
        self.kept: list[Candidate] = []  # reserved slots (last position, equipment): never swapped out
        # Shortest durations, to check that the minimum number of items still fits; two
        # spare, as a candidate's own direct variants (at most two) cannot stand beside it.
        # Ties go by rank, never by where a candidate sits in memory: the same request
        # builds the same routine.
        self.shortest = [
            (c.seconds, id(c), height(c.exercise), c)
            for c in sorted(pool, key=lambda c: (c.seconds, c.rank, c.exercise.id))[: self.minimum + 3]
        ]

    def moving(self, heights: Iterable[str]) -> int:
        """Seconds of getting down to the floor and up again for items at these heights."""
        return height_moves(_in_order(set(heights), self.request.goal), self.request).within

    def clashes(self, cand: Candidate, others: Iterable[Candidate] | None = None) -> bool:
        """True if cand is a direct easier/harder variant of (or the same drill as) a chosen one."""
        # Pairs are a last resort: only while the routine is short of its minimum.
        pairs = self.pairs and len(self.chosen) < self.minimum
        if pairs and others is None:
            return cand.exercise.id in self.ids
        group = self.chosen if others is None else list(others)
        ids = {c.exercise.id for c in group}
        if cand.exercise.id in ids:
            return True
        return not pairs and _pairs_with(cand, group)

    def room_for(self, cand: Candidate) -> bool:
        if len(self.chosen) >= self.limit or self.clashes(cand):
            return False
        seconds = cand.seconds
        heights = {height(c.exercise) for c in self.chosen} | {height(cand.exercise)}
        still_needed = self.minimum - len(self.chosen) - 1
        if still_needed > 0:
            # Without pairs, a variant of this candidate or of one chosen cannot make the count.
            paired: set[str] = set()
            if not self.pairs:
                paired = _partners(cand.exercise).union(*(_partners(c.exercise) for c in self.chosen))
            others = [(s, h) for s, key, h, c in self.shortest
                      if key not in self.taken and key != id(cand) and c.exercise.id not in paired]  # fmt: skip
            seconds += sum(s for s, _ in others[:still_needed])
            heights |= {h for _, h in others[:still_needed]}
        return self.used + seconds + self.moving(heights) <= self.budget

    def take(self, cand: Candidate) -> None:
        self.chosen.append(cand)
        self.taken.add(id(cand))
        self.ids.add(cand.exercise.id)
        self.used += cand.seconds
        self.covered.update(cand.exercise.muscles.primary)

    def swap(self, out: Candidate, cand: Candidate) -> None:
        self.chosen[self.chosen.index(out)] = cand
        self.taken.discard(id(out))
        self.taken.add(id(cand))
        self.ids = {c.exercise.id for c in self.chosen}
        self.used += cand.seconds - out.seconds
        self.covered = {m for c in self.chosen for m in c.exercise.muscles.primary}

    def unchosen(self, pool: list[Candidate]) -> list[Candidate]:
        return [c for c in pool if id(c) not in self.taken]

    def greedy(self, pool: Iterable[Candidate], gain: Callable[[Candidate], tuple[int, ...]]) -> None:
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


def _fit(pool: list[Candidate], request: Request) -> list[Candidate] | None:
    """The chosen candidates. The promised last position is kept whenever anything can
    be built with it; a short budget then takes fewer sets, the short end of each range,
    and last fewer exercises; variant pairs only when nothing else makes the count."""
    end = END_POSITION[request.goal]
    keep_end = [True, False] if any(c.exercise.position is end for c in pool) else [False]
    modes: list[list[Candidate]] = []  # filled as needed: most requests fit as prescribed
    shrink = _dose_modes(pool)

    def dosings() -> Iterator[list[Candidate]]:
        yield from modes
        for dosed in shrink:
            modes.append(dosed)
            yield dosed

    # Equipment named: one exercise that uses it is reserved, whenever one fits.
    gear_first = [True, False] if request.equipment and any(_uses_gear(c, request) for c in pool) else [False]
    free: dict[int, list[set[str]]] = {}  # pair-free sets for each dosing, worked out only if needed
    for keep in keep_end:
        for minimum in range(minimum_items(request, len(pool)), 0, -1):
            # Doses shrink before a variant pair is allowed, or the named equipment left out.
            for pairs in (False, True):
                for gear in gear_first:
                    for dosed in dosings():
                        chosen = _attempt(dosed, request, minimum, keep, pairs, gear)
                        if chosen is None and not pairs:
                            # The greedy may take the middle of a chain of variants and block
                            # both ends: try again among each pair-free set.
                            if id(dosed) not in free:
                                free[id(dosed)] = _pair_free_sets(dosed, end)
                            for ids in free[id(dosed)]:
                                among = [c for c in dosed if c.exercise.id in ids or c.exercise.id in request.keep]
                                chosen = _attempt(among, request, minimum, keep, pairs, gear)
                                if chosen is not None:
                                    break
                        if chosen is not None:
                            if dosed is pool:
                                return chosen
                            return _regrow(chosen, pool, request.budget_seconds - move_reserve(chosen, request))
    return None


def _pair_free_sets(pool: list[Candidate], end: Position) -> list[set[str]]:
    """Pair-free sets to try when the greedy blocked itself: over the whole pool, and on
    each side of the floor (all on the floor, all off it), where no move between heights
    costs time; each also built around the shortest candidate in the promised last
    position, whose variants then cannot block it. None when no two candidates are
    direct variants (nothing to untangle); a set is left out if an earlier one holds it."""
    whole = _pair_free(pool)
    if whole is None:
        return []
    ends = [c for c in pool if c.exercise.position is end]
    seeds = [None, min(ends, key=lambda c: (c.seconds, c.rank))] if ends else [None]
    found = [whole]
    for seed in seeds:
        for on_floor in (None, True, False):
            part = [c for c in pool if on_floor is None or (height(c.exercise) == FLOOR) is on_floor]
            if seed is not None:
                if seed not in part:
                    continue
                part = [c for c in part if c is not seed and not _pairs_with(c, [seed])]
            ids = _pair_free(part)
            if ids is None:
                ids = {c.exercise.id for c in part}
            if seed is not None:
                ids.add(seed.exercise.id)
            if ids and not any(ids <= earlier for earlier in found):
                found.append(ids)
    return found


def _pair_free(pool: list[Candidate]) -> set[str] | None:
    """The ids of a largest set of candidates no two of which are direct variants, or None
    when no two are. Where the variant links form chains, taking an end (the fewest links
    left) first is optimal; between ends, the shorter candidate (then the better ranked)
    is taken, so the set leaves the most time. A heap keeps it O(n log n) on a large
    catalogue."""
    ids = {c.exercise.id: c for c in pool}
    links: dict[str, set[str]] = {}
    for c in pool:
        for link in _partners(c.exercise):
            if link in ids:
                links.setdefault(c.exercise.id, set()).add(link)
                links.setdefault(link, set()).add(c.exercise.id)
    if not links:
        return None
    free = set(ids) - set(links)
    heap = [(len(near), ids[i].seconds, ids[i].rank, i) for i, near in links.items()]
    heapq.heapify(heap)
    while heap:
        degree, _, _, pick = heapq.heappop(heap)
        if pick not in links:
            continue  # taken out with a neighbour
        if degree != len(links[pick]):
            continue  # it lost a link since: a newer entry stands for it
        free.add(pick)
        for gone in links.pop(pick):  # its variants leave with it
            for other in links.pop(gone, set()):
                if other in links:
                    links[other].discard(gone)
                    heapq.heappush(heap, (len(links[other]), ids[other].seconds, ids[other].rank, other))
    return free


def _uses_gear(c: Candidate, request: Request) -> bool:
    """True if the candidate needs some of the equipment the person named."""
    return bool(request.equipment and set(c.exercise.equipment) & request.equipment)


def _regrow(chosen: list[Candidate], pool: list[Candidate], budget: int) -> list[Candidate]:
    """Give shrunk doses back what the budget still allows: first each item's prescribed
    reps or hold, then one set at a time, item by item, up to the prescribed sets."""
    prescribed = {c.exercise.id: c.dosage for c in pool}
    chosen = list(chosen)
    used = sum(c.seconds for c in chosen)

    def grow(index: int, dose: Dose) -> bool:
        nonlocal used
        bigger = _redose(chosen[index], dose)
        if used - chosen[index].seconds + bigger.seconds > budget:
            return False
        used += bigger.seconds - chosen[index].seconds
        chosen[index] = bigger
        return True

    for i, c in enumerate(chosen):
        full = prescribed[c.exercise.id]
        grow(i, c.dosage._replace(reps=full.reps, hold_s=full.hold_s))
    growing = True
    while growing:
        growing = False
        for i, c in enumerate(chosen):
            full = prescribed[c.exercise.id]
            if c.dosage.sets < full.sets:
                growing |= grow(i, c.dosage._replace(sets=c.dosage.sets + 1, rest_s=full.rest_s))
    return chosen


def _attempt(
    pool: list[Candidate], request: Request, minimum: int, keep_end: bool, pairs: bool, gear: bool = False
) -> list[Candidate] | None:
    picker = _Picker(pool, request, minimum, pairs)
    requested = set(request.muscles)

    def coverage(c: Candidate) -> tuple[int, ...]:
        return (len(requested & set(c.exercise.muscles.primary) - picker.covered),)

    def spread(c: Candidate) -> tuple[int, ...]:
        primary = set(c.exercise.muscles.primary)
        groups = sum(1 for g in SPREAD_GROUPS if primary & g and not picker.covered & g)
        return groups, len(primary - picker.covered)

    end = END_POSITION[request.goal]

    def reserve(wanted: Callable[[Candidate], bool]) -> bool:
        """Take the best candidate with `wanted` that has room; False if none has. One that
        also ends the routine where it promises comes first (it fills both reservations)."""
        found = sorted(
            (c for c in pool if wanted(c)),
            key=lambda c: (keep_end and c.exercise.position is not end, _neg(coverage(c) + spread(c)), c.rank),
        )
        first = next((c for c in found if picker.room_for(c)), None)
        if first is not None:
            picker.take(first)
            picker.kept.append(first)
        return first is not None

    # Exercises kept on request first (checked to be in the pool), as reserved slots.
    for c in pool:
        if c.exercise.id in request.keep:
            if picker.used + c.seconds > picker.budget:
                return None
            picker.take(c)
            picker.kept.append(c)
    # The named equipment first: an exercise using it may itself end the routine.
    has_gear = any(_uses_gear(c, request) for c in picker.chosen)
    if gear and not has_gear and not reserve(lambda c: _uses_gear(c, request)):
        return None
    ends = any(c.exercise.position is end for c in picker.chosen)
    if keep_end and not ends and not reserve(lambda c: c.exercise.position is end):
        return None
    if requested:
        picker.greedy([c for c in pool if requested & set(c.exercise.muscles.primary)], coverage)
        if requested - picker.covered:
            return None
    picker.greedy(picker.unchosen(pool), spread)
    if len(picker.chosen) < picker.minimum:
        return None
    _fill_up(picker, pool, request)
    picker.greedy(picker.unchosen(pool), lambda c: ())  # anything that still fits
    if pairs:
        _unpair(picker, requested)
    return picker.chosen


def _pairs_with(cand: Candidate, group: Iterable[Candidate]) -> bool:
    """True if cand is the direct easier or harder variant of one in the group, or the reverse."""
    return any(
        cand.exercise.id in _partners(c.exercise) or c.exercise.id in _partners(cand.exercise) for c in group
    )


def _unpair(picker: _Picker, requested: set[Muscle]) -> None:
    """Drop the later of two variants wherever the routine keeps its minimum, its last
    position and the requested muscles without it."""
    for cand in reversed(list(picker.chosen)):
        others = [c for c in picker.chosen if c is not cand]
        if any(cand is k for k in picker.kept) or len(others) < picker.minimum or not _pairs_with(cand, others):
            continue
        if requested - {m for c in others for m in c.exercise.muscles.primary}:
            continue
        picker.chosen.remove(cand)
        picker.taken.discard(id(cand))
        picker.used -= cand.seconds
    picker.ids = {c.exercise.id for c in picker.chosen}


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
            if any(out is k for k in picker.kept):
                continue
            rest = [c for c in picker.chosen if c is not out]
            if protected - {m for c in rest for m in c.exercise.muscles.primary}:
                continue  # removing it would uncover a requested muscle
            for cand in spare:
                used = picker.used - out.seconds + cand.seconds
                moving = picker.moving(height(c.exercise) for c in [*rest, cand])
                fits = used + moving <= picker.budget and used > picker.used and (best is None or used > best[0])
                if fits and not picker.clashes(cand, rest):
                    best = (used, out, cand)
        if best is None:
            return
        _, out, cand = best
        picker.swap(out, cand)


# --- 4. shrink -------------------------------------------------------------------------


def _dose_modes(pool: list[Candidate]) -> Iterator[list[Candidate]]:
    """The pool as prescribed, then with sets capped one lower at a time down to 1, then
    at the short end of every range."""
    yield pool
    most = max(c.dosage.sets for c in pool)
    for cap in range(most - 1, 0, -1):
        yield [_redose(c, _cap_sets(c.dosage, cap)) for c in pool]
    yield [_redose(c, smallest_dose(c.exercise, c.dosage)) for c in pool]


def _redose(c: Candidate, dose: Dose) -> Candidate:
    return c if dose == c.dosage else c._replace(dosage=dose, seconds=dose_seconds(dose, c.exercise))


def _cap_sets(p: Dose, cap: int) -> Dose:
    sets = min(p.sets, cap)
    return p._replace(sets=sets, rest_s=p.rest_s if sets > 1 else 0)


def smallest_dose(ex: Exercise, like: Dose | None = None) -> Dose:
    """One set at the short end of every range: the least an exercise can be. The sides
    of `like` (the dose it shrinks) are kept: a protected hip stays out of a short routine."""
    d = ex.dosage
    return Dose(
        sets=1,
        per_side=d.per_side,
        reps=d.reps.low if d.reps is not None else None,
        hold_s=d.hold_s.low if d.hold_s is not None else None,
        rest_s=0,
        only=like.only if like is not None else None,
        extra=like.extra if like is not None else None,
    )


# --- 5. fill --------------------------------------------------------------------------


def _filled(routine: Routine, pool: list[Candidate]) -> Routine:
    """The routine with its doses grown and its rounds set: the fewest rounds that use
    FULL_SHARE of the budget, else whichever uses the most of it; each round count
    first grows the doses, within its share of the budget. Then back in the goal's flow."""
    request = routine.request
    budget, goal = request.budget_seconds, request.goal
    base = sum(dose_seconds(i.dosage, i.exercise) for i in routine.items)
    shortest = [i._replace(dosage=smallest_dose(i.exercise, i.dosage)) for i in routine.items]
    least = sum(dose_seconds(i.dosage, i.exercise) for i in shortest)
    # The moves between heights depend on the order of positions alone, not on the doses.
    between = moves(order_items(routine.items, goal), request)
    best: tuple[int, list[Item], int] | None = None
    for rounds in range(1, MAX_ROUNDS + 1):
        limit = (budget - circuit_seconds(0, rounds, goal, between)) // rounds
        if base <= limit:
            grown = _grow(list(routine.items), limit, request)
        elif least <= limit:
            # One more round misses by a little: every dose starts again from the short end
            # of its ranges and grows back (toward the level's dose) within the round's share.
            grown = _grow(_regrow_items(shortest, routine.items, limit), limit, request)
        else:
            break
        total = circuit_seconds(sum(dose_seconds(i.dosage, i.exercise) for i in grown), rounds, goal, between)
        if best is None or total > best[0]:
            best = (total, grown, rounds)
        if total >= FULL_SHARE * budget:
            break
    if best is None:  # over its budget once through (a caller's dose): left as it is
        return routine
    total, grown, rounds = best
    positions = POSITION_ORDER[goal]

    def place(i: Item) -> tuple[int, int, int, int]:  # as `_order`: the grown doses may reorder a block
        ex = i.exercise
        seconds = dose_seconds(i.dosage, ex)
        return positions.index(ex.position), _height_rank(ex, goal), BLOCK_ORDER.index(ex.kind), seconds

    items = tuple(sorted(grown, key=place))
    short = None
    if total < FULL_SHARE * budget:
        short = _shortfall(items, rounds, pool, request, bool(routine.more_with))
    return routine._replace(items=items, rounds=rounds, shortfall=short)


def _regrow_items(items: list[Item], prescribed: tuple[Item, ...], limit: int) -> list[Item]:
    """Shrunk items given back, within `limit` seconds a round, what they were shrunk
    from: each item's reps or hold first, then one set at a time, item by item."""
    items = list(items)
    used = sum(dose_seconds(i.dosage, i.exercise) for i in items)

    def grow(index: int, dose: Dose) -> bool:
        nonlocal used
        ex = items[index].exercise
        extra = dose_seconds(dose, ex) - dose_seconds(items[index].dosage, ex)
        if dose == items[index].dosage or used + extra > limit:
            return False
        used += extra
        items[index] = items[index]._replace(dosage=dose)
        return True

    for index, full in enumerate(prescribed):
        work = items[index].dosage._replace(reps=full.dosage.reps, hold_s=full.dosage.hold_s)
        if not grow(index, work):  # all at once does not fit: one notch at a time
            while (step := _toward(items[index].dosage, full.dosage)) is not None and grow(index, step):
                pass
    growing = True
    while growing:
        growing = False
        for index, full in enumerate(prescribed):
            dose = items[index].dosage
            if dose.sets < full.dosage.sets:
                growing |= grow(index, dose._replace(sets=dose.sets + 1, rest_s=full.dosage.rest_s))
    return items


def _toward(dose: Dose, full: Dose) -> Dose | None:
    """The dose one rep (or one hold notch) nearer `full`, or None when it is there."""
    if dose.reps is not None and full.reps is not None and dose.reps < full.reps:
        return dose._replace(reps=dose.reps + 1)
    if dose.hold_s is not None and full.hold_s is not None and dose.hold_s < full.hold_s:
        return dose._replace(hold_s=min(dose.hold_s + HOLD_NOTCH_S, full.hold_s))
    return None


def _grow(items: list[Item], limit: int, request: Request) -> list[Item]:
    """Doses raised one notch at a time, item by item, while a round stays within
    `limit` seconds: first reps (or hold) to the top of the range, then sets. A warm-up
    keeps its light dose (one set, short holds)."""
    if request.goal is Goal.WARMUP:
        return items
    used = sum(dose_seconds(i.dosage, i.exercise) for i in items)
    for notch in (_more_work, _more_sets):
        growing = True
        while growing:
            growing = False
            for index, item in enumerate(items):
                dose = notch(item.exercise.dosage, item.dosage, request)
                if dose is None:
                    continue
                extra = dose_seconds(dose, item.exercise) - dose_seconds(item.dosage, item.exercise)
                if used + extra <= limit:
                    used += extra
                    items[index] = item._replace(dosage=dose)
                    growing = True
    return items


HOLD_NOTCH_S = 5


def _more_work(d: Dosage, p: Dose, request: Request) -> Dose | None:
    if p.reps is not None and d.reps is not None and p.reps < d.reps.high:
        return p._replace(reps=p.reps + 1)
    if p.hold_s is not None and d.hold_s is not None and p.hold_s < d.hold_s.high:
        return p._replace(hold_s=min(p.hold_s + HOLD_NOTCH_S, d.hold_s.high))
    return None


def top_sets(d: Dosage, p: Dose) -> int:
    """The most sets a dose may reach within the catalogue's range: a stiff hip's extra
    set counts, so the other side stops one short of the top and the stiff side reaches it."""
    return max(d.sets.high - (1 if p.extra is not None else 0), 1)


def _more_sets(d: Dosage, p: Dose, request: Request) -> Dose | None:
    if p.sets >= top_sets(d, p):
        return None
    rest = p.rest_s or (d.rest_s.at(request.level) if d.rest_s is not None else DEFAULT_REST[request.goal])
    return p._replace(sets=p.sets + 1, rest_s=rest)


def _shortfall(
    items: tuple[Item, ...], rounds: int, pool: list[Candidate], request: Request, bodyweight: bool
) -> Shortfall:
    """Why the routine uses under FULL_SHARE of its budget, as data."""
    ids = {i.exercise.id for i in items}
    links = {link for i in items for link in (i.exercise.easier, i.exercise.harder) if link}
    variants = sum(
        1
        for c in pool
        if c.exercise.id not in ids and (c.exercise.id in links or {c.exercise.easier, c.exercise.harder} & ids)
    )
    capped = request.count is not None and len(items) >= request.count
    return Shortfall(len(pool), variants, bodyweight, request.count if capped else None, rounds < MAX_ROUNDS)


# --- 6. order --------------------------------------------------------------------------


def order_items(items: Iterable[Item], goal: Goal) -> tuple[Item, ...]:
    """Items back in the goal's flow (one block per position, mobility before strength
    before holds), keeping their order within a block: for a routine changed after planning."""
    positions = POSITION_ORDER[goal]
    return tuple(
        sorted(
            items,
            key=lambda i: (
                positions.index(i.exercise.position),
                _height_rank(i.exercise, goal),
                BLOCK_ORDER.index(i.exercise.kind),
            ),
        )
    )


def request_order(items: Iterable[Item], request: Request) -> tuple[Item, ...]:
    """Items in the order the request keeps: a written routine (picks) as written unless it
    asks to be ordered, anything else back in the goal's flow (see `order_items`)."""
    if request.picks and not request.order:
        return tuple(items)
    return order_items(items, request.goal)


def _height_rank(ex: Exercise, goal: Goal) -> int:
    """Within a position (seated: on the floor or on a chair), the floor first on the way
    up and last on the way down, so the person gets down to the floor once and up once."""
    rank = HEIGHT_RANK[height(ex)]
    return -rank if goal is Goal.RECOVERY else rank


def move_reserve(cands: Iterable[Candidate], request: Request) -> int:
    """The most seconds of moves between heights (down to the floor, up from it) that one
    round of these candidates can cost in the goal's order: any subset of them costs no more."""
    return height_moves(_in_order({height(c.exercise) for c in cands}, request.goal), request).within


def _in_order(heights: set[str], goal: Goal) -> list[str]:
    """Heights in the order a routine for the goal visits them: floor to feet, or back."""
    return sorted(heights, key=HEIGHT_RANK.__getitem__, reverse=goal is Goal.RECOVERY)


def _order(chosen: list[Candidate], goal: Goal) -> list[Candidate]:
    positions = POSITION_ORDER[goal]
    return sorted(
        chosen,
        key=lambda c: (
            positions.index(c.exercise.position),
            _height_rank(c.exercise, goal),
            BLOCK_ORDER.index(c.exercise.kind),
            c.seconds,  # within a kind, shorter work first
            c.rank,
        ),
    )


# --- what stops a request --------------------------------------------------------------


def blockers(catalogue: Catalogue, request: Request) -> tuple[str, ...]:
    """The request fields each of which, dropped or widened on its own, lets it build."""
    found = []
    for field, widen in RELAXABLE:
        widest = widen(request)
        if getattr(request, field) == widest:
            continue
        if _builds(catalogue, request._replace(**{field: widest})):
            found.append(field)
    return tuple(found)


def _precautions_to_blame(catalogue: Catalogue, request: Request) -> tuple[str, ...]:
    """The request's medical precautions, in words, when they are what leaves nothing."""
    medical = [a for a in request.avoid if isinstance(a, Precaution)]
    if not medical and not request.protect:
        return ()
    unguarded = request._replace(avoid=request.avoid - set(medical), protect=frozenset())
    if not _builds(catalogue, unguarded):
        return ()
    words = [f"{p.value} ({side.value} hip)" for side, p in sorted(request.protect, key=lambda sp: (sp[0], sp[1]))]
    return tuple(words + [p.value for p in Precaution if p in medical])


def _minutes_that_build(catalogue: Catalogue, request: Request) -> int | None:
    """The smallest whole number of minutes that builds, checked by building it."""
    pool = eligible(catalogue, request)
    if not pool:
        return None
    start = max(1, -(-min(dose_seconds(smallest_dose(c.exercise, c.dosage), c.exercise) for c in pool) // 60))
    for minutes in range(start, MAX_MINUTES + 1):
        if _builds(catalogue, request._replace(minutes=minutes)):
            return minutes
    return None


def _goals_for(catalogue: Catalogue, muscles: set[Muscle]) -> tuple[str, ...]:
    if not muscles:
        return ()
    goals = {g for ex in catalogue.exercises if muscles <= set(ex.muscles.primary) for g in ex.goals}
    return tuple(g.value for g in Goal if g in goals)


# --- routines written or adjusted by hand ----------------------------------------------


def written_routine(catalogue: Catalogue, request: Request) -> Routine:
    """The picked exercises at their written doses (else the level's), on the sides the
    precautions allow, in the order given (the goal's flow with `order`), done once. A
    pick the precautions rule out is refused with the reason; a dose outside the
    sources' ranges is kept, with a note. The budget is the minutes asked, else the
    goal's default or, if the picks take longer, their length in whole minutes."""
    seen: dict[str, str] = {}
    items = []
    for pick in request.picks:
        ex = catalogue.find(pick.name)
        if ex.id in seen:
            raise PickError(f"{ex.name} is picked twice ({seen[ex.id]!r} and {pick.text()!r}): "
                            "pick it once, with the dose you want.")  # fmt: skip
        seen[ex.id] = pick.text()
        items.append(_picked_item(ex, pick, request))
    if request.order:
        items = list(order_items(items, request.goal))
    # The whole routine's time as every view counts it (moves between items included).
    total = total_seconds(Routine(request, tuple(items)))
    minutes = request.minutes
    if minutes is not None and total > 60 * minutes:
        raise PickError(f"The picked exercises take {total // 60}:{total % 60:02d}, more than the {minutes} "
                        "minutes asked: ask for more minutes, or pick fewer exercises or smaller doses.")  # fmt: skip
    if minutes is None and total > request.budget_seconds:
        minutes = -(-total // 60)
    return Routine(request._replace(minutes=minutes), tuple(items), sources=catalogue.sources)


def _picked_item(ex: Exercise, pick: Pick, request: Request) -> Item:
    if (pick.per_side or pick.side is not None) and not ex.dosage.per_side:
        raise PickError(f"{ex.name} is not done per side: drop '/side' or '@{pick.side.value if pick.side else ''}' "
                        f"from {pick.text()!r}.")  # fmt: skip
    asked = request._replace(side=pick.side) if pick.side is not None else request
    refusal = refusal_for(ex, asked)
    if refusal is not None:
        raise PickError(f"{ex.name} cannot be in your routine: {refusal}.")
    dose = dose_for(ex, asked)
    if not pick.dosed:
        return Item(ex, dose)
    d = ex.dosage
    if pick.reps is not None and d.reps is None:
        raise PickError(f"{ex.name} is held, not counted in reps: write SETSxHOLDs, e.g. "
                        f"{ex.id}:{pick.sets}x{d.hold_s.low if d.hold_s else 30}s.")  # fmt: skip
    if pick.hold_s is not None and d.hold_s is None:
        raise PickError(f"{ex.name} is counted in reps, not held: write SETSxREPS, e.g. "
                        f"{ex.id}:{pick.sets}x{d.reps.low if d.reps else 10}.")  # fmt: skip
    sets = pick.sets or dose.sets
    rest = (d.rest_s.at(request.level) if d.rest_s is not None else DEFAULT_REST[request.goal]) if sets > 1 else 0
    extra = dose.extra if dose.extra is not None and sets + 1 <= d.sets.high else None
    written = dose._replace(sets=sets, reps=pick.reps if pick.reps is not None else dose.reps,
                            hold_s=pick.hold_s if pick.hold_s is not None else dose.hold_s,
                            rest_s=rest or (DEFAULT_REST[request.goal] if extra else 0), extra=extra)  # fmt: skip
    return Item(ex, written, note=beyond_range(ex.dosage, written))


def _range_text(r: Range, unit: str = "") -> str:
    return (f"{r.low}" if r.low == r.high else f"{r.low}-{r.high}") + unit


def beyond_range(d: Dosage, dose: Dose) -> str | None:
    """'above the sources' range: 3 x 30, sources say 2-3 x 10-20' for a dose outside the
    catalogue's ranges (above or below them); None within them."""
    work, says = (dose.reps, d.reps) if dose.reps is not None and d.reps is not None else (dose.hold_s, d.hold_s)
    unit = " s" if dose.reps is None else ""
    checks = [(dose.sets, d.sets)] + ([(work, says)] if work is not None and says is not None else [])
    above = any(value > r.high for value, r in checks)
    below = any(value < r.low for value, r in checks)
    if not above and not below:
        return None
    where = "above and below" if above and below else "above" if above else "below"
    sources = _range_text(d.sets) + (f" x {_range_text(says, unit)}" if says is not None else "")
    return f"{where} the sources' range: {dose.sets} x {work}{unit}, sources say {sources}"


PRECAUTION_WORDS = {
    Precaution.HIP_REPLACEMENT: "replaced, posterior approach",
    Precaution.HIP_REPLACEMENT_ANTERIOR: "replaced, anterior approach",
    Precaution.HIP_IMPINGEMENT: "impingement",
}


def refusal_for(ex: Exercise, request: Request) -> str | None:
    """Why the person's precautions (or the request's side) rule an exercise out, in
    words naming the precaution and the hip; None when it may be done, perhaps on one
    side only (see `sides_for`)."""
    medical = sorted(p.value for p in ex.precautions if p in request.avoid)
    if medical:
        return f"it carries the precaution {', '.join(medical)}, which you leave out"
    needs = sorted(n.value for n in ex.needs if n in request.avoid)
    if needs:
        return f"it needs {', '.join(needs)}, which you leave out"
    if sides_for(ex, request) is not None:
        return None
    blocked = sorted(
        (side.value, PRECAUTION_WORDS.get(p, p.value)) for side, p in request.protect if p in ex.precautions
    )
    if blocked:
        hips = " and ".join(f"your {side} hip ({precaution})" for side, precaution in blocked)
        if not ex.dosage.per_side or ex.hips is not HipScope.WORKING:
            return f"it puts both hips in position, and {hips} must avoid it"
        side = request.side.value if request.side else ""
        return (f"it cannot be done on your {side} side, as {hips} must avoid it; without asking for the "
                f"{side} side it is done on the other side only")
    side = request.side.value if request.side else ""
    return f"it is not done per side, so it cannot be done on the {side} side only"


def _adjusted(catalogue: Catalogue, request: Request, fill: bool) -> Routine:
    """A chosen routine with exercises kept, dropped or swapped. A drop leaves the
    routine one exercise shorter; a swap puts the best other exercise in its place; the
    rest of the routine stays (the same options and seed rebuild it)."""
    keep = tuple(dict.fromkeys(_kept(catalogue, name, request) for name in request.keep))
    if request.count is not None and len(keep) > request.count:
        raise PickError(f"{len(keep)} exercises to keep do not fit in a routine of at most {request.count}: "
                        "keep fewer, or allow more exercises.")  # fmt: skip
    if not request.drop and not request.swap:
        kept = _chosen_routine(catalogue, request._replace(keep=keep), fill)
        return kept._replace(request=kept.request._replace(keep=request.keep))
    base = _chosen_routine(catalogue, request._replace(keep=keep, drop=(), swap=()), fill)
    ids = [i.exercise.id for i in base.items]
    drop = tuple(_in_routine(catalogue, name, ids, base, "leave out") for name in request.drop)
    swap = tuple(_in_routine(catalogue, name, ids, base, "swap") for name in request.swap)
    clash = set(keep) & {*drop, *swap}
    if clash:
        raise PickError(f"{catalogue.by_id[sorted(clash)[0]].name} is both kept and left out: keep it or leave it out.")
    stay = tuple(i for i in ids if i not in drop and i not in swap)
    if not stay and not swap:
        raise PickError("Leaving out every exercise leaves no routine: drop fewer.")
    size = len(stay) + len(swap)
    adjusted = request._replace(keep=tuple(dict.fromkeys((*keep, *stay))), drop=drop, swap=swap,
                                count=size if request.count is None else min(size, request.count))  # fmt: skip
    routine: Routine | None
    try:
        routine = _chosen_routine(catalogue, adjusted, fill)
    except NoFitError:
        routine = None
    got = {i.exercise.id for i in routine.items} if routine is not None else set()
    if routine is None or not set(stay) <= got or len(got - set(stay)) < len(swap):
        names = ", ".join(catalogue.by_id[i].name for i in swap)
        why = (f"No other exercise can take the place of {names} with these options: those that qualify are "
               "variants of exercises already in, or do not fit the time")
        if base.more_with:
            why += " (only bodyweight work is used, as no equipment was named: naming yours allows more)"
        raise PickError(why + ". Leave it out instead, or allow more minutes.")
    return routine._replace(request=routine.request._replace(keep=request.keep, drop=request.drop,
                                                             swap=request.swap, count=request.count))  # fmt: skip


def _in_routine(catalogue: Catalogue, name: str, ids: list[str], base: Routine, verb: str) -> str:
    ex = catalogue.find(name)
    if ex.id not in ids:
        names = ", ".join(i.exercise.id for i in base.items)
        raise PickError(f"Cannot {verb} '{name}': {ex.name} is not in this routine (it holds {names}).")
    return ex.id


def _kept(catalogue: Catalogue, name: str, request: Request) -> str:
    """The id of an exercise to keep, or a PickError saying why it cannot be kept."""
    ex = catalogue.find(name)
    if any(c.exercise.id == ex.id for c in _pool(catalogue, request._replace(keep=(), drop=(), swap=()))):
        return ex.id
    why = refusal_for(ex, request)
    if why is None:
        filters = request.filters
        if request.goal not in ex.goals:
            why = f"it is not a {request.goal.value} exercise (it is for {', '.join(g.value for g in ex.goals)})"
        elif request.goal is Goal.RECOVERY and ex.kind is Kind.STRENGTH:
            why = "a recovery routine holds no loaded strength work"
        elif filters.equipment is not None and not set(ex.equipment) <= filters.equipment:
            missing = sorted(e.value for e in ex.equipment if e not in filters.equipment)
            why = f"it needs {', '.join(missing)}, which is not in the equipment you have"
        elif filters.positions is not None and ex.position not in filters.positions:
            why = f"it is done {ex.position.value}, a position not asked for"
        elif ex.level.rank > request.level.rank:
            why = f"it is {ex.level.value}, above your level ({request.level.value})"
        else:
            why = "it does not qualify with these options"
    raise PickError(f"Cannot keep {ex.name}: {why}.")
