"""Rich renderables for exercises and routines. Builds, never prints.

Catalogue text always goes in as `Text`, which Rich never parses as markup, so a name
such as "Loop [band] walk" keeps its brackets.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from hiprot.catalogue import Catalogue
from hiprot.models import HIP_PRECAUTIONS, Exercise, PersonCautions, Routine, Side
from hiprot.report import header_notes, hidden_words
from hiprot.text import (
    SAFETY,
    clock,
    cues_for,
    dosage_short,
    dosage_words,
    everyone,
    hip_scope_words,
    muscle_names,
    needs_words,
    plural,
    precaution_lines,
    prescription_words,
    rounds_words,
    routine_title,
    seed_words,
    source_lines,
    steps_for,
    substitution_note,
    total_words,
    vocabulary_words,
    what_it_is,
)
from hiprot.timeline import item_times


def routine(plan: Routine, command: str) -> RenderableType:
    return routine_view(plan)


def exercise(
    ex: Exercise, catalogue: Catalogue, side: Side | None = None, person: PersonCautions | None = None
) -> RenderableType:
    return exercise_detail(ex, catalogue, side=side, person=person)


def exercises(found: list[Exercise], catalogue: Catalogue) -> RenderableType:
    count = Text(f"{len(found)} of {plural(len(catalogue), 'exercise')}. Details: hiprot show NAME")
    return Group(exercise_table(found), count)


def _heading(title: str) -> Text:
    return Text(title, style="bold")


def _bullets(lines: tuple[str, ...], numbered: bool = False) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for n, line in enumerate(lines, 1):
        grid.add_row(f"{n}." if numbered else "-", Text(line))
    return grid


def exercise_detail(
    ex: Exercise,
    catalogue: Catalogue,
    figure: RenderableType | None = None,
    side: Side | None = None,
    person: PersonCautions | None = None,
) -> RenderableType:
    """Everything about one exercise, for `hiprot show`: steps and cues for `side` (or in
    neutral words); a `figure` goes above the steps; `person` the cautions that concern the
    person (default: all of them)."""
    title = Text(ex.name, style="bold cyan")
    title.append(f"  ({ex.id})", style="dim")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("Kind", ex.kind.value)
    facts.add_row("Good for", ", ".join(g.value for g in ex.goals))
    facts.add_row("Position", ex.position.value)
    facts.add_row("Level", ex.level.value)
    facts.add_row("Equipment", vocabulary_words(ex.equipment))
    facts.add_row("Muscles", Text(muscle_names(ex.muscles.primary)))
    if ex.muscles.secondary:
        facts.add_row("Also works", Text(muscle_names(ex.muscles.secondary)))
    if ex.movement:
        facts.add_row("Movement", ", ".join(m.value for m in ex.movement))
    facts.add_row("Dosage", dosage_words(ex.dosage))
    if ex.aliases:
        facts.add_row("Also called", Text("; ".join(ex.aliases)))
    parts: list[RenderableType] = [title, Text(what_it_is(ex), style="italic"), Text()]
    steps_title = f"Steps ({side.value} side)" if side is not None and ex.dosage.per_side else "Steps"
    parts += [facts, Text()]
    if figure is not None:
        parts += [figure, Text()]
    parts += [_heading(steps_title), _bullets(tuple(steps_for(ex, side)), numbered=True)]
    if ex.cues:
        parts += [Text(), _heading("Cues"), _bullets(tuple(cues_for(ex, side)))]
    care = person if person is not None else everyone(ex)
    if care.shown:
        parts += [Text(), _heading("Cautions"), _bullets(care.shown)]
    if care.hidden:
        parts += [Text(hidden_words(care.hidden), style="dim")]
    if care.leave_out:
        parts += [Text(), _heading("Leave it out if"), _bullets(tuple(precaution_lines(ex, care.leave_out)))]
    hips = hip_scope_words(ex)
    if hips and any(t in HIP_PRECAUTIONS for t in care.leave_out):
        parts += [Text(), _heading("Hips concerned"), _bullets((hips[0].upper() + hips[1:] + ".",))]
    variants = Table.grid(padding=(0, 2))
    variants.add_column(style="bold", no_wrap=True)
    variants.add_column(overflow="fold")
    for label, target in (("Easier", ex.easier), ("Harder", ex.harder)):
        if target:
            other = catalogue.by_id[target]
            variants.add_row(label, Text(f"{other.name} (hiprot show {other.id})"))
    if variants.row_count:
        parts += [Text(), _heading("Variants"), variants]
    parts += [Text(), _heading("Sources"), _bullets(tuple(source_lines(ex.sources, catalogue.sources)))]
    return Group(*parts)


# Below these widths a table's columns get too narrow to read, and words would be split
# mid-name: such terminals get one block per exercise instead.
ROUTINE_TABLE_MIN_WIDTH = 64
LIST_TABLE_MIN_WIDTH = 56


class Responsive:
    """A table where it fits, a stacked layout (one block per row) where it does not."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide, self.narrow, self.min_width = wide, narrow, min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


def _stacked(blocks: list[tuple[Text, list[Text]]]) -> Group:
    """Each block: a bold first line, then indented detail lines, a blank line between."""
    parts: list[RenderableType] = []
    for title, lines in blocks:
        if parts:
            parts.append(Text())
        parts.append(title)
        parts.append(Padding(Group(*lines), (0, 0, 0, 3)))
    return Group(*parts)


