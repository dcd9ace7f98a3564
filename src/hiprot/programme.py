"""A programme over weeks: a plan's dated sessions, adherence, weekly streaks and the dose
week by week. Pure: today is a parameter, nothing reads the clock or the database.

A plan runs `weeks` weeks from its `start` day; week 1 is the seven days from `start`,
and each week holds one session on each of the plan's days, so a plan always has
weeks x days sessions. A planned day's status:

* `done`: a counted session (not `abandoned`) was recorded that day for the plan's saved
  routine or with the plan's goal (each session counts for one planned day);
* `missed`: the day is over and nothing was done;
* `due`: today, not done yet;
* `planned`: later.

Adherence is sessions done against sessions planned so far (today's counts once done).
A streak is counted in weeks: weeks on plan in which every planned session was done;
without a plan, weeks (Monday to Sunday) with at least two sessions. The current week
does not break a streak before it is over.

Dose by week (sources: NSCA's 2-for-2 rule and small loading steps; ACSM's guidance to
raise volume gradually, about 10% a week at most): the routine's progression (see
`hiprot.progression`) decides each step; a week's work (seconds of reps and holds) may
grow at most `WEEKLY_GROWTH` over the week before, and the plan's last week consolidates
(no step up). Steps held back say so and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from hiprot.limits import ABANDONED_SHARE, ABANDONED_WORK_S, STOP_PAIN_MIN
from hiprot.models import Dose, Exercise, Goal, Item, Request, Routine

if TYPE_CHECKING:
    from hiprot.models import Plan, SessionRecord

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STATUSES = ("done", "missed", "due", "planned")
DUPLICATE_WINDOW = timedelta(minutes=10)
WEEKLY_GROWTH = 0.10
GROWTH_REASON = "a plan's work grows at most 10% a week (ACSM/NSCA)"
CONSOLIDATE_REASON = "the plan's last week consolidates"
TWO_A_WEEK = 2  # without a plan, a week with two sessions keeps the streak


def is_abandoned(status: str, planned_seconds: int, done_seconds: int, pain: int | None = None) -> bool:
    """A session stopped early with under `ABANDONED_WORK_S` of work or under
    `ABANDONED_SHARE` of the routine done. A completed session is never abandoned, nor
    one logged after the fact, nor one that ended in pain of `STOP_PAIN_MIN` or more (a
    sharp-pain stop above all): pain always counts."""
    if status != "partial" or (pain is not None and pain >= STOP_PAIN_MIN):
        return False
    return done_seconds < ABANDONED_WORK_S or done_seconds < ABANDONED_SHARE * planned_seconds


def parse_days(text: str) -> tuple[int, ...]:
    """'mon,wed,fri' (or 'monday wednesday friday') -> (0, 2, 4); ValueError with the word
    that names no weekday."""
    days: set[int] = set()
    for word in text.replace(" ", ",").lower().split(","):
        if not word:
            continue
        found = [n for n, name in enumerate(FULL_DAYS) if len(word) >= 3 and name.startswith(word)]
        if len(found) != 1:
            raise ValueError(word)
        days.add(found[0])
    if not days:
        raise ValueError(text)
    return tuple(sorted(days))


def days_text(days: Iterable[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


# --- dated sessions ---------------------------------------------------------------------


class PlannedSession(NamedTuple):
    """One session of a plan: its day, its week (from 1), its status, the id of the
    session that did it (or None), and its length in minutes and seconds (done, or planned)."""

    day: date
    week: int
    status: str
    session_id: int | None
    minutes: int
    seconds: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"date": self.day.isoformat(), "week": self.week, "status": self.status,
                "session_id": self.session_id, "minutes": self.minutes, "seconds": self.seconds}  # fmt: skip


class Adherence(NamedTuple):
    done: int
    due_so_far: int

    @property
    def percent(self) -> int | None:
        """Done as a whole percentage of what was due; None when nothing was due yet."""
        return round(100 * self.done / self.due_so_far) if self.due_so_far else None

    def to_dict(self) -> dict[str, object]:
        return {"done": self.done, "due_so_far": self.due_so_far, "percent": self.percent}


class Week(NamedTuple):
    """One week of a plan: its number, first day, and how its sessions went."""

    week: int
    first: date
    planned: int
    adherence: Adherence


def plan_days(plan: Plan) -> list[tuple[date, int]]:
    """Every planned day with its week number, in order."""
    found = []
    for offset in range(plan.weeks * 7):
        day = plan.start + timedelta(days=offset)
        if day.weekday() in plan.days:
            found.append((day, offset // 7 + 1))
    return found


def last_day(plan: Plan) -> date:
    return plan.start + timedelta(days=plan.weeks * 7 - 1)


def week_of(plan: Plan, day: date) -> int:
    """The plan week `day` falls in (0 before the start, weeks + 1 after the end)."""
    if day < plan.start:
        return 0
    return min((day - plan.start).days // 7 + 1, plan.weeks + 1)


def counts_for(plan: Plan, record: SessionRecord) -> bool:
    """Whether a session can be a planned session of this plan."""
    if not record.counted:
        return False
    same_name = record.saved_name is not None and record.saved_name.casefold() == plan.saved_name.casefold()
    return same_name or record.goal == plan.goal


def dated_sessions(
    plan: Plan, records: Iterable[SessionRecord], today: date, planned_seconds: Mapping[int, int] | None = None
) -> list[PlannedSession]:
    """The plan's sessions with their status on `today`. `records` are sessions from the
    history (any order); `planned_seconds` maps a week to its session's length."""
    by_day: dict[date, list[SessionRecord]] = {}
    for record in sorted(records, key=lambda r: (r.started_at, r.id or 0)):
        if counts_for(plan, record):
            by_day.setdefault(record.day, []).append(record)
    sessions = []
    for day, week in plan_days(plan):
        done = by_day.get(day)
        if done:
            record = done.pop(0)
            sessions.append(PlannedSession(day, week, "done", record.id, _minutes(record.done_seconds),
                                           record.done_seconds))  # fmt: skip
            continue
        status = "missed" if day < today else "due" if day == today else "planned"
        seconds = (planned_seconds or {}).get(week, 0)
        sessions.append(PlannedSession(day, week, status, None, _minutes(seconds), seconds))
    return sessions


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60)) if seconds > 0 else 0


