"""A JSON Schema of the workout language, for editors (yaml-language-server) and validators.

It starts from ``Workout.model_json_schema()`` and makes it useful while typing: every key
gets a description, quantities get patterns that accept every form the loader reads, and the
loose spellings the loader also takes (``duck: off``, ``title: 2024``) stay valid, so the
schema never flags a workout that builds. What a schema cannot see (template variables, a
distance step without a pace, the limits) is left to ``audiocoach check``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from audiocoach.coaching.phrases import PHRASES
from audiocoach.language.model import RUNNING_KINDS, Workout
from audiocoach.language.music import MUSIC_DESCRIPTION, MUSIC_SCHEMA
from audiocoach.language.quantities import format_duration
from audiocoach.units import DISTANCE_NAMES, RACE_ALIASES, RACE_METRES

__all__ = ["workout_schema", "schema_text", "SCHEMA_URL_PATH"]

SCHEMA_URL_PATH = "docs/workout.schema.json"  # the checked-in copy the examples point at

# ---------------------------------------------------------------- quantity forms


def _ci(word: str) -> str:
    """`word` as a case-insensitive ECMA regex (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else ("\\s+" if c == " " else c) for c in word)


def _any(*words: str) -> str:
    return "(?:" + "|".join(_ci(w) for w in sorted(words, key=len, reverse=True)) + ")"


_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_CLOCK = r"(?:\d+:[0-5]\d|\d+):[0-5]\d(?:\.\d+)?"
_UNITS = [(_NUM, _any("h", "hr", "hrs", "hour", "hours")), (_NUM, _any("min", "mins", "minute", "minutes")),
          (_NUM, _any("s", "sec", "secs", "second", "seconds")), (r"\d+", _any("ms", "msec", "msecs",
                                                                              "millisecond", "milliseconds"))]
# At least one unit, largest first, each at most once: "1h 30min", "1min30s", "500ms".
_COMPOUND = r"(?=\s*\d|\s*\.\d)" + "".join(rf"(?:{n}\s*{u}\s*)?" for n, u in _UNITS)
DURATION = rf"\+?(?:{_NUM}|{_CLOCK}|{_COMPOUND})"
_DIST_UNIT = _any("m", "metre", "metres", "meter", "meters", "km", "k", "kilometre", "kilometres", "kilometer",
                  "kilometers", "mi", "mile", "miles")
DISTANCE = rf"(?:{_NUM}\s*{_DIST_UNIT}|{_any(*DISTANCE_NAMES)})"
PACE = rf"(?:{_NUM}|{_CLOCK}(?:\s*{_ci('min')})?|{_COMPOUND})\s*(?:/|\s{_ci('per')}\s)\s*(?:{DISTANCE}|{_DIST_UNIT})"
_PACE_NAMES = _any(*RACE_METRES, *RACE_ALIASES)  # the races of audiocoach/units.py
NAMED_PACE = rf"(?:{_PACE_NAMES}|[EMTIRemtir])(?:\s*[+-]\s*(?:{_NUM}\s*%|{PACE}))?"
SPM = rf"{_NUM}\s*(?:{_ci('spm')})?"
CADENCE = rf"(?:{SPM}|[+-]\s*{_NUM}\s*%|{_ci('off')})"
LEVEL = rf"[+-]?{_NUM}\s*(?:{_ci('db')})?"


def _pattern(body: str) -> str:
    return rf"^\s*{body}\s*$"


def _number_or_text(pattern: str, *, description: str, examples: list, **number: Any) -> dict:
    """A quantity written as a bare number (with bounds) or as text matching `pattern`."""
    return {"description": description, "examples": examples,
            "anyOf": [{"type": "number", **number}, {"type": "string", "pattern": _pattern(pattern)}]}


def _text(pattern: str, *, description: str, examples: list) -> dict:
    return {"description": description, "examples": examples, "type": "string", "pattern": _pattern(pattern)}


_DURATION_TEXT = ("45s, 10min, 1h30min, 1:30 (m:ss), 1:02:00 (h:mm:ss); a bare number is seconds. "
                  "m is metres, never minutes.")
