"""YAML text -> validated Exercise records, every problem with its file and line.

A catalogue file is a mapping with `version: 1` and an `exercises:` list, a `sources:` list
(the works exercises cite, by id), or both. Every problem is
reported as `FILE:LINE: exercise 'ID': what is wrong`, all of them at once, so a person
can fix a file in one pass. Only PyYAML's safe loaders are used.

Loading is bounded: a file is read up to MAX_FILE_BYTES, and composing it stops as soon as
it holds more than MAX_NODES values (an alias counts as everything it repeats) or nests
deeper than MAX_DEPTH. A file past a limit, unreadable, not UTF-8 or not YAML is one
line, `FILE[:LINE[:COLUMN]]: what is wrong`, raised at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from hiprot.catalogue.limits import (
    MAX_TOTAL_BYTES,
    _clip,
    _folder_too_large,
    _label,
    _line,
    _mapping_lines,
    _show,
    _size_on_disk,
    _value_node,
    _yaml_nodes,
    read_text,
)
from hiprot.errors import CatalogueError
from hiprot.models import (
    AVOIDABLE,
    EXERCISE_FIELDS,
    HIP_PRECAUTIONS,
    OLD_NAMES,
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
    Range,
    Source,
    avoidable,
    normalize,
    resolve_muscle,
)
from hiprot.text import first_unsafe

CATALOGUE_VERSION = 1
DOSAGE_KEYS = ("sets", "reps", "hold_s", "per_side", "rest_s")
# Bounds a sane prescription stays inside; a hold past ten minutes is a typo for seconds.
DOSAGE_LIMITS = {"sets": (1, 10), "reps": (1, 100), "hold_s": (1, 600), "rest_s": (0, 300)}
STEPS_MIN, STEPS_MAX = 4, 8
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_files(
    files: list[Path], source: str, defaults: Iterable[Path] = (), own: Iterable[Path] = (), *, each: bool = False
) -> tuple[list[Exercise], dict[str, Source], dict[str, str]]:
    """Read and validate catalogue files: their exercises, the sources they may cite, and
    the ids the person's `own` files replace (with where each replacement is).

    `defaults` are files of sources that any catalogue may cite (the bundled list): a
    catalogue's own `sources:` entry of the same id takes their place. `own` files are the
    person's exercises, loaded on top (see USER_OPTIONAL): one with an id already there
    takes its place. CatalogueError lists every problem; with `each`, a file that cannot be
    read or parsed at all is one problem among the others rather than the end of it.
    """
    problems: list[str] = []
    entries: list[tuple[Exercise, str, int]] = []
    mine: list[tuple[Exercise, str, int]] = []
    sourced: list[tuple[Source, str, int]] = []
    rejected: set[str] = set()
    own = list(own)
    every = [*files, *own]
    if len(every) > 1 and _size_on_disk(every) > MAX_TOTAL_BYTES:
        raise CatalogueError([_folder_too_large(source)])  # before anything is read
    total = 0
    for file in every:
        try:
            text = read_text(file)
            total += len(text)  # characters: at least one byte each, so never more than the bytes
            if len(every) > 1 and total > MAX_TOTAL_BYTES:
                raise CatalogueError([_folder_too_large(source)])
            parsed, file_problems, file_rejected = parse_catalogue(text, str(file), sourced, user=file in own)
        except CatalogueError as exc:
            if not each:
                raise
            problems.extend(exc.problems)
            continue
        (mine if file in own else entries).extend(parsed)
        problems.extend(file_problems)
        rejected |= file_rejected
    overrides: dict[str, str] = {}
    if mine:
        replaced = {ex.id: f"{file}:{line}" for ex, file, line in mine}
        overrides = {ex.id: replaced[ex.id] for ex, _, _ in entries if ex.id in replaced}
        entries = [entry for entry in entries if entry[0].id not in replaced] + mine
    fallback: list[tuple[Source, str, int]] = []
    for file in defaults:
        parsed, file_problems, _ = parse_catalogue(read_text(file), str(file), fallback)
        problems.extend(file_problems)
    sources, source_problems = _source_registry(sourced, fallback)
    problems.extend(source_problems)
    problems.extend(_cross_check(entries, rejected, sources))
    if not entries and not problems:
        raise CatalogueError([f"{source}: the catalogue holds no exercises; add at least one under 'exercises:'"])
    if problems:
        raise CatalogueError(problems, source)
    return [ex for ex, _, _ in entries], sources, overrides



def parse_catalogue(
    text: str, source: str, sources: list[tuple[Source, str, int]] | None = None, *, user: bool = False
) -> tuple[list[tuple[Exercise, str, int]], list[str], set[str]]:
    """Validate one file's text: (exercise, file, line) triples, all problems, and the ids
    of exercises that were rejected (so links to them are not reported a second time).
    The file's `sources:` entries are added to `sources` as (source, file, line). A `user`
    file holds the person's own exercises (see USER_OPTIONAL)."""
    data, root = _yaml_nodes(text, source)
    if not isinstance(data, dict):
        return [], [f"{source}:1: a catalogue is a mapping with 'version: 1' and 'exercises:'"], set()
    problems: list[str] = []
    lines, repeats = _mapping_lines(root)
    problems += [f"{source}:{line}: key '{_label(key)}' appears twice" for key, line in repeats]
    for key in data:
        if key not in ("version", "exercises", "sources"):
            problems.append(
                f"{source}:{lines.get(key, 1)}: unknown top-level key '{_label(key)}' "
                "(expected 'version', 'exercises' and 'sources')"
            )
    version = data.get("version")
    if not (_is_int(version) and version == CATALOGUE_VERSION):  # not True, not 1.0
        problems.append(
            f"{source}:{lines.get('version', 1)}: 'version' must be {CATALOGUE_VERSION}, found {_show(version)}"
        )
    if "sources" in data:
        problems += _parse_sources(data["sources"], _value_node(root, "sources"), lines.get("sources", 1), source,
                                   sources if sources is not None else [])  # fmt: skip
        if "exercises" not in data:
            return [], problems, set()  # a file of sources only
    items = data.get("exercises")
    seq_node = _value_node(root, "exercises")
    if not isinstance(items, list) or seq_node is None or seq_node.id != "sequence":
        problems.append(f"{source}:{lines.get('exercises', 1)}: 'exercises' must be a list")
        return [], problems, set()
    parsed = []
    rejected = set()
    for index, (item, node) in enumerate(zip(items, seq_node.value)):
        exercise, item_problems = _parse_exercise(item, node, index, source, user=user)
        problems += item_problems
        if exercise is not None:
            parsed.append((exercise, source, _line(node)))
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            rejected.add(item["id"])
    return parsed, problems, rejected


