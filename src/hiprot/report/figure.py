"""A figure as a Rich renderable: the braille cells of `hiprot.figures`, styled per cell."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from hiprot.figures import Cells, Figure, render_cells

# What each cell mark looks like; with NO_COLOR only the shapes remain.
STYLES = {"f": "grey50", "s": "grey62", "p": "green", "b": "bold", "w": "bold dark_orange"}
WIDTH, HEIGHT = 32, 14


class FigureView:
    """A figure drawn in WIDTH x HEIGHT cells, with a one-line key under it."""

    def __init__(self, figure: Figure, side: str | None = None, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.cells: Cells = render_cells(figure, width, height, side)
        self.width = width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = list(zip(self.cells.rows, self.cells.marks))
        while rows and not rows[0][0].strip():  # a lying figure is wide and short: no blank margin
            rows.pop(0)
        while rows and not rows[-1][0].strip():
            rows.pop()
        for row, marks in rows:
            line = Text(no_wrap=True, overflow="crop")
            for char, mark in zip(row, marks):
                line.append(char, style=STYLES.get(mark, ""))
            yield line
        yield Text("dotted: start; solid: end", style="dim", no_wrap=True, overflow="crop")
