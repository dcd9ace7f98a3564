"""`hiprot profile`: what hiprot knows of your hips, precautions, equipment and level."""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from typing import Annotated, Optional

import typer

from hiprot.cli import options
from hiprot.cli.app import app, emit
from hiprot.cli.formats import choices
from hiprot.cli.options import format_option
from hiprot.models import Equipment, Level, Need, Precaution, Profile

# What profile writes when showing (from the format registry, hiprot.cli.formats)
ProfileFormat = Enum("ProfileFormat", choices(("text", "json")), type=str)  # type: ignore[misc]
PROFILE_TEXT = ProfileFormat("text")  # the default


WHAT = ("hip", "avoid", "equipment", "level", "name", "clinician", "contact", "reset")


@app.command()
def profile(
    what: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Nothing to show the profile; or hip SIDE CONDITION, avoid NAME..., equipment NAME..., "
            "level LEVEL, name TEXT, clinician TEXT, contact TEXT (none clears one), reset.",
            show_default=False,
        ),
    ] = None,
    approach: Annotated[
        Optional[str],
        typer.Option(help="With hip ... hip-replacement: posterior, anterior, lateral or unknown (the default).",
                     show_default=False),
    ] = None,
    since: Annotated[
        Optional[str], typer.Option(help="With hip ... hip-replacement: the date of the operation, YYYY-MM-DD.",
                                    show_default=False)
    ] = None,
    cleared: Annotated[
        Optional[str],
        typer.Option(help="With hip ... hip-replacement: the date your surgeon lifted the precautions, YYYY-MM-DD.",
                     show_default=False),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With reset: do not ask.")] = False,
    fmt: Annotated[
        ProfileFormat, format_option("text for people, json for scripts (when showing).", show_default=True)
    ] = PROFILE_TEXT,
) -> None:
    """Show or change your profile, which every routine, session, log and export applies.

    A replaced hip gets the precautions of its surgical approach until the date your
    surgeon clears it; a stiff hip gets one extra set of per-side mobility and stretches.
    Each change prints what the profile now implies.

    Examples:

    \b
      hiprot profile
      hiprot profile hip left hip-replacement --approach posterior --since 2026-09-14
      hiprot profile hip left hip-replacement --cleared 2026-12-20
      hiprot profile hip right stiff
      hiprot profile hip left none
      hiprot profile avoid knee-pain kneeling
      hiprot profile equipment loop-band chair
      hiprot profile level intermediate
      hiprot profile name Ann Smith
      hiprot profile clinician "Sam Lee, physiotherapist, Hip Clinic"
      hiprot profile contact "0161 496 0000"
      hiprot profile reset --yes
      hiprot profile --format json
    """
    from hiprot.practice import profile as use

    path = use.where()
    today = options.now().date()
    words = list(what or [])
    if not words:
        if approach or since or cleared:
            raise typer.BadParameter("--approach, --since and --cleared go with: hip SIDE hip-replacement.")
        stored = use.current()
        if fmt.value == "json":
            from hiprot.report.json import dumps

            sys.stdout.write(dumps((stored or Profile()).to_dict()))
            return
        from hiprot.text import visible

        _show(stored, today, visible(str(path)))
        return
    action, values = words[0], words[1:]
    if action not in WHAT:
        raise typer.BadParameter(f"'{action}' is not something a profile holds: use {', '.join(WHAT)}.",
                                 param_hint="WHAT")  # fmt: skip
    if action != "hip" and (approach or since or cleared):
        raise typer.BadParameter("--approach, --since and --cleared go with: hip SIDE hip-replacement.")
    if action == "reset":  # never parses the file: a damaged profile can always be reset
        if values:
            raise typer.BadParameter("reset takes nothing more.", param_hint="WHAT")
        _reset(path, yes)
        return
    if action == "hip":
        _hip(Profile(), values, approach, since, cleared, today)  # refuse bad words before any lock

        def change(current: Profile) -> Profile:
            return _hip(current, values, approach, since, cleared, today)
    elif action == "avoid":
        avoid = _avoid(values)

        def change(current: Profile) -> Profile:
            return current._replace(avoid=avoid)
    elif action == "equipment":
        equipment = _equipment(values)

        def change(current: Profile) -> Profile:
            return current._replace(equipment=equipment)
    elif action in ("name", "clinician", "contact"):  # profile.PERSON_KEYS, not imported at start-up
        text = _person(action, values)

        def change(current: Profile) -> Profile:
            if action == "name":
                return current._replace(name=text)
            if action == "clinician":
                return current._replace(clinician=text)
            return current._replace(contact=text)
    else:
        level = _level(values)

        def change(current: Profile) -> Profile:
            return current._replace(level=level)
    changed, loose = use.update(change)
    from hiprot.text import visible

    typer.echo(f"Saved your profile in {visible(str(path))}.", err=True)
    if loose is not None:
        typer.echo(f"It was readable by others (mode {loose:03o}); it is now readable by you only (600).", err=True)
    _show(changed, today, visible(str(path)))


