"""The live Rich view of a guided session, rendered at 80x24 with colour off."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from hiprot.catalogue import Catalogue
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.report.live import LiveView, big_digits
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
    run_session,
)
from hiprot.text import clock
from hiprot.timeline import timeline
from tests.fakes import FakeClock, ScriptedKeys


def console(width: int = 80, height: int = 24) -> Console:
    return Console(file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None)


def screen(view: LiveView) -> list[str]:
    """The lines the view would draw now."""
    con = view.console
    with con.capture() as capture:
        con.print(view.render())
    return capture.get().splitlines()


def check_fits(lines: list[str], width: int = 80, height: int = 24) -> None:
    assert len(lines) <= height, "\n".join(lines)
    too_wide = [line for line in lines if Console().measure(line).maximum > width]
    assert not too_wide, too_wide


@pytest.fixture(scope="module")
def small(mini: Catalogue) -> Routine:
    return Routine(
        Request(goal=Goal.WARMUP),
        (
            Item(mini.get("lying-drill"), Dose(2, True, reps=8, rest_s=30)),
            Item(mini.get("outer-hip-stretch"), Dose(1, True, hold_s=30)),
            Item(mini.get("loop-band-walk"), Dose(1, False, reps=5)),
        ),
    )


def at(view: LiveView, index: int, into: float, rep: int | None = None) -> None:
    """Send the view a PhaseStarted for phase `index`, then a Tick `into` seconds later."""
    phases = view.phases
    before = sum(p.seconds for p in phases[:index])
    phase = phases[index]
    view(PhaseStarted(index, phase, phase.item, float(before), float(view.planned - before)))
    if into:
        left = phase.seconds - into
        view(Tick(index, phase, before + into, left, view.planned - before - into, rep))


def test_setup_screen(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    at(view, 0, 0)
    lines = screen(view)
    check_fits(lines)
    text = "\n".join(lines)
    assert lines[0].startswith("Exercise 1 of 3 · Lying Drill")
    assert lines[0].rstrip().endswith("lying")
    assert lines[1] == "Get into position: lie on your back. Left side first."
    assert big_digits("15")[0] in text  # the seconds left in set-up
    for number, step in enumerate(small.items[0].exercise.steps[1:], 2):
        assert f"{number}. {step}" in text
    assert "Next: set 1 of 2 · left side · 8 reps" in text
    assert "0:00 done · 4:46 left" in text
    assert lines[-1] == "space pause · n next · b back · q quit · p sharp pain · ? keys"
    assert "PAUSED" not in text


def test_reps_screen_counts_reps_and_shows_a_cue(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    at(view, 1, 7.5, rep=3)  # set 1, left, 24 s of reps
    lines = screen(view)
    check_fits(lines)
    text = "\n".join(lines)
    assert lines[1] == "Set 1 of 2 · left side · rep 3 of 8"
    assert big_digits("3")[1] in text  # in a reps set the big number is the rep under way
    assert big_digits("17")[1] not in text
    assert "Cue: Use a mat or soft surface." in text
    assert "Next: switch to the right side (5 s)" in text
    assert "0:22 done · 4:24 left" in text


def test_hold_switch_rest_screens(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    phases = view.phases
    kinds = [p.kind for p in phases]
    at(view, kinds.index("hold"), 16.2)
    assert screen(view)[1] == "Left side · hold · 14 s left"
    at(view, kinds.index("switch"), 0)
    assert screen(view)[1] == "Switch to the right side"
    at(view, kinds.index("rest"), 0)
    lines = screen(view)
    assert lines[1] == "Rest 30 s"
    assert "Next: switch to the left side (5 s)" in "\n".join(lines)
    at(view, len(phases) - 1, 1.0, rep=1)
    assert "Next: the end of the session" in "\n".join(screen(view))


def test_paused_and_help_screens(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    at(view, 1, 4.0, rep=2)
    view(Paused(1, 19.0))
    paused = screen(view)
    check_fits(paused)
    assert any("PAUSED · press space to resume" in line for line in paused)
    view(HelpToggled(True, 19.0))
    helped = screen(view)
    check_fits(helped)
    text = "\n".join(helped)
    for words in ("pause or resume", "skip to the next exercise", "back to the start of this exercise", "Ctrl-C"):
        assert words in text
    assert "Cue:" not in text
    view(HelpToggled(False, 19.0))
    view(Resumed(1, 19.0, 3.0))
    assert not any("PAUSED" in line for line in screen(view))


def test_every_catalogue_exercise_fits_80_by_24(bundled: Catalogue) -> None:
    """Long names and steps: nothing wider than 80 columns, nothing below line 24."""
    for ex in bundled.exercises:
        routine = Routine(Request(goal=Goal.WARMUP), (Item(ex, Dose(2, True, reps=20, rest_s=90)),) * 12)
        view = LiveView(routine, console(), screen=False)
        for index in range(4):
            at(view, index, 1.0, rep=1)
            check_fits(screen(view))
        view(HelpToggled(True, 0.0))
        check_fits(screen(view))


def test_a_small_terminal_crops_the_steps_not_the_controls(small: Routine) -> None:
    view = LiveView(small, console(60, 14), screen=False)
    at(view, 0, 0)
    lines = screen(view)
    check_fits(lines, 60, 14)
    assert lines[-1].startswith("space pause")


def test_catalogue_text_is_not_markup(mini: Catalogue) -> None:
    band = mini.get("loop-band-walk")
    routine = Routine(Request(goal=Goal.WARMUP), (Item(band._replace(name="[bold]Loop[/bold] walk"), Dose(1, False, reps=5)),))
    view = LiveView(routine, console(), screen=False)
    at(view, 0, 0)
    assert "[bold]Loop[/bold] walk" in screen(view)[0]


def test_drawn_live_through_a_whole_session(mini: Catalogue) -> None:
    """As an event sink: redraws at most 4 times a second plus once per phase or key."""
    routine = Routine(Request(goal=Goal.WARMUP), (Item(mini.get("lying-drill"), Dose(1, True, reps=4)),))
    out = io.StringIO()
    con = Console(file=out, width=80, height=24, force_terminal=True, color_system=None)
    clock = FakeClock()
    events: list[Event] = []
    with LiveView(routine, con, screen=True) as view:
        redraws = 0
        update = view.live.update

        def counting_update(*args: object, **kwargs: object) -> None:
            nonlocal redraws
            redraws += 1
            update(*args, **kwargs)  # type: ignore[arg-type]

        view.live.update = counting_update  # type: ignore[method-assign]

        def sink(event: Event) -> None:
            events.append(event)
            view(event)

        keys = ScriptedKeys(clock, {10.0: " ", 12.0: "?", 14.0: "?", 15.0: " "})
        outcome = run_session(routine, keys=keys, clock=clock, on_event=sink)
    assert outcome.completed
    seconds = outcome.ended_at - outcome.started_at
    assert redraws <= 4 * seconds + len(timeline(routine)) + 4
    assert redraws == sum(isinstance(e, Tick | Rep | Countdown | PhaseStarted | Paused | Resumed | HelpToggled) for e in events)
    written = out.getvalue()
    assert written.startswith("\x1b[?1049h")  # the alternate screen, left again at the end
    assert written.endswith("\x1b[?1049l") or "\x1b[?1049l" in written[-40:]
    assert "\x1b[?25h" in written[-40:]  # and the cursor back


def test_big_digits() -> None:
    lines = big_digits("12:34")
    assert len(lines) == 3
    assert {len(line) for line in lines} == {34}
    assert big_digits("8")[0] == "██▀▀██"
    assert clock(16.5, pad=True, up=True) == "00:17"
    assert clock(0.0, pad=True, up=True) == "00:00"
    assert clock(600, pad=True, up=True) == "10:00"
    assert clock(-0.2, pad=True, up=True) == "00:00"


def test_the_ready_screen_shows_the_first_exercise_what_you_need_and_the_keys(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    view(Waiting())
    lines = screen(view)
    check_fits(lines)
    text = "\n".join(lines)
    assert lines[0].startswith("Exercise 1 of 3 · Lying Drill") and lines[0].rstrip().endswith("lying")
    assert lines[1] == "Ready? Press space or Enter to start (a 10 s countdown)."
    assert "You need: loop-band" in text  # the loop band walk's
    for number, step in enumerate(small.items[0].exercise.steps, 1):
        assert f"{number}. {step}" in text
    assert "space/Enter start · q quit" in text
    view(Starting(7))
    counting = screen(view)
    assert counting[1] == "Starting in 7 s · space or Enter starts now"
    assert big_digits("7")[0] in "\n".join(counting)
    view(PhaseStarted(0, view.phases[0], 0, 0.0, float(view.planned)))
    assert screen(view)[1].startswith("Get into position")


def test_the_last_exercise_says_so(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    last = max(i for i, p in enumerate(view.phases) if p.kind == "setup")
    at(view, last, 1.0)
    assert screen(view)[0].startswith("Last exercise · ")


def test_a_hold_ends_on_a_big_3_2_1(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    index = next(i for i, p in enumerate(view.phases) if p.kind == "hold")
    phase = view.phases[index]
    at(view, index, 0.0)
    assert big_digits("30")[0] in "\n".join(screen(view))
    view(Countdown(index, phase, 3, 0.0))
    shown = "\n".join(screen(view))
    assert big_digits("3")[0] in shown and big_digits("30")[0] not in shown
    view(Countdown(index, phase, 1, 0.0))
    assert big_digits("1")[0] in "\n".join(screen(view))


def test_cues_and_steps_name_the_side_the_timer_shows(bundled: Catalogue) -> None:
    """Issue 17: the cue line is worded for the phase's side; set-up steps stay neutral."""
    hydrant = bundled.get("fire-hydrant")  # cue 2: "Pull the toes of the {side|working} foot ..."
    routine = Routine(Request(goal=Goal.WARMUP), (Item(hydrant, Dose(1, True, reps=8)),))
    view = LiveView(routine, console(), screen=False)
    sides = {}
    for index, phase in enumerate(view.phases):
        if phase.kind != "reps":
            continue
        # Cues turn over every few seconds: find the moment the toes cue is up.
        for into in range(0, phase.seconds):
            at(view, index, float(into), rep=1)
            text = " ".join(" ".join(screen(view)).split())
            if "Pull the toes" in text:
                sides[phase.side] = text
                break
    assert set(sides) == {"left", "right"}
    assert "Left side · rep 1" in sides["left"] and "toes of the left foot" in sides["left"]
    assert "Right side · rep 1" in sides["right"] and "toes of the right foot" in sides["right"]
    at(view, 0, 0)
    assert "{" not in " ".join(screen(view))  # set-up: neutral words, no template left


