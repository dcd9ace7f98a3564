"""One prescription behind every view (issue 23), on the real `hiprot` command: a person
with a left posterior hip replacement 6 weeks ago, a stiff right hip, a band and a chair,
a 6-week plan started 2 weeks ago and 5 logged sessions (one at pain 7, one planned day
skipped). Every view of the next session gives the same exercises, sides, sets, reps,
holds and length."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hiprot.programme import plan_days
from hiprot.report.html import plain_name

Work = tuple[str, int | None, str | None, int | None, int | None]  # id, set, side, reps, hold


def _hiprot(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "LC_", "HIPROT", "XDG_"))}
    env.update({f"XDG_{n}_HOME": str(tmp_path / n.lower()) for n in ("DATA", "CACHE", "CONFIG")})
    env.update({"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "LANG": "C.UTF-8"})
    done = subprocess.run([sys.executable, "-m", "hiprot", *args], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 0, f"hiprot {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _json(tmp_path: Path, *args: str) -> Any:
    return json.loads(_hiprot(tmp_path, *args, "--format", "json"))


def expected_work(items: list[dict[str, Any]]) -> list[Work]:
    """Every set and side of work the prescription's items ask for, item by item; within an
    item in a fixed order (by side, then set), since the timeline picks the side order that
    spares roll-overs and anchor moves: compare with `in_item_order`."""
    found: list[Work] = []
    for item in items:
        dose = item["dosage"]
        sides = item["sides"] or [None]
        rounds = [(n, sides) for n in range(1, dose["sets"] + 1)]
        if item["extra_set"] is not None:
            rounds.append((dose["sets"] + 1, [item["extra_set"]]))
        found += [(item["id"], n, side, dose["reps"], dose["hold_s"]) for n, worked in rounds for side in worked]
    return in_item_order(found, items)


def in_item_order(work: list[Work], items: list[dict[str, Any]]) -> list[Work]:
    """Work grouped by item in the prescription's order, each item's sets by side, then set."""
    place = {item["id"]: n for n, item in enumerate(items)}
    return sorted(work, key=lambda w: (place.get(w[0], len(place)), w[2] or "", w[1]))


def _shape(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(i["id"], tuple(i["sides"] or ()), i["extra_set"], i["dosage"]["sets"], i["dosage"]["reps"],
             i["dosage"]["hold_s"]) for i in items]  # fmt: skip


@pytest.fixture(scope="module")
def person(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date]:
    home = tmp_path_factory.mktemp("person")
    today = date.today()
    _hiprot(home, "profile", "hip", "left", "hip-replacement", "--approach", "posterior",
            "--since", (today - timedelta(weeks=6)).isoformat())  # fmt: skip
    _hiprot(home, "profile", "hip", "right", "stiff")
    _hiprot(home, "profile", "equipment", "band", "chair")
    start = today - timedelta(weeks=2)
    _hiprot(home, "plan", "new", "--weeks", "6", "--days", "mon,wed,fri", "--goal", "warmup",
            "--start", start.isoformat())  # fmt: skip
    done = [day for day, _ in plan_days_of(start) if day < today]
    assert len(done) == 6
    for n, day in enumerate(done):
        if n == 2:
            continue  # skipped: a missed session
        _hiprot(home, "log", "--when", day.isoformat(), "--pain", "7" if n == 4 else "2")
    return home, today


def plan_days_of(start: date) -> list[tuple[date, int]]:
    from datetime import datetime

    from hiprot.models import Plan

    return plan_days(Plan(1, start, 6, (0, 2, 4), "plan", "warmup", datetime.now()))


def test_every_view_of_the_next_session_agrees(person: tuple[Path, date]) -> None:
    home, _ = person
    today_view = _json(home, "today")
    p = today_view["prescription"]
    assert p["plan"]["adherence"] == {"done": 5, "due_so_far": 6, "percent": 83}
    assert p["plan"]["week"] == 3 and p["plan"]["weeks"] == 6
    shape, seconds, minutes = _shape(p["items"]), p["total_seconds"], p["minutes"]
    assert shape and minutes == max(1, round(seconds / 60))
    # The protected left hip is never worked; the stiff right hip gets its extra set.
    assert all("left" not in sides for _, sides, *_ in shape if len(sides) == 1)
    assert any(extra == "right" for _, _, extra, *_ in shape)
    assert any(sides == ("right",) for _, sides, *_ in shape)

    plan = _json(home, "plan")
    assert _shape(plan["prescription"]["items"]) == shape
    assert plan["prescription"]["total_seconds"] == seconds
    week = next(d for d in plan["doses"] if d["week"] == p["plan"]["week"])
    assert sorted((i["id"], tuple(i["sides"] or ()), i["extra_set"], i["sets"], i["reps"], i["hold_s"])
                  for i in week["items"]) == sorted(shape)  # fmt: skip
    upcoming = next(s for s in plan["sessions"] if s["date"] == p["plan"]["due"])
    assert (upcoming["seconds"], upcoming["minutes"]) == (seconds, minutes)

    said = _hiprot(home, "today").splitlines()
    assert [f"  {n}. {i['name']}: {i['dose']}" for n, i in enumerate(p["items"], 1)] == [
        line for line in said if re.match(r"  \d+\. ", line)]  # fmt: skip

    table = _hiprot(home, "plan")
    listed = table[table.index("Next session:"):].splitlines()
    assert listed[1 : 1 + len(p["items"])] == [f"- {i['name']}: {i['dose']}" for i in p["items"]]
    assert listed[0].endswith(f"{seconds // 60}:{seconds % 60:02d}")

    routine = _json(home, "routine", "--saved", "plan")
    assert _shape(routine["items"]) == shape
    assert routine["total_seconds"] == seconds

    report = _json(home, "report")
    assert _shape(report["current_programme"]["items"]) == shape
    assert report["current_programme"]["total_seconds"] == seconds
    assert report["plan"]["adherence"] == p["plan"]["adherence"]
    assert report["plan"]["sessions_per_week"] == 3
    assert any(line.startswith("Adherence: 5 of 6 sessions due so far (83%); plan 'plan', week 3 of 6, 3 sessions a "
                               "week (target)") for line in report["summary"])  # fmt: skip
    markdown = _hiprot(home, "report")
    programme = markdown[markdown.index("## Current programme"):markdown.index("## Dose changes")]
    assert [f"{n}. {i['name']}: {i['dose']}" for n, i in enumerate(p["items"], 1)] == [
        line for line in programme.splitlines() if re.match(r"\d+\. ", line)]  # fmt: skip

    script = _json(home, "go", "--dry-run")
    work = [(c["exercise"], c["set"], c["side"], c.get("reps"), c.get("hold_s"))
            for c in script if c["phase"] in ("reps", "hold") and "exercise" in c]  # fmt: skip
    assert in_item_order(work, p["items"]) == expected_work(p["items"])
    assert script[-1]["phase"] == "end" and script[-1]["at"] == seconds

    handout = html.unescape(_hiprot(home, "plan", "handout"))
    doses = re.findall(r'<section class="card" data-dose="([^"]*)">', handout)
    assert doses == [i["dose"] for i in p["items"]]
    for n, item in enumerate(p["items"], 1):
        assert f"{n}. {plain_name(item['name'])}" in handout

    from icalendar import Calendar

    calendar = Calendar.from_ical(_hiprot(home, "plan", "calendar"))
    event = next(e for e in calendar.walk("VEVENT") if e.decoded("dtstart").date().isoformat() == p["plan"]["due"])
    assert event.decoded("duration") == timedelta(seconds=seconds)
    lines = [line for line in str(event.get("description")).splitlines() if line.startswith("- ")]
    assert lines == [f"- {i['name']}: {i['dose']}" for i in p["items"]]
    assert all("/ side" not in line for line, i in zip(lines, p["items"], strict=True) if len(i["sides"] or ()) == 1)


def test_plan_new_prints_the_length_the_plan_shows(tmp_path: Path) -> None:
    """`plan new` said a filled routine's length (19:40) while every view said 15:00."""
    env_home = tmp_path
    _hiprot(env_home, "profile", "hip", "right", "stiff")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "LC_", "HIPROT", "XDG_"))}
    env.update({f"XDG_{n}_HOME": str(env_home / n.lower()) for n in ("DATA", "CACHE", "CONFIG")})
    done = subprocess.run([sys.executable, "-m", "hiprot", "plan", "new", "--goal", "strength", "--weeks", "4"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = re.search(r"\(strength, (\d+:\d\d)\)", done.stderr)
    assert said is not None, done.stderr
    plan = _json(env_home, "plan")
    seconds = plan["prescription"]["total_seconds"]
    assert said.group(1) == f"{seconds // 60}:{seconds % 60:02d}"


def test_every_view_of_a_mixed_plans_next_session_agrees(hiprot, monkeypatch) -> None:
    """A plan of two routines (issue 26), two sessions logged: every view's next session
    is the same routine's, with the same exercises, doses and length."""
    from datetime import UTC, datetime

    from tests.fakes import fake_now

    fake_now(monkeypatch, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # a Wednesday
    hiprot("profile", "hip", "right", "stiff")
    hiprot("save", "mobility", "--goal", "warmup")
    hiprot("save", "strength", "--goal", "strength")
    hiprot("plan", "new", "--weeks", "4", "--start", "2026-11-30", "--saved", "mobility", "--days", "mon,wed,fri",
           "--saved", "strength", "--days", "tue,wed")  # fmt: skip
    hiprot("log", "--when", "2026-11-30", "--pain", "2")
    hiprot("log", "--when", "2026-12-01", "--pain", "1")
    hiprot("log", "--pain", "1")  # Wednesday: mobility first, in the plan's order
    p = hiprot.json("today")["prescription"]
    assert (p["plan"]["saved_name"], p["plan"]["due"]) == ("strength", "2026-12-02")
    shape, seconds = _shape(p["items"]), p["total_seconds"]
    plan = hiprot.json("plan")
    assert _shape(plan["prescription"]["items"]) == shape
    (mine,) = [r for r in plan["routines"] if r["saved_name"] == "strength"]
    assert _shape(mine["prescription"]["items"]) == shape and mine["prescription"]["total_seconds"] == seconds
    upcoming = [s for s in plan["sessions"] if (s["date"], s["saved_name"]) == ("2026-12-02", "strength")]
    assert [s["seconds"] for s in upcoming] == [seconds]
    routine = hiprot.json("routine", "--saved", "strength")
    assert _shape(routine["items"]) == shape and routine["total_seconds"] == seconds
    report = hiprot.json("report")
    assert _shape(report["current_programme"]["items"]) == shape
    script = hiprot.json("go", "--dry-run")
    work = [(c["exercise"], c["set"], c["side"], c.get("reps"), c.get("hold_s"))
            for c in script if c["phase"] in ("reps", "hold") and "exercise" in c]  # fmt: skip
    assert in_item_order(work, p["items"]) == expected_work(p["items"]) and script[-1]["at"] == seconds
    calendar = hiprot("plan", "calendar").stdout.replace("\r\n ", "").replace("\r\n", "\n")
    event = next(e for e in calendar.split("BEGIN:VEVENT")[1:]
                 if "DTSTART:20261202" in e and "SUMMARY:Hip rotation: strength" in e)  # fmt: skip
    assert f"strength\\, {seconds // 60}:{seconds % 60:02d}." in event
