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
    figure_data,
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


# --- constraints -----------------------------------------------------------------------------

SEATED_KNEES_UP = Leg(hip_flexion=130, knee_flexion=95, abduction=10)


def test_a_foot_pinned_to_its_start_stays_while_the_knee_falls() -> None:
    start = Pose(right=SEATED_KNEES_UP, pins=(("r_ankle", "floor"),))
    fallen = Pose(right=SEATED_KNEES_UP._replace(abduction=-30), pins=(("r_ankle", "start"),))
    f = figure(start, fallen, Orientation.SEATED_FLOOR)
    s, e = body(f, "start").joints, body(f, "end").joints
    assert math.dist(s["r_ankle"], e["r_ankle"]) < 1e-6 and s["r_ankle"][1] == pytest.approx(LIMB_HALF, abs=0.5)
    assert e["r_knee"][1] < s["r_knee"][1] - 5  # the knee sinks
    for joints in (s, e):  # the bones keep their lengths
        assert math.dist(joints["r_hip"], joints["r_knee"]) == pytest.approx(THIGH)
        assert math.dist(joints["r_knee"], joints["r_ankle"]) == pytest.approx(SHIN)
    unpinned = figure(start, fallen._replace(pins=()), Orientation.SEATED_FLOOR)
    assert math.dist(body(unpinned, "end").joints["r_ankle"], s["r_ankle"]) > 10  # what the pin prevents


def test_an_ankle_pinned_to_a_knee_rests_on_it() -> None:
    crossed = Pose(right=Leg(hip_flexion=45, knee_flexion=90), left=Leg(hip_flexion=75, knee_flexion=100, rotation=-60),
                   pins=(("l_ankle", "r_knee"),))  # fmt: skip
    joints = body(figure(crossed, crossed, Orientation.LYING), "start").joints
    assert math.dist(joints["l_ankle"], joints["r_knee"]) == pytest.approx(2 * LIMB_HALF, abs=0.01)


def test_contact_points_decide_the_height_and_stay_keeps_a_point() -> None:
    lift = Pose(right=Leg(hip_flexion=90, knee_flexion=90))
    # The stance foot decides the height, whatever the lifted leg does: no jump.
    f = figure(Pose(), lift._replace(stay="l_ankle"))
    assert body(f, "start").joints["l_ankle"] == pytest.approx(body(f, "end").joints["l_ankle"])
    bridge_top = Pose(pitch=-25, stay="neck")
    g = figure(Pose(), bridge_top, Orientation.LYING)
    s, e = body(g, "start").joints, body(g, "end").joints
    assert e["neck"] == pytest.approx(s["neck"]) and e["pelvis"][1] > s["pelvis"][1] + 15


def test_figure_data_is_centimetres_z_up_with_the_public_joint_names() -> None:
    data = figure_data(figure(LIFT, LIFT_IR))
    names = {"head", "neck", "pelvis"} | {f"{s}_{j}" for s in ("left", "right")
                                          for j in ("hip", "knee", "ankle", "toe", "shoulder", "elbow", "hand")}  # fmt: skip
    assert data["working"] == "right"
    start = data["start"]["joints"]  # type: ignore[index]
    assert set(start) == names
    assert start["left_ankle"][2] == pytest.approx(LIMB_HALF) and start["head"][2] > 150  # z up, floor at 0
    mirrored = figure_data(figure(LIFT, LIFT_IR), side="left")
    assert mirrored["working"] == "left"
    assert mirrored["start"]["joints"]["left_knee"][2] == start["right_knee"][2]  # type: ignore[index]
    assert mirrored["start"]["joints"]["left_knee"][0] == -start["right_knee"][0]  # type: ignore[index]


def _svg(f: Figure, **kw) -> ET.Element:
    return ET.fromstring(render_svg(f, **kw))


