"""The command line over the use cases: refusals that write nothing (issue 25 row 12)
and the one format registry deciding what a file gets (issue 25 row 16)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiprot.paths import database_path
from tests.fakes import FakeNow, fake_now


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # a Monday


def _count(table: str) -> int:
    with sqlite3.connect(database_path()) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_refused_plan_new_saves_no_routine(hiprot, clock) -> None:
    """Issue 25 row 12: `plan new --goal warmup --name plan2` while a plan runs created
    the saved routine plan2 although the plan itself was refused."""
    hiprot("plan", "new", "--goal", "strength")
    err = hiprot("plan", "new", "--goal", "warmup", "--name", "plan2", code=1).stderr
    assert "plan end" in err and "--force" in err
    assert "plan2" not in hiprot("saved").stdout
    assert _count("saved_routine") == 1 and _count("plan") == 1


def test_plan_new_force_replaces_the_plan_and_its_routine(hiprot, clock) -> None:
    hiprot("plan", "new", "--goal", "strength")
    hiprot("plan", "new", "--goal", "warmup", "--weeks", "4", "--force")
    assert hiprot.json("plan")["weeks"] == 4
    assert _count("plan") == 2 and _count("saved_routine") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["handout", "--output", "h.md"], "plan handout writes html or pdf"),
        (["handout", "--output", "h.json"], "use .html, .htm or .pdf"),
        (["handout", "--format", "json"], "plan handout writes html or pdf, not json"),
        (["calendar", "--output", "c.pdf"], "plan calendar writes ics"),
        (["calendar", "--format", "json"], "plan calendar writes ics, not json"),
        (["calendar", "--output", "c.txt"], "cannot tell the format"),
        (["--format", "ics"], "plan writes table or json, not ics"),
        (["end", "--format", "json"], "--format goes with plan"),
    ],
)
def test_the_format_registry_decides_what_plan_writes(hiprot, clock, tmp_path, monkeypatch, args, message) -> None:
    """Issue 25 row 16: `plan handout --output h.md` wrote HTML and `plan calendar
    --output c.pdf` wrote ICS; a command refuses a format it cannot produce."""
    hiprot("plan", "new", "--goal", "warmup")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert message in hiprot("plan", *args, code=2).stderr
    assert list(work.iterdir()) == []  # nothing written
    assert hiprot.json("plan")["weeks"] == 6  # and the plan still runs


def test_plan_writes_what_its_suffix_or_format_says(hiprot, clock, tmp_path) -> None:
    hiprot("plan", "new", "--goal", "warmup")
    hiprot("plan", "calendar", "--output", str(tmp_path / "c.ics"))
    assert (tmp_path / "c.ics").read_text().startswith("BEGIN:VCALENDAR")
    hiprot("plan", "handout", "--output", str(tmp_path / "h.htm"))
    assert (tmp_path / "h.htm").read_text().lstrip().lower().startswith("<!doctype html")
    hiprot("plan", "handout", "--output", str(tmp_path / "page"), "--format", "html")  # --format wins
    assert "<html" in (tmp_path / "page").read_text()
    assert hiprot("plan", "calendar", "--format", "ics").stdout.startswith("BEGIN:VCALENDAR")


def test_report_and_routine_take_their_formats_from_the_registry(hiprot, tmp_path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert "report writes markdown, html, pdf or json" in hiprot("report", "--output", "r.ics", code=2).stderr
    refused = hiprot("routine", "--goal", "warmup", "--output", "r.ics", code=2).stderr
    assert "names an ICS file, but routine writes json, markdown, html or pdf" in refused
    assert list(work.iterdir()) == []


def test_every_format_choice_is_in_the_registry() -> None:
    from hiprot.cli import plan, report, routine
    from hiprot.cli.formats import FORMATS

    for enum in (routine.RoutineFormat, report.ReportFormat, plan.PlanFormat):
        assert {m.value for m in enum} <= set(FORMATS)


COMMANDS = {"routine": ("table", "json", "markdown", "html", "pdf"), "report": ("markdown", "html", "json"),
            "plan": ("table", "json"), "plan handout": ("html", "pdf"), "plan calendar": ("ics",)}  # fmt: skip


@given(
    command=st.sampled_from(sorted(COMMANDS)),
    fmt=st.none() | st.sampled_from(["table", "text", "json", "csv", "markdown", "html", "pdf", "ics", "svg"]),
    suffix=st.none() | st.sampled_from(["", ".md", ".MD", ".markdown", ".json", ".html", ".htm", ".pdf", ".ics",
                                        ".csv", ".svg", ".txt", ".Pdf"]),
)
def test_the_format_written_is_one_the_command_offers(command: str, fmt: str | None, suffix: str | None) -> None:
    """Whatever is asked, the format chosen is one the command offers, a file never gets
    a table, and without --format a file gets the format its suffix names."""
    import typer

    from hiprot.cli.formats import FORMATS
    from hiprot.cli.output import chosen_format

    names = COMMANDS[command]
    output = None if suffix is None else Path("out" + suffix)
    try:
        chosen = chosen_format(command, names, fmt, output, names[0])
    except typer.BadParameter:
        return
    assert chosen in names
    if output is not None:
        assert FORMATS[chosen].to_file
        if fmt is None:
            assert output.suffix.lower() in FORMATS[chosen].suffixes
    elif fmt is None:
        assert chosen == names[0]
