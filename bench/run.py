"""Start-up and scaling benchmark for the hiprot CLI.

What it measures
    * Wall time of common hiprot commands, each run as a fresh subprocess, as a ratio to
      `python -c pass` (the cost of merely starting this interpreter). Ratios travel
      between machines far better than milliseconds do.
    * `hiprot routine` against generated 1,000- and 10,000-entry catalogues with a warm
      cache, and the first run on 10,000 entries with the cache cleared, compared with a
      bare `yaml.load(..., Loader=CSafeLoader)` of the same file in its own process.
    * Peak resident memory (ru_maxrss via os.wait4) of the 10,000-entry runs.

Why interleave
    Every round runs each command once, baseline included, in a shuffled order. Slow
    drift (CPU frequency, thermal throttling, other load, page cache) then hits all
    commands alike instead of whichever one happened to run in a bad stretch, so the
    ratio of medians stays honest even on a noisy laptop or CI runner.

The user's real cache, data and config are never touched: every child gets XDG_* folders
inside a temporary directory, which is removed at the end.

Usage: python bench/run.py [--rounds 20] [--cold 5] [--seed 0] [--no-fail]
Exit status is 1 if a target is missed (unless --no-fail), so CI can use it.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "exercises.yaml"
BARE_PARSE = (
    "import gc, sys, time, yaml; gc.disable(); t=time.perf_counter(); "
    "[yaml.load(open(f), Loader=yaml.CSafeLoader) for f in sys.argv[1:]]; print(time.perf_counter()-t)"
)
COLD_TARGET = 1.3
FIGURES_TARGET_MS = 50.0


def figures_ms(rounds: int) -> tuple[int, float, float]:
    """(figures, median ms to render every figure as SVG and braille, ms to load them) in this process."""
    sys.path.insert(0, str(ROOT / "src"))
    from hiprot.catalogue import load_catalogue
    from hiprot.catalogue.figures import load_figures
    from hiprot.figures import render_cells, render_svg, solve

    start = time.perf_counter()
    figures = list(load_figures(exercises=load_catalogue().by_id).values())
    load = time.perf_counter() - start
    samples = []
    for _ in range(max(rounds, 5)):
        solve.cache_clear()  # each round solves the poses again: the whole drawing, not a cache
        start = time.perf_counter()
        for figure in figures:
            render_svg(figure)
            render_cells(figure)
        samples.append(time.perf_counter() - start)
    return len(figures), statistics.median(samples) * 1000, load * 1000


def hiprot_cmd() -> list[str]:
    """The hiprot console script next to this interpreter, else `python -m hiprot`."""
    bindir = Path(sys.executable).parent
    for name in ("hiprot", "hiprot.exe"):
        if (bindir / name).exists():
            return [str(bindir / name)]
    return [sys.executable, "-m", "hiprot"]


def make_catalogue(source: dict, size: int, path: Path, parts: int = 1) -> list[Path]:
    """Write `size` renamed copies of the bundled entries; links stay inside each copy.
    With `parts` > 1, `path` is a folder of that many files (one catalogue, as a folder
    of files is); the files written are returned."""
    base = source["exercises"]
    entries = []
    for group in range(-(-size // len(base))):
        tag = f"c{group:04d}"
        for ex in base:
            new = copy.deepcopy(ex)
            new["id"] = f"{ex['id']}-{tag}"
            new["name"] = f"{ex['name']} {tag.upper()}"
            new["aliases"] = [f"{alias} {tag.upper()}" for alias in ex.get("aliases", [])]
            for link in ("easier", "harder"):
                if link in ex:
                    new[link] = f"{ex[link]}-{tag}"
            entries.append(new)
    entries = entries[:size]
    # The last group may be cut short: drop links whose target was cut with it.
    ids = {ex["id"] for ex in entries}
    for ex in entries:
        for link in ("easier", "harder"):
            if link in ex and ex[link] not in ids:
                del ex[link]
    # Compact (no folded lines, short lists inline). Since cautions became data (issue 23)
    # the 10,000 copies of the bundled entries are 18 MiB even so, past the 16 MiB one-file
    # limit, so that catalogue is written as a folder of two files.
    files = [path] if parts == 1 else [path / f"part-{n}.yaml" for n in range(1, parts + 1)]
    if parts > 1:
        path.mkdir()
    share = -(-len(entries) // parts)
    for n, file in enumerate(files):
        with open(file, "w", encoding="utf-8") as fh:
            chunk = entries[n * share : (n + 1) * share]
            yaml.safe_dump({"version": 1, "exercises": chunk}, fh, sort_keys=False, width=10**9,
                           default_flow_style=None)  # fmt: skip
    return files


def run(cmd: list[str], env: dict) -> float:
    """Wall time of one child in seconds; exits loudly if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        again = subprocess.run(cmd, env=env, capture_output=True, text=True)
        sys.exit(f"FAILED (exit {proc.returncode}): {' '.join(cmd)}\n{again.stderr}")
    return elapsed


