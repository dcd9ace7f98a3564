"""The domain model: closed vocabularies as str Enums, records as NamedTuples.

Records are immutable NamedTuples rather than frozen dataclasses: just as safe, and about
five times cheaper to create, which a 10,000-entry catalogue rebuilt from cache pays for on
every run (and six times cheaper to define at import). This module's annotations are
evaluated as it loads (no `from __future__ import annotations`): NamedTuple would
otherwise build a ForwardRef, with a compile(), for every field of every record.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

from hiprot.limits import MAX_MINUTES as MAX_MINUTES  # its home is limits; still importable from here

# Everything that is not a letter or digit of some script: `\w` is str.isalnum() plus "_".
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")  # the same for ASCII, and 20% faster


def normalize(text: str) -> str:
    """Fold a name for lookup: case, spaces, hyphens and punctuation do not count.

    Letters and digits of any script count ("Ракушка", "Shëll"); NFKC first makes
    full-width and compatibility forms ("Ｃｌａｍ", "ﬁ") and composed or decomposed
    accents fold alike. ASCII text, nearly every name, skips the Unicode step.
    """
    if text.isascii():
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


class Goal(str, Enum):
    WARMUP = "warmup"
    STRENGTH = "strength"
    RECOVERY = "recovery"


class Kind(str, Enum):
    MOBILITY = "mobility"
    STRETCH = "stretch"
    STRENGTH = "strength"
    RELEASE = "release"


class Position(str, Enum):
    STANDING = "standing"
    SEATED = "seated"
    LYING = "lying"
    SIDE_LYING = "side-lying"
    QUADRUPED = "quadruped"
    SQUAT = "squat"
    KNEELING = "kneeling"


class Level(str, Enum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.BEGINNER: 0, Level.INTERMEDIATE: 1, Level.ADVANCED: 2}


class Equipment(str, Enum):
    BAND = "band"
    LOOP_BAND = "loop-band"
    CHAIR = "chair"
    BALL = "ball"


class Precaution(str, Enum):
    """Medical reasons to leave an exercise out.

    `hip-replacement-posterior` was called `hip-replacement` before the anterior tag
    existed; the old name is still read everywhere (see OLD_NAMES) and is what JSON output
    and saved requests keep writing, so scripts and older copies go on working (`stable`).
    `hip-replacement-early` marks what the first 12 weeks after any replacement rule
    out on top of the approach's own precautions (see safety.py).
    """

    HIP_REPLACEMENT = "hip-replacement-posterior"
    HIP_IMPINGEMENT = "hip-impingement"
    HIP_REPLACEMENT_ANTERIOR = "hip-replacement-anterior"
    HIP_REPLACEMENT_EARLY = "hip-replacement-early"
    KNEE_PAIN = "knee-pain"
    LOW_BACK_PAIN = "low-back-pain"

    @classmethod
    def _missing_(cls, value: object) -> "Precaution | None":
        return OLD_NAMES.get(value) if isinstance(value, str) else None

    @property
    def stable(self) -> str:
        """The name JSON output and saved data use: the old one where a tag was renamed."""
        return _STABLE.get(self, self.value)


# Tags under the name they had before: read everywhere, written by JSON and saved data.
OLD_NAMES: dict[str, Precaution] = {"hip-replacement": Precaution.HIP_REPLACEMENT}
HIP_REPLACEMENT_POSTERIOR = Precaution.HIP_REPLACEMENT  # the name that reads right
_STABLE = {tag: old for old, tag in OLD_NAMES.items()}

# The precautions that concern a hip: an exercise carrying one says which hips (HipScope).
HIP_PRECAUTIONS = frozenset(
    {
        Precaution.HIP_REPLACEMENT,
        Precaution.HIP_IMPINGEMENT,
        Precaution.HIP_REPLACEMENT_ANTERIOR,
        Precaution.HIP_REPLACEMENT_EARLY,
    }
)


class HipScope(str, Enum):
    """Which hips an exercise's hip precautions concern: the working one, or both."""

    WORKING = "working"
    BOTH = "both"


