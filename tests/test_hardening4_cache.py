"""Issue 25 row 8: a catalogue cache that fails to decode, or decodes to something the
catalogue check refuses, is a miss; reading one takes bounded memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hiprot.catalogue import cache, load_catalogue, schema
from hiprot.paths import cache_dir
from tests.conftest import FIXTURES


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    path = tmp_path / "cat.yaml"
    shutil.copy(FIXTURES / "mini.yaml", path)
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = schema.parse_files

    def counting(files, source, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(source)
        return real(files, source, **kwargs)

    monkeypatch.setattr(schema, "parse_files", counting)
    return calls


def _cache() -> Path:
    [path] = sorted(cache_dir().glob("catalogue-*.marshal"))
    return path


def test_row8_a_flipped_byte_is_a_miss(mini_copy: Path, parses: list[str]) -> None:
    first = load_catalogue(mini_copy)
    path = _cache()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert load_catalogue(mini_copy).exercises == first.exercises
    assert len(parses) == 2


def test_row8_an_easier_id_edited_into_nothing_is_a_miss(mini_copy: Path, parses: list[str]) -> None:
    """Even with a valid checksum (written by someone who knows the format), a link to an
    exercise that is not there is refused, as the catalogue check refuses it."""
    first = load_catalogue(mini_copy)
    path = _cache()
    key, rows, sources, overrides = cache.unpack(path.read_bytes())
    at = schema.EXERCISE_FIELDS.index("easier")
    linked = next(i for i, row in enumerate(rows) if row[at] is not None)
    row = list(rows[linked])
    row[at] = row[at][:-1] + chr(ord(row[at][-1]) ^ 1)
    rows[linked] = tuple(row)
    path.write_bytes(cache.pack((key, rows, sources, overrides)))
    again = load_catalogue(mini_copy)
    assert again.exercises == first.exercises
    assert len(parses) == 2


def test_row8_a_loop_or_a_duplicate_id_is_a_miss(mini_copy: Path, parses: list[str]) -> None:
    load_catalogue(mini_copy)
    path = _cache()
    key, rows, sources, overrides = cache.unpack(path.read_bytes())
    ident = schema.EXERCISE_FIELDS.index("id")
    path.write_bytes(cache.pack((key, [*rows, rows[0]], sources, overrides)))
    load_catalogue(mini_copy)
    key, rows, sources, overrides = cache.unpack(_cache().read_bytes())
    at = schema.EXERCISE_FIELDS.index("harder")
    looped = [list(row) for row in rows]
    looped[0][at], looped[1][at] = looped[1][ident], looped[0][ident]
    _cache().write_bytes(cache.pack((key, [tuple(r) for r in looped], sources, overrides)))
    load_catalogue(mini_copy)
    assert len(parses) == 3


@pytest.mark.parametrize("garbage", [b"(" * 100_000, cache.MAGIC + b"\x00\x00\x00\x00" + b"(" * 100_000])
def test_row8_nested_garbage_is_a_miss_without_decoding(
    mini_copy: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    load_catalogue(mini_copy)
    _cache().write_bytes(garbage)

    def never(data: bytes) -> object:
        raise AssertionError("marshal.loads was given bytes hiprot did not write")

    monkeypatch.setattr(cache.marshal, "loads", never)
    assert len(load_catalogue(mini_copy)) == 4
    assert len(parses) == 2
