"""report/html.py: the printable handout, and a real print in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hiprot.catalogue import Catalogue
from hiprot.catalogue.figures import load_figures
from hiprot.models import Dose, Goal, Request, Side
from hiprot.planner import build_routine
from hiprot.report.html import PlanGrid, dose_words, plain_name, routine_to_html
from hiprot.text import steps_for
from tests.conftest import FIXTURES

DAY = date(2026, 11, 30)


class _Tags(HTMLParser):
    """Collects tags and attributes, and checks every opened block element is closed."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "polygon", "line", "circle", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _parse(text: str) -> _Tags:
    tags = _Tags()
    tags.feed(text)
    tags.close()
    return tags


@pytest.fixture(scope="module")
def warmup(bundled: Catalogue) -> str:
    plan = build_routine(bundled, Request(goal=Goal.WARMUP))
    return routine_to_html(plan, "hiprot routine --goal warmup", DAY, load_figures(exercises=bundled.by_id))


def test_the_handout_is_one_self_contained_document(warmup: str) -> None:
    tags = _parse(warmup)
    assert tags.problems == [] and tags.stack == []
    names = [t for t, _ in tags.seen]
    assert "script" not in names and "img" not in names and "link" not in names and "iframe" not in names
    for _, attrs in tags.seen:
        assert not {"src", "href", "srcset"} & set(attrs)
    # The SVG namespace is a name, not an address anything fetches.
    bare = warmup.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "url(" not in bare and "@import" not in bare and "http" not in bare and "//" not in bare
    assert "@page" in warmup and "break-inside: avoid" in warmup


def test_the_handout_holds_title_date_exercises_grid_and_sources(bundled: Catalogue, warmup: str) -> None:
    plan = build_routine(bundled, Request(goal=Goal.WARMUP))
    assert "<h1>Hip warm-up routine (beginner)</h1>" in warmup and "Printed 30 November 2026" in warmup
    assert warmup.count('<section class="card"') == len(plan.items) == warmup.count("<svg ")
    for item in plan.items:
        assert plain_name(item.exercise.name) in warmup
        steps = steps_for(item.exercise, None)
        assert all(step.replace("'", "&#x27;") in warmup for step in steps)  # all there, in five items at most
    assert warmup.count("<li>") - 3 <= 5 * len(plan.items)  # the three stop signs, then the steps
    assert warmup.count("<tr><th>Week ") == 4 and warmup.count("<td></td>") == 28
    assert "Stop signs" in warmup and "After a posterior-approach hip replacement, leave out numbers" in warmup
    for source in plan.items[0].exercise.sources:  # cited by title, never by id or file name
        assert escape(bundled.sources[source].title) in warmup and source not in warmup
    assert warmup.index('<div class="stop">') < warmup.index('<div class="grid">') < warmup.index('class="card"')


def test_nothing_on_the_sheet_speaks_like_a_command_line(warmup: str) -> None:
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", warmup, flags=re.S)
    assert "--" not in text and "hiprot " not in text and "seed" not in text.lower()
    assert not re.search(r"\bIR\b", text) and "Hip internal rotation: turning the thigh inward" in text
    assert "Rebuild" not in text and "Stands in as" not in text


def test_doses_in_a_person_s_words() -> None:
    assert dose_words(Dose(2, True, reps=12)) == "2 x 12 each side"
    assert dose_words(Dose(1, True, hold_s=30)) == "Hold 30 s each side"
    assert dose_words(Dose(2, False, reps=10)) == "2 x 10"
    assert dose_words(Dose(2, True, reps=12, only=Side.RIGHT)) == "2 x 12"
    assert dose_words(Dose(1, True, reps=8, only=Side.RIGHT, extra=Side.RIGHT)) == "2 x 8"  # the stiff side's extra
    assert plain_name("Hip Internal Rotation Lift-Off") == "Hip internal rotation lift-off"
    assert plain_name("90/90 Hip Switch") == "90/90 hip switch"


def test_one_side_only_gets_a_badge_and_a_plan_says_how_often(bundled: Catalogue) -> None:
    plan = build_routine(bundled, Request(goal=Goal.WARMUP, side=Side.LEFT))
    grid = PlanGrid(date(2026, 12, 7), 6, (0, 2, 4))
    out = routine_to_html(plan, "", DAY, {}, grid)
    per_side = [item for item in plan.items if item.dosage.per_side]
    assert per_side and out.count('<span class="badge">LEFT leg only</span>') == len(per_side)
    assert "3 times a week (Mon, Wed, Fri) for 6 weeks, from Mon 7 Dec 2026." in out


def test_catalogue_text_is_escaped(hiprot) -> None:
    args = ["routine", "--goal", "warmup", "--level", "intermediate", "--catalog", str(FIXTURES / "hostile.yaml")]
    out = hiprot(*args, "--format", "html").stdout
    assert "<b>html</b>" not in out and "&lt;b&gt;html&lt;/b&gt;" in out
    assert _parse(out).problems == []


