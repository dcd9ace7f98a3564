"""Schema rules from issue 10: version, mapping keys, `harder` loops, names in any script."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiprot.catalogue import Catalogue, load_catalogue
from hiprot.catalogue.schema import parse_catalogue
from hiprot.errors import CatalogueError
from hiprot.models import normalize

from .conftest import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def _load(tmp_path: Path, text: str) -> Catalogue:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue(path)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        _load(tmp_path, text)
    return [p.replace(str(tmp_path) + "/", "") for p in caught.value.problems]


# --- version ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown", [("true", "True"), ("1.0", "1.0"), ("'1'", "'1'"), ("[1]", "[1]"), ("", "None")]
)
def test_version_must_be_the_whole_number_1(tmp_path: Path, value: str, shown: str) -> None:
    text = MINI.replace("version: 1\n", f"version: {value}\n")
    assert _problems(tmp_path, text) == [f"c.yaml:2: 'version' must be 1, found {shown}"]


def test_version_1_loads(tmp_path: Path) -> None:
    assert len(_load(tmp_path, MINI)) == 4


# --- mapping keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, where, kind",
    [
        ("version: 1\n? [a, b]\n: 1\n", "c.yaml:2:3", "a list"),
        ("version: 1\nexercises: []\nx: {[1]: 2}\n", "c.yaml:3:5", "a list"),
        ("version: 1\n? {a: 1}\n: 1\n", "c.yaml:2:3", "a mapping"),
    ],
)
def test_an_unhashable_key_gets_a_message_about_the_key(tmp_path: Path, text: str, where: str, kind: str) -> None:
    [problem] = _problems(tmp_path, text)
    assert problem == f"{where}: a mapping key must be plain text or a number, found {kind}"


def test_refused_tags_still_say_why(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, "version: !!python/name:os.system 1\n")
    assert problem.endswith("(a catalogue holds plain data only; tags that build objects are refused)")


# --- easier and harder chains -------------------------------------------------------------


def test_harder_links_that_loop_are_rejected_like_easier_loops(tmp_path: Path) -> None:
    text = MINI.replace("    easier: lying-drill\n", "    harder: lying-drill\n")
    assert _problems(tmp_path, text) == [
        (
            "c.yaml:4: exercise 'standing-drill': the 'harder' chain loops back on itself "
            "(standing-drill -> lying-drill -> standing-drill)"
        ),
        (
            "c.yaml:29: exercise 'lying-drill': the 'harder' chain loops back on itself "
            "(lying-drill -> standing-drill -> lying-drill)"
        ),
    ]


def test_easier_loops_say_which_chain(tmp_path: Path) -> None:
    text = MINI.replace("    harder: standing-drill\n", "    easier: standing-drill\n")
    problems = _problems(tmp_path, text)
    assert problems[0] == (
        "c.yaml:4: exercise 'standing-drill': the 'easier' chain loops back on itself "
        "(standing-drill -> lying-drill -> standing-drill)"
    )


# --- names in any script ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Ракушка", "Ｃｌａｍ", "Clam Shëll", "貝殻", "٣ درجات"])
def test_names_and_aliases_in_any_script_are_accepted_and_found(tmp_path: Path, name: str) -> None:
    text = MINI.replace("    name: Lying Drill\n", f"    name: {name}\n")
    text = text.replace("    aliases: []\n", f"    aliases: ['{name} 2']\n", 1)
    catalogue = _load(tmp_path, text)
    assert catalogue.find(name).id == "lying-drill"
    assert catalogue.find(name.upper() + " 2").id == "lying-drill"


def test_full_width_and_accented_forms_fold_alike(tmp_path: Path) -> None:
    text = MINI.replace("    name: Lying Drill\n", "    name: Clam Shëll\n")
    text = text.replace("    aliases: []\n", "    aliases: [Ｒａｋｕｓｈｋａ]\n", 1)
    catalogue = _load(tmp_path, text)
    assert catalogue.find("rakushka").id == "lying-drill"
    assert catalogue.find("CLAM-SHËLL").id == "lying-drill"
    assert catalogue.find("Clam She\u0308ll").id == "lying-drill"  # decomposed ë


def test_one_word_of_one_exercise_finds_it(tmp_path: Path) -> None:
    text = MINI.replace("    name: Lying Drill\n", "    name: Clam Shëll\n")
    catalogue = _load(tmp_path, text)
    assert catalogue.find("Shëll").id == "lying-drill"
    assert catalogue.find("shëlls").id == "lying-drill"
    assert catalogue.find("Upright").id == "standing-drill"  # a word of an alias
    assert catalogue.find("loop").id == "loop-band-walk"  # "Loop [band] walk"
    with pytest.raises(Exception, match="No exercise called 'Shell'"):
        catalogue.find("Shell")  # an accent is part of the letter


def test_a_word_shared_by_two_exercises_finds_neither(mini: Catalogue) -> None:
    with pytest.raises(Exception, match="No exercise called 'drill'"):
        mini.find("drill")


def test_a_name_with_no_letters_in_any_script_is_still_an_error(tmp_path: Path) -> None:
    text = MINI.replace("    aliases: []\n", "    aliases: ['—・—']\n", 1)
    assert _problems(tmp_path, text) == ["c.yaml:29: exercise 'lying-drill': alias '—・—' has no letters or digits"]


def test_normalize_keeps_its_ascii_behaviour() -> None:
    assert normalize("90/90 foot lift") == normalize("90-90-foot-lift") == "9090footlift"
    assert normalize("Standing  Drill!") == normalize("standing_drill") == "standingdrill"
    assert normalize("Ｃｌａｍ") == "clam"
    assert normalize("Ракушка") == "ракушка"
    assert normalize("STRASSE") == normalize("Straße")


# --- parse_catalogue never embeds a huge value ---------------------------------------------


def test_a_huge_key_is_cut_short_in_its_message() -> None:
    # A plain key stops at 1,024 characters; an explicit one ("? ") has no limit.
    _, problems, _ = parse_catalogue("version: 1\nexercises: []\n? " + "k" * 100_000 + "\n: 1\n", "x.yaml")
    [problem] = problems
    assert len(problem) < 150 and problem.startswith("x.yaml:3: unknown top-level key 'kkk")


# --- sides, hips and sources (issue 17) ----------------------------------------------------

STANDING_STEP = "      - Lift one knee.\n"  # line 22, under `steps:` on line 20
STANDING_CAUTIONS = "    cautions: [Hold a wall if balance is shaky.]\n"  # line 26


def test_an_unknown_placeholder_names_file_line_and_exercise(tmp_path: Path) -> None:
    text = MINI.replace(STANDING_STEP, "      - Lift your {leg|top} knee.\n", 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith("c.yaml:20: exercise 'standing-drill': steps entry 2 has an unknown placeholder '{leg|top}'")


def test_a_placeholder_without_neutral_words_is_refused(tmp_path: Path) -> None:
    text = MINI.replace("    cues: [Stay tall.]\n", '    cues: ["Keep the {side} knee soft."]\n', 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith("c.yaml:25: exercise 'standing-drill': cues entry 1 placeholder '{side}' needs the words")


def test_side_placeholders_need_a_per_side_exercise(tmp_path: Path) -> None:
    text = MINI.replace("      per_side: true\n", "      per_side: false\n", 1)
    assert _load(tmp_path, text).get("standing-drill").dosage.per_side is False  # no placeholder: fine
    text = text.replace(STANDING_STEP, "      - Lift your {side|top} knee.\n", 1)
    assert _problems(tmp_path, text) == [
        "c.yaml:20: exercise 'standing-drill': steps name a side, but the exercise is not done per side "
        "(dosage.per_side)"
    ]


def test_templates_load_and_render(tmp_path: Path) -> None:
    from hiprot.models import Side
    from hiprot.text import steps_for

    text = MINI.replace(STANDING_STEP, "      - Lift your {side|top} knee over the {other|lower} one.\n", 1)
    ex = _load(tmp_path, text).get("standing-drill")
    assert steps_for(ex, Side.LEFT)[1] == "Lift your left knee over the right one."
    assert steps_for(ex, None)[1] == "Lift your top knee over the lower one."


def test_a_hip_precaution_requires_hips(tmp_path: Path) -> None:
    text = MINI.replace(STANDING_CAUTIONS, STANDING_CAUTIONS + "    precautions: [hip-replacement-anterior]\n", 1)
    assert _problems(tmp_path, text) == [
        "c.yaml:27: exercise 'standing-drill': 'hips' is required with hip-replacement-anterior: say whether it "
        "concerns the 'working' hip only or 'both' hips"
    ]
    for scope in ("working", "both"):
        ok = text.replace(STANDING_CAUTIONS, STANDING_CAUTIONS + f"    hips: {scope}\n", 1)
        assert _load(tmp_path, ok).get("standing-drill").hips.value == scope


def test_hips_is_refused_without_a_hip_precaution_or_with_a_bad_value(tmp_path: Path) -> None:
    text = MINI.replace(STANDING_CAUTIONS, STANDING_CAUTIONS + "    precautions: [knee-pain]\n    hips: both\n", 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith("c.yaml:28: exercise 'standing-drill': 'hips' only goes with a hip precaution")
    bad = MINI.replace(STANDING_CAUTIONS, STANDING_CAUTIONS + "    precautions: [hip-impingement]\n    hips: left\n", 1)
    assert _problems(tmp_path, bad) == [
        "c.yaml:28: exercise 'standing-drill': hips 'left' is not one of: working, both"
    ]


def test_working_hip_only_needs_a_per_side_exercise(tmp_path: Path) -> None:
    text = MINI.replace("      per_side: true\n", "      per_side: false\n", 1)
    text = text.replace(STANDING_CAUTIONS, STANDING_CAUTIONS + "    precautions: [hip-replacement]\n    hips: working\n", 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith("c.yaml:28: exercise 'standing-drill': 'hips: working' needs a per-side exercise")


@pytest.mark.parametrize(
    "cited, words",
    [
        ("hip-ir-how-too", "source 'hip-ir-how-too' is not a source id (did you mean 'hip-ir-how-to'?)"),
        ("no-such-article", "source 'no-such-article' is not a source id (sources are listed"),
    ],
)
def test_an_unknown_source_id_names_file_line_and_exercise(tmp_path: Path, cited: str, words: str) -> None:
    text = MINI.replace("    sources: [hip-ir-how-to]\n", f"    sources: [{cited}]\n", 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith(f"c.yaml:4: exercise 'standing-drill': {words}")


def test_a_seed_file_name_is_not_a_source_id(tmp_path: Path) -> None:
    text = MINI.replace("    sources: [hip-ir-how-to]\n", "    sources: [000_217aa4b12e89ebaf.txt]\n", 1)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith("c.yaml:28: exercise 'standing-drill': sources '000_217aa4b12e89ebaf.txt' must be kebab-case")


OWN_SOURCES = """sources:
  - id: my-physio-notes
    title: Notes from my physiotherapist
    author: A. Physio
    date: 2026-10-01
    cites: [hip-ir-how-to]
  - id: hip-ir-how-to
    title: My own copy of the how-to
