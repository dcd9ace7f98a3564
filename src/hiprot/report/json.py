"""JSON for scripts: exercise objects in the catalogue's own shape, routines with phases."""

from __future__ import annotations

from typing import Any

from hiprot.catalogue import Catalogue
from hiprot.models import Exercise, Item, Routine
from hiprot.text import round_rest_seconds
from hiprot.timeline import item_seconds, phases, total_seconds


def routine(plan: Routine, command: str) -> str:
    """One object: goal, level, seed, rounds, total_seconds and the items with their phases."""
    return dumps(routine_to_dict(plan))


def exercise(ex: Exercise, catalogue: Catalogue) -> str:
    """One exercise object; also a valid catalogue entry (null fields read as absent)."""
    return dumps(exercise_to_dict(ex))


def exercises(found: list[Exercise], catalogue: Catalogue) -> str:
    """An array of exercise objects ([] when nothing matched)."""
    return dumps([exercise_to_dict(ex) for ex in found])


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
        "muscles": _muscles_dict(ex),
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
        "precautions": [p.value for p in ex.precautions],
        "needs": [n.value for n in ex.needs],
        "easier": ex.easier,
        "harder": ex.harder,
        "sources": list(ex.sources),
    }


def _muscles_dict(ex: Exercise) -> dict[str, list[str]]:
    return {
        "primary": [m.value for m in ex.muscles.primary],
        "secondary": [m.value for m in ex.muscles.secondary],
    }


def dumps(data: Any) -> str:
    import json  # only scripts ask for JSON; tables should not pay for the import

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    return {
        "goal": routine.goal.value,
        "level": routine.level.value,
        "seed": routine.seed,
        "rounds": routine.rounds,  # the items are done this many times, round_rest_s apart
        "round_rest_s": round_rest_seconds(routine),
        "total_seconds": total_seconds(routine),
        "items": [_item_to_dict(item) for item in routine.items],
    }


def _item_to_dict(item: Item) -> dict[str, Any]:
    ex, p = item.exercise, item.dosage
    return {
        "id": ex.id,
        "name": ex.name,
        "kind": ex.kind.value,
        "position": ex.position.value,
        "level": ex.level.value,
        "equipment": [e.value for e in ex.equipment],
        "muscles": _muscles_dict(ex),
        "dosage": {"sets": p.sets, "reps": p.reps, "hold_s": p.hold_s, "per_side": p.per_side, "rest_s": p.rest_s},
        "seconds": item_seconds(item),
        "substituted_for": item.substituted_for.id if item.substituted_for else None,
        "phases": [
            {"kind": p.kind, "seconds": p.seconds, "set": p.set, "side": p.side} for p in phases(item)
        ],
    }


