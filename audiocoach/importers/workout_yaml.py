"""Imported steps as a commented workout YAML document, checked by the loader before it is returned.

Paces are absolute (``4:01.234/km``, to the millisecond) or, for a file that gives them as
fractions of threshold pace, named after the runner's threshold: ``T - 4.1%``. What the file
held that a workout cannot carry is listed in the comments at the top.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from audiocoach.errors import WorkoutError
from audiocoach.importers.imported import Imported
from audiocoach.language import parse_workout
from audiocoach.language.cadence import SPM_RANGE
from audiocoach.language.quantities import format_distance, format_duration, format_pace
from audiocoach.output.device_steps import DeviceRepeat, DeviceStep
from audiocoach.runners import Runner

__all__ = ["workout_yaml"]

MAX_PERCENT = 50


def workout_yaml(imported: Imported, filename: str, runner: Runner | None) -> str:
    """The workout document for ``imported``; a WorkoutError if it would not load (an importer bug)."""
    lines = [f"# Imported from {Path(filename).name} ({imported.source_format}) by audiocoach import."]
    if imported.lost:
        lines.append("# Not carried over (a workout has no place for it):")
        lines += [f"#   - {what}" for what in imported.lost]
    lines.append(f"title: {_q(imported.title)}")
    if imported.description:
        lines.append(f"description: {_q(imported.description)}")
    lines.append(f"kind: {_kind(imported)}")
    lines += _runner(runner, imported)
    lines.append("steps:")
    for item in imported.items:
        lines += _item(item, imported, "  ")
    text = "\n".join(lines) + "\n"
    try:
        parse_workout(text, filename)
    except WorkoutError as err:
        raise WorkoutError(f"the imported workout does not load: {err}", file=filename,
                           hint="please report this file: the importer should have caught it") from None
    return text


def _kind(imported: Imported) -> str:
    steps = [s for item in imported.items for s in (item.steps if isinstance(item, DeviceRepeat) else (item,))]
    if any(s.kind == "exercise" for s in steps):
        return "core"
    return "intervals" if any(isinstance(i, DeviceRepeat) for i in imported.items) else "run"


def _runner(runner: Runner | None, imported: Imported) -> list[str]:
    keys = {k: v for k, v in (runner.keys if runner else {}).items() if k in ("mile", "race", "cadence")}
    if not keys:
        return []
    comment = "   # the threshold the .zwo's paces are fractions of" if imported.threshold_s_per_km else ""
    lines = ["runner:" + comment]
    for key, value in keys.items():
        shown = (f"{{distance: {value['distance']}, time: {_q(value['time'])}}}" if isinstance(value, dict)
                 else _q(value))
        lines.append(f"  {key}: {shown}")
    return lines


def _item(item, imported: Imported, indent: str) -> list[str]:
    if isinstance(item, DeviceRepeat):
        lines = [f"{indent}- repeat: {item.count}"]
        if item.name:
            lines.append(f"{indent}  name: {_q(_template(item.name, False))}")
        lines.append(f"{indent}  steps:")
        for step in item.steps:
            lines += _step(step, imported, indent + "    ", in_repeat=True)
        return lines
    return _step(item, imported, indent, in_repeat=False)


def _step(step: DeviceStep, imported: Imported, indent: str, in_repeat: bool) -> list[str]:
    more = indent + "  "
    if step.kind == "exercise":
        lines = [f"{indent}- exercise: {_q(_template(step.name, in_repeat))}",
                 f"{more}time: {format_duration(step.duration_ms)}"]
    else:
        length = format_distance(step.distance_m) if step.distance_m is not None else format_duration(step.duration_ms)
        lines = [f"{indent}- {step.kind}: {length}"]
        if step.name:
            lines.append(f"{more}name: {_q(_template(step.name, in_repeat))}")
        if step.pace_s_per_km is not None:
            lines.append(f"{more}pace: {_q(_pace(step.pace_s_per_km, imported))}")
        elif step.distance_m is not None:
            lines.append(f"{more}pace: E   # the file gives no pace for this distance: easy pace is a guess")
    if step.cadence_spm is not None and SPM_RANGE[0] <= step.cadence_spm <= SPM_RANGE[1]:
        lines.append(f"{more}cadence: {round(step.cadence_spm)}")
    if step.effort:
        lines.append(f"{more}effort: {step.effort}")
    if step.say:
        lines.append(f"{more}say: {_q(_template(step.say, in_repeat))}")
    cues = [(at, text) for at, text in step.cues if at < step.duration_ms or step.distance_m is not None]
    if cues:
        lines.append(f"{more}cues:")
        lines += [f"{more}  - {{at: {format_duration(at)}, say: {_q(_template(text, in_repeat))}}}"
                  for at, text in cues]
    return lines


def _pace(seconds_per_km: float, imported: Imported) -> str:
    """Absolute to the millisecond, or as a percentage of threshold pace (to 0.1 %) for a .zwo."""
    threshold = imported.threshold_s_per_km
    percent = None if threshold is None else round((seconds_per_km / threshold - 1) * 100, 1)
    if percent is None or abs(percent) >= MAX_PERCENT:  # the language adjusts a named pace by less than 50 %
        return format_pace(seconds_per_km)
    if percent == 0:
        return "T"
    return f"T {'+' if percent > 0 else '-'} {abs(percent):g}%"


def _template(text: str, in_repeat: bool) -> str:
    """Braces kept as text; in a repeat, the '#' a device shows for the rep number becomes {rep}."""
    text = text.replace("{", "{{").replace("}", "}}")
    return re.sub(r"(?<!\S)#(?=[\s.,;:!?)]|$)", "{rep}", text) if in_repeat else text


def _q(value) -> str:
    """A YAML scalar that reads back as the same string (JSON strings are YAML)."""
    return json.dumps(str(value), ensure_ascii=False)
