"""The person's profile: each hip's condition, body-wide precautions and needs, equipment
owned and level. Read, validated strictly, written; and what it implies for a request.

The file is small TOML in the user config folder (`profile.toml`), written by hiprot from
a fixed template and read with `tomllib`. A damaged file is an error naming its line and
is left exactly as it is: hiprot never guesses, repairs or ignores a safety setting.

A hip replacement's precautions depend on the surgical approach (what surgeons commonly
ask until they lift them): posterior, no bend past 90°, no inward turn past neutral and no
crossing the midline (`hip-replacement`); anterior, no extension combined with an outward
turn (`hip-replacement-anterior`). An unknown or lateral approach gets both, as hiprot
cannot know which the surgeon meant. From the `cleared` date on, they no longer apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from hiprot.errors import ProfileError
from hiprot.limits import DATE_FLOOR, PROFILE_YEAR_MAX
from hiprot.models import (
    AVOIDABLE,
    OLD_NAMES,
    Approach,
    Equipment,
    Filters,
    Hip,
    HipCondition,
    Level,
    Profile,
    Request,
    Side,
)

MAX_PROFILE_BYTES = 64 * 1024
VERSION = 1
# The dates a profile may hold; the reader and the writer (and the command line) share them.
FIRST_YEAR = 1900
LAST_YEAR = 2200
# Arrays or tables nested deeper than this are not a profile (tomllib recurses on them).
MAX_DEPTH = 16
# The profile holds surgery dates: readable by its owner only, like the history.
MODE = 0o600
BOM = "\ufeff"


def apply(request: Request, profile: Profile | None, today: date) -> Request:
    """The request as the profile makes it: its precautions and needs added to `avoid`,
    each hip's precautions and stiffness, its equipment when the request names none, and
    in the early weeks after a hip replacement the level capped at beginner and deep-squat
    and one-leg-balance work left out (see safety.py). Nothing in a request can loosen a
    hip precaution; only `profile=None` leaves it out."""
    from hiprot.safety import early_avoid, early_level

    if profile is None:
        return request
    return request._replace(
        level=early_level(request.level, profile, today),
        avoid=request.avoid | profile.avoid | early_avoid(profile, today),
        equipment=request.equipment if request.equipment is not None else profile.equipment,
        protect=request.protect | profile.protect(today),
        stiff=request.stiff | profile.stiff(),
    )


def apply_filters(filters: Filters, profile: Profile | None, today: date) -> Filters:
    """Browsing filters as the profile makes them: its level and equipment where the
    filters name none, its precautions and needs, and the early weeks' limits."""
    from hiprot.safety import early_avoid, early_level

    if profile is None:
        return filters
    level = filters.level or profile.level
    if level is not None or early_avoid(profile, today):
        level = early_level(level or Level.ADVANCED, profile, today)
    return filters._replace(
        level=level,
        equipment=filters.equipment if filters.equipment is not None else profile.equipment,
        avoid=filters.avoid | profile.avoid | early_avoid(profile, today),
    )


# --- reading ---------------------------------------------------------------------------


def load(path: Path) -> Profile | None:
    """The profile stored at `path`, or None when there is none. Any problem with the file
    is a ProfileError naming the file and line; the file is never changed."""

    text = _read(path)
    if text is None:
        return None
    return parse(text, path)


def parse(text: str, path: Path) -> Profile:
    """The profile in `text` (the contents of `path`); a ProfileError naming a line if not.
    A byte-order mark at the start (some editors write one) is accepted."""
    import tomllib

    text = text.removeprefix(BOM)
    deep = _too_deep(text)
    if deep:
        raise ProfileError(path, deep, f"arrays or tables nested more than {MAX_DEPTH} deep; a profile has none")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from hiprot.files import toml_problem

        line, problem = toml_problem(exc)
        raise ProfileError(path, line or 1, problem) from None
    except RecursionError:  # _too_deep counts brackets; this is a last guard
        raise ProfileError(path, 1, "nested too deep to read") from None
    return _profile(data, _Lines(text), path)


def _too_deep(text: str) -> int:
    """The line on which brackets or braces open more than MAX_DEPTH deep, or 0. Counts
    outside strings and comments, and stays linear in the text whatever it holds."""
    depth = 0
    line = 1
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
            if quote in ('"', "'"):
                quote = ""  # a one-line string cannot go on; tomllib will say what is wrong
        elif quote:
            if char == "\\" and quote[0] == '"':
                index += 1
            elif text.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        elif char in "\"'":
            triple = char * 3
            quote = triple if text.startswith(triple, index) else char
            index += len(quote) - 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return 0


def _read(path: Path) -> str | None:
    """The file's text: a regular file of bounded size, UTF-8; None if it does not exist."""
    from hiprot.files import FileTooLargeError, NotRegularFileError, read_bounded

    try:
        raw = read_bounded(path, MAX_PROFILE_BYTES)
    except FileNotFoundError:
        return None
    except NotRegularFileError:
        raise ProfileError(path, 0, "not a regular file; hiprot reads a profile only from a file it wrote") from None
    except FileTooLargeError:
        limit = MAX_PROFILE_BYTES // 1024
        raise ProfileError(path, 0, f"larger than {limit} KiB, far more than a profile holds") from None
    except OSError as exc:
        raise ProfileError(path, 0, f"cannot read it: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")  # a BOM stays for parse() to accept
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProfileError(path, line, "not UTF-8 text") from None


