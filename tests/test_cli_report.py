"""hiprot report: the progress report for a clinician, from the history database."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.fakes import FakeNow, fake_now
from tests.test_cli_profile import LEFT_THR


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 2, 8, 0, tzinfo=UTC))  # a Monday


@pytest.fixture
def story(hiprot, clock) -> None:
    """Four weeks: a saved routine logged six times (pain 2, then 7 with 4 the next day),
    one warm-up, and three pairs of readings."""
    hiprot("save", "hips", "--goal", "strength")
    hiprot("measure", "--left", "28", "--right", "35")
    for pain in (2, 1, 3, 2, 0):
        hiprot("log", "--saved", "hips", "--pain", str(pain))
        clock.days(3)
    hiprot("log", "--goal", "warmup")
    hiprot("measure", "--left", "31", "--right", "36")
    clock.days(5)
    hiprot("log", "--saved", "hips", "--pain", "7")
    hiprot("history", "--next-day", "4")
    clock.days(3)
    hiprot("measure", "--left", "36", "--right", "37")


class _Svg(HTMLParser):
    """Each chart's bar labels and marks, by the chart's label."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, list]] = {}
        self.current: dict[str, list] | None = None
        self.in_text = False
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "svg":
            self.current = self.charts.setdefault(attrs["aria-label"], {"text": [], "circle": [], "rect": []})
        elif self.current is not None and tag in ("circle", "rect"):
            self.current[tag].append(attrs)
        self.in_text = tag == "text"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag) -> None:
        if tag == "svg":
            self.current = None
        self.in_text = False

    def handle_data(self, data) -> None:
        if self.in_text and self.current is not None:
            self.current["text"].append(data)


def test_without_history_the_report_says_so_and_exits_0(hiprot, clock) -> None:
    out = hiprot("report").stdout
    assert out.startswith("# Progress report\n") and "no plan, so no target" in out
    assert "No sessions in these weeks." in out and "No readings in these weeks." in out
    data = hiprot.json("report")
    assert data["plan"] is None and data["sessions"] == [] and len(data["weeks"]) == 8
    assert all(w["sessions"] == 0 and w["planned"] is None for w in data["weeks"])
    assert "<svg" in hiprot("report", "--format", "html").stdout  # the weekly chart, all zeros


def test_json_holds_sessions_pain_readings_and_dose_changes(hiprot, clock, story) -> None:
    data = hiprot.json("report", "--weeks", "4")
    assert data["from"] == "2026-11-02" and data["to"] == "2026-11-25"
    assert [w["sessions"] for w in data["weeks"]] == [3, 2, 2, 0]
    assert [(s["routine"], s["pain"], s["pain_next_day"]) for s in data["sessions"]] == [
        ("hips", 2, None), ("hips", 1, None), ("hips", 3, None), ("hips", 2, None), ("hips", 0, None),
        ("warmup", None, None), ("hips", 7, 4)]  # fmt: skip
    rotation = data["rotation"]
    assert [r["degrees"] for r in rotation["left"]["readings"]] == [28, 31, 36]
    assert rotation["left"]["noise_band"] == [22.6, 33.4] and rotation["left"]["beyond_noise"] is True
    assert rotation["right"]["beyond_noise"] is False and rotation["usual_range"] == [30, 45]
    [hips] = data["dose_changes"]
    assert hips["routine"] == "hips" and hips["sessions"] == 6
    assert any(line.startswith("Clamshell") and "pain 7 last session" in line for line in hips["changes"])
    assert any(line.startswith("Pain: peak 7/10 on Sun 22 Nov 2026 (during a session)") for line in data["summary"])
    assert "Left hip internal rotation: 28° (Mon 2 Nov 2026) to 36° (Wed 25 Nov 2026), +8°: beyond the 5.4° " \
        "measurement error." in data["summary"]
    assert data["summary"][0].startswith("Adherence: 2.0 sessions a week (7 sessions counted in 4 weeks)")


