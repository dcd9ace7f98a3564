"""Goals that matter to the person: the Patient-Specific Functional Scale (PSFS). Pure.

The person names up to five activities they find hard because of their hip ("put on
socks standing", "get out of the car") and rates each from 0 (unable to do it) to 10 (able
to do it as before), then re-rates them over weeks. The PSFS score on a day is the
average over the activities in use that day, each at its latest rating on or before that
day (the chart's line). The change is measured on the same activities at both ends: the
average of the first ratings against the average of the latest ones, over the
activities rated twice or more, so adding or dropping an activity does not move it. A
change of 2 points or more in the average is the change the PSFS literature commonly
treats as meaningful (Stratford et al. 1995; Horn et al., JOSPT 2012), so it is flagged;
a smaller one is not called a change.

No wording for a screen and no flags here: the records and the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

MAX_ACTIVITIES = 5  # the scale's own limit: "up to five activities"
SCORE_MIN = 0  # unable to perform the activity
SCORE_MAX = 10  # able to perform it at the level before the problem
MEANINGFUL_CHANGE = 2.0  # points on the average score
NAME_MAX = 80  # characters in an activity's name


class Activity(NamedTuple):
    """An activity the person rates; `removed_on` is set once they stop rating it (its
    ratings stay in the history and in the report)."""

    id: int
    name: str
    added_on: date
    removed_on: date | None = None

    def active_on(self, day: date) -> bool:
        return self.added_on <= day and (self.removed_on is None or day < self.removed_on)


class Rating(NamedTuple):
    """One activity's score on one day (a second rating on the same day replaces the first)."""

    activity_id: int
    rated_on: date
    score: int


class ActivityTrend(NamedTuple):
    """One activity's ratings, oldest first, and its change from the first to the latest."""

    activity: Activity
    ratings: tuple[Rating, ...]

    @property
    def first(self) -> int | None:
        return self.ratings[0].score if self.ratings else None

    @property
    def latest(self) -> int | None:
        return self.ratings[-1].score if self.ratings else None

    @property
    def change(self) -> int | None:
        if len(self.ratings) < 2:
            return None
        return self.ratings[-1].score - self.ratings[0].score


class Summary(NamedTuple):
    """Every activity's trend and the average score on each day anything was rated."""

    trends: tuple[ActivityTrend, ...]
    averages: tuple[tuple[date, float], ...]

    @property
    def compared(self) -> tuple[ActivityTrend, ...]:
        """The activities rated on two days or more: the change is measured on these."""
        return tuple(t for t in self.trends if len(t.ratings) >= 2)

    @property
    def first_average(self) -> float | None:
        """The average of the compared activities' first ratings."""
        compared = self.compared
        return round(sum(t.ratings[0].score for t in compared) / len(compared), 2) if compared else None

    @property
    def latest_average(self) -> float | None:
        """The average of the compared activities' latest ratings."""
        compared = self.compared
        return round(sum(t.ratings[-1].score for t in compared) / len(compared), 2) if compared else None

    @property
    def change(self) -> float | None:
        """The average score's change, first rating to latest, over the same activities (those
        rated twice or more), so adding or dropping an activity does not move it; None when
        no activity has been rated twice."""
        first, latest = self.first_average, self.latest_average
        if first is None or latest is None:
            return None
        return round(latest - first, 2)

    @property
    def meaningful(self) -> bool:
        """True when the average moved by 2 points or more (either way)."""
        change = self.change
        return change is not None and abs(change) >= MEANINGFUL_CHANGE

    @property
    def direction(self) -> str | None:
        """better, worse, or None when the change is under 2 points (or unknown)."""
        change = self.change
        if change is None or not self.meaningful:
            return None
        return "better" if change > 0 else "worse"

    @property
    def empty(self) -> bool:
        return not self.trends

    def to_dict(self) -> dict[str, Any]:
        """`{"activities", "averages", "first_average", "latest_average", "change",
        "meaningful", "direction"}`, as JSON prints it."""
        return {
            "activities": [
                {
                    "id": t.activity.id,
                    "name": t.activity.name,
                    "added_on": t.activity.added_on.isoformat(),
                    "removed_on": t.activity.removed_on.isoformat() if t.activity.removed_on else None,
                    "ratings": [{"date": r.rated_on.isoformat(), "score": r.score} for r in t.ratings],
                    "first": t.first,
                    "latest": t.latest,
                    "change": t.change,
                }
                for t in self.trends
            ],
            "averages": [{"date": day.isoformat(), "average": value} for day, value in self.averages],
            "first_average": self.first_average,
            "latest_average": self.latest_average,
            "change": self.change,
            "meaningful": self.meaningful,
            "direction": self.direction,
        }


def summarise(activities: Iterable[Activity], ratings: Iterable[Rating]) -> Summary:
    """The trends and the day-by-day average of the activities and ratings given."""
    chosen = sorted(activities, key=lambda a: (a.added_on, a.id))
    by_activity: dict[int, list[Rating]] = {a.id: [] for a in chosen}
    for rating in sorted(ratings, key=lambda r: (r.rated_on, r.activity_id)):
        if rating.activity_id in by_activity:
            by_activity[rating.activity_id].append(rating)
    trends = tuple(ActivityTrend(a, tuple(by_activity[a.id])) for a in chosen)
    days = sorted({r.rated_on for t in trends for r in t.ratings})
    return Summary(trends, tuple((day, value) for day in days if (value := _average_on(trends, day)) is not None))


def _average_on(trends: Sequence[ActivityTrend], day: date) -> float | None:
    """The average of each activity in use on `day` at its latest rating by then."""
    scores = []
    for trend in trends:
        if not trend.activity.active_on(day):
            continue
        latest = [r.score for r in trend.ratings if r.rated_on <= day]
        if latest:
            scores.append(latest[-1])
    return round(sum(scores) / len(scores), 2) if scores else None


def check_score(score: object) -> int:
    """`score` as a whole number from 0 to 10; ValueError otherwise."""
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"a score is a whole number from {SCORE_MIN} to {SCORE_MAX}, not {score!r}")
    return score


def clean_activity(name: str) -> str:
    """The activity's name with outer spaces removed and inner runs of spaces folded;
    ValueError if it is empty, too long, or holds a control character."""
    text = " ".join(name.split())
    if not text:
        raise ValueError("an activity needs a name, such as 'put on socks standing'")
    if len(text) > NAME_MAX:
        raise ValueError(f"an activity's name is at most {NAME_MAX} characters")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
           for c in text):  # fmt: skip
        raise ValueError("an activity's name cannot hold control characters")
    return text
