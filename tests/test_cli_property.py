"""Issue 16's property: hostile text in any free-text or numeric option of any command
(but `go`, whose own tests cover it) exits 0, 1 or 2, with no traceback and no control or
bidi character on stdout or stderr (NO_COLOR and TERM=dumb: hiprot's styling adds none)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiprot.cli import app

# C0 but newline and tab, DEL, C1, bidi marks, embeddings, overrides and isolates, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NASTY = "\x1b\x07\x00\x08\r\x7f\x85\x9b\u202a\u202e\u2066\u2069\u200f\ud800\udfff[]{}'\"$;|&%/\\\n\t "

hostile_text = st.text(st.sampled_from(NASTY) | st.characters(), max_size=30)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["1e9", "1e400", "nan", "-inf", "0x10", "٣", "²", "1_000", " 5 ", "-0", "9" * 40]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
dates = st.sampled_from(
    ["0001-01-01T00:00:00", "9999-12-31", "2026-02-30", "1899-12-31", "99999999999999999999d", "today",
     "yesterday", "-3d", "2026-11-30T25:00", "2026-11-29T10:00:00+14:00", "24-11-2026", "\x1b[2J"]
)  # fmt: skip
values = hostile_text | numbers | dates

# (command line, the index of the slot the hostile value fills)
SLOTS = [
    (["routine", "--goal", "warmup", "--minutes", "{}"], 4),
    (["routine", "--goal", "warmup", "--count", "{}"], 4),
    (["routine", "--goal", "warmup", "--seed", "{}"], 4),
    (["routine", "--goal", "{}"], 2),
    (["routine", "--goal", "warmup", "--muscle", "{}"], 4),
    (["routine", "--saved", "{}"], 2),
    (["routine", "--goal", "warmup", "--catalog", "{}"], 4),
    (["routine", "--goal", "warmup", "--output", "{}", "--format", "json"], 4),
    (["list", "--muscle", "{}"], 2),
    (["show", "{}"], 1),
    (["show", "clamshell", "--catalog", "{}"], 3),
    (["save", "{}", "--goal", "warmup"], 1),
    (["save", "hips", "--goal", "warmup", "--minutes", "{}", "--force"], 5),
    (["saved", "--delete", "{}"], 2),
    (["log", "--goal", "warmup", "--note", "{}"], 4),
    (["log", "--goal", "warmup", "--pain", "{}"], 4),
    (["log", "--goal", "warmup", "--when", "{}"], 4),
    (["log", "--saved", "{}"], 2),
    (["history", "--weeks", "{}"], 2),
    (["history", "--delete", "{}"], 2),
    (["history", "--next-day", "{}"], 2),
    (["history", "--next-day", "3", "--session", "{}"], 4),
    (["measure", "--left", "{}"], 2),
    (["measure", "--left", "30", "--right", "{}"], 4),
    (["measure", "--left", "30", "--when", "{}"], 4),
    (["{}"], 0),
]

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@PROPERTY
@given(slot=st.sampled_from(SLOTS), value=values)
def test_hostile_option_values(hiprot, tmp_path, monkeypatch, slot: tuple[list[str], int], value: str) -> None:
    monkeypatch.chdir(tmp_path)  # --output writes here, if anywhere
    template, index = slot
    args = list(template)
    args[index] = value
    result = hiprot.runner.invoke(app, args)
    shown = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.exception, shown)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in shown
    assert not UNSAFE.search(shown), (args, shown)


# Issue 25: hostile text that another program wrote into the database or the profile
# reaches no terminal raw, whatever command shows it.
STORED_VIEWS = [
    ["history"], ["history", "--format", "csv"], ["history", "--format", "json"], ["saved"],
    ["saved", "--format", "csv"], ["saved", "--format", "json"], ["today"], ["today", "--format", "json"],
    ["plan"], ["plan", "--format", "json"], ["plan", "calendar"], ["plan", "handout"], ["report"],
    ["report", "--format", "html"], ["report", "--format", "json"], ["profile"], ["profile", "--format", "json"],
    ["routine", "--saved", "hips"], ["go", "--dry-run"], ["log"], ["measure"], ["plan", "end"],
    ["saved", "--delete", "hips"], ["history", "--undo"],
]  # fmt: skip
STORED_FIELDS = [
    "UPDATE session SET goal = ?", "UPDATE session SET saved_name = ?", "UPDATE note SET text = ?",
    "UPDATE plan SET goal = ?", "UPDATE plan SET saved_name = ?", "UPDATE saved_routine SET name = ?",
    "UPDATE plan SET saved_name = ?, goal = ?",
]  # fmt: skip
PROFILE_SLOTS = ['level = "{}"', 'version = 1\nlevel = "{}"', 'version = 1\n[hips.left]\ncondition = "{}"',
                 'version = 1\n["{}"]\n', 'version = 1\navoid = ["{}"]']  # fmt: skip


# Always at least one character that acts on a terminal, after any text at all.
stored_text = st.tuples(hostile_text, st.sampled_from("\x1b\x07\x9b\u202e\u2066\x00")).map("".join)


@settings(PROPERTY, max_examples=12)
@given(field=st.sampled_from(STORED_FIELDS), profile=st.sampled_from(PROFILE_SLOTS), value=stored_text,
       in_profile=st.booleans())  # fmt: skip
def test_hostile_stored_text_never_reaches_a_terminal_raw(
    hiprot, tmp_path, monkeypatch, field: str, profile: str, value: str, in_profile: bool
) -> None:
    import json
    import sqlite3

    from hiprot.paths import database_path, profile_path

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(__import__("sys").modules["hiprot.cli.app"], "on_terminal", lambda stream: stream is not None)
    monkeypatch.setattr("hiprot.cli.ask.interactive", lambda: False)
    import shutil

    profile_path().unlink(missing_ok=True)
    pristine = tmp_path / "pristine.db"
    if not pristine.exists():  # the same history for every example, made once
        for args in (["save", "hips", "--goal", "warmup"], ["log", "--saved", "hips", "--note", "fine"],
                     ["plan", "new", "--weeks", "4", "--days", "mon,tue,wed,thu,fri,sat,sun", "--saved", "hips"]):  # fmt: skip
            assert hiprot.runner.invoke(app, args).exit_code == 0
        shutil.copyfile(database_path(), pristine)
    for end in ("-wal", "-shm"):
        database_path().with_name(database_path().name + end).unlink(missing_ok=True)
    shutil.copyfile(pristine, database_path())
    if in_profile:
        escaped = json.dumps(value)[1:-1]  # TOML basic strings take JSON's escapes
        profile_path().parent.mkdir(parents=True, exist_ok=True)
        profile_path().write_text(profile.format(escaped), encoding="utf-8")
    else:
        db = sqlite3.connect(database_path())
        with db:
            db.execute(field, (value,) * field.count("?"))
        db.close()
    for view in STORED_VIEWS:
        result = hiprot.runner.invoke(app, view)
        shown = result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2), (view, result.exit_code, result.exception, shown)
        assert result.exception is None or isinstance(result.exception, SystemExit), (view, repr(result.exception))
        assert not UNSAFE.search(shown), (view, field if not in_profile else profile, value, shown)
