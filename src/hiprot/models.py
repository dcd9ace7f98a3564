"""The domain model: closed vocabularies as str Enums, records as NamedTuples.

Records are immutable NamedTuples rather than frozen dataclasses: just as safe, and about
five times cheaper to create, which a 10,000-entry catalogue rebuilt from cache pays for on
every run (and six times cheaper to define at import).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Fold a name for lookup: case, spaces, hyphens and punctuation do not count."""
    return _NOT_ALNUM.sub("", text.casefold())


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


# Seconds the time formula charges (DESIGN.md, "Time").
REP_SECONDS = 3
SWITCH_SECONDS = 5
SETUP_SECONDS = 15


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
    cautions: tuple[str, ...]
    easier: str | None
    harder: str | None
    sources: tuple[str, ...]

    def works(self, muscle: Muscle) -> bool:
        return muscle in self.muscles.primary or muscle in self.muscles.secondary


class Prescription(NamedTuple):
    """The numbers to do today: a single value for each, chosen from the catalogue's ranges."""

    sets: int
    per_side: bool
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int = 0

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    @property
    def seconds(self) -> int:
        """sets x sides x (reps x 3 s, or hold) + rests + 5 s per side switch + 15 s to set up."""
        work = self.reps * REP_SECONDS if self.reps is not None else self.hold_s
        switches = self.sets * self.sides - 1 if self.per_side else 0
        return (
            self.sets * self.sides * work
            + self.rest_s * (self.sets - 1)
            + SWITCH_SECONDS * switches
            + SETUP_SECONDS
        )


class RoutineItem(NamedTuple):
    exercise: Exercise
    dosage: Prescription
    substituted_for: Exercise | None = None

    @property
    def seconds(self) -> int:
        return self.dosage.seconds


class Routine(NamedTuple):
    goal: Goal
    level: Level
    seed: int | None
    budget_seconds: int
    items: tuple[RoutineItem, ...]
    requested: tuple[Muscle, ...] = ()

    @property
    def total_seconds(self) -> int:
        return sum(item.seconds for item in self.items)

    @property
    def muscles_covered(self) -> tuple[Muscle, ...]:
        """Primary muscles of the items, in vocabulary order."""
        covered = {m for item in self.items for m in item.exercise.muscles.primary}
        return tuple(m for m in Muscle if m in covered)
