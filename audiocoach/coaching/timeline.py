"""Expand a workout's (nested) repeats into a flat, timed list of steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from audiocoach.coaching.announce import DEFAULT, Announcements
from audiocoach.coaching.phrases import ENGLISH, Phrases, short_distance
from audiocoach.errors import WorkoutError
from audiocoach.language import Distance, ExerciseStep, Pace, RepeatStep, RunningStep, Workout
from audiocoach.language.paces import absolute_pace
from audiocoach.language.templates import render_template
from audiocoach.units import MILE_M, clock, clock_seconds

WORK_KINDS = frozenset({"run", "stride", "hill", "stairs", "exercise"})
RECOVERY_KINDS = frozenset({"jog", "walk", "rest"})
SPLIT_END_GAP_MS = 5_000  # no split call this close to the end: the countdown has the last seconds


@dataclass(frozen=True)
class TimedStep:
    """One step of the expanded workout, placed on the track's clock."""

    index: int
    kind: str
    name: str
    start_ms: int
    end_ms: int
    path: tuple[str | int, ...]
    cadence_spm: float | None = None
    target: str | None = None  # shown: "1:36 for 400 m", "4:10/km", "easy"
    distance_m: float | None = None  # for a distance step, the distance run
    length_spoken: str = ""  # "400 metres", "10 minutes"
    target_spoken: str | None = None  # "aim for 1 minute 36"
    say: str | None = None
    cues: tuple[tuple[int | None, str], ...] = ()  # (offset ms, text); None = spread evenly
    splits: tuple[tuple[int, str], ...] = ()  # (offset ms, words): the mark a runner on pace passes then
    effort: str | None = None
    prompts: bool = True
    sides: bool = False
    in_repeat: bool = False
    last_rep: bool = False
    round_start: tuple[int, int] | None = None  # (round, rounds) when a circuit's round begins here
    announce: Announcements = DEFAULT
    values: dict[str, int] = field(default_factory=dict)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    @property
    def is_recovery(self) -> bool:
        return self.kind in RECOVERY_KINDS


@dataclass(frozen=True)
class _Visit:
    """A step reached while walking the document, with its repeat context."""

    step: RunningStep | ExerciseStep | _RestBetween  # a repeat is walked into, never visited
    path: tuple[str | int, ...]
    values: dict[str, int]
    last: bool  # every enclosing repeat is on its last time through
    announce: Announcements
    round_start: tuple[int, int] | None = None


def expand(
    workout: Workout, runner_cadence: float | None = None, phrases: Phrases = ENGLISH
) -> tuple[TimedStep, ...]:
    """The workout's steps, repeats unrolled, each with start and end on the track clock."""
    if runner_cadence is None and workout.runner is not None:
        runner_cadence = workout.runner.cadence
    steps: list[TimedStep] = []
    start_ms = 0
    announce = DEFAULT.over(workout.announce)
    for visit in _walk(workout.steps, ("steps",), {}, True, announce):
        step = _timed(workout, visit, len(steps), start_ms, runner_cadence, phrases)
        steps.append(step)
        start_ms = step.end_ms
    return _mark_last_reps(steps)


def _walk(steps, path, values, last, announce: Announcements) -> Iterator[_Visit]:
    for i, step in enumerate(steps):
        step_path = (*path, i)
        if isinstance(step, RepeatStep):
            yield from _walk_repeat(step, step_path, values, last, announce.over(step.announce))
        else:
            yield _Visit(step, step_path, values, last, announce)


def _walk_repeat(step: RepeatStep, path, outer: dict[str, int], last: bool, announce) -> Iterator[_Visit]:
    for rep in range(1, step.repeat + 1):
        values = {"rep": rep, "reps": step.repeat}
        if "rep" in outer:
            values |= {"round": outer["rep"], "rounds": outer["reps"]}
        visits = _walk(step.steps, (*path, "steps"), values, last and rep == step.repeat, announce)
        if _has_rounds(step) and step.repeat > 1:
            first = next(visits)
            yield replace(first, round_start=(rep, step.repeat))  # the outer round wins over an inner one
        yield from visits
        if step.rest_between and rep < step.repeat:
            yield _Visit(_RestBetween(step.rest_between), (*path, "rest_between"), values, False, announce)


def _has_rounds(step: RepeatStep) -> bool:
    """A circuit (several work steps) or a repeat of repeats goes in rounds; '8 × 400 + jog' goes in reps."""
    work = [s for s in step.steps if isinstance(s, RepeatStep) or s.kind in WORK_KINDS]
    return len(work) > 1 or any(isinstance(s, RepeatStep) for s in step.steps)


@dataclass(frozen=True)
class _RestBetween:
    """The rest a repeat puts between its rounds."""

    duration_ms: int
    kind: str = "rest"


