"""User folders come from platformdirs, which honours the XDG variables on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hiprot import paths


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
def test_xdg_variables_choose_the_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    assert paths.cache_dir() == tmp_path / "xdg_cache_home" / "hiprot"
    assert paths.data_dir() == tmp_path / "xdg_data_home" / "hiprot"
    assert paths.config_dir() == tmp_path / "xdg_config_home" / "hiprot"
    assert paths.database_path() == tmp_path / "xdg_data_home" / "hiprot" / "hiprot.db"


def test_asking_for_a_folder_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    paths.database_path()
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
@pytest.mark.parametrize("value", [None, "", "   ", "ABSOLUTE", "relative/dir"])
def test_the_linux_folders_are_what_platformdirs_and_the_xdg_spec_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for kind, (variable, default) in paths.XDG.items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, str(tmp_path / kind) if value == "ABSOLUTE" else value)
        ours = getattr(paths, f"{kind}_dir")()
        if value == "ABSOLUTE":
            assert ours == tmp_path / kind / "hiprot"
        else:  # unset, empty or relative: the spec's default under the home folder
            assert ours == tmp_path / "home" / default.removeprefix("~/") / "hiprot"
        if value != "relative/dir":  # platformdirs before 4.x took a relative value as it was
            assert ours == getattr(platformdirs, f"user_{kind}_path")("hiprot", appauthor=False)


def test_reading_the_folders_imports_no_platformdirs_on_linux() -> None:
    import subprocess

    code = "import sys, hiprot.paths as p; p.cache_dir(); p.data_dir(); p.config_dir(); print('platformdirs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ("False" if sys.platform.startswith("linux") else "True")
