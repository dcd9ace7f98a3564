"""The parsed-catalogue cache: used when unchanged, rebuilt when not, never for a bad file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hiprot.catalogue import load_catalogue, schema
from hiprot.errors import CatalogueError
from hiprot.models import HipScope
from hiprot.paths import cache_dir

from .conftest import FIXTURES


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    path = tmp_path / "cat.yaml"
    shutil.copy(FIXTURES / "mini.yaml", path)
    return path


def _cache_files() -> list[Path]:
    return sorted(cache_dir().glob("catalogue-*.marshal")) if cache_dir().exists() else []


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Records every real YAML parse, so a test can tell a cache hit from a fresh parse."""
    calls: list[str] = []
    real = schema.parse_files

    def counting(files, source, **kwargs):
        calls.append(source)
        return real(files, source, **kwargs)

    monkeypatch.setattr(schema, "parse_files", counting)
    return calls


def test_second_load_comes_from_the_cache_and_is_equal(mini_copy, parses) -> None:
    first = load_catalogue(mini_copy)
    assert len(_cache_files()) == 1
    second = load_catalogue(mini_copy)
    assert second.exercises == first.exercises
    assert parses == [str(mini_copy)]  # one parse, then a real hit


def test_bundled_catalogue_round_trips_through_the_cache(bundled, parses) -> None:
    fresh = load_catalogue()  # writes the cache in this test's own cache folder
    again = load_catalogue()
    assert again.exercises == fresh.exercises == bundled.exercises
    assert len(parses) == 1  # every bundled row decodes: no kind of exercise falls back
    assert dict(again.sources) == dict(fresh.sources) and len(again.sources) >= 10
    assert {ex.hips for ex in again.exercises} == {None, *HipScope}  # hips survive the cache


def test_a_catalogue_elsewhere_is_read_again_when_the_bundled_sources_change(mini_copy, parses, monkeypatch) -> None:
    """A --catalog file may cite the bundled sources, so they are part of its cache stamp."""
    import hiprot.catalogue as catalogue_module

    load_catalogue(mini_copy)
    other = mini_copy.parent / "sources.yaml"
    bundled_text = catalogue_module.bundled_sources_file().read_text(encoding="utf-8")
    changed = bundled_text.replace("title: How to Perform the Hip Internal Rotation", "title: Changed")
    assert changed != bundled_text
    other.write_text(changed, encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "bundled_sources_file", lambda: other)
    assert load_catalogue(mini_copy).sources["hip-ir-how-to"].title == "Changed"
    assert len(parses) == 2


def test_a_row_that_fails_to_decode_is_a_miss(mini_copy, parses, monkeypatch) -> None:
    load_catalogue(mini_copy)
    [path] = _cache_files()
    import marshal

    key, rows, sources, overrides = marshal.loads(path.read_bytes())
    bad = list(rows[0])
    bad[schema.EXERCISE_FIELDS.index("kind")] = "no-such-kind"
    path.write_bytes(marshal.dumps((key, [tuple(bad), *rows[1:]], sources, overrides)))
    assert len(load_catalogue(mini_copy)) == 4
    assert len(parses) == 2


def test_a_row_outside_the_schema_ranges_is_a_miss(mini_copy, parses) -> None:
    """A hand-edited cache with a valid stamp never prints '0 x -5 / side'."""
    load_catalogue(mini_copy)
    [path] = _cache_files()
    import marshal

    key, rows, sources, overrides = marshal.loads(path.read_bytes())
    at = schema.EXERCISE_FIELDS.index("dosage")
    edited = []
    for row in rows:
        row = list(row)
        row[at] = (("sets", (0, 0)), *row[at][1:])
        edited.append(tuple(row))
    path.write_bytes(marshal.dumps((key, edited, sources, overrides)))
    fresh = load_catalogue(mini_copy)
    assert all(ex.dosage.sets.low >= 1 for ex in fresh.exercises)
    assert len(parses) == 2


def test_a_changed_file_is_read_again(mini_copy) -> None:
    load_catalogue(mini_copy)
    text = mini_copy.read_text().replace("name: Lying Drill", "name: Floor Drill")
    mini_copy.write_text(text)
    os.utime(mini_copy, ns=(1, 1))  # even with an old timestamp, size or mtime differ
    assert load_catalogue(mini_copy).get("lying-drill").name == "Floor Drill"
    assert len(_cache_files()) == 1  # replaced, not piled up


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", b"\xe9\x00\x00\x00\x00"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(mini_copy, garbage: bytes) -> None:
    load_catalogue(mini_copy)
    [cache] = _cache_files()
    cache.write_bytes(garbage)
    assert len(load_catalogue(mini_copy)) == 4
    assert cache.read_bytes() != garbage


def test_a_bad_catalogue_is_never_cached_and_still_fails(mini_copy) -> None:
    load_catalogue(mini_copy)
    mini_copy.write_text(mini_copy.read_text().replace("kind: stretch", "kind: strech"))
    for _ in range(2):
        with pytest.raises(CatalogueError, match="strech"):
            load_catalogue(mini_copy)


def test_an_unwritable_cache_folder_only_costs_speed(mini_copy, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(load_catalogue(mini_copy)) == 4
