"""One prescription behind every view (issue 23), as a property of the core: for any
person (hip conditions, approaches, surgery dates, equipment, level), any plan (goal, days,
start; one routine or two, each on its own days) and any history of logged sessions with
pains, the views of the next session built by the core's functions agree on exercises,
sides, sets, reps, holds and length, and so do each routine's views in a mixed plan."""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hiprot.errors import HiprotError
from hiprot.models import Approach, Equipment, Goal, Hip, HipCondition, Level, Profile, Request
from tests.test_prescription_views import _shape, expected_work, in_item_order

TODAY = date(2026, 12, 9)  # a Wednesday


@st.composite
def hips(draw: st.DrawFn) -> Hip | None:
    condition = draw(st.none() | st.sampled_from(HipCondition))
    if condition is None:
        return None
    if condition is not HipCondition.HIP_REPLACEMENT:
        return Hip(condition)
    since = TODAY - timedelta(days=draw(st.integers(0, 400)))
    cleared = draw(st.none() | st.integers(0, 200).map(lambda d: since + timedelta(days=d)))
    return Hip(condition, draw(st.sampled_from(Approach)), since, cleared)


profiles = st.none() | st.builds(
    Profile,
    left=hips(),
    right=hips(),
    equipment=st.none() | st.frozensets(st.sampled_from(Equipment)),
    level=st.none() | st.sampled_from(Level),
)


