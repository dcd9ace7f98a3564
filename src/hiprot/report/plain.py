"""The words of a guided session, and its plain view: one line per cue, and what is spoken.

Every output of `hiprot go` takes its words from here: the live view's phase line and
"Next: ...", the plain printer's lines, the voice's sentences, the `--dry-run` script
and the end-of-session summary. `cues()` turns the engine's events into `Cue`s (time,
phase, text on screen, words to say); the plain printer, the voice and the preview all
go through it, so the preview is exactly what a real run shows and says.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from hiprot.models import Exercise, Phase, Routine, Side
from hiprot.session import (
    OUTPUT_CLOSED,
    WORK,
    Back,
    Countdown,
    Event,
    Finished,
    HelpToggled,
    Instant,
    ItemOutcome,
    Paused,
    PhaseStarted,
    Rep,
    Resumed,
    SessionResult,
    Skipped,
    Starting,
    Stop,
    Waiting,
    run_session,
)
from hiprot.text import clock, steps_for
from hiprot.timeline import REP_SECONDS, TRANSITIONS, timeline


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lead_lower(text: str) -> str:
    """'Lie face up' -> 'lie face up', but 'IR drill' stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _set_side(phase: Phase, routine: Routine) -> list[str]:
    if phase.kind in WORK and phase.text:  # the stiff hip's extra set says so, and names the side
        return [_lead_lower(phase.text)]
    parts = []
    sets = routine.items[phase.item].dosage.sets
    if sets > 1 and phase.set is not None:
        parts.append(f"set {phase.set} of {sets}")
    if phase.side is not None:
        parts.append(f"{phase.side} side")
    return parts


def phase_words(
    phase: Phase, routine: Routine, rep: int | None = None, remaining: float | None = None,
    phases: Sequence[Phase] | None = None,
) -> str:  # fmt: skip
    """The phase as the live view says it: 'Set 1 of 2 · left side · rep 3 of 8'; `phases`
    is the routine's timeline, when the caller has it."""
    if phase.kind == "setup":
        first = _first_step(phase, routine, phases)
        line = "Get into position: " + _lead_lower(first) if first else "Get into position"
        line = _stop(line) + " " + _sentence(phase.text) if phase.text else line
        note = routine.items[phase.item].note  # a written dose outside the sources' range
        return line + (f"{'' if line.endswith('.') else '.'} Dose {note}." if note else "")
    if phase.kind in TRANSITIONS:
        return _moving(phase)
    if phase.kind == "rest":
        return f"Rest {phase.seconds} s"
    parts = _set_side(phase, routine)
    if phase.kind == "reps":
        parts.append(f"rep {rep or 1} of {phase.seconds // REP_SECONDS}")
    else:
        left = phase.seconds if remaining is None else math.ceil(remaining - 1e-9)
        parts += ["hold", f"{left} s left"]
    return _sentence_case(" · ".join(parts))


def cue_line(phase: Phase, routine: Routine, phases: Sequence[Phase] | None = None) -> str:
    """What to say when a phase starts, spoken or printed: 'Clamshell, left side: 20 reps'."""
    ex = routine.items[phase.item].exercise
    if phase.kind == "setup":
        count = len(routine.items)
        last = " (the last)" if count > 1 and _last(phase, routine) else ""
        where = f", round {phase.round} of {routine.rounds}" if routine.rounds > 1 else ""
        line = f"Exercise {phase.item + 1} of {count}{last}{where}, {ex.name}. Get into position"
        first = _first_step(phase, routine, phases)
        line += ": " + _stop(_lead_lower(first)) if first else "."
        line += " " + _sentence(phase.text) if phase.text else ""
        note = routine.items[phase.item].note  # a written dose outside the sources' range
        return line + (f" Dose {note}." if note else "")
    if phase.kind in TRANSITIONS:
        return _moving(phase)
    if phase.kind == "rest":
        return f"Rest for {phase.seconds} seconds"
    work = f"{phase.seconds // REP_SECONDS} reps" if phase.kind == "reps" else f"hold for {phase.seconds} seconds"
    return ", ".join([ex.name, *_set_side(phase, routine)]) + ": " + work


def _moving(phase: Phase) -> str:
    """A move of the body in words: down to the floor or up, a roll-over, an anchor, a switch."""
    if phase.text:
        return phase.text
    return f"Switch to the {phase.side} side" if phase.side else "Switch sides"


def _last(phase: Phase, routine: Routine) -> bool:
    """The last exercise of the session: the routine's last item, in its last round."""
    return phase.item == len(routine.items) - 1 and phase.round == routine.rounds


