"""catalogue/figures.py: strict loading of figures, every problem with file, line and exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures, parse_figures
from hiprot.errors import CatalogueError
from hiprot.figures import Anchor, BandAt, Leg, Orientation, Prop, View, Working

GOOD = """\
version: 1
figures:
  clamshell:
    orientation: side-lying
    view: {yaw: 0, pitch: 40}
    working: right
    start:
      left: {hip_flexion: 45, knee_flexion: 90}
      right: {hip_flexion: 45, knee_flexion: 90}
    end:
      left: {hip_flexion: 45, knee_flexion: 90}
      right: {hip_flexion: 45, knee_flexion: 90, abduction: 35}
"""


def test_a_good_file_loads() -> None:
    figures, problems = parse_figures(GOOD, "f.yaml")
    assert problems == []
    f = figures["clamshell"]
    assert f.orientation is Orientation.SIDE_LYING and f.working is Working.RIGHT
    assert f.view == View(yaw=0, pitch=40)
    assert f.end.right == Leg(hip_flexion=45, knee_flexion=90, abduction=35)
    assert f.props == frozenset()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      right: {hip_flexion: 45, knee_flexion: 90, abduction: 35}",
         "      right: {hip_flexion: 45, knee_flexion: 90, abduction: 135}",
         "f.yaml:12: exercise 'clamshell': 'end.right.abduction' is 135 degrees, outside -40 to 100"),
        ("    working: right", "    working: right\n    colour: red",
         "f.yaml:7: exercise 'clamshell': unknown key 'colour'"),
        ("    end:\n", "    end:\n      wiggle: 3\n", "f.yaml:11: exercise 'clamshell': unknown key 'wiggle' in 'end'"),
        ("      right: {hip_flexion: 45, knee_flexion: 90, abduction: 35}",
         "      right: {hip_flexion: 45, knee: 90}", "f.yaml:12: exercise 'clamshell': unknown key 'knee' in 'end.right'"),
        ("orientation: side-lying", "orientation: upside-down", "f.yaml:4: exercise 'clamshell': 'orientation' must be one of"),
        ("working: right", "working: middle", "f.yaml:6: exercise 'clamshell': 'working' must be one of"),
        ("{yaw: 0, pitch: 40}", "{yaw: 0, pitch: 120}", "f.yaml:5: exercise 'clamshell': 'view.pitch' is 120 degrees"),
        ("knee_flexion: 90, abduction: 35}", "knee_flexion: yes, abduction: 35}",
         "f.yaml:12: exercise 'clamshell': 'end.right.knee_flexion' must be a number of degrees, found True"),
        ("version: 1", "version: 2", "f.yaml:1: 'version' must be 1, found 2"),
        ("    working: right\n", "", "f.yaml:3: exercise 'clamshell': missing 'working'"),
        ("    working: right", "    working: right\n    props: [mat]", "'props' must be one of chair, ball, band, loop-band, found 'mat'"),
        ("    working: right", "    working: right\n    props: [loop-band]", "a loop-band needs 'band_at'"),
        ("    working: right", "    working: right\n    props: [band]", "a band needs 'anchor'"),
        ("    working: right", "    working: right\n    anchor: inside", "'anchor' ties a band, but props has none"),
    ],
)  # fmt: skip
def test_each_problem_names_file_line_and_exercise(old: str, new: str, message: str) -> None:
    assert old in GOOD
    _, problems = parse_figures(GOOD.replace(old, new, 1), "f.yaml")
    assert any(p.startswith(message) or message in p for p in problems), problems


def test_yaml_syntax_and_python_tags_are_refused_with_a_place(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOOD.replace("working: right", "working: [right"), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"broken\.yaml:\d+:\d+: "):
        load_figures(broken)
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text(GOOD.replace("working: right", "working: !!python/object/apply:os.system ['true']"))
    with pytest.raises(CatalogueError, match="tags that build objects are refused"):
        load_figures(tagged)


def test_against_a_catalogue_ids_position_and_equipment_are_checked(bundled: Catalogue, tmp_path: Path) -> None:
    text = GOOD.replace("  clamshell:", "  clamshel:")
    _, problems = parse_figures(text, "f.yaml", bundled.by_id)
    assert "f.yaml:3: exercise 'clamshel': no exercise has this id" in problems
    assert any("exercise 'clamshell' has no figure" in p for p in problems)
    _, problems = parse_figures(GOOD.replace("side-lying", "standing"), "f.yaml", {"clamshell": bundled.get("clamshell")})
    assert problems == ["f.yaml:3: exercise 'clamshell': orientation 'standing' does not draw position 'side-lying'"]
    gear = GOOD.replace("    working: right", "    working: right\n    props: [ball]")
    _, problems = parse_figures(gear, "f.yaml", {"clamshell": bundled.get("clamshell")})
    assert problems == ["f.yaml:3: exercise 'clamshell': props ['ball'] must be the exercise's equipment []"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(GOOD.replace("working: right", "working: up").replace("pitch: 40", "pitch: 99"), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_figures(path)
    assert len(caught.value.problems) == 2 and "2 problems in" in str(caught.value)


def test_band_placement_is_read() -> None:
    text = GOOD.replace("    working: right", "    working: right\n    props: [loop-band, band]\n"
                        "    band_at: feet\n    anchor: outside")  # fmt: skip
    figures, problems = parse_figures(text, "f.yaml")
    assert problems == []
    f = figures["clamshell"]
    assert f.props == frozenset({Prop.LOOP_BAND, Prop.BAND}) and f.band_at is BandAt.FEET and f.anchor is Anchor.OUTSIDE


# --- constraints: floor contacts, stay, pins --------------------------------------------------

PINNED = GOOD.replace(
    "      right: {hip_flexion: 45, knee_flexion: 90}\n    end:",
    "      right: {hip_flexion: 45, knee_flexion: 90}\n      pins: {right_ankle: left_ankle}\n"
    "      floor: [left_hip, left_shoulder]\n    end:",
).replace(
    "      right: {hip_flexion: 45, knee_flexion: 90, abduction: 35}",
    "      right: {hip_flexion: 45, knee_flexion: 90, abduction: 35}\n      stay: pelvis\n"
    "      pins: {right_ankle: left_ankle, left_hand: right_thigh}",
)


def test_constraints_load_with_the_renderers_joint_names() -> None:
    figures, problems = parse_figures(PINNED.replace("    working:", "    terminal_view: {yaw: -90}\n    working:"), "f.yaml")
    assert problems == []
    f = figures["clamshell"]
    assert f.terminal_view == View(yaw=-90) and figures["clamshell"].view == View(yaw=0, pitch=40)
    assert f.start.pins == (("r_ankle", "l_ankle"),) and f.start.floor == ("l_hip", "l_shoulder")
    assert f.end.stay == "pelvis" and f.end.pins == (("r_ankle", "l_ankle"), ("l_hand", "right_thigh"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("pins: {right_ankle: left_ankle}\n", "pins: {right_ankle: start}\n",
         "'start.pins.right_ankle' cannot stay where the start pose has it: use it in 'end'"),
        ("pins: {right_ankle: left_ankle}\n", "pins: {right_knee: floor}\n", "'start.pins' can place left_ankle"),
        ("pins: {right_ankle: left_ankle}\n", "pins: {right_ankle: moon}\n",
         "'start.pins.right_ankle' must be 'start', 'floor', a joint or left_shin"),
        ("pins: {right_ankle: left_ankle}\n", "pins: [right_ankle]\n", "'start.pins' must map a foot or hand"),
        ("floor: [left_hip, left_shoulder]", "floor: [left_hip, tail]", "'start.floor' must name joints"),
        ("      stay: pelvis", "      stay: nose", "'end.stay' must name joints"),
        ("      floor: [left_hip, left_shoulder]", "      stay: pelvis",
         "'stay' keeps a point of the end pose where it was at the start: use it in 'end'"),
    ],
)
def test_each_constraint_problem_names_file_line_and_exercise(old: str, new: str, message: str) -> None:
    assert old in PINNED
    _, problems = parse_figures(PINNED.replace(old, new), "f.yaml")
    assert len(problems) == 1, problems
    assert problems[0].startswith("f.yaml:") and "exercise 'clamshell'" in problems[0] and message in problems[0]
