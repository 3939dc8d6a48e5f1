"""Every library workout exported as a device file and read back against its plan.

FIT: read by fit-tool and by fitdecode (an independent reader), CRCs checked; step count,
durations or distances and speed targets equal the plan's (speed within FIT's 0.001 m/s).
ZWO: parsed with xml.etree for the fields Zwift reads; textevent times equal the cue sheet's.
"""

import io
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import fitdecode
import pytest

from audiocoach.output.device_steps import INTENSITY, device_workout, unrolled
from audiocoach.output.fit import SPEED_BAND, fit_bytes
from audiocoach.output.icu import icu_text
from audiocoach.output.zwo import zwo_text
from audiocoach.pipeline import plan_file
from audiocoach.runners import runner_options

EXAMPLES = sorted((Path(__file__).parent.parent / "workouts").glob("*.yaml"))
RUNS = [p for p in EXAMPLES if p.stem not in ("core-circuit", "strength-circuit", "recovery-run")]
RUNNER = runner_options(None, "6:40", None, None)  # a threshold for the .zwo of workouts that name no runner


@cache
def planned(path: Path, runner: bool = False):
    workout, plan = plan_file(path, RUNNER if runner else None)
    return workout, plan, device_workout(workout, plan)


def fit_steps_fitdecode(data: bytes) -> tuple[dict, list[dict]]:
    """(file_id, workout steps as dicts) read by fitdecode with the CRC checked."""
    file_id, steps = {}, []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                values = {f.name: f.value for f in frame.fields}
                if frame.name == "file_id":
                    file_id = values
                elif frame.name == "workout_step":
                    steps.append(values)
    return file_id, steps


def expanded(steps: list[dict]) -> list[dict]:
    """FIT's steps with repeat steps carried out: the sequence a watch runs."""
    out: list[dict] = []
    by_index: dict[int, int] = {}
    for step in steps:
        if step["duration_type"] == "repeat_until_steps_cmplt":
            start = by_index[step["duration_step"]]
            body = out[start:]
            out += body * (step["repeat_steps"] - 1)
        else:
            by_index[step["message_index"]] = len(out)
            out.append(step)
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_fit_read_by_fitdecode_equals_the_plan(path):
    _, plan, device = planned(path)
    data = fit_bytes(device)
    file_id, steps = fit_steps_fitdecode(data)
    assert file_id["type"] == "workout"
    run = expanded(steps)
    assert len(run) == len(plan.steps)
    for got, want, step in zip(run, plan.steps, unrolled(device.items), strict=True):
        assert got["intensity"] == INTENSITY[want.kind]
        if want.distance_m is not None:
            assert got["duration_type"] == "distance"
            assert got["duration_distance"] == pytest.approx(want.distance_m, abs=0.005)  # FIT: centimetres
            speed = want.distance_m / (want.duration_ms / 1000)  # the plan's own speed over the distance
        else:
            assert got["duration_type"] == "time"
            assert round(got["duration_time"] * 1000) == want.duration_ms  # FIT: milliseconds
            speed = None if step.pace_s_per_km is None else 1000 / step.pace_s_per_km  # the pace the plan resolved
        assert (got.get("target_type") == "speed") == (speed is not None)
        if speed is not None:
            low, high = got["custom_target_speed_low"], got["custom_target_speed_high"]
            assert (low + high) / 2 == pytest.approx(speed, rel=5e-4)  # FIT: 0.001 m/s
            assert high / low == pytest.approx((1 + SPEED_BAND) / (1 - SPEED_BAND), rel=1e-3)
        if want.cadence_spm is not None:
            prefix = "secondary_custom" if got.get("target_type") == "speed" else "custom"
            low, high = got[f"{prefix}_target_cadence_low"], got[f"{prefix}_target_cadence_high"]
            assert (low + high) / 2 == round(want.cadence_spm)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_fit_read_by_fit_tool_with_crc_checked(path):
    from fit_tool.fit_file import FitFile

    _, plan, device = planned(path)
    data = fit_bytes(device)
    fit = FitFile.from_bytes(data, check_crc=True)
    names = [type(r.message).__name__ for r in fit.records if type(r.message).__name__ != "DefinitionMessage"]
    assert names[:2] == ["FileIdMessage", "WorkoutMessage"]
    steps = [r.message for r in fit.records if type(r.message).__name__ == "WorkoutStepMessage"]
    workout = next(r.message for r in fit.records if type(r.message).__name__ == "WorkoutMessage")
    assert workout.num_valid_steps == len(steps)
    paced = [s for s in unrolled(device.items) if s.pace_s_per_km]
    fit_paced = [s for s in steps if s.custom_target_speed_low]
    assert len({round(s.pace_s_per_km, 6) for s in paced}) == len(
        {(s.custom_target_speed_low, s.custom_target_speed_high) for s in fit_paced})
    assert fit_bytes(device) == data  # deterministic: no clock in the file