# Keyed by the description model.py gives each quantity type; each becomes a $defs entry.
QUANTITY_NAMES = {
    "a duration": "Duration", "time from the start of the step": "Offset",
    "a duration (10min, 90s, 1:30) or a distance (400m, 1.5km, 1mi)": "Length", "a distance": "Distance",
    "time per distance": "Pace", "steps per minute, a change from the runner's cadence, or off": "Cadence",
    "steps per minute": "RunnerCadence", "decibels relative to speech": "Level",
}
QUANTITIES: dict[str, dict] = {
    "a duration": _number_or_text(DURATION, description="A duration more than zero: " + _DURATION_TEXT,
                                  examples=["45s", "10min", "1:30", "1h30min", 90], exclusiveMinimum=0,
                                  maximum=86_400),
    "time from the start of the step": _number_or_text(
        DURATION, description="When, from the start of the step: " + _DURATION_TEXT,
        examples=["30s", "2min", "1:40"], minimum=0, maximum=86_400),
    "a duration (10min, 90s, 1:30) or a distance (400m, 1.5km, 1mi)": _number_or_text(
        f"(?:{DURATION}|{DISTANCE})",
        description="How long the step lasts: a duration (10min, 90s, 1:30) or a distance of at least 50 m "
                    "(400m, 1.5km, 1mi, 5k), which needs a pace.",
        examples=["10min", "90s", "400m", "1mi"], exclusiveMinimum=0, maximum=86_400),
    "a distance": _text(DISTANCE, description="A distance: 400m, 1.5km, 5k, 1mi, 800 metres, marathon.",
                        examples=["5k", "1mi", "400m"]),
    "time per distance": _text(f"(?:{PACE}|{NAMED_PACE})",
                               description="Time per distance (5:55/mi, 3:40/km, 1:32/400m, 92s/400m, 6:00 per mile), "
                                           "or a pace of the runner's: a race (mile, 5k, 10k, half, marathon) or a "
                                           "training zone (E, M, T, I, R), optionally adjusted (mile - 3s/400m, "
                                           "5k + 10s/mi, T + 5%). Those need runner: {mile} or {race}.",
                               examples=["1:36/400m", "6:40/mi", "mile", "T", "mile - 3s/400m", "T + 5%"]),
    "steps per minute, a change from the runner's cadence, or off": _number_or_text(
        CADENCE, description="Beat tempo: steps per minute (100–240), a change from runner.cadence (+6%, -3%), "
                             "or off for no beats.", examples=[170, "+6%", "off"], minimum=100, maximum=240),
    "steps per minute": _number_or_text(SPM, description="Natural cadence in steps per minute, 120–230.",
                                        examples=[166, "166spm"], minimum=120, maximum=230),
    "decibels relative to speech": _number_or_text(
        LEVEL, description="Beat loudness relative to the voice, in LU (BS.1770: a steady beat at 170 spm "
                           "measures this much under the speech), −60 to +12.",
        examples=["-18dB", -26], minimum=-60, maximum=12),
}

# pydantic reads these as booleans too; YAML 1.2 keeps yes/no/on/off as text, so list them.
_BOOL_WORDS = ["y", "yes", "on", "true", "t", "1", "n", "no", "off", "false", "f", "0"]
BOOLEAN = {"description": "true or false (yes/no and on/off are read too)",
           "anyOf": [{"type": "boolean"}, {"enum": [0, 1]},
                     {"enum": sorted({v for w in _BOOL_WORDS for v in (w, w.upper(), w.capitalize())})}]}

# ---------------------------------------------------------------- descriptions

