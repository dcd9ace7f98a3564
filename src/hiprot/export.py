"""Pure text for people and scripts: dosage in words, JSON, Markdown. No I/O, no Rich."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hiprot.timeline import item_seconds, total_seconds
from hiprot.models import (
    Dosage,
    Equipment,
    Exercise,
    Level,
    Position,
    Prescription,
    Range,
    Routine,
    Item,
)

if TYPE_CHECKING:
    from hiprot.models import Request


def _seconds(value: Range) -> str:
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


def muscle_names(muscles: tuple, limit: int | None = None, short: bool = False) -> str:
    names = [m.short if short else m.label for m in muscles]
    if limit is not None and len(names) > limit:
        names = names[:limit] + [f"+{len(names) - limit}"]
    return ", ".join(names)


def exercise_to_dict(ex: Exercise) -> dict[str, Any]:
    """The exercise with the catalogue's own keys; ranges as a number or [low, high]."""
    d = ex.dosage
    return {
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "kind": ex.kind.value,
        "goals": [g.value for g in ex.goals],
        "position": ex.position.value,
        "level": ex.level.value,
        "equipment": [e.value for e in ex.equipment],
        "muscles": _muscles_dict(ex),
        "movement": [m.value for m in ex.movement],
        "dosage": {
            "sets": d.sets.to_data(),
            "reps": d.reps.to_data() if d.reps else None,
            "hold_s": d.hold_s.to_data() if d.hold_s else None,
            "per_side": d.per_side,
            "rest_s": d.rest_s.to_data() if d.rest_s else None,
        },
        "steps": list(ex.steps),
        "cues": list(ex.cues),
        "cautions": list(ex.cautions),
        "easier": ex.easier,
        "harder": ex.harder,
        "sources": list(ex.sources),
    }


def _muscles_dict(ex: Exercise) -> dict[str, list[str]]:
    return {
        "primary": [m.value for m in ex.muscles.primary],
        "secondary": [m.value for m in ex.muscles.secondary],
    }


def to_json(data: Any) -> str:
    import json  # only scripts ask for JSON; tables should not pay for the import

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- routines --------------------------------------------------------------------------

GOAL_TITLES = {"warmup": "Warm-up", "strength": "Strength", "recovery": "Recovery"}
SAFETY = (
    "Stop on sharp pain. Not medical advice: see a physiotherapist or doctor for hip pain, "
    "an injury, or after surgery."
)


def clock(seconds: int) -> str:
    """Seconds as m:ss."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def prescription_words(p: Prescription) -> str:
    """Today's numbers for a table cell: '2 x 20 / side, rest 30 s', 'hold 30 s / side'."""
    side = " / side" if p.per_side else ""
    work = f"{p.reps}" if p.reps is not None else f"hold {p.hold_s} s"
    text = f"{work}{side}" if p.sets == 1 and p.hold_s is not None else f"{p.sets} x {work}{side}"
    if p.sets > 1 and p.rest_s:
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


def routine_equipment(routine: Routine) -> list[str]:
    needed = {e for item in routine.items for e in item.exercise.equipment}
    return [e.value for e in Equipment if e in needed]


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    return {
        "goal": routine.goal.value,
        "level": routine.level.value,
        "seed": routine.seed,
        "total_seconds": total_seconds(routine),
        "items": [_item_to_dict(item) for item in routine.items],
    }


def _item_to_dict(item: Item) -> dict[str, Any]:
    ex, p = item.exercise, item.dosage
    return {
        "id": ex.id,
        "name": ex.name,
        "kind": ex.kind.value,
        "position": ex.position.value,
        "level": ex.level.value,
        "equipment": [e.value for e in ex.equipment],
        "muscles": _muscles_dict(ex),
        "dosage": {"sets": p.sets, "reps": p.reps, "hold_s": p.hold_s, "per_side": p.per_side, "rest_s": p.rest_s},
        "seconds": item_seconds(item),
        "substituted_for": item.substituted_for.id if item.substituted_for else None,
    }


# --- Markdown --------------------------------------------------------------------------

_MD_ALWAYS = re.compile(r"([\\`*\[\]<>|~&])")
_MD_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_text(text: str) -> str:
    """Catalogue text made inert in Markdown: no markup, links, HTML, headings or lists."""
    text = " ".join(text.split())  # one line: a newline could start a block
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_EDGE_UNDERSCORE.sub(r"\\_", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]  # "1." -> "1\."
    return "\\" + marker


