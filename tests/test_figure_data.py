"""The bundled figures (data/figures.yaml) against the bundled catalogue."""

from __future__ import annotations

import pytest
import yaml

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import figures_path, load_figures
from hiprot.figures import (
    BALL_R,
    CHAIR_SEAT,
    LIMB_HALF,
    SHIN,
    THIGH,
    TRUNK,
    Figure,
    Orientation,
    Prop,
    Working,
    body,
    drawing,
    render_cells,
    render_svg,
)
from hiprot.models import Position


@pytest.fixture(scope="module")
def figures(bundled: Catalogue) -> dict[str, Figure]:
    return load_figures(exercises=bundled.by_id)


def test_every_exercise_has_exactly_one_figure(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    raw = yaml.safe_load(figures_path().read_text(encoding="utf-8"))["figures"]
    assert sorted(raw) == sorted(ex.id for ex in bundled.exercises) == sorted(figures)
    text = figures_path().read_text(encoding="utf-8")
    for ex in bundled.exercises:  # a repeated key would silently replace the first figure
        assert text.count(f"\n  {ex.id}:\n") == 1, ex.id


def test_every_figure_differs_from_every_other(figures: dict[str, Figure]) -> None:
    # The same title for all, so only the drawing can make two SVGs differ.
    svgs = {render_svg(f, title="figure") for f in figures.values()}
    assert len(svgs) == len(figures)
    cells = {render_cells(f).rows for f in figures.values()}
    assert len(cells) == len(figures)


def test_props_are_the_exercise_equipment(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    for ex in bundled.exercises:
        assert {p.value for p in figures[ex.id].props} == {e.value for e in ex.equipment}, ex.id


def _near_floor(height: float, slack: float = 4.0) -> bool:
    return height <= LIMB_HALF + slack


def test_lying_drills_lie_on_the_floor(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    lying = [ex for ex in bundled.exercises if ex.position in (Position.LYING, Position.SIDE_LYING)]
    assert len(lying) >= 8
    for ex in lying:
        f = figures[ex.id]
        lift = 2 * BALL_R + 3 if Prop.BALL in f.props else 0  # lying on a release ball
        for which in ("start", "end"):
            joints = body(f, which).joints
            # Head end of the trunk on the floor in both poses (a bridge lifts only the hips).
            assert joints["neck"][1] < 25 + lift, (ex.id, which)
            if which == "start" and f.props == frozenset():
                assert joints["pelvis"][1] < 25 and abs(joints["neck"][1] - joints["pelvis"][1]) < 8, ex.id


def test_standing_drills_stand_on_the_floor(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    standing = [ex for ex in bundled.exercises if ex.position is Position.STANDING]
    for ex in standing:
        for which in ("start", "end"):
            joints = body(figures[ex.id], which).joints
            feet = min(joints[n][1] for n in ("l_ankle", "r_ankle", "l_toe", "r_toe"))
            assert _near_floor(feet), (ex.id, which)
            assert joints["pelvis"][1] > 0.5 * (THIGH + SHIN), (ex.id, which)  # a deep lateral lunge at the lowest
            assert joints["neck"][1] > joints["pelvis"][1] or which == "end", (ex.id, which)


def test_seated_drills_sit(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    seated = [ex for ex in bundled.exercises if ex.position is Position.SEATED]
    assert len(seated) >= 5
    for ex in seated:
        f = figures[ex.id]
        for which in ("start", "end"):
            joints = body(f, which).joints
            assert joints["neck"][1] - joints["pelvis"][1] > 0.8 * TRUNK, (ex.id, which)  # trunk upright
            if f.orientation is Orientation.SEATED_CHAIR:
                assert joints["pelvis"][1] == pytest.approx(CHAIR_SEAT), ex.id
            else:
                assert joints["pelvis"][1] < 15, (ex.id, which)  # on the floor, not standing


def test_squats_and_all_fours_keep_their_supports_down(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    for ex in bundled.exercises:
        f = figures[ex.id]
        joints = body(f, "start").joints
        if ex.position is Position.SQUAT:
            assert all(_near_floor(min(joints[s + "ankle"][1], joints[s + "toe"][1])) for s in ("l_", "r_")), ex.id
            assert 10 < joints["pelvis"][1] < 0.5 * (THIGH + SHIN), ex.id
        if ex.position is Position.QUADRUPED:
            for name in ("l_hand", "r_hand", "l_knee", "r_knee"):
                assert _near_floor(joints[name][1]), (ex.id, name)


def test_the_working_leg_is_the_one_that_moves(bundled: Catalogue, figures: dict[str, Figure]) -> None:
    """Unless both legs work or the whole body moves, the highlighted leg is the moving one."""
    for ex in bundled.exercises:
        f = figures[ex.id]
        if f.working is Working.BOTH:
            continue
        start, end = body(f, "start").joints, body(f, "end").joints
        travel = {
            side: sum(abs(a - b) for n in ("knee", "ankle") for a, b in zip(start[side + n], end[side + n]))
            for side in ("l_", "r_")
        }
        mine, other = (("l_", "r_") if f.working is Working.LEFT else ("r_", "l_"))
        still = f.start.pitch == f.end.pitch and f.start.roll == f.end.roll and f.start.trunk_twist == f.end.trunk_twist
        if still and travel[other] < 1:
            assert travel[mine] > 5, ex.id


def test_every_figure_has_an_arrow(figures: dict[str, Figure]) -> None:
    for f in figures.values():
        assert drawing(f).arrow is not None, f.exercise
