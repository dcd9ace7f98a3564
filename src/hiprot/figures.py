"""Exercise figures: pose angles + constraints -> solved 3-D joints -> two panels, drawn as
SVG or braille cells, and the joints as data (`figure_data`).

Pure: no Rich, no Typer, no files. A `Figure` holds a start and an end `Pose` (per leg the
hip flexion, rotation and abduction and the knee flexion; trunk, arms and whole-body tilt
where they matter; constraints), the body's orientation, the view that shows the movement,
the working leg and the props. Forward kinematics places every joint in a body frame, the
orientation turns the body into the room, the contact points set its height, the end pose
keeps its `stay` point, two-bone IK places the pinned feet and hands (`solve`), and a
camera (turned about the vertical, then tilted to look down) projects each pose into its
panel at one scale.

Records are NamedTuples, not dataclasses: a dozen frozen dataclasses cost about 5 ms to
define, which `routine --format html` would pay on every run.

Body frame: origin between the hips, x to the person's left, y toward the head, z to the
front. Angles are degrees; rotation is positive inward (internal rotation).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

Vec = tuple[float, float, float]
Flatten = Callable[[Vec], tuple[tuple[float, float], float]]  # room point -> (screen point, depth)
Mat = tuple[Vec, Vec, Vec]  # rows

# Segment lengths, in centimetres of an average adult (they only set proportions).
HIP_HALF = 9.0
TRUNK = 50.0
SHOULDER_HALF = 17.0
NECK = 7.0
HEAD_R = 10.0
THIGH = 42.0
SHIN = 42.0
FOOT = 14.0
UPPER_ARM = 30.0
FOREARM = 27.0
BALL_R = 4.5
CHAIR_SEAT_DEPTH = 40.0
CHAIR_SEAT = SHIN + 3.0  # pelvis height on a chair: feet flat with the knees at 90 degrees
ANCHOR_REACH = 55.0  # how far a long band's anchor is from the ankle it pulls


class Orientation(str, Enum):
    STANDING = "standing"
    SEATED_CHAIR = "seated-chair"
    SEATED_FLOOR = "seated-floor"
    LYING = "lying"  # on the back
    SIDE_LYING = "side-lying"  # drawn on the left side; `side` mirrors it
    QUADRUPED = "quadruped"
    KNEELING = "kneeling"
    SQUAT = "squat"


class Working(str, Enum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Prop(str, Enum):
    CHAIR = "chair"
    BALL = "ball"
    BAND = "band"
    LOOP_BAND = "loop-band"


class BandAt(str, Enum):
    """Where a loop band sits: it is drawn between the two legs at that point."""

    THIGHS = "thighs"
    KNEES = "knees"
    ANKLES = "ankles"
    FEET = "feet"


class Anchor(str, Enum):
    """Which side of the working ankle a long band is tied on."""

    INSIDE = "inside"
    OUTSIDE = "outside"


class Leg(NamedTuple):
    hip_flexion: float = 0.0
    rotation: float = 0.0  # + internal, - external
    abduction: float = 0.0
    knee_flexion: float = 0.0
    plantar_flexion: float = 0.0  # toes pointed; 90 puts the foot in line with the shin


class Arm(NamedTuple):
    flexion: float = 0.0  # raised in front; 180 is overhead
    abduction: float = 0.0
    elbow_flexion: float = 0.0


class Pose(NamedTuple):
    left: Leg = Leg()
    right: Leg = Leg()
    left_arm: Arm = Arm()
    right_arm: Arm = Arm()
    trunk_flexion: float = 0.0  # trunk bent forward on the pelvis
    trunk_twist: float = 0.0  # + toward the left
    neck_flexion: float = 0.0  # chin toward the chest
    pitch: float = 0.0  # whole body tipped forward about the hips (a hinge, a bridge)
    roll: float = 0.0  # whole body rolled about its long axis, + toward its front
    # Constraints, solved after the angles (see `solve`): the points that rest on the floor
    # (or, for the pelvis on a chair, the seat) and so decide the body's height; the point
    # the end pose keeps where it was at the start; and pins, (point, target): a foot or a
    # hand placed by two-bone IK on "start" (where it was), "floor" or another body point.
    floor: tuple[str, ...] = ()
    stay: str | None = None
    pins: tuple[tuple[str, str], ...] = ()


class View(NamedTuple):
    yaw: float = 0.0  # camera turned about the vertical; 0 sees an upright body's right side
    pitch: float = 0.0  # camera tilted to look down; 90 is from straight above


class Figure(NamedTuple):
    exercise: str
    orientation: Orientation
    view: View
    working: Working
    start: Pose
    end: Pose
    props: frozenset[Prop] = frozenset()
    band_at: BandAt | None = None
    anchor: Anchor | None = None
    terminal_view: View | None = None  # a second camera for the few braille rows of a terminal


# Every angle a pose may hold, with its allowed range (the loader checks against these).
LEG_RANGES = {"hip_flexion": (-40, 150), "rotation": (-100, 100), "abduction": (-40, 100), "knee_flexion": (0, 160),
              "plantar_flexion": (0, 90)}  # fmt: skip
ARM_RANGES = {"flexion": (-60, 200), "abduction": (-45, 180), "elbow_flexion": (0, 160)}
BODY_RANGES = {"trunk_flexion": (-40, 120), "trunk_twist": (-90, 90), "neck_flexion": (-30, 70),
               "pitch": (-60, 120), "roll": (-90, 90)}  # fmt: skip
VIEW_RANGES = {"yaw": (-180, 180), "pitch": (0, 90)}


# --- vectors -----------------------------------------------------------------------------


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def _apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _mul(a: Mat, b: Mat) -> Mat:
    (a0, a1, a2), (b0, b1, b2) = a, b
    return (
        (a0[0] * b0[0] + a0[1] * b1[0] + a0[2] * b2[0], a0[0] * b0[1] + a0[1] * b1[1] + a0[2] * b2[1],
         a0[0] * b0[2] + a0[1] * b1[2] + a0[2] * b2[2]),
        (a1[0] * b0[0] + a1[1] * b1[0] + a1[2] * b2[0], a1[0] * b0[1] + a1[1] * b1[1] + a1[2] * b2[1],
         a1[0] * b0[2] + a1[1] * b1[2] + a1[2] * b2[2]),
        (a2[0] * b0[0] + a2[1] * b1[0] + a2[2] * b2[0], a2[0] * b0[1] + a2[1] * b1[1] + a2[2] * b2[1],
         a2[0] * b0[2] + a2[1] * b1[2] + a2[2] * b2[2]),
    )  # fmt: skip


@lru_cache(maxsize=512)
def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


@lru_cache(maxsize=512)
def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


@lru_cache(maxsize=512)
def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


# Body -> room. Room: x to the right of the side view, y up, z toward the camera.
_UPRIGHT: Mat = ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (-1.0, 0.0, 0.0))  # faces +x, right side to camera
_SUPINE: Mat = ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0), (-1.0, 0.0, 0.0))  # head to -x, face up
_LEFT_SIDE: Mat = ((0.0, 1.0, 0.0), (-1.0, 0.0, 0.0), (0.0, 0.0, 1.0))  # head to +x, left side down, front to camera
_PRONE_ON_HANDS: Mat = ((0.0, 1.0, 0.0), (0.0, 0.0, -1.0), (-1.0, 0.0, 0.0))  # head to +x, front down
ORIENTATION_MATRIX = {
    Orientation.STANDING: _UPRIGHT,
    Orientation.SEATED_CHAIR: _UPRIGHT,
    Orientation.SEATED_FLOOR: _UPRIGHT,
    Orientation.KNEELING: _UPRIGHT,
    Orientation.SQUAT: _UPRIGHT,
    Orientation.LYING: _SUPINE,
    Orientation.SIDE_LYING: _LEFT_SIDE,
    Orientation.QUADRUPED: _PRONE_ON_HANDS,
}


# --- the body ----------------------------------------------------------------------------


class Body(NamedTuple):
    """Joint positions in the room, the floor at y = 0."""

    joints: dict[str, Vec]


# Segments: (from, to, part). Parts: trunk, head-less limbs; "left-leg"/"right-leg" so the
# working one can be picked out.
SEGMENTS: tuple[tuple[str, str, str], ...] = (
    ("l_hip", "r_hip", "trunk"),
    ("pelvis", "neck", "trunk"),
    ("l_shoulder", "r_shoulder", "trunk"),
    ("neck", "head_base", "trunk"),
    ("l_shoulder", "l_elbow", "left-arm"),
    ("l_elbow", "l_hand", "left-arm"),
    ("r_shoulder", "r_elbow", "right-arm"),
    ("r_elbow", "r_hand", "right-arm"),
    ("l_hip", "l_knee", "left-leg"),
    ("l_knee", "l_ankle", "left-leg"),
    ("l_ankle", "l_toe", "left-leg"),
    ("r_hip", "r_knee", "right-leg"),
    ("r_knee", "r_ankle", "right-leg"),
    ("r_ankle", "r_toe", "right-leg"),
)


def _leg(side: float, leg: Leg) -> dict[str, Vec]:
    """Hip, knee, ankle and toe of one leg in the pelvis frame (side: +1 left, -1 right)."""
    turn = _mul(_mul(_rx(-leg.hip_flexion), _rz(side * leg.abduction)), _ry(-side * leg.rotation))
    k = math.radians(leg.knee_flexion)
    hip: Vec = (side * HIP_HALF, 0.0, 0.0)
    knee = _add(hip, _apply(turn, (0.0, -THIGH, 0.0)))
    ankle = _add(knee, _apply(turn, (0.0, -SHIN * math.cos(k), -SHIN * math.sin(k))))
    f = k + math.radians(leg.plantar_flexion - 90.0)
    toe = _add(ankle, _apply(turn, (0.0, -FOOT * math.cos(f), -FOOT * math.sin(f))))
    return {"hip": hip, "knee": knee, "ankle": ankle, "toe": toe}


def _arm(side: float, arm: Arm, trunk: Mat, neck: Vec) -> dict[str, Vec]:
    turn = _mul(_mul(trunk, _rx(-arm.flexion)), _rz(side * arm.abduction))
    e = math.radians(arm.elbow_flexion)
    shoulder = _add(neck, _apply(trunk, (side * SHOULDER_HALF, 0.0, 0.0)))
    elbow = _add(shoulder, _apply(turn, (0.0, -UPPER_ARM, 0.0)))
    hand = _add(elbow, _apply(turn, (0.0, -FOREARM * math.cos(e), FOREARM * math.sin(e))))
    return {"shoulder": shoulder, "elbow": elbow, "hand": hand}


def pose_joints(pose: Pose, orientation: Orientation) -> dict[str, Vec]:
    """Every joint of a pose in the room, before it is set on the floor."""
    trunk = _mul(_rx(pose.trunk_flexion), _ry(pose.trunk_twist))
    neck = _apply(trunk, (0.0, TRUNK, 0.0))
    joints: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0), "neck": neck}
    head = _mul(trunk, _rx(pose.neck_flexion))
    joints["head_base"] = _add(neck, _apply(head, (0.0, NECK, 0.0)))
    # The head sits a little in front of the spine's line.
    joints["head"] = _add(neck, _apply(head, (0.0, NECK + HEAD_R * 0.8, HEAD_R * 0.45)))
    joints["nose"] = _add(neck, _apply(head, (0.0, NECK + HEAD_R * 0.8, HEAD_R * 1.85)))  # which way the face looks
    for prefix, side, leg in (("l_", 1.0, pose.left), ("r_", -1.0, pose.right)):
        joints.update({prefix + name: point for name, point in _leg(side, leg).items()})
    for prefix, side, arm in (("l_", 1.0, pose.left_arm), ("r_", -1.0, pose.right_arm)):
        joints.update({prefix + name: point for name, point in _arm(side, arm, trunk, neck).items()})
    place = _mul(ORIENTATION_MATRIX[orientation], _mul(_rx(pose.pitch), _ry(pose.roll)))
    return {name: _apply(place, point) for name, point in joints.items()}


LIMB_HALF = 3.0  # half a drawn limb's width: a limb on the floor rests on it
TRUNK_HALF = 5.0  # half the trunk's thickness: a pelvis or back on the floor rests on it
TRUNK_POINTS = frozenset({"pelvis", "neck", "l_hip", "r_hip", "l_shoulder", "r_shoulder"})

# The joints a figure's data may name, public name -> internal name.
JOINT_NAMES = {"head": "head", "neck": "neck", "pelvis": "pelvis"} | {
    f"{side}_{part}": f"{side[0]}_{part}"
    for side in ("left", "right")
    for part in ("hip", "knee", "ankle", "toe", "shoulder", "elbow", "hand")
}
PUBLIC_NAMES = {internal: public for public, internal in JOINT_NAMES.items()}
# What a pin can move (by two-bone IK from the root) and where it can go besides a joint.
PIN_CHAINS = {
    "l_ankle": ("l_hip", "l_knee", THIGH, SHIN), "r_ankle": ("r_hip", "r_knee", THIGH, SHIN),
    "l_hand": ("l_shoulder", "l_elbow", UPPER_ARM, FOREARM), "r_hand": ("r_shoulder", "r_elbow", UPPER_ARM, FOREARM),
}  # fmt: skip
# Besides a joint, a pin may go to where the point was at the start, straight down to the
# floor, or onto the middle of a shin or the thigh just above the knee.
LIMB_TARGETS = {f"{side}_{limb}": (f"{side[0]}_{a}", f"{side[0]}_{b}", at)
                for side in ("left", "right") for limb, a, b, at in (("shin", "knee", "ankle", 0.5),
                                                                     ("thigh", "hip", "knee", 0.75))}  # fmt: skip
PIN_TARGETS = ("start", "floor", *LIMB_TARGETS)
# Which points rest on the floor when a pose does not say: the lowest of them touches it.
DEFAULT_FLOOR = {
    Orientation.STANDING: ("l_ankle", "r_ankle", "l_toe", "r_toe"),
    Orientation.SQUAT: ("l_ankle", "r_ankle", "l_toe", "r_toe"),
    Orientation.SEATED_FLOOR: ("pelvis",),
    Orientation.SEATED_CHAIR: ("pelvis",),
    Orientation.LYING: ("pelvis", "neck"),
    Orientation.SIDE_LYING: ("l_hip", "l_shoulder"),
    Orientation.QUADRUPED: ("l_knee", "r_knee", "l_hand", "r_hand"),
    Orientation.KNEELING: ("l_knee", "r_knee"),
}


def _rest_height(name: str) -> float:
    """How high a point's centre is when it rests on a surface."""
    if name in ("l_hip", "r_hip"):  # the hip joint sits as far in as the shoulder's edge is out
        return TRUNK_HALF + SHOULDER_HALF - HIP_HALF
    return TRUNK_HALF if name in TRUNK_POINTS else LIMB_HALF


