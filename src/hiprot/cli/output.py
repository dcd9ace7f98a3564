"""`--format`, `--output` and `--force`, declared once from the format registry
(`hiprot.cli.formats`), and the one writer that sends a rendering to the terminal, a
pipe or a file. Used by `routine`, `report`, `plan handout` and `plan calendar`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import typer

from hiprot.cli.formats import FORMATS, by_suffix, choices, suffixes
from hiprot.cli.options import file_given

__all__ = ["choices", "chosen_format", "force_option", "format_option", "output_option", "write"]


def _or(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def _a(name: str) -> str:
    """'an ics', 'a pdf': the article a format's name takes when read aloud."""
    return ("an " if name[0] in "aehiosx" else "a ") + name.upper() if len(name) <= 4 else "a " + name


def format_option(help: str) -> Any:
    """The `--format` option (its choices come from the parameter's Enum, see `choices`)."""
    return typer.Option("--format", "-f", help=help, show_default=False)


def output_option(names: Sequence[str], help: str | None = None) -> Any:
    """The `--output` option; its help lists the file suffixes of the formats offered."""
    to_file = [n for n in names if FORMATS[n].to_file]
    text = help or f"Save to this file ({_or(suffixes(to_file))}) instead of printing."
    return typer.Option("--output", "-o", parser=file_given, metavar="FILE", help=text, show_default=False)


def force_option(help: str = "Replace the --output file if it exists.") -> Any:
    """The `--force` option: replace what is there (never by surprise: always asked for)."""
    return typer.Option("--force", help=help)


def chosen_format(
    command: str, names: Sequence[str], fmt: Optional[str], output: Optional[Path], default: str
) -> str:
    """The format to write: `--format` wins; else the `--output` suffix, which must be one
    of a format this command offers; else `default`. A format that cannot go to a file
    (a table) with `--output`, or one the command cannot produce, is a usage error."""
    if fmt is not None:
        if fmt not in names:
            raise typer.BadParameter(f"{command} writes {_or(list(names))}, not {fmt}.", param_hint="--format")
        if output is not None and not FORMATS[fmt].to_file:
            files = [n for n in names if FORMATS[n].to_file]
            raise typer.BadParameter(f"a {fmt} is for the terminal; save with --format {_or(files)}.",
                                     param_hint="--format")  # fmt: skip
        return fmt
    if output is None:
        return default
    found = by_suffix(output.suffix)
    files = [n for n in names if FORMATS[n].to_file]
    if found is None:
        raise typer.BadParameter(
            f"cannot tell the format of '{output}': use {_or(suffixes(files))}, or pass --format.",
            param_hint="--output",
        )
    if found.name not in files:
        raise typer.BadParameter(
            f"'{output}' names {_a(found.name)} file, but {command} writes {_or(files)}: "
            f"use {_or(suffixes(files))}.",
            param_hint="--output",
        )
    return found.name


def refuse_binary_at_terminal(fmt: str, output: Optional[Path]) -> None:
    """A binary format (a PDF) is never written to a terminal: a usage error before any work."""
    if FORMATS[fmt].binary and output is None and sys.stdout.isatty():
        raise typer.BadParameter(f"a {fmt.upper()} is not for the terminal: add --output FILE.{fmt}, or redirect "
                                 f"it (> w.{fmt}).", param_hint="--format")  # fmt: skip


def write(rendered: Any, output: Optional[Path], *, force: bool = False) -> None:
    """Send a rendering where it goes: a Rich renderable or text to standard output, bytes
    to a pipe or a file; to `output` (atomically, replacing only with `force`) when given."""
    if output is None:
        if isinstance(rendered, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(rendered)
            return
        from hiprot.cli.app import emit

        emit(rendered)
        return
    from hiprot.files import write_atomic_bytes

    if not isinstance(rendered, str | bytes):
        raise TypeError("only text or bytes go to a file")  # a table is refused before (chosen_format)
    write_atomic_bytes(output, rendered.encode("utf-8") if isinstance(rendered, str) else rendered, force=force)
