"""Core errors in words a person can act on, naming the flags that would fix them.

The core's errors carry data (which filter emptied the pool, the minutes that would
build, the path); only here do they meet the command line.
"""

from __future__ import annotations

from hiprot.cli.options import REQUEST_FLAGS
from hiprot.errors import (
    ActivityExists,
    ActivityLimit,
    BackupExists,
    DuplicateSessionError,
    HiprotError,
    NoFitError,
    NoMatchError,
    NoPlanError,
    NoSessionError,
    NoSuchRecord,
    NotFoundError,
    OutputExistsError,
    PdfUnavailableError,
    PlanExists,
    SavedRoutineExists,
    SelfTestBarred,
    TooShortError,
    UnknownActivity,
    UnknownSavedRoutine,
    UnreadableSavedRoutine,
)
from hiprot.limits import MAX_MINUTES
from hiprot.models import Filters
from hiprot.text import plural

# Each Filters field, the flag that sets it.
FILTER_FLAGS = {
    "goal": "--goal",
    "kind": "--kind",
    "positions": "--position",
    "level": "--level",
    "equipment": "--equipment",
    "muscles": "--muscle",
    "avoid": "--avoid",
}




def explain(exc: HiprotError) -> str:
    if isinstance(exc, NoSuchRecord):
        where = ("The ids are in the first column of hiprot history." if exc.kind == "session"
                 else "hiprot measure --format table lists them with ids.")  # fmt: skip
        return f"{exc} {where}"
    if isinstance(exc, NoSessionError):
        if exc.what == "next-day":
            return f"{str(exc).removesuffix('.')}: hiprot go or hiprot log records one."
        if exc.what == "yesterday":
            return (f"{str(exc).removesuffix('.')} (hiprot history --next-day N --session ID records it "
                    "for any session).")  # fmt: skip
        return str(exc)
    if isinstance(exc, OutputExistsError):
        return f"{exc} Add --force to replace it, or choose another --output."
    if isinstance(exc, PdfUnavailableError):
        return f"{exc} Save it with --output FILE.html (or --format html) and print that."
    if isinstance(exc, BackupExists):
        return f"{exc} Add --force to replace it, or choose another file."
    if isinstance(exc, PlanExists):
        return f"{exc} End it first with hiprot plan end, or add --force to replace it."
    if isinstance(exc, NoPlanError):
        return f"{exc} Start one: hiprot plan new --weeks 6 --days mon,wed,fri --goal strength"
    if isinstance(exc, DuplicateSessionError):
        return f"{exc} If you really did it twice, add --again; to take back the first, hiprot history --undo."
    if isinstance(exc, SavedRoutineExists):
        return f"{exc} Add --force to replace it, or choose another name."
    if isinstance(exc, UnknownSavedRoutine):
        return f"{exc} Save one with: hiprot save NAME --goal warmup"
    if isinstance(exc, UnreadableSavedRoutine):
        return f"{exc} Save it again with hiprot save {_quoted(exc.name)} --force and the options you want."
    if isinstance(exc, NotFoundError):
        return f"{exc} Run 'hiprot list' to see every exercise."
    if isinstance(exc, SelfTestBarred):
        other = "right" if exc.side == "left" else "left"
        return f"{exc} Measure the {other} hip alone (hiprot measure --{other} DEG), or ask your physiotherapist."
    if isinstance(exc, ActivityLimit):
        return f"{exc} Stop rating one first: hiprot goal remove NUMBER (hiprot goal lists them)."
    if isinstance(exc, ActivityExists):
        return f"{exc} Rate it again with hiprot goal score (hiprot goal lists the numbers)."
    if isinstance(exc, UnknownActivity):
        return f"{exc} hiprot goal lists the activities with their numbers."
    if isinstance(exc, NoMatchError):
        return _no_match(exc)
    if isinstance(exc, TooShortError):
        return _too_short(exc)
    if isinstance(exc, NoFitError):
        return _no_fit(exc)
    return str(exc)


def _too_short(exc: TooShortError) -> str:
    start = f"{plural(exc.minutes, 'minute')} is too short for even one exercise of this {exc.goal} routine."
    if exc.needed is None:
        return f"{start} Nothing up to {MAX_MINUTES} minutes fits these options; drop a filter."
    return f"{start} Try --minutes {exc.needed} (the shortest that builds)."


def _no_fit(exc: NoFitError) -> str:
    if exc.uncovered:
        what = f"No {exc.goal} exercise that fits your options has {_and(exc.uncovered)} as a main muscle."
    else:
        what = f"No {exc.goal} exercise fits your options."
    if exc.blockers:
        flags = [REQUEST_FLAGS[b] if b != "avoid" else "--avoid (the needs in it; never a precaution)"
                 for b in exc.blockers]  # fmt: skip
        fix = f" It builds if you drop or widen {_or(flags)}."
        if "level" in exc.blockers:
            fix += " (--level advanced allows every level.)"
    elif exc.precautions:
        fix = (
            f" Your precautions ({_and(list(exc.precautions))}) rule out every exercise that would fit. "
            "hiprot never loosens a precaution: try another --goal, or ask a physiotherapist for exercises "
            "that suit you."
        )
    else:
        fix = " No single option is to blame: drop several, or try another --goal."
    goals = [g for g in exc.goals_for if g != exc.goal]
    elsewhere = f" Goals that do: {', '.join(goals)}." if exc.uncovered and goals else ""
    return what + fix + elsewhere


def _and(words: tuple[str, ...] | list[str]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def _or(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def given_flags(filters: Filters) -> list[str]:
    """The flags behind the filters that are set, in the order --help lists them."""
    return [flag for field, flag in FILTER_FLAGS.items() if getattr(filters, field) not in (None, frozenset())]


def _no_match(exc: NoMatchError) -> str:
    assert isinstance(exc.filters, Filters)
    flags = given_flags(exc.filters)
    named = _and(flags)
    if len(flags) > 1:
        return (
            f"No exercise in the catalogue (of {exc.catalogue_size}) matches {named} together. "
            "Drop a filter or change one of them."
        )
    return (
        f"No exercise in the catalogue (of {exc.catalogue_size}) matches {named or 'these filters'}. "
        "Drop a filter or change it."
    )


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)
