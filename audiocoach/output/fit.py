"""A FIT workout file (``.fit``) for a watch, written with fit-tool (BSD-3).

One workout step per device step: its intensity, a duration by time or by distance, a speed
range around the runner's pace (± ``SPEED_BAND``), a cadence range where the step has one, the
step's name and its ``say`` as notes. Repeats are FIT repeat steps; an exercise station is a timed
step with the exercise's name. The file is the same bytes on every machine: no clock is read.
"""

from __future__ import annotations

import zlib

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from audiocoach.output.device_steps import (
    DeviceRepeat,
    DeviceStep,
    DeviceWorkout,
    with_kind,
)

__all__ = ["fit_bytes", "SPEED_BAND", "CADENCE_BAND_SPM", "kind_tag", "DEFAULT_KIND"]

SPEED_BAND = 0.03  # the speed target is the runner's speed ± 3 % (about ± 7 s/km at 4:00/km)
CADENCE_BAND_SPM = 2  # a cadence target is the step's cadence ± 2 steps per minute
FIT_EPOCH_MS = 631_065_600_000  # 1989-12-31 00:00 UTC, FIT's time zero: a fixed time_created
NAME_BYTES = 48  # watches show short names; longer text goes in the notes
NOTES_BYTES = 200

# The kind an importer reads from an intensity; any other kind is named in the step's name.
DEFAULT_KIND = {"warmup": "warmup", "cooldown": "cooldown", "rest": "rest", "recovery": "jog", "active": "run"}


def kind_tag(step: DeviceStep) -> str:
    """The step's name as a device shows it: with '(stride)' when its kind isn't its intensity's default."""
    return with_kind(step.name, step.kind, DEFAULT_KIND[step.intensity])


def fit_bytes(workout: DeviceWorkout) -> bytes:
    """The FIT workout file of ``workout``: file id, workout, one step per step, repeat steps."""
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = FIT_EPOCH_MS
    file_id.serial_number = zlib.crc32(workout.title.encode("utf-8")) or 1
    steps = _steps(workout)
    message = WorkoutMessage()
    message.workout_name = _clip(workout.title, NAME_BYTES)
    message.sport = Sport.RUNNING if workout.is_run else Sport.TRAINING
    message.num_valid_steps = len(steps)
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    builder.add(file_id)
    builder.add(message)
    builder.add_all(steps)
    return builder.build().to_bytes()


def _steps(workout: DeviceWorkout) -> list:
    messages: list = []
    for item in workout.items:
        if isinstance(item, DeviceRepeat):
            first = len(messages)
            messages += [_step(step, len(messages) + i) for i, step in enumerate(item.steps)]
            messages.append(_repeat(item, first, len(messages)))
        else:
            messages.append(_step(item, len(messages)))
    return messages


def _step(step: DeviceStep, index: int):
    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = _clip(kind_tag(step), NAME_BYTES)
    message.intensity = getattr(Intensity, step.intensity.upper())
    if step.distance_m is not None:
        message.duration_type = WorkoutStepDuration.DISTANCE
        message.duration_distance = step.distance_m
    else:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = step.duration_ms / 1000
    cadence = None if step.cadence_spm is None else _cadence_range(step.cadence_spm)
    if step.speed_m_s is not None:
        message.target_type = WorkoutStepTarget.SPEED
        message.target_value = 0  # 0: a custom range, not a zone
        message.custom_target_speed_low = step.speed_m_s * (1 - SPEED_BAND)
        message.custom_target_speed_high = step.speed_m_s * (1 + SPEED_BAND)
        if cadence is not None:
            message.secondary_target_type = WorkoutStepTarget.CADENCE
            message.secondary_target_value = 0
            message.secondary_custom_target_cadence_low, message.secondary_custom_target_cadence_high = cadence
    elif cadence is not None:
        message.target_type = WorkoutStepTarget.CADENCE
        message.target_value = 0
        message.custom_target_cadence_low, message.custom_target_cadence_high = cadence
    else:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    if step.say:
        message.notes = _clip(step.say, NOTES_BYTES)
    return message


def _cadence_range(spm: float) -> tuple[int, int]:
    middle = round(spm)
    return middle - CADENCE_BAND_SPM, middle + CADENCE_BAND_SPM


def _repeat(item: DeviceRepeat, first: int, index: int):
    message = WorkoutStepMessage()
    message.message_index = index
    if item.name:
        message.workout_step_name = _clip(item.name, NAME_BYTES)
    message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    message.duration_step = first
    message.target_repeat_steps = item.count  # how many times through, in all
    return message


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes on a character boundary."""
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[: limit - 3].decode("utf-8", "ignore") + "..."
