"""The plan as a cue sheet a person reads: steps, and under each the cues spoken during it."""

from __future__ import annotations

from collections.abc import Iterator

from audiocoach.coaching.plan import Plan
from audiocoach.coaching.schedule import PlacedCue
from audiocoach.units import clock


def cue_sheet(plan: Plan) -> str:
    """The plan as text: a header, each step with its cues, then any cue that found no room."""
    return "\n".join(_lines(plan)) + "\n"


def _lines(plan: Plan) -> Iterator[str]:
    yield plan.title
    yield _header(plan)
    cues = list(_fold_countdowns(plan.cues))
    i = 0
    for step in plan.steps:
        yield ""
        yield f"{clock(step.start_ms):>7}–{clock(step.end_ms):<7} {_describe(step)}"
        lines = list(_music_lines(plan, step.index))  # (at_ms, line): nothing without music
        while i < len(cues) and (cues[i][0] < step.end_ms or step is plan.steps[-1]):
            at_ms, kind, text = cues[i]
            lines.append((at_ms, f"  {clock(at_ms, 1):>9}  {kind:<9}  {text}"))
            i += 1
        yield from (line for _, line in sorted(lines, key=lambda entry: entry[0]))
    if plan.dropped:
        yield ""
        yield "dropped (no room to say them):"
        for d in plan.dropped:
            yield f"  {clock(d.at_ms, 1):>9}  {d.kind:<9}  {d.text}  — {d.reason}"


def _music_lines(plan: Plan, index: int) -> Iterator[tuple[int, str]]:
    """(time, line) of what plays under the coach in step `index` (nothing without music)."""
    if not plan.music:
        return
    for play in plan.music:
        if play.step_index == index:
            yield play.start_ms, f"  {clock(play.start_ms, 1):>9}  {'music':<9}  {play.describe()}"


def _header(plan: Plan) -> str:
    parts = [clock(plan.duration_ms), _count(len(plan.steps), "step"), _count(len(plan.cues), "cue")]
    cadences = sorted({s.cadence_spm for s in plan.steps if s.cadence_spm is not None})
    if cadences:
        low, high = round(cadences[0]), round(cadences[-1])
        parts.append(f"cadence {low} spm" if low == high else f"cadence {low}–{high} spm")
    return " · ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _describe(step) -> str:
    parts = [step.name, step.length_spoken]
    if step.target:
        parts.append(step.target)
    if step.cadence_spm is not None:
        parts.append(f"{step.cadence_spm:g} spm")
    return " · ".join(parts)


def _fold_countdowns(cues: tuple[PlacedCue, ...]) -> Iterator[tuple[int, str, str]]:
    """Numbers of one countdown are shown on one line: '3 · 2 · 1'."""
    run: list[PlacedCue] = []
    for cue in cues:
        if cue.kind == "countdown" and run and cue.step_index == run[-1].step_index:
            run.append(cue)
            continue
        if run:
            yield run[0].at_ms, "countdown", " · ".join(c.text for c in run)
            run = []
        if cue.kind == "countdown":
            run.append(cue)
        else:
            yield cue.at_ms, cue.kind, cue.text
    if run:
        yield run[0].at_ms, "countdown", " · ".join(c.text for c in run)
