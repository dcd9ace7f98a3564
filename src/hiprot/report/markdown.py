"""GitHub-flavoured Markdown: routines to print or save, exercise cards, catalogue tables.

Catalogue text is made inert (`md_text`): a `|` stays in its cell, a leading `#` or `-`
never becomes a heading or a list, and no link or HTML gets through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from hiprot.catalogue import Catalogue
from hiprot.models import HIP_PRECAUTIONS, Exercise, Item, Level, PersonCautions, Routine, Side, Source
from hiprot.report import header_notes, hidden_words
from hiprot.text import (
    SAFETY,
    clock,
    cues_for,
    dosage_short,
    dosage_words,
    everyone,
    hip_scope_words,
    item_cautions,
    muscle_names,
    needs_words,
    plural,
    precaution_lines,
    prescription_words,
    rounds_words,
    routine_title,
    seed_words,
    sides,
    source_lines,
    steps_for,
    substitution_note,
    vocabulary_words,
)
from hiprot.timeline import item_times, total_seconds

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


def md_code(text: str) -> str:
    """An inline code span that survives backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def routine(plan: Routine, command: str) -> str:
    """The routine; `command` is the hiprot command line that rebuilds it."""
    return routine_to_markdown(plan, command)


def exercise(
    ex: Exercise, catalogue: Catalogue, side: Side | None = None, person: PersonCautions | None = None
) -> str:
    """One exercise as a card, its variants named, its steps for `side` (or neutral), the
    cautions that concern the person (`person`; default: all)."""
    names = {link: catalogue.by_id[link].name for link in (ex.easier, ex.harder) if link and link in catalogue.by_id}
    return exercise_to_markdown(ex, names, catalogue.sources, side, person)


def exercises(found: list[Exercise], catalogue: Catalogue) -> str:
    """A GFM table of exercises, for `list`."""
    out = [
        f"# Exercises ({len(found)} of {len(catalogue)})",
        "",
        "| Exercise | Id | Kind | Position | Level | Equipment | Dosage |",
        "|---|---|---|---|---|---|---|",
    ]
    for ex in found:
        row = [md_text(ex.name), md_code(ex.id), ex.kind.value, ex.position.value, ex.level.value,
               vocabulary_words(ex.equipment, "none"), dosage_short(ex.dosage)]  # fmt: skip
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def routine_to_markdown(routine: Routine, command: str) -> str:
    """The durable form of a routine: summary, GFM table, one section per exercise."""
    out = [f"# {routine_title(routine)}", ""]
    covered = muscle_names(routine.muscles_covered) or "none"
    rounds = f" · {rounds_words(routine)}" if routine.rounds > 1 else ""
    out += [
        f"**Total {clock(total_seconds(routine))}** of {clock(routine.budget_seconds)} min · "
        f"{plural(len(routine.items), 'exercise')}{rounds} · muscles: {covered} · you need: {needs_words(routine)} · "
        f"seed: {seed_words(routine)} · rebuild with {md_code(command)}",
        "",
        *[line for note in header_notes(routine) for line in (f"**Note:** {md_text(note)}", "")],
        "| # | Exercise | Position | Dosage | Main muscles | Time |",
        "|---:|---|---|---|---|---:|",
    ]
    times = item_times(routine)
    for n, item in enumerate(routine.items, 1):
        ex = item.exercise
        name = md_text(ex.name)
        note = substitution_note(item, routine.level)
        if note:
            name += f" ({md_text(note)})"
        row = [str(n), name, ex.position.value, prescription_words(item.dosage),
               md_text(muscle_names(ex.muscles.primary)), clock(times[n - 1])]  # fmt: skip
        out.append("| " + " | ".join(row) + " |")
    for n, item in enumerate(routine.items, 1):
        care = item_cautions(routine, item.exercise)
        out += ["", *_item_section(n, item, times[n - 1], routine.level, routine.sources, routine.rounds, care)]
    out += ["", "## Safety", "", SAFETY, ""]
    return "\n".join(out)


def _item_section(
    n: int, item: Item, seconds: int, level: Level, sources: Mapping[str, Source], rounds: int, care: PersonCautions
) -> list[str]:
    ex, p = item.exercise, item.dosage
    lines = [f"## {n}. {md_text(ex.name)}", ""]
    note = substitution_note(item, level)
    if note:
        lines += [f"*Stands in as the {md_text(note)}.*", ""]
    gear = vocabulary_words(ex.equipment, "none")
    lines += [
        f"**Dosage:** {prescription_words(p)} ({clock(seconds)}) · **Position:** {ex.position.value} · "
        f"**Equipment:** {gear}",
        "",
    ]
    # Neutral steps (the checkboxes name the side), or the one side worked.
    lines += _card_body(ex, p.only, care)
    lines += ["### Log", ""]
    for r in range(1, rounds + 1):
        done_in = f"Round {r} · " if rounds > 1 else ""
        for s in range(1, p.sets + 1):
            lines += [f"- [ ] {done_in}Set {s}" + (f" · {side}" if side else "") for side in sides(p)]
        if p.extra is not None and p.extra.value in sides(p):
            lines.append(f"- [ ] {done_in}Set {p.sets + 1} · {p.extra.value} (extra set for the stiff hip)")
    lines += ["", "### Sources", "", *[f"- {md_text(src)}" for src in source_lines(ex.sources, sources)]]
    return lines


def _card_body(ex: Exercise, side: Side | None, care: PersonCautions, say_hidden: bool = False) -> list[str]:
    steps = steps_for(ex, side)
    title = f"Steps ({side.value} side)" if side is not None and ex.dosage.per_side else "Steps"
    lines = [f"### {title}", "", *[f"{i}. {md_text(step)}" for i, step in enumerate(steps, 1)], ""]
    hips = hip_scope_words(ex)
    sections = (
        ("Cues", tuple(cues_for(ex, side))),
        ("Cautions", care.shown + ((hidden_words(care.hidden),) if say_hidden and care.hidden else ())),
        ("Leave it out if", tuple(precaution_lines(ex, care.leave_out))),
        ("Hips concerned", (hips[0].upper() + hips[1:] + ".",) if hips and _hip_tags(care) else ()),
    )
    for title, entries in sections:
        if entries:
            lines += [f"### {title}", "", *[f"- {md_text(e)}" for e in entries], ""]
    return lines


def _hip_tags(care: PersonCautions) -> bool:
    """True if the reader is told to leave the exercise out for a hip precaution (so which
    hips it concerns matters to them)."""
    return any(t in HIP_PRECAUTIONS for t in care.leave_out)


def exercise_to_markdown(
    ex: Exercise,
    names: dict[str, str],
    sources: Mapping[str, Source] | None = None,
    side: Side | None = None,
    person: PersonCautions | None = None,
) -> str:
    """One exercise as a Markdown card; `names` maps ids to names for its variants,
    `sources` ids to the works cited; steps for `side`, or in neutral words."""
    gear = vocabulary_words(ex.equipment)
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
    if ex.movement:
        out.append(f"- **Movement:** {', '.join(m.value for m in ex.movement)}")
    for label, target in (("Easier", ex.easier), ("Harder", ex.harder)):
        if target:
            out.append(f"- **{label}:** {md_text(names.get(target, target))} (`hiprot show {target}`)")
    cited = source_lines(ex.sources, sources or {})
    care = person if person is not None else everyone(ex)
    out += ["", *_card_body(ex, side, care, say_hidden=True), "### Sources", "", *[f"- {md_text(s)}" for s in cited]]
    out += ["", "## Safety", "", SAFETY, ""]
    return "\n".join(out)
