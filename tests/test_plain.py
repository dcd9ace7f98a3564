"""The words of a guided session and its plain view: cue lines, speech, the preview script."""

from __future__ import annotations

import io
import itertools
import json

import pytest

from hiprot.catalogue import Catalogue
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.planner import build_routine
from hiprot.report.plain import (
    KEYS_SENTENCE,
    PlainPrinter,
    cue_line,
    next_words,
    phase_words,
    preview,
    script_json,
    script_text,
    speech,
    spoken,
    summary_lines,
)
from hiprot.session import OUTPUT_CLOSED, Event, run_session
from hiprot.text import clock as clock_words
from hiprot.timeline import REP_SECONDS, timeline, total_seconds
from tests.fakes import FakeClock, ScriptedKeys
from tests.test_session import run, small_routine


@pytest.fixture(scope="module")
def small(mini: Catalogue) -> Routine:
    return small_routine(mini)


@pytest.fixture(scope="module")
def warmup(bundled: Catalogue) -> Routine:
    return build_routine(bundled, Request(goal=Goal.WARMUP))

# -- words


def test_phase_words(small: Routine) -> None:
    phases = timeline(small)
    assert phase_words(phases[0], small) == "Get into position: lie on your back. Left side first."
    assert phase_words(phases[1], small, rep=3) == "Set 1 of 2 · left side · rep 3 of 4"
    assert phase_words(phases[2], small) == "Switch to the right side"
    assert phase_words(phases[4], small) == "Rest 10 s"
    assert phase_words(phases[10], small, remaining=13.2) == "Left side · hold · 14 s left"
    assert phase_words(phases[13], small) == "Get up from the floor to standing"
    assert phase_words(phases[15], small, rep=2) == "Rep 2 of 5"


def test_cue_lines(small: Routine) -> None:
    phases = timeline(small)
    assert cue_line(phases[0], small) == (
        "Exercise 1 of 3, Lying Drill. Get into position: lie on your back. Left side first."
    )  # the set-up's own words follow the first step
    assert cue_line(phases[1], small) == "Lying Drill, set 1 of 2, left side: 4 reps"
    assert cue_line(phases[4], small) == "Rest for 10 seconds"
    assert cue_line(phases[10], small) == "Outer Hip Stretch, left side: hold for 20 seconds"
    assert cue_line(phases[13], small) == "Get up from the floor to standing"
    assert cue_line(phases[15], small) == "Loop [band] walk: 5 reps"


def test_next_words(small: Routine) -> None:
    phases = timeline(small)
    assert next_words(phases, 0, small) == "Next: set 1 of 2 · left side · 4 reps"
    assert next_words(phases, 1, small) == "Next: switch to the right side (5 s)"
    assert next_words(phases, 3, small) == "Next: rest 10 s"
    assert next_words(phases, 8, small) == "Next: Outer Hip Stretch (seated)"
    assert next_words(phases, 9, small) == "Next: left side · hold 20 s"
    assert next_words(phases, len(phases) - 1, small) == "Next: the end of the session"


def test_every_catalogue_exercise_has_words_for_every_phase(bundled: Catalogue) -> None:
    items = tuple(Item(ex, Dose(2, True, reps=3, rest_s=10)) for ex in bundled.exercises)
    routine = Routine(Request(goal=Goal.WARMUP), items)
    phases = timeline(routine)
    for index, phase in enumerate(phases):
        assert phase_words(phase, routine) and cue_line(phase, routine) and next_words(phases, index, routine)


def test_summaries(small: Routine) -> None:
    done, _ = run(small, {10.0: " ", 12.0: " "})
    assert summary_lines(done) == [
        "Session complete: 3 of 3 exercises done in 3:18.",
        "Paused for 0:02, not counted.",
    ]
    partial, _ = run(small, {100.0: "n", 140.0: "q"})  # up from the floor, set-up, 5 s of reps
    assert summary_lines(partial) == [
        "Session ended early: 1 of 3 exercises done, 2:20 of 3:18 planned.",
        "Done: Lying Drill",
        "Partly done: Loop [band] walk (0:40 of 0:50)",
        "Skipped: Outer Hip Stretch",
    ]
    stopped, _ = run(small, {110.0: KeyboardInterrupt})
    assert summary_lines(stopped)[0].startswith("Session stopped: 1 of 3 exercises done")
    assert "Partly done: Outer Hip Stretch (0:22 of 1:00)" in summary_lines(stopped)


# -- the plain printer


