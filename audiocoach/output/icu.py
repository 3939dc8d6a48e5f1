"""intervals.icu workout text: a line per step, a ``5x`` header per repeat, pace targets and cues.

A step is ``- CUE LENGTH [PACE] [CADENCE]``: the cue is the step's name (with its kind in
brackets unless it is a run or the name says it: 'Warm-up', 'Jog') and its ``say``; the length is
``10m`` / ``1m30s`` (m is minutes) or ``0.4km`` / ``1mi``; the pace ``4:01/km Pace`` (whole
seconds, per mile for imperial workouts); the cadence ``176rpm`` (steps per minute). A repeat is
a ``Name 8x`` header over its steps; warm-up and cool-down steps are in ``Warmup`` and
``Cooldown`` sections; a blank line parts the sections.
"""

from __future__ import annotations

import re

from audiocoach.output.device_steps import DeviceRepeat, DeviceStep, DeviceWorkout, with_kind
from audiocoach.units import MILE_M, nearest

__all__ = ["icu_text", "icu_length", "icu_pace", "MILE_M", "SECTIONS"]

SECTIONS = {"warmup": "Warmup", "cooldown": "Cooldown"}  # intervals.icu's own section names


def icu_text(workout: DeviceWorkout, units: str = "metric") -> str:
    """The workout as intervals.icu workout-builder text."""
    blocks: list[list[str]] = []
    section = None  # the section the last block is: a repeat, Warmup, Cooldown or plain steps
    for item in workout.items:
        if isinstance(item, DeviceRepeat):
            header = f"{_safe(item.name)} {item.count}x" if item.name else f"{item.count}x"
            blocks.append([header, *(_line(s, units) for s in item.steps)])
            section = "repeat"
            continue
        kind_section = SECTIONS.get(item.kind)
        if section != (kind_section or "steps"):
            blocks.append([kind_section] if kind_section else [])
            section = kind_section or "steps"
        blocks[-1].append(_line(item, units))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _line(step: DeviceStep, units: str) -> str:
    parts = ["-", _cue(step), icu_length(step)]
    if step.pace_s_per_km is not None:
        parts.append(icu_pace(step.pace_s_per_km, units))
    if step.cadence_spm is not None:
        parts.append(f"{round(step.cadence_spm)}rpm")
    return " ".join(p for p in parts if p)


def _cue(step: DeviceStep) -> str:
    name = with_kind(step.name.replace(": ", " - "), step.kind, "run")  # ': ' parts the name from the say
    text = f"{name}: {step.say}" if step.say else name
    return _safe(text)


def _safe(text: str) -> str:
    """Cue text that intervals.icu cannot mistake for a length or target: '400m' would be 400
    minutes, so a number is kept apart from a unit after it, and clock times lose their colon."""
    text = re.sub(r"(\d):(\d)", r"\1.\2", " ".join(text.split()))
    return re.sub(r"(\d)([A-Za-z%'\"])", r"\1 \2", text)


def icu_length(step: DeviceStep) -> str:
    """``10m``, ``1m30s``, ``1h5m`` for a time; ``0.4km`` or ``1mi`` for a distance."""
    if step.distance_m is not None:
        miles = step.distance_m / MILE_M
        if abs(miles - round(miles)) < 1e-9 and round(miles):
            return f"{round(miles)}mi"
        return f"{step.distance_m / 1000:.4f}".rstrip("0").rstrip(".") + "km"
    whole, millis = divmod(step.duration_ms, 1000)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    seconds = f"{s}.{millis:03d}".rstrip("0") if millis else str(s)
    text = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{seconds}s" if s or millis else "")
    return text or "0s"


def icu_pace(seconds_per_km: float, units: str = "metric") -> str:
    """``4:01/km Pace`` (whole seconds), or per mile for imperial workouts."""
    per, metres = ("mi", MILE_M) if units == "imperial" else ("km", 1000)
    seconds = nearest(seconds_per_km * metres / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}/{per} Pace"
