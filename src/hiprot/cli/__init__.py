"""The command line: parse options, call the core, print. Nothing else lives here.

`app.py` holds the Typer app, the shared options and error handling; each command
group has its own module, imported here so it registers its commands (in the order
--help lists them). `main` is the process edge: closed or full standard output, a
terminal that cannot show `·` or `°`, and Ctrl-C before anything has started.
"""

from __future__ import annotations

import signal as _signal
import sys


def _quit_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C while the modules load (most of a short run): nothing has started, nothing
    to clean up or report, so leave at once and silently, as a shell expects (130)."""
    import os

    os._exit(128 + signum)


_previous: object = None
try:  # only the main thread may set handlers; leave a handler someone else chose alone
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _previous = _signal.signal(_signal.SIGINT, _quit_while_starting)
except ValueError:
    pass

# isort: off
from hiprot.cli import routine, go, browse, history, plan, profile, report, catalogue, goals, exchange  # noqa: E402, F401  (registers the commands)

# isort: on
from hiprot.cli.app import app  # noqa: E402

if _previous is not None:
    _signal.signal(_signal.SIGINT, _previous)  # type: ignore[arg-type]

__all__ = ["app", "main"]

# What hiprot's own typographic characters become on a stream that cannot encode them
# (PYTHONIOENCODING=ascii, LC_ALL=POSIX); anything else is "?".
PLAIN = {
    "·": "-", "×": "x", "°": " deg", "→": "->", "←": "<-", "–": "-", "—": "-", "…": "...", "≤": "<=",
    "≥": ">=", "“": '"', "”": '"', "‘": "'", "’": "'", "█": "#", "─": "-", "│": "|", "✓": "+",
}  # fmt: skip
_ERRORS = "hiprot-plain"


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(PLAIN.get(char, "?") for char in text), error.end


def _prepare_streams() -> bool:
    """Make stdout and stderr safe to write to; False if there is no stdout at all."""
    import codecs
    import io
    import os

    if sys.stderr is None:  # `2>&-`: say nothing rather than fail on every message
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (lives as long as the process)
    codecs.register_error(_ERRORS, _plain)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            try:
                "".join(PLAIN).encode(stream.encoding)
            except (UnicodeEncodeError, LookupError):
                stream.reconfigure(errors=_ERRORS)
    return sys.stdout is not None


def _finish(code: int) -> int:
    """Flush stdout now, while an error can still be reported: a full disk after --help
    is 'standard output: No space left on device' and exit 1, a closed pipe is silent."""
    from hiprot.cli.app import _silence_stdout, os_error

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()  # so the interpreter's own flush at exit finds nowhere to fail
        if code == 0:  # otherwise the same failure has been reported already
            sys.stderr.write(f"Error: {os_error(exc)}\n")
        return 1
    return code


def main() -> None:
    """The `hiprot` console script and `python -m hiprot`.

    A run lasts well under a second and frees little, so the cyclic collector is kept off,
    and everything is frozen before exit so the interpreter's final collection has
    nothing to rescan (about 10 ms of a 90 ms run). Tests call `app` and are unaffected.
    """
    import gc

    if not _prepare_streams():
        sys.stderr.write("Error: standard output is closed; hiprot needs somewhere to write.\n")
        sys.exit(1)
    gc.disable()
    code: int
    try:
        app(prog_name="hiprot")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    except OSError as exc:  # Click writing --help or an error to a full disk
        from hiprot.cli.app import _silence_stdout, os_error

        _silence_stdout()
        sys.stderr.write(f"Error: {os_error(exc)}\n")
        code = 1
    finally:
        gc.freeze()
    sys.exit(_finish(code))
