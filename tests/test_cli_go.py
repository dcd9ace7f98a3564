"""hiprot go in plain mode, with a fake clock and scripted keys: a whole session in milliseconds."""

from __future__ import annotations

import os
import pty
import select
import shlex
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.fakes import FakeClock, ScriptedKeys, read_until


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
    script({20.0: "n", 120.0: "q"})  # a minute of work and more: partial, not abandoned
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert "Session ended early" in result.stdout
    [session] = hiprot.json("history")
    assert session["status"] == "partial"
    statuses = [i["status"] for i in session["items"]]
    assert statuses[0] == "skipped" and "done" not in statuses[2:]


def test_ctrl_c_exits_130_and_logs_a_partial_session(hiprot, script) -> None:
    script({120.0: KeyboardInterrupt})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=130)
    assert "Session stopped" in result.stdout and "(partial)" in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "partial" and 115 <= session["done_seconds"] <= 121


def test_ctrl_c_after_30_seconds_is_kept_as_abandoned_and_not_counted(hiprot, script) -> None:
    """Issue 18: under 60 s of work is `abandoned`: stored and shown, never counted."""
    script({30.0: KeyboardInterrupt})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=130)
    assert "(abandoned)" in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned" and 25 <= session["done_seconds"] <= 31
    out = hiprot("history").stdout
    assert "abandoned" in out and "1 abandoned session" in out
    bars = out.split("Sessions per week")[1].split("\n\n")[0].splitlines()
    assert bars[-1].startswith("week of") and bars[-1].rstrip().endswith(" 0")  # not in the weekly bars


def test_pause_is_not_counted(hiprot, script) -> None:
    script({10.0: " ", 70.0: " "})
    out = hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--no-log").stdout
    assert "Paused" in out and "Paused for 1:00, not counted." in out
    assert hiprot.json("history") == []  # --no-log


def test_go_saved_runs_the_adapted_routine(hiprot, script) -> None:
    script({})
    hiprot("save", "hips", "--goal", "strength")
    for _ in range(2):
        hiprot("log", "--saved", "hips", "--pain", "1", "--again")
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


# -- the ready screen, the preview, the pain question (issues 16 and 19)


def test_the_ready_screen_waits_for_a_person_then_counts_ten_seconds(hiprot, script) -> None:
    clock = script({600.0: "\n"}, person=True)
    out = hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--no-log").stdout.splitlines()
    assert out[0].startswith("[00:00] Ready? First: Lying Hip Internal Rotation (lying).")
    assert out[1:11] == [f"[00:00] Starting in {n}" for n in range(10, 0, -1)]
    assert out[11].startswith("[00:00] Exercise 1 of 5")
    phases = sum(len(i["phases"]) for i in hiprot.json("routine", "--goal", "warmup")["items"])
    assert phases > 0 and clock.now() == 1000.0 + 610 + hiprot.json("routine", "--goal", "warmup")["total_seconds"]


def test_now_skips_the_ready_screen(hiprot, script) -> None:
    script({}, person=True)
    out = hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--no-log", "--now").stdout
    assert "Ready?" not in out and out.startswith("[00:00] Exercise 1 of 5")


def test_q_on_the_ready_screen_records_nothing(hiprot, script) -> None:
    script({3.0: "q"}, person=True)
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert "Not started; nothing was recorded." in result.stderr
    assert hiprot.json("history") == []


def test_ctrl_c_on_the_ready_screen_exits_130_and_records_nothing(hiprot, script) -> None:
    script({3.0: KeyboardInterrupt}, person=True)
    hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=130)
    assert hiprot.json("history") == []


def test_dry_run_prints_the_script_without_waiting_or_logging(hiprot, monkeypatch) -> None:
    def no_terminal():
        raise AssertionError("a dry run reads no keys")

    monkeypatch.setattr("hiprot.cli.go.session_input", no_terminal)
    out = hiprot("go", "--goal", "strength", "--dry-run").stdout.splitlines()
    assert out[0].startswith("[00:00] Exercise 1 of ")
    assert any(line.endswith('· says "Two."') for line in out)
    assert out[-1].endswith("Session complete")
    assert hiprot.json("history") == []


