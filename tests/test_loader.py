"""Loading workouts: what a good document becomes, and where and how a bad one is reported.

Every bad document gives exactly one WorkoutError with file, line, column (1-based), a
message and a hint — never a traceback and never pydantic's own wording.
"""

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from audiocoach.errors import AudiocoachError, BuildError, WorkoutError
from audiocoach.language import (
    RUNNING_KINDS,
    Cadence,
    CueAt,
    Distance,
    ExerciseStep,
    Pace,
    RepeatStep,
    RunningStep,
    Workout,
    load_workout,
    parse_workout,
)

EXAMPLE = """\
title: Mile sharpener — 8 × 400 m
description: Eight 400 m repeats a little faster than goal mile pace, jog recoveries.
kind: intervals
runner: {cadence: 166}
voice: {name: en-us, rate: 175}
beats: {sound: click, accent: 0, level: -26dB, duck: true}
prompts: {mantras: [Quick light steps, Strong and smooth], every: 45s, last_rep: Last one. Empty the tank.}
steps:
  - warmup: 10min
    cadence: 160
    say: Easy jog. Keep it conversational.
    cues: [Tall posture, {at: 5min, say: Loose hands}]
  - repeat: 8
    name: Main set
    steps:
      - run: 400m
        pace: 1:36/400m
        cadence: +6%
        say: Rep {rep} of {reps}. Quick turnover.
      - jog: 90s
        cadence: 160
  - repeat: 2
    rest_between: 60s
    steps:
      - repeat: 3
        steps:
          - exercise: Side plank
            time: 40s
            sides: true
            say: Round {round} of {rounds}, set {rep}.
  - cooldown: 8min
"""

