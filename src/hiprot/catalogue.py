"""Find, load and strictly validate the exercise catalogue; look exercises up by name.

A catalogue is one YAML file, or a folder of them, each a mapping with `version: 1` and an
`exercises:` list. Every problem is reported as `FILE:LINE: exercise 'ID': what is wrong`,
all of them at once, so a person can fix a file in one pass.
"""

from __future__ import annotations

import difflib
import gc
import marshal
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from hiprot import __version__
from hiprot.errors import CatalogueError, NotFoundError
from hiprot.models import (
    Dosage,
    Equipment,
    Exercise,
    Goal,
    Kind,
    Level,
    Movement,
    Muscle,
    Muscles,
    Position,
    Range,
    normalize,
    resolve_muscle,
)

CATALOGUE_VERSION = 1
YAML_SUFFIXES = (".yaml", ".yml")

REQUIRED_KEYS = (
    "id",
    "name",
    "aliases",
    "kind",
    "goals",
    "position",
    "level",
    "equipment",
    "muscles",
    "movement",
    "dosage",
    "steps",
    "cues",
    "cautions",
    "sources",
)
OPTIONAL_KEYS = ("easier", "harder")
DOSAGE_KEYS = ("sets", "reps", "hold_s", "per_side", "rest_s")
# Bounds a sane prescription stays inside; a hold past ten minutes is a typo for seconds.
DOSAGE_LIMITS = {"sets": (1, 10), "reps": (1, 100), "hold_s": (1, 600), "rest_s": (0, 300)}
STEPS_MIN, STEPS_MAX = 4, 8
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def bundled_path() -> Path:
    """The catalogue shipped with hiprot: inside the wheel, else the source checkout."""
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def catalogue_files(path: Path) -> list[Path]:
    """The YAML files a catalogue path stands for (a file, or a folder's *.yaml)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
        if not files:
            raise CatalogueError([f"{path}: no .yaml catalogue files in this folder."])
        return files
    if not path.exists():
        raise CatalogueError(
            [f"{path}: no such catalogue file. Check the path given to --catalog or HIPROT_CATALOG."]
        )
    return [path]


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue file or folder; None means the bundled one.

    A catalogue that passed validation is cached (see `_read_cache`), so an unchanged
    file is not parsed again.
    """
    root = Path(path) if path is not None else bundled_path()
    files = catalogue_files(root)
    stamp = _stamp(files)
    collecting = gc.isenabled()
    # Loading makes many objects and frees almost none, so the cyclic collector would only
    # rescan them again and again (most of a large catalogue's load time). Pause it.
    gc.disable()
    try:
        cached = _read_cache(stamp)
        if cached is not None:
            return Catalogue(cached, str(root))
        exercises = [ex for ex, _, _ in _parse_files(files, str(root))]
        _write_cache(stamp, exercises)
        return Catalogue(exercises, str(root))
    finally:
        if collecting:
            gc.enable()


def _parse_files(files: list[Path], source: str) -> list[tuple[Exercise, str, int]]:
    problems: list[str] = []
    exercises: list[tuple[Exercise, str, int]] = []
    rejected: set[str] = set()
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{file}: cannot read the catalogue: {exc}")
            continue
        parsed, file_problems, file_rejected = parse_catalogue(text, str(file))
        exercises.extend(parsed)
        problems.extend(file_problems)
        rejected |= file_rejected
    problems.extend(_cross_check(exercises, rejected))
    if problems:
        raise CatalogueError(problems, source)
    return exercises


# --- cache -----------------------------------------------------------------------------
# The parsed, validated catalogue is kept as marshal data (plain tuples and strings, which
# cannot run code) under the user's cache folder, keyed by each file's path, size and
# modification time and by hiprot's version. A stale, unreadable or corrupt cache is
# ignored and rebuilt; a catalogue that fails validation is never written.

CACHE_FORMAT = 1


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hiprot"