def test_a_fit_step_carries_name_notes_and_cadence():
    _, _, device = planned(EXAMPLES[[p.stem for p in EXAMPLES].index("mile-400s")])
    _, steps = fit_steps_fitdecode(fit_bytes(device))
    main = next(s for s in steps if s.get("duration_distance"))
    assert main["wkt_step_name"] == "Rep # of 8"
    assert main["notes"] == "Rep # of 8. Quick turnover."
    assert main["secondary_target_type"] == "cadence"
    strides = next(s for s in steps if s.get("wkt_step_name", "").startswith("Stride"))
    assert strides["wkt_step_name"].endswith("(stride)")  # a kind FIT has no intensity for


@pytest.mark.parametrize("path", RUNS, ids=lambda p: p.stem)
def test_zwo_has_zwifts_fields_and_the_cue_sheets_times(path):
    _, plan, device = planned(path, runner=True)
    text, notes = zwo_text(device)
    root = ET.fromstring(text)
    assert root.tag == "workout_file" and root.findtext("sportType") == "run"
    assert root.findtext("name") == plan.title
    clock_ms, heard = 0, []
    for element in root.find("workout"):
        assert element.tag in ("Warmup", "Cooldown", "SteadyState", "FreeRide", "IntervalsT")
        if element.tag == "IntervalsT":
            length = int(element.get("Repeat")) * (float(element.get("OnDuration")) + float(element.get("OffDuration")))
            assert 0 < float(element.get("OnPower")) < 3 and 0 < float(element.get("OffPower")) < 3
        else:
            length = float(element.get("Duration"))
            if element.tag != "FreeRide":
                assert float(element.get("Power") or element.get("PowerLow")) > 0
        heard += [clock_ms + int(e.get("timeoffset")) * 1000 for e in element.findall("textevent")]
        clock_ms += round(length * 1000)
    assert clock_ms == plan.steps[-1].end_ms
    cues = [c.at_ms for c in plan.cues if c.at_ms < plan.steps[-1].end_ms]
    assert len(heard) == len(cues)
    assert all(abs(h - c) <= 500 for h, c in zip(heard, cues))
    assert len(notes) == (len(plan.cues) > len(cues))


def test_zwo_power_is_the_fraction_of_threshold_pace():
    _, plan, device = planned(EXAMPLES[[p.stem for p in EXAMPLES].index("goal-pace-mile")], runner=True)
    root = ET.fromstring(zwo_text(device)[0])
    steady = [e for e in root.find("workout") if e.get("Power")]
    paces = [s.pace_s_per_km for s in unrolled(device.items) if s.pace_s_per_km and s.kind == "run"]
    assert steady and float(steady[0].get("Power")) == pytest.approx(device.threshold_s_per_km / paces[0], abs=1e-5)


def test_icu_text_has_sections_repeats_lengths_paces_and_cues():
    workout, _, device = planned(EXAMPLES[[p.stem for p in EXAMPLES].index("mile-400s")])
    text = icu_text(device, workout.units)
    assert "Main set 8x\n- Rep # of 8: Rep # of 8. Quick turnover. 0.4km 4:01/km Pace 176rpm\n" in text
    assert "\n\nStrides 4x\n" in text
    assert text.startswith("Warmup\n- Warm-up: Easy jog. Keep it conversational. 10m 160rpm\n")
    assert text.endswith("\n\nCooldown\n- Cool-down: Easy now. Let the heart rate come down. 8m 158rpm\n")
