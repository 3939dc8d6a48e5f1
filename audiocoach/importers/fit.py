"""A FIT workout file read with fit-tool: file id, workout and workout steps back to device steps.

A step's place is given as ``step N`` (its message index, from 0, as FIT numbers them); a
problem with the file as a whole (not FIT, a bad CRC, an activity) names the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from fit_tool.exceptions import FitError
from fit_tool.fit_file import FitFile
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    WorkoutStepDuration,
    WorkoutStepTarget,
)
from fit_tool.utils.crc import crc16

from audiocoach.errors import WorkoutError
from audiocoach.importers.imported import Imported
from audiocoach.output.device_steps import INTENSITY, DeviceRepeat, DeviceStep, named_kind
from audiocoach.output.fit import DEFAULT_KIND

__all__ = ["read_fit"]

_TAG = re.compile(r"^(?P<name>.*) \((?P<kind>[a-z]+)\)$")


def read_fit(raw: bytes, filename: str, runner=None) -> Imported:
    """The workout in a FIT file's bytes; a located WorkoutError for anything but a valid workout."""
    _check_crc(raw, filename)
    try:
        fit = FitFile.from_bytes(raw)
    except FitError as err:
        raise _unreadable(filename, f"it is not a readable FIT file ({err})") from None
    messages = [record.message for record in fit.records if type(record.message).__name__ != "DefinitionMessage"]
    _check_workout_file(messages, filename)
    workout = next((m for m in messages if type(m).__name__ == "WorkoutMessage"), None)
    steps = [m for m in messages if type(m).__name__ == "WorkoutStepMessage"]
    if workout is None or not steps:
        raise WorkoutError("the FIT file holds no workout steps", file=filename,
                           hint="export the workout (not a course or a schedule) from the watch or the site")
    imported = Imported(title=workout.workout_name or _stem(filename), source_format="FIT workout", items=[])
    imported.items = _items(steps, imported)
    return imported


def _check_crc(raw: bytes, filename: str) -> None:
    """FIT's framing and CRCs, checked before anything is parsed, so damage is named as damage."""
    if len(raw) < 14 or raw[8:12] != b".FIT" or raw[0] not in (12, 14):
        raise _unreadable(filename, "it is not a FIT file (no '.FIT' header)")
    header_size, data_size = raw[0], int.from_bytes(raw[4:8], "little")
    end = header_size + data_size
    if len(raw) < end + 2:
        raise _unreadable(filename, f"it is cut short ({len(raw)} bytes of {end + 2})")
    header_crc = int.from_bytes(raw[12:14], "little") if header_size == 14 else 0
    if (header_crc and crc16(raw[:12]) != header_crc) or crc16(raw[:end]) != int.from_bytes(raw[end:end + 2], "little"):
        raise _unreadable(filename, "its CRC does not match its contents: the file is damaged")


def _unreadable(filename: str, what: str) -> WorkoutError:
    return WorkoutError(f"can't read the FIT file: {what}", file=filename,
                        hint="copy the workout file from the watch or the site again")


def _check_workout_file(messages: list, filename: str) -> None:
    file_id = next((m for m in messages if type(m).__name__ == "FileIdMessage"), None)
    file_type = None if file_id is None else file_id.type
    if file_type != FileType.WORKOUT.value and file_type != FileType.WORKOUT:
        name = next((t.name.lower() for t in FileType if t.value == file_type or t == file_type), "unknown")
        raise WorkoutError(f"this FIT file is an {name} file, not a workout" if name[0] in "aeiou" else
                           f"this FIT file is a {name} file, not a workout", file=filename,
                           hint="import a planned workout: export it from Garmin Connect or intervals.icu as .fit")


def _items(messages: list, imported: Imported) -> list:
    items: list = []
    by_index: dict[int, int] = {}  # FIT message index -> position in items
    for number, message in enumerate(messages):
        index = message.message_index if message.message_index is not None else number
        duration = message.duration_type
        if duration == WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT or duration == 6:
            items = _repeat(items, by_index, message, index, imported)
            continue
        step = _step(message, index, imported)
        if step is not None:
            by_index[index] = len(items)
            items.append(step)
    return items


def _repeat(items: list, by_index: dict[int, int], message, index: int, imported: Imported) -> list:
    first = by_index.get(message.duration_step)
    count = message.target_repeat_steps or message.target_value or 1
    if first is None or any(isinstance(i, DeviceRepeat) for i in items[first:]):
        imported.lost.append(f"step {index}: a repeat of steps that are not plain steps before it (written once)")
        return items
    body = tuple(items[first:])
    return items[:first] + [DeviceRepeat(int(count), body, message.workout_step_name or None)]


def _step(message, index: int, imported: Imported) -> DeviceStep | None:
    here = f"step {index}"
    intensity = message.intensity if message.intensity is not None else Intensity.ACTIVE
    intensity_name = _enum_name(Intensity, intensity)
    if intensity_name not in DEFAULT_KIND:  # interval, other
        intensity_name = "active"
    name, kind = _name_and_kind(message.workout_step_name or "", DEFAULT_KIND[intensity_name])
    duration = message.duration_type
    distance_m = duration_ms = None
    if duration in (WorkoutStepDuration.TIME, 0):
        duration_ms = round(message.duration_time * 1000) if message.duration_time else None
    elif duration in (WorkoutStepDuration.DISTANCE, 1):
        distance_m = round(message.duration_distance, 2) if message.duration_distance else None
    if duration_ms is None and distance_m is None:
        imported.lost.append(f"{here} ('{name or kind}'): it ends on "
                             f"{_enum_name(WorkoutStepDuration, duration).replace('_', ' ')}, not a time or distance "
                             "(left out)")
        return None
    pace, cadence = _targets(message, here, imported)
    return DeviceStep(kind, name or "", message.notes or None, duration_ms or 0, distance_m, pace, cadence)


def _targets(message, here: str, imported: Imported) -> tuple[float | None, float | None]:
    """(pace s/km, cadence spm) from the primary and secondary targets."""
    pace = cadence = None
    for target, speed, rate in (
        (message.target_type, (message.custom_target_speed_low, message.custom_target_speed_high),
         (message.custom_target_cadence_low, message.custom_target_cadence_high)),
        (message.secondary_target_type,
         (message.secondary_custom_target_speed_low, message.secondary_custom_target_speed_high),
         (message.secondary_custom_target_cadence_low, message.secondary_custom_target_cadence_high)),
    ):
        name = _enum_name(WorkoutStepTarget, target) if target is not None else "open"
        if name == "open":
            continue
        if name == "speed" and all(speed):
            pace = 1000 / ((speed[0] + speed[1]) / 2)
        elif name == "cadence" and all(rate):
            cadence = (rate[0] + rate[1]) / 2
        else:
            imported.lost.append(f"{here}: a {name.replace('_', ' ')} target (a workout targets pace and cadence)")
    return pace, cadence


def _name_and_kind(text: str, default: str) -> tuple[str, str]:
    tagged = _TAG.match(text)
    if tagged and tagged["kind"] in INTENSITY:
        return tagged["name"], tagged["kind"]
    return text, named_kind(text) or default


def _enum_name(enum, value) -> str:
    for member in enum:
        if member == value or member.value == value:
            return member.name.lower()
    return str(value)


def _stem(filename: str) -> str:
    return Path(filename).stem
