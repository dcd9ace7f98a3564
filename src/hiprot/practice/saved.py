"""Saved routines: a request kept under a name, to rebuild (and progress) later."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hiprot.models import Request, SavedRoutine


def save(name: str, request: Request, now: datetime, *, replace: bool = False) -> SavedRoutine:
    """Save `request` under `name` (SavedRoutineExists unless `replace`)."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.save_routine(name, request.to_dict(), now, replace=replace)


def saved_routines() -> list[SavedRoutine]:
    """Every saved routine, by name."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.saved_routines()


def delete(name: str) -> str:
    """Delete a saved routine; its name as it was stored (UnknownSavedRoutine if none)."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.delete_saved(name)
