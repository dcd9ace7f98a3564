"""Issue 25 rows 7, 14, 20, 21 (echoes) and the new user's list: one rule for removing
things, log --when and off-plan days, no trailing spaces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hiprot.cli import app
from hiprot.dates import local_now
from tests.fakes import fake_now

MONDAY = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


# --- row 7: a time zone Python cannot use ---------------------------------------------------


def test_row7_an_unusable_zone_means_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)

    class Broken(datetime):
        def astimezone(self, tz=None):  # type: ignore[no-untyped-def,override]
            if tz is None:
                raise ValueError("offset must be a timedelta strictly between -timedelta(hours=24) and ...")
            return super().astimezone(tz)

    at, in_utc = local_now(lambda tz: Broken.fromtimestamp(moment.timestamp(), tz))
    assert in_utc and at == moment and at.utcoffset() is not None


@pytest.mark.parametrize("command", [["routine", "--goal", "warmup"], ["log", "--goal", "warmup"], ["history"],
                                     ["today"]], ids=" ".join)  # fmt: skip
def test_row7_tz_utc_plus_24_warns_once_and_works(tmp_path, command: list[str]) -> None:
    from tests.test_cli_process import run

    result = run(tmp_path, *command, TZ="UTC+24")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("cannot be used; times are in UTC") == 1
    assert "Traceback" not in result.stderr


# --- row 14: a saved routine a plan follows ---------------------------------------------


def test_row14_a_routine_the_plan_follows_cannot_be_deleted(hiprot) -> None:
    hiprot("save", "plan", "--goal", "warmup")
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--saved", "plan")
    result = hiprot("saved", "--delete", "PLAN", "--yes", code=1)
    assert "followed by the running plan" in result.stderr and "hiprot plan end" in result.stderr
    assert [r["name"] for r in hiprot.json("saved")] == ["plan"]
    hiprot("plan")  # the plan still works
    hiprot("plan", "end", "--yes")
    hiprot("saved", "--delete", "plan", "--yes")
    assert hiprot.json("saved") == []


# --- row 20: widths are clamped ------------------------------------------------------------


@pytest.mark.parametrize("columns", ["100000000", "3"])
def test_row20_widths_are_clamped(hiprot, columns: str) -> None:
    hiprot("log", "--goal", "warmup", "--note", "x " * 400)
    for command in (["history"], ["show", "clamshell"], ["routine", "--goal", "warmup"], ["list"]):
        result = hiprot(*command, env={"COLUMNS": columns})
        widest = max(len(line) for line in result.stdout.splitlines())
        assert 20 <= widest <= 500 or columns == "3", (command, widest)
        assert widest <= 500, command


# --- row 21: echoed input is cut -------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["show", "x" * 100_000], ["routine", "--goal", "warmup", "--muscle", "y" * 100_000],
     ["saved", "--delete", "z" * 100_000, "--yes"]],
    ids=["show", "muscle", "saved"],
)  # fmt: skip
def test_row21_a_huge_typed_value_is_echoed_cut(hiprot, command: list[str]) -> None:
    result = hiprot.runner.invoke(app, command)
    assert result.exit_code in (1, 2)
    assert len(result.stderr) < 2_000
    assert "more characters" in result.stderr or "longer than 64 characters" in result.stderr


# --- one rule for removing things ------------------------------------------------------------


def _world(hiprot) -> None:
    hiprot("log", "--goal", "warmup")
    hiprot("measure", "--left", "30")
    hiprot("save", "hips", "--goal", "warmup")
    hiprot("save", "other", "--goal", "warmup")
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--saved", "hips")
    hiprot("profile", "level", "advanced")


REMOVALS = [
    ["history", "--delete", "1"],
    ["history", "--undo"],
    ["saved", "--delete", "other"],
    ["measure", "--delete", "1"],
    ["plan", "end"],
    ["profile", "reset"],
]


@pytest.mark.parametrize("command", REMOVALS, ids=" ".join)
def test_removing_without_a_terminal_needs_yes(hiprot, command: list[str]) -> None:
    _world(hiprot)
    before = _state(hiprot)
    result = hiprot(*command, code=2)
    assert "add --yes" in result.stderr and "Nothing was changed" in result.stderr
    assert _state(hiprot) == before
    hiprot(*command, "--yes")
    assert _state(hiprot) != before


@pytest.mark.parametrize("command", REMOVALS, ids=" ".join)
@pytest.mark.parametrize("answer", ["n\n", "y\n"])
def test_removing_at_a_terminal_asks(hiprot, monkeypatch, command: list[str], answer: str) -> None:
    _world(hiprot)
    before = _state(hiprot)
    monkeypatch.setattr("hiprot.cli.ask.interactive", lambda: True)
    result = hiprot.runner.invoke(app, command, input=answer)
    assert result.exit_code == 0, result.stderr
    assert "[y/N]" in result.stderr
    assert (_state(hiprot) == before) == (answer == "n\n")


def _state(hiprot) -> tuple[object, ...]:
    from hiprot.cli import app
    from hiprot.paths import profile_path

    plan = hiprot.runner.invoke(app, ["plan", "--format", "json"])
    return (len(hiprot.json("history")), len(hiprot.json("saved")), len(hiprot.json("measure")),
            plan.exit_code, profile_path().exists())  # fmt: skip


# --- log --when and days off the plan -------------------------------------------------------


def test_log_when_a_date_alone_is_noon_and_a_time_can_be_given(hiprot, monkeypatch) -> None:
    fake_now(monkeypatch, MONDAY)
    hiprot("log", "--goal", "warmup", "--when", "2026-11-24")
    hiprot("log", "--goal", "warmup", "--when", "2026-11-25 18:30")
    starts = sorted(s["started_at"] for s in hiprot.json("history"))
    assert starts == ["2026-11-24T12:00:00+00:00", "2026-11-25T18:30:00+00:00"]


@pytest.mark.parametrize(
    ("when", "words"),
    [("2026-11-29", "starts on 2026-11-30"), ("2026-12-01", "Tuesday is not one of your plan's days"),
     ("2026-11-30", None)],
)  # fmt: skip
def test_log_on_a_day_off_the_plan_says_it_records_the_plan_anyway(hiprot, monkeypatch, when, words) -> None:
    clock = fake_now(monkeypatch, MONDAY)
    hiprot("plan", "new", "--weeks", "4", "--days", "mon,wed,fri", "--goal", "warmup", "--start", "2026-11-30")
    clock.days(3)
    result = hiprot("log", "--when", when)
    if words is None:
        assert "Note:" not in result.stderr
    else:
        assert words in result.stderr and "records the plan's routine anyway" in result.stderr


# --- no trailing spaces ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["show", "clamshell"], ["profile"], ["routine", "--goal", "warmup"], ["list"],
                                     ["history"], ["measure"]], ids=" ".join)  # fmt: skip
def test_no_line_ends_in_spaces(hiprot, command: list[str]) -> None:
    hiprot("profile", "hip", "left", "hip-replacement", "--approach", "posterior")
    hiprot("log", "--goal", "warmup")
    out = hiprot(*command).stdout
    assert out.strip()
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
