"""The README's and the docs' promises: every example output is what hiprot really prints,
every command shown runs, and every relative link leads to a file in the repository."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

from hiprot.cli import app

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```\n(\$ hiprot .*?)```", re.S)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _examples() -> list[tuple[str, str, list[str]]]:
    """Each `$ hiprot ...` line in a fenced block, with the output lines under it, by page."""
    found = []
    for page in PAGES:
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            command, output = None, []
            for line in block.splitlines():
                if line.startswith("$ hiprot "):
                    if command:
                        found.append((_name(page), command, output))
                    command, output = line[2:], []
                else:
                    output.append(line)
            found.append((_name(page), command, output))
    return [(p, c, o) for p, c, o in found if c and "--catalog" not in c]  # those need the reader's file


def test_readme_has_examples() -> None:
    assert sum(1 for page, _, _ in _examples() if page == "README.md") >= 1
    assert len(_examples()) >= 4


@pytest.mark.parametrize("page, command, expected", _examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_readme_example_output_is_real(hiprot, page: str, command: str, expected: list[str]) -> None:
    while expected and not expected[-1].strip():
        expected.pop()
    args = shlex.split(command)[1:]
    actual = [line.rstrip() for line in hiprot(*args).stdout.splitlines()]
    if expected and expected[-1] == "...":
        expected = expected[:-1]
        actual = actual[: len(expected)]
    assert [line.rstrip() for line in expected] == actual


def _error_examples() -> list[tuple[str, str, str]]:
    """`hiprot ...` lines in sh blocks followed by a `# Error: ...` line: the exact message."""
    found = []
    for page in PAGES:
        for block in SH_BLOCK.findall(page.read_text(encoding="utf-8")):
            lines = block.splitlines()
            for command, after in zip(lines, lines[1:]):
                if command.startswith("hiprot ") and after.startswith("# Error: "):
                    found.append((_name(page), command, after[2:]))
    return found


def test_readme_has_error_examples() -> None:
    assert len(_error_examples()) >= 2


@pytest.mark.parametrize("page, command, message", _error_examples(), ids=lambda v: v)
def test_readme_error_examples_are_real(hiprot, page: str, command: str, message: str) -> None:
    result = hiprot(*shlex.split(command)[1:], code=1)
    assert result.stdout == "" and result.stderr.strip() == message


# Commands a page shows that cannot run here as written: they need the reader's own file or
# a terminal to type into, or run something other than hiprot.
NEEDS_THE_READER = ("--catalog", "--install-completion", "restore ", "import", "export")  # their files, routines
LIVE = re.compile(r"^hiprot go\b(?!.*--dry-run)")  # a session runs in real time, from a terminal
PDF = re.compile(r"\.pdf\b|--format pdf")  # needs the optional pdf extra
_HAS_PDF = importlib.util.find_spec("weasyprint") is not None


def _commands() -> list[tuple[str, list[tuple[str, int]]]]:
    """Per page, each `hiprot ...` line of its sh blocks in order (a comment, a pipe or a
    redirect cut off), and the exit code it should end with: the one its comment names
    ("(exit 2)"), 1 when its comment or the next line is an error, else 0."""
    found = []
    for page in PAGES:
        commands = []
        for block in SH_BLOCK.findall(page.read_text(encoding="utf-8")):
            lines = block.splitlines()
            for n, line in enumerate(lines):
                if not line.startswith("hiprot "):
                    continue
                command = re.split(r"\s+#\s|\s\||\s>", line)[0].strip()
                reader_file = re.search(r"\S+\.ya?ml\b", command)  # the reader's own catalogue file
                if any(skip in command for skip in NEEDS_THE_READER) or LIVE.match(command) or reader_file:
                    continue
                if PDF.search(command) and not _HAS_PDF:  # the optional extra: its own tests cover it
                    continue
                comment = line.partition(" # ")[2].strip()
                said = re.search(r"\bexit (\d)\b", comment)
                if said:
                    code = int(said.group(1))
                elif comment.startswith("Error") or (n + 1 < len(lines) and lines[n + 1].startswith("# Error: ")):
                    code = 1
                else:
                    code = 0
                commands.append((command, code))
        if commands:
            found.append((_name(page), commands))
    return found


@pytest.mark.parametrize("page, commands", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_shown_runs(hiprot, page: str, commands: list[tuple[str, int]], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """In order, as a reader would type them, in a fresh folder with fresh user folders:
    each exits 0 (or 1 where the page shows its error), never 2 and never a traceback."""
    from datetime import UTC, datetime

    from tests.fakes import fake_now

    clock = fake_now(monkeypatch, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # the date the examples were written
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # a shell expands ~ to it
    for command, code in commands:
        clock.days(1 / 24)  # an hour between commands, as a reader would take
        args = [str(Path(a).expanduser()) if a.startswith("~") else a for a in shlex.split(command)[1:]]
        result = hiprot.runner.invoke(app, args)
        assert result.exit_code == code or (code == 0 and result.exit_code == 1 and "exists" in result.stderr), (
            f"{page}: `{command}` exited {result.exit_code}\n{result.stdout[-800:]}\n{result.stderr[-800:]}"
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), (page, command)


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_every_relative_link_resolves_to_a_file_in_the_repo() -> None:
    broken = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            if not path.exists() or ROOT not in path.parents:  # a file, or a folder of them
                broken.append(f"{_name(page)}: {target}")
    assert broken == []
    assert any("docs/guide.md" in t for t in LINK.findall(README.read_text(encoding="utf-8")))