def test_dry_run_json_is_the_cue_list(hiprot) -> None:
    items = hiprot.json("go", "--goal", "strength", "--dry-run")
    assert all({"at", "phase", "text", "say"} <= set(i) for i in items)
    routine = hiprot.json("routine", "--goal", "strength")
    assert items[-1] == {"at": routine["total_seconds"], "phase": "end", "text": "Session complete",
                         "say": "Session complete."}  # fmt: skip
    # Every set, as runs of cues of one phase: a reps set counts each rep aloud on a 3 s
    # beat; a hold ends on 3, 2, 1; every rest and switch says what is next.
    sets: list[list[dict]] = []
    for item in items:
        if item["phase"] in ("reps", "hold", "rest", "switch") and (
            not sets or sets[-1][0]["phase"] != item["phase"] or (item["say"].endswith(("One.", "seconds."))
            and not item["text"].isdigit())
        ):
            sets.append([item])
        elif sets and item["phase"] == sets[-1][0]["phase"]:
            sets[-1].append(item)
    kinds = {s[0]["phase"] for s in sets}
    assert {"reps", "rest", "switch"} <= kinds
    for cues in sets:
        first = cues[0]
        if first["phase"] == "reps":
            reps = int(first["text"].rsplit(": ", 1)[1].split()[0])
            assert [c["at"] - first["at"] for c in cues] == [3 * n for n in range(reps)]
            assert [c["say"] for c in cues][1:3] == ["Two.", "Three."][: reps - 1]
        elif first["phase"] == "hold":
            assert [c["text"] for c in cues[-3:]] == ["3", "2", "1"]
        else:
            assert "Next: " in first["text"] and "Next: " in first["say"]


def test_format_without_dry_run_is_a_usage_error(hiprot) -> None:
    assert "--dry-run" in hiprot("go", "--goal", "warmup", "--format", "json", code=2).stderr


def test_no_log_does_not_ask_for_pain(hiprot, script, monkeypatch) -> None:
    """Found by a hostile test: --no-log asked for the pain and threw the answer away."""
    script({})
    monkeypatch.setattr("hiprot.cli.go.interactive", lambda: True)

    def asked() -> int:
        raise AssertionError("asked for pain with --no-log")

    monkeypatch.setattr("hiprot.cli.go._ask_pain", asked)
    hiprot("go", "--goal", "warmup", "--plain", "--quiet", "--no-log")


