"""psfs.py: the Patient-Specific Functional Scale's arithmetic (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiprot.psfs import MEANINGFUL_CHANGE, Activity, Rating, check_score, clean_activity, summarise

D0 = date(2026, 11, 2)


def test_the_change_is_the_same_activities_first_against_latest() -> None:
    socks, car = Activity(1, "put on socks standing", D0), Activity(2, "get out of the car", D0)
    ratings = [Rating(1, D0, 3), Rating(2, D0, 5), Rating(1, D0 + timedelta(14), 6), Rating(2, D0 + timedelta(14), 7)]
    summary = summarise([socks, car], ratings)
    assert summary.first_average == 4.0 and summary.latest_average == 6.5 and summary.change == 2.5
    assert summary.meaningful and summary.direction == "better"
    assert summary.averages == ((D0, 4.0), (D0 + timedelta(14), 6.5))
    assert [t.change for t in summary.trends] == [3, 2]


def test_under_two_points_is_not_called_a_change() -> None:
    ratings = [Rating(1, D0, 3), Rating(1, D0 + timedelta(7), 4)]
    summary = summarise([Activity(1, "stairs", D0)], ratings)
    assert summary.change == 1.0 and not summary.meaningful and summary.direction is None


def test_a_drop_of_two_points_is_flagged_as_worse() -> None:
    ratings = [Rating(1, D0, 7), Rating(1, D0 + timedelta(7), 5)]
    summary = summarise([Activity(1, "stairs", D0)], ratings)
    assert summary.change == -2.0 and summary.meaningful and summary.direction == "worse"


def test_adding_an_activity_later_does_not_move_the_change() -> None:
    """A new, hard activity rated once lowers the day's average but not the change."""
    later = D0 + timedelta(10)
    activities = [Activity(1, "stairs", D0), Activity(2, "bike", later)]
    ratings = [Rating(1, D0, 4), Rating(1, later, 6), Rating(2, later, 1)]
    summary = summarise(activities, ratings)
    assert summary.change == 2.0 and summary.averages[-1] == (later, 3.5)


def test_a_removed_activity_keeps_its_trend_but_leaves_later_averages() -> None:
    gone = D0 + timedelta(7)
    activities = [Activity(1, "stairs", D0), Activity(2, "bike", D0, removed_on=gone)]
    ratings = [Rating(1, D0, 4), Rating(2, D0, 2), Rating(1, gone, 5)]
    summary = summarise(activities, ratings)
    assert summary.averages == ((D0, 3.0), (gone, 5.0))
    assert [len(t.ratings) for t in summary.trends] == [2, 1]


def test_no_ratings_and_one_rating() -> None:
    assert summarise([], []).empty and summarise([], []).change is None
    once = summarise([Activity(1, "stairs", D0)], [Rating(1, D0, 4)])
    assert once.change is None and not once.meaningful and once.to_dict()["averages"] == [
        {"date": "2026-11-02", "average": 4.0}]


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "5", None])
def test_scores_are_whole_numbers_from_0_to_10(bad: object) -> None:
    with pytest.raises(ValueError):
        check_score(bad)
    assert check_score(0) == 0 and check_score(10) == 10


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, "a\x1bb", "a\u202eb", "bell\x07"])
def test_activity_names_are_refused_when_empty_long_or_with_controls(bad: str) -> None:
    with pytest.raises(ValueError):
        clean_activity(bad)
    assert clean_activity("  put  on\nsocks ") == "put on socks" and clean_activity("Schuhe anziehen ü") == (
        "Schuhe anziehen ü")


scores = st.integers(0, 10)


@given(st.lists(st.tuples(scores, scores), min_size=1, max_size=5), st.integers(1, 60))
def test_the_change_is_the_mean_of_each_activity_s_change(pairs: list[tuple[int, int]], days: int) -> None:
    later = D0 + timedelta(days)
    activities = [Activity(i + 1, f"activity {i}", D0) for i in range(len(pairs))]
    ratings = [r for i, (a, b) in enumerate(pairs) for r in (Rating(i + 1, D0, a), Rating(i + 1, later, b))]
    summary = summarise(activities, ratings)
    expected = sum(b - a for a, b in pairs) / len(pairs)
    assert summary.change == pytest.approx(expected, abs=0.01)
    assert summary.meaningful == (abs(round(expected, 2)) >= MEANINGFUL_CHANGE)
    assert all(0 <= value <= 10 for _, value in summary.averages)
