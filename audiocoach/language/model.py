"""The typed workout model: pydantic classes whose fields are exactly the YAML keys.

Models are frozen and forbid unknown keys, so a validation error's ``loc`` is a YAML path
(plus the tags naming which step class was chosen, listed in ``TAGGED_MODELS``). Quantities
are read by ``quantities`` and written back in the same form by ``model_dump``.

Values given to the model are always read as the language reads them, also from Python: a
bare number for a duration is seconds (``CueAt(at=30, …)`` is 30 s), while the attributes hold
milliseconds (``cue.at == 30_000``).
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

from audiocoach.defaults import BEAT_ACCENT_EVERY, BEAT_DUCK, BEAT_LEVEL_DB, BEAT_SOUND
from audiocoach.errors import WorkoutError
from audiocoach.language._scalars import describe_value, plain_number
from audiocoach.language.music import Music, MusicValue
from audiocoach.language.quantities import (
    Cadence,
    Distance,
    Pace,
    RelativePace,
    format_clock,
    format_distance,
    format_duration,
    parse_cadence,
    parse_distance,
    parse_duration,
    parse_length,
    parse_level_db,
    parse_pace,
    parse_spm,
)
from audiocoach.language.templates import template_variables
from audiocoach.language.yaml_source import Path, Source
from audiocoach.running.vdot import PerformanceError, check_performance
from audiocoach.units import MILE_M

__all__ = [
    "RUNNING_KINDS", "STEP_KINDS", "Workout", "Runner", "Race", "Voice", "Beats", "Prompts",
    "RunningStep", "ExerciseStep", "RepeatStep", "Step", "CueAt", "Cue", "Announce", "StepAnnounce",
    "Distance", "Pace", "Cadence", "StepShapeError", "TAGGED_MODELS", "RUNNING_STEPS", "Music",
]

RUNNING_KINDS = ("warmup", "run", "stride", "hill", "stairs", "jog", "walk", "rest", "cooldown")
STEP_KINDS = RUNNING_KINDS + ("exercise", "repeat")


def _text_schema(description: str, *examples: Any) -> WithJsonSchema:
    return WithJsonSchema({"type": ["string", "number"], "description": description, "examples": list(examples)})


def _dump_length(value: int | Distance) -> str:
    if isinstance(value, Distance):
        return value.text or format_distance(value.metres)
    return format_duration(value)


def _check_template(text: str) -> str:
    template_variables(text)
    return text


def _positive_duration(value: Any) -> int:
    return parse_duration(value, allow_zero=False)


Duration = Annotated[
    int, BeforeValidator(_positive_duration),
    PlainSerializer(format_duration), _text_schema("a duration", "45s", "10min", "1:30", 90),
]
Offset = Annotated[
    int, BeforeValidator(parse_duration), PlainSerializer(format_duration),
    _text_schema("time from the start of the step", "30s", "2min"),
]
Length = Annotated[
    int | Distance, BeforeValidator(parse_length), PlainSerializer(_dump_length),
    _text_schema("a duration (10min, 90s, 1:30) or a distance (400m, 1.5km, 1mi)", "10min", "400m"),
]
DistanceValue = Annotated[
    Distance, BeforeValidator(parse_distance), PlainSerializer(str), _text_schema("a distance", "5k", "1mi"),
]
PaceValue = Annotated[
    Pace | RelativePace, BeforeValidator(parse_pace), PlainSerializer(str),
    _text_schema("time per distance", "5:55/mi", "1:32/400m", "mile", "T", "mile - 3s/400m", "T + 5%"),
]
CadenceValue = Annotated[
    Cadence | None, BeforeValidator(parse_cadence),
    PlainSerializer(lambda c: None if c is None else str(c)),
    _text_schema("steps per minute, a change from the runner's cadence, or off", 170, "+6%", "off"),
]
RunnerCadence = Annotated[
    float, BeforeValidator(lambda v: parse_spm(v, 120, 230)), _text_schema("steps per minute", 166),
]
LevelDb = Annotated[
    float, BeforeValidator(parse_level_db), PlainSerializer(lambda db: f"{plain_number(db)}dB"),
    _text_schema("decibels relative to speech", "-18dB"),
]
Template = Annotated[str, AfterValidator(_check_template)]
Text = Annotated[str, Field(min_length=1)]
Word = Annotated[str, Field(min_length=1, max_length=60)]  # a name in `pronounce:`, as written
MAX_PRONOUNCE = 100  # entries: the voice's text is searched for each, so the cost per character stays bounded

_CONFIG = ConfigDict(
    extra="forbid", frozen=True, coerce_numbers_to_str=True, allow_inf_nan=False, str_strip_whitespace=True,
)


class _Model(BaseModel):
    model_config = _CONFIG


# ---------------------------------------------------------------- steps


class CueAt(_Model):
    """A cue spoken at a set time from the start of its step: ``{at: 5min, say: Loose hands}``."""

    at: Offset
    say: Template


def _cue_tag(value: Any) -> str:
    return "cue:at" if isinstance(value, (dict, CueAt)) else "cue:text"


Cue = Annotated[
    Annotated[Template, Tag("cue:text")] | Annotated[CueAt, Tag("cue:at")], Discriminator(_cue_tag),
]


def _no_calls_if_false(value: Any) -> Any:
    return [] if value is False else value


Remaining = Annotated[list[Duration], BeforeValidator(_no_calls_if_false)]


class StepAnnounce(_Model):
    """What the coach says by itself around a step; unset keys inherit (repeat, then workout, then default)."""

    start: bool | None = None
    next: bool | None = None
    halfway: bool | None = None
    remaining: Remaining | None = None
    countdown: Annotated[int, Field(ge=0, le=10)] | None = None
    switch: bool | None = None
    rounds: bool | None = None
    last_rep: bool | None = None


class Announce(StepAnnounce):
    """Workout-wide announcements: the step keys plus the intro and the outro."""

    intro: bool | None = None
    outro: bool | None = None


class _StepKeys(_Model):
    """Keys every running and exercise step may carry."""

    KIND: ClassVar[str] = ""
    name: Template | None = None
    say: Template | None = None
    cues: list[Cue] = []
    cadence: CadenceValue = None
    effort: Literal["easy", "steady", "hard", "max"] | None = None
    prompts: bool = True
    countdown: Annotated[int, Field(ge=0, le=10)] | None = None
    announce: StepAnnounce | None = None
    music: MusicValue | None = None  # replaces the workout's (or the repeat's) music here: language/music.py

    @property
    def kind(self) -> str:
        """The step's kind, the key it starts with in YAML."""
        return self.KIND

    @model_serializer(mode="wrap")
    def _kind_first(self, handler: Any) -> Any:
        data = handler(self)
        return {self.KIND: data.pop(self.KIND), **data} if isinstance(data, dict) and self.KIND in data else data