class _Problem(ValueError):
    """A field problem; `key` names the nested key it is about (e.g. dosage's hold_s)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class _WrongKind(ValueError):
    """A value of the wrong kind (a list where text belongs): a ValueError like every
    other field problem, so it is collected with them."""


class _Fields:
    """Reads one exercise mapping, recording each problem with its line."""

    def __init__(self, item: dict[Any, Any], node: Any, prefix: str, source: str) -> None:
        self.item = item
        self.node = node
        self.start = _line(node)
        self.prefix = prefix
        self.source = source
        self.problems: list[str] = []
        if len(node.value) != len(item):  # a key given twice collapses in the mapping
            for key, line in _mapping_lines(node)[1]:
                self.problems.append(f"{source}:{line}: {prefix}key '{_label(key)}' appears twice")

    @cached_property
    def lines(self) -> dict[Any, int]:
        """Line of each key; only needed once something is wrong."""
        return _mapping_lines(self.node)[0]

    def error(self, key: str | None, message: str) -> None:
        line = self.lines.get(key, self.start) if key else self.start
        self.problems.append(f"{self.source}:{line}: {self.prefix}{message}")

    def get(self, key: str, check: Callable[[Any], Any], default: Any) -> Any:
        """The checked value of a key; a missing or null optional key gives its default."""
        if key not in self.item or self.item[key] is None:
            if default is _REQUIRED:
                self.error(None, f"missing required key '{key}'")
                return None
            return default
        try:
            return check(self.item[key])
        except _Problem as exc:
            if exc.key is None:
                self.error(key, f"{key} {exc}")
            else:
                value_node = _value_node(self.node, key)
                lines = _mapping_lines(value_node)[0] if value_node is not None and value_node.id == "mapping" else {}
                line = lines.get(exc.key, self.lines.get(key, self.start))
                self.problems.append(f"{self.source}:{line}: {self.prefix}{key}.{exc.key} {exc}")
            return None
        except ValueError as exc:
            self.error(key, f"{key} {exc}")
            return None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be non-empty text, found {_show(value)}")
    unsafe = None if value.isprintable() else first_unsafe(value)  # isprintable: the fast, common case
    if unsafe is not None:
        # An escape sequence would reach every terminal that shows the exercise, and a
        # bidi override would show it in a different order than it is written.
        raise ValueError(f"contains a control or bidi-override character ({unsafe}): {_show(value)}")
    return value.strip()


def _texts(value: Any, minimum: int = 0, maximum: int | None = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _WrongKind(f"must be a list of text, found {_show(value)}")
    items = tuple(_text(v) for v in value)
    if len(items) < minimum or (maximum is not None and len(items) > maximum):
        wanted = f"{minimum}-{maximum}" if maximum is not None else f"at least {minimum}"
        raise ValueError(f"must hold {wanted} entries, found {len(items)}")
    return items


def _choice(enum: type[Enum]) -> Callable[[Any], Any]:
    members = enum._value2member_map_

    def check(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):  # TypeError: an unhashable value such as a list
            if isinstance(value, str) and value in OLD_NAMES and enum is Precaution:
                return OLD_NAMES[value]  # a tag's old name ('hip-replacement') still reads
            valid = ", ".join(m.value for m in enum)
            raise ValueError(f"'{_label(value)}' is not one of: {valid}") from None

    return check


def _choices(enum: type[Enum], minimum: int = 0) -> Callable[[Any], tuple[Any, ...]]:
    one = _choice(enum)

    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _WrongKind(f"must be a list, found {_show(value)}")
        if len(value) < minimum:
            raise ValueError(f"must hold at least {minimum} entry")
        items = tuple(one(v) for v in value)
        if len(set(items)) != len(items):
            raise ValueError("lists the same value twice")
        return items

    return check


CAUTION_KEYS = ("text", "when")


def _cautions(value: Any) -> tuple[Caution, ...]:
    """A list of cautions: each plain text (for everyone) or `{text, when}`, where `when`
    is the precaution or need a person must have for the caution to concern them."""
    if not isinstance(value, list):
        raise _WrongKind(f"must be a list of text or {{text, when}} entries, found {_show(value)}")
    found = []
    for n, entry in enumerate(value, 1):
        if isinstance(entry, dict):
            unknown = [k for k in entry if k not in CAUTION_KEYS]
            if unknown:
                raise ValueError(f"entry {n} has unknown key '{_label(unknown[0])}' (use text, when)")
            if "text" not in entry:
                raise ValueError(f"entry {n} needs 'text'")
            text = _nested_entry(n, _text, entry["text"])
            when = entry.get("when")
            tag = avoidable(when) if isinstance(when, str) else None
            if when is not None and tag is None:
                valid = ", ".join(AVOIDABLE)
                raise ValueError(f"entry {n}: when '{_label(when)}' is not a precaution or need (valid: {valid})")
            found.append(Caution(text, tag))
        else:
            found.append(Caution(_nested_entry(n, _text, entry)))
    if len({c.text for c in found}) != len(found):
        raise ValueError("lists the same caution twice")
    return tuple(found)


def _nested_entry(n: int, check: Callable[[Any], Any], value: Any) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise ValueError(f"entry {n} {exc}") from None


def _muscle_list(value: Any, minimum: int) -> tuple[Muscle, ...]:
    if not isinstance(value, list) or len(value) < minimum:
        raise ValueError(f"must be a list of at least {minimum} muscle id(s), found {_show(value)}")
    muscles = []
    for v in value:
        try:
            muscles.append(Muscle(v))
        except ValueError:
            known = resolve_muscle(v) if isinstance(v, str) else None
            hint = f" (write '{known.value}')" if known else ""
            raise ValueError(f"'{_label(v)}' is not a muscle id{hint}") from None
    return tuple(muscles)


def _muscles(value: Any) -> Muscles:
    if not isinstance(value, dict):
        raise _WrongKind("must be a mapping with 'primary' and 'secondary' lists")
    unknown = set(value) - {"primary", "secondary"}
    if unknown:
        raise ValueError(f"has unknown key '{min(map(_label, unknown))}' (use primary, secondary)")
    primary = _nested("primary", _muscle_list, value.get("primary"), 1)
    secondary = _nested("secondary", _muscle_list, value.get("secondary") or [], 0)
    overlap = set(primary) & set(secondary)
    if overlap:
        raise ValueError(f"lists '{min(m.value for m in overlap)}' as primary and secondary")
    return Muscles(primary, secondary)


def _range(key: str, value: Any) -> Range:
    low_limit, high_limit = DOSAGE_LIMITS[key]
    if _is_int(value):
        low = high = value
    elif isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
        low, high = value
        if low >= high:
            raise ValueError(f"range {_show(value)} must go from low to high")
    else:
        raise ValueError(f"must be a whole number or a [low, high] pair, found {_show(value)}")
    if low < low_limit or high > high_limit:
        unit = " seconds (10 minutes); holds are in seconds" if key == "hold_s" else ""
        raise ValueError(f"{_show(value)} is outside {low_limit}-{high_limit}{unit}")
    return Range(low, high)


def _nested(key: str, check: Callable[..., Any], *args: Any) -> Any:
    """Run a check on a nested value, tagging any problem with the nested key."""
    try:
        return check(*args)
    except _Problem:
        raise
    except ValueError as exc:
        raise _Problem(str(exc), key) from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_dosage(value: Any) -> Dosage:
    """A dosage mapping -> Dosage, or ValueError saying what is wrong."""
    if not isinstance(value, dict):
        raise _WrongKind("must be a mapping of sets, reps or hold_s, per_side, rest_s")
    value = {k: v for k, v in value.items() if v is not None}  # null reads as absent (JSON round-trip)
    for key in value:
        if key not in DOSAGE_KEYS:
            raise ValueError(f"has unknown key '{_label(key)}' (use {', '.join(DOSAGE_KEYS)})")
    if "sets" not in value:
        raise ValueError("needs 'sets'")
    if ("reps" in value) == ("hold_s" in value):
        raise ValueError("needs exactly one of 'reps' and 'hold_s'")
    per_side = value.get("per_side")
    if not isinstance(per_side, bool):
        raise _Problem(f"must be true or false, found {_show(per_side)}", "per_side")
    ranges = {
        k: _nested(k, _range, k, value[k]) for k in ("sets", "reps", "hold_s", "rest_s") if k in value
    }
    return Dosage(
        sets=ranges["sets"],
        per_side=per_side,
        reps=ranges.get("reps"),
        hold_s=ranges.get("hold_s"),
        rest_s=ranges.get("rest_s"),
    )


def _identifier(value: Any) -> str:
    if not isinstance(value, str) or not _KEBAB.fullmatch(value):
        raise ValueError(f"{_show(value)} must be kebab-case (lowercase letters, digits, hyphens)")
    return value


# Each field of an exercise: its check, and whether it may be left out (and its value
# then). Exercise's own field order is the one order; required keys and the record
# itself are derived from this table.
_REQUIRED = object()
FIELDS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "id": (_identifier, _REQUIRED),
    "name": (_text, _REQUIRED),
    "aliases": (_texts, _REQUIRED),
    "kind": (_choice(Kind), _REQUIRED),
    "goals": (_choices(Goal, 1), _REQUIRED),
    "position": (_choice(Position), _REQUIRED),
    "level": (_choice(Level), _REQUIRED),
    "equipment": (_choices(Equipment), _REQUIRED),
    "muscles": (_muscles, _REQUIRED),
    "movement": (_choices(Movement, 1), _REQUIRED),
    "dosage": (check_dosage, _REQUIRED),
    "steps": (lambda v: _templates(_texts(v, STEPS_MIN, STEPS_MAX)), _REQUIRED),
    "cues": (lambda v: _templates(_texts(v)), _REQUIRED),
    "cautions": (_cautions, _REQUIRED),
    "precautions": (_choices(Precaution), ()),
    "needs": (_choices(Need), ()),
    "hips": (_choice(HipScope), None),
    "easier": (_identifier, None),
    "harder": (_identifier, None),
    "sources": (lambda v: _ids(v, 1), _REQUIRED),
}
# Keys that output adds to an exercise (show --format json) and that reading it back
# accepts and ignores, so JSON out can go straight back in: titles of its sources, the
# steps and cues rendered for a side, the cautions shown to the person, and the figure's
# solved joints.
OUTPUT_ONLY: dict[str, Callable[[Any], Any]] = {
    "source_titles": _texts,
    "rendered": lambda v: _mapping(v),
    "your_cautions": _texts,
    "figure": lambda v: _mapping(v),
}


def _mapping(value: Any) -> Any:
    if not isinstance(value, dict):
        raise _WrongKind(f"must be a mapping, found {_show(value)}")
    return value
assert tuple(FIELDS) == EXERCISE_FIELDS, "FIELDS must follow Exercise's field order"


# A person's own exercise needs only id, name, kind, goals, position, level, equipment,
# muscles, dosage, steps and hips; these may be left out (their value then). Without a hip
# precaution, hiprot cannot tell which hip positions it uses, so it carries every hip
# precaution (UNTAGGED) with the hips it names, and a caution that says so.
USER_OPTIONAL: dict[str, Any] = {"aliases": (), "movement": (), "cues": (), "cautions": (), "sources": ()}
# (Every replaced hip is under the posterior or the anterior tag, early weeks or not.)
UNTAGGED = (Precaution.HIP_REPLACEMENT, Precaution.HIP_IMPINGEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR)
UNTAGGED_CAUTION = Caution(
    "Your own exercise has no hip precaution tags, so hiprot cannot tell which hip positions it uses: with a "
    "protected hip it is done on the other side only, or left out where it puts both hips in position."
)


def _parse_exercise(
    item: Any, node: Any, index: int, source: str, *, user: bool = False
) -> tuple[Exercise | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{source}:{_line(node)}: exercise #{index + 1}: must be a mapping of fields"]
    raw_id = item.get("id")
    label = _clip(raw_id) if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    fields = _Fields(item, node, f"exercise '{label}': ", source)
    for key in item:
        if key in OUTPUT_ONLY:
            fields.get(key, OUTPUT_ONLY[key], None)
        elif key not in FIELDS:
            fields.error(key, f"unknown key '{_label(key)}'{_closest(_label(key), FIELDS)}")
    values = [fields.get(key, check, _user_default(key, default) if user else default)
              for key, (check, default) in FIELDS.items()]  # fmt: skip
    if fields.problems:
        return None, fields.problems
    exercise = Exercise(*values)
    if user and not HIP_PRECAUTIONS & set(exercise.precautions):
        exercise = exercise._replace(
            precautions=(*exercise.precautions, *UNTAGGED), cautions=(*exercise.cautions, UNTAGGED_CAUTION)
        )
    _check_sides(exercise, fields)
    if fields.problems:
        return None, fields.problems
    return exercise, []


def _user_default(key: str, default: Any) -> Any:
    """A field's value when the person's own exercise leaves it out: `hips` is required
    there (which hips it puts in position), and USER_OPTIONAL fields may be left out."""
    if key == "hips":
        return _REQUIRED
    return USER_OPTIONAL.get(key, default)


def _check_sides(ex: Exercise, fields: _Fields) -> None:
    """Checks across fields: which hips a hip precaution concerns, and side placeholders
    only where there are sides."""
    hip = [p.value for p in ex.precautions if p in HIP_PRECAUTIONS]
    if hip and ex.hips is None:
        fields.error(
            "precautions",
            f"'hips' is required with {hip[0]}: say whether it concerns the 'working' hip only or 'both' hips",
        )
    elif ex.hips is not None and not hip:
        allowed = ", ".join(sorted(p.value for p in HIP_PRECAUTIONS))
        fields.error("hips", f"'hips' only goes with a hip precaution ({allowed})")
    elif ex.hips is HipScope.WORKING and not ex.dosage.per_side:
        fields.error("hips", "'hips: working' needs a per-side exercise; both legs work at once here, so write 'both'")
    if not ex.dosage.per_side:
        from hiprot.text import has_placeholder

        for key in ("steps", "cues"):
            if any(has_placeholder(text) for text in getattr(ex, key)):
                fields.error(key, f"{key} name a side, but the exercise is not done per side (dosage.per_side)")


def _templates(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Steps or cues, each a sound side template (see text.render)."""
    from hiprot.text import template_problem

    for n, text in enumerate(texts, 1):
        problem = template_problem(text)
        if problem:
            raise ValueError(f"entry {n} {problem}")
    return texts


