"""hiprot profile, and the profile applied by routine, list, measure, log and go."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

LEFT_THR = ("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")


def profile_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "hiprot" / "profile.toml"


def test_no_profile_yet_says_how_to_make_one(hiprot) -> None:
    out = hiprot("profile").stdout
    assert "No profile yet" in out and "hiprot profile hip left hip-replacement" in out
    assert hiprot.json("profile") == {"hips": {"left": None, "right": None}, "avoid": [], "equipment": None,
                                      "level": None, "name": None, "clinician": None, "contact": None}  # fmt: skip


def test_each_change_is_saved_and_shown(hiprot) -> None:
    shown = hiprot(*LEFT_THR).stdout
    assert "Left hip replaced (posterior approach" in shown and "no bend past 90°" in shown
    hiprot("profile", "hip", "right", "stiff")
    hiprot("profile", "avoid", "knee-pain", "kneeling")
    hiprot("profile", "equipment", "loop-band", "chair")
    hiprot("profile", "level", "intermediate")
    data = hiprot.json("profile")
    assert data["hips"]["left"] == {"condition": "hip-replacement", "approach": "posterior",
                                    "since": "2026-03-02", "cleared": None}  # fmt: skip
    assert data["hips"]["right"] == {"condition": "stiff"}
    assert data["avoid"] == ["knee-pain", "kneeling"] and data["equipment"] == ["loop-band", "chair"]
    assert data["level"] == "intermediate"
    hiprot("profile", "hip", "left", "hip-replacement", "--cleared", "2026-12-20")
    assert hiprot.json("profile")["hips"]["left"]["cleared"] == "2026-12-20"  # approach and date kept
    hiprot("profile", "hip", "left", "none")
    hiprot("profile", "equipment", "none")
    data = hiprot.json("profile")
    assert data["hips"]["left"] is None and data["equipment"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("profile", "hip", "middle", "stiff"),
        ("profile", "hip", "left", "broken"),
        ("profile", "hip", "left", "stiff", "--approach", "posterior"),
        ("profile", "hip", "left", "hip-replacement", "--approach", "sideways"),
        ("profile", "hip", "left", "hip-replacement", "--since", "soon"),
        ("profile", "hip", "left", "hip-replacement", "--since", "2099-01-01"),
        ("profile", "avoid", "gravity"),
        ("profile", "equipment", "treadmill"),
        ("profile", "level", "expert"),
        ("profile", "colour", "red"),
        ("profile", "--approach", "posterior"),
        ("profile", "reset"),  # not a terminal: needs --yes
    ],
)
def test_mistakes_are_usage_errors_and_change_nothing(hiprot, args) -> None:
    hiprot(*LEFT_THR)
    before = profile_file().read_bytes()
    hiprot(*args, code=2)
    assert profile_file().read_bytes() == before


def test_reset_deletes_with_yes(hiprot) -> None:
    hiprot(*LEFT_THR)
    assert "Deleted your profile" in hiprot("profile", "reset", "--yes").stderr
    assert not profile_file().exists()
    assert "no profile to delete" in hiprot("profile", "reset", "--yes").stderr


def test_a_damaged_profile_stops_every_command_with_file_and_line(hiprot) -> None:
    profile_file().parent.mkdir(parents=True)
    profile_file().write_text("version = 1\nlevel = 'guru'\n")
    for args in (("profile",), ("routine", "--goal", "warmup"), ("list",), ("measure", "--right", "30")):
        err = hiprot(*args, code=1).stderr
        assert f"{profile_file()}:2: 'level' cannot be 'guru'" in err and "left as it is" in err
    assert profile_file().read_text() == "version = 1\nlevel = 'guru'\n"
    hiprot("routine", "--goal", "warmup", "--no-profile")  # one run without it still works


def test_routines_apply_the_profile_and_say_so(hiprot) -> None:
    hiprot(*LEFT_THR)
    hiprot("profile", "hip", "right", "stiff")
    out = hiprot("routine", "--goal", "warmup").stdout
    assert "Your profile: Left hip replaced (posterior approach" in " ".join(out.split())
    data = hiprot.json("routine", "--goal", "warmup")
    assert data["profile"]["protected"] == [{"hip": "left", "precaution": "hip-replacement"}]
    for item in data["items"]:
        if item["id"] in ("lying-hip-internal-rotation", "standing-hip-internal-rotation"):
            assert item["sides"] == ["right"]
            assert {p["side"] for p in item["phases"]} <= {None, "right"}
    free = hiprot("routine", "--goal", "warmup", "--no-profile", "--format", "json")
    assert "not applied to this run (--no-profile)" in free.stderr
    import json

    plain = json.loads(free.stdout)
    assert plain["profile"] is None and all(i["sides"] in (None, ["left", "right"]) for i in plain["items"])


def test_a_flag_never_loosens_a_hip_precaution(hiprot) -> None:
    hiprot(*LEFT_THR)
    data = hiprot.json("routine", "--goal", "warmup", "--side", "left", "--level", "advanced")
    for item in data["items"]:
        assert "left" not in {p["side"] for p in item["phases"]} or "hip-replacement" not in hiprot.json(
            "show", item["id"])["precautions"]  # fmt: skip


def test_lying_recovery_builds_or_says_why_without_dropping_the_precaution(hiprot) -> None:
    hiprot(*LEFT_THR)
    out = " ".join(hiprot("routine", "--goal", "recovery", "--position", "lying").stdout.split())
    assert "The left hip is protected" in out and "work your right side only" in out
    # Ask for what only a protected hip could do: the error names the precaution, never drops it.
    err = hiprot("routine", "--goal", "recovery", "--position", "lying", "--muscle", "piriformis", code=1).stderr
    assert "--avoid" not in err.split("It builds if")[-1] or "never a precaution" in err


def test_the_self_test_is_not_recorded_for_a_protected_hip(hiprot) -> None:
    hiprot(*LEFT_THR)
    err = hiprot("measure", "--left", "30", "--right", "35", code=1).stderr
    assert "not recorded for the left hip" in err and "hiprot measure --right" in err
    assert hiprot.json("history") == []  # nothing at all was written
    hiprot("measure", "--right", "35")
    guide = hiprot("measure").stdout
    assert "of the right hip only" in guide and "--left" not in guide


def test_pain_8_gets_advice_naming_a_physiotherapist_or_doctor(hiprot) -> None:
    err = " ".join(hiprot("log", "--goal", "warmup", "--pain", "8").stderr.split())
    assert "stop the programme" in err and "physiotherapist or doctor" in err
    assert "steps nothing up again until you log a session at pain 3 or less" in err
    quiet = hiprot("log", "--goal", "recovery", "--pain", "2").stderr
    assert "physiotherapist" not in quiet


def test_two_sessions_in_a_row_at_pain_6_say_see_someone(hiprot) -> None:
    first = " ".join(hiprot("log", "--goal", "warmup", "--pain", "6").stderr.split())
    assert "stop or reduce" in first and "if the pain lasts" in first
    second = " ".join(hiprot("log", "--goal", "recovery", "--pain", "7").stderr.split())
    assert "two sessions in a row at pain 6 or more" in second


def test_list_leaves_out_what_a_protected_hip_must_avoid(hiprot) -> None:
    everything = {e["id"] for e in hiprot.json("list")}
    hiprot(*LEFT_THR)
    result = hiprot("list", "--format", "json")
    import json

    kept = {e["id"] for e in json.loads(result.stdout)}
    assert kept < everything and "leave out" in result.stderr
    assert "lying-hip-internal-rotation" in kept  # done on the right side only
    assert {e["id"] for e in hiprot.json("list", "--no-profile")} == everything


def test_the_guide_s_profile_example_is_what_profile_prints(hiprot, monkeypatch) -> None:
    from datetime import datetime

    guide = (Path(__file__).parents[1] / "docs" / "guide.md").read_text(encoding="utf-8")
    said = "After the first three commands of the first block, `hiprot profile` says:\n\n```text\n"
    expected = guide.split(said)[1].split("```")[0]
    monkeypatch.setattr("hiprot.cli.options.now", lambda: datetime(2026, 11, 30, 9, 0).astimezone())
    hiprot(*LEFT_THR[:-1], "2026-09-14")  # the README's dates
    hiprot("profile", "hip", "left", "hip-replacement", "--cleared", "2026-12-20")
    hiprot("profile", "hip", "right", "stiff")
    shown = hiprot("profile").stdout
    assert " ".join(expected.split()) in " ".join(shown.split())


def test_exports_word_one_sided_steps_for_the_side_worked(hiprot) -> None:
    hiprot(*LEFT_THR)
    markdown = hiprot("routine", "--goal", "warmup", "--format", "markdown").stdout
    html = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    section = markdown.split("## 1. Lying Hip Internal Rotation")[1].split("\n## 2.")[0]
    assert "right" in section.split("### Log")[0] and "Set 1 · right" in section
    assert "· left" not in section
    assert "{" not in markdown and "{" not in html.split("<style>")[0] + html.split("</style>")[1]


def test_name_clinician_and_contact_are_kept_and_head_the_handout_and_the_report(hiprot) -> None:
    hiprot("profile", "name", "Ann", "Smith")
    hiprot("profile", "clinician", "Sam Lee, Hip Clinic")
    hiprot("profile", "contact", 'Ward "B", 0161 496 0000')
    stored = profile_file().read_text(encoding="utf-8")
    assert 'name = "Ann Smith"' in stored and 'contact = "Ward \\"B\\", 0161 496 0000"' in stored
    data = hiprot.json("profile")
    assert (data["name"], data["clinician"], data["contact"]) == ("Ann Smith", "Sam Lee, Hip Clinic",
                                                                  'Ward "B", 0161 496 0000')  # fmt: skip
    assert "For: Ann Smith" in hiprot("profile").stdout
    # A name changes no routine: the header says nothing of a profile.
    assert "Your profile" not in hiprot("routine", "--goal", "warmup").stdout
    handout = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    assert '<p class="who">For: Ann Smith · Clinician: Sam Lee, Hip Clinic · Contact: Ward &quot;B&quot;' in handout
    assert "For: Ann Smith" in hiprot("report", "--format", "html").stdout
    assert "**For: Ann Smith · Clinician: Sam Lee, Hip Clinic" in hiprot("report").stdout
    assert "Ann Smith" not in hiprot("routine", "--goal", "warmup", "--format", "html", "--no-profile").stdout
    hiprot("profile", "contact", "none")
    assert hiprot.json("profile")["contact"] is None
    assert "the name is empty" in hiprot("profile", "name", "  ", code=2).stderr


def test_a_name_that_is_not_text_is_an_error_naming_the_line(hiprot) -> None:
    path = profile_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('version = 1\nlevel = "beginner"\nname = 5\n', encoding="utf-8")
    result = hiprot("routine", "--goal", "warmup", code=1)
    assert "profile.toml:3: 'name' must be text" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("name = 5\n")  # left exactly as it was
