"""Where output goes and how it looks: narrow terminals, full disks, closed pipes, Markdown lists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _words_of_names(hiprot, bundled) -> set[str]:
    return {word for ex in bundled.exercises for word in ex.name.split()}


@pytest.mark.parametrize("width", [20, 30, 40, 50, 60, 64, 70, 80, 100, 120])
@pytest.mark.parametrize("args", [["routine", "--goal", "warmup"], ["routine", "--goal", "strength"], ["list"]])
def test_no_word_of_a_name_is_split_at_any_width(hiprot, bundled, width, args) -> None:
    out = hiprot(*args, env={"COLUMNS": str(width)}).stdout
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    text_words = {w for line in lines for w in line.split()}
    shown = [ex for ex in bundled.exercises if ex.name in " ".join(" ".join(line.split()) for line in lines)]
    for ex in shown:
        for word in ex.name.split():
            if len(word) <= width - 4:
                assert word in text_words, (width, ex.name, word)
    assert shown, "some exercise names are shown whole"


def test_narrow_terminal_gets_one_block_per_exercise(hiprot) -> None:
    out = hiprot("routine", "--goal", "warmup", env={"COLUMNS": "40"}).stdout
    assert "1. Lying Hip Internal Rotation" in out and "────" not in out
    wide = hiprot("routine", "--goal", "warmup").stdout
    assert "────" in wide


def test_list_markdown_is_a_markdown_table(hiprot, bundled) -> None:
    out = hiprot("list", "--format", "markdown").stdout
    rows = [line for line in out.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(bundled)
    assert out.splitlines()[0] == f"# Exercises ({len(bundled)} of {len(bundled)})"


def test_list_no_match_names_the_filters_given(hiprot) -> None:
    err = hiprot("list", "--goal", "strength", "--kind", "stretch", code=1).stderr
    assert "--goal and --kind" in err and "--level" not in err and "--equipment" not in err


def _run(args: list[str], stdout) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "hiprot", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=60
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["routine", "--goal", "warmup"],
        ["list"],
        ["show", "clamshell"],
        ["routine", "--goal", "warmup", "--format", "json"],
        ["routine", "--goal", "warmup", "--format", "markdown"],
    ],
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args) -> None:
    with open("/dev/full", "w") as full:
        result = _run(args, full)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "No space left on device" in result.stderr


def test_a_closed_pipe_is_silent() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hiprot", "list", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before hiprot writes a byte
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"Error" not in err
