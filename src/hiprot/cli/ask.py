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
    """Print the advice for a recorded session's pain (see `hiprot.practice.advice`)."""
    import shutil
    import textwrap

    from hiprot.practice import advice

    width = min(shutil.get_terminal_size().columns, 100)
    for line in advice(pain, session_id, sharp=sharp):
        typer.echo(textwrap.fill(line, width=width), err=True)
