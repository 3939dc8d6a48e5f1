"""Checks that need more than one key: templates against their repeats, relative cadence
against the runner, distances against paces, cue times against step lengths.

Each failure is a WorkoutError located through ``Workout.error``; the first one is raised.
"""

from __future__ import annotations

from audiocoach.language.model import ExerciseStep, RepeatStep, RunningStep, Step, Workout
from audiocoach.language.quantities import Distance, format_duration
from audiocoach.language.templates import repeat_depth_needed, template_variables
from audiocoach.language.yaml_source import Path

__all__ = ["check_workout", "step_duration_ms"]


def check_workout(workout: Workout) -> None:
    """Raise a WorkoutError for the first cross-key problem in ``workout``."""
    _check_steps(workout, workout.steps, ("steps",), depth=0)


def step_duration_ms(step: RunningStep | ExerciseStep) -> int | None:
    """How long a step lasts in ms; None for a distance with no pace."""
    if isinstance(step, ExerciseStep):
        return step.time
    length = step.length
    if isinstance(length, Distance):
        return step.pace.ms_for(length.metres) if step.pace else None
    return length


def _check_steps(workout: Workout, steps: list[Step], path: Path, depth: int) -> None:
    for index, step in enumerate(steps):
        here = path + (index,)
        if isinstance(step, RepeatStep):
            # A repeat's name is spoken once per round, so it sees its own count as {rep}.
            _check_template(workout, step.name, here + ("name",), depth + 1)
            _check_steps(workout, step.steps, here + ("steps",), depth + 1)
        else:
            _check_step(workout, step, here, depth)


def _check_step(workout: Workout, step: RunningStep | ExerciseStep, path: Path, depth: int) -> None:
    if isinstance(step, RunningStep) and isinstance(step.length, Distance) and step.pace is None:
        raise workout.error(path + (step.kind,), f"{step.kind}: {step.length} needs a pace to become a time",
                            "add e.g. pace: 1:30/400m")
    if step.cadence is not None and step.cadence.relative and not _runner_cadence(workout):
        raise workout.error(path + ("cadence",), f"cadence {step.cadence} is relative to the runner's cadence, "
                            "which is not given", "add runner: {cadence: 166}")
    _check_template(workout, step.name, path + ("name",), depth)
    _check_template(workout, step.say, path + ("say",), depth)
    duration = step_duration_ms(step)
    for index, cue in enumerate(step.cues):
        if isinstance(cue, str):
            _check_template(workout, cue, path + ("cues", index), depth)
            continue
        _check_template(workout, cue.say, path + ("cues", index, "say"), depth)
        if duration is not None and cue.at >= duration:
            at, end = format_duration(cue.at), format_duration(duration)
            raise workout.error(path + ("cues", index, "at"), f"cue at {at} comes after the step ends ({end})",
                                "'at' counts from the start of the step")


def _runner_cadence(workout: Workout) -> bool:
    return workout.runner is not None and workout.runner.cadence is not None


def _check_template(workout: Workout, text: str | None, path: Path, depth: int) -> None:
    if not text:
        return
    variables = template_variables(text)
    needed = repeat_depth_needed(variables)
    if needed <= depth:
        return
    if needed == 1:
        shown = "{" + next(v for v in variables if v in ("rep", "reps")) + "}"
        raise workout.error(path, f"{shown} is only known inside a repeat",
                            f"put this step inside 'repeat: N', or take {shown} out")
    shown = "{" + next(v for v in variables if v in ("round", "rounds")) + "}"
    raise workout.error(path, f"{shown} needs a repeat inside a repeat",
                        "{round} counts the outer of two nested repeats; inside one repeat use {rep}")
