"""hiprot go in plain mode, with a fake clock and scripted keys: a whole session in milliseconds."""

from __future__ import annotations

import pytest

from tests.fakes import FakeClock, ScriptedKeys


@pytest.fixture
def script(monkeypatch):
    """Set the keys a session will see: {seconds: key}; returns the fake clock.

    `person=True` makes the keys a person's (a terminal): the ready screen waits for them.
    """
    clock = FakeClock(1000.0)
    holder: dict[str, object] = {"keys": {}, "person": False}

    def session_input():
        keys = ScriptedKeys(clock, {1000.0 + t: k for t, k in holder["keys"].items()})
        return keys, clock, holder["person"]

    monkeypatch.setattr("hiprot.cli.go.session_input", session_input)

    def set_keys(keys: dict[float, object], person: bool = False) -> FakeClock:
        holder["keys"], holder["person"] = keys, person
        return clock

    return set_keys


def test_a_whole_session_runs_and_is_logged_as_completed(hiprot, script) -> None:
    script({})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--pain", "2")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[00:00] Exercise 1 of 5, Lying Hip Internal Rotation. Get into position")
    assert any("Session complete" in line for line in lines)
    assert "\a" not in result.stdout  # --quiet: no bell
    assert "(completed)" in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "completed" and session["pain"] == 2
    assert session["done_seconds"] == session["planned_seconds"] == sum(i["planned_seconds"] for i in session["items"])
    assert all(i["status"] == "done" for i in session["items"])


def test_no_bell_in_a_log_or_a_pipe(hiprot, script) -> None:
    """The bell is for a person at a terminal (the Bell itself is tested in test_terminal)."""
    script({})
    out = hiprot("go", "--goal", "warmup", "--plain", "--no-log").stdout
    assert "\a" not in out and "Session complete" in out


def test_skip_and_quit_give_a_partial_session(hiprot, script) -> None:
    script({20.0: "n", 90.0: "q"})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert "Session ended early" in result.stdout
    [session] = hiprot.json("history")
    assert session["status"] == "partial"
    statuses = [i["status"] for i in session["items"]]
    assert statuses[0] == "skipped" and "done" not in statuses[2:]


def test_ctrl_c_exits_130_and_logs_a_partial_session(hiprot, script) -> None:
    script({30.0: KeyboardInterrupt})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=130)
    assert "Session stopped" in result.stdout and "(partial)" in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "partial" and 25 <= session["done_seconds"] <= 31


def test_pause_is_not_counted(hiprot, script) -> None:
    script({10.0: " ", 70.0: " "})
    out = hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--no-log").stdout
    assert "Paused" in out and "Paused for 1:00, not counted." in out
    assert hiprot.json("history") == []  # --no-log


def test_go_saved_runs_the_adapted_routine(hiprot, script) -> None:
    script({})
    hiprot("save", "hips", "--goal", "strength")
    for _ in range(2):
        hiprot("log", "--saved", "hips", "--pain", "1")
    out = hiprot("go", "--saved", "hips", "--plain", "--quiet", "--no-log").stdout
    assert "Clamshell, set 3 of 3" in out


def test_voice_without_a_speech_program_is_a_clear_error(hiprot, script, monkeypatch, tmp_path) -> None:
    script({})
    monkeypatch.setenv("PATH", str(tmp_path))
    err = hiprot("go", "--goal", "warmup", "--plain", "--voice", code=1).stderr
    assert "espeak-ng" in err and hiprot.json("history") == []


def test_the_pain_question_takes_0_to_10_and_enter_skips(monkeypatch) -> None:
    from hiprot.cli.go import _ask_pain

    answers = iter(["eleven", "11", "4"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert _ask_pain() == 4
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert _ask_pain() is None

    def closed(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)
    assert _ask_pain() is None


def test_ctrl_c_at_the_pain_question_keeps_the_session(hiprot, script, monkeypatch) -> None:
    """Found by a hostile test: the session used to be lost."""
    script({})
    monkeypatch.setattr("hiprot.cli.go.interactive", lambda: True)

    def interrupted() -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("hiprot.cli.go._ask_pain", interrupted)
    hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=130)
    [session] = hiprot.json("history")
    assert session["status"] == "completed" and session["pain"] is None


def test_the_pain_question_is_asked_only_of_a_person(hiprot, script, monkeypatch) -> None:
    script({})
    monkeypatch.setattr("hiprot.cli.go.interactive", lambda: True)
    monkeypatch.setattr("hiprot.cli.go._ask_pain", lambda: 5)
    hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert hiprot.json("history")[0]["pain"] == 5
