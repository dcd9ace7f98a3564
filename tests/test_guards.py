"""The test harness's own guards fail when what they guard breaks (issue 8)."""

from __future__ import annotations

import pytest

from hiprot.cli import app


def test_the_no_traceback_guard_catches_an_escaped_exception(hiprot, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("an escaped bug")

    monkeypatch.setattr("hiprot.catalogue.load_catalogue", boom)
    # CliRunner turns the escaped RuntimeError into exit code 1 with no "Traceback" in
    # the output; the guard must still see it.
    with pytest.raises(AssertionError, match="an escaped bug"):
        hiprot("list", code=1)
    assert app  # the app itself is untouched
