"""A guided session: runs a routine's timeline against a clock and a key source. Pure.

The engine never sleeps for a phase's length. Every phase has a deadline (its start plus
its seconds, moved on by any pause), and the next phase starts at that deadline rather
than whenever the loop happens to notice it, so lateness never accumulates. Between
deadlines the engine waits in `keys.read(timeout)` for the next view tick, rep boundary or
deadline, whichever comes first: a real key source sleeps in select(), so the process
uses almost no CPU and still answers a key at once; a scripted one moves a fake clock, so
a whole routine runs in milliseconds.

Everything the engine does is reported as an event to one callable (`fan_out` joins
several: a view, the plain printer, a bell, a voice). Keys: space pauses and resumes,
`n` skips to the next exercise, `b` goes back to the start of the current one, `q` ends
early, `?` toggles the keys help.

Ctrl-C: a KeyboardInterrupt raised while the session runs (by the key source, the clock
or an event sink) ends it. `run_session` then emits `Finished` and *returns* the outcome
with `interrupted=True` instead of re-raising, so the caller can record the partial
session; it is the caller's job to exit with status 130 after that.

Wiring, for a command (the terminal and Rich parts live in hiprot.terminal and
hiprot.report.live)::

    voice = Voice(routine) if spoken else None  # NoVoiceError before the screen changes
    with cbreak(sys.stdin, sys.stdout):
        sinks = [Bell(sys.stdout, quiet=quiet), *([voice] if voice else [])]
        keys = StdinKeys(sys.stdin)
        if plain:  # asked for, or wants_plain(sys.stdout)
            printer = PlainPrinter(routine, sys.stdout)
            outcome = run_session(routine, keys=keys, on_event=fan_out(printer, *sinks))
        else:
            with LiveView(routine) as view:
                outcome = run_session(routine, keys=keys, on_event=fan_out(view, *sinks))
    if voice:
        voice.close(wait=0 if outcome.interrupted else 5)
    print("\\n".join(summary_lines(outcome)))
    # record outcome.status ("completed" or "partial"); exit 130 if outcome.interrupted

The words every output shares (the live view's phase line, the plain and spoken cue line,
"Next: ...", the end-of-session summary) are the functions at the end of this module.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TextIO, TypeAlias

from hiprot.models import Phase, Routine
from hiprot.text import clock
from hiprot.timeline import REP_SECONDS, timeline

TICK_SECONDS = 0.25  # the view refreshes at most 4 times a second
PAUSED_WAIT = 60.0  # while paused nothing is due; wake now and then all the same
STALL_SECONDS = 1.0  # a wake this late means the process was stopped (Ctrl-Z): a pause
WORK = frozenset({"reps", "hold"})

# The keys, as the engine reads them (lower case; upper case works too).
PAUSE, NEXT, BACK, QUIT, HELP = " ", "n", "b", "q", "?"


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...


class Keys(Protocol):
    def read(self, timeout: float) -> str | None:
        """Wait up to `timeout` seconds for one key; None if none came."""
        ...


class MonotonicClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()


# Events. Every one but Finished carries `elapsed`: seconds of the session so far,
# pauses excluded (the timeline's own seconds when nothing was paused or skipped).


@dataclass(frozen=True, slots=True)
class PhaseStarted:
    index: int  # into the timeline
    phase: Phase
    item_index: int
    elapsed: float
    total_remaining: float  # planned seconds from here to the end


@dataclass(frozen=True, slots=True)
class Tick:
    index: int
    phase: Phase
    elapsed: float
    phase_remaining: float
    total_remaining: float
    rep: int | None  # the rep under way in a reps phase, 1-based; else None


@dataclass(frozen=True, slots=True)
class Paused:
    index: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class Resumed:
    index: int
    elapsed: float
    paused_seconds: float  # how long this pause lasted


@dataclass(frozen=True, slots=True)
class HelpToggled:
    shown: bool
    elapsed: float


@dataclass(frozen=True, slots=True)
class Skipped:
    item_index: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class Back:
    item_index: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What became of one routine item.

    `status` is `done` (every phase ran to its end), `partial` (some reps or hold time
    was done) or `skipped` (none was; time spent getting into position still counts in
    `done_seconds`). `done_seconds` is the time spent in its phases, pauses excluded,
    going back included, so it can exceed `planned_seconds`.
    """

    index: int
    exercise_id: str
    name: str
    status: str
    planned_seconds: int
    done_seconds: float


