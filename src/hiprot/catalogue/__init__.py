"""The exercise catalogue: find its files, load them (through the cache), look exercises up.

`schema.py` turns YAML into validated exercises; `cache.py` keeps them between runs.
"""

from __future__ import annotations

import difflib
import errno
import gc
import os
import re
import stat
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path

from hiprot.catalogue import cache
from hiprot.errors import CatalogueError, NotFoundError
from hiprot.models import Exercise, Filters, Source, normalize

YAML_SUFFIXES = (".yaml", ".yml")  # in any case: EXTRA.YAML and x.Yml count too
_WORD_BREAKS = re.compile(r"[\W_]+")  # spaces, hyphens, punctuation in any script


def bundled_path() -> Path:
    """The catalogue shipped with hiprot: inside the wheel, else the source checkout."""
    packaged = Path(__file__).parent.parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


SOURCES_FILE = "sources.yaml"


def bundled_sources_file() -> Path:
    """The bundled list of sources: every catalogue may cite these ids."""
    return bundled_path() / SOURCES_FILE


def _cannot_read(path: Path, exc: OSError) -> CatalogueError:
    """One line for an OSError met while finding a catalogue, naming the path and why."""
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return CatalogueError([f"{path}: a symbolic link to a file that does not exist."])
        return CatalogueError([f"{path}: no such catalogue file."])
    if exc.errno == errno.ELOOP:
        return CatalogueError([f"{path}: a loop of symbolic links (they point at each other), not a catalogue file."])
    return CatalogueError([f"{path}: cannot read the catalogue: {exc.strerror or exc}."])


def catalogue_files(path: Path) -> list[Path]:
    """The YAML files a catalogue path stands for (a file, or a folder's *.yaml and *.yml).

    Any file that is not a folder counts as a catalogue file, whatever its name: a device
    or a pipe too (its reading is bounded). Every OSError becomes a CatalogueError.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISDIR(info.st_mode):
            return [path]
        files = sorted(
            p for p in path.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.is_file()
        )
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    if not files:
        raise CatalogueError([f"{path}: no .yaml catalogue files in this folder."])
    return files


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue file or folder; None means the bundled one.

    A catalogue that passed validation is cached, so an unchanged file is not parsed again.
    Only regular files are cached: a pipe or a device has no size and time to check.
    """
    # The bundled folder also holds data that is not exercises (figures.yaml): name the file.
    root = Path(path) if path is not None else bundled_path() / "exercises.yaml"
    files = catalogue_files(root)
    defaults = [bundled_sources_file()]
    try:
        if any(os.path.samefile(file, defaults[0]) for file in files):
            defaults = []  # the bundled folder itself, or a file of it, was named
        cacheable = all(stat.S_ISREG(os.stat(file).st_mode) for file in files)
        key = cache.stamp(files + defaults) if cacheable else None
    except OSError as exc:  # a file removed or locked since it was found
        raise _cannot_read(Path(exc.filename) if exc.filename else root, exc) from None
    collecting = gc.isenabled()
    # Loading makes many objects and frees almost none, so the cyclic collector would only
    # rescan them again and again (most of a large catalogue's load time). Pause it.
    gc.disable()
    try:
        cached = cache.read(key) if key is not None else None
        if cached is not None:
            return Catalogue(cached[0], str(root), cached[1])
        from hiprot.catalogue.schema import parse_files

        exercises, sources = parse_files(files, str(root), defaults=defaults)
        if key is not None:
            cache.write(key, exercises, sources)
        return Catalogue(exercises, str(root), sources)
    finally:
        if collecting:
            gc.enable()


class Catalogue:
    """A validated set of exercises, in file order, with lookup by id, name or alias, and
    the sources they cite by id."""

    def __init__(
        self, exercises: Iterable[Exercise], source: str = "", sources: Mapping[str, Source] | None = None
    ) -> None:
        self.exercises = tuple(exercises)
        self.source = source
        self.by_id = {ex.id: ex for ex in self.exercises}
        self.sources: Mapping[str, Source] = sources if sources is not None else {}

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

    @cached_property
    def _words(self) -> dict[str, set[str]]:
        """Every folded word of every name and alias -> the ids using it; built on a miss."""
        words: dict[str, set[str]] = {}
        for ex in self.exercises:
            for label in (ex.name, *ex.aliases):
                for word in _WORD_BREAKS.split(label):
                    key = normalize(word)
                    if key:
                        words.setdefault(key, set()).add(ex.id)
        return words

    def find(self, query: str) -> Exercise:
        """The exercise whose id, name or alias matches, ignoring case and punctuation;
        failing that, the one exercise with the query as a whole word of a name or alias
        ("Shëll" finds "Clam Shëll" when no other name has that word)."""
        key = normalize(query)
        candidates = (key, key[:-1] if key.endswith("s") else key + "s")
        for candidate in candidates:
            if candidate in self._index:
                return self.by_id[self._index[candidate]]
        if key and len([w for w in _WORD_BREAKS.split(query) if w]) == 1:
            for candidate in candidates:
                ids = self._words.get(candidate, ())
                if len(ids) == 1:
                    return self.by_id[next(iter(ids))]
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
