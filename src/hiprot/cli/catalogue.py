"""`hiprot catalogue validate|schema`: check the person's own exercises, print the format."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from hiprot.cli.app import app
from hiprot.cli.options import path_given


class CatalogueAction(str, Enum):
    VALIDATE = "validate"
    SCHEMA = "schema"


@app.command()
def catalogue(
    action: Annotated[
        CatalogueAction,
        typer.Argument(help="validate: check a catalogue file or folder; schema: print the format's JSON Schema."),
    ],
    path: Annotated[
        Optional[Path],
        typer.Argument(
            help="With validate: the file or folder to check (default: your own catalogue folder).",
            parser=path_given,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Your own exercises: check a catalogue file or folder, or print the catalogue's JSON Schema.

    Exercises in the catalogue folder of hiprot's config folder (beside profile.toml) load
    on top of the bundled catalogue: add an exercise, or replace a bundled one by using its
    id. validate lists every problem, each with its file, line and exercise, and exits 1 if
    there is any. schema prints the JSON Schema an editor can check a file against as you
    type (YAML language servers read it). See docs/catalogue.md.

    Examples:

    \b
      hiprot catalogue validate
      hiprot catalogue validate my-exercises.yaml
      hiprot catalogue schema > catalogue.json
    """
    if action is CatalogueAction.SCHEMA:
        if path is not None:
            raise typer.BadParameter("schema takes no PATH; redirect it to a file: hiprot catalogue schema > x.json",
                                     param_hint="PATH")  # fmt: skip
        from hiprot.catalogue.jsonschema import schema_text

        sys.stdout.write(schema_text())
        return
    from hiprot.catalogue import check
    from hiprot.paths import user_catalogue_dir
    from hiprot.text import plural

    target = path if path is not None else user_catalogue_dir()
    if path is None and not target.exists():
        typer.echo(f"You have no catalogue folder yet ({target}); put .yaml files of your own exercises there "
                   "(see docs/catalogue.md), or name a file to check.")  # fmt: skip
        return
    found = check(target)
    if found.problems:
        for problem in found.problems:
            typer.echo(problem, err=True)
        typer.echo(f"{plural(len(found.problems), 'problem')} in {target}; fix them and run "
                   f"hiprot catalogue validate {target} again.", err=True)  # fmt: skip
        raise typer.Exit(1)
    replaced = f"; replaces the bundled {', '.join(found.replaces)}" if found.replaces else ""
    typer.echo(f"{target}: {plural(len(found.exercises), 'exercise')} in {plural(len(found.files), 'file')}, "
               f"all valid{replaced}.")  # fmt: skip
