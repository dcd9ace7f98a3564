"""Progression: a saved routine's past sessions -> dose changes with their reasons, and the
advice for a session's pain. Pure (the hip-rotation readings' verdict is in selftest.py).

A saved routine is rebuilt by the planner at its base doses; `adapt` then replays the
routine's past sessions, oldest first, over those doses (sources: the pain-monitoring
traffic light, NSCA's 2-for-2 rule, ACSM stretching guidance):

* completed at pain 0-3: a good session. Two good sessions in a row step the dose UP
  one notch, and the count starts again.
* pain 6 or more (completed or not: pain decides): one notch DOWN, count starts again.
* pain 4-5, no pain given, a partial session, or the item skipped that session: hold;
  the count starts again.

One notch up: reps +1 up to the top of the catalogue's reps range (or hold +5 s, capped
at the top of the hold range), then sets +1 up to the top of the sets range. Reps stay at
the top when sets go up (no reset to the low end), so a notch never makes a set easier.
At the top of every range nothing changes, and the harder variant (if any) is suggested.
One notch down is the reverse order: sets -1 first, then reps -1 (or hold -5 s). At the
bottom of every range the exercise is swapped for its easier variant at that variant's
base dose; with no usable easier variant it stays.

"The range" is the catalogue's range widened to include the base dose, because the
planner may start below it (a warm-up does one set of a 2-3 set exercise; a short
budget trims sets): a dose never goes below the base or the range's low end, whichever
is lower, and never above the range's top. Rests and sides stay as the base dose has them.

Only the net change per item is reported (base dose -> adapted dose), with the reason of
the step that produced it, so a long history gives one line per item, not hundreds.

Time and goal: the planner's doses already fill the time asked (the top of each range,
then rounds), so a step up that would take one pass of the routine past its share of
the budget is not taken: the dose holds and the harder variant, if any, is suggested
("has no room to step up in the time asked"). A warm-up stays at one set. A variant
swapped in or suggested suits the routine's goal (no recovery-only stretch in a
warm-up), and one swapped into a short routine gets its smallest dose if its base dose
does not fit.

This module knows nothing of the database: `practice` turns stored sessions into
`PastSession`s (see `PastSession.from_session`); the base doses are the planner's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from hiprot.limits import GOOD_PAIN_MAX, SEVERE_PAIN_MIN, STOP_PAIN_MIN
from hiprot.models import Dose, Exercise, Filters, Goal, Item, Kind, Routine
from hiprot.planner import beyond_range, dose_for, request_order, sides_for, smallest_dose
from hiprot.timeline import circuit_seconds, dose_seconds, moves

GOOD_IN_A_ROW = 2  # good sessions in a row that earn one notch up
HOLD_STEP_S = 5
UP_REASON = f"two sessions in a row at pain {GOOD_PAIN_MAX} or less"



class PastSession(NamedTuple):
    """What one past session of the routine says, for replay.

    `completed`: the whole routine was done (a `go` session that ran to the end, or one
    logged after the fact). `pain`: 0-10 during the session, or None if not given.
    `skipped`: ids of exercises skipped that session (they hold rather than count).
    """

    completed: bool
    pain: int | None
    skipped: frozenset[str] = frozenset()

    @classmethod
    def from_session(
        cls, status: str, pain: int | None, skipped: Iterable[str] = (), pain_next_day: int | None = None
    ) -> PastSession:
        """The rule for stored sessions: `completed` and `logged` count as completed, `partial`
        does not; the pain counted is the worse of during and the day after."""
        return cls(status in ("completed", "logged"), counted_pain(pain, pain_next_day), frozenset(skipped))


def counted_pain(during: int | None, next_day: int | None) -> int | None:
    """The pain a session counts for: the worse of during it and the next morning
    (the traffic-light rule looks at both)."""
    given = [p for p in (during, next_day) if p is not None]
    return max(given) if given else None


def dose_text(p: Dose) -> str:
    """A dose in a few characters: '2 x 20', 'hold 30 s', '2 x hold 30 s'."""
    work = f"{p.reps}" if p.reps is not None else f"hold {p.hold_s} s"
    return work if p.sets == 1 and p.hold_s is not None else f"{p.sets} x {work}"


class Change(NamedTuple):
    """One item's net change from its base dose, and why.

    `exercise_id`/`name` are the base exercise; when the item was swapped for its easier
    variant, `new_exercise_id`/`new_name` name the variant (else they are None) and
    `after` is the variant's dose.
    """

    exercise_id: str
    name: str
    before: Dose
    after: Dose
    reason: str
    new_exercise_id: str | None = None
    new_name: str | None = None

    @property
    def swapped(self) -> bool:
        return self.new_exercise_id is not None

    def describe(self) -> str:
        """'Clamshell 2 x 20 → 3 x 20: two sessions in a row at pain 3 or less'."""
        after = f"{self.new_name} {dose_text(self.after)}" if self.new_name else dose_text(self.after)
        return f"{self.name} {dose_text(self.before)} → {after}: {self.reason}"

    def __str__(self) -> str:
        return self.describe()


class Suggestion(NamedTuple):
    """An item at the top of its range (or, with `no_room`, at the most the time asked
    allows) whose harder variant is worth a try."""

    exercise_id: str
    name: str
    harder_id: str
    harder_name: str
    no_room: bool = False

    def describe(self) -> str:
        where = "has no room to step up in the time asked" if self.no_room else "is at the top of its range"
        return f"{self.name} {where}: ready to try {self.harder_name}."

    def __str__(self) -> str:
        return self.describe()


class Adapted(NamedTuple):
    """The routine's items after replay, what changed from the base, and what to try next."""

    items: tuple[Item, ...]
    changes: tuple[Change, ...]
    suggestions: tuple[Suggestion, ...]


