"""`routine --format pdf`: the handout through WeasyPrint (the optional `pdf` extra), and the
clear error without it."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hiprot.catalogue import Catalogue
from hiprot.models import Goal, Request
from hiprot.planner import build_routine
from hiprot.report.html import plain_name
from tests.test_cli_profile import LEFT_THR

WEASYPRINT = importlib.util.find_spec("weasyprint") is not None
PDFTOTEXT = shutil.which("pdftotext")
needs_pdf = pytest.mark.skipif(not (WEASYPRINT and PDFTOTEXT), reason="needs the pdf extra and pdftotext")


def _text(pdf: Path) -> str:
    out = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out.replace("-\n", "-"))


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@needs_pdf
def test_the_pdf_holds_every_exercise_the_profile_and_the_stop_signs(hiprot, tmp_path: Path) -> None:
    hiprot(*LEFT_THR)
    hiprot("profile", "avoid", "knee-pain")
    plan = hiprot.json("routine", "--goal", "warmup")
    target = tmp_path / "w.pdf"
    result = hiprot("routine", "--goal", "warmup", "--output", str(target))
    assert f"Wrote {target} (pdf, {len(plan['items'])} exercises" in result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    text = _text(target)
    for item in plan["items"]:
        assert plain_name(item["name"]) in text, item["name"]
    assert "About you" in text and "Left hip replaced (posterior approach" in text
    assert "Always left out: work that twists or kneels on the knee" in text and "Stop signs" in text
    assert "Take care:" in text
    assert _pages(target) <= 2


@needs_pdf
def test_a_five_exercise_pdf_goes_to_a_pipe_on_at_most_two_a4_pages(
    hiprot, bundled: Catalogue, tmp_path: Path
) -> None:
    assert len(build_routine(bundled, Request(goal=Goal.WARMUP)).items) == 5
    result = hiprot("routine", "--goal", "warmup", "--format", "pdf")
    assert result.stdout_bytes.startswith(b"%PDF-") and result.stdout_bytes.rstrip().endswith(b"%%EOF")
    piped = tmp_path / "piped.pdf"
    piped.write_bytes(result.stdout_bytes)
    info = subprocess.run(["pdfinfo", str(piped)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and 1 <= _pages(piped) <= 2  # WeasyPrint lays it out as Chromium does


@needs_pdf
def test_the_pdf_of_a_saved_routine(hiprot, tmp_path: Path) -> None:
    hiprot("save", "hips", "--goal", "strength", "--equipment", "none")
    target = tmp_path / "hips.pdf"
    hiprot("routine", "--saved", "hips", "--format", "pdf", "--output", str(target))
    assert "Hip strength routine" in _text(target)
    hiprot("routine", "--saved", "hips", "--output", str(target), code=1)  # never replaced without --force


def test_without_weasyprint_the_error_names_the_extra_and_the_browser(
    hiprot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    target = tmp_path / "w.pdf"
    result = hiprot("routine", "--goal", "warmup", "--output", str(target), code=1)
    assert "hiprot[pdf]" in result.stderr and "WeasyPrint is not installed" in result.stderr
    assert "prints to PDF from any browser" in result.stderr and "--output FILE.html" in result.stderr
    assert result.stderr.count("\n") == 1 and not target.exists()


def test_pdf_is_chosen_by_extension_and_a_table_cannot_be_a_pdf(hiprot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    # .pdf means pdf: the error is the missing extra (exit 1), not an unknown extension (exit 2)
    hiprot("routine", "--goal", "warmup", "--output", "w.pdf", code=1)
    assert ".pdf" in hiprot("routine", "--goal", "warmup", "--output", "w.txt", code=2).stderr
    hiprot("routine", "--goal", "warmup", "--output", "w.pdf", "--format", "table", code=2)


@pytest.mark.skipif(not WEASYPRINT, reason="needs the pdf extra")
def test_the_pdf_fetches_nothing_even_when_a_page_names_a_url(tmp_path: Path) -> None:
    import http.server
    import threading

    from hiprot.report.pdf import html_to_pdf

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        (tmp_path / "local.css").write_text("body { color: red }", encoding="utf-8")
        page = (f'<html><head><link rel="stylesheet" href="{url}/a.css"><style>@import url({url}/b.css);</style>'
                f'</head><body><img src="{url}/c.png"><img src="{(tmp_path / "local.css").as_uri()}">x</body></html>')
        assert html_to_pdf(page).startswith(b"%PDF-")
    finally:
        server.shutdown()
    assert asked == []


def test_a_pdf_is_never_written_to_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    controller, terminal = pty.openpty()
    try:
        env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, "-m", "hiprot", "routine", "--goal", "warmup", "--format", "pdf"],
                              stdout=terminal, stderr=subprocess.PIPE, text=True, env=env, timeout=60)  # fmt: skip
        os.set_blocking(controller, False)
        try:
            shown = os.read(controller, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 2 and "--output FILE.pdf" in done.stderr and b"%PDF" not in shown


def test_report_pdf_without_weasyprint_names_the_extra(hiprot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    target = tmp_path / "r.pdf"
    result = hiprot("report", "--output", str(target), code=1)  # .pdf means pdf: the extra, not exit 2
    assert "hiprot[pdf]" in result.stderr and "WeasyPrint is not installed" in result.stderr
    assert not target.exists()
    assert "hiprot[pdf]" in hiprot("report", "--format", "pdf", code=1).stderr


@needs_pdf
def test_the_report_as_a_pdf(hiprot, tmp_path: Path) -> None:
    hiprot("log", "--goal", "warmup", "--pain", "3", "--note", "after a long walk")
    hiprot("measure", "--left", "30", "--right", "34")
    target = tmp_path / "r.pdf"
    assert "Wrote" in hiprot("report", "--output", str(target)).stderr
    text = _text(target)
    assert "Progress report" in text and "Summary" in text and "after a long walk" in text
    hiprot("report", "--output", str(target), code=1)  # never replaced without --force
    piped = hiprot("report", "--format", "pdf").stdout_bytes
    assert piped.startswith(b"%PDF-")
