"""The terminal side of a guided session: single keys, the cursor, signals, the bell and a voice.

`cbreak()` puts the terminal in cbreak mode (keys arrive one by one, unechoed; Ctrl-C
still interrupts) and hides the cursor, and always puts both back, whatever ends the
block: a normal exit, an error, KeyboardInterrupt, SIGTERM or a hangup (a terminal that
is gone cannot be restored, and that is not an error). `stop_on_signals()` turns SIGTERM
and SIGHUP into `session.Stop`, which ends a session the way Ctrl-C does, so the partial
session is still recorded. `StdinKeys` reads keys with select(), so waiting costs no
CPU. `Bell` and `Voice` are event sinks for `hiprot.session.run_session`.
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

from hiprot.errors import NoVoiceError
from hiprot.session import HANGUP, QUIT_SIGNAL, TERMINATE, Countdown, Event, Finished, PhaseStarted, Stop

HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
VOICES = ("espeak-ng", "espeak", "say")  # the first one on PATH speaks
# Arrow and function keys arrive as escape sequences; their letters are not commands.
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?", re.DOTALL)
_UNFINISHED = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*|O)?$")
ESCAPE_WAIT = 0.05  # how long the rest of a split escape sequence may take to arrive
ORPHAN_CHECK = 1.0  # while waiting for a key, look this often whether our parent is gone


def wants_plain(stream: TextIO | None, environ: Mapping[str, str] = os.environ) -> bool:
    """True when a live screen cannot work: output is not a terminal, or TERM=dumb."""
    return not _is_tty(stream) or environ.get("TERM", "") == "dumb"


def _is_tty(stream: TextIO | None) -> bool:
    """Whether `stream` is an open terminal (None: the process was started with it closed)."""
    if stream is None:
        return False
    try:
        return stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def is_terminal(stream: TextIO | None) -> bool:
    """Whether `stream` is an open terminal: stdin one a person can press keys on, or
    stdout one a person is watching (None, a closed stream or a pipe: no)."""
    return _is_tty(stream)


@contextmanager
def cbreak(stdin: TextIO | None = None, stdout: TextIO | None = None) -> Iterator[None]:
    """Cbreak mode on `stdin` and a hidden cursor on `stdout`, both restored on every exit.

    Does nothing when `stdin` is not a terminal; leaves the cursor alone when `stdout`
    is not one. SIGTERM raises SystemExit inside the block, so the restore runs for it too.
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    if stdin is None or not _is_tty(stdin):
        yield
        return
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    cursor = _is_tty(stdout)
    old_term = _on_sigterm()  # None: left alone (not the main thread)
    old_stop: dict[int, _Handler] = {}
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        old_stop = _on_stop(fd, saved, termios.tcgetattr(fd), stdout if cursor else None)
        if cursor:
            stdout.write(HIDE_CURSOR)
            stdout.flush()
        yield
    finally:
        for signum, handler in old_stop.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, handler)
        # A second Ctrl-C must not cut the restore short: hold SIGINT until it is done.
        blocked = _block(signal.SIGINT)
        try:
            with contextlib.suppress(termios.error, OSError):  # a hung-up terminal: nothing to restore
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


# Ctrl-Z during a session: how long the process has been stopped in all (the session's
# clock leaves it out), and what to do when it stops and when it goes on (a live screen
# leaves and re-enters the alternate screen and draws itself again).
_stopped_seconds = 0.0
_on_suspend: list[Callable[[], None]] = []
_on_continue: list[Callable[[], None]] = []


class PausingClock:
    """Monotonic seconds that stand still while the process is stopped (Ctrl-Z, then fg),
    so a hold or a rest does not run on while nobody can see it."""

    def now(self) -> float:
        return time.monotonic() - _stopped_seconds


@contextmanager
def redraw_on_continue(suspend: Callable[[], None], resume: Callable[[], None]) -> Iterator[None]:
    """Within the block, call `suspend` before the process stops for Ctrl-Z and `resume`
    after it goes on again (a screen to leave and to draw again). Both must be quick; an
    error in either is ignored (the next tick redraws the screen anyway)."""
    _on_suspend.append(suspend)
    _on_continue.append(resume)
    try:
        yield
    finally:
        _on_suspend.remove(suspend)
        _on_continue.remove(resume)


def _run_hooks(hooks: list[Callable[[], None]]) -> None:
    for hook in list(hooks):
        # A redraw that meets a write it interrupted fails; the next tick draws instead.
        with contextlib.suppress(Exception):
            hook()


