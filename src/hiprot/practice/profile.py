"""The profile's use cases: read it, change it, delete it (the file is `paths.profile_path()`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hiprot.models import Profile


def where() -> Path:
    """The profile file."""
    from hiprot.paths import profile_path

    return profile_path()


def current() -> Profile | None:
    """The stored profile, or None when there is none."""
    from hiprot.profile import load

    return load(where())


def update(change: Callable[[Profile], Profile]) -> Profile:
    """Apply `change` to the stored profile (an empty one when there is none), save the
    result and return it. A change that refuses (raises) writes nothing."""
    from hiprot.profile import load, save

    path = where()
    changed = change(load(path) or Profile())
    save(path, changed)
    return changed


def reset() -> bool:
    """Delete the profile; whether there was one."""
    from hiprot.profile import remove

    return remove(where())