def peak_mib(cmd: list[str], env: dict) -> float:
    """Peak RSS of one child in MiB (ru_maxrss is KiB on Linux).

    Measured through a small wrapper process: a child forked straight from this script
    would report at least this script's own size (it holds the generated catalogues).
    """
    wrapper = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True, check=True)
    code, kib = out.stdout.split()
    if code != "0":
        sys.exit(f"FAILED (exit {code}): {' '.join(cmd)}")
    return int(kib) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds (default 20)")
    parser.add_argument("--cold", type=int, default=5, help="cache-cleared first runs (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the shuffle (default 0)")
    parser.add_argument("--no-fail", action="store_true", help="always exit 0")
    parser.add_argument(
        "--session", action="store_true",
        help="also run a real-clock 10-minute plain `hiprot go` session (length and CPU share; adds 10 minutes)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hiprot-bench-"))
    try:
        return bench(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench(args: argparse.Namespace, tmp: Path) -> int:
    # PYTHONDONTWRITEBYTECODE would make every run recompile hiprot from source, a cost a
    # person never pays (pip precompiles; Python caches .pyc): measure what users see.
    dropped = ("HIPROT_CATALOG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp / var.lower())
        os.makedirs(env[var])
    env.update(NO_COLOR="1", COLUMNS="80")
    cache_dir = Path(env["XDG_CACHE_HOME"]) / "hiprot"

    source = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    big, small = tmp / "catalogue-10000", tmp / "catalogue-1000.yaml"
    big_files = make_catalogue(source, 10_000, big, parts=2)
    make_catalogue(source, 1_000, small)
    hp = hiprot_cmd()
    for path in (small, big):
        check = subprocess.run(hp + ["list", "--catalog", str(path), "--format", "json"],
                               env=env, capture_output=True, text=True)
        if check.returncode != 0:
            print(f"generated catalogue {path.name} does not load:\n{check.stderr}")
            return 1

    # Ten years of daily sessions, ending today, in the history the history commands read.
    sys.path.insert(0, str(ROOT / "bench"))
    from datetime import date, timedelta

    from history_db import make_history_db

    data_dir = Path(env["XDG_DATA_HOME"]) / "hiprot"
    data_dir.mkdir(parents=True)
    sessions = make_history_db(data_dir / "hiprot.db", days=3650, today=date.today())

    # A year of daily sessions with a 6-week plan running (for `hiprot today`), and a
    # 12-week plan (for `hiprot plan calendar`), each in its own data folder.
    planned_env = {}
    for label, days, weeks in (("today", 365, 6), ("calendar", 365, 12)):
        own = dict(env, XDG_DATA_HOME=str(tmp / f"data-{label}"))
        (tmp / f"data-{label}" / "hiprot").mkdir(parents=True)
        make_history_db(tmp / f"data-{label}" / "hiprot" / "hiprot.db", days=days, today=date.today())
        start = (date.today() - timedelta(days=14)).isoformat()
        subprocess.run(hp + ["plan", "new", "--goal", "strength", "--name", "bench", "--weeks", str(weeks),
                             "--days", "mon,wed,fri", "--start", start], env=own, check=True, capture_output=True)
        planned_env[label] = own

    # A person with a profile: a replaced left hip and a stiff right one, read by every command.
    penv = dict(env, XDG_CONFIG_HOME=str(tmp / "profile_config"))
    for args_ in (["hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-09-14"],
                  ["hip", "right", "stiff"]):
        subprocess.run(hp + ["profile", *args_], env=penv, capture_output=True, check=True)

    routine = hp + ["routine", "--goal", "warmup"]
    # (label, command, target ratio to baseline or None[, its own environment])
    commands: list[tuple] = [
        ("`python -c pass`", [sys.executable, "-c", "pass"], None),
        ("`hiprot routine --goal warmup`", routine, 10),
        ("`hiprot show clamshell`", hp + ["show", "clamshell"], 10),
        ("`hiprot routine --pick clamshell:3x15 --pick 90-90-foot-lift:2x10`",
         hp + ["routine", "--pick", "clamshell:3x15", "--pick", "90-90-foot-lift:2x10"], 10),
        ("`hiprot routine --goal warmup --format html`", routine + ["--format", "html"], 12),
        ("`hiprot list`", hp + ["list"], 10),
        ("`hiprot routine --goal warmup`, with a profile", routine, 10, penv),
        ("`hiprot show clamshell`, with a profile", hp + ["show", "clamshell"], 10, penv),
        ("`hiprot list`, with a profile", hp + ["list"], 10, penv),
        ("`hiprot --help`", hp + ["--help"], 12),
        ("`hiprot --version`", hp + ["--version"], 6),
        (f"`hiprot history`, {sessions:,} sessions", hp + ["history"], 12),
        (f"`hiprot log --goal warmup --again`, {sessions:,} sessions", hp + ["log", "--goal", "warmup", "--again"], 10),
        # No target: it replays every saved routine's whole history (as `routine --saved` does),
        # here about 600 sessions each for three routines.
        (f"`hiprot report --format html`, {sessions:,} sessions", hp + ["report", "--format", "html"], None),
        ("`hiprot routine`, 10,000 entries (warm)", routine + ["--catalog", str(big)], 20),
        ("`hiprot routine`, 1,000 entries (warm)", routine + ["--catalog", str(small)], None),
        ("`hiprot today`, 6-week plan, a year of sessions", hp + ["today"], 10, planned_env["today"]),
        ("`hiprot report`, 6-week plan, a year of sessions", hp + ["report"], 12, planned_env["today"]),
        ("`hiprot plan handout`, 6-week plan", hp + ["plan", "handout"], 12, planned_env["today"]),
        ("`hiprot plan calendar`, 12-week plan", hp + ["plan", "calendar", "--alarm", "10"], 15,
         planned_env["calendar"]),
    ]

    print("## hiprot benchmark\n")
    print(f"- Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.platform()}")
    print(f"- CPUs: {os.cpu_count()}; rounds: {args.rounds}; cold runs: {args.cold}; "
          f"seed: {args.seed}\n")

    for _ in range(2):  # warm-up: page cache, .pyc files, hiprot's own cache
        for _, cmd, _, *own in commands:
            run(cmd, own[0] if own else env)

    times: dict[str, list[float]] = {label: [] for label, *_ in commands}
    rng = random.Random(args.seed)
    order = list(commands)
    for _ in range(args.rounds):
        rng.shuffle(order)
        for label, cmd, _, *own in order:
            times[label].append(run(cmd, own[0] if own else env))

    # Cold first run vs a bare parse, alternated so both see the same conditions.
    bare = [sys.executable, "-c", BARE_PARSE, *map(str, big_files)]
    cold_cmd = routine + ["--catalog", str(big)]
    run(bare, env)
    cold, parse = [], []
    for _ in range(args.cold):
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold.append(run(cold_cmd, env))
        parse.append(run(bare, env))

    run(cold_cmd, env)  # rebuild the cache for the warm memory reading
    mem_warm = peak_mib(cold_cmd, env)
    shutil.rmtree(cache_dir, ignore_errors=True)
    mem_cold = peak_mib(cold_cmd, env)
    mem_parse = peak_mib(bare, env)

    base = statistics.median(times[commands[0][0]])
    missed = []
    print("| command | median ms | ratio to `python -c pass` | target | met |")
    print("|---|---:|---:|---:|:---:|")
    for label, _, target, *_ in commands:
        med = statistics.median(times[label])
        ratio = med / base
        if target is None:
            met, tgt = "-", "-"
        else:
            ok = ratio <= target
            met, tgt = ("yes" if ok else "no"), f"<= {target}x"
            if not ok:
                missed.append(f"{label} {ratio:.1f}x > {target}x")
        print(f"| {label} | {med * 1000:.1f} | {ratio:.1f}x | {tgt} | {met} |")

    cold_med, parse_med = statistics.median(cold), statistics.median(parse)
    cold_ratio = cold_med / parse_med
    cold_ok = cold_ratio <= COLD_TARGET
    if not cold_ok:
        missed.append(f"first run, 10,000 entries {cold_ratio:.2f}x > {COLD_TARGET}x")
    print()
    print("| first run | median ms | ratio to bare CSafeLoader parse (gc off) | target | met |")
    print("|---|---:|---:|---:|:---:|")
    print(f"| first run, 10,000 entries (cache cleared) | {cold_med * 1000:.1f} | "
          f"{cold_ratio:.2f}x | <= {COLD_TARGET}x | {'yes' if cold_ok else 'no'} |")
    print(f"| bare parse in a child process (reference) | {parse_med * 1000:.1f} | 1.00x | - | - |")

    print()
    print(f"- Peak memory, 10,000 entries, warm cache: {mem_warm:.1f} MiB")
    print(f"- Peak memory, 10,000 entries, cache cleared: {mem_cold:.1f} MiB")
    print(f"- Peak memory, bare CSafeLoader parse (reference): {mem_parse:.1f} MiB")
    count, render_ms, load_ms = figures_ms(args.rounds)
    render_ok = render_ms <= FIGURES_TARGET_MS
    if not render_ok:
        missed.append(f"rendering all figures {render_ms:.1f} ms > {FIGURES_TARGET_MS:.0f} ms")
    print()
    print("| in-process | median ms | target | met |")
    print("|---|---:|---:|:---:|")
    print(f"| render all {count} figures (SVG and braille) | {render_ms:.1f} | <= {FIGURES_TARGET_MS:.0f} ms | "
          f"{'yes' if render_ok else 'no'} |")
    print(f"| load and check data/figures.yaml (once, reference) | {load_ms:.1f} | - | - |")
    if args.session:
        print()
        print("Guided session, real clock, plain mode (bench/session_bench.py --minutes 10):")
        sys.stdout.flush()
        code = subprocess.run([sys.executable, str(ROOT / "bench" / "session_bench.py"), "--minutes", "10",
                               "--quiet"], env=env).returncode  # fmt: skip
        if code != 0:
            missed.append("guided session length or CPU share")
    print()
    if missed:
        print("targets missed: " + "; ".join(missed))
        return 0 if args.no_fail else 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