def test_svg_is_one_standalone_document_with_title_floor_and_arrow() -> None:
    text = render_svg(figure(LIFT, LIFT_IR), title="Lift & <turn>")
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "Lift & <turn>"
    assert "href" not in text and "<script" not in text and "url(" not in text
    assert root.find(f"{ns}g/{ns}polygon") is not None  # the floor
    assert len(root.findall(f".//{ns}path")) == 1  # one arrow
    colours = {el.get("stroke") for el in root.iter(f"{ns}line")}
    assert {"#e8590c", "#343a40", "#f4b183"} <= colours  # the working leg, the body, the moving limb's start
    panels = root.findall(f"{ns}g[@class='panel']")
    assert len(panels) == 2 and text.count("<svg ") == 1  # start and end side by side, one document
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert texts == ["Start", "End", "right leg"]
    assert "right leg" in render_svg(figure(LIFT, LIFT_IR), side="right")
    assert "left leg" in render_svg(figure(LIFT, LIFT_IR), side="left")


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
    assert [(-s.a[0], s.a[1]) for s in plain.end.strokes] == [s.a for s in other.end.strokes]
    assert render_svg(f, side="left") != render_svg(f, side="right")
    both = figure(LIFT, LIFT_IR, working=Working.BOTH)
    assert drawing(both, "left") == drawing(both, "right")  # both legs work: nothing to mirror


def test_loop_band_and_long_band_are_drawn() -> None:
    looped = figure(LIFT, LIFT_IR, props=frozenset({Prop.LOOP_BAND}), band_at=BandAt.ANKLES)
    tied = figure(LIFT, LIFT_IR, props=frozenset({Prop.BAND}), anchor=Anchor.OUTSIDE)
    plain = figure(LIFT, LIFT_IR)
    for panel in ("start", "end"):
        assert sum(s.layer == "band" for s in getattr(drawing(looped), panel).strokes) == 1
        assert sum(s.layer == "band" for s in getattr(drawing(tied), panel).strokes) == 1
        assert any(s.layer == "prop" for s in getattr(drawing(tied), panel).strokes)  # the anchor post
        assert not any(s.layer in ("band", "prop") for s in getattr(drawing(plain), panel).strokes)


def test_cells_are_braille_rows_of_the_asked_size_with_marks() -> None:
    cells = render_cells(figure(LIFT, LIFT_IR, view=View(yaw=90)), width=50, height=10)
    assert len(cells.rows) == len(cells.marks) == 10
    assert all(len(row) == 50 for row in cells.rows) and all(len(m) == 50 for m in cells.marks)
    assert all(ch == " " or 0x2800 < ord(ch) <= 0x28FF for row in cells.rows for ch in row)
    marks = "".join(cells.marks)
    assert {"w", "b", "f"} <= set(marks)
    assert all(row[24:26] == "  " for row in cells.rows)  # two poses, a gap between them
    for row, mark_row in zip(cells.rows, cells.marks):
        assert all((ch == " ") == (m == " ") for ch, m in zip(row, mark_row))


def test_cells_mirror_with_the_side() -> None:
    f = figure(LIFT, LIFT_IR, view=View(yaw=60, pitch=20))
    assert render_cells(f, side="left") != render_cells(f, side="right")


def test_foot_points_forward_when_standing() -> None:
    joints = pose_joints(Pose(), Orientation.STANDING)
    assert joints["r_toe"][0] - joints["r_ankle"][0] == pytest.approx(FOOT)


# --- two-bone IK: bones keep their lengths; a reachable target is reached ----------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hiprot.figures import _reach  # noqa: E402

coord = st.floats(min_value=-80, max_value=80, allow_nan=False)
point = st.tuples(coord, coord, coord)


@given(root=point, mid=point, target=point)
def test_reach_keeps_both_bones_and_reaches_what_it_can(root, mid, target) -> None:
    knee, ankle = _reach(root, mid, target, THIGH, SHIN)
    assert math.dist(root, knee) == pytest.approx(THIGH, abs=1e-6)
    assert math.dist(knee, ankle) == pytest.approx(SHIN, abs=1e-6)
    if 1e-3 < math.dist(root, target) < THIGH + SHIN - 1e-3:
        assert math.dist(ankle, target) == pytest.approx(0.0, abs=1e-6)
    elif math.dist(root, target) >= THIGH + SHIN:  # out of reach: the leg points straight at it
        assert math.dist(root, ankle) == pytest.approx(THIGH + SHIN, abs=1e-3)


def test_a_terminal_view_changes_the_cells_not_the_svg() -> None:
    lying = figure(Pose(left=Leg(hip_flexion=45, knee_flexion=90), right=Leg(hip_flexion=45, knee_flexion=90)),
                   Pose(left=Leg(hip_flexion=45, knee_flexion=90), right=Leg(hip_flexion=45, knee_flexion=90,
                                                                             abduction=30)),
                   Orientation.SIDE_LYING)  # fmt: skip
    from_feet = lying._replace(terminal_view=View(yaw=-90, pitch=20))
    assert render_svg(lying) == render_svg(from_feet)
    assert render_cells(lying) != render_cells(from_feet)
