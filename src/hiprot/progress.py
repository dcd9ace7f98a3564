"""The progress report's numbers, for a clinician: sessions per week (against a plan when
there is one), pain during and the day after each session, hip-rotation readings per side
with the test's noise band and the usual range, dose changes with their reasons, and the
person's own goals (PSFS) with their trend. Pure.

Everything is computed here from what the caller passes in (session records and
readings from the store, the progression notes of each saved routine, the plan's
sessions per week, today's date), so every report format draws the same numbers.

A session the history stores as `abandoned` (stopped with under 60 s of work or under
20% done, see `hiprot.programme.is_abandoned`) is listed but never counted towards a week.

The window starts on the day given (a plan's start, or the reader's own date), or else
a number of whole weeks back: never with empty weeks from before the person began.
The summary a clinician reads first (`Summary`) is computed here too: pain peak and
trend, rotation change per side against the measurement error, and the flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from hiprot.limits import MDC_DEGREES, NOISE_DEGREES, STOP_PAIN_MIN
from hiprot.models import Prescription
from hiprot.selftest import NORMAL_IR, Reading, measurement_verdict

if TYPE_CHECKING:
    from hiprot import psfs

SIDES = ("left", "right")


class Session(Protocol):
    """One recorded session (store.SessionRecord has this shape)."""

    @property
    def id(self) -> int | None: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def goal(self) -> str: ...

    @property
    def saved_name(self) -> str | None: ...

    @property
    def status(self) -> str: ...

    @property
    def planned_seconds(self) -> int: ...

    @property
    def done_seconds(self) -> int: ...

    @property
    def pain(self) -> int | None: ...

    @property
    def pain_next_day(self) -> int | None: ...

    @property
    def note(self) -> str | None: ...


# How a session stopped with the sharp-pain key is noted in the history (`go` writes it).
SHARP_PAIN_NOTE = "Stopped for sharp pain"
HIGH_PAIN = STOP_PAIN_MIN  # the progression's red light: pain 6 or more
TREND_SESSIONS = 3  # the pain trend compares the first and the last three sessions with pain


class Week(NamedTuple):
    """One week (Monday first): sessions counted, and against the plan when there is one."""

    monday: date
    sessions: int
    planned: int | None  # None: no plan
    adherence: float | None  # sessions / planned, 0-1 (capped at 1); None without a plan or a week still to come

    def to_dict(self) -> dict[str, object]:
        return {"week_of": self.monday.isoformat(), "sessions": self.sessions, "planned": self.planned,
                "adherence": None if self.adherence is None else round(self.adherence, 3)}  # fmt: skip


class SessionRow(NamedTuple):
    """One session in the window, oldest first."""

    id: int | None
    day: date
    routine: str  # the saved name, or the goal
    status: str  # completed | partial | logged
    done_seconds: int
    planned_seconds: int
    counted: bool  # False: abandoned (too little done to count)
    pain: int | None
    pain_next_day: int | None
    note: str | None = None

    @property
    def worst(self) -> int | None:
        """The higher of the pain during and the day after (None: neither recorded)."""
        values = [v for v in (self.pain, self.pain_next_day) if v is not None]
        return max(values) if values else None

    @property
    def sharp(self) -> bool:
        """Stopped with the sharp-pain key."""
        return bool(self.note and self.note.startswith(SHARP_PAIN_NOTE))

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "date": self.day.isoformat(), "routine": self.routine, "status": self.status,
                "done_seconds": self.done_seconds, "planned_seconds": self.planned_seconds,
                "counted": self.counted, "pain": self.pain, "pain_next_day": self.pain_next_day,
                "note": self.note}  # fmt: skip


class Point(NamedTuple):
    day: date
    degrees: float

    def to_dict(self) -> dict[str, object]:
        return {"date": self.day.isoformat(), "degrees": self.degrees}


class SideReadings(NamedTuple):
    """One side's readings in the window, and the noise band around its first one."""

    side: str
    points: tuple[Point, ...]

    @property
    def band(self) -> tuple[float, float] | None:
        """First reading ± the minimal detectable change: a later reading inside it is noise."""
        if not self.points:
            return None
        first = self.points[0].degrees
        return first - MDC_DEGREES, first + MDC_DEGREES

    @property
    def change(self) -> float | None:
        """Latest minus first, in degrees (None under two readings)."""
        return self.points[-1].degrees - self.points[0].degrees if len(self.points) > 1 else None

    def to_dict(self) -> dict[str, object]:
        band = self.band
        change = self.change
        return {
            "readings": [p.to_dict() for p in self.points],
            "noise_band": None if band is None else [round(band[0], 1), round(band[1], 1)],
            "change": None if change is None else round(change, 1),
            "beyond_noise": None if change is None else abs(change) >= NOISE_DEGREES,
        }


