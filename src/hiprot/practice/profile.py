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


def update(change: Callable[[Profile], Profile]) -> tuple[Profile, int | None]:
    """Apply `change` to the stored profile (an empty one when there is none) under the
    profile's lock, save the result and return it, with the old file's mode when it was
    looser than the owner's alone. A change that refuses (raises) writes nothing."""
    from hiprot.profile import update as locked_update

    return locked_update(where(), change)


def reset() -> bool:
    """Delete the profile; whether there was one."""
    from hiprot.profile import remove

    return remove(where())
