"""Chapters a runner can skip between: the warm-up, each rep (with its recovery) or round, the cool-down.

Pure and cheap: computed from the plan's steps alone, in the plan's milliseconds, which are the
decoded MP3's milliseconds (the Info frame makes decoding sample-exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from audiocoach.coaching.phrases import short_distance
from audiocoach.output.tags import Chapter
from audiocoach.units import whole_seconds

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan

RECOVERY_KINDS = frozenset({"jog", "walk", "rest"})
MAX_CHAPTERS = 255  # an ID3 table of contents (CTOC) counts its entries in one byte


def chapters(plan: Plan) -> tuple[Chapter, ...]:
    """One chapter per block; together they cover the whole track, in order, without gaps.

    A recovery (jog, walk, rest) belongs to the block before it, so "Rep 3 of 8 — 400 m" spans
    the rep and its jog; every step of a circuit round belongs to its "Round r of n". The last
    chapter runs to the end of the track (the outro). Past MAX_CHAPTERS blocks, consecutive
    blocks share a chapter ("Rep 1 of 300 — 1 s to Rep 2 of 300 — 1 s"), evenly.
    """
    starts: list[tuple[str, int]] = []
    round_top = None  # the top-level repeat whose round is open
    for step in plan.steps:
        top = step.path[1] if len(step.path) > 1 else None
        if step.round_start is not None:
            round_top = top
            starts.append((plan.phrases.say("round", round=step.round_start[0], rounds=step.round_start[1]),
                           step.start_ms))
        elif round_top is not None and top == round_top:
            continue
        elif step.kind in RECOVERY_KINDS and starts:
            round_top = None
            continue
        else:
            round_top = None
            starts.append((title(step.name, step.distance_m, step.duration_ms), step.start_ms))
    ends = [start for _, start in starts[1:]] + [plan.duration_ms]
    return grouped(tuple(Chapter(name, start, end) for (name, start), end in zip(starts, ends)), MAX_CHAPTERS)


def grouped(found: Sequence[Chapter], most: int) -> tuple[Chapter, ...]:
    """At most `most` chapters: consecutive ones joined into groups of near-equal size, in order."""
    if len(found) <= most:
        return tuple(found)
    bounds = [len(found) * i // most for i in range(most + 1)]
    return tuple(_joined(found[a:b]) for a, b in zip(bounds, bounds[1:]))


def _joined(group: Sequence[Chapter]) -> Chapter:
    first, last = group[0], group[-1]
    name = first.title if len(group) == 1 else f"{first.title} to {last.title}"
    return Chapter(name, first.start_ms, last.end_ms)


def title(name: str, distance_m: float | None, duration_ms: int) -> str:
    """'Rep 3 of 8 — 400 m', 'Warm-up — 10 min', 'Hill 2 of 6 — 60 s'."""
    if distance_m is not None:
        return f"{name} — {short_distance(distance_m)}"
    return f"{name} — {short_time(duration_ms)}"


def short_time(ms: int) -> str:
    """'60 s', '10 min', '1:30' (minutes and seconds)."""
    seconds = whole_seconds(ms)
    if seconds <= 90:
        return f"{seconds} s"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


def describe(found: Sequence[Chapter]) -> str:
    return "\n".join(f"{c.start_ms / 1000:8.1f}–{c.end_ms / 1000:8.1f}  {c.title}" for c in found)