class Side(str, Enum):
    """The side in play for a per-side exercise: the working leg."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> "Side":
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class Need(str, Enum):
    """What the body must manage to do an exercise."""

    FLOOR = "floor"
    KNEELING = "kneeling"
    SINGLE_LEG_BALANCE = "single-leg-balance"
    DEEP_SQUAT = "deep-squat"


# Either vocabulary can be avoided; the two never share a word.
AVOIDABLE: dict[str, Precaution | Need] = {
    **{p.value: p for p in Precaution},
    **{n.value: n for n in Need},
}


def avoidable(name: str) -> Precaution | Need | None:
    """A precaution or need by its name or a tag's old name ('hip-replacement'), or None."""
    return AVOIDABLE.get(name) or OLD_NAMES.get(name)


class Movement(str, Enum):
    INTERNAL_ROTATION = "internal-rotation"
    EXTERNAL_ROTATION = "external-rotation"
    ABDUCTION = "abduction"
    ADDUCTION = "adduction"
    FLEXION = "flexion"
    EXTENSION = "extension"
    HINGE = "hinge"
    SQUAT = "squat"
    LUNGE = "lunge"
    TRUNK_ROTATION = "trunk-rotation"
    RELEASE = "release"


class Muscle(str, Enum):
    GLUTEUS_MEDIUS = "gluteus-medius"
    GLUTEUS_MINIMUS = "gluteus-minimus"
    GLUTEUS_MAXIMUS = "gluteus-maximus"
    TENSOR_FASCIAE_LATAE = "tensor-fasciae-latae"
    ADDUCTOR_LONGUS = "adductor-longus"
    ADDUCTOR_BREVIS = "adductor-brevis"
    ADDUCTOR_MAGNUS = "adductor-magnus"
    PECTINEUS = "pectineus"
    GRACILIS = "gracilis"
    HAMSTRINGS = "hamstrings"
    PIRIFORMIS = "piriformis"
    OBTURATORS = "obturators"
    QUADRATUS_FEMORIS = "quadratus-femoris"
    GEMELLI = "gemelli"
    ILIOPSOAS = "iliopsoas"
    CORE = "core"

    @property
    def label(self) -> str:
        return MUSCLE_NAMES[self][0]

    @property
    def short(self) -> str:
        """A short name for narrow table cells ("glute med", "TFL")."""
        return _SHORT_NAMES.get(self, self.label)


# Human name first, then the other names people type. "Pectuneus" is seed 003's spelling.
MUSCLE_NAMES: dict[Muscle, tuple[str, ...]] = {
    Muscle.GLUTEUS_MEDIUS: ("gluteus medius", "glute med", "glute medius", "gmed", "glut med"),
    Muscle.GLUTEUS_MINIMUS: ("gluteus minimus", "glute min", "glute minimus", "gmin"),
    Muscle.GLUTEUS_MAXIMUS: ("gluteus maximus", "glute max", "glute maximus", "gmax"),
    Muscle.TENSOR_FASCIAE_LATAE: (
        "tensor fasciae latae",
        "tfl",
        "tensor fascia latae",
        "tensor fascia lata",
        "tensor fasciae lata",
    ),
    Muscle.ADDUCTOR_LONGUS: ("adductor longus", "adductors longus"),
    Muscle.ADDUCTOR_BREVIS: ("adductor brevis",),
    Muscle.ADDUCTOR_MAGNUS: ("adductor magnus",),
    Muscle.PECTINEUS: ("pectineus", "pectuneus"),
    Muscle.GRACILIS: ("gracilis",),
    Muscle.HAMSTRINGS: (
        "hamstrings",
        "hamstring",
        "biceps femoris",
        "semitendinosus",
        "semimembranosus",
    ),
    Muscle.PIRIFORMIS: ("piriformis",),
    Muscle.OBTURATORS: ("obturators", "obturator", "obturator internus", "obturator externus"),
    Muscle.QUADRATUS_FEMORIS: ("quadratus femoris",),
    Muscle.GEMELLI: ("gemelli", "gemellus", "gemellus superior", "gemellus inferior"),
    Muscle.ILIOPSOAS: ("iliopsoas", "psoas", "psoas major", "iliacus", "hip flexors"),
    Muscle.CORE: ("core", "abs", "abdominals", "trunk"),
}

