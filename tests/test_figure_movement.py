"""Each figure shows the movement its steps describe, checked on the solved joints.

The rules below are read from the steps in data/exercises.yaml, not from figures.yaml:
what stays pinned, what moves and which way, what touches the floor or another body part,
and the hip and knee angles the steps name. They run on `figure_data` (the joints that
`show --format json` prints and the SVG is drawn from) for both sides: W is the working
leg (the steps' {side}), O the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures
from hiprot.figures import Figure, figure_data

P = tuple[float, float, float]
FLOOR = 8.0  # a joint centre this close to the floor touches it (limbs are drawn 6 cm thick)
STILL = 4.0  # a pinned point moves less than this (cm)
TOUCH = 12.0  # two limbs touch when their centres are this close (6 cm thick, plus soft tissue)
ANGLE = 15.0  # named angles within this many degrees


class Pose:
    """One solved pose for one side: joints by public name, W and O resolved."""

    def __init__(self, joints: dict[str, list[float]], working: str) -> None:
        self.joints = {name: (p[0], p[1], p[2]) for name, p in joints.items()}
        self.w = working if working != "both" else "right"
        self.o = "left" if self.w == "right" else "right"

    def __getitem__(self, name: str) -> P:
        return self.joints[name.replace("W_", f"{self.w}_").replace("O_", f"{self.o}_")]

    def z(self, name: str) -> float:
        return self[name][2]

    def dist(self, a: str, b: str) -> float:
        return math.dist(self[a], self[b])

    def lateral(self, name: str) -> float:
        """How far out from the body's midline a point is, on its own side (cm)."""
        left, right = self.joints["left_hip"], self.joints["right_hip"]
        n = _unit(_sub(left, right))
        mid = tuple((a + b) / 2 for a, b in zip(left, right))
        out = _dot(_sub(self[name], mid), n)
        side = name.replace("W_", f"{self.w}_").replace("O_", f"{self.o}_")
        return out if side.startswith("left") else -out

    def angle(self, a: str, b: str, c: str) -> float:
        """The angle at b between b->a and b->c, in degrees."""
        u, v = _sub(self[a], self[b]), _sub(self[c], self[b])
        cos = _dot(u, v) / (math.hypot(*u) * math.hypot(*v))
        return math.degrees(math.acos(max(-1.0, min(1.0, cos))))

    def hip(self, side: str) -> float:
        """Hip flexion: 0 with the thigh in line with the trunk, 90 at a right angle."""
        return 180.0 - self.angle("neck", f"{side}_hip", f"{side}_knee")

    def knee(self, side: str) -> float:
        """Knee flexion: 0 straight."""
        return 180.0 - self.angle(f"{side}_hip", f"{side}_knee", f"{side}_ankle")

    def front(self) -> P:
        """Which way the chest faces (unit vector)."""
        across = _sub(self.joints["left_hip"], self.joints["right_hip"])
        up = _sub(self.joints["neck"], self.joints["pelvis"])
        return _unit(_cross(across, up))


def _sub(a: P | tuple[float, ...], b: P | tuple[float, ...]) -> P:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _dot(a: P, b: P) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: P, b: P) -> P:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: P) -> P:
    n = math.hypot(*a) or 1.0
    return (a[0] / n, a[1] / n, a[2] / n)


def moved(s: Pose, e: Pose, name: str) -> float:
    return math.dist(s[name], e[name])


def near(value: float, target: float) -> bool:
    return abs(value - target) <= ANGLE


def on_floor(p: Pose, *names: str) -> bool:
    return all(p.z(n) <= FLOOR for n in names)


def feet_down(p: Pose, side: str) -> bool:
    return on_floor(p, f"{side}_ankle") or on_floor(p, f"{side}_toe")


def back_down(p: Pose) -> bool:
    return p.z("pelvis") <= 12 and p.z("neck") <= 12


# --- the rules, one per exercise, from its steps ---------------------------------------------

Rule = Callable[[Pose, Pose], None]
RULES: dict[str, Rule] = {}


