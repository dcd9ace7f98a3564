"""The person's own exercises (issue 26): a catalogue folder on top of the bundled one,
`hiprot catalogue validate` and `hiprot catalogue schema`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hiprot.catalogue import load_catalogue
from hiprot.models import Precaution

SCHEMA = Path(__file__).parents[1] / "docs" / "schemas" / "catalogue.json"

TOWEL = """version: 1
exercises:
  - id: towel-hip-roll
    name: Towel Hip Roll
    kind: mobility
    goals: [warmup, recovery]
    position: lying
    level: beginner
    equipment: []
    muscles: {primary: [gluteus-medius]}
    dosage: {sets: [1, 2], reps: [8, 12], per_side: true}
    steps:
      - Lie on your back with a rolled towel under your knees.
      - "Let the {side|working} knee roll in gently."
      - Pause for a breath.
      - "Roll it back to the middle{switch|, then do the other side}."
    hips: working
"""

BOTH = TOWEL.replace("towel-hip-roll", "knee-drop").replace("Towel Hip Roll", "Knee Drop").replace(
    "hips: working", "hips: both"
)


def own_folder() -> Path:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "hiprot" / "catalogue"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


LEFT_POSTERIOR = ("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")


def test_an_own_exercise_is_listed_shown_and_planned(hiprot) -> None:
    (own_folder() / "mine.yaml").write_text(TOWEL)
    assert "towel-hip-roll" in {e["id"] for e in hiprot.json("list")}
    shown = hiprot("show", "towel hip roll").stdout
    assert "Your own exercise" in shown and "then do the other side" in shown
    data = hiprot.json("routine", "--goal", "warmup", "--minutes", "15")
    assert "towel-hip-roll" in {i["id"] for i in data["items"]}
    markdown = hiprot("routine", "--goal", "warmup", "--minutes", "15", "--format", "markdown").stdout
    assert "Your own exercise" in markdown
    # --catalog replaces the bundled catalogue and the folder with it.
    mini = Path(__file__).parent / "fixtures" / "mini.yaml"
    assert "towel-hip-roll" not in {e["id"] for e in hiprot.json("list", "--catalog", str(mini))}


def test_an_untagged_own_exercise_keeps_away_from_a_protected_hip_and_says_why(hiprot) -> None:
    (own_folder() / "mine.yaml").write_text(TOWEL + BOTH.split("exercises:\n", 1)[1])
    towel = load_catalogue().get("towel-hip-roll")
    assert {Precaution.HIP_REPLACEMENT, Precaution.HIP_IMPINGEMENT} <= set(towel.precautions)
    hiprot(*LEFT_POSTERIOR)
    data = hiprot.json("routine", "--goal", "warmup", "--minutes", "15")
    items = {i["id"]: i for i in data["items"]}
    assert items["towel-hip-roll"]["sides"] == ["right"]  # the other side only
    assert any("no hip precaution tags" in c for c in items["towel-hip-roll"]["cautions"])
    protected = [n for n in data["profile"]["notes"] if n.startswith("The left hip is protected")]
    assert "Towel Hip Roll" in protected[0] and "your right side only" in protected[0]
    assert "knee-drop" not in items  # both hips in position: left out
    assert "knee-drop" not in {e["id"] for e in hiprot.json("list")}


def test_replacing_a_bundled_exercise_is_allowed_and_said(hiprot) -> None:
    mine = TOWEL.replace("towel-hip-roll", "clamshell").replace("Towel Hip Roll", "My Clamshell")
    (own_folder() / "clam.yaml").write_text(mine)
    shown = hiprot("show", "clamshell")
    assert "My Clamshell" in shown.stdout and "in place of the bundled clamshell" in shown.stderr
    assert "clam.yaml:3" in shown.stderr
    assert "replaces the bundled clamshell" in hiprot("list").stderr
    wide = hiprot("show", "clamshell", env={"COLUMNS": "120"})  # a figure drawn for another drill is not shown
    assert "No figure for this exercise." in wide.stdout


def test_the_cache_notices_the_persons_files_changing() -> None:
    folder = own_folder()
    path = folder / "mine.yaml"
    path.write_text(TOWEL)
    assert load_catalogue().get("towel-hip-roll").name == "Towel Hip Roll"
    assert load_catalogue().get("towel-hip-roll").name == "Towel Hip Roll"  # from the cache
    path.write_text(TOWEL.replace("Towel Hip Roll", "Towel Roll"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_catalogue().get("towel-hip-roll").name == "Towel Roll"
    (folder / "more.yaml").write_text(BOTH)
    assert "knee-drop" in load_catalogue().by_id
    (folder / "more.yaml").unlink()
    assert "knee-drop" not in load_catalogue().by_id


def test_an_own_exercise_without_a_figure_shows_no_figure(hiprot) -> None:
    (own_folder() / "mine.yaml").write_text(TOWEL)
    wide = hiprot("show", "towel-hip-roll", env={"COLUMNS": "120"})
    assert "No figure for this exercise." in wide.stdout
    assert "No figure for this exercise." in hiprot("show", "towel-hip-roll", "--format", "html").stdout


FIVE_MISTAKES = """version: 1
exercises:
  - id: one
    name: One
    kind: mobility
    goals: [warmup]
    position: lying
    level: expert
    equipment: []
    muscles: {primary: [gluteus-medius]}
    dosage: {sets: 1, reps: 8, per_side: true}
    steps: [a, b, c, d]
    hips: working
    repz: 3
  - id: two
    name: Two
    kind: mobility
    goals: [warmup]
    position: lying
    level: beginner
    equipment: [rope]
    muscles: {primary: [gluteus-medius]}
    dosage: {sets: 1, hold_s: 3600, per_side: true}
    steps: [a, b, c, d]
    hips: working
  - id: three
    name: Three
    kind: mobility
    goals: [warmup]
    position: lying
    level: beginner
    equipment: []
    muscles: {primary: [gluteus-medius]}
    dosage: {sets: 1, reps: 8, per_side: true}
    steps: [a, b, c, d]
    cautions: [{text: Careful., when: bad-knees}]