def test_routine_format_html_and_output_by_extension(hiprot, tmp_path: Path) -> None:
    out = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    assert out.startswith("<!doctype html>")
    target = tmp_path / "w.html"
    result = hiprot("routine", "--goal", "warmup", "--output", str(target))
    assert "Wrote" in result.stderr and "(html, 5 exercises" in result.stderr
    # Only the date could differ between two runs, and both ran today.
    assert target.read_text(encoding="utf-8") == out


def test_list_and_show_can_print_html_sheets(hiprot, bundled: Catalogue) -> None:
    out = hiprot("list", "--position", "lying", "--format", "html").stdout
    lying = [ex for ex in bundled.exercises if ex.position.value == "lying"]
    assert out.count('<section class="card"') == len(lying) and _parse(out).problems == []
    card = hiprot("show", "clamshell", "--format", "html").stdout
    assert "<h1>Clamshell</h1>" in card and card.count("<svg ") == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


def _print(html_file: Path, pdf: Path, profile: Path) -> None:
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_file.as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs Debian's chromium and poppler-utils (pdftotext)")
def test_chromium_prints_every_exercise_on_at_most_two_a4_pages(bundled: Catalogue, warmup: str, tmp_path) -> None:
    a4 = tmp_path / "a4.html"
    a4.write_text(warmup.replace("@page { margin", "@page { size: A4; margin", 1), encoding="utf-8")
    pdf = tmp_path / "a4.pdf"
    _print(a4, pdf, tmp_path / "profile")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "A4" in info and 1 <= pages <= 2
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text.replace("-\n", "-"))
    plan = build_routine(bundled, Request(goal=Goal.WARMUP))
    assert len(plan.items) == 5
    for item in plan.items:
        assert plain_name(item.exercise.name) in flat, item.exercise.name
    assert "Stop signs" in flat and "Week 4" in flat


def test_the_profile_s_precautions_come_first_in_a_box_of_their_own(hiprot) -> None:
    hiprot("profile", "hip", "left", "hip-replacement", "--approach", "posterior", "--since", "2026-03-02")
    out = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    box = out.index('<div class="profile"><strong>About you</strong>')
    assert box < out.index('<div class="stop">') < out.index('<section class="card"')
    listed = out[box : out.index("</div>", box)]
    assert "Left hip replaced (posterior approach" in listed and "The left hip is protected" in listed
    assert out.count("Left hip replaced") == 1  # shown once, in the box, not again as a note
    plain = hiprot("routine", "--goal", "warmup", "--format", "html", "--no-profile").stdout
    assert 'class="profile"' not in plain


def test_dose_notes_fold_into_one_line_per_exercise(bundled: Catalogue) -> None:
    plan = build_routine(bundled, Request(goal=Goal.STRENGTH))
    first, second = plan.items[0].exercise.name, plan.items[1].exercise.name
    notes = (f"{first} 2 x 15 → 2 x 17: two sessions in a row at pain 3 or less",
             f"{first} is at the top of its range: ready to try Banded Standing External Rotation.",
             f"{second} stays at 2 x 12 (not 2 x 14): a plan's work grows at most 10% a week (ACSM/NSCA)",
             "Something for the whole routine.")  # fmt: skip
    out = routine_to_html(plan._replace(notes=notes), "", DAY, {})
    assert out.count("<strong>Dose:</strong>") == 2
    assert ("<p><strong>Dose:</strong> now 2 x 17 (was 2 x 15): two sessions in a row at pain 3 or less; at the top "
            "of its range; ask about moving on to banded standing external rotation</p>") in out
    assert "<strong>Dose:</strong> stays at 2 x 12 this week: a plan" in out and "(not 2 x 14)" not in out
    assert '<p class="note">Something for the whole routine.</p>' in out


def test_about_you_speaks_of_the_person_not_the_planner(bundled: Catalogue) -> None:
    plan = build_routine(bundled, Request(goal=Goal.WARMUP))
    note = ("Your profile: Right hip stiff: one extra set of per-side mobility and stretches on the right. "
            "Always left out: knee-pain, floor. Equipment you own: loop-band, chair. Level: beginner.")  # fmt: skip
    out = routine_to_html(plan._replace(profile_notes=(note,)), "", DAY, {})
    box = out[out.index('<div class="profile">') : out.index("</div>", out.index('<div class="profile">'))]
    assert "Right hip stiff" in box
    assert "Always left out: work that twists or kneels on the knee; getting down to the floor." in box
    assert "Equipment you own" not in box and "Level:" not in box and "knee-pain" not in box
    only_gear = plan._replace(profile_notes=("Your profile: Equipment you own: chair. Level: beginner.",))
    assert 'class="profile"' not in routine_to_html(only_gear, "", DAY, {})  # nothing left to say: no box
