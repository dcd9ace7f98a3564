"""Issue 25 (hardening round 4), rows 1-4, 6, 13, 15, 18 and 21: the backup target and
the profile file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from hiprot import profile as core
from hiprot.errors import BackupTargetError, ProfileError
from hiprot.models import Approach, Hip, HipCondition, Level, Profile
from hiprot.paths import profile_path
from hiprot.store import Store
from tests.test_cli_process import _env


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data" / "hiprot.db") as opened:
        yield opened


# --- row 1: a backup target is a regular file, --force or not ----------------------------


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device", "folder"])
@pytest.mark.parametrize("force", [False, True])
def test_row1_backup_refuses_anything_but_a_regular_file(store: Store, tmp_path: Path, kind: str, force: bool) -> None:
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.db").write_bytes(b"mine")
        target.symlink_to(tmp_path / "real.db")
    elif kind == "device":
        target = Path("/dev/null")
    else:
        target.mkdir()
    before = os.lstat(target)
    with pytest.raises(BackupTargetError, match="cannot be written"):
        store.backup(target, replace=force)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "symlink":
        assert (tmp_path / "real.db").read_bytes() == b"mine"


def test_row1_backup_cli_words_a_device(hiprot, tmp_path: Path) -> None:
    hiprot("log", "--goal", "warmup")
    result = hiprot("backup", "/dev/null", "--force", code=1)
    assert "it is a character device, not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_row1_backup_still_replaces_a_regular_file_with_force(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    target.write_bytes(b"old")
    store.backup(target, replace=True)
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# --- row 15: the backup file is worded as the backup file --------------------------------


def test_row15_missing_folder_names_the_backup_file(hiprot, tmp_path: Path) -> None:
    hiprot("log", "--goal", "warmup")
    result = hiprot("backup", str(tmp_path / "no" / "such" / "b.db"), code=1)
    assert "The backup file" in result.stderr and "does not exist" in result.stderr
    assert "history database" not in result.stderr


# --- row 13: signals and kills during a backup leave nothing behind -----------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_row13_term_or_hup_mid_copy_removes_the_temp_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    original = Store._guard

    @contextmanager
    def signalled(self: Store):
        assert any(folder.iterdir()), "the temp file exists while the copy runs"
        os.kill(os.getpid(), signum)
        with original(self):
            yield

    monkeypatch.setattr(Store, "_guard", signalled)
    with pytest.raises(SystemExit) as stopped:
        store.backup(folder / "b.db")
    assert stopped.value.code == 128 + signum
    assert list(folder.iterdir()) == []
    assert signal.getsignal(signum) is signal.SIG_DFL


def test_row13_leftovers_of_a_killed_backup_are_swept(store: Store, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = [tmp_path / f".hiprot-backup.{dead.pid}.b.db.tmp", tmp_path / f".hiprot-backup.{dead.pid}.b.db.tmp-journal"]
    running = tmp_path / f".hiprot-backup.{os.getppid()}.b.db.tmp"  # its process is alive
    other = tmp_path / ".someone-else.tmp"
    for path in (*left, running, other):
        path.write_bytes(b"x" * 100)
    store.backup(tmp_path / "b.db")
    assert not any(p.exists() for p in left)
    assert running.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".hiprot")) == [running.name]


# --- row 2: the writer and the reader accept the same values -----------------------------


def test_row2_a_clearance_the_reader_refuses_is_refused_up_front(hiprot) -> None:
    result = hiprot("profile", "hip", "left", "hip-replacement", "--cleared", "2300-01-01", code=2)
    assert "2200" in result.stderr
    assert not profile_path().exists()
    hiprot("routine", "--goal", "warmup")


def test_row2_save_refuses_what_load_would_refuse(tmp_path: Path) -> None:
    from datetime import date

    bad = Profile(left=Hip(HipCondition.HIP_REPLACEMENT, Approach.POSTERIOR, None, date(2300, 1, 1)))
    path = tmp_path / "profile.toml"
    with pytest.raises(ProfileError, match="out of range"):
        core.save(path, bad)
    assert not path.exists()


# --- row 3: reset never parses ----------------------------------------------------------


def test_row3_reset_removes_a_damaged_profile(hiprot) -> None:
    path = profile_path()
    path.parent.mkdir(parents=True)
    path.write_text("version = [[[\nthis is not toml\n")
    hiprot("profile", code=1)
    result = hiprot("profile", "reset", "--yes")
    assert "Deleted your profile." in result.stderr
    assert not path.exists()


# --- row 4: no lost update between concurrent profile commands ----------------------------


def test_row4_parallel_profile_commands_keep_both_changes(tmp_path: Path) -> None:
    env = _env(tmp_path)
    path = tmp_path / "config" / "hiprot" / "profile.toml"
    for _ in range(6):
        if path.exists():
            path.unlink()
        commands = (
            ["profile", "hip", "left", "hip-replacement", "--approach", "posterior"],
            ["profile", "level", "advanced"],
        )
        procs = [
            subprocess.Popen([sys.executable, "-m", "hiprot", *c], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        for proc in procs:
            assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
        stored = core.load(path)
        assert stored is not None
        assert stored.level is Level.ADVANCED
        assert stored.left is not None and stored.left.approach is Approach.POSTERIOR


def test_row4_update_reads_under_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    core.save(path, Profile(level=Level.BEGINNER))
    seen: list[Profile] = []

    def change(current: Profile) -> Profile:
        seen.append(current)
        return current._replace(level=Level.ADVANCED)

    written, _ = core.update(path, change)
    assert seen == [Profile(level=Level.BEGINNER)]
    assert core.load(path) == written


# --- row 6: deep nesting ----------------------------------------------------------------


@pytest.mark.parametrize("opener", ["[", "{a = "])
def test_row6_deep_nesting_is_a_profile_error_with_a_line(tmp_path: Path, opener: str) -> None:
    path = tmp_path / "profile.toml"
    closer = "]" if opener == "[" else "}"
    path.write_text("version = 1\n\nx = " + opener * 500 + closer * 500 + "\n")
    with pytest.raises(ProfileError) as found:
        core.load(path)
    assert found.value.line == 3
    assert "nested" in str(found.value)


def test_row6_brackets_in_strings_and_comments_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text('version = 1 # ' + "[" * 100 + '\nlevel = "' + "[" * 100 + '"\n')
    with pytest.raises(ProfileError) as found:
        core.load(path)
    assert found.value.line == 2 and "level" in str(found.value)


def test_row6_cli_has_no_traceback(hiprot) -> None:
    path = profile_path()
    path.parent.mkdir(parents=True)
    path.write_text("version = 1\nx = " + "[" * 500 + "]" * 500 + "\n")
    result = hiprot("routine", "--goal", "warmup", code=1)
    assert f"{path}:2:" in result.stderr


# --- row 18: profile.toml is private ----------------------------------------------------


def test_row18_profile_is_written_0600(hiprot) -> None:
    hiprot("profile", "level", "advanced")
    assert stat.S_IMODE(profile_path().stat().st_mode) == 0o600


def test_row18_a_looser_profile_is_tightened_and_said(hiprot) -> None:
    hiprot("profile", "level", "advanced")
    profile_path().chmod(0o644)
    result = hiprot("profile", "level", "beginner")
    assert "mode 644" in result.stderr and "(600)" in result.stderr
    assert stat.S_IMODE(profile_path().stat().st_mode) == 0o600


# --- row 21: BOM, lines, version, echoes ---------------------------------------------------


def test_row21_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes(b'\xef\xbb\xbfversion = 1\nlevel = "advanced"\n')
    assert core.load(path) == Profile(level=Level.ADVANCED)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('version = 1\n[hips]\nleft = "stiff"\n', 3),
        ('version = 1\nhips.left = "stiff"\n', 2),
        ('version = 1\nhips = { left = "stiff" }\n', 2),
        ("# a comment\nversion = true\n", 2),
        ('version = 1\n\n[hips.left]\ncondition = "stiff"\n"since" = 2020-01-01\n', 3),
    ],
)
def test_row21_every_profile_error_names_a_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as found:
        core.load(path)
    assert found.value.line == line


@pytest.mark.parametrize("value", ["true", "1.0", '"1"'])
def test_row21_version_must_be_the_integer_1(tmp_path: Path, value: str) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(f"version = {value}\n")
    with pytest.raises(ProfileError, match="'version' must be 1 \\(a whole number\\)"):
        core.load(path)