def test_plain_printer_golden(small: Routine) -> None:
    clock = FakeClock()
    out = io.StringIO()
    script = {20.0: " ", 30.0: " ", 60.0: "?", 70.0: "n", 120.0: "b", 150.0: "q"}
    outcome = run_session(small, keys=ScriptedKeys(clock, script), clock=clock, on_event=PlainPrinter(small, out))
    assert out.getvalue().splitlines() == [
        "[00:00] Exercise 1 of 3, Lying Drill. Get into position: lie on your back. Left side first.",
        "[00:15] Lying Drill, set 1 of 2, left side: 4 reps",
        "[00:18] Rep 2 of 4",
        "[00:20] Paused",
        "[00:20] Resumed",
        "[00:21] Rep 3 of 4",
        "[00:24] Rep 4 of 4",
        "[00:27] Switch to the right side. Next: set 1 of 2 · right side · 4 reps",
        "[00:32] Lying Drill, set 1 of 2, right side: 4 reps",
        "[00:35] Rep 2 of 4",
        "[00:38] Rep 3 of 4",
        "[00:41] Rep 4 of 4",
        "[00:44] Rest for 10 seconds. Next: set 2 of 2 · left side · 4 reps",
        "[00:50] " + KEYS_SENTENCE,
        "[00:51] 3",
        "[00:52] 2",
        "[00:53] 1",
        "[00:54] Switch to the left side. Next: set 2 of 2 · left side · 4 reps",
        "[00:59] Lying Drill, set 2 of 2, left side: 4 reps",
        "[01:00] Skipped Lying Drill",
        "[01:00] Exercise 2 of 3, Outer Hip Stretch. Get into position: sit on the floor. Left side first.",
        "[01:15] Outer Hip Stretch, left side: hold for 20 seconds",
        "[01:32] 3",
        "[01:33] 2",
        "[01:34] 1",
        "[01:35] Switch to the right side. Next: right side · hold 20 s",
        "[01:40] Outer Hip Stretch, right side: hold for 20 seconds",
        "[01:50] Back to the start of Outer Hip Stretch",
        "[01:50] Exercise 2 of 3, Outer Hip Stretch. Get into position: sit on the floor. Left side first.",
        "[02:05] Outer Hip Stretch, left side: hold for 20 seconds",
        "[02:20] Session ended early",
    ]
    assert outcome.done_seconds == 140


def test_plain_printer_flushes_every_line(small: Routine) -> None:
    class Counting(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            Counting.flushes += 1

    out = Counting()
    clock = FakeClock()
    run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=PlainPrinter(small, out))
    assert Counting.flushes == len(out.getvalue().splitlines()) == len(preview(small))
    assert out.getvalue().splitlines()[-1] == "[03:18] Session complete"


def test_a_closed_pipe_stops_the_session_so_it_can_be_recorded(small: Routine) -> None:
    """`hiprot go | head -1`: the reader goes; the session stops as Ctrl-C would, once."""

    class Closing(io.StringIO):
        def write(self, text: str) -> int:
            if self.getvalue():
                raise BrokenPipeError
            return super().write(text)

    out = Closing()
    clock = FakeClock()
    outcome = run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=PlainPrinter(small, out))
    assert outcome.stopped_by == OUTPUT_CLOSED and outcome.interrupted
    assert outcome.done_seconds == 15  # the set-up, to where the second line was due
    assert out.getvalue().count("\n") == 1


# -- the script: a preview through the same engine


def test_preview_equals_what_a_real_run_prints(small: Routine) -> None:
    clock = FakeClock()
    out = io.StringIO()
    run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=PlainPrinter(small, out))
    printed = out.getvalue().splitlines()
    assert [f"[{clock_words(c.at, pad=True)}] {c.text}" for c in preview(small)] == printed


def test_preview_counts_every_rep_on_the_beat_and_every_hold_down(warmup: Routine) -> None:
    found = preview(warmup)
    phases = timeline(warmup)
    starts = list(itertools.accumulate([0] + [p.seconds for p in phases]))
    for phase, start in zip(phases, starts, strict=False):
        inside = [c for c in found if start <= c.at < start + phase.seconds]
        said = [c.say for c in inside]
        if phase.kind == "reps":
            reps = phase.seconds // REP_SECONDS
            beats = [c.at - start for c in inside]
            assert beats == [REP_SECONDS * n for n in range(reps)]  # one count per rep, 3 s apart
            assert said[0] is not None and said[0].endswith("One.")
            assert said[1:] == [spoken(n).capitalize() + "." for n in range(2, reps + 1)]
        elif phase.kind in ("hold", "rest") and phase.seconds > 3:
            assert [c.at - start for c in inside][-3:] == [phase.seconds - 3, phase.seconds - 2, phase.seconds - 1]
            assert said[-3:] == ["Three.", "Two.", "One."]
        if phase.kind in ("rest", "switch"):
            assert "Next: " in inside[0].text and inside[0].say is not None and "Next: " in inside[0].say
    setups = [c for c in found if c.phase == "setup"]
    assert len(setups) == len(warmup.items)
    assert setups[-1].say is not None and setups[-1].say.startswith("Last exercise: ")
    assert all(c.say is not None and c.say.startswith("Exercise ") for c in setups[:-1])
    assert found[-1].phase == "end" and found[-1].at == total_seconds(warmup)


