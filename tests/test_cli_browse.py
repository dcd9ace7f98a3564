"""`hiprot show`, `hiprot list`, help, version and error handling, through CliRunner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from hiprot import __version__
from hiprot.cli import app

from .conftest import FIXTURES

EXERCISE_KEYS = [
    "id", "name", "aliases", "kind", "goals", "position", "level", "equipment", "muscles",
    "movement", "dosage", "steps", "cues", "cautions", "precautions", "needs", "hips", "easier",
    "harder", "sources", "source_titles",
]  # fmt: skip


def test_version(hiprot) -> None:
    assert hiprot("--version").stdout == f"hiprot {__version__}\n"


def test_no_arguments_shows_help(hiprot) -> None:
    result = hiprot(code=2)
    assert "Usage" in result.stdout + result.stderr


def test_every_command_has_help_with_an_example(hiprot) -> None:
    command = typer.main.get_command(app)
    assert command.commands, "no commands registered"
    for name, sub in command.commands.items():
        assert sub.help and sub.help.strip(), f"{name} has no help"
        text = hiprot(name, "--help").stdout
        assert "Examples" in text and f"hiprot {name}" in text, f"{name} --help lacks an example"


def test_show_by_id_prints_everything_a_person_needs(hiprot) -> None:
    out = hiprot("show", "clamshell").stdout
    for part in ("Clamshell", "side-lying", "beginner", "gluteus medius", "2-3 sets of 20 per side",
                 "Steps", "1. ", "Cues", "Cautions", "Sources", "JOSPT"):  # fmt: skip
        assert part in out, part


@pytest.mark.parametrize(
    "query, exercise_id",
    [
        ("internal rotation of the hip", "standing-hip-internal-rotation"),
        ("Clam Shells", "clamshell"),
        ("90/90 foot lift", "90-90-foot-lift"),
    ],
)
def test_show_finds_by_any_name(hiprot, query: str, exercise_id: str) -> None:
    assert hiprot("show", query, "--format", "json").stdout.count(f'"id": "{exercise_id}"') == 1


def test_show_joins_unquoted_words(hiprot) -> None:
    assert hiprot.json("show", "fire", "hydrants")["id"] == "fire-hydrant"


def test_show_lists_variants_with_the_command_to_see_them(hiprot) -> None:
    out = hiprot("show", "standing-hip-internal-rotation").stdout
    assert "Easier" in out and "hiprot show lying-hip-internal-rotation" in out


def test_show_typo_suggests_and_exits_1_on_stderr(hiprot) -> None:
    result = hiprot("show", "clamshel", code=1)
    assert result.stdout == ""
    assert "Did you mean: clamshell?" in result.stderr
    assert "Run 'hiprot list' to see every exercise." in result.stderr  # worded by cli/words.py


def test_show_json_has_the_catalogue_keys(hiprot) -> None:
    data = hiprot.json("show", "clamshell")
    assert list(data) == [*EXERCISE_KEYS, "figure"]  # the figure's joints: output only, like source_titles
    assert data["dosage"] == {"sets": [2, 3], "reps": 20, "hold_s": None, "per_side": True, "rest_s": None}


def test_list_shows_every_exercise_at_80_columns(hiprot, bundled) -> None:
    out = hiprot("list").stdout
    assert f"{len(bundled)} of {len(bundled)} exercises" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_list_json_is_an_array_of_exercise_objects(hiprot, bundled) -> None:
    data = hiprot.json("list")
    assert [d["id"] for d in data] == [e.id for e in bundled.exercises]
    assert all(list(d) == EXERCISE_KEYS for d in data)


def test_list_filters(hiprot) -> None:
    lying_bodyweight = hiprot.json("list", "--position", "lying", "--equipment", "none")
    assert lying_bodyweight
    assert all(d["position"] == "lying" and d["equipment"] == [] for d in lying_bodyweight)
    beginner = hiprot.json("list", "--level", "beginner", "--goal", "strength", "--kind", "strength")
    assert beginner and all(d["level"] == "beginner" and "strength" in d["goals"] for d in beginner)
    glute_med = hiprot.json("list", "--muscle", "glute med")
    assert glute_med and all(
        "gluteus-medius" in d["muscles"]["primary"] + d["muscles"]["secondary"] for d in glute_med
    )
    band = hiprot.json("list", "--equipment", "loop-band", "--equipment", "none")
    assert {tuple(d["equipment"]) for d in band} <= {(), ("loop-band",)}
    assert any(d["equipment"] == ["loop-band"] for d in band)


def test_list_positions_repeat(hiprot) -> None:
    data = hiprot.json("list", "--position", "lying", "--position", "seated")
    assert {d["position"] for d in data} == {"lying", "seated"}


@pytest.mark.parametrize(
    "args, valid",
    [
        (["--muscle", "bicep"], "gluteus-medius"),
        (["--position", "upside-down"], "side-lying"),
        (["--level", "expert"], "intermediate"),
    ],
)
def test_unknown_values_are_usage_errors_listing_valid_ones(hiprot, args, valid) -> None:
    result = hiprot("list", *args, code=2)
    assert valid in result.stderr


def test_list_with_no_match_says_what_to_relax(hiprot) -> None:
    result = hiprot("list", "--position", "kneeling", code=1)
    assert "Drop a filter" in result.stderr


def test_catalog_option_and_environment_variable(hiprot) -> None:
    mini = str(FIXTURES / "mini.yaml")
    assert len(hiprot.json("list", "--catalog", mini)) == 4
    assert len(hiprot.json("list", env={"HIPROT_CATALOG": mini})) == 4


def test_markup_in_catalogue_text_is_printed_literally(hiprot) -> None:
    out = hiprot("show", "loop band walk", "--catalog", str(FIXTURES / "mini.yaml")).stdout
    assert "Loop [band] walk" in out


def test_broken_catalogue_exits_1_with_file_line_and_exercise(hiprot) -> None:
    path = FIXTURES / "broken" / "unknown_key.yaml"
    result = hiprot("show", "clamshell", "--catalog", str(path), code=1)
    assert f"{path}:24: exercise 'clamshell': unknown key 'repz'" in result.stderr
    assert result.stdout == ""


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hiprot", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == f"hiprot {__version__}"


def test_list_json_with_no_match_is_an_empty_array_for_scripts(hiprot) -> None:
    assert hiprot.json("list", "--position", "kneeling") == []


def test_ctrl_c_exits_130_without_a_traceback(hiprot, monkeypatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("hiprot.catalogue.load_catalogue", interrupted)
    result = hiprot("list", code=130)
    assert "Interrupted" in result.stderr and "Traceback" not in result.stderr


def test_version_imports_no_heavy_module() -> None:
    code = (
        "import sys; sys.argv = ['hiprot', '--version']\n"
        "from hiprot.cli import app\n"
        "try:\n    app(prog_name='hiprot')\nexcept SystemExit:\n    pass\n"
        "heavy = ('rich', 'yaml', 'pydantic', 'json', 'hiprot.planner', 'hiprot.report', 'hiprot.catalogue',\n"
        "         'hiprot.timeline', 'platformdirs', 'sqlite3', 'hiprot.store', 'hiprot.session')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_shell_completion_is_on() -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "hiprot", "--show-completion", "bash"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and "_hiprot_completion" in result.stdout
    assert "--install-completion" in subprocess.run(
        [sys.executable, "-m", "hiprot", "--help"], capture_output=True, text=True, env=env
    ).stdout


def test_the_real_command_builds_subcommands_lazily_and_lists_them_all() -> None:
    """`hiprot` (not CliRunner) builds only the subcommand it runs; --help still lists all."""
    run = lambda *args: subprocess.run([sys.executable, "-m", "hiprot", *args], capture_output=True, text=True)  # noqa: E731
    helped = run("--help")
    assert helped.returncode == 0
    for name in ("routine", "go", "show", "list", "save", "saved", "log", "history", "measure"):
        assert f"\n  {name} " in helped.stdout
    assert helped.stdout.index("\n  routine ") < helped.stdout.index("\n  go ") < helped.stdout.index("\n  show ")
    assert run("lst").returncode == 2
    # The listing is built from names and docstrings only, and reads exactly as Typer's own.
    # An 80-column terminal gives Click's help 78 columns (it keeps two); CliRunner would force
    # 80, so the listing is asked for at the width the real command uses.
    eager = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"}).invoke(app, ["--help"], prog_name="hiprot",
                                                                     terminal_width=78)  # fmt: skip
    lazy = subprocess.run([sys.executable, "-m", "hiprot", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1"})  # fmt: skip
    assert lazy.stdout == eager.stdout
    code = (
        "import sys; sys.argv = ['hiprot', 'show', 'clamshell']\n"
        "from hiprot.cli import app, main\n"
        "from hiprot.cli.app import _Group\n"
        "built = []\n"
        "real = _Group.get_command\n"
        "_Group.get_command = lambda self, ctx, name: built.append(name) or real(self, ctx, name)\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(set(built)), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "['show']"


# --- issue 17: sides and sources ------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_show_side_words_the_steps_for_that_side(hiprot) -> None:
    right = _flat(hiprot("show", "clamshell", "--side", "right").stdout)
    assert "Steps (right side)" in right
    assert "Lie on your side, left hip down" in right and "raise the right knee" in right
    left = _flat(hiprot("show", "clamshell", "--side", "left").stdout)
    assert "Lie on your side, right hip down" in left and "raise the left knee" in left
    neutral = _flat(hiprot("show", "clamshell").stdout)
    assert "Lie on your side, one hip down" in neutral and "raise the top knee" in neutral
    assert "{" not in right + left + neutral
    card = hiprot("show", "clamshell", "--side", "right", "--format", "markdown").stdout
    assert "### Steps (right side)" in card and "raise the right knee" in card
    assert "--side" in hiprot("show", "clamshell", "--side", "middle", code=2).stderr


def test_show_json_keeps_templates_and_ids_and_adds_the_rendered_side(hiprot) -> None:
    data = hiprot.json("show", "clamshell", "--side", "left")
    assert "{side|top}" in " ".join(data["steps"])  # a catalogue entry keeps its templates
    assert data["rendered"]["side"] == "left" and "raise the left knee" in " ".join(data["rendered"]["steps"])
    assert data["sources"][0] == "hip-rotation-simple-exercises"
    assert data["source_titles"][0].startswith("Can Simple Exercises Improve Your Hip Rotation?")
    assert data["hips"] is None and hiprot.json("show", "twisted legs stretch")["hips"] == "both"


def test_show_json_with_a_side_still_loads_back_as_a_catalogue(hiprot, tmp_path) -> None:
    data = hiprot.json("show", "90-90 foot lift", "--side", "right")
    data["easier"] = None  # alone in its file, its regression is not there to point to
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"version": 1, "exercises": [data]}), encoding="utf-8")
    assert hiprot.json("show", "90-90-foot-lift", "--catalog", str(path))["steps"] == data["steps"]


def test_show_names_sources_by_title_and_which_hips(hiprot) -> None:
    out = _flat(hiprot("show", "clamshell").stdout)
    assert "Can Simple Exercises Improve Your Hip Rotation? Korin Kashtan, 12 Nov 2024." in out
    assert "Journal of Orthopaedic & Sports Physical Therapy (JOSPT), Feb 2013" in out
    twisted = _flat(hiprot("show", "twisted legs stretch").stdout)
    assert "Hips concerned - Both hips" in twisted
    bridge = _flat(hiprot("show", "banded bridge").stdout)
    assert "hip replacement by the anterior approach" in bridge


SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def test_no_output_names_a_seed_file(hiprot, bundled) -> None:
    outputs = []
    for fmt in ("table", "markdown", "json"):
        outputs.append(hiprot("list", "--format", fmt).stdout)
        for goal in ("warmup", "strength", "recovery"):
            outputs.append(hiprot("routine", "--goal", goal, "--level", "advanced", "--format", fmt).stdout)
        for n, ex in enumerate(bundled.exercises):
            side = ("--side", "right") if ex.dosage.per_side and n % 3 == 0 else ()  # sides cite the same
            outputs.append(hiprot("show", ex.id, "--format", fmt, *side).stdout)
    for out in outputs:
        assert not SEED_FILE.search(out), SEED_FILE.search(out)
    assert any("How to Perform the Hip Internal Rotation" in out for out in outputs)
