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
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from hiprot import __version__

if TYPE_CHECKING:
    from hiprot.models import Item, Plan, Prescription
    from hiprot.programme import PlannedSession, WeekDose

PRODID = f"-//hiprot//hiprot {__version__}//EN"


def uid(plan: Plan, day: date, saved_name: str | None = None) -> str:
    """The UID of the plan's session on `day` (of the routine `saved_name` in a plan that
    mixes routines, which may have two sessions a day): the same on every export."""
    name = saved_name if plan.mixed and saved_name is not None else plan.saved_name
    key = f"{plan.id}|{plan.created_at.isoformat()}|{name.casefold()}"
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
    routines: Mapping[str, tuple[Sequence[WeekDose], Prescription]] | None = None,
) -> str:
    """The calendar text (CRLF lines, as RFC 5545 wants). `stamp` is the export time (DTSTAMP).

    Each event lasts its session's length (done, or as planned now); the next session's
    and the rest of its week's events list `next_session`'s items, later weeks their
    week's dose. In a plan that mixes routines, `routines` gives each routine's (by saved
    name, casefolded) doses and next session, and each event is named by its routine."""
    from hiprot.text import clock, prescription_words

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"hiprot: {' + '.join(p.saved_name for p in plan.parts)}")
    stamp_utc = stamp.astimezone(UTC) if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    for session in sessions:
        name = session.saved_name if plan.mixed and session.saved_name is not None else plan.saved_name
        own_doses, upcoming = (routines or {}).get(name.casefold(), (doses, next_session))
        dose = next((d for d in own_doses if d.week == session.week), None)
        seconds = session.seconds or max(session.minutes, 1) * 60
        ahead = session.day >= upcoming.day and session.status != "done"
        items: Sequence[Item] = ()
        if ahead and upcoming.plan is not None and session.week == upcoming.plan.week:
            items = upcoming.routine.items
        elif dose is not None:
            items = dose.items
        event = Event()
        event.add("uid", uid(plan, session.day, name))
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", datetime.combine(session.day, at))  # floating: local time wherever you are
        event.add("duration", timedelta(seconds=seconds))
        event.add("summary", f"Hip rotation: {name} (week {session.week} of {plan.weeks})")
        lines = [f"{name}, {clock(seconds)}. Run it with: hiprot go"]
        lines += [f"- {item.exercise.name}: {prescription_words(item.dosage)}" for item in items]
        if dose is not None and dose.projected:
            lines.append("Doses for weeks to come assume the sessions before go well.")
        lines.append("Stop on sharp pain; see a professional for pain or after surgery.")
        event.add("description", "\n".join(lines))
        event.add("categories", ["hiprot"])
        if alarm is not None:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", f"Hip rotation in {alarm} minutes: {name}")
            reminder.add("trigger", timedelta(minutes=-alarm))
            event.add_component(reminder)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")
