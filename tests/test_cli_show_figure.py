"""`hiprot show` with figures: above the steps from 76 columns, a pointer below, --no-figure, JSON, SVG."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import FIXTURES

NARROW = {"COLUMNS": "40"}


def _braille(text: str) -> int:
    return sum(0x2800 < ord(ch) <= 0x28FF for ch in text)


def test_show_at_80_columns_draws_start_and_end_above_the_steps(hiprot) -> None:
    out = hiprot("show", "90-90", "foot", "lift", "--side", "right").stdout
    lines = out.splitlines()
    assert _braille(out) > 80 and max(len(line.rstrip()) for line in lines) <= 80
    drawn = [n for n, line in enumerate(lines) if _braille(line)]
    key = lines[drawn[-1] + 1]
    assert key.startswith("Start") and key.index("End") >= 38 and key.rstrip().endswith("orange: right leg")
    steps = lines.index("Steps (right side)")
    assert drawn[-1] < steps  # above the steps, not beside them
    assert not any(_braille(line) for line in lines[steps:])
    # Two poses side by side, each at least 36 columns: the start's braille is in the
    # left half and the end's in the right half of the same lines.
    assert any(_braille(line[:38]) and _braille(line[40:]) for line in lines)


def test_a_narrow_terminal_gets_a_one_line_pointer_to_the_svg(hiprot) -> None:
    out = hiprot("show", "clamshell", env=NARROW).stdout
    assert _braille(out) == 0
    pointer = [line for line in out.splitlines() if "--format svg" in line]
    assert pointer == ["Figure: --format svg (or 76+ columns)"]


def test_no_figure_leaves_it_out(hiprot) -> None:
    plain = hiprot("show", "90-90", "foot", "lift", "--no-figure").stdout
    assert _braille(plain) == 0 and "Steps" in plain and "--format svg" not in plain


def test_side_mirrors_the_terminal_figure_and_names_the_leg(hiprot) -> None:
    left = hiprot("show", "clamshell", "--side", "left").stdout
    right = hiprot("show", "clamshell", "--side", "right").stdout
    assert left != right and _braille(left) and _braille(right)
    assert "orange: left leg" in left and "orange: right leg" in right


def test_the_terminal_figure_is_cached_and_the_same_from_the_cache(hiprot, tmp_path, monkeypatch) -> None:
    import hiprot.catalogue.figures as figures_module

    first = hiprot("show", "clamshell").stdout
    assert list((tmp_path / "xdg_cache_home").rglob("figure-*.marshal"))
    monkeypatch.setattr(figures_module, "load_figures", lambda **_: pytest.fail("parsed again"))
    assert hiprot("show", "clamshell").stdout == first


def test_a_corrupt_figure_cache_is_a_miss(hiprot, tmp_path) -> None:
    first = hiprot("show", "clamshell").stdout
    for cached in (tmp_path / "xdg_cache_home").rglob("figure-*.marshal"):
        cached.write_bytes(b"\x00not marshal")
    assert hiprot("show", "clamshell").stdout == first


def test_show_json_carries_the_solved_figure_and_still_loads_as_a_catalogue_entry(hiprot, tmp_path) -> None:
    import json

    from hiprot.catalogue import load_catalogue

    data = hiprot.json("show", "clamshell", "--side", "left")
    figure = data["figure"]
    assert figure["working"] == "left" and set(figure) == {"working", "start", "end"}
    joints = figure["start"]["joints"]
    assert len(joints) == 17 and all(len(p) == 3 for p in joints.values())
    assert min(p[2] for p in joints.values()) >= 0  # z up, nothing under the floor
    assert hiprot.json("show", "clamshell")["figure"]["working"] == "right"  # the figure's own side
    assert "figure" not in hiprot.json("show", "clamshell", "--no-figure")
    path = tmp_path / "back.yaml"
    data.update(easier=None, harder=None)  # alone in its file, it has no neighbours to point to
    path.write_text(json.dumps({"version": 1, "exercises": [data]}), encoding="utf-8")
    assert load_catalogue(path).exercises[0] == load_catalogue().get("clamshell")._replace(easier=None, harder=None)


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
    # The table still shows, without a figure or a pointer to one.
    table = hiprot("show", "standing-drill", "--catalog", str(FIXTURES / "mini.yaml")).stdout
    assert "Steps" in table and _braille(table) == 0 and "--format svg" not in table
    assert "figure" not in hiprot.json("show", "standing-drill", "--catalog", str(FIXTURES / "mini.yaml"))


def test_routine_and_list_never_load_figures() -> None:
    code = (
        "import sys\n"
        "from hiprot.cli import app\n"
        "for args in (['list'], ['routine', '--goal', 'warmup']):\n"
        "    sys.argv = ['hiprot', *args]\n"
        "    try:\n        app(prog_name='hiprot')\n    except SystemExit:\n        pass\n"
        "    print(args[0], sorted(m for m in sys.modules if m in ('hiprot.figures', 'hiprot.catalogue.figures')),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert result.stderr.splitlines()[-2:] == ["list []", "routine []"], result.stderr
