"""Where hiprot keeps its files: the platform's user folders.

On Linux these are the XDG Base Directory folders (`$XDG_CACHE_HOME/hiprot`,
`$XDG_DATA_HOME/hiprot`, `$XDG_CONFIG_HOME/hiprot`, each falling back to `~/.cache`,
`~/.local/share` and `~/.config` when the variable is unset, empty or not an absolute
path, as the specification says), so tests and scripts redirect them with those
variables. hiprot reads those three variables itself on Linux: importing platformdirs
cost 17-28 ms of every run there, a fifth of a routine's time. Every other platform
asks platformdirs. Nothing here creates a folder: the code that writes a file does,
when it writes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "hiprot"
# Each folder: its XDG variable and the default under the home folder (Linux).
XDG = {
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "config": ("XDG_CONFIG_HOME", "~/.config"),
}


def _user_folder(kind: str) -> Path:
    if sys.platform.startswith("linux"):
        variable, default = XDG[kind]
        value = os.environ.get(variable, "").strip()
        base = value if os.path.isabs(value) else os.path.expanduser(default)
        return Path(base) / APP
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_path")(APP, appauthor=False))


def cache_dir() -> Path:
    """The parsed-catalogue cache; safe to delete at any time."""
    return _user_folder("cache")


def data_dir() -> Path:
    """The history database: the user's own records."""
    return _user_folder("data")


def config_dir() -> Path:
    return _user_folder("config")


def profile_path() -> Path:
    """The person's profile (hips, precautions, equipment, level)."""
    return config_dir() / "profile.toml"


def user_catalogue_dir() -> Path:
    """The person's own exercises: YAML files loaded on top of the bundled catalogue."""
    return config_dir() / "catalogue"


def database_path() -> Path:
    return data_dir() / "hiprot.db"
