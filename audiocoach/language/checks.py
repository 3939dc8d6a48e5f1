"""Checks that need more than one key: templates against their repeats, relative cadences and
paces against the runner, distances against paces, cue times against step lengths.

Each failure is a WorkoutError located through ``Workout.error``; all of them (up to
MAX_REPORTED, one per step) are raised together.

Limits keep every later stage fast and small whatever is typed; they are checked here by
arithmetic over the document, before any repeat is unrolled:

- at most MAX_DURATION_MS (12 hours) once repeats are unrolled;
- at most MAX_ROUNDS repetitions in all: a repeat nested in another counts once per outer
  round, so `repeat: 40` around `repeat: 30` is 40 + 1,200 (a single `repeat:` is capped at the
  same 1,000 by the model);
- at most MAX_STEPS steps once unrolled: 1,000 rounds of run-and-recover (the planner's cue
  scheduler slows down with the square of the cue count, so this also bounds planning time);
- repeats nested at most MAX_REPEAT_DEPTH deep;
- at most MAX_CUES_PER_STEP cues in a step and MAX_CUES once unrolled, prompts at most one
  every MIN_PROMPT_EVERY_MS, and spoken text at most MAX_SPOKEN_CHARS long: what the coach is
  asked to say is bounded, so planning (which measures every candidate) stays fast.
"""

from __future__ import annotations

from audiocoach.defaults import MAX_DURATION_MS
from audiocoach.errors import WorkoutError, raise_all
from audiocoach.language.model import RUNNING_KINDS, ExerciseStep, RepeatStep, Runner, RunningStep, Step, Workout
from audiocoach.language.paces import absolute_pace, runner_profile
from audiocoach.language.quantities import Distance, Pace, QuantityError, RelativePace, format_duration
from audiocoach.language.templates import repeat_depth_needed, template_variables
from audiocoach.language.yaml_source import Path

__all__ = ["check_workout", "step_duration_ms", "MAX_DURATION_MS", "MAX_ROUNDS", "MAX_STEPS", "MAX_REPEAT_DEPTH",
           "MAX_CUES_PER_STEP", "MAX_CUES", "MIN_PROMPT_EVERY_MS", "MAX_SPOKEN_CHARS", "bare_number_warnings"]

MAX_ROUNDS = 1_000
MAX_STEPS = 2_000
MAX_REPEAT_DEPTH = 8
MAX_SPLITS = 100
MAX_CUES_PER_STEP = 20
MAX_CUES = 4_000
MIN_PROMPT_EVERY_MS = 10_000
MAX_SPOKEN_CHARS = 300  # about 20 seconds of speech


def check_workout(workout: Workout) -> None:
    """Raise a WorkoutError for the cross-key problems in ``workout`` (all of them, one per step)."""
    errors: list[WorkoutError] = []
    _collect(errors, _check_workout_texts, workout)
    _check_steps(workout, workout.steps, ("steps",), depth=0, errors=errors)
    if not errors:
        _collect(errors, _check_size, workout)
    raise_all(errors)


def _collect(errors: list[WorkoutError], check, *args) -> None:
    try:
        check(*args)
    except WorkoutError as err:
        errors.append(err)


def _check_workout_texts(workout: Workout) -> None:
    """The texts the coach says that are not a step's: the title, mantras and last-rep words; and the prompts' pace."""
    _check_spoken(workout, workout.title, ("title",))
    for index, mantra in enumerate(workout.prompts.mantras):
        _check_spoken(workout, mantra, ("prompts", "mantras", index))
    _check_spoken(workout, workout.prompts.last_rep, ("prompts", "last_rep"))
    if workout.prompts.every < MIN_PROMPT_EVERY_MS:
        raise workout.error(("prompts", "every"), f"prompts every {format_duration(workout.prompts.every)} "
                            f"is more often than the coach can speak them (at most one every "
                            f"{format_duration(MIN_PROMPT_EVERY_MS)})", "write e.g. every: 45s")


def _check_spoken(workout: Workout, text: str | None, path: Path) -> None:
    if text is not None and len(text) > MAX_SPOKEN_CHARS:
        words = len(text.split())
        raise workout.error(path, f"this text is {len(text):,} characters ({words:,} words), more than the "
                            f"{MAX_SPOKEN_CHARS} a cue may say (about 20 seconds of speech)",
                            "shorten it, or split it into cues: [...] said through the step")


