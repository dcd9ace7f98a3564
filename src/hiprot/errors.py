"""One family of errors, each carrying a message written for people.

The CLI catches `HiprotError` once, prints the message on stderr and exits 1.
"""

from __future__ import annotations

from pathlib import Path


class HiprotError(Exception):
    """A problem the user can act on; `str(error)` is the message to show."""


class CatalogueError(HiprotError):
    """The catalogue file is missing, unreadable, not YAML, or breaks the schema."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        count = len(self.problems)
        noun, them = ("problem", "it") if count == 1 else ("problems", "them")
        where = f" in {source}" if source else ""
        message = "\n".join(self.problems)
        if source:
            message += f"\n{count} {noun}{where}; fix {them} and run the command again."
        super().__init__(message)


class NotFoundError(HiprotError):
    """No exercise matches the name asked for."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        message = f"No exercise called '{query}'."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        message += " Run 'hiprot list' to see every exercise."
        super().__init__(message)


class NoFitError(HiprotError):
    """The filters leave no exercise, or none that covers a requested muscle.

    `blockers` are the request fields (positions, equipment, level, muscles, avoid) each
    of which, dropped or widened on its own, lets the routine build; `uncovered` the
    requested muscles no eligible exercise has as a main muscle, and `goals_for` the
    goals whose exercises do.
    """

    def __init__(
        self, goal: str, blockers: tuple[str, ...], uncovered: tuple[str, ...] = (), goals_for: tuple[str, ...] = ()
    ) -> None:
        self.goal = goal
        self.blockers = blockers
        self.uncovered = uncovered
        self.goals_for = goals_for
        what = f"No {goal} exercise fits these options"
        if uncovered:
            what = f"No {goal} exercise that fits these options works {', '.join(uncovered)} as a main muscle"
        hint = f"; it builds without the {' or the '.join(blockers)} filter" if blockers else ""
        super().__init__(f"{what}{hint}.")


class TooShortError(NoFitError):
    """Not even one exercise fits the time budget at its smallest dose.

    `needed` is the smallest whole number of minutes that builds, found by building it
    (None when nothing up to three hours does).
    """

    def __init__(self, goal: str, minutes: int, needed: int | None) -> None:
        HiprotError.__init__(self, f"{minutes} minutes is too short for a {goal} routine with these options.")
        self.goal = goal
        self.blockers = ("minutes",)
        self.uncovered = ()
        self.goals_for = ()
        self.minutes = minutes
        self.needed = needed


class ExportError(HiprotError):
    """A routine could not be written where the user asked."""


class OutputExistsError(ExportError):
    """The output path is an existing file and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists.")


class OutputIsFolderError(ExportError):
    """The output path is a folder, not a file name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is a folder; give a file name inside it, such as {path / 'routine.md'}.")


class OutputFolderMissingError(ExportError):
    """The folder the output file would go in does not exist."""

    def __init__(self, path: Path, folder: Path) -> None:
        self.path = path
        self.folder = folder
        super().__init__(f"Cannot write {path}: the folder {folder} does not exist. Create it first.")


class WriteError(ExportError):
    """The operating system refused to write the output (`reason` is its own words)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Cannot write {path}: {reason}.")


class NoMatchError(HiprotError):
    """No exercise in the catalogue passes the filters a person gave."""

    def __init__(self, filters: object, catalogue_size: int) -> None:
        self.filters = filters
        self.catalogue_size = catalogue_size
        super().__init__(f"No exercise in the catalogue matches these filters (of {catalogue_size}).")


class NoFigureError(HiprotError):
    """hiprot has no figure for this exercise (a drill from the user's own catalogue)."""

    def __init__(self, exercise_id: str, name: str) -> None:
        self.exercise_id = exercise_id
        self.name = name
        super().__init__(f"No figure for '{name}' ({exercise_id}): hiprot draws the exercises of its own catalogue.")
