"""intervals.icu workout text read back into device steps, each problem at its line and column.

Read: section headers (``Warmup``, ``Cooldown`` set the kind of their steps), repeats (``5x``
alone or ending a header), steps ``- CUE LENGTH [TARGET] [CADENCE]`` with a time (``10m``,
``1m30s``, ``1h``, ``5'``, ``30"``) or a distance (``2km``, ``1mi``, ``400mtr``), absolute pace
targets (``4:30/km Pace``, a range ``4:40-4:30/km Pace`` held at its middle) and ``rpm``
cadence. Power, heart-rate and zone targets are listed as not carried; a step line with no
length, or a word after the length that is no target, is an error at its column.
"""

from __future__ import annotations

import re
from pathlib import Path

from audiocoach.errors import WorkoutError
from audiocoach.importers.imported import Imported, text_of
from audiocoach.output.device_steps import INTENSITY, DeviceRepeat, DeviceStep, named_kind
from audiocoach.output.icu import MILE_M, SECTIONS

__all__ = ["read_icu"]

_TIME = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!i|tr))?(?:(\d+(?:\.\d+)?)s?)?$")
_QUOTED_TIME = re.compile(r"^(?:(\d+)')?(?:(\d+)\")?$")
_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)(km|mi|mtr)$", re.IGNORECASE)
_PACE = re.compile(r"^(\d+):(\d\d(?:\.\d+)?)(?:-(\d+):(\d\d(?:\.\d+)?))?/(km|mi|400m|100m)$", re.IGNORECASE)
_PER_METRES = {"km": 1000.0, "mi": MILE_M, "400m": 400.0, "100m": 100.0}
_CADENCE = re.compile(r"^(\d+)(?:-(\d+))?rpm$", re.IGNORECASE)
_OTHER_TARGET = re.compile(r"^(?:\d+(?:-\d+)?%|\d+(?:-\d+)?w|z\d(?:-z\d)?|ramp|freeride|hr|lthr|mmp|pace)$",
                           re.IGNORECASE)
_REPEAT = re.compile(r"^(?:(?P<name>.*?)\s+)?(?P<count>\d+)x$", re.IGNORECASE)
_TAG = re.compile(r"^(?P<name>.*?) \((?P<kind>[a-z]+)\)$")


def read_icu(raw: bytes, filename: str, runner=None) -> Imported:
    """The workout in intervals.icu workout text."""
    imported = Imported(_stem(filename), "intervals.icu workout text", [])
    repeat: tuple[int, str | None, list[DeviceStep]] | None = None
    section_kind = None
    for number, line in enumerate(text_of(raw, filename).splitlines(), 1):
        text = line.strip()
        if not text:  # a blank line ends a repeat or a section
            _close(repeat, imported)
            repeat = section_kind = None
            continue
        if text.startswith("-"):
            step = _step(line, number, filename, imported, section_kind)
            (repeat[2] if repeat else imported.items).append(step)
            continue
        _close(repeat, imported)
        repeat = None
        counted = _REPEAT.match(text)
        if counted:
            repeat = (int(counted["count"]), counted["name"] or None, [])
            section_kind = None
        else:
            section_kind = named_kind(text) if named_kind(text) in SECTIONS else None
    _close(repeat, imported)
    if not imported.items:
        raise WorkoutError("no steps: a step is a line like '- 10m 5:30/km Pace'", file=filename,
                           hint="write each step on its own line, starting with '- '")
    return imported


def _close(repeat, imported: Imported) -> None:
    """Add an open repeat's steps to the workout (a repeat of 1 is its steps); None: no repeat is open."""
    if repeat is not None and repeat[0] > 1 and repeat[2]:
        imported.items.append(DeviceRepeat(repeat[0], tuple(repeat[2]), repeat[1]))
    elif repeat is not None:
        imported.items.extend(repeat[2])
    return None


def _step(line: str, number: int, filename: str, imported: Imported, section_kind) -> DeviceStep:
    tokens = [(m.group(), m.start() + 1) for m in re.finditer(r"\S+", line)][1:]  # after the '-'
    first = next((i for i, (token, _) in enumerate(tokens) if _length(token) is not None), None)
    if first is None:
        raise WorkoutError("a step without a length", file=filename, line=number, column=1,
                           hint="give a time like 10m, 1m30s or 90s, or a distance like 2km or 400mtr")
    cue = " ".join(token for token, _ in tokens[:first])
    duration_ms, distance_m = _length(tokens[first][0]) or (None, None)  # `first` is a token with a length
    pace = cadence = None
    other: list[str] = []  # the words of a target a workout cannot carry: 'Z2 HR', '60%'
    for token, column in tokens[first + 1:]:
        if other and not _OTHER_TARGET.match(token):
            imported.lost.append(f"line {number}: the target '{' '.join(other)}' (a workout targets pace and cadence)")
            other = []
        if token.lower() == "pace":
            continue
        if (value := _pace(token)) is not None:
            pace = value
        elif (rate := _CADENCE.match(token)) is not None:
            cadence = (int(rate[1]) + int(rate[2] or rate[1])) / 2
        elif _OTHER_TARGET.match(token):
            other.append(token)
        else:
            raise WorkoutError(f"'{token}' after the step's length is not a target", file=filename, line=number,
                               column=column, hint="write a pace like 4:30/km Pace or a cadence like 170rpm; "
                               "cue text goes before the length")
    if other:
        imported.lost.append(f"line {number}: the target '{' '.join(other)}' (a workout targets pace and cadence)")
    name, say = cue.split(": ", 1) if ": " in cue else (cue, None)
    tagged = _TAG.match(name)
    kind = tagged["kind"] if tagged and tagged["kind"] in INTENSITY else named_kind(name) or section_kind or "run"
    name = tagged["name"] if tagged and tagged["kind"] in INTENSITY else name
    return DeviceStep(kind, name, say, duration_ms or 0, distance_m, pace, cadence)


def _length(token: str) -> tuple[int | None, float | None] | None:
    """(ms, None) for a time, (None, metres) for a distance, None for anything else."""
    distance = _DISTANCE.match(token)
    if distance:
        unit = distance[2].lower()
        return None, round(float(distance[1]) * {"km": 1000, "mi": MILE_M, "mtr": 1}[unit], 3)
    time = _TIME.match(token)
    if time and any(time.groups()) and not re.fullmatch(r"\d+(\.\d+)?", token):  # a bare number is no time
        h, m, s = (float(g or 0) for g in time.groups())
        return round((h * 3600 + m * 60 + s) * 1000), None
    quoted = _QUOTED_TIME.match(token)
    if quoted and any(quoted.groups()):
        return (int(quoted[1] or 0) * 60 + int(quoted[2] or 0)) * 1000, None
    return None


def _pace(token: str) -> float | None:
    """Seconds per km of an absolute pace (the middle of a range)."""
    pace = _PACE.match(token)
    if not pace:
        return None
    first = int(pace[1]) * 60 + float(pace[2])
    second = int(pace[3]) * 60 + float(pace[4]) if pace[3] else first
    return (first + second) / 2 * 1000 / _PER_METRES[pace[5].lower()]


def _stem(filename: str) -> str:
    return Path(filename).stem
