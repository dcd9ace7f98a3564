"""text.py: the one clock and the one sanitiser."""

from __future__ import annotations

import pytest

from hiprot.text import first_unsafe, visible


def test_one_clock_for_every_time_shown() -> None:
    from hiprot.text import clock

    assert clock(725) == "12:05"
    assert clock(3725) == "1:02:05"
    assert clock(125.9) == "2:05"
    assert clock(125.2, pad=True, up=True) == "02:06"
    assert clock(-3) == "0:00"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mX\x1b]0;PWNED\x07\x1b[2J", "\\x1b[31mX\\x1b]0;PWNED\\x07\\x1b[2J"),
        ("abc\u202egpj.exe", "abc\\u202egpj.exe"),
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("lone \ud800", "lone \\ud800"),
        ("del\x7f nul\x00 cr\r", "del\\x7f nul\\x00 cr\\x0d"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Ракушка · 30° → 日本 👍🏽 zwj\u200d", "Ракушка · 30° → 日本 👍🏽 zwj\u200d"),
    ],
)
def test_visible_escapes_controls_and_bidi_and_keeps_everything_else(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert first_unsafe(visible(text)) is None
    assert (first_unsafe(text) is None) == (text == shown)


# --- steps that name the side (issue 17) ---------------------------------------------------

import pytest  # noqa: E402

from hiprot.models import Side  # noqa: E402
from hiprot.text import citation, date_words, has_placeholder, render, template_problem  # noqa: E402

TEMPLATE = "Lie on your {other|one} side; lift your {side|top} knee. {Side|Either} leads."


@pytest.mark.parametrize(
    "side, expected",
    [
        (Side.RIGHT, "Lie on your left side; lift your right knee. Right leads."),
        (Side.LEFT, "Lie on your right side; lift your left knee. Left leads."),
        (None, "Lie on your one side; lift your top knee. Either leads."),
    ],
)
def test_render_fills_the_side_its_opposite_and_capitals(side, expected) -> None:
    assert render(TEMPLATE, side) == expected


def test_doubled_braces_are_literal_and_plain_text_is_untouched() -> None:
    assert render("Count {{1-2}} with the {Other|other} leg", Side.LEFT) == "Count {1-2} with the Right leg"
    assert template_problem("Count {{1-2}}") is None and not has_placeholder("Count {{1-2}}")
    assert render("No side here.", Side.RIGHT) == "No side here."


@pytest.mark.parametrize(
    "template, words",
    [
        ("Lift the {leg|top} knee", "unknown placeholder '{leg|top}'"),
        ("Lift the {SIDE|top} knee", "unknown placeholder"),
        ("Lift the {side} knee", "needs the words to show when no side is chosen"),
        ("Lift the {side| } knee", "needs the words"),
        ("Lift the { knee", "lone '{'"),
        ("Lift the } knee", "lone '}'"),
    ],
)
def test_template_problems_are_named(template: str, words: str) -> None:
    problem = template_problem(template)
    assert problem is not None and words in problem


def test_citation_gives_title_author_publisher_and_date() -> None:
    from hiprot.models import Source

    assert date_words("2024-11-12") == "12 Nov 2024" and date_words("2013-02") == "Feb 2013"
    assert date_words("2009") == "2009"
    full = Source("x", "A Title?", "A. Author", "A Journal", "2013-02")
    assert citation(full) == "A Title? A. Author, A Journal, Feb 2013."
    assert citation(Source("y", "Bare title")) == "Bare title."