def adherence(sessions: Iterable[PlannedSession]) -> Adherence:
    """Sessions done against sessions due so far (missed, or done)."""
    done = due = 0
    for s in sessions:
        if s.status == "done":
            done += 1
            due += 1
        elif s.status == "missed":
            due += 1
    return Adherence(done, due)


def weeks(plan: Plan, sessions: Sequence[PlannedSession]) -> list[Week]:
    """Each week of the plan with its own adherence."""
    found = []
    for number in range(1, plan.weeks + 1):
        own = [s for s in sessions if s.week == number]
        found.append(Week(number, plan.start + timedelta(weeks=number - 1), len(own), adherence(own)))
    return found


def plan_streak(plan: Plan, sessions: Sequence[PlannedSession], today: date) -> int:
    """Weeks in a row, up to this one, in which every planned session was done; the
    current week counts once it is complete and does not break the streak before."""
    kept = {w.week: w.adherence.done >= w.planned for w in weeks(plan, sessions)}
    current = week_of(plan, today)
    if current < 1:
        return 0
    week = current if kept.get(current) else current - 1
    count = 0
    while kept.get(week):
        count += 1
        week -= 1
    return count


def weekly_streak(days: Iterable[date], today: date, per_week: int = TWO_A_WEEK) -> int:
    """Without a plan: weeks in a row (Monday to Sunday) with at least `per_week`
    sessions, ending this week if it has them already, else last week."""
    counts: dict[date, int] = {}
    for day in days:
        if day <= today:
            monday = day - timedelta(days=day.weekday())
            counts[monday] = counts.get(monday, 0) + 1
    week = today - timedelta(days=today.weekday())
    if counts.get(week, 0) < per_week:
        week -= timedelta(weeks=1)
    count = 0
    while counts.get(week, 0) >= per_week:
        count += 1
        week -= timedelta(weeks=1)
    return count


def next_session(sessions: Sequence[PlannedSession], today: date) -> PlannedSession | None:
    """Today's session if it is due, else the next planned one; None when none is left."""
    return next((s for s in sessions if s.status in ("due", "planned") and s.day >= today), None)


# --- dose week by week --------------------------------------------------------------------


def work_seconds(items: Iterable[Item]) -> int:
    """Seconds of reps and holds (the work, without set-up, switches and rests)."""
    from hiprot.timeline import phases

    return sum(p.seconds for item in items for p in phases(item) if p.kind in ("reps", "hold"))


class Limited(NamedTuple):
    """Items after the weekly limit, and a note for each step held back."""

    items: tuple[Item, ...]
    held: tuple[str, ...]  # exercise ids held back
    notes: tuple[str, ...]


def limit_growth(before: Sequence[Item], after: Sequence[Item], growth: float, reason: str) -> Limited:
    """`after` with steps up undone, largest first, until its work is at most `growth`
    more than `before`'s. Only an item whose exercise is the same and whose work grew
    is held back (a step down is never undone). Each hold says why."""
    from hiprot.progression import dose_text

    allowed = work_seconds(before) * (1 + growth)
    previous = {item.exercise.id: item for item in before}
    current = list(after)
    held: list[str] = []
    notes: list[str] = []
    while work_seconds(current) > allowed:
        grown = [
            (work_seconds([item]) - work_seconds([previous[item.exercise.id]]), index)
            for index, item in enumerate(current)
            if item.exercise.id in previous and item.exercise.id not in held
            and work_seconds([item]) > work_seconds([previous[item.exercise.id]])
        ]
        if not grown:
            break
        _, index = max(grown)
        item = current[index]
        old = previous[item.exercise.id]
        current[index] = item._replace(dosage=old.dosage)
        held.append(item.exercise.id)
        notes.append(f"{item.exercise.name} stays at {dose_text(old.dosage)} (not {dose_text(item.dosage)}): {reason}")
    return Limited(tuple(current), tuple(held), tuple(notes))