def _show(stored: Profile | None, today: date, where: str) -> None:
    from hiprot.text import profile_lines

    if stored is not None and stored.empty and stored.person_lines():
        emit("\n".join([f"Your profile ({where}):", *stored.person_lines(), "No hip, precaution, equipment or "
                         "level is recorded: routines use only what you type."]) + "\n")  # fmt: skip
        return
    if stored is None or stored.empty:
        typer.echo(
            "No profile yet: routines use only what you type. Record a hip that was replaced, is "
            "impinged or stiff with: hiprot profile hip left hip-replacement --approach posterior --since DATE"
        )
        return
    lines = profile_lines(stored, today) + stored.person_lines()
    if stored.protect(today):
        lines.append("hiprot leaves out, or does on the other side only, what these precautions rule out; "
                     "--no-profile ignores the profile for one run.")  # fmt: skip
    from rich.text import Text

    emit(Text("\n".join([f"Your profile ({where}):", *lines])))


def _hip(current: Profile, values: list[str], approach: Optional[str], since: Optional[str],
         cleared: Optional[str], today: date) -> Profile:  # fmt: skip
    from hiprot.models import Approach, Hip, HipCondition, Side

    conditions = [c.value for c in HipCondition] + ["none"]
    if len(values) != 2 or values[0] not in ("left", "right") or values[1] not in conditions:
        raise typer.BadParameter(
            f"say which hip and its condition: hip left|right {'|'.join(conditions)}.", param_hint="WHAT"
        )
    side = Side(values[0])
    if values[1] == "none":
        if approach or since or cleared:
            raise typer.BadParameter("--approach, --since and --cleared go with hip-replacement.")
        return current.with_hip(side, None)
    condition = HipCondition(values[1])
    if condition is not HipCondition.HIP_REPLACEMENT:
        if approach or since or cleared:
            raise typer.BadParameter("--approach, --since and --cleared go with hip-replacement.")
        return current.with_hip(side, Hip(condition))
    before = current.hip(side)
    kept = before if before is not None and before.condition is condition else Hip(condition, Approach.UNKNOWN)
    if approach is not None and approach not in {a.value for a in Approach}:
        raise typer.BadParameter(f"'{approach}': use {', '.join(a.value for a in Approach)}.",
                                 param_hint="--approach")  # fmt: skip
    hip = kept._replace(
        approach=Approach(approach) if approach else kept.approach,
        since=_day(since, "--since", today) if since else kept.since,
        cleared=_day(cleared, "--cleared", None) if cleared else kept.cleared,
    )
    if hip.since and hip.cleared and hip.cleared < hip.since:
        raise typer.BadParameter("the clearance date is before the operation date.", param_hint="--cleared")
    return current.with_hip(side, hip)


def _day(text: str, flag: str, latest: date | None) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text[:20]}' is not a date: use YYYY-MM-DD.", param_hint=flag) from None
    from hiprot.limits import DATE_FLOOR, PROFILE_YEAR_MAX

    last = latest if latest is not None else date(PROFILE_YEAR_MAX, 12, 31)  # what the profile reader accepts
    if not DATE_FLOOR <= day <= last:
        until = "today" if latest is not None else str(PROFILE_YEAR_MAX)
        raise typer.BadParameter(f"{day.isoformat()} is out of range ({DATE_FLOOR.year} to {until}).", param_hint=flag)
    return day


def _person(action: str, values: list[str]) -> Optional[str]:
    """The name, clinician or contact the handout and the report print; `none` clears it."""
    from hiprot.profile import person_text

    if values == ["none"]:
        return None
    try:
        return person_text(" ".join(values))
    except ValueError as exc:
        raise typer.BadParameter(f"the {action} {exc}: say it in words, e.g. {action} {_EXAMPLE[action]}.",
                                 param_hint="WHAT") from None  # fmt: skip


_EXAMPLE = {"name": "Ann Smith", "clinician": '"Sam Lee, Hip Clinic"', "contact": '"0161 496 0000"'}


def _avoid(values: list[str]) -> frozenset[Precaution | Need]:
    from hiprot.models import AVOIDABLE, avoidable

    if values == ["none"]:
        return frozenset()
    found = [avoidable(v) for v in values]
    if not values or any(f is None for f in found):
        raise typer.BadParameter(
            f"avoid takes precautions and needs (or none): {', '.join(AVOIDABLE)}.", param_hint="WHAT"
        )
    return frozenset(f for f in found if f is not None)


def _equipment(values: list[str]) -> frozenset[Equipment]:
    names = [e.value for e in Equipment]
    if values == ["none"]:
        return frozenset()
    if not values or any(v not in names for v in values):
        raise typer.BadParameter(f"equipment takes what you own (or none): {', '.join(names)}.", param_hint="WHAT")
    return frozenset(Equipment(v) for v in values)


def _level(values: list[str]) -> Level:
    names = [lv.value for lv in Level]
    if len(values) != 1 or values[0] not in names:
        raise typer.BadParameter(f"level takes one of: {', '.join(names)}.", param_hint="WHAT")
    return Level(values[0])


def _reset(path: object, yes: bool) -> None:
    from pathlib import Path

    from hiprot.cli.app import confirmed
    from hiprot.practice.profile import reset
    from hiprot.text import visible

    assert isinstance(path, Path)
    if not path.exists() and not path.is_symlink():
        typer.echo("There was no profile to delete.", err=True)
        return
    if not confirmed(f"delete your profile ({visible(str(path))}); routines will no longer apply its precautions",
                     yes):  # fmt: skip
        return
    typer.echo("Deleted your profile." if reset() else "There was no profile to delete.", err=True)
