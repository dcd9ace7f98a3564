"""The guided-session engine against a fake clock: timing, keys, records, words, plain output."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from hiprot.catalogue import Catalogue
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.planner import build_routine
from hiprot.session import (
    HANGUP,
    INTERRUPT,
    OUTPUT_CLOSED,
    TERMINATE,
    Back,
    Countdown,
    Event,
    Finished,
    HelpToggled,
    Instant,
    Paused,
    PhaseStarted,
    Rep,
    Resumed,
    SessionResult,
    Skipped,
    Stop,
    Tick,
    Waiting,
    fan_out,
    run_session,
    wait_ready,
)
from hiprot.timeline import REP_SECONDS, timeline, total_seconds
from tests.fakes import FakeClock, ScriptedKeys


class Recorder:
    """An event sink that keeps every event with the fake clock's time when it came."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.events: list[tuple[float, Any]] = []  # Any: tests read each kind's own fields

    def __call__(self, event: Event) -> None:
        self.events.append((self.clock.now(), event))

    def of(self, kind: Any) -> list[Any]:
        return [e for _, e in self.events if isinstance(e, kind)]

    def at(self, kind: Any) -> list[tuple[float, Any]]:
        return [(t, e) for t, e in self.events if isinstance(e, kind)]


def run(routine: Routine, script: Any = (), **options: Any) -> tuple[SessionResult, Recorder]:
    clock = FakeClock()
    recorder = Recorder(clock)
    outcome = run_session(routine, keys=ScriptedKeys(clock, script), clock=clock, on_event=recorder, **options)
    return outcome, recorder


@pytest.fixture(scope="module")
def warmup(bundled: Catalogue) -> Routine:
    return build_routine(bundled, Request(goal=Goal.WARMUP))


@pytest.fixture(scope="module")
def small(mini: Catalogue) -> Routine:
    return small_routine(mini)


def small_routine(mini: Catalogue) -> Routine:
    """Three items whose timeline is short and fixed (total 198 s), for exact expectations."""
    return Routine(
        Request(goal=Goal.WARMUP),
        (
            # setup 0-15, reps L 15-27, switch 27-32, reps R 32-44, rest 44-54,
            # switch 54-59, reps L 59-71, switch 71-76, reps R 76-88
            Item(mini.get("lying-drill"), Dose(2, True, reps=4, rest_s=10)),
            # setup 88-103, hold L 103-123, switch 123-128, hold R 128-148
            Item(mini.get("outer-hip-stretch"), Dose(1, True, hold_s=20)),
            # up from the floor 148-168, setup 168-183, reps 183-198
            Item(mini.get("loop-band-walk"), Dose(1, False, reps=5)),
        ),
    )


def starts(recorder: Recorder) -> list[tuple[float, int, float]]:
    """(clock time, timeline index, elapsed) of each PhaseStarted."""
    return [(t, e.index, e.elapsed) for t, e in recorder.at(PhaseStarted)]


# -- a whole routine


def test_whole_routine_runs_in_milliseconds_phase_by_phase(warmup: Routine) -> None:
    began = time.perf_counter()
    outcome, rec = run(warmup)
    assert time.perf_counter() - began < 0.5

    phases = timeline(warmup)
    started = rec.of(PhaseStarted)
    assert [e.phase for e in started] == phases
    assert [e.index for e in started] == list(range(len(phases)))
    assert [e.item_index for e in started] == [p.item for p in phases]
    cumulative = list(itertools.accumulate([0] + [p.seconds for p in phases]))
    assert [e.elapsed for e in started] == cumulative[:-1]
    # Each phase starts exactly when the one before it was due: its length is the timeline's.
    assert [t for t, _ in rec.at(PhaseStarted)] == cumulative[:-1]
    assert [e.total_remaining for e in started] == [total_seconds(warmup) - c for c in cumulative[:-1]]

    total = total_seconds(warmup)
    assert outcome.done_seconds == outcome.planned_seconds == total
    assert outcome.ended_at - outcome.started_at == total
    assert outcome.completed and outcome.status == "completed"
    assert not outcome.quit_early and not outcome.interrupted and outcome.paused_seconds == 0
    assert [(i.exercise_id, i.status) for i in outcome.items] == [(it.exercise.id, "done") for it in warmup.items]
    assert [i.done_seconds for i in outcome.items] == [i.planned_seconds for i in outcome.items]
    assert sum(i.planned_seconds for i in outcome.items) == total

    _, last = rec.events[-1]
    assert isinstance(last, Finished) and last.outcome == outcome
    assert len(rec.of(Finished)) == 1


