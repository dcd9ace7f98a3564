"""Writing exports safely: never clobber by surprise, never leave half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from hiprot.errors import ExportError


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write text to path via a temp file in the same folder and a rename.

    Without `force` an existing file is never replaced, even if it appears while we write.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name such as {path / 'routine.md'}.")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {path}: the folder {folder} does not exist. Create it first.")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists. Add --force to replace it, or choose another --output.")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: no silent clobber
            except FileExistsError:
                raise ExportError(f"{path} already exists. Add --force to replace it.") from None
            except OSError:
                if path.exists():
                    raise ExportError(f"{path} already exists. Add --force to replace it.") from None
                os.replace(tmp, path)  # a filesystem without hard links
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