def _reach(root: Vec, mid: Vec, target: Vec, first: float, second: float) -> tuple[Vec, Vec]:
    """Two-bone IK: (middle joint, end) reaching `target` from `root`, the middle joint
    on the side where it was (`mid`), so a knee keeps falling the way its angles say."""
    gap = _sub(target, root)
    d = math.sqrt(gap[0] ** 2 + gap[1] ** 2 + gap[2] ** 2)
    if d < 1e-9:  # a target on the root itself: fold toward where the middle joint was
        gap = _sub(mid, root) if math.dist(mid, root) > 1e-9 else (0.0, -1.0, 0.0)
    u = _unit(gap)
    d = min(max(d, abs(first - second) + 1e-6), first + second - 1e-6)
    end = _add(root, _scale(u, d))
    a = (first**2 - second**2 + d**2) / (2 * d)
    r = math.sqrt(max(first**2 - a**2, 0.0))
    centre = _add(root, _scale(u, a))
    v = _sub(mid, centre)
    along = v[0] * u[0] + v[1] * u[1] + v[2] * u[2]
    v = _sub(v, _scale(u, along))
    if v[0] ** 2 + v[1] ** 2 + v[2] ** 2 < 1e-9:
        v = (u[1], -u[0], 0.0) if abs(u[2]) < 0.9 else (0.0, u[2], -u[1])
    return _add(centre, _scale(_unit(v), r)), end


