"""A plan as an RFC 5545 calendar (the maintained `icalendar` package). Builds text, never writes.

One `VEVENT` per planned session, at the given local time ("floating" time: 07:30 wherever
the person is, across summer time), lasting that week's session, with the exercises and
doses in its description and, on request, a `VALARM` that many minutes before.

UIDs are stable: they come from the plan (its id and when it was made) and the session's
date, so exporting the same plan again gives the same UIDs and a calendar that imports the
new file updates its events instead of adding copies. A new plan gets new UIDs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from hiprot import __version__

if TYPE_CHECKING:
    from hiprot.models import Item, Plan, Prescription
    from hiprot.programme import PlannedSession, WeekDose

PRODID = f"-//hiprot//hiprot {__version__}//EN"


def uid(plan: Plan, day: date) -> str:
    """The UID of the plan's session on `day`: the same on every export of this plan."""
    key = f"{plan.id}|{plan.created_at.isoformat()}|{plan.saved_name.casefold()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{day:%Y%m%d}-{digest}@hiprot"


def plan_calendar(
    plan: Plan,
    sessions: Sequence[PlannedSession],
    doses: Sequence[WeekDose],
    next_session: Prescription,
    at: time,
    alarm: int | None,
    stamp: datetime,
) -> str:
    """The calendar text (CRLF lines, as RFC 5545 wants). `stamp` is the export time (DTSTAMP).

    Each event lasts its session's length (done, or as planned now); the next session's
    and the rest of its week's events list `next_session`'s items, later weeks their
    week's dose."""
    from hiprot.text import clock, prescription_words

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"hiprot: {plan.saved_name}")
    by_week = {dose.week: dose for dose in doses}
    stamp_utc = stamp.astimezone(UTC) if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    for session in sessions:
        dose = by_week.get(session.week)
        seconds = session.seconds or max(session.minutes, 1) * 60
        ahead = session.day >= next_session.day and session.status != "done"
        items: Sequence[Item] = ()
        if ahead and next_session.plan is not None and session.week == next_session.plan.week:
            items = next_session.routine.items
        elif dose is not None:
            items = dose.items
        event = Event()
        event.add("uid", uid(plan, session.day))
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", datetime.combine(session.day, at))  # floating: local time wherever you are
        event.add("duration", timedelta(seconds=seconds))
        event.add("summary", f"Hip rotation: {plan.saved_name} (week {session.week} of {plan.weeks})")
        lines = [f"{plan.saved_name}, {clock(seconds)}. Run it with: hiprot go"]
        lines += [f"- {item.exercise.name}: {prescription_words(item.dosage)}" for item in items]
        if dose is not None and dose.projected:
            lines.append("Doses for weeks to come assume the sessions before go well.")
        lines.append("Stop on sharp pain; see a professional for pain or after surgery.")
        event.add("description", "\n".join(lines))
        event.add("categories", ["hiprot"])
        if alarm is not None:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", f"Hip rotation in {alarm} minutes: {plan.saved_name}")
            reminder.add("trigger", timedelta(minutes=-alarm))
            event.add_component(reminder)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")
