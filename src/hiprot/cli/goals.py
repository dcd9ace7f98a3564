"""`hiprot goal [add|score|remove]`: goals that matter to the person (the PSFS).

One command whose first argument picks the action, as `plan` does, so it loads lazily.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from hiprot.cli.app import app
from hiprot.cli.options import WhenOption, when


class GoalAction(str, Enum):
    ADD = "add"
    SCORE = "score"
    REMOVE = "remove"


class GoalFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


def _score(text: str) -> int:
    if not (text.isascii() and text.strip().isdigit()) or not 0 <= int(text) <= 10:
        raise typer.BadParameter(f"{text!r} is not a score: give a whole number from 0 (unable) to 10 (as before).")
    return int(text)


@app.command()
def goal(
    action: Annotated[
        Optional[GoalAction],
        typer.Argument(help="add: a new activity; score: rate them again; remove: stop rating one; none: show them.",
                       show_default=False, metavar="[add|score|remove]"),
    ] = None,
    what: Annotated[
        Optional[list[str]],
        typer.Argument(help="add: the activity, in your words; score: ACTIVITY=SCORE pairs (an activity's number "
                       "or name); remove: the activity.", show_default=False, metavar="[TEXT...]"),
    ] = None,
    score: Annotated[
        Optional[int],
        typer.Option("--score", "-s", parser=_score, metavar="0-10",
                     help="add: how well you can do it now, 0 (unable) to 10 (as before).", show_default=False),
    ] = None,
    when_: WhenOption = None,
    fmt: Annotated[GoalFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")] = (
        GoalFormat.TABLE
    ),
    yes: Annotated[bool, typer.Option("--yes", "-y", help="remove: do not ask.")] = False,
) -> None:
    """Goals that matter to you: rate up to five hard activities 0-10 over time (PSFS).

    The Patient-Specific Functional Scale: name up to five activities your hip makes
    hard, rate each from 0 (unable to do it) to 10 (able to do it as before), and rate
    them again every week or two. A change of 2 points or more in the average is
    flagged as meaningful; hiprot report shows the trend.

    Examples:

    \b
      hiprot goal add "put on socks standing" --score 3
      hiprot goal add "get out of the car" --score 5
      hiprot goal score
      hiprot goal score 1=5 2=6 --when yesterday
      hiprot goal
      hiprot goal --format json
      hiprot goal remove 2 --yes
    """
    from hiprot.practice import goals as practice

    words = list(what or ())
    if action is not GoalAction.ADD and score is not None:
        raise typer.BadParameter("--score goes with 'goal add'; to rate again: hiprot goal score 1=5",
                                 param_hint="--score")  # fmt: skip
    if action is None:
        if words:
            raise typer.BadParameter("give an action first: add, score or remove.", param_hint="ACTION")
        _show(practice.goals_summary(), fmt)
        return
    if fmt is not GoalFormat.TABLE:
        raise typer.BadParameter("--format goes with 'hiprot goal' alone (the listing).", param_hint="--format")
    day = when(when_).date()
    if action is GoalAction.ADD:
        name = " ".join(words)
        if not name.strip():
            raise typer.BadParameter('name the activity, e.g. hiprot goal add "put on socks standing" --score 3',
                                     param_hint="TEXT")  # fmt: skip
        if score is None:
            raise typer.BadParameter("rate it now: --score 0 (unable) to 10 (as before).", param_hint="--score")
        added = practice.add_goal(name, score, day)
        typer.echo(f"Added activity {added.id}: {_shown(added.name)}, scored {score} on {day.isoformat()}.", err=True)
    elif action is GoalAction.SCORE:
        _rate(words, day)
    else:
        _remove(" ".join(words), day, yes)


def _show(summary: object, fmt: GoalFormat) -> None:
    from hiprot.psfs import Summary
    from hiprot.report import psfs as words

    assert isinstance(summary, Summary)
    if fmt is GoalFormat.JSON:
        import json

        sys.stdout.write(json.dumps(summary.to_dict(), indent=2, ensure_ascii=True) + "\n")
        return
    if summary.empty:
        typer.echo('No activities yet. Add one: hiprot goal add "put on socks standing" --score 3')
        return
    typer.echo(words.INTRO)
    for line in words.lines(summary, ids=True):
        typer.echo(line)


def _rate(words: list[str], day: object) -> None:
    from datetime import date

    from hiprot.practice import goals as practice

    assert isinstance(day, date)
    scores: dict[str, int] = {}
    if words:
        for word in words:
            key, sep, value = word.rpartition("=")
            if not sep or not key.strip():
                raise typer.BadParameter(f"{word!r}: give ACTIVITY=SCORE, such as 1=5 (see hiprot goal for numbers).",
                                         param_hint="TEXT")  # fmt: skip
            scores[key] = _score(value.strip())
    else:
        in_use = practice.goals_in_use()
        if not in_use:
            raise typer.BadParameter('there is nothing to rate yet: hiprot goal add "put on socks standing" --score 3',
                                     param_hint="ACTION")  # fmt: skip
        from hiprot.cli.ask import interactive

        if not interactive():
            raise typer.BadParameter("give the scores, e.g. hiprot goal score 1=5 2=6 (or run it at a terminal "
                                     "to be asked).", param_hint="TEXT")  # fmt: skip
        for activity in in_use:
            answer = _ask(f"{_shown(activity.name)}: 0 (unable) to 10 (as before)")
            if answer is not None:
                scores[str(activity.id)] = answer
        if not scores:
            typer.echo("Nothing was rated.", err=True)
            return
    rated, replaced = practice.rate_goals(day, scores)
    for activity in rated:
        again = " (replacing that day's earlier rating)" if activity.id in replaced else ""
        typer.echo(f"Rated {_shown(activity.name)} on {day.isoformat()}{again}.", err=True)
    from hiprot.report import psfs as text

    typer.echo(text.verdict(practice.goals_summary()))


def _ask(question: str) -> int | None:
    while True:
        try:
            answer = input(f"{question}, Enter to skip: ").strip()
        except EOFError:
            typer.echo()
            return None
        if not answer:
            return None
        if answer.isascii() and answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        typer.echo("A whole number from 0 (unable) to 10 (as before), or Enter to skip.", err=True)


def _remove(key: str, day: object, yes: bool) -> None:
    from datetime import date

    from hiprot.practice import goals as practice

    assert isinstance(day, date)
    if not key.strip():
        raise typer.BadParameter("say which activity: its number (see hiprot goal) or name.", param_hint="TEXT")
    activity = practice.find_activity(practice.goals_in_use(), key)
    what = f"activity {activity.id}: {_shown(activity.name)} (its ratings stay in your history)"
    if not yes:
        from hiprot.cli.ask import interactive

        if not interactive():
            raise typer.BadParameter(f"this would stop rating {what}; add --yes to confirm.", param_hint="--yes")
        if not typer.confirm(f"Stop rating {what}?", default=False, err=True):
            typer.echo("Nothing was changed.", err=True)
            return
    practice.remove_goal(str(activity.id), day)
    typer.echo(f"Stopped rating {what}.", err=True)


def _shown(name: str) -> str:
    from hiprot.text import visible

    return f"'{visible(name)}'"