class RunningStep(_StepKeys):
    """A running step (one subclass per kind); its kind's key holds a duration or a distance."""

    pace: PaceValue | None = None
    splits: DistanceValue | None = None

    @property
    def length(self) -> int | Distance:
        """Duration in milliseconds, or a Distance."""
        return getattr(self, self.KIND)


class WarmupStep(RunningStep):
    """A warm-up: ``warmup: 10min``."""

    KIND: ClassVar[str] = "warmup"
    warmup: Length


class RunStep(RunningStep):
    """A run: ``run: 400m`` with ``pace: 1:36/400m``, or ``run: 20min``."""

    KIND: ClassVar[str] = "run"
    run: Length


class StrideStep(RunningStep):
    """A stride: ``stride: 20s``."""

    KIND: ClassVar[str] = "stride"
    stride: Length


class HillStep(RunningStep):
    """A hill climb: ``hill: 60s``."""

    KIND: ClassVar[str] = "hill"
    hill: Length


class StairsStep(RunningStep):
    """A stair climb: ``stairs: 45s``."""

    KIND: ClassVar[str] = "stairs"
    stairs: Length


class JogStep(RunningStep):
    """A jog, usually a recovery: ``jog: 90s``."""

    KIND: ClassVar[str] = "jog"
    jog: Length


class WalkStep(RunningStep):
    """A walk: ``walk: 2min``."""

    KIND: ClassVar[str] = "walk"
    walk: Length


class RestStep(RunningStep):
    """A standing rest: ``rest: 30s``."""

    KIND: ClassVar[str] = "rest"
    rest: Length


class CooldownStep(RunningStep):
    """A cool-down: ``cooldown: 8min``."""

    KIND: ClassVar[str] = "cooldown"
    cooldown: Length


RUNNING_STEPS: dict[str, type[RunningStep]] = {
    cls.KIND: cls for cls in (WarmupStep, RunStep, StrideStep, HillStep, StairsStep, JogStep, WalkStep,
                              RestStep, CooldownStep)
}


class ExerciseStep(_StepKeys):
    """A circuit station: ``exercise: Side plank`` with ``time:``; ``sides: true`` splits it in two."""

    KIND: ClassVar[str] = "exercise"
    exercise: Text
    time: Duration
    sides: bool = False


