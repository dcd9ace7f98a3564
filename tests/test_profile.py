"""The profile (profile.py): strict reading with file and line, writing, what it implies."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.errors import ProfileError
from hiprot.models import (
    AVOIDABLE,
    Approach,
    Equipment,
    Goal,
    Hip,
    HipCondition,
    Level,
    Precaution,
    Profile,
    Request,
    Side,
)
from hiprot.profile import apply, dumps, load, person_text, save

TODAY = date(2026, 11, 30)
SINCE = date(2026, 9, 14)

hips = st.one_of(
    st.none(),
    st.sampled_from([HipCondition.STIFF, HipCondition.HIP_IMPINGEMENT]).map(Hip),
    st.builds(
        Hip,
        st.just(HipCondition.HIP_REPLACEMENT),
        st.sampled_from(Approach),
        st.none() | st.dates(date(1950, 1, 1), date(2026, 1, 1)),
        st.none() | st.dates(date(2026, 1, 2), date(2030, 1, 1)),
    ),
)
def _stored_as_is(text: str) -> bool:
    """Text the profile keeps as given: one printable line, trimmed, not too long."""
    try:
        return person_text(text) == text
    except ValueError:
        return False


profiles = st.builds(
    Profile,
    hips,
    hips,
    st.frozensets(st.sampled_from(list(AVOIDABLE.values()))),
    st.none() | st.frozensets(st.sampled_from(Equipment)),
    st.none() | st.sampled_from(Level),
    *[st.none() | st.text(min_size=1, max_size=130).filter(lambda t: _stored_as_is(t))] * 3,  # name, clinician, contact
)


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_what_is_written_reads_back_the_same(profile: Profile) -> None:
    path = Path("/tmp/x") / f"p{os.getpid()}.toml"
    save(path, profile)
    assert load(path) == profile
    assert dumps(load(path) or Profile()) == path.read_text()


def test_no_file_is_no_profile(tmp_path: Path) -> None:
    assert load(tmp_path / "none.toml") is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("version = 1\nlevle = 'beginner'\n", 2, "unknown key 'levle'"),
        ("version = 2\n", 1, "'version' must be 1"),
        ("version = 1\nlevel = 'expert'\n", 2, "'level' cannot be 'expert'"),
        ("version = 1\navoid = ['gravity']\n", 2, "'avoid' cannot hold 'gravity'"),
        ("version = 1\nequipment = 'band'\n", 2, "'equipment' must be a list"),
        ("version = 1\n\n[hips.left]\ncondition = 'broken'\n", 4, "'condition' cannot be 'broken'"),
        ("version = 1\n\n[hips.middle]\ncondition = 'stiff'\n", 3, "unknown hip 'middle'"),
        ("version = 1\n[hips.left]\ncondition = 'stiff'\napproach = 'posterior'\n", 2, "for a hip replacement only"),
        ("version = 1\n[hips.left]\ncondition = 'hip-replacement'\nsince = 'soon'\n", 4, "'since' must be a date"),
        ("version = 1\n[hips.left]\ncondition = 'hip-replacement'\nsince = 2026-09-14\ncleared = 2026-01-01\n",
         5, "'cleared' is before 'since'"),
        ("version = 1\n[hips.left]\ncolour = 'red'\n", 3, "unknown key 'colour'"),
        ("version = 1\nlevel = \n", 2, "not valid TOML"),
    ],
)  # fmt: skip
def test_a_damaged_profile_names_file_and_line_and_is_left_as_it_was(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ") and words in message, message
    assert message.endswith("The profile was left as it is.")
    assert path.read_text() == text


def test_only_a_regular_bounded_utf8_file_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(ProfileError, match="not a regular file"):
        load(fifo)  # at once: never waits for a writer
    with pytest.raises(ProfileError, match="not a regular file"):
        load(tmp_path)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 70_000 + "\nversion = 1\n")
    with pytest.raises(ProfileError, match="larger than 64 KiB"):
        load(big)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"version = 1\n# caf\xe9\n")
    with pytest.raises(ProfileError, match=r"latin.toml:2: not UTF-8"):
        load(latin)


@pytest.mark.parametrize(
    ("approach", "precautions"),
    [
        (Approach.POSTERIOR, {Precaution.HIP_REPLACEMENT}),
        (Approach.ANTERIOR, {Precaution.HIP_REPLACEMENT_ANTERIOR}),
        (Approach.LATERAL, {Precaution.HIP_REPLACEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR}),
        (Approach.UNKNOWN, {Precaution.HIP_REPLACEMENT, Precaution.HIP_REPLACEMENT_ANTERIOR}),
    ],
)
def test_the_approach_decides_the_precautions_until_the_surgeon_clears_them(approach, precautions) -> None:
    hip = Hip(HipCondition.HIP_REPLACEMENT, approach, SINCE, date(2026, 12, 20))
    # 11 weeks after surgery: the early weeks' precaution too, whatever the approach.
    assert hip.precautions(TODAY) == precautions | {Precaution.HIP_REPLACEMENT_EARLY}
    assert hip.precautions(SINCE + timedelta(weeks=12)) == precautions
    assert hip.precautions(date(2026, 12, 20)) == frozenset()
    assert Hip(HipCondition.HIP_IMPINGEMENT).precautions(TODAY) == {Precaution.HIP_IMPINGEMENT}
    assert Hip(HipCondition.STIFF).precautions(TODAY) == frozenset()


def test_apply_adds_and_never_loosens() -> None:
    profile = Profile(
        left=Hip(HipCondition.HIP_REPLACEMENT, Approach.POSTERIOR, SINCE),
        right=Hip(HipCondition.STIFF),
        avoid=frozenset({AVOIDABLE["knee-pain"]}),
        equipment=frozenset({Equipment.CHAIR}),
    )
    asked = Request(goal=Goal.WARMUP, avoid=frozenset({AVOIDABLE["floor"]}))
    later = SINCE + timedelta(weeks=20)  # past the early weeks (tested on their own)
    done = apply(asked, profile, later)
    assert done.avoid == {AVOIDABLE["floor"], AVOIDABLE["knee-pain"]}
    assert done.equipment == {Equipment.CHAIR}  # the profile's, as the request names none
    assert done.protect == {(Side.LEFT, Precaution.HIP_REPLACEMENT)}
    assert done.stiff == {Side.RIGHT}
    band = apply(asked._replace(equipment=frozenset({Equipment.BAND})), profile, later)
    assert band.equipment == {Equipment.BAND}  # the command line's equipment wins for the run
    assert apply(asked, None, TODAY) == asked
