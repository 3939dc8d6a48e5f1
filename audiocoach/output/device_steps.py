"""The plan as a watch or trainer sees it: steps with a kind, a length and a pace, and repeats.

The FIT, ZWO and intervals.icu writers all start from ``device_workout``; none walks the plan
itself. Lengths and paces come from the plan's timeline (``coaching.timeline.expand``), so an
exported step lasts exactly as long as ``audiocoach plan`` shows. Devices cannot nest repeats
(FIT and intervals.icu don't; a ZWO IntervalsT holds one on/off pair), so only innermost repeats
stay repeats: an outer repeat is written out round by round. A repeat with ``rest_between`` is
``N-1`` × (body + rest) followed by the body once, so the expanded sequence is the plan's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

from audiocoach.coaching.plan import Plan
from audiocoach.coaching.timeline import TimedStep
from audiocoach.language import ExerciseStep, RepeatStep, Workout
from audiocoach.language.paces import absolute_pace, runner_profile

__all__ = ["DeviceStep", "DeviceRepeat", "DeviceWorkout", "Item", "device_workout", "unrolled", "INTENSITY",
           "threshold_seconds_per_km", "named_kind", "with_kind"]

# The intensity each step kind has on a device (FIT's names; ZWO and icu group them the same way).
INTENSITY = {
    "warmup": "warmup", "cooldown": "cooldown", "rest": "rest", "jog": "recovery", "walk": "recovery",
    "run": "active", "stride": "active", "hill": "active", "stairs": "active", "exercise": "active",
}


def named_kind(name: str | None) -> str | None:
    """The step kind a name is: 'Warm-up' is warmup, 'Jog' is jog; None for any other name."""
    word = re.sub(r"[\s_-]", "", name or "").lower()
    return word if word in INTENSITY else None


def with_kind(name: str, kind: str, plain: str) -> str:
    """``name`` as a device shows it: 'Rep # of 8 (stride)' when neither the name nor the
    format's ``plain`` kind for the step says what kind it is."""
    named = named_kind(name)
    return name if named == kind or (named is None and kind == plain) else f"{name} ({kind})"


@dataclass(frozen=True)
class DeviceStep:
    """One step as a device runs it: ends after ``duration_ms`` or, when set, ``distance_m``."""
    kind: str
    name: str
    say: str | None
    duration_ms: int
    distance_m: float | None = None
    pace_s_per_km: float | None = None  # the runner's pace for this step, as the plan uses it
    cadence_spm: float | None = None
    effort: str | None = None
    cues: tuple[tuple[int, str], ...] = ()  # (ms from the step's start, text): read from a file, not written

    @property
    def intensity(self) -> str:
        return INTENSITY[self.kind]

    @property
    def speed_m_s(self) -> float | None:
        return None if self.pace_s_per_km is None else 1000 / self.pace_s_per_km


@dataclass(frozen=True)
class DeviceRepeat:
    """``count`` times through ``steps`` (device steps only: repeats never nest here)."""
    count: int
    steps: tuple[DeviceStep, ...]
    name: str | None = None


Item = Union[DeviceStep, DeviceRepeat]


@dataclass(frozen=True)
class DeviceWorkout:
    """A workout for a device: its title, description, items and the plan they came from."""
    title: str
    description: str | None
    sport_kind: str  # the workout's kind: intervals, core, …
    items: tuple[Item, ...]
    plan: Plan
    threshold_s_per_km: float | None  # the runner's T pace, when a mile or race is known

    @property
    def is_run(self) -> bool:
        return not any(s.kind == "exercise" for s in unrolled(self.items))


def unrolled(items: tuple[Item, ...]) -> Iterator[DeviceStep]:
    """Every step in the order it is run (repeats expanded): the plan's step sequence."""
    for item in items:
        if isinstance(item, DeviceRepeat):
            for _ in range(item.count):
                yield from item.steps
        else:
            yield item


def threshold_seconds_per_km(runner) -> float | None:
    """The runner's threshold (T) pace in s/km, or None without a runner's mile or race."""
    profile = runner_profile(runner)
    return None if profile is None else profile.zones["T"]


