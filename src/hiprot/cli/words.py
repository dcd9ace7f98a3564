"""Core errors in words a person can act on, naming the flags that would fix them.

The core's errors carry data (which filter emptied the pool, the minutes that would
build, the path); only here do they meet the command line.
"""

from __future__ import annotations

from hiprot.errors import HiprotError, NoMatchError
from hiprot.models import Filters

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
    if isinstance(exc, NoMatchError):
        return _no_match(exc)
    return str(exc)


def given_flags(filters: Filters) -> list[str]:
    """The flags behind the filters that are set, in the order --help lists them."""
    return [flag for field, flag in FILTER_FLAGS.items() if getattr(filters, field) not in (None, frozenset())]


def _no_match(exc: NoMatchError) -> str:
    assert isinstance(exc.filters, Filters)
    flags = given_flags(exc.filters)
    named = ", ".join(flags[:-1]) + f" and {flags[-1]}" if len(flags) > 1 else "".join(flags)
    if len(flags) > 1:
        return (
            f"No exercise in the catalogue (of {exc.catalogue_size}) matches {named} together. "
            "Drop a filter or change one of them."
        )
    return f"No exercise in the catalogue (of {exc.catalogue_size}) matches {named or 'these filters'}. Drop a filter or change it."
