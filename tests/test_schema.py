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