def step_duration_ms(step: RunningStep | ExerciseStep, runner: Runner | None = None) -> int | None:
    """How long a step lasts in ms for ``runner``; None for a distance with no pace (or no runner for it)."""
    if isinstance(step, ExerciseStep):
        return step.time
    length = step.length
    if isinstance(length, Distance):
        if step.pace is None or (isinstance(step.pace, RelativePace) and runner_profile(runner) is None):
            return None
        return absolute_pace(step.pace, runner).ms_for(length.metres)
    return length


def _check_steps(workout: Workout, steps: list[Step], path: Path, depth: int, errors: list[WorkoutError]) -> None:
    for index, step in enumerate(steps):
        here = path + (index,)
        if isinstance(step, RepeatStep):
            if depth >= MAX_REPEAT_DEPTH:
                errors.append(workout.error(
                    here + ("repeat",), f"repeats are nested more than {MAX_REPEAT_DEPTH} deep",
                    "flatten the inner repeats; a workout rarely needs more than 2 levels"))
                continue
            # A repeat's name is spoken once per round, so it sees its own count as {rep}.
            _collect(errors, _check_template, workout, step.name, here + ("name",), depth + 1)
            _check_steps(workout, step.steps, here + ("steps",), depth + 1, errors)
        else:
            _collect(errors, _check_step, workout, step, here, depth)


def _check_step(workout: Workout, step: RunningStep | ExerciseStep, path: Path, depth: int) -> None:
    if isinstance(step, RunningStep) and isinstance(step.length, Distance) and step.pace is None:
        raise workout.error(path + (step.kind,), f"{step.kind}: {step.length} needs a pace to become a time",
                            "add e.g. pace: 1:30/400m")
    if isinstance(step, RunningStep) and step.pace is not None:
        _check_pace(workout, step.pace, path + ("pace",))
    if step.cadence is not None and step.cadence.relative and not _runner_cadence(workout):
        raise workout.error(path + ("cadence",), f"cadence {step.cadence} is relative to the runner's cadence, "
                            "which is not given", "add runner: {cadence: 166}")
    _check_template(workout, step.name, path + ("name",), depth)
    _check_template(workout, step.say, path + ("say",), depth)
    if len(step.cues) > MAX_CUES_PER_STEP:
        raise workout.error(path + ("cues", MAX_CUES_PER_STEP), f"this step has {len(step.cues):,} cues, more "
                            f"than the {MAX_CUES_PER_STEP} a step can hold", "keep the few that matter most, "
                            "or split the step into shorter steps with their own cues")
    duration = step_duration_ms(step, workout.runner)
    if isinstance(step, RunningStep) and step.splits is not None:
        _check_splits(workout, step, path, duration)
    for index, cue in enumerate(step.cues):
        if isinstance(cue, str):
            _check_template(workout, cue, path + ("cues", index), depth)
            continue
        _check_template(workout, cue.say, path + ("cues", index, "say"), depth)
        if duration is not None and cue.at >= duration:
            at, end = format_duration(cue.at), format_duration(duration)
            raise workout.error(path + ("cues", index, "at"), f"cue at {at} comes after the step ends ({end})",
                                "'at' counts from the start of the step")


def _check_size(workout: Workout) -> None:
    """Refuse a workout too long or too big once unrolled, at the top-level step that crosses the limit."""
    total: tuple[int, ...] = (0, 0, 0, 0)  # duration ms, steps, rounds, cues
    for index, step in enumerate(workout.steps):
        total = tuple(a + b for a, b in zip(total, _totals(step, workout.runner)))
        duration_ms, steps, rounds, cues = total
        here = ("steps", index, step.kind)
        if duration_ms > MAX_DURATION_MS:
            raise workout.error(here, f"the workout lasts {format_duration(duration_ms)} by the end of this step, "
                                f"more than the {MAX_DURATION_MS // 3_600_000}-hour limit",
                                "split it into several workouts")
        if rounds > MAX_ROUNDS:
            raise workout.error(here, f"this makes {rounds:,} repetitions in all (nested repeats multiply), "
                                f"more than the limit of {MAX_ROUNDS:,}", "use fewer or shorter repeats")
        if steps > MAX_STEPS:
            raise workout.error(here, f"this makes {steps:,} steps once repeats are unrolled, "
                                f"more than the limit of {MAX_STEPS:,}", "use fewer repeats or longer steps")
        if cues > MAX_CUES:
            raise workout.error(here, f"this makes {cues:,} cues once repeats are unrolled, "
                                f"more than the limit of {MAX_CUES:,}", "give the repeated steps fewer cues")


