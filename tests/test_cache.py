"""The parsed-catalogue cache: used when unchanged, rebuilt when not, never for a bad file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hiprot import catalogue
from hiprot.catalogue import cache_dir, load_catalogue
from hiprot.errors import CatalogueError

from .conftest import FIXTURES


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    path = tmp_path / "cat.yaml"
    shutil.copy(FIXTURES / "mini.yaml", path)
    return path


def _cache_files() -> list[Path]:
    return sorted(cache_dir().glob("catalogue-*.marshal")) if cache_dir().exists() else []


def test_second_load_comes_from_the_cache_and_is_equal(mini_copy, monkeypatch) -> None:
    first = load_catalogue(mini_copy)
    assert len(_cache_files()) == 1
    monkeypatch.setattr(catalogue, "_parse_files", lambda files, source: pytest.fail("parsed again"))
    second = load_catalogue(mini_copy)
    assert second.exercises == first.exercises


def test_bundled_catalogue_round_trips_through_the_cache(bundled) -> None:
    fresh = load_catalogue()  # writes the cache in this test's own cache folder
    again = load_catalogue()
    assert again.exercises == fresh.exercises == bundled.exercises


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
