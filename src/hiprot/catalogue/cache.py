"""The parsed-catalogue cache: validated exercises kept as marshal data between runs.

marshal data is plain tuples and strings, which cannot run code. A cache file is keyed by
each catalogue file's path, size and modification time and by hiprot's version. A stale,
unreadable or corrupt cache, or a row that does not decode into a valid exercise, is a
miss: the YAML is parsed again. A catalogue that fails validation is never written.
"""

from __future__ import annotations

import contextlib
import marshal
import operator
import os
import zlib
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

from hiprot import __version__
from hiprot.files import read_bounded
from hiprot.models import (
    AVOIDABLE,
    EXERCISE_FIELDS,
    Caution,
    Dosage,
    Equipment,
    Exercise,
    Goal,
    HipScope,
    Kind,
    Level,
    Movement,
    Muscle,
    Muscles,
    Need,
    Position,
    Precaution,
    Source,
)
from hiprot.paths import cache_dir

CACHE_FORMAT = 4  # 3: exercises carry `hips`; the cited sources are kept too. 4: cautions are (text, when)
# The cache of the largest catalogue hiprot loads (a folder at its total limit) is well
# under this; anything bigger is not a cache hiprot wrote.
MAX_CACHE_BYTES = 256 * 1024 * 1024
Stamp = tuple[Any, ...]
# What reading a cache can raise when the file is missing, truncated, stale or edited.
_MISSES = (OSError, EOFError, ValueError, TypeError, KeyError, IndexError)


def stamp(files: list[Path], own: list[Path] | None = None) -> Stamp:
    """What the cache must match: each file's path, size and mtime (the person's own
    catalogue files too, kept apart), and hiprot's version."""
    entries = []
    for file in [*files, *(own or ())]:
        info = file.stat()
        entries.append((str(file.resolve()), info.st_size, info.st_mtime_ns))
    return (CACHE_FORMAT, __version__, tuple(entries), len(own or ()))


def cache_file(key: Stamp) -> Path:
    # One cache file per catalogue path; the name is not a checksum (the stamp inside is
    # what is compared).
    paths = tuple(path for path, _, _ in key[2])
    return cache_dir() / f"catalogue-{zlib.crc32(repr(paths).encode()):08x}.marshal"


def read(key: Stamp) -> tuple[list[Exercise], dict[str, Source], dict[str, str]] | None:
    """The cached exercises and sources for this stamp, or None on any kind of miss."""
    try:
        # A regular file only, and never more than the limit: a cache file swapped for a
        # link to /dev/zero or a FIFO is a miss at once, not all of memory or a hang.
        saved, rows, source_rows, overrides = marshal.loads(read_bounded(cache_file(key), MAX_CACHE_BYTES))
        if saved != key:
            return None
        shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        exercises = [_decode(row, shared) for row in rows]
        sources = [_decode_source(row) for row in source_rows]
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in overrides.items()):
            raise TypeError("not an override map")
        return exercises, {src.id: src for src in sources}, dict(overrides)
    except _MISSES:
        return None


def _decode_source(row: tuple[Any, ...]) -> Source:
    if len(row) != len(Source._fields) or not all(isinstance(v, str) for v in row[:2]):
        raise ValueError("not a source row")
    return Source._make((*row[:5], tuple(row[5])))


def write(
    key: Stamp, exercises: list[Exercise], sources: dict[str, Source], overrides: dict[str, str] | None = None
) -> None:
    target = cache_file(key)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            rows = [_encode(ex) for ex in exercises]
            marshal.dump((key, rows, [tuple(src) for src in sources.values()], dict(overrides or {})), handle)
        os.replace(tmp, target)
    except OSError:
        # A read-only or full home only costs speed.
        with contextlib.suppress(OSError):
            tmp.unlink()


# --- rows ------------------------------------------------------------------------------
# A row is the exercise's fields in Exercise's order. Text fields go in as they are; the
# fields below are coded to plain values. Decoding checks every value, so an edited row
# is a miss, never a wrong exercise.