def rule(exercise: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        RULES[exercise] = check
        return check

    return register


@rule("standing-hip-internal-rotation")
def _standing_ir(s: Pose, e: Pose) -> None:
    for p in (s, e):  # stand on the other leg, the working knee at hip height, bent to a right angle
        assert feet_down(p, p.o) and p.z("W_ankle") > 20
        assert near(p.hip(p.w), 90) and near(p.knee(p.w), 90)
    assert moved(s, e, "O_ankle") < STILL
    assert s.lateral("W_knee") - e.lateral("W_knee") >= 10  # the knee travels back toward the midline
    # ... and the foot swings out to the side, past the knee
    assert e.lateral("W_ankle") - e.lateral("W_knee") >= 10
    assert e.lateral("W_ankle") - e.lateral("W_knee") > s.lateral("W_ankle") - s.lateral("W_knee") + 10


@rule("lying-hip-internal-rotation")
def _lying_ir(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert back_down(p)
        assert near(p.hip(p.w), 90) and near(p.knee(p.w), 90)
        assert p.knee(p.o) < ANGLE and on_floor(p, "O_ankle")  # the other leg long on the floor
    assert s.lateral("W_knee") - e.lateral("W_knee") >= 10  # the thigh rolls in, the knee toward the midline


@rule("seated-hip-internal-rotation-stretch")
def _seated_ir_stretch(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert p.z("pelvis") <= 12  # sitting on the floor
        assert feet_down(p, p.o) and feet_down(p, p.w)
        assert near(p.knee(p.o), 90)
        assert on_floor(p, "O_hand")  # the other hand on the floor behind
        assert p.dist("W_hand", "W_knee") < 18  # the free hand rests on the thigh above the knee
    assert near(s.knee(s.w), 90)
    assert moved(s, e, "W_ankle") < STILL and moved(s, e, "W_toe") < STILL  # keeping that foot in place
    assert s.z("W_knee") - e.z("W_knee") >= 8  # the knee sinks toward the floor
    assert s.lateral("W_knee") - e.lateral("W_knee") >= 8  # ... inward


@rule("twisted-legs-stretch")
def _twisted(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert p.z("pelvis") <= 12 and on_floor(p, "left_hand", "right_hand")  # hands behind, propping
    assert feet_down(s, s.w) and feet_down(s, s.o) and near(s.knee(s.w), 90) and near(s.knee(s.o), 90)
    # Both knees fall to the other side: the working knee inward, the other outward, both lower.
    assert s.lateral("W_knee") - e.lateral("W_knee") >= 10
    assert e.lateral("O_knee") - s.lateral("O_knee") >= 10
    assert s.z("W_knee") - e.z("W_knee") >= 8 and s.z("O_knee") - e.z("O_knee") >= 8
    assert moved(s, e, "W_ankle") < STILL  # the working foot stays on the floor
    assert e.dist("O_ankle", "W_knee") < TOUCH  # the other foot rests on the working knee


@rule("lying-hip-internal-rotation-stretch")
def _lying_ir_stretch(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert back_down(p)  # the lower back stays flat on the floor
        assert feet_down(p, p.w) and p.knee(p.w) > 45  # knee bent, sole on the floor
        assert p.dist("O_ankle", "W_knee") < TOUCH  # the other ankle crossed over the working knee
    assert moved(s, e, "W_ankle") < STILL
    assert s.lateral("W_knee") - e.lateral("W_knee") >= 10  # the knee drawn inward
    assert s.z("W_knee") - e.z("W_knee") >= 5  # ... toward the floor


@rule("clamshell")
def _clamshell(s: Pose, e: Pose) -> None:
    for p in (s, e):
        for side in ("left", "right"):
            assert near(p.hip(side), 45) and near(p.knee(side), 90)
        assert p.dist("left_ankle", "right_ankle") < TOUCH  # keeping the heels touching
        assert on_floor(p, "O_knee", "O_ankle")  # the lower leg rests on the floor
    assert e.z("W_knee") - s.z("W_knee") >= 12  # the top knee rises
    assert moved(s, e, "pelvis") < STILL and moved(s, e, "O_knee") < STILL


@rule("hip-internal-rotation-lift-off")
def _lift_off(s: Pose, e: Pose) -> None:
    for p in (s, e):
        for side in ("left", "right"):
            assert near(p.hip(side), 90) and near(p.knee(side), 90)
        assert p.dist("left_knee", "right_knee") < TOUCH  # the knees pressed together
    assert moved(s, e, "W_knee") < STILL and moved(s, e, "O_ankle") < STILL
    assert e.z("W_ankle") - s.z("W_ankle") >= 10  # the top foot rises
    assert e.dist("W_ankle", "O_ankle") - s.dist("W_ankle", "O_ankle") >= 10  # away from the lower foot


@rule("banded-standing-external-rotation")
def _standing_er(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert feet_down(p, p.o) and near(p.hip(p.w), 90) and near(p.knee(p.w), 90)
    assert moved(s, e, "O_ankle") < STILL and moved(s, e, "W_knee") < STILL
    assert s.lateral("W_ankle") - e.lateral("W_ankle") >= 10  # the foot moves in across the body


@rule("active-supine-internal-rotation")
def _active_supine(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert back_down(p) and p.knee(p.o) < ANGLE and on_floor(p, "O_ankle")
        assert near(p.hip(p.w), 90) and near(p.knee(p.w), 90)
        assert p.z("W_knee") - p.z("W_hip") > 30  # thigh pointing up
    assert moved(s, e, "W_knee") < STILL  # keeping the thigh still
    assert e.lateral("W_ankle") - s.lateral("W_ankle") >= 10  # the foot swings out


@rule("single-leg-romanian-deadlift-with-reach")
def _rdl(s: Pose, e: Pose) -> None:
    assert feet_down(s, s.w) and feet_down(s, s.o)
    assert s.knee(s.w) < 30 and s.z("neck") > s.z("pelvis") + 40  # standing, knees a little bent
    assert feet_down(e, e.w) and moved(s, e, "W_ankle") < STILL  # on the working (standing) leg
    trunk = _sub(e["neck"], e["pelvis"])
    assert math.degrees(math.asin(abs(trunk[2]) / math.hypot(*trunk))) < 25  # trunk near level
    assert e.z("O_ankle") > 50  # the free leg rises behind
    # The opposite hand reaches down and across toward the standing foot.
    assert e.z("O_hand") < e.z("W_knee") + 15 and e.lateral("O_hand") < e.lateral("O_shoulder") - 10 and e.dist("O_hand", "W_ankle") < 50


@rule("squat-with-rotation")
def _squat_rotation(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert feet_down(p, "left") and feet_down(p, "right")  # heels flat
        assert p.hip(p.w) > 90 and p.knee(p.w) > 100 and p.z("pelvis") < 50  # a deep squat
        # The other hand rests on the working shin, between the knees.
        shin = tuple((a + b) / 2 for a, b in zip(p["W_knee"], p["W_ankle"]))
        assert math.dist(p["O_hand"], shin) < 20
    assert moved(s, e, "left_ankle") < STILL and moved(s, e, "right_ankle") < STILL
    assert e.z("W_hand") > e.z("W_shoulder") + 20  # the working arm sweeps up toward the ceiling
    # The chest turns to the working side: that shoulder goes back.
    ahead = _unit((s.front()[0], s.front()[1], 0.0))
    assert _dot(_sub(s["W_shoulder"], e["W_shoulder"]), ahead) >= 10


@rule("fire-hydrant")
def _fire_hydrant(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert on_floor(p, "left_hand", "right_hand", "O_knee")
        assert near(p.hip(p.o), 90) and near(p.knee(p.w), 90)
    assert on_floor(s, "W_knee")
    assert moved(s, e, "O_knee") < STILL and moved(s, e, "pelvis") < STILL  # without shifting the hips
    assert e.z("W_knee") - s.z("W_knee") >= 20 and e.lateral("W_knee") - s.lateral("W_knee") >= 20
    assert abs(e.z("W_knee") - e.z("W_hip")) < 15  # level with the back


@rule("lateral-lunge-to-single-leg-squat-reach-down")
def _lateral_lunge(s: Pose, e: Pose) -> None:
    # Start: the lunge, the working (leading) foot out to the side, its knee bent, the other straight.
    assert feet_down(s, s.w) and feet_down(s, s.o)
    assert s.dist("left_ankle", "right_ankle") > 70 and s.lateral("W_ankle") > 20
    assert s.knee(s.w) > 45 and s.knee(s.o) < 25
    # The opposite hand reaches down toward the leading foot.
    assert s.z("O_hand") < s.z("pelvis") - 10 and s.dist("O_hand", "W_ankle") < 50
    # End: a one-leg squat on the other leg, the free hand toward the standing foot.
    assert feet_down(e, e.o) and moved(s, e, "O_ankle") < STILL
    assert e.z("W_ankle") > 10 and e.knee(e.o) > 45
    assert e.z("W_hand") < e.z("pelvis") - 10 and e.dist("W_hand", "O_ankle") < 50


@rule("seated-hip-internal-rotation-legs-long")
def _legs_long(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert p.z("pelvis") <= 12 and p.knee(p.o) < ANGLE and on_floor(p, "O_ankle")
    assert s.knee(s.w) < ANGLE and on_floor(s, "W_ankle")  # both legs long at the start
    assert e.knee(e.w) > 120 and on_floor(e, "W_knee", "W_ankle")  # folded back, on the floor
    assert e.dist("W_ankle", "W_hip") < 30 and e.lateral("W_ankle") > e.lateral("W_hip")  # beside that hip


@rule("squatting-internal-rotation")
def _squatting_ir(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert feet_down(p, "left") and feet_down(p, "right") and p.z("pelvis") < 50
        assert p.dist("left_hand", "right_hand") < 10  # hands clasped
    assert s.hip(s.w) > 90 and s.knee(s.w) > 100
    assert moved(s, e, "W_ankle") < STILL and moved(s, e, "O_ankle") < STILL  # the feet stay down
    assert e.z("pelvis") >= s.z("pelvis") - 1  # rising slightly, not sinking
    assert s.z("W_knee") - e.z("W_knee") >= 8 and s.lateral("W_knee") - e.lateral("W_knee") >= 10


@rule("90-90-foot-lift")
def _ninety_ninety(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert p.z("pelvis") <= 12
        assert near(p.knee(p.w), 90) and near(p.knee(p.o), 90)
        assert on_floor(p, "left_knee", "right_knee", "O_ankle")
    assert on_floor(s, "W_ankle")
    assert moved(s, e, "W_knee") < STILL and moved(s, e, "O_ankle") < STILL
    assert e.z("W_ankle") - s.z("W_ankle") >= 8  # the back foot rises off the floor


@rule("seated-banded-internal-rotation")
def _seated_banded(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert 35 < p.z("pelvis") < 55 and feet_down(p, p.o)  # on a chair
        assert 5 < p.z("W_ankle") < 20  # the working foot held just off the floor
    assert moved(s, e, "W_knee") < STILL  # the thigh still
    assert e.lateral("W_ankle") - s.lateral("W_ankle") >= 10  # the foot swings out against the band


@rule("side-lying-banded-internal-rotation")
def _side_lying_banded(s: Pose, e: Pose) -> None:
    for p in (s, e):
        for side in ("left", "right"):
            assert near(p.hip(side), 90) and near(p.knee(side), 90)
        assert p.dist("left_knee", "right_knee") < TOUCH  # the top knee pressed onto the lower one
    assert moved(s, e, "W_knee") < STILL and moved(s, e, "O_ankle") < STILL
    assert e.z("W_ankle") - s.z("W_ankle") >= 10  # the foot rises against the band


@rule("lacrosse-ball-hip-release")
def _ball_release(s: Pose, e: Pose) -> None:
    for p in (s, e):  # lying on the working hip, on the ball
        assert p.z("W_hip") < p.z("O_hip") and p.z("W_hip") < 30
    assert s.front()[2] < -0.15  # turned a little toward face-down
    assert e.front()[2] - s.front()[2] >= 0.25  # then rolled toward the back


@rule("banded-bridge")
def _bridge(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert feet_down(p, "left") and feet_down(p, "right") and p.z("neck") <= 15  # shoulders down
        assert p.dist("left_knee", "right_knee") >= p.dist("left_hip", "right_hip")  # knees pressed out
    assert back_down(s) and s.knee("left") > 60 and s.knee("right") > 60
    assert moved(s, e, "left_ankle") < STILL and moved(s, e, "right_ankle") < STILL  # driving through the heels
    assert e.z("pelvis") - s.z("pelvis") >= 20  # the hips lift
    assert e.hip("left") < ANGLE and e.hip("right") < ANGLE  # shoulders, hips and knees in line


@rule("lateral-band-walk")
def _band_walk(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert feet_down(p, "left") and feet_down(p, "right")
        assert 5 < p.knee("left") < 45 and 5 < p.knee("right") < 45  # knees slightly bent
        assert p.dist("left_ankle", "right_ankle") > 12  # the feet never meet
    assert 12 < s.dist("left_ankle", "right_ankle") < 35  # hip-width
    assert moved(s, e, "O_ankle") < STILL
    assert e.lateral("W_ankle") - s.lateral("W_ankle") >= 8  # a small step out to the side


@rule("chair-banded-internal-rotation")
def _chair_banded(s: Pose, e: Pose) -> None:
    for p in (s, e):
        assert 35 < p.z("pelvis") < 55 and on_floor(p, "left_ankle", "right_ankle")
        assert near(p.knee("left"), 90) and near(p.knee("right"), 90)
        assert p.dist("left_knee", "right_knee") < TOUCH + 2  # the knees pressed together and kept there
    assert e.dist("left_ankle", "right_ankle") - s.dist("left_ankle", "right_ankle") >= 15  # feet glide apart


# --- running them ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(bundled: Catalogue) -> dict[str, Figure]:
    return load_figures(exercises=bundled.by_id)


def test_every_exercise_has_a_rule(bundled: Catalogue) -> None:
    assert sorted(RULES) == sorted(ex.id for ex in bundled.exercises)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("exercise", sorted(RULES))
def test_the_figure_shows_the_movement_its_steps_describe(
    figures: dict[str, Figure], bundled: Catalogue, exercise: str, side: str
) -> None:
    data = figure_data(figures[exercise], side)
    per_side = bundled.by_id[exercise].dosage.per_side
    working = str(data["working"])
    assert working == (side if per_side else "both")
    poses = [Pose(data[which]["joints"], working) for which in ("start", "end")]  # type: ignore[index]
    if working == "both":
        poses = [Pose(data[which]["joints"], side) for which in ("start", "end")]  # type: ignore[index]
    RULES[exercise](*poses)


def test_one_scale_a_standing_body_is_as_tall_in_every_figure(figures: dict[str, Figure]) -> None:
    """Measured on the drawing: from the head to the lowest point of an upright start pose."""
    from hiprot.figures import PANEL_H, PANEL_W, drawing, render_svg

    tall = {}
    for f in figures.values():
        joints = figure_data(f)["start"]["joints"]  # type: ignore[index]
        if joints["head"][2] > 150:  # standing upright
            panel = drawing(f).start
            head = next(d for d in panel.dots if d.layer == "head")
            low = min(p[1] for s in panel.strokes if s.layer in ("body", "work") for p in (s.a, s.b))
            tall[f.exercise] = head.centre[1] + head.r - low
        # One width for all (the height leaves out empty sky above), so one scale wherever shown.
        view_box = render_svg(f).split('viewBox="')[1].split('"')[0].split()
        assert float(view_box[2]) == PANEL_W * 2 + 8 and float(view_box[1]) + float(view_box[3]) == PANEL_H + 24
    assert len(tall) >= 4
    assert max(tall.values()) <= min(tall.values()) * 1.05, tall


def test_every_pose_fits_inside_its_panel(figures: dict[str, Figure]) -> None:
    """Nothing of the body is cut off by the panel's edge or the floor line (both sides)."""
    from hiprot.figures import FLOOR_Y, PANEL_H, PANEL_W, drawing

    for f in figures.values():
        for side in ("left", "right"):
            d = drawing(f, side)
            ax, ay = d.anchor
            for panel in (d.start, d.end):
                xs = [PANEL_W / 2 + p[0] - ax for s in panel.strokes for p in (s.a, s.b)]
                ys = [FLOOR_Y - (p[1] - ay) for s in panel.strokes for p in (s.a, s.b)]
                assert min(xs) >= 0 and max(xs) <= PANEL_W, (f.exercise, side, min(xs), max(xs))
                assert min(ys) >= 0 and max(ys) <= PANEL_H, (f.exercise, side, min(ys), max(ys))
