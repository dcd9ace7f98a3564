"""The catalogue format as a JSON Schema (draft 2020-12), so an editor can check a YAML file
as it is typed. Built from the loader's own vocabularies and limits, so the two cannot
drift apart; `docs/schemas/catalogue.json` is this, committed (a test compares them).

The schema checks shape, vocabulary and bounds. What only the loader can check (side
placeholders in steps, `hips` going with a hip precaution, ids and aliases unique across
files, `easier`/`harder` and `sources` that resolve, the person's own exercises needing
fewer keys) is left to it: `hiprot catalogue validate PATH` runs the loader itself.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from hiprot.catalogue.schema import (
    CATALOGUE_VERSION,
    DOSAGE_LIMITS,
    STEPS_MAX,
    STEPS_MIN,
    USER_OPTIONAL,
)
from hiprot.models import (
    OLD_NAMES,
    Equipment,
    Goal,
    HipScope,
    Kind,
    Level,
    Movement,
    Muscle,
    Need,
    Position,
    Precaution,
)

SCHEMA_ID = "https://github.com/hiprot/hiprot/docs/schemas/catalogue.json"
KEBAB = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Text a person reads: not empty, and no control character (the loader names the one found).
TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$"}


def _enum(vocabulary: type[Enum], *extra: str) -> dict[str, Any]:
    return {"enum": [v.value for v in vocabulary] + list(extra)}


def _list(item: dict[str, Any], minimum: int = 0, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": item, "uniqueItems": True}
    if minimum:
        schema["minItems"] = minimum
    if maximum is not None:
        schema["maxItems"] = maximum
    return schema


def _range(key: str) -> dict[str, Any]:
    low, high = DOSAGE_LIMITS[key]
    number = {"type": "integer", "minimum": low, "maximum": high}
    return {"oneOf": [number, {"type": "array", "items": number, "minItems": 2, "maxItems": 2}, {"type": "null"}]}


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of a catalogue file (`version`, `exercises`, `sources`)."""
    tags = [p.value for p in Precaution] + [n.value for n in Need] + list(OLD_NAMES)
    caution = {
        "oneOf": [
            TEXT,
            {
                "type": "object",
                "properties": {"text": TEXT, "when": {"enum": tags}},  # the keys CAUTION_KEYS names
                "required": ["text"],
                "additionalProperties": False,
            },
        ],
        "description": "Plain text (for everyone), or {text, when}: shown to a person with that precaution or "
        "need, or with no profile.",
    }
    muscle = _enum(Muscle)
    exercise_properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": KEBAB},
        "name": TEXT,
        "aliases": _list(TEXT),
        "kind": _enum(Kind),
        "goals": _list(_enum(Goal), 1),
        "position": _enum(Position),
        "level": _enum(Level),
        "equipment": _list(_enum(Equipment)),
        "muscles": {
            "type": "object",
            "properties": {"primary": _list(muscle, 1), "secondary": {"oneOf": [_list(muscle), {"type": "null"}]}},
            "required": ["primary"],
            "additionalProperties": False,
        },
        "movement": _list(_enum(Movement), 1),
        "dosage": {
            "type": "object",
            "properties": {
                "sets": _range("sets"),
                "reps": _range("reps"),
                "hold_s": _range("hold_s"),
                "per_side": {"type": "boolean"},
                "rest_s": _range("rest_s"),
            },
            "required": ["sets", "per_side"],
            "additionalProperties": False,
        },
        "steps": _list(TEXT, STEPS_MIN, STEPS_MAX) | {"uniqueItems": False},
        "cues": _list(TEXT) | {"uniqueItems": False},
        "cautions": {"type": "array", "items": caution},
        "precautions": {"oneOf": [_list(_enum(Precaution, *OLD_NAMES)), {"type": "null"}]},
        "needs": {"oneOf": [_list(_enum(Need)), {"type": "null"}]},
        "hips": {"oneOf": [_enum(HipScope), {"type": "null"}]},
        "easier": {"oneOf": [{"type": "string", "pattern": KEBAB}, {"type": "null"}]},
        "harder": {"oneOf": [{"type": "string", "pattern": KEBAB}, {"type": "null"}]},
        "sources": _list({"type": "string", "pattern": KEBAB}, 1),
        # Output only (show --format json): read back and ignored.
        "source_titles": {"type": "array", "items": {"type": "string"}},
        "rendered": {"type": "object"},
        "your_cautions": {"type": "array", "items": {"type": "string"}},
        "figure": {"type": "object"},  # the figure's solved joints (docs/figures.md)
    }
    # What every exercise gives: the bundled file gives the rest too, and a person's own
    # exercise gives `hips` (the loader checks both).
    required = ["id", "name", "kind", "goals", "position", "level", "equipment", "muscles", "dosage", "steps"]
    source_properties = {
        "id": {"type": "string", "pattern": KEBAB},
        "title": TEXT,
        "author": {"oneOf": [TEXT, {"type": "null"}]},
        "publisher": {"oneOf": [TEXT, {"type": "null"}]},
        "date": {"oneOf": [{"type": "string", "pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$"}, {"type": "integer"},
                           {"type": "null"}]},
        "cites": _list({"type": "string", "pattern": KEBAB}),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "hiprot exercise catalogue",
        "description": "A hiprot catalogue file (YAML or JSON). The bundled catalogue gives every field; a "
        "person's own exercise (in the catalogue folder of hiprot's config folder) may leave out "
        + ", ".join(sorted(USER_OPTIONAL))
        + " and must give hips. Checked in full by: hiprot catalogue validate PATH.",
        "type": "object",
        "properties": {
            "version": {"const": CATALOGUE_VERSION},
            "exercises": {"type": "array", "items": {"$ref": "#/$defs/exercise"}},
            "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        },
        "required": ["version"],
        "additionalProperties": False,
        "$defs": {
            "exercise": {
                "type": "object",
                "properties": exercise_properties,
                "required": required,
                "additionalProperties": False,
            },
            "source": {
                "type": "object",
                "properties": source_properties,
                "required": ["id", "title"],
                "additionalProperties": False,
            },
        },
    }


def schema_text() -> str:
    """The schema as the file in docs/schemas holds it: indented JSON and a final newline."""
    import json

    return json.dumps(catalogue_schema(), indent=2, ensure_ascii=False) + "\n"
