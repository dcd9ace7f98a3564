"""The terminal side of a guided session: single keys, the cursor, the bell and a voice.

`cbreak()` puts the terminal in cbreak mode (keys arrive one by one, unechoed; Ctrl-C
still interrupts) and hides the cursor, and always puts both back, whatever ends the
block: a normal exit, an error, KeyboardInterrupt or SIGTERM. `StdinKeys` reads those
keys with select(), so waiting costs no CPU. `Bell` and `Voice` are event sinks for
`hiprot.session.run_session`.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
import tty
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any, Self, TextIO, TypeAlias

from hiprot.errors import HiprotError
from hiprot.models import Routine
from hiprot.session import Event, Finished, Paused, PhaseStarted, Resumed, event_line

HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
VOICES = ("espeak-ng", "espeak", "say")  # the first one on PATH speaks
# Arrow and function keys arrive as escape sequences; their letters are not commands.
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?", re.DOTALL)
_UNFINISHED = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*|O)?$")
ESCAPE_WAIT = 0.05  # how long the rest of a split escape sequence may take to arrive


class NoVoiceError(HiprotError):
    """Spoken cues were asked for, but no speech program is on PATH."""

    def __init__(self) -> None:
        super().__init__(
            "Spoken cues need espeak-ng, espeak or say on your PATH, and none was found. "
            "Install espeak-ng (for example 'sudo apt install espeak-ng'), or go without the voice."
        )


def wants_plain(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """True when a live screen cannot work: output is not a terminal, or TERM=dumb."""
    return not stream.isatty() or environ.get("TERM", "") == "dumb"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False


@contextmanager
def cbreak(stdin: TextIO | None = None, stdout: TextIO | None = None) -> Iterator[None]:
    """Cbreak mode on `stdin` and a hidden cursor on `stdout`, both restored on every exit.

    Does nothing when `stdin` is not a terminal; leaves the cursor alone when `stdout`
    is not one. SIGTERM raises SystemExit inside the block, so the restore runs for it too.
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    if not _is_tty(stdin):
        yield
        return
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    cursor = _is_tty(stdout)
    old_term = _on_sigterm()  # None: left alone (not the main thread)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        if cursor:
            stdout.write(HIDE_CURSOR)
            stdout.flush()
        yield
    finally:
        # A second Ctrl-C must not cut the restore short: hold SIGINT until it is done.
        blocked = _block(signal.SIGINT)
        try:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
            if cursor:
                try:
                    stdout.write(SHOW_CURSOR)
                    stdout.flush()
                except (OSError, ValueError):
                    pass  # stdout closed or gone: nothing left to restore there
            if old_term is not None:
                signal.signal(signal.SIGTERM, old_term[0])
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _block(signum: int) -> bool:
    """Block a signal in this thread; False if it already was (or cannot be)."""
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signum})
    except (OSError, ValueError):
        return False
    return signum not in before


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


_Handler: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers


def _on_sigterm() -> tuple[_Handler] | None:
    """Turn SIGTERM into SystemExit (main thread only); the handler to put back, or None."""
    try:
        old = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        return None
    return (signal.SIG_DFL if old is None else old,)


class StdinKeys:
    """Single keys from a terminal in cbreak mode (or any readable file), via select().

    At end of file (stdin from /dev/null or a finished pipe) it just waits out the timeout.
    """

    def __init__(self, stdin: TextIO | None = None) -> None:
        self.stream = stdin if stdin is not None else sys.stdin  # kept open while in use
        self.fd = self.stream.fileno()
        self.pending: deque[str] = deque()
        self.eof = False

    def read(self, timeout: float) -> str | None:
        timeout = max(0.0, timeout)
        while not self.pending:
            if self.eof:
                time.sleep(timeout)
                return None
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            data = os.read(self.fd, 64)
            if not data:
                self.eof = True
                continue
            # The rest of an escape sequence cut in two (over a slow link): wait for it,
            # so that the "B" of an arrow key never reads as a key of its own.
            while _UNFINISHED.search(data) and select.select([self.fd], [], [], ESCAPE_WAIT)[0]:
                more = os.read(self.fd, 64)
                if not more:
                    break
                data += more
            self.pending.extend(_ESCAPES.sub("", data.decode("utf-8", "replace")))
            timeout = 0.0  # a lone escape sequence: look again without waiting further
        return self.pending.popleft()


class Bell:
    """Rings the terminal bell when a phase starts and when the session ends."""

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet

    def __call__(self, event: Event) -> None:
        if not self.quiet and isinstance(event, PhaseStarted | Finished):
            self.stream.write("\a")
            self.stream.flush()


def find_voice(path: str | None = None) -> str:
    """The speech program to use (espeak-ng, espeak or say) on `path` (default PATH)."""
    for name in VOICES:
        found = shutil.which(name, path=path)
        if found:
            return found
    raise NoVoiceError()


class Voice:
    """Speaks each cue without holding up the timer: one speech process at a time.

    A new cue cuts off one still being spoken (the newer cue is the one that matters);
    finished processes are reaped as it goes. Use as a context manager, or call close().
    """

    def __init__(self, routine: Routine, program: str | None = None, *, path: str | None = None) -> None:
        self.routine = routine
        self.program = program or find_voice(path)
        self.current: subprocess.Popen[bytes] | None = None
        self.stopping: list[subprocess.Popen[bytes]] = []

    def __call__(self, event: Event) -> None:
        if isinstance(event, PhaseStarted | Paused | Resumed | Finished):
            line = event_line(event, self.routine)
            if line:
                self.say(line)

    def say(self, text: str) -> None:
        self._stop_current()
        # A leading dash would read as an option to the speech program.
        text = text.lstrip("- ")
        try:
            self.current = subprocess.Popen(
                [self.program, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
                start_new_session=True,  # Ctrl-C is for hiprot, not for the voice
            )
        except OSError:
            self.current = None  # a voice that cannot speak must not stop the session

    def _stop_current(self) -> None:
        if self.current is not None and self.current.poll() is None:
            self.current.terminate()
            self.stopping.append(self.current)
        self.current = None
        self.stopping = [proc for proc in self.stopping if proc.poll() is None]

    def close(self, wait: float = 5.0) -> None:
        """Let the last cue finish for up to `wait` seconds, then stop and reap everything."""
        if self.current is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.current.wait(wait)
        self._stop_current()
        for proc in self.stopping:
            try:
                proc.wait(1.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stopping = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        # On an error or Ctrl-C, do not make the person listen to the rest of the cue.
        self.close(wait=5.0 if kind is None else 0.0)