class RepeatStep(_Model):
    """``repeat: N`` runs ``steps`` N times, with ``rest_between`` rounds (not after the last)."""

    KIND: ClassVar[str] = "repeat"
    repeat: Annotated[int, Field(ge=1, le=1000)]
    name: Template | None = None
    steps: Annotated[list[Step], Field(min_length=1)]
    rest_between: Duration | None = None
    announce: StepAnnounce | None = None
    music: MusicValue | None = None

    @property
    def kind(self) -> str:
        return "repeat"


TAGGED_MODELS: dict[str, type[BaseModel]] = {
    **{f"step:{kind}": cls for kind, cls in RUNNING_STEPS.items()},
    "step:exercise": ExerciseStep, "step:repeat": RepeatStep, "cue:at": CueAt,
}
_STEP_KEYS = set(RunningStep.model_fields) | set(ExerciseStep.model_fields) | set(RepeatStep.model_fields)


class StepShapeError(ValueError):
    """A step that is not a mapping with exactly one kind; ``key`` names the key to point at."""

    def __init__(self, message: str, hint: str, key: str | None = None):
        super().__init__(message)
        self.message, self.hint, self.key = message, hint, key


def _check_step_shape(value: Any) -> Any:
    """Pass a step with exactly one kind key; explain anything else."""
    if isinstance(value, (_StepKeys, RepeatStep)):
        return value
    if isinstance(value, str) and value.strip() in STEP_KINDS:
        kind = value.strip()
        example = {"exercise": "Plank", "repeat": "4"}.get(kind, "10min")
        raise StepShapeError(f"step '{kind}' has nothing after it", f"write e.g. '- {kind}: {example}'")
    if not isinstance(value, dict) or not value:
        got = "an empty mapping" if value == {} else describe_value(value)
        raise StepShapeError(f"a step must be a mapping that starts with its kind, got {got}",
                             "write e.g. '- run: 10min', '- exercise: Plank' or '- repeat: 4'")
    kinds = [key for key in value if key in STEP_KINDS]
    if len(kinds) > 1:
        raise StepShapeError(f"a step has one kind, but this one has '{kinds[0]}' and '{kinds[1]}'",
                             "start a new step with '- ' for each", key=kinds[1])
    if not kinds:
        raise _no_kind(value)
    return value