def _write_fd(stream: TextIO | None, text: str) -> None:
    """Write straight to the stream's descriptor: a signal handler must not re-enter a
    buffered writer that the interrupted code may be in the middle of."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        os.write(stream.fileno(), text.encode())


def _on_stop(fd: int, saved: list[Any], mode: list[Any], stdout: TextIO | None) -> dict[int, _Handler]:
    """Handle Ctrl-Z (SIGTSTP) and SIGCONT while in cbreak mode: put the terminal back as
    it was and show the cursor before stopping; on going on, single keys and the hidden
    cursor again, and the screen redrawn; the time stopped is left out of PausingClock.
    Returns the handlers to put back (none outside the main thread, or where the signal
    was ignored, as under a shell without job control)."""

    def suspend(signum: int, frame: FrameType | None) -> None:
        global _stopped_seconds
        _run_hooks(_on_suspend)
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        _write_fd(stdout, SHOW_CURSOR)
        began = time.monotonic()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        try:
            os.kill(os.getpid(), signal.SIGTSTP)  # stops here until fg (SIGCONT)
        finally:
            signal.signal(signal.SIGTSTP, suspend)
            _stopped_seconds += time.monotonic() - began
            go_on(signal.SIGCONT, None)

    def go_on(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSANOW, mode)
        _write_fd(stdout, HIDE_CURSOR)
        _run_hooks(_on_continue)

    old: dict[int, _Handler] = {}
    try:
        for signum, handler in ((signal.SIGTSTP, suspend), (signal.SIGCONT, go_on)):
            if signal.getsignal(signum) == signal.SIG_IGN:
                continue
            previous = signal.signal(signum, handler)
            old[signum] = signal.SIG_DFL if previous is None else previous
    except ValueError:  # not the main thread
        pass
    return old


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
    """Turn SIGTERM into SystemExit (main thread only, and only when nothing else handles
    it, such as `stop_on_signals`); the handler to put back, or None."""
    try:
        if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
            return None
        old = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        return None
    return (signal.SIG_DFL if old is None else old,)


_STOPS = {signal.SIGTERM: TERMINATE, signal.SIGHUP: HANGUP, signal.SIGQUIT: QUIT_SIGNAL}


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(_STOPS[signal.Signals(signum)])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM, SIGHUP and SIGQUIT (Ctrl-\\) raise `Stop` (as Ctrl-C raises
    KeyboardInterrupt) inside the block, so a session ends cleanly, the terminal is
    restored and the session is recorded; the old handlers come back after."""
    old: dict[signal.Signals, _Handler] = {}
    try:
        for signum in _STOPS:
            previous = signal.signal(signum, _stop)
            old[signum] = signal.SIG_DFL if previous is None else previous
    except ValueError:  # not the main thread: leave the signals alone
        pass
    try:
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


class StdinKeys:
    """Single keys from a terminal in cbreak mode (or any readable file), via select().

    At end of file (stdin from /dev/null or a finished pipe), or with no stdin at all (a
    process started with it closed), it just waits out the timeout.
    """

    def __init__(self, stdin: TextIO | None = None) -> None:
        self.stream = stdin if stdin is not None else sys.stdin  # kept open while in use
        self.pending: deque[str] = deque()
        self.fd = -1
        self.eof = True
        if self.stream is not None:
            with contextlib.suppress(OSError, ValueError):
                self.fd, self.eof = self.stream.fileno(), False
        self.parent = os.getppid() if _is_tty(self.stream) else None

    def _check_parent(self) -> None:
        """The shell that started us is gone (`sh -c 'hiprot go'`, then the sh killed): the
        terminal belongs to someone else now, so stop as for a hangup, not run on orphaned."""
        if self.parent is not None and os.getppid() != self.parent:
            raise Stop(HANGUP)

    def read(self, timeout: float) -> str | None:
        timeout = max(0.0, timeout)
        self._check_parent()
        while not self.pending:
            if self.eof:
                time.sleep(timeout)
                return None
            wait = min(timeout, ORPHAN_CHECK)
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                timeout -= wait
                if timeout <= 0:
                    return None
                self._check_parent()
                continue
            try:
                data = os.read(self.fd, 64)
            except OSError as error:  # EIO: the terminal hung up
                raise Stop(HANGUP) from error
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
    """Rings the terminal bell when a phase starts and when the session ends, and (with
    `countdown`, for a session without a voice) at each of the last three seconds of a
    hold or a rest."""

    def __init__(self, stream: TextIO, quiet: bool = False, *, countdown: bool = True) -> None:
        self.stream = stream
        self.quiet = quiet
        self.kinds: tuple[type, ...] = (PhaseStarted, Finished, *((Countdown,) if countdown else ()))

    def __call__(self, event: Event) -> None:
        if not self.quiet and isinstance(event, self.kinds):
            self.stream.write("\a")
            self.stream.flush()


def find_voice(path: str | None = None) -> str:
    """The speech program to use (espeak-ng, espeak or say) on `path` (default PATH)."""
    for name in VOICES:
        found = shutil.which(name, path=path)
        if found:
            return found
    raise NoVoiceError(VOICES)


class Voice:
    """Speaks each cue without holding up the timer: one speech process at a time.

    `words(event)` is what to say for an event (None: nothing). Speech runs in a child
    process that is never waited for while the session runs, so a slow speech engine
    cannot move the clock. A new cue cuts off one still being spoken (the newer cue is the
    one that matters); finished processes are reaped as it goes. Use as a context manager,
    or call close().
    """

    def __init__(
        self, words: Callable[[Event], str | None], program: str | None = None, *, path: str | None = None
    ) -> None:
        self.words = words
        self.program = program or find_voice(path)
        self.current: subprocess.Popen[bytes] | None = None
        self.stopping: list[subprocess.Popen[bytes]] = []

    def __call__(self, event: Event) -> None:
        line = self.words(event)
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