def _stamp(files: list[Path]) -> tuple:
    stamp = []
    for file in files:
        info = file.stat()
        stamp.append((str(file.resolve()), info.st_size, info.st_mtime_ns))
    return (CACHE_FORMAT, __version__, tuple(stamp))


def _cache_file(stamp: tuple) -> Path:
    import zlib  # a name, not a checksum: the stamp inside the file is what is compared

    paths = tuple(path for path, _, _ in stamp[2])  # one cache file per catalogue path
    return cache_dir() / f"catalogue-{zlib.crc32(repr(paths).encode()):08x}.marshal"


def _read_cache(stamp: tuple) -> list[Exercise] | None:
    try:
        with open(_cache_file(stamp), "rb") as handle:
            saved_stamp, rows = marshal.loads(handle.read())
        if saved_stamp != stamp:
            return None
        shared: dict = {}
        return [_from_row(row, shared) for row in rows]
    except Exception:  # missing, stale, truncated or tampered: parse the YAML instead
        return None


def _write_cache(stamp: tuple, exercises: list[Exercise]) -> None:
    target = _cache_file(stamp)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            marshal.dump((stamp, [_to_row(ex) for ex in exercises]), handle)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only home only costs speed


def _pair(r: Range | None) -> tuple[int, int] | None:
    return None if r is None else (r.low, r.high)


def _to_row(ex: Exercise) -> tuple:
    d = ex.dosage
    return (
        ex.id, ex.name, ex.aliases, ex.kind.value, tuple(g.value for g in ex.goals), ex.position.value,
        ex.level.value, tuple(e.value for e in ex.equipment), tuple(m.value for m in ex.muscles.primary),
        tuple(m.value for m in ex.muscles.secondary), tuple(m.value for m in ex.movement),
        (_pair(d.sets), d.per_side, _pair(d.reps), _pair(d.hold_s), _pair(d.rest_s)),
        ex.steps, ex.cues, ex.cautions, ex.easier, ex.harder, ex.sources,
    )  # fmt: skip


def _from_row(row: tuple, shared: dict) -> Exercise:
    """Rebuild an exercise from its cached row; equal value objects are shared, not copied."""
    (ex_id, name, aliases, kind, goals, position, level, equipment, primary, secondary, movement,
     dosage, steps, cues, cautions, easier, harder, sources) = row  # fmt: skip
    key = (goals, equipment, primary, secondary, movement, dosage)
    values = shared.get(key)
    if values is None:
        muscle = Muscle._value2member_map_
        sets, per_side, reps, hold, rest = dosage
        values = shared[key] = (
            tuple(Goal._value2member_map_[g] for g in goals),
            tuple(Equipment._value2member_map_[e] for e in equipment),
            Muscles(tuple(muscle[m] for m in primary), tuple(muscle[m] for m in secondary)),
            tuple(Movement._value2member_map_[m] for m in movement),
            Dosage(Range(*sets), per_side, reps and Range(*reps), hold and Range(*hold), rest and Range(*rest)),
        )
    goals_, equipment_, muscles_, movement_, dosage_ = values
    return Exercise(
        ex_id, name, aliases, Kind._value2member_map_[kind], goals_, Position._value2member_map_[position],
        Level._value2member_map_[level], equipment_, muscles_, movement_, dosage_,
        steps, cues, cautions, easier, harder, sources,
    )  # fmt: skip


# --- parsing ---------------------------------------------------------------------------


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

    def get(self, key: str, check: Callable[[Any], Any], *, optional: bool = False) -> Any:
        if key not in self.item or (optional and self.item[key] is None):
            if not optional:
                self.error(None, f"missing required key '{key}'")
            return None
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


def _dosage(value: Any) -> Dosage:
    if not isinstance(value, dict):
        raise ValueError("must be a mapping of sets, reps or hold_s, per_side, rest_s")
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


