"""Where the body is, through the command line: roll-overs, anchor moves, the way down to
the floor and up, and one length for a session in every view of it (issue 27)."""

from __future__ import annotations

import re

import pytest

from hiprot.text import clock

SIDE_LYING = ("--goal", "strength", "--position", "side-lying")
CHAIR_BAND = ("--goal", "strength", "--position", "seated", "--equipment", "band", "--equipment", "chair")
MIXED = ("--goal", "warmup", "--level", "intermediate", "--minutes", "12")
MOVES = ("transition", "switch", "rollover", "anchor")


def _phases(cues: list[dict]) -> list[tuple[dict, float]]:
    """Each phase's cue with its length: from its time to the next phase's (or the end)."""
    starts = [c for c in cues if c["phase"] not in ("ready", "skip", "back", "help")]
    marks = [c for c in starts if c["text"] and not re.fullmatch(r"Rep \d+ of \d+|\d", c["text"])]
    return [(c, nxt["at"] - c["at"]) for c, nxt in zip(marks, marks[1:], strict=False)]


def test_a_side_lying_dry_run_rolls_over_once_per_exercise_naming_the_hip_and_the_leg(hiprot) -> None:
    routine = hiprot.json("routine", *SIDE_LYING)
    cues = hiprot.json("go", *SIDE_LYING, "--dry-run")
    rolls = [(c, length) for c, length in _phases(cues) if c["phase"] == "rollover"]
    assert len(rolls) == len(routine["items"]) >= 2
    for cue, length in rolls:
        found = re.match(r"Roll onto your (left|right) side, \1 hip down; the (left|right) leg works now", cue["text"])
        assert found and found[1] != found[2], cue  # the top leg works
        assert cue["say"].startswith(found[0])
        assert length >= 10
    assert sum(c["phase"] == "switch" for c in cues) == 0


def test_a_chair_band_dry_run_sets_up_the_anchor_and_moves_it_between_sides(hiprot) -> None:
    routine = hiprot.json("routine", *CHAIR_BAND)
    assert [i["id"] for i in routine["items"]] == ["seated-banded-internal-rotation"]
    cues = hiprot.json("go", *CHAIR_BAND, "--dry-run")
    setup = next(c for c in cues if c["phase"] == "setup")
    assert "a long band anchored at ankle height on your right side" in setup["text"]
    assert "Left side first" in setup["say"]
    anchors = [(c, length) for c, length in _phases(cues) if c["phase"] == "anchor"]
    assert len(anchors) == routine["rounds"] >= 2  # one move per exercise, every round
    assert all(length == 15 for _, length in anchors)
    # Each round starts on the side the band is already anchored for: no move back between rounds.
    assert [c["text"].split(". Next: ")[0] for c, _ in anchors][:2] == [
        "Move the band's anchor to your left; the right leg works now",
        "Move the band's anchor to your right; the left leg works now",
    ]
    setups = [c["text"] for c in cues if c["phase"] == "setup"]
    assert setups[1].endswith("Right side first. You need a sturdy chair and a long band anchored at ankle height "
                              "on your left side.")  # fmt: skip
    text = hiprot("go", *CHAIR_BAND, "--dry-run").stdout
    assert "Move the band's anchor to your left; the right leg works now" in text


@pytest.mark.parametrize("args", [SIDE_LYING, CHAIR_BAND, MIXED], ids=["side-lying", "chair-band", "mixed"])
def test_the_dry_run_and_every_format_agree_on_the_length(hiprot, args) -> None:
    routine = hiprot.json("routine", *args)
    total = routine["total_seconds"]
    assert total == sum(p["seconds"] for i in routine["items"] for p in i["phases"]) * routine["rounds"] + (
        routine["rounds"] - 1
    ) * routine["round_rest_s"] + sum(
        20 for _ in range(routine["rounds"] - 1) if _moves_between_rounds(routine)
    )
    cues = hiprot.json("go", *args, "--dry-run")
    assert cues[-1]["phase"] == "end" and cues[-1]["at"] == total
    assert f"Total {clock(total)} of" in hiprot("routine", *args).stdout
    assert f"**Total {clock(total)}** of" in hiprot("routine", *args, "--format", "markdown").stdout
    assert hiprot("go", *args, "--dry-run").stdout.splitlines()[-1].startswith(f"[{clock(total, pad=True)}]")
    for cue, length in _phases(cues):
        if cue["phase"] in MOVES:
            assert cue["text"] and cue["say"] and length > 0


def _moves_between_rounds(routine: dict) -> bool:
    """Whether the last item is on the floor and the first is not, or the other way round."""
    floor = {"lying", "side-lying", "quadruped", "kneeling"}

    def down(item: dict) -> bool:
        return item["position"] in floor or (item["position"] == "seated" and "chair" not in item["equipment"])

    return down(routine["items"][0]) != down(routine["items"][-1])


def test_a_mixed_routine_gets_down_to_the_floor_and_up_with_words(hiprot) -> None:
    cues = hiprot.json("go", *MIXED, "--dry-run")
    moves = [(c["text"].split(". Next: ")[0], length) for c, length in _phases(cues) if c["phase"] == "transition"]
    assert ("Get up from the floor to standing", 20) in moves
    assert all(length == 20 for _, length in moves)


def test_a_replaced_hip_gets_the_safe_way_up_and_more_time(hiprot) -> None:
    # Long enough ago to be past the early weeks (which would leave only floor work), not cleared.
    hiprot("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")
    cues = hiprot.json("go", *MIXED, "--dry-run")
    ups = [(c, length) for c, length in _phases(cues) if c["phase"] == "transition" and "up" in c["text"]]
    assert ups
    for cue, length in ups:
        assert length == 30
        assert cue["text"].startswith("Get up the safe way: roll onto your side, push up with your arms")
        assert "leading with your right leg" in cue["text"]  # the hip that was not replaced
    routine = hiprot.json("routine", *MIXED)
    assert cues[-1]["at"] == routine["total_seconds"]
    setups = [c["text"] for c in cues if c["phase"] == "setup"]
    one_sided = [t for t in setups if "leg only today" in t]
    if one_sided:  # said in full once, then briefly
        assert sum("Your left hip is protected: right leg only today" in t for t in setups) == 1


def test_the_stiff_hips_extra_set_and_a_protected_hip_say_why(hiprot) -> None:
    hiprot("profile", "hip", "left", "stiff")
    hiprot("profile", "hip", "right", "hip-replacement", "--approach", "posterior", "--since", "2026-10-20")
    cues = hiprot.json("go", "--goal", "warmup", "--dry-run")
    extra = [c for c in cues if c["phase"] in ("reps", "hold") and "extra set" in c["text"]]
    assert extra and all("extra set for your stiff left hip" in c["text"] for c in extra)
    assert all(c["say"].startswith("Extra set for your stiff left hip.") for c in extra)
    setups = [c for c in cues if c["phase"] == "setup"]
    told = [c for c in setups if "Your right hip is protected: left leg only today" in c["text"]]
    assert len(told) == 1 and "Your right hip is protected" in told[0]["say"]
    routine = hiprot.json("routine", "--goal", "warmup")
    texts = [p["text"] for i in routine["items"] for p in i["phases"] if p["text"]]
    assert "Extra set for your stiff left hip" in texts
