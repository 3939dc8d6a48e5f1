"""overview.html: a programme at a glance, week by week: minutes and hard minutes, by kind of session.

One page, no script and no external file. A hard minute is a minute of a step run hard or at
full effort (``effort: hard`` or ``max``), of a stride, a hill or a stair climb, or of a step
with a target pace (a distance at a pace); warm-ups, jogs, walks, rests, easy and steady
running, and exercises are not hard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan

__all__ = ["SessionLoad", "hard_ms", "overview_html"]

_HARD_KINDS = ("stride", "hill", "stairs")
_EASY = ("easy", "steady")


@dataclass(frozen=True)
class SessionLoad:
    """One session's share of its week."""

    week: int
    kind: str  # the workout's kind: intervals, hills, core…
    title: str
    minutes: float
    hard_minutes: float


def hard_ms(plan: Plan) -> int:
    """How long the plan's hard steps last (the rule is in the module's docstring)."""
    total = 0
    for step in plan.steps:
        if step.kind in ("warmup", "cooldown", "jog", "walk", "rest", "exercise") or step.effort in _EASY:
            continue
        if step.effort in ("hard", "max") or step.kind in _HARD_KINDS or step.distance_m is not None:
            total += step.end_ms - step.start_ms
    return total


def overview_html(title: str, who: str | None, loads: Sequence[SessionLoad]) -> str:
    """The page: a table per week (sessions, minutes, hard minutes) under bars of each week's totals by kind."""
    weeks = sorted({s.week for s in loads})
    kinds = sorted({s.kind for s in loads})
    most = max((sum(s.minutes for s in loads if s.week == w) for w in weeks), default=1.0) or 1.0
    rows = [_week_row(w, [s for s in loads if s.week == w], kinds, most) for w in weeks]
    legend = " ".join(f'<span class="k k{i}">{escape(k)}</span>' for i, k in enumerate(kinds))
    heading = escape(title) + (f" — {escape(who)}" if who else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{heading}</title>
<style>
body{{font-family:sans-serif;max-width:46em;margin:1em auto;padding:0 1em}}
table{{border-collapse:collapse;width:100%}} td,th{{padding:.2em .4em;text-align:left;vertical-align:top}}
td.n{{text-align:right;white-space:nowrap}} .bar{{display:flex;height:1em;background:#eee}}
.k{{display:inline-block;padding:0 .3em;color:#fff}} .bar .k{{padding:0}}
{_colours(len(kinds))}
</style></head><body>
<h1>{heading}</h1>
<p>Minutes each week, by kind of session: {legend}. Hard minutes: strides, hills, stairs,
paced reps and steps run hard.</p>
<table><tr><th>week</th><th class="n">minutes</th><th class="n">hard</th><th>by kind</th><th>sessions</th></tr>
{"".join(rows)}</table>
</body></html>
"""


def _week_row(week: int, loads: list[SessionLoad], kinds: list[str], most: float) -> str:
    minutes = sum(s.minutes for s in loads)
    hard = sum(s.hard_minutes for s in loads)
    bars = "".join(f'<span class="k k{i}" style="width:{100 * m / most:.1f}%" title="{escape(k)}: {m:.0f} min">'
                   f"</span>" for i, k in enumerate(kinds) if (m := _minutes(loads, k)))
    names = "<br>".join(f"{escape(s.title)} ({s.minutes:.0f}′, {s.hard_minutes:.0f}′ hard)" for s in loads)
    return (f'<tr><td>{week}</td><td class="n">{minutes:.0f}</td><td class="n">{hard:.0f}</td>'
            f'<td style="width:30%"><div class="bar">{bars}</div></td><td>{names}</td></tr>\n')


def _minutes(loads: Iterable[SessionLoad], kind: str) -> float:
    return sum(s.minutes for s in loads if s.kind == kind)


_PALETTE = ("#1b6ca8", "#d1495b", "#2a9d8f", "#e9a03b", "#6a4c93", "#5c946e", "#8d6e63", "#455a64")


def _colours(count: int) -> str:
    return " ".join(f".k{i}{{background:{_PALETTE[i % len(_PALETTE)]}}}" for i in range(count))
