"""Loading, validation and lookup, tested directly against the core."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from hiprot.catalogue import Catalogue, cache, load_catalogue
from hiprot.errors import CatalogueError, NotFoundError
from hiprot.models import (
    Equipment,
    Filters,
    Goal,
    Level,
    Muscle,
    Position,
    Range,
    resolve_muscle,
)

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"

# Each broken fixture and the exact problem lines it must produce.
EXPECTED = {
    "unknown_key": ["unknown_key.yaml:24: exercise 'clamshell': unknown key 'repz'"],
    "bad_vocabulary": [
        (
            "bad_vocabulary.yaml:8: exercise 'clamshell': position 'sitting' is not one of: "
            "standing, seated, lying, side-lying, quadruped, squat, kneeling"
        )
    ],
    "duplicate_id": ["duplicate_id.yaml:27: exercise 'clamshell': duplicate id 'clamshell'"],
    "duplicate_alias": [
        (
            "duplicate_alias.yaml:27: exercise 'fire-hydrant': name or alias 'Clam-Shell' "
            "is already used by exercise 'clamshell'"
        )
    ],
    "dangling_easier": [
        (
            "dangling_easier.yaml:3: exercise 'clamshell': easier 'lying-clamshell' is not an "
            "exercise id (did you mean 'clamshell'?)"
        )
    ],
    "missing_field": ["missing_field.yaml:3: exercise 'clamshell': missing required key 'steps'"],
    "absurd_hold": [
        (
            "absurd_hold.yaml:17: exercise 'clamshell': dosage.hold_s [1800, 3600] is outside "
            "1-600 seconds (10 minutes); holds are in seconds"
        )
    ],
    "reps_and_hold": [
        "reps_and_hold.yaml:15: exercise 'clamshell': dosage needs exactly one of 'reps' and 'hold_s'"
    ],
    "wrong_version": ["wrong_version.yaml:1: 'version' must be 1, found 2"],
    "many_problems": [
        (
            "many_problems.yaml:6: exercise 'clamshell': kind 'strenght' is not one of: "
            "mobility, stretch, strength, release"
        ),
        (
            "many_problems.yaml:9: exercise 'clamshell': level 'expert' is not one of: "
            "beginner, intermediate, advanced"
        ),
        (
            "many_problems.yaml:36: exercise 'fire-hydrant': muscles.primary 'glute med' is not "
            "a muscle id (write 'gluteus-medius')"
        ),
    ],
}


def _problems(name: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(BROKEN / f"{name}.yaml")
    return [p.replace(str(BROKEN) + "/", "") for p in caught.value.problems]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_catalogue_gives_its_precise_message(name: str) -> None:
    assert _problems(name) == EXPECTED[name]


def test_every_broken_fixture_has_an_expectation() -> None:
    names = {p.stem for p in BROKEN.glob("*.yaml")}
    assert names == set(EXPECTED) | {"syntax_error", "python_object"}


def test_yaml_syntax_error_gives_file_line_and_column() -> None:
    [problem] = _problems("syntax_error")
    assert problem.startswith("syntax_error.yaml:6:9: did not find expected ',' or ']'")
    assert "line 5" in problem


def test_yaml_that_builds_python_objects_is_refused_and_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [problem] = _problems("python_object")
    assert problem.startswith("python_object.yaml:4:11:")
    assert "python/object/apply:os.system" in problem
    assert not (tmp_path / "hiprot-pwned").exists()


def test_missing_file_says_what_to_check(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="no such catalogue file"):
        load_catalogue(tmp_path / "nope.yaml")


def test_a_folder_loads_every_yaml_file_and_checks_across_them(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "a.yaml")
    assert len(load_catalogue(tmp_path)) == 4
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "b.yaml")
    with pytest.raises(CatalogueError, match="duplicate id 'standing-drill'"):
        load_catalogue(tmp_path)


def test_easier_chain_that_loops_is_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    text = text.replace("    harder: standing-drill\n", "    easier: standing-drill\n")
    (tmp_path / "loop.yaml").write_text(text)
    with pytest.raises(CatalogueError, match="'easier' chain loops"):
        load_catalogue(tmp_path / "loop.yaml")


def test_non_mapping_document_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text("- just\n- a list\n")
    with pytest.raises(CatalogueError, match="a catalogue is a mapping"):
        load_catalogue(tmp_path / "list.yaml")


def test_lookup_ignores_case_spaces_hyphens_punctuation_and_plural(mini: Catalogue) -> None:
    for query in ("standing-drill", "Standing Drill", "STANDING drill", "upright-drill!", "side steps"):
        assert mini.find(query).id in {"standing-drill", "loop-band-walk"}
    assert mini.find("Loop band walks").id == "loop-band-walk"


def test_miss_suggests_the_closest_names(mini: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        mini.find("standng dril")
    assert caught.value.suggestions[0] == "standing-drill"
    assert "Did you mean: standing-drill" in str(caught.value)


def test_miss_with_nothing_close_names_no_command(mini: Catalogue) -> None:
    # The core carries the data; cli/words.py adds "Run 'hiprot list'" (test_cli_browse).
    with pytest.raises(NotFoundError) as caught:
        mini.find("zzzzqqq")
    assert caught.value.suggestions == []
    assert "hiprot" not in str(caught.value)


def test_filters_combine(mini: Catalogue) -> None:
    def ids(**kw: Any) -> list[str]:
        return [e.id for e in mini.select(Filters(**kw))]

    assert ids(level=Level.BEGINNER) == ["lying-drill", "loop-band-walk", "outer-hip-stretch"]
    assert ids(equipment=frozenset()) == ["standing-drill", "lying-drill", "outer-hip-stretch"]
    assert ids(equipment=frozenset({Equipment.LOOP_BAND}), positions=frozenset({Position.STANDING})) == [
        "standing-drill",
        "loop-band-walk",
    ]
    assert ids(goal=Goal.RECOVERY) == ["lying-drill", "outer-hip-stretch"]
    assert ids(muscles=frozenset({Muscle.GEMELLI})) == ["outer-hip-stretch"]


@pytest.mark.parametrize(
    "text, muscle",
    [("glute med", "gluteus-medius"), ("Gluteus Medius", "gluteus-medius"), ("TFL", "tensor-fasciae-latae")],
)
def test_muscle_aliases_resolve(text: str, muscle: str) -> None:
    assert resolve_muscle(text) is Muscle(muscle)


def test_range_picks_by_level() -> None:
    r = Range(8, 10)
    assert [r.at(level) for level in Level] == [8, 9, 10]
    assert Range(20, 20).to_data() == 20 and r.to_data() == [8, 10]


def test_a_key_given_twice_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = (BROKEN.parent / "mini.yaml").read_text().replace("    kind: mobility\n", "    kind: mobility\n    kind: stretch\n", 1)
    (tmp_path / "twice.yaml").write_text(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "twice.yaml")
    assert caught.value.problems == [f"{tmp_path / 'twice.yaml'}:8: exercise 'standing-drill': key 'kind' appears twice"]


# --- finding and reading catalogue files (issue 10) ------------------------------------


def _one_line_error(path: Path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert "\n" not in message and "--" not in message, message
    return message


def test_upper_case_extensions_in_a_folder_are_read(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    (tmp_path / "EXTRA.YAML").write_text(text)
    assert len(load_catalogue(tmp_path)) == 4
    (tmp_path / "more.Yml").write_text(text)
    with pytest.raises(CatalogueError, match="duplicate id 'standing-drill'"):
        load_catalogue(tmp_path)


def test_a_symlink_loop_says_it_is_a_link_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert _one_line_error(tmp_path / "a.yaml") == (
        f"{tmp_path / 'a.yaml'}: a loop of symbolic links (they point at each other), not a catalogue file."
    )


def test_a_dangling_symlink_says_so(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").symlink_to(tmp_path / "gone.yaml")
    assert _one_line_error(tmp_path / "c.yaml") == (
        f"{tmp_path / 'c.yaml'}: a symbolic link to a file that does not exist."
    )


def test_a_missing_file_names_no_flag(tmp_path: Path) -> None:
    assert _one_line_error(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such catalogue file."


def test_a_file_name_too_long_is_one_line_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / ("c" * 300 + ".yaml")
    assert _one_line_error(path) == f"{path}: cannot read the catalogue: File name too long."


def test_an_unreadable_folder_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "dir"
    locked.mkdir()
    shutil.copy(FIXTURES / "mini.yaml", locked / "one.yaml")
    locked.chmod(0o000)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read anything (root); see the test below")
        assert _one_line_error(locked / "one.yaml") == (
            f"{locked / 'one.yaml'}: cannot read the catalogue: Permission denied."
        )
        assert _one_line_error(locked) == f"{locked}: cannot read the catalogue: Permission denied."
    finally:
        locked.chmod(0o700)


def test_a_path_through_a_file_is_one_line_even_as_root(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _one_line_error(blocker / "one.yaml") == (
        f"{blocker / 'one.yaml'}: cannot read the catalogue: Not a directory."
    )


def test_an_os_error_while_stamping_the_cache_is_a_catalogue_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "one.yaml")

    def failing_stamp(files: list[Path], own: object = None) -> None:
        raise PermissionError(13, "Permission denied", str(files[0]))

    monkeypatch.setattr(cache, "stamp", failing_stamp)
    assert _one_line_error(tmp_path / "one.yaml") == (
        f"{tmp_path / 'one.yaml'}: cannot read the catalogue: Permission denied."
    )


def test_a_named_pipe_is_read_and_never_cached(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    text = (FIXTURES / "mini.yaml").read_text()

    def feed(body: str) -> threading.Thread:
        thread = threading.Thread(target=fifo.write_text, args=(body,), daemon=True)
        thread.start()
        return thread

    writer = feed(text)
    assert len(load_catalogue(fifo)) == 4
    writer.join(5)
    # Same path, size 0 and maybe the same time stamp: a cache would answer 4 again.
    cut = text[: text.index("  - id: loop-band-walk")]
    writer = feed(cut)
    assert len(load_catalogue(fifo)) == 2
    writer.join(5)
