"""Issue 16 (hardening, round 3), one test per row outside `hiprot go`, through CliRunner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture
def clock(monkeypatch):
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    monkeypatch.setattr("hiprot.cli.options.now", lambda: at)
    return at


# --- row 2: dates ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01", "1899-12-31", "2026-12-02"])
def test_row2_far_past_and_future_dates_are_usage_errors(hiprot, clock, value: str) -> None:
    for command in (["log", "--goal", "warmup"], ["measure", "--left", "30"]):
        result = hiprot(*command, "--when", value, code=2)
        assert "--when" in result.stderr and "cannot be used as a date" in result.stderr
    assert not hiprot("history", "--format", "json").stdout.strip("[]\n")


def test_row2_today_yesterday_and_days_ago(hiprot, clock) -> None:
    for value in ("today", "yesterday", "3d"):
        hiprot("log", "--goal", "warmup", "--when", value)
    hiprot("measure", "--left", "30", "--when", "2d")
    days = sorted(s["started_at"][:10] for s in hiprot.json("history"))
    assert days == ["2026-11-27", "2026-11-29", "2026-11-30"]
    assert "2026-11-28" in hiprot("measure").stdout


# --- row 4: values SQLite holds but hiprot cannot decode ---------------------------------


def _tamper(sql: str) -> None:
    import sqlite3

    from hiprot.paths import database_path

    db = sqlite3.connect(database_path())
    with db:
        db.execute(sql)
    db.close()


@pytest.mark.parametrize(
    ("sql", "commands", "where"),
    [
        ("update saved_routine set request = '{not json'", [["saved"], ["routine", "--saved", "hips"],
                                                            ["saved", "--format", "csv"]], "saved_routine"),
        ("update saved_routine set request = '[1, 2]'", [["saved", "--format", "json"]], "saved_routine"),
        ("update saved_routine set updated_at = 'last week'", [["saved"]], "saved_routine"),
        ("update session set started_at = 'yesterday-ish'", [["history"], ["history", "--format", "json"],
                                                            ["history", "--format", "csv"]], "session"),
        ("update session set planned_seconds = 'lots'", [["history"], ["history", "--format", "csv"]], "session"),
        ("update session set request = '{'", [["history", "--format", "json"], ["routine", "--saved", "hips"]],
         "session"),
        ("update session_item set sets = 'three'", [["history", "--format", "json"]], "session_item"),
        ("update measurement set taken_on = 'soon'", [["measure"], ["measure", "--left", "20"]], "measurement"),
    ],
)
def test_row4_undecodable_rows_are_damage_named_and_left_alone(hiprot, clock, sql, commands, where) -> None:
    from hiprot.paths import database_path

    hiprot("save", "hips", "--goal", "warmup")
    hiprot("log", "--saved", "hips", "--note", "fine")
    hiprot("measure", "--left", "30")
    _tamper(sql)
    before = database_path().read_bytes()
    for command in commands:
        result = hiprot(*command, code=1)
        assert "cannot be used" in result.stderr and f"of the {where} table" in result.stderr
        assert "left the file exactly as it was" in result.stderr
        assert result.stderr.count("\n") == 1
    assert database_path().read_bytes() == before


# --- rows 14, 15, 16: never open anything but a regular file for the database or cache --


def _special(kind: str, where):
    import os

    where.parent.mkdir(parents=True, exist_ok=True)
    if kind == "devnull":
        where.symlink_to("/dev/null")
    elif kind == "fifo":
        os.mkfifo(where)
    else:
        where.mkdir()


@pytest.mark.parametrize("kind", ["devnull", "fifo", "folder"])
@pytest.mark.parametrize("command", [["log", "--goal", "warmup"], ["history"], ["saved"], ["measure"]])
def test_rows14_15_database_that_is_not_a_regular_file_is_refused_at_once(hiprot, clock, kind, command) -> None:
    import os

    from hiprot.paths import database_path

    path = database_path()
    _special(kind, path)
    before = sorted(os.listdir(path.parent))
    result = hiprot(*command, code=1)  # a FIFO used to hang here for ever
    assert "not a regular file" in result.stderr and str(path) in result.stderr
    assert sorted(os.listdir(path.parent)) == before  # no -journal, -wal or -shm beside it


@pytest.mark.parametrize("companion", ["-wal", "-journal"])
def test_row14_a_companion_file_that_is_a_device_is_refused_too(hiprot, clock, companion) -> None:
    from hiprot.paths import database_path

    path = database_path()
    _special("devnull", path.with_name(path.name + companion))
    assert "not a regular file" in hiprot("log", "--goal", "warmup", code=1).stderr
    assert not path.exists()


@pytest.mark.parametrize("target", ["/dev/null", "/dev/full", "/dev/zero", "fifo", "folder"])
def test_row16_a_cache_that_is_not_a_regular_file_is_a_miss(hiprot, tmp_path, target) -> None:
    import os

    from hiprot.catalogue import bundled_path, cache, catalogue_files

    key = cache.stamp(catalogue_files(bundled_path()))
    path = cache.cache_file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    if target.startswith("/dev/"):
        path.symlink_to(target)
    else:
        _special(target, path)
    assert cache.read(key) is None  # at once: no read of /dev/zero, no wait on the FIFO
    assert "Clamshell" in hiprot("show", "clamshell").stdout
    if target == "fifo":
        os.unlink(path)


# --- rows 1, 19-23 and the trailing-slash --output ------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["history", "--delete", "99999999999999999999"],
        ["history", "--next-day", "2", "--session", "99999999999999999999"],
        ["history", "--delete", "-5"],
    ],
)
def test_row1_huge_ids_are_no_such_session(hiprot, clock, args) -> None:
    hiprot("log", "--goal", "warmup")
    result = hiprot(*args, code=1)
    assert "No session with id" in result.stderr
    assert len(hiprot.json("history")) == 1


def test_row1_store_takes_any_int_as_an_id(tmp_path) -> None:
    from hiprot.store import Store

    with Store.open(tmp_path / "h.db") as store:
        assert store.session(10**20) is None
        assert store.delete_session(10**20) is False
        assert store.set_pain_next_day(-(10**20), 3) is False
        assert store.delete_measurement(2**63) is False


def test_row19_readability_is_judged_by_the_loader_not_by_click(hiprot, monkeypatch) -> None:
    import os
    from pathlib import Path

    mini = str(Path(__file__).parent / "fixtures" / "mini.yaml")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == mini else real(p, mode, **kw))
    # Click's "Path ... is not readable." (exit 2) came from asking os.access first.
    assert "Lying" in hiprot("list", "--catalog", mini).stdout


def test_row20_delete_with_another_action_is_a_usage_error_and_changes_nothing(hiprot, clock) -> None:
    hiprot("log", "--goal", "warmup")
    assert "--delete" in hiprot("history", "--delete", "1", "--next-day", "2", code=2).stderr
    [session] = hiprot.json("history")
    assert session["pain_next_day"] is None


def test_row21_an_empty_catalogue_says_so(hiprot, tmp_path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\nexercises: []\n")
    for command in (["routine", "--goal", "warmup"], ["list"], ["show", "clamshell"]):
        result = hiprot(*command, "--catalog", str(empty), code=1)
        assert "the catalogue holds no exercises" in result.stderr and "No single option" not in result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["list", "--catalog", ""], "--catalog"),
        (["routine", "--goal", "warmup", "--output", ""], "--output"),
        (["routine", "--goal", "warmup", "--catalog", ""], "--catalog"),
    ],
)
def test_row22_an_empty_path_is_a_usage_error(hiprot, args, flag) -> None:
    result = hiprot(*args, code=2)
    assert flag in result.stderr and "empty path" in result.stderr


def test_output_ending_in_a_slash_names_a_folder(hiprot, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "names a folder" in hiprot("routine", "--goal", "warmup", "--output", "new.md/", code=2).stderr
    assert not (tmp_path / "new.md").exists()


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-1", "91", "1e400", ""])
def test_row23_degrees_in_plain_words(hiprot, clock, value) -> None:
    result = hiprot("measure", "--left", value, code=2)
    assert "--left" in result.stderr and "number of degrees from 0 to 90" in result.stderr
    assert "valid float" not in result.stderr


def test_row23_a_full_disk_is_said_in_words(tmp_path, monkeypatch) -> None:
    import sqlite3

    from hiprot.store import schema as store  # where the store turns SQLite errors into words

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert "the disk is full" in str(store._store_error(tmp_path / "h.db", full))
    io = sqlite3.OperationalError("disk I/O error")
    io.sqlite_errorcode = 10  # type: ignore[attr-defined]
    assert "the disk is full" not in str(store._store_error(tmp_path / "h.db", io))
    monkeypatch.setattr(store, "_disk_full", lambda path: True)
    assert "the disk is full" in str(store._store_error(tmp_path / "h.db", io))


# --- row 11: control and bidi characters never reach a terminal or a file --------------

ATTACK = "\x1b[31mX\x1b]0;PWNED\x07\x1b[2J"
UNSAFE_CHARS = "\x1b\x07\x9b\u202e\u2066"


def _clean(text: str) -> bool:
    return not any(char in text for char in UNSAFE_CHARS)


def test_row11_a_note_with_escapes_is_refused_at_input(hiprot, clock) -> None:
    result = hiprot("log", "--goal", "warmup", "--note", ATTACK, code=1)
    assert "control character" in result.stderr and _clean(result.stderr) and "\\x1b" in result.stderr
    assert hiprot.json("history") == []


def test_row11_stored_text_from_an_older_hiprot_is_made_visible(hiprot, clock) -> None:
    hiprot("save", "hips", "--goal", "warmup")
    hiprot("log", "--saved", "hips", "--note", "fine")
    _tamper(f"update note set text = '{ATTACK}\u202egnp.exe'")
    _tamper("update session set goal = 'warm\x9bup', saved_name = 'hi\x1bps'")
    _tamper("update saved_routine set name = 'hi\x1b[2Jps'")
    for command in (["history"], ["history", "--format", "csv"], ["history", "--format", "json"], ["saved"],
                    ["saved", "--format", "csv"], ["saved", "--format", "json"]):  # fmt: skip
        result = hiprot(*command)
        assert _clean(result.stdout + result.stderr), command
    table = hiprot("history", env={"COLUMNS": "200"}).stdout
    assert "\\x1b[31mX\\x1b]0;PWNED\\x07\\x1b[2J\\u202egnp.exe" in table and "warm\\x9bup" in table
    assert '"\\u001b[31mX' in hiprot("history", "--format", "json").stdout  # JSON's own escape: data kept
    [saved] = hiprot.json("saved")
    assert saved["name"] == "hi\x1b[2Jps"  # json.loads gives the stored text back exactly
    assert _clean(hiprot("saved", "--delete", "hi\x1b[2Jps", code=1).stderr)  # refused as a name


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("name: Lying Drill", "name: \"Lying \\e[2JDrill\"", "name"),
        ("      - Stand tall.", "      - \"Stand \\u202Etall.\"", "steps"),
        ("cues: [Stay tall.]", "cues: [\"Stay \\x9b tall.\"]", "cues"),
        ("aliases: [Upright drill]", "aliases: [\"Upright \\u2066drill\"]", "aliases"),
    ],
)
def test_row11_catalogue_text_with_controls_is_refused_with_file_line_and_exercise(
    hiprot, tmp_path, old, new, field
) -> None:
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1))
    result = hiprot("list", "--catalog", str(bad), code=1)
    assert f"{bad}:" in result.stderr and "exercise '" in result.stderr and field in result.stderr
    assert "control or bidi-override character" in result.stderr and _clean(result.stderr)


@pytest.mark.parametrize(
    "args",
    [["show", ATTACK], ["routine", "--goal", ATTACK], ["list", "--muscle", "\u202eglute"], [ATTACK],
     ["routine", "--goal", "warmup", "--saved", "x", "--catalog", ATTACK], ["measure", "--left", ATTACK],
     ["log", "--goal", "warmup", "--when", ATTACK], ["routine", "--goal", "warmup", "--output", f"{ATTACK}.md"]],
)  # fmt: skip
def test_row11_what_a_person_typed_is_quoted_visibly_in_errors(hiprot, tmp_path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    result = hiprot.runner.invoke(__import__("hiprot.cli", fromlist=["app"]).app, args)
    assert (result.exit_code in (0, 1, 2) and result.exception is None) or isinstance(result.exception, SystemExit)
    assert _clean(result.stdout + result.stderr), result.stderr


# --- rows 17 and 18: long easier chains are linear; a folder has a total limit ---------------

EXERCISE = """  - id: ex-{n}
    name: Exercise {n}
    aliases: []
    kind: mobility
    goals: [warmup]
    position: {position}
    level: {level}
    equipment: []
    muscles: {{primary: [gluteus-medius], secondary: []}}
    movement: [internal-rotation]
    dosage: {{sets: 1, reps: 8, per_side: true}}
    steps: [Lie down., Turn the knee in., Hold it., Let it go.]
    cues: []
    cautions: []
{easier}    sources: [hip-ir-how-to]
"""


def chain(n: int) -> str:
    """n exercises, each the `easier` variant of the one before; only the last is for beginners."""
    parts = ["version: 1\nexercises:\n"]
    for i in range(n):
        last = i == n - 1
        parts.append(EXERCISE.format(n=i, position="lying" if last else "standing",
                                     level="beginner" if last else "advanced",
                                     easier="" if last else f"    easier: ex-{i + 1}\n"))  # fmt: skip
    return "".join(parts)


def test_row17_a_long_easier_chain_is_walked_once(monkeypatch, tmp_path) -> None:
    from hiprot import planner
    from hiprot.catalogue import load_catalogue, schema
    from hiprot.models import Goal, Request

    n = 600
    path = tmp_path / "chain.yaml"
    path.write_text(chain(n))
    looked = []
    real_loop = schema._loop
    monkeypatch.setattr(schema, "_loop", lambda *a: looked.append(a) or real_loop(*a))
    catalogue = load_catalogue(path)
    assert looked == []  # a loop-free chain is never walked again per exercise
    calls = []
    real_fits = planner._fits
    monkeypatch.setattr(planner, "_fits", lambda *a: calls.append(1) or real_fits(*a))
    routine = planner.build_routine(catalogue, Request(goal=Goal.WARMUP))
    assert [item.exercise.id for item in routine.items] == [f"ex-{n - 1}"]
    assert len(calls) < 4 * n  # was n * n / 2 = 180,000: one walk down the chain per exercise


def test_row17_a_loop_is_still_found_and_named(hiprot, tmp_path) -> None:
    text = chain(50).replace("    easier: ex-10\n", "    easier: ex-3\n")
    path = tmp_path / "loop.yaml"
    path.write_text(text)
    result = hiprot("list", "--catalog", str(path), code=1)
    assert "the 'easier' chain loops back on itself" in result.stderr


def test_row18_a_folder_over_the_total_limit_is_refused_before_reading(hiprot, tmp_path, monkeypatch) -> None:
    from hiprot.catalogue import schema

    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(3):
        (folder / f"part{i}.yaml").write_text(chain(3).replace("ex-", f"p{i}-ex-").replace("Exercise", f"P{i}"))
    hiprot("list", "--catalog", str(folder))  # under the limit: it loads
    size = sum(f.stat().st_size for f in folder.iterdir())
    monkeypatch.setattr(schema, "MAX_TOTAL_BYTES", size - 1)
    read = []
    monkeypatch.setattr(schema, "read_text", lambda f: read.append(f) or "")
    (folder / "part0.yaml").touch()  # a new stamp: no cache hit
    result = hiprot("list", "--catalog", str(folder), code=1)
    assert f"{folder}: its catalogue files add up to more than" in result.stderr and read == []
    assert schema.MAX_TOTAL_BYTES < 2 * 16 * 1024 * 1024 + 1
