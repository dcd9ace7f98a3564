"""The hip-rotation self-test's readings: record, list, delete."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from hiprot.errors import NoSuchRecord

if TYPE_CHECKING:
    from hiprot.models import Measurement


def readings() -> list[Measurement]:
    """Every reading, oldest first."""
    from hiprot.practice import open_store

    with open_store() as store:
        return store.measurements()


def record(taken_on: date, degrees: Mapping[str, float]) -> list[Measurement]:
    """Record a reading per side (`{"left": 28.0}`) taken on `taken_on`; every reading
    after. A damaged stored reading is refused before anything is added."""
    from hiprot.practice import open_store

    with open_store() as store:
        store.measurements()
        for side, value in degrees.items():
            store.add_measurement(taken_on, side, value)
        return store.measurements()


def delete(reading_id: int) -> None:
    """Remove one reading (NoSuchRecord if there is none with that id)."""
    from hiprot.practice import open_store

    with open_store() as store:
        if not store.delete_measurement(reading_id):
            raise NoSuchRecord("reading", reading_id)
