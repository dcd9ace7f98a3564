"""The handout and the progress report in a real browser: Debian's headless Chromium driven
by Playwright for Python (`executable_path`, never a downloaded browser build).

Checked: the page makes no request but its own; no element is wider than the printed page
(A4 less the @page margins); no text is smaller than 11 pt, but footnotes and chart labels
(9 pt or more), over the computed styles; the printed PDF's text (pdftotext) holds every
exercise name and every precaution, and on the handout no command-line text; a
five-exercise warm-up prints on at most two A4 pages, and two Letter pages. One browser
start serves the whole module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hiprot.report.html import plain_name
from tests.test_cli_profile import LEFT_THR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python (the test extra)")
pytestmark = pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs Debian's chromium and poppler-utils")

# A4 is 210 mm wide; the pages print with side margins of 10 mm or more: 190 mm of content at most,
# at 96 px per inch.
PRINTABLE_PX = round((210 - 2 * 10) / 25.4 * 96)
BODY_PT, SMALL_PT = 11, 9
# Where smaller print is allowed: footnotes (the sources, a chart's key), the dates in a plan's
# tick grid, and chart labels (SVG text).
SMALL = ".sources, .key, .grid td, svg"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """One headless Chromium for the module, with a throwaway profile."""
    with playwright.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": PRINTABLE_PX, "height": 1000},
        )  # fmt: skip
        try:
            yield context
        finally:
            context.close()


def _open(browser, html: str, folder: Path, paper: str = "A4") -> tuple[object, list[str], bytes]:
    """Load the page from a file; every request it makes, and its print (A4 unless told)."""
    page_file = folder / "page.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri(), wait_until="load")
    pdf = page.pdf(format=paper, prefer_css_page_size=False)
    return page, [url for url in requests if url != page_file.as_uri()], pdf


def _too_small(page) -> list[str]:
    """Every element with text of its own smaller than 11 pt (9 pt where small print is
    allowed): the computed font size, times the SVG's scale for chart text, in points."""
    return page.evaluate(
        """([body, small, allowed]) => {
            const found = [];
            for (const el of document.body.querySelectorAll('*')) {
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || el.closest('title')) continue;
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden') continue;
                let px = parseFloat(style.fontSize);
                if (el instanceof SVGElement) {  // user units to screen pixels (rotated text too)
                    const m = el.getScreenCTM();
                    px *= Math.hypot(m.a, m.b);
                }
                const pt = px * 0.75, least = el.closest(allowed) ? small : body;
                if (pt < least - 0.05) found.push(el.tagName + '.' + (el.getAttribute('class') || '') + ' '
                    + pt.toFixed(1) + 'pt: ' + el.textContent.trim().slice(0, 40));
            }
            return found;
        }""",
        [BODY_PT, SMALL_PT, SMALL],
    )


def _too_wide(page) -> list[str]:
    """Elements whose box reaches past the printable width (or starts left of the page)."""
    return page.evaluate(
        """(limit) => [...document.body.querySelectorAll('*')].filter(el => {
               const box = el.getBoundingClientRect();
               return box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5);
           }).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""",
        PRINTABLE_PX,
    )


def _pdf_text(pdf: bytes, folder: Path, paper: str = "A4") -> tuple[str, int]:
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert f"({paper.lower()})" in info.lower()
    return re.sub(r"\s+", " ", text.replace("-\n", "-")), int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _pages_text(pdf: bytes, folder: Path) -> list[str]:
    """The printed text page by page (pdftotext puts a form feed between pages)."""
    path = folder / "pages.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


def _speaks_plainly(pdf: bytes, folder: Path) -> None:
    """No command line on a person's sheet, and 'IR' never without its words on its page."""
    for n, text in enumerate(_pages_text(pdf, folder), 1):
        assert "--" not in text and "hiprot " not in text and "seed" not in text.lower(), (n, text)
        if re.search(r"\bIR\b", text):
            assert "internal rotation (IR)" in text, (n, text)


