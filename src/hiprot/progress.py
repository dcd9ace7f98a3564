"""The progress report's numbers, for a clinician: sessions per week (against a plan when
there is one), pain during and the day after each session, hip-rotation readings per side
with the test's noise band and the usual range, dose changes with their reasons, and the
person's own goals (PSFS) with their trend. Pure.

Everything is computed here from what the caller passes in (session records and
readings from the store, the progression notes of each saved routine, the plan's
sessions per week, today's date), so every report format draws the same numbers.

A session the history stores as `abandoned` (stopped with under 60 s of work or under
20% done, see `hiprot.programme.is_abandoned`) is listed but never counted towards a week.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from hiprot.limits import MDC_DEGREES, NOISE_DEGREES
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

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "date": self.day.isoformat(), "routine": self.routine, "status": self.status,
                "done_seconds": self.done_seconds, "planned_seconds": self.planned_seconds,
                "counted": self.counted, "pain": self.pain, "pain_next_day": self.pain_next_day}  # fmt: skip


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


class Progress(NamedTuple):
    first_day: date  # the Monday the window starts on
    today: date
    weeks: tuple[Week, ...]
    planned_per_week: int | None
    sessions: tuple[SessionRow, ...]
    sides: tuple[SideReadings, SideReadings]
    verdict: tuple[str, ...]  # the self-test verdict over the window's readings, in words
    doses: tuple[DoseChanges, ...]
    current: Prescription | None = None  # the next session of the plan, or None without a plan
    goals: psfs.Summary | None = None  # the person's PSFS activities (None: not asked for)

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

    def to_dict(self) -> dict[str, object]:
        """The report as plain data: the same numbers every chart and table shows."""
        adherence = self.adherence
        return {
            "from": self.first_day.isoformat(),
            "to": self.today.isoformat(),
            "weeks": [w.to_dict() for w in self.weeks],
            "plan": None if self.planned_per_week is None else {"sessions_per_week": self.planned_per_week,
                                                                **_plan_dict(self.current)},
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
            "psfs": None if self.goals is None else self.goals.to_dict(),
        }


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
    current: Prescription | None = None,
    goals: psfs.Summary | None = None,
) -> Progress:
    """The report over the last `weeks` weeks (Monday first, this week last).

    `sessions` and `readings` may hold anything; only those from the window's first
    Monday to `today` are used. `planned_per_week`: the plan's sessions per week, or None
    without a plan. `doses`: each saved routine's progression notes (see `dose_changes`).
    `current`: the prescription of the plan's next session (the report's current programme).
    """
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    first = monday(today) - timedelta(weeks=weeks - 1)
    rows = sorted(
        (_row(s) for s in sessions if first <= s.started_at.date() <= today),
        key=lambda r: (r.day, r.id if r.id is not None else 0),
    )
    counts = [0] * weeks
    for row in rows:
        if row.counted:
            counts[(row.day - first).days // 7] += 1
    table = []
    for n, count in enumerate(counts):
        start = first + timedelta(weeks=n)
        planned = planned_per_week
        adherence = None if not planned else min(1.0, count / planned)
        table.append(Week(start, count, planned, adherence))
    in_window = sorted((r for r in readings if first <= r.taken_on <= today), key=lambda r: r.taken_on)
    left, right = (
        SideReadings(side, tuple(Point(r.taken_on, r.degrees) for r in in_window if r.side == side))
        for side in SIDES
    )
    return Progress(first, today, tuple(table), planned_per_week, tuple(rows), (left, right),
                    tuple(measurement_verdict(in_window)), tuple(doses), current, goals)  # fmt: skip


def _row(s: Session) -> SessionRow:
    return SessionRow(
        s.id, s.started_at.date(), s.saved_name or s.goal, s.status, s.done_seconds, s.planned_seconds,
        s.status != "abandoned", s.pain, s.pain_next_day,
    )  # fmt: skip


def dose_changes(name: str, base_notes: Sequence[str], adapted_notes: Sequence[str], sessions: int) -> DoseChanges:
    """A saved routine's dose changes: the notes its progression added to the base routine's."""
    added = tuple(note for note in adapted_notes[len(base_notes) :] if note not in base_notes)
    return DoseChanges(name, added, sessions)