# --- one notch -------------------------------------------------------------------------


def notch_up(
    exercise: Exercise, dose: Dose, base: Dose, max_sets: int | None = None
) -> Dose | None:
    """The dose one notch harder, or None at the top of every range (see the module doc);
    `max_sets` caps the sets (a warm-up stays at one)."""
    d = exercise.dosage
    if dose.reps is not None and d.reps is not None:
        top = max(d.reps.high, base.reps or 0)
        if dose.reps < top:
            return dose._replace(reps=dose.reps + 1)
    elif dose.hold_s is not None and d.hold_s is not None:
        top = max(d.hold_s.high, base.hold_s or 0)
        if dose.hold_s < top:
            return dose._replace(hold_s=min(dose.hold_s + HOLD_STEP_S, top))
    # A stiff hip's extra set counts: its side reaches the top of the range, not past it.
    top_sets = max(d.sets.high - (1 if dose.extra is not None else 0), base.sets)
    if dose.sets < (top_sets if max_sets is None else min(top_sets, max_sets)):
        return dose._replace(sets=dose.sets + 1)
    return None


def notch_down(exercise: Exercise, dose: Dose, base: Dose) -> Dose | None:
    """The dose one notch easier (sets first), or None at the bottom of every range."""
    d = exercise.dosage
    if dose.sets > min(d.sets.low, base.sets):
        return dose._replace(sets=dose.sets - 1)
    if dose.reps is not None and d.reps is not None:
        floor = min(d.reps.low, base.reps if base.reps is not None else d.reps.low)
        if dose.reps > floor:
            return dose._replace(reps=dose.reps - 1)
    elif dose.hold_s is not None and d.hold_s is not None:
        floor = min(d.hold_s.low, base.hold_s if base.hold_s is not None else d.hold_s.low)
        if dose.hold_s > floor:
            return dose._replace(hold_s=max(dose.hold_s - HOLD_STEP_S, floor))
    return None


# --- replay ----------------------------------------------------------------------------


class _Step(NamedTuple):
    up: bool
    at: int  # which outcome caused it (its index)
    pain: int | None
    swapped: bool = False


class _State:
    """One item during replay."""

    __slots__ = ("at_top", "base", "dose", "exercise", "good", "no_room", "steps")

    def __init__(self, exercise: Exercise, dose: Dose) -> None:
        self.exercise = exercise
        self.base = dose  # the base dose of the current exercise (it changes on a swap)
        self.dose = dose
        self.good = 0
        self.steps: list[_Step] = []
        self.at_top = False  # a step up was due at the top of every range
        self.no_room = False  # ... or it was due and did not fit the time asked