def exercise_table(exercises: list[Exercise]) -> Responsive:
    """The exercises for `hiprot list`: a compact table, stacked on a narrow terminal."""
    return Responsive(_ExerciseTable(exercises), _exercise_blocks(exercises), LIST_TABLE_MIN_WIDTH)


def _exercise_blocks(exercises: list[Exercise]) -> Group:
    blocks = []
    for ex in exercises:
        needs = ", ".join(e.value for e in ex.equipment) or "no equipment"
        blocks.append((
            Text(ex.name, style="bold"),
            [
                Text(f"{ex.kind.value}, {ex.level.value}, {ex.position.value}"),
                Text(needs),
                Text(dosage_short(ex.dosage)),
            ],
        ))
    return _stacked(blocks)


class _ExerciseTable:
    """The `list` table, laid out here rather than by `rich.table.Table`.

    Rich's table measures every cell of every row, about 38 ms for the bundled 22
    exercises, a third of the command's run; these columns are known in advance, so
    only the name column is sized, to what the console has left, and names wrap at
    word boundaries within it.
    """

    HEADERS = ("Exercise", "Position", "Needs", "Dosage")
    GAP = "  "

    def __init__(self, exercises: list[Exercise]) -> None:
        self.rows = [
            (ex, ex.position.value, ", ".join(e.value for e in ex.equipment) or "-", dosage_short(ex.dosage))
            for ex in exercises
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, gap = options.max_width, len(self.GAP)
        pos_w, needs_w, dose_w = (max([len(self.HEADERS[c])] + [len(row[c]) for row in self.rows]) for c in (1, 2, 3))
        room = width - pos_w - needs_w - 3 * gap  # for the name and the dosage
        name_w = max(min(room - dose_w, 40), min(20, room // 2))
        dose_w = room - name_w  # the dosage wraps when the name needs the room
        head = [("Exercise", name_w), ("Position", pos_w), ("Needs", needs_w), ("Dosage", dose_w)]
        out = Text(self.GAP.join(h.ljust(w) for h, w in head).rstrip(), style="bold")
        out.append("\n" + "─" * min(width, room + pos_w + needs_w + 3 * gap))
        for ex, position, needs, dosage in self.rows:
            names = list(Text(ex.name, style="bold").wrap(console, name_w, overflow="fold"))
            names += list(Text(f"{ex.kind.value}, {ex.level.value}", style="dim").wrap(console, name_w))
            doses = [line.plain for line in Text(dosage).wrap(console, dose_w, overflow="fold")]
            for n in range(max(len(names), len(doses))):
                out.append("\n")
                name = names[n] if n < len(names) else Text()
                out.append_text(name)
                cells = (position, needs) if n == 0 else ("", "")
                rest = "".join(self.GAP + c.ljust(w) for c, w in zip(cells, (pos_w, needs_w)))
                rest += self.GAP + (doses[n] if n < len(doses) else "")
                if rest.strip():
                    out.append(" " * (name_w - name.cell_len) + rest.rstrip())
        out.no_wrap = True
        yield out


def routine_view(routine: Routine) -> RenderableType:
    """Header, the routine table and the safety footer, for `hiprot routine`."""
    header = Text(routine_title(routine), style="bold cyan")
    header.append(f"\nTotal {total_words(routine)}")
    header.append(f" · {plural(len(routine.items), 'exercise')}")
    rounds = rounds_words(routine)
    if rounds:
        header.append(f" · {rounds}")
    header.append(f" · seed {seed_words(routine)}")
    header.append("\nMuscles: ", style="bold")
    header.append(muscle_names(routine.muscles_covered))
    header.append("\nYou need: ", style="bold")
    header.append(needs_words(routine))
    for line in header_notes(routine):
        header.append(f"\n{line}", style="yellow")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Exercise", overflow="fold", ratio=3)
    table.add_column("Position", overflow="fold")
    table.add_column("Dosage", overflow="fold", ratio=2)
    table.add_column("Main muscles", overflow="fold", ratio=2)
    table.add_column("Time", justify="right", no_wrap=True)
    times = item_times(routine)
    for n, item in enumerate(routine.items, 1):
        ex = item.exercise
        name = Text(ex.name)
        note = substitution_note(item, routine.level)
        if note:
            name.append(f"\n({note})", style="italic dim")
        table.add_row(
            str(n),
            name,
            ex.position.value,
            prescription_words(item.dosage),
            Text(muscle_names(ex.muscles.primary, limit=3, short=True)),
            clock(times[n - 1]),
        )
    footer = Text(f"Details: hiprot show NAME. {SAFETY}", style="dim")
    cited = [src.title.rstrip(".") for src in routine.cited()]
    if cited:  # titles only: `hiprot show NAME` gives authors and dates
        footer.append("\nSources: " + "; ".join(cited) + ".")
    body = Responsive(table, _routine_blocks(routine), ROUTINE_TABLE_MIN_WIDTH)
    return Group(header, Text(), body, Text(), footer)


def _routine_blocks(routine: Routine) -> Group:
    blocks = []
    times = item_times(routine)
    for n, item in enumerate(routine.items, 1):
        ex = item.exercise
        lines = [Text(f"{ex.position.value} · {prescription_words(item.dosage)} · {clock(times[n - 1])}")]
        note = substitution_note(item, routine.level)
        if note:
            lines.append(Text(f"({note})", style="italic dim"))
        lines.append(Text(muscle_names(ex.muscles.primary, short=True)))
        blocks.append((Text(f"{n}. {ex.name}", style="bold"), lines))
    return _stacked(blocks)
