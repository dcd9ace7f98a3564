"""Shell completion of exercise ids and saved routine names.

Only a shell asking for completions calls these, so each imports what it needs inside
(a plain run never pays for the catalogue or the database here). A completion never
fails out loud and never writes: on any problem it offers nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def exercise_ids(ctx: Any, incomplete: str) -> list[str]:
    """The ids of the catalogue's exercises (the one --catalog names, if given) that start
    with what was typed; for --pick, what follows a ':' is a dose and is not completed."""
    if ":" in incomplete:
        return []
    try:
        from hiprot.catalogue import load_catalogue

        given = (ctx.params or {}).get("catalog") if ctx is not None else None
        catalogue = load_catalogue(Path(given) if given else None)
    except Exception:  # a completion offers nothing rather than a traceback in the shell
        return []
    typed = incomplete.lower()
    return [ex.id for ex in catalogue.exercises if ex.id.startswith(typed)]


def saved_names(ctx: Any, incomplete: str) -> list[str]:
    """The saved routines' names that start with what was typed; nothing when there is no
    history database yet (completing never creates one)."""
    try:
        from hiprot.paths import database_path

        if not database_path().is_file():
            return []
        from hiprot.practice.saved import saved_routines

        names = [saved.name for saved in saved_routines()]
    except Exception:  # as above: nothing rather than an error in the shell
        return []
    return [name for name in names if name.startswith(incomplete)]
