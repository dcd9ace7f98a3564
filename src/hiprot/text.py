"""Words every output shares: dosage, clock, muscles, routine headers. Pure: no I/O, no Rich.

The table, Markdown and live reporters all take their wording from here, so a routine
reads the same wherever it is shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date

from hiprot.models import (
    Dosage,
    Dose,
    Equipment,
    Exercise,
    Hip,
    HipCondition,
    Item,
    Level,
    Muscle,
    Need,
    PersonCautions,
    Precaution,
    Profile,
    Range,
    Routine,
    Side,
    Source,
)
from hiprot.timeline import ROUND_REST_SECONDS, total_seconds

# Characters that act on a terminal or reorder what it shows instead of being shown: C0
# controls but tab and newline, DEL, C1 controls, the bidi embeddings, overrides and
# isolates (and marks), and lone surrogates (which no encoder writes).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text as it may reach a terminal or a file: every control or bidi character made a
    visible escape ('\\x1b', '\\u202e'), so stored or typed text can neither colour,
    retitle or clear a terminal nor disguise itself. Tab and newline stay."""
    return UNSAFE.sub(_escape, text) if UNSAFE.search(text) else text


def first_unsafe(text: str) -> str | None:
    """The first control or bidi character in text, as 'U+001B', or None."""
    found = UNSAFE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def abandoned_words() -> str:
    """Why a session counts as abandoned, from the limits: 'under a minute of work or under 20% done'."""
    from hiprot.limits import ABANDONED_SHARE, ABANDONED_WORK_S

    work = "a minute" if ABANDONED_WORK_S == 60 else f"{ABANDONED_WORK_S} s"
    return f"under {work} of work or under {ABANDONED_SHARE:.0%} done"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 exercise', '5 exercises', '1 minute'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def _seconds(value: Range | None) -> str:
    assert value is not None, "a dosage has reps or a hold"
    if value.low >= 60 and value.low % 60 == 0 and value.high % 60 == 0:
        low, high = value.low // 60, value.high // 60
        return f"{low} min" if low == high else f"{low}-{high} min"
    return f"{value} s"


def dosage_words(dosage: Dosage) -> str:
    """The prescription as a sentence: '2-3 sets of 20 per side, 30-45 s rest'."""
    side = " per side" if dosage.per_side else ""
    sets = dosage.sets
    plural = "" if sets.low == sets.high == 1 else "s"
    if dosage.reps is not None:
        text = f"{sets} set{plural} of {dosage.reps}{side}"
    else:
        hold = f"hold {_seconds(dosage.hold_s)}{side}"
        text = hold if sets.high == 1 else f"{sets} set{plural}, {hold}"
    if dosage.rest_s is not None:
        text += f", {_seconds(dosage.rest_s)} rest between sets"
    return text


def dosage_short(dosage: Dosage) -> str:
    """The prescription for a table cell: '2-3 x 20 / side', 'hold 30-60 s / side'."""
    side = " / side" if dosage.per_side else ""
    if dosage.reps is not None:
        return f"{dosage.sets} x {dosage.reps}{side}"
    hold = f"hold {_seconds(dosage.hold_s)}{side}"
    return hold if dosage.sets.high == 1 else f"{dosage.sets} x {hold}"


def muscle_names(muscles: Iterable[Muscle], limit: int | None = None, short: bool = False) -> str:
    names = [m.short if short else m.label for m in muscles]
    if limit is not None and len(names) > limit:
        names = names[:limit] + [f"+{len(names) - limit}"]
    return ", ".join(names)


GOAL_TITLES = {"warmup": "Warm-up", "strength": "Strength", "recovery": "Recovery"}
SAFETY = (
    "Stop on sharp pain. Not medical advice: see a physiotherapist or doctor for hip pain, "
    "an injury, or after surgery."
)


def clock(seconds: float, *, pad: bool = False, up: bool = False) -> str:
    """The one time formatter: '12:05' for 725 s, '1:02:05' past an hour.

    `pad` gives two-digit minutes ('02:05', for a countdown or a log stamp); `up` rounds
    a fraction up (a countdown shows 0:00 only when it is done), else it is cut off.
    """
    whole = math.ceil(seconds - 1e-9) if up else int(seconds + 1e-6)
    minutes, secs = divmod(max(0, whole), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}"


