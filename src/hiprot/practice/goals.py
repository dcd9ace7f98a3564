"""Goals that matter to the person (the PSFS, see hiprot.psfs): add an activity, rate the
activities, stop rating one, and the summary every view renders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from hiprot import psfs


def goals_summary() -> psfs.Summary:
    """Every activity the person has rated (removed ones too) with its trend."""
    from hiprot.practice import open_store

    with open_store() as store:
        return psfs.summarise(store.activities(), store.ratings())


def add_goal(name: str, score: int, day: date) -> psfs.Activity:
    """Start rating an activity, with its first score on `day` (one transaction)."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.add_activity(name, day, score)


def rate_goals(day: date, scores: Mapping[str, int]) -> tuple[list[psfs.Activity], list[int]]:
    """Record scores for `day`, each keyed by an activity's id or name (see find_activity),
    in one transaction; the activities rated, and the ids whose rating for that day was replaced."""
    from hiprot.practice import open_store

    with open_store() as store:
        in_use = store.activities(in_use_only=True)
        chosen: dict[int, int] = {}
        for key, score in scores.items():
            chosen[find_activity(in_use, key).id] = score
        replaced = store.rate(day, chosen)
    return [a for a in in_use if a.id in chosen], replaced


def remove_goal(key: str, day: date) -> psfs.Activity:
    """Stop rating an activity (its ratings stay)."""
    from hiprot.practice import open_store

    with open_store() as store:
        activity = find_activity(store.activities(in_use_only=True), key)
        return store.remove_activity(activity.id, day)


def goals_in_use() -> list[psfs.Activity]:
    from hiprot.practice import open_store

    with open_store() as store:
        return store.activities(in_use_only=True)


def find_activity(activities: Sequence[psfs.Activity], key: str) -> psfs.Activity:
    """The activity `key` names: its id, its name (case and spacing aside), the start of
    exactly one name, or a part of exactly one. UnknownActivity otherwise."""
    from hiprot.errors import UnknownActivity

    text = " ".join(key.split()).casefold()
    if text.isascii() and text.isdigit():
        for activity in activities:
            if activity.id == int(text):
                return activity
        raise UnknownActivity(key)
    exact = [a for a in activities if a.name.casefold() == text]
    if exact:
        return exact[0]
    for match in (str.startswith, str.__contains__):  # the start of one name, else a part of one
        found = [a for a in activities if text and match(" ".join(a.name.split()).casefold(), text)]
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownActivity(key, names=[a.name for a in found])
    raise UnknownActivity(key)