def next_words(phases: list[Phase], index: int, routine: Routine, *, aloud: bool = False) -> str:
    """What follows phase `index`: 'Next: switch to the right side (5 s)'; `aloud`: as said."""
    if index + 1 >= len(phases):
        return "Next: the end of the session"
    phase = phases[index + 1]
    if phase.kind == "setup":
        ex = routine.items[phase.item].exercise
        last = " (the last exercise)" if _last(phase, routine) else ""
        return f"Next: {ex.name} ({ex.position.value}){last}"
    if phase.kind in WORK:
        parts = _set_side(phase, routine)
        unit = "seconds" if aloud else "s"
        parts.append(f"{phase.seconds // REP_SECONDS} reps" if phase.kind == "reps" else f"hold {phase.seconds} {unit}")
        return "Next: " + (", " if aloud else " · ").join(parts)
    length = "" if phase.kind == "rest" else f" ({phase.seconds} s)"
    return "Next: " + _lead_lower(phase_words(phase, routine)) + length


KEYS_HINT = "space pause · n next · b back · q quit · p sharp pain · ? keys"
KEYS_HELP = (
    ("space", "pause or resume"),
    ("n", "skip to the next exercise"),
    ("b", "back to the start of this exercise (in its set-up: the one before)"),
    ("q", "end the session now (it counts as partial)"),
    ("p", "sharp pain: stop at once, with advice (logged as stopped for pain)"),
    ("?", "show or hide these keys"),
    ("Ctrl-C", "stop at once"),
)
KEYS_SENTENCE = (
    "Keys: space pauses or resumes, n skips to the next exercise, "
    "b goes back to the start of this one, or in its set-up to the one before, q ends the session, "
    "p stops it for sharp pain."
)


def _names(items: tuple[ItemOutcome, ...]) -> str:
    return ", ".join(item.name for item in items)


def summary_lines(outcome: SessionResult) -> list[str]:
    """What was done and skipped, and how long it took, for the end of a session."""
    total = len(outcome.items)
    done, partial, skipped = (outcome.with_status(s) for s in ("done", "partial", "skipped"))
    time_line = f"{clock(round(outcome.done_seconds))} of {clock(outcome.planned_seconds)} planned"
    if outcome.completed:
        noun = "exercise" if total == 1 else "exercises"
        lines = [f"Session complete: {total} of {total} {noun} done in {clock(round(outcome.done_seconds))}."]
    else:
        head = "Session stopped" if outcome.interrupted else "Session ended early"
        noun = "exercise" if total == 1 else "exercises"
        lines = [f"{head}: {len(done)} of {total} {noun} done, {time_line}."]
        if done:
            lines.append(f"Done: {_names(done)}")
        for item in partial:
            spent = f"{clock(round(item.done_seconds))} of {clock(item.planned_seconds)}"
            lines.append(f"Partly done: {item.name} ({spent})")
        if skipped:
            lines.append(f"Skipped: {_names(skipped)}")
    if outcome.paused_seconds >= 1:
        lines.append(f"Paused for {clock(round(outcome.paused_seconds))}, not counted.")
    return lines


# -- the steps for a side


def side_steps(exercise: Exercise, side: str | None) -> tuple[str, ...]:
    """The exercise's steps as said for `side` (None: both or neither): the one place the
    session gets step text, so the timer's side label and the steps cannot disagree."""
    return tuple(steps_for(exercise, Side(side) if side else None))


def side_in_play(phase: Phase, routine: Routine, phases: Sequence[Phase] | None = None) -> Side | None:
    """The side a phase's steps and cues are worded for: its own, or for set-up the side
    the item starts on (so "lie on your right side" matches the "Left side" that follows)."""
    if phase.side:
        return Side(phase.side)
    if phase.kind == "setup":  # (a later round may start on the other side: the one it is set up for)
        timed = phases if phases is not None else timeline(routine)
        found = (p for p in timed if (p.round, p.item) == (phase.round, phase.item))
        first = next((p.side for p in found if p.side), None)
        return Side(first) if first else None
    return None


def _first_step(phase: Phase, routine: Routine, phases: Sequence[Phase] | None = None) -> str:
    ex = routine.items[phase.item].exercise
    side = side_in_play(phase, routine, phases)
    steps = side_steps(ex, side.value if side else None)
    return steps[0] if steps else ""


# -- numbers said aloud

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken(number: int) -> str:
    """0-99 in words ('twenty-one'); larger numbers as digits, which every voice reads."""
    if 0 <= number < 20:
        return _ONES[number]
    if 20 <= number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return str(number)