def test_set_up_says_which_side_to_lie_on_for_the_side_that_follows(bundled: Catalogue) -> None:
    """Issue 17: "Left side" alone does not say which side to lie on; the set-up does."""
    from hiprot.report.plain import cue_line, phase_words

    lift_off = bundled.get("hip-internal-rotation-lift-off")
    routine = Routine(Request(goal=Goal.WARMUP), (Item(lift_off, Dose(1, True, reps=15)),))
    view = LiveView(routine, console(), screen=False)
    setup, first_work = view.phases[0], view.phases[1]
    assert setup.kind == "setup" and first_work.side == "left"
    assert phase_words(setup, routine).startswith("Get into position: lie on your side, right hip down")
    assert "lie on your side, right hip down" in cue_line(setup, routine)
    at(view, 0, 0)
    text = " ".join(" ".join(screen(view)).split())
    assert "lie on your side, right hip down" in text and "Turn the left thigh inward" in text


def test_the_exercise_cautions_stay_on_screen_for_its_whole_duration(small: Routine) -> None:
    view = LiveView(small, console(), screen=False)
    ex = small.items[0].exercise
    assert ex.cautions, "the fixture's first exercise has cautions"
    for index, phase in enumerate(view.phases):
        if phase.item != 0:
            break
        at(view, index, 0.0, rep=1 if phase.kind == "reps" else None)
        lines = screen(view)
        check_fits(lines)
        shown = " ".join(" ".join(lines).split())
        assert "Caution: " in shown, phase
        assert any(" ".join(c.text.split())[:30] in shown for c in ex.cautions), phase


