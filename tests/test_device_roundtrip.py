"""Round trips are the spec: YAML → FIT / ZWO / icu → YAML keeps every step's kind, length and
target (pace within the format's precision, cadence to the step per minute), over every library
workout and over generated ones."""

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audiocoach.coaching.phrase_table import phrases_for
from audiocoach.coaching.plan import Plan
from audiocoach.coaching.timeline import expand
from audiocoach.errors import WorkoutError
from audiocoach.importers import import_workout
from audiocoach.language import parse_workout
from audiocoach.output.device_steps import device_workout, unrolled
from audiocoach.output.fit import fit_bytes
from audiocoach.output.icu import icu_text
from audiocoach.output.zwo import zwo_text
from audiocoach.runners import runner_options

EXAMPLES = sorted((Path(__file__).parent.parent / "workouts").glob("*.yaml"))
RUNNER = runner_options(None, "6:40", None, None)
PACE_PRECISION = {"fit": 5e-4, "zwo": 1.2e-3, "icu": 3.2e-3}  # FIT 0.001 m/s (0.05 % at 15:00/km); T ± 0.1 %; whole s


def device_of(text: str, runner=None):
    """The device workout of a YAML text, planned without speech (steps only: no cue times needed)."""
    workout = parse_workout(text, runner=None if runner is None else runner.model)
    steps = expand(workout, None, phrases_for(workout))
    return workout, device_workout(workout, Plan(workout.title, steps[-1].end_ms, steps, (), ()))


def exported(fmt: str, text: str, tmp: Path, runner=None) -> Path:
    workout, device = device_of(text, runner)
    path = tmp / {"fit": "w.fit", "zwo": "w.zwo", "icu": "w.txt"}[fmt]
    if fmt == "fit":
        path.write_bytes(fit_bytes(device))
    elif fmt == "zwo":
        path.write_text(zwo_text(device)[0], encoding="utf-8")
    else:
        path.write_text(icu_text(device, workout.units), encoding="utf-8")
    return path


def assert_same_steps(before, after, fmt: str) -> None:
    want, got = list(unrolled(before.items)), list(unrolled(after.items))
    assert len(got) == len(want)
    for n, (w, g) in enumerate(zip(want, got)):
        where = f"step {n}: {w}"
        assert g.kind == w.kind, where
        if w.distance_m is not None:
            assert g.distance_m == pytest.approx(w.distance_m, abs=0.05), where
        else:
            assert g.distance_m is None and g.duration_ms == w.duration_ms, where
        assert (g.pace_s_per_km is None) == (w.pace_s_per_km is None), where
        if w.pace_s_per_km is not None:
            assert g.pace_s_per_km == pytest.approx(w.pace_s_per_km, rel=PACE_PRECISION[fmt]), where
        assert (None if w.cadence_spm is None else round(w.cadence_spm)) == g.cadence_spm, where


def round_trip(fmt: str, text: str, tmp: Path, runner=None) -> None:
    try:
        _, before = device_of(text, runner)
    except WorkoutError as err:  # nested repeats of long steps can pass the language's 12-hour limit
        assume("12-hour limit" not in err.message)
        raise
    back, _ = import_workout(exported(fmt, text, tmp, runner), runner if fmt == "zwo" else None)
    _, after = device_of(back, runner if fmt == "zwo" else None)
    assert_same_steps(before, after, fmt)


@pytest.mark.parametrize("fmt", ["fit", "icu"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_library_round_trip(fmt, path, tmp_path):
    round_trip(fmt, path.read_text(encoding="utf-8"), tmp_path)


@pytest.mark.parametrize("path", [p for p in EXAMPLES if "circuit" not in p.stem and p.stem != "recovery-run"],
                         ids=lambda p: p.stem)
def test_library_round_trip_zwo(path, tmp_path):
    round_trip("zwo", path.read_text(encoding="utf-8"), tmp_path, RUNNER)


# ---------------------------------------------------------------- generated workouts

NAMES = [None, "Jog", "Hill sprint", "Fast: 400m", "# marker", "Tempo (easy)"]
SAYS = [None, "Run 400m at 5:00 pace.", "Keep: calm, 90s to go", "Relax {{braces}}", "Rep #1"]
RUN_KINDS = ["warmup", "run", "stride", "hill", "stairs", "jog", "walk", "rest", "cooldown"]


@st.composite
def leaf(draw, exercises: bool):
    kind = draw(st.sampled_from(RUN_KINDS + (["exercise"] if exercises else [])))
    step: dict = {}
    if kind == "exercise":
        step = {"exercise": draw(st.sampled_from(["Plank", "Side plank", "Squat 20x"])),
                "time": f"{draw(st.integers(5, 300))}s"}
    else:
        pace = draw(st.none() | st.integers(1800, 5400))  # tenths of a second per km
        if pace is not None and draw(st.booleans()):
            step[kind] = f"{draw(st.integers(2, 60)) * 50}m"
        else:
            step[kind] = f"{draw(st.integers(5, 900))}s"
        if pace is not None:
            step["pace"] = f"{pace // 600}:{pace % 600 / 10:04.1f}/km"
        name = draw(st.sampled_from(NAMES))
        if name:
            step["name"] = name
    cadence = draw(st.none() | st.integers(140, 200))
    if cadence:
        step["cadence"] = cadence
    say = draw(st.sampled_from(SAYS))
    if say:
        step["say"] = say
    return step


@st.composite
def workouts(draw, exercises: bool = True):
    def repeat(body):
        step = {"repeat": draw(st.integers(2, 4)), "steps": body}
        if draw(st.booleans()):
            step["rest_between"] = f"{draw(st.integers(5, 120))}s"
        return step

    items = []
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from(["leaf", "repeat", "nested"]))
        body = [draw(leaf(exercises)) for _ in range(draw(st.integers(1, 3)))]
        if shape == "leaf":
            items.append(body[0])
        elif shape == "repeat":
            items.append(repeat(body))
        else:
            items.append(repeat([draw(leaf(exercises)), repeat(body)]))
    units = draw(st.sampled_from(["metric", "imperial"]))
    return yaml.safe_dump({"title": "Generated", "units": units, "steps": items}, allow_unicode=True)


# AUDIOCOACH_FUZZ=long (make fuzz's profile) runs 500 generated workouts per format instead of 25.
SETTINGS = settings(max_examples=500 if os.environ.get("AUDIOCOACH_FUZZ") == "long" else 25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(workouts())
def test_generated_round_trip_fit(tmp_path, text):
    round_trip("fit", text, tmp_path)


@SETTINGS
@given(workouts())
def test_generated_round_trip_icu(tmp_path, text):
    round_trip("icu", text, tmp_path)


@SETTINGS
@given(workouts(exercises=False))
def test_generated_round_trip_zwo(tmp_path, text):
    round_trip("zwo", text, tmp_path, RUNNER)
