"""Terminal handling: cbreak mode and the cursor always restored, single keys, bell, voice."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import signal
import stat
import sys
import termios
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hiprot.catalogue import Catalogue
from hiprot.errors import NoVoiceError
from hiprot.models import Dose, Goal, Item, Request, Routine
from hiprot.report.plain import speech
from hiprot.session import (
    HANGUP,
    TERMINATE,
    Countdown,
    Event,
    Paused,
    PhaseStarted,
    Stop,
    Tick,
    fan_out,
    run_session,
)
from hiprot.terminal import (
    HIDE_CURSOR,
    SHOW_CURSOR,
    Bell,
    StdinKeys,
    Voice,
    cbreak,
    find_voice,
    stop_on_signals,
    wants_plain,
)
from hiprot.timeline import timeline
from tests.fakes import FakeClock, ScriptedKeys, read_until

SRC = Path(__file__).resolve().parent.parent / "src"


class Pty:
    """A pseudo-terminal: `tin`/`tout` are the program's side, `master` the person's."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.tin = os.fdopen(slave, "r")
        self.tout = os.fdopen(os.dup(slave), "w")

    def attrs(self) -> list[Any]:
        return termios.tcgetattr(self.tin.fileno())

    def screen(self) -> str:
        """Everything the program wrote so far."""
        chunks = []
        while select.select([self.master], [], [], 0.05)[0]:
            chunks.append(os.read(self.master, 4096))
        return b"".join(chunks).decode()

    def close(self) -> None:
        self.tin.close()
        self.tout.close()
        os.close(self.master)


@pytest.fixture
def term() -> Iterator[Pty]:
    t = Pty()
    yield t
    t.close()


@pytest.fixture(scope="module")
def small(mini: Catalogue) -> Routine:
    return Routine(
        Request(goal=Goal.WARMUP),
        (
            Item(mini.get("lying-drill"), Dose(1, True, reps=4)),
            Item(mini.get("outer-hip-stretch"), Dose(1, False, hold_s=20)),
        ),
    )


# -- cbreak


def test_cbreak_sets_single_key_mode_and_hides_the_cursor(term: Pty) -> None:
    before = term.attrs()
    assert before[3] & termios.ECHO and before[3] & termios.ICANON
    with cbreak(term.tin, term.tout):
        inside = term.attrs()
        assert not inside[3] & termios.ECHO
        assert not inside[3] & termios.ICANON
        assert inside[3] & termios.ISIG  # Ctrl-C still interrupts
        assert term.screen() == HIDE_CURSOR
    assert term.attrs() == before
    assert term.screen() == SHOW_CURSOR


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_cbreak_restores_when_the_body_raises(term: Pty, error: BaseException) -> None:
    before = term.attrs()
    with pytest.raises(type(error)), cbreak(term.tin, term.tout):
        raise error
    assert term.attrs() == before
    assert term.screen().endswith(SHOW_CURSOR)


def test_cbreak_restores_when_the_session_loop_raises(term: Pty, small: Routine) -> None:
    """The engine's loop dies (a broken event sink): the terminal still comes back."""
    before = term.attrs()
    clock = FakeClock()

    def broken(event: object) -> None:
        if isinstance(event, Tick):
            raise OSError("stdout went away")

    with pytest.raises(OSError), cbreak(term.tin, term.tout):
        run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=broken)
    assert term.attrs() == before
    assert SHOW_CURSOR in term.screen()


def test_cbreak_restores_on_sigterm(term: Pty) -> None:
    before = term.attrs()
    old = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as exit_info, cbreak(term.tin, term.tout):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs before this returns
    assert exit_info.value.code == 128 + signal.SIGTERM
    assert term.attrs() == before
    assert signal.getsignal(signal.SIGTERM) is old


def test_cbreak_is_a_no_op_without_a_terminal() -> None:
    out = io.StringIO()
    with cbreak(io.StringIO(), out):
        pass
    assert out.getvalue() == ""


