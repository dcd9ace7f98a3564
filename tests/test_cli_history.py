"""save, saved, log, history, measure and --saved: the history on the command line.

The clock is `hiprot.cli.options.now`, replaced here by a fake that each test moves on.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from hiprot.paths import database_path
from tests.fakes import FakeNow, fake_now


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))


def test_the_issue_11_story(hiprot, clock) -> None:
    """Save, three good sessions, a stepped-up dose with its reason; pain 7 steps it back."""
    # A warm-up fills its time with rounds, not heavier doses, so its doses have room to step up.
    assert "Saved 'hips'" in hiprot("save", "hips", "--goal", "warmup", "--minutes", "10").stderr
    base = hiprot.json("routine", "--saved", "hips")
    for _ in range(3):
        hiprot("log", "--saved", "hips", "--pain", "2")
        clock.days(1)
    out = hiprot("routine", "--saved", "hips").stdout
    assert "Fire Hydrant 1 x 8 → 1 x 9: two sessions in a row at pain 3 or less" in out
    stepped = hiprot.json("routine", "--saved", "hips")
    hydrant = lambda data: next(i for i in data["items"] if i["id"] == "fire-hydrant")  # noqa: E731
    assert hydrant(stepped)["dosage"]["reps"] == hydrant(base)["dosage"]["reps"] + 1
    hiprot("log", "--saved", "hips", "--pain", "7")
    out = hiprot("routine", "--saved", "hips").stdout
    assert "Fire Hydrant 1 x 9 → 1 x 8: pain 7 last session" in out
    assert hydrant(hiprot.json("routine", "--saved", "hips")) == hydrant(base)
    # --no-adapt ignores the history altogether.
    assert hiprot.json("routine", "--saved", "hips", "--no-adapt") == base


def test_saved_list_json_and_delete(hiprot, clock) -> None:
    hiprot("save", "morning", "--goal", "warmup", "--avoid", "hip-replacement", "--minutes", "6")
    out = hiprot("saved").stdout
    assert "morning" in out and "--goal warmup --minutes 6 --avoid hip-replacement" in out
    [row] = hiprot.json("saved")
    assert row["name"] == "morning" and row["request"]["avoid"] == ["hip-replacement"]
    hiprot("saved", "--delete", "morning", "--yes")
    assert "No saved routines yet" in hiprot("saved").stdout


def test_saved_routine_keeps_avoid(hiprot, clock) -> None:
    hiprot("save", "safe", "--goal", "warmup", "--avoid", "hip-replacement")
    items = hiprot.json("routine", "--saved", "safe")["items"]
    assert items and all(i["id"] not in ("lying-hip-internal-rotation", "squatting-internal-rotation") for i in items)


def test_save_errors(hiprot, clock) -> None:
    hiprot("save", "hips", "--goal", "strength")
    err = hiprot("save", "hips", "--goal", "warmup", code=1).stderr
    assert "already exists" in err and "--force" in err
    hiprot("save", "hips", "--goal", "warmup", "--force")
    assert hiprot.json("saved")[0]["request"]["goal"] == "warmup"
    assert "cannot name" in hiprot("save", "bad\x07name", "--goal", "warmup", code=1).stderr
    assert "cannot name" in hiprot("save", "  ", "--goal", "warmup", code=1).stderr
    # A request that cannot build is refused now, not at the first session.
    hiprot("save", "never", "--goal", "strength", "--position", "kneeling", code=1)


def test_unknown_saved_and_mixed_options(hiprot, clock) -> None:
    err = hiprot("routine", "--saved", "nope", code=1).stderr
    assert "No saved routine called 'nope'" in err
    hiprot("save", "hips", "--goal", "strength")
    assert "--saved" in hiprot("routine", "--saved", "hips", "--goal", "warmup", code=2).stderr
    assert "--goal" in hiprot("routine", code=2).stderr


def test_history_table_streak_chart_and_pain(hiprot, clock) -> None:
    for pain in (2, 3, 1):
        hiprot("log", "--goal", "warmup", "--pain", str(pain), "--note", "before squats")
        clock.days(1)
    clock.days(-1)
    out = hiprot("history").stdout
    assert out.startswith("3 sessions in the last 8 weeks · streak: 1 week with 2+ sessions")
    assert "Sessions per week" in out and "pain: 2 → 3 → 1" in out and "before squats" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    weeks = [line for line in out.splitlines() if line.startswith("week of ")]
    assert len(weeks) == 8 and weeks[-1].startswith("week of 2026-11-23") and weeks[-1].rstrip().endswith(" 3")
    assert all(line.rstrip().endswith(" 0") for line in weeks[:-1])


def test_history_json_and_csv(hiprot, clock) -> None:
    hiprot("log", "--goal", "recovery", "--pain", "4", "--when", "2026-11-20")
    [session] = hiprot.json("history")
    assert session["goal"] == "recovery" and session["status"] == "logged" and session["pain"] == 4
    assert session["started_at"].startswith("2026-11-20") and session["items"]
    assert session["planned_seconds"] == sum(i["planned_seconds"] for i in session["items"])
    rows = list(csv.DictReader(io.StringIO(hiprot("history", "--format", "csv").stdout)))
    assert rows[0]["goal"] == "recovery" and rows[0]["pain"] == "4"


def test_history_delete(hiprot, clock) -> None:
    hiprot("log", "--goal", "warmup")
    [session] = hiprot.json("history")
    hiprot("history", "--delete", str(session["id"]), "--yes")
    assert hiprot.json("history") == []
    assert "No session with id" in hiprot("history", "--delete", "99", "--yes", code=1).stderr


def test_empty_history(hiprot, clock) -> None:
    out = hiprot("history").stdout
    assert "0 sessions" in out and "Nothing logged yet" in out


def test_measure_story(hiprot, clock) -> None:
    hiprot("measure", "--left", "28", "--right", "35")
    clock.days(4)
    out = hiprot("measure", "--left", "30", "--right", "35").stdout
    assert "within measurement noise" in out
    shown = hiprot("measure").stdout
    assert "How to measure" in shown and "clinometer" in shown
    assert "Left hip" in shown and "(+2°)" in shown and "within measurement noise" in shown
    assert all(len(line) <= 80 for line in shown.splitlines())


def test_measure_rejects_impossible_values(hiprot, clock) -> None:
    assert "--left" in hiprot("measure", "--left", "120", code=2).stderr
    assert "--when" in hiprot("measure", "--left", "20", "--when", "someday", code=2).stderr


@pytest.mark.parametrize("content", [b"not a database at all\n" * 10, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_corrupt_database_is_an_error_and_left_untouched(hiprot, clock, content) -> None:
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    for args in (["history"], ["log", "--goal", "warmup"], ["saved"], ["measure"]):
        err = hiprot(*args, code=1).stderr
        assert str(path) in err and "left" in err
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_routine_list_and_show_never_open_the_database(hiprot) -> None:
    for args in (["routine", "--goal", "warmup"], ["list"], ["show", "clamshell"]):
        hiprot(*args)
    assert not database_path().exists()


def test_json_of_history_is_plain(hiprot, clock) -> None:
    hiprot("log", "--goal", "warmup", "--note", "[bold]not markup[/bold]")
    assert json.loads(hiprot("history", "--format", "json").stdout)[0]["note"] == "[bold]not markup[/bold]"
    assert "[bold]not markup[/bold]" in hiprot("history").stdout


@pytest.mark.parametrize("args", [["routine", "--goal", "warmup"], ["list"], ["show", "clamshell"]])
def test_routine_list_and_show_never_import_the_database_module(args, tmp_path) -> None:
    import os
    import subprocess
    import sys

    code = (
        f"import sys; sys.argv = ['hiprot', *{args!r}]\n"
        "from hiprot.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlite3', 'hiprot.store', 'hiprot.session') if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stderr.strip().splitlines()[-1] == "[]"


# --- found by a hostile test -------------------------------------------------------------


def test_a_read_only_database_is_refused_before_sqlite_leaves_read_only_side_files(hiprot, clock, monkeypatch) -> None:
    hiprot("log", "--goal", "warmup")
    path = database_path()
    import os

    real = os.access
    monkeypatch.setattr("hiprot.store.os.access", lambda p, mode: False if str(p) == str(path) else real(p, mode))
    before = sorted(p.name for p in path.parent.iterdir())
    err = hiprot("history", code=1).stderr
    assert str(path) in err and "read-only" in err
    assert sorted(p.name for p in path.parent.iterdir()) == before


def test_future_dates_are_refused(hiprot, clock) -> None:
    assert "in the future" in hiprot("log", "--goal", "warmup", "--when", "2026-11-25", code=2).stderr
    assert "in the future" in hiprot("measure", "--left", "30", "--when", "2030-01-01", code=2).stderr
    hiprot("log", "--goal", "warmup", "--when", "2026-11-24")
    hiprot("log", "--goal", "warmup", "--when", "1999-01-01")


def test_save_needs_a_goal_and_names_no_flag_it_lacks(hiprot, clock) -> None:
    err = hiprot("save", "hips", code=2).stderr
    assert "--goal" in err and "--saved" not in err


def test_measure_refuses_nan_as_a_usage_error(hiprot, clock) -> None:
    assert "a number of degrees from 0 to 90" in hiprot("measure", "--left", "nan", "--right", "30", code=2).stderr
    assert hiprot("measure").stdout.count("Left hip") == 0


def test_the_table_says_completed_as_the_readme_does(hiprot, clock, monkeypatch) -> None:
    from tests.fakes import FakeClock, ScriptedKeys

    fake = FakeClock(0.0)
    monkeypatch.setattr("hiprot.cli.go.session_input", lambda: (ScriptedKeys(fake, {}), fake, False))
    hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert hiprot("history").stdout.splitlines()[4].rstrip().endswith("completed")


def test_names_are_reported_as_saved(hiprot, clock) -> None:
    hiprot("save", "hips", "--goal", "strength")
    assert "'hips' already exists" in hiprot("save", "Hips", "--goal", "warmup", code=1).stderr
    assert "'hips'" in hiprot("saved", "--delete", "HIPS", "--yes").stderr
    long = "x" * 5000
    assert len(hiprot("save", long, "--goal", "warmup", code=1).stderr) < 300


def test_a_step_down_keeps_the_flow_and_never_makes_a_variant_pair(hiprot, clock) -> None:
    from hiprot.catalogue import load_catalogue
    from hiprot.models import Goal, Position
    from hiprot.planner import POSITION_ORDER

    catalogue = load_catalogue()
    for goal in ("warmup", "recovery"):
        hiprot("save", goal, "--goal", goal)
        for _ in range(8):
            hiprot("log", "--saved", goal, "--pain", "7", "--again")
            items = hiprot.json("routine", "--saved", goal)["items"]
            positions = [Position(i["position"]) for i in items]
            assert positions == sorted(positions, key=POSITION_ORDER[Goal(goal)].index)
            ids = {i["id"] for i in items}
            for i in items:
                ex = catalogue.get(i["id"])
                assert not {ex.easier, ex.harder} & ids, (goal, ex.id)


def test_a_one_minute_budget_says_why_it_uses_equipment(hiprot) -> None:
    out = " ".join(hiprot("routine", "--goal", "strength", "--minutes", "1").stdout.split())
    assert "You need: loop-band" in out and "No bodyweight exercise fits this time budget" in out


def test_next_day_pain_is_recorded_shown_and_counts_for_progression(hiprot, clock) -> None:
    assert "no session yet" in hiprot("history", "--next-day", "3", code=1).stderr
    hiprot("save", "hips", "--goal", "strength")
    for _ in range(2):
        hiprot("log", "--saved", "hips", "--pain", "1", "--again")
    assert "Clamshell 2 x 20 → 3 x 20" in hiprot("routine", "--saved", "hips").stdout
    base = hiprot.json("routine", "--saved", "hips", "--no-adapt")
    hiprot("history", "--next-day", "7")  # the latest session hurt the next morning
    # It no longer counts as a good session: the step up it earned is gone.
    assert "→ 3 x 20" not in hiprot("routine", "--saved", "hips").stdout
    assert hiprot.json("routine", "--saved", "hips") == base
    [latest, first] = hiprot.json("history")
    assert latest["pain_next_day"] == 7 and first["pain_next_day"] is None
    assert "1 → 7" in hiprot("history").stdout
    hiprot("history", "--next-day", "2", "--session", str(first["id"]))
    assert hiprot.json("history")[1]["pain_next_day"] == 2
    assert "No session with id 99" in hiprot("history", "--next-day", "2", "--session", "99", code=1).stderr
    assert "--next-day" in hiprot("history", "--session", "1", code=2).stderr
    assert "--next-day" in hiprot("history", "--next-day", "11", code=2).stderr


def test_a_saved_routine_starts_unfilled_with_room_to_grow(hiprot) -> None:
    hiprot("save", "hips", "--goal", "strength")
    saved = hiprot.json("routine", "--saved", "hips")
    fresh = hiprot.json("routine", "--goal", "strength")
    assert saved["rounds"] == 1 and saved["total_seconds"] < fresh["total_seconds"] <= 20 * 60
    assert "room to grow" in " ".join(hiprot("routine", "--saved", "hips").stdout.split())
    assert "room to grow" not in " ".join(hiprot("routine", "--goal", "strength").stdout.split())
