"""Issue 18 on the command line: plan, today, the calendar, go and log following the plan,
and a history you can trust (duplicate guard, undo, abandoned, measurements, backup)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from hiprot.paths import database_path
from tests.fakes import FakeNow, fake_now


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # a Monday


@pytest.fixture
def fake_session(monkeypatch) -> None:
    """`hiprot go` runs on a fake clock with no keys: a whole session in milliseconds."""
    from tests.fakes import FakeClock, ScriptedKeys

    clock = FakeClock(1000.0)
    monkeypatch.setattr("hiprot.cli.go.session_input", lambda: (ScriptedKeys(clock, {}), clock, False))


@pytest.fixture
def planned(hiprot, clock):
    err = hiprot("plan", "new", "--weeks", "6", "--days", "mon,wed,fri", "--start", "2026-11-30",
                 "--goal", "strength").stderr  # fmt: skip
    assert "18 sessions" in err
    return hiprot


def test_the_done_when_plan_story(planned, clock) -> None:
    """18 sessions on Mon/Wed/Fri; two `log --when` sessions in week 1 are done and counted."""
    data = planned.json("plan")
    assert (data["start"], data["weeks"], data["days"]) == ("2026-11-30", 6, ["mon", "wed", "fri"])
    assert len(data["sessions"]) == 18
    assert {datetime.fromisoformat(s["date"]).strftime("%a") for s in data["sessions"]} == {"Mon", "Wed", "Fri"}
    assert set(data["sessions"][0]) >= {"date", "week", "status", "session_id", "minutes"}
    assert data["adherence"] == {"done": 0, "due_so_far": 0, "percent": None}
    clock.days(4)  # Friday
    planned("log", "--when", "2026-11-30", "--pain", "2")
    planned("log", "--when", "2d", "--pain", "1")  # Wednesday
    data = planned.json("plan")
    statuses = [s["status"] for s in data["sessions"][:4]]
    assert statuses == ["done", "done", "due", "planned"]
    assert all(s["session_id"] for s in data["sessions"][:2])
    assert data["adherence"] == {"done": 2, "due_so_far": 2, "percent": 100}
    clock.days(3)  # next Monday: Friday was missed
    data = planned.json("plan")
    assert data["sessions"][2]["status"] == "missed" and data["adherence"]["percent"] == 67
    table = planned("plan").stdout
    assert "week  1  ✓ Mon 30  ✓ Wed 02  ✗ Fri 04" in table and "2 of 3 sessions done (67%)" in table
    assert all(len(line) <= 80 for line in table.splitlines())
    history = planned("history").stdout
    assert "plan: 2 of 3 sessions done (67%)" in history.replace("\n", " ")
    assert "Plan, done of due by week: week 1 2/3" in history
    assert all(len(line) <= 80 for line in history.splitlines())


def test_the_dose_by_week_grows_at_most_ten_percent_and_the_last_week_holds(planned) -> None:
    doses = planned.json("plan")["doses"]
    assert [d["week"] for d in doses] == list(range(1, 7))
    for before, after in zip(doses, doses[1:]):
        assert after["work_seconds"] <= before["work_seconds"] * 1.1
    assert doses[-1]["items"] == doses[-2]["items"] and "consolidates" in doses[-1]["notes"][0]
    assert any("if the sessions before go well" in note for d in doses for note in d["notes"])


def test_calendar_twice_gives_the_same_uids_and_18_events_with_alarms(planned, tmp_path, clock) -> None:
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    planned("plan", "calendar", "--output", str(a), "--alarm", "10")
    clock.days(2)
    planned("log", "--pain", "1")  # the plan's session, so the second export has done one
    planned("plan", "calendar", "--output", str(b), "--alarm", "10", "--at", "18:15")
    uids = []
    for path in (a, b):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert calendar["VERSION"] == "2.0"
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 18
        for event in events:
            [alarm] = event.walk("VALARM")
            assert alarm["TRIGGER"].to_ical() == b"-PT10M"
            assert event["DURATION"].dt > timedelta(minutes=5)
            assert "Clamshell" in str(event["DESCRIPTION"])
        uids.append([str(e["UID"]) for e in events])
    assert uids[0] == uids[1] and len(set(uids[0])) == 18
    first = icalendar.Calendar.from_ical(b.read_bytes()).walk("VEVENT")[0]
    assert first["DTSTART"].dt == datetime(2026, 11, 30, 18, 15)  # floating local time
    assert b"-PT10M" in a.read_bytes() and b"\r\n" in a.read_bytes()
    # The safe-write rules: an existing file needs --force.
    assert "--force" in planned("plan", "calendar", "--output", str(a), code=1).stderr
    planned("plan", "calendar", "--output", str(a), "--force")
    assert "BEGIN:VALARM" not in planned("plan", "calendar").stdout  # stdout, no alarm asked


def test_today_says_what_is_due_and_what_comes_next(planned, clock, fake_session) -> None:
    out = planned("today").stdout
    assert "Due today (Mon 2026-11-30, week 1 of 6): plan (strength)" in out and "Clamshell" in out
    data = planned.json("today")
    assert data["today"]["status"] == "due" and data["items"] and data["next"]["date"] == "2026-12-02"
    planned("go", "--plain", "--quiet", "--now", "--pain", "1")  # runs today's planned session
    out = planned("today").stdout
    assert "done ✓" in out and "Next: Wed 2026-12-02 (in 2 days)" in out
    clock.days(1)  # Tuesday: yesterday's session has no next-day pain yet
    out = planned("today").stdout
    assert "Nothing due today" in out and "no next-day pain yet" in out
    assert all(len(line) <= 80 for line in out.splitlines())  # wrapped at the terminal's width
    assert planned.json("today")["ask_next_day"] == {"session_id": 1}
    planned("today", "--next-day", "2")
    assert planned.json("today")["ask_next_day"] is None
    [session] = planned.json("history")
    assert session["pain_next_day"] == 2 and session["saved_name"] == "plan"


def test_go_and_log_without_options_need_a_plan(hiprot, clock) -> None:
    for command in ("go", "log"):
        err = hiprot(command, code=2).stderr
        assert "--goal" in err and "plan new" in err
    assert "no plan running" in hiprot("plan", code=1).stderr.lower()
    assert "No plan is running" in hiprot("today").stdout
    assert hiprot.json("today")["plan"] is None


def test_go_dry_run_without_options_is_the_planned_session(planned) -> None:
    script = json.loads(planned("go", "--dry-run", "--format", "json").stdout)
    routine = planned.json("routine", "--saved", "plan")
    first = routine["items"][0]["name"]
    assert first in script[0]["text"]


def test_plan_end_and_one_plan_at_a_time(planned, clock) -> None:
    err = planned("plan", "new", "--saved", "plan", code=1).stderr
    assert "already running" in err and "plan end" in err
    planned("plan", "new", "--saved", "plan", "--weeks", "2", "--force")
    assert planned.json("plan")["weeks"] == 2
    assert "Ended the plan" in planned("plan", "end", "--yes").stderr
    assert "no plan running" in planned("plan", "end", "--yes", code=1).stderr.lower()
    assert "plan new" in planned("plan", "new", "--weeks", "3", code=2).stderr  # no routine given
    assert "not a day" in planned("plan", "new", "--goal", "warmup", "--days", "funday", code=2).stderr
    assert "go with 'plan new'" in planned("plan", "--goal", "warmup", code=2).stderr


def test_a_plan_with_one_day_a_week_is_told_the_acsm_advice(hiprot, clock) -> None:
    err = hiprot("plan", "new", "--goal", "recovery", "--days", "sun").stderr
    assert "ACSM advises stretching at least 2-3 days a week" in err


# --- a history you can trust ----------------------------------------------------------------------


def test_the_same_log_twice_is_refused_then_again_and_undo(hiprot, clock) -> None:
    hiprot("log", "--goal", "warmup")
    clock.days(5 / 1440)  # five minutes later
    err = hiprot("log", "--goal", "warmup", code=1).stderr
    assert "recorded 5 minutes from this one (session 1)" in err and "--again" in err
    assert len(hiprot.json("history")) == 1
    hiprot("log", "--goal", "recovery")  # another routine is fine
    hiprot("log", "--goal", "warmup", "--again")
    clock.days(11 / 1440)
    hiprot("log", "--goal", "warmup")  # eleven minutes on: a new session
    assert len(hiprot.json("history")) == 4
    # undo: says which, asks unless --yes, and refuses to guess without a person
    err = hiprot("history", "--undo", code=2).stderr
    assert "--yes" in err and "session 4" in err
    assert "Removed session 4" in hiprot("history", "--undo", "--yes").stderr
    assert [s["id"] for s in hiprot.json("history")] == [3, 2, 1]
    assert "one thing at a time" in hiprot("history", "--undo", "--delete", "1", code=2).stderr
    assert "one thing at a time" in hiprot("history", "--delete", "1", "--next-day", "2", code=2).stderr
    assert len(hiprot.json("history")) == 3


def test_undo_in_an_empty_history(hiprot, clock) -> None:
    assert "no session to undo" in hiprot("history", "--undo", "--yes", code=1).stderr


def test_when_yesterday_and_days_ago_for_log_and_go(hiprot, clock, fake_session) -> None:
    hiprot("log", "--goal", "warmup", "--when", "yesterday")
    hiprot("go", "--goal", "recovery", "--plain", "--quiet", "--now", "--when", "3d", "--pain", "0")
    days = [s["started_at"][:10] for s in hiprot.json("history")]
    assert days == ["2026-11-29", "2026-11-27"]
    assert "--when" in hiprot("go", "--goal", "warmup", "--when", "tomorrow", code=2).stderr


def test_measurements_list_as_json_and_csv_delete_and_join_the_history(hiprot, clock) -> None:
    hiprot("measure", "--left", "28", "--right", "35", "--when", "yesterday")
    hiprot("measure", "--left", "30.5")
    readings = hiprot.json("measure")
    assert [(m["taken_on"], m["side"], m["degrees"]) for m in readings] == [
        ("2026-11-29", "left", 28.0), ("2026-11-29", "right", 35.0), ("2026-11-30", "left", 30.5)]  # fmt: skip
    csv_text = hiprot("measure", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "id,taken_on,side,degrees" and "2026-11-30,left,30.5" in csv_text
    assert "30.5" in hiprot("measure", "--format", "table").stdout
    hiprot("log", "--goal", "warmup")
    both = json.loads(hiprot("history", "--format", "json", "--measurements").stdout)
    assert set(both) == {"sessions", "measurements"} and len(both["sessions"]) == 1
    assert both["measurements"] == readings
    assert isinstance(hiprot.json("history"), list)  # scripts that read the array still can
    assert "--format json" in hiprot("history", "--measurements", code=2).stderr
    assert "Deleted reading 3" in hiprot("measure", "--delete", "3", "--yes").stderr
    assert len(hiprot.json("measure")) == 2
    assert "No reading with id 3" in hiprot("measure", "--delete", "3", "--yes", code=1).stderr
    assert "one thing at a time" in hiprot("measure", "--left", "20", "--delete", "1", code=2).stderr


def test_backup_writes_a_copy_that_opens_and_refuses_to_overwrite(hiprot, clock, tmp_path) -> None:
    hiprot("log", "--goal", "warmup", "--pain", "2")
    copy = tmp_path / "copy.db"
    assert "Backed up" in hiprot("backup", str(copy)).stderr
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 1
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert "--force" in hiprot("backup", str(copy), code=1).stderr
    hiprot("backup", str(copy), "--force")
    assert "does not exist" in hiprot("backup", str(tmp_path / "no" / "copy.db"), code=1).stderr


def test_backup_while_20_log_processes_write(tmp_path) -> None:
    """The done-when check: a backup taken while 20 `hiprot log` processes write passes
    PRAGMA integrity_check and holds every session committed before it began."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"}  # fmt: skip
    hiprot = [sys.executable, "-m", "hiprot"]
    subprocess.run([*hiprot, "log", "--goal", "warmup"], env=env, check=True, capture_output=True)
    writers = [
        subprocess.Popen(
            [*hiprot, "log", "--goal", "recovery", "--again", "--note", f"writer {n}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for n in range(20)
    ]
    copies = []
    for n in range(3):
        target = tmp_path / f"backup-{n}.db"
        done = subprocess.run([*hiprot, "backup", str(target)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        copies.append(target)
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    for target in copies:
        with sqlite3.connect(target) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = db.execute("SELECT count(*) FROM session").fetchone()[0]
            assert 1 <= count <= 21
            assert db.execute("SELECT count(*) FROM session_item").fetchone()[0] >= count
    check = subprocess.run([sys.executable, "-c", "import sys; from hiprot.store import Store; "
                            "s = Store.open(sys.argv[1]); print(len(s.sessions()))", str(copies[-1])],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0 and int(check.stdout) >= 1, check.stderr


def test_the_database_is_never_written_by_a_backup_to_itself(hiprot, clock, tmp_path) -> None:
    hiprot("log", "--goal", "warmup")
    path = database_path()
    before = Path(path).read_bytes()
    for target in (path, Path(f"{path}-wal")):
        assert "the history database itself" in hiprot("backup", str(target), "--force", code=1).stderr
    assert Path(path).read_bytes() == before


def test_in_a_plan_steps_up_wait_for_the_week_and_pain_steps_down_at_once(planned, clock) -> None:
    def doses() -> dict[str, str]:
        return {i["id"]: i["dose"] for i in planned.json("today")["items"]}

    base = doses()
    planned("log", "--pain", "1")  # Monday
    clock.days(2)
    planned("log", "--pain", "1")  # Wednesday: two good sessions earn a step up...
    clock.days(2)
    assert doses() == base  # ...which waits for next week
    out = planned("today").stdout
    assert "in a plan a dose steps up at the start of a week" in out.replace("\n    ", " ")
    planned("log", "--pain", "2")
    clock.days(3)  # Monday, week 2: the step up, within 10% more work
    week2 = doses()
    assert week2 != base
    data = planned.json("plan")["doses"]
    assert data[1]["work_seconds"] <= data[0]["work_seconds"] * 1.1 and not data[1]["projected"]
    planned("log", "--pain", "7")  # a painful session: the dose comes down at once, the same week
    clock.days(2)
    down = doses()
    assert down != week2
    assert "pain 7 last session" in planned("today").stdout.replace("\n    ", " ")


def test_the_plan_handout_ticks_the_plans_days_and_weeks(planned, tmp_path) -> None:
    html = planned("plan", "handout").stdout
    grid = html.split('<div class="grid">')[1].split("</div>")[0]
    assert "3 days a week, 6 weeks" in grid
    assert grid.count("<tr><th>") == 1 + 6  # the header and one row per week
    assert grid.count('<td class="off"></td>') == 6 * 4  # Tue, Thu, Sat, Sun greyed every week
    assert "<th>30 Nov</th>" in grid and "<th>4 Jan</th>" in grid
    assert "Clamshell" in html and "<script" not in html
    out = tmp_path / "plan.html"
    assert "week 1 of 6" in planned("plan", "handout", "--output", str(out)).stderr
    assert out.read_text() == html
    planned("plan", "handout", "--output", str(out), code=1)  # never overwritten without --force
    assert "--output" in planned("plan", "--output", str(out), code=2).stderr


def test_a_routine_handout_without_a_plan_has_four_open_weeks(hiprot) -> None:
    grid = hiprot("routine", "--goal", "warmup", "--format", "html").stdout.split('<div class="grid">')[1]
    assert "(four weeks)" in grid and 'class="off"' not in grid


def test_a_plan_applies_the_profile_everywhere_it_builds(hiprot, clock) -> None:
    """today, go with no options, and the handout follow the plan's routine as the profile
    makes it: nothing that puts a replaced left hip in its restricted position."""
    hiprot("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")
    hiprot("plan", "new", "--weeks", "6", "--days", "mon,wed,fri", "--start", "2026-11-30", "--goal", "strength")
    carrying = {e["id"]: e for e in hiprot.json("list", "--no-profile") if "hip-replacement" in e["precautions"]}
    assert "fire-hydrant" in carrying and carrying["fire-hydrant"]["hips"] == "both"
    free = {i["id"] for i in hiprot.json("routine", "--goal", "strength", "--no-profile")["items"]}
    assert free & set(carrying), "without the profile the strength routine holds such drills"
    today = {i["id"] for i in hiprot.json("today")["items"]}
    script = hiprot.json("go", "--dry-run")
    handout = hiprot("plan", "handout").stdout
    for ex_id, ex in carrying.items():
        assert ex["hips"] == "working" or (ex_id not in today and ex["name"] not in handout), ex_id
    assert not [cue for cue in script if "left side" in cue["text"].lower() and any(
        carrying[i]["name"] in cue["text"] for i in carrying)]  # fmt: skip