_SHORT_NAMES = {
    Muscle.GLUTEUS_MEDIUS: "glute med",
    Muscle.GLUTEUS_MINIMUS: "glute min",
    Muscle.GLUTEUS_MAXIMUS: "glute max",
    Muscle.TENSOR_FASCIAE_LATAE: "TFL",
    Muscle.QUADRATUS_FEMORIS: "quadratus fem.",
}

# The muscles that turn the hip inward, and the external rotators they work against:
# a routine with no muscle request spreads its work across both groups.
IR_MOVERS = frozenset(
    {
        Muscle.GLUTEUS_MEDIUS,
        Muscle.GLUTEUS_MINIMUS,
        Muscle.TENSOR_FASCIAE_LATAE,
        Muscle.ADDUCTOR_LONGUS,
        Muscle.ADDUCTOR_BREVIS,
        Muscle.PECTINEUS,
        Muscle.HAMSTRINGS,
    }
)
EXTERNAL_ROTATORS = frozenset(
    {
        Muscle.PIRIFORMIS,
        Muscle.OBTURATORS,
        Muscle.QUADRATUS_FEMORIS,
        Muscle.GEMELLI,
        Muscle.GLUTEUS_MAXIMUS,
    }
)

_MUSCLE_INDEX: dict[str, Muscle] = {}
for _muscle, _names in MUSCLE_NAMES.items():
    for _key in (_muscle.value, *_names):
        _MUSCLE_INDEX[normalize(_key)] = _muscle


def resolve_muscle(text: str) -> Muscle | None:
    """Map an id, name or common alias ("glute med") to its muscle, or None."""
    return _MUSCLE_INDEX.get(normalize(text))


class Range(NamedTuple):
    """An inclusive range of whole numbers; a single number has low == high."""

    low: int
    high: int

    def at(self, level: Level) -> int:
        """The value for a level: low end for beginners, high end for advanced."""
        if level is Level.BEGINNER:
            return self.low
        if level is Level.ADVANCED:
            return self.high
        return (self.low + self.high + 1) // 2

    def to_data(self) -> int | list[int]:
        return self.low if self.low == self.high else [self.low, self.high]

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


class Dosage(NamedTuple):
    """What the sources prescribe; exactly one of `reps` and `hold_s` is set."""

    sets: Range
    per_side: bool
    reps: Range | None = None
    hold_s: Range | None = None
    rest_s: Range | None = None


class Caution(NamedTuple):
    """A line of care: for everyone (`when` None), or for a person with that precaution or need."""

    text: str
    when: Precaution | Need | None = None


class PersonCautions(NamedTuple):
    """An exercise's care as one person sees it (safety.for_person): the cautions shown,
    those left out as not concerning them, and the precautions and needs to name under
    "leave it out if" (all of them for someone hiprot knows nothing of)."""

    shown: tuple[str, ...]
    hidden: tuple[Caution, ...] = ()
    leave_out: tuple[Precaution | Need, ...] = ()


class Muscles(NamedTuple):
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...] = ()