def _shift(joints: dict[str, Vec], by: Vec) -> dict[str, Vec]:
    return {name: _add(p, by) for name, p in joints.items()}


def _pinned(joints: dict[str, Vec], pins: Sequence[tuple[str, str]], start: dict[str, Vec] | None) -> dict[str, Vec]:
    """Place each pinned hand or foot on its target by two-bone IK (hips and shoulders stay)."""
    out = dict(joints)
    for point, target in pins:
        root, mid, first, second = PIN_CHAINS[point]
        toe = point.replace("ankle", "toe") if point.endswith("ankle") else None
        foot = _sub(out[toe], out[point]) if toe else (0.0, 0.0, 0.0)
        if target == "start":
            assert start is not None, "a pose pinned to the start needs the start"
            goal = start[point]
        elif target == "floor":  # straight down until the foot's (or the hand's) lowest point touches
            low = min(out[point][1], out[point][1] + foot[1])
            goal = (out[point][0], out[point][1] - low + LIMB_HALF, out[point][2])
        else:  # rests on another body point, a limb's width above it
            if target in LIMB_TARGETS:
                a, b, at = LIMB_TARGETS[target]
                other = _add(_scale(out[a], 1 - at), _scale(out[b], at))
            else:
                other = out[target]
            goal = (other[0], other[1] + 2 * LIMB_HALF, other[2])
        out[mid], out[point] = _reach(out[root], out[mid], goal, first, second)
        if toe:
            out[toe] = start[toe] if target == "start" and start is not None else _add(out[point], foot)
    return out