def test_a_superscript_two_at_the_pain_question_asks_again(hiprot, script, monkeypatch) -> None:
    """Issue 16 row 3: '²' is isdigit() but not a number int() takes; the session was lost."""
    script({20.0: "q"})
    monkeypatch.setattr("hiprot.cli.go.interactive", lambda: True)
    answers = iter(["²", "٣", "3"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert result.stderr.count("A whole number from 0") == 2
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned" and session["pain"] == 3  # 20 s of work


# -- signals, a closed stdin, a closed pipe: the real command in a subprocess (issue 16)

SRC = str(Path(__file__).resolve().parent.parent / "src")


def read_to_end(fd: int, timeout: float = 15.0) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and select.select([fd], [], [], deadline - time.monotonic())[0]:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def modes(fd: int) -> tuple[bool, bool]:
    """(icanon, echo) of the pseudo-terminal, read through its master side."""
    lflag = termios.tcgetattr(fd)[3]
    return bool(lflag & termios.ICANON), bool(lflag & termios.ECHO)


@pytest.mark.parametrize(
    "signum, code, mode",
    [
        (signal.SIGINT, 130, "--plain"),
        (signal.SIGTERM, 143, "--plain"),
        (signal.SIGHUP, 129, "--plain"),
        (signal.SIGTERM, 143, "--live"),
        (signal.SIGHUP, 129, "--live"),
    ],
    ids=["INT", "TERM", "HUP", "TERM-live", "HUP-live"],
)
def test_signals_restore_the_terminal_and_log_the_partial_session(hiprot, signum, code, mode) -> None:
    """Issue 16 rows 10, 12, 13 and its signal test: `hiprot go` in a pseudo-terminal."""
    args = ["go", "--goal", "warmup", "--count", "1", "--quiet", *([mode] if mode == "--plain" else [])]
    env = {**os.environ, "PYTHONPATH": SRC, "TERM": "xterm", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-m", "hiprot", *args], env)
    out = ""
    try:
        out += read_until(fd, "Enter")  # the ready screen
        assert modes(fd) == (False, False)  # cbreak: single keys, no echo
        os.write(fd, b"\r")
        out += read_until(fd, "Starting in")
        os.write(fd, b" ")  # a second press starts at once
        # The session is running once its first phase shows: the signal handlers went in
        # before the terminal was set up, so the signal may go at once (no sleep).
        out += read_until(fd, "Get into position")
        os.kill(pid, signum)
        out += read_to_end(fd)
    finally:
        _, status = os.waitpid(pid, 0)
    try:
        assert modes(fd) == (True, True)  # restored: line editing and echo back
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == code, out
    assert "Traceback" not in out and "Session stopped" in out
    assert "\x1b[?25h" in out[out.index("Get into position") :]  # the cursor shown again
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned" and 0 <= session["done_seconds"] <= 3


def test_closed_stdin_runs_in_plain_mode_and_a_sigterm_logs_it(hiprot, tmp_path) -> None:
    """Issue 16 rows 7 and 13: `go <&-` used to crash on None.isatty; SIGTERM lost the session."""
    command = f"exec {shlex.quote(sys.executable)} -m hiprot go --goal warmup --count 1 <&-"
    proc = subprocess.Popen(["sh", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": SRC})  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline().decode()
    assert first.startswith("[00:00] Exercise 1 of 1")  # plain, and no ready screen to wait on
    proc.send_signal(signal.SIGTERM)  # it is running: the first cue is out
    rest, err = proc.communicate(timeout=15)
    assert proc.returncode == 143, err
    assert "Session stopped" in rest.decode() and "Traceback" not in err.decode()
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned" and session["done_seconds"] <= 3


def test_a_closed_pipe_logs_what_was_done(hiprot, script, monkeypatch) -> None:
    """`hiprot go | head -1` used to exit 1 with nothing logged (the unit: test_plain)."""
    script({})
    from hiprot.report import plain

    class Closing:
        """Standard output whose reader leaves after the first line."""

        def __init__(self) -> None:
            self.lines = 0

        def write(self, text: str) -> int:
            self.lines += 1
            if self.lines > 1:
                raise BrokenPipeError
            return len(text)

        def flush(self) -> None:
            pass

    original = plain.PlainPrinter.__init__
    monkeypatch.setattr(plain.PlainPrinter, "__init__", lambda self, routine, stream, *rest: original(self, routine, Closing(), *rest))
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet", code=1)
    assert "Session" not in result.stdout  # nothing more for a reader who left
    assert "(abandoned)" in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned" and session["done_seconds"] == 15


def test_the_sharp_pain_key_stops_at_once_advises_and_logs(hiprot, script) -> None:
    script({20.0: "p"})
    result = hiprot("go", "--goal", "warmup", "--plain", "--quiet")
    assert "stop the programme" in result.stderr and "physiotherapist or doctor" in result.stderr
    assert "Stopped for sharp pain (recorded as pain 8)." in result.stderr
    [session] = hiprot.json("history")
    assert session["status"] == "partial" and session["pain"] == 8  # pain counts: never abandoned
    assert session["note"] == "Stopped for sharp pain (recorded as pain 8)."


def test_the_timeline_is_built_once_per_session(monkeypatch) -> None:
    """The prescription computes the phases once; the dry run, its cues and the engine reuse them
    (a request used to pass through timeline() at every consumer)."""
    import hiprot.report.plain as plain_module
    import hiprot.session as session_module
    import hiprot.timeline as timeline_module
    from tests.conftest import Hiprot

    calls = []
    real = timeline_module.timeline

    def counted(routine):
        calls.append(routine)
        return real(routine)

    for module in (timeline_module, session_module, plain_module):
        monkeypatch.setattr(module, "timeline", counted)
    script = Hiprot().json("go", "--goal", "warmup", "--dry-run")
    assert script[-1]["phase"] == "end"
    assert len(calls) == 1