def adapt(
    items: Sequence[Item],
    outcomes: Sequence[PastSession],
    exercises: Mapping[str, Exercise],
    base_dose: Callable[[Exercise], Dose],
    allowed: Callable[[Exercise], bool] | None = None,
    budget: int | None = None,
    max_sets: int | None = None,
) -> Adapted:
    """Replay `outcomes` (oldest first) over the planner's `items` (their base doses).

    `exercises` looks variants up by id (`catalogue.by_id`). `base_dose(exercise)` is the
    planner's dose for the routine's goal and level; it is used only for an easier
    variant swapped in. `allowed(exercise)` says whether a variant may be swapped in or
    suggested: pass a `Filters(positions=..., equipment=..., avoid=...).admits` built
    from the saved request (without the level: a harder variant is above it by nature),
    so a swap never brings in equipment, a position or a precaution the person ruled
    out. A variant already in the routine is never swapped in or suggested; an easier
    variant that is not allowed is walked past, down its own `easier` chain.
    `budget` (seconds): a step up that would take one pass of the routine over it is
    not taken (the dose holds). `max_sets` caps the sets a step up reaches.
    """
    permitted = allowed if allowed is not None else _always
    states = [_State(item.exercise, item.dosage) for item in items]
    for index, outcome in enumerate(outcomes):
        for state in states:
            _replay(state, index, outcome, states, exercises, base_dose, permitted, budget, max_sets)
    changes: list[Change] = []
    suggestions: list[Suggestion] = []
    adapted: list[Item] = []
    in_routine = {state.exercise.id for state in states}
    for item, state in zip(items, states, strict=True):
        adapted.append(Item(state.exercise, state.dose, item.substituted_for))
        if state.exercise.id != item.exercise.id or state.dose != item.dosage:
            swapped = state.exercise.id != item.exercise.id
            changes.append(
                Change(
                    item.exercise.id,
                    item.exercise.name,
                    item.dosage,
                    state.dose,
                    _reason(state.steps, len(outcomes)),
                    state.exercise.id if swapped else None,
                    state.exercise.name if swapped else None,
                )
            )
        harder = exercises.get(state.exercise.harder) if state.exercise.harder else None
        if state.at_top and harder is not None and harder.id not in in_routine and permitted(harder):
            suggestion = Suggestion(state.exercise.id, state.exercise.name, harder.id, harder.name, state.no_room)
            suggestions.append(suggestion)
    return Adapted(tuple(adapted), tuple(changes), tuple(suggestions))


def _always(exercise: Exercise) -> bool:
    return True


def _replay(
    state: _State,
    index: int,
    outcome: PastSession,
    states: list[_State],
    exercises: Mapping[str, Exercise],
    base_dose: Callable[[Exercise], Dose],
    allowed: Callable[[Exercise], bool],
    budget: int | None = None,
    max_sets: int | None = None,
) -> None:
    pain = outcome.pain
    if pain is not None and pain >= STOP_PAIN_MIN:
        state.good = 0
        state.at_top = state.no_room = False
        lower = notch_down(state.exercise, state.dose, state.base)
        if lower is not None:
            state.dose = lower
            state.steps.append(_Step(False, index, pain))
            return
        # Never step down onto another item, or beside its direct easier or harder variant.
        others = [other.exercise for other in states if other is not state]
        ids = {ex.id for ex in others}
        taken = {state.exercise.id} | ids | {link for ex in others for link in (ex.easier, ex.harder) if link}
        easier = _easier(state.exercise, exercises, lambda ex: allowed(ex) and not {ex.easier, ex.harder} & ids, taken)
        if easier is None:
            return
        dose = base_dose(easier)
        without = _seconds(states) - dose_seconds(state.dose, state.exercise)
        if budget is not None and without + dose_seconds(dose, easier) > budget:
            dose = smallest_dose(easier, dose)  # a short routine: the variant at its least, same sides
            if without + dose_seconds(dose, easier) > budget:
                return  # not even that fits the time asked: it stays
        state.exercise = easier
        state.base = state.dose = dose
        state.steps.append(_Step(False, index, pain, swapped=True))
        return
    good = (
        outcome.completed
        and pain is not None
        and pain <= GOOD_PAIN_MAX
        and state.exercise.id not in outcome.skipped
    )
    if not good:
        state.good = 0
        state.at_top = state.no_room = False
        return
    state.good += 1
    if state.good < GOOD_IN_A_ROW:
        return
    state.good = 0
    higher = notch_up(state.exercise, state.dose, state.base, max_sets)
    if higher is None:
        state.at_top, state.no_room = True, False
    elif budget is not None and _seconds(states) + _more(state, higher) > budget:
        state.at_top = state.no_room = True  # the time asked is full: the dose holds
    else:
        state.dose = higher
        state.steps.append(_Step(True, index, pain))