"""


def test_validate_lists_every_problem_with_file_line_and_exercise(hiprot, tmp_path: Path) -> None:
    path = tmp_path / "five.yaml"
    path.write_text(FIVE_MISTAKES)
    result = hiprot("catalogue", "validate", str(path), code=1)
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    expected = [
        (8, "one", "level 'expert' is not one of"),
        (14, "one", "unknown key 'repz'"),
        (21, "two", "'rope' is not one of"),
        (23, "two", "hold_s 3600 is outside"),
        (26, "three", "missing required key 'hips'"),
    ]
    assert len(problems) == 6  # the five, and the caution's unknown tag
    for line, exercise, words in expected:
        assert any(p.startswith(f"{path}:{line}: exercise '{exercise}': ") and words in p for p in problems), words
    assert any("when 'bad-knees' is not a precaution or need" in p for p in problems)
    assert "6 problems in" in result.stderr and result.stdout == ""


def test_validate_a_good_file_and_the_own_folder(hiprot, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(TOWEL)
    assert "1 exercise in 1 file, all valid" in hiprot("catalogue", "validate", str(path)).stdout
    assert "no catalogue folder yet" in hiprot("catalogue", "validate").stdout
    (own_folder() / "clam.yaml").write_text(TOWEL.replace("towel-hip-roll", "clamshell").replace(
        "Towel Hip Roll", "My Clamshell"))  # fmt: skip
    assert "replaces the bundled clamshell" in hiprot("catalogue", "validate").stdout
    (own_folder() / "broken.yaml").write_text("version: 1\nexercises: [\n")
    broken = hiprot("catalogue", "validate", code=1)
    assert "broken.yaml:" in broken.stderr
    missing = hiprot("catalogue", "validate", str(tmp_path / "nope.yaml"), code=1)
    assert "nope.yaml" in missing.stderr


def test_the_schema_is_committed_and_the_bundled_catalogue_meets_it(hiprot) -> None:
    import jsonschema
    import yaml

    from hiprot.catalogue import bundled_path

    printed = hiprot("catalogue", "schema").stdout
    assert printed == SCHEMA.read_text(encoding="utf-8")  # regenerate: hiprot catalogue schema > docs/schemas/...
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bundled = yaml.safe_load((bundled_path() / "exercises.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(bundled)) == []
    assert list(validator.iter_errors(yaml.safe_load(TOWEL))) == []
    shown = hiprot.json("show", "fire-hydrant")  # show --format json is a catalogue entry
    assert list(validator.iter_errors({"version": 1, "exercises": [shown]})) == []
    wrong = yaml.safe_load(FIVE_MISTAKES)
    assert list(validator.iter_errors(wrong))


@pytest.mark.parametrize("args", [("catalogue", "schema", "x.json"), ("catalogue", "check")])
def test_catalogue_usage_errors(hiprot, args) -> None:
    assert hiprot(*args, code=2).stderr


def test_a_bundled_drawing_is_never_put_on_a_different_drill_of_yours(hiprot) -> None:
    mine = TOWEL.replace("towel-hip-roll", "clamshell").replace("Towel Hip Roll", "My Clamshell")
    (own_folder() / "clam.yaml").write_text(mine)
    assert "No figure for this exercise." in hiprot("show", "clamshell", "--format", "html").stdout
    html = hiprot("routine", "--goal", "warmup", "--minutes", "15", "--format", "html").stdout
    card = html.split("My clamshell</h2>")[1].split("</section>")[0]
    assert "<svg" not in card and "No figure for this exercise." in card  # lying, not side-lying: not drawn