"""


def test_a_catalogue_may_carry_its_own_sources_and_cite_the_bundled_ones(tmp_path: Path) -> None:
    text = MINI.replace("exercises:\n", OWN_SOURCES + "exercises:\n", 1)
    text = text.replace("    sources: [hip-ir-how-to]\n", "    sources: [my-physio-notes, hip-ir-six-exercises]\n", 1)
    catalogue = _load(tmp_path, text)
    notes = catalogue.sources["my-physio-notes"]
    assert (notes.title, notes.author, notes.date, notes.cites) == (
        "Notes from my physiotherapist", "A. Physio", "2026-10-01", ("hip-ir-how-to",)
    )
    assert catalogue.sources["hip-ir-how-to"].title == "My own copy of the how-to"  # its own entry wins
    assert catalogue.sources["hip-ir-six-exercises"].title.startswith("Hip Internal Rotation")  # bundled
    assert _load(tmp_path, text).sources == catalogue.sources  # and again from the cache


def test_a_folder_may_keep_its_sources_in_a_file_of_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "exercises.yaml").write_text(
        MINI.replace("    sources: [hip-ir-how-to]\n", "    sources: [my-physio-notes]\n"), encoding="utf-8"
    )
    (folder / "sources.yaml").write_text("version: 1\n" + OWN_SOURCES, encoding="utf-8")
    assert load_catalogue(folder).get("lying-drill").sources == ("my-physio-notes",)


@pytest.mark.parametrize(
    "entry, problem",
    [
        ("  - id: x\n    title: T\n    url: http://x\n", "c.yaml:6: source 'x': unknown key 'url'"),
        ("  - id: x\n    title: T\n    date: Nov 2024\n",
         "c.yaml:6: source 'x': date must be a date as YYYY, YYYY-MM or YYYY-MM-DD, found 'Nov 2024'"),
        ("  - id: x\n", "c.yaml:4: source 'x': missing required key 'title'"),
        ("  - id: x\n    title: T\n    cites: [ace]\n", "c.yaml:4: source 'x': cites 'ace', which is not a source id"),
        ("  - id: x\n    title: T\n  - id: x\n    title: U\n", "c.yaml:6: source 'x': id already used at c.yaml:4"),
    ],
)
def test_sources_are_validated_strictly(tmp_path: Path, entry: str, problem: str) -> None:
    text = MINI.replace("exercises:\n", "sources:\n" + entry + "exercises:\n", 1)
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_file_with_neither_exercises_nor_sources_is_refused(tmp_path: Path) -> None:
    assert _problems(tmp_path, "version: 1\n") == ["c.yaml:1: 'exercises' must be a list"]