def device_workout(workout: Workout, plan: Plan) -> DeviceWorkout:
    """The plan's steps grouped back into the workout's (innermost) repeats."""
    timed = iter(plan.steps)
    items = tuple(_items(workout, workout.steps, timed))
    left = next(timed, None)
    assert left is None, f"invariant: the walk mirrors expand(), yet plan step {left} is left over"
    return DeviceWorkout(workout.title, workout.description, workout.kind, items, plan,
                         threshold_seconds_per_km(workout.runner))


def _items(workout: Workout, steps, timed: Iterator[TimedStep]) -> Iterator[Item]:
    for step in steps:
        if not isinstance(step, RepeatStep):
            yield _device_step(workout, step, next(timed))
        elif any(isinstance(s, RepeatStep) for s in step.steps):
            for rep in range(step.repeat):  # an outer repeat: written out round by round
                yield from _items(workout, step.steps, timed)
                if step.rest_between and rep < step.repeat - 1:
                    yield _rest_between(next(timed))
        else:
            yield from _innermost(workout, step, timed)


def _innermost(workout: Workout, repeat: RepeatStep, timed: Iterator[TimedStep]) -> Iterator[Item]:
    """One repeat of plain steps; with rest_between, (body + rest) N-1 times, then the body."""
    rounds = []
    for rep in range(repeat.repeat):
        body = [_device_step(workout, step, next(timed)) for step in repeat.steps]
        rounds.append(body)
        if repeat.rest_between and rep < repeat.repeat - 1:
            body.append(_rest_between(next(timed)))
    once = tuple(_same_text(step, [r[i] for r in rounds if i < len(r)]) for i, step in enumerate(rounds[0]))
    name = repeat.name
    if not repeat.rest_between:
        if repeat.repeat > 1:
            yield DeviceRepeat(repeat.repeat, once, name)
        else:
            yield from once
        return
    last = tuple(_same_text(step, [r[i] for r in rounds]) for i, step in enumerate(rounds[-1]))
    if repeat.repeat > 2:
        yield DeviceRepeat(repeat.repeat - 1, once, name)
    elif repeat.repeat == 2:
        yield from once
    yield from last


def _same_text(step: DeviceStep, occurrences: list[DeviceStep]) -> DeviceStep:
    """A repeated step's name and words as a device shows them on every pass: in text that counts
    reps, the count is ``#`` ('Rep 3 of 8' → 'Rep # of 8'), since one text stands for all passes."""
    names = {s.name for s in occurrences}
    says = {s.say for s in occurrences}
    if len(names) == 1 and len(says) == 1:
        return step
    name = _generic(step.name, occurrences, "name") or step.name
    return DeviceStep(step.kind, name, _generic(step.say, occurrences, "say"),
                      step.duration_ms, step.distance_m, step.pace_s_per_km, step.cadence_spm, step.effort)


def _generic(text: str | None, occurrences: list[DeviceStep], field: str) -> str | None:
    if text is None or len({getattr(s, field) for s in occurrences}) == 1:
        return text
    first, second = (getattr(s, field) for s in occurrences[:2])
    # Replace the words that change between the first and second time through by '#'.
    a, b = first.split(" "), second.split(" ")
    if len(a) != len(b):
        return text
    return " ".join(x if x == y else "#" + x.lstrip("0123456789") for x, y in zip(a, b))


def _device_step(workout: Workout, step, timed: TimedStep) -> DeviceStep:
    assert timed.kind == step.kind, f"invariant: the walk mirrors expand(), yet {timed} is not {step}"
    pace = None
    if not isinstance(step, ExerciseStep) and step.pace is not None:
        pace = absolute_pace(step.pace, workout.runner).seconds_per_km
    return DeviceStep(timed.kind, timed.name, timed.say, timed.duration_ms, timed.distance_m, pace,
                      timed.cadence_spm, timed.effort)


def _rest_between(timed: TimedStep) -> DeviceStep:
    return DeviceStep("rest", timed.name, timed.say, timed.duration_ms)
