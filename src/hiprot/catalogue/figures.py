"""Read `data/figures.yaml`: each exercise's start and end pose, checked strictly.

Only commands that draw a figure load this file, so `routine` and `list` never parse it.
Every problem names the file, the line and the exercise, and all are reported at once.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hiprot import __version__
from hiprot.catalogue.limits import _label, _line, _mapping_lines, _value_node, _yaml_nodes, read_text
from hiprot.errors import CatalogueError
from hiprot.figures import (
    ARM_RANGES,
    BODY_RANGES,
    JOINT_NAMES,
    LEG_RANGES,
    PIN_CHAINS,
    PIN_TARGETS,
    PUBLIC_NAMES,
    VIEW_RANGES,
    Anchor,
    Arm,
    BandAt,
    Cells,
    Figure,
    Leg,
    Orientation,
    Pose,
    Prop,
    View,
    Working,
)
from hiprot.files import read_bounded
from hiprot.models import Exercise, Position
from hiprot.paths import cache_dir

FIGURES_VERSION = 1
FIGURE_KEYS = ("orientation", "view", "terminal_view", "working", "props", "band_at", "anchor", "start", "end")
POSE_KEYS = ("left", "right", "left_arm", "right_arm", *BODY_RANGES, "floor", "stay", "pins")
# Which orientations draw each catalogue position.
ORIENTATIONS_FOR = {
    Position.STANDING: {Orientation.STANDING},
    Position.SEATED: {Orientation.SEATED_CHAIR, Orientation.SEATED_FLOOR},
    Position.LYING: {Orientation.LYING},
    Position.SIDE_LYING: {Orientation.SIDE_LYING},
    Position.QUADRUPED: {Orientation.QUADRUPED},
    Position.SQUAT: {Orientation.SQUAT},
    Position.KNEELING: {Orientation.KNEELING},
}


def figures_path() -> Path:
    """The bundled figures file, next to the bundled catalogue."""
    from hiprot.catalogue import bundled_path

    return bundled_path() / "figures.yaml"


def load_figures(path: Path | None = None, exercises: Mapping[str, Exercise] | None = None) -> dict[str, Figure]:
    """Figures by exercise id. With `exercises`, each figure must belong to one of them and
    agree with it (position, equipment); CatalogueError lists every problem."""
    source = path if path is not None else figures_path()
    figures, problems = parse_figures(read_text(source), str(source), exercises)
    if problems:
        raise CatalogueError(problems, str(source))
    return figures


class _Where:
    """Collects problems for one figure, each as FILE:LINE: exercise 'ID': ..."""

    def __init__(self, source: str, exercise: str, problems: list[str]) -> None:
        self.source, self.exercise, self.problems = source, exercise, problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: exercise '{_label(self.exercise)}': {message}")


def parse_figures(
    text: str, source: str, exercises: Mapping[str, Exercise] | None = None
) -> tuple[dict[str, Figure], list[str]]:
    """Validate a figures file's text: (figures by id, every problem)."""
    data, root = _yaml_nodes(text, source)
    if not isinstance(data, dict) or root is None or root.id != "mapping":
        return {}, [f"{source}:1: a figures file is a mapping with 'version: 1' and 'figures:'"]
    problems: list[str] = []
    lines, repeats = _mapping_lines(root)
    problems += [f"{source}:{line}: key '{_label(key)}' appears twice" for key, line in repeats]
    for key in data:
        if key not in ("version", "figures"):
            problems.append(f"{source}:{lines.get(key, 1)}: unknown top-level key '{_label(key)}' "
                            "(expected 'version' and 'figures')")  # fmt: skip
    version = data.get("version")
    if not (type(version) is int and version == FIGURES_VERSION):
        problems.append(f"{source}:{lines.get('version', 1)}: 'version' must be {FIGURES_VERSION}, found {version!r}")
    items = data.get("figures")
    node = _value_node(root, "figures")
    if not isinstance(items, dict) or node is None or node.id != "mapping":
        problems.append(f"{source}:{lines.get('figures', 1)}: 'figures' must map exercise ids to figures")
        return {}, problems
    item_lines, item_repeats = _mapping_lines(node)
    problems += [f"{source}:{line}: exercise '{_label(key)}' has two figures" for key, line in item_repeats]
    figures: dict[str, Figure] = {}
    for key_node, value_node in node.value:
        exercise_id = key_node.value
        where = _Where(source, str(exercise_id), problems)
        line = _line(key_node)
        if exercises is not None and exercise_id not in exercises:
            where.add(line, "no exercise has this id")
            continue
        figure = _figure(str(exercise_id), items.get(exercise_id), value_node, where, line)
        if figure is None:
            continue
        if exercises is not None:
            _agrees(figure, exercises[exercise_id], where, line)
        figures[str(exercise_id)] = figure
    if exercises is not None:
        for missing in exercises:
            if missing not in item_lines:
                problems.append(f"{source}:{_line(node)}: exercise '{missing}' has no figure")
    return figures, problems