def hold_steps_up(before: Sequence[Item], after: Sequence[Item], reason: str) -> Limited:
    """`after` with every item that does more work than in `before` (the same exercise)
    put back to its `before` dose: within a week steps down apply at once (pain comes
    first), steps up wait for the next week. Each hold says why."""
    from hiprot.progression import dose_text

    previous = {item.exercise.id: item for item in before}
    items: list[Item] = []
    held: list[str] = []
    notes: list[str] = []
    for item in after:
        old = previous.get(item.exercise.id)
        if old is not None and work_seconds([item]) > work_seconds([old]):
            items.append(item._replace(dosage=old.dosage))
            held.append(item.exercise.id)
            notes.append(f"{item.exercise.name} stays at {dose_text(old.dosage)} (not {dose_text(item.dosage)}): "
                         f"{reason}")  # fmt: skip
        else:
            items.append(item)
    return Limited(tuple(items), tuple(held), tuple(notes))


WEEK_STEP_REASON = "in a plan a dose steps up at the start of a week"


class WeekDose(NamedTuple):
    """A week's dose: its items, their work and whole length in seconds, and why it
    differs from the week before. `projected` is True for weeks still to come."""

    week: int
    items: tuple[Item, ...]
    work_seconds: int
    total_seconds: int
    notes: tuple[str, ...]
    projected: bool

    def to_dict(self) -> dict[str, object]:
        from hiprot.progression import dose_text

        return {"week": self.week, "projected": self.projected, "work_seconds": self.work_seconds,
                "total_seconds": self.total_seconds, "notes": list(self.notes),
                "items": [{"id": i.exercise.id, "name": i.exercise.name, "dose": dose_text(i.dosage),
                           "sets": i.dosage.sets, "reps": i.dosage.reps, "hold_s": i.dosage.hold_s,
                           "per_side": i.dosage.per_side,
                           "sides": [s.value for s in i.dosage.worked_sides] if i.dosage.worked_sides else None,
                           "extra_set": i.dosage.extra.value
                           if i.dosage.extra and i.dosage.worked_sides and i.dosage.extra in i.dosage.worked_sides
                           else None}
                          for i in self.items]}  # fmt: skip


def project(
    plan: Plan,
    known: Mapping[int, tuple[Item, ...]],
    exercises: Mapping[str, Exercise],
    notes: Mapping[int, tuple[str, ...]] | None = None,
    request: Request | None = None,
) -> list[WeekDose]:
    """The dose of every week: `known` gives the weeks up to this one (as progression
    built them, already limited); later weeks are projected from the last known one,
    as if every session goes well (pain 3 or less): one notch per two sessions, within
    the weekly limit; the last week holds. `request` is the saved routine's, as built
    (its hip precautions set how long getting down to the floor and up takes)."""
    from hiprot.progression import notch_up
    from hiprot.timeline import total_seconds

    asked = request if request is not None else Request(goal=Goal(plan.goal))

    per_week = len(plan.days)
    doses: list[WeekDose] = []
    last: tuple[Item, ...] = ()
    for week in range(1, plan.weeks + 1):
        if week in known:
            items = known[week]
            said = (notes or {}).get(week, ())
            projected = False
        elif not last:
            continue
        elif week == plan.weeks:
            items, said, projected = last, (f"week {week}: same dose, {CONSOLIDATE_REASON}",), True
        else:
            items, said = _grow(last, exercises, per_week // 2, notch_up, week)
            projected = True
        length = total_seconds(Routine(asked, items))
        doses.append(WeekDose(week, items, work_seconds(items), length, said, projected))
        last = items
    return doses


def _grow(
    items: tuple[Item, ...],
    exercises: Mapping[str, Exercise],
    notches: int,
    notch_up: Callable[[Exercise, Dose, Dose], Dose | None],
    week: int,
) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    from hiprot.progression import dose_text

    allowed = work_seconds(items) * (1 + WEEKLY_GROWTH)
    current = list(items)
    capped = False
    for _ in range(notches):
        for index, item in enumerate(current):
            exercise = exercises.get(item.exercise.id, item.exercise)
            higher = notch_up(exercise, item.dosage, item.dosage)
            if higher is None:
                continue
            trial = current[:index] + [item._replace(dosage=higher)] + current[index + 1 :]
            if work_seconds(trial) <= allowed:
                current = trial
            else:
                capped = True
    said = [
        f"week {week}: {new.exercise.name} {dose_text(old.dosage)} → {dose_text(new.dosage)}"
        " if the sessions before go well (pain 3 or less)"
        for old, new in zip(items, current, strict=True)
        if old.dosage != new.dosage
    ]
    if capped:
        said.append(f"week {week}: some steps wait, as {GROWTH_REASON}")
    return tuple(current), tuple(said)