def test_the_handout_with_a_profile_in_chromium(hiprot, browser, tmp_path: Path) -> None:
    hiprot(*LEFT_THR)
    hiprot("profile", "avoid", "knee-pain")
    plan = hiprot.json("routine", "--goal", "warmup")
    html = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    page, requests, pdf = _open(browser, html, tmp_path)
    assert requests == []
    assert _too_wide(page) == [] and _too_small(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_PX
    text, pages = _pdf_text(pdf, tmp_path)
    for item in plan["items"]:
        assert plain_name(item["name"]) in text, item["name"]
    for note in page.evaluate("[...document.querySelectorAll('.profile li')].map(li => li.textContent)"):
        assert re.sub(r"\s+", " ", note) in text  # every precaution of the profile, word for word
    assert "About you" in text and "Take care:" in text and "Stop signs" in text
    assert "RIGHT leg only" in text  # the protected left hip: per-side work on the right
    _speaks_plainly(pdf, tmp_path)
    assert pages <= 2


def test_a_five_exercise_warm_up_prints_on_two_a4_pages_and_two_letter_pages(
    hiprot, browser, tmp_path: Path
) -> None:
    plan = hiprot.json("routine", "--goal", "warmup")
    assert len(plan["items"]) == 5
    html = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    page, requests, pdf = _open(browser, html, tmp_path)
    assert requests == [] and _too_wide(page) == [] and _too_small(page) == []
    widths = page.evaluate("[...document.querySelectorAll('.figure svg')].map(s => s.getBoundingClientRect().width)")
    assert len(widths) == 5 and min(widths) >= 60 / 25.4 * 96  # every figure at least 60 mm wide
    text, pages = _pdf_text(pdf, tmp_path)
    assert 1 <= pages <= 2 and all(plain_name(item["name"]) in text for item in plan["items"])
    assert "After a posterior-approach hip replacement, leave out numbers" in text and "Tick each day" in text
    _speaks_plainly(pdf, tmp_path)
    _, _, letter = _open(browser, html, tmp_path, paper="Letter")
    text, pages = _pdf_text(letter, tmp_path, paper="Letter")
    assert 1 <= pages <= 2 and all(plain_name(item["name"]) in text for item in plan["items"])


def test_a_plan_s_handout_says_how_often_in_chromium(hiprot, browser, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("hiprot.cli.options.now", lambda: datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    hiprot("plan", "new", "--weeks", "6", "--days", "mon,wed,fri", "--goal", "warmup")
    page, requests, pdf = _open(browser, hiprot("plan", "handout").stdout, tmp_path)
    assert requests == [] and _too_wide(page) == [] and _too_small(page) == []
    text, pages = _pdf_text(pdf, tmp_path)
    assert pages <= 2
    assert "How often: 3 times a week (Mon, Wed, Fri) for 6 weeks, from Mon 30 Nov 2026." in text
    _speaks_plainly(pdf, tmp_path)


def test_the_progress_report_in_chromium(hiprot, browser, tmp_path: Path, monkeypatch) -> None:
    now = [datetime(2026, 11, 2, 8, 0, tzinfo=UTC)]
    monkeypatch.setattr("hiprot.cli.options.now", lambda: now[0])
    hiprot("save", "hips", "--goal", "strength")
    for n, pain in enumerate((2, 1, 3, 7, 2)):
        hiprot("log", "--saved", "hips", "--pain", str(pain))
        hiprot("measure", "--left", str(28 + n), "--right", str(35 + n % 2))
        now[0] += timedelta(days=4)
    page, requests, pdf = _open(browser, hiprot("report", "--format", "html").stdout, tmp_path)
    assert requests == [] and _too_wide(page) == [] and _too_small(page) == []
    charts = page.evaluate("[...document.querySelectorAll('svg')].map(s => [s.getAttribute('aria-label'), "
                           "s.getBoundingClientRect().width, s.getBoundingClientRect().height])")  # fmt: skip
    assert [label for label, _, _ in charts] == ["Sessions per week", "Pain during and the day after each session",
                                                 "Hip internal rotation per side, degrees"]  # fmt: skip
    assert all(0 < width <= PRINTABLE_PX and height > 100 for _, width, height in charts)
    text, pages = _pdf_text(pdf, tmp_path)
    assert "Progress report" in text and "Dose changes" in text and "noise band" in text and pages <= 4
    first = _pages_text(pdf, tmp_path)[0]  # page 1: the summary a clinician reads first
    assert "Summary" in first and "Adherence:" in first and "Pain: peak 7/10" in first
    assert "measurement error" in first and "Flags" in first