HEAD = "title: T\nsteps:\n"


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def bomb() -> str:
    """A billion-laughs document: nine-fold expansion on each of many levels."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


# (name, document, line, column, in the message, in the hint)
BROKEN = [
    ("typo key", HEAD + "  - run: 5min\n    cadense: 170\n", 4, 5,
     "unknown key 'cadense'", "did you mean 'cadence'?"),
    ("typo key at the top", "title: T\ndescripton: x\nsteps: [{run: 5min}]\n", 2, 1,
     "unknown key 'descripton'", "did you mean 'description'?"),
    ("unknown key lists the valid ones", "title: T\nvoice: {speed: 3}\nsteps: [{run: 5min}]\n", 2, 9,
     "unknown key 'speed'", "keys allowed here: engine, model, name, rate"),
    ("10m warmup", HEAD + "  - warmup: 10m\n", 3, 13, "10m is 10 metres", "did you mean 10min?"),
    ("wrong type", HEAD + "  - repeat: eight\n    steps: [{run: 1min}]\n", 3, 13,
     "repeat must be a whole number, got 'eight'", "whole number"),
    ("negative repeat", HEAD + "  - repeat: -2\n    steps: [{run: 1min}]\n", 3, 13,
     "repeat must be at least 1, got -2", "at least 1"),
    ("zero repeat", HEAD + "  - repeat: 0\n    steps: [{run: 1min}]\n", 3, 13,
     "repeat must be at least 1, got 0", "at least 1"),
    ("fractional repeat", HEAD + "  - repeat: 2.5\n    steps: [{run: 1min}]\n", 3, 13,
     "repeat must be a whole number, got 2.5", "whole number"),
    ("tab indentation", "title: T\nsteps:\n\t- run: 5min\n", 3, 1, "tab", "indent with spaces, not tabs"),
    ("tab after spaces", HEAD + "  - run: 5min\n  \tpace: 4:00/km\n", 4, 3, "tab", "indent with spaces, not tabs"),
    ("empty file", "", 1, 1, "empty", "'title:' and 'steps:'"),
    ("comments only", "# a workout\n# to be written\n", 1, 1, "empty", "'title:' and 'steps:'"),
    ("duplicate key", HEAD + "  - run: 400m\n    pace: 1:30/400m\n    pace: 1:32/400m\n", 5, 5,
     "duplicate key 'pace'", "already given on line 4"),
    ("distance with no pace", HEAD + "  - run: 400m\n", 3, 10,
     "run: 400m needs a pace to become a time", "add e.g. pace: 1:30/400m"),
    ("unknown step kind", HEAD + "  - sprint: 100m\n", 3, 5, "unknown step kind 'sprint'", "did you mean 'stride'?"),
    ("two kinds in one step", HEAD + "  - run: 5min\n    jog: 1min\n", 4, 5,
     "a step has one kind, but this one has 'run' and 'jog'", "'- '"),
    ("step with no kind", HEAD + "  - say: hello\n", 3, 5, "this step has no kind", "warmup, run"),
    ("step that is only a word", HEAD + "  - run\n", 3, 5, "step 'run' has nothing after it", "- run: 10min"),
    ("missing title", "steps:\n  - run: 5min\n", 1, 1, "a workout needs 'title'", "title: "),
    ("empty title", "title: ''\nsteps: [{run: 5min}]\n", 1, 8, "title must not be empty", "title"),
    ("missing steps", "title: T\n", 1, 1, "a workout needs 'steps'", "- run: 20min"),
    ("empty steps", "title: T\nsteps: []\n", 2, 8, "steps must not be empty", "at least one step"),
    ("steps not a list", "title: T\nsteps: {run: 5min}\n", 2, 8, "steps must be a list, got a mapping", "'- '"),
    ("exercise without time", HEAD + "  - exercise: Plank\n", 3, 5, "an exercise step needs 'time'", "time: 40s"),
    ("repeat without steps", HEAD + "  - repeat: 3\n", 3, 5, "a repeat step needs 'steps'", "steps:"),
    ("bad duration", HEAD + "  - exercise: Plank\n    time: forty\n", 4, 11, "'forty' is not a duration", "45s"),
    ("bad length", HEAD + "  - run: 5 mins and a bit\n", 3, 10, "not a duration or a distance", "400m"),
    ("no length", HEAD + "  - run:\n", 3, 9, "expected a step length, got nothing", "10min"),
    ("bad pace", HEAD + "  - run: 400m\n    pace: 5 a lap\n", 4, 11, "pace '5 a lap' is not time per distance",
     "5:55/mi"),
    ("unknown pace name", HEAD + "  - run: 400m\n    pace: fast\n", 4, 11, "unknown pace name 'fast'",
     "(E, M, T, I, R)"),
    ("absurd pace", HEAD + "  - run: 400m\n    pace: 30s/400m\n", 4, 11, "faster than anyone runs", "2:20/km"),
    ("named pace without a runner", HEAD + "  - run: 400m\n    pace: mile\n", 4, 11,
     "pace 'mile' is a race pace of the runner, and no mile or race time is given", "--mile 6:40"),
    ("relative pace without a runner", HEAD + "  - run: 400m\n    pace: mile - 3s/400m\n", 4, 11,
     "is a race pace of the runner", "runner: {mile"),
    ("impossible mile", "title: T\nrunner: {mile: '1:30'}\nsteps: [run: 1min]\n", 2, 16,
     "faster than the world record", "6:40"),
    ("relative cadence without runner cadence", HEAD + "  - run: 5min\n    cadence: +6%\n", 4, 14,
     "relative to the runner's cadence", "add runner: {cadence: 166}"),
    ("cadence out of range", HEAD + "  - run: 5min\n    cadence: 300\n", 4, 14, "outside 100–240", "150–190"),
    ("unknown template variable", HEAD + "  - repeat: 2\n    steps:\n      - run: 5min\n        say: Rep {repp}\n",
     6, 14, "unknown template variable '{repp}'", "did you mean {rep}?"),
    ("{rep} outside a repeat", HEAD + "  - run: 5min\n    say: Rep {rep}\n", 4, 10,
     "{rep} is only known inside a repeat", "repeat: N"),
    ("{round} in a single repeat", HEAD + "  - repeat: 2\n    steps:\n      - run: 5min\n        say: Round {round}\n",
     6, 14, "{round} needs a repeat inside a repeat", "{rep}"),
    ("{reps} in a top-level cue", HEAD + "  - run: 5min\n    cues: [a, '{reps} left']\n", 4, 15,
     "{reps} is only known inside a repeat", "repeat"),
    ("unbalanced brace", HEAD + "  - run: 5min\n    say: hi {\n", 4, 10, "'{' without its partner", "{{"),
    ("cue after the step ends", HEAD + "  - run: 5min\n    cues: [{at: 6min, say: hi}]\n", 4, 17,
     "cue at 6min comes after the step ends (5min)", "from the start of the step"),
    ("misspelt cue key", HEAD + "  - run: 5min\n    cues: [{at: 1min, sy: hi}]\n", 4, 23,
     "unknown key 'sy'", "did you mean 'say'?"),
    ("literal choice", HEAD + "  - run: 5min\n    effort: medium\n", 4, 13,
     "effort must be one of easy, steady, hard, max, got 'medium'", "easy, steady, hard, max"),
    ("literal near miss", "title: T\nunits: imperal\nsteps: [{run: 5min}]\n", 2, 8,
     "units must be one of imperial, metric", "did you mean 'imperial'?"),
    ("countdown too long", HEAD + "  - run: 5min\n    countdown: 20\n", 4, 16,
     "countdown must be at most 10", "at most 10"),
    ("bool expected", "title: T\nbeats: {duck: maybe}\nsteps: [{run: 5min}]\n", 2, 15,
     "duck must be true or false, got 'maybe'", "true or false"),
    ("mapping expected", "title: T\nrunner: 166\nsteps: [{run: 5min}]\n", 2, 9,
     "runner must be a mapping of keys, got 166", "key: value"),
    ("text expected", "title: [a, b]\nsteps: [{run: 5min}]\n", 1, 8, "title must be text, got a list", "text"),
    ("bad level", "title: T\nbeats: {level: loud}\nsteps: [{run: 5min}]\n", 2, 16, "'loud' is not a level", "-12dB"),
    ("race without distance", "title: T\nrunner: {race: {time: '22:30'}}\nsteps: [{run: 5min}]\n", 2, 16,
     "race needs 'distance'", "distance: 5k"),
    ("top-level list", "- run: 5min\n", 1, 1, "a workout must be a mapping of keys, not a list", "title:"),
    ("top-level text", "just some words\n", 1, 1, "not a single value", "title:"),
    ("python tag", "title: !!python/object:os.system x\nsteps: [{run: 5min}]\n", 1, 8,
     "unknown tag '!!python/object:os.system'", "remove the tag"),
    ("python tag at the top", "!!python/object/apply:os.system [ls]\n", 1, 1,
     "unknown tag '!!python/object/apply:os.system'", "plain YAML"),
    ("custom tag", HEAD + "  - run: !fast 5min\n", 3, 10, "unknown tag '!fast'", "remove the tag"),
    ("alias bomb", bomb(), 5, 35, "more than 50,000 values", "aliases expand it"),
    ("too many aliases", "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n", 2, 405, "more than 100 aliases", "aliases"),
    ("alias inside itself", "a: &a [*a]\n", 1, 4, "contains it", "can't contain itself"),
    ("undefined alias", "title: *name\nsteps: [{run: 5min}]\n", 1, 8, "alias names no anchor", "&name"),
    ("unclosed quote", 'title: "Tempo\nsteps: [{run: 5min}]\n', 1, 8, "quote is never closed", "quote"),
    ("bad indentation", HEAD + "  - run: 5min\n   pace: 4:00/km\n", 4, 4, "indented differently", "same column"),
    ("colon in plain text", "title: Note: go easy\nsteps: [{run: 5min}]\n", 1, 12, "unexpected ':'", "quotes"),
    ("missing colon", "title: T\nsteps\n  - run: 5min\n", 2, 1, "expected 'key: value'", "':'"),
    ("unclosed bracket", "title: T\nsteps: [{run: 5min}\n", 2, 8, "not closed", "']'"),
    ("two documents", "title: a\nsteps: [{run: 5min}]\n---\ntitle: b\n", 3, 1, "second document", "one document"),
    ("control character", "title: T\x07\nsteps: [{run: 5min}]\n", 1, 9, "control character (U+0007)", "plain text"),
    ("nested too deeply", "title: " + "[" * 100 + "]" * 100 + "\n", 1, 71, "more than 64 levels", "flatten"),
]


@pytest.mark.parametrize("name, text, line, column, message, hint", BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_document(name, text, line, column, message, hint):
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text, "w.yaml")
    err = caught.value
    assert (err.file, err.line, err.column) == ("w.yaml", line, column), str(err)
    assert message in err.message, str(err)
    assert err.hint and hint in err.hint, str(err)
    for pydantic_words in ("Input should", "Value error", "Field required", "pydantic", "http"):
        assert pydantic_words not in str(err)


def test_there_are_many_broken_documents():
    assert len(BROKEN) >= 20


def test_the_error_reads_as_one_line():
    with pytest.raises(WorkoutError) as caught:
        parse_workout("title: T\nsteps:\n  - warmup: 10m\n", "workouts/x.yaml")
    assert str(caught.value) == "workouts/x.yaml:3:13: 10m is 10 metres — did you mean 10min?"


def test_the_first_problem_in_the_document_is_reported():
    text = HEAD + "  - run: 5min\n    effort: medium\n  - jog: forever\n"
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text)
    assert caught.value.line == 4


# ---------------------------------------------------------------- files


def test_load_reads_a_file(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    workout = load_workout(path)
    assert workout.source == str(path)
    assert workout.locate(("steps", 0, "warmup")) == (str(path), 9, 13)


def test_load_accepts_a_byte_order_mark(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + b"title: T\nsteps: [{run: 5min}]\n")
    assert load_workout(path).title == "T"


@pytest.mark.parametrize("name, content, message, hint, line, column", [
    ("missing.yaml", None, "no such file", "path", None, None),
    ("latin1.yaml", "title: Caf\xe9\nsteps: [{run: 5min}]\n".encode("latin-1"), "not UTF-8 text (byte 0xe9)",
     "UTF-8", 1, 11),
    ("big.yaml", b"# " + b"x" * 1_000_001 + b"\n", "larger than 1 MB", "right file", None, None),
])
def test_load_errors(tmp_path: Path, name, content, message, hint, line, column):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkoutError) as caught:
        load_workout(path)
    err = caught.value
    assert err.file == str(path) and (err.line, err.column) == (line, column)
    assert message in err.message and hint in err.hint


def test_load_refuses_a_folder(tmp_path: Path):
    with pytest.raises(WorkoutError, match="folder"):
        load_workout(tmp_path)


# ---------------------------------------------------------------- good documents


def test_the_example_loads():
    workout = parse_workout(EXAMPLE, "mile.yaml")
    assert workout.title == "Mile sharpener — 8 × 400 m"
    assert workout.kind == "intervals" and workout.units == "metric"
    assert workout.runner.cadence == 166
    assert (workout.voice.name, workout.voice.rate) == ("en-us", 175)
    assert (workout.beats.sound, workout.beats.level, workout.beats.duck) == ("click", -26.0, True)
    assert workout.prompts.every == 45_000 and workout.prompts.last_rep == "Last one. Empty the tank."
    assert [step.kind for step in workout.steps] == ["warmup", "repeat", "repeat", "cooldown"]


def test_running_steps():
    warmup, main, _, cooldown = parse_workout(EXAMPLE).steps
    assert isinstance(warmup, RunningStep) and warmup.length == 600_000 and warmup.pace is None
    assert warmup.cadence == Cadence(spm=160)
    # Values given to the model are read as the language reads them: "5min", or 300 (seconds).
    assert warmup.cues == ["Tall posture", CueAt(at="5min", say="Loose hands")]
    assert warmup.cues[1].at == 300_000
    run, jog = main.steps
    assert (run.kind, run.length, run.pace) == ("run", Distance(400), Pace(240.0))
    assert run.cadence == Cadence(percent=6)
    assert (jog.kind, jog.length) == ("jog", 90_000)
    assert cooldown.length == 480_000 and cooldown.prompts is True and cooldown.countdown is None


def test_nested_repeats_and_exercises():
    main, circuit = parse_workout(EXAMPLE).steps[1:3]
    assert isinstance(main, RepeatStep) and (main.repeat, main.name, main.rest_between) == (8, "Main set", None)
    assert (circuit.repeat, circuit.rest_between) == (2, 60_000)
    inner = circuit.steps[0]
    assert isinstance(inner, RepeatStep) and inner.repeat == 3
    plank = inner.steps[0]
    assert isinstance(plank, ExerciseStep)
    assert (plank.kind, plank.exercise, plank.time, plank.sides) == ("exercise", "Side plank", 40_000, True)


@pytest.mark.parametrize("kind", RUNNING_KINDS)
def test_every_running_kind(kind):
    step = parse_workout(f"title: T\nsteps:\n  - {kind}: 1:30\n").steps[0]
    assert (step.kind, step.length) == (kind, 90_000)


def test_defaults():
    workout = parse_workout("title: Easy\nsteps: [{run: 30min}]\n")
    assert (workout.kind, workout.units, workout.runner, workout.description) == ("run", "metric", None, None)
    assert (workout.voice.name, workout.voice.rate) == ("en-us", 175)
    beats = workout.beats
    assert (beats.sound, beats.accent, beats.level, beats.duck) == ("woodblock", 0, -18.0, True)
    assert (workout.prompts.mantras, workout.prompts.every, workout.prompts.last_rep) == ([], 60_000, None)
    step = workout.steps[0]
    assert (step.name, step.say, step.cues, step.cadence, step.effort, step.prompts, step.countdown) == (
        None, None, [], None, None, True, None)


def test_step_keys_and_yaml_words():
    text = doc("""
        title: T
        runner: {name: Sam, race: {distance: 5k, time: "22:30"}, cadence: 170spm}
        beats: {sound: woodblock, accent: 4, level: -6 dB, duck: off}
        steps:
          - stride: 100m
            pace: 3:20/km
            name: Fast stride
            effort: max
            prompts: no
            countdown: 0
            cadence: off
          - walk: 2 minutes
            cadence: 172.5
          - exercise: Dead bug
            time: 45
    """)
    workout = parse_workout(text)
    assert workout.runner.mile is None and workout.runner.race.distance == Distance(5000)
    assert workout.runner.race.time == 1_350_000 and workout.runner.cadence == 170
    assert (workout.beats.sound, workout.beats.accent, workout.beats.level, workout.beats.duck) == (
        "woodblock", 4, -6.0, False)
    stride, walk, bug = workout.steps
    assert (stride.name, stride.effort, stride.prompts, stride.countdown, stride.cadence) == (
        "Fast stride", "max", False, 0, None)
    assert walk.length == 120_000 and walk.cadence == Cadence(spm=172.5)
    assert bug.time == 45_000 and bug.sides is False


def test_yaml_anchors_and_merge_keys():
    text = doc("""
        title: T
        steps:
          - &stride {stride: 20s, cadence: 180}
          - <<: *stride
            cadence: 185
    """)
    first, second = parse_workout(text).steps
    assert (first.length, first.cadence.spm) == (20_000, 180)
    assert (second.kind, second.length, second.cadence.spm) == ("stride", 20_000, 185)


def test_quoted_and_numeric_scalars_stay_what_was_written():
    workout = parse_workout('title: 2024\nsteps: [{exercise: "yes", time: "1:30"}]\n')
    assert workout.title == "2024"
    assert (workout.steps[0].exercise, workout.steps[0].time) == ("yes", 90_000)


# ---------------------------------------------------------------- positions


def test_locate_points_at_values_and_keys():
    workout = parse_workout(EXAMPLE, "mile.yaml")
    assert workout.locate(("steps", 1, "steps", 0, "cadence")) == ("mile.yaml", 18, 18)
    assert workout.locate(("steps", 1, "steps", 0, "cadence"), key=True) == ("mile.yaml", 18, 9)
    assert workout.locate(("steps", 0, "cues", 1, "at")) == ("mile.yaml", 12, 31)
    assert workout.locate(()) == ("mile.yaml", 1, 1)


def test_locate_falls_back_to_the_nearest_ancestor():
    workout = parse_workout(EXAMPLE, "mile.yaml")
    assert workout.locate(("steps", 1, "steps", 0, "effort")) == ("mile.yaml", 16, 9)
    assert workout.locate(("nowhere", 3)) == ("mile.yaml", 1, 1)


def test_error_is_located_for_later_stages():
    workout = parse_workout(EXAMPLE, "mile.yaml")
    err = workout.error(("steps", 1, "steps", 0, "cadence"), "relative cadence needs runner.cadence",
                        "add runner: {cadence: 170}")
    assert isinstance(err, WorkoutError)
    assert str(err) == "mile.yaml:18:18: relative cadence needs runner.cadence — add runner: {cadence: 170}"


def test_a_model_built_in_code_has_no_positions():
    workout = Workout.model_validate({"title": "T", "steps": [{"run": "5min"}]})
    assert workout.source == "<string>" and workout.locate(("steps", 0)) == ("<string>", None, None)


# ---------------------------------------------------------------- the model


def test_models_are_frozen():
    workout = parse_workout(EXAMPLE)
    with pytest.raises(ValidationError, match="frozen"):
        workout.title = "other"
    with pytest.raises(ValidationError, match="frozen"):
        workout.steps[0].say = "other"


def test_the_static_step_union_names_every_step_model():
    """model.Step is written out for the type checker; it must hold each tagged step model, in order."""
    from typing import get_args

    from audiocoach.language.model import TAGGED_MODELS, Step

    union = get_args(Step)[0]
    members = [(get_args(m)[1].tag, get_args(m)[0]) for m in get_args(union)]
    assert members == [(tag, cls) for tag, cls in TAGGED_MODELS.items() if tag.startswith("step:")]
    assert all(tag == f"step:{cls.KIND if hasattr(cls, 'KIND') else 'repeat'}" for tag, cls in members)


def test_dump_writes_the_language_back():
    workout = parse_workout(EXAMPLE)
    dumped = workout.model_dump(exclude_defaults=True)
    assert dumped["steps"][0] == {"warmup": "10min", "say": "Easy jog. Keep it conversational.",
                                  "cues": ["Tall posture", {"at": "5min", "say": "Loose hands"}], "cadence": "160"}
    again = parse_workout(yaml.safe_dump(workout.model_dump(), allow_unicode=True, sort_keys=False))
    assert again.model_dump() == workout.model_dump()


def test_json_schema_has_one_schema_per_step_kind():
    schema = Workout.model_json_schema()
    json.dumps(schema)
    for name in ("RunStep", "WarmupStep", "CooldownStep", "ExerciseStep", "RepeatStep", "CueAt"):
        assert name in schema["$defs"]
    assert "run" in schema["$defs"]["RunStep"]["required"]
    assert schema["$defs"]["RunStep"]["additionalProperties"] is False


# ---------------------------------------------------------------- errors


def test_error_text_leaves_out_unknown_parts():
    assert str(WorkoutError("m", file="x.yaml", line=12, column=5, hint="h")) == "x.yaml:12:5: m — h"
    assert str(WorkoutError("m", file="x.yaml")) == "x.yaml: m"
    assert str(WorkoutError("m", file="x.yaml", line=3)) == "x.yaml:3: m"
    assert str(BuildError("disk full")) == "disk full"
    assert issubclass(WorkoutError, AudiocoachError) and issubclass(BuildError, AudiocoachError)


def test_errors_survive_pickling():
    import pickle
    err = WorkoutError("m", file="x.yaml", line=1, column=2, hint="h")
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), str(again), again.hint) == (WorkoutError, str(err), "h")


# ---------------------------------------------------------------- the reference stays in step

DOCS = Path(__file__).parent.parent / "docs" / "workout-language.md"


def _models(model=Workout, found=None) -> list:
    """Every model a workout document can reach: the workout, its settings, each step kind, cues, announce."""
    from typing import get_args

    from pydantic import BaseModel
    found = [] if found is None else found
    if model in found:
        return found
    found.append(model)
    pending = [field.annotation for field in model.model_fields.values()]
    while pending:
        annotation = pending.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _models(annotation, found)
        else:
            pending += [arg for arg in get_args(annotation) if arg is not None]
    return found


def _table_keys(text: str) -> set[str]:
    """Keys named in the first cell of a reference table row: `| `key` |` or `| `a`, `b` |`."""
    import re
    return {key for line in text.splitlines() if line.startswith("| ")
            for key in re.findall(r"`([a-z_]+)", line.split("|")[1])}


def _yaml_examples(text: str) -> str:
    return "\n".join(block.split("```", 1)[0] for block in text.split("```yaml\n")[1:])


def test_the_reference_has_a_table_row_for_every_key_of_every_model():
    from audiocoach.language.model import Announce, CueAt, RepeatStep, StepAnnounce
    models = _models()
    assert {Announce, StepAnnounce, CueAt, RepeatStep} <= set(models)  # the walk reaches the nested models
    rows = _table_keys(DOCS.read_text(encoding="utf-8"))
    missing = sorted({f"{model.__name__}.{key}" for model in models for key in model.model_fields
                      if key not in rows})
    assert not missing, f"docs/workout-language.md has no table row for {missing}"


def test_a_new_field_would_be_noticed():
    from pydantic import create_model

    from audiocoach.language.model import Beats
    grown = create_model("Beats", __base__=Beats, swing=(int, 0))
    rows = _table_keys(DOCS.read_text(encoding="utf-8"))
    assert [key for key in grown.model_fields if key not in rows] == ["swing"]


def test_the_reference_shows_every_step_kind_and_template_variable_in_an_example():
    from audiocoach.language.model import STEP_KINDS
    from audiocoach.language.templates import VARIABLES
    examples = _yaml_examples(DOCS.read_text(encoding="utf-8"))
    assert [kind for kind in STEP_KINDS if f"- {kind}:" not in examples] == []
    assert [name for name in VARIABLES if "{" + name + "}" not in examples] == []


def test_every_yaml_example_in_the_reference_is_yaml():
    text = DOCS.read_text(encoding="utf-8")
    for block in text.split("```yaml\n")[1:]:
        yaml.safe_load(block.split("```", 1)[0])


def test_the_reference_example_loads():
    text = DOCS.read_text(encoding="utf-8")
    first_example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert parse_workout(first_example).model_dump() == parse_workout(EXAMPLE).model_dump()
