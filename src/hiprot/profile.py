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

import os
import re
import stat
from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from hiprot.errors import ProfileError
from hiprot.models import AVOIDABLE, Equipment, Level, Need, Precaution, Request, Side

MAX_PROFILE_BYTES = 64 * 1024
FILE_NAME = "profile.toml"
VERSION = 1


class HipCondition(str, Enum):
    HIP_REPLACEMENT = "hip-replacement"
    HIP_IMPINGEMENT = "hip-impingement"
    STIFF = "stiff"


class Approach(str, Enum):
    """The surgical approach of a hip replacement (it decides the precautions)."""

    POSTERIOR = "posterior"
    ANTERIOR = "anterior"
    LATERAL = "lateral"
    UNKNOWN = "unknown"


APPROACH_PRECAUTIONS = {
    Approach.POSTERIOR: frozenset({Precaution.HIP_REPLACEMENT}),
    Approach.ANTERIOR: frozenset({Precaution.HIP_REPLACEMENT_ANTERIOR}),
    # hiprot cannot tell which movements a lateral or unknown approach rules out: both.
    Approach.LATERAL: frozenset({Precaution.HIP_REPLACEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR}),
    Approach.UNKNOWN: frozenset({Precaution.HIP_REPLACEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR}),
}


class Hip(NamedTuple):
    """One hip's condition; `approach`, `since` and `cleared` are for a replacement only."""

    condition: HipCondition
    approach: Approach | None = None
    since: date | None = None
    cleared: date | None = None

    def precautions(self, today: date) -> frozenset[Precaution]:
        """The catalogue precautions this hip is under today."""
        if self.condition is HipCondition.HIP_IMPINGEMENT:
            return frozenset({Precaution.HIP_IMPINGEMENT})
        if self.condition is HipCondition.HIP_REPLACEMENT:
            if self.cleared is not None and self.cleared <= today:
                return frozenset()
            return APPROACH_PRECAUTIONS[self.approach or Approach.UNKNOWN]
        return frozenset()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"condition": self.condition.value}
        if self.condition is HipCondition.HIP_REPLACEMENT:
            data["approach"] = (self.approach or Approach.UNKNOWN).value
            data["since"] = self.since.isoformat() if self.since else None
            data["cleared"] = self.cleared.isoformat() if self.cleared else None
        return data


class Profile(NamedTuple):
    """What hiprot knows of the person. None: not set (the command line or the defaults decide)."""

    left: Hip | None = None
    right: Hip | None = None
    avoid: frozenset[Precaution | Need] = frozenset()
    equipment: frozenset[Equipment] | None = None
    level: Level | None = None

    def hip(self, side: Side) -> Hip | None:
        return self.left if side is Side.LEFT else self.right

    def hips(self) -> list[tuple[Side, Hip]]:
        return [(side, hip) for side in Side if (hip := self.hip(side)) is not None]

    def protect(self, today: date) -> frozenset[tuple[Side, Precaution]]:
        """Each hip under a precaution today, with that precaution."""
        return frozenset((side, p) for side, hip in self.hips() for p in hip.precautions(today))

    def stiff(self) -> frozenset[Side]:
        return frozenset(side for side, hip in self.hips() if hip.condition is HipCondition.STIFF)

    @property
    def empty(self) -> bool:
        return self == Profile()

    def to_dict(self) -> dict[str, Any]:
        """`{"hips": {"left", "right"}, "avoid", "equipment", "level"}`, as JSON prints it."""
        return {
            "hips": {side.value: (hip.to_dict() if hip else None) for side, hip in ((s, self.hip(s)) for s in Side)},
            "avoid": [name for name, value in AVOIDABLE.items() if value in self.avoid],
            "equipment": None if self.equipment is None else [e.value for e in Equipment if e in self.equipment],
            "level": self.level.value if self.level else None,
        }


def apply(request: Request, profile: Profile | None, today: date) -> Request:
    """The request as the profile makes it: its precautions and needs added to `avoid`,
    each hip's precautions and stiffness, its equipment when the request names none.
    Nothing in a request can loosen a hip precaution; only `profile=None` leaves it out."""
    if profile is None:
        return request
    return request._replace(
        avoid=request.avoid | profile.avoid,
        equipment=request.equipment if request.equipment is not None else profile.equipment,
        protect=request.protect | profile.protect(today),
        stiff=request.stiff | profile.stiff(),
    )


