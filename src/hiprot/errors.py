"""One family of errors, each carrying a message written for people.

The CLI catches `HiprotError` once, prints the message on stderr and exits 1.
"""

from __future__ import annotations


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
    """The filters leave no exercise, or none that covers a requested muscle."""


class ExportError(HiprotError):
    """A routine could not be written where the user asked."""


class NoMatchError(HiprotError):
    """No exercise in the catalogue passes the filters a person gave."""

    def __init__(self, filters: object, catalogue_size: int) -> None:
        self.filters = filters
        self.catalogue_size = catalogue_size
        super().__init__(f"No exercise in the catalogue matches these filters (of {catalogue_size}).")
