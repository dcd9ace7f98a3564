"""Words every output shares: dosage, clock, muscles, routine headers. Pure: no I/O, no Rich.

The table, Markdown and live reporters all take their wording from here, so a routine
reads the same wherever it is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from hiprot.models import (
    Dosage,
    Equipment,
    Exercise,
    Item,
    Level,
    Muscle,
    Prescription,
    Range,
    Routine,
)
from hiprot.timeline import ROUND_REST_SECONDS, total_seconds


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 exercise', '5 exercises', '1 minute'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def _seconds(value: Range | None) -> str:
    assert value is not None, "a dosage has reps or a hold"
    if value.low >= 60 and value.low % 60 == 0 and value.high % 60 == 0:
        low, high = value.low // 60, value.high // 60
        return f"{low} min" if low == high else f"{low}-{high} min"
    return f"{value} s"


def dosage_words(dosage: Dosage) -> str:
    """The prescription as a sentence: '2-3 sets of 20 per side, 30-45 s rest'."""
    side = " per side" if dosage.per_side else ""
    sets = dosage.sets
    plural = "" if sets.low == sets.high == 1 else "s"
    if dosage.reps is not None:
        text = f"{sets} set{plural} of {dosage.reps}{side}"
    else:
        hold = f"hold {_seconds(dosage.hold_s)}{side}"
        text = hold if sets.high == 1 else f"{sets} set{plural}, {hold}"
    if dosage.rest_s is not None:
        text += f", {_seconds(dosage.rest_s)} rest between sets"
    return text


def dosage_short(dosage: Dosage) -> str:
    """The prescription for a table cell: '2-3 x 20 / side', 'hold 30-60 s / side'."""
    side = " / side" if dosage.per_side else ""
    if dosage.reps is not None:
        return f"{dosage.sets} x {dosage.reps}{side}"
    hold = f"hold {_seconds(dosage.hold_s)}{side}"
    return hold if dosage.sets.high == 1 else f"{dosage.sets} x {hold}"


def muscle_names(muscles: Iterable[Muscle], limit: int | None = None, short: bool = False) -> str:
    names = [m.short if short else m.label for m in muscles]
    if limit is not None and len(names) > limit:
        names = names[:limit] + [f"+{len(names) - limit}"]
    return ", ".join(names)


GOAL_TITLES = {"warmup": "Warm-up", "strength": "Strength", "recovery": "Recovery"}
SAFETY = (
    "Stop on sharp pain. Not medical advice: see a physiotherapist or doctor for hip pain, "
    "an injury, or after surgery."
)


def clock(seconds: float, *, pad: bool = False, up: bool = False) -> str:
    """The one time formatter: '12:05' for 725 s, '1:02:05' past an hour.

    `pad` gives two-digit minutes ('02:05', for a countdown or a log stamp); `up` rounds
    a fraction up (a countdown shows 0:00 only when it is done), else it is cut off.
    """
    whole = math.ceil(seconds - 1e-9) if up else int(seconds + 1e-6)
    minutes, secs = divmod(max(0, whole), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}"


def prescription_words(p: Prescription) -> str:
    """Today's numbers for a table cell: '2 x 20 / side, rest 30 s', 'hold 30 s / side'."""
    side = " / side" if p.per_side else ""
    work = f"{p.reps}" if p.reps is not None else f"hold {p.hold_s} s"
    text = f"{work}{side}" if p.sets == 1 and p.hold_s is not None else f"{p.sets} x {work}{side}"
    if p.sets > 1 and p.rest_s:
        text += f", rest {p.rest_s} s"
    return text


def substitution_note(item: Item, level: Level) -> str | None:
    """Why a variant stands in: 'lying variant of standing hip IR, for beginners'."""
    original = item.substituted_for
    if original is None:
        return None
    ex = item.exercise
    kind = f"{ex.position.value} variant" if ex.position is not original.position else "easier variant"
    name = original.name.lower().replace("internal rotation", "IR")
    return f"{kind} of {name}, for {level.value}s"


def routine_title(routine: Routine) -> str:
    return f"{GOAL_TITLES[routine.goal.value]} routine, {routine.level.value}"


def seed_words(routine: Routine) -> str:
    return str(routine.seed) if routine.seed is not None else "none"


def total_words(routine: Routine) -> str:
    """'6:44 of 8:00 min'."""
    return f"{clock(total_seconds(routine))} of {clock(routine.budget_seconds)} min"


def rounds_words(routine: Routine) -> str | None:
    """'2 rounds, 30 s rest between' for a circuit; None for a routine done once."""
    if routine.rounds == 1:
        return None
    return f"{routine.rounds} rounds, {ROUND_REST_SECONDS[routine.goal]} s rest between"


def round_rest_seconds(routine: Routine) -> int:
    """The rest between two rounds, 0 for a routine done once."""
    return ROUND_REST_SECONDS[routine.goal] if routine.rounds > 1 else 0


def needs_words(routine: Routine) -> str:
    """What the person needs for the routine, or that it is bodyweight."""
    return ", ".join(routine_equipment(routine)) or "nothing (bodyweight only)"


def routine_equipment(routine: Routine) -> list[str]:
    needed = {e for item in routine.items for e in item.exercise.equipment}
    return [e.value for e in Equipment if e in needed]




def what_it_is(ex: Exercise) -> str:
    """'A beginner strength exercise, side-lying: external rotation, abduction.'"""
    movement = ", ".join(m.value.replace("-", " ") for m in ex.movement)
    article = "An" if ex.level.value[0] in "aeiou" else "A"
    return f"{article} {ex.level.value} {ex.kind.value} exercise, {ex.position.value}: {movement}."


def vocabulary_words(values: Iterable[Equipment], empty: str = "none (bodyweight)") -> str:
    return ", ".join(v.value for v in values) or empty


def sides(p: Prescription) -> tuple[str, ...]:
    """The sides a set is done on: ('left', 'right'), or ('',) for both at once."""
    return ("left", "right") if p.per_side else ("",)


PRECAUTION_WORDS = {
    "hip-replacement": "you have had a hip replacement (it bends the hip to 90 degrees or more while it turns in)",
    "hip-impingement": "you have hip impingement (deep hip bend with an inward turn pinches the front of the hip)",
    "knee-pain": "your knee hurts (it twists or kneels on the knee)",
    "low-back-pain": "your lower back hurts (a loaded hinge or twist)",
}
NEED_WORDS = {
    "floor": "you cannot get down to the floor and up again",
    "kneeling": "you cannot kneel",
    "single-leg-balance": "you cannot balance on one leg",
    "deep-squat": "you cannot sink into a deep squat",
}


def precaution_lines(ex: Exercise) -> list[str]:
    """Who should leave an exercise out, in words: one line per precaution and need."""
    lines = [PRECAUTION_WORDS[p.value] for p in ex.precautions]
    lines += [NEED_WORDS[n.value] for n in ex.needs]
    return [line[0].upper() + line[1:] + "." for line in lines]