class Exercise(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: Kind
    goals: tuple[Goal, ...]
    position: Position
    level: Level
    equipment: tuple[Equipment, ...]
    muscles: Muscles
    movement: tuple[Movement, ...]
    dosage: Dosage
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    cautions: tuple[Caution, ...]
    precautions: tuple[Precaution, ...]
    needs: tuple[Need, ...]
    hips: HipScope | None
    easier: str | None
    harder: str | None
    sources: tuple[str, ...]

    def works(self, muscle: Muscle) -> bool:
        return muscle in self.muscles.primary or muscle in self.muscles.secondary

    def carries(self, avoid: Iterable[Precaution | Need]) -> bool:
        """True if the exercise has any of these precautions or needs."""
        return any(a in self.precautions or a in self.needs for a in avoid)


EXERCISE_FIELDS = Exercise._fields


class Source(NamedTuple):
    """A work the catalogue cites: an article, or an authority an article cites.

    `cites` holds the ids of the sources it refers to; `date` is ISO text as precise as
    the source gives it ("2024-11-12", "2013-02", "2009").
    """

    id: str
    title: str
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    cites: tuple[str, ...] = ()


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


# The first weeks after a hip replacement: beginner work only, no deep squat, no one-leg
# balance, no end-range stretch of both deep-bent hips, until then or the surgeon's clearance.
EARLY_WEEKS = 12


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
            found = APPROACH_PRECAUTIONS[self.approach or Approach.UNKNOWN]
            return found | {Precaution.HIP_REPLACEMENT_EARLY} if self.early(today) else found
        return frozenset()

    def early(self, today: date) -> bool:
        """A replaced hip in its first EARLY_WEEKS after surgery that no surgeon has cleared
        yet (a hip with no surgery date cannot be placed, so it is not counted as early)."""
        return (
            self.condition is HipCondition.HIP_REPLACEMENT
            and self.since is not None
            and 0 <= (today - self.since).days < 7 * EARLY_WEEKS
            and not (self.cleared is not None and self.cleared <= today)
        )

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
    # Who the handout and the report are for, optional, printed as given.
    name: str | None = None
    clinician: str | None = None
    contact: str | None = None

    def hip(self, side: Side) -> Hip | None:
        return self.left if side is Side.LEFT else self.right

    def with_hip(self, side: Side, hip: "Hip | None") -> "Profile":
        return self._replace(left=hip) if side is Side.LEFT else self._replace(right=hip)

    def hips(self) -> list[tuple[Side, Hip]]:
        return [(side, hip) for side in Side if (hip := self.hip(side)) is not None]

    def protect(self, today: date) -> frozenset[tuple[Side, Precaution]]:
        """Each hip under a precaution today, with that precaution."""
        return frozenset((side, p) for side, hip in self.hips() for p in hip.precautions(today))

    def stiff(self) -> frozenset[Side]:
        return frozenset(side for side, hip in self.hips() if hip.condition is HipCondition.STIFF)

    @property
    def empty(self) -> bool:
        """Nothing that changes a routine (the person's name, clinician and contact do not)."""
        return self._replace(name=None, clinician=None, contact=None) == Profile()

    def person_lines(self) -> list[str]:
        """Who the handout and the report are for: 'For: Ann Smith', 'Clinician: ...', 'Contact: ...'."""
        named = (("For", self.name), ("Clinician", self.clinician), ("Contact", self.contact))
        return [f"{label}: {value}" for label, value in named if value]

    def avoid_in_order(self) -> list[Precaution | Need]:
        return [value for value in AVOIDABLE.values() if value in self.avoid]

    def equipment_in_order(self) -> list[Equipment]:
        return [e for e in Equipment if e in (self.equipment or ())]

    def to_dict(self) -> dict[str, Any]:
        """`{"hips": {"left", "right"}, "avoid", "equipment", "level", "name", "clinician", "contact"}`,
        as JSON prints it."""
        return {
            "hips": {side.value: (hip.to_dict() if hip else None) for side, hip in ((s, self.hip(s)) for s in Side)},
            "avoid": [a.value for a in self.avoid_in_order()],
            "equipment": None if self.equipment is None else [e.value for e in self.equipment_in_order()],
            "level": self.level.value if self.level else None,
            "name": self.name,
            "clinician": self.clinician,
            "contact": self.contact,
        }


class Filters(NamedTuple):
    """What a catalogue can be narrowed by; None (or empty `avoid`) means no filter."""

    goal: Goal | None = None
    kind: Kind | None = None
    positions: frozenset[Position] | None = None
    level: Level | None = None
    equipment: frozenset[Equipment] | None = None
    muscles: frozenset[Muscle] | None = None
    avoid: frozenset[Precaution | Need] = frozenset()

    def admits(self, ex: Exercise) -> bool:
        return (
            (self.goal is None or self.goal in ex.goals)
            and (self.kind is None or ex.kind is self.kind)
            and (self.positions is None or ex.position in self.positions)
            and (self.level is None or ex.level.rank <= self.level.rank)
            and (self.equipment is None or set(ex.equipment) <= self.equipment)
            and (self.muscles is None or any(ex.works(m) for m in self.muscles))
            and not (self.avoid and ex.carries(self.avoid))
        )


DEFAULT_MINUTES = {Goal.WARMUP: 8, Goal.STRENGTH: 20, Goal.RECOVERY: 12}
# Request fields the profile fills in at build time; a saved request never holds them.
PROFILE_FIELDS = ("protect", "stiff")


def _sorted_values(values: Iterable[Enum], vocabulary: Iterable[Enum]) -> list[str]:
    chosen = set(values)
    return [v.value for v in vocabulary if v in chosen]


_PICK_DOSE = re.compile(r"(\d{1,4})\s*[x×]\s*(\d{1,5})\s*(s?)\s*(?:(/\s*side)|@\s*(left|right))?", re.IGNORECASE)
_PICK_SIDE = re.compile(r"(.*?\S)\s*(?:(/\s*side)|@\s*(left|right))", re.IGNORECASE)
MAX_PICK_SETS = 20  # a written dose beyond these is a typo, not a prescription
MAX_PICK_REPS = 200
MAX_PICK_HOLD_S = 600


class Pick(NamedTuple):
    """One exercise written into a routine, as given: `name` an id, name or alias (the
    catalogue resolves it), and the dose if one was written (None: the level's dose).
    `per_side` says '/side' was written; `side` ('@left'/'@right') does it on one side."""

    name: str
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    per_side: bool = False
    side: Side | None = None

    @property
    def dosed(self) -> bool:
        return self.sets is not None

    def text(self) -> str:
        """The pick as written on the command line: NAME[:SETSxREPS|SETSxHOLDs][/side|@side]."""
        where = f"@{self.side.value}" if self.side is not None else "/side" if self.per_side else ""
        if self.sets is None:
            return f"{self.name}{where}"
        work = f"{self.reps}" if self.reps is not None else f"{self.hold_s}s"
        return f"{self.name}:{self.sets}x{work}{where}"

    @classmethod
    def parse(cls, text: str) -> "Pick":
        """NAME[:DOSE], DOSE being SETSxREPS or SETSxHOLDs with an optional /side or
        @left|@right; a ValueError says what is wrong, in words."""
        name, colon, dose = text.strip().rpartition(":")
        if not colon:
            name, dose = dose, ""
        name = name.strip()
        if not name:
            raise ValueError(f"{text!r} names no exercise: write NAME or NAME:DOSE, e.g. clamshell:3x15")
        if not colon:
            where = _PICK_SIDE.fullmatch(name)  # a side without a dose: clamshell@left
            if where is None:
                return cls(name)
            side = Side(where.group(3).lower()) if where.group(3) else None
            return cls(where.group(1).strip(), per_side=bool(where.group(2)), side=side)
        match = _PICK_DOSE.fullmatch(dose.strip())
        if match is None:
            raise ValueError(
                f"cannot read the dose {dose.strip()!r} in {text!r}: write SETSxREPS (3x15) or SETSxHOLDs (3x30s), "
                "optionally with /side, @left or @right"
            )
        sets, work = int(match.group(1)), int(match.group(2))
        held = bool(match.group(3))
        if not 1 <= sets <= MAX_PICK_SETS:
            raise ValueError(f"{text!r}: sets must be 1 to {MAX_PICK_SETS}, not {sets}")
        most = MAX_PICK_HOLD_S if held else MAX_PICK_REPS
        if not 1 <= work <= most:
            what = "a hold" if held else "reps"
            raise ValueError(f"{text!r}: {what} must be 1 to {most}{' seconds' if held else ''}, not {work}")
        side = Side(match.group(5).lower()) if match.group(5) else None
        return cls(name, sets, None if held else work, work if held else None, bool(match.group(4)), side)


class Request(NamedTuple):
    """What a person asked for. None means "no filter" (or the goal's default minutes).
    `picks` are exercises written in (the planner then chooses nothing, and keeps their
    order unless `order`); `keep`, `drop` and `swap` adjust a routine the planner chose,
    each an exercise id, name or alias as given."""

    goal: Goal
    level: Level = Level.BEGINNER
    positions: frozenset[Position] | None = None
    equipment: frozenset[Equipment] | None = None
    muscles: tuple[Muscle, ...] = ()
    minutes: int | None = None
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count, which nothing here calls
    seed: int | None = None
    avoid: frozenset[Precaution | Need] = frozenset()
    side: Side | None = None  # per-side work on this side only, on purpose
    picks: tuple[Pick, ...] = ()
    order: bool = False  # picks put in the goal's flow (by default a written order is kept)
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    swap: tuple[str, ...] = ()
    # From the profile (never saved with a request: the profile applies when it is built).
    protect: frozenset[tuple[Side, Precaution]] = frozenset()  # a hip and a precaution it is under
    stiff: frozenset[Side] = frozenset()  # hips that get one extra set of per-side mobility

    @property
    def budget_seconds(self) -> int:
        return 60 * (self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.goal])

    @property
    def filters(self) -> Filters:
        """The level, position, equipment and avoid filters, as a catalogue applies them."""
        return Filters(positions=self.positions, level=self.level, equipment=self.equipment, avoid=self.avoid)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data, in a stable order (saved routines and history store it)."""
        return {
            "goal": self.goal.value,
            "level": self.level.value,
            "positions": None if self.positions is None else _sorted_values(self.positions, Position),
            "equipment": None if self.equipment is None else _sorted_values(self.equipment, Equipment),
            "muscles": [m.value for m in self.muscles],
            "minutes": self.minutes,
            "count": self.count,
            "seed": self.seed,
            "avoid": [_stable(v) for v in AVOIDABLE.values() if v in self.avoid],
            "side": self.side.value if self.side else None,
            # Written-in and adjusted routines only: older saved requests stay as they were.
            **({"picks": [p.text() for p in self.picks]} if self.picks else {}),
            **({"order": True} if self.order else {}),
            **{key: list(value) for key, value in (("keep", self.keep), ("drop", self.drop), ("swap", self.swap))
               if value},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Request":
        """The inverse of `to_dict`; raises ValueError (or KeyError) on data it cannot read."""
        unknown = set(data) - (set(cls._fields) - set(PROFILE_FIELDS))
        if unknown:
            raise ValueError(f"unknown request key {sorted(unknown)[0]!r}")

        def whole(key: str) -> int | None:
            value = data.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{key} must be a whole number, found {value!r}")
            return value

        positions = data.get("positions")
        equipment = data.get("equipment")
        return cls(
            goal=Goal(data["goal"]),
            level=Level(data.get("level", Level.BEGINNER.value)),
            positions=None if positions is None else frozenset(Position(p) for p in positions),
            equipment=None if equipment is None else frozenset(Equipment(e) for e in equipment),
            muscles=tuple(Muscle(m) for m in data.get("muscles") or ()),
            minutes=whole("minutes"),
            count=whole("count"),
            seed=whole("seed"),
            avoid=frozenset(_avoidable(a) for a in data.get("avoid") or ()),
            side=Side(data["side"]) if data.get("side") is not None else None,
            picks=tuple(Pick.parse(_text(p, "picks")) for p in _listed(data, "picks")),
            order=_flag(data, "order"),
            keep=tuple(_text(k, "keep") for k in _listed(data, "keep")),
            drop=tuple(_text(d, "drop") for d in _listed(data, "drop")),
            swap=tuple(_text(w, "swap") for w in _listed(data, "swap")),
        )


def _listed(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list, found {value!r}")
    return value


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} holds {value!r}, not an exercise name")
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false, found {value!r}")
    return value


def _stable(tag: Precaution | Need) -> str:
    return tag.stable if isinstance(tag, Precaution) else tag.value


def _avoidable(name: Any) -> Precaution | Need:
    found = avoidable(name) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"unknown precaution or need {name!r}")
    return found


class Dose(NamedTuple):
    """The numbers to do today: a single value for each, chosen from the catalogue's ranges."""

    sets: int
    per_side: bool
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int = 0
    only: Side | None = None  # per-side work done on this side alone (the other hip is protected)
    extra: Side | None = None  # one extra set on this side (a stiff hip)

    @property
    def sides(self) -> int:
        """How many sides each set is done on."""
        return 2 if self.per_side and self.only is None else 1

    @property
    def worked_sides(self) -> tuple[Side, ...] | None:
        """The sides worked, in order; None when the exercise is not done per side."""
        if not self.per_side:
            return None
        return (self.only,) if self.only is not None else (Side.LEFT, Side.RIGHT)


