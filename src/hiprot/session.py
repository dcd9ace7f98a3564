"""A guided session: runs a routine's timeline against a clock and a key source. Pure.

The engine never sleeps for a phase's length. Every phase has a deadline (its start plus
its seconds, moved on by any pause), and the next phase starts at that deadline rather
than whenever the loop happens to notice it, so lateness never accumulates. Between
deadlines the engine waits in `keys.read(timeout)` for the next view tick, rep beat,
countdown second or deadline, whichever comes first: a real key source sleeps in
select(), so the process uses almost no CPU and still answers a key at once; `Instant`
(a preview) or a test's scripted keys move a fake clock, so a whole routine runs in
milliseconds.

Everything the engine does is reported as an event to one callable (`fan_out` joins
several: a view, the plain printer, a bell, a voice). Besides phase changes there are
`Rep` (each rep's beat, from the second rep on: the first starts with its phase) and
`Countdown` (3, 2, 1 before a hold or a rest ends). Keys: space pauses and resumes, `n`
skips to the next exercise, `b` goes back to the start of the current one (or, in its
set-up or first seconds, to the previous one), `q` ends early, `?` toggles the keys help.
`wait_ready` is the ready screen before it: space or Enter, then a short countdown.

Stopping from outside: a KeyboardInterrupt raised while the session runs (by the key
source, the clock or an event sink) ends it; `Stop` is one that says why (a hangup, a
terminate signal, the output gone). `run_session` then emits `Finished` and *returns* the
result with `stopped_by` set instead of re-raising, so the caller can record the partial
session; it is the caller's job to exit with the matching status after that.

The words for all of it (the phase line, the cue lines, what is spoken, the summary) are
in hiprot.report.plain; the terminal parts (keys, bell, voice, signals) in hiprot.terminal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from hiprot.models import Phase, Routine
from hiprot.timeline import REP_SECONDS, timeline

TICK_SECONDS = 0.25  # the view refreshes at most 4 times a second
PAUSED_WAIT = 60.0  # while paused nothing is due; wake now and then all the same
STALL_SECONDS = 1.0  # a wake this late means the process was stopped (Ctrl-Z): a pause
WORK = frozenset({"reps", "hold"})
COUNTED = frozenset({"hold", "rest"})  # phases whose last three seconds are counted down
COUNTDOWN = 3
BACK_GRACE = 5.0  # `b` this soon into an exercise's first set goes to the exercise before
READY_COUNTDOWN = 10  # seconds from "start" on the ready screen to the first set-up

# Why a session stopped early, besides `q` (KeyboardInterrupt is INTERRUPT).
INTERRUPT, HANGUP, TERMINATE, OUTPUT_CLOSED = "interrupt", "hangup", "terminate", "output closed"

# The keys, as the engine reads them (lower case; upper case works too).
PAUSE, NEXT, BACK, QUIT, HELP, PAIN = " ", "n", "b", "q", "?", "p"
START_KEYS = frozenset({" ", "\n", "\r"})  # on the ready screen: space or Enter


class Stop(KeyboardInterrupt):
    """Ends a session the way Ctrl-C does, for a reason given (HANGUP, TERMINATE, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


class Instant:
    """A clock and a key source in one that never waits: no key ever comes, and waiting
    for one moves the time on instead. Runs a whole session at once, for a preview."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def read(self, timeout: float) -> str | None:
        self.time += max(0.0, timeout)
        return None


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
class Rep:
    """The beat of rep `rep` (2 and on) in a reps phase; `elapsed` is the beat's own time."""

    index: int
    phase: Phase
    rep: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class Countdown:
    """`number` (3, 2, 1) seconds are left in a hold or rest."""

    index: int
    phase: Phase
    number: int
    elapsed: float


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
    item_index: int  # the exercise it was in
    elapsed: float
    to_item: int  # the exercise it starts again: the same one, or the one before


@dataclass(frozen=True, slots=True)
class Waiting:
    """The ready screen is up, waiting for space or Enter."""


@dataclass(frozen=True, slots=True)
class Starting:
    """The session starts in `seconds` (the ready countdown, once a second)."""

    seconds: int


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
class SessionResult:
    """The record of a session; `started_at` and `ended_at` are clock readings."""

    items: tuple[ItemOutcome, ...]
    planned_seconds: int
    done_seconds: float
    paused_seconds: float
    started_at: float
    ended_at: float
    quit_early: bool
    stopped_by: str | None = None  # INTERRUPT (Ctrl-C), HANGUP, ...: stopped from outside
    sharp_pain: bool = False  # ended with the sharp-pain key

    @property
    def interrupted(self) -> bool:
        """Stopped from outside (Ctrl-C, a signal, the output gone), not by `q`."""
        return self.stopped_by is not None

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
    outcome: SessionResult


Event: TypeAlias = (
    PhaseStarted | Tick | Rep | Countdown | Paused | Resumed | HelpToggled | Skipped | Back | Finished
    | Waiting | Starting
)
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
    phases: Sequence[Phase] | None = None,
) -> SessionResult:
    """Run the routine's timeline to its end, or until `q` or Ctrl-C, and say what was done.

    `tick` is the interval of Tick events (None: only at rep boundaries). `phases` is the
    routine's timeline when the caller has it (a prescription's), else it is computed. A
    KeyboardInterrupt is not re-raised: the result comes back with `stopped_by` set (see
    the module notes).
    """
    if tick is not None and tick <= 0:
        raise ValueError("tick must be positive")
    found = list(phases) if phases is not None else timeline(routine)
    return _Run(routine, found, clock or MonotonicClock(), keys, on_event, tick).run()


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
        self.marks: list[tuple[float, int]] = []  # (offset into the phase, rep or countdown number)
        self.mark = 0  # the next mark of the current phase
        self.paused_at: float | None = None
        self.paused = 0.0
        self.help = False
        self.quit = False
        self.sharp_pain = False

    # -- the loop

    def run(self) -> SessionResult:
        started = self.clock.now()
        stopped_by = None
        try:
            self._enter(0, started)
            while self.index < len(self.phases) and not self.quit:
                self._step()
        except KeyboardInterrupt as stop:
            stopped_by = stop.reason if isinstance(stop, Stop) else INTERRUPT
            self._cut(self.clock.now())
        outcome = self._outcome(started, stopped_by)
        self.emit(Finished(outcome))
        return outcome

    def _step(self) -> None:
        if self.paused_at is not None:
            key = self.keys.read(PAUSED_WAIT)
            if key is not None:
                self._key(key, self.clock.now())
            return
        deadline = self.start + self.phases[self.index].seconds
        wake = min(deadline, self.next_tick, self._next_mark())
        now = self.clock.now()
        key = self.keys.read(wake - now) if wake > now else None
        now = self.clock.now()
        if now > wake + STALL_SECONDS:
            self._shift(now - wake)
        # Beats and phases that are due come first, at their own times; then the key acts on the present.
        while self.index < len(self.phases):
            self._marks_due(now)
            if now < self.start + self.phases[self.index].seconds:
                break
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
        self.marks, self.mark = [], 0
        if self.open:
            self.next_tick = self._tick_after(at)
            phase = self.phases[index]
            if phase.kind == "reps":
                self.marks = [((rep - 1) * REP_SECONDS, rep) for rep in range(2, phase.seconds // REP_SECONDS + 1)]
            elif phase.kind in COUNTED:
                self.marks = [(phase.seconds - n, n) for n in range(COUNTDOWN, 0, -1) if n < phase.seconds]
            self.emit(PhaseStarted(index, phase, phase.item, self.active, phase.seconds + self.after[index]))

    def _next_mark(self) -> float:
        return self.start + self.marks[self.mark][0] if self.mark < len(self.marks) else math.inf

    def _marks_due(self, now: float) -> None:
        """Emit the current phase's rep beats and countdown seconds that are due, each at its time."""
        phase = self.phases[self.index]
        while self.mark < len(self.marks) and now >= self.start + self.marks[self.mark][0]:
            offset, number = self.marks[self.mark]
            self.mark += 1
            if phase.kind == "reps":
                self.emit(Rep(self.index, phase, number, self.active + offset))
            else:
                self.emit(Countdown(self.index, phase, number, self.active + offset))

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
        elif key in (QUIT, PAIN):
            self._cut(now)
            self.quit = True
            self.sharp_pain = key == PAIN
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
            setup = self._setup((phase.round, item))
            early = self.index <= setup or (self.index == setup + 1 and now - self.start < BACK_GRACE)
            self._cut(now)
            if key == NEXT:
                self.emit(Skipped(item, self.active))
                later = (start for start in self.first.values() if start > self.index)
                self._enter(min(later, default=len(self.phases)), now)
            else:
                # In its set-up or first seconds, an exercise has barely begun: back means the
                # one before (in the same round; the first exercise of a round goes back to its start).
                to = item - 1 if early and (phase.round, item - 1) in self.first else item
                self.emit(Back(item, self.active, to))
                # The body is where this exercise is: its own way down or up is not done again;
                # the one before starts with its way back when this one had to change height.
                moved = self.first[(phase.round, item)] != self._setup((phase.round, item))
                start = self.first[(phase.round, to)] if to != item and moved else self._setup((phase.round, to))
                self._enter(start, now)

    def _setup(self, key: tuple[int, int]) -> int:
        """The index of an item's set-up in a round: its first phase, or the one after its
        way down to the floor or up from it."""
        begun = self.first[key]
        return begun + 1 if self.phases[begun].kind == "transition" else begun

    def _resume(self, now: float) -> None:
        assert self.paused_at is not None
        span = now - self.paused_at
        self.paused_at = None
        self._shift(span)
        self.emit(Resumed(self.index, self._elapsed(now), span))

    def _outcome(self, started: float, stopped_by: str | None) -> SessionResult:
        items = []
        for index, item in enumerate(self.routine.items):
            status = "done" if self.finished[index] else "partial" if self.worked[index] else "skipped"
            items.append(
                ItemOutcome(index, item.exercise.id, item.exercise.name, status, self.planned[index], self.done[index])
            )
        return SessionResult(
            items=tuple(items),
            planned_seconds=sum(self.planned),
            done_seconds=self.active,
            paused_seconds=self.paused,
            started_at=started,
            ended_at=self.clock.now(),
            quit_early=self.quit,
            stopped_by=stopped_by,
            sharp_pain=self.sharp_pain,
        )


def wait_ready(keys: Keys, clock: Clock, on_event: Sink = _ignore, countdown: int = READY_COUNTDOWN) -> bool:
    """The ready screen: wait for space or Enter, then count `countdown` seconds down.

    Another space or Enter during the countdown starts at once. Returns False when the
    person quits (`q`) instead; Ctrl-C is the caller's, as before a session.
    """
    on_event(Waiting())
    while True:
        key = keys.read(PAUSED_WAIT)
        if key is not None and key.lower() == QUIT:
            return False
        if key in START_KEYS:
            break
    end = clock.now() + countdown
    shown = 0
    while True:
        now = clock.now()
        left = math.ceil(end - now - 1e-9)
        if left <= 0:
            return True
        if left != shown:
            shown = left
            on_event(Starting(left))
        key = keys.read(end - (left - 1) - now)
        if key in START_KEYS:
            return True
        if key is not None and key.lower() == QUIT:
            return False
