"""The live screen of a guided session (Rich): an event sink that redraws a `rich.live.Live`.

It redraws only when the engine sends an event: at most 4 ticks a second, plus one per
phase change, rep beat, countdown second or key. The big number is the one that
matters: the rep under way in a reps set, the seconds left otherwise (so the last three
seconds of a hold or a rest show 3, 2, 1). Before the session it shows the ready screen
(`Waiting`, then `Starting`). Catalogue text only ever goes in as `Text`, never as markup.

    with LiveView(routine) as view:
        outcome = run_session(routine, keys=keys, on_event=fan_out(view, bell))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from hiprot.models import Phase, Routine
from hiprot.report.plain import KEYS_HELP, KEYS_HINT, next_words, phase_words, side_in_play, side_steps
from hiprot.session import (
    Countdown,
    Event,
    HelpToggled,
    Paused,
    PhaseStarted,
    Rep,
    Resumed,
    Starting,
    Tick,
    Waiting,
)
from hiprot.text import clock, cues_for, item_cautions
from hiprot.timeline import timeline

if TYPE_CHECKING:
    from hiprot.figures import Figure
    from hiprot.report.figure import FigureView

CUE_SECONDS = 6  # each cue stays up for two reps before the next one
PAUSED_BANNER = " PAUSED · press space to resume "

# A 3x5 pixel font for the countdown, drawn two columns per pixel with half blocks, so
# that each digit is 6 columns wide and 3 lines tall ("12:34" takes 34 columns).
_FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
_HALVES = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def big_digits(text: str) -> list[str]:
    """`text` (digits and colons) in the block font: three lines of equal width."""
    lines = ["", "", ""]
    for n, char in enumerate(text):
        rows = [*_FONT[char], " " * len(_FONT[char][0])]
        for line in range(3):
            top, bottom = rows[2 * line], rows[2 * line + 1]
            cells = "".join(_HALVES[(t == "#", b == "#")] * 2 for t, b in zip(top, bottom, strict=True))
            lines[line] += ("  " if n else "") + cells
    return lines


def big_seconds(seconds: float) -> str:
    """Seconds left for the big digits: '45' under a minute ('3', '2', '1' at the end), else '2:05'."""
    whole = math.ceil(seconds - 1e-9)
    return str(max(0, whole)) if whole < 60 else clock(seconds, up=True)


class LiveView:
    """Exercise n of m, the phase in words, a big countdown, the cue, what is next, progress."""

    def __init__(
        self,
        routine: Routine,
        console: Console | None = None,
        *,
        screen: bool = True,
        timed: Sequence[Phase] | None = None,
        figures: Mapping[str, Figure] | None = None,
    ) -> None:
        self.routine = routine
        self.figures = figures or {}  # by exercise id: drawn above the steps or cue when there is room
        self.drawn: dict[tuple[str, str | None, int, int], FigureView] = {}
        self.phases = list(timed) if timed is not None else timeline(routine)
        self.planned = sum(p.seconds for p in self.phases)
        self.console = console if console is not None else Console()
        self.live = Live(
            Text(),
            console=self.console,
            screen=screen,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
            vertical_overflow="crop",
        )
        self.index = 0
        self.elapsed = 0.0
        self.phase_remaining = float(self.phases[0].seconds) if self.phases else 0.0
        self.total_remaining = float(self.planned)
        self.rep: int | None = None
        self.paused = False
        self.help = False
        self.ready: int | None = None  # the ready screen: 0 waiting for a key, else seconds to the start

    def __enter__(self) -> Self:
        self.live.start(refresh=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.live.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Waiting | Starting):
            self.ready = event.seconds if isinstance(event, Starting) else 0
        elif isinstance(event, PhaseStarted):
            self.ready = None
            phase = event.phase
            self.index, self.elapsed = event.index, event.elapsed
            self.phase_remaining, self.total_remaining = float(phase.seconds), event.total_remaining
            self.rep = 1 if phase.kind == "reps" else None
        elif isinstance(event, Tick):
            self.index, self.elapsed, self.rep = event.index, event.elapsed, event.rep
            self.phase_remaining, self.total_remaining = event.phase_remaining, event.total_remaining
        elif isinstance(event, Rep):
            self.index, self.elapsed, self.rep = event.index, event.elapsed, event.rep
        elif isinstance(event, Countdown):
            self.index, self.elapsed = event.index, event.elapsed
            self.phase_remaining = float(event.number)
        elif isinstance(event, Paused | Resumed):
            self.paused = isinstance(event, Paused)
            self.elapsed = event.elapsed
        elif isinstance(event, HelpToggled):
            self.help = event.shown
        else:
            return  # Skipped and Back are followed by PhaseStarted; Finished ends the view
        self.live.update(self.render(), refresh=True)

    # -- building the screen

    def render(self) -> RenderableType:
        """The whole screen for the current state, fitted to the console's size."""
        width, height = self.console.size
        if not self.phases:
            return Text("Nothing to do: the routine is empty.")
        if self.ready is not None:
            return self._ready(width, height)
        phase = self.phases[self.index]

        words = Text(phase_words(phase, self.routine, self.rep, self.phase_remaining, self.phases), style="bold cyan")
        # The rep count is what matters in a set, the seconds left in anything else.
        number = str(self.rep or 1) if phase.kind == "reps" else big_seconds(self.phase_remaining)
        digits = Text("\n".join(big_digits(number)), style="dim" if self.paused else "bold")
        banner = Text(PAUSED_BANNER, style="bold reverse") if self.paused else Text()
        upper: list[RenderableType] = [
            self._header(phase.item, phase.round), words, Text(), Align.center(digits), Align.center(banner),
        ]  # fmt: skip
        lower: list[RenderableType] = [
            *self._caution(phase.item, width),
            Text(next_words(self.phases, self.index, self.routine), style="dim", overflow="ellipsis", no_wrap=True),
            self._progress(),
            Text(KEYS_HINT, style="dim", overflow="ellipsis", no_wrap=True),
        ]
        used = 1 + len(words.wrap(self.console, width)) + 1 + 3 + 1 + len(lower)
        body = self._body(phase.kind, width, height - used)
        return Group(*upper, body, *lower)

    def _caution(self, item: int, width: int) -> list[RenderableType]:
        """The exercise's cautions, one at a time, for as long as it lasts (two lines at most)."""
        cautions = item_cautions(self.routine, self.routine.items[item].exercise).shown
        if not cautions:
            return [Text()]
        caution = cautions[int(self.elapsed // CUE_SECONDS) % len(cautions)]
        text = Text("Caution: ", style="bold yellow")
        text.append(caution, style="yellow")
        lines = list(text.wrap(self.console, width))
        if len(lines) > 2:
            lines = lines[:2]
            lines[-1].truncate(width - 1)
            lines[-1].append("…")
        return [Text(), *lines]

    def _header(self, item: int, round_: int = 1) -> Table:
        """'Exercise 2 of 5 · Clamshell' (or 'Last exercise · ...') and the position."""
        ex = self.routine.items[item].exercise
        count = len(self.routine.items)
        header = Table.grid(expand=True)
        header.add_column(overflow="ellipsis", no_wrap=True, ratio=1)
        header.add_column(justify="right", no_wrap=True)
        last = count > 1 and item == count - 1 and round_ == self.routine.rounds
        lead = "Last exercise" if last else f"Exercise {item + 1} of {count}"
        title = Text(f"{lead} · ", style="dim")
        title.append(ex.name, style="bold")
        where = ex.position.value
        if self.routine.rounds > 1:
            where = f"round {round_} of {self.routine.rounds} · {where}"
        header.add_row(title, Text(where, style="dim"))
        return header

    def _ready(self, width: int, height: int) -> RenderableType:
        """Before the start: the first exercise, its position and steps, what you need, the keys."""
        first = self.routine.items[0].exercise
        need = sorted({e.value for item in self.routine.items for e in item.exercise.equipment})
        lines: list[RenderableType] = [self._header(0)]
        if self.ready:
            lines += [
                Text(f"Starting in {self.ready} s · space or Enter starts now", style="bold cyan"),
                Text(),
                Align.center(Text("\n".join(big_digits(str(self.ready))), style="bold")),
            ]
        else:
            lines += [Text("Ready? Press space or Enter to start (a 10 s countdown).", style="bold cyan"), Text()]
        lines.append(Text("You need: " + (", ".join(need) if need else "nothing but a mat or soft surface"),
                          overflow="fold"))  # fmt: skip
        minutes = clock(self.planned)
        count = len(self.routine.items)
        lines.append(Text(f"{count} exercise{'s' if count != 1 else ''}, {minutes} in all", style="dim"))
        lines.append(Text())
        lower = [Text("space/Enter start · q quit · in the session: " + KEYS_HINT, style="dim", overflow="fold")]
        used = sum(len(line.wrap(self.console, width)) if isinstance(line, Text) else 3 for line in lines) + 2
        steps = side_steps(first, None)
        room = max(0, height - used)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for number, step in enumerate(steps, 1):
            need_lines = len(Text(step).wrap(self.console, max(1, width - 3)))
            if need_lines > room:
                break
            grid.add_row(f"{number}.", Text(step))
            room -= need_lines
        return Group(*lines, grid, *lower)

    def _progress(self) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True, justify="right")
        done = self.planned - self.total_remaining
        counts = f"{clock(int(self.elapsed))} done · {clock(self.total_remaining, up=True)} left"
        grid.add_row(ProgressBar(total=max(self.planned, 1), completed=done), Text(counts))
        return grid

    def _body(self, kind: str, width: int, room: int) -> RenderableType:
        """The keys (when asked), the steps while getting into position, else a cue."""
        ex = self.routine.items[self.phases[self.index].item].exercise
        if self.help:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, justify="right")
            grid.add_column(overflow="fold")
            for key, what in KEYS_HELP[: max(0, room)]:
                grid.add_row(key, what)
            return grid
        # Steps and cues are side templates, worded for the side on the timer.
        side = side_in_play(self.phases[self.index], self.routine, self.phases)
        if kind == "setup":
            # The figure goes above the steps when it leaves room for two lines of them.
            figure = self._figure(ex.id, side.value if side else None, width, room - 2)
            used = figure.rows if figure is not None else 0
            steps = self._steps(side_steps(ex, side.value if side else None), width, room - used)
            return steps if figure is None else Group(figure, steps)
        if not ex.cues or room < 1:
            return Text()
        cues = cues_for(ex, side)
        cue = cues[int(self.elapsed // CUE_SECONDS) % len(cues)]
        text = Text("Cue: ", style="bold")
        text.append(cue, style="italic")
        lines = text.wrap(self.console, width)
        # During the work the cue comes first; the figure only where the screen has room to spare.
        figure = self._figure(ex.id, side.value if side else None, width, room - len(lines))
        cue_text = Text("\n").join(lines[:room])
        return cue_text if figure is None else Group(figure, cue_text)

    def _figure(self, exercise: str, side: str | None, width: int, room: int) -> FigureView | None:
        """The exercise's start and end pose in at most `room` lines, or None when it has no
        figure or there is no room for one worth reading (5 lines and 76 columns)."""
        figure = self.figures.get(exercise)
        if figure is None or room < 5 or width < 76:
            return None
        from hiprot.report.figure import HEIGHT, FigureView

        height = min(HEIGHT, room - 1)  # and a line for the key
        key = (exercise, side, width, height)
        if key not in self.drawn:
            self.drawn[key] = FigureView.of(figure, side, width, height)
        view = self.drawn[key]
        return view if view.rows <= room else None

    def _steps(self, steps: tuple[str, ...], width: int, room: int) -> RenderableType:
        """The steps after the first (which the phase line gives), as many as fit."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for number, step in enumerate(steps[1:], 2):
            need = len(Text(step).wrap(self.console, max(1, width - 3)))
            if need > room:
                break
            grid.add_row(f"{number}.", Text(step))
            room -= need
        return grid
