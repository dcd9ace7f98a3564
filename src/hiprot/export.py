"""Pure text for people and scripts: dosage in words, JSON shapes. No I/O, no Rich."""

from __future__ import annotations

import json
from typing import Any

from hiprot.models import Dosage, Exercise, Range


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


def muscle_names(muscles: tuple, limit: int | None = None) -> str:
    names = [m.label for m in muscles]
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
