"""The handout and the progress report in a real browser: Debian's headless Chromium driven
by Playwright for Python (`executable_path`, never a downloaded browser build).

Checked: the page makes no request but its own; no element is wider than the printed page
(A4 less the @page margins); the printed PDF's text (pdftotext) holds every exercise name
and every precaution; a five-exercise handout prints on at most three A4 pages. One
browser start serves the whole module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_cli_profile import LEFT_THR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python (the test extra)")
pytestmark = pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs Debian's chromium and poppler-utils")

# A4 is 210 mm wide; both pages print with 12 mm side margins: 186 mm of content, at 96 px per inch.
PRINTABLE_PX = round((210 - 2 * 12) / 25.4 * 96)
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


def _open(browser, html: str, folder: Path) -> tuple[object, list[str], bytes]:
    """Load the page from a file; every request it makes, and its A4 print."""
    page_file = folder / "page.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri(), wait_until="load")
    pdf = page.pdf(format="A4")
    return page, [url for url in requests if url != page_file.as_uri()], pdf


def _too_wide(page) -> list[str]:
    """Elements whose box reaches past the printable width (or starts left of the page)."""
    return page.evaluate(
        """(limit) => [...document.body.querySelectorAll('*')].filter(el => {
               const box = el.getBoundingClientRect();
               return box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5);
           }).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""",
        PRINTABLE_PX,
    )


def _pdf_text(pdf: bytes, folder: Path) -> tuple[str, int]:
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    return re.sub(r"\s+", " ", text.replace("-\n", "-")), int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_the_handout_with_a_profile_in_chromium(hiprot, browser, tmp_path: Path) -> None:
    hiprot(*LEFT_THR)
    hiprot("profile", "avoid", "knee-pain")
    plan = hiprot.json("routine", "--goal", "warmup")
    html = hiprot("routine", "--goal", "warmup", "--format", "html").stdout
    page, requests, pdf = _open(browser, html, tmp_path)
    assert requests == []
    assert _too_wide(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_PX
    text, pages = _pdf_text(pdf, tmp_path)
    for item in plan["items"]:
        assert item["name"] in text, item["name"]
    for note in page.evaluate("[...document.querySelectorAll('.profile li')].map(li => li.textContent)"):
        assert re.sub(r"\s+", " ", note) in text  # every precaution of the profile, word for word
    assert "Your precautions" in text and "Leave it out" in text and "Stop signs" in text
    assert pages <= 3


def test_a_five_exercise_handout_prints_on_at_most_three_a4_pages(hiprot, browser, tmp_path: Path) -> None:
    plan = hiprot.json("routine", "--goal", "warmup")
    assert len(plan["items"]) == 5
    page, requests, pdf = _open(browser, hiprot("routine", "--goal", "warmup", "--format", "html").stdout, tmp_path)
    assert requests == [] and _too_wide(page) == []
    text, pages = _pdf_text(pdf, tmp_path)
    assert 1 <= pages <= 3 and all(item["name"] in text for item in plan["items"])
    assert "After a posterior-approach hip replacement, leave out" in text


def test_the_progress_report_in_chromium(hiprot, browser, tmp_path: Path, monkeypatch) -> None:
    now = [datetime(2026, 11, 2, 8, 0, tzinfo=UTC)]
    monkeypatch.setattr("hiprot.cli.options.now", lambda: now[0])
    hiprot("save", "hips", "--goal", "strength")
    for n, pain in enumerate((2, 1, 3, 7, 2)):
        hiprot("log", "--saved", "hips", "--pain", str(pain))
        hiprot("measure", "--left", str(28 + n), "--right", str(35 + n % 2))
        now[0] += timedelta(days=4)
    page, requests, pdf = _open(browser, hiprot("report", "--format", "html").stdout, tmp_path)
    assert requests == [] and _too_wide(page) == []
    charts = page.evaluate("[...document.querySelectorAll('svg')].map(s => [s.getAttribute('aria-label'), "
                           "s.getBoundingClientRect().width, s.getBoundingClientRect().height])")  # fmt: skip
    assert [label for label, _, _ in charts] == ["Sessions per week", "Pain during and the day after each session",
                                                 "Hip internal rotation per side, degrees"]  # fmt: skip
    assert all(0 < width <= PRINTABLE_PX and height > 100 for _, width, height in charts)
    text, pages = _pdf_text(pdf, tmp_path)
    assert "Progress report" in text and "Dose changes" in text and "noise band" in text and pages <= 3