@st.composite
def plans(draw: st.DrawFn) -> tuple[Request, int, tuple[int, ...], date, list[tuple[int, int | None] | None],
                                    tuple[Request, tuple[int, ...]] | None]:  # fmt: skip
    request = Request(draw(st.sampled_from(Goal)), draw(st.sampled_from(Level)))
    days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=4))))
    # A second routine (issue 26), on its own days, which may overlap the first's.
    second = draw(st.none() | st.tuples(
        st.builds(Request, st.sampled_from(Goal), st.sampled_from(Level)),
        st.sets(st.integers(0, 6), min_size=1, max_size=3).map(lambda d: tuple(sorted(d)))))  # fmt: skip
    start = TODAY - timedelta(days=draw(st.integers(0, 30)))
    # Per planned day before today: skipped (None) or logged with a pain 0-10 during, and
    # perhaps the morning after.
    pain = st.integers(0, 10)
    pains = draw(st.lists(st.none() | st.tuples(pain, st.none() | pain), max_size=20))
    return request, draw(st.integers(5, 8)), days, start, pains, second


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])  # fmt: skip
@given(profile=profiles, plan=plans())
def test_every_view_agrees_for_anyone(profile: Profile | None, plan, monkeypatch: pytest.MonkeyPatch) -> None:
    from hiprot.practice import build, open_store, record
    from hiprot.practice.prescribe import plan_state, prescribe
    from hiprot.programme import adherence, dated_sessions, plan_streak, weeks
    from hiprot.report.calendar import plan_calendar
    from hiprot.report.html import PlanGrid, routine_to_html
    from hiprot.report.json import routine_to_dict
    from hiprot.report.plain import preview, script_json
    from hiprot.report.plan import plan_json, today_json
    from hiprot.report.progress import to_json
    from hiprot.text import prescription_words

    request, weeks_long, days, start, pains, second = plan
    try:
        build(None, request, None, profile=profile, today=TODAY)
        if second is not None:
            build(None, second[0], None, profile=profile, today=TODAY)
    except HiprotError:
        assume(False)  # nothing safe to build for this person: plan new refuses it
        return
    with tempfile.TemporaryDirectory() as folder, monkeypatch.context() as env:
        env.setenv("XDG_DATA_HOME", str(Path(folder) / "data"))
        made = datetime.combine(start, time(7))
        with open_store() as store:
            store.save_routine("plan", request.to_dict(), made)
            more = []
            if second is not None:
                store.save_routine("other", second[0].to_dict(), made)
                more = [("other", second[0].goal.value, second[1])]
            active, _ = store.start_plan(start, weeks_long, days, "plan", request.goal.value, made, more=more)
        # Each planned session before today: skipped, or logged as `hiprot log` does (its
        # routine's session for that day, with its pain).
        past = [(s.day, s.saved_name or "plan") for s in dated_sessions(active, [], TODAY) if s.day < TODAY]
        for (day, name), pain in zip(past, pains, strict=False):
            if pain is not None:
                part = plan_state(None, day, profile).part(name)
                assert part is not None
                session = part.prescription.routine
                during, after = pain
                logged = record(session, name, "logged", datetime.combine(day, time(8)), pain=during)
                if after is not None:
                    with open_store() as store:
                        store.set_pain_next_day(logged, after)

        state = plan_state(None, TODAY, profile)
        p = state.prescription
        today = json.loads(today_json(TODAY, state, None))["prescription"]
        shape, seconds = _shape(today["items"]), today["total_seconds"]
        assert seconds == p.total_seconds == sum(ph.seconds for ph in p.phases)
        # A protected hip is never worked.
        if profile is not None:
            for item in p.items:
                for side, precaution in profile.protect(p.day):
                    if precaution in item.exercise.precautions:
                        assert item.sides is not None and side not in item.sides

        done = adherence(state.sessions)
        planned = json.loads(plan_json(state, done, plan_streak(active, state.sessions, TODAY),
                                       weeks(active, state.sessions)))  # fmt: skip
        assert _shape(planned["prescription"]["items"]) == shape
        # The next session of the routine this prescription is for (a mixed plan may hold
        # another routine's session on the same day, with its own length).
        upcoming = [s for s in planned["sessions"]
                    if (s["date"], s.get("saved_name", today["plan"]["saved_name"])) == (today["plan"]["due"],
                                                                                        today["plan"]["saved_name"])]
        assert all(s["seconds"] == seconds for s in upcoming)

        saved, _ = prescribe(None, None, p.plan.saved_name if p.plan else "plan", profile=profile, today=TODAY)
        assert _shape(routine_to_dict(saved.routine)["items"]) == shape
        assert routine_to_dict(saved.routine)["total_seconds"] == seconds

        script = json.loads(script_json(preview(p.routine)))
        work = [(c["exercise"], c["set"], c["side"], c.get("reps"), c.get("hold_s"))
                for c in script if c["phase"] in ("reps", "hold") and "exercise" in c and c["round"] == 1]  # fmt: skip
        assert in_item_order(work, today["items"]) == expected_work(today["items"])
        assert script[-1]["at"] == seconds

        from hiprot.cli.report import gather

        report = json.loads(to_json(gather(TODAY, 8, None, profile, with_plan=True)))
        assert _shape(report["current_programme"]["items"]) == shape
        assert report["plan"]["adherence"] == today["plan"]["adherence"]

        handout = html.unescape(routine_to_html(p.routine, "", TODAY, {}, PlanGrid(start, weeks_long, days)))
        assert re.findall(r'<section class="card" data-dose="([^"]*)">', handout) == [
            i["dose"] for i in today["items"]]  # fmt: skip

        from icalendar import Calendar

        if p.plan is not None and p.plan.due is not None:
            routines = {r.saved_name.casefold(): (r.doses, r.prescription) for r in state.routines}
            text = plan_calendar(active, state.sessions, state.doses, p, time(7, 30), None, made, routines)
            event = next(e for e in Calendar.from_ical(text).walk("VEVENT")
                         if e.decoded("dtstart").date() == p.plan.due
                         and str(e.get("summary")).startswith(f"Hip rotation: {p.plan.saved_name} "))  # fmt: skip
            assert event.decoded("duration") == timedelta(seconds=seconds)
            lines = [ln for ln in str(event.get("description")).splitlines() if ln.startswith("- ")]
            assert lines == [f"- {i['name']}: {i['dose']}" for i in today["items"]]

        # A mixed plan: each routine's next session agrees across its views too.
        events = list(Calendar.from_ical(plan_calendar(
            active, state.sessions, state.doses, p, time(7, 30), None, made,
            {r.saved_name.casefold(): (r.doses, r.prescription) for r in state.routines})).walk("VEVENT"))  # fmt: skip
        for n, part in enumerate(state.routines):
            own = part.prescription
            mine = _shape(planned["routines"][n]["prescription"]["items"])
            assert planned["routines"][n]["saved_name"] == part.saved_name
            alone, _ = prescribe(None, None, part.saved_name, profile=profile, today=TODAY)
            assert _shape(routine_to_dict(alone.routine)["items"]) == mine
            assert alone.total_seconds == own.total_seconds == planned["routines"][n]["prescription"]["total_seconds"]
            assert report["plan"]["routines"][n]["next_session"] == (own.plan.due.isoformat()
                                                                    if own.plan and own.plan.due else None)
            if own.plan is not None and own.plan.due is not None:
                event = next(e for e in events if e.decoded("dtstart").date() == own.plan.due
                             and str(e.get("summary")).startswith(f"Hip rotation: {part.saved_name} "))
                assert event.decoded("duration") == timedelta(seconds=own.total_seconds)
                lines = [ln for ln in str(event.get("description")).splitlines() if ln.startswith("- ")]
                assert lines == [f"- {i.exercise.name}: {prescription_words(i.dose)}" for i in own.items]
