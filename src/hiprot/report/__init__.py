"""Reporters, one module per format: table (Rich), markdown, json, and the live session view.

Each of table, markdown, json and html is a `Reporter`: `routine(plan, command)`,
`exercise(ex, catalogue)` and `exercises(found, catalogue)`. The CLI finds one by format
name in the format registry (`hiprot.cli.formats`), which imports the module only
when it is asked for. Reporters
may name flags (they speak to the person at the command line); the core never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from hiprot.models import Caution, Exercise, Precaution, Routine, Shortfall, Side

if TYPE_CHECKING:
    from rich.console import RenderableType

    from hiprot.catalogue import Catalogue
    from hiprot.models import PersonCautions


class Reporter(Protocol):
    """What a report format offers: a routine, one exercise, a list of exercises. Each
    returns text, or a Rich renderable that only the CLI prints."""

    def routine(self, plan: Routine, command: str) -> RenderableType: ...

    def exercise(
        self, ex: Exercise, catalogue: Catalogue, side: Side | None = None, person: PersonCautions | None = None
    ) -> RenderableType: ...

    def exercises(self, found: list[Exercise], catalogue: Catalogue) -> RenderableType: ...


def header_notes(routine: Routine) -> list[str]:
    """Lines every routine report prints under its header: safety first."""
    notes = list(routine.profile_notes)
    flagged = [item.exercise.name for item in routine.items if Precaution.HIP_REPLACEMENT in item.exercise.precautions]
    # For someone hiprot knows nothing of: a profile says which approach (if any) applies,
    # and an anterior-approach replacement is not told to leave out posterior-only work.
    unknown = routine.profile is None or routine.profile.empty
    if flagged and unknown and not any(p is Precaution.HIP_REPLACEMENT for _, p in routine.request.protect):
        notes.append(
            f"After a posterior-approach hip replacement, leave out: {', '.join(flagged)} (hip bent to 90 degrees "
            "or more, turned in or across the body). "
            f"--avoid hip-replacement-posterior leaves {'it' if len(flagged) == 1 else 'them'} out."
        )
    notes.extend(f"{item.exercise.name}: {item.note}." for item in routine.items if item.note)
    notes.extend(routine.notes)
    if routine.more_with:
        gear = " ".join(f"--equipment {e.value}" for e in routine.more_with)
        notes.append(f"Bodyweight only, as no --equipment was given; {gear} would allow more exercises.")
    if routine.shortfall is not None and shortfall_words(routine, routine.shortfall):
        notes.append(shortfall_words(routine, routine.shortfall))
    return notes


def hidden_words(hidden: tuple[Caution, ...]) -> str:
    """Why some of an exercise's cautions are not shown: they concern a precaution or need
    the person's profile does not have."""
    tags = ", ".join(dict.fromkeys(c.when.value for c in hidden if c.when is not None))
    one = len(hidden) == 1
    return (
        f"{len(hidden)} {'caution is' if one else 'cautions are'} not shown: "
        f"{'it concerns' if one else 'they concern'} {tags}, which your profile does not have "
        "(--no-profile shows every caution)."
    )


def shortfall_words(routine: Routine, short: Shortfall) -> str:
    """Why a routine leaves time unused: 'Uses 6:20 of 12:00 (52%): only 1 exercise
    qualifies, and one more round would add 6:50.' Empty once the routine uses the
    planner's full share (progression may have grown it since)."""
    from hiprot.planner import FULL_SHARE, MAX_ROUNDS
    from hiprot.text import clock, plural
    from hiprot.timeline import circuit_seconds, moves, round_seconds, total_seconds

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
        between = moves(routine.items, routine.request)
        extra = circuit_seconds(round_seconds(routine), routine.rounds + 1, routine.goal, between) - used
        why.append(f"one more round would add {clock(extra)}")
    else:
        why.append(f"{MAX_ROUNDS} rounds is the most hiprot plans")
    return f"Uses {clock(used)} of {clock(budget)} ({100 * used // budget}%): {', and '.join(why)}."
