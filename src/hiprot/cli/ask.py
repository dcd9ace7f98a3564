"""Talking with the person at the terminal: whether anyone can answer, and the advice
printed after pain is recorded. Shared by `go`, `log`, `history` and `today`."""

from __future__ import annotations

import sys
from typing import Optional

import typer


def interactive() -> bool:
    """Whether a person can answer a question (stdin is a terminal); tests replace this."""
    from hiprot.terminal import is_terminal

    return is_terminal(sys.stdin)


def advise(pain: Optional[int], session_id: int, *, sharp: bool = False) -> None:
    """Print the advice for pain at the stop threshold or more (or a sharp-pain stop)
    after a session is recorded, with the pain logged before it when that was high too."""
    import shutil
    import textwrap

    from hiprot.limits import STOP_PAIN_MIN
    from hiprot.practice import pain_before
    from hiprot.progression import pain_advice

    worrying = sharp or (pain is not None and pain >= STOP_PAIN_MIN)
    width = min(shutil.get_terminal_size().columns, 100)
    for line in pain_advice(pain, sharp=sharp, previous=pain_before(session_id) if worrying else None):
        typer.echo(textwrap.fill(line, width=width), err=True)
