"""Place cue candidates on the clock so that no two spoken cues ever overlap."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from audiocoach.coaching.cues import GAP_MS, Candidate, Measure
from audiocoach.units import clock


@dataclass(frozen=True, order=True)
class PlacedCue:
    """A cue as it will sound: speech from `at_ms` to `end_ms`."""

    at_ms: int
    end_ms: int
    kind: str
    text: str  # as written: the cue sheet, LRC, chapters and JSON show this
    step_index: int | None = None
    spoken: str = ""  # what the voice says; its length is `end_ms - at_ms`


@dataclass(frozen=True)
class DroppedCue:
    """A cue that found no room, and why."""

    at_ms: int
    kind: str
    text: str
    reason: str
    earliest_ms: int = 0
    step_index: int | None = None
    spoken: str = ""  # what the voice would have said


def schedule(
    wanted: Iterable[Candidate], measure: Measure, track_end_ms: int
) -> tuple[tuple[PlacedCue, ...], tuple[DroppedCue, ...]]:
    """Place cues by priority (then time); a cue that collides moves earlier within its window, or drops."""
    placed: list[PlacedCue] = []
    starts: list[int] = []  # placed[i].at_ms, kept beside for bisection
    dropped: list[DroppedCue] = []
    for cue in sorted(wanted, key=lambda c: (c.priority, c.at_ms)):
        length = measure(cue.spoken or cue.text)
        latest = min(cue.at_ms, track_end_ms - length)  # the track's end pushes a cue earlier too
        earliest = max(cue.earliest_ms, 0)
        at, blocker = _latest_free(placed, starts, latest, length, GAP_MS + cue.clearance_ms, earliest)
        if at >= earliest and at + length <= track_end_ms:
            i = bisect_left(starts, at)
            starts.insert(i, at)
            placed.insert(i, PlacedCue(at, at + length, cue.kind, cue.text, cue.step_index,
                                           cue.spoken or cue.text))
        else:
            why = _why(cue, blocker, track_end_ms)
            dropped.append(DroppedCue(cue.at_ms, cue.kind, cue.text, why, cue.earliest_ms, cue.step_index,
                                      cue.spoken or cue.text))
    return tuple(placed), tuple(sorted(dropped, key=lambda d: d.at_ms))


def _latest_free(
    placed: list[PlacedCue], starts: list[int], at: int, length: int, gap: int, earliest: int
) -> tuple[int, PlacedCue | None]:
    """The latest start no later than `at` where `length` ms fit between placed cues, `gap` clear of each.

    The search stops once it passes `earliest` (the result is then below it: no room), so a
    crowded track costs each cue only the cues inside its own window.

    Placed cues never overlap, so their ends are sorted like their starts: only the last cue
    starting before the candidate's end can collide with it.
    """
    blocker = None
    while at >= earliest:
        i = bisect_left(starts, at + length + gap)
        if i == 0 or placed[i - 1].end_ms + gap <= at:
            return at, blocker
        blocker = blocker or placed[i - 1]  # the one in the way at the wanted time explains a drop
        at = placed[i - 1].at_ms - gap - length
    return at, blocker


def _why(cue: Candidate, blocker: PlacedCue | None, track_end_ms: int) -> str:
    if blocker is None:
        return "does not fit before the end of the track" if cue.at_ms >= track_end_ms else "no room"
    return f"no room beside the {blocker.kind} at {clock(blocker.at_ms, 1)}"