def prescription_words(p: Dose) -> str:
    """Today's numbers for a table cell: '2 x 20 / side, rest 30 s', 'hold 30 s / side'."""
    side = (f" / {p.only.value} side only" if p.only else " / side") if p.per_side else ""
    work = f"{p.reps}" if p.reps is not None else f"hold {p.hold_s} s"
    text = f"{work}{side}" if p.sets == 1 and p.hold_s is not None else f"{p.sets} x {work}{side}"
    if p.extra is not None and p.worked_sides and p.extra in p.worked_sides:
        text += f", +1 set {p.extra.value}"
    if (p.sets > 1 or p.extra) and p.rest_s:
        text += f", rest {p.rest_s} s"
    return text


def substitution_note(item: Item, level: Level) -> str | None:
    """Why a variant stands in: 'lying variant of standing hip IR, for beginners'."""
    original = item.substituted_for
    if original is None:
        return None
    ex = item.exercise
    kind = f"{ex.position.value} variant" if ex.position is not original.position else "easier variant"
    name = original.name.lower().replace("internal rotation", "IR")
    return f"{kind} of {name}, for {level.value}s"


def routine_title(routine: Routine) -> str:
    return f"{GOAL_TITLES[routine.goal.value]} routine, {routine.level.value}"


def seed_words(routine: Routine) -> str:
    return str(routine.seed) if routine.seed is not None else "none"


def total_words(routine: Routine) -> str:
    """'6:44 of 8:00 min'."""
    return f"{clock(total_seconds(routine))} of {clock(routine.budget_seconds)} min"


def rounds_words(routine: Routine) -> str | None:
    """'2 rounds, 30 s rest between' for a circuit; None for a routine done once."""
    if routine.rounds == 1:
        return None
    return f"{routine.rounds} rounds, {ROUND_REST_SECONDS[routine.goal]} s rest between"


def round_rest_seconds(routine: Routine) -> int:
    """The rest between two rounds, 0 for a routine done once."""
    return ROUND_REST_SECONDS[routine.goal] if routine.rounds > 1 else 0


def needs_words(routine: Routine) -> str:
    """What the person needs for the routine, or that it is bodyweight."""
    return ", ".join(routine_equipment(routine)) or "nothing (bodyweight only)"


def routine_equipment(routine: Routine) -> list[str]:
    needed = {e for item in routine.items for e in item.exercise.equipment}
    return [e.value for e in Equipment if e in needed]




def what_it_is(ex: Exercise) -> str:
    """'A beginner strength exercise, side-lying: external rotation, abduction.'"""
    movement = ", ".join(m.value.replace("-", " ") for m in ex.movement)
    article = "An" if ex.level.value[0] in "aeiou" else "A"
    what = f"{article} {ex.level.value} {ex.kind.value} exercise, {ex.position.value}"
    return f"{what}: {movement}." if movement else f"{what}."


def vocabulary_words(values: Iterable[Equipment], empty: str = "none (bodyweight)") -> str:
    return ", ".join(v.value for v in values) or empty


def sides(p: Dose) -> tuple[str, ...]:
    """The sides a set is done on: ('left', 'right'), one of them, or ('',) for both at once."""
    return tuple(s.value for s in p.worked_sides) if p.worked_sides else ("",)


APPROACH_WORDS = {
    "posterior": "no bend past 90°, no inward turn past neutral and no crossing the midline",
    "anterior": "no deep backward stretch and no backward stretch combined with an outward turn",
    "lateral": "no bend past 90°, no inward turn past neutral, no crossing the midline and no deep backward "
    "stretch or backward stretch with an outward turn",
    "unknown": "no bend past 90°, no inward turn past neutral, no crossing the midline and no deep backward "
    "stretch or backward stretch with an outward turn",
}


def _ago(since: date, today: date) -> str:
    days = (today - since).days
    if days < 0:
        return f"planned for {since.isoformat()}"
    if days < 14:
        return f"{plural(days, 'day')} ago"
    if days < 120:
        return f"{plural(days // 7, 'week')} ago"
    return f"{plural(days // 30, 'month')} ago"


def hip_words(side: Side, hip: Hip, today: date) -> str:
    """One hip's condition and what it means today, in a sentence."""
    name = f"{side.value.capitalize()} hip"
    if hip.condition is HipCondition.STIFF:
        return f"{name} stiff: one extra set of per-side mobility and stretches on the {side.value}."
    if hip.condition is HipCondition.HIP_IMPINGEMENT:
        return f"{name} impinged: no deep bend combined with an inward turn for the {side.value} hip."
    approach = (hip.approach.value if hip.approach else "unknown")
    when = f", {_ago(hip.since, today)}" if hip.since else ""
    head = f"{name} replaced ({approach} approach{when})"
    if hip.cleared is not None and hip.cleared <= today:
        return f"{head}: cleared by your surgeon on {hip.cleared.isoformat()}, so no hip precautions apply."
    until = f" until {hip.cleared.isoformat()}" if hip.cleared else " until your surgeon clears it"
    return f"{head}: {APPROACH_WORDS[approach]} for the {side.value} hip{until}."


