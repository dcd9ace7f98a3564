"""The cautions that concern a person: catalogue cautions filtered and worded for them."""

from __future__ import annotations

from datetime import date

from hiprot.models import Exercise, Profile


def person_cautions(exercise: Exercise, profile: Profile | None, today: date) -> tuple[str, ...]:
    """The exercise's cautions as this person (or no profile) should read them on `today`."""
    return tuple(exercise.cautions)