_STEP = {
    "name": "A label for the step, spoken as it starts (a template: {rep}, {reps}, {round}, {rounds}).",
    "say": "Spoken as the step starts, after its name and length (a template).",
    "cues": "Phrases for during the step: plain text is spread evenly; {at: 5min, say: …} is said at that time "
            "from the step's start.",
    "cadence": QUANTITIES["steps per minute, a change from the runner's cadence, or off"]["description"],
    "effort": "How hard: easy, steady, hard or max (spoken as 'all out').",
    "prompts": "false keeps mental prompts out of this step.",
    "countdown": "How many numbers the coach counts into this step, 0–10 (default 3).",
    "announce": "Tunes what the coach says by itself in this step; unset keys are inherited.",
    "pace": QUANTITIES["time per distance"]["description"] + " A distance step needs one.",
    "splits": "Split calls every this distance (e.g. 100m): the track says the mark ('200.') when a runner on "
              "pace passes it. Needs a pace.",
    "exercise": "A circuit station: the exercise's name, spoken as it starts.",
    "time": "How long the station lasts (required).",
    "sides": "true splits the station in two halves with 'Switch sides.' at the middle.",
    "repeat": "Runs its steps this many times (1–1000); repeats nest.",
    "steps": "The steps, in order; at least one.",
    "rest_between": "A rest between rounds, not after the last.",
    "music": "Music for this step (or every step inside a repeat), or off; unset keys keep the outer music's.",
}
_ANNOUNCE = {
    "intro": "The opening line: title and summary.", "outro": "The closing line.",
    "start": "The line as each step starts.", "next": "Previews of the next step in recoveries.",
    "halfway": "'Halfway.' in the middle of a step.",
    "remaining": "Calls before the end of a step, e.g. [30s, 10s]; false for none.",
    "countdown": "How many numbers count into a step, 0–10.", "switch": "'Switch sides.' in a sides: true exercise.",
    "rounds": "'Round 2 of 3.' at each round of a circuit.", "last_rep": "'Last one.' on the last rep.",
}
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Workout": {
        "title": "The workout's name, spoken in the intro.",
        "description": "One line about the workout, for people reading the file.",
        "kind": "What sort of session; picks the built-in prompts.",
        "runner": "Who runs it: a mile time or a race (for paces like mile, 5k, T), "
                  "and natural cadence (for +N% cadences). "
                  "The command line (--mile, --race, --cadence, --runner) and rosters override it.",
        "units": "How paces and distances are spoken: metric or imperial.",
        "voice": "Who speaks: the engine (piper or espeak), the voice's language or name, its rate, a Piper model.",
        "beats": "The cadence beat.",
        "prompts": "Mental prompts during work steps.", "announce": "What the coach says by itself, workout-wide.",
        "phrases": "The coach's own sentences replaced by key, e.g. go: Los!",
        "pronounce": "How the voice says names and words, as written -> as spoken, e.g. Nguyen: Win. "
                     "The cue sheet keeps the written form.",
        "music": MUSIC_DESCRIPTION,
        "steps": "The steps, in order; each starts with its kind: warmup, run, stride, hill, stairs, jog, walk, "
                 "rest, cooldown, exercise or repeat.",
    },
    "Runner": {"name": "The runner's name.",
               "mile": "A mile time, e.g. \"6:40\": the runner's paces (VDOT) follow from it.",
               "race": "A recent race instead of a mile: {distance: 5k, time: \"22:30\"} (1500 m to marathon).",
               "cadence": QUANTITIES["steps per minute"]["description"],
               "music": "This runner's music (file, folder or playlist), in place of what the workout's music plays."},
    "Race": {"distance": "The race distance.", "time": "The finishing time."},
    "Voice": {"engine": "piper (a neural voice; the default for English) or espeak (espeak-ng: every language; "
                        "the default for the others).",
              "model": "A Piper .onnx voice file (its .onnx.json beside it), relative to the workout file; "
                       "default: the built-in English voice (joe).",
              "name": "The voice's language (en-us, de); for espeak any espeak-ng voice or voice id (gmw/en-us).",
              "rate": "Speaking speed in words per minute, 80–400 (175: Piper's voice at its own pace)."},
    "Beats": {"sound": "The beat's sound, or none.", "accent": "Accent every N beats, 0 for none.",
              "level": QUANTITIES["decibels relative to speech"]["description"],
              "duck": "Whether beats dip while the coach speaks.",
              "with_music": "false: beats only in steps that play no music."},
    "Prompts": {"mantras": "Your own prompts, said before the built-in ones.",
                "builtin": "Add the built-in prompts for the workout's kind (in the voice's language).",
                "every": "At most one prompt this often.",
                "last_rep": "Said at the start of the last rep of the main set."},
    "Announce": _ANNOUNCE, "StepAnnounce": _ANNOUNCE,
    "CueAt": {"at": "When, from the start of the step (inside the step).", "say": "What to say (a template)."},
    **{name: _STEP for name in ("ExerciseStep", "RepeatStep")},
}
KIND_DESCRIPTIONS = {
    "warmup": "A warm-up", "run": "A run", "stride": "A stride (short, fast, relaxed)", "hill": "A hill climb",
    "stairs": "A stair climb", "jog": "A jog, usually a recovery", "walk": "A walk", "rest": "A standing rest",
    "cooldown": "A cool-down",
}
for _kind in RUNNING_KINDS:
    DESCRIPTIONS[f"{_kind.capitalize()}Step"] = {
        **_STEP, _kind: f"{KIND_DESCRIPTIONS[_kind]}: how long it lasts, a duration or a distance (with pace:)."}


