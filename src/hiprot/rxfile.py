"""Prescription files: routines, doses and a plan, handed from a clinician to a person (or
from one hiprot to another) as a small TOML file. Pure: text in, records out, and back.

The format (version 1; its JSON Schema is docs/schemas/prescription-file.json):

    format = "hiprot-prescription"
    version = 1
    title = "Home programme"            # optional free text, as are the next four
    clinician = "Jo Smith, physiotherapist"
    contact = "01234 567890"
    notes = "Stop and call if the hip locks or gives way."
    written = 2026-12-06                # optional date

    [plan]                              # optional: follow the routines over weeks
    weeks = 6
    start = 2026-12-07                  # optional: the day the plan is imported

    [[routine]]
    name = "mobility"                   # the saved routine's name
    days = ["mon", "wed", "fri"]        # on which days (needed with [plan])
    goal = "warmup"
    level = "beginner"                  # optional, as every key below
    minutes = 10
    positions = ["lying", "seated"]
    equipment = ["band"]
    muscles = ["gluteus-medius"]
    avoid = ["knee-pain"]
    side = "left"
    seed = 3

    [[routine.exercise]]                # exercises written by hand, done in this order
    id = "clamshell"
    sets = 3
    reps = 15                           # or hold_s = 30
    side = "left"                       # optional: one side only
                                        # (no sets/reps/hold_s: the level's dose)

A routine either says what hiprot should choose (`goal` with `positions`, `muscles`,
`count`, `seed`, `keep`, `drop`, `swap`...) or lists its exercises, in order (`goal` then
optional, strength by default; `order = true` puts them in the goal's flow instead).

Reading is strict: unknown keys, wrong types, values outside the vocabularies and
numbers out of range are each an error naming the file's line; nothing is guessed.
Free text (names, notes) is any Unicode a TOML string holds, written back with a real
TOML writer (tomli-w), so a file read and written again is the same prescription.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from hiprot.errors import PrescriptionFileError
from hiprot.models import AVOIDABLE, OLD_NAMES, Equipment, Goal, Level, Muscle, Position, Side

FORMAT = "hiprot-prescription"
VERSION = 1
MAX_BYTES = 256 * 1024  # far more than any prescription: five routines of twenty exercises is ~5 KiB
MAX_DEPTH = 8  # nesting of arrays and tables; the format itself needs three
MAX_ROUTINES = 7  # one a day of the week at the most
MAX_EXERCISES = 30
TEXT_MAX = {"title": 120, "clinician": 120, "contact": 200, "notes": 4000, "name": 64}
SETS_MAX, REPS_MAX, HOLD_MAX_S = 10, 100, 600
MINUTES_MAX = 180
WEEKS_MAX = 52
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


class WrittenExercise(NamedTuple):
    """One exercise written by hand: its catalogue id and dose (reps or a hold; no dose:
    the level's), and one side only when `side` says so."""

    id: str
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    side: Side | None = None


class WrittenRoutine(NamedTuple):
    """One routine of a prescription. `options` are the routine options in the saved
    request's own words (`goal`, `level`, `positions`, ...); `days` are weekday numbers,
    0 for Monday (None: not said)."""

    name: str
    options: Mapping[str, Any]
    exercises: tuple[WrittenExercise, ...] = ()
    days: tuple[int, ...] | None = None


class PrescriptionFile(NamedTuple):
    routines: tuple[WrittenRoutine, ...]
    weeks: int | None = None  # a plan over this many weeks (None: no plan)
    start: date | None = None
    title: str | None = None
    clinician: str | None = None
    contact: str | None = None
    notes: str | None = None
    written: date | None = None

    @property
    def plan(self) -> bool:
        return self.weeks is not None


# --- reading ---------------------------------------------------------------------------


def read(path: Path) -> PrescriptionFile:
    """The prescription in the file at `path`; PrescriptionFileError (with the line) on
    anything it cannot use. The file is only read."""
    return read_text(path)[0]


def read_text(path: Path) -> tuple[PrescriptionFile, str]:
    """As `read`, with the file's text (to name the lines of problems found later)."""
    from hiprot.files import FileTooLargeError, NotRegularFileError, read_bounded

    try:
        raw = read_bounded(path, MAX_BYTES)
    except FileNotFoundError:
        raise PrescriptionFileError(path, 0, "no such file") from None
    except NotRegularFileError as exc:
        raise PrescriptionFileError(path, 0, f"not a regular file ({exc.kind})") from None
    except FileTooLargeError:
        raise PrescriptionFileError(path, 0, f"larger than {MAX_BYTES // 1024} KiB, far more than a "
                                             "prescription holds") from None  # fmt: skip
    except OSError as exc:
        raise PrescriptionFileError(path, 0, f"cannot read it: {exc.strerror or exc}") from None
    text = _decode(raw, path)
    return loads(text, path), text


def line_of(text: str, routine: int, exercise: int | None = None, key: str | None = None) -> int:
    """The line of routine `routine` (counted from 0), of its exercise `exercise`, or of
    `key` in either; 0 when it cannot be found."""
    reader = _Reader(text, Path("."))
    return reader.line("routine", routine, key, exercise) or reader.line("routine", routine, None, exercise) or (
        reader.line("routine", routine, None))


def loads(raw: bytes | str, path: Path) -> PrescriptionFile:
    """Parse and check a prescription (`path` only names it in errors)."""
    import tomllib

    text = _decode(raw, path) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    _check_depth(text, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from hiprot.files import toml_problem

        raise PrescriptionFileError(path, *toml_problem(exc)) from None
    return _Reader(text, path).prescription(data)


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark some editors write: harmless, skipped
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PrescriptionFileError(path, raw[: exc.start].count(b"\n") + 1, "not UTF-8 text") from None


def _check_depth(text: str, path: Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the TOML parser recurses into it.

    Brackets and braces inside strings and comments are counted too: that only ever
    overestimates, and a real prescription is nowhere near the limit."""
    depth = 0
    for number, row in enumerate(text.splitlines(), 1):
        for char in row:
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise PrescriptionFileError(path, number, f"nested more than {MAX_DEPTH} deep")
            elif char in "]}":
                depth = max(0, depth - 1)


_TOP = {"format", "version", "title", "clinician", "contact", "notes", "written", "plan", "routine"}
_PLAN = {"weeks", "start"}
_ROUTINE = {"name", "days", "goal", "level", "minutes", "positions", "equipment", "muscles", "avoid", "side",
            "seed", "count", "keep", "drop", "swap", "order", "exercise"}  # fmt: skip
# What shapes a routine hiprot chooses, which a routine written exercise by exercise does not take.
_CHOOSING = ("positions", "muscles", "count", "seed", "keep", "drop", "swap")
_EXERCISE = {"id", "sets", "reps", "hold_s", "side"}


class _Reader:
    """Checks the parsed data, naming the line of each problem (tomllib gives values, not
    places, so lines are found again in the text)."""

    def __init__(self, text: str, path: Path) -> None:
        self.rows = text.splitlines()
        self.path = path

    def line(self, table: str, index: int | None, key: str | None, sub: int | None = None) -> int:
        """The line of `key` in the `index`-th `[[table]]` (or `[table]`), or of the table's
        header without a key; `sub` is the index of a `[[routine.exercise]]` within it."""
        current, count, inner = "", -1, -1
        for number, row in enumerate(self.rows, 1):
            stripped = row.strip()
            header = re.fullmatch(r"\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?", stripped)
            if header:
                current = re.sub(r"\s+", "", header.group(1))
                if current == table:
                    count, inner = count + 1, -1
                elif current == f"{table}.exercise":
                    inner += 1
                if key is None and self._here(current, table, count, index, inner, sub):
                    return number
            elif key is not None and self._here(current, table, count, index, inner, sub) and re.match(
                rf'"?{re.escape(key)}"?\s*=', stripped
            ):
                return number
        return 0

    @staticmethod
    def _here(current: str, table: str, count: int, index: int | None, inner: int, sub: int | None) -> bool:
        if sub is None:
            return current == table and (index is None or count == index)
        return current == f"{table}.exercise" and count == index and inner == sub

    def fail(self, problem: str, table: str = "", index: int | None = None, key: str | None = None,
             sub: int | None = None) -> PrescriptionFileError:  # fmt: skip
        line = self.line(table, index, key, sub)
        if not line and sub is not None:
            line = self.line(table, index, None, sub)
        if not line and index is not None:
            line = self.line(table, index, None)
        return PrescriptionFileError(self.path, line, problem)

    def at(self, table: str, index: int | None, key: str) -> Callable[[str], PrescriptionFileError]:
        return lambda problem: self.fail(problem, table, index, key)

    def prescription(self, data: Mapping[str, Any]) -> PrescriptionFile:
        for key in data:
            if key not in _TOP:
                raise self.fail(f"unknown key '{key}' (a prescription has {_listed(_TOP)})", key=key)
        if data.get("format") != FORMAT:
            raise self.fail(f"'format' must be \"{FORMAT}\", found {_shown(data.get('format'))}", key="format")
        version = data.get("version")
        if isinstance(version, bool) or version != VERSION:
            raise self.fail(f"'version' must be the whole number {VERSION}, found {_shown(version)}", key="version")
        texts = {k: self.text(data.get(k), k, self.at("", None, k)) for k in ("title", "clinician", "contact", "notes")}
        written = self.day(data.get("written"), "written", lambda p: self.fail(p, key="written"))
        weeks, start = None, None
        plan = data.get("plan")
        if plan is not None:
            if not isinstance(plan, dict):
                raise self.fail("'plan' must be a table with 'weeks' (and 'start')", key="plan")
            for key in plan:
                if key not in _PLAN:
                    raise self.fail(f"unknown key '{key}' in [plan] (it has {_listed(_PLAN)})", "plan", None, key)
            weeks = self.whole(plan.get("weeks"), "weeks", 1, WEEKS_MAX, lambda p: self.fail(p, "plan", None, "weeks"))
            if weeks is None:
                raise self.fail("[plan] needs 'weeks', how many weeks it runs", "plan")
            start = self.day(plan.get("start"), "start", lambda p: self.fail(p, "plan", None, "start"))
        routines = data.get("routine")
        if not isinstance(routines, list) or not routines:
            raise self.fail("a prescription needs at least one [[routine]]", key="routine")
        if len(routines) > MAX_ROUTINES:
            raise self.fail(f"at most {MAX_ROUTINES} routines, found {len(routines)}", "routine", MAX_ROUTINES)
        read = tuple(self.routine(r, n, weeks is not None) for n, r in enumerate(routines))
        names = [r.name.casefold() for r in read]
        for n, name in enumerate(names):
            if name in names[:n]:
                raise self.fail(f"two routines are called '{read[n].name}'", "routine", n, "name")
        return PrescriptionFile(read, weeks, start, texts["title"], texts["clinician"], texts["contact"],
                                texts["notes"], written)  # fmt: skip

    def routine(self, value: Any, n: int, planned: bool) -> WrittenRoutine:
        def fail(problem: str, key: str | None = None) -> PrescriptionFileError:
            return self.fail(f"routine {n + 1}: {problem}", "routine", n, key)

        if not isinstance(value, dict):
            raise fail("each [[routine]] must be a table")
        for key in value:
            if key not in _ROUTINE:
                raise fail(f"unknown key '{key}' (a routine has {_listed(_ROUTINE)})", key)
        name = self.text(value.get("name"), "name", lambda p: fail(p, "name"))
        if name is None:
            raise fail("a routine needs a 'name' (it is saved under it)")
        options: dict[str, Any] = {}
        goal = self.word(value.get("goal"), [g.value for g in Goal], "goal", lambda p: fail(p, "goal"))
        exercises = value.get("exercise")
        if goal is None and exercises is None:
            raise fail("a routine needs a 'goal' or [[routine.exercise]] entries", "goal")
        if goal is not None:
            options["goal"] = goal
        def at(key: str) -> Callable[[str], PrescriptionFileError]:
            return lambda problem: fail(problem, key)

        for key, one in (("level", [v.value for v in Level]), ("side", [v.value for v in Side])):
            word = self.word(value.get(key), one, key, at(key))
            if word is not None:
                options[key] = word
        vocabularies = {"positions": {v.value for v in Position}, "equipment": {v.value for v in Equipment},
                        "muscles": {v.value for v in Muscle}, "avoid": {*AVOIDABLE, *OLD_NAMES}}  # fmt: skip
        for key, names in vocabularies.items():
            if key in value:
                options[key] = self.words(value[key], names, key, at(key))
        for key, low, high in (("minutes", 1, MINUTES_MAX), ("seed", 0, 2**31 - 1), ("count", 1, MAX_EXERCISES)):
            number = self.whole(value.get(key), key, low, high, at(key))
            if number is not None:
                options[key] = number
        for key in ("keep", "drop", "swap"):
            if key in value:
                options[key] = self.ids(value[key], key, at(key))
        if "order" in value:
            if not isinstance(value["order"], bool):
                raise fail(f"'order' must be true or false, found {_shown(value['order'])}", "order")
            if value["order"]:
                options["order"] = True
        if exercises is not None:
            for key in _CHOOSING:
                if key in value:
                    raise fail(f"'{key}' shapes a routine hiprot chooses; a routine written exercise by exercise "
                               "does not take it", key)  # fmt: skip
        elif options.get("order"):
            raise fail("'order' puts written exercises in the goal's flow: it needs [[routine.exercise]]", "order")
        days = None
        if "days" in value:
            days = self.days(value["days"], lambda p: fail(p, "days"))
        elif planned:
            raise fail("with a [plan], each routine says its 'days', such as [\"mon\", \"wed\", \"fri\"]", "days")
        written: tuple[WrittenExercise, ...] = ()
        if exercises is not None:
            if not isinstance(exercises, list) or not exercises:
                raise fail("'exercise' must be [[routine.exercise]] tables", "exercise")
            if len(exercises) > MAX_EXERCISES:
                raise fail(f"at most {MAX_EXERCISES} exercises, found {len(exercises)}", "exercise")
            written = tuple(self.exercise(e, n, k) for k, e in enumerate(exercises))
        return WrittenRoutine(name, options, written, days)

    def exercise(self, value: Any, n: int, k: int) -> WrittenExercise:
        def fail(problem: str, key: str | None = None) -> PrescriptionFileError:
            return self.fail(f"routine {n + 1}, exercise {k + 1}: {problem}", "routine", n, key, k)

        if not isinstance(value, dict):
            raise fail("each [[routine.exercise]] must be a table")
        for key in value:
            if key not in _EXERCISE:
                raise fail(f"unknown key '{key}' (an exercise has {_listed(_EXERCISE)})", key)
        ident = value.get("id")
        if not isinstance(ident, str) or not _is_id(ident):
            raise fail(f"'id' must be an exercise id such as \"clamshell\", found {_shown(ident)}", "id")
        sets = self.whole(value.get("sets"), "sets", 1, SETS_MAX, lambda p: fail(p, "sets"))
        reps = self.whole(value.get("reps"), "reps", 1, REPS_MAX, lambda p: fail(p, "reps"))
        hold = self.whole(value.get("hold_s"), "hold_s", 1, HOLD_MAX_S, lambda p: fail(p, "hold_s"))
        if sets is not None and (reps is None) == (hold is None):
            raise fail("a dose has 'sets' with either 'reps' or 'hold_s' (seconds), not both or neither", "reps")
        if sets is None and (reps is not None or hold is not None):
            raise fail("a dose needs 'sets' too (leave out all three for your level's dose)", "sets")
        side = self.word(value.get("side"), [s.value for s in Side], "side", lambda p: fail(p, "side"))
        return WrittenExercise(ident, sets, reps, hold, Side(side) if side else None)

    # -- values --------------------------------------------------------------------------

    @staticmethod
    def text(value: Any, key: str, fail: Callable[[str], Exception]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise fail(f"'{key}' must be text, found {_shown(value)}")
        limit = TEXT_MAX[key]
        if len(value) > limit:
            raise fail(f"'{key}' is longer than {limit} characters")
        if key == "name" and not value.strip():
            raise fail("'name' cannot be empty")
        return value

    @staticmethod
    def word(value: Any, names: list[str], key: str, fail: Callable[[str], Exception]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in names:
            raise fail(f"'{key}' cannot be {_shown(value)} (valid: {', '.join(names)})")
        return value

    @staticmethod
    def words(value: Any, names: set[str], key: str, fail: Callable[[str], Exception]) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"'{key}' must be a list of names")
        for v in value:
            if v not in names:
                raise fail(f"'{key}' cannot hold {_shown(v)} (valid: {', '.join(sorted(names))})")
        return list(dict.fromkeys(value))

    @staticmethod
    def whole(value: Any, key: str, low: int, high: int, fail: Callable[[str], Exception]) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise fail(f"'{key}' must be a whole number from {low} to {high}, found {_shown(value)}")
        return value

    @staticmethod
    def ids(value: Any, key: str, fail: Callable[[str], Exception]) -> list[str]:
        if not isinstance(value, list) or not all(_is_id(v) for v in value):
            raise fail(f"'{key}' must be a list of exercise ids such as [\"clamshell\"]")
        return list(dict.fromkeys(value))

    @staticmethod
    def day(value: Any, key: str, fail: Callable[[str], Exception]) -> date | None:
        if value is None:
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise fail(f"'{key}' must be a date such as 2026-12-07, found {_shown(value)}")
        if not EARLIEST <= value <= LATEST:
            raise fail(f"'{key}' is out of range: {value.isoformat()}")
        return value

    @staticmethod
    def days(value: Any, fail: Callable[[str], Exception]) -> tuple[int, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise fail("'days' must be a list of days such as [\"mon\", \"wed\", \"fri\"]")
        for v in value:
            if v not in DAYS:
                raise fail(f"'days' cannot hold {_shown(v)} (valid: {', '.join(DAYS)})")
        return tuple(sorted({DAYS.index(v) for v in value}))


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 64 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) is not None


def _listed(keys: set[str]) -> str:
    return ", ".join(sorted(keys))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


# --- writing ---------------------------------------------------------------------------


def to_data(prescription: PrescriptionFile) -> dict[str, Any]:
    """The prescription as the plain data its TOML holds (keys in the documented order)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for key in ("title", "clinician", "contact", "notes", "written"):
        value = getattr(prescription, key)
        if value is not None:
            data[key] = value
    if prescription.weeks is not None:
        data["plan"] = {"weeks": prescription.weeks}
        if prescription.start is not None:
            data["plan"]["start"] = prescription.start
    data["routine"] = [_routine_data(r) for r in prescription.routines]
    return data


def _routine_data(routine: WrittenRoutine) -> dict[str, Any]:
    out: dict[str, Any] = {"name": routine.name}
    if routine.days is not None:
        out["days"] = [DAYS[d] for d in routine.days]
    for key in ("goal", "level", "minutes", "positions", "equipment", "muscles", "avoid", "side", "seed", "count",
                "keep", "drop", "swap", "order"):  # fmt: skip
        if key in routine.options:
            out[key] = routine.options[key]
    if routine.exercises:
        out["exercise"] = [_exercise_data(e) for e in routine.exercises]
    return out


def _exercise_data(e: WrittenExercise) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id}
    if e.sets is not None:
        out["sets"] = e.sets
        out.update({"reps": e.reps} if e.reps is not None else {"hold_s": e.hold_s})
    if e.side is not None:
        out["side"] = e.side.value
    return out


def dumps(prescription: PrescriptionFile) -> str:
    """The prescription as TOML text in the documented layout (a `[[routine]]` and a
    `[[routine.exercise]]` header each, easy to read and edit); every value is written by
    tomli-w, a real TOML writer, so any text round-trips."""
    import tomli_w

    data = to_data(prescription)
    routines = data.pop("routine")
    plan = data.pop("plan", None)
    out = ["# A hiprot prescription. Read it with: hiprot import FILE", tomli_w.dumps(data).rstrip("\n")]
    if plan is not None:
        out += ["", "[plan]", tomli_w.dumps(plan).rstrip("\n")]
    for routine in routines:
        exercises = routine.pop("exercise", [])
        out += ["", "[[routine]]", tomli_w.dumps(routine).rstrip("\n")]
        for exercise in exercises:
            out += ["", "[[routine.exercise]]", tomli_w.dumps(exercise).rstrip("\n")]
    return "\n".join(out) + "\n"


# --- the JSON Schema (docs/schemas/prescription-file.json is this, written out) ------------


def json_schema() -> dict[str, Any]:
    """The format as a JSON Schema (draft 2020-12) over the parsed data, TOML dates as ISO
    date strings; for editors and for other programs that write prescriptions."""
    from hiprot.models import Muscle, Position

    def enum(names: Any) -> dict[str, Any]:
        return {"type": "string", "enum": list(names)}

    def many(names: Any) -> dict[str, Any]:
        return {"type": "array", "items": enum(names), "uniqueItems": True}

    def whole(low: int, high: int) -> dict[str, Any]:
        return {"type": "integer", "minimum": low, "maximum": high}

    def text(key: str) -> dict[str, Any]:
        return {"type": "string", "maxLength": TEXT_MAX[key]}

    day = {"type": "string", "format": "date", "description": "a TOML local date, such as 2026-12-07"}
    ident = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64,
             "description": "an exercise id (hiprot list shows them)"}  # fmt: skip
    sides = [s.value for s in Side]
    exercise = {
        "type": "object", "additionalProperties": False, "required": ["id"],
        "properties": {"id": ident, "sets": whole(1, SETS_MAX), "reps": whole(1, REPS_MAX),
                       "hold_s": {**whole(1, HOLD_MAX_S), "description": "seconds to hold"},
                       "side": {**enum(sides), "description": "one side only"}},
        "oneOf": [
            {"required": ["sets", "reps"], "not": {"required": ["hold_s"]}},
            {"required": ["sets", "hold_s"], "not": {"required": ["reps"]}},
            {"not": {"anyOf": [{"required": ["sets"]}, {"required": ["reps"]}, {"required": ["hold_s"]}]},
             "description": "no dose: the level's"},
        ],
    }  # fmt: skip
    routine = {
        "type": "object", "additionalProperties": False, "required": ["name"],
        "properties": {
            "name": {**text("name"), "minLength": 1, "description": "saved under this name"},
            "days": {**many(DAYS), "minItems": 1},
            "goal": enum(g.value for g in Goal), "level": enum(v.value for v in Level),
            "minutes": whole(1, MINUTES_MAX), "positions": many(p.value for p in Position),
            "equipment": many(e.value for e in Equipment), "muscles": many(m.value for m in Muscle),
            "avoid": many(sorted({*AVOIDABLE, *OLD_NAMES})), "side": enum(sides), "seed": whole(0, 2**31 - 1),
            "count": whole(1, MAX_EXERCISES),
            **{key: {"type": "array", "items": ident, "uniqueItems": True} for key in ("keep", "drop", "swap")},
            "order": {"type": "boolean"},
            "exercise": {"type": "array", "items": exercise, "minItems": 1, "maxItems": MAX_EXERCISES},
        },
        "anyOf": [{"required": ["goal"]}, {"required": ["exercise"]}],
        "if": {"required": ["exercise"]},
        "then": {"not": {"anyOf": [{"required": [key]} for key in _CHOOSING]}},
        "else": {"not": {"properties": {"order": {"const": True}}, "required": ["order"]}},
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hiprot.invalid/schemas/prescription-file.json",
        "title": f"hiprot prescription file (TOML), version {VERSION}",
        "description": "Routines, doses and an optional plan, handed from a clinician to a person. Written in "
        "TOML; this schema describes the parsed data (TOML dates appear as ISO date strings).",
        "type": "object", "additionalProperties": False, "required": ["format", "version", "routine"],
        "properties": {
            "format": {"const": FORMAT}, "version": {"const": VERSION},
            "title": text("title"), "clinician": text("clinician"), "contact": text("contact"),
            "notes": text("notes"), "written": day,
            "plan": {"type": "object", "additionalProperties": False, "required": ["weeks"],
                     "properties": {"weeks": whole(1, WEEKS_MAX), "start": day}},
            "routine": {"type": "array", "items": routine, "minItems": 1, "maxItems": MAX_ROUTINES},
        },
        "if": {"required": ["plan"]},
        "then": {"properties": {"routine": {"items": {"required": ["days"]}}}},
    }  # fmt: skip
