"""A figure as a Rich renderable: the start and end poses in braille, side by side, styled per cell."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from hiprot.figures import Cells, Figure, render_pair, working_label

# What each cell mark looks like; with NO_COLOR only the shapes remain.
STYLES = {"f": "grey50", "s": "grey62", "p": "green", "b": "bold", "w": "bold dark_orange"}
POSE_MIN, POSE_MAX, HEIGHT, GAP = 36, 44, 11, 2


def pose_width(width: int) -> int:
    """How many columns each pose gets in a terminal `width` columns wide."""
    return max(POSE_MIN, min(POSE_MAX, (width - GAP) // 2))


class FigureView:
    """A figure's start and end pose side by side (each at least 36 columns), with a line
    under them naming each and the working side."""

    def __init__(self, start: Cells, end: Cells, label: str) -> None:
        self.start, self.end, self.label = start, end, label
        self.pose = len(start.rows[0]) if start.rows else POSE_MIN
        self.width = 2 * self.pose + GAP
        blank = 0
        while blank < len(start.rows) and not (start.rows[blank] + end.rows[blank]).strip():
            blank += 1
        self.blank = blank  # a lying figure is wide and short: its empty top rows are not printed
        self.rows = len(start.rows) - blank + 1  # the lines it prints, the key included

    @classmethod
    def of(cls, figure: Figure, side: str | None = None, width: int = 80, height: int = HEIGHT) -> FigureView:
        """Draw `figure` for a terminal `width` columns wide."""
        start, end = render_pair(figure, pose_width(width), height, side)
        return cls(start, end, working_label(figure, side))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = list(zip(self.start.rows, self.start.marks, self.end.rows, self.end.marks, strict=True))
        for left, left_marks, right, right_marks in rows[self.blank :]:
            line = Text(no_wrap=True, overflow="crop")
            for row, marks in ((left, left_marks), (right, right_marks)):
                start = 0
                for end in range(1, len(row) + 1):  # one styled run per stretch of one mark
                    if end == len(row) or marks[end] != marks[start]:
                        line.append(row[start:end], style=STYLES.get(marks[start], ""))
                        start = end
                if row is left:
                    line.append(" " * GAP)
            yield line
        key = Text(no_wrap=True, overflow="crop")
        key.append("Start".ljust(self.pose + GAP), style="dim")
        key.append("End", style="dim")
        key.append(f"  · orange: {self.label}", style="dark_orange")
        yield key