# -- cues: what a moment of the session shows and says


@dataclass(frozen=True, slots=True)
class Cue:
    """One moment of the session: `at` seconds in (pauses excluded), the phase kind (or
    'end'), the line shown and the words spoken (None: nothing is said)."""

    at: float
    phase: str
    text: str
    say: str | None
    # A phase's start says what it belongs to: the exercise, round, set and side, and for
    # work the reps or the hold (the prescription's numbers, for scripts to check).
    detail: dict[str, object] | None = None

    def to_dict(self) -> dict[str, object]:
        at = round(self.at, 3)
        return {"at": int(at) if at == int(at) else at, "phase": self.phase, "text": self.text, "say": self.say,
                **(self.detail or {})}  # fmt: skip


def _detail(phase: Phase, routine: Routine) -> dict[str, object]:
    work: dict[str, object] = {}
    if phase.kind == "reps":
        work["reps"] = phase.seconds // REP_SECONDS
    elif phase.kind == "hold":
        work["hold_s"] = phase.seconds
    return {"exercise": routine.items[phase.item].exercise.id, "round": phase.round, "set": phase.set,
            "side": phase.side, "seconds": phase.seconds, **work}  # fmt: skip


def _dose(item_phase: Phase) -> str:
    if item_phase.kind == "reps":
        return f"{item_phase.seconds // REP_SECONDS} reps"
    return f"hold {item_phase.seconds} seconds"


def _first_work(phases: list[Phase], index: int) -> Phase | None:
    item = phases[index].item
    return next((p for p in phases[index:] if p.item == item and p.kind in WORK), None)


def _sentence(text: str) -> str:
    return _stop(_sentence_case(text.strip()))


def _stop(text: str) -> str:
    """The text with a full stop, unless it already ends a sentence."""
    return text if text.endswith((".", "!", "?")) else text + "."


def announcement(phases: list[Phase], index: int, routine: Routine) -> str:
    """What is said as an exercise begins: 'Exercise 2 of 5: Clamshell. Lie on your side. Left side first. 20 reps.'"""
    phase = phases[index]
    ex = routine.items[phase.item].exercise
    count = len(routine.items)
    lead = "Last exercise" if count > 1 and _last(phase, routine) else f"Exercise {phase.item + 1} of {count}"
    work = _first_work(phases, index)
    side = work.side if work is not None else None
    steps = side_steps(ex, side)
    parts = [f"{lead}: {ex.name}."]
    if steps:
        parts.append(_sentence(steps[0]))
    if phase.text:  # the set-up: equipment, and which side first (or why one side only)
        parts.append(_sentence(phase.text))
    elif side is not None:
        parts.append(f"{_sentence_case(side)} side first.")
    if work is not None:
        parts.append(_sentence(_dose(work)))
    return " ".join(parts)


def _work_start(phase: Phase, routine: Routine) -> str:
    """Said as a set starts: 'Set 2 of 3, left side. One.' or 'Left side. Hold for 30 seconds.'"""
    lead = ", ".join(_set_side(phase, routine))
    first = "One." if phase.kind == "reps" else f"Hold for {phase.seconds} seconds."
    return f"{_sentence_case(lead)}. {first}" if lead else first


