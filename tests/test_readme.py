"""The README's promises: its example output is what hiprot really prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
BLOCK = re.compile(r"```\n(\$ hiprot .*?)```", re.S)


def _examples() -> list[tuple[str, list[str]]]:
    """Each `$ hiprot ...` line in a fenced block, with the output lines under it."""
    found = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ hiprot "):
                if command:
                    found.append((command, output))
                command, output = line[2:], []
            else:
                output.append(line)
        found.append((command, output))
    return [(c, o) for c, o in found if "--catalog" not in c]  # those need the reader's file


def test_readme_has_examples() -> None:
    assert len(_examples()) >= 4


@pytest.mark.parametrize("command, expected", _examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_readme_example_output_is_real(hiprot, command: str, expected: list[str]) -> None:
    while expected and not expected[-1].strip():
        expected.pop()
    args = shlex.split(command)[1:]
    actual = [line.rstrip() for line in hiprot(*args).stdout.splitlines()]
    if expected and expected[-1] == "...":
        expected = expected[:-1]
        actual = actual[: len(expected)]
    assert [line.rstrip() for line in expected] == actual


SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def _error_examples() -> list[tuple[str, str]]:
    """`hiprot ...` lines in sh blocks followed by a `# Error: ...` line: the exact message."""
    found = []
    for block in SH_BLOCK.findall(README.read_text(encoding="utf-8")):
        lines = block.splitlines()
        for command, after in zip(lines, lines[1:]):
            if command.startswith("hiprot ") and after.startswith("# Error: "):
                found.append((command, after[2:]))
    return found


def test_readme_has_error_examples() -> None:
    assert len(_error_examples()) >= 2


@pytest.mark.parametrize("command, message", _error_examples(), ids=lambda v: v)
def test_readme_error_examples_are_real(hiprot, command: str, message: str) -> None:
    result = hiprot(*shlex.split(command)[1:], code=1)
    assert result.stdout == "" and result.stderr.strip() == message