def test_a_circuit_says_which_round_it_is_in(bundled) -> None:
    from hiprot.planner import build_routine

    routine = build_routine(bundled, Request(goal=Goal.WARMUP, minutes=20))
    assert routine.rounds > 1
    view = LiveView(routine, console(), screen=False)
    last_round = max(i for i, p in enumerate(view.phases) if p.round == routine.rounds)
    at(view, last_round, 0.0)
    assert f"round {routine.rounds} of {routine.rounds}" in screen(view)[0]


def test_the_roll_over_screen_names_the_hip_to_lie_on_and_the_leg_that_works(bundled: Catalogue) -> None:
    clam = bundled.get("clamshell")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(clam, Dose(2, True, reps=10, rest_s=30)),))
    view = LiveView(routine, console(), screen=False)
    index = next(i for i, p in enumerate(view.phases) if p.kind == "rollover")
    at(view, index, 2.0)
    lines = screen(view)
    check_fits(lines)
    text = "\n".join(lines)
    assert lines[1] == "Roll onto your left side, left hip down; the right leg works now"
    assert big_digits("10")[0] in text  # 12 s to roll over, 2 gone
    assert "Next: set 1 of 2 · right side · 10 reps" in text


def test_the_set_up_screen_says_where_the_band_is_anchored(bundled: Catalogue) -> None:
    chair = bundled.get("seated-banded-internal-rotation")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(chair, Dose(1, True, reps=12)),))
    view = LiveView(routine, console(), screen=False)
    at(view, 0, 0)
    lines = screen(view)
    check_fits(lines)
    text = " ".join(line.strip() for line in lines)
    assert "You need a sturdy chair and a long band anchored at ankle height on your right side." in text
    anchor = next(i for i, p in enumerate(view.phases) if p.kind == "anchor")
    at(view, anchor, 1.0)
    assert screen(view)[1] == "Move the band's anchor to your left; the right leg works now"
