"""`hiprot show` with figures: beside the steps from 100 columns, --no-figure, --format svg."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from tests.conftest import FIXTURES

WIDE = {"COLUMNS": "100"}


def _braille(text: str) -> int:
    return sum(0x2800 < ord(ch) <= 0x28FF for ch in text)


def test_show_at_100_columns_draws_the_figure_beside_the_steps(hiprot) -> None:
    out = hiprot("show", "90-90", "foot", "lift", "--side", "right", env=WIDE).stdout
    lines = out.splitlines()
    assert _braille(out) > 40
    assert "Steps" in out and "Turn the right thigh inward to raise the right foot off the" in out
    # Beside, not above: the same lines hold text on the left and the figure on the right.
    beside = [line for line in lines if _braille(line) and line.lstrip()[:1].isalnum()]
    assert len(beside) >= 8
    assert max(len(line.rstrip()) for line in lines) <= 100


def test_narrower_terminals_and_no_figure_leave_it_out(hiprot) -> None:
    assert _braille(hiprot("show", "90-90", "foot", "lift").stdout) == 0  # 80 columns
    wide_plain = hiprot("show", "90-90", "foot", "lift", "--no-figure", env=WIDE).stdout
    assert _braille(wide_plain) == 0 and "Steps" in wide_plain


def test_side_mirrors_the_terminal_figure(hiprot) -> None:
    left = hiprot("show", "clamshell", "--side", "left", env=WIDE).stdout
    right = hiprot("show", "clamshell", "--side", "right", env=WIDE).stdout
    assert left != right and _braille(left) and _braille(right)


def test_show_format_svg_prints_one_svg_document(hiprot) -> None:
    out = hiprot("show", "clamshell", "--format", "svg").stdout
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Clamshell"
    assert hiprot("show", "clamshell", "-f", "svg", "--side", "left").stdout != out


def test_each_exercise_gets_its_own_svg(hiprot, bundled) -> None:
    seen = set()
    for ex in list(bundled.exercises)[:6]:
        out = hiprot("show", ex.id, "--format", "svg").stdout
        seen.add(out.replace(ex.name, ""))
    assert len(seen) == 6


def test_svg_for_a_drill_hiprot_has_not_drawn_is_a_clear_error(hiprot) -> None:
    result = hiprot("show", "standing-drill", "--format", "svg", "--catalog", str(FIXTURES / "mini.yaml"), code=1)
    assert "No figure for" in result.stderr and result.stdout == ""
    # The table still shows, without a figure, at any width.
    wide = hiprot("show", "standing-drill", "--catalog", str(FIXTURES / "mini.yaml"), env=WIDE).stdout
    assert "Steps" in wide and _braille(wide) == 0


def test_routine_and_list_never_load_figures() -> None:
    code = (
        "import sys\n"
        "from hiprot.cli import app\n"
        "for args in (['list'], ['routine', '--goal', 'warmup'], ['show', 'clamshell']):\n"
        "    sys.argv = ['hiprot', *args]\n"
        "    try:\n        app(prog_name='hiprot')\n    except SystemExit:\n        pass\n"
        "    print(args[0], sorted(m for m in sys.modules if m in ('hiprot.figures', 'hiprot.catalogue.figures')),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert result.stderr.splitlines()[-3:] == ["list []", "routine []", "show []"], result.stderr


def test_the_guide_s_figure_example_is_what_show_prints_at_100_columns(hiprot) -> None:
    from pathlib import Path

    guide = (Path(__file__).parents[1] / "docs" / "guide.md").read_text(encoding="utf-8")
    block = guide.split("`hiprot show 90-90 foot lift` in a 100-column terminal (its first lines):\n\n```text\n")[1]
    expected = block.split("\n...\n```")[0].splitlines()
    actual = [line.rstrip() for line in hiprot("show", "90-90", "foot", "lift", env=WIDE).stdout.splitlines()]
    assert actual[: len(expected)] == expected