# ---------------------------------------------------------------- building it


def workout_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a workout document."""
    schema = _refine(Workout.model_json_schema())
    schema["$defs"].update(copy.deepcopy({QUANTITY_NAMES[text]: q for text, q in QUANTITIES.items()}))
    schema["$defs"]["Boolean"] = copy.deepcopy(BOOLEAN)
    schema["$defs"]["Music"] = copy.deepcopy(MUSIC_SCHEMA)
    schema["$defs"]["Cadence"]["anyOf"].append({"type": "null"})  # `cadence:` with nothing is no beats
    for name, definition in [("Workout", schema), *schema["$defs"].items()]:
        _describe(name, definition)
    schema["properties"]["phrases"]["propertyNames"] = {"enum": sorted(PHRASES)}
    schema["$defs"]["StepAnnounce"]["properties"]["remaining"]["anyOf"].append({"const": False})
    schema["$defs"]["Announce"]["properties"]["remaining"]["anyOf"].append({"const": False})
    _accept_param_uses(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **{k: v for k, v in schema.items() if k not in ("title", "description")},
            "title": "audiocoach workout",
            "description": "A workout for audiocoach: a title, settings and steps. See docs/workout-language.md."}


def schema_text() -> str:
    """The schema as the text checked in at docs/workout.schema.json."""
    return json.dumps(workout_schema(), indent=2, ensure_ascii=False) + "\n"


def _refine(node: Any) -> Any:
    """Quantities get their forms, booleans their spellings, text also takes numbers."""
    if isinstance(node, list):
        return [_refine(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("description") == MUSIC_DESCRIPTION and "anyOf" not in node:
        return {"$ref": "#/$defs/Music"}
    if node.get("type") == ["string", "number"] and node.get("description") in QUANTITIES:
        keep = {k: v for k, v in node.items() if k in ("title", "default")}
        return {"$ref": f"#/$defs/{QUANTITY_NAMES[node['description']]}", **keep}
    node = {key: _refine(value) for key, value in node.items()}
    if node.get("type") == "boolean":
        return {**{k: v for k, v in node.items() if k != "type"}, "$ref": "#/$defs/Boolean"}
    if node.get("type") == "integer":  # pydantic also reads a quoted whole number: repeat: "8"
        bounds = {k: node.pop(k) for k in ("minimum", "maximum") if k in node}
        node.pop("type")
        node["anyOf"] = [{"type": "integer", **bounds}, {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}]
    if node.get("type") == "string" and not {"enum", "pattern", "const"} & set(node):
        node["type"] = ["string", "number"]  # coerce_numbers_to_str: `title: 2024` is the text "2024"
    return node


PARAM_USE = {"type": "string", "pattern": r"^\s*\$\{\s*[a-z_][a-z0-9_]*\s*\}\s*$",
             "description": "A parameter's value: ${name} of one declared under params:"}


def _accept_param_uses(schema: dict) -> None:
    """Quantities and whole numbers also take ${name} (text takes it anyway): see docs, params."""
    schema["$defs"]["ParamUse"] = PARAM_USE
    use = {"$ref": "#/$defs/ParamUse"}
    for name in set(QUANTITY_NAMES.values()):
        definition = schema["$defs"][name]
        if "anyOf" not in definition:
            definition["anyOf"] = [{k: definition.pop(k) for k in ("type", "pattern") if k in definition}]
        definition["anyOf"].append(use)

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("anyOf") and node["anyOf"][0].get("type") == "integer":
                node["anyOf"].append(use)
            for value in node.values():
                walk(value)

    walk(schema)


def _describe(name: str, definition: dict) -> None:
    """Descriptions on each key (for hover text) and defaults written as the language writes them."""
    table = DESCRIPTIONS.get(name, {})
    if name.endswith("Step"):
        kind = name[:-4].lower()
        definition["title"] = f"{kind} step"
        definition["markdownDescription"] = definition["description"] = _first_line(definition.get("description", ""))
    for key, prop in definition.get("properties", {}).items():
        if key in table:
            prop["description"] = table[key]
        prop.pop("title", None)
        if isinstance(prop.get("default"), int) and not isinstance(prop["default"], bool) and key == "every":
            prop["default"] = format_duration(prop["default"])
        if key == "level" and isinstance(prop.get("default"), float):
            prop["default"] = f"{prop['default']:g}dB"


def _first_line(text: str) -> str:
    return text.replace("``", "`").split("\n")[0]
