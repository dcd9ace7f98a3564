"""The seated hip internal-rotation self-test: what a change or a left/right gap means. Pure.

A person sits with the thigh level and reads the shin's angle with a phone clinometer.
A change, or a difference between sides, under 6° is within the test's measurement noise
(minimal detectable change 5.4°, Krause et al.); normal seated IR is roughly 30-45°.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from hiprot.limits import MDC_DEGREES, NOISE_DEGREES
from hiprot.models import Precaution, Side

NORMAL_IR = (30, 45)  # roughly normal seated hip internal rotation, in degrees


class Reading(Protocol):
    """One self-test reading (store.Measurement has this shape)."""

    @property
    def taken_on(self) -> date: ...

    @property
    def side(self) -> str: ...

    @property
    def degrees(self) -> float: ...


def degrees_text(value: float, signed: bool = False) -> str:
    """'32°', '32.5°', '+4°', '-6.5°': one decimal at most, no '-0'."""
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    text = text.removesuffix(".0")
    if text in ("-0", "+0"):
        text = "0"
    return text + "°"


def measurement_verdict(readings: Iterable[Reading]) -> list[str]:
    """Plain-text lines on the self-test: each side's change since its first reading, the
    difference between sides, and what is normal. Empty when there are no readings.

    A change, or a left/right difference, under 6° is called measurement noise (the
    minimal detectable change of this test is 5.4°, Krause et al.).
    """
    ordered = sorted(readings, key=lambda r: r.taken_on)
    if not ordered:
        return []
    noise = f"within measurement noise (minimal detectable change {MDC_DEGREES:g}°, Krause et al.)"
    lines: list[str] = []
    latest: dict[str, Reading] = {}
    for side in ("left", "right"):
        own = [r for r in ordered if r.side == side]
        if not own:
            continue
        first, last = own[0], own[-1]
        latest[side] = last
        label = side.capitalize()
        if len(own) == 1:
            lines.append(
                f"{label}: {degrees_text(first.degrees)} on {first.taken_on.isoformat()}, the first reading; "
                "measure again in a few weeks to see a trend."
            )
            continue
        change = last.degrees - first.degrees
        head = (
            f"{label}: {degrees_text(first.degrees)} → {degrees_text(last.degrees)} since "
            f"{first.taken_on.isoformat()} ({degrees_text(change, signed=True)})"
        )
        if abs(change) < NOISE_DEGREES:
            lines.append(f"{head}: {noise}.")
        elif change > 0:
            lines.append(f"{head}: a real gain, more than measurement noise.")
        else:
            lines.append(f"{head}: a real loss, more than measurement noise.")
    if len(latest) == 2:
        left, right = latest["left"].degrees, latest["right"].degrees
        gap = abs(left - right)
        if gap < NOISE_DEGREES:
            lines.append(f"Left and right differ by {degrees_text(gap)} (latest readings): {noise}.")
        else:
            less, more = ("left", "right") if left < right else ("right", "left")
            lines.append(
                f"The {less} hip turns in {degrees_text(gap)} less than the {more} (latest readings): "
                "a real difference, more than measurement noise."
            )
    low, high = NORMAL_IR
    lines.append(f"Normal seated hip internal rotation is roughly {low}-{high}°.")
    return lines


# The test sits with the hip bent to 90 degrees and turns the thigh in: the position a
# posterior-approach replacement and an impinged hip must avoid.
RULED_OUT_BY = frozenset({Precaution.HIP_REPLACEMENT, Precaution.HIP_IMPINGEMENT})


def barred(protect: Iterable[tuple[Side, Precaution]]) -> dict[Side, Precaution]:
    """The hips the self-test must not be done on, each with the precaution that rules it out."""
    found: dict[Side, Precaution] = {}
    for side, precaution in sorted(protect, key=lambda sp: (sp[0].value, sp[1].value)):
        if precaution in RULED_OUT_BY:
            found.setdefault(side, precaution)
    return found


def how_to(sides: Iterable[Side]) -> list[str]:
    """How to do the test, for the hips that may be tested (a line per step)."""
    which = [s.value for s in sides]
    if not which:
        return [
            "The seated self-test bends the hip to 90 degrees and turns it in, which both hips' precautions "
            "rule out for now: ask your physiotherapist how to follow your rotation."
        ]
    hips = "each hip" if len(which) == 2 else f"the {which[0]} hip only"
    return [
        f"How to measure seated hip internal rotation of {hips} (a self-test, about 2 minutes):",
        "1. Sit tall on a table or high chair, thighs level and supported, knees bent at 90 degrees over the edge.",
        "2. Keep the thigh still and the pelvis level; turn the thigh inward so the foot swings out to the side.",
        "3. Lay a phone with a clinometer (level) app along the shin: the angle from vertical is your rotation.",
        f"4. Take the best of two tries on {'each side' if len(which) == 2 else 'the ' + which[0] + ' side'}, "
        "then record it.",
    ]