def _enum(enum: type[Enum]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    members = enum._value2member_map_
    return (lambda v: v.value), (lambda v: members[v])


def _enums(enum: type[Enum]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    members = enum._value2member_map_
    return (lambda vs: tuple(v.value for v in vs)), (lambda vs: tuple(members[v] for v in vs))


def _encode_muscles(m: Muscles) -> tuple[Any, ...]:
    return (tuple(x.value for x in m.primary), tuple(x.value for x in m.secondary))


def _decode_muscles(raw: tuple[Any, ...]) -> Muscles:
    primary, secondary = raw
    return Muscles(tuple(Muscle(m) for m in primary), tuple(Muscle(m) for m in secondary))


def _encode_dosage(d: Dosage) -> tuple[tuple[str, Any], ...]:
    """(key, value) pairs of the catalogue's dosage mapping; a range is (low, high)."""
    pairs: list[tuple[str, Any]] = [("sets", (d.sets.low, d.sets.high)), ("per_side", d.per_side)]
    for key, value in (("reps", d.reps), ("hold_s", d.hold_s), ("rest_s", d.rest_s)):
        if value is not None:
            pairs.append((key, (value.low, value.high)))
    return tuple(pairs)


def _decode_dosage(raw: tuple[tuple[str, Any], ...]) -> Dosage:
    from hiprot.catalogue.schema import check_dosage

    data = {key: (_range_data(value) if key != "per_side" else value) for key, value in raw}
    return check_dosage(data)  # the schema's own range checks: ValueError is a miss


def _range_data(value: Any) -> Any:
    low, high = value
    return low if low == high else [low, high]


def _encode_cautions(cautions: tuple[Caution, ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple((c.text, c.when.value if c.when is not None else None) for c in cautions)


def _decode_cautions(raw: tuple[tuple[Any, Any], ...]) -> tuple[Caution, ...]:
    found = []
    for text, when in raw:
        if not isinstance(text, str):
            raise TypeError("a caution is not text")
        found.append(Caution(text, None if when is None else AVOIDABLE[when]))
    return tuple(found)


_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "kind": _enum(Kind),
    "goals": _enums(Goal),
    "position": _enum(Position),
    "level": _enum(Level),
    "equipment": _enums(Equipment),
    "muscles": (_encode_muscles, _decode_muscles),
    "movement": _enums(Movement),
    "dosage": (_encode_dosage, _decode_dosage),
    "precautions": _enums(Precaution),
    "needs": _enums(Need),
    "hips": ((lambda v: v and v.value), (lambda v: v and HipScope(v))),
}
_CODED = tuple(i for i, name in enumerate(EXERCISE_FIELDS) if name in _CODECS)
_CODED_OF = operator.itemgetter(*_CODED)
_ENCODE = tuple(_CODECS[EXERCISE_FIELDS[i]][0] for i in _CODED)
_DECODE = tuple(_CODECS[EXERCISE_FIELDS[i]][1] for i in _CODED)
_ID, _NAME = EXERCISE_FIELDS.index("id"), EXERCISE_FIELDS.index("name")
# Cautions differ from exercise to exercise, so they are decoded on their own, outside the
# shared values (which would otherwise never be shared): see _PICK.
# Field i of an exercise from `row + decoded values`: the row's own, or its decoded value.
_CAUTIONS = EXERCISE_FIELDS.index("cautions")
# ... and the cautions from the one value after the decoded ones.
_PICK = operator.itemgetter(
    *(
        len(EXERCISE_FIELDS) + _CODED.index(i) if i in _CODED
        else len(EXERCISE_FIELDS) + len(_CODED) if i == _CAUTIONS
        else i
        for i in range(len(EXERCISE_FIELDS))
    )
)


def _encode(ex: Exercise) -> tuple[Any, ...]:
    row: list[Any] = list(ex)
    for i, encode in zip(_CODED, _ENCODE):
        row[i] = encode(row[i])
    row[_CAUTIONS] = _encode_cautions(ex.cautions)
    return tuple(row)


def _decode(row: tuple[Any, ...], shared: dict[tuple[Any, ...], tuple[Any, ...]]) -> Exercise:
    """Rebuild an exercise; equal coded values are decoded once and shared, not copied."""
    if len(row) != len(EXERCISE_FIELDS):
        raise ValueError("row has the wrong number of fields")
    key = _CODED_OF(row)
    values = shared.get(key)
    if values is None:
        values = shared[key] = tuple(decode(row[i]) for i, decode in zip(_CODED, _DECODE))
    if not (isinstance(row[_ID], str) and isinstance(row[_NAME], str)):
        raise TypeError("an id or a name is not text")
    # The row with each coded field taken from the decoded values, in one C-level pick.
    raw = row[_CAUTIONS]
    cautions = shared.get(raw)  # equal lists of cautions (copies of a drill) decode once
    if cautions is None:
        cautions = shared[raw] = _decode_cautions(raw)
    return tuple.__new__(Exercise, _PICK(row + values + (cautions,)))

