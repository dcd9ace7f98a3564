"""`hiprot go`: run a routine live, with timers, side-switch cues and keys, then log it."""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import (
    app,
    ask_pain,
)
from hiprot.cli.ask import advise, interactive
from hiprot.cli.options import Chosen, WhenOption, pain_option, planned, routine_options, when
from hiprot.limits import PAIN_MAX, PAIN_MIN
from hiprot.practice import record

if TYPE_CHECKING:
    from datetime import datetime

    from hiprot.figures import Figure
    from hiprot.models import Prescription, Routine
    from hiprot.practice import Recorded
    from hiprot.session import Clock, Keys, SessionResult, Sink

def exit_status(reason: str) -> int:
    """The exit status for a session stopped from outside (Ctrl-C, SIGHUP, SIGTERM, a closed pipe)."""
    from hiprot.session import HANGUP, INTERRUPT, OUTPUT_CLOSED, TERMINATE

    return {INTERRUPT: 130, HANGUP: 129, TERMINATE: 143, OUTPUT_CLOSED: 1}[reason]


class ScriptFormat(str, Enum):
    TEXT = "text"
    JSON = "json"


@app.command()
@routine_options(optional=True)
def go(
    chosen: Chosen,
    when_: WhenOption = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="One line per cue, no live screen (screen readers, logs, TERM=dumb)."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No terminal bell at each phase change.")] = False,
    voice: Annotated[
        bool, typer.Option("--voice", help="Speak the cues and count the reps aloud (espeak-ng, espeak or say).")
    ] = False,
    now: Annotated[bool, typer.Option("--now", help="Start at once, without the ready screen.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the session as a script (time, screen, speech) without waiting.")
    ] = False,
    fmt: Annotated[
        ScriptFormat, typer.Option("--format", "-f", help="With --dry-run: text for people, json for scripts.")
    ] = ScriptFormat.TEXT,
    pain: Annotated[
        Optional[int],
        pain_option(f"Pain during the session, {PAIN_MIN}-{PAIN_MAX} (else you are asked at the end)."),
    ] = None,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not record the session in the history.")] = False,
) -> None:
    """Follow a routine live: timers, rep counts, side switches, then it is logged.

    It opens on a ready screen: space or Enter starts a 10-second countdown (press again
    to start at once). Keys: space pauses and resumes, n skips to the next exercise, b
    goes back (to the previous exercise in set-up), q ends early, ? shows the keys.
    Ctrl-C ends it too (logged as partial; under a minute of work or under 20% done, as
    abandoned). Without a terminal (a pipe, TERM=dumb) it prints one line per cue and
    starts at once. With no routine options it runs your plan's next session (today's when due).

    Examples:

    \b
      hiprot go
      hiprot go --goal warmup
      hiprot go --saved hips --voice
      hiprot go --goal recovery --plain --pain 2
      hiprot go --goal strength --dry-run
    """
    from hiprot.report.plain import PlainPrinter, preview, script_json, script_text, speech, summary_lines
    from hiprot.safety import early_note

    moment = when(when_) if when_ is not None else None
    day = (moment or options.now()).date()
    prescription, saved = planned(chosen, day)
    routine, phases = prescription.routine, prescription.phases  # the timeline, computed once
    early = early_note(routine.profile, day)
    if early is not None:  # the early weeks after an operation, said before anything starts
        _say(early, err=True)
    if dry_run:
        found = preview(routine, phases)
        sys.stdout.write(script_json(found) if fmt is ScriptFormat.JSON else script_text(found))
        return
    if fmt is not ScriptFormat.TEXT:
        raise typer.BadParameter("--format goes with --dry-run (a live session has no format).", param_hint="--format")

    from hiprot.session import INTERRUPT, OUTPUT_CLOSED, fan_out
    from hiprot.terminal import Bell, Voice, cbreak, is_terminal, stop_on_signals, wants_plain

    speaker = Voice(speech(routine, phases)) if voice else None  # no speech program: an error before the screen changes
    plain = plain or wants_plain(sys.stdout)
    ran: tuple[datetime, SessionResult] | None = None
    stopped: str | None = None
    with stop_on_signals():
        try:
            with cbreak(sys.stdin, sys.stdout):
                # The bell is for a person at a terminal, not for a log or a pipe; with a
                # voice the countdown is spoken, so the bell marks phase changes only.
                bell = Bell(sys.stdout, quiet=quiet or not is_terminal(sys.stdout), countdown=speaker is None)
                sinks: list[Sink] = [bell, *([speaker] if speaker else [])]
                keys, clock, person = session_input()
                if plain:
                    ran = _run(prescription, keys, clock, fan_out(PlainPrinter(routine, sys.stdout, phases), *sinks),
                               ready=person and not now)  # fmt: skip
                else:
                    from hiprot.report.live import LiveView

                    with LiveView(routine, timed=phases, figures=_figures(routine)) as view:
                        ran = _run(prescription, keys, clock, fan_out(view, *sinks), ready=person and not now)
        except KeyboardInterrupt as stop:  # before the session started: nothing to record
            stopped = getattr(stop, "reason", INTERRUPT)
        finally:
            if speaker is not None:
                speaker.close(wait=0 if ran is None or ran[1].interrupted else 5)
        if ran is None:
            _say("Not started; nothing was recorded.", err=True)
            raise typer.Exit(exit_status(stopped) if stopped else 0)
        started_at, outcome = ran
        stopped = outcome.stopped_by
        if stopped != OUTPUT_CLOSED:  # nobody is reading any more
            import shutil
            import textwrap

            width = min(shutil.get_terminal_size().columns, 100)
            for line in summary_lines(outcome):
                _say(textwrap.fill(line, width=width, subsequent_indent="  "))
        from hiprot.progression import pain_advice, sharp_pain

        if outcome.sharp_pain:
            pain = sharp_pain(pain)  # sharp pain is severe pain
        elif pain is None and stopped is None and not no_log and interactive():
            try:
                pain = _ask_pain()
            except KeyboardInterrupt as stop:  # Ctrl-C at the question: keep the session, skip the pain
                _say("")
                stopped = getattr(stop, "reason", INTERRUPT)
    if not no_log:
        note = f"Stopped for sharp pain (recorded as pain {pain})." if outcome.sharp_pain else None
        session_id, status = _log(prescription, saved, outcome, started_at if moment is None else moment, pain, note)
        if status == "abandoned":
            from hiprot.text import abandoned_words

            _say(f"Logged as session {session_id} (abandoned): {abandoned_words()}, "
                 "so it is kept but not counted. See hiprot history.", err=True)  # fmt: skip
        else:
            _say(f"Logged as session {session_id} ({status}). See hiprot history.", err=True)
        if note:
            _say(note, err=True)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            advise(pain, session_id, sharp=outcome.sharp_pain)
    else:
        for line in pain_advice(pain, sharp=outcome.sharp_pain):  # nothing for low pain
            _say(line, err=True)
    if stopped is not None:
        raise typer.Exit(exit_status(stopped))


