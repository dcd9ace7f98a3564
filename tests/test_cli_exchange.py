"""hiprot export / import: prescription files handed over and read back."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes import FakeNow, fake_now

LEFT_POSTERIOR = ("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-09-01")


@pytest.fixture
def clock(monkeypatch) -> FakeNow:
    return fake_now(monkeypatch, datetime(2026, 12, 6, 8, 0, tzinfo=UTC))


def _saved(hiprot) -> dict:
    return {s["name"]: s["request"] for s in hiprot.json("saved")}


def _db_bytes(tmp_path: Path) -> bytes:
    return (tmp_path / "xdg_data_home" / "hiprot" / "hiprot.db").read_bytes()


def test_export_then_import_round_trips_a_picked_routine(hiprot, clock, tmp_path: Path) -> None:
    hiprot("save", "mine", "--pick", "clamshell:3x15", "--pick", "90-90-foot-lift:2x10@left",
           "--pick", "seated-hip-internal-rotation-stretch:3x30s")  # fmt: skip
    before = _saved(hiprot)
    target = tmp_path / "hips.toml"
    assert "Wrote 1 routine to" in hiprot("export", "mine", "--output", str(target), "--clinician", "Jo").stderr
    text = target.read_text(encoding="utf-8")
    assert "[[routine.exercise]]" in text and 'id = "clamshell"' in text and 'side = "left"' in text
    hiprot("saved", "--delete", "mine")
    out = hiprot("import", str(target))
    assert "From: Jo" in out.stdout and "Clamshell: 3 x 15" in out.stdout and "Saved 'mine'" in out.stderr
    assert _saved(hiprot) == before
    routine = hiprot.json("routine", "--saved", "mine")
    assert [(i["id"], i["dosage"]["sets"], i["dosage"]["reps"]) for i in routine["items"]] == [
        ("clamshell", 3, 15), ("90-90-foot-lift", 2, 10), ("seated-hip-internal-rotation-stretch", 3, None)]


def test_export_then_import_round_trips_a_plan(hiprot, clock, tmp_path: Path) -> None:
    hiprot("plan", "new", "--goal", "strength", "--weeks", "4", "--days", "tue,thu", "--start", "2026-12-08")
    plan = hiprot.json("plan")
    target = tmp_path / "plan.toml"
    hiprot("export", "--plan", "--output", str(target))
    hiprot("plan", "end")
    hiprot("saved", "--delete", "plan")
    assert "add --plan to start it" in hiprot("import", str(target), "--dry-run").stderr
    assert "Started the plan of 'plan' on 2026-12-08 for 4 weeks" in hiprot("import", str(target), "--plan").stderr
    again = hiprot.json("plan")
    assert {k: again[k] for k in ("start", "weeks", "days")} == {k: plan[k] for k in ("start", "weeks", "days")}


def test_a_posterior_profile_refuses_a_pick_that_puts_both_hips_in_position(hiprot, clock, tmp_path) -> None:
    hiprot(*LEFT_POSTERIOR)
    rx = tmp_path / "rx.toml"
    rx.write_text('format = "hiprot-prescription"\nversion = 1\n\n[[routine]]\nname = "h"\n\n'
                  '[[routine.exercise]]\nid = "clamshell"\n\n[[routine.exercise]]\nid = "fire-hydrant"\nsets = 2\n'
                  'reps = 10\n', encoding="utf-8")  # fmt: skip
    before = _db_bytes(tmp_path) if (tmp_path / "xdg_data_home" / "hiprot" / "hiprot.db").exists() else None
    err = hiprot("import", str(rx), code=1).stderr
    assert f"{rx}:11: routine 'h': Fire Hydrant cannot be in your routine" in err and "left hip" in err
    assert "Nothing was saved" in err and hiprot.json("saved") == []
    if before is not None:
        assert _db_bytes(tmp_path) == before


def test_import_says_what_the_profile_changes(hiprot, clock, tmp_path: Path) -> None:
    hiprot(*LEFT_POSTERIOR)
    rx = tmp_path / "rx.toml"
    rx.write_text('format = "hiprot-prescription"\nversion = 1\n\n[[routine]]\nname = "w"\ngoal = "warmup"\n',
                  encoding="utf-8")  # fmt: skip
    out = hiprot("import", str(rx), "--dry-run").stdout
    assert "Your profile:" in out and "right side only" in out
    assert hiprot.json("saved") == []  # --dry-run saves nothing


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('format = "hiprot-prescription"\nversion = 1\n[[routine]]\nname = "x"\ngoal = "warmup"\nrepz = 1\n',
         ":6: routine 1: unknown key 'repz'"),
        ('format = "hiprot-prescription"\nversion = 1\n[[routine]]\nname = "x"\nminutes = "ten"\ngoal = "warmup"\n',
         ":5: routine 1: 'minutes' must be a whole number"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested more than"),
        ('format = "hiprot-prescription"\nversion = 1\n[[routine]]\nname = "x"\n[[routine.exercise]]\nid = "nope"\n',
         ":6: routine 'x': No exercise called 'nope'"),
    ],
)
def test_a_hostile_file_gets_a_clear_error_and_writes_nothing(hiprot, clock, tmp_path, content, words) -> None:
    rx = tmp_path / "rx.toml"
    rx.write_text(content, encoding="utf-8")
    err = hiprot("import", str(rx), code=1).stderr
    assert words in err and "Nothing was saved" in err and "Traceback" not in err
    assert hiprot.json("saved") == []


def test_a_ten_megabyte_file_is_refused_unread(hiprot, clock, tmp_path: Path) -> None:
    rx = tmp_path / "big.toml"
    with rx.open("wb") as f:
        f.truncate(10 * 1024 * 1024)
    assert "larger than 256 KiB" in hiprot("import", str(rx), code=1).stderr


def test_import_never_replaces_a_saved_routine_without_force(hiprot, clock, tmp_path: Path) -> None:
    hiprot("save", "w", "--goal", "recovery")
    rx = tmp_path / "rx.toml"
    rx.write_text('format = "hiprot-prescription"\nversion = 1\n\n[[routine]]\nname = "w"\ngoal = "warmup"\n',
                  encoding="utf-8")  # fmt: skip
    assert "already exists" in hiprot("import", str(rx), code=1).stderr
    assert _saved(hiprot)["w"]["goal"] == "recovery"
    hiprot("import", str(rx), "--force")
    assert _saved(hiprot)["w"]["goal"] == "warmup"
    hiprot("import", str(rx), "--as", "other")
    assert set(_saved(hiprot)) == {"w", "other"}


def test_two_routines_are_saved_together_or_not_at_all(hiprot, clock, tmp_path: Path) -> None:
    hiprot("save", "b", "--goal", "recovery")
    rx = tmp_path / "rx.toml"
    rx.write_text('format = "hiprot-prescription"\nversion = 1\n\n[[routine]]\nname = "a"\ngoal = "warmup"\n\n'
                  '[[routine]]\nname = "b"\ngoal = "strength"\n', encoding="utf-8")  # fmt: skip
    hiprot("import", str(rx), code=1)
    assert set(_saved(hiprot)) == {"b"}  # 'a' was not saved on its own
    hiprot("import", str(rx), "--force")
    assert set(_saved(hiprot)) == {"a", "b"}
    assert "a new name is for one" in hiprot("import", str(rx), "--as", "c", code=1).stderr


def test_usage_mistakes(hiprot, clock, tmp_path: Path) -> None:
    assert "--start goes with --plan" in hiprot("import", str(tmp_path / "x.toml"), "--start", "today",
                                                  code=2).stderr  # fmt: skip
    assert "no such file" in hiprot("import", str(tmp_path / "x.toml"), code=1).stderr
    assert "no saved routines" in hiprot("export", code=1).stderr.lower()
    assert "no plan running" in hiprot("export", "--plan", code=1).stderr.lower()
    assert "at most 120" in hiprot("export", "--clinician", "x" * 121, code=2).stderr


notes = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clinician=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=100), text=notes)
def test_any_clinician_and_notes_round_trip_through_a_file(hiprot, clock, tmp_path: Path, clinician, text) -> None:
    hiprot("save", "mine", "--pick", "clamshell:3x15", "--force")
    target = tmp_path / "rx.toml"
    hiprot("export", "mine", "--output", str(target), "--force", "--clinician", clinician, "--notes", text)
    from hiprot.rxfile import read

    rx = read(target)
    assert rx.clinician == (clinician or None) if clinician else rx.clinician in ("", None)
    assert rx.notes == text or (text == "" and rx.notes in ("", None))
    os.remove(target)


def test_the_exported_file_is_valid_against_its_schema(hiprot, clock, tmp_path: Path) -> None:
    import tomllib

    import jsonschema

    hiprot("save", "mine", "--pick", "clamshell:3x15")
    hiprot("save", "warm", "--goal", "warmup", "--position", "lying")
    data = tomllib.loads(hiprot("export").stdout)
    schema = json.loads((Path(__file__).parent.parent / "docs" / "schemas" / "prescription-file.json").read_text())
    as_json = json.loads(json.dumps(data, default=str))
    jsonschema.validate(as_json, schema)
    assert [r["name"] for r in data["routine"]] == ["mine", "warm"]
