"""Real-clock benchmark of a guided session in plain mode (issue 12's performance targets).

What it measures
    * Length: a session whose timeline is planned at N minutes, run against the real
      monotonic clock, must end within 0.25 s of N minutes.
    * Cost: CPU time (user + system, time.process_time) over wall time while it counts
      down must stay at or under 3% of one core.
    * Also shown: how late each phase change was noticed (its deadline is fixed, so this
      never adds up) and how many times the loop woke.

How
    A synthetic routine (catalogue exercises with doses chosen so the timeline sums to
    exactly N minutes) runs through `run_session` with the plain printer, the default
    4 ticks a second, and the real key source (`StdinKeys`) reading an idle pipe, so the
    process waits in select() just as it does on a terminal.

Usage: python bench/session_bench.py [--minutes 10] [--tick 0.25] [--quiet] [--no-fail]
       python bench/session_bench.py --minutes 0.5     # a quick check
Exit status is 1 if a target is missed (unless --no-fail).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # measure this checkout, not an installed copy

from hiprot.catalogue import load_catalogue
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.report.plain import PlainPrinter
from hiprot.session import (
    Event,
    MonotonicClock,
    PhaseStarted,
    fan_out,
    run_session,
)
from hiprot.terminal import StdinKeys
from hiprot.timeline import SETUP_SECONDS, dose_seconds, total_seconds

LENGTH_TARGET = 0.25  # seconds
CPU_TARGET = 0.03  # of one core
BLOCK = Dose(2, True, reps=10, rest_s=30)  # 3 minutes with set-up, rest and switches


def routine_of(seconds: int) -> Routine:
    """Catalogue exercises dosed so the timeline sums to exactly `seconds` (at least 16)."""
    if seconds <= SETUP_SECONDS:
        raise SystemExit(f"a session needs more than {SETUP_SECONDS} s")
    exercises = load_catalogue().exercises
    drills = [ex for ex in exercises if ex.dosage.reps is not None]
    stretch = next(ex for ex in exercises if ex.dosage.hold_s is not None)
    items = [Item(drills[n % len(drills)], BLOCK) for n in range(seconds // dose_seconds(BLOCK))]
    left = seconds - sum(dose_seconds(item.dosage) for item in items)
    if 0 < left <= SETUP_SECONDS:  # too short for an item of its own: a longer hold instead
        left += dose_seconds(items.pop().dosage)
    if left:
        items.append(Item(stretch, Dose(1, False, hold_s=left - SETUP_SECONDS)))
    routine = Routine(Request(goal=Goal.WARMUP), tuple(items))
    assert total_seconds(routine) == seconds
    return routine


class CountingKeys(StdinKeys):
    wakes = 0

    def read(self, timeout: float) -> str | None:
        self.wakes += 1
        return super().read(timeout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="planned length (default 10)")
    parser.add_argument("--tick", type=float, default=0.25, help="view tick in seconds (default 0.25)")
    parser.add_argument("--quiet", action="store_true", help="do not echo the plain cue lines")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a target is missed")
    args = parser.parse_args()

    planned = round(args.minutes * 60)
    routine = routine_of(planned)
    read_end, write_end = os.pipe()  # held open and never written: an idle keyboard
    keys = CountingKeys(os.fdopen(read_end))
    clock = MonotonicClock()
    lateness: list[float] = []
    began = 0.0

    def measure(event: Event) -> None:
        if isinstance(event, PhaseStarted):
            lateness.append(clock.now() - (began + event.elapsed))

    out = io.StringIO() if args.quiet else sys.stdout
    print(f"hiprot session bench: {planned} s planned, {len(routine.items)} items, tick {args.tick} s", flush=True)
    cpu0 = time.process_time()
    began = clock.now()
    outcome = run_session(
        routine, keys=keys, clock=clock, on_event=fan_out(measure, PlainPrinter(routine, out)), tick=args.tick
    )
    wall = clock.now() - began
    cpu = time.process_time() - cpu0
    os.close(write_end)

    off = wall - planned
    share = cpu / wall
    worst = max(lateness[1:], default=0.0)  # the first phase starts with the session
    print()
    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"planned {planned:.3f} s, actual {wall:.3f} s, off by {off * 1000:+.1f} ms (target <= {LENGTH_TARGET * 1000:.0f} ms)")
    print(f"phase changes noticed late by at most {worst * 1000:.2f} ms over {len(lateness)} phases")
    print(f"CPU {cpu:.3f} s over {wall:.1f} s wall = {share * 100:.3f}% of one core (target <= {CPU_TARGET * 100:.0f}%)")
    print(f"loop woke {keys.wakes} times ({keys.wakes / wall:.2f}/s); outcome {outcome.status}")

    missed = []
    if abs(off) > LENGTH_TARGET:
        missed.append("length")
    if share > CPU_TARGET:
        missed.append("CPU")
    if not outcome.completed:
        missed.append("completion")
    print("MISSED: " + ", ".join(missed) if missed else "all targets met")
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    raise SystemExit(main())