def command_line(request: Request, catalog: str | None = None) -> str:
    """The `hiprot routine` command that rebuilds a request (never --output/--format/--force)."""
    parts = ["hiprot", "routine", "--goal", request.goal.value]
    if request.level is not Level.BEGINNER:
        parts += ["--level", request.level.value]
    for position in sorted(request.positions or (), key=list(Position).index):
        parts += ["--position", position.value]
    if request.equipment is not None:
        have = [e.value for e in Equipment if e in request.equipment] or ["none"]
        for item in have:
            parts += ["--equipment", item]
    for muscle in request.muscles:
        parts += ["--muscle", muscle.value]
    for flag, value in (("--minutes", request.minutes), ("--count", request.count), ("--seed", request.seed)):
        if value is not None:
            parts += [flag, str(value)]
    if catalog:
        parts += ["--catalog", catalog]
    import shlex

    return shlex.join(parts)


def md_code(text: str) -> str:
    """An inline code span that survives backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _sides(p: Prescription) -> tuple[str, ...]:
    return ("left", "right") if p.per_side else ("",)


def routine_to_markdown(routine: Routine, command: str) -> str:
    """The durable form of a routine: summary, GFM table, one section per exercise."""
    out = [f"# {routine_title(routine)}", ""]
    covered = muscle_names(routine.muscles_covered) or "none"
    seed = routine.seed if routine.seed is not None else "none"
    needs = ", ".join(routine_equipment(routine)) or "nothing (bodyweight only)"
    out += [
        f"**Total {clock(total_seconds(routine))}** of {clock(routine.budget_seconds)} min · "
        f"{len(routine.items)} exercises · muscles: {covered} · you need: {needs} · seed: {seed} · "
        f"rebuild with {md_code(command)}",
        "",
        "| # | Exercise | Position | Dosage | Main muscles | Time |",
        "|---:|---|---|---|---|---:|",
    ]
    for n, item in enumerate(routine.items, 1):
        ex = item.exercise
        name = md_text(ex.name)
        note = substitution_note(item, routine.level)
        if note:
            name += f" ({md_text(note)})"
        row = [str(n), name, ex.position.value, prescription_words(item.dosage),
               md_text(muscle_names(ex.muscles.primary)), clock(item_seconds(item))]  # fmt: skip
        out.append("| " + " | ".join(row) + " |")
    for n, item in enumerate(routine.items, 1):
        out += ["", *_item_section(n, item, routine.level)]
    out += ["", "## Safety", "", SAFETY, ""]
    return "\n".join(out)


def _item_section(n: int, item: Item, level: Level) -> list[str]:
    ex, p = item.exercise, item.dosage
    lines = [f"## {n}. {md_text(ex.name)}", ""]
    note = substitution_note(item, level)
    if note:
        lines += [f"*Stands in as the {md_text(note)}.*", ""]
    gear = ", ".join(e.value for e in ex.equipment) or "none"
    lines += [
        f"**Dosage:** {prescription_words(p)} ({clock(item_seconds(item))}) · **Position:** {ex.position.value} · "
        f"**Equipment:** {gear}",
        "",
    ]
    lines += _card_body(ex)
    lines += ["### Log", ""]
    for s in range(1, p.sets + 1):
        lines += [f"- [ ] Set {s}" + (f" · {side}" if side else "") for side in _sides(p)]
    lines += ["", "### Sources", "", *[f"- {md_text(src)}" for src in ex.sources]]
    return lines


def _card_body(ex: Exercise) -> list[str]:
    lines = ["### Steps", "", *[f"{i}. {md_text(step)}" for i, step in enumerate(ex.steps, 1)], ""]
    for title, entries in (("Cues", ex.cues), ("Cautions", ex.cautions)):
        if entries:
            lines += [f"### {title}", "", *[f"- {md_text(e)}" for e in entries], ""]
    return lines


def exercise_to_markdown(ex: Exercise, names: dict[str, str]) -> str:
    """One exercise as a Markdown card; `names` maps ids to names for its variants."""
    gear = ", ".join(e.value for e in ex.equipment) or "none (bodyweight)"
    out = [
        f"# {md_text(ex.name)}",
        "",
        f"*{md_text(ex.kind.value)} · {ex.position.value} · {ex.level.value}*",
        "",
        f"- **Dosage:** {dosage_words(ex.dosage)}",
        f"- **Equipment:** {gear}",
        f"- **Muscles:** {md_text(muscle_names(ex.muscles.primary))}",
    ]
    if ex.muscles.secondary:
        out.append(f"- **Also works:** {md_text(muscle_names(ex.muscles.secondary))}")
    out.append(f"- **Movement:** {', '.join(m.value for m in ex.movement)}")
    for label, target in (("Easier", ex.easier), ("Harder", ex.harder)):
        if target:
            out.append(f"- **{label}:** {md_text(names.get(target, target))} (`hiprot show {target}`)")
    out += ["", *_card_body(ex), "### Sources", "", *[f"- {md_text(s)}" for s in ex.sources]]
    out += ["", "## Safety", "", SAFETY, ""]
    return "\n".join(out)
