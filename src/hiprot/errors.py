"""One family of errors, each carrying a message written for people.

The CLI catches `HiprotError` once, prints the message on stderr and exits 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
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
        super().__init__(message)


class NoFitError(HiprotError):
    """The filters leave no exercise, or none that covers a requested muscle.

    `blockers` are the request fields (positions, equipment, level, muscles, avoid) each
    of which, dropped or widened on its own, lets the routine build; `uncovered` the
    requested muscles no eligible exercise has as a main muscle, and `goals_for` the
    goals whose exercises do.
    """

    def __init__(
        self,
        goal: str,
        blockers: tuple[str, ...],
        uncovered: tuple[str, ...] = (),
        goals_for: tuple[str, ...] = (),
        precautions: tuple[str, ...] = (),
    ) -> None:
        self.goal = goal
        self.blockers = blockers
        self.uncovered = uncovered
        self.goals_for = goals_for
        # The medical precautions (in words) that leave nothing when no filter is to
        # blame: a reason to state, never a filter to drop.
        self.precautions = precautions
        what = f"No {goal} exercise fits these options"
        if uncovered:
            what = f"No {goal} exercise that fits these options works {', '.join(uncovered)} as a main muscle"
        hint = f"; it builds without the {' or the '.join(blockers)} filter" if blockers else ""
        super().__init__(f"{what}{hint}.")


class TooShortError(NoFitError):
    """Not even one exercise fits the time budget at its smallest dose.

    `needed` is the smallest whole number of minutes that builds, found by building it
    (None when nothing up to the longest budget, `models.MAX_MINUTES`, does).
    """

    def __init__(self, goal: str, minutes: int, needed: int | None) -> None:
        HiprotError.__init__(self, f"{minutes} minutes is too short for a {goal} routine with these options.")
        self.goal = goal
        self.blockers = ("minutes",)
        self.uncovered = ()
        self.goals_for = ()
        self.precautions = ()
        self.minutes = minutes
        self.needed = needed


class UnreadableSavedRoutine(HiprotError):
    """A saved routine's stored request no longer reads as a request (`reason` says why)."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"The saved routine '{name}' cannot be read ({reason}).")


class ProfileError(HiprotError):
    """The profile file cannot be used as it is; it is left untouched. `line` is 0 when
    the problem is the file as a whole."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}. The profile was left as it is.")


class PrescriptionFileError(HiprotError):
    """A prescription file that cannot be used as it is: nothing was saved from it.
    `line` is 0 when the problem is the file as a whole."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else str(path)
        stop = "" if problem.endswith((".", "?", "!")) else "."
        super().__init__(f"{where}: {problem}{stop} Nothing was saved from it.")


class SelfTestBarred(HiprotError):
    """A self-test reading for a hip whose precautions rule out the test's position."""

    def __init__(self, side: str, precaution: str) -> None:
        self.side = side
        self.precaution = precaution
        super().__init__(
            f"The self-test is not recorded for the {side} hip: it bends the hip to 90 degrees and turns it in, "
            f"which its {precaution} precautions rule out."
        )


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


class NoVoiceError(HiprotError):
    """Spoken cues were asked for, but none of `programs` is on PATH."""

    def __init__(self, programs: tuple[str, ...]) -> None:
        self.programs = programs
        names = ", ".join(programs[:-1]) + f" or {programs[-1]}" if len(programs) > 1 else "".join(programs)
        super().__init__(
            f"Spoken cues need {names} on your PATH, and none was found. "
            "Install espeak-ng (for example 'sudo apt install espeak-ng'), or go without the voice."
        )


class NoMatchError(HiprotError):
    """No exercise in the catalogue passes the filters a person gave."""

    def __init__(self, filters: object, catalogue_size: int) -> None:
        self.filters = filters
        self.catalogue_size = catalogue_size
        super().__init__(f"No exercise in the catalogue matches these filters (of {catalogue_size}).")


# --- the history database (store/) ------------------------------------------------------------------------------


