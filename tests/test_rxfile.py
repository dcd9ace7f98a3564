"""rxfile.py: prescription files read strictly, with the line of every problem, and
written back by a real TOML writer so that any text round-trips."""

from __future__ import annotations

import functools
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.errors import PrescriptionFileError
from hiprot.models import AVOIDABLE, Equipment, Goal, Level, Muscle, Position, Side
from hiprot.rxfile import (
    DAYS,
    MAX_BYTES,
    PrescriptionFile,
    WrittenExercise,
    WrittenRoutine,
    dumps,
    loads,
    read,
)

HERE = Path("hips.toml")

GOOD = """\
format = "hiprot-prescription"
version = 1
clinician = "Jo Smith, physiotherapist"
notes = "Stop if it hurts."

[plan]
weeks = 6
start = 2026-12-07

[[routine]]
name = "mobility"
days = ["mon", "wed", "fri"]
goal = "warmup"
minutes = 10

[[routine]]
name = "strength"
days = ["tue", "thu"]
level = "beginner"

[[routine.exercise]]
id = "clamshell"
sets = 3
reps = 15

[[routine.exercise]]
id = "seated-hip-internal-rotation-stretch"
sets = 3
hold_s = 30
side = "left"
"""


def test_a_good_file_reads_into_routines_days_and_a_plan() -> None:
    rx = loads(GOOD, HERE)
    assert rx.weeks == 6 and rx.start == date(2026, 12, 7) and rx.clinician == "Jo Smith, physiotherapist"
    mobility, strength = rx.routines
    assert mobility == WrittenRoutine("mobility", {"goal": "warmup", "minutes": 10}, (), (0, 2, 4))
    assert strength.days == (1, 3) and strength.options == {"level": "beginner"}
    assert strength.exercises == (
        WrittenExercise("clamshell", 3, reps=15),
        WrittenExercise("seated-hip-internal-rotation-stretch", 3, hold_s=30, side=Side.LEFT),
    )


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('minutes = 10', 'minutes = 10\nrepz = 3'), 15, "routine 1: unknown key 'repz'"),
        (('reps = 15', 'reps = "15"'), 24, "routine 2, exercise 1: 'reps' must be a whole number"),
        (('hold_s = 30', 'hold_s = 30\nreps = 3'), 30, "either 'reps' or 'hold_s'"),
        (('sets = 3\nhold_s = 30', 'hold_s = 30'), 26, "a dose needs 'sets' too"),
        (('level = "beginner"', 'level = "beginner"\nmuscles = ["piriformis"]'), 20, "'muscles' shapes a routine"),
        (('minutes = 10', 'minutes = 10\norder = true'), 15, "'order' puts written exercises"),
        (('minutes = 10', 'minutes = 10\nkeep = ["Clamshell"]'), 15, "'keep' must be a list of exercise ids"),
        (('side = "left"', 'side = "middle"'), 30, "'side' cannot be 'middle'"),
        (('days = ["tue", "thu"]', 'days = ["tue", "thurs"]'), 18, "'days' cannot hold 'thurs'"),
        (('days = ["tue", "thu"]\n', ''), 16, "each routine says its 'days'"),
        (('weeks = 6', 'weeks = 60'), 7, "'weeks' must be a whole number from 1 to 52"),
        (('version = 1', 'version = true'), 2, "'version' must be the whole number 1"),
        (('format = "hiprot-prescription"', 'format = "other"'), 1, "'format' must be"),
        (('goal = "warmup"', 'goal = "flexibility"'), 13, "'goal' cannot be 'flexibility'"),
        (('id = "clamshell"', 'id = "Clam Shell"'), 22, "'id' must be an exercise id"),
        (('name = "strength"', 'name = "Mobility"'), 17, "two routines are called 'Mobility'"),
        (('start = 2026-12-07', 'start = 2026-12-07T08:00:00'), 8, "'start' must be a date"),
        (('notes = "Stop if it hurts."', 'notes = 3'), 4, "'notes' must be text"),
    ],
)
def test_every_problem_names_its_line(change: tuple[str, str], line: int, words: str) -> None:
    text = GOOD.replace(*change, 1)
    with pytest.raises(PrescriptionFileError) as caught:
        loads(text, HERE)
    assert words in str(caught.value) and caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"hips.toml:{line}: ") and "Nothing was saved" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("format = [" + "[" * 10_000 + "]" * 10_001, "nested more than"),
        ("x = [[[[[[[[[[1]]]]]]]]]]", "nested more than"),
        ("format = 'hiprot-prescription'\nversion = 1\n", "at least one [[routine]]"),
        ("= broken", "not valid TOML"),
        ('format = "hiprot-prescription"\nversion = 1\nroutine = 3\n', "at least one [[routine]]"),
        ('format = "hiprot-prescription"\nversion = 1\n[[routine]]\nname = "x"\n', "a 'goal' or"),
        ('format = "hiprot-prescription"\nversion = 1\nplan = 3\n[[routine]]\nname = "x"\ngoal = "warmup"\n',
         "'plan' must be a table"),
    ],
)
def test_hostile_or_empty_files_are_refused_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(PrescriptionFileError, match="Nothing was saved") as caught:
        loads(text, HERE)
    assert words in str(caught.value)