def _placed(figure: Figure, pose: Pose, start: dict[str, Vec] | None) -> dict[str, Vec]:
    """A pose's joints in the room: angles, then height from the points that rest on the
    floor (or the seat), the end pose moved to keep its `stay` point, then the pins."""
    joints = pose_joints(pose, figure.orientation)
    if figure.orientation is Orientation.SEATED_CHAIR:
        joints = _shift(joints, (0.0, CHAIR_SEAT - joints["pelvis"][1], 0.0))
    else:
        contacts = pose.floor or DEFAULT_FLOOR[figure.orientation]
        rest = 2 * BALL_R if Prop.BALL in figure.props else 0.0
        low = min(joints[name][1] - _rest_height(name) for name in contacts)
        joints = _shift(joints, (0.0, rest - low, 0.0))
    if pose.stay is not None and start is not None:
        joints = _shift(joints, _sub(start[pose.stay], joints[pose.stay]))
    joints = _pinned(joints, pose.pins, start)
    if Prop.BALL in figure.props:
        hip = min((joints["l_hip"], joints["r_hip"]), key=lambda p: p[1])
        joints["ball"] = (hip[0], BALL_R, hip[2])
    return joints


@lru_cache(maxsize=64)
def solve(figure: Figure) -> tuple[Body, Body]:
    """The start and end poses in the room, constraints solved (cached: figures are immutable)."""
    start = _placed(figure, figure.start, None)
    end = _placed(figure, figure.end, start)
    return Body(start), Body(end)


def body(figure: Figure, which: str) -> Body:
    """The start or end pose ("start"/"end") in the room, its constraints solved."""
    start, end = solve(figure)
    return start if which == "start" else end


def _mirrors(figure: Figure, side: str | None) -> bool:
    return side is not None and figure.working is not Working.BOTH and side != figure.working.value


def figure_data(figure: Figure, side: str | None = None) -> dict[str, object]:
    """The solved joints as data, drawn for `side`: centimetres, z up, floor at z = 0,
    x across the picture (the SVG's left to right), y away from the viewer."""
    mirror = _mirrors(figure, side)
    working = side if mirror and side is not None else figure.working.value
    yaw = _camera(View(figure.view.yaw, 0.0))
    data: dict[str, object] = {"working": working}
    for which, solved in zip(("start", "end"), solve(figure), strict=True):
        joints: dict[str, list[float]] = {}
        for internal, point in solved.joints.items():
            if internal not in PUBLIC_NAMES:
                continue
            x, y, z = _apply(yaw, point)
            name = PUBLIC_NAMES[internal]
            if mirror:
                x = -x
                name = name.replace("left_", "@").replace("right_", "left_").replace("@", "right_")
            joints[name] = [round(x, 1), round(-z, 1), round(y, 1)]
        data[which] = {"joints": dict(sorted(joints.items()))}
    return data


# --- the camera --------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _camera(view: View) -> Mat:
    # Turn about the vertical, then tilt so that points nearer the camera drop down.
    return _mul(_rx(view.pitch), _ry(-view.yaw))


def project(view: View, point: Vec) -> tuple[float, float, float]:
    """(screen x, screen y up, depth toward the camera) of a room point."""
    x, y, z = _apply(_camera(view), point)
    return x, y, z


# --- drawing, shared by SVG and terminal cells ------------------------------------------------

# One scale and one floor for every figure: each pose is drawn in a panel this many
# centimetres wide and high, the lowest point of the figure at FLOOR_Y.
PANEL_W, PANEL_H, FLOOR_Y, GAP, CAPTION = 200.0, 210.0, 198.0, 8.0, 24.0
LIMB_W, TRUNK_W = 6.0, 9.0  # drawn widths, cm
MAT = (190.0, 62.0)  # an exercise mat's length and width, cm


class Stroke(NamedTuple):
    """One straight, round-ended band of the drawing, projected; `layer` says how it is drawn."""

    a: tuple[float, float]
    b: tuple[float, float]
    depth: float
    layer: str  # body, work, prop, band, ghost
    width: float


class Dot(NamedTuple):
    centre: tuple[float, float]
    r: float
    depth: float
    layer: str  # head, ball


class Panel(NamedTuple):
    """One pose, projected: screen x to the right, y up, in centimetres."""

    strokes: tuple[Stroke, ...]
    dots: tuple[Dot, ...]
    floor: tuple[tuple[float, float], ...]  # the floor's outline, a polygon
    mat: tuple[tuple[float, float], ...]  # an exercise mat under a body on the floor, or ()


class Drawing(NamedTuple):
    start: Panel
    end: Panel
    ghost: tuple[Stroke, ...]  # the moving limb where it started, shown faint in the end panel
    arrow: tuple[tuple[float, float], tuple[float, float]] | None  # the moving part, start -> end
    anchor: tuple[float, float]  # where the floor under the start pose's pelvis projects
    label: str  # the working side, in words: "right leg"