class StoreError(HiprotError):
    """Something went wrong with the history database; `path` names the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(message)


class CorruptDatabaseError(StoreError):
    """The file is not a hiprot database, or SQLite finds it damaged. It is left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"The history database {path} cannot be used: {reason}. hiprot has left the file "
            "exactly as it was; move it aside (or restore a backup) to start a new history.",
            path,
        )


class NewerDatabaseError(StoreError):
    """The file was written by a newer hiprot (a higher schema version). It is left untouched."""

    def __init__(self, path: Path, found_version: int, supported_version: int) -> None:
        self.found_version = found_version
        self.supported_version = supported_version
        super().__init__(
            f"The history database {path} was written by a newer hiprot (schema version "
            f"{found_version}; this one reads up to version {supported_version}). Update "
            "hiprot to use it; the file has been left exactly as it was.",
            path,
        )


class DatabaseLockedError(StoreError):
    """Another process held the database for longer than the busy timeout."""

    def __init__(self, path: Path, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        super().__init__(
            f"The history database {path} is busy: another program has been writing to it "
            f"for more than {timeout_s:g} seconds. Try again in a moment.",
            path,
        )


class DatabaseAccessError(StoreError):
    """The database could not be opened, read or written (permissions, disk full, ...)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.detail = detail
        super().__init__(f"The history database {path} could not be used: {detail}.", path)


class UnknownSavedRoutine(StoreError):
    """No saved routine has this name; `known` lists the names there are."""

    def __init__(self, name: str, known: Sequence[str] = ()) -> None:
        self.name = name
        self.known = tuple(known)
        message = f"No saved routine called '{name}'."
        message += (
            " Saved routines: " + ", ".join(self.known) + "." if self.known else " There are no saved routines yet."
        )
        super().__init__(message)


class SavedRoutineExists(StoreError):
    """A saved routine with this name exists and replacing it was not asked for."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"A saved routine called '{name}' already exists.")


class PlanExists(StoreError):
    """A plan is active already (it started on `start`); only one runs at a time."""

    def __init__(self, start: date) -> None:
        self.start = start
        super().__init__(f"A plan is already running (it started on {start.isoformat()}).")


class BackupExists(StoreError):
    """The backup file exists and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists.", path)


class BadName(StoreError):
    """A saved-routine name that cannot be used; `reason` says why in words."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        shown = repr(name) if len(name) <= 60 else repr(name[:57]) + "..."
        super().__init__(f"{shown} cannot name a saved routine: {reason}.")


class ActivityLimit(StoreError):
    """Five activities are rated already (the scale's limit); `in_use` names them."""

    def __init__(self, in_use: Sequence[str]) -> None:
        self.in_use = tuple(in_use)
        names = ", ".join(f"'{n}'" for n in self.in_use)
        super().__init__(f"You already rate five activities ({names}); that is the most the scale holds.")


class ActivityExists(StoreError):
    """An activity in use has this name already."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"You already rate '{name}'.")


class UnknownActivity(StoreError):
    """No activity in use has this id (on `day`, when given)."""

    def __init__(self, key: object, day: date | None = None, names: Sequence[str] = ()) -> None:
        self.key = key
        self.day = day
        self.names = tuple(names)
        if self.names:
            listed = ", ".join(f"'{n}'" for n in self.names)
            super().__init__(f"{key!r} could be any of {listed}; give the activity's number.")
            return
        when = f" on {day.isoformat()}" if day is not None else ""
        super().__init__(f"No activity {key!r} is rated{when}.")


class InvalidValue(StoreError):
    """A value the history cannot hold (pain 11, a side called 'middle', 120 degrees)."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field} {value!r} cannot be recorded: {reason}.")


# --- dates (dates.py) ------------------------------------------------------------------