def test_files_that_are_too_large_not_utf8_or_not_files(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES)
    with pytest.raises(PrescriptionFileError, match="larger than"):
        read(big)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(GOOD.encode() + b'title = "caf\xe9"\n')
    with pytest.raises(PrescriptionFileError, match="not UTF-8"):
        read(latin)
    with pytest.raises(PrescriptionFileError, match="not a regular file"):
        read(tmp_path)
    with pytest.raises(PrescriptionFileError, match="no such file"):
        read(tmp_path / "missing.toml")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert read(bom) == loads(GOOD, HERE)


def test_a_written_file_reads_back_the_same() -> None:
    rx = loads(GOOD, HERE)
    assert loads(dumps(rx), HERE) == rx
    assert dumps(rx).startswith("# A hiprot prescription.")


# --- the round trip over generated prescriptions -----------------------------------------

free_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
names = st.text(string.ascii_letters + string.digits + " -éü", min_size=1, max_size=30).filter(str.strip)


def _words(vocabulary) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([v.value for v in vocabulary]), unique=True, max_size=3)


ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
exercises = st.builds(
    lambda i, sets, reps, hold, how, side: WrittenExercise(
        i, None if how == "level" else sets, reps if how == "reps" else None, hold if how == "hold" else None, side),
    ids, st.integers(1, 10), st.integers(1, 100), st.integers(1, 600), st.sampled_from(["reps", "hold", "level"]),
    st.none() | st.sampled_from(Side),
)  # fmt: skip


@st.composite
def routines(draw, planned: bool) -> WrittenRoutine:
    options: dict = {}
    written = tuple(draw(st.lists(exercises, max_size=4)))
    if not written or draw(st.booleans()):
        options["goal"] = draw(st.sampled_from([g.value for g in Goal]))
    if draw(st.booleans()):
        options["level"] = draw(st.sampled_from([v.value for v in Level]))
    if draw(st.booleans()):
        options["equipment"] = draw(_words(Equipment))
    if draw(st.booleans()):
        options["avoid"] = draw(st.lists(st.sampled_from(sorted(AVOIDABLE)), unique=True, max_size=3))
    if draw(st.booleans()):
        options["minutes"] = draw(st.integers(1, 180))
    if written:
        if draw(st.booleans()):
            options["order"] = True
    else:
        for key, vocabulary in (("positions", Position), ("muscles", Muscle)):
            if draw(st.booleans()):
                options[key] = draw(_words(vocabulary))
        for key in ("keep", "drop", "swap"):
            if draw(st.booleans()):
                options[key] = draw(st.lists(ids, unique=True, max_size=2))
        if draw(st.booleans()):
            options["seed"] = draw(st.integers(0, 2**31 - 1))
    days = None
    if planned or draw(st.booleans()):
        days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1))))
    return WrittenRoutine(draw(names), options, written, days)


@st.composite
def prescriptions(draw) -> PrescriptionFile:
    planned = draw(st.booleans())
    chosen = draw(st.lists(routines(planned), min_size=1, max_size=3, unique_by=lambda r: r.name.casefold()))
    dates = st.dates(date(1900, 1, 1), date(2200, 12, 31))
    return PrescriptionFile(
        tuple(chosen), draw(st.integers(1, 52)) if planned else None,
        draw(st.none() | dates) if planned else None,
        draw(st.none() | free_text), draw(st.none() | free_text), draw(st.none() | free_text),
        draw(st.none() | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)),
        draw(st.none() | dates),
    )  # fmt: skip


@settings(max_examples=150)
@given(prescriptions())
def test_any_prescription_round_trips_exactly(rx: PrescriptionFile) -> None:
    text = dumps(rx)
    assert loads(text, HERE) == rx
    assert loads(text.encode("utf-8"), HERE) == rx


def test_days_are_weekday_names() -> None:
    assert DAYS[0] == "mon" and len(DAYS) == 7


# --- the JSON Schema in docs/ describes the same format ------------------------------------

SCHEMA = Path(__file__).parent.parent / "docs" / "schemas" / "prescription-file.json"


def _as_json(value):
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@functools.cache
def _validator():
    import json

    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_accepts_the_documented_example_and_refuses_what_the_reader_refuses() -> None:
    import tomllib

    validator = _validator()
    good = _as_json(tomllib.loads(GOOD))
    assert not list(validator.iter_errors(good))
    for change in (('reps = 15', 'reps = 15\nhold_s = 3'), ('goal = "warmup"', 'goal = "x"'),
                   ('days = ["tue", "thu"]\n', ''), ('minutes = 10', 'minutez = 10')):  # fmt: skip
        data = _as_json(tomllib.loads(GOOD.replace(*change, 1)))
        assert list(validator.iter_errors(data)), change
        with pytest.raises(PrescriptionFileError):
            loads(GOOD.replace(*change, 1), HERE)


@settings(max_examples=60)
@given(prescriptions())
def test_every_written_prescription_is_valid_against_the_schema(rx: PrescriptionFile) -> None:
    import tomllib

    assert not list(_validator().iter_errors(_as_json(tomllib.loads(dumps(rx)))))


def test_the_committed_schema_is_the_one_the_code_describes() -> None:
    import json

    from hiprot.rxfile import json_schema

    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema(), (
        "docs/schemas/prescription-file.json is out of date: write json_schema() to it again")