def profile_lines(profile: Profile, today: date) -> list[str]:
    """Everything a profile holds, a sentence each."""
    lines = [hip_words(side, hip, today) for side, hip in profile.hips()]
    if profile.avoid:
        lines.append("Always left out: " + ", ".join(a.value for a in profile.avoid_in_order()) + ".")
    if profile.equipment is not None:
        lines.append("Equipment you own: " + vocabulary_words(profile.equipment_in_order(), "none (bodyweight only)")
                     + ".")  # fmt: skip
    if profile.level is not None:
        lines.append(f"Level: {profile.level.value}.")
    return lines


PRECAUTION_WORDS = {
    "hip-replacement-posterior": (
        "you have had a hip replacement by the posterior approach, or do not know the approach (it bends the hip "
        "to 90 degrees or more, turns it in, or takes it across the midline)"
    ),
    "hip-replacement-early": (
        "your hip replacement was less than 12 weeks ago and your surgeon has not cleared you (it takes the "
        "replaced hip to the end of its turn with both hips deeply bent)"
    ),
    "hip-impingement": "you have hip impingement (deep hip bend with an inward turn pinches the front of the hip)",
    "hip-replacement-anterior": (
        "you have had a hip replacement by the anterior approach, or do not know the approach (the hip is "
        "stretched back deeply, or back while it turns out)"
    ),
    "knee-pain": "your knee hurts (it twists or kneels on the knee)",
    "low-back-pain": "your lower back hurts (a loaded hinge or twist)",
}
NEED_WORDS = {
    "floor": "you cannot get down to the floor and up again",
    "kneeling": "you cannot kneel",
    "single-leg-balance": "you cannot balance on one leg",
    "deep-squat": "you cannot sink into a deep squat",
}


HIP_SCOPE_WORDS = {
    "working": "the working hip only (the other hip stays out of the restricted position)",
    "both": "both hips (both are put in the restricted position)",
}


def hip_scope_words(ex: Exercise) -> str | None:
    """Which hips the exercise's hip precautions concern, in words; None without any."""
    return HIP_SCOPE_WORDS[ex.hips.value] if ex.hips is not None else None


def item_cautions(routine: Routine, ex: Exercise) -> PersonCautions:
    """The exercise's care for the person the routine is for (chosen once, when it was
    built); all of it when the routine holds no choice for it."""
    chosen = routine.cautions.get(ex.id)
    return chosen if chosen is not None else everyone(ex)


def everyone(ex: Exercise) -> PersonCautions:
    """An exercise's care for a reader hiprot knows nothing of: every caution, every tag."""
    tags: tuple[Precaution | Need, ...] = (*ex.precautions, *ex.needs)
    return PersonCautions(tuple(c.text for c in ex.cautions), (), tags)


def caution_texts(ex: Exercise) -> tuple[str, ...]:
    """Every caution of an exercise, as text (for a view with no person in it)."""
    return tuple(c.text for c in ex.cautions)


def precaution_lines(ex: Exercise, tags: Iterable[Precaution | Need] | None = None) -> list[str]:
    """Who should leave an exercise out, in words: one line per precaution and need (those
    in `tags`, when given: the ones that concern the reader)."""
    chosen: tuple[Precaution | Need, ...] = (*ex.precautions, *ex.needs) if tags is None else tuple(tags)
    lines = [PRECAUTION_WORDS[t.value] if isinstance(t, Precaution) else NEED_WORDS[t.value] for t in chosen]
    return [line[0].upper() + line[1:] + "." for line in lines]


# --- steps that name the side -------------------------------------------------------------
# A per-side exercise's steps and cues are templates: `{side|top}` is the side in play
# ("right"), `{other|lower}` the opposite one ("left"); `{Side|...}` and `{Other|...}` give
# them capitalised. The words after `|` are what a reader sees when no side is chosen
# ("Lie on your {other|one} side" -> "Lie on your one side"), so they are required.
# `{switch|, then change legs}` is the change to the other side: said when both sides are
# worked one after the other (no side chosen), and left out when the steps are said for one
# side, so work done on one side only never tells the person to work the other leg.
# `{{` and `}}` stand for literal braces.
PLACEHOLDERS = ("side", "other", "Side", "Other", "switch")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}|]*)(?:\|([^{}]*))?\}|[{}]")
# A sound template in one match, so loading a large catalogue checks each line once.
_SOUND = re.compile(r"(?:[^{}]|\{\{|\}\}|\{(?:side|other|Side|Other|switch)\|\s*[^{}\s][^{}]*\})*")