def working_legs(figure: Figure) -> set[str]:
    if figure.working is Working.BOTH:
        return {"left-leg", "right-leg"}
    return {f"{figure.working.value}-leg"}


def working_label(figure: Figure, side: str | None = None) -> str:
    """The working side in words, for under the figure: "right leg", "both legs"."""
    if figure.working is Working.BOTH:
        return "both legs"
    which = side if side is not None else figure.working.value
    return f"{which} hip on the ball" if Prop.BALL in figure.props else f"{which} leg"


def _chair(pelvis: Vec, front: Vec) -> list[tuple[Vec, Vec]]:
    """A chair under the pelvis: seat, four legs and a backrest, in room points."""
    fx, _, fz = front
    lx, lz = -fz, fx  # across the seat
    seat_y = pelvis[1] - TRUNK_HALF
    back = (pelvis[0] - fx * 12.0, seat_y, pelvis[2] - fz * 12.0)
    front_edge = (back[0] + fx * CHAIR_SEAT_DEPTH, seat_y, back[2] + fz * CHAIR_SEAT_DEPTH)
    lines: list[tuple[Vec, Vec]] = []
    for w in (-20.0, 20.0):
        b = (back[0] + lx * w, seat_y, back[2] + lz * w)
        f = (front_edge[0] + lx * w, seat_y, front_edge[2] + lz * w)
        lines += [(b, f), (b, (b[0], 0.0, b[2])), (f, (f[0], 0.0, f[2])), (b, (b[0], seat_y + 45.0, b[2]))]
    top_l = (back[0] - lx * 20.0, seat_y + 45.0, back[2] - lz * 20.0)
    top_r = (back[0] + lx * 20.0, seat_y + 45.0, back[2] + lz * 20.0)
    lines.append((top_l, top_r))
    front_l = (front_edge[0] - lx * 20.0, seat_y, front_edge[2] - lz * 20.0)
    front_r = (front_edge[0] + lx * 20.0, seat_y, front_edge[2] + lz * 20.0)
    lines.append((front_l, front_r))
    return lines


ON_A_MAT = {Orientation.LYING, Orientation.SIDE_LYING, Orientation.SEATED_FLOOR, Orientation.QUADRUPED}


def drawing(figure: Figure, side: str | None = None) -> Drawing:
    """The figure as two projected panels; `side` ("left"/"right") mirrors it so the
    working leg is that leg (a figure for both legs is not mirrored)."""
    sign = -1.0 if _mirrors(figure, side) else 1.0
    work = working_legs(figure)
    start_body, end_body = solve(figure)

    def flat(p: Vec) -> tuple[tuple[float, float], float]:
        x, y, z = project(figure.view, p)
        return (sign * x, y), z

    floor = _floor(start_body.joints["pelvis"], flat)
    mat = _mat(start_body.joints, flat) if figure.orientation in ON_A_MAT else ()
    panels = []
    for body_now in (start_body, end_body):
        joints = body_now.joints
        strokes: list[Stroke] = []
        dots: list[Dot] = []

        def line(p: Vec, q: Vec, layer: str, width: float, into: list[Stroke] = strokes) -> None:
            (a, za), (b, zb) = flat(p), flat(q)
            into.append(Stroke(a, b, (za + zb) / 2, layer, width))

        for first, second, part in SEGMENTS:
            line(joints[first], joints[second], "work" if part in work else "body",
                 TRUNK_W if part == "trunk" else LIMB_W)  # fmt: skip
        centre, depth = flat(joints["head"])
        dots.append(Dot(centre, HEAD_R, depth, "head"))
        line(joints["head"], joints["nose"], "nose", 4.5)
        if "ball" in joints:
            centre, depth = flat(joints["ball"])
            dots.append(Dot(centre, BALL_R * 1.3, depth - 0.01, "ball"))
        if figure.band_at is not None:
            point = {BandAt.THIGHS: "knee", BandAt.KNEES: "knee", BandAt.ANKLES: "ankle", BandAt.FEET: "toe"}
            name = point[figure.band_at]
            left, right = joints["l_" + name], joints["r_" + name]
            if figure.band_at is BandAt.THIGHS:
                left = _add(_scale(left, 0.8), _scale(joints["l_hip"], 0.2))
                right = _add(_scale(right, 0.8), _scale(joints["r_hip"], 0.2))
            line(left, right, "band", 3.0)
        if figure.anchor is not None:
            leg = "r_" if figure.working is not Working.LEFT else "l_"
            first_pose = start_body.joints
            lateral = _sub(first_pose[leg + "hip"], first_pose["pelvis"])
            out = _unit((lateral[0], 0.0, lateral[2]))
            reach = ANCHOR_REACH if figure.anchor is Anchor.OUTSIDE else -ANCHOR_REACH - 2 * HIP_HALF
            post = _add(first_pose[leg + "ankle"], _scale(out, reach))
            line((post[0], 0.0, post[2]), (post[0], post[1] + 10.0, post[2]), "prop", 5.0)
            line(post, joints[leg + "ankle"], "band", 3.0)
        if Prop.CHAIR in figure.props:
            front = _sub(_add(joints["l_knee"], joints["r_knee"]), _add(joints["l_hip"], joints["r_hip"]))
            for p, q in _chair(joints["pelvis"], _unit((front[0], 0.0, front[2]))):
                line(p, q, "prop", 3.0)
        panels.append(Panel(tuple(strokes), tuple(dots), floor, mat))
    # Both panels line up on the lowest point drawn in either, centred across both, so
    # nothing drops out of the picture; the scale is the same for every figure.
    seen = [p for panel in panels for s in panel.strokes for p in (s.a, s.b)]
    seen += [(c.centre[0] + k * c.r, c.centre[1] + k * c.r) for panel in panels for c in panel.dots for k in (-1, 1)]
    middle = (min(x for x, _ in seen) + max(x for x, _ in seen)) / 2  # centred across both poses
    anchor = (middle, min(y for _, y in seen) - LIMB_W)
    moving = _moving(figure, start_body, end_body, flat)
    ghost: list[Stroke] = []
    arrow = None
    if moving is not None:
        limb, name = moving
        for first, second, part in SEGMENTS:
            if part == limb:
                (a, za), (b, zb) = flat(start_body.joints[first]), flat(start_body.joints[second])
                ghost.append(Stroke(a, b, (za + zb) / 2, "ghost", LIMB_W))
        arrow = (flat(start_body.joints[name])[0], flat(end_body.joints[name])[0])
    return Drawing(panels[0], panels[1], tuple(ghost), arrow, anchor, working_label(figure, side))


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _unit(a: Vec) -> Vec:
    n = math.sqrt(a[0] ** 2 + a[1] ** 2 + a[2] ** 2) or 1.0
    return (a[0] / n, a[1] / n, a[2] / n)


