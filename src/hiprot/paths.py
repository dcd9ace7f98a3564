"""Where hiprot keeps its files: the platform's user folders (platformdirs).

On Linux these are the XDG folders (`$XDG_CACHE_HOME/hiprot`, `$XDG_DATA_HOME/hiprot`,
`$XDG_CONFIG_HOME/hiprot`), so tests and scripts redirect them with those variables.
Nothing here creates a folder: the code that writes a file does, when it writes.
"""

from __future__ import annotations

from pathlib import Path

APP = "hiprot"


def cache_dir() -> Path:
    """The parsed-catalogue cache; safe to delete at any time."""
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def data_dir() -> Path:
    """The history database: the user's own records."""
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def profile_path() -> Path:
    """The person's profile (hips, precautions, equipment, level)."""
    return config_dir() / "profile.toml"


def database_path() -> Path:
    return data_dir() / "hiprot.db"