@dataclass(frozen=True, slots=True)
class Outcome:
    """The record of a session; `started_at` and `ended_at` are clock readings."""

    items: tuple[ItemOutcome, ...]
    planned_seconds: int
    done_seconds: float
    paused_seconds: float
    started_at: float
    ended_at: float
    quit_early: bool
    interrupted: bool  # Ctrl-C: the caller should exit with status 130

    @property
    def completed(self) -> bool:
        """Every item was done to its end."""
        return all(item.status == "done" for item in self.items)

    @property
    def status(self) -> str:
        """`completed` or `partial`, as the history records it."""
        return "completed" if self.completed else "partial"

    def with_status(self, status: str) -> tuple[ItemOutcome, ...]:
        return tuple(item for item in self.items if item.status == status)


@dataclass(frozen=True, slots=True)
class Finished:
    outcome: Outcome


Event: TypeAlias = PhaseStarted | Tick | Paused | Resumed | HelpToggled | Skipped | Back | Finished
Sink: TypeAlias = Callable[[Event], None]


def fan_out(*sinks: Sink) -> Sink:
    """One event sink that hands each event to every sink in turn."""

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)

    return emit


def _ignore(event: Event) -> None:
    pass


def run_session(
    routine: Routine,
    *,
    keys: Keys,
    clock: Clock | None = None,
    on_event: Sink = _ignore,
    tick: float | None = TICK_SECONDS,
) -> Outcome:
    """Run the routine's timeline to its end, or until `q` or Ctrl-C, and say what was done.

    `tick` is the interval of Tick events (None: only at rep boundaries). A KeyboardInterrupt
    is not re-raised: the outcome comes back with `interrupted=True` (see the module notes).
    """
    if tick is not None and tick <= 0:
        raise ValueError("tick must be positive")
    return _Run(routine, timeline(routine), clock or MonotonicClock(), keys, on_event, tick).run()