def _ids(value: Any, minimum: int = 0) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _WrongKind(f"must be a list of ids, found {_show(value)}")
    ids = tuple(_identifier(v) for v in value)
    if len(ids) < minimum:
        raise ValueError(f"must hold at least {minimum} id")
    if len(set(ids)) != len(ids):
        raise ValueError("lists the same id twice")
    return ids


# --- sources ------------------------------------------------------------------------------
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def _date(value: Any) -> str:
    import datetime

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()  # YAML reads 2024-11-12 as a date
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f"must be a date as YYYY, YYYY-MM or YYYY-MM-DD, found {_show(value)}")
    return value


SOURCE_FIELDS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "id": (_identifier, _REQUIRED),
    "title": (_text, _REQUIRED),
    "author": (_text, None),
    "publisher": (_text, None),
    "date": (_date, None),
    "cites": (_ids, ()),
}
assert tuple(SOURCE_FIELDS) == Source._fields, "SOURCE_FIELDS must follow Source's field order"


def _parse_sources(
    items: Any, seq_node: Any, line: int, source: str, out: list[tuple[Source, str, int]]
) -> list[str]:
    """Validate a file's `sources:` list into `out`; the problems found."""
    if not isinstance(items, list) or seq_node is None or seq_node.id != "sequence":
        return [f"{source}:{line}: 'sources' must be a list"]
    problems: list[str] = []
    for index, (item, node) in enumerate(zip(items, seq_node.value)):
        if not isinstance(item, dict):
            problems.append(f"{source}:{_line(node)}: source #{index + 1}: must be a mapping of fields")
            continue
        raw_id = item.get("id")
        label = _clip(raw_id) if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
        fields = _Fields(item, node, f"source '{label}': ", source)
        for key in item:
            if key not in SOURCE_FIELDS:
                fields.error(key, f"unknown key '{_label(key)}'{_closest(_label(key), SOURCE_FIELDS)}")
        values = [fields.get(key, check, default) for key, (check, default) in SOURCE_FIELDS.items()]
        problems += fields.problems
        if not fields.problems:
            out.append((Source(*values), source, _line(node)))
    return problems


