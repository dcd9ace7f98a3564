"""The domain model: vocabularies, Request's round-trip (saved routines store it), Filters."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from hiprot.models import (
    AVOIDABLE,
    DEFAULT_MINUTES,
    Equipment,
    Filters,
    Goal,
    Muscle,
    Need,
    Precaution,
    Request,
    normalize,
    resolve_muscle,
)

from .strategies import requests

any_request = requests(muscles=3, minutes=180, count=20, avoid=8)


@given(any_request)
def test_request_round_trips_through_plain_json(request: Request) -> None:
    data = json.loads(json.dumps(request.to_dict()))
    assert Request.from_dict(data) == request


def test_request_dict_is_stable_and_readable() -> None:
    request = Request(goal=Goal.STRENGTH, equipment=frozenset({Equipment.BAND, Equipment.BALL}),
                      avoid=frozenset({Need.FLOOR, Precaution.HIP_REPLACEMENT}))  # fmt: skip
    assert request.to_dict() == {
        "goal": "strength", "level": "beginner", "positions": None, "equipment": ["band", "ball"],
        "muscles": [], "minutes": None, "count": None, "seed": None, "avoid": ["hip-replacement", "floor"], "side": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [{"goal": "nap"}, {"goal": "warmup", "minutes": "ten"}, {"goal": "warmup", "minutes": True},
     {"goal": "warmup", "colour": "red"}, {"goal": "warmup", "avoid": ["gravity"]}, {}],
)  # fmt: skip
def test_request_from_bad_data_raises_value_or_key_error(bad) -> None:
    with pytest.raises((ValueError, KeyError)):
        Request.from_dict(bad)


def test_budget_defaults_per_goal() -> None:
    for goal, minutes in DEFAULT_MINUTES.items():
        assert Request(goal=goal).budget_seconds == 60 * minutes
    assert Request(goal=Goal.WARMUP, minutes=3).budget_seconds == 180


def test_avoidable_covers_both_vocabularies_without_overlap() -> None:
    assert set(AVOIDABLE) == {p.value for p in Precaution} | {n.value for n in Need}
    assert len(AVOIDABLE) == len(Precaution) + len(Need)


def test_filters_avoid(bundled) -> None:
    squat = bundled.get("squatting-internal-rotation")
    assert Filters().admits(squat)
    assert not Filters(avoid=frozenset({Precaution.HIP_REPLACEMENT})).admits(squat)
    assert not Filters(avoid=frozenset({Need.DEEP_SQUAT})).admits(squat)
    assert Filters(avoid=frozenset({Need.KNEELING})).admits(squat)


def test_muscle_aliases_and_normalize() -> None:
    assert resolve_muscle("glute med") is Muscle.GLUTEUS_MEDIUS
    assert resolve_muscle("TFL") is Muscle.TENSOR_FASCIAE_LATAE
    assert normalize("90/90 Foot-Lift") == normalize("90-90 foot lift")


def test_side_knows_its_other_and_hip_precautions_are_the_three() -> None:
    from hiprot.models import HIP_PRECAUTIONS, Side

    assert Side.LEFT.other is Side.RIGHT and Side.RIGHT.other is Side.LEFT
    assert {p.value for p in HIP_PRECAUTIONS} == {
        "hip-replacement-posterior", "hip-impingement", "hip-replacement-anterior", "hip-replacement-early"
    }  # fmt: skip
    assert AVOIDABLE["hip-replacement-anterior"] is Precaution.HIP_REPLACEMENT_ANTERIOR