def _floor(under: Vec, flat: Flatten) -> tuple[tuple[float, float], ...]:
    """The same square of floor under every figure (220 x 160 cm round the pelvis), projected."""
    x, _, z = under
    corners = [(x - 110, 0.0, z + 80), (x + 110, 0.0, z + 80), (x + 110, 0.0, z - 80), (x - 110, 0.0, z - 80)]
    return tuple(flat(c)[0] for c in corners)


def _mat(joints: dict[str, Vec], flat: Flatten) -> tuple[tuple[float, float], ...]:
    """A mat on the floor along the body, from behind the head to past the feet."""
    along = _sub(joints["neck"], joints["pelvis"])
    u = _unit((along[0], 0.0, along[2]))
    if abs(u[0]) + abs(u[2]) < 1e-6:  # upright on the floor: lay the mat front to back
        knees = _sub(_add(joints["l_knee"], joints["r_knee"]), _scale(joints["pelvis"], 2.0))
        u = _scale(_unit((knees[0], 0.0, knees[2])), -1.0)
    across = (-u[2], 0.0, u[0])
    centre = _add(joints["pelvis"], _scale(u, 10.0))
    length, width = MAT
    corners = []
    for a, b in ((1, 1), (1, -1), (-1, -1), (-1, 1)):
        p = _add(_add(centre, _scale(u, a * length / 2)), _scale(across, b * width / 2))
        corners.append(flat((p[0], 0.0, p[2]))[0])
    return tuple(corners)


def _moving(figure: Figure, start: Body, end: Body, flat: Flatten) -> tuple[str, str] | None:
    """(limb, joint) that the arrow follows: the working leg's knee or foot, or the pelvis,
    whichever travels furthest on screen; else whatever moves most."""
    legs = ["r", "l"] if figure.working is Working.BOTH else [figure.working.value[0]]
    owner = {"l": "left", "r": "right"}

    def travel(name: str) -> float:
        return math.dist(flat(start.joints[name])[0], flat(end.joints[name])[0])

    preferred = [(f"{owner[leg]}-leg", f"{leg}_{joint}") for leg in legs for joint in ("ankle", "knee")]
    preferred.append(("trunk", "pelvis"))
    best = max(preferred, key=lambda c: travel(c[1]))
    if travel(best[1]) >= 10.0:
        return best
    others = [(f"{owner[s]}-{limb}", f"{s}_{joint}") for s in ("l", "r")
              for limb, joint in (("leg", "ankle"), ("leg", "knee"), ("arm", "hand"), ("trunk", "hip"))]  # fmt: skip
    others = [("trunk", name) if limb.endswith("trunk") else (limb, name) for limb, name in others]
    best = max(others, key=lambda c: travel(c[1]))
    return best if travel(best[1]) >= 4.0 else None


# --- SVG ---------------------------------------------------------------------------------

COLOURS = {
    "body": "#343a40",
    "work": "#e8590c",
    "ghost": "#f4b183",
    "head": "#343a40",
    "nose": "#343a40",
    "prop": "#8d6e63",
    "band": "#2f9e44",
    "ball": "#f08c00",
    "arrow": "#1c7ed6",
    "floor": "#f1f3f5",
    "floor-edge": "#ced4da",
    "mat": "#a5d8ff",
    "text": "#212529",
}


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _rank(layer: str) -> int:
    """Props under the body that uses them, the band over it."""
    return {"ghost": 0, "prop": 1, "ball": 1, "band": 3, "nose": 3}.get(layer, 2)


