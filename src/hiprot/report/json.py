"""JSON for scripts: exercise objects in the catalogue's own shape, routines with phases."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hiprot.catalogue import Catalogue
from hiprot.models import Exercise, Item, Need, PersonCautions, Phase, Precaution, Prescription, Routine, Side, Source
from hiprot.text import citation, cues_for, item_cautions, round_rest_seconds, steps_for
from hiprot.timeline import item_phases, total_seconds


def routine(plan: Routine, command: str) -> str:
    """One object: goal, level, seed, rounds, total_seconds and the items with their phases."""
    return dumps(routine_to_dict(plan))


def exercise(
    ex: Exercise,
    catalogue: Catalogue,
    side: Side | None = None,
    person: PersonCautions | None = None,
    figure: Mapping[str, object] | None = None,
) -> str:
    """One exercise object; also a valid catalogue entry (null fields read as absent).
    With a side, `rendered` holds the steps and cues for it; with a person, `your_cautions`
    the cautions that concern them; `figure` (the solved joints of
    `hiprot.figures.figure_data`) is added as is (all output-only keys)."""
    data = exercise_to_dict(ex, catalogue.sources)
    if person is not None:
        data["your_cautions"] = list(person.shown)
    if side is not None:
        data["rendered"] = {"side": side.value, "steps": steps_for(ex, side), "cues": cues_for(ex, side)}
    if figure is not None:
        data["figure"] = dict(figure)
    return dumps(data)


def exercises(found: list[Exercise], catalogue: Catalogue) -> str:
    """An array of exercise objects ([] when nothing matched)."""
    return dumps([exercise_to_dict(ex, catalogue.sources) for ex in found])


def exercise_to_dict(ex: Exercise, sources: Mapping[str, Source] | None = None) -> dict[str, Any]:
    """The exercise with the catalogue's own keys; ranges as a number or [low, high].

    Steps and cues stay templates and `sources` stay ids, so the object is a catalogue
    entry; `source_titles` (output only; reading it back ignores it) cites them by title.
    """
    d = ex.dosage
    data = {
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
        "cautions": [c.text if c.when is None else {"text": c.text, "when": _tag(c.when)} for c in ex.cautions],
        "precautions": [p.stable for p in ex.precautions],
        "needs": [n.value for n in ex.needs],
        "hips": ex.hips.value if ex.hips else None,
        "easier": ex.easier,
        "harder": ex.harder,
        "sources": list(ex.sources),
    }
    if sources is not None:
        data["source_titles"] = [citation(sources[i]) if i in sources else i for i in ex.sources]
    return data


def source_to_dict(src: Source) -> dict[str, Any]:
    return {"id": src.id, "title": src.title, "author": src.author, "publisher": src.publisher,
            "date": src.date, "cites": list(src.cites)}  # fmt: skip


def _muscles_dict(ex: Exercise) -> dict[str, list[str]]:
    return {
        "primary": [m.value for m in ex.muscles.primary],
        "secondary": [m.value for m in ex.muscles.secondary],
    }


def dumps(data: Any) -> str:
    import json  # only scripts ask for JSON; tables should not pay for the import

    # json escapes C0 controls itself; C1 and bidi controls it leaves as they are. They can
    # only stand inside strings, so their \uXXXX escapes keep the data and the JSON valid.
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    return {
        "goal": routine.goal.value,
        "level": routine.level.value,
        "seed": routine.seed,
        "rounds": routine.rounds,  # the items are done this many times, round_rest_s apart
        "round_rest_s": round_rest_seconds(routine),
        "total_seconds": total_seconds(routine),
        "profile": _profile_dict(routine),
        "items": [_item_to_dict(item, found, routine)
                  for item, found in zip(routine.items, item_phases(routine), strict=True)],
        "sources": [source_to_dict(src) for src in routine.cited()],
    }


def _profile_dict(routine: Routine) -> dict[str, Any] | None:
    """The profile applied (null: none stored, or ignored for this run), with the hip
    precautions it put in force and what it meant in words."""
    if routine.profile is None:
        return None
    protect = sorted(routine.request.protect, key=lambda sp: (sp[0].value, sp[1].value))
    return {
        **routine.profile.to_dict(),
        "protected": [{"hip": side.value, "precaution": p.stable} for side, p in protect],
        "notes": list(routine.profile_notes),
    }


def _tag(tag: Precaution | Need) -> str:
    return tag.stable if isinstance(tag, Precaution) else tag.value


def _item_to_dict(item: Item, phases: list[Phase], routine: Routine) -> dict[str, Any]:
    """An item, with its phases in the first round (its move from the item before included)."""
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
        "sides": [s.value for s in p.worked_sides] if p.worked_sides else None,
        "extra_set": p.extra.value if p.extra and p.worked_sides and p.extra in p.worked_sides else None,
        "seconds": sum(phase.seconds for phase in phases),
        "substituted_for": item.substituted_for.id if item.substituted_for else None,
        "sources": list(ex.sources),
        "cautions": list(item_cautions(routine, ex).shown),  # those that concern this person
        "phases": [
            {"kind": ph.kind, "seconds": ph.seconds, "set": ph.set, "side": ph.side, "text": ph.text} for ph in phases
        ],
        "note": item.note,  # a written dose outside the sources' range, in words (null: none)
    }




def prescription_to_dict(p: Prescription) -> dict[str, Any]:
    """A prescription as data: every view that prints JSON carries this same object
    (see docs/schemas/prescription.json)."""
    from hiprot.text import prescription_words

    plan = p.plan
    return {
        "date": p.day.isoformat(),
        "saved_name": p.saved,
        "goal": p.routine.goal.value,
        "level": p.routine.level.value,
        "rounds": p.routine.rounds,
        "total_seconds": p.total_seconds,
        "minutes": p.minutes,
        "plan": None if plan is None else {
            "saved_name": plan.saved_name, "week": plan.week, "weeks": plan.weeks,
            "due": plan.due.isoformat() if plan.due else None, "status": plan.status,
            "adherence": {"done": plan.done, "due_so_far": plan.due_so_far,
                          "percent": round(100 * plan.done / plan.due_so_far) if plan.due_so_far else None},
        },
        "items": [
            {
                "id": i.exercise.id,
                "name": i.exercise.name,
                "position": i.exercise.position.value,
                "dose": prescription_words(i.dose),
                "dosage": {"sets": i.dose.sets, "reps": i.dose.reps, "hold_s": i.dose.hold_s,
                           "per_side": i.dose.per_side, "rest_s": i.dose.rest_s},
                "sides": [s.value for s in i.sides] if i.sides else None,
                "extra_set": i.extra_set.value if i.extra_set else None,
                "why": [r.to_dict() for r in i.why],
                "changes": list(i.changes),
                "cautions": list(i.cautions),
                "seconds": i.seconds,
                "substituted_for": i.substituted_for.id if i.substituted_for else None,
            }
            for i in p.items
        ],
        "notes": list(p.notes),
        "profile_notes": list(p.profile_notes),
        "sources": [citation(s) for s in p.sources],
    }  # fmt: skip