class DoseChanges(NamedTuple):
    """A saved routine's dose changes from its starting doses, each with its reason."""

    routine: str
    changes: tuple[str, ...]
    sessions: int  # sessions logged for it (all time): what the changes were replayed from

    def to_dict(self) -> dict[str, object]:
        return {"routine": self.routine, "sessions": self.sessions, "changes": list(self.changes)}


class Peak(NamedTuple):
    """The highest pain in the window and the session it belongs to."""

    pain: int
    day: date  # the day it was felt: the session's, or the day after for next-day pain
    next_day: bool


class Change(NamedTuple):
    """One side's rotation change over the window, against the measurement error."""

    side: str
    first: Point
    last: Point

    @property
    def degrees(self) -> float:
        return self.last.degrees - self.first.degrees

    @property
    def beyond_error(self) -> bool:
        """Larger than the minimal detectable change: more than the test's own error."""
        return abs(self.degrees) > MDC_DEGREES


class Summary(NamedTuple):
    """What a clinician reads in 30 seconds, as data; the reporters word it."""

    per_week: float  # counted sessions per week over the window
    peak: Peak | None
    trend: str | None  # "falling" | "rising" | "steady"; None under 2 x TREND_SESSIONS sessions with pain
    trend_from: float | None  # mean worst pain of the first TREND_SESSIONS sessions with pain
    trend_to: float | None  # ... and of the last
    changes: tuple[Change, ...]  # per side with two readings or more
    high_pain_runs: tuple[tuple[date, date], ...]  # two or more sessions in a row at HIGH_PAIN or more
    sharp_stops: tuple[date, ...]
    missed_weeks: tuple[date, ...]  # Mondays of whole past weeks with no counted session

    def to_dict(self) -> dict[str, object]:
        return {
            "sessions_per_week": round(self.per_week, 2),
            "pain_peak": None if self.peak is None else
            {"pain": self.peak.pain, "date": self.peak.day.isoformat(), "next_day": self.peak.next_day},
            "pain_trend": self.trend,
            "pain_trend_from": None if self.trend_from is None else round(self.trend_from, 1),
            "pain_trend_to": None if self.trend_to is None else round(self.trend_to, 1),
            "rotation_changes": [{"side": c.side, "from": c.first.to_dict(), "to": c.last.to_dict(),
                                  "change": round(c.degrees, 1), "beyond_error": c.beyond_error}
                                 for c in self.changes],
            "flags": {
                "high_pain_in_a_row": [[a.isoformat(), b.isoformat()] for a, b in self.high_pain_runs],
                "sharp_pain_stops": [d.isoformat() for d in self.sharp_stops],
                "missed_weeks": [d.isoformat() for d in self.missed_weeks],
            },
        }  # fmt: skip