def render_svg(figure: Figure, side: str | None = None, title: str | None = None, scale: float = 1.6) -> str:
    """The figure as a standalone SVG document: the start and the end pose side by side at
    one scale, an arrow at the part that moves, the working side named underneath."""
    d = drawing(figure, side)
    # One scale: every figure is the same width, so it is drawn at the same size per
    # centimetre wherever it is shown at a fixed width; only empty sky above is left out.
    ys = [p[1] for panel in (d.start, d.end) for s in panel.strokes for p in (s.a, s.b)]
    ys += [c.centre[1] + c.r for panel in (d.start, d.end) for c in panel.dots]
    ys += [p[1] + 24.0 for p in d.arrow or ()]  # the arrow bows up to this far above its ends
    top = min(max(0.0, FLOOR_Y - (max(ys) - d.anchor[1]) - 20.0), FLOOR_Y - 60.0)
    width, height = 2 * PANEL_W + GAP, PANEL_H + CAPTION - top
    label = title or figure.exercise
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {_fmt(top)} {_fmt(width)} {_fmt(height)}" '
        f'width="{_fmt(width * scale)}" height="{_fmt(height * scale)}" role="img" '
        f'aria-label="{_escape(label)}: start and end, {_escape(d.label)}">',
        f"<title>{_escape(label)}</title>",
    ]
    for n, (panel, caption) in enumerate(((d.start, "Start"), (d.end, "End"))):
        ox = n * (PANEL_W + GAP)
        out.append(f'<g class="panel" transform="translate({_fmt(ox)},0)">')
        out += _svg_panel(panel, d, with_ghost=n == 1)
        out.append(f'<text x="4" y="{_fmt(top + 14)}" font-family="sans-serif" font-size="12" '
                   f'fill="{COLOURS["text"]}">{caption}</text>')  # fmt: skip
        out.append("</g>")
    out.append(f'<text x="{_fmt(width / 2)}" y="{_fmt(PANEL_H + 17)}" text-anchor="middle" '
               f'font-family="sans-serif" font-size="15" font-weight="bold" fill="{COLOURS["work"]}">'
               f"{_escape(d.label)}</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_panel(panel: Panel, d: Drawing, with_ghost: bool) -> list[str]:
    ax, ay = d.anchor

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return PANEL_W / 2 + p[0] - ax, FLOOR_Y - (p[1] - ay)

    def pt(p: tuple[float, float]) -> str:
        x, y = at(p)
        return f"{_fmt(x)},{_fmt(y)}"

    def shape(points: Sequence[tuple[float, float]]) -> str:
        return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in _clip([at(p) for p in points], PANEL_W, PANEL_H))

    out = [f'<polygon points="{shape(panel.floor)}" fill="{COLOURS["floor"]}" '
           f'stroke="{COLOURS["floor-edge"]}" stroke-width="1"/>']  # fmt: skip
    if panel.mat:
        out.append(f'<polygon points="{shape(panel.mat)}" fill="{COLOURS["mat"]}"/>')
    out.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    items: list[tuple[int, float, str]] = []
    strokes = panel.strokes + (d.ghost if with_ghost else ())
    for s in strokes:
        a, b = pt(s.a).split(","), pt(s.b).split(",")
        items.append((_rank(s.layer), s.depth, f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" '
                      f'stroke="{COLOURS[s.layer]}" stroke-width="{_fmt(s.width)}"/>'))  # fmt: skip
    for dot in panel.dots:
        c = pt(dot.centre).split(",")
        items.append((_rank(dot.layer), dot.depth + (0.02 if dot.layer == "head" else 0.0),
                      f'<circle cx="{c[0]}" cy="{c[1]}" r="{_fmt(dot.r)}" fill="{COLOURS[dot.layer]}"/>'))  # fmt: skip
    out += [text for _, _, text in sorted(items, key=lambda t: (t[0], t[1]))]
    out.append("</g>")
    if with_ghost and d.arrow is not None:
        out += _svg_arrow(d.arrow, pt)
    return out


def _clip(points: list[tuple[float, float]], width: float, height: float) -> list[tuple[float, float]]:
    """A convex polygon cut to the panel's rectangle (Sutherland-Hodgman), so a floor or a
    mat never reaches into the next panel."""
    edges: list[Callable[[tuple[float, float]], float]] = [
        lambda p: p[0], lambda p: width - p[0], lambda p: p[1], lambda p: height - p[1]
    ]  # how far inside each edge a point is
    for inside in edges:
        if not points:
            break
        kept: list[tuple[float, float]] = []
        for i, here in enumerate(points):
            before = points[i - 1]
            a, b = inside(before), inside(here)
            if (a >= 0) != (b >= 0):
                t = a / (a - b)
                kept.append((before[0] + (here[0] - before[0]) * t, before[1] + (here[1] - before[1]) * t))
            if b >= 0:
                kept.append(here)
        points = kept
    return points


def _svg_arrow(
    arrow: tuple[tuple[float, float], tuple[float, float]], pt: Callable[[tuple[float, float]], str]
) -> list[str]:
    """One bold arrow bowed beside the moving part, from where it starts to where it ends."""
    (ax, ay), (bx, by) = arrow
    length = math.hypot(bx - ax, by - ay) or 1.0
    nx, ny = -(by - ay) / length, (bx - ax) / length
    if ny < 0:  # bow upward, away from the floor
        nx, ny = -nx, -ny
    bow = min(0.3 * length, 18.0) + 6.0
    ctrl = ((ax + bx) / 2 + nx * bow, (ay + by) / 2 + ny * bow)
    start, end = _toward((ax, ay), ctrl, 6.0), _toward((bx, by), ctrl, 10.0)
    tx, ty = end[0] - ctrl[0], end[1] - ctrl[1]
    tn = math.hypot(tx, ty) or 1.0
    tx, ty = tx / tn, ty / tn
    head = [
        (end[0] + tx * 11, end[1] + ty * 11),
        (end[0] - ty * 7, end[1] + tx * 7),
        (end[0] + ty * 7, end[1] - tx * 7),
    ]
    colour = COLOURS["arrow"]
    return [
        f'<path d="M{pt(start)} Q{pt(ctrl)} {pt(end)}" fill="none" stroke="{colour}" stroke-width="4.5" '
        f'stroke-linecap="round"/>',
        f'<polygon points="{" ".join(pt(p) for p in head)}" fill="{colour}"/>',
    ]


def _toward(a: tuple[float, float], b: tuple[float, float], by: float) -> tuple[float, float]:
    n = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    k = min(by / n, 0.4)
    return a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- terminal cells (braille) --------------------------------------------------------------

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col] in a cell
# What a cell shows when several layers touch it: the most telling wins.
_CELL_MARK = {"floor": "f", "prop": "p", "band": "p", "ball": "p", "body": "b", "head": "b", "nose": "b",
              "work": "w", "ghost": "s"}  # fmt: skip