def fits(figure: Figure | None, exercise: Exercise) -> Figure | None:
    """The figure if it can draw this exercise (its position and equipment), else None: a
    catalogue of the person's own may give a bundled id to a different drill."""
    if figure is None or figure.orientation not in ORIENTATIONS_FOR[exercise.position]:
        return None
    return figure if {p.value for p in figure.props} == {e.value for e in exercise.equipment} else None


def _agrees(figure: Figure, exercise: Exercise, where: _Where, line: int) -> None:
    if figure.orientation not in ORIENTATIONS_FOR[exercise.position]:
        where.add(line, f"orientation '{figure.orientation.value}' does not draw position '{exercise.position.value}'")
    props = {p.value for p in figure.props}
    gear = {e.value for e in exercise.equipment}
    if props != gear:
        where.add(line, f"props {sorted(props)} must be the exercise's equipment {sorted(gear)}")


def _figure(exercise_id: str, data: Any, node: Any, where: _Where, line: int) -> Figure | None:
    if not isinstance(data, dict) or node.id != "mapping":
        where.add(line, "a figure is a mapping (orientation, view, working, props, start, end)")
        return None
    lines, repeats = _mapping_lines(node)
    before = len(where.problems)
    for key, line in repeats:
        where.add(line, f"key '{_label(key)}' appears twice")
    for key in data:
        if key not in FIGURE_KEYS:
            expected = ", ".join(FIGURE_KEYS)
            where.add(lines.get(key, _line(node)), f"unknown key '{_label(key)}' (expected one of {expected})")
    for key in ("orientation", "working", "start", "end"):
        if key not in data:
            where.add(line, f"missing '{key}'")

    def at(key: str) -> int:
        return int(lines.get(key, _line(node)))

    orientation = _choice(Orientation, data["orientation"], "orientation", where, at("orientation")) \
        if "orientation" in data else None
    working = _choice(Working, data["working"], "working", where, at("working")) if "working" in data else None
    view = _view(data.get("view", {}), _value_node(node, "view"), where, at("view"))
    terminal_view = _view(data["terminal_view"], _value_node(node, "terminal_view"), where, at("terminal_view")) \
        if "terminal_view" in data else None
    props_raw = data.get("props", [])
    props: set[Prop] = set()
    if not isinstance(props_raw, list):
        where.add(at("props"), "'props' must be a list")
    else:
        for value in props_raw:
            prop = _choice(Prop, value, "props", where, at("props"))
            if prop is not None:
                props.add(prop)
    band_at = _choice(BandAt, data["band_at"], "band_at", where, at("band_at")) if "band_at" in data else None
    anchor = _choice(Anchor, data["anchor"], "anchor", where, at("anchor")) if "anchor" in data else None
    if Prop.LOOP_BAND in props and band_at is None:
        where.add(at("props"), "a loop-band needs 'band_at' (thighs, knees, ankles or feet)")
    if band_at is not None and Prop.LOOP_BAND not in props:
        where.add(at("band_at"), "'band_at' places a loop-band, but props has none")
    if Prop.BAND in props and anchor is None:
        where.add(at("props"), "a band needs 'anchor' (inside or outside the working ankle)")
    if anchor is not None and Prop.BAND not in props:
        where.add(at("anchor"), "'anchor' ties a band, but props has none")
    if anchor is not None and working is Working.BOTH:
        where.add(at("anchor"), "a band tied to one ankle needs one working leg, not both")
    poses = {}
    for key in ("start", "end"):
        if key in data:
            poses[key] = _pose(data[key], _value_node(node, key), key, where, at(key))
    if len(where.problems) > before:
        return None
    assert orientation is not None and working is not None and view is not None
    return Figure(
        exercise=exercise_id, orientation=orientation, view=view, working=working,
        start=poses["start"], end=poses["end"], props=frozenset(props), band_at=band_at, anchor=anchor,
        terminal_view=terminal_view,
    )  # fmt: skip