class _Run:
    """The state of one session; `run` is the loop."""

    def __init__(
        self, routine: Routine, phases: list[Phase], clock: Clock, keys: Keys, emit: Sink, tick: float | None
    ) -> None:
        self.routine = routine
        self.phases = phases
        self.clock = clock
        self.keys = keys
        self.emit = emit
        self.tick = tick
        count = len(routine.items)
        # (round, item) -> index of its first phase: a routine of several rounds does
        # every item once per round (see timeline.py)
        self.first: dict[tuple[int, int], int] = {}
        self.planned = [0] * count
        for index, phase in enumerate(phases):
            self.first.setdefault((phase.round, phase.item), index)
            self.planned[phase.item] += phase.seconds
        self.last_round = max((phase.round for phase in phases), default=1)
        self.after = [0] * len(phases)  # planned seconds of the phases after each one
        for index in range(len(phases) - 1, 0, -1):
            self.after[index - 1] = self.after[index] + phases[index].seconds
        self.done = [0.0] * count
        self.worked = [False] * count
        self.finished = [False] * count
        self.index = 0
        self.start = 0.0  # when the current phase started, moved on by pauses
        self.open = False  # the current phase has not been credited yet
        self.active = 0.0  # seconds of the phases before the current one
        self.next_tick = math.inf
        self.paused_at: float | None = None
        self.paused = 0.0
        self.help = False
        self.quit = False

    # -- the loop

    def run(self) -> Outcome:
        started = self.clock.now()
        interrupted = False
        try:
            self._enter(0, started)
            while self.index < len(self.phases) and not self.quit:
                self._step()
        except KeyboardInterrupt:
            interrupted = True
            self._cut(self.clock.now())
        outcome = self._outcome(started, interrupted)
        self.emit(Finished(outcome))
        return outcome

    def _step(self) -> None:
        if self.paused_at is not None:
            key = self.keys.read(PAUSED_WAIT)
            if key is not None:
                self._key(key, self.clock.now())
            return
        deadline = self.start + self.phases[self.index].seconds
        wake = min(deadline, self.next_tick)
        now = self.clock.now()
        key = self.keys.read(wake - now) if wake > now else None
        now = self.clock.now()
        if now > wake + STALL_SECONDS:
            self._shift(now - wake)
        # Phases that are due end first, at their deadlines; then the key acts on the present.
        while self.index < len(self.phases) and now >= self.start + self.phases[self.index].seconds:
            self._advance()
        if self.index == len(self.phases):
            return
        if key is not None:
            self._key(key, now)
        elif now >= self.next_tick:
            self.emit(self._tick(now))
            self.next_tick = self._tick_after(now)

    def _enter(self, index: int, at: float) -> None:
        """Start phase `index` at time `at` (the end of the session if there is none)."""
        self.index, self.start = index, at
        self.open = index < len(self.phases)
        if self.open:
            self.next_tick = self._tick_after(at)
            phase = self.phases[index]
            self.emit(PhaseStarted(index, phase, phase.item, self.active, phase.seconds + self.after[index]))

    def _advance(self) -> None:
        """The current phase ran its full length: the next one starts at its deadline."""
        phase = self.phases[self.index]
        self.open = False
        self._credit(phase, phase.seconds)
        following = self.index + 1
        ends_item = following == len(self.phases) or self.phases[following].item != phase.item
        if ends_item and phase.round == self.last_round:
            self.finished[phase.item] = True
        self._enter(following, self.start + phase.seconds)

    def _cut(self, now: float) -> None:
        """Stop the current phase early, crediting the part done (pauses excluded); once."""
        if self.paused_at is not None:
            self.paused += now - self.paused_at
            now, self.paused_at = self.paused_at, None
        if not self.open:
            return
        self.open = False
        self._credit(self.phases[self.index], max(0.0, now - self.start))

    def _credit(self, phase: Phase, seconds: float) -> None:
        self.active += seconds
        self.done[phase.item] += seconds
        if phase.kind in WORK and seconds > 0:
            self.worked[phase.item] = True

    def _shift(self, seconds: float) -> None:
        """Count `seconds` as paused: the current phase's deadline and ticks move on."""
        self.start += seconds
        self.next_tick += seconds
        self.paused += seconds

    def _elapsed(self, now: float) -> float:
        return self.active + ((self.paused_at if self.paused_at is not None else now) - self.start)

    def _tick(self, now: float) -> Tick:
        phase = self.phases[self.index]
        into = now - self.start
        remaining = max(0.0, phase.seconds - into)
        rep = None
        if phase.kind == "reps":
            rep = min(phase.seconds // REP_SECONDS, int(into / REP_SECONDS + 1e-9) + 1)
        return Tick(self.index, phase, self.active + into, remaining, remaining + self.after[self.index], rep)

    def _tick_after(self, now: float) -> float:
        """The next view tick or rep boundary after `now`, on a grid from the phase start."""
        into = now - self.start
        due = math.inf
        if self.tick is not None:
            due = self.start + (math.floor(into / self.tick + 1e-9) + 1) * self.tick
        if self.phases[self.index].kind == "reps":
            due = min(due, self.start + (math.floor(into / REP_SECONDS + 1e-9) + 1) * REP_SECONDS)
        return due

    # -- keys

    def _key(self, key: str, now: float) -> None:
        key = key.lower()
        if key == HELP:
            self.help = not self.help
            self.emit(HelpToggled(self.help, self._elapsed(now)))
        elif key == QUIT:
            self._cut(now)
            self.quit = True
        elif key == PAUSE:
            if self.paused_at is None:
                self.paused_at = now
                self.emit(Paused(self.index, self._elapsed(now)))
            else:
                self._resume(now)
        elif key in (NEXT, BACK):
            if self.paused_at is not None:
                self._resume(now)
            phase = self.phases[self.index]
            item = phase.item
            self._cut(now)
            if key == NEXT:
                self.emit(Skipped(item, self.active))
                later = (start for start in self.first.values() if start > self.index)
                self._enter(min(later, default=len(self.phases)), now)
            else:
                self.emit(Back(item, self.active))
                self._enter(self.first[(phase.round, item)], now)

    def _resume(self, now: float) -> None:
        assert self.paused_at is not None
        span = now - self.paused_at
        self.paused_at = None
        self._shift(span)
        self.emit(Resumed(self.index, self._elapsed(now), span))

    def _outcome(self, started: float, interrupted: bool) -> Outcome:
        items = []
        for index, item in enumerate(self.routine.items):
            status = "done" if self.finished[index] else "partial" if self.worked[index] else "skipped"
            items.append(
                ItemOutcome(index, item.exercise.id, item.exercise.name, status, self.planned[index], self.done[index])
            )
        return Outcome(
            items=tuple(items),
            planned_seconds=sum(self.planned),
            done_seconds=self.active,
            paused_seconds=self.paused,
            started_at=started,
            ended_at=self.clock.now(),
            quit_early=self.quit,
            interrupted=interrupted,
        )


# -- fakes for tests and demos: a clock that only moves when keys are read


class FakeClock:
    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time


ScriptedKey: TypeAlias = str | BaseException | type[BaseException]


class ScriptedKeys:
    """Keys pressed at given clock times; waiting moves the fake clock instead of sleeping.

    A script value that is an exception (say KeyboardInterrupt) is raised at its time.
    Past `limit` seconds of fake time it raises RuntimeError, so a test never spins.
    """

    def __init__(
        self,
        clock: FakeClock,
        script: Mapping[float, ScriptedKey] | Iterable[tuple[float, ScriptedKey]] = (),
        limit: float = 24 * 3600.0,
    ) -> None:
        self.clock = clock
        pairs = script.items() if isinstance(script, Mapping) else script
        self.script = sorted(pairs, key=lambda pair: pair[0])
        self.limit = limit
        self.reads = 0

    def read(self, timeout: float) -> str | None:
        self.reads += 1
        until = self.clock.time + max(0.0, timeout)
        if self.script and self.script[0][0] <= until:
            at, key = self.script.pop(0)
            self.clock.time = max(self.clock.time, at)
            if isinstance(key, str):
                return key
            raise key
        self.clock.time = until
        if until > self.limit:
            raise RuntimeError("scripted session ran past its time limit")
        return None


# -- words: the phase in words, the cue line, what comes next, the summary


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lead_lower(text: str) -> str:
    """'Lie face up' -> 'lie face up', but 'IR drill' stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _set_side(phase: Phase, routine: Routine) -> list[str]:
    parts = []
    sets = routine.items[phase.item].dosage.sets
    if sets > 1 and phase.set is not None:
        parts.append(f"set {phase.set} of {sets}")
    if phase.side is not None:
        parts.append(f"{phase.side} side")
    return parts


def phase_words(phase: Phase, routine: Routine, rep: int | None = None, remaining: float | None = None) -> str:
    """The phase as the live view says it: 'Set 1 of 2 · left side · rep 3 of 8'."""
    ex = routine.items[phase.item].exercise
    if phase.kind == "setup":
        return "Get into position: " + _lead_lower(ex.steps[0]) if ex.steps else "Get into position"
    if phase.kind == "switch":
        return f"Switch to the {phase.side} side" if phase.side else "Switch sides"
    if phase.kind == "rest":
        return f"Rest {phase.seconds} s"
    parts = _set_side(phase, routine)
    if phase.kind == "reps":
        parts.append(f"rep {rep or 1} of {phase.seconds // REP_SECONDS}")
    else:
        left = phase.seconds if remaining is None else math.ceil(remaining - 1e-9)
        parts += ["hold", f"{left} s left"]
    return _sentence_case(" · ".join(parts))


def cue_line(phase: Phase, routine: Routine) -> str:
    """What to say when a phase starts, spoken or printed: 'Clamshell, left side: 20 reps'."""
    ex = routine.items[phase.item].exercise
    if phase.kind == "setup":
        line = f"Exercise {phase.item + 1} of {len(routine.items)}, {ex.name}. Get into position"
        return line + (": " + _lead_lower(ex.steps[0]) if ex.steps else ".")
    if phase.kind == "switch":
        return f"Switch to the {phase.side} side" if phase.side else "Switch sides"
    if phase.kind == "rest":
        return f"Rest for {phase.seconds} seconds"
    work = f"{phase.seconds // REP_SECONDS} reps" if phase.kind == "reps" else f"hold for {phase.seconds} seconds"
    return ", ".join([ex.name, *_set_side(phase, routine)]) + ": " + work


def next_words(phases: list[Phase], index: int, routine: Routine) -> str:
    """What follows phase `index`: 'Next: switch to the right side (5 s)'."""
    if index + 1 >= len(phases):
        return "Next: the end of the session"
    phase = phases[index + 1]
    if phase.kind == "setup":
        ex = routine.items[phase.item].exercise
        return f"Next: {ex.name} ({ex.position.value})"
    if phase.kind in WORK:
        parts = _set_side(phase, routine)
        parts.append(f"{phase.seconds // REP_SECONDS} reps" if phase.kind == "reps" else f"hold {phase.seconds} s")
        return "Next: " + " · ".join(parts)
    length = "" if phase.kind == "rest" else f" ({phase.seconds} s)"
    return "Next: " + _lead_lower(phase_words(phase, routine)) + length


def event_line(event: Event, routine: Routine) -> str | None:
    """One line for a cue event (None for ticks and the like), plain or spoken."""
    if isinstance(event, PhaseStarted):
        return cue_line(event.phase, routine)
    if isinstance(event, Paused):
        return "Paused"
    if isinstance(event, Resumed):
        return "Resumed"
    if isinstance(event, Skipped):
        return f"Skipped {routine.items[event.item_index].exercise.name}"
    if isinstance(event, Back):
        return f"Back to the start of {routine.items[event.item_index].exercise.name}"
    if isinstance(event, HelpToggled):
        return KEYS_SENTENCE if event.shown else None
    if isinstance(event, Finished):
        outcome = event.outcome
        if outcome.completed:
            return "Session complete"
        return "Session stopped" if outcome.interrupted else "Session ended early"
    return None


KEYS_HINT = "space pause · n next · b back · q quit · ? keys"
KEYS_HELP = (
    ("space", "pause or resume"),
    ("n", "skip to the next exercise"),
    ("b", "back to the start of this exercise"),
    ("q", "end the session now (it counts as partial)"),
    ("?", "show or hide these keys"),
    ("Ctrl-C", "stop at once"),
)
KEYS_SENTENCE = (
    "Keys: space pauses or resumes, n skips to the next exercise, "
    "b goes back to the start of this one, q ends the session."
)


def _names(items: tuple[ItemOutcome, ...]) -> str:
    return ", ".join(item.name for item in items)


def summary_lines(outcome: Outcome) -> list[str]:
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


class PlainPrinter:
    """The plain view: one line per cue with the elapsed time; nothing is ever redrawn."""

    def __init__(self, routine: Routine, stream: TextIO) -> None:
        self.routine = routine
        self.stream = stream

    def __call__(self, event: Event) -> None:
        line = event_line(event, self.routine)
        if line is None:
            return
        elapsed = event.outcome.done_seconds if isinstance(event, Finished) else event.elapsed
        self.stream.write(f"[{clock(elapsed, pad=True)}] {line}\n")
        self.stream.flush()
