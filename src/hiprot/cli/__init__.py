"""The command line: parse options, call the core, print. Nothing else lives here.

`app.py` holds the Typer app, the shared options and error handling; each command
group has its own module, imported here so it registers its commands (in the order
--help lists them).
"""

from __future__ import annotations

# isort: off
from hiprot.cli import routine, go, browse, history  # noqa: F401  (registers the commands)

# isort: on
from hiprot.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The `hiprot` console script and `python -m hiprot`.

    A run lasts well under a second and frees little, so the cyclic collector is kept off,
    and everything is frozen before exit so the interpreter's final collection has
    nothing to rescan (about 10 ms of a 90 ms run). Tests call `app` and are unaffected.
    """
    import gc

    gc.disable()
    try:
        app(prog_name="hiprot")
    finally:
        gc.freeze()
