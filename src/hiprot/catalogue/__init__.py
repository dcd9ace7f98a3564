"""The exercise catalogue: find its files, load them (through the cache), look exercises up.

`schema.py` turns YAML into validated exercises; `cache.py` keeps them between runs.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from hiprot.catalogue import cache
from hiprot.errors import CatalogueError, NotFoundError
from hiprot.models import Exercise, Filters, normalize

YAML_SUFFIXES = (".yaml", ".yml")


def bundled_path() -> Path:
    """The catalogue shipped with hiprot: inside the wheel, else the source checkout."""
    packaged = Path(__file__).parent.parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


def catalogue_files(path: Path) -> list[Path]:
    """The YAML files a catalogue path stands for (a file, or a folder's *.yaml)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
        if not files:
            raise CatalogueError([f"{path}: no .yaml catalogue files in this folder."])
        return files
    if not path.exists():
        raise CatalogueError([f"{path}: no such catalogue file."])
    return [path]


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue file or folder; None means the bundled one.

    A catalogue that passed validation is cached, so an unchanged file is not parsed again.
    """
    root = Path(path) if path is not None else bundled_path()
    files = catalogue_files(root)
    key = cache.stamp(files)
    collecting = gc.isenabled()
    # Loading makes many objects and frees almost none, so the cyclic collector would only
    # rescan them again and again (most of a large catalogue's load time). Pause it.
    gc.disable()
    try:
        cached = cache.read(key)
        if cached is not None:
            return Catalogue(cached, str(root))
        from hiprot.catalogue.schema import parse_files

        exercises = parse_files(files, str(root))
        cache.write(key, exercises)
        return Catalogue(exercises, str(root))
    finally:
        if collecting:
            gc.enable()


class Catalogue:
    """A validated set of exercises, in file order, with lookup by id, name or alias."""

    def __init__(self, exercises: Iterable[Exercise], source: str = "") -> None:
        self.exercises = tuple(exercises)
        self.source = source
        self.by_id = {ex.id: ex for ex in self.exercises}

    @cached_property
    def _index(self) -> dict[str, str]:
        """Every folded id, name and alias -> id; built on first lookup only."""
        index: dict[str, str] = {}
        for ex in self.exercises:
            for label in (ex.id, ex.name, *ex.aliases):
                index.setdefault(normalize(label), ex.id)
        return index

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        return self.by_id[exercise_id]

    def find(self, query: str) -> Exercise:
        """The exercise whose id, name or alias matches, ignoring case and punctuation."""
        key = normalize(query)
        for candidate in (key, key[:-1] if key.endswith("s") else key + "s"):
            if candidate in self._index:
                return self.by_id[self._index[candidate]]
        raise NotFoundError(query, self.suggest(query))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Ids of the exercises whose names come closest to a mistyped query."""
        key = normalize(query)
        if not key:
            return []
        close = difflib.get_close_matches(key, self._index, n=limit * 3, cutoff=0.6)
        if len(key) >= 4:
            close += [k for k in self._index if key in k]
        ids: list[str] = []
        for match in close:
            ex_id = self._index[match]
            if ex_id not in ids:
                ids.append(ex_id)
        return ids[:limit]

    def select(self, filters: Filters) -> list[Exercise]:
        return [ex for ex in self.exercises if filters.admits(ex)]
