"""Progression: every rule, table-driven; a dose never leaves the catalogue's range; the self-test verdict."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.catalogue import load_catalogue
from hiprot.models import (
    Dosage,
    Dose,
    Equipment,
    Exercise,
    Filters,
    Goal,
    Item,
    Level,
    Precaution,
    Range,
    Request,
)
from hiprot.planner import build_routine, prescribe
from hiprot.progression import (
    UP_REASON,
    Adapted,
    Change,
    PastSession,
    Suggestion,
    adapt,
    apply,
    counted_pain,
    dose_text,
    notch_down,
    notch_up,
)
from hiprot.timeline import total_seconds

GOOD = PastSession(True, 2)
ZERO = PastSession(True, 0)
THREE = PastSession(True, 3)
FOUR = PastSession(True, 4)
FIVE = PastSession(True, 5)
SIX = PastSession(True, 6)
SEVEN = PastSession(True, 7)
NO_PAIN = PastSession(True, None)
PARTIAL = PastSession(False, 1)
PARTIAL_SEVEN = PastSession(False, 7)

CATALOGUE = load_catalogue()
TEMPLATE = CATALOGUE.get("clamshell")


def exercise(
    ex_id: str,
    *,
    sets: tuple[int, int] = (2, 3),
    reps: tuple[int, int] | None = (8, 10),
    hold: tuple[int, int] | None = None,
    easier: str | None = None,
    harder: str | None = None,
    precautions: tuple[Precaution, ...] = (),
) -> Exercise:
    return TEMPLATE._replace(
        id=ex_id,
        name=ex_id.replace("-", " ").capitalize(),
        dosage=Dosage(
            sets=Range(*sets),
            per_side=True,
            reps=Range(*reps) if reps and not hold else None,
            hold_s=Range(*hold) if hold else None,
        ),
        easier=easier,
        harder=harder,
        precautions=precautions,
    )


# A small family: easiest <- easy <- main -> hard, plus loners.
FAMILY = {
    ex.id: ex
    for ex in (
        exercise("easiest", reps=(10, 12)),
        exercise("easy", reps=(10, 12), easier="easiest", precautions=(Precaution.KNEE_PAIN,)),
        exercise("main", easier="easy", harder="hard"),
        exercise("hard", reps=(6, 8), easier="main"),
        exercise("loner"),
        exercise("stretch", sets=(1, 2), reps=None, hold=(20, 30)),
    )
}


def base_dose(ex: Exercise) -> Dose:
    """The 'planner' for these tests: the low end of every range, rest 30 s."""
    d = ex.dosage
    return Dose(
        d.sets.low, d.per_side, d.reps.low if d.reps else None, d.hold_s.low if d.hold_s else None, rest_s=30
    )


def dose(sets: int, reps: int | None = None, hold: int | None = None) -> Dose:
    return Dose(sets, True, reps, hold, rest_s=30)


class Case(NamedTuple):
    exercise: str
    start: Dose
    outcomes: tuple[PastSession, ...]
    end: Dose
    end_exercise: str | None = None  # None: the same exercise
    reason: str | None = None  # None: no change reported
    suggest: str | None = None  # harder variant suggested


CASES = {
    "two good sessions step up": Case("loner", dose(2, 8), (GOOD, ZERO), dose(2, 9), reason=UP_REASON),
    "pain 3 still counts as good": Case("loner", dose(2, 8), (THREE, THREE), dose(2, 9), reason=UP_REASON),
    "one good session holds": Case("loner", dose(2, 8), (GOOD,), dose(2, 8)),
    "no history: the base dose": Case("loner", dose(2, 8), (), dose(2, 8)),
    "four good sessions: two notches": Case("loner", dose(2, 8), (GOOD,) * 4, dose(2, 10), reason=UP_REASON),
    "three good sessions: one notch": Case("loner", dose(2, 8), (GOOD,) * 3, dose(2, 9), reason=UP_REASON),
    "good then pain 6 steps down": Case(
        "loner", dose(3, 9), (GOOD, SIX), dose(2, 9), reason="pain 6 last session"
    ),
    "pain 6 alone steps down": Case("loner", dose(3, 10), (SIX,), dose(2, 10), reason="pain 6 last session"),
    "each painful session steps down again": Case(
        "loner", dose(3, 10), (SEVEN, SEVEN), dose(2, 9), reason="pain 7 last session"
    ),
    "pain 4 holds": Case("loner", dose(2, 8), (FOUR,), dose(2, 8)),
    "pain 5 holds": Case("loner", dose(2, 8), (FIVE, FIVE, FIVE), dose(2, 8)),
    "pain 4-5 resets the count": Case("loner", dose(2, 8), (GOOD, FIVE, GOOD), dose(2, 8)),
    "after a reset two more good sessions step up": Case(
        "loner", dose(2, 8), (GOOD, FOUR, GOOD, GOOD), dose(2, 9), reason=UP_REASON
    ),
    "a partial session resets the count": Case("loner", dose(2, 8), (GOOD, PARTIAL, GOOD), dose(2, 8)),
    "no pain given resets the count": Case("loner", dose(2, 8), (GOOD, NO_PAIN, GOOD), dose(2, 8)),
    "a partial session with pain 7 still steps down": Case(
        "loner", dose(3, 8), (PARTIAL_SEVEN,), dose(2, 8), reason="pain 7 last session"
    ),
    "reps first, then sets": Case("loner", dose(2, 9), (GOOD,) * 2, dose(2, 10), reason=UP_REASON),
    "sets when reps are at the top (reps stay at the top)": Case(
        "loner", dose(2, 10), (GOOD,) * 2, dose(3, 10), reason=UP_REASON
    ),
    "top of every range: no change, no harder variant": Case("loner", dose(3, 10), (GOOD,) * 2, dose(3, 10)),
    "top of every range: suggest the harder variant": Case(
        "main", dose(3, 10), (GOOD,) * 2, dose(3, 10), suggest="hard"
    ),
    "climbing to the top suggests on the way": Case(
        "main", dose(2, 9), (GOOD,) * 6, dose(3, 10), reason=UP_REASON, suggest="hard"
    ),
    "a suggestion lapses when a later session hurts": Case("main", dose(3, 10), (GOOD, GOOD, FOUR), dose(3, 10)),
    "down: sets first": Case("loner", dose(3, 10), (SEVEN,), dose(2, 10), reason="pain 7 last session"),
    "down: then reps": Case("loner", dose(2, 10), (SEVEN,), dose(2, 9), reason="pain 7 last session"),
    "bottom + pain 7: the easier variant at its base dose": Case(
        "main",
        dose(2, 8),
        (SEVEN,),
        base_dose(FAMILY["easy"]),
        end_exercise="easy",
        reason="pain 7 last session, already at the easiest dose",
    ),
    "bottom without an easier variant stays": Case("loner", dose(2, 8), (SEVEN, SEVEN), dose(2, 8)),
    "the easier variant climbs on its own range": Case(
        "main",
        dose(2, 8),
        (SEVEN, GOOD, GOOD),
        dose(2, 11),
        end_exercise="easy",
        reason=f"pain 7 three sessions ago, already at the easiest dose, then {UP_REASON}",
    ),
    "hold: +5 s": Case("stretch", dose(1, hold=20), (GOOD,) * 2, dose(1, hold=25), reason=UP_REASON),
    "hold: +5 s capped at the top": Case("stretch", dose(1, hold=28), (GOOD,) * 2, dose(1, hold=30), reason=UP_REASON),
    "hold: then sets": Case("stretch", dose(1, hold=30), (GOOD,) * 2, dose(2, hold=30), reason=UP_REASON),
    "hold: -5 s, never below the low end": Case(
        "stretch", dose(1, hold=22), (SEVEN,), dose(1, hold=20), reason="pain 7 last session"
    ),
    "a base below the range (a warm-up's one set) is the floor": Case(
        "loner", dose(1, 8), (SEVEN,), dose(1, 8)
    ),
    "a base below the range climbs into it": Case("loner", dose(1, 10), (GOOD,) * 2, dose(2, 10), reason=UP_REASON),
    "the reason says when the pain was": Case(
        "loner", dose(3, 10), (SEVEN, GOOD), dose(2, 10), reason="pain 7 in the session before last"
    ),
    "...and further back": Case("loner", dose(3, 10), (SEVEN, GOOD, FOUR), dose(2, 10), reason="pain 7 three sessions ago"),
    "...in words up to ten": Case(
        "loner", dose(3, 10), (SEVEN,) + (FOUR,) * 10, dose(2, 10), reason="pain 7 11 sessions ago"
    ),
    "net change after going both ways names both": Case(
        "loner",
        dose(3, 9),
        (GOOD, GOOD, SEVEN),
        dose(2, 10),
        reason=f"{UP_REASON}, then pain 7 last session",
    ),
    "up and back down to the base: nothing to report": Case("loner", dose(2, 8), (GOOD, GOOD, SEVEN), dose(2, 8)),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule(case: Case) -> None:
    ex = FAMILY[case.exercise]
    result = adapt([Item(ex, case.start)], case.outcomes, FAMILY, base_dose)
    (got,) = result.items
    assert got.exercise.id == (case.end_exercise or case.exercise)
    assert got.dosage == case.end
    if case.reason is None:
        assert result.changes == ()
    else:
        (change,) = result.changes
        assert change.reason == case.reason
        assert (change.exercise_id, change.before, change.after) == (case.exercise, case.start, case.end)
        assert change.new_exercise_id == case.end_exercise
    assert [s.harder_id for s in result.suggestions] == ([case.suggest] if case.suggest else [])


def test_an_easier_variant_that_is_not_allowed_is_walked_past() -> None:
    """'easy' carries knee-pain; a person avoiding it gets 'easiest' instead."""
    allowed = Filters(avoid=frozenset({Precaution.KNEE_PAIN})).admits
    result = adapt([Item(FAMILY["main"], dose(2, 8))], [SEVEN], FAMILY, base_dose, allowed)
    assert result.items[0].exercise.id == "easiest"
    assert result.changes[0].new_name == "Easiest"


def test_no_allowed_easier_variant_stays() -> None:
    result = adapt([Item(FAMILY["main"], dose(2, 8))], [SEVEN], FAMILY, base_dose, lambda ex: False)
    assert result.items[0] == Item(FAMILY["main"], dose(2, 8)) and result.changes == ()


def test_an_easier_variant_already_in_the_routine_is_not_doubled() -> None:
    items = [Item(FAMILY["main"], dose(2, 8)), Item(FAMILY["easy"], dose(2, 10))]
    result = adapt(items, [SEVEN], FAMILY, base_dose)
    # 'main' may not step onto 'easy' (in the routine) nor onto 'easiest' (easy's own
    # direct variant: a pair), so it stays; 'easy' then steps down to 'easiest'.
    assert [i.exercise.id for i in result.items] == ["main", "easiest"]
    assert [c.new_exercise_id for c in result.changes] == ["easiest"]


def test_the_harder_variant_is_not_suggested_when_not_allowed_or_already_there() -> None:
    top = Item(FAMILY["main"], dose(3, 10))
    assert adapt([top], [GOOD, GOOD], FAMILY, base_dose, lambda ex: ex.id != "hard").suggestions == ()
    both = [top, Item(FAMILY["hard"], dose(2, 6))]
    assert all(s.exercise_id != "main" for s in adapt(both, [GOOD, GOOD], FAMILY, base_dose).suggestions)


def test_a_skipped_item_holds_while_the_others_progress() -> None:
    items = [Item(FAMILY["loner"], dose(2, 8)), Item(FAMILY["main"], dose(2, 8))]
    skipped = PastSession(True, 1, frozenset({"loner"}))
    result = adapt(items, [skipped, skipped], FAMILY, base_dose)
    assert [i.dosage for i in result.items] == [dose(2, 8), dose(2, 9)]
    assert [c.exercise_id for c in result.changes] == ["main"]


def test_a_long_history_reports_one_net_change_per_item() -> None:
    items = [Item(FAMILY["loner"], dose(2, 8)), Item(FAMILY["stretch"], dose(1, hold=20))]
    history = [GOOD, GOOD, FOUR, GOOD, SEVEN, GOOD, GOOD, GOOD, GOOD, PARTIAL, GOOD, GOOD] * 30
    result = adapt(items, history, FAMILY, base_dose)
    assert len(result.changes) <= len(items)
    assert [c.before for c in result.changes] == [i.dosage for i in items][: len(result.changes)]


def test_rest_and_sides_stay_as_the_base_has_them() -> None:
    start = Dose(2, False, 8, None, rest_s=45)
    result = adapt([Item(FAMILY["loner"], start)], [GOOD] * 4, FAMILY, base_dose)
    assert result.items[0].dosage == Dose(2, False, 10, None, rest_s=45)


def test_substituted_for_is_kept() -> None:
    original = FAMILY["hard"]
    result = adapt([Item(FAMILY["main"], dose(2, 9), original)], [GOOD, GOOD], FAMILY, base_dose)
    assert result.items[0].substituted_for is original


def test_describe_reads_like_the_routine_header() -> None:
    clam = CATALOGUE.get("clamshell")
    base = prescribe(clam, Goal.STRENGTH, Level.BEGINNER)
    result = adapt([Item(clam, base)], [GOOD, THREE], CATALOGUE.by_id, lambda e: prescribe(e, Goal.STRENGTH, Level.BEGINNER))
    (change,) = result.changes
    assert change.describe() == "Clamshell 2 x 20 → 3 x 20: two sessions in a row at pain 3 or less"
    assert str(change) == change.describe()
    swap = Change("main", "Main", dose(2, 8), dose(2, 10), "pain 7 last session", "easy", "Easy")
    assert swap.describe() == "Main 2 x 8 → Easy 2 x 10: pain 7 last session" and swap.swapped
    hint = Suggestion("main", "Main", "hard", "Hard")
    assert str(hint) == "Main is at the top of its range: ready to try Hard."


@pytest.mark.parametrize(
    ("p", "text"),
    [(dose(2, 20), "2 x 20"), (dose(1, 8), "1 x 8"), (dose(1, hold=30), "hold 30 s"), (dose(2, hold=30), "2 x hold 30 s")],
)
def test_dose_text(p: Dose, text: str) -> None:
    assert dose_text(p) == text


@pytest.mark.parametrize(
    ("status", "pain", "completed"),
    [("completed", 2, True), ("logged", 2, True), ("partial", 2, False), ("completed", None, True)],
)
def test_outcome_from_a_stored_session(status: str, pain: int | None, completed: bool) -> None:
    outcome = PastSession.from_session(status, pain, ["clamshell"])
    assert outcome == PastSession(completed, pain, frozenset({"clamshell"}))


@pytest.mark.parametrize(("during", "next_day", "counted"), [(2, None, 2), (None, 5, 5), (2, 7, 7), (8, 3, 8), (None, None, None)])
def test_a_session_counts_the_worse_of_during_and_next_day_pain(
    during: int | None, next_day: int | None, counted: int | None
) -> None:
    assert counted_pain(during, next_day) == counted
    assert PastSession.from_session("completed", during, pain_next_day=next_day).pain == counted


def test_notches_at_the_ends() -> None:
    loner = FAMILY["loner"]
    assert notch_up(loner, dose(3, 10), dose(2, 8)) is None
    assert notch_down(loner, dose(2, 8), dose(2, 8)) is None
    assert notch_up(loner, dose(3, 9), dose(2, 8)) == dose(3, 10)
    assert notch_down(loner, dose(3, 9), dose(2, 8)) == dose(2, 9)


# --- property: never outside the range -------------------------------------------------

outcomes_strategy = st.lists(
    st.builds(PastSession, st.booleans(), st.none() | st.integers(0, 10)),
    max_size=40,
)


def _in_range(item: Item, base: Callable[[Exercise], Dose]) -> None:
    ex, p, b = item.exercise, item.dosage, base(item.exercise)
    d = ex.dosage
    assert min(d.sets.low, b.sets) <= p.sets <= d.sets.high, (ex.id, p)
    if d.reps is not None:
        assert p.hold_s is None and d.reps.low <= p.reps <= d.reps.high, (ex.id, p)  # type: ignore[operator]
    else:
        assert p.reps is None and d.hold_s is not None
        assert d.hold_s.low <= p.hold_s <= d.hold_s.high, (ex.id, p)  # type: ignore[operator]
    assert (p.rest_s, p.per_side) == (b.rest_s, b.per_side)


@settings(max_examples=150, deadline=None)
@given(
    ex=st.sampled_from(CATALOGUE.exercises),
    goal=st.sampled_from(Goal),
    level=st.sampled_from(Level),
    outcomes=outcomes_strategy,
)
def test_a_dose_never_leaves_the_catalogue_range(
    ex: Exercise, goal: Goal, level: Level, outcomes: list[PastSession]
) -> None:
    def base(e: Exercise) -> Dose:
        return prescribe(e, goal, level)

    start = Item(ex, base(ex))
    result = adapt([start], outcomes, CATALOGUE.by_id, base)
    _in_range(result.items[0], base)
    # Replaying one more session at a time passes through every intermediate dose too.
    for n in range(len(outcomes) + 1):
        _in_range(adapt([start], outcomes[:n], CATALOGUE.by_id, base).items[0], base)
    got = result.items[0]
    if all(o.completed and o.pain is not None and o.pain <= 3 for o in outcomes):
        assert got.exercise is ex  # never easier
        assert got.dosage.sets >= start.dosage.sets
        assert (got.dosage.reps or 0) >= (start.dosage.reps or 0)
        assert (got.dosage.hold_s or 0) >= (start.dosage.hold_s or 0)
    never_good = not any(o.completed and o.pain is not None and o.pain <= 3 for o in outcomes)
    if never_good and got.exercise is ex:  # never harder
        assert got.dosage.sets <= start.dosage.sets
        assert (got.dosage.reps or 0) <= (start.dosage.reps or 0)
        assert (got.dosage.hold_s or 0) <= (start.dosage.hold_s or 0)


@settings(max_examples=40, deadline=None)
@given(goal=st.sampled_from(Goal), level=st.sampled_from(Level), outcomes=outcomes_strategy)
def test_a_planned_routine_never_holds_one_exercise_twice(goal: Goal, level: Level, outcomes: list[PastSession]) -> None:
    routine = build_routine(CATALOGUE, Request(goal, level))
    result = adapt(routine.items, outcomes, CATALOGUE.by_id, lambda e: prescribe(e, goal, level))
    ids = [i.exercise.id for i in result.items]
    assert len(ids) == len(set(ids))
    assert isinstance(result, Adapted) and len(result.changes) <= len(ids)


@settings(max_examples=60, deadline=None)
@given(
    goal=st.sampled_from(Goal),
    level=st.sampled_from(Level),
    minutes=st.integers(2, 40),
    outcomes=outcomes_strategy,
)
def test_a_saved_routine_stays_within_its_budget_and_a_warmup_stays_one_set(
    goal: Goal, level: Level, minutes: int, outcomes: list[PastSession]
) -> None:
    # Issue 18: a saved warm-up that stepped up grew to two sets and past its budget.
    routine = build_routine(CATALOGUE, Request(goal, level, minutes=minutes))
    adapted = apply(routine, outcomes, CATALOGUE.by_id)
    assert total_seconds(adapted) <= routine.budget_seconds
    assert adapted.rounds == routine.rounds
    if goal is Goal.WARMUP:
        assert all(item.dosage.sets == 1 for item in adapted.items)
    for item in adapted.items:  # swapped-in variants suit the goal too
        assert goal in item.exercise.goals


def test_a_full_routine_suggests_the_harder_variant_instead_of_a_step_up() -> None:
    # Twenty minutes of strength work fill the budget at the top of each range.
    routine = build_routine(CATALOGUE, Request(Goal.STRENGTH, equipment=frozenset({Equipment.BAND})))
    adapted = apply(routine, [GOOD, GOOD], CATALOGUE.by_id)
    assert adapted.items == routine.items
    assert any("ready to try Banded Standing External Rotation" in note for note in adapted.notes)


def test_a_warmup_steps_reps_up_but_never_adds_a_set() -> None:
    routine = build_routine(CATALOGUE, Request(Goal.WARMUP, minutes=10))
    adapted = apply(routine, [GOOD, GOOD], CATALOGUE.by_id)
    hydrant = {i.exercise.id: i.dosage for i in adapted.items}["fire-hydrant"]
    assert (hydrant.sets, hydrant.reps) == (1, 9)
    # The clamshell is at the top of its reps and a warm-up stays one set; its harder
    # variant is strength work, so it is not suggested for a warm-up.
    assert {i.exercise.id: i.dosage for i in adapted.items}["clamshell"].sets == 1
    assert not any("Banded Standing External Rotation" in note for note in adapted.notes)


def test_a_step_up_with_no_room_left_holds_and_says_what_to_try() -> None:
    clam = CATALOGUE.get("clamshell")
    base = Dose(2, True, reps=20, rest_s=30)
    budget = 15 + 4 * 60 + 2 * 30 + 12  # exactly the base dose: each side's sets, one roll-over
    result = adapt([Item(clam, base)], [GOOD, GOOD], CATALOGUE.by_id, lambda e: base, budget=budget)
    assert result.items[0].dosage == base and result.changes == ()
    [suggestion] = result.suggestions
    assert suggestion.no_room and "has no room to step up in the time asked" in suggestion.describe()
    roomy = adapt([Item(clam, base)], [GOOD, GOOD], CATALOGUE.by_id, lambda e: base, budget=budget + 180)
    assert roomy.items[0].dosage.sets == 3 and roomy.suggestions == ()


def test_progression_module_is_pure() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src"
    code = "import sys, hiprot.progression; print(sorted({'sqlite3', 'rich', 'typer', 'hiprot.store'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout.strip() == "[]", out.stderr

