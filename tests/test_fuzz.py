"""Fuzzing the loader and the planner: whatever the document, only AudiocoachError comes out.

Three sources of documents: workouts built from the language's own keys with plausible and
hostile values (valid-shaped), those same workouts with bytes cut and spliced (near misses),
and arbitrary text and bytes (garbage). Each goes through the loader and, when it loads, the
planner with a fake speech measure (no audio).

`make test` runs the short profile; `make fuzz` runs at least 10,000 examples per test:

    AUDIOCOACH_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""

import contextlib
import os
import re as _re
import time as _time

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audiocoach.coaching.phrase_table import phrases_for
from audiocoach.coaching.plan import make_plan
from audiocoach.errors import AudiocoachError
from audiocoach.language import RUNNING_KINDS, parse_workout
from audiocoach.language.loader import parse_workout_bytes

_RELAXED = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("fuzz-quick", max_examples=120, **_RELAXED)
settings.register_profile("fuzz-long", max_examples=10_000, **_RELAXED)
# Applied per test (not loaded globally), so the other property tests keep their own settings.
FUZZ = settings.get_profile("fuzz-" + os.environ.get("AUDIOCOACH_FUZZ", "quick"))


def measure(text: str) -> int:
    """A stand-in for the voice: 55 ms a character."""
    return 55 * len(text)


def survives(load) -> None:
    """Load (and plan, if it loads): an AudiocoachError is a fine answer; anything else fails the test."""
    try:
        workout = load()
    except AudiocoachError as err:
        event(f"refused by the loader ({type(err).__name__})")
        return
    try:
        make_plan(workout, measure)
    except AudiocoachError as err:
        event(f"refused by the planner ({type(err).__name__})")
        return
    event("planned")


WORDS = [
    "10min", "90s", "0.5s", "1h", "12h", "13h", "0s", "-5s", "400m", "5k", "1mi", "1:36/400m", "4:30/km",
    "7:00/mi", "10s/400m", "+5%", "-3%", "+50%", "170", "170spm", "99", "off", "easy", "hard", "{rep}",
    "{reps}", "{round}", "{rounds}", "Rep {rep} of {reps}", "{nope}", "{", "}", "", " ", "nan", "inf",
    "1e400", "click", "none", "hihat", "en-us", "de", "xx-nope", "-12dB", "true", "~", "*a", "&a", "\t",
    "Últimos 400 m", "\u202e", "\x00",
]
SCALARS = st.one_of(
    st.sampled_from(WORDS), st.integers(-(10**6), 10**6), st.sampled_from([0, 1, 2, 1000, 1001, 10**20]),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.text(max_size=12),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.sampled_from(WORDS), SCALARS,
                                                                            max_size=2))
# What each key usually holds; a hostile document draws from SCALARS and VALUES as well.
GOOD = {
    "run": st.sampled_from(["20s", "3min", "400m", "1k", "1:30"]), "exercise": st.sampled_from(["Plank", "Squats"]),
    "time": st.sampled_from(["30s", "45s"]), "name": st.sampled_from(["Main", "Rep {rep}", "Round {round}"]),
    "say": st.sampled_from(["Easy.", "Rep {rep} of {reps}.", "Round {round} of {rounds}.", "Go!"]),
    "cues": st.sampled_from([["Tall posture."], [{"at": "10s", "say": "Now."}], [{"at": "5min", "say": "Late."}]]),
    "cadence": st.sampled_from([170, "165spm", "+5%", "-3%", "off"]), "effort": st.sampled_from(["easy", "hard"]),
    "pace": st.sampled_from(["1:36/400m", "4:30/km", "8:00/mi"]), "prompts": st.booleans(),
    "countdown": st.integers(0, 5), "sides": st.booleans(), "rest_between": st.sampled_from(["30s", "1min"]),
    "repeat": st.integers(1, 4),
}
STEP_KEYS = ["name", "say", "cues", "cadence", "effort", "pace", "prompts", "countdown", "sides", "announce",
             "time", "bogus"]
KINDS = [*RUNNING_KINDS, "exercise", "repeat"]


def value(key: str, hostile: bool):
    good = GOOD.get(key, GOOD["run"] if key in RUNNING_KINDS else SCALARS)
    return st.one_of(good, VALUES) if hostile else good


@st.composite
def steps(draw, hostile: bool, depth: int = 0) -> list:
    return draw(st.lists(step(hostile, depth), min_size=0 if hostile and depth else 1, max_size=4))


@st.composite
def step(draw, hostile: bool, depth: int):
    kind = draw(st.sampled_from(KINDS))
    if kind == "repeat":
        body = {"repeat": draw(value("repeat", hostile)), "steps": draw(steps(hostile, depth + 1))}
        if draw(st.booleans()):
            body["rest_between"] = draw(value("rest_between", hostile))
        return body if depth < 3 else {"run": "1min"}
    body = {kind: draw(value(kind, hostile))}
    if kind == "exercise":
        body["time"] = draw(value("time", hostile))
    keys = STEP_KEYS if hostile else STEP_KEYS[:-3]
    for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        body[key] = draw(value(key, hostile))
    return draw(VALUES) if hostile and not draw(st.integers(0, 19)) else body  # now and then not a mapping


@st.composite
def workouts(draw) -> dict:
    hostile = draw(st.integers(0, 2)) == 0
    doc = {"title": draw(st.one_of(st.just("Fuzzed"), SCALARS) if hostile else st.just("Fuzzed")),
           "steps": draw(steps(hostile))}
    optional = {
        "runner": st.fixed_dictionaries({}, optional={"cadence": st.one_of(st.just(166), SCALARS)}),
        "prompts": st.fixed_dictionaries({}, optional={"mantras": st.one_of(st.just(["Relax.", "Tall."]), VALUES),
                                                        "every": st.one_of(st.just("40s"), SCALARS),
                                                        "last_rep": st.one_of(st.just("Last one."), SCALARS)}),
        "beats": st.fixed_dictionaries({}, optional={"sound": st.sampled_from(["click", "hihat", "none", "bad"]),
                                                      "accent": SCALARS, "level": SCALARS}),
        "voice": st.fixed_dictionaries({}, optional={"name": SCALARS, "rate": SCALARS}),
        "kind": SCALARS, "description": SCALARS, "units": SCALARS, "phrases": VALUES, "extra": VALUES,
    }
    keys = sorted(optional) if hostile else ["runner", "prompts", "beats"]
    for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        doc[key] = draw(optional[key])
    return doc


def dump(doc) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@FUZZ
@given(workouts())
def test_valid_shaped_workouts(doc):
    survives(lambda: parse_workout(dump(doc), "fuzz.yaml"))


@FUZZ
@given(workouts(), st.data())
def test_spliced_workouts(doc, data):
    text = dump(doc)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 20)))
    insert = data.draw(st.one_of(st.text(max_size=8),
                                 st.sampled_from(["*a", "&a ", ": ", "- ", "\n  ", "!!", "{", "["])))
    survives(lambda: parse_workout(text[:start] + insert + text[end:], "fuzz.yaml"))


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_garbage(raw: bytes):
    survives(lambda: parse_workout_bytes(raw, "fuzz.yaml"))


# ---------------------------------------------------------------- hostile shapes (issue 12)
# Merge keys, control characters and dense cues: whatever the shape, the answer is an
# AudiocoachError or a plan, and what a plan says holds no control character. The slowest
# example of each test is printed at the end (a figure, not an assertion).

_SLOWEST: dict[str, tuple[float, float]] = {}  # test -> (CPU, wall) seconds of its slowest example


@pytest.fixture(scope="module", autouse=True)
def _report_slowest(request):
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        for name, (cpu, wall) in sorted(_SLOWEST.items()):
            print(f"\nslowest example of {name}: {cpu * 1000:.0f} ms CPU ({wall * 1000:.0f} ms wall)", end="")


def timed(name: str, load) -> None:
    """survives(load), keeping the slowest example's time for `name` (CPU time: a busy machine
    stretches the wall time of whichever example it happens to slow down)."""
    began, began_cpu = _time.perf_counter(), _time.process_time()
    try:
        survives(load)
    finally:
        cpu, wall = _time.process_time() - began_cpu, _time.perf_counter() - began
        _SLOWEST[name] = max(_SLOWEST.get(name, (0.0, 0.0)), (cpu, wall))


@st.composite
def merge_documents(draw) -> str:
    """Anchored mappings that merge earlier ones (`<<: [*m3, *m1]`), as deep and wide as drawn,
    then steps that merge them: the merge-key bomb and its milder cousins."""
    levels = draw(st.integers(1, 26))
    lines = ["m0: &m0 {run: 1min, say: Go.}"]
    for i in range(1, levels):
        refs = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=4))
        if draw(st.booleans()):
            refs = [i - 1] * len(refs)  # each level doubles (or more) the one before: a bomb
        merged = refs[0] if len(refs) == 1 and draw(st.booleans()) else None
        source = f"*m{merged}" if merged is not None else "[" + ", ".join(f"*m{r}" for r in refs) + "]"
        extra = draw(st.sampled_from(["", ", say: Again.", ", run: 2min", ", cues: [Tall]", ", <<: *m0"]))
        lines.append(f"m{i}: &m{i} {{<<: {source}{extra}}}")
    chosen = draw(st.lists(st.integers(0, levels - 1), min_size=1, max_size=3))
    steps = "".join(f"  - {{<<: *m{c}}}\n" for c in chosen)
    keep = draw(st.booleans())  # the anchors stay as unknown keys (an error after the bomb check), or in steps
    head = "\n".join(lines) + "\n" if keep else ""
    if not keep:
        steps = "".join(f"  - {line.split(': ', 1)[1]}\n" for line in lines) + steps
    return head + "title: Merged\nsteps:\n" + steps


@FUZZ
@given(merge_documents())
def test_merge_keys(text):
    timed("test_merge_keys", lambda: parse_workout(text, "fuzz.yaml"))


CONTROLS = ["\\0", "\\a", "\\b", "\\e", "\\v", "\\f", "\\r", "\\x01", "\\x1b", "\\x7f", "\\x85", "\\x9f", "\\N",
            "\\_", "\\L", "\\P", "\\t", "\\n", "\\u0000", "\\u200b", "\\u202e", "\\U0001F600"]
TEXT_KEYS = ["title", "description", "name", "say", "cue", "at_say", "mantra", "last_rep", "exercise", "voice"]
_BAD = _re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@st.composite
def control_documents(draw) -> str:
    """A plain workout with escapes (and now and then raw characters) in the texts that reach
    tags, file names and sidecars."""
    def text() -> str:
        parts = draw(st.lists(st.one_of(st.sampled_from(CONTROLS), st.sampled_from(["Go", " ", "ok", "{rep}"])),
                              min_size=1, max_size=5))
        return '"' + "".join(parts) + '"'

    where = draw(st.sets(st.sampled_from(TEXT_KEYS), min_size=1, max_size=4))

    def value(key: str, plain: str) -> str:
        return text() if key in where else plain

    doc = (f"title: {value('title', 'T')}\ndescription: {value('description', 'D')}\n"
           f"prompts: {{mantras: [{value('mantra', 'Relax')}], last_rep: {value('last_rep', 'Last')}, every: 20s}}\n"
           f"voice: {{name: {value('voice', 'en-us')}}}\n"
           "steps:\n  - repeat: 2\n    steps:\n"
           f"      - run: 90s\n        name: {value('name', 'Rep')}\n        say: {value('say', 'Go')}\n"
           f"        cues: [{value('cue', 'Tall')}, {{at: 30s, say: {value('at_say', 'Now')}}}]\n"
           f"      - exercise: {value('exercise', 'Plank')}\n        time: 30s\n")
    if draw(st.integers(0, 9)) == 0:  # a raw control character, not an escape
        at = draw(st.integers(0, len(doc)))
        doc = doc[:at] + draw(st.sampled_from(["\x00", "\x07", "\x1b", "\x85", "\u2028"])) + doc[at:]
    return doc


@FUZZ
@given(control_documents())
def test_control_characters(text):
    def load():
        workout = parse_workout(text, "fuzz.yaml")
        plan = make_plan(workout, measure)
        said = [workout.title, workout.description or "", *(c.text for c in plan.cues), *(s.name for s in plan.steps)]
        assert not any(_BAD.search(t) for t in said), said  # nothing to split a tag or an .lrc line
        return workout

    timed("test_control_characters", load)


@st.composite
def dense_documents(draw) -> str:
    """Many cues, often prompts, short steps and big repeats: as dense as the language allows, and past it."""
    every = draw(st.sampled_from(["1ms", "500ms", "1s", "9s", "10s", "11s", "45s"]))
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        count = draw(st.sampled_from([0, 1, 5, 19, 20, 21, 60]))
        length = draw(st.sampled_from(["0.5s", "3s", "30s", "2min", "20min"]))
        timed_cues = draw(st.booleans())
        cues = ", ".join(f"{{at: {i}s, say: Cue {i}}}" if timed_cues else f"Cue {i}" for i in range(count))
        step = f"run: {length}\n        cues: [{cues}]"
        if draw(st.booleans()):
            step += "\n        splits: " + draw(st.sampled_from(["1m", "50m", "100m", "400m"])) + \
                "\n        pace: 4:00/km"
        steps.append(step)
    reps = draw(st.sampled_from([1, 2, 10, 100, 1000]))
    body = "".join(f"      - {s}\n" for s in steps)
    return f"title: Dense\nprompts: {{every: {every}, mantras: [One, Two, Three]}}\nsteps:\n  - repeat: {reps}\n" \
           f"    steps:\n{body}"


@FUZZ
@given(dense_documents())
def test_dense_cues(text):
    timed("test_dense_cues", lambda: parse_workout(text, "fuzz.yaml"))


# ---------------------------------------------------------------- spoken text and phrase templates
# Two generators of issue 12: long digit runs in every text the voice gets (the normaliser
# used to backtrack on them), and format specs in `phrases:` (user text used to reach
# str.format). Each example is timed like the hostile shapes below.

# what the normaliser looks for right after a number: each one a rule that starts there
AFTER_DIGITS = [":", "x", "×", "/", "s", " km", "km", "k", " of ", "st", "th", ".", " min", "@", "w/", " ", ""]
DIGIT_RUNS = st.lists(st.tuples(st.sampled_from(AFTER_DIGITS), st.integers(1, 6_000)), min_size=1, max_size=6).map(
    lambda parts: "".join("7" * n + sep for sep, n in parts)[:25_000])
SPOKEN_PLACES = ["title", "say", "mantra", "cue", "pronounce", "last_rep"]


@st.composite
def digit_run_workouts(draw) -> tuple[str, str]:
    run = draw(DIGIT_RUNS)
    place = draw(st.sampled_from(SPOKEN_PLACES))
    voice = draw(st.sampled_from(["en-us", "de", "es", "fr", "it"]))
    step = {"run": "10min", **({"say": run} if place == "say" else {}), **({"cues": [run]} if place == "cue" else {})}
    doc = {"title": run if place == "title" else "Digits", "voice": {"name": voice},
           "prompts": {"mantras": [run] if place == "mantra" else ["Relax."], "every": "30s",
                       **({"last_rep": run} if place == "last_rep" else {})},
           **({"pronounce": {"Relax": run}} if place == "pronounce" else {}),
           "steps": [{"repeat": 2, "steps": [step, {"jog": "1min"}]}]}
    return place, dump(doc)


@FUZZ
@given(digit_run_workouts())
def test_long_digit_runs_in_spoken_text(example):
    place, text = example
    event(f"digits in {place}")
    timed("long digit runs", lambda: parse_workout(text, "fuzz.yaml"))


FIELD_NAMES = st.sampled_from(["spm", "time", "n", "what", "title", "0", "", "spm.__class__", "spm[0]", "kind_lower",
                               "__import__", "spm.__class__.__mro__"])
SPECS = st.one_of(st.just(""), st.sampled_from([":>999999999", ":,.100000f", ":{spm}", "!r", "!s", ":x", ":%",
                                                ":{spm.__class__.__mro__}", ":0>20", ":^", "!a:>5"]),
                  st.text(alphabet=":!<>^=+-#0123456789,._%bcdeEfFgGnosxX{}[]", max_size=12))


@st.composite
def phrase_templates(draw) -> dict:
    from audiocoach.coaching.phrases import PHRASES

    keys = draw(st.lists(st.sampled_from(sorted(PHRASES)), min_size=1, max_size=4, unique=True))
    phrases = {}
    for key in keys:
        parts = draw(st.lists(st.one_of(st.sampled_from(["Go ", "{{", "}}", "{", "}", " — ", "x"]),
                                        st.tuples(FIELD_NAMES, SPECS).map(lambda f: "{" + f[0] + f[1] + "}")),
                              max_size=4))
        phrases[key] = "".join(parts) or "{"
    return {"title": "Specs", "phrases": phrases, "steps": [{"warmup": "2min", "cadence": 160},
                                                            {"repeat": 2, "steps": [{"run": "1min"}, {"jog": "1min"}]}]}


@FUZZ
@given(phrase_templates())
def test_format_specs_in_phrases(doc):
    text = dump(doc)
    accepted = []

    def load():
        workout = parse_workout(text, "fuzz.yaml")
        accepted.append(workout)
        return workout

    timed("format specs", load)  # survives() plans what loads
    for workout in accepted:  # a template that passes holds bare names only: nothing str.format could run
        try:
            phrases_for(workout)
        except AudiocoachError:
            continue
        assert not any(marker in t for t in workout.phrases.values() for marker in ("{spm:", "{spm!", "{spm."))