def _totals(step: Step, runner: Runner | None) -> tuple[int, int, int, int]:
    """(duration in ms, steps, repetitions, cues) of `step` unrolled, by arithmetic (nothing is expanded)."""
    if not isinstance(step, RepeatStep):
        return step_duration_ms(step, runner) or 0, 1, 0, len(step.cues)
    duration_ms = steps = rounds = cues = 0
    for inner in step.steps:
        more = _totals(inner, runner)
        duration_ms, steps, rounds, cues = duration_ms + more[0], steps + more[1], rounds + more[2], cues + more[3]
    rests = step.repeat - 1 if step.rest_between else 0
    return (step.repeat * duration_ms + rests * (step.rest_between or 0), step.repeat * steps + rests,
            step.repeat * (1 + rounds), step.repeat * cues)


def _check_pace(workout: Workout, pace: Pace | RelativePace, path: Path) -> None:
    """A named pace needs the runner's performance, and must come to a pace a person can run."""
    try:
        absolute_pace(pace, workout.runner)
    except QuantityError as err:
        raise workout.error(path, err.message, err.hint) from None


def _check_splits(workout: Workout, step: RunningStep, path: Path, duration: int | None) -> None:
    """Split calls need a pace to place them, and fewer than MAX_SPLITS of them fit a step."""
    here = path + ("splits",)
    if step.pace is None:
        raise workout.error(here, "splits need a pace to know when the runner passes each mark",
                            "add a pace, e.g. pace: mile or pace: 1:32/400m")
    if step.splits is None:
        return
    metres = step.splits.metres
    if isinstance(step.length, Distance) and metres >= step.length.metres:
        raise workout.error(here, f"splits of {step.splits} do not fit in {step.length}",
                            "give a shorter split, e.g. splits: 100m")
    # a pace in seconds per km is also milliseconds per metre
    if isinstance(step.length, Distance):
        covered = step.length.metres
    elif duration is not None:
        covered = duration / absolute_pace(step.pace, workout.runner).seconds_per_km
    else:
        return
    if covered / metres > MAX_SPLITS:
        raise workout.error(here, f"splits of {step.splits} make more than {MAX_SPLITS} calls in this step",
                            "give a longer split, e.g. splits: 1km")


def _runner_cadence(workout: Workout) -> bool:
    return workout.runner is not None and workout.runner.cadence is not None


def _check_template(workout: Workout, text: str | None, path: Path, depth: int) -> None:
    if not text:
        return
    _check_spoken(workout, text, path)
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


BARE_NUMBER_BELOW = 10  # `jog: 2` is read as seconds, but most likely meant minutes


def bare_number_warnings(workout: Workout) -> list[WorkoutError]:
    """A located warning for each step whose length (or ``time:``) is a bare number under 10:
    it is read as seconds, and the writer may have meant minutes."""
    data = workout._source.data if workout._source is not None else None
    found: list[WorkoutError] = []
    if isinstance(data, dict):
        _bare_numbers(workout, data.get("steps"), ("steps",), found)
    return found


def _bare_numbers(workout: Workout, steps, path: Path, found: list[WorkoutError]) -> None:
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict):
            continue
        here = path + (index,)
        _bare_numbers(workout, step.get("steps"), here + ("steps",), found)
        for key, value in step.items():
            if (key in RUNNING_KINDS or key == "time") and type(value) in (int, float) \
                    and 0 < value < BARE_NUMBER_BELOW:
                number = f"{value:g}"
                found.append(workout.error(here + (key,), f"'{key}: {number}' is read as {number} seconds",
                                           f"{number} → {number}s? {number}min? write the unit"))
