"""The JSON Schema for editors: it accepts every workout the loader accepts, and flags what it can see.

The schema must never flag a workout that builds (an editor full of false alarms gets turned
off), and should flag the mistakes that are a matter of shape: unknown keys, wrong types,
unknown step kinds, bad choices, numbers out of range, quantities that cannot be read.
"""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given

from audiocoach.cli import cli
from audiocoach.coaching.phrase_table import phrases_for
from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.language import parse_workout
from audiocoach.language.yaml_source import read_yaml
from audiocoach.output.schema import SCHEMA_URL_PATH, schema_text, workout_schema
from tests.test_fuzz import FUZZ, workouts

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "workouts").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(workout_schema())


def schema_errors(text: str) -> list[str]:
    """The schema's complaints about a document, read the way the loader reads YAML (1.2 core)."""
    return [e.message for e in VALIDATOR.iter_errors(read_yaml(text).data)]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(workout_schema())


def test_the_checked_in_schema_is_current():
    checked_in = (ROOT / SCHEMA_URL_PATH).read_text(encoding="utf-8")
    assert checked_in == schema_text(), f"refresh it: .venv/bin/audiocoach schema > {SCHEMA_URL_PATH}"


def test_the_schema_command_prints_it():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == workout_schema()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_points_at_the_schema_and_passes_it(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../{SCHEMA_URL_PATH}"
    assert (path.parent / f"../{SCHEMA_URL_PATH}").resolve().is_file()
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_every_key_has_a_description_for_hover_text():
    schema = workout_schema()
    missing = [f"{name}.{key}" for name, definition in [("Workout", schema), *schema["$defs"].items()]
               for key, prop in definition.get("properties", {}).items() if not prop.get("description")]
    assert not missing


def test_one_schema_per_step_kind():
    defs = workout_schema()["$defs"]
    for kind in ("warmup", "run", "stride", "hill", "stairs", "jog", "walk", "rest", "cooldown", "exercise", "repeat"):
        step = defs[f"{kind.capitalize()}Step"]
        assert step["required"][0] == kind and step["additionalProperties"] is False


QUANTITIES = {
    "Duration": (["45s", "10min", "1h30min", "1h 30min", "1min30s", "10 min", "90 sec", "2 minutes",
                  "1 hour 15 minutes", "1.5h", "0.25s", "500ms", "1:30", "1:32.5", "1:02:00", "90", 90, 1.5, "10 MIN"],
                 ["10m", "40m", "", "fast", "1:3", "1:60", "min", "-5s", 0, -3]),
    "Length": (["10min", "400m", "400 m", "800 metres", "1.5km", "5k", "1mi", "2 miles", "half marathon", "marathon",
                90],
               ["fast", "400 yards", "1:3", "-400m"]),
    "Pace": (["5:55/mi", "3:40/km", "4:00 /km", "5:30 min/km", "92s/400m", "1:32/400m", "6:00 per mile", "0:46/200m",
              "mile", "5k", "T", "half marathon", "half-marathon", "hm", "3000m", "mile - 3s/400m", "5k + 10s/mi",
              "T + 5%"],
             ["6:40", "fast", 400, "tempo", "mile - fast", "T +"]),
    "Cadence": ([170, "170", "170spm", "172.5", "+6%", "-3%", "off", None], ["fast", "6%", 99, 300, "on"]),
    "Level": (["-12dB", "-12 dB", -12, "-12", "+3dB"], ["loud", -70, 20]),
}


@pytest.mark.parametrize("name", QUANTITIES)
def test_quantity_forms(name):
    schema = {"$defs": workout_schema()["$defs"], "$ref": f"#/$defs/{name}"}
    good, bad = QUANTITIES[name]
    validator = jsonschema.Draft202012Validator(schema)
    assert [v for v in good if not validator.is_valid(v)] == []
    assert [v for v in bad if validator.is_valid(v)] == []


@FUZZ
@given(workouts())
def test_whatever_the_loader_accepts_the_schema_accepts(doc):
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    try:
        phrases_for(parse_workout(text))  # phrase keys are checked against the phrase table, after the model
    except AudiocoachError:
        return
    assert schema_errors(text) == []


# Each of these is refused by the loader (the message it gives is checked) and by the schema.
BAD = [
    ("unknown top-level key", "title: T\ncolour: red\nsteps: [run: 1min]", "unknown key 'colour'"),
    ("unknown step key", "title: T\nsteps:\n  - run: 1min\n    cadense: 170", "unknown key 'cadense'"),
    ("unknown step kind", "title: T\nsteps:\n  - sprint: 30s", "unknown step kind 'sprint'"),
    ("two kinds in a step", "title: T\nsteps:\n  - run: 1min\n    jog: 1min", "a step has one kind"),
    ("no title", "steps: [run: 1min]", "needs 'title'"),
    ("no steps", "title: T", "needs 'steps'"),
    ("empty steps", "title: T\nsteps: []", "steps must not be empty"),
    ("steps not a list", "title: T\nsteps: {run: 1min}", "steps must be"),
    ("bad effort", "title: T\nsteps:\n  - run: 1min\n    effort: medium", "effort must be one of"),
    ("bad kind", "title: T\nkind: tempo\nsteps: [run: 1min]", "kind must be one of"),
    ("bad beat sound", "title: T\nbeats: {sound: bell}\nsteps: [run: 1min]", "sound must be one of"),
    ("negative repeat", "title: T\nsteps:\n  - repeat: -2\n    steps: [run: 1min]", "repeat must be"),
    ("zero repeat", "title: T\nsteps:\n  - repeat: 0\n    steps: [run: 1min]", "repeat must be"),
    ("repeat in words", "title: T\nsteps:\n  - repeat: eight\n    steps: [run: 1min]", "repeat must be a whole number"),
    ("exercise without time", "title: T\nsteps:\n  - exercise: Plank", "needs 'time'"),
    ("minutes written m", "title: T\nsteps:\n  - exercise: Plank\n    time: 40m", "40m is 40 metres"),
    ("unknown pace name", "title: T\nrunner: {mile: '6:40'}\nsteps:\n  - run: 400m\n    pace: tempo",
     "unknown pace name"),
    ("cadence too high", "title: T\nsteps:\n  - run: 1min\n    cadence: 300", "cadence"),
    ("countdown too long", "title: T\nsteps:\n  - run: 1min\n    countdown: 11", "countdown must be"),
    ("voice rate too slow", "title: T\nvoice: {rate: 50}\nsteps: [run: 1min]", "rate must be"),
    ("duck is not a yes or no", "title: T\nbeats: {duck: maybe}\nsteps: [run: 1min]", "duck must be"),
    ("cue with a typo", "title: T\nsteps:\n  - run: 5min\n    cues: [{at: 1min, sai: Relax}]", "unknown key 'sai'"),
    ("mantras not a list", "title: T\nprompts: {mantras: 5}\nsteps: [run: 1min]", "mantras must be"),
    ("a step that is text", "title: T\nsteps:\n  - run 10min", "a step must be a mapping"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_the_schema_rejects_what_the_loader_rejects(name, text, message):
    with pytest.raises(WorkoutError) as err:
        parse_workout(text, "bad.yaml")
    assert message in err.value.message
    assert schema_errors(text), f"the schema accepts {name!r}"


def test_there_are_at_least_ten_bad_documents():
    assert len(BAD) >= 10
