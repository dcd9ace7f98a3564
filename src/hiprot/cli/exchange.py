"""`hiprot export` and `hiprot import`: prescription files (TOML) out and in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import app
from hiprot.cli.options import CatalogOption, NoProfileOption, file_given, path_given


def _text(limit: int):  # type: ignore[no-untyped-def]
    def parse(value: str) -> str:
        if len(value) > limit:
            raise typer.BadParameter(f"at most {limit} characters.")
        return value

    return parse


@app.command()
def export(
    names: Annotated[
        Optional[list[str]],
        typer.Argument(help="The saved routines to export (default: all of them).", show_default=False,
                       metavar="[NAME...]"),
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", help="Export the running plan (its days and weeks) too.")] = False,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", parser=file_given, metavar="FILE",
                     help="Write the .toml file here instead of printing it."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    title: Annotated[Optional[str], typer.Option(parser=_text(120), help="A title for the prescription.",
                                                 show_default=False)] = None,
    clinician: Annotated[Optional[str], typer.Option(parser=_text(120), help="Who prescribed it.",
                                                     show_default=False)] = None,
    contact: Annotated[Optional[str], typer.Option(parser=_text(200), help="How to reach them.",
                                                   show_default=False)] = None,
    notes: Annotated[Optional[str], typer.Option(parser=_text(4000), help="Notes for the person.",
                                                 show_default=False)] = None,
    catalog: CatalogOption = None,
) -> None:
    """Write saved routines (and the plan) as a prescription file to hand over.

    The file is small TOML that a person or a physiotherapist can read and edit, and
    that hiprot import reads back exactly (docs/prescriptions.md describes it).

    Examples:

    \b
      hiprot export hips --output hips.toml
      hiprot export --plan --output plan.toml --clinician "Jo Smith, physiotherapist"
      hiprot export > all-my-routines.toml
    """
    from hiprot.practice.exchange import export_saved
    from hiprot.rxfile import dumps

    rx = export_saved(names or [], plan, catalog, options.now().date(), title=title, clinician=clinician,
                      contact=contact, notes=notes)  # fmt: skip
    text = dumps(rx)
    if output is None:
        sys.stdout.write(text)
        return
    from hiprot.files import write_atomic
    from hiprot.text import plural, visible

    write_atomic(output, text, force=force)
    what = plural(len(rx.routines), "routine") + (" and the plan" if rx.plan else "")
    typer.echo(f"Wrote {what} to {visible(str(output))}. Read it back with: hiprot import FILE", err=True)


@app.command(name="import")
def import_(
    file: Annotated[Path, typer.Argument(parser=path_given, metavar="FILE", help="The prescription file (.toml).")],
    as_: Annotated[
        Optional[str],
        typer.Option("--as", help="Save its one routine under this name instead.", show_default=False),
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", help="Also start the plan the file holds.")] = False,
    start: Annotated[
        Optional[str],
        typer.Option(metavar="DATE", help="With --plan: the first day, YYYY-MM-DD, today or tomorrow "
                     "(default: the file's, else today).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace saved routines of the same names.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check it and say what it holds; save nothing.")] = False,
    no_profile: NoProfileOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Read a prescription file: check it, say what it holds, then save its routines.

    Every exercise is checked against the catalogue and your profile before anything is
    saved; what your profile changes is said ("the fire hydrant will be done on your
    right side only"). An exercise your precautions rule out is refused, never added.

    Examples:

    \b
      hiprot import hips.toml --dry-run
      hiprot import hips.toml
      hiprot import hips.toml --as physio --force
      hiprot import plan.toml --plan --start tomorrow
    """
    from hiprot.catalogue import load_catalogue
    from hiprot.practice import load_profile
    from hiprot.practice.exchange import check, read, save
    from hiprot.text import visible

    if start is not None and not plan:
        raise typer.BadParameter("--start goes with --plan.", param_hint="--start")
    first = None
    if start is not None:
        from hiprot.cli.plan import _start

        first = _start(start)
    rx, text = read(file)
    if plan and not rx.plan:
        raise typer.BadParameter("this file holds no plan; import it without --plan.", param_hint="--plan")
    profile = None if no_profile else load_profile()
    today = options.now().date()
    imported = check(rx, file, text, load_catalogue(catalog), profile, today, rename=as_)
    _describe(rx, imported)
    if dry_run:
        typer.echo("Nothing was saved (--dry-run).", err=True)
        if rx.plan and not plan:
            typer.echo("The file also holds a plan; add --plan to start it.", err=True)
        return
    made = save(imported, rx, options.now(), replace=force, plan=plan, start=first)
    names = ", ".join(f"'{visible(i.name)}'" for i in imported)
    typer.echo(f"Saved {names}. Rebuild one with: hiprot routine --saved NAME", err=True)
    if made is not None:
        typer.echo(f"Started the plan of '{visible(made.saved_name)}' on {made.start.isoformat()} for "
                   f"{made.weeks} weeks. See hiprot plan and hiprot today.", err=True)  # fmt: skip
    elif rx.plan:
        typer.echo("The file also holds a plan; add --plan to start it.", err=True)


def _describe(rx: object, imported: list) -> None:  # type: ignore[type-arg]
    from hiprot.programme import days_text
    from hiprot.rxfile import PrescriptionFile
    from hiprot.text import clock, visible
    from hiprot.timeline import total_seconds

    assert isinstance(rx, PrescriptionFile)
    for label, value in (("Title", rx.title), ("From", rx.clinician), ("Contact", rx.contact)):
        if value:
            typer.echo(f"{label}: {visible(value)}")
    if rx.notes:
        typer.echo("Notes: " + visible(rx.notes))
    if rx.plan:
        typer.echo(f"Plan: {rx.weeks} weeks" + (f" from {rx.start.isoformat()}" if rx.start else ""))
    for entry in imported:
        routine = entry.routine
        when = f", {days_text(entry.days)}" if entry.days else ""
        typer.echo(f"Routine '{visible(entry.name)}' ({routine.goal.value}, {clock(total_seconds(routine))}{when}):")
        for item in routine.items:
            from hiprot.text import prescription_words

            typer.echo(f"  - {visible(item.exercise.name)}: {prescription_words(item.dosage)}")
        for change in entry.changes:
            typer.echo(f"  Your profile: {visible(change)}.")
