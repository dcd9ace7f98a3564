"""report/figure.py: the start and end poses in braille, side by side, as a Rich renderable."""

from __future__ import annotations

import io

from rich.console import Console

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures
from hiprot.report.figure import FigureView, pose_width


def _render(view: FigureView, color: bool, width: int = 80) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color)
    console.print(view)
    return out.getvalue()


def test_two_poses_of_at_least_36_columns_with_a_key(bundled: Catalogue) -> None:
    figure = load_figures(exercises=bundled.by_id)["clamshell"]
    view = FigureView.of(figure, "left", width=80)
    lines = _render(view, color=False).splitlines()
    assert view.pose >= 36 and len(view.start.rows[0]) == len(view.end.rows[0]) == view.pose
    assert 2 < len(lines) <= 12 and all(len(line) <= 80 for line in lines)
    assert lines[-1].startswith("Start") and "End" in lines[-1] and lines[-1].endswith("orange: left leg")
    assert lines[-1].index("End") == view.pose + 2  # each name under its pose
    assert all(line[view.pose : view.pose + 2] == "  " for line in lines[:-1])  # the gap between them


def test_pose_width_keeps_at_least_36_and_at_most_44_columns() -> None:
    assert pose_width(76) == 37 and pose_width(80) == 39 and pose_width(200) == 44 and pose_width(40) == 36


def test_the_working_leg_is_coloured_when_colour_is_on(bundled: Catalogue) -> None:
    figure = load_figures(exercises=bundled.by_id)["clamshell"]
    coloured = _render(FigureView.of(figure), color=True)
    assert "\x1b[" in coloured and "\x1b[" not in _render(FigureView.of(figure), color=False)
