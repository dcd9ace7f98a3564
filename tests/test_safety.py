"""Cautions as data, chosen for the person (safety.py); the early weeks after a hip
replacement; the catalogue fixes of issue 23's clinical review; one-side steps."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiprot.catalogue import Catalogue, load_catalogue
from hiprot.errors import CatalogueError
from hiprot.models import (
    AVOIDABLE,
    Approach,
    Caution,
    Goal,
    Hip,
    HipCondition,
    Level,
    Need,
    Precaution,
    Profile,
    Request,
    Side,
)
from hiprot.profile import apply
from hiprot.safety import early_note, for_person, hidden_cautions, person_cautions
from hiprot.text import render, steps_for
from tests.fakes import fake_now

TODAY = date(2026, 11, 30)
POSTERIOR = Precaution.HIP_REPLACEMENT
ANTERIOR = Precaution.HIP_REPLACEMENT_ANTERIOR


def replaced(approach: Approach, weeks: int = 30, cleared: date | None = None) -> Profile:
    return Profile(left=Hip(HipCondition.HIP_REPLACEMENT, approach, TODAY - timedelta(weeks=weeks), cleared))


def tied(ex, tag) -> list[str]:
    return [c.text for c in ex.cautions if c.when is tag]


# --- person_cautions -----------------------------------------------------------------------


def test_an_anterior_approach_is_not_told_what_only_the_posterior_approach_forbids(bundled: Catalogue) -> None:
    ex = bundled.get("fire-hydrant")
    posterior_only = tied(ex, POSTERIOR)
    assert posterior_only and all(t.startswith(("After a posterior-approach", "The hip")) for t in posterior_only)
    anterior = person_cautions(ex, replaced(Approach.ANTERIOR), TODAY)
    assert not set(posterior_only) & set(anterior)
    assert {c.text for c in ex.cautions if c.when is None} <= set(anterior)  # for everyone: kept
    hidden = hidden_cautions(ex, replaced(Approach.ANTERIOR), TODAY)
    assert POSTERIOR in {c.when for c in hidden} and ANTERIOR not in {c.when for c in hidden}


def test_posterior_lateral_unknown_and_no_profile_see_the_posterior_cautions(bundled: Catalogue) -> None:
    ex = bundled.get("fire-hydrant")
    posterior_only = set(tied(ex, POSTERIOR))
    for profile in (replaced(Approach.POSTERIOR), replaced(Approach.LATERAL), replaced(Approach.UNKNOWN), None,
                    Profile()):  # fmt: skip
        assert posterior_only <= set(person_cautions(ex, profile, TODAY)), profile


def test_a_cleared_hip_has_no_hip_cautions_and_the_profile_avoid_list_counts(bundled: Catalogue) -> None:
    ex = bundled.get("fire-hydrant")
    cleared = replaced(Approach.POSTERIOR, cleared=TODAY - timedelta(days=1))
    assert not set(tied(ex, POSTERIOR)) & set(person_cautions(ex, cleared, TODAY))
    knee = Profile(avoid=frozenset({Precaution.KNEE_PAIN}))
    assert set(tied(ex, Precaution.KNEE_PAIN)) <= set(person_cautions(ex, knee, TODAY))
    assert not set(tied(ex, POSTERIOR)) & set(person_cautions(ex, knee, TODAY))


def test_for_person_names_only_the_tags_that_concern_the_reader(bundled: Catalogue) -> None:
    ex = bundled.get("single-leg-romanian-deadlift-with-reach")
    care = for_person(ex, replaced(Approach.ANTERIOR), TODAY)
    assert ANTERIOR in care.leave_out and POSTERIOR not in care.leave_out
    assert for_person(ex, None, TODAY).leave_out == (*ex.precautions, *ex.needs)


HIPS = st.one_of(
    st.none(),
    st.builds(
        Hip,
        st.sampled_from(list(HipCondition)),
        st.sampled_from(list(Approach)),
        st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 1, 1))),
        st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 1, 1))),
    ).map(lambda h: h if h.condition is HipCondition.HIP_REPLACEMENT else Hip(h.condition)),
)
PROFILES = st.one_of(
    st.none(),
    st.builds(Profile, HIPS, HIPS, st.frozensets(st.sampled_from(list(AVOIDABLE.values())))),
)


@settings(max_examples=300, deadline=None)
@given(profile=PROFILES, today=st.dates(date(2026, 1, 1), date(2027, 6, 1)), index=st.integers(0, 10_000))
def test_person_cautions_never_hide_a_caution_whose_tag_the_person_has(bundled, profile, today, index) -> None:
    ex = bundled.exercises[index % len(bundled.exercises)]
    shown = set(person_cautions(ex, profile, today))
    has = set(profile.avoid) | {p for _, p in profile.protect(today)} if profile is not None else set()
    for caution in ex.cautions:
        if profile is None or profile.empty or caution.when is None or caution.when in has:
            assert caution.text in shown, (caution, profile)
    hidden = hidden_cautions(ex, profile, today)
    assert len(shown) + len(hidden) == len(ex.cautions)


# --- the catalogue format: cautions as data -------------------------------------------------

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def _one_exercise(cautions: str) -> str:
    return f"""version: 1
