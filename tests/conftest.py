"""Shared fixtures: a CLI runner with fixed width and no colour, and isolated user folders."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiprot.catalogue import Catalogue, load_catalogue
from hiprot.cli import app

FIXTURES = Path(__file__).parent / "fixtures"


# A test that starts a real process (a subprocess, a pseudo-terminal) is marked `process`,
# so `pytest -m "not process"` is a quick run. Marked by what its code calls, so a new
# real-process test is marked without anyone remembering to.
_PROCESS_CALLS = re.compile(r"\bsubprocess\.|\bPopen\(|\bpty\.fork\(|\bos\.fork\(|\bos\.execv")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        if function is None or item.get_closest_marker("process"):
            continue
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        if _PROCESS_CALLS.search(source):
            item.add_marker(pytest.mark.process)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user folders and any catalogue set in the shell."""
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("HIPROT_CATALOG", raising=False)


@pytest.fixture
def locked_folder(tmp_path: Path):
    """A folder this user may not write into (skips when running as root, who can)."""
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        yield locked
    finally:
        locked.chmod(0o700)


@pytest.fixture(scope="session")
def bundled() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def mini() -> Catalogue:
    return load_catalogue(FIXTURES / "mini.yaml")


class Hiprot:
    """Runs the CLI the way a terminal would, at 80 columns with colour off."""

    def __init__(self) -> None:
        self.runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})

    def __call__(self, *args: str, code: int = 0, env: dict | None = None):
        result = self.runner.invoke(app, list(args), env=env)
        assert result.exit_code == code, (
            f"hiprot {' '.join(args)} exited {result.exit_code}, wanted {code}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n{result.exception!r}"
        )
        # A user's mistake never shows a traceback. CliRunner catches whatever the command
        # raised and keeps it in result.exception, so "Traceback" in the output proves
        # nothing: anything but a clean exit is the bug.
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"hiprot {' '.join(args)} raised {result.exception!r}"
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def json(self, *args: str, env: dict | None = None):
        return json.loads(self(*args, "--format", "json", env=env).stdout)


@pytest.fixture
def hiprot() -> Hiprot:
    return Hiprot()
