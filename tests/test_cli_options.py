"""The routine options are declared once (cli/options.py): parameters, error wording and
the rebuild command line all come from one table."""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import typer
from hypothesis import given, settings

from hiprot.cli import app, options
from hiprot.cli.options import REQUEST_FLAGS, ROUTINE_OPTIONS, command_line, make_request
from hiprot.limits import MAX_MINUTES
from hiprot.models import PROFILE_FIELDS, Request
from tests.strategies import requests


class _Parsed(Exception):
    def __init__(self, request: Request | None) -> None:
        self.request = request


def _parse(argv: list[str]) -> Request | None:
    """The Request the `routine` command makes of these arguments, through Typer's own
    conversion of every option, caught before anything is built."""
    command = typer.main.get_command(app).commands["routine"]  # type: ignore[attr-defined]
    ctx = command.make_context("routine", argv)

    def caught(*args: Any, **kwargs: Any) -> None:
        raise _Parsed(make_request(*args, **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(options, "make_request", caught)
        try:
            ctx.invoke(command.callback, **ctx.params)
        except _Parsed as parsed:
            return parsed.request
    raise AssertionError("the routine command did not make a request")


@settings(max_examples=150, deadline=None)
@given(requests(muscles=3, minutes=MAX_MINUTES))
def test_the_rebuild_command_line_parses_back_to_the_same_request(request: Request) -> None:
    argv = shlex.split(command_line(request))
    assert argv[:2] == ["hiprot", "routine"]
    assert _parse(argv[2:]) == request


def test_every_routine_command_has_every_routine_option() -> None:
    group = typer.main.get_command(app)
    flags = {option.flag for option in ROUTINE_OPTIONS}
    for name in ("routine", "go", "log", "save"):
        declared = {opt for param in group.commands[name].params for opt in param.opts}  # type: ignore[attr-defined]
        assert flags <= declared, (name, flags - declared)


def test_error_wording_takes_its_flags_from_the_table() -> None:
    assert REQUEST_FLAGS["positions"] == "--position"
    assert REQUEST_FLAGS["muscles"] == "--muscle"
    assert set(REQUEST_FLAGS) == set(Request._fields) - set(PROFILE_FIELDS)


@pytest.mark.parametrize("value", ["1e9", "0", "181", "abc", "9" * 5000, "-3"])
def test_minutes_out_of_range_is_said_in_plain_words(hiprot, value: str) -> None:
    result = hiprot("routine", "--goal", "warmup", "--minutes", value, code=2)
    assert f"must be a whole number from 1 to {MAX_MINUTES}" in result.stderr
    assert len(result.stderr) < 1000


def test_minutes_at_the_limit_builds(hiprot) -> None:
    hiprot("routine", "--goal", "recovery", "--minutes", str(MAX_MINUTES), "--format", "json")
