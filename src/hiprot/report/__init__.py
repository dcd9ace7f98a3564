"""Reporters, one module per format: table (Rich), markdown, json, and the live session view.

Each of table, markdown and json has `routine(plan, command)`, `exercise(ex, catalogue)`
and `exercises(found, catalogue)`; the CLI picks one through a single mapping. Reporters
may name flags (they speak to the person at the command line); the core never does.
"""

from __future__ import annotations

from hiprot.models import Precaution, Routine


def header_notes(routine: Routine) -> list[str]:
    """Lines every routine report prints under its header: safety first."""
    notes = []
    flagged = [item.exercise.name for item in routine.items if Precaution.HIP_REPLACEMENT in item.exercise.precautions]
    if flagged:
        notes.append(
            f"After a hip replacement, leave out: {', '.join(flagged)} (hip bent to 90 degrees or more, "
            "turned in or across the body). "
            f"--avoid hip-replacement leaves {'it' if len(flagged) == 1 else 'them'} out."
        )
    notes.extend(routine.notes)
    if routine.more_with:
        gear = " ".join(f"--equipment {e.value}" for e in routine.more_with)
        notes.append(f"Bodyweight only, as no --equipment was given; {gear} would allow more exercises.")
    return notes
