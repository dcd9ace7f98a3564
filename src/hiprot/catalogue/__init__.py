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
from typing import NamedTuple

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


def user_catalogue_files() -> list[Path]:
    """The YAML files of the person's own catalogue folder (none if it does not exist or
    holds none); anything else wrong with it is a CatalogueError naming it."""
    from hiprot.paths import user_catalogue_dir

    folder = user_catalogue_dir()
    try:
        if not folder.exists():
            return []
        if not folder.is_dir():
            raise CatalogueError([f"{folder}: your own catalogue must be a folder of .yaml files, not a file."])
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.is_file())
    except OSError as exc:
        raise _cannot_read(folder, exc) from None


def load_catalogue(path: str | Path | None = None, *, user: bool = True) -> Catalogue:
    """Load and validate a catalogue file or folder; None means the bundled one, with the
    person's own catalogue folder on top of it (unless `user` is False). A catalogue named
    by `path` replaces both.

    A catalogue that passed validation is cached, so an unchanged file is not parsed again
    (the cache is keyed by every file read, the person's own included). Only regular files
    are cached: a pipe or a device has no size and time to check.
    """
    # The bundled folder also holds data that is not exercises (figures.yaml): name the file.
    root = Path(path) if path is not None else bundled_path() / "exercises.yaml"
    files = catalogue_files(root)
    own = user_catalogue_files() if path is None and user else []
    defaults = [bundled_sources_file()]
    try:
        if any(os.path.samefile(file, defaults[0]) for file in files):
            defaults = []  # the bundled folder itself, or a file of it, was named
        cacheable = all(stat.S_ISREG(os.stat(file).st_mode) for file in files + own)
        key = cache.stamp(files + defaults, own) if cacheable else None
    except OSError as exc:  # a file removed or locked since it was found
        raise _cannot_read(Path(exc.filename) if exc.filename else root, exc) from None
    collecting = gc.isenabled()
    # Loading makes many objects and frees almost none, so the cyclic collector would only
    # rescan them again and again (most of a large catalogue's load time). Pause it.
    gc.disable()
    try:
        cached = cache.read(key) if key is not None else None
        if cached is not None:
            return Catalogue(cached[0], str(root), cached[1], cached[2])
        from hiprot.catalogue.schema import parse_files

        exercises, sources, overrides = parse_files(files, str(root), defaults=defaults, own=own)
        if key is not None:
            cache.write(key, exercises, sources, overrides)
        return Catalogue(exercises, str(root), sources, overrides)
    finally:
        if collecting:
            gc.enable()


class Checked(NamedTuple):
    """What `check` found in a catalogue file or folder of the person's own exercises."""

    files: tuple[Path, ...]
    exercises: tuple[Exercise, ...]  # the file's own exercises, valid (none when problems)
    replaces: tuple[str, ...]  # bundled ids they replace
    problems: tuple[str, ...]  # every problem, each FILE:LINE: exercise 'ID': what


def check(path: Path) -> Checked:
    """Check a file or folder as the person's own catalogue, on top of the bundled one:
    every problem at once, however many files and exercises hold them. Nothing is cached."""
    from hiprot.catalogue.schema import parse_files

    try:
        files = catalogue_files(path)
    except CatalogueError as exc:
        return Checked((), (), (), tuple(exc.problems))
    bundled = [bundled_path() / "exercises.yaml"]
    try:
        exercises, _, overrides = parse_files(
            bundled, str(path), defaults=[bundled_sources_file()], own=files, each=True
        )
    except CatalogueError as exc:
        return Checked(tuple(files), (), (), tuple(exc.problems))
    # The exercises that came from the checked files: new ids, and those replacing bundled ones.
    base = {ex.id for ex in load_catalogue(user=False).exercises}
    own = tuple(ex for ex in exercises if ex.id not in base or ex.id in overrides)
    return Checked(tuple(files), own, tuple(sorted(overrides)), ())


class Catalogue:
    """A validated set of exercises, in file order, with lookup by id, name or alias, and
    the sources they cite by id."""

    def __init__(
        self,
        exercises: Iterable[Exercise],
        source: str = "",
        sources: Mapping[str, Source] | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.exercises = tuple(exercises)
        self.source = source
        self.by_id = {ex.id: ex for ex in self.exercises}
        self.sources: Mapping[str, Source] = sources if sources is not None else {}
        # Bundled ids the person's own catalogue replaces, each with the FILE:LINE it is at.
        self.overrides: Mapping[str, str] = overrides if overrides is not None else {}

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