class Item(NamedTuple):
    """One exercise of a routine with today's dose; `substituted_for` is the one it replaced."""

    exercise: Exercise
    dosage: Dose
    substituted_for: Exercise | None = None
    # A written dose outside the sources' ranges, in words ("above the sources' range:
    # 3 x 30, sources say 2-3 x 10-20"); every view shows it beside the dose.
    note: str | None = None


class Phase(NamedTuple):
    """One timed step of a routine item (see timeline.py); `set` and `side` may be None."""

    item: int  # index into Routine.items
    kind: str  # setup | reps | hold | rest | transition | switch | rollover | anchor
    seconds: int
    set: int | None = None
    side: str | None = None  # left | right | None
    round: int = 1  # which pass of the routine's circuit (see Routine.rounds)
    text: str | None = None  # what to do, in words, where the body moves; why an extra set


class Shortfall(NamedTuple):
    """Why a routine uses under 80% of its budget, as data (reporters word it)."""

    qualifying: int  # exercises that qualify for the request (bodyweight ones, if `bodyweight`)
    variants: int = 0  # of those left out, how many are a direct variant of one in the routine
    bodyweight: bool = False  # only bodyweight work was allowed (Routine.more_with: what would add more)
    capped_at: int | None = None  # the request's count, when it is what capped the routine
    more_rounds: bool = True  # False: the routine already has the most rounds a routine is given