def _choice(enum: Any, value: Any, key: str, where: _Where, line: int) -> Any:
    for member in enum:
        if value == member.value and isinstance(value, str):
            return member
    valid = ", ".join(m.value for m in enum)
    where.add(line, f"'{key}' must be one of {valid}, found {value!r}")
    return None


def _angle(value: Any, key: str, limits: tuple[int, int], where: _Where, line: int) -> float:
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int | float):
        where.add(line, f"'{key}' must be a number of degrees, found {value!r}")
        return 0.0
    if not low <= value <= high:
        where.add(line, f"'{key}' is {value} degrees, outside {low} to {high}")
        return 0.0
    return float(value)


def _angles(
    data: Any, node: Any, ranges: Mapping[str, tuple[int, int]], what: str, where: _Where, line: int
) -> dict[str, float]:
    if not isinstance(data, dict) or node is None or node.id != "mapping":
        where.add(line, f"'{what}' must be a mapping of {', '.join(ranges)}")
        return {}
    lines, _ = _mapping_lines(node)
    found = {}
    for key, value in data.items():
        key_line = lines.get(key, line)
        if key not in ranges:
            where.add(key_line, f"unknown key '{_label(key)}' in '{what}' (expected {', '.join(ranges)})")
            continue
        found[key] = _angle(value, f"{what}.{key}", ranges[key], where, key_line)
    return found


def _view(data: Any, node: Any, where: _Where, line: int) -> View | None:
    if node is None:
        return View()
    return View(**_angles(data, node, VIEW_RANGES, "view", where, line))


def _pose(data: Any, node: Any, name: str, where: _Where, line: int) -> Pose:
    if not isinstance(data, dict) or node is None or node.id != "mapping":
        where.add(line, f"'{name}' must be a mapping of {', '.join(POSE_KEYS)}")
        return Pose()
    lines, _ = _mapping_lines(node)
    parts: dict[str, Any] = {}
    for key, value in data.items():
        key_line = lines.get(key, line)
        value_node = _value_node(node, key)
        if key in ("left", "right"):
            parts[key] = Leg(**_angles(value, value_node, LEG_RANGES, f"{name}.{key}", where, key_line))
        elif key in ("left_arm", "right_arm"):
            parts[key] = Arm(**_angles(value, value_node, ARM_RANGES, f"{name}.{key}", where, key_line))
        elif key in BODY_RANGES:
            parts[key] = _angle(value, f"{name}.{key}", BODY_RANGES[key], where, key_line)
        elif key == "floor":
            points = value if isinstance(value, list) else [None]
            parts[key] = tuple(_joint(point, f"{name}.floor", where, key_line) for point in points)
        elif key == "stay":
            if name == "start":
                where.add(key_line, "'stay' keeps a point of the end pose where it was at the start: use it in 'end'")
            parts[key] = _joint(value, f"{name}.stay", where, key_line)
        elif key == "pins":
            parts[key] = _pins(value, name, where, key_line)
        else:
            where.add(key_line, f"unknown key '{_label(key)}' in '{name}' (expected one of {', '.join(POSE_KEYS)})")
    return Pose(**parts)