def test_the_html_charts_draw_the_numbers_the_json_carries(hiprot, clock, story) -> None:
    data = hiprot.json("report", "--weeks", "4")
    page = hiprot("report", "--weeks", "4", "--format", "html").stdout
    svg = _Svg()
    svg.feed(page)
    weekly = svg.charts["Sessions per week"]
    assert weekly["text"][-len(data["weeks"]) * 2 - 1 : -1 : 2] == [str(w["sessions"]) for w in data["weeks"]]
    pain = svg.charts["Pain during and the day after each session"]
    assert len(pain["circle"]) == sum(s["pain"] is not None for s in data["sessions"])
    assert len([r for r in pain["rect"] if r.get("stroke") == "#c92a2a"]) == 1  # one next-day reading
    rotation = svg.charts["Hip internal rotation per side, degrees"]
    assert len(rotation["circle"]) == 6
    # First and last values written on the chart (no labels to collide), every value on hover.
    assert {"28°", "35°", "left 36°", "right 37°"} <= set(rotation["text"]) and "usual range 30-45°" in rotation["text"]
    assert "31°" not in rotation["text"] and "<title>left 31°, Tue 17 Nov 2026</title>" in page
    # One self-contained page: no script, nothing fetched, print rules.
    names = {tag for tag, _ in svg.tags}
    assert not names & {"script", "img", "link", "iframe"}
    assert all(not {"src", "href"} & set(attrs) for _, attrs in svg.tags)
    assert "@page" in page and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_markdown_tables_and_the_profile(hiprot, clock, story) -> None:
    hiprot(*LEFT_THR)
    out = hiprot("report", "--weeks", "4").stdout
    assert "| Week of | Sessions | Planned | Adherence |" in out and "| 2026-11-16 | 2 | - | - |" in out
    assert "| 2026-11-22 | hips | logged | " in out and re.search(r"\| 7 \| 4 \|$", out, re.M)
    assert "| 2026-11-25 | 36° | 37° |" in out and "noise band 22.6° to 33.4°" in out
    assert "**Profile:** Left hip replaced (posterior approach" in out
    assert "Profile" not in hiprot("report", "--no-profile").stdout


def test_output_by_extension_never_replaces_without_force(hiprot, clock, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert "Wrote" in hiprot("report", "--output", str(target)).stderr
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    hiprot("report", "--output", str(target), code=1)
    hiprot("report", "--output", str(target), "--force", "--format", "json")
    assert target.read_text(encoding="utf-8").startswith("{")
    assert ".html" in hiprot("report", "--output", str(tmp_path / "r.txt"), code=2).stderr
    hiprot("report", "--weeks", "0", code=2)


def test_since_opens_the_window_on_that_day(hiprot, clock, story) -> None:
    data = hiprot.json("report", "--since", "2026-11-10")
    assert data["from"] == "2026-11-10" and [w["week_of"] for w in data["weeks"]] == ["2026-11-09", "2026-11-16",
                                                                                      "2026-11-23"]  # fmt: skip
    assert all(s["date"] >= "2026-11-10" for s in data["sessions"]) and len(data["sessions"]) == 4
    assert "--since" in hiprot("report", "--since", "soon", code=2).stderr
    assert "--since" in hiprot("report", "--since", "2027-01-01", code=2).stderr  # after today


def test_a_running_plan_s_first_day_opens_the_window(hiprot, clock) -> None:
    hiprot("plan", "new", "--weeks", "6", "--days", "mon,wed,fri", "--goal", "warmup")  # from Mon 2 Nov
    clock.days(16)
    hiprot("log", "--pain", "2")
    data = hiprot.json("report")  # 8 weeks back would open on 12 Oct, three weeks before the plan
    assert data["from"] == "2026-11-02" and len(data["weeks"]) == 3
    assert data["highlights"]["flags"]["missed_weeks"] == ["2026-11-02", "2026-11-09"]


def test_notes_and_flags_in_every_format(hiprot, clock) -> None:
    for pain, note in ((7, "flare after a long drive"), (6, None), (2, None)):
        hiprot("log", "--goal", "warmup", "--pain", str(pain), *(["--note", note] if note else []), "--again")
        clock.days(1)
    data = hiprot.json("report")
    assert data["sessions"][0]["note"] == "flare after a long drive"
    assert data["highlights"]["flags"]["high_pain_in_a_row"] == [["2026-11-02", "2026-11-03"]]
    assert data["highlights"]["pain_peak"] == {"pain": 7, "date": "2026-11-02", "next_day": False}
    out = hiprot("report").stdout
    assert "Pain of 6 or more in sessions in a row: Mon 2 Nov 2026 to Tue 3 Nov 2026." in out
    assert "1. Mon 2 Nov 2026: flare after a long drive" in out
    page = hiprot("report", "--format", "html").stdout
    assert '<div class="flags"><h2>Flags</h2>' in page and "<title>Mon 2 Nov 2026: flare after a long drive</title>" in page


def test_a_plan_whose_routine_no_longer_builds_still_gets_a_report(hiprot) -> None:
    """The report reads the running plan for its current programme; when the profile now
    rules out the plan's routine, the report still comes, with the plan's target and why."""
    hiprot("plan", "new", "--goal", "recovery", "--muscle", "piriformis", "--weeks", "4")
    hiprot("profile", "avoid", "floor")
    hiprot("plan", code=1)
    data = hiprot.json("report")
    assert data["current_programme"] is None
    assert data["plan"] == {"sessions_per_week": 3}
    assert data["dose_changes"][0]["changes"][0].startswith("Not rebuilt: ")
