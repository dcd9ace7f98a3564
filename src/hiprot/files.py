"""Reading hiprot's own files boundedly, and writing exports safely.

Reading: `read_bounded` is the one way hiprot opens a file it reads (the catalogue, its
cache, the history database's header). It never blocks on opening a FIFO, never reads
more than its limit, and with `regular_only` refuses anything but a regular file at once
(a symlink to /dev/null, a FIFO, a folder) with a `NotRegularFileError`, an OSError.

Writing exports: never clobber by surprise, never leave half a file.

What happens to each kind of target (DESIGN.md, "Files hiprot writes"):

- nothing there: a new file with the usual permissions, 0666 minus the umask (the temp
  file is created with mode 0666 and the kernel applies the umask and any default ACL);
- a regular file: refused unless `force`; with `force` it is replaced atomically and keeps
  its permission bits;
- a symbolic link: followed; its target is written (or replaced, with `force`) and the
  link stays a link;
- a character device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe): written
  in place with a plain open, never renamed over. This needs no `force`: writing to a
  device or a pipe replaces nothing that was stored;
- a folder: refused.

Regular files are written to a temp file in the same folder, flushed to disk, then linked
into place (no `force`: fails if a file appeared meanwhile) or renamed over the old one.
Every OSError becomes an `ExportError` subclass that names the path and the system's
reason; no message names a command-line flag (the CLI adds those).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hiprot.errors import (
    OutputExistsError,
    OutputFolderMissingError,
    OutputIsFolderError,
    WriteError,
)


class NotRegularFileError(OSError):
    """A path that had to be a regular file is something else; `kind` says what."""

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file but {kind}", str(path))
        self.kind = kind


class FileTooLargeError(OSError):
    """A file holds more than the reader's limit of `limit` bytes."""

    def __init__(self, path: Path | str, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than the limit of {limit} bytes", str(path))
        self.limit = limit


def file_kind(mode: int) -> str:
    """What a stat mode is, in words: 'a named pipe (FIFO)', 'a character device', ..."""
    for test, words in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a file"


def check_regular(path: Path | str) -> bool:
    """False if nothing is at path; True if a regular file is (links followed); else
    NotRegularFileError. Never opens the path, so a FIFO cannot block."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(path, file_kind(info.st_mode))
    return True


def read_bounded(path: Path | str, limit: int, *, regular_only: bool = True, prefix: bool = False) -> bytes:
    """At most `limit` bytes of the file at path; FileTooLargeError if it holds more
    (with `prefix`, its first `limit` bytes, however long it is).

    `regular_only`: anything but a regular file (after links) is NotRegularFileError,
    found without blocking (a FIFO is opened non-blocking and refused). Otherwise a pipe
    or a device is read too, but never past the limit, so /dev/zero stops at once.
    A folder is always refused. Every failure is an OSError naming the path.
    """
    flags = os.O_RDONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    if regular_only:
        flags |= os.O_NONBLOCK
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) or (regular_only and not stat.S_ISREG(info.st_mode)):
            raise NotRegularFileError(path, file_kind(info.st_mode))
        if stat.S_ISREG(info.st_mode) and info.st_size > limit and not prefix:
            raise FileTooLargeError(path, limit)
        if regular_only:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit if prefix else limit + 1
        # A regular file is read in one call where it can be (no chunks to join again).
        size = info.st_size + 1 if stat.S_ISREG(info.st_mode) else 0
        while left > 0:
            chunk = os.read(fd, min(left, max(1 << 20, size)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLargeError(path, limit)
    return data


@contextlib.contextmanager
def interrupted_by_signals() -> Iterator[None]:
    """Inside the block, SIGTERM and SIGHUP raise SystemExit(128 + signal) so that
    `finally` clauses (removing a half-written temp file) run before the process ends.
    A signal someone else handles or ignores (nohup) is left alone, as are the signals
    outside the main thread; the old handlers come back after."""
    import signal

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    old: dict[int, Any] = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) is signal.SIG_DFL:
                old[signum] = signal.signal(signum, leave)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)


def is_terminal(path: Path | str) -> bool:
    """Whether writing to `path` would write on a terminal: it is (or a link leads to) a
    character device that is a tty, such as /dev/tty, /dev/pts/3 or, at a terminal,
    /dev/stdout. Opened without waiting and without becoming its controlling terminal."""
    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


# Temp names are ".NAME.RANDOM.tmp"; NAME is cut short so a file name near the system's
# 255-byte limit still leaves room for the rest.
_TMP_NAME_CHARS = 40


def toml_problem(exc: Exception) -> tuple[int, str]:
    """A tomllib.TOMLDecodeError as (line, problem in words); line 0 when it names none."""
    import re

    text = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", text)
    problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", text) or "not valid TOML"
    return (int(match.group(1)) if match else 0), f"not valid TOML: {problem}"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_atomic(path: Path, text: str, *, force: bool = False, mode: int | None = None) -> None:
    """Write text to path safely, as UTF-8 with '\\n' line ends; see `write_atomic_bytes`."""
    write_atomic_bytes(path, text.encode("utf-8"), force=force, mode=mode)


def write_atomic_bytes(path: Path, data: bytes, *, force: bool = False, mode: int | None = None) -> None:
    """Write bytes (a PDF, or text already encoded) to path safely; see the module
    docstring for each kind of target.

    Without `force` an existing file is never replaced, even if it appears while we write.
    `mode`: a regular file written gets exactly these permission bits (a private file),
    whatever the umask or the old file's bits.
    """
    try:
        info: os.stat_result | None = os.stat(path)  # follows links, /proc/self/fd ones too
    except FileNotFoundError:
        info = None
    except OSError as exc:  # name too long, permission denied, a link loop, not a folder
        raise WriteError(path, _reason(exc)) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputIsFolderError(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(path, data)
        return
    if info is not None and not force:
        raise OutputExistsError(path)
    # A link (even one whose target is missing) is kept: write where it points.
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    folder = target.parent
    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            raise WriteError(path, os.strerror(errno.ENOTDIR))
    except FileNotFoundError:
        raise OutputFolderMissingError(path, folder) from None
    except OSError as exc:
        raise WriteError(path, _reason(exc)) from None
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else None
    _write_via_temp(path, target, data, mode, force)


def _write_in_place(path: Path, data: bytes) -> None:
    """A device or pipe: open it for writing (never create or truncate a file) and write."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise WriteError(path, _reason(exc)) from None


def _write_via_temp(path: Path, target: Path, data: bytes, mode: int | None, force: bool) -> None:
    """Write a temp file next to target, then rename it over the old file, whose permission
    bits `mode` holds, or (mode None: a new file) link it into place."""
    folder = target.parent
    tmp = None
    try:
        # A new file: mode 0666, so the umask (or the folder's default ACL) decides, as it
        # would for any program. A replacement starts private and takes the old bits.
        fd, tmp = _create_temp(folder, target.name, 0o666 if mode is None else 0o600)
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, target)
        else:
            _link_new(path, tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        raise WriteError(path, _reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _create_temp(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    import secrets  # only a write needs it; the catalogue cache imports this module to read

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / f".{name[:_TMP_NAME_CHARS]}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp file name in {folder}")


def _link_new(path: Path, tmp: Path, target: Path) -> None:
    """Put a new file in place without ever replacing one that appeared meanwhile."""
    try:
        os.link(tmp, target)  # fails if the file exists: no silent clobber
    except FileExistsError:
        raise OutputExistsError(path) from None
    except OSError:
        if os.path.lexists(target):
            raise OutputExistsError(path) from None
        os.replace(tmp, target)  # a filesystem without hard links


def _sync_folder(folder: Path) -> None:
    """Make the new name durable too; a folder that cannot be opened only costs that."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