# --- reading ---------------------------------------------------------------------------


def load(path: Path) -> Profile | None:
    """The profile stored at `path`, or None when there is none. Any problem with the file
    is a ProfileError naming the file and line; the file is never changed."""
    import tomllib

    text = _read(path)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else 0
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
        raise ProfileError(path, line, f"not valid TOML: {problem}") from None
    return _profile(data, _Lines(text), path)


def _read(path: Path) -> str | None:
    """The file's text: a regular file of bounded size, UTF-8; None if it does not exist."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ProfileError(path, 0, f"cannot read it: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError(path, 0, "not a regular file; hiprot reads a profile only from a file it wrote")
        try:
            raw = handle.read(MAX_PROFILE_BYTES + 1)
        except OSError as exc:
            raise ProfileError(path, 0, f"cannot read it: {exc.strerror or exc}") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(path, 0, f"larger than {MAX_PROFILE_BYTES // 1024} KiB, far more than a profile holds")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProfileError(path, line, "not UTF-8 text") from None


class _Lines:
    """Finds the line a key is on, for error messages (tomllib gives values, not places)."""

    def __init__(self, text: str) -> None:
        self.rows = text.splitlines()

    def of(self, table: str, key: str | None = None) -> int:
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


_TOP_KEYS = {"version", "level", "equipment", "avoid", "hips"}
_HIP_KEYS = {"condition", "approach", "since", "cleared"}


def _profile(data: Mapping[str, Any], lines: _Lines, path: Path) -> Profile:
    def fail(problem: str, table: str = "", key: str | None = None) -> ProfileError:
        return ProfileError(path, lines.of(table, key), problem)

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key '{key}' (a profile has {', '.join(sorted(_TOP_KEYS))})", "", key)
    if data.get("version") != VERSION:
        raise fail(f"'version' must be {VERSION}, found {data.get('version')!r}", "", "version")
    level = _one(data.get("level"), Level, "level", lambda p: fail(p, "", "level"))
    equipment = None
    if "equipment" in data:
        equipment = frozenset(_many(data["equipment"], Equipment, "equipment", lambda p: fail(p, "", "equipment")))
    avoid = frozenset(
        AVOIDABLE[v] for v in _many(data.get("avoid", []), None, "avoid", lambda p: fail(p, "", "avoid"))
    )
    hips = data.get("hips", {})
    if not isinstance(hips, dict):
        raise fail("'hips' must be a table with 'left' and 'right'", "", "hips")
    found: dict[Side, Hip] = {}
    for name, value in hips.items():
        if name not in (s.value for s in Side):
            raise fail(f"unknown hip '{name}' (left or right)", f"hips.{name}")
        found[Side(name)] = _hip(value, f"hips.{name}", fail)
    return Profile(found.get(Side.LEFT), found.get(Side.RIGHT), avoid, equipment, level)


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
    names = {v.value for v in vocabulary} if vocabulary else set(AVOIDABLE)
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
        if not 1900 <= value.year <= 2200:
            raise fail(f"'{key}' is out of range: {value.isoformat()}")
        return value
    raise fail(f"'{key}' must be a date such as 2026-09-14, found {_shown(value)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


# --- writing ---------------------------------------------------------------------------


def dumps(profile: Profile) -> str:
    """The profile as TOML, from a fixed template (values are closed words and dates)."""
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
    for side, hip in profile.hips():
        out += ["", f"[hips.{side.value}]", f'condition = "{hip.condition.value}"']
        if hip.approach is not None:
            out.append(f'approach = "{hip.approach.value}"')
        out += [f"{key} = {day.isoformat()}" for key, day in (("since", hip.since), ("cleared", hip.cleared)) if day]
    return "\n".join(out) + "\n"


def _list(names: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


def save(path: Path, profile: Profile) -> None:
    """Write the profile atomically (the folder is made if needed)."""
    from hiprot.files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dumps(profile), force=True)


def remove(path: Path) -> bool:
    """Delete the profile file; False if there was none."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