class Cells(NamedTuple):
    """A pose as text: `rows` of braille characters and, cell for cell, `marks` saying
    what each shows: ' ' nothing, 'f' floor, 'p' prop, 'b' body, 'w' the working leg."""

    rows: tuple[str, ...]
    marks: tuple[str, ...]


def render_pair(figure: Figure, width: int = 38, height: int = 11, side: str | None = None) -> tuple[Cells, Cells]:
    """The start and the end pose, each in `width` x `height` terminal cells of braille
    (2 x 4 dots a cell), at one scale, standing on one floor line; through the figure's
    `terminal_view` when it has one."""
    if figure.terminal_view is not None:
        figure = figure._replace(view=figure.terminal_view)
    d = drawing(figure, side)
    panels = (d.start, d.end)
    xs = [p[0] for panel in panels for s in panel.strokes for p in (s.a, s.b)]
    ys = [p[1] for panel in panels for s in panel.strokes for p in (s.a, s.b)]
    xs += [c.centre[0] + k * c.r for panel in panels for c in panel.dots for k in (-1, 1)]
    ys += [c.centre[1] + k * c.r for panel in panels for c in panel.dots for k in (-1, 1)]
    low = min(ys)
    x0, x1, y1 = min(xs) - 4, max(xs) + 4, max(ys) + 2
    dots_w, dots_h = width * 2, height * 4
    k = min((dots_w - 1) / (x1 - x0), (dots_h - 1) / (y1 - low))
    off = ((dots_w - 1 - (x1 - x0) * k) / 2, dots_h - 2 - (y1 - low) * k)  # centred, standing on the floor
    return _cells(d.start, x0, y1, k, off, width, height), _cells(d.end, x0, y1, k, off, width, height)


_RANK_MARK = " fspbw"  # a mark's rank is its index: the most telling wins a dot or a cell


def _cells(panel: Panel, x0: float, y1: float, k: float, off: tuple[float, float], width: int, height: int) -> Cells:
    dots_w, dots_h = width * 2, height * 4
    grid: dict[int, int] = {}  # a rank per dot drawn, keyed y * dots_w + x
    ox, oy = off

    def plot(x: float, y: float, rank: int) -> None:
        ix, iy = round(x), round(y)
        if 0 <= ix < dots_w and 0 <= iy < dots_h:
            key = iy * dots_w + ix
            if rank >= grid.get(key, 0):
                grid[key] = rank

    def segment(a: tuple[float, float], b: tuple[float, float], rank: int, thick: bool) -> None:
        ax, ay = ox + (a[0] - x0) * k, oy + (y1 - a[1]) * k
        bx, by = ox + (b[0] - x0) * k, oy + (y1 - b[1]) * k
        steps = max(1, math.ceil(max(abs(bx - ax), abs(by - ay))))
        dx, dy = (bx - ax) / steps, (by - ay) / steps
        # The end pose two dots thick, so limbs read as limbs.
        passes = ((ax, ay), (ax + dy * 0.8, ay - dx * 0.8)) if thick else ((ax, ay),)
        get = grid.get
        for sx, sy in passes:
            for i in range(steps + 1):
                ix, iy = round(sx + dx * i), round(sy + dy * i)
                if 0 <= ix < dots_w and 0 <= iy < dots_h:
                    key = iy * dots_w + ix
                    if rank >= get(key, 0):
                        grid[key] = rank

    floor = _RANK_MARK.index("f")
    grid.update(dict.fromkeys(range((dots_h - 1) * dots_w, dots_h * dots_w), floor))  # the floor along the bottom
    for s in panel.strokes:
        segment(s.a, s.b, _RANK_MARK.index(_CELL_MARK[s.layer]), thick=s.layer in ("body", "work"))
    for dot in panel.dots:
        cx, cy = ox + (dot.centre[0] - x0) * k, oy + (y1 - dot.centre[1]) * k
        r, rank = max(1.0, dot.r * k), _RANK_MARK.index(_CELL_MARK[dot.layer])
        for cos, sin in _CIRCLE:
            plot(cx + r * cos, cy + r * sin, rank)
    bits: dict[tuple[int, int], int] = {}
    best: dict[tuple[int, int], int] = {}
    for key, rank in grid.items():
        y, x = divmod(key, dots_w)
        cell = (x >> 1, y >> 2)
        bits[cell] = bits.get(cell, 0) | _BRAILLE_BITS[y & 3][x & 1]
        if rank > best.get(cell, 0):
            best[cell] = rank
    blank = " " * width
    rows, marks = [blank] * height, [blank] * height
    for cy in {cell[1] for cell in bits}:
        rows[cy] = "".join(chr(0x2800 + bits[(cx, cy)]) if (cx, cy) in bits else " " for cx in range(width))
        marks[cy] = "".join(_RANK_MARK[best.get((cx, cy), 0)] for cx in range(width))
    return Cells(tuple(rows), tuple(marks))


_CIRCLE = tuple((math.cos(2 * math.pi * i / 20), math.sin(2 * math.pi * i / 20)) for i in range(20))


def render_cells(figure: Figure, width: int = 78, height: int = 11, side: str | None = None) -> Cells:
    """Start and end side by side in `width` x `height` cells (two poses and a 2-cell gap)."""
    half = (width - 2) // 2
    start, end = render_pair(figure, half, height, side)
    gap = " " * (width - 2 * half)
    rows = tuple(a + gap + b for a, b in zip(start.rows, end.rows, strict=True))
    marks = tuple(a + gap + b for a, b in zip(start.marks, end.marks, strict=True))
    return Cells(rows, marks)


def render_all(figures: Iterable[Figure]) -> list[str]:
    """Every figure's SVG (the benchmark's unit of work)."""
    return [render_svg(f) for f in figures]