def _run(
    prescription: Prescription, keys: Keys, clock: Clock | None, sink: Sink, *, ready: bool
) -> tuple[datetime, SessionResult] | None:
    """The ready screen (when a person is there to press a key), then the session: when
    it started and what was done; None when the person quit on the ready screen."""
    from hiprot.session import MonotonicClock, run_session, wait_ready

    if ready and not wait_ready(keys, clock or MonotonicClock(), sink):
        return None
    started_at = options.now()
    return started_at, run_session(prescription.routine, keys=keys, clock=clock, on_event=sink,
                                   phases=prescription.phases)  # fmt: skip


def _figures(routine: Routine) -> dict[str, Figure]:
    """The bundled figures of the routine's exercises, for the live screen: only where the
    exercise is the bundled one it was drawn for (a person's own drill of the same id gets
    none). A session never waits on a picture: figures that cannot be read are left out."""
    from hiprot.catalogue import load_catalogue
    from hiprot.catalogue.figures import load_figures
    from hiprot.errors import HiprotError

    try:
        bundled = load_catalogue(user=False).by_id
        figures = load_figures()
    except HiprotError:
        return {}
    return {item.exercise.id: figures[item.exercise.id] for item in routine.items
            if item.exercise.id in figures and bundled.get(item.exercise.id) == item.exercise}  # fmt: skip


def _say(line: str, *, err: bool = False) -> None:
    """A line for the person; a terminal that hung up or a closed pipe just takes nothing."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        typer.echo(line, err=err)


def session_input() -> tuple[Keys, Clock | None, bool]:
    """Keys from the terminal, the monotonic clock, and whether a person can press keys
    (stdin is a terminal: only then does the ready screen wait); tests replace this."""
    from hiprot.terminal import StdinKeys, is_terminal

    return StdinKeys(sys.stdin), None, is_terminal(sys.stdin)


def _ask_pain() -> int | None:
    """Pain during the session, from the person (see app.ask_pain)."""
    return ask_pain("Pain during the session")


def _log(
    prescription: Prescription, saved: Optional[str], outcome: SessionResult, started_at: datetime,
    pain: Optional[int], note: Optional[str] = None,
) -> Recorded:  # fmt: skip
    # The history keeps done or skipped per exercise: an exercise cut short counts as
    # skipped, with the seconds that were done.
    done = {
        item.index: ("done" if item.status == "done" else "skipped", round(item.done_seconds))
        for item in outcome.items
    }
    return record(prescription.routine, saved, outcome.status, started_at, pain=pain, note=note, done=done,
                  phases=prescription.phases)  # fmt: skip
