"""A consistent copy of the history database."""

from __future__ import annotations

from pathlib import Path


def backup(target: Path, *, replace: bool = False) -> Path:
    """Copy the history to `target` (BackupExists unless `replace`); the database copied."""
    from hiprot.practice import open_store

    with open_store() as store:
        store.backup(target, replace=replace)
        return store.path