class Routine(NamedTuple):
    """Items in the order to do them. `more_with` is equipment that would have added
    exercises had the person said they have it; `notes` are plain-words changes made on
    the way (a progression step, say) that every report prints in its header; `rounds`
    is how many times the whole list is done (a circuit). `profile` is the profile applied
    (None: none stored, or ignored for this run) and `profile_notes` what it meant for
    this routine, in words; `cautions` each item's cautions for this person."""

    request: Request
    items: tuple[Item, ...]
    more_with: tuple[Equipment, ...] = ()
    notes: tuple[str, ...] = ()
    sources: Mapping[str, Source] = MappingProxyType({})  # the catalogue's, so reports cite titles
    rounds: int = 1  # the items done this many times over, a rest between rounds
    shortfall: Shortfall | None = None  # set when the routine uses under 80% of its budget
    profile: Profile | None = None
    profile_notes: tuple[str, ...] = ()
    # Each item's cautions that concern this person, by exercise id (safety.person_cautions);
    # an exercise missing here shows every caution it has.
    cautions: Mapping[str, PersonCautions] = MappingProxyType({})

    def cited(self) -> list[Source]:
        """The sources the items cite, each once, in the order they first appear."""
        ids = dict.fromkeys(i for item in self.items for i in item.exercise.sources)
        return [self.sources[i] for i in ids if i in self.sources]

    @property
    def goal(self) -> Goal:
        return self.request.goal

    @property
    def level(self) -> Level:
        return self.request.level

    @property
    def seed(self) -> int | None:
        return self.request.seed

    @property
    def budget_seconds(self) -> int:
        return self.request.budget_seconds

    @property
    def muscles_covered(self) -> tuple[Muscle, ...]:
        """Primary muscles of the items, in vocabulary order."""
        covered = {m for item in self.items for m in item.exercise.muscles.primary}
        return tuple(m for m in Muscle if m in covered)


