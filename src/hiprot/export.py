"""Pure text for people and scripts: dosage in words, JSON shapes. No I/O, no Rich."""

from __future__ import annotations

import json
from typing import Any

from hiprot.models import Dosage, Equipment, Exercise, Level, Prescription, Range, Routine, RoutineItem


def _seconds(value: Range) -> str:
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


def muscle_names(muscles: tuple, limit: int | None = None, short: bool = False) -> str:
    names = [m.short if short else m.label for m in muscles]
    if limit is not None and len(names) > limit:
        names = names[:limit] + [f"+{len(names) - limit}"]
    return ", ".join(names)


def exercise_to_dict(ex: Exercise) -> dict[str, Any]:
    """The exercise with the catalogue's own keys; ranges as a number or [low, high]."""
    d = ex.dosage
    return {
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "kind": ex.kind.value,
        "goals": [g.value for g in ex.goals],
        "position": ex.position.value,
        "level": ex.level.value,
        "equipment": [e.value for e in ex.equipment],
        "muscles": {
            "primary": [m.value for m in ex.muscles.primary],
            "secondary": [m.value for m in ex.muscles.secondary],
        },
        "movement": [m.value for m in ex.movement],
        "dosage": {
            "sets": d.sets.to_data(),
            "reps": d.reps.to_data() if d.reps else None,
            "hold_s": d.hold_s.to_data() if d.hold_s else None,
            "per_side": d.per_side,
            "rest_s": d.rest_s.to_data() if d.rest_s else None,
        },
        "steps": list(ex.steps),
        "cues": list(ex.cues),
        "cautions": list(ex.cautions),
        "easier": ex.easier,
        "harder": ex.harder,
        "sources": list(ex.sources),
    }


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- routines --------------------------------------------------------------------------

GOAL_TITLES = {"warmup": "Warm-up", "strength": "Strength", "recovery": "Recovery"}
SAFETY = (
    "Stop on sharp pain. Not medical advice: see a physiotherapist or doctor for hip pain, "
    "an injury, or after surgery."
)


def clock(seconds: int) -> str:
    """Seconds as m:ss."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def prescription_words(p: Prescription) -> str:
    """Today's numbers for a table cell: '2 x 20 / side, rest 30 s', 'hold 30 s / side'."""
    side = " / side" if p.per_side else ""
    work = f"{p.reps}" if p.reps is not None else f"hold {p.hold_s} s"
    text = f"{work}{side}" if p.sets == 1 and p.hold_s is not None else f"{p.sets} x {work}{side}"
    if p.sets > 1 and p.rest_s:
        text += f", rest {p.rest_s} s"
    return text


def substitution_note(item: RoutineItem, level: Level) -> str | None:
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


def routine_equipment(routine: Routine) -> list[str]:
    needed = {e for item in routine.items for e in item.exercise.equipment}
    return [e.value for e in Equipment if e in needed]


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    return {
        "goal": routine.goal.value,
        "level": routine.level.value,
        "seed": routine.seed,
        "total_seconds": routine.total_seconds,
        "items": [_item_to_dict(item) for item in routine.items],
    }


def _item_to_dict(item: RoutineItem) -> dict[str, Any]:
    ex, p = item.exercise, item.dosage
    return {
        "id": ex.id,
        "name": ex.name,
        "kind": ex.kind.value,
        "position": ex.position.value,
        "level": ex.level.value,
        "equipment": [e.value for e in ex.equipment],
        "muscles": {
            "primary": [m.value for m in ex.muscles.primary],
            "secondary": [m.value for m in ex.muscles.secondary],
        },
        "dosage": {"sets": p.sets, "reps": p.reps, "hold_s": p.hold_s, "per_side": p.per_side, "rest_s": p.rest_s},
        "seconds": item.seconds,
        "substituted_for": item.substituted_for.id if item.substituted_for else None,
    }
