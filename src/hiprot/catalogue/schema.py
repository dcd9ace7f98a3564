"""YAML text -> validated Exercise records, every problem with its file and line.

A catalogue file is a mapping with `version: 1` and an `exercises:` list. Every problem is
reported as `FILE:LINE: exercise 'ID': what is wrong`, all of them at once, so a person
can fix a file in one pass. Only PyYAML's safe loaders are used.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from hiprot.errors import CatalogueError
from hiprot.models import (
    EXERCISE_FIELDS,
    Dosage,
    Equipment,
    Exercise,
    Goal,
    Kind,
    Level,
    Movement,
    Muscle,
    Muscles,
    Need,
    Position,
    Precaution,
    Range,
    normalize,
    resolve_muscle,
)

CATALOGUE_VERSION = 1
DOSAGE_KEYS = ("sets", "reps", "hold_s", "per_side", "rest_s")
# Bounds a sane prescription stays inside; a hold past ten minutes is a typo for seconds.
DOSAGE_LIMITS = {"sets": (1, 10), "reps": (1, 100), "hold_s": (1, 600), "rest_s": (0, 300)}
STEPS_MIN, STEPS_MAX = 4, 8
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_files(files: list[Path], source: str) -> list[Exercise]:
    """Read and validate catalogue files; CatalogueError lists every problem."""
    problems: list[str] = []
    entries: list[tuple[Exercise, str, int]] = []
    rejected: set[str] = set()
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{file}: cannot read the catalogue: {exc}")
            continue
        parsed, file_problems, file_rejected = parse_catalogue(text, str(file))
        entries.extend(parsed)
        problems.extend(file_problems)
        rejected |= file_rejected
    problems.extend(_cross_check(entries, rejected))
    if problems:
        raise CatalogueError(problems, source)
    return [ex for ex, _, _ in entries]


def _yaml_nodes(text: str, source: str) -> tuple[Any, Any]:
    """Parse YAML safely, returning (data, node tree) so errors can cite lines."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.context and context and mark and context.line != mark.line:
            problem += f" ({exc.context} started at line {context.line + 1}, column {context.column + 1})"
        if isinstance(exc, yaml.constructor.ConstructorError):
            problem += " (a catalogue holds plain data only; tags that build objects are refused)"
        raise CatalogueError([f"{where}: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{source}: not valid YAML: {exc}"]) from None
    finally:
        loader.dispose()
    return data, node


def _line(node: Any) -> int:
    return node.start_mark.line + 1


def _mapping_lines(node: Any) -> tuple[dict[Any, int], list[tuple[Any, int]]]:
    """Line of each key in a mapping node, and any keys that appear twice."""
    lines: dict[Any, int] = {}
    repeats: list[tuple[Any, int]] = []
    for key_node, _ in node.value:
        key = key_node.value
        if key in lines:
            repeats.append((key, _line(key_node)))
        else:
            lines[key] = _line(key_node)
    return lines, repeats


def parse_catalogue(text: str, source: str) -> tuple[list[tuple[Exercise, str, int]], list[str], set[str]]:
    """Validate one file's text: (exercise, file, line) triples, all problems, and the ids
    of exercises that were rejected (so links to them are not reported a second time)."""
    data, root = _yaml_nodes(text, source)
    if not isinstance(data, dict):
        return [], [f"{source}:1: a catalogue is a mapping with 'version: 1' and 'exercises:'"], set()
    problems: list[str] = []
    lines, repeats = _mapping_lines(root)
    problems += [f"{source}:{line}: key '{key}' appears twice" for key, line in repeats]
    for key in data:
        if key not in ("version", "exercises"):
            problems.append(
                f"{source}:{lines.get(key, 1)}: unknown top-level key '{key}' "
                "(expected 'version' and 'exercises')"
            )
    if data.get("version") != CATALOGUE_VERSION:
        problems.append(
            f"{source}:{lines.get('version', 1)}: 'version' must be {CATALOGUE_VERSION}, "
            f"found {data.get('version')!r}"
        )
    items = data.get("exercises")
    if not isinstance(items, list):
        problems.append(f"{source}:{lines.get('exercises', 1)}: 'exercises' must be a list")
        return [], problems, set()
    seq_node = next(v for k, v in root.value if k.value == "exercises")
    parsed = []
    rejected = set()
    for index, (item, node) in enumerate(zip(items, seq_node.value)):
        exercise, item_problems = _parse_exercise(item, node, index, source)
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