# --- records: what the history database holds (hiprot.store reads and writes them) ----


class SessionItem(NamedTuple):
    """One exercise of a recorded session. `position` is its 0-based place in the routine."""

    position: int
    exercise_id: str
    name: str
    status: str  # done | skipped
    planned_seconds: int
    done_seconds: int
    sets: int
    reps: int | None
    hold_s: int | None
    per_side: bool

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class SessionRecord(NamedTuple):
    """A routine done (`completed`, `partial`) or logged after the fact (`logged`).

    `id` is None for a record not yet stored; `add_session` ignores it. `pain` is pain
    during the session (0-10), `pain_next_day` the pain reported the day after.
    """

    id: int | None
    started_at: datetime
    goal: str
    saved_name: str | None
    status: str  # completed | partial | logged | abandoned
    planned_seconds: int
    done_seconds: int
    pain: int | None
    pain_next_day: int | None
    note: str | None
    request: dict[str, Any]
    items: tuple[SessionItem, ...] = ()
    extra: bool = False  # done on a day the plan had nothing due, as an extra session

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def counted(self) -> bool:
        """Whether it counts in streaks, adherence, weekly bars and progression."""
        return self.status != "abandoned"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; `started_at` as ISO-8601 text."""
        data = self._asdict()
        data["started_at"] = self.started_at.isoformat()
        data["items"] = [item.to_dict() for item in self.items]
        return data


class SavedRoutine(NamedTuple):
    name: str
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class Measurement(NamedTuple):
    """One reading of the seated active hip internal-rotation self-test."""

    id: int
    taken_on: date
    side: str  # left | right
    degrees: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; `taken_on` as YYYY-MM-DD."""
        return {"id": self.id, "taken_on": self.taken_on.isoformat(), "side": self.side, "degrees": self.degrees}