def _more(state: _State, dose: Dose) -> int:
    """How much longer `dose` takes than the state's dose."""
    return dose_seconds(dose, state.exercise) - dose_seconds(state.dose, state.exercise)


def _seconds(states: list[_State]) -> int:
    return sum(dose_seconds(state.dose, state.exercise) for state in states)


def _easier(
    exercise: Exercise,
    exercises: Mapping[str, Exercise],
    allowed: Callable[[Exercise], bool],
    taken: set[str],
) -> Exercise | None:
    """The first variant down the `easier` chain that is allowed and not already in the routine."""
    seen = {exercise.id}
    current = exercise
    while current.easier is not None and current.easier not in seen:
        variant = exercises.get(current.easier)
        if variant is None:
            return None
        if variant.id not in taken and allowed(variant):
            return variant
        seen.add(variant.id)
        current = variant
    return None


_NUMBERS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _step_reason(step: _Step, count: int) -> str:
    if step.up:
        return UP_REASON
    ago = count - 1 - step.at
    if ago == 0:
        when = "last session"
    elif ago == 1:
        when = "in the session before last"
    else:
        when = f"{_NUMBERS.get(ago + 1, str(ago + 1))} sessions ago"
    text = f"pain {step.pain} {when}"
    return text + ", already at the easiest dose" if step.swapped else text


def _reason(steps: list[_Step], count: int) -> str:
    """The last step's reason; if the dose had gone the other way before, say that first."""
    if not steps:  # cannot happen for a changed item, but stay total
        return "no change"
    last = steps[-1]
    before = next((step for step in reversed(steps) if step.up != last.up), None)
    if before is None:
        return _step_reason(last, count)
    return f"{_step_reason(before, count)}, then {_step_reason(last, count)}"


# --- the hip-rotation self-test --------------------------------------------------------


