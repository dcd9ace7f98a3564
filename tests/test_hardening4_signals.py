"""Issue 25 rows 10 and 11: Ctrl-\\ (SIGQUIT) during `go` stops it as Ctrl-C does;
Ctrl-Z then fg gives back single-key mode, redraws the screen and leaves the time
stopped out of the session's clock. Real `hiprot go` processes in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import signal
import sys
import termios

import pytest

from hiprot import terminal
from tests.fakes import read_until
from tests.test_cli_go import SRC, modes, read_to_end

ALT_SCREEN_OFF, ALT_SCREEN_ON = "\x1b[?1049l", "\x1b[?1049h"


def _spawn(*extra: str) -> tuple[int, int]:
    args = ["go", "--goal", "warmup", "--count", "1", "--quiet", "--now", *extra]
    env = {**os.environ, "PYTHONPATH": SRC, "TERM": "xterm", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-m", "hiprot", *args], env)
    return pid, fd


@pytest.mark.parametrize("mode", ["--live", "--plain"])
def test_row10_ctrl_backslash_restores_the_terminal_and_logs(hiprot, mode: str) -> None:
    pid, fd = _spawn(*([mode] if mode == "--plain" else []))
    out = ""
    try:
        out += read_until(fd, "Get into position")
        assert modes(fd) == (False, False)
        os.write(fd, b"\x1c")  # Ctrl-\ through the terminal: SIGQUIT to the foreground group
        out += read_to_end(fd)
    finally:
        _, status = os.waitpid(pid, 0)
    try:
        assert modes(fd) == (True, True)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 131, out
    assert "Traceback" not in out and "Session stopped" in out and "Logged as session 1" in out
    assert "\x1b[?25h" in out[out.index("Get into position") :]
    [session] = hiprot.json("history")
    assert session["status"] == "abandoned"


def test_row11_ctrl_z_then_continue_gives_back_single_keys_and_redraws(hiprot) -> None:
    pid, fd = _spawn("--no-log")  # no pain question at the end
    out = ""
    try:
        out += read_until(fd, "space pause")
        assert modes(fd) == (False, False)
        # Ctrl-Z: the terminal is put back and the screen left before the process stops.
        # (A pty.fork child is an orphaned process group, so the kernel does not actually
        # stop it on SIGTSTP; the handler's path is the same.)
        os.write(fd, b"\x1a")
        mark = len(out)
        out += read_until(fd, ALT_SCREEN_ON)
        stopped = out[out.index(ALT_SCREEN_OFF, mark) : out.index(ALT_SCREEN_ON, mark)]
        assert "\x1b[?25h" in stopped  # the cursor shown while stopped
        out += read_until(fd, "space pause")  # drawn again, whole
        assert modes(fd) == (False, False)
        # Stopped from outside (SIGSTOP cannot be caught), someone resets the terminal
        # meanwhile; SIGCONT brings single keys back.
        os.kill(pid, signal.SIGSTOP)
        attrs = termios.tcgetattr(fd)
        attrs[3] |= termios.ICANON | termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
        assert modes(fd) == (True, True)
        os.kill(pid, signal.SIGCONT)
        out += read_until(fd, ALT_SCREEN_ON)
        out += read_until(fd, "space pause")
        assert modes(fd) == (False, False)
        os.write(fd, b" ")  # one key, no Enter
        out += read_until(fd, "PAUSED")
        os.write(fd, b"q")
        out += read_to_end(fd)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert "Traceback" not in out


def test_row11_the_clock_leaves_out_the_time_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-Z's handler, in this process: the terminal is restored while stopped, single
    keys come back after, and PausingClock does not count the 30 s stopped."""
    leader, follower = os.openpty()
    now = [100.0]
    seen: dict[str, object] = {}
    monkeypatch.setattr(terminal.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(terminal, "_stopped_seconds", 0.0)

    def stopped(pid: int, signum: int) -> None:
        assert signum == signal.SIGTSTP and pid == os.getpid()
        seen["lflag"] = termios.tcgetattr(follower)[3]
        now[0] += 30.0  # stopped for half a minute

    monkeypatch.setattr(terminal.os, "kill", stopped)
    try:
        with (
            os.fdopen(os.dup(follower), "r") as stdin,
            os.fdopen(os.dup(follower), "w") as stdout,
            terminal.cbreak(stdin, stdout),
        ):
            clock = terminal.PausingClock()
            before = clock.now()
            handler = signal.getsignal(signal.SIGTSTP)
            assert callable(handler)
            handler(signal.SIGTSTP, None)
            assert clock.now() == before
            assert termios.tcgetattr(follower)[3] & termios.ICANON == 0  # cbreak again
        assert isinstance(seen["lflag"], int) and seen["lflag"] & termios.ICANON  # restored while stopped
        assert signal.getsignal(signal.SIGTSTP) == signal.SIG_DFL  # put back after the block
    finally:
        os.close(leader)
        os.close(follower)
