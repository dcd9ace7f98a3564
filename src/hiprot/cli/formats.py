"""The one format registry: every output format hiprot writes, its file suffixes, whether
it is binary, and (for the routine and exercise views) the reporter that renders it. It
lives in the CLI, which alone chooses formats; reporters are imported only when used.

Commands say which formats they offer by name; the CLI derives their `--format` choices,
the format an `--output` suffix means, and the refusal of a format a command cannot
produce, all from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from hiprot.report import Reporter


class Format(NamedTuple):
    """An output format: its name (the `--format` value), the file suffixes that mean it,
    whether its bytes are binary (never for a terminal), whether a file may hold it, and
    the loader of its routine/exercise reporter (None where the format has none)."""

    name: str
    suffixes: tuple[str, ...]
    binary: bool = False
    to_file: bool = True
    reporter: Callable[[], Reporter] | None = None
    what: str = ""  # a few words for help text


# Each loader imports its reporter module only when the format is asked for.
def _table() -> Reporter:
    from hiprot.report import table

    return table


def _json() -> Reporter:
    from hiprot.report import json

    return json


def _markdown() -> Reporter:
    from hiprot.report import markdown

    return markdown


def _html() -> Reporter:
    from hiprot.report import html

    return html


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", (), to_file=False, reporter=_table, what="for people, at the terminal"),
        Format("text", (), to_file=False, what="for people"),
        Format("json", (".json",), reporter=_json, what="for scripts"),
        Format("csv", (".csv",), what="for spreadsheets"),
        Format("markdown", (".md", ".markdown"), reporter=_markdown, what="to print or save"),
        Format("html", (".html", ".htm"), reporter=_html, what="a printable page"),
        Format("pdf", (".pdf",), binary=True, what="the printable page as PDF, with the pdf extra"),
        Format("ics", (".ics",), what="a calendar file"),
        Format("svg", (".svg",), what="a picture"),
    )
}


def by_suffix(suffix: str) -> Format | None:
    """The format a file suffix means ('.MD' and '.md' alike), or None."""
    suffix = suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), None)


def suffixes(names: Iterable[str]) -> list[str]:
    """Every file suffix of these formats, in registry order."""
    return [s for name in names for s in FORMATS[name].suffixes]


def reporter(name: str) -> Reporter:
    """The routine/exercise reporter of a format (KeyError for a format without one)."""
    loader = FORMATS[name].reporter
    if loader is None:
        raise KeyError(name)
    return loader()


def choices(names: Sequence[str]) -> dict[str, str]:
    """The members of a command's `--format` Enum: these registry formats, by name.
    `Enum("RoutineFormat", choices(FORMATS), type=str)` gives Typer its choices."""
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise KeyError(f"not in the format registry: {unknown}")
    return {n.upper(): n for n in names}


def get(name: str) -> Format:
    """The format of this name (KeyError for a name not in the registry)."""
    return FORMATS[name]
