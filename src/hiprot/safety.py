"""Which cautions concern a person, and the early weeks after a hip replacement. Pure.

A catalogue caution is for everyone, or tied to one precaution or need (`Caution.when`).
A tied caution is shown to a person who has that precaution today (a hip under it, from
the profile's hips) or always leaves it out (the profile's `avoid`), and to anyone with no
profile, who may have it without hiprot knowing. It is never shown to a person it does
not concern: an anterior-approach replacement is not told to leave out what only the
posterior approach forbids. Nothing here loosens a precaution: a caution hidden from a
person is one whose precaution they do not have, so the exercise is not restricted for
them either.

The early weeks: a replaced hip under EARLY_WEEKS from its surgery date, not yet cleared
by the surgeon, whatever the approach, caps the level at beginner and leaves out work that
needs a deep squat or one-leg balance, and (through the hip's `hip-replacement-early`
precaution) the end-range stretch with both hips deeply bent.
"""

from __future__ import annotations

from datetime import date

from hiprot.models import (
    EARLY_WEEKS,
    Caution,
    Exercise,
    Hip,
    Level,
    Need,
    PersonCautions,
    Precaution,
    Profile,
    Side,
)

# What the early weeks leave out besides the approach's precautions (needs, body-wide).
EARLY_AVOID: frozenset[Precaution | Need] = frozenset({Need.DEEP_SQUAT, Need.SINGLE_LEG_BALANCE})
EARLY_LEVEL = Level.BEGINNER


def concerns(caution: Caution, profile: Profile | None, today: date) -> bool:
    """True if the caution is for this person: for everyone, tied to a precaution or need
    they have today, or they have no profile (hiprot cannot rule anything out)."""
    if caution.when is None or profile is None or profile.empty:
        return True
    return caution.when in _tags(profile, today)


def _tags(profile: Profile, today: date) -> frozenset[Precaution | Need]:
    """Every precaution and need the person has today: their hips' and what they avoid."""
    hips: frozenset[Precaution | Need] = frozenset(p for _, p in profile.protect(today))
    return hips | profile.avoid | (EARLY_AVOID if early_hips(profile, today) else frozenset())


def person_cautions(exercise: Exercise, profile: Profile | None, today: date) -> tuple[str, ...]:
    """The exercise's cautions that concern this person, in catalogue order, as text."""
    return tuple(c.text for c in exercise.cautions if concerns(c, profile, today))


def hidden_cautions(exercise: Exercise, profile: Profile | None, today: date) -> tuple[Caution, ...]:
    """The exercise's cautions left out for this person (each tied to a precaution or need
    they do not have), so a view can say that some were left out and why."""
    return tuple(c for c in exercise.cautions if not concerns(c, profile, today))


def person_leave_out(exercise: Exercise, profile: Profile | None, today: date) -> tuple[Precaution | Need, ...]:
    """The exercise's precautions and needs to name under "leave it out if" for this person:
    all of them with no profile; with one, those the person has (an exercise kept for them
    despite one is done on the other side only)."""
    tags: tuple[Precaution | Need, ...] = (*exercise.precautions, *exercise.needs)
    if profile is None or profile.empty:
        return tags
    have = _tags(profile, today)
    return tuple(t for t in tags if t in have)


def for_person(exercise: Exercise, profile: Profile | None, today: date) -> PersonCautions:
    """The exercise's care for this person: cautions shown and left out, and what to name
    under "leave it out if"."""
    return PersonCautions(
        person_cautions(exercise, profile, today),
        hidden_cautions(exercise, profile, today),
        person_leave_out(exercise, profile, today),
    )


# --- the early weeks after an operation ---------------------------------------------------


def early_hips(profile: Profile | None, today: date) -> list[tuple[Side, Hip]]:
    """The replaced hips still in their early weeks today (none without a profile)."""
    if profile is None:
        return []
    return [(side, hip) for side, hip in profile.hips() if hip.early(today)]


def early_weeks(profile: Profile | None, today: date) -> int | None:
    """Whole weeks since the most recent operation still in its early weeks, or None."""
    hips = early_hips(profile, today)
    if not hips:
        return None
    return min((today - hip.since).days // 7 for _, hip in hips if hip.since is not None)


def early_level(level: Level, profile: Profile | None, today: date) -> Level:
    """The level as the early weeks allow it: beginner at most while they last."""
    if early_hips(profile, today) and level.rank > EARLY_LEVEL.rank:
        return EARLY_LEVEL
    return level


def early_avoid(profile: Profile | None, today: date) -> frozenset[Precaution | Need]:
    """What the early weeks leave out on top of the profile's own precautions and needs."""
    return EARLY_AVOID if early_hips(profile, today) else frozenset()


def early_note(profile: Profile | None, today: date) -> str | None:
    """The one line every view prints in the early weeks, or None outside them."""
    weeks = early_weeks(profile, today)
    if weeks is None:
        return None
    after = "In the first week" if weeks == 0 else f"{weeks} {'week' if weeks == 1 else 'weeks'}"
    return (
        f"{after} after your operation: beginner drills only until week {EARLY_WEEKS} or until your surgeon "
        "clears you; no deep squat, no one-leg balance and no deep stretch of both hips."
    )
