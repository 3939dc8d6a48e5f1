"""A Zwift run workout (``.zwo``): steps and repeats with pace as a fraction of threshold pace,
and every spoken cue of the plan as a ``textevent`` at its time.

Zwift reads a run's ``Power`` as a fraction of the runner's threshold *speed*: 1.0 is threshold
(T) pace, 1.1 is 10 % faster. A step without a pace is a ``FreeRide``; a repeat of two paced
steps is an ``IntervalsT``; other repeats are written out. Durations are the plan's, in seconds
(to the millisecond); a textevent's ``timeoffset`` is from the start of its element, in whole
seconds. Two attributes Zwift does not read keep what it has no field for, so that
``audiocoach import`` gets the workout back: ``kind`` (a step kind other than the element's
usual one) and ``distance`` (metres, for a step that ends on distance).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from audiocoach.errors import AudiocoachError
from audiocoach.language.paces import NO_RUNNER_HINT
from audiocoach.output.device_steps import (
    DeviceRepeat,
    DeviceStep,
    DeviceWorkout,
    unrolled,
)

__all__ = ["zwo_text", "ELEMENT_KIND"]

# The kind each element stands for when it has no `kind` attribute (IntervalsT: on, off).
ELEMENT_KIND = {"Warmup": "warmup", "Cooldown": "cooldown", "SteadyState": "run", "FreeRide": "run",
                "On": "run", "Off": "jog"}


def zwo_text(workout: DeviceWorkout) -> tuple[str, list[str]]:
    """The .zwo document, and notes on what it leaves out (cues after the last step)."""
    if not workout.is_run:
        raise AudiocoachError(f"'{workout.title}' has exercise stations, and Zwift's .zwo is for run workouts",
                              hint="export it with --format fit or --format icu")
    if workout.threshold_s_per_km is None and any(s.pace_s_per_km for s in _steps(workout)):
        raise AudiocoachError("a .zwo gives paces as a fraction of threshold pace, and the runner's is not known",
                              hint=NO_RUNNER_HINT.replace("build with", "export with"))
    root = ET.Element("workout_file")
    for tag, text in (("author", "audiocoach"), ("name", workout.title), ("description", workout.description or ""),
                      ("sportType", "run")):
        ET.SubElement(root, tag).text = text
    ET.SubElement(root, "tags")
    body = ET.SubElement(root, "workout")
    cues = workout.plan.cues
    end_ms = 0
    for element, start_ms, end_ms in _elements(workout):
        for cue in cues:
            if start_ms <= cue.at_ms < end_ms:
                ET.SubElement(element, "textevent", timeoffset=str(round((cue.at_ms - start_ms) / 1000)),
                              message=cue.text)
        body.append(element)
    start_ms = end_ms
    left = [c for c in cues if c.at_ms >= start_ms]
    notes = [f"{len(left)} cue{'s' if len(left) != 1 else ''} after the last step (the outro) "
             "left out: a .zwo has no time after its last step"] if left else []
    ET.indent(root, "  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n", notes


def _steps(workout: DeviceWorkout):
    return unrolled(workout.items)


def _elements(workout: DeviceWorkout):
    """(element, start ms, end ms) on the plan's clock, for each element of the workout."""
    start_ms = 0
    for item in workout.items:
        if isinstance(item, DeviceRepeat) and _on_off(item):
            on, off = item.steps
            end_ms = start_ms + item.count * (on.duration_ms + off.duration_ms)
            yield _intervals(item, workout), start_ms, end_ms
            start_ms = end_ms
            continue
        for step in item.steps * item.count if isinstance(item, DeviceRepeat) else (item,):
            yield _single(step, workout), start_ms, start_ms + step.duration_ms  # other repeats: written out
            start_ms += step.duration_ms


def _intervals(item: DeviceRepeat, workout: DeviceWorkout) -> ET.Element:
    on, off = item.steps
    attributes = {"Repeat": str(item.count), "OnDuration": _seconds(on.duration_ms),
                  "OffDuration": _seconds(off.duration_ms), "OnPower": _power(on, workout),
                  "OffPower": _power(off, workout)}
    return ET.Element("IntervalsT", attributes | _extras(on, "On") | _extras(off, "Off"))


def _single(step: DeviceStep, workout: DeviceWorkout) -> ET.Element:
    duration = {"Duration": _seconds(step.duration_ms)}
    if step.pace_s_per_km is None:
        tag = "FreeRide"
    else:
        tag = {"warmup": "Warmup", "cooldown": "Cooldown"}.get(step.kind, "SteadyState")
        power = _power(step, workout)
        duration |= {"Power": power} if tag == "SteadyState" else {"PowerLow": power, "PowerHigh": power}
    if step.cadence_spm is not None:
        duration["Cadence"] = str(round(step.cadence_spm))
    if step.kind != ELEMENT_KIND.get(tag):
        duration["kind"] = step.kind
    if step.distance_m is not None:
        duration["distance"] = _number(step.distance_m)
    return ET.Element(tag, duration)


def _on_off(item: DeviceRepeat) -> bool:
    return len(item.steps) == 2 and all(s.pace_s_per_km is not None for s in item.steps)


def _extras(step: DeviceStep, side: str) -> dict[str, str]:
    extras = {} if step.kind == ELEMENT_KIND[side] else {f"{side}Kind": step.kind}
    if step.distance_m is not None:
        extras[f"{side}Distance"] = _number(step.distance_m)
    if step.cadence_spm is not None:
        extras["Cadence" if side == "On" else "CadenceResting"] = str(round(step.cadence_spm))
    return extras


def _power(step: DeviceStep, workout: DeviceWorkout) -> str:
    """Speed as a fraction of threshold speed, to 5 decimals (0.001 % of the pace)."""
    if workout.threshold_s_per_km is None or step.pace_s_per_km is None:  # callers ask only for paced steps
        raise AudiocoachError(f"a .zwo power needs the runner's threshold pace and the step's pace ({step.name})",
                         hint="give the runner a mile time or a race")
    return f"{workout.threshold_s_per_km / step.pace_s_per_km:.5f}"


def _seconds(ms: int) -> str:
    return _number(ms / 1000)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