# Each field of an exercise, in Exercise's order: (key, check, optional).
FIELD_CHECKS: tuple[tuple[str, Callable[[Any], Any], bool], ...] = (
    ("id", _identifier, False),
    ("name", _text, False),
    ("aliases", _texts, False),
    ("kind", _choice(Kind), False),
    ("goals", _choices(Goal, 1), False),
    ("position", _choice(Position), False),
    ("level", _choice(Level), False),
    ("equipment", _choices(Equipment), False),
    ("muscles", _muscles, False),
    ("movement", _choices(Movement, 1), False),
    ("dosage", _dosage, False),
    ("steps", lambda v: _texts(v, STEPS_MIN, STEPS_MAX), False),
    ("cues", _texts, False),
    ("cautions", _texts, False),
    ("easier", _identifier, True),
    ("harder", _identifier, True),
    ("sources", lambda v: _texts(v, 1), False),
)
_KNOWN_KEYS = frozenset(REQUIRED_KEYS + OPTIONAL_KEYS)


def _parse_exercise(item: Any, node: Any, index: int, source: str) -> tuple[Exercise | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{source}:{_line(node)}: exercise #{index + 1}: must be a mapping of fields"]
    raw_id = item.get("id")
    label = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    fields = _Fields(item, node, f"exercise '{label}': ", source)
    for key in item:
        if key not in _KNOWN_KEYS:
            fields.error(key, f"unknown key '{key}'{_closest(str(key), REQUIRED_KEYS + OPTIONAL_KEYS)}")
    values = [fields.get(key, check, optional=optional) for key, check, optional in FIELD_CHECKS]
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


# --- the loaded catalogue --------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What `hiprot list` (and the planner's eligibility) can narrow by; None = no filter."""

    goal: Goal | None = None
    kind: Kind | None = None
    positions: frozenset[Position] | None = None
    level: Level | None = None
    equipment: frozenset[Equipment] | None = None
    muscles: frozenset[Muscle] | None = None

    def admits(self, ex: Exercise) -> bool:
        return (
            (self.goal is None or self.goal in ex.goals)
            and (self.kind is None or ex.kind is self.kind)
            and (self.positions is None or ex.position in self.positions)
            and (self.level is None or ex.level.rank <= self.level.rank)
            and (self.equipment is None or set(ex.equipment) <= self.equipment)
            and (self.muscles is None or any(ex.works(m) for m in self.muscles))
        )


class Catalogue:
    """A validated set of exercises, in file order, with lookup by id, name or alias."""

    def __init__(self, exercises: Iterable[Exercise], source: str = "") -> None:
        self.exercises = tuple(exercises)
        self.source = source
        self.by_id = {ex.id: ex for ex in self.exercises}

    @cached_property
    def _index(self) -> dict[str, str]:
        """Every folded id, name and alias -> id; built on first lookup only."""
        index: dict[str, str] = {}
        for ex in self.exercises:
            for label in (ex.id, ex.name, *ex.aliases):
                index.setdefault(normalize(label), ex.id)
        return index

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        return self.by_id[exercise_id]

    def find(self, query: str) -> Exercise:
        """The exercise whose id, name or alias matches, ignoring case and punctuation."""
        key = normalize(query)
        for candidate in (key, key[:-1] if key.endswith("s") else key + "s"):
            if candidate in self._index:
                return self.by_id[self._index[candidate]]
        raise NotFoundError(query, self.suggest(query))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Ids of the exercises whose names come closest to a mistyped query."""
        key = normalize(query)
        if not key:
            return []
        close = difflib.get_close_matches(key, self._index, n=limit * 3, cutoff=0.6)
        if len(key) >= 4:
            close += [k for k in self._index if key in k]
        ids: list[str] = []
        for match in close:
            ex_id = self._index[match]
            if ex_id not in ids:
                ids.append(ex_id)
        return ids[:limit]

    def select(self, filters: Filters) -> list[Exercise]:
        return [ex for ex in self.exercises if filters.admits(ex)]