class _Fields:
    """Reads one exercise mapping, recording each problem with its line."""

    def __init__(self, item: dict, node: Any, prefix: str, source: str) -> None:
        self.item = item
        self.node = node
        self.start = _line(node)
        self.prefix = prefix
        self.source = source
        self.problems: list[str] = []
        if len(node.value) != len(item):  # a key given twice collapses in the mapping
            for key, line in _mapping_lines(node)[1]:
                self.problems.append(f"{source}:{line}: {prefix}key '{key}' appears twice")

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
                value_node = next(v for k, v in self.node.value if k.value == key)
                lines = _mapping_lines(value_node)[0] if value_node.id == "mapping" else {}
                line = lines.get(exc.key, self.lines[key])
                self.problems.append(f"{self.source}:{line}: {self.prefix}{key}.{exc.key} {exc}")
            return None
        except ValueError as exc:
            self.error(key, f"{key} {exc}")
            return None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be non-empty text, found {value!r}")
    return value.strip()


def _texts(value: Any, minimum: int = 0, maximum: int | None = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of text, found {value!r}")
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
            valid = ", ".join(m.value for m in enum)
            raise ValueError(f"'{value}' is not one of: {valid}") from None

    return check


def _choices(enum: type[Enum], minimum: int = 0) -> Callable[[Any], tuple]:
    one = _choice(enum)

    def check(value: Any) -> tuple:
        if not isinstance(value, list):
            raise ValueError(f"must be a list, found {value!r}")
        if len(value) < minimum:
            raise ValueError(f"must hold at least {minimum} entry")
        items = tuple(one(v) for v in value)
        if len(set(items)) != len(items):
            raise ValueError("lists the same value twice")
        return items

    return check


def _muscle_list(value: Any, minimum: int) -> tuple[Muscle, ...]:
    if not isinstance(value, list) or len(value) < minimum:
        raise ValueError(f"must be a list of at least {minimum} muscle id(s), found {value!r}")
    muscles = []
    for v in value:
        try:
            muscles.append(Muscle(v))
        except ValueError:
            known = resolve_muscle(str(v))
            hint = f" (write '{known.value}')" if known else ""
            raise ValueError(f"'{v}' is not a muscle id{hint}") from None
    return tuple(muscles)


def _muscles(value: Any) -> Muscles:
    if not isinstance(value, dict):
        raise ValueError("must be a mapping with 'primary' and 'secondary' lists")
    unknown = set(value) - {"primary", "secondary"}
    if unknown:
        raise ValueError(f"has unknown key '{sorted(map(str, unknown))[0]}' (use primary, secondary)")
    primary = _nested("primary", _muscle_list, value.get("primary"), 1)
    secondary = _nested("secondary", _muscle_list, value.get("secondary") or [], 0)
    overlap = set(primary) & set(secondary)
    if overlap:
        raise ValueError(f"lists '{sorted(m.value for m in overlap)[0]}' as primary and secondary")
    return Muscles(primary, secondary)


def _range(key: str, value: Any) -> Range:
    low_limit, high_limit = DOSAGE_LIMITS[key]
    if _is_int(value):
        low = high = value
    elif isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
        low, high = value
        if low >= high:
            raise ValueError(f"range {value} must go from low to high")
    else:
        raise ValueError(f"must be a whole number or a [low, high] pair, found {value!r}")
    if low < low_limit or high > high_limit:
        unit = " seconds (10 minutes); holds are in seconds" if key == "hold_s" else ""
        raise ValueError(f"{value} is outside {low_limit}-{high_limit}{unit}")
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
        raise ValueError("must be a mapping of sets, reps or hold_s, per_side, rest_s")
    value = {k: v for k, v in value.items() if v is not None}  # null reads as absent (JSON round-trip)
    for key in value:
        if key not in DOSAGE_KEYS:
            raise ValueError(f"has unknown key '{key}' (use {', '.join(DOSAGE_KEYS)})")
    if "sets" not in value:
        raise ValueError("needs 'sets'")
    if ("reps" in value) == ("hold_s" in value):
        raise ValueError("needs exactly one of 'reps' and 'hold_s'")
    per_side = value.get("per_side")
    if not isinstance(per_side, bool):
        raise _Problem(f"must be true or false, found {per_side!r}", "per_side")
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
        raise ValueError(f"{value!r} must be kebab-case (lowercase letters, digits, hyphens)")
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
    "steps": (lambda v: _texts(v, STEPS_MIN, STEPS_MAX), _REQUIRED),
    "cues": (_texts, _REQUIRED),
    "cautions": (_texts, _REQUIRED),
    "precautions": (_choices(Precaution), ()),
    "needs": (_choices(Need), ()),
    "easier": (_identifier, None),
    "harder": (_identifier, None),
    "sources": (lambda v: _texts(v, 1), _REQUIRED),
}
assert tuple(FIELDS) == EXERCISE_FIELDS, "FIELDS must follow Exercise's field order"
REQUIRED_KEYS = tuple(k for k, (_, default) in FIELDS.items() if default is _REQUIRED)
OPTIONAL_KEYS = tuple(k for k, (_, default) in FIELDS.items() if default is not _REQUIRED)