class DateError(HiprotError):
    """Text that names no date hiprot can record: `problem` is "not-a-date", "too-early"
    (before `limit`) or "future" (after `limit`, today)."""

    def __init__(self, text: str, problem: str, limit: date | None = None) -> None:
        self.text = text
        self.problem = problem
        self.limit = limit
        if problem == "too-early":
            reason = f"it is before {limit}"
        elif problem == "future":
            reason = "it is in the future: record what has happened"
        else:
            reason = "it is not a date (use YYYY-MM-DD, today, yesterday or a number of days ago such as 3d)"
        shown = repr(text) if len(text) <= 40 else repr(text[:37]) + "..."  # repr shows controls as escapes
        super().__init__(f"{shown} cannot be used as a date: {reason}.")


class DamagedRowError(CorruptDatabaseError):
    """A row SQLite holds but hiprot cannot decode (text in a number column, a request
    that is not JSON): `table` and `key` (its id) say which. It is left untouched."""

    def __init__(self, path: Path, table: str, key: object, detail: str) -> None:
        self.table = table
        self.key = key
        self.detail = detail
        which = f"row {key} of the {table} table" if key != "" else f"a row of the {table} table"
        super().__init__(path, f"{which} holds a value hiprot cannot read ({detail})")


class NoFigureError(HiprotError):
    """hiprot has no figure for this exercise (a drill from the user's own catalogue)."""

    def __init__(self, exercise_id: str, name: str) -> None:
        self.exercise_id = exercise_id
        self.name = name
        super().__init__(f"No figure for '{name}' ({exercise_id}): hiprot draws the exercises of its own catalogue.")


class PdfUnavailableError(HiprotError):
    """A PDF was asked for, but WeasyPrint (the optional `pdf` extra) cannot be loaded.

    `reason` is what went wrong: the module is missing, or a system library it needs
    (Pango) is."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"PDF output needs WeasyPrint, the optional 'pdf' extra ({reason}). Install it with "
            "pip install 'hiprot[pdf]' (on Debian or Ubuntu it also needs: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0). The HTML handout prints to PDF from any browser."
        )


# --- plans and the history's guards (programme.py, practice/) ---------------------------


class NoPlanError(HiprotError):
    """A plan was needed (to show, export, end or follow) and none is active."""

    def __init__(self) -> None:
        super().__init__("There is no plan running.")


class DuplicateSessionError(HiprotError):
    """The same routine was recorded `minutes` minutes from the moment asked (session
    `previous`): most likely the same session twice."""

    def __init__(self, previous: int, minutes: int) -> None:
        self.previous = previous
        self.minutes = minutes
        when = "less than a minute" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''}"
        super().__init__(f"The same routine was recorded {when} from this one (session {previous}); "
                         "nothing was recorded, to keep it from counting twice.")


class NothingPlannedError(HiprotError):
    """The plan has no session on or after `today` (it is over)."""

    def __init__(self, ended: date) -> None:
        self.ended = ended
        super().__init__(f"The plan is over: its last session was on {ended.isoformat()}.")


class PickError(HiprotError):
    """A routine written or adjusted by hand asks for what cannot be done: an exercise the
    person's precautions rule out (the message names the precaution and the hip), a dose
    that does not suit the exercise, a drop or swap of an exercise not in the routine, a
    keep that cannot be had. The message says what to do next."""


# --- the use cases' own refusals (hiprot.practice) -------------------------------------------


class NoSuchRecord(HiprotError):
    """No `kind` (a session, a reading) has the id asked for."""

    def __init__(self, kind: str, record_id: int) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"No {kind} with id {record_id}.")


class NoSessionError(HiprotError):
    """The history holds no session to act on (`what`: undo, next-day pain, yesterday's)."""

    def __init__(self, what: str) -> None:
        self.what = what
        messages = {
            "undo": "There is no session to undo: the history is empty.",
            "next-day": "There is no session yet to add next-day pain to.",
            "yesterday": "There was no session yesterday to add next-day pain to.",
        }
        super().__init__(messages[what])


class SessionGone(HiprotError):
    """The session about to be removed was removed by another process meanwhile."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        super().__init__(f"Session {session_id} was removed meanwhile; nothing else was.")