def _joint(value: Any, what: str, where: _Where, line: int) -> str:
    """A public joint name (left_ankle) as the renderer's internal one (l_ankle)."""
    if isinstance(value, str) and value in JOINT_NAMES:
        return JOINT_NAMES[value]
    where.add(line, f"'{what}' must name joints ({', '.join(JOINT_NAMES)}), found {value!r}")
    return "pelvis"


def _pins(value: Any, name: str, where: _Where, line: int) -> tuple[tuple[str, str], ...]:
    """`pins: {right_ankle: start, left_ankle: right_knee}`: what is placed where, in order."""
    movable = ", ".join(PUBLIC_NAMES[point] for point in PIN_CHAINS)
    if not isinstance(value, dict):
        where.add(line, f"'{name}.pins' must map a foot or hand ({movable}) to 'start', 'floor' or a body point")
        return ()
    pins = []
    for point, target in value.items():
        internal = JOINT_NAMES.get(point) if isinstance(point, str) else None
        if internal not in PIN_CHAINS:
            where.add(line, f"'{name}.pins' can place {movable}, not {point!r}")
            continue
        assert internal is not None
        if target == "start" and name == "start":
            where.add(line, f"'{name}.pins.{point}' cannot stay where the start pose has it: use it in 'end'")
            continue
        if target in PIN_TARGETS:
            pins.append((internal, str(target)))
        elif isinstance(target, str) and target in JOINT_NAMES and JOINT_NAMES[target] != internal:
            pins.append((internal, JOINT_NAMES[target]))
        else:
            where.add(line, f"'{name}.pins.{point}' must be 'start', 'floor', a joint or {', '.join(PIN_TARGETS[2:])}, "
                               f"found {target!r}")  # fmt: skip
    return tuple(pins)


# --- the terminal figure, cached ----------------------------------------------------------
# `show` draws the bundled figure in the terminal on every run; parsing figures.yaml and
# solving the poses costs more than the rest of `show`, so the drawn cells are kept as
# marshal data (plain strings: nothing that can run code), keyed by the figures file's
# path, size and modification time, hiprot's version and what was asked. Any kind of miss
# draws it again; a read-only cache folder only costs speed.

TERMINAL_CACHE_FORMAT = 2  # 2: figures may have a terminal_view
TERMINAL_CACHE_BYTES = 1024 * 1024


def terminal_pair(
    exercise_id: str, side: str | None, width: int, height: int, exercises: Mapping[str, Exercise] | None = None
) -> tuple[Cells, Cells, str] | None:
    """The start and end pose of an exercise's bundled figure as terminal cells, with the
    working side in words; None when hiprot has not drawn it."""
    import marshal

    source = figures_path()
    try:
        info = source.stat()
        key = (TERMINAL_CACHE_FORMAT, __version__, str(source.resolve()), info.st_size, info.st_mtime_ns,
               exercise_id, side, width, height)  # fmt: skip
        path = cache_dir() / f"figure-{zlib.crc32(repr(key).encode()):08x}.marshal"
    except OSError:  # no figures file: loading it below says so
        return _drawn_pair(load_figures(exercises=exercises).get(exercise_id), width, height, side)
    try:
        saved, start, end, label = marshal.loads(read_bounded(path, TERMINAL_CACHE_BYTES))
        if saved == key:
            return _cells(start), _cells(end), _text(label)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    drawn = _drawn_pair(load_figures(exercises=exercises).get(exercise_id), width, height, side)
    if drawn is None:
        return None
    first, last, label = drawn
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((key, tuple(first), tuple(last), label)))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return first, last, label


def _drawn_pair(figure: Figure | None, width: int, height: int, side: str | None) -> tuple[Cells, Cells, str] | None:
    from hiprot.figures import render_pair, working_label

    if figure is None:
        return None
    first, last = render_pair(figure, width, height, side)
    return first, last, working_label(figure, side)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _cells(value: Any) -> Cells:
    rows, marks = value
    if not all(isinstance(r, tuple) and all(isinstance(line, str) for line in r) for r in (rows, marks)):
        raise TypeError("not cells")
    if [len(line) for line in rows] != [len(line) for line in marks]:
        raise ValueError("rows and marks differ")
    return Cells(rows, marks)