def _parse_exercise(item: Any, node: Any, index: int, source: str) -> tuple[Exercise | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{source}:{_line(node)}: exercise #{index + 1}: must be a mapping of fields"]
    raw_id = item.get("id")
    label = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    fields = _Fields(item, node, f"exercise '{label}': ", source)
    for key in item:
        if key not in FIELDS:
            fields.error(key, f"unknown key '{key}'{_closest(str(key), FIELDS)}")
    values = [fields.get(key, check, default) for key, (check, default) in FIELDS.items()]
    if fields.problems:
        return None, fields.problems
    return Exercise(*values), []


def _closest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _cross_check(entries: list[tuple[Exercise, str, int]], rejected: set[str]) -> list[str]:
    """Checks that span exercises: unique ids and names, links that resolve, no loops."""
    problems: list[str] = []
    by_id: dict[str, Exercise] = {}
    owner: dict[str, str] = {}
    for ex, file, line in entries:
        where = f"{file}:{line}: exercise '{ex.id}': "
        if ex.id in by_id:
            problems.append(f"{where}duplicate id '{ex.id}'")
            continue
        by_id[ex.id] = ex
        for label in (ex.id, ex.name, *ex.aliases):
            key = normalize(label)
            if not key:
                problems.append(f"{where}alias {label!r} has no letters or digits")
            elif owner.setdefault(key, ex.id) != ex.id:
                problems.append(f"{where}name or alias '{label}' is already used by exercise '{owner[key]}'")
    for ex, file, line in entries:
        where = f"{file}:{line}: exercise '{ex.id}': "
        for link in ("easier", "harder"):
            target = getattr(ex, link)
            if target is None:
                continue
            if target == ex.id:
                problems.append(f"{where}{link} points to itself")
            elif target not in by_id and target not in rejected:
                problems.append(f"{where}{link} '{target}' is not an exercise id{_closest(target, by_id)}")
        if _loops(ex, by_id):
            problems.append(f"{where}the 'easier' chain loops back on itself")
    return problems


def _loops(ex: Exercise, by_id: dict[str, Exercise]) -> bool:
    seen = {ex.id}
    current = ex.easier
    while current is not None and current in by_id:
        if current in seen:
            return True
        seen.add(current)
        current = by_id[current].easier
    return False