def test_the_announcement_names_position_side_and_dose(small: Routine) -> None:
    found = preview(small)
    assert found[0].say == "Exercise 1 of 3: Lying Drill. Lie on your back. Left side first. 4 reps."
    last = [c for c in found if c.phase == "setup"][-1]
    assert last.say == "Last exercise: Loop [band] walk. " + _first_step(small, 2) + " You need a loop band. 5 reps."


def _first_step(routine: Routine, item: int) -> str:
    step = routine.items[item].exercise.steps[0]
    return step if step.endswith(".") else step + "."


def test_speech_is_the_cue_list(small: Routine) -> None:
    """What a voice is given for a whole session with a fake clock: exactly the script's spoken cues."""
    clock = FakeClock()
    words = speech(small)
    said: list[str] = []

    def sink(event: Event) -> None:
        line = words(event)
        if line:
            said.append(line)

    run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=sink)
    assert said == [c.say for c in preview(small) if c.say]
    assert said[:6] == [
        "Exercise 1 of 3: Lying Drill. Lie on your back. Left side first. 4 reps.",
        "Set 1 of 2, left side. One.",
        "Two.",
        "Three.",
        "Four.",
        "Switch to the right side. Next: set 1 of 2, right side, 4 reps.",
    ]
    assert "Rest 10 seconds. Next: set 2 of 2, left side, 4 reps." in said


def test_script_text_and_json(small: Routine) -> None:
    found = preview(small)
    text = script_text(found).splitlines()
    assert text[0] == "[00:00] Exercise 1 of 3, Lying Drill. Get into position: lie on your back. Left side first."
    assert text[1] == '        says "Exercise 1 of 3: Lying Drill. Lie on your back. Left side first. 4 reps."'
    assert '[00:18] Rep 2 of 4 · says "Two."' in text
    assert "[03:18] Session complete" in text  # said as shown: no second line
    items = json.loads(script_json(found))
    assert items[0] == {"at": 0, "phase": "setup", "text": found[0].text, "say": found[0].say,
                        "exercise": small.items[0].exercise.id, "round": 1, "set": None, "side": None,
                        "seconds": 15}  # fmt: skip
    assert all({"at", "phase", "text", "say"} <= set(i) for i in items)
    # Each phase's start names its exercise, set and side, and the work's reps or hold;
    # a rep's count and the end carry nothing more.
    starts = [i for i in items if "exercise" in i]
    assert [i["phase"] for i in starts] == [p.kind for p in timeline(small)]
    assert all(("reps" in i) == (i["phase"] == "reps") and ("hold_s" in i) == (i["phase"] == "hold") for i in starts)
    assert set(items[-1]) == {"at", "phase", "text", "say"}
    assert {i["phase"] for i in items} == {"setup", "reps", "switch", "rest", "hold", "transition", "end"}


def test_spoken_numbers() -> None:
    assert [spoken(n) for n in (0, 1, 13, 20, 21, 30, 99, 100)] == [
        "zero", "one", "thirteen", "twenty", "twenty-one", "thirty", "ninety-nine", "100",
    ]  # fmt: skip


def test_a_later_rounds_set_up_steps_name_the_side_it_starts_on(bundled: Catalogue) -> None:
    chair = bundled.get("seated-banded-internal-rotation")
    routine = Routine(Request(goal=Goal.STRENGTH), (Item(chair, Dose(1, True, reps=12)),), rounds=2)
    setups = [(c.text, c.say) for c in preview(routine) if c.phase == "setup"]
    assert "anchor a long band at ankle height on your right side" in setups[0][0]
    assert "Left side first" in setups[0][1]
    # Round 2 starts with the right leg, the band still anchored on the left: the steps agree.
    assert "anchor a long band at ankle height on your left side" in setups[1][0]
    assert "Right side first" in setups[1][1] and "on your left side" in setups[1][1]
