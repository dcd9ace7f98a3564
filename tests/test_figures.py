"""figures.py: forward kinematics, the view, mirroring, SVG and braille output."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from hiprot.figures import (
    FOOT,
    LIMB_HALF,
    SHIN,
    THIGH,
    Anchor,
    Arm,
    BandAt,
    Figure,
    Leg,
    Orientation,
    Pose,
    Prop,
    View,
    Working,
    body,
    drawing,
    pose_joints,
    render_cells,
    render_svg,
)


def figure(start: Pose, end: Pose, orientation: Orientation = Orientation.STANDING, **kw) -> Figure:
    kw.setdefault("view", View())
    kw.setdefault("working", Working.RIGHT)
    return Figure(exercise="test-drill", orientation=orientation, start=start, end=end, **kw)


LIFT = Pose(right=Leg(hip_flexion=90, knee_flexion=90))
LIFT_IR = Pose(right=Leg(hip_flexion=90, knee_flexion=90, rotation=40))


def test_a_neutral_standing_body_stands_on_the_floor() -> None:
    joints = body(figure(Pose(), Pose()), "start").joints
    assert joints["l_ankle"][1] == pytest.approx(LIMB_HALF)
    assert joints["pelvis"][1] == pytest.approx(THIGH + SHIN + LIMB_HALF)
    assert joints["neck"][1] > joints["pelvis"][1]


def test_hip_flexion_brings_the_knee_forward_to_hip_height() -> None:
    joints = pose_joints(LIFT, Orientation.STANDING)
    # Upright bodies face +x in the room.
    assert joints["r_knee"][0] == pytest.approx(THIGH)
    assert joints["r_knee"][1] == pytest.approx(0.0, abs=1e-9)
    assert joints["r_ankle"][1] == pytest.approx(-SHIN)


def test_internal_rotation_swings_the_foot_out_and_external_in() -> None:
    """Hip and knee at 90: turning the thigh in moves the foot away from the midline."""
    neutral = pose_joints(LIFT, Orientation.STANDING)
    inward = pose_joints(LIFT_IR, Orientation.STANDING)
    outward = pose_joints(Pose(right=Leg(hip_flexion=90, knee_flexion=90, rotation=-40)), Orientation.STANDING)
    # The person's right is +z in the room (toward the camera of the side view).
    assert inward["r_ankle"][2] > neutral["r_ankle"][2] > outward["r_ankle"][2]
    assert inward["r_knee"] == pytest.approx(neutral["r_knee"])  # the thigh turns about itself
    left = pose_joints(Pose(left=Leg(hip_flexion=90, knee_flexion=90, rotation=40)), Orientation.STANDING)
    assert left["l_ankle"][2] < pose_joints(Pose(left=Leg(hip_flexion=90, knee_flexion=90)), Orientation.STANDING)["l_ankle"][2]


def test_abduction_carries_the_knee_away_from_the_midline() -> None:
    joints = pose_joints(Pose(right=Leg(abduction=30), left=Leg(abduction=30)), Orientation.STANDING)
    assert joints["r_knee"][2] > joints["r_hip"][2] and joints["l_knee"][2] < joints["l_hip"][2]


def test_lying_orientations_put_the_trunk_on_the_floor() -> None:
    for orientation in (Orientation.LYING, Orientation.SIDE_LYING):
        joints = body(figure(Pose(), Pose(), orientation), "start").joints
        assert abs(joints["neck"][1] - joints["pelvis"][1]) < 1e-6, orientation
        assert joints["pelvis"][1] < 25, orientation


def test_quadruped_hands_and_knees_reach_the_floor_when_the_shoulders_rise() -> None:
    leg = Leg(hip_flexion=73, knee_flexion=90, plantar_flexion=90)
    pose = Pose(pitch=-17, left=leg, right=leg, left_arm=Arm(flexion=73), right_arm=Arm(flexion=73))
    joints = body(figure(pose, pose, Orientation.QUADRUPED), "start").joints
    for name in ("l_hand", "r_hand", "l_knee", "r_knee"):
        assert joints[name][1] < 8, name


def test_a_chair_holds_the_pelvis_at_seat_height() -> None:
    seated = Pose(left=Leg(hip_flexion=90, knee_flexion=90), right=Leg(hip_flexion=90, knee_flexion=90))
    lifted = Pose(left=Leg(hip_flexion=90, knee_flexion=90), right=Leg(hip_flexion=90, knee_flexion=90, rotation=40))
    f = figure(seated, lifted, Orientation.SEATED_CHAIR, props=frozenset({Prop.CHAIR}))
    start, end = body(f, "start").joints, body(f, "end").joints
    assert start["pelvis"][1] == end["pelvis"][1]
    assert start["r_ankle"][1] == pytest.approx(3.0)  # the chair's seat is a shin and a bit high
    assert end["r_ankle"][1] > start["r_ankle"][1]


def test_a_release_ball_sits_under_the_lower_hip_and_lifts_it() -> None:
    f = figure(Pose(), Pose(roll=10), Orientation.SIDE_LYING, working=Working.LEFT, props=frozenset({Prop.BALL}))
    joints = body(f, "start").joints
    assert joints["ball"][1] < joints["l_hip"][1] and joints["ball"][1] > 0


def _svg(f: Figure, **kw) -> ET.Element:
    return ET.fromstring(render_svg(f, **kw))


def test_svg_is_one_standalone_document_with_title_floor_and_arrow() -> None:
    text = render_svg(figure(LIFT, LIFT_IR), title="Lift & <turn>")
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "Lift & <turn>"
    assert "href" not in text and "<script" not in text and "url(" not in text
    assert root.find(f"{ns}polygon") is not None  # the floor
    assert root.find(f"{ns}path") is not None  # the arrow
    colours = {el.get("stroke") for el in root.iter(f"{ns}line")}
    assert {"#e8590c", "#f7c6a3", "#343a40", "#c9ccd1"} <= colours  # working leg and body, end and start


def test_the_arrow_follows_the_foot_that_moves() -> None:
    d = drawing(figure(LIFT, LIFT_IR, view=View(yaw=90)))
    assert d.arrow is not None
    start, end = d.arrow
    joints_start = body(figure(LIFT, LIFT_IR), "start").joints
    assert math.dist(start, end) > 10 and joints_start["r_ankle"]  # moved, on screen


def test_no_arrow_when_nothing_moves() -> None:
    assert drawing(figure(LIFT, LIFT)).arrow is None
    assert "<path" not in render_svg(figure(LIFT, LIFT))


def test_side_mirrors_the_drawing_for_the_other_leg() -> None:
    f = figure(LIFT, LIFT_IR, view=View(yaw=60, pitch=20))
    plain, same, other = drawing(f), drawing(f, "right"), drawing(f, "left")
    assert plain == same
    assert [(-s.a[0], s.a[1]) for s in plain.strokes] == [s.a for s in other.strokes]
    assert render_svg(f, side="left") != render_svg(f, side="right")
    both = figure(LIFT, LIFT_IR, working=Working.BOTH)
    assert drawing(both, "left") == drawing(both, "right")  # both legs work: nothing to mirror


def test_loop_band_and_long_band_are_drawn() -> None:
    looped = figure(LIFT, LIFT_IR, props=frozenset({Prop.LOOP_BAND}), band_at=BandAt.ANKLES)
    tied = figure(LIFT, LIFT_IR, props=frozenset({Prop.BAND}), anchor=Anchor.OUTSIDE)
    plain = figure(LIFT, LIFT_IR)
    assert sum(s.layer == "band" for s in drawing(looped).strokes) == 1
    assert sum(s.layer == "band" for s in drawing(tied).strokes) == 1
    assert any(s.layer == "prop" for s in drawing(tied).strokes)  # the anchor post
    assert not any(s.layer in ("band", "prop") for s in drawing(plain).strokes)


def test_cells_are_braille_rows_of_the_asked_size_with_marks() -> None:
    cells = render_cells(figure(LIFT, LIFT_IR, view=View(yaw=90)), width=24, height=10)
    assert len(cells.rows) == len(cells.marks) == 10
    assert all(len(row) == 24 for row in cells.rows) and all(len(m) == 24 for m in cells.marks)
    assert all(ch == " " or 0x2800 < ord(ch) <= 0x28FF for row in cells.rows for ch in row)
    marks = "".join(cells.marks)
    assert {"w", "b", "s", "f"} <= set(marks)
    for row, mark_row in zip(cells.rows, cells.marks):
        assert all((ch == " ") == (m == " ") for ch, m in zip(row, mark_row))


def test_cells_mirror_with_the_side() -> None:
    f = figure(LIFT, LIFT_IR, view=View(yaw=60, pitch=20))
    assert render_cells(f, side="left") != render_cells(f, side="right")


def test_foot_points_forward_when_standing() -> None:
    joints = pose_joints(Pose(), Orientation.STANDING)
    assert joints["r_toe"][0] - joints["r_ankle"][0] == pytest.approx(FOOT)