def apply(routine: Routine, outcomes: Sequence[PastSession], exercises: Mapping[str, Exercise]) -> Routine:
    """The routine with its saved history replayed over it; each change and suggestion
    becomes a header note in plain words. The planner's doses, time filled, are the
    base: a step up that no longer fits the time asked is not taken, and a warm-up stays
    one set. Swaps and suggestions stay within the request's goal, positions, equipment
    and avoid list (not its level: a harder variant is above it by nature).

    Besides the net changes from the base doses, an item that the last session moved
    back to its base dose (pain stepped it down) is noted too, so a step down is never
    silent."""
    request = routine.request

    # A written routine's base is its written doses (the level's only where none was written).
    written = {item.exercise.id: item.dosage for item in routine.items} if request.picks else {}

    def base_dose(exercise: Exercise) -> Dose:
        return written.get(exercise.id) or dose_for(exercise, request)

    filters = Filters(goal=request.goal, positions=request.positions, equipment=request.equipment, avoid=request.avoid)

    def allowed(exercise: Exercise) -> bool:
        """A variant swapped in or suggested suits the goal too (no recovery-only stretch in a
        warm-up, no loaded work in recovery, as the planner's stand-ins), and never reaches a
        hip the profile protects."""
        loaded = request.goal is Goal.RECOVERY and exercise.kind is Kind.STRENGTH
        return filters.admits(exercise) and not loaded and sides_for(exercise, request) is not None

    # A warm-up stays one set, and no step up takes the routine (all its rounds) past its time.
    between = moves(routine.items, request)  # down to the floor and up: fixed by the positions
    per_round = (request.budget_seconds - circuit_seconds(0, routine.rounds, request.goal, between)) // routine.rounds
    limits = {"budget": per_round, "max_sets": 1 if request.goal is Goal.WARMUP else None}
    adapted = adapt(routine.items, outcomes, exercises, base_dose, allowed, **limits)
    # An easier variant swapped in at another height (the floor, a chair) can add a move
    # down and up again: the round's share then shrinks by that move and the replay runs again.
    extra = moves(request_order(adapted.items, request), request).within - between.within
    if extra > 0:
        limits["budget"] = per_round - extra
        adapted = adapt(routine.items, outcomes, exercises, base_dose, allowed, **limits)
    notes = [c.describe() for c in adapted.changes]
    if outcomes:
        before = adapt(routine.items, outcomes[:-1], exercises, base_dose, allowed, **limits).items
        changed = {c.exercise_id for c in adapted.changes}
        last = outcomes[-1]
        reason = (
            f"pain {last.pain} last session" if last.pain is not None and last.pain >= STOP_PAIN_MIN else UP_REASON
        )
        for base, old, new in zip(routine.items, before, adapted.items, strict=True):
            if base.exercise.id not in changed and (old.exercise.id, old.dosage) != (new.exercise.id, new.dosage):
                same = new.exercise.id == old.exercise.id
                after = dose_text(new.dosage) if same else f"{new.exercise.name} {dose_text(new.dosage)}"
                notes.append(f"{old.exercise.name} {dose_text(old.dosage)} → {after}: {reason}")
    notes += [s.describe() for s in adapted.suggestions]
    items = adapted.items
    if request.picks:  # a written dose's note follows the dose as it steps up or down
        items = tuple(i._replace(note=beyond_range(i.exercise.dosage, i.dosage)) for i in items)
    # A variant swapped in may sit in another position: put it back in the routine's flow
    # (a written routine keeps its written order, as the planner does).
    return routine._replace(items=request_order(items, request), notes=routine.notes + tuple(notes))




def sharp_pain(pain: int | None) -> int:
    """The pain a sharp-pain stop is recorded as: severe pain (`SEVERE_PAIN_MIN` on the
    0-10 scale), or the pain given when that is higher."""
    return max(pain or 0, SEVERE_PAIN_MIN)


def pain_advice(pain: int | None, *, sharp: bool = False, previous: int | None = None) -> list[str]:
    """Plain, conservative advice for a session's pain (0-10), during it or the next day.

    Nothing below pain `STOP_PAIN_MIN`. hiprot does not diagnose: it says stop or reduce, what it will do
    next time, and when to see a physiotherapist or doctor. `previous` is the pain of the
    session before, for pain that repeats; `sharp` is the session's sharp-pain stop.
    """
    if sharp or (pain is not None and pain >= SEVERE_PAIN_MIN):
        what = "Sharp pain" if sharp else f"Pain {pain} out of 10"
        return [
            f"{what}: stop the programme and get advice from a physiotherapist or doctor before your next session.",
            "Next time hiprot steps this routine down, and it steps nothing up again until you log a session "
            f"at pain {GOOD_PAIN_MAX} or less.",
            "Get help at once for pain after a fall, a hip that gives way, or a leg you cannot put weight on.",
        ]
    if pain is None or pain < STOP_PAIN_MIN:
        return []
    lines = [
        f"Pain {pain} out of 10 is too much: stop or reduce the exercise that hurts, and rest today.",
        "Next time hiprot steps this routine down one notch.",
    ]
    if previous is not None and previous >= STOP_PAIN_MIN:
        lines.append(f"That is two sessions in a row at pain {STOP_PAIN_MIN} or more: see a physiotherapist or "
                     "doctor before you carry on.")  # fmt: skip
    else:
        lines.append("See a physiotherapist or doctor if the pain lasts into tomorrow or comes back next session.")
    return lines
