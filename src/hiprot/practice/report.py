"""The report's data from the history: every session, every reading, the saved routines' names."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from hiprot.models import Measurement, SessionRecord


class ReportRecords(NamedTuple):
    """Session summaries (newest first), readings (oldest first), saved routines by name."""

    sessions: list[SessionRecord]
    readings: list[Measurement]
    saved_names: list[str]


def report_records() -> ReportRecords:
    """What the report reads from the history, in one visit to the database."""
    from hiprot.practice import open_store

    with open_store() as store:
        return ReportRecords(store.sessions(full=False), store.measurements(), [s.name for s in store.saved_routines()])
