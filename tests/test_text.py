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