exercises:
  - id: hip-thing
    name: Hip Thing
    aliases: []
    kind: mobility
    goals: [warmup]
    position: lying
    level: beginner
    equipment: []
    muscles: {{primary: [gluteus-medius]}}
    movement: [internal-rotation]
    dosage: {{sets: 1, reps: 8, per_side: true}}
    steps: ["Lie down.", "Lift the {{side|one}} knee.", "Turn it in.", "Finish{{switch|, then change legs}}."]
    cues: []
    cautions:
{cautions}
    precautions: [hip-replacement]
    hips: working
    sources: [hip-ir-how-to]
"""


def test_a_caution_is_text_or_text_with_a_tag_and_the_old_tag_name_reads(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(_one_exercise('      - Plain words.\n      - {text: "After a posterior-approach '
                                  'replacement, skip it.", when: hip-replacement}\n'))  # fmt: skip
    ex = load_catalogue(path).get("hip-thing")
    assert ex.cautions == (Caution("Plain words."), Caution("After a posterior-approach replacement, skip it.", POSTERIOR))
    assert ex.precautions == (POSTERIOR,)  # 'hip-replacement' is the posterior tag's old name
    again = load_catalogue(path)  # from the cache: the tag survives it
    assert again.get("hip-thing").cautions == ex.cautions


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("      - {text: Skip it., when: hip-surgery}", "when 'hip-surgery' is not a precaution or need"),
        ("      - {text: Skip it., if: knee-pain}", "unknown key 'if'"),
        ("      - {when: knee-pain}", "entry 1 needs 'text'"),
        ("      - {text: '', when: knee-pain}", "must be non-empty text"),
    ],
)
def test_a_wrong_caution_names_the_file_line_and_exercise(tmp_path: Path, entry: str, problem: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(_one_exercise(entry + "\n"))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert re.search(rf"c\.yaml:\d+: exercise 'hip-thing': cautions .*{re.escape(problem)}", str(caught.value))


def test_show_json_cautions_keep_their_tags_and_load_back(hiprot, tmp_path: Path) -> None:
    data = hiprot.json("show", "fire-hydrant")
    assert "Pad the knees if kneeling is uncomfortable." in data["cautions"]
    tagged = [c for c in data["cautions"] if isinstance(c, dict)]
    assert {"text", "when"} == set(tagged[0]) and "hip-replacement" in {c["when"] for c in tagged}
    assert "hip-replacement" in data["precautions"]  # JSON keeps the name scripts already read
    path = tmp_path / "back.yaml"
    path.write_text(json.dumps({"version": 1, "exercises": [data]}))
    assert load_catalogue(path).get("fire-hydrant") == load_catalogue().get("fire-hydrant")


# --- the early weeks after an operation ---------------------------------------------------


def test_the_early_weeks_cap_the_level_and_leave_out_balance_and_deep_squats() -> None:
    nine = replaced(Approach.ANTERIOR, weeks=9)
    asked = Request(goal=Goal.WARMUP, level=Level.ADVANCED)
    done = apply(asked, nine, TODAY)
    assert done.level is Level.BEGINNER
    assert {Need.DEEP_SQUAT, Need.SINGLE_LEG_BALANCE} <= done.avoid
    assert (Side.LEFT, Precaution.HIP_REPLACEMENT_EARLY) in done.protect
    assert early_note(nine, TODAY) == (
        "9 weeks after your operation: beginner drills only until week 12 or until your surgeon clears you; "
        "no deep squat, no one-leg balance and no deep stretch of both hips."
    )
    for later in (replaced(Approach.ANTERIOR, weeks=12), replaced(Approach.ANTERIOR, 9, cleared=TODAY), None,
                  Profile(left=Hip(HipCondition.HIP_REPLACEMENT, Approach.POSTERIOR))):  # fmt: skip
        assert apply(asked, later, TODAY).level is Level.ADVANCED, later
        assert early_note(later, TODAY) is None


def test_the_twisted_legs_stretch_carries_the_early_weeks_tag(bundled: Catalogue) -> None:
    twisted = bundled.get("twisted-legs-stretch")
    assert Precaution.HIP_REPLACEMENT_EARLY in twisted.precautions and twisted.hips.value == "both"
    assert any("12 weeks" in c for c in tied(twisted, Precaution.HIP_REPLACEMENT_EARLY))


EARLY = ("profile", "hip", "left", "hip-replacement", "--approach", "anterior", "--since", "2026-09-28")


def test_early_weeks_hold_in_routine_list_and_go_and_clearing_lifts_them(hiprot, monkeypatch) -> None:
    fake_now(monkeypatch, datetime(2026, 11, 30, 9, 0).astimezone())
    note = "9 weeks after your operation: beginner drills only until week 12 or until your surgeon clears you"
    hiprot(*EARLY)
    routine = hiprot("routine", "--goal", "warmup", "--level", "advanced")
    assert note in " ".join(routine.stdout.split()) and "Warm-up routine, beginner" in routine.stdout
    data = hiprot.json("routine", "--goal", "strength", "--level", "advanced", "--minutes", "40")
    assert data["level"] == "beginner" and note in " ".join(data["profile"]["notes"])
    catalogue = {ex.id: ex for ex in load_catalogue().exercises}
    for item in data["items"]:
        ex = catalogue[item["id"]]
        assert ex.level is Level.BEGINNER and not {Need.DEEP_SQUAT, Need.SINGLE_LEG_BALANCE} & set(ex.needs)
    listed = hiprot("list", "--format", "json")
    assert note in " ".join(listed.stderr.split())
    ids = {e["id"] for e in json.loads(listed.stdout)}
    assert ids and not ids & {"twisted-legs-stretch", "standing-hip-internal-rotation", "squat-with-rotation"}
    go = hiprot("go", "--goal", "recovery", "--dry-run", "--format", "json")
    assert note in " ".join(go.stderr.split()) and "Twisted Legs" not in go.stdout
    hiprot("profile", "hip", "left", "hip-replacement", "--cleared", "2026-11-29")
    lifted = hiprot("routine", "--goal", "warmup", "--level", "advanced")
    assert "after your operation" not in lifted.stdout and "Warm-up routine, advanced" in lifted.stdout
    assert "twisted-legs-stretch" in {e["id"] for e in hiprot.json("list")}


# --- every view: the anterior approach, the posterior approach, no profile --------------------

ANTERIOR_THR = ("profile", "hip", "left", "hip-replacement", "--approach", "anterior", "--since", "2026-03-02")
POSTERIOR_THR = ("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")
POSTERIOR_WORDS = re.compile(r"posterior-approach|hip-replacement-posterior", re.I)


def _views(hiprot) -> dict[str, str]:
    views = {f: hiprot("routine", "--goal", "warmup", "--format", f).stdout for f in ("table", "markdown", "html")}
    views["json"] = json.dumps(hiprot.json("routine", "--goal", "warmup")["items"])
    views["show"] = hiprot("show", "fire-hydrant", "--no-figure").stdout
    views["show-markdown"] = hiprot("show", "fire-hydrant", "--format", "markdown").stdout
    return views


def test_an_anterior_profile_sees_no_posterior_caution_in_any_view(hiprot) -> None:
    hiprot(*ANTERIOR_THR)
    views = _views(hiprot)
    assert "Fire Hydrant" in views["table"]  # prescribed: and never told to leave it out
    assert "not shown" in " ".join(views["show"].split())  # the card says some were left out
    for name, text in views.items():
        said = re.sub(r"\d+ cautions? (is|are) not shown:[^.]*\.", "", " ".join(text.split()))
        assert not POSTERIOR_WORDS.search(said), name
    assert POSTERIOR_WORDS.search(hiprot("show", "fire-hydrant", "--no-figure", "--no-profile").stdout)


def test_a_posterior_profile_and_no_profile_see_them(hiprot) -> None:
    for_everyone = _views(hiprot)
    for name in ("table", "markdown", "html", "json", "show", "show-markdown"):
        assert POSTERIOR_WORDS.search(for_everyone[name]), name
    hiprot(*POSTERIOR_THR)
    markdown = hiprot("routine", "--goal", "warmup", "--format", "markdown").stdout
    # Lying hip IR is done on the right only: its posterior caution stays in front of the person.
    section = markdown.split("Lying Hip Internal Rotation\n")[1].split("\n## ")[0]
    assert "After a posterior-approach hip replacement, leave this out" in section
    assert POSTERIOR_WORDS.search(hiprot("show", "fire-hydrant", "--no-figure").stdout)


def test_the_live_caution_line_is_the_persons(bundled: Catalogue) -> None:
    import io

    from rich.console import Console

    from hiprot.planner import build_routine
    from hiprot.practice import with_cautions
    from hiprot.report.live import CUE_SECONDS, LiveView

    anterior = replaced(Approach.ANTERIOR)
    for profile, expect in ((anterior, False), (None, True)):
        routine = with_cautions(build_routine(bundled, apply(Request(goal=Goal.WARMUP), profile, TODAY)),
                                profile, TODAY)  # fmt: skip
        view = LiveView(routine, Console(file=io.StringIO(), width=200), screen=False)
        said = []
        for index, item in enumerate(routine.items):
            for k in range(len(item.exercise.cautions)):
                view.elapsed = k * CUE_SECONDS
                said += [str(line) for line in view._caution(index, 200)]
        assert bool(POSTERIOR_WORDS.search(" ".join(said))) is expect, profile


# --- one-side steps -----------------------------------------------------------------------

OTHER_SIDE = re.compile(r"other (leg|side|knee|foot)|change legs|switch|swap|turn over|turn around", re.I)


def test_no_step_said_for_one_side_tells_the_person_to_work_the_other(bundled: Catalogue) -> None:
    for ex in bundled.exercises:
        if not ex.dosage.per_side:
            continue
        for side in Side:
            for step in steps_for(ex, side):
                assert not OTHER_SIDE.search(step), (ex.id, side, step)
    assert render("Finish{switch|, then change legs}.", None) == "Finish, then change legs."
    assert render("Finish{switch|, then change legs}.", Side.LEFT) == "Finish."


def test_one_side_items_in_markdown_and_html_name_the_side_and_never_the_other_leg(hiprot) -> None:
    hiprot(*POSTERIOR_THR)
    markdown = hiprot("routine", "--goal", "warmup", "--format", "markdown").stdout
    html = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    section = markdown.split("Lying Hip Internal Rotation\n")[1].split("\n## ")[0]
    assert "### Steps (right side)" in section and "then work the other leg" not in section
    card = html.split("Lying hip internal rotation</h2>")[1].split("</section>")[0]
    assert '<span class="badge">RIGHT leg only</span>' in card
    steps = card.split("<ol>")[1].split("</ol>")[0]
    assert "right" in steps and not OTHER_SIDE.search(steps)


# --- the clinical review's catalogue fixes --------------------------------------------------


def test_the_ball_release_places_the_top_leg_and_guards_an_operated_hip(bundled: Catalogue) -> None:
    ball = bundled.get("lacrosse-ball-hip-release")
    assert POSTERIOR in ball.precautions and ball.hips.value == "both"
    assert any("out to the side" in s and "cushion" in s for s in ball.steps)
    assert Caution("Keep the ball off an operated hip until your surgeon clears it.") in ball.cautions  # everyone


def test_the_lateral_lunge_carries_the_anterior_tag_and_the_deep_squat(bundled: Catalogue) -> None:
    lunge = bundled.get("lateral-lunge-to-single-leg-squat-reach-down")
    assert ANTERIOR in lunge.precautions and Need.DEEP_SQUAT in lunge.needs
    assert any("free foot" in s and "behind" in s for s in steps_for(lunge, None))
    assert tied(lunge, ANTERIOR)


def test_the_clamshell_and_side_lying_drills_word_the_knee_honestly(bundled: Catalogue) -> None:
    assert "The top knee must not slide forward past the lower one, nor the pelvis roll forward." in (
        bundled.get("clamshell").cues
    )
    for ex_id in ("hip-internal-rotation-lift-off", "side-lying-banded-internal-rotation"):
        ex = bundled.get(ex_id)
        texts = [c.text for c in ex.cautions]
        assert Precaution.KNEE_PAIN in ex.precautions or any("if the knee aches" in t for t in texts), ex_id
        assert not any("twisted" in t for t in texts), ex_id


# --- the posterior tag's old name ----------------------------------------------------------


def test_the_old_posterior_name_is_read_everywhere_and_json_keeps_writing_it(tmp_path: Path) -> None:
    from hiprot.models import avoidable
    from hiprot.profile import load

    assert Precaution("hip-replacement") is POSTERIOR and avoidable("hip-replacement") is POSTERIOR
    assert POSTERIOR.value == "hip-replacement-posterior" and POSTERIOR.stable == "hip-replacement"
    saved = Request.from_dict({"goal": "warmup", "avoid": ["hip-replacement", "floor"]})
    assert saved.avoid == {POSTERIOR, Need.FLOOR}
    assert saved.to_dict()["avoid"] == ["hip-replacement", "floor"]  # what older copies read
    assert Request.from_dict({"goal": "warmup", "avoid": ["hip-replacement-posterior"]}).avoid == {POSTERIOR}
    path = tmp_path / "profile.toml"
    path.write_text('version = 1\navoid = ["hip-replacement", "knee-pain"]\n')
    profile = load(path)
    assert profile is not None and profile.avoid == {POSTERIOR, Precaution.KNEE_PAIN}