class Progress(NamedTuple):
    first_day: date  # the day the window starts on (a Monday unless a start date was given)
    today: date
    weeks: tuple[Week, ...]
    planned_per_week: int | None
    sessions: tuple[SessionRow, ...]
    sides: tuple[SideReadings, SideReadings]
    verdict: tuple[str, ...]  # the self-test verdict over the window's readings, in words
    doses: tuple[DoseChanges, ...]
    current: Prescription | None = None  # the next session of the plan, or None without a plan
    goals: psfs.Summary | None = None  # the person's PSFS activities (None: not asked for)
    routines: tuple[RoutineAdherence, ...] = ()  # a plan that mixes routines: each one's

    @property
    def mixed(self) -> bool:
        return len(self.routines) > 1

    @property
    def counted(self) -> int:
        return sum(1 for s in self.sessions if s.counted)

    @property
    def abandoned(self) -> int:
        return sum(1 for s in self.sessions if not s.counted)

    @property
    def planned_so_far(self) -> int | None:
        """Sessions the plan asked for in the window's weeks up to this one (None: no plan)."""
        if self.planned_per_week is None:
            return None
        return sum(w.planned or 0 for w in self.weeks)

    @property
    def adherence(self) -> float | None:
        """Counted sessions / planned sessions over the window, 0-1 (None: no plan or nothing planned)."""
        planned = self.planned_so_far
        if not planned:
            return None
        return min(1.0, sum(min(w.sessions, w.planned or 0) for w in self.weeks) / planned)

    @property
    def pain_values(self) -> list[int]:
        return [p for s in self.sessions for p in (s.pain, s.pain_next_day) if p is not None]

    @property
    def days(self) -> int:
        """Days in the window, today included."""
        return (self.today - self.first_day).days + 1

    def summary(self) -> Summary:
        """The 30-second summary (see `Summary`)."""
        per_week = self.counted / max(1.0, self.days / 7)
        with_pain = [s for s in self.sessions if s.counted and s.worst is not None]
        peak = None
        for s in self.sessions:
            for value, next_day in ((s.pain, False), (s.pain_next_day, True)):
                if value is not None and (peak is None or value > peak.pain):
                    peak = Peak(value, s.day + timedelta(days=1) if next_day else s.day, next_day)
        trend = trend_from = trend_to = None
        if len(with_pain) >= 2 * TREND_SESSIONS:
            trend_from = sum(s.worst or 0 for s in with_pain[:TREND_SESSIONS]) / TREND_SESSIONS
            trend_to = sum(s.worst or 0 for s in with_pain[-TREND_SESSIONS:]) / TREND_SESSIONS
            trend = "steady" if abs(trend_to - trend_from) < 1 else "falling" if trend_to < trend_from else "rising"
        changes = tuple(Change(side.side, side.points[0], side.points[-1]) for side in self.sides
                        if len(side.points) > 1)  # fmt: skip
        runs: list[tuple[date, date]] = []
        run: list[SessionRow] = []
        for s in [s for s in self.sessions if s.worst is not None]:
            if (s.worst or 0) >= HIGH_PAIN:
                run.append(s)
                continue
            if len(run) > 1:
                runs.append((run[0].day, run[-1].day))
            run = []
        if len(run) > 1:
            runs.append((run[0].day, run[-1].day))
        this_week = monday(self.today)
        missed = tuple(w.monday for w in self.weeks if w.sessions == 0 and w.monday < this_week)
        return Summary(per_week, peak, trend, trend_from, trend_to, changes, tuple(runs),
                       tuple(s.day for s in self.sessions if s.sharp), missed)  # fmt: skip

    def to_dict(self) -> dict[str, object]:
        """The report as plain data: the same numbers every chart and table shows."""
        adherence = self.adherence
        return {
            "from": self.first_day.isoformat(),
            "to": self.today.isoformat(),
            "weeks": [w.to_dict() for w in self.weeks],
            "plan": None if self.planned_per_week is None else {"sessions_per_week": self.planned_per_week,
                                                                **_plan_dict(self.current),
                                                                **_routines_dict(self.routines)},
            "adherence": None if adherence is None else round(adherence, 3),
            "sessions_counted": self.counted,
            "sessions_abandoned": self.abandoned,
            "sessions": [s.to_dict() for s in self.sessions],
            "rotation": {
                "mdc_degrees": MDC_DEGREES,
                "noise_degrees": NOISE_DEGREES,
                "usual_range": list(NORMAL_IR),
                **{s.side: s.to_dict() for s in self.sides},
                "verdict": list(self.verdict),
            },
            "dose_changes": [d.to_dict() for d in self.doses],
            "highlights": self.summary().to_dict(),
            "psfs": None if self.goals is None else self.goals.to_dict(),
        }


class RoutineAdherence(NamedTuple):
    """One routine of the plan: its sessions done against those due so far, and the
    prescription of its next session (as the plan computed it)."""

    saved_name: str
    done: int
    due_so_far: int
    current: Prescription

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.due_so_far) if self.due_so_far else None

    def to_dict(self) -> dict[str, object]:
        plan = self.current.plan
        return {"saved_name": self.saved_name,
                "adherence": {"done": self.done, "due_so_far": self.due_so_far, "percent": self.percent},
                "next_session": plan.due.isoformat() if plan is not None and plan.due else None}  # fmt: skip