class _Lines:
    """Finds the line a key is on, for error messages (tomllib gives values, not places)."""

    def __init__(self, text: str) -> None:
        self.rows = text.splitlines()

    def of(self, table: str, key: str | None = None) -> int:
        """The line of `key` in `[table]` (or of the table's header); failing that the
        nearest place that holds it (a dotted key, an inline table), and at worst line 1,
        so that every error names a line."""
        found = self._exact(table, key)
        if not found and key is None and "." in table:  # [hips] left = ... : the key in its parent
            parent, last = table.rsplit(".", 1)
            found = self._exact(parent, last)
        if not found and key is not None:
            found = self._exact(table) or self._mention(key)
        if not found and table:
            found = self._mention(table.rsplit(".", 1)[-1])
        return found or 1

    def _mention(self, word: str) -> int:
        """The first line where `word` stands as a key."""
        pattern = re.compile(rf'(^|[.{{,\s])"?{re.escape(word)}"?\s*[=.]')
        for number, row in enumerate(self.rows, 1):
            if pattern.search(row.split("#", 1)[0]):
                return number
        return 0

    def _exact(self, table: str, key: str | None = None) -> int:
        current = ""
        for number, row in enumerate(self.rows, 1):
            stripped = row.strip()
            header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", stripped)
            if header:
                current = re.sub(r"\s+", "", header.group(1))
                if key is None and current == table:
                    return number
                continue
            if key is not None and current == table and re.match(rf'"?{re.escape(key)}"?\s*=', stripped):
                return number
        return 0


_TOP_KEYS = {"version", "level", "equipment", "avoid", "hips", "name", "clinician", "contact"}
PERSON_KEYS = ("name", "clinician", "contact")
PERSON_MAX = 120  # characters: a name, a practice, a telephone number or an address line
_HIP_KEYS = {"condition", "approach", "since", "cleared"}


def _profile(data: Mapping[str, Any], lines: _Lines, path: Path) -> Profile:
    def fail(problem: str, table: str = "", key: str | None = None) -> ProfileError:
        return ProfileError(path, lines.of(table, key), problem)

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key '{key}' (a profile has {', '.join(sorted(_TOP_KEYS))})", "", key)
    version = data.get("version")
    if type(version) is not int or version != VERSION:  # true is not 1
        raise fail(f"'version' must be {VERSION} (a whole number), found {_shown(version)}", "", "version")
    level = _one(data.get("level"), Level, "level", lambda p: fail(p, "", "level"))
    equipment = None
    if "equipment" in data:
        equipment = frozenset(_many(data["equipment"], Equipment, "equipment", lambda p: fail(p, "", "equipment")))
    avoid = frozenset(
        AVOIDABLE.get(v) or OLD_NAMES[v]
        for v in _many(data.get("avoid", []), None, "avoid", lambda p: fail(p, "", "avoid"))
    )
    hips = data.get("hips", {})
    if not isinstance(hips, dict):
        raise fail("'hips' must be a table with 'left' and 'right'", "", "hips")
    found: dict[Side, Hip] = {}
    for name, value in hips.items():
        if name not in (s.value for s in Side):
            raise fail(f"unknown hip '{name}' (left or right)", f"hips.{name}")
        found[Side(name)] = _hip(value, f"hips.{name}", fail)
    person = {key: _person(data[key], key, lambda p, k=key: fail(p, "", k)) for key in PERSON_KEYS if key in data}
    return Profile(found.get(Side.LEFT), found.get(Side.RIGHT), avoid, equipment, level, **person)