def template_problem(template: str) -> str | None:
    """What is wrong with a step template, in words, or None if it is sound."""
    if ("{" not in template and "}" not in template) or _SOUND.fullmatch(template):
        return None  # most steps have no brace at all: no need for the pattern
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            return f"has a lone '{token}' (write '{token * 2}' for a brace, or a placeholder such as '{{side|top}}')"
        name, neutral = match.group(1), match.group(2)
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "|...}" for p in PLACEHOLDERS)
            return f"has an unknown placeholder '{token}' (use {known})"
        if neutral is None or not neutral.strip():
            return f"placeholder '{token}' needs the words to show when no side is chosen, e.g. '{{{name}|one}}'"
    return None


def has_placeholder(template: str) -> bool:
    """True if the template names a side (a `{side|...}`-style placeholder)."""
    return any(m.group(1) is not None for m in _TOKEN.finditer(template))


def render(template: str, side: Side | None) -> str:
    """A template with the side filled in; the neutral words when `side` is None."""

    def fill(match: re.Match[str]) -> str:
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            return token[0]
        if name is None:  # a lone brace: the loader refuses these, so only hand-made text
            return token
        if side is None:
            return match.group(2) or ""
        if name == "switch":
            return ""  # said for one side: no change to the other
        word = (side if name.lower() == "side" else side.other).value
        return word.capitalize() if name[0].isupper() else word

    return _TOKEN.sub(fill, template)


def steps_for(ex: Exercise, side: Side | None) -> list[str]:
    """The exercise's steps for the side in play, or in neutral words when side is None."""
    return [render(step, side) for step in ex.steps]


def cues_for(ex: Exercise, side: Side | None) -> list[str]:
    """The exercise's cues for the side in play, or in neutral words when side is None."""
    return [render(cue, side) for cue in ex.cues]


# --- sources ------------------------------------------------------------------------------
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_words(date: str) -> str:
    """'2024-11-12' -> '12 Nov 2024', '2013-02' -> 'Feb 2013', '2009' -> '2009'."""
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def citation(source: Source) -> str:
    """A source as a reader cites it: 'Title. Author, Publisher, 12 Nov 2024.'"""
    details = [d for d in (source.author, source.publisher) if d]
    if source.date:
        details.append(date_words(source.date))
    title = source.title if source.title[-1] in ".?!]" else source.title + "."
    return f"{title} {', '.join(details)}." if details else title


OWN_EXERCISE = "Your own exercise (from your catalogue folder; no published source)."


def source_lines(ids: Iterable[str], sources: Mapping[str, Source]) -> list[str]:
    """Citations for source ids, in order; an id with no entry is shown as itself. An
    exercise that cites nothing is one the person added themselves, and says so."""
    lines = [citation(sources[i]) if i in sources else i for i in ids]
    return lines or [OWN_EXERCISE]


def profile_notes(routine: Routine, profile: Profile, today: date) -> list[str]:
    """What the profile meant for this routine, for its header: the profile in words, each
    protected hip and the work done on the other side only, and the floor after surgery."""
    from hiprot.safety import early_note

    notes = ["Your profile: " + " ".join(profile_lines(profile, today))]
    early = early_note(profile, today)
    if early is not None:
        notes.append(early)
    for side, hip in profile.hips():
        if not hip.precautions(today):
            continue
        one_sided = [item.exercise.name for item in routine.items if item.dosage.only is side.other]
        note = (f"The {side.value} hip is protected: exercises that would put it in a position it must avoid "
                "are left out")  # fmt: skip
        if one_sided:
            verb = "works" if len(one_sided) == 1 else "work"
            note += f"; {', '.join(one_sided)} {verb} your {side.other.value} side only"
        notes.append(note + ".")
    recent = any(
        hip.condition is HipCondition.HIP_REPLACEMENT and hip.precautions(today) for _, hip in profile.hips()
    )
    if recent and Need.FLOOR not in profile.avoid and any(Need.FLOOR in i.exercise.needs for i in routine.items):
        notes.append(
            "This routine gets you down to the floor and up again; if that is not yet safe after your operation, "
            "add 'floor' to what your profile always leaves out."
        )
    return notes
