"""Properties of the language, checked on generated input (hypothesis).

(a) Every duration, distance and pace written by a ``format_*`` reads back as the same value.
(b) Whatever text or YAML-shaped document goes in, ``parse_workout`` either returns a Workout
    or raises an AudiocoachError with a location and a hint: nothing else escapes.
(c) A loaded workout dumped back to YAML loads as the same workout.
"""

import math

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audiocoach.defaults import MAX_DURATION_MS
from audiocoach.errors import AudiocoachError
from audiocoach.language import RUNNING_KINDS, Workout, parse_workout
from audiocoach.language.quantities import (
    format_clock,
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- (a) formats read back


@FAST
@given(st.integers(min_value=0, max_value=MAX_DURATION_MS))
def test_a_formatted_duration_reads_back(ms):
    assert parse_duration(format_duration(ms)) == ms
    assert parse_duration(format_clock(ms)) == ms


@FAST
@given(st.integers(min_value=1, max_value=10_000_000))
def test_a_formatted_distance_reads_back(decimetres):
    metres = decimetres / 10
    assert parse_distance(format_distance(metres)).metres == metres


PER = {"km": 1000.0, "mi": 1609.344, "400m": 400.0, "200m": 200.0, "1.5km": 1500.0}


@FAST
@given(st.integers(min_value=140_000, max_value=1_200_000), st.sampled_from(sorted(PER)))
def test_a_formatted_pace_reads_back(ms_per_km, per):
    seconds_per_km = ms_per_km / 1000
    pace = parse_pace(format_pace(seconds_per_km, per))
    # format_pace rounds the time over ``per`` to the millisecond; nothing else is lost.
    assert math.isclose(pace.seconds_per_km, seconds_per_km, abs_tol=0.0005 * 1000 / PER[per] + 1e-9)
    assert pace.seconds_per_km == parse_pace(pace.text).seconds_per_km


# ---------------------------------------------------------------- (b) nothing but AudiocoachError

KEYS = [
    "title", "description", "kind", "runner", "units", "voice", "beats", "prompts", "steps", "name", "rate",
    "sound", "accent", "level", "duck", "mantras", "every", "last_rep", "mile", "race", "distance", "cadence",
    "exercise", "repeat", "time", "sides", "rest_between", "say", "cues", "at", "pace", "effort",
    "countdown", "sprint", "<<", *RUNNING_KINDS,
]
WORDS = [
    "10min", "90s", "1:30", "400m", "10m", "1.5km", "1:32/400m", "mile", "+6%", "off", "-12dB", "170spm",
    "{rep}", "{round}", "{", "Rep {rep} of {reps}", "easy", "click", "imperial", "0", "-3", "1e400", "yes",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10), st.sampled_from(WORDS),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=20,
)
STEPS = st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=4), max_size=4)
DOCUMENTS = st.fixed_dictionaries(
    {"title": SCALARS, "steps": STEPS},
    optional={"runner": VALUES, "voice": VALUES, "beats": VALUES, "prompts": VALUES, "kind": SCALARS},
) | VALUES


def _loads_or_explains(text: str) -> None:
    try:
        assert isinstance(parse_workout(text, "gen.yaml"), Workout)
    except AudiocoachError as err:
        assert err.file == "gen.yaml" and err.line and err.column and err.hint, str(err)
        assert "Input should" not in str(err) and "Value error" not in str(err)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS)
def test_any_yaml_document_loads_or_explains(document):
    _loads_or_explains(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -:#{}[]&*!|>'\"\t\n,?%@`0123456789")) | st.characters(), max_size=80))
def test_any_text_loads_or_explains(text):
    _loads_or_explains(text)


# ---------------------------------------------------------------- (c) dump and load again

DURATIONS = st.integers(1, 3600).map(lambda s: f"{s}s")
RUNNING = st.builds(
    lambda kind, length, say: {kind: length, "say": say, "cadence": 170},
    st.sampled_from(RUNNING_KINDS), DURATIONS, st.sampled_from(["Go", "Relax", "Tall"]),
)
EXERCISE = st.builds(
    lambda name, time, sides: {"exercise": name, "time": time, "sides": sides},
    st.sampled_from(["Plank", "Dead bug", "Lunges"]), DURATIONS, st.booleans(),
)
LEAF = RUNNING | EXERCISE
STEP = st.recursive(
    LEAF, lambda inner: st.builds(lambda n, steps: {"repeat": n, "steps": steps}, st.integers(1, 10),
                                  st.lists(inner, min_size=1, max_size=3)),
    max_leaves=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(STEP, min_size=1, max_size=4))
def test_a_dumped_workout_loads_as_the_same(steps):
    try:
        workout = parse_workout(yaml.safe_dump({"title": "Generated", "steps": steps}))
    except AudiocoachError as err:
        assume("limit" not in err.message)  # over 12 h, 1,000 repetitions or 2,000 steps: see test_limits.py
        raise
    again = parse_workout(yaml.safe_dump(workout.model_dump(), allow_unicode=True))
    assert again.model_dump() == workout.model_dump()
