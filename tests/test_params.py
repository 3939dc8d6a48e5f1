"""Workout parameters: ${name} uses, --set, located errors, and the build key."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.build import BuildOptions, _source_and_key
from audiocoach.cli import cli
from audiocoach.coaching.advice import plan_without_audio
from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.language import load_workout, parse_workout
from audiocoach.setvalues import SetValue, parse_set_option

ROOT = Path(__file__).parent.parent
MILE_400S = ROOT / "workouts" / "mile-400s.yaml"

DOC = """\
title: Reps — ${reps} × 200 m
params:
  reps: 3
  rest: 30s
  pace: mile - 2s/200m
runner: {mile: "6:40"}
steps:
  - repeat: ${reps}
    steps:
      - run: 200m
        pace: ${pace}
      - jog: ${rest}
"""


def load(*sets: str, text: str = DOC):
    return parse_workout(text, "w.yaml", params=[parse_set_option(s) for s in sets])


def test_defaults_fill_each_use_with_its_own_type():
    workout = load()
    assert workout.title == "Reps — 3 × 200 m"  # written into text
    assert workout.steps[0].repeat == 3  # a number stays a number
    assert workout.steps[0].steps[1].length == 30_000
    assert str(workout.steps[0].steps[0].pace) == "mile - 2s/200m"


def test_set_values_replace_the_defaults():
    workout = load("reps=5", "rest=1min", "pace=mile - 3s/200m")
    assert workout.steps[0].repeat == 5 and workout.steps[0].steps[1].length == 60_000
    assert str(workout.steps[0].steps[0].pace) == "mile - 3s/200m"


def test_a_bad_value_is_reported_at_its_use_naming_the_definition_and_the_set():
    with pytest.raises(WorkoutError) as caught:
        load("reps=0")
    err = caught.value
    assert (err.file, err.line, err.column) == ("w.yaml", 8, 13)
    assert "repeat must be at least 1" in err.message
    assert "${reps} is 0 from --set reps=0, declared at w.yaml:3:3" in err.hint


def test_a_use_of_the_wrong_kind_is_reported_at_the_use():
    with pytest.raises(WorkoutError) as caught:
        load("rest=3m")
    assert (caught.value.line, caught.value.column) == (12, 14)
    assert "metres" in caught.value.message and "from --set rest=3m" in caught.value.hint


def test_a_whole_number_parameter_refuses_text_at_its_definition():
    with pytest.raises(WorkoutError) as caught:
        load("reps=many")
    err = caught.value
    assert (err.line, err.column) == (3, 3)
    assert err.message.startswith("--set reps=many: reps must be a whole number")


def test_an_unknown_set_name_is_located_with_the_closest_name():
    with pytest.raises(WorkoutError) as caught:
        load("rpes=4")
    assert caught.value.line == 2 and "its parameters: reps, rest, pace" in caught.value.hint
    with pytest.raises(WorkoutError) as caught:
        load("reeps=4")
    assert "did you mean 'reps'" in caught.value.hint


def test_an_unknown_use_is_located_at_the_use():
    with pytest.raises(WorkoutError) as caught:
        load(text=DOC.replace("repeat: ${reps}", "repeat: ${rep}"))
    err = caught.value
    assert (err.line, err.column) == (8, 13) and "unknown parameter 'rep'" in err.message
    assert "did you mean '${reps}'" in err.hint


@pytest.mark.parametrize("params, message", [
    ("params: [reps]\n", "params must be a mapping"),
    ("params: {Reps: 3}\n", "not a parameter name"),
    ("params: {reps: [1, 2]}\n", "must be a number, a duration"),
    ("params: {a: 1, b: '${a}'}\n", "uses a parameter"),
])
def test_bad_declarations_are_located(params: str, message: str):
    with pytest.raises(WorkoutError) as caught:
        parse_workout("title: T\n" + params + "steps: [{run: 1min}]\n", "w.yaml")
    assert caught.value.line == 2 and message in caught.value.message


@pytest.mark.parametrize("option", ["reps", "=3", "reps=", "Reps=3"])
def test_a_malformed_set_option_is_an_error(option: str):
    with pytest.raises(AudiocoachError):
        parse_set_option(option)


def test_set_option_values_read_as_yaml_would():
    assert parse_set_option("reps=6").value == 6
    assert parse_set_option("ratio=1.5").value == 1.5
    assert parse_set_option("rest=1:30").value == "1:30"


def test_the_library_workout_with_params_plans_as_before_and_set_changes_it():
    default = plan_without_audio(load_workout(MILE_400S))
    six = plan_without_audio(load_workout(MILE_400S, params=[SetValue("reps", 6)]))
    assert sum(s.kind == "run" for s in default.steps) == 8
    assert sum(s.kind == "run" for s in six.steps) == 6
    assert default.title == "Mile sharpener — 8 × 400 m" and six.title == "Mile sharpener — 6 × 400 m"


def test_params_enter_the_build_key_only_when_set(tmp_path: Path):
    output = tmp_path / "mile-400s.mp3"
    _, plain = _source_and_key(MILE_400S, output, BuildOptions(), None, None)
    _, none = _source_and_key(MILE_400S, output, BuildOptions(), None, None, ())
    _, six = _source_and_key(MILE_400S, output, BuildOptions(), None, None, (SetValue("reps", 6),))
    _, six_elsewhere = _source_and_key(MILE_400S, output, BuildOptions(), None, None,
                                       (SetValue("reps", 6, "p.yaml", 3, 4),))
    assert plain == none != six == six_elsewhere  # where a value was written is not part of the key


def test_plan_and_check_take_set():
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(MILE_400S), "--set", "reps=6"])
    assert result.exit_code == 0 and "Mile sharpener — 6 × 400 m" in result.output
    result = runner.invoke(cli, ["plan", str(MILE_400S), "--set", "reps=5", "--set", "rep_pace=mile - 5s/400m"])
    assert result.exit_code == 0 and "Rep 5 of 5" in result.output and "Rep 6" not in result.output
    result = runner.invoke(cli, ["check", str(MILE_400S), "--set", "rep=6"])
    assert result.exit_code == 1 and "did you mean 'reps'" in result.output