def test_ticks_four_a_second_and_exact_rep_counts(small: Routine) -> None:
    _, rec = run(small)
    phases = timeline(small)
    ticks = rec.at(Tick)
    times = [t for t, _ in ticks]
    assert all(b - a >= 0.25 for a, b in itertools.pairwise(times))
    # a tick every quarter second inside each phase, none at a phase's own start or end
    assert len(ticks) == sum(4 * p.seconds - 1 for p in phases)
    for t, tick in ticks:
        assert tick.phase == phases[tick.index]
        assert tick.elapsed == t  # nothing paused
        assert 0 < tick.phase_remaining < tick.phase.seconds
    first_reps = [tick for _, tick in ticks if tick.index == 1]  # 4 reps, 15-27
    assert [tick.rep for tick in first_reps if tick.elapsed in (15.25, 17.75, 18.0, 21.0, 24.0, 26.75)] == [
        1, 1, 2, 3, 4, 4,
    ]
    assert {tick.rep for _, tick in ticks if tick.phase.kind != "reps"} == {None}


def test_without_view_ticks_only_rep_boundaries_wake_it(small: Routine) -> None:
    _, rec = run(small, tick=None)
    assert [(e.index, e.elapsed, e.rep) for e in rec.of(Tick)][:3] == [(1, 18.0, 2), (1, 21.0, 3), (1, 24.0, 4)]
    reps_phases = [p for p in timeline(small) if p.kind == "reps"]
    assert len(rec.of(Tick)) == sum(p.seconds // REP_SECONDS - 1 for p in reps_phases)


def test_late_wakeups_never_accumulate(small: Routine) -> None:
    """A key source that always oversleeps by 0.1 s: phases still start on their deadlines."""

    class Oversleeping(ScriptedKeys):
        def read(self, timeout: float) -> str | None:
            key = super().read(timeout)
            self.clock.time += 0.1
            return key

    clock = FakeClock()
    rec = Recorder(clock)
    outcome = run_session(small, keys=Oversleeping(clock), clock=clock, on_event=rec)
    cumulative = list(itertools.accumulate([0] + [p.seconds for p in timeline(small)]))
    assert [e.elapsed for e in rec.of(PhaseStarted)] == cumulative[:-1]
    # each phase change is noticed 0.1 s late, but that never adds up
    for (t, _), due in zip(rec.at(PhaseStarted)[1:], cumulative[1:], strict=False):
        assert due <= t <= due + 0.1 + 1e-9
    assert outcome.done_seconds == 198
    assert 198 <= outcome.ended_at - outcome.started_at <= 198.1 + 1e-9


def test_a_stopped_process_counts_as_paused(small: Routine) -> None:
    """A wake-up 30 s late (Ctrl-Z, then fg) does not race through the missed phases."""

    class Stalling(ScriptedKeys):
        def read(self, timeout: float) -> str | None:
            key = super().read(timeout)
            if 20 <= self.clock.time < 21:
                self.clock.time += 30
            return key

    clock = FakeClock()
    rec = Recorder(clock)
    outcome = run_session(small, keys=Stalling(clock), clock=clock, on_event=rec)
    assert [e.phase for e in rec.of(PhaseStarted)] == timeline(small)
    assert outcome.completed and outcome.done_seconds == 198
    assert outcome.paused_seconds == pytest.approx(30)


# -- pause, skip, back, quit, Ctrl-C


def test_pause_is_not_counted(small: Routine) -> None:
    outcome, rec = run(small, {20.0: " ", 30.0: " "})
    assert [(t, e.elapsed) for t, e in rec.at(Paused)] == [(20.0, 20.0)]
    assert [(t, e.elapsed, e.paused_seconds) for t, e in rec.at(Resumed)] == [(30.0, 20.0, 10.0)]
    # phases after the pause start 10 s later on the clock, at the same elapsed time
    moved = [(t, i, el) for t, i, el in starts(rec) if i >= 2]
    assert all(t == el + 10 for t, _, el in moved)
    assert all(t == el for t, i, el in starts(rec) if i < 2)
    # no ticks while paused, and elapsed in ticks never counts the pause
    assert not [t for t, _ in rec.at(Tick) if 20 < t < 30]
    assert all(e.elapsed == t - 10 for t, e in rec.at(Tick) if t > 30)
    assert outcome.completed
    assert outcome.done_seconds == 198 and outcome.paused_seconds == 10
    assert outcome.ended_at - outcome.started_at == 208
    assert outcome.items[0].done_seconds == 88


def test_skip_marks_the_rest_skipped_and_moves_to_the_next_setup(small: Routine) -> None:
    outcome, rec = run(small, {20.0: "n", 30.0: "n"})
    assert [(t, e.item_index, e.elapsed) for t, e in rec.at(Skipped)] == [(20.0, 0, 20.0), (30.0, 1, 30.0)]
    following = [(t, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted) if t in (20.0, 30.0)]
    # the next exercise's first phase: its set-up, or the way up from the floor to it
    assert following == [(20.0, "setup", 1), (30.0, "transition", 2)]
    # skipped 5 s into the reps: partial, 20 s done; skipped in its set-up: skipped, 10 s spent
    assert [(i.status, i.done_seconds) for i in outcome.items] == [
        ("partial", 20.0),
        ("skipped", 10.0),
        ("done", 50.0),
    ]
    assert not outcome.completed and outcome.status == "partial"
    assert not outcome.quit_early
    assert outcome.done_seconds == 80 == outcome.ended_at


def test_skipping_the_last_item_ends_the_session(small: Routine) -> None:
    outcome, rec = run(small, {190.0: "n"})
    assert isinstance(rec.events[-1][1], Finished)
    assert outcome.ended_at == 190.0
    assert [i.status for i in outcome.items] == ["done", "done", "partial"]


def test_back_restarts_the_current_item(small: Routine) -> None:
    outcome, rec = run(small, {40.0: "b"})
    assert [(t, e.item_index, e.elapsed) for t, e in rec.at(Back)] == [(40.0, 0, 40.0)]
    assert starts(rec)[4] == (40.0, 0, 40.0)  # the item's set-up again, from the current time
    assert [e.index for e in rec.of(PhaseStarted)][:8] == [0, 1, 2, 3, 0, 1, 2, 3]
    assert outcome.completed
    assert outcome.items[0].done_seconds == 40 + 88
    assert outcome.done_seconds == 40 + 198 == outcome.ended_at


# -- a circuit: every item, a rest, every item again (198 s, 30 s rest, 20 s down to the floor, 198 s)


def test_a_two_round_routine_runs_round_by_round(small: Routine) -> None:
    circuit = small._replace(rounds=2)
    outcome, rec = run(circuit)
    started = [(t, e.phase.round, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted)]
    setups = [(t, r, i) for t, r, kind, i in started if kind == "setup"]
    assert setups == [(0, 1, 0), (88, 1, 1), (168, 1, 2), (248, 2, 0), (336, 2, 1), (416, 2, 2)]
    assert (198, 1, "rest", 2) in started  # the rest between rounds, after round 1's last item
    assert (228, 1, "transition", 2) in started  # then back down to the floor for round 2's first item
    assert outcome.completed and outcome.done_seconds == total_seconds(circuit) == 446 == outcome.ended_at


def test_skip_and_back_in_the_second_round_stay_in_it(small: Routine) -> None:
    circuit = small._replace(rounds=2)
    script = {210.0: "n", 220.0: "n", 250.0: "b"}
    _, rec = run(circuit, script)
    moves = [(t, e.phase.round, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted) if t in script]
    assert moves == [
        (210.0, 2, "setup", 0),  # skipping the rest between rounds starts round 2
        (220.0, 2, "setup", 1),  # skipping round 2's first item goes to its second, not back to round 1
        (250.0, 2, "setup", 1),  # back restarts round 2's item
    ]
    # The rest belongs to round 1's last item: skipping that item skips the rest too.
    _, rec = run(circuit, {170.0: "n"})
    assert [(e.phase.round, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted) if t == 170.0] == [
        (2, "setup", 0)
    ]


def test_an_item_is_done_only_when_its_last_round_is(small: Routine) -> None:
    outcome, _ = run(small._replace(rounds=2), {200.0: "q"})
    assert [i.status for i in outcome.items] == ["partial", "partial", "partial"]


def test_quit_gives_a_partial_record(small: Routine) -> None:
    outcome, rec = run(small, {100.0: "q"})
    assert outcome.quit_early and not outcome.interrupted
    assert outcome.status == "partial"
    assert [(i.status, i.done_seconds) for i in outcome.items] == [
        ("done", 88.0),
        ("skipped", 12.0),  # 12 s into its set-up
        ("skipped", 0.0),
    ]
    assert outcome.done_seconds == 100 == outcome.ended_at
    assert [type(e) for _, e in rec.events if not isinstance(e, Tick)][-2:] == [PhaseStarted, Finished]
    assert rec.events[-1][1].outcome == outcome


def test_ctrl_c_gives_a_partial_record_flagged_interrupted(small: Routine) -> None:
    outcome, rec = run(small, {30.0: " ", 50.0: KeyboardInterrupt})
    assert outcome.interrupted and not outcome.quit_early
    assert outcome.status == "partial"
    assert outcome.items[0].status == "partial" and outcome.items[0].done_seconds == 30
    assert outcome.paused_seconds == 20 and outcome.ended_at == 50
    assert isinstance(rec.events[-1][1], Finished) and rec.events[-1][1].outcome.interrupted


def test_ctrl_c_inside_an_event_sink_is_counted_once(small: Routine) -> None:
    clock = FakeClock()
    rec = Recorder(clock)

    def explode_on_skip(event: Event) -> None:
        if isinstance(event, Skipped):
            raise KeyboardInterrupt

    outcome = run_session(
        small, keys=ScriptedKeys(clock, {20.0: "n"}), clock=clock, on_event=fan_out(rec, explode_on_skip)
    )
    assert outcome.interrupted
    assert outcome.items[0].done_seconds == 20 and outcome.done_seconds == 20


def test_quit_while_paused_counts_up_to_the_pause(small: Routine) -> None:
    outcome, _ = run(small, {10.0: " ", 40.0: "q"})
    assert outcome.done_seconds == 10 and outcome.paused_seconds == 30
    assert outcome.ended_at - outcome.started_at == 40


def test_next_and_back_while_paused_resume_first(small: Routine) -> None:
    outcome, rec = run(small, {10.0: " ", 40.0: "n"})
    assert [type(e).__name__ for _, e in rec.events if not isinstance(e, Tick)][:5] == [
        "PhaseStarted", "Paused", "Resumed", "Skipped", "PhaseStarted",
    ]
    assert outcome.items[0].done_seconds == 10 and outcome.items[0].status == "skipped"
    assert outcome.paused_seconds == 30


def test_help_toggles_and_changes_nothing_else(small: Routine) -> None:
    outcome, rec = run(small, {5.0: "?", 6.0: "?", 7.0: "x", 8.0: "\x1b"})
    assert [(e.shown, e.elapsed) for e in rec.of(HelpToggled)] == [(True, 5.0), (False, 6.0)]
    assert outcome.completed and outcome.done_seconds == 198 and outcome.ended_at == 198
    assert [e.phase for e in rec.of(PhaseStarted)] == timeline(small)


def test_upper_case_keys_work(small: Routine) -> None:
    _, rec = run(small, {8.0: "N", 20.0: "B", 30.0: "Q"})
    assert [(type(e).__name__, e.item_index) for e in rec.of(Skipped | Back)] == [("Skipped", 0), ("Back", 1)]
    assert rec.events[-1][1].outcome.quit_early


def test_empty_routine_finishes_at_once(small: Routine) -> None:
    outcome, rec = run(small._replace(items=()))
    assert outcome.completed and outcome.items == () and outcome.done_seconds == 0
    assert [type(e) for _, e in rec.events] == [Finished]


def test_scripted_keys_refuse_to_spin_forever(small: Routine) -> None:
    with pytest.raises(RuntimeError, match="time limit"):
        run(small, {1.0: " "})  # paused, never resumed


def test_tick_must_be_positive(small: Routine) -> None:
    with pytest.raises(ValueError):
        run(small, tick=0)


def test_fan_out_calls_every_sink_in_order() -> None:
    seen: list[str] = []
    sink = fan_out(lambda e: seen.append("a"), lambda e: seen.append("b"))
    sink(Paused(0, 1.0))
    assert seen == ["a", "b"]



# -- beats, countdowns, going back, stopping from outside, the ready screen


def test_reps_beat_every_3_s_and_holds_and_rests_count_down_on_the_clock(small: Routine) -> None:
    _, rec = run(small)
    # lying drill, first set left: reps 15-27 -> beats for reps 2, 3, 4 at 18, 21, 24
    assert [(t, e.index, e.rep, e.elapsed) for t, e in rec.at(Rep)][:3] == [
        (18.0, 1, 2, 18.0), (21.0, 1, 3, 21.0), (24.0, 1, 4, 24.0),
    ]  # fmt: skip
    reps_phases = [p for p in timeline(small) if p.kind == "reps"]
    assert len(rec.of(Rep)) == sum(p.seconds // REP_SECONDS - 1 for p in reps_phases)
    # rest 44-54 and holds 103-123, 128-148: 3, 2, 1 in their last three seconds; never in a switch
    assert [(t, e.number, e.phase.kind) for t, e in rec.at(Countdown)] == [
        (51.0, 3, "rest"), (52.0, 2, "rest"), (53.0, 1, "rest"),
        (120.0, 3, "hold"), (121.0, 2, "hold"), (122.0, 1, "hold"),
        (145.0, 3, "hold"), (146.0, 2, "hold"), (147.0, 1, "hold"),
    ]  # fmt: skip


def test_beats_and_countdowns_wait_out_a_pause(small: Routine) -> None:
    _, rec = run(small, {19.0: " ", 29.0: " "}, tick=None)
    assert [(t, e.rep, e.elapsed) for t, e in rec.at(Rep)][:3] == [(18.0, 2, 18.0), (31.0, 3, 21.0), (34.0, 4, 24.0)]
    assert [(t, e.elapsed) for t, e in rec.at(Countdown)][:1] == [(61.0, 51.0)]


def test_beats_without_a_view_never_move_the_timing(small: Routine) -> None:
    outcome, rec = run(small, tick=None)
    assert [e.elapsed for e in rec.of(PhaseStarted)] == list(
        itertools.accumulate([0] + [p.seconds for p in timeline(small)])
    )[:-1]
    assert outcome.done_seconds == 198 == outcome.ended_at


def test_back_in_set_up_goes_to_the_exercise_before(small: Routine) -> None:
    # item 1's set-up runs 88-103: b at 95 goes back to item 0's set-up
    outcome, rec = run(small, {95.0: "b"})
    assert [(e.item_index, e.to_item) for e in rec.of(Back)] == [(1, 0)]
    again = [(t, e.item_index, e.phase.kind) for t, e in rec.at(PhaseStarted) if t == 95.0]
    assert again == [(95.0, 0, "setup")]
    assert outcome.completed and outcome.done_seconds == 95 + 198


def test_back_in_the_first_seconds_goes_to_the_exercise_before_then_to_the_start(small: Routine) -> None:
    # item 1's first hold starts at 103: within 5 s it goes back to item 0; later, to item 1's own start
    _, early = run(small, {106.0: "b"})
    _, late = run(small, {110.0: "b"})
    assert [(e.item_index, e.to_item) for e in early.of(Back)] == [(1, 0)]
    assert [(e.item_index, e.to_item) for e in late.of(Back)] == [(1, 1)]


def test_back_in_the_first_exercise_restarts_it(small: Routine) -> None:
    _, rec = run(small, {5.0: "b"})
    assert [(e.item_index, e.to_item) for e in rec.of(Back)] == [(0, 0)]


@pytest.mark.parametrize("reason", [HANGUP, TERMINATE, OUTPUT_CLOSED])
def test_a_stop_from_outside_is_a_partial_record_saying_why(small: Routine, reason: str) -> None:
    outcome, rec = run(small, {30.0: Stop(reason)})
    assert outcome.stopped_by == reason and outcome.interrupted and not outcome.quit_early
    assert outcome.status == "partial" and outcome.done_seconds == 30
    assert rec.events[-1][1].outcome.stopped_by == reason


def test_ctrl_c_says_interrupt(small: Routine) -> None:
    outcome, _ = run(small, {30.0: KeyboardInterrupt})
    assert outcome.stopped_by == INTERRUPT
    finished, _ = run(small)
    assert finished.stopped_by is None and not finished.interrupted


def test_instant_runs_a_session_without_waiting(small: Routine) -> None:
    instant = Instant()
    began = time.perf_counter()
    outcome = run_session(small, keys=instant, clock=instant)
    assert time.perf_counter() - began < 0.5
    assert outcome.completed and outcome.ended_at == 198


def ready(script: Any, countdown: int = 10) -> tuple[bool, list[tuple[float, Any]], float]:
    clock = FakeClock()
    rec = Recorder(clock)
    started = wait_ready(ScriptedKeys(clock, script), clock, rec, countdown)
    return started, [(t, e) for t, e in rec.events], clock.now()


def test_ready_waits_for_a_key_then_counts_ten_seconds_down() -> None:
    started, events, at = ready({300.0: "\n"})
    assert started and at == 310.0
    assert events[0] == (0.0, Waiting())  # and nothing else until the key: the screen stays as it is
    assert [(t, e.seconds) for t, e in events[1:]] == [(300.0 + n, 10 - n) for n in range(10)]


def test_ready_space_again_starts_at_once_and_q_quits() -> None:
    started, events, at = ready({5.0: " ", 8.5: " "})
    assert started and at == 8.5 and [e.seconds for _, e in events[1:]] == [10, 9, 8, 7]
    assert ready({5.0: "x", 6.0: "q"})[0] is False
    assert ready({5.0: " ", 7.0: "Q"})[0] is False


def test_ready_ctrl_c_is_the_callers() -> None:
    with pytest.raises(KeyboardInterrupt):
        ready({5.0: KeyboardInterrupt})


def test_back_never_replays_the_way_up_the_body_has_done(small: Routine) -> None:
    # the loop-band walk: up from the floor 148-168, set-up 168-183, reps 183-198
    _, rec = run(small, {190.0: "b"})
    assert [(t, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted) if t == 190.0] == [(190.0, "setup", 2)]
    # In the set-up that follows the way up (even 7 s into it), back is the exercise before.
    _, rec = run(small, {175.0: "b"})
    assert [(e.item_index, e.to_item) for e in rec.of(Back)] == [(2, 1)]
    assert [(t, e.phase.kind, e.item_index) for t, e in rec.at(PhaseStarted) if t == 175.0] == [(175.0, "setup", 1)]