def person_text(value: object) -> str:
    """A name, clinician or contact as stored: one line of printable text, trimmed, at most
    PERSON_MAX characters. ValueError saying what is wrong otherwise."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = " ".join(value.split())
    if not text:
        raise ValueError("is empty")
    if len(text) > PERSON_MAX:
        raise ValueError(f"is longer than {PERSON_MAX} characters")
    if any(not ch.isprintable() for ch in text):
        raise ValueError("holds a character that does not print")
    return text


def _person(value: Any, key: str, fail: Any) -> str:
    try:
        return person_text(value)
    except ValueError as exc:
        raise fail(f"'{key}' {exc}") from None


def _hip(value: Any, table: str, fail: Any) -> Hip:
    if not isinstance(value, dict):
        raise fail("a hip must be a table with a 'condition'", table)
    for key in value:
        if key not in _HIP_KEYS:
            raise fail(f"unknown key '{key}' for a hip (it has {', '.join(sorted(_HIP_KEYS))})", table, key)
    condition = _one(value.get("condition"), HipCondition, "condition", lambda p: fail(p, table, "condition"))
    if condition is None:
        raise fail("a hip needs a 'condition'", table)
    approach = _one(value.get("approach"), Approach, "approach", lambda p: fail(p, table, "approach"))
    since, cleared = (_date(value.get(k), k, lambda p, k=k: fail(p, table, k)) for k in ("since", "cleared"))
    if condition is not HipCondition.HIP_REPLACEMENT and (approach or since or cleared):
        raise fail("'approach', 'since' and 'cleared' are for a hip replacement only", table)
    if condition is HipCondition.HIP_REPLACEMENT and approach is None:
        approach = Approach.UNKNOWN
    if since and cleared and cleared < since:
        raise fail("'cleared' is before 'since'", table, "cleared")
    return Hip(condition, approach, since, cleared)


def _one(value: Any, vocabulary: type[Enum] | None, key: str, fail: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str) or vocabulary is None or value not in {v.value for v in vocabulary}:
        valid = ", ".join(v.value for v in vocabulary) if vocabulary else ""
        raise fail(f"'{key}' cannot be {_shown(value)} (valid: {valid})")
    return vocabulary(value)


def _many(value: Any, vocabulary: type[Enum] | None, key: str, fail: Any) -> list[Any]:
    names = {v.value for v in vocabulary} if vocabulary else set(AVOIDABLE) | set(OLD_NAMES)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"'{key}' must be a list of names")
    for v in value:
        if v not in names:
            raise fail(f"'{key}' cannot hold {_shown(v)} (valid: {', '.join(sorted(names))})")
    return [vocabulary(v) for v in value] if vocabulary else list(value)


def _date(value: Any, key: str, fail: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        if not DATE_FLOOR <= value <= date(PROFILE_YEAR_MAX, 12, 31):
            raise fail(f"'{key}' is out of range: {value.isoformat()}")
        return value
    raise fail(f"'{key}' must be a date such as 2026-09-14, found {_shown(value)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


# --- writing ---------------------------------------------------------------------------


def dumps(profile: Profile) -> str:
    """The profile as TOML, from a fixed template (closed words and dates, and the person's
    name, clinician and contact as escaped strings)."""
    out = [
        "# hiprot profile: written by hiprot; change it with the 'hiprot profile' command.",
        f"version = {VERSION}",
    ]
    if profile.level is not None:
        out.append(f'level = "{profile.level.value}"')
    if profile.equipment is not None:
        out.append(f"equipment = {_list(e.value for e in Equipment if e in profile.equipment)}")
    if profile.avoid:
        out.append(f"avoid = {_list(n for n, v in AVOIDABLE.items() if v in profile.avoid)}")
    for key in PERSON_KEYS:
        value = getattr(profile, key)
        if value is not None:
            out.append(f"{key} = {_toml_string(value)}")
    for side, hip in profile.hips():
        out += ["", f"[hips.{side.value}]", f'condition = "{hip.condition.value}"']
        if hip.approach is not None:
            out.append(f'approach = "{hip.approach.value}"')
        out += [f"{key} = {day.isoformat()}" for key, day in (("since", hip.since), ("cleared", hip.cleared)) if day]
    return "\n".join(out) + "\n"


def _toml_string(text: str) -> str:
    """A TOML basic string: quote and backslash escaped, anything that does not print as \\uXXXX."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def _list(names: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


def check(path: Path, profile: Profile) -> None:
    """Refuse (ProfileError) a profile that, once written, the reader would refuse: the
    writer and the reader accept exactly the same values."""
    parse(dumps(profile), path)


def save(path: Path, profile: Profile) -> int | None:
    """Write the profile atomically, readable by its owner only (the folder is made if
    needed). Returns the old file's permission bits when they were looser (so a caller can
    say it tightened them), else None. Nothing is written if the reader would refuse it."""
    from hiprot.files import write_atomic

    check(path, profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    loose = _loose_mode(path)
    write_atomic(path, dumps(profile), force=True, mode=MODE)
    return loose


def _loose_mode(path: Path) -> int | None:
    import os
    import stat

    try:
        bits = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return bits if bits & 0o077 else None


def update(path: Path, change: Callable[[Profile], Profile], *, timeout: float = 10.0) -> tuple[Profile, int | None]:
    """Read the profile, apply `change` and write the result, holding an exclusive lock on
    the profile's folder throughout, so two commands changing it at once cannot lose either
    change (the second reads what the first wrote). Returns the profile written and, as
    `save`, the old permission bits if they were looser."""
    with locked(path.parent, timeout=timeout):
        current = load(path) or Profile()
        changed = change(current)
        return changed, save(path, changed)


@contextmanager
def locked(folder: Path, *, timeout: float = 10.0) -> Iterator[None]:
    """An exclusive advisory lock (flock) on `folder`, made if needed, for the block.
    Waits up to `timeout` seconds for another hiprot holding it, then a ProfileError."""
    import fcntl
    import os
    import time

    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ProfileError(
                        folder / "profile.toml", 0, f"another hiprot has been changing it for {timeout:g} s; try again"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove(path: Path) -> bool:
    """Delete the profile file, whatever it holds (it is never parsed: a damaged profile
    can always be removed); False if there was none. Only a regular file or a link is
    removed, never a folder."""
    if not path.parent.is_dir():
        return False
    with locked(path.parent):
        try:
            path.unlink()
        except FileNotFoundError:
            return False
    return True