def test_cbreak_leaves_the_cursor_alone_when_output_is_not_a_terminal(term: Pty) -> None:
    out = io.StringIO()
    with cbreak(term.tin, out):
        assert not term.attrs()[3] & termios.ICANON
    assert out.getvalue() == ""


# -- keys


def test_stdin_keys_are_single_keys_without_enter(term: Pty) -> None:
    with cbreak(term.tin, term.tout):
        keys = StdinKeys(term.tin)
        began = time.monotonic()
        assert keys.read(0.05) is None
        assert time.monotonic() - began >= 0.04
        os.write(term.master, b" n")
        assert keys.read(1.0) == " "
        assert keys.read(0) == "n"
        # arrow keys are escape sequences; their letters ("\x1b[B" is down) are not "b"
        os.write(term.master, b"\x1b[B\x1b[A\x1bOBq")
        assert keys.read(1.0) == "q"
        assert keys.read(0.01) is None
        # an arrow key cut in two by a slow link is still not a "b"
        os.write(term.master, b"\x1b[")
        timer = threading.Timer(0.02, os.write, (term.master, b"Bn"))
        timer.start()
        assert keys.read(1.0) == "n"
        timer.join()


def test_stdin_keys_at_end_of_file_just_wait() -> None:
    read_end, write_end = os.pipe()
    os.close(write_end)
    with os.fdopen(read_end) as stream:
        keys = StdinKeys(stream)
        began = time.monotonic()
        assert keys.read(0.1) is None
        assert keys.read(0.1) is None
        assert 0.18 <= time.monotonic() - began < 1.0
        assert keys.eof


# -- cues


def test_wants_plain() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_plain(io.StringIO(), {"TERM": "xterm"})
    assert wants_plain(Tty(), {"TERM": "dumb"})
    assert not wants_plain(Tty(), {"TERM": "xterm-256color"})
    assert not wants_plain(Tty(), {})


def test_bell_rings_at_each_phase_change_unless_quiet(small: Routine) -> None:
    out, quiet = io.StringIO(), io.StringIO()
    bell, hush = Bell(out), Bell(quiet, quiet=True)
    clock = FakeClock()
    keys = ScriptedKeys(clock, {3.0: " ", 4.0: " "})
    counts: list[Event] = []
    run_session(small, keys=keys, clock=clock, on_event=fan_out(bell, hush, counts.append))
    countdowns = sum(isinstance(e, Countdown) for e in counts)
    assert countdowns == 3  # 3, 2, 1 before the one hold ends
    assert out.getvalue() == "\a" * (len(timeline(small)) + 1 + countdowns)  # each phase, the end, 3-2-1
    assert quiet.getvalue() == ""


def test_with_a_voice_the_bell_leaves_the_countdown_to_it(small: Routine) -> None:
    out = io.StringIO()
    clock = FakeClock()
    run_session(small, keys=ScriptedKeys(clock), clock=clock, on_event=Bell(out, countdown=False))
    assert out.getvalue() == "\a" * (len(timeline(small)) + 1)  # each phase, and the end