def _timed(workout: Workout, visit: _Visit, index: int, start_ms: int, runner_cadence, phrases) -> TimedStep:
    step, values = visit.step, visit.values
    if isinstance(step, _RestBetween):
        return TimedStep(
            index=index, kind="rest", name=phrases.say("kind.rest"), start_ms=start_ms,
            end_ms=start_ms + step.duration_ms, path=visit.path, announce=visit.announce,
            length_spoken=phrases.duration(step.duration_ms), values=values, in_repeat=True,
        )
    pace = None if isinstance(step, ExerciseStep) or step.pace is None else absolute_pace(step.pace, workout.runner)
    duration_ms, length_spoken, target, target_spoken = _length(step, pace, workout.units, phrases)
    announce = visit.announce.over(step.announce)
    if step.countdown is not None:
        announce = replace(announce, countdown=step.countdown)

    def render(text: str | None) -> str | None:
        return None if text is None else render_template(text, values)

    length = getattr(step, "length", None)

    return TimedStep(
        index=index,
        kind=step.kind,
        name=render(step.name) or _default_name(step, values, phrases),
        start_ms=start_ms,
        end_ms=start_ms + duration_ms,
        path=visit.path,
        cadence_spm=_cadence(workout, step, visit.path, runner_cadence),
        distance_m=length.metres if isinstance(length, Distance) else None,
        target=target or (step.effort and phrases.say(f"effort.{step.effort}")),
        length_spoken=length_spoken,
        target_spoken=target_spoken,
        say=render(step.say),
        cues=tuple(_cue(c, render) for c in step.cues),
        splits=_splits(step, pace, duration_ms, workout.units, phrases),
        effort=step.effort,
        prompts=step.prompts,
        sides=isinstance(step, ExerciseStep) and step.sides,
        in_repeat=bool(values),
        last_rep=visit.last and bool(values),
        round_start=visit.round_start,
        announce=announce,
        values=values,
    )


def _length(step, pace: Pace | None, units: str, phrases: Phrases) -> tuple[int, str, str | None, str | None]:
    """Duration in ms, the length as spoken, and the pace target shown and spoken, at the runner's `pace`."""
    if isinstance(step, ExerciseStep):
        return step.time, phrases.duration(step.time), None, None
    length = step.length
    if isinstance(length, Distance):
        if pace is None:  # the checks refuse this before planning; said again for a Workout built in code
            raise WorkoutError(f"the {step.kind} of {length} has no pace", hint="give it a pace, or a time")
        duration_ms = pace.ms_for(length.metres)
        shown = f"{clock(duration_ms)} for {short_distance(length.metres)}"
        aim = phrases.say("aim", time=phrases.split_time(duration_ms / 1000))
        return duration_ms, phrases.distance(length.metres, units), shown, aim
    if pace is None:
        return length, phrases.duration(length), None, None
    at_pace = phrases.say("at_pace", pace=phrases.pace(pace.seconds_per_km, units))
    return length, phrases.duration(length), _shown_pace(step.pace, pace, units), at_pace


def _shown_pace(written, pace, units: str) -> str:
    """'4:10/km' as written; a named pace with what it is for this runner: 'T (7:05/mi)'."""
    if isinstance(written, Pace):
        return written.text
    per = "mi" if units == "imperial" else "km"
    return f"{written} ({clock_seconds(pace.seconds_per_km * (MILE_M if per == 'mi' else 1000) / 1000)}/{per})"


def _splits(step, pace: Pace | None, duration_ms: int, units: str, phrases: Phrases) -> tuple[tuple[int, str], ...]:
    """(offset ms, words) of each split call: every `splits` metres, when the runner on `pace` is there."""
    every = getattr(step, "splits", None)
    if every is None or pace is None:  # splits need a pace: the checks refuse them without one
        return ()
    marks = []
    metres = every.metres
    while (offset := pace.ms_for(metres)) < duration_ms - SPLIT_END_GAP_MS:
        marks.append((offset, phrases.say("split", mark=phrases.mark(metres, every.metres, units),
                                          time=phrases.split_time(offset / 1000))))
        metres += every.metres
    return tuple(marks)


def _cadence(workout: Workout, step, path, runner_cadence: float | None) -> float | None:
    cadence = step.cadence
    if cadence is None:
        return None
    if cadence.spm is not None:
        return float(cadence.spm)
    if runner_cadence is None:
        raise workout.error(
            (*path, "cadence"),
            f"cadence {cadence.percent:+g}% is relative to the runner's cadence, and none is set",
            "add runner: {cadence: 166}, or give an absolute cadence like 170",
        )
    return round(runner_cadence * (1 + cadence.percent / 100), 1)


def _default_name(step, values: dict[str, int], phrases: Phrases) -> str:
    if isinstance(step, ExerciseStep):
        return step.exercise
    if values and step.kind in WORK_KINDS:
        key = f"rep.{step.kind}" if phrases.has(f"rep.{step.kind}") else "rep"
        return phrases.say(key, **values)
    return phrases.say(f"kind.{step.kind}")


def _cue(cue, render) -> tuple[int | None, str]:
    if isinstance(cue, str):
        return None, render(cue)
    return cue.at, render(cue.say)


def _mark_last_reps(steps: list[TimedStep]) -> tuple[TimedStep, ...]:
    """The last rep of each top-level repeat is its final work step on the final time through."""
    last_of_block = {s.path[:2]: s.index for s in steps if s.last_rep and s.is_work}
    lasts = set(last_of_block.values())
    return tuple(replace(s, last_rep=s.index in lasts) if s.last_rep else s for s in steps)
