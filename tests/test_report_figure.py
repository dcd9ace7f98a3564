"""report/figure.py: the braille figure as a Rich renderable."""

from __future__ import annotations

import io

from rich.console import Console

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures
from hiprot.report.figure import FigureView


def _render(view: FigureView, color: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=60, color_system="standard" if color else None, force_terminal=color)
    console.print(view)
    return out.getvalue()


def test_the_view_is_its_width_and_height_with_a_key(bundled: Catalogue) -> None:
    figure = load_figures(exercises=bundled.by_id)["clamshell"]
    view = FigureView(figure, width=26, height=9)
    lines = _render(view, color=False).splitlines()
    drawn = [row for row in view.cells.rows if row.strip()]
    assert 2 < len(drawn) < 9  # a lying figure leaves rows blank, and they are trimmed
    assert len(lines) == len(drawn) + 1 and lines[-1].startswith("dotted: start; solid: end")
    assert all(len(line) <= 26 for line in lines[:-1])


def test_the_working_leg_is_coloured_when_colour_is_on(bundled: Catalogue) -> None:
    figure = load_figures(exercises=bundled.by_id)["clamshell"]
    coloured = _render(FigureView(figure), color=True)
    assert "\x1b[" in coloured and "\x1b[" not in _render(FigureView(figure), color=False)
