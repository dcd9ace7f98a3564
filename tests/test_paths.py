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
