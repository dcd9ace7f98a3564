"""Hypothesis strategies the tests share."""

from __future__ import annotations

from hypothesis import strategies as st

from hiprot.models import Equipment, Goal, Level, Muscle, Need, Position, Precaution, Request, Side


def requests(muscles: int = 2, minutes: int = 60, count: int = 8, avoid: int = 2) -> st.SearchStrategy[Request]:
    """Any request: each filter absent or set, with at most these many muscles, minutes,
    exercises and things to avoid."""
    return st.builds(
        Request,
        goal=st.sampled_from(Goal),
        level=st.sampled_from(Level),
        positions=st.none() | st.frozensets(st.sampled_from(Position), min_size=1),
        equipment=st.none() | st.frozensets(st.sampled_from(Equipment)),
        muscles=st.lists(st.sampled_from(Muscle), max_size=muscles, unique=True).map(tuple),
        minutes=st.none() | st.integers(1, minutes),
        count=st.none() | st.integers(1, count),
        seed=st.none() | st.integers(0, 2**32),
        avoid=st.frozensets(st.sampled_from([*Precaution, *Need]), max_size=avoid),
        side=st.none() | st.sampled_from(Side),
        # A request as the command line gives it: the profile fills these in later.
        protect=st.just(frozenset()),
        stiff=st.just(frozenset()),
        # A routine chosen by the planner: written routines (tests/test_picks.py) aside.
        picks=st.just(()),
        order=st.just(False),
        keep=st.just(()),
        drop=st.just(()),
        swap=st.just(()),
    )
