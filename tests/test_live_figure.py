"""The figure in `go`'s live view (issues 24 and 27): above the steps in set-up when the
screen has room, never at the cost of the steps' first lines, the cue or the controls."""

from __future__ import annotations

import pytest

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures
from hiprot.figures import Figure
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.report.live import LiveView
from tests.test_live import at, check_fits, console, screen


def _braille(line: str) -> int:
    return sum(0x2800 < ord(ch) <= 0x28FF for ch in line)


@pytest.fixture(scope="module")
def figures(bundled: Catalogue) -> dict[str, Figure]:
    return load_figures(exercises=bundled.by_id)


def _one(bundled: Catalogue, exercise: str, dose: Dose) -> Routine:
    return Routine(Request(goal=Goal.WARMUP), (Item(bundled.get(exercise), dose),))


def test_set_up_at_80_by_24_shows_start_and_end_above_the_steps(bundled, figures) -> None:
    routine = _one(bundled, "hip-internal-rotation-lift-off", Dose(1, True, reps=15))
    view = LiveView(routine, console(), screen=False, figures=figures)
    at(view, 0, 0)
    lines = screen(view)
    check_fits(lines)
    drawn = [n for n, line in enumerate(lines) if _braille(line)]
    assert len(drawn) >= 3
    key = lines[drawn[-1] + 1]
    # The set-up is for the left leg first (it says to lie on the right hip): so is the figure.
    assert key.startswith("Start") and key.rstrip().endswith("orange: left leg")
    steps = [n for n, line in enumerate(lines) if line.lstrip().startswith("2. ")]
    assert steps and steps[0] > drawn[-1]  # above the steps, and the steps still show
    assert any(_braille(line[:38]) and _braille(line[40:]) for line in lines)  # two poses side by side
    assert lines[-1].startswith("space pause")


def test_the_figure_follows_the_side_on_the_timer(bundled, figures) -> None:
    routine = _one(bundled, "clamshell", Dose(1, True, reps=10))
    view = LiveView(routine, console(), screen=False, figures=figures)
    keys = set()
    for index, phase in enumerate(view.phases):
        if phase.kind != "reps":  # the set-up, the roll-over, the rests
            at(view, index, 0)
            keys |= {line.rstrip() for line in screen(view) if "orange:" in line}
    assert {key.split("orange: ")[1] for key in keys} == {"left leg", "right leg"}


def test_without_room_or_figures_the_screen_is_as_before(bundled, figures) -> None:
    routine = _one(bundled, "clamshell", Dose(1, True, reps=10))
    plain = LiveView(routine, console(), screen=False)
    narrow = LiveView(routine, console(60, 24), screen=False, figures=figures)
    short = LiveView(routine, console(80, 14), screen=False, figures=figures)
    for view in (plain, narrow, short):
        at(view, 0, 0)
        assert not any(_braille(line) for line in screen(view))


def test_every_exercise_fits_80_by_24_with_its_figure_and_keeps_its_cue(bundled, figures) -> None:
    for ex in bundled.exercises:
        routine = Routine(Request(goal=Goal.WARMUP), (Item(ex, Dose(2, True, reps=20, rest_s=90)),) * 3)
        view = LiveView(routine, console(), screen=False, figures=figures)
        for index, phase in enumerate(view.phases[:4]):
            at(view, index, 1.0, rep=1 if phase.kind == "reps" else None)
            lines = screen(view)
            check_fits(lines)
            assert lines[-1].startswith("space pause"), ex.id
            if phase.kind == "reps" and ex.cues:
                assert any(line.startswith("Cue: ") for line in lines), ex.id
