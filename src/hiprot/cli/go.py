"""`hiprot go`: run a routine live, with timers, side-switch cues and keys, then log it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import (
    app,
)
from hiprot.cli.options import Chosen, routine_options
from hiprot.practice import record

if TYPE_CHECKING:
    from datetime import datetime

    from hiprot.models import Routine
    from hiprot.session import Clock, Keys, Outcome


@app.command()
@routine_options()
def go(
    chosen: Chosen,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="One line per cue, no live screen (screen readers, logs, TERM=dumb)."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No terminal bell at each phase change.")] = False,
    voice: Annotated[bool, typer.Option("--voice", help="Speak each cue with espeak-ng, espeak or say.")] = False,
    pain: Annotated[
        Optional[int],
        typer.Option(
            min=0, max=10, help="Pain during the session, 0-10 (else you are asked at the end).", show_default=False
        ),
    ] = None,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not record the session in the history.")] = False,
) -> None:
    """Follow a routine live: timers, rep counts, side switches, then it is logged.

    Keys: space pauses and resumes, n skips to the next exercise, b goes back to the
    start of this one, q ends early, ? shows the keys. Ctrl-C ends it too (logged as
    partial). Without a terminal (a pipe, TERM=dumb) it prints one line per cue.

    Examples:

    \b
      hiprot go --goal warmup
      hiprot go --saved hips --voice
      hiprot go --goal recovery --plain --pain 2
    """
    from hiprot.session import PlainPrinter, Sink, fan_out, run_session, summary_lines
    from hiprot.terminal import Bell, Voice, cbreak, wants_plain

    routine, _ = chosen.build()
    speaker = Voice(routine) if voice else None  # no speech program: an error before the screen changes
    started_at = options.now()
    plain = plain or wants_plain(sys.stdout)
    with cbreak(sys.stdin, sys.stdout):
        # The bell is for a person at a terminal, not for a log or a pipe.
        bell = Bell(sys.stdout, quiet=quiet or not sys.stdout.isatty())
        sinks: list[Sink] = [bell, *([speaker] if speaker else [])]
        keys, clock = session_input()
        if plain:
            printer = PlainPrinter(routine, sys.stdout)
            outcome = run_session(routine, keys=keys, clock=clock, on_event=fan_out(printer, *sinks))
        else:
            from hiprot.report.live import LiveView

            with LiveView(routine) as view:
                outcome = run_session(routine, keys=keys, clock=clock, on_event=fan_out(view, *sinks))
    if speaker is not None:
        speaker.close(wait=0 if outcome.interrupted else 5)
    import shutil
    import textwrap

    width = min(shutil.get_terminal_size().columns, 100)
    for line in summary_lines(outcome):
        typer.echo(textwrap.fill(line, width=width, subsequent_indent="  "))
    interrupted = outcome.interrupted
    if pain is None and not interrupted and interactive():
        try:
            pain = _ask_pain()
        except KeyboardInterrupt:  # Ctrl-C at the question: keep the session, skip the pain
            typer.echo()
            interrupted = True
    if not no_log:
        session_id = _log(routine, chosen.saved, outcome, started_at, pain)
        typer.echo(f"Logged as session {session_id} ({outcome.status}). See hiprot history.", err=True)
    if interrupted:
        raise typer.Exit(130)


def session_input() -> tuple[Keys, Clock | None]:
    """Keys from the terminal and the monotonic clock; tests replace this with a script."""
    from hiprot.terminal import StdinKeys

    return StdinKeys(sys.stdin), None


def interactive() -> bool:
    """Whether a person can answer a question (stdin is a terminal); tests replace this."""
    return sys.stdin.isatty()


def _ask_pain() -> int | None:
    """Pain 0-10 from the person; Enter (or anything that is not a number) skips."""
    while True:
        try:
            answer = input("Pain during the session, 0-10 (Enter to skip): ").strip()
        except EOFError:  # Ctrl-D: no answer, and the cursor to a fresh line
            typer.echo()
            return None
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        typer.echo("A whole number from 0 (none) to 10 (worst), or Enter to skip.", err=True)


def _log(routine: Routine, saved: Optional[str], outcome: Outcome, started_at: datetime, pain: Optional[int]) -> int:
    # The history keeps done or skipped per exercise: an exercise cut short counts as
    # skipped, with the seconds that were done.
    done = {
        item.index: ("done" if item.status == "done" else "skipped", round(item.done_seconds))
        for item in outcome.items
    }
    return record(routine, saved, outcome.status, started_at, pain=pain, done=done)