def fake_speaker(folder: Path, name: str = "espeak-ng", seconds: float = 0) -> Path:
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            printf '%s\\n' "$1" >> "$SPOKEN"
            exec sleep {seconds}
            """
        )
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_voice_speaks_cues_through_espeak_ng(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: Routine) -> None:
    spoken = tmp_path / "spoken.txt"
    monkeypatch.setenv("SPOKEN", str(spoken))
    fake_speaker(tmp_path / "bin", "say")
    speaker = fake_speaker(tmp_path / "bin", "espeak-ng")
    assert find_voice(str(tmp_path / "bin")) == str(speaker)  # espeak-ng before say
    clock = FakeClock()
    with Voice(speech(small), path=str(tmp_path / "bin")) as voice:

        def sink(event: Event) -> None:
            voice(event)
            if voice.current is not None:
                voice.current.wait(5)  # let each cue finish, so none is cut off here

        run_session(small, keys=ScriptedKeys(clock, {20.0: " ", 21.0: " "}), clock=clock, on_event=sink)
    lines = spoken.read_text().splitlines()
    assert lines == [
        "Exercise 1 of 2: Lying Drill. Lie on your back. Left side first. 4 reps.",
        "Left side. One.",
        "Two.",
        "Paused.",
        "Resumed.",
        "Three.",
        "Four.",
        "Switch to the right side. Next: right side, 4 reps.",
        "Right side. One.",
        "Two.",
        "Three.",
        "Four.",
        "Last exercise: Outer Hip Stretch. Sit on the floor. Hold 20 seconds.",
        "Hold for 20 seconds.",
        "Three.",
        "Two.",
        "One.",
        "Session complete.",
    ]
    assert voice.current is None and voice.stopping == []


def test_voice_never_piles_up_and_never_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: Routine) -> None:
    monkeypatch.setenv("SPOKEN", str(tmp_path / "spoken.txt"))
    fake_speaker(tmp_path / "bin", "say", seconds=30)
    voice = Voice(speech(small), path=str(tmp_path / "bin"))
    began = time.monotonic()
    voice.say("one")
    first = voice.current
    voice.say("two")
    assert time.monotonic() - began < 1.0  # neither call waited for the speech
    assert first is not None and voice.current is not first
    assert first.wait(5) == -signal.SIGTERM  # the older cue was cut off
    running = [p for p in [*voice.stopping, voice.current] if p is not None and p.poll() is None]
    assert len(running) == 1
    last = voice.current
    voice.close(wait=0)
    assert last is not None and last.returncode is not None  # reaped
    assert voice.stopping == []


def test_voice_needs_a_speech_program(tmp_path: Path, small: Routine) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoVoiceError, match="espeak-ng") as error:
        Voice(speech(small), path=str(tmp_path / "empty"))
    assert "--" not in str(error.value)  # the CLI names its own flags
    with pytest.raises(NoVoiceError):
        find_voice("")


def test_a_voice_that_cannot_start_does_not_stop_the_session(tmp_path: Path, small: Routine) -> None:
    voice = Voice(speech(small), program=str(tmp_path / "gone"))
    voice(PhaseStarted(0, timeline(small)[0], 0, 0.0, 1.0))
    voice(Paused(0, 1.0))
    voice.close()


# -- the whole thing in a real pseudo-terminal, Ctrl-C included

DRIVER = textwrap.dedent(
    """\
    import sys, termios
    from hiprot.catalogue import load_catalogue
    from hiprot.models import Goal, Item, Dose, Request, Routine
    from hiprot.report.plain import PlainPrinter
    from hiprot.session import fan_out, run_session
    from hiprot.terminal import Bell, StdinKeys, cbreak

    mini = load_catalogue(sys.argv[1])
    routine = Routine(Request(goal=Goal.WARMUP), (
        Item(mini.get("lying-drill"), Dose(1, True, reps=4)),
        Item(mini.get("outer-hip-stretch"), Dose(1, True, hold_s=30)),
    ))
    before = termios.tcgetattr(0)
    with cbreak(sys.stdin, sys.stdout):
        printer = PlainPrinter(routine, sys.stdout)
        outcome = run_session(routine, keys=StdinKeys(sys.stdin), on_event=fan_out(printer, Bell(sys.stdout)))
    print("restored" if termios.tcgetattr(0) == before else "NOT RESTORED")
    print(outcome.status, "interrupted" if outcome.interrupted else "", [i.status for i in outcome.items])
    sys.exit(130 if outcome.interrupted else 0)
    """
)


def test_keys_and_ctrl_c_in_a_real_terminal() -> None:
    catalogue = Path(__file__).parent / "fixtures" / "mini.yaml"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a fresh interpreter on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-c", DRIVER, str(catalogue)], env)
    out = ""
    try:
        out += read_until(fd, "first.\r\n\a")
        assert HIDE_CURSOR in out
        os.write(fd, b" ")
        out += read_until(fd, "Paused")
        os.write(fd, b" ")
        out += read_until(fd, "Resumed")
        os.write(fd, b"n")
        out += read_until(fd, "sit on the floor. Left side first.\r\n\a")  # the line, then its bell
        os.write(fd, b"\x03")  # Ctrl-C, through the terminal: SIGINT
        out += read_until(fd, "'skipped']")
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    plain = out.replace("\a", "").replace(HIDE_CURSOR, "").replace(SHOW_CURSOR, "")
    lines = [line for line in plain.splitlines() if line.startswith("[")]
    assert lines == [
        "[00:00] Exercise 1 of 2, Lying Drill. Get into position: lie on your back. Left side first.",
        "[00:00] Paused",
        "[00:00] Resumed",
        "[00:00] Skipped Lying Drill",
        "[00:00] Exercise 2 of 2 (the last), Outer Hip Stretch. Get into position: sit on the floor. Left side first.",
        "[00:00] Session stopped",
    ]
    assert out.count("\a") == 3  # two phase starts and the end
    assert out.index(HIDE_CURSOR) < out.index("Get into") < out.index("stopped") < out.index(SHOW_CURSOR)
    assert "restored" in out and "NOT RESTORED" not in out
    assert "partial interrupted ['skipped', 'skipped']" in out
    assert os.waitstatus_to_exitcode(status) == 130


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed here (.ci/run installs it)")
def test_a_cue_rendered_by_the_real_espeak_ng_has_sound(tmp_path: Path, small: Routine) -> None:
    """Issue 19: the voice was only ever tested against a stand-in. This is the real engine."""
    import array
    import subprocess
    import wave

    from hiprot.report.plain import preview

    said = next(c.say for c in preview(small) if c.say)
    wav = tmp_path / "cue.wav"
    subprocess.run([find_voice(), "-w", str(wav), said], check=True, timeout=30, capture_output=True)
    with wave.open(str(wav)) as audio:
        assert audio.getsampwidth() == 2 and audio.getnframes() > 0
        seconds = audio.getnframes() / audio.getframerate()
        samples = array.array("h", audio.readframes(audio.getnframes()))
    assert 1.0 < seconds < 20.0  # a sentence, not silence or a stub
    loud = sum(1 for s in samples if abs(s) > 1000)
    assert loud > len(samples) // 20  # real speech: a good share of samples well above silence


def test_stdin_keys_stop_as_a_hangup_when_the_parent_shell_is_gone(term: Pty) -> None:
    """Issue 16 row 10: `sh -c 'hiprot go'`, then the sh killed: hiprot ran on, orphaned."""
    keys = StdinKeys(term.tin)
    assert keys.read(0.01) is None  # parent still there: just no key
    keys.parent = os.getppid() + 1  # as if the shell that started us had gone
    with pytest.raises(Stop) as stop:
        keys.read(0.01)
    assert stop.value.reason == HANGUP


def test_stdin_keys_without_stdin_just_wait() -> None:
    """`hiprot go <&-`: no stdin at all is no keys, not a crash."""
    began = time.monotonic()
    closed = StdinKeys(io.StringIO())  # not a real file: no descriptor
    assert closed.eof and closed.read(0.05) is None
    assert time.monotonic() - began >= 0.05


def test_stop_on_signals_turns_term_and_hup_into_stop() -> None:
    for signum, reason in ((signal.SIGTERM, TERMINATE), (signal.SIGHUP, HANGUP)):
        before = signal.getsignal(signum)
        with pytest.raises(Stop) as stop, stop_on_signals():
            os.kill(os.getpid(), signum)
            time.sleep(1)  # the handler raises before this ends
        assert stop.value.reason == reason
        assert signal.getsignal(signum) == before  # put back
