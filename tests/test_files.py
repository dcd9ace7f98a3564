"""Safe writes for --output (DESIGN.md, "Files hiprot writes"; issue 10).

Special files are tried on a FIFO made here first. The /dev/null test runs only after
that and under a guard that fails the test, instead of renaming over the device, should
the code under test ever try (as root, a rename over /dev/null succeeds).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hiprot.errors import (
    ExportError,
    OutputExistsError,
    OutputFolderMissingError,
    OutputIsFolderError,
    WriteError,
)
from hiprot.files import write_atomic

TEXT = "# Routine\n\nÜbung – 1\n"


@pytest.fixture
def umask() -> Iterator[Any]:
    """Set a umask for one test; the old one comes back afterwards."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.fixture
def no_renames_into_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, rather than replace a device, if anything renames or links into /dev."""

    def guard(real: Any) -> Any:
        def checked(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
            if os.path.abspath(dst).startswith("/dev/"):
                raise AssertionError(f"tried to put a file in place of {dst}")
            return real(src, dst, *args, **kwargs)

        return checked

    for name in ("replace", "rename", "link"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_0666_minus_the_umask(tmp_path: Path, umask: Any, mask: int, mode: int) -> None:
    umask(mask)
    write_atomic(tmp_path / "r.md", TEXT)
    assert _mode(tmp_path / "r.md") == mode
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize("old_mode", [0o644, 0o444, 0o640])
def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, umask: Any, old_mode: int) -> None:
    umask(0o077)
    target = tmp_path / "r.md"
    target.write_text("old")
    target.chmod(old_mode)
    write_atomic(target, TEXT, force=True)
    assert target.read_text(encoding="utf-8") == TEXT
    assert _mode(target) == old_mode
    assert _no_temp_files(tmp_path)


# --- what is already there ----------------------------------------------------------------


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("my notes")
    with pytest.raises(OutputExistsError) as caught:
        write_atomic(target, TEXT)
    assert str(caught.value) == f"{target} already exists."
    assert caught.value.path == target
    assert target.read_text() == "my notes"
    assert _no_temp_files(tmp_path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputIsFolderError) as caught:
        write_atomic(tmp_path, TEXT, force=True)
    assert str(caught.value) == f"{tmp_path} is a folder; give a file name inside it, such as {tmp_path / 'routine.md'}."


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputFolderMissingError) as caught:
        write_atomic(tmp_path / "no" / "r.md", TEXT)
    assert caught.value.folder == tmp_path / "no"
    assert str(caught.value) == f"Cannot write {tmp_path / 'no' / 'r.md'}: the folder {tmp_path / 'no'} does not exist. Create it first."


def test_the_errors_are_export_errors_and_name_no_flag(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("x")
    attempts = [(tmp_path / "r.md", False), (tmp_path, False), (tmp_path / "no" / "r.md", False)]
    for path, force in attempts:
        with pytest.raises(ExportError) as caught:
            write_atomic(path, TEXT, force=force)
        assert "--" not in str(caught.value)


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(OutputExistsError):
        write_atomic(link, TEXT)
    write_atomic(link, TEXT, force=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == TEXT
    assert _mode(real) == 0o640
    assert _no_temp_files(tmp_path)


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path, umask: Any) -> None:
    link = tmp_path / "link.md"
    link.symlink_to("made.md")
    write_atomic(link, TEXT)
    assert link.is_symlink()
    assert (tmp_path / "made.md").read_text(encoding="utf-8") == TEXT
    assert _mode(tmp_path / "made.md") == 0o644


# --- special files ------------------------------------------------------------------------


def _fifo_round_trip(folder: Path) -> None:
    """Write to a FIFO made in folder: the text must come out of it, and it must stay one."""
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    # A reader that never blocks: the writer can open the FIFO at once, and if the code
    # under test renamed a file over it instead, this simply reads nothing.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, TEXT)  # no force needed: a pipe holds nothing to lose
        data = os.read(reader, 65536)
    finally:
        os.close(reader)
    assert data.decode("utf-8") == TEXT
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in folder.iterdir()) == ["pipe"]


def test_a_fifo_is_written_in_place_and_stays_a_fifo(tmp_path: Path, no_renames_into_dev: None) -> None:
    _fifo_round_trip(tmp_path)


def test_dev_null_is_written_in_place_and_stays_a_device(tmp_path: Path, no_renames_into_dev: None) -> None:
    _fifo_round_trip(tmp_path)  # first, the proof on a file of our own
    write_atomic(Path("/dev/null"), TEXT, force=True)
    write_atomic(Path("/dev/null"), TEXT)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_one_error_naming_the_path(no_renames_into_dev: None) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with pytest.raises(WriteError) as caught:
        write_atomic(Path("/dev/full"), TEXT, force=True)
    assert str(caught.value) == "Cannot write /dev/full: No space left on device."
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# --- names the system refuses -------------------------------------------------------------


def test_a_name_too_long_is_one_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / ("r" * 300 + ".md")
    with pytest.raises(WriteError) as caught:
        write_atomic(path, TEXT)
    assert str(caught.value) == f"Cannot write {path}: File name too long."
    assert caught.value.reason == "File name too long"


def test_a_long_name_the_system_allows_is_written(tmp_path: Path) -> None:
    path = tmp_path / ("r" * 250 + ".md")  # 253 bytes: room for no temp-name decoration
    write_atomic(path, TEXT)
    assert path.read_text(encoding="utf-8") == TEXT
    assert _no_temp_files(tmp_path)


def test_a_path_through_a_file_is_one_error_even_as_root(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WriteError) as caught:
        write_atomic(blocker / "r.md", TEXT)
    assert str(caught.value) == f"Cannot write {blocker / 'r.md'}: Not a directory."


def test_an_unwritable_folder_is_one_error(locked_folder: Path) -> None:
    with pytest.raises(WriteError) as caught:
        write_atomic(locked_folder / "r.md", TEXT)
    assert str(caught.value) == f"Cannot write {locked_folder / 'r.md'}: Permission denied."


def test_read_bounded_refuses_what_is_not_a_regular_file_without_blocking(tmp_path: Path) -> None:
    import os

    from hiprot.files import FileTooLargeError, NotRegularFileError, read_bounded

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null"), tmp_path):
        with pytest.raises(NotRegularFileError) as caught:
            read_bounded(path, 10)
        assert caught.value.filename == str(path) and "not a regular file" in str(caught.value)
    assert read_bounded("/dev/zero", 10, prefix=True, regular_only=False) == b"\0" * 10
    with pytest.raises(FileTooLargeError):
        read_bounded("/dev/zero", 10, regular_only=False)
    small = tmp_path / "small"
    small.write_bytes(b"x" * 11)
    assert read_bounded(small, 11) == b"x" * 11
    assert read_bounded(small, 4, prefix=True) == b"xxxx"
    with pytest.raises(FileTooLargeError):
        read_bounded(small, 10)


def test_bytes_are_written_exactly_with_the_same_rules(tmp_path: Path) -> None:
    from hiprot.files import write_atomic_bytes

    data = b"%PDF-1.7\r\n\x00\xff\xfe binary\n"
    target = tmp_path / "w.pdf"
    write_atomic_bytes(target, data)
    assert target.read_bytes() == data
    with pytest.raises(OutputExistsError):
        write_atomic_bytes(target, b"other")
    write_atomic_bytes(target, b"other", force=True)
    assert target.read_bytes() == b"other"
    write_atomic_bytes(Path("/dev/null"), data)  # a device: written in place, no force needed
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