def cue(event: Event, routine: Routine, phases: list[Phase]) -> Cue | None:
    """The cue for an event, or None for the ones that neither show a line nor speak."""
    if isinstance(event, PhaseStarted):
        phase = event.phase
        text = cue_line(phase, routine, phases)
        if phase.kind == "setup":
            say = announcement(phases, event.index, routine)
        elif phase.kind in WORK:
            say = _work_start(phase, routine)
        elif phase.kind == "transition":  # down to the floor or up: the exercise it leads to
            text = f"{text}. {next_words(phases, event.index, routine)}"
            say = f"{_sentence(phase.text or '')} {next_words(phases, event.index, routine, aloud=True)}."
        else:  # rest or a change of side: what it is, and the work that comes after it
            head = f"Rest {phase.seconds} seconds" if phase.kind == "rest" else text
            work = next((i for i in range(event.index + 1, len(phases)) if phases[i].kind in WORK), event.index)
            text = f"{text}. {next_words(phases, work - 1, routine)}"
            say = f"{head}. {next_words(phases, work - 1, routine, aloud=True)}."
        return Cue(event.elapsed, phase.kind, text, say, _detail(phase, routine))
    if isinstance(event, Rep):
        return Cue(event.elapsed, "reps", f"Rep {event.rep} of {event.phase.seconds // REP_SECONDS}",
                   _sentence_case(spoken(event.rep)) + ".")  # fmt: skip
    if isinstance(event, Countdown):
        return Cue(event.elapsed, event.phase.kind, str(event.number), _sentence_case(spoken(event.number)) + ".")
    if isinstance(event, Paused | Resumed):
        text = "Paused" if isinstance(event, Paused) else "Resumed"
        return Cue(event.elapsed, phases[event.index].kind, text, text + ".")
    if isinstance(event, Skipped):
        return Cue(event.elapsed, "skip", f"Skipped {routine.items[event.item_index].exercise.name}", None)
    if isinstance(event, Back):
        name = routine.items[event.to_item].exercise.name
        text = f"Back to the start of {name}" if event.to_item == event.item_index else f"Back to {name}"
        return Cue(event.elapsed, "back", text, None)  # the set-up that follows says the rest
    if isinstance(event, HelpToggled):
        return Cue(event.elapsed, "help", KEYS_SENTENCE, None) if event.shown else None
    if isinstance(event, Finished):
        outcome = event.outcome
        if outcome.completed:
            text = "Session complete"
        else:
            text = "Session stopped" if outcome.interrupted else "Session ended early"
        return Cue(outcome.done_seconds, "end", text, text + ".")
    if isinstance(event, Waiting):
        first = routine.items[0].exercise if routine.items else None
        where = f" First: {first.name} ({first.position.value})." if first else ""
        return Cue(0.0, "ready", f"Ready?{where} Press space or Enter to start.", None)
    if isinstance(event, Starting):
        return Cue(0.0, "ready", f"Starting in {event.seconds}", None)
    return None  # Tick


def cues(
    routine: Routine, on_cue: Callable[[Cue], None], timed: Sequence[Phase] | None = None
) -> Callable[[Event], None]:
    """An event sink that hands each event's cue (when it has one) to `on_cue`; `timed` is
    the routine's timeline when the caller has it (a prescription's)."""
    phases = list(timed) if timed is not None else timeline(routine)

    def sink(event: Event) -> None:
        found = cue(event, routine, phases)
        if found is not None:
            on_cue(found)

    return sink


def speech(routine: Routine, timed: Sequence[Phase] | None = None) -> Callable[[Event], str | None]:
    """What to say for each event (None: nothing), for a voice."""
    phases = list(timed) if timed is not None else timeline(routine)

    def words(event: Event) -> str | None:
        found = cue(event, routine, phases)
        return found.say if found is not None else None

    return words


def preview(routine: Routine, timed: Sequence[Phase] | None = None) -> list[Cue]:
    """The whole session as a script, at once: the same engine and events as a real run,
    on a clock that never waits and with no keys pressed."""
    found: list[Cue] = []
    instant = Instant()
    phases = list(timed) if timed is not None else timeline(routine)
    run_session(routine, keys=instant, clock=instant, on_event=cues(routine, found.append, phases), tick=None,
                phases=phases)  # fmt: skip
    return found


SCRIPT_WIDTH = 80  # a cue and its speech share a line when they fit in this


def script_text(found: list[Cue]) -> str:
    """The preview for people: each cue's time and line, and under it what is said."""
    lines = []
    for item in found:
        line = f"[{clock(item.at, pad=True)}] {item.text}"
        if item.say is None or item.say.rstrip(".") == item.text:
            lines.append(line)
        elif len(line) + len(item.say) + 9 <= SCRIPT_WIDTH:
            lines.append(f'{line} · says "{item.say}"')
        else:
            lines += [line, f'        says "{item.say}"']
    return "\n".join(lines) + "\n"


def script_json(found: list[Cue]) -> str:
    return json.dumps([item.to_dict() for item in found], indent=2, ensure_ascii=False) + "\n"


class PlainPrinter:
    """The plain view: one line per cue with the elapsed time; nothing is ever redrawn.

    When the reader goes away (`hiprot go | head -1`) it stops the session as Ctrl-C
    would (`Stop(OUTPUT_CLOSED)`), so what was done is still recorded, and says no more.
    """

    def __init__(self, routine: Routine, stream: TextIO, timed: Sequence[Phase] | None = None) -> None:
        self.stream = stream
        self.closed = False
        self.sink = cues(routine, self._line, timed)

    def __call__(self, event: Event) -> None:
        self.sink(event)

    def _line(self, found: Cue) -> None:
        if self.closed:
            return
        try:
            self.stream.write(f"[{clock(found.at, pad=True)}] {found.text}\n")
            self.stream.flush()
        except BrokenPipeError:
            self.closed = True
            raise Stop(OUTPUT_CLOSED) from None