def _routines_dict(routines: Sequence[RoutineAdherence]) -> dict[str, object]:
    """Each routine's adherence and next session, when the plan's state was built."""
    return {"routines": [r.to_dict() for r in routines]} if routines else {}


def _plan_dict(current: Prescription | None) -> dict[str, object]:
    """The plan's place and adherence so far, from the prescription of its next session."""
    plan = current.plan if current is not None else None
    if plan is None:
        return {}
    percent = round(100 * plan.done / plan.due_so_far) if plan.due_so_far else None
    return {"saved_name": plan.saved_name, "start": plan.start.isoformat(), "week": plan.week, "weeks": plan.weeks,
            "next_session": plan.due.isoformat() if plan.due else None,
            "adherence": {"done": plan.done, "due_so_far": plan.due_so_far, "percent": percent}}  # fmt: skip


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build(
    sessions: Iterable[Session],
    readings: Iterable[Reading],
    today: date,
    weeks: int,
    *,
    planned_per_week: int | None = None,
    doses: Sequence[DoseChanges] = (),
    since: date | None = None,
    current: Prescription | None = None,
    goals: psfs.Summary | None = None,
    routines: Sequence[RoutineAdherence] = (),
) -> Progress:
    """The report over the last `weeks` weeks (Monday first, this week last), or from
    `since` (a plan's start, or a date the reader chose) to today, when given. Without
    `since`, a window that would open before the first session or reading opens on that
    day instead: weeks before someone began are not weeks they missed.

    `sessions` and `readings` may hold anything; only those from the window's first
    day to `today` are used. `planned_per_week`: the plan's sessions per week, or None
    without a plan. `doses`: each saved routine's progression notes (see `dose_changes`).
    `current`: the prescription of the plan's next session (the report's current programme).
    """
    if since is not None:
        if since > today:
            raise ValueError("the start date is after today")
        weeks = (monday(today) - monday(since)).days // 7 + 1
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    if since is None:  # no plan, no date: from the first thing recorded, if that is later
        sessions, readings = list(sessions), list(readings)
        earliest = min([s.started_at.date() for s in sessions] + [r.taken_on for r in readings], default=None)
        window = monday(today) - timedelta(weeks=weeks - 1)
        if earliest is not None and window < earliest <= today:
            since = earliest
            weeks = (monday(today) - monday(since)).days // 7 + 1
    start = monday(today) - timedelta(weeks=weeks - 1)
    first = start if since is None else since
    rows = sorted(
        (_row(s) for s in sessions if first <= s.started_at.date() <= today),
        key=lambda r: (r.day, r.id if r.id is not None else 0),
    )
    counts = [0] * weeks
    for row in rows:
        if row.counted:
            counts[(row.day - start).days // 7] += 1
    table = []
    for n, count in enumerate(counts):
        planned = planned_per_week
        adherence = None if not planned else min(1.0, count / planned)
        table.append(Week(start + timedelta(weeks=n), count, planned, adherence))
    in_window = sorted((r for r in readings if first <= r.taken_on <= today), key=lambda r: r.taken_on)
    left, right = (
        SideReadings(side, tuple(Point(r.taken_on, r.degrees) for r in in_window if r.side == side))
        for side in SIDES
    )
    return Progress(first, today, tuple(table), planned_per_week, tuple(rows), (left, right),
                    tuple(measurement_verdict(in_window)), tuple(doses), current, goals, tuple(routines))  # fmt: skip


def _row(s: Session) -> SessionRow:
    return SessionRow(
        s.id, s.started_at.date(), s.saved_name or s.goal, s.status, s.done_seconds, s.planned_seconds,
        s.status != "abandoned", s.pain, s.pain_next_day, s.note,
    )  # fmt: skip


def dose_changes(name: str, base_notes: Sequence[str], adapted_notes: Sequence[str], sessions: int) -> DoseChanges:
    """A saved routine's dose changes: the notes its progression added to the base routine's."""
    added = tuple(note for note in adapted_notes[len(base_notes) :] if note not in base_notes)
    return DoseChanges(name, added, sessions)