class PlanRoutine(NamedTuple):
    """One routine of a plan: the saved routine `saved_name` (its goal `goal` when the
    plan was made) on `days` (0 = Monday ... 6 = Sunday)."""

    saved_name: str
    goal: str
    days: tuple[int, ...]


class Plan(NamedTuple):
    """A programme: `weeks` weeks from `start` (a Monday or any day), sessions on
    `days` (0 = Monday ... 6 = Sunday) of the saved routine `saved_name`, whose goal
    was `goal` when the plan was made. `ended_at` is None while the plan is active.

    A plan may mix routines, each on its own days: `routines` lists them in order. Then
    `saved_name` and `goal` are the first routine's and `days` every day with a session,
    so a caller that knows one routine only still reads a plan as before."""

    id: int
    start: date
    weeks: int
    days: tuple[int, ...]
    saved_name: str
    goal: str
    created_at: datetime
    ended_at: datetime | None = None
    routines: tuple[PlanRoutine, ...] = ()

    @property
    def parts(self) -> tuple[PlanRoutine, ...]:
        """The plan's routines with their days (one for a plan of one routine)."""
        return self.routines or (PlanRoutine(self.saved_name, self.goal, self.days),)

    @property
    def mixed(self) -> bool:
        return len(self.parts) > 1


class SideReason(NamedTuple):
    """Why an item's sides are what they are: `why` is `protected` (the hip `side` is under
    `precaution`, so only the other side works), `chosen` (the person asked for `side`
    alone) or `stiff` (one extra set on the stiff hip `side`)."""

    why: str
    side: Side
    precaution: Precaution | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"why": self.why, "side": self.side.value,
                "precaution": self.precaution.value if self.precaution else None}  # fmt: skip


class Prescribed(NamedTuple):
    """One item of a prescription: the exercise, its dose for the date, the sides worked
    and why, the reason for every change to the dose, the cautions that concern this
    person, its phases (one round) and its seconds (one round, set-up included)."""

    exercise: Exercise
    dose: Dose
    sides: tuple[Side, ...] | None  # None: not done per side
    why: tuple[SideReason, ...]
    changes: tuple[str, ...]
    cautions: tuple[str, ...]
    phases: tuple[Phase, ...]
    seconds: int
    substituted_for: Exercise | None = None

    @property
    def extra_set(self) -> Side | None:
        """The side that gets a stiff hip's extra set, when it is worked."""
        extra = self.dose.extra
        return extra if extra is not None and self.sides is not None and extra in self.sides else None


class PlanContext(NamedTuple):
    """Where a prescription stands in a plan: week `week` of `weeks`, the date of the
    session it is for (`due`, None when the plan has none left) and that session's status
    (`due` today, `planned` later), and the sessions done against those due so far."""

    saved_name: str
    goal: str
    start: date
    weeks: int
    days: tuple[int, ...]
    week: int
    due: date | None
    status: str | None
    done: int
    due_so_far: int


class Prescription(NamedTuple):
    """What this person does on this date: built once (see `hiprot.practice.prescribe`) and
    rendered by every view, none of which recomputes a dose, a side, a caution or a
    length. `routine` is the planner's routine with the date's doses (the reporters that
    lay out a routine read it); `phases` is its whole timeline, rounds and all, and
    `total_seconds` their sum."""

    day: date
    routine: Routine
    items: tuple[Prescribed, ...]
    phases: tuple[Phase, ...]
    total_seconds: int
    notes: tuple[str, ...]  # stand-ins, equipment, floor, progression: the routine's notes
    profile_notes: tuple[str, ...]
    plan: PlanContext | None = None
    saved: str | None = None  # the saved routine it follows, if any
    sources: tuple[Source, ...] = ()

    @property
    def minutes(self) -> int:
        """The session's length in whole minutes (at least 1), as lists and calendars round it."""
        return max(1, round(self.total_seconds / 60)) if self.total_seconds > 0 else 0
