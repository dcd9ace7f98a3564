"""Markdown export: structure checked with markdown-it-py, a golden file, escaping, files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from hiprot.cli.options import command_line
from hiprot.models import Equipment, Goal, Level, Muscle, Position, Request
from hiprot.planner import build_routine
from hiprot.report.markdown import md_code, md_text, routine_to_markdown

from .conftest import FIXTURES

ROOT = Path(__file__).parents[1]
GOLDEN = FIXTURES / "golden" / "warmup-mini.md"
GOLDEN_ARGS = ["routine", "--goal", "warmup", "--level", "intermediate", "--catalog", "tests/fixtures/mini.yaml"]


def parse(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(tokens) -> list[tuple[str, str]]:
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def checkboxes(tokens) -> list[str]:
    return [t.content for t in tokens if t.type == "inline" and t.content.startswith("[ ] ")]


def test_structure(bundled) -> None:
    routine = build_routine(bundled, Request(goal=Goal.STRENGTH, minutes=12))
    assert routine.rounds == 1
    tokens = parse(routine_to_markdown(routine, "hiprot routine --goal strength --minutes 12"))
    assert sum(t.type == "table_open" for t in tokens) == 1
    body_rows = [t for t in tokens if t.type == "tr_open"][1:]  # minus the header row
    assert len(body_rows) == len(routine.items)
    expected = [("h1", "Strength routine, beginner")]
    expected += [("h2", f"{n}. {i.exercise.name}") for n, i in enumerate(routine.items, 1)]
    assert [h for h in headings(tokens) if h[0] in ("h1", "h2")] == expected + [("h2", "Safety")]
    boxes = checkboxes(tokens)
    assert len(boxes) == sum(i.dosage.sets * i.dosage.sides for i in routine.items)
    two_sided = next(i for i in routine.items if i.dosage.per_side and i.dosage.sets == 2)
    assert two_sided.dosage.sets * two_sided.dosage.sides == 4
    assert {"[ ] Set 1 · left", "[ ] Set 1 · right", "[ ] Set 2 · left"} <= set(boxes)


def test_a_circuit_says_its_rounds_and_logs_each_round(bundled) -> None:
    routine = build_routine(bundled, Request(goal=Goal.WARMUP, minutes=20))
    assert routine.rounds == 2
    text = routine_to_markdown(routine, "hiprot routine --goal warmup --minutes 20")
    assert " · 2 rounds, 30 s rest between · " in text.splitlines()[2]
    boxes = checkboxes(parse(text))
    assert len(boxes) == 2 * sum(i.dosage.sets * i.dosage.sides for i in routine.items)
    assert {"[ ] Round 1 · Set 1 · left", "[ ] Round 2 · Set 1 · right"} <= set(boxes)


def test_golden_file(hiprot, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    out = hiprot(*GOLDEN_ARGS, "--format", "markdown").stdout
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_stdout_and_file_carry_the_same_text(hiprot, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / "r.md"
    result = hiprot(*GOLDEN_ARGS, "--output", str(target), "--force")
    assert result.stdout == "" and f"Wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


def test_summary_names_the_rebuild_command_without_output_options() -> None:
    request = Request(
        goal=Goal.RECOVERY, level=Level.ADVANCED, positions=frozenset({Position.SEATED, Position.LYING}),
        equipment=frozenset(), muscles=(Muscle.PIRIFORMIS,), minutes=15, count=4, seed=3,
    )  # fmt: skip
    assert command_line(request, "my cat.yaml") == (
        "hiprot routine --goal recovery --level advanced --position seated --position lying "
        "--equipment none --muscle piriformis --minutes 15 --count 4 --seed 3 --catalog 'my cat.yaml'"
    )
    assert command_line(Request(goal=Goal.WARMUP, equipment=frozenset({Equipment.BALL}))) == (
        "hiprot routine --goal warmup --equipment ball"
    )


def test_rebuild_command_rebuilds_the_same_text(hiprot, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    first = hiprot("routine", "--goal", "recovery", "--muscle", "TFL", "--seed", "4", "--format", "markdown").stdout
    command = first.split("rebuild with `", 1)[1].split("`", 1)[0]
    assert command.startswith("hiprot routine ") and "--format" not in command
    again = hiprot(*command.split()[1:], "--format", "markdown").stdout
    assert again == first


def test_hostile_catalogue_text_cannot_break_the_document(hiprot) -> None:
    args = ["routine", "--goal", "warmup", "--level", "intermediate", "--catalog", str(FIXTURES / "hostile.yaml")]
    text = hiprot(*args, "--format", "markdown").stdout
    tokens = parse(text)
    children = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert not {c.type for c in children} & {"html_inline", "link_open", "s_open", "image"}
    assert not any(t.type in ("html_block", "blockquote_open") for t in tokens)
    # Emphasis and code only where hiprot itself puts them, never from catalogue text.
    assert "bold" not in {c.content for c in children if c.type == "text" and c.content == "bold"}
    row_cells, cells = [], 0
    for t in tokens:
        if t.type == "tr_open":
            cells = 0
        elif t.type in ("th_open", "td_open"):
            cells += 1
        elif t.type == "tr_close":
            row_cells.append(cells)
    assert row_cells and set(row_cells) == {6}  # the | stayed inside its cell
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<td># Pipe | Drill *bold* [link](http://x) &lt;b&gt;html&lt;/b&gt;</td>" in html
    assert [h for h in headings(tokens) if "not a heading" in h[1]] == []
    assert [t for t in tokens if t.type == "inline" and t.content == "not a list item"] == []


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("a | b", "a \\| b"),
        ("# title", "\\# title"),
        ("- item", "\\- item"),
        ("12. item", "12\\. item"),
        ("snake_case_name", "snake_case_name"),
        ("_emph_", "\\_emph\\_"),
        ("two\nlines", "two lines"),
    ],
)
def test_md_text(raw: str, safe: str) -> None:
    assert md_text(raw) == safe


def test_md_code_survives_backticks() -> None:
    assert md_code("a`b") == "``a`b``"


def test_show_markdown_card(hiprot) -> None:
    text = hiprot("show", "standing hip internal rotation", "--format", "markdown").stdout
    tokens = parse(text)
    assert headings(tokens)[0] == ("h1", "Standing Hip Internal Rotation")
    assert ("h3", "Steps") in headings(tokens) and ("h2", "Safety") in headings(tokens)
    assert "hiprot show lying-hip-internal-rotation" in text


# --- files -----------------------------------------------------------------------------


def test_never_overwrites_without_force(hiprot, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "warmup.md"
    target.write_text("my notes")
    result = hiprot("routine", "--goal", "warmup", "--output", str(target), code=1)
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text() == "my notes"
    hiprot("routine", "--goal", "warmup", "--output", str(target), "--force")
    assert target.read_text().startswith("# Warm-up routine")
    assert [p.name for p in tmp_path.iterdir()] == ["warmup.md"]  # no temp file left behind


def test_json_by_extension_and_format_wins(hiprot, tmp_path) -> None:
    hiprot("routine", "--goal", "warmup", "--output", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["goal"] == "warmup"
    hiprot("routine", "--goal", "warmup", "--output", str(tmp_path / "r.markdown"))
    assert (tmp_path / "r.markdown").read_text().startswith("# ")
    hiprot("routine", "--goal", "warmup", "--output", str(tmp_path / "x.md"), "--format", "json")
    assert json.loads((tmp_path / "x.md").read_text())["goal"] == "warmup"


@pytest.mark.parametrize(
    "args, message",
    [(["--output", "r.txt"], "cannot tell the format"), (["--output", "r.md", "--format", "table"], "table")],
)
def test_output_usage_errors(hiprot, tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    assert message in hiprot("routine", "--goal", "warmup", *args, code=2).stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_a_clear_error(hiprot, tmp_path) -> None:
    result = hiprot("routine", "--goal", "warmup", "--output", str(tmp_path / "no" / "r.md"), code=1)
    assert "does not exist" in result.stderr


def test_an_unwritable_path_is_a_clear_error(hiprot, locked_folder) -> None:
    result = hiprot("routine", "--goal", "warmup", "--output", str(locked_folder / "r.md"), code=1)
    assert "Cannot write" in result.stderr


def test_unwritable_path_as_root_is_still_an_error(hiprot, tmp_path) -> None:
    # A path under a regular file can never be created, whoever runs the test.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = hiprot("routine", "--goal", "warmup", "--output", str(blocker / "r.md"), code=1)
    assert "does not exist" in result.stderr or "Cannot write" in result.stderr


def test_output_to_a_folder_is_an_error(hiprot, tmp_path) -> None:
    assert "names a folder" in hiprot("routine", "--goal", "warmup", "--output", str(tmp_path), code=2).stderr


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_one_table_and_a_checkbox_per_set_and_side(hiprot, bundled) -> None:
    text = hiprot("routine", "--goal", "strength", "--format", "markdown").stdout
    html = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "html"], input=text, capture_output=True, text=True, check=True
    ).stdout
    routine = build_routine(bundled, Request(goal=Goal.STRENGTH))
    assert html.count("<table>") == 1
    assert html.count('type="checkbox"') == sum(i.dosage.sets * i.dosage.sides for i in routine.items)
