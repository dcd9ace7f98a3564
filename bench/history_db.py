"""A history database of 10 years of daily sessions, for the `hiprot history` benchmark.

`make_history_db(path, days=3650, today=...)` fills a new database through the public
store API (`Store.add_sessions`, a few large transactions): one session a day, each with
3-6 items drawn from the bundled catalogue's ids, pain most days, a note now and then,
some days skipped or partial, a few saved routines and a year of self-test readings.
It is deterministic for a given `seed`.

Run as a script it builds the database in a temporary folder (or PATH) and times the
store's reads, each in a fresh process (the way `hiprot history` pays for them):

    python bench/history_db.py [PATH] [--days 3650] [--rounds 10]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from hiprot.models import SessionItem, SessionRecord
from hiprot.store import Store

TODAY = date(2025, 6, 2)
# Catalogue ids with a typical dose: (id, name, sets, reps, hold_s, per_side).
EXERCISES = (
    ("lying-hip-internal-rotation", "Lying hip internal rotation", 1, 8, None, True),
    ("clamshell", "Clamshell", 2, 20, None, True),
    ("fire-hydrant", "Fire hydrant", 2, 8, None, True),
    ("seated-hip-internal-rotation-stretch", "Seated hip internal rotation stretch", 1, None, 30, True),
    ("90-90-foot-lift", "90-90 foot lift", 1, 20, None, True),
    ("banded-bridge", "Banded bridge", 2, 12, None, False),
    ("lacrosse-ball-hip-release", "Lacrosse ball hip release", 1, None, 120, True),
    ("side-lying-banded-internal-rotation", "Side-lying banded internal rotation", 2, 15, None, True),
)
GOALS = ("warmup", "strength", "recovery")
SAVED = ("Morning", "Before squats", "Rest day")
BATCH = 1000  # sessions per transaction


def _session(rng: random.Random, day: date) -> SessionRecord:
    goal = rng.choice(GOALS)
    chosen = rng.sample(EXERCISES, rng.randint(3, 6))
    partial = rng.random() < 0.1
    items = []
    for position, (ex_id, name, sets, reps, hold, per_side) in enumerate(chosen):
        work = reps * 3 if reps is not None else hold or 0
        planned = 15 + sets * (2 if per_side else 1) * work
        skipped = partial and position == len(chosen) - 1
        items.append(
            SessionItem(
                position,
                ex_id,
                name,
                "skipped" if skipped else "done",
                planned,
                0 if skipped else planned,
                sets,
                reps,
                hold,
                per_side,
            )
        )
    planned_total = sum(item.planned_seconds for item in items)
    started = datetime.combine(day, clock(7, 0)) + timedelta(minutes=rng.randint(0, 14 * 60))
    return SessionRecord(
        id=None,
        started_at=started,
        goal=goal,
        saved_name=rng.choice(SAVED) if rng.random() < 0.5 else None,
        status="partial" if partial else rng.choice(("completed", "logged")),
        planned_seconds=planned_total,
        done_seconds=sum(item.done_seconds for item in items),
        pain=rng.randint(0, 7) if rng.random() < 0.8 else None,
        pain_next_day=rng.randint(0, 5) if rng.random() < 0.2 else None,
        note="felt tight on the left" if rng.random() < 0.05 else None,
        request={"goal": goal, "level": "beginner", "positions": None, "equipment": None, "muscles": [],
                 "minutes": None, "count": None, "seed": None, "avoid": []},
        items=tuple(items),
    )


def make_history_db(path: Path | str, days: int = 3650, today: date = TODAY, seed: int = 0) -> int:
    """Fill a NEW database at `path` with one session a day for `days` days up to `today`.

    Returns the number of sessions written. Uses only the public store API.
    """
    rng = random.Random(seed)
    first = today - timedelta(days=days - 1)
    records = [_session(rng, first + timedelta(days=n)) for n in range(days)]
    with Store.open(path) as store:
        for start in range(0, len(records), BATCH):
            store.add_sessions(records[start : start + BATCH])
        now = datetime.combine(first, clock(6, 0))
        for name in SAVED:
            store.save_routine(name, records[0].request, now)
        for week in range(52):
            taken = today - timedelta(weeks=week)
            store.add_measurement(taken, "left", 30 + rng.random() * 8)
            store.add_measurement(taken, "right", 32 + rng.random() * 8)
    return len(records)


_READS = {
    "python -c pass": "pass",
    "import hiprot.store": "import hiprot.store",
    "open": "from hiprot.store import Store; Store.open({path!r}).close()",
    "last 8 weeks + days": (
        "from datetime import date, timedelta; from hiprot.store import Store, streak, weekly_counts\n"
        "s = Store.open({path!r}); today = date({y}, {m}, {d})\n"
        "s.sessions(since=today - timedelta(weeks=8)); days = s.session_days()\n"
        "streak(days, today); weekly_counts(days, today, 8)"
    ),
    "all sessions": "from hiprot.store import Store; Store.open({path!r}).sessions()",
    "all sessions, summaries": "from hiprot.store import Store; Store.open({path!r}).sessions(full=False)",
    # What `hiprot history` does besides its CLI: query, then render the default view.
    "history view (no CLI)": (
        "import io; from datetime import date, timedelta\n"
        "from rich.console import Console\n"
        "from hiprot.report.history import pain_trend, sessions_table, weekly_chart\n"
        "from hiprot.store import Store, streak, weekly_counts\n"
        "s = Store.open({path!r}); today = date({y}, {m}, {d})\n"
        "recent = s.sessions(since=today - timedelta(weeks=8), full=False); days = s.session_days()\n"
        "c = Console(file=io.StringIO(), width=80)\n"
        "c.print(sessions_table(recent)); c.print(weekly_chart(weekly_counts(days, today, 8)))\n"
        "c.print(pain_trend(recent)); streak(days, today)"
    ),
}


def time_reads(path: Path, rounds: int, today: date = TODAY) -> dict[str, float]:
    """Median wall time (s) of each read in a fresh interpreter, interleaved over rounds."""
    env = {"PYTHONPATH": str(ROOT / "src")}
    times: dict[str, list[float]] = {name: [] for name in _READS}
    for _ in range(rounds):
        for name, code in _READS.items():
            source = code.format(path=str(path), y=today.year, m=today.month, d=today.day)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", source], check=True, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, help="where to write the database (default: a temp folder)")
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path or Path(tmp) / "hiprot.db"
        start = time.perf_counter()
        count = make_history_db(path, days=args.days)
        took = time.perf_counter() - start
        print(f"built {count} sessions in {took:.2f} s: {path} ({path.stat().st_size // 1024} KiB)")
        results = time_reads(path, args.rounds)
        base = results["python -c pass"]
        for name, seconds in results.items():
            print(f"{name:24} {seconds * 1000:7.1f} ms  {seconds / base:5.2f}x python -c pass")


if __name__ == "__main__":
    main()