def _no_kind(value: dict) -> StepShapeError:
    listed = ", ".join(STEP_KINDS)
    unknown = [key for key in value if key not in _STEP_KEYS]
    if not unknown:
        return StepShapeError("this step has no kind", f"start it with one of: {listed}", key=next(iter(value)))
    close = difflib.get_close_matches(str(unknown[0]).lower(), STEP_KINDS, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? Step kinds: {listed}" if close else f"step kinds: {listed}"
    return StepShapeError(f"unknown step kind '{unknown[0]}'", hint, key=unknown[0])


def _step_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [key for key in value if key in STEP_KINDS]
        return f"step:{kinds[0]}" if kinds else None
    kind = getattr(value, "KIND", None)
    return f"step:{kind}" if kind else None


# One union member per step class, each tagged "step:<kind>"; the tag is chosen from the key. Written
# out (not built from TAGGED_MODELS) so that the type checker sees it; test_loader checks they agree.
Step = Annotated[
    (
        Annotated[WarmupStep, Tag("step:warmup")]
        | Annotated[RunStep, Tag("step:run")]
        | Annotated[StrideStep, Tag("step:stride")]
        | Annotated[HillStep, Tag("step:hill")]
        | Annotated[StairsStep, Tag("step:stairs")]
        | Annotated[JogStep, Tag("step:jog")]
        | Annotated[WalkStep, Tag("step:walk")]
        | Annotated[RestStep, Tag("step:rest")]
        | Annotated[CooldownStep, Tag("step:cooldown")]
        | Annotated[ExerciseStep, Tag("step:exercise")]
        | Annotated[RepeatStep, Tag("step:repeat")]
    ),
    Discriminator(_step_tag),
    BeforeValidator(_check_step_shape),
]
RepeatStep.model_rebuild()


# ---------------------------------------------------------------- the workout


class FieldProblem(ValueError):
    """A problem found by a model validator, to be shown at the model's key ``key``."""

    def __init__(self, message: str, hint: str, key: str):
        super().__init__(message)
        self.message, self.hint, self.key = message, hint, key


def _possible_mile(ms: int) -> int:
    check_performance(MILE_M, ms / 1000)
    return ms


class Race(_Model):
    """A race result: ``{distance: 5k, time: "22:30"}``; it must be a time a person could run."""

    distance: DistanceValue
    time: Duration

    @model_validator(mode="after")
    def _possible(self) -> Race:
        try:
            check_performance(self.distance.metres, self.time / 1000)
        except PerformanceError as err:
            raise FieldProblem(err.message, err.hint, "time") from None
        return self


class Runner(_Model):
    """Who runs the workout: a mile time or a race (for paces named after the runner), a
    natural cadence (for relative cadences), and a name (for roster builds and the tags)."""

    name: Text | None = None
    mile: Annotated[Duration, AfterValidator(_possible_mile)] | None = None
    race: Race | None = None
    cadence: RunnerCadence | None = None
    music: Annotated[str, Field(min_length=1, max_length=4096)] | None = None  # this runner's music: language/music.py

    @model_validator(mode="after")
    def _one_performance(self) -> Runner:
        if self.mile is not None and self.race is not None:
            raise FieldProblem("a runner has a mile time or a race, not both",
                               "paces come from one performance: keep the one that is most recent", "race")
        return self

    def over(self, base: Runner | None) -> Runner:
        """This runner's keys over ``base``'s: a mile or race given here replaces both of base's."""
        if base is None:
            return self
        given = self.model_fields_set
        update: dict[str, Any] = {key: getattr(self, key) for key in ("name", "cadence", "music") if key in given}
        if given & {"mile", "race"}:
            update |= {"mile": self.mile, "race": self.race}
        return base.model_copy(update=update)

    def performance(self) -> tuple[float, float, str] | None:
        """(metres, seconds, how it was given) of the performance paces come from, or None."""
        if self.mile is not None:
            return MILE_M, self.mile / 1000, f"mile {format_clock(self.mile)}"
        if self.race is not None:
            given = f"{self.race.distance} {format_clock(self.race.time)}"
            return self.race.distance.metres, self.race.time / 1000, given
        return None


class Voice(_Model):
    """The speaking voice: the engine (piper, espeak; default: piper for English, else espeak),
    a voice name (the language; for espeak any espeak-ng voice), words per minute, and for
    Piper an optional .onnx voice file (relative to the workout file)."""

    engine: Literal["piper", "espeak"] | None = None
    model: Text | None = None
    name: Text = "en-us"
    rate: Annotated[int, Field(ge=80, le=400)] = 175


class Beats(_Model):
    """The cadence beat: its sound, an accent every N beats, level, and ducking under speech."""

    sound: Literal["click", "woodblock", "hihat", "cowbell", "none"] = BEAT_SOUND  # defaults: audiocoach/defaults.py
    accent: Annotated[int, Field(ge=0, le=64)] = BEAT_ACCENT_EVERY
    level: LevelDb = BEAT_LEVEL_DB
    duck: bool = BEAT_DUCK
    with_music: bool = True  # false: beats only in steps that play no music


class Prompts(_Model):
    """Mental prompts during work steps: at most one every ``every`` ms."""

    mantras: list[Text] = []
    builtin: bool = True
    every: Duration = 60_000
    last_rep: str | None = None


class Workout(_Model):
    """A whole workout document. ``source`` and ``locate`` say where its parts were written."""

    title: Text
    description: str | None = None
    kind: Literal["intervals", "hills", "stairs", "core", "strength", "run", "fartlek", "recovery"] = "run"
    runner: Runner | None = None
    units: Literal["imperial", "metric"] = "metric"
    voice: Voice = Field(default_factory=Voice)
    beats: Beats = Field(default_factory=Beats)
    prompts: Prompts = Field(default_factory=Prompts)
    announce: Announce = Field(default_factory=Announce)
    phrases: dict[str, Text] = {}
    pronounce: Annotated[dict[Word, Text], Field(max_length=MAX_PRONOUNCE)] = {}
    # Names and defaults; the loader has already put each value where ${name} is used (language/params.py).
    params: Annotated[dict[str, int | float | str], Field(
        description="Parameters with their defaults, used as ${name} where a value goes; --set name=value "
                    "or a programme's set: changes them.", examples=[{"reps": 8, "recovery": "90s"}])] = {}
    music: MusicValue | None = None  # nothing plays under the coach unless set
    steps: Annotated[list[Step], Field(min_length=1)]

    _source: Source | None = PrivateAttr(default=None)

    @property
    def source(self) -> str:
        """The file name the workout was read from (``<string>`` when none was given)."""
        return self._source.filename if self._source else "<string>"

    def locate(self, path: Path, *, key: bool = False) -> tuple[str, int | None, int | None]:
        """File, line and column of the YAML node at ``path`` (its key when ``key``).

        Falls back to the nearest ancestor with a known position.
        """
        position = self._source.position(tuple(path), key=key) if self._source else None
        line, column = position or (None, None)
        return self.source, line, column

    def error(self, path: Path, message: str, hint: str | None = None, *, key: bool = False) -> WorkoutError:
        """A WorkoutError located at ``path``, for problems found after loading."""
        file, line, column = self.locate(path, key=key)
        return WorkoutError(message, file=file, line=line, column=column, hint=hint)
