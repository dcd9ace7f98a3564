"""The Patient-Specific Functional Scale in words, as data and in HTML: the `goal`
command's listing and the report's section render the same `psfs.Summary`."""

from __future__ import annotations

import html

from hiprot.psfs import MEANINGFUL_CHANGE, SCORE_MAX, Summary
from hiprot.text import visible

INTRO = (
    "Activities you find hard because of your hip, each rated from 0 (unable to do it) "
    f"to {SCORE_MAX} (able to do it as before)."
)


def verdict(summary: Summary) -> str:
    """One line on the average score's change, against the 2-point meaningful change."""
    first, latest, change = summary.first_average, summary.latest_average, summary.change
    if first is None or latest is None or change is None:
        if not summary.averages:
            return "No ratings yet."
        day, value = summary.averages[-1]
        return f"Average {value:.1f} of {SCORE_MAX} on {day.isoformat()}; rate again in a week or two to see a trend."
    count = len(summary.compared)
    over = "the activity rated more than once" if count == 1 else f"the {count} activities rated more than once"
    span = f"from {first:.1f} to {latest:.1f} over {over}"
    if summary.direction == "better":
        return f"Average up {change:+.1f} points, {span}: a meaningful improvement (2 points or more)."
    if summary.direction == "worse":
        return (f"Average down {change:+.1f} points, {span}: a meaningful worsening (2 points or more); "
                "talk it over with your physiotherapist or doctor.")  # fmt: skip
    return f"Average {span} ({change:+.1f}): under the {MEANINGFUL_CHANGE:g}-point change that counts as meaningful."


def lines(summary: Summary, ids: bool = False) -> list[str]:
    """Each activity with its first and latest score, then the verdict (plain text)."""
    if summary.empty:
        return ["No activities yet."]
    out = []
    for trend in summary.trends:
        activity = trend.activity
        name = visible(activity.name)
        label = f"{activity.id:>2}. {name}" if ids else name
        if activity.removed_on is not None:
            label += f" (not rated since {activity.removed_on.isoformat()})"
        scores = " → ".join(f"{r.score}" for r in trend.ratings[-6:])
        if len(trend.ratings) > 6:
            scores = "… → " + scores
        latest = trend.ratings[-1].rated_on.isoformat() if trend.ratings else "never"
        out.append(f"{label}: {scores} (latest {latest})")
    out.append(verdict(summary))
    return out


def markdown(summary: Summary) -> list[str]:
    """The report's Markdown section (a heading, a table, the verdict)."""
    out = ["## Goals that matter to you (PSFS)", "", INTRO, ""]
    if summary.empty:
        return [*out, "No activities yet.", ""]
    out += ["| Activity | First | Latest | Change | Ratings |", "|---|---|---|---|---|"]
    for t in summary.trends:
        name = _cell(t.activity.name) + (" (no longer rated)" if t.activity.removed_on else "")
        change = "" if t.change is None else f"{t.change:+d}"
        out.append(f"| {name} | {_score(t.first)} | {_score(t.latest)} | {change} | {len(t.ratings)} |")
    return [*out, "", verdict(summary), ""]


def html_section(summary: Summary) -> str:
    """The report's HTML section: a table and the verdict."""
    parts = ['<section class="psfs"><h2>Goals that matter to you (PSFS)</h2>', f"<p>{html.escape(INTRO)}</p>"]
    if summary.empty:
        parts.append("<p>No activities yet.</p></section>")
        return "".join(parts)
    parts.append("<table><thead><tr><th>Activity</th><th>First</th><th>Latest</th><th>Change</th>"
                 "<th>Scores, oldest first</th></tr></thead><tbody>")  # fmt: skip
    for t in summary.trends:
        name = html.escape(visible(t.activity.name))
        if t.activity.removed_on is not None:
            name += " <small>(no longer rated)</small>"
        change = "" if t.change is None else f"{t.change:+d}"
        scores = ", ".join(f"{r.score} ({r.rated_on:%d %b})" for r in t.ratings)
        parts.append(f"<tr><td>{name}</td><td>{_score(t.first)}</td><td>{_score(t.latest)}</td>"
                     f"<td>{change}</td><td>{html.escape(scores)}</td></tr>")  # fmt: skip
    flag = ' class="flag"' if summary.meaningful else ""
    parts.append(f"</tbody></table><p{flag}>{html.escape(verdict(summary))}</p></section>")
    return "".join(parts)


def _score(value: int | None) -> str:
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    return visible(text).replace("|", "\\|")
