"""Reporters, one module per format: table (Rich), markdown, json, and the live session view.

Each of table, markdown and json is a `Reporter`: `routine(plan, command)`,
`exercise(ex, catalogue)` and `exercises(found, catalogue)`. The CLI finds one by name in
`REPORTERS`, a dict of loaders that import the module only when it is asked for. Reporters
may name flags (they speak to the person at the command line); the core never does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from hiprot.models import Exercise, Precaution, Routine, Shortfall, Side

if TYPE_CHECKING:
    from rich.console import RenderableType

    from hiprot.catalogue import Catalogue


class Reporter(Protocol):
    """What a report format offers: a routine, one exercise, a list of exercises. Each
    returns text, or a Rich renderable that only the CLI prints."""

    def routine(self, plan: Routine, command: str) -> RenderableType: ...

    def exercise(self, ex: Exercise, catalogue: Catalogue, side: Side | None = None) -> RenderableType: ...

    def exercises(self, found: list[Exercise], catalogue: Catalogue) -> RenderableType: ...


def _table() -> Reporter:
    from hiprot.report import table

    return table


def _json() -> Reporter:
    from hiprot.report import json

    return json


def _markdown() -> Reporter:
    from hiprot.report import markdown

    return markdown


def _html() -> Reporter:
    from hiprot.report import html

    return html


# Each format, the loader of its reporter (the module is imported on first use).
REPORTERS: dict[str, Callable[[], Reporter]] = {
    "table": _table, "json": _json, "markdown": _markdown, "html": _html,
}  # fmt: skip


def reporter(name: str) -> Reporter:
    """The reporter for a format name in REPORTERS."""
    return REPORTERS[name]()


def header_notes(routine: Routine) -> list[str]:
    """Lines every routine report prints under its header: safety first."""
    notes = list(routine.profile_notes)
    flagged = [item.exercise.name for item in routine.items if Precaution.HIP_REPLACEMENT in item.exercise.precautions]
    if flagged and not any(p is Precaution.HIP_REPLACEMENT for _, p in routine.request.protect):
        notes.append(
            f"After a hip replacement, leave out: {', '.join(flagged)} (hip bent to 90 degrees or more, "
            "turned in or across the body). "
            f"--avoid hip-replacement leaves {'it' if len(flagged) == 1 else 'them'} out."
        )
    notes.extend(f"{item.exercise.name}: {item.note}." for item in routine.items if item.note)
    notes.extend(routine.notes)
    if routine.more_with:
        gear = " ".join(f"--equipment {e.value}" for e in routine.more_with)
        notes.append(f"Bodyweight only, as no --equipment was given; {gear} would allow more exercises.")
    if routine.shortfall is not None and shortfall_words(routine, routine.shortfall):
        notes.append(shortfall_words(routine, routine.shortfall))
    return notes


def shortfall_words(routine: Routine, short: Shortfall) -> str:
    """Why a routine leaves time unused: 'Uses 6:20 of 12:00 (52%): only 1 exercise
    qualifies, and one more round would add 6:50.' Empty once the routine uses the
    planner's full share (progression may have grown it since)."""
    from hiprot.planner import FULL_SHARE, MAX_ROUNDS
    from hiprot.text import clock, plural
    from hiprot.timeline import circuit_seconds, round_seconds, total_seconds

    used, budget = total_seconds(routine), routine.budget_seconds
    if used >= FULL_SHARE * budget:
        return ""
    why = []
    if short.capped_at is not None:
        why.append(f"--count {short.capped_at} allows {plural(short.capped_at, 'exercise')}")
    else:
        kind = "bodyweight exercise" if short.bodyweight else "exercise"
        qualify = "qualifies" if short.qualifying == 1 else "qualify"
        text = f"only {plural(short.qualifying, kind)} {qualify}"
        if short.variants:
            text += f" ({short.variants} {'is a variant' if short.variants == 1 else 'are variants'} of one already in)"
        left = short.qualifying - len(routine.items) - short.variants
        if left > 0:
            text += f"; {'another does' if left == 1 else f'{left} others do'} not fit in the time left"
        why.append(text)
    if short.more_rounds:
        extra = circuit_seconds(round_seconds(routine), routine.rounds + 1, routine.goal) - used
        why.append(f"one more round would add {clock(extra)}")
    else:
        why.append(f"{MAX_ROUNDS} rounds is the most hiprot plans")
    return f"Uses {clock(used)} of {clock(budget)} ({100 * used // budget}%): {', and '.join(why)}."