def _source_registry(
    own: list[tuple[Source, str, int]], fallback: list[tuple[Source, str, int]]
) -> tuple[dict[str, Source], list[str]]:
    """Sources by id: the catalogue's own over the defaults; duplicate ids within the
    catalogue's own files and `cites` that point nowhere are problems."""
    problems: list[str] = []
    registry = {src.id: src for src, _, _ in fallback}
    where: dict[str, str] = {}
    for src, file, line in own:
        if src.id in where:
            problems.append(f"{file}:{line}: source '{_clip(src.id)}': id already used at {where[src.id]}")
            continue
        where[src.id] = f"{file}:{line}"
        registry[src.id] = src
    for src, file, line in [*own, *fallback]:
        if registry.get(src.id) is not src:
            continue
        for cited in src.cites:
            if cited == src.id:
                problems.append(f"{file}:{line}: source '{_clip(src.id)}': cites itself")
            elif cited not in registry:
                problems.append(
                    f"{file}:{line}: source '{_clip(src.id)}': cites '{_clip(cited)}', which is not a source id"
                    f"{_closest(cited, registry)}"
                )
    return registry, problems


def _closest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _cross_check(
    entries: list[tuple[Exercise, str, int]], rejected: set[str], sources: dict[str, Source]
) -> list[str]:
    """Checks that span exercises: unique ids and names, links and sources that resolve,
    no loops."""
    problems: list[str] = []
    by_id: dict[str, Exercise] = {}
    owner: dict[str, str] = {}
    for ex, file, line in entries:
        where = f"{file}:{line}: exercise '{_clip(ex.id)}': "
        if ex.id in by_id:
            problems.append(f"{where}duplicate id '{_clip(ex.id)}'")
            continue
        by_id[ex.id] = ex
        for label in (ex.id, ex.name, *ex.aliases):
            key = normalize(label)
            if not key:
                problems.append(f"{where}alias {_show(label)} has no letters or digits")
            elif owner.setdefault(key, ex.id) != ex.id:
                problems.append(
                    f"{where}name or alias '{_clip(label)}' is already used by exercise '{_clip(owner[key])}'"
                )
    loop_free: dict[str, set[str]] = {"easier": set(), "harder": set()}
    for ex, file, line in entries:
        where = f"{file}:{line}: exercise '{_clip(ex.id)}': "
        for cited in ex.sources:
            if cited not in sources:
                problems.append(
                    f"{where}source '{_clip(cited)}' is not a source id{_closest(cited, sources)} "
                    "(sources are listed under 'sources:' in a catalogue file, or bundled with hiprot)"
                )
        for link in ("easier", "harder"):
            target = getattr(ex, link)
            if target is None:
                continue
            if target == ex.id:
                problems.append(f"{where}{link} points to itself")
            elif target not in by_id and target not in rejected:
                problems.append(f"{where}{link} '{_clip(target)}' is not an exercise id{_closest(target, by_id)}")
            elif not _reaches_end(ex, link, by_id, loop_free[link]):
                loop = _loop(ex, link, by_id)
                if loop:
                    chain = " -> ".join(_clip(step, 30) for step in loop)
                    problems.append(f"{where}the '{link}' chain loops back on itself ({chain})")
    return problems


def _reaches_end(ex: Exercise, link: str, by_id: dict[str, Exercise], loop_free: set[str]) -> bool:
    """True if ex's chain ends (in nothing, or an id that is not there) without a repeat.

    Every id on a chain that ends is remembered in `loop_free`, so the walks over a whole
    catalogue stay linear however long its chains are.
    """
    walked: list[str] = []
    seen: set[str] = set()
    current: str | None = ex.id
    while current is not None and current in by_id and current not in loop_free:
        if current in seen:
            return False
        seen.add(current)
        walked.append(current)
        current = getattr(by_id[current], link)
    loop_free.update(walked)
    return True


def _loop(ex: Exercise, link: str, by_id: dict[str, Exercise]) -> list[str]:
    """The ids along ex's `easier` or `harder` chain up to the first repeat, if it repeats
    (a chain that loops can never reach the variant it promises); else []."""
    path = [ex.id]
    seen = {ex.id}
    current = getattr(ex, link)
    while current is not None and current in by_id:
        path.append(current)
        if current in seen:
            return path if len(path) <= 8 else [*path[:3], "...", *path[-3:]]
        seen.add(current)
        current = getattr(by_id[current], link)
    return []
