"""The `music:` key: what plays under the coach, on the whole workout or on one step or repeat.

Written as a path (an audio file, a folder, an .m3u/.m3u8 playlist; relative to the workout
file), `builtin` (generated music at the step's cadence), a list of them, `off`, or a mapping
``{play, match_cadence, level, duck, crossfade, shuffle, bpm, max_stretch}``. A `music:` on a
step or repeat replaces the one around it; the keys it leaves out keep the outer values.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_serializer

from audiocoach.language._scalars import plain_number
from audiocoach.language.cadence import parse_level_db
from audiocoach.language.quantities import QuantityError, format_duration, parse_duration

__all__ = ["Music", "MusicValue", "BUILTIN", "DEFAULT_DUCK_DB", "DEFAULT_LEVEL_DB", "MAX_CROSSFADE_MS"]

BUILTIN = "builtin"  # the generated music source (audiocoach.music.builtin)
OFF = "off"
DEFAULT_LEVEL_DB = -8.0  # LU against the voice: the music carries the run between cues, the voice stays on top
DEFAULT_DUCK_DB = 15.0  # as deep as the beats duck (audio/ducking.py DUCK_DB): 23 LU under the voice in a cue
DEFAULT_CROSSFADE_MS = 3_000
MAX_CROSSFADE_MS = 30_000
DEFAULT_MAX_STRETCH = 12.0  # percent: Rubber Band keeps pitch and transients well within it


def _duck_depth(value: Any) -> float:
    """`duck:` as a depth in dB: true (the default depth), false (no ducking), or e.g. 12dB."""
    if value is True:
        return DEFAULT_DUCK_DB
    if value is False:
        return 0.0
    try:
        depth = abs(parse_level_db(value))
    except QuantityError:
        raise QuantityError(f"'{value}' is not a ducking depth", "write e.g. 15dB, or false for none") from None
    return depth


def _crossfade(value: Any) -> int:
    ms = parse_duration(value)
    if ms > MAX_CROSSFADE_MS:
        raise ValueError(f"a crossfade of {format_duration(ms)} is longer than {format_duration(MAX_CROSSFADE_MS)}")
    return ms


def _music_keys(value: Any) -> Any:
    """The short forms as a mapping: `off`/false, a path or `builtin`, or a list of them."""
    if isinstance(value, Music):
        return value
    if value is False or value == OFF:
        return {"play": []}
    if isinstance(value, str):
        return {"play": [value]}
    if isinstance(value, list):
        return {"play": value}
    if isinstance(value, dict) and (value.get("play") is False or value.get("play") == OFF):
        return {**value, "play": []}
    if isinstance(value, dict) and isinstance(value.get("play"), str):
        return {**value, "play": [value["play"]]}
    return value


LevelDb = Annotated[
    float, BeforeValidator(parse_level_db), PlainSerializer(lambda db: f"{plain_number(db)}dB"),
    WithJsonSchema({"type": ["string", "number"], "description": "decibels relative to the voice",
                    "examples": ["-8dB"]}),
]
DuckDb = Annotated[
    float, BeforeValidator(_duck_depth), PlainSerializer(lambda db: f"{plain_number(db)}dB"),
    WithJsonSchema({"type": ["string", "number", "boolean"], "description": "how far the music dips under speech",
                    "examples": ["15dB", False]}),
]
Crossfade = Annotated[
    int, BeforeValidator(_crossfade), PlainSerializer(format_duration),
    WithJsonSchema({"type": ["string", "number"], "description": "overlap of one song with the next",
                    "examples": ["3s", 0]}),
]
Source = Annotated[str, Field(min_length=1, max_length=4096)]


class Music(BaseModel):
    """What plays under the coach. `play` empty means no music (`music: off`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True)

    play: Annotated[list[Source], Field(max_length=1000)]
    match_cadence: bool = True
    level: LevelDb = DEFAULT_LEVEL_DB
    duck: DuckDb = DEFAULT_DUCK_DB
    crossfade: Crossfade = DEFAULT_CROSSFADE_MS
    shuffle: bool = True
    bpm: Annotated[float, Field(ge=40, le=250)] | None = None
    max_stretch: Annotated[float, Field(ge=0, le=50)] = DEFAULT_MAX_STRETCH

    @property
    def off(self) -> bool:
        """Whether this says `music: off`."""
        return not self.play

    def over(self, base: Music | None) -> Music:
        """These keys over `base`'s: the keys written here win, the others are base's."""
        if base is None:
            return self
        return base.model_copy(update={key: getattr(self, key) for key in self.model_fields_set})

    @model_serializer(mode="wrap")
    def _short_off(self, handler: Any) -> Any:
        return OFF if self.off else handler(self)


MUSIC_DESCRIPTION = ("Music under the coach: a path (audio file, folder, .m3u/.m3u8; relative to the workout file), "
                     "builtin, a list of them, off, or a mapping {play, match_cadence, level, duck, crossfade, "
                     "shuffle, bpm, max_stretch}.")
_TEXT_OR_NUMBER = {"type": ["string", "number"]}
MUSIC_SCHEMA: dict[str, Any] = {  # the JSON Schema of a `music:` value (audiocoach/schema.py puts it in $defs)
    "description": MUSIC_DESCRIPTION,
    "anyOf": [
        {"type": "string", "description": "a path, builtin, or off"}, {"const": False},
        {"type": "array", "items": {"type": "string"}, "maxItems": 1000},
        {"type": "object", "required": ["play"], "additionalProperties": False, "properties": {
            "play": {"description": "What plays: paths (file, folder, .m3u/.m3u8), builtin, or off.",
                     "anyOf": [{"type": "string"}, {"const": False}, {"type": "array", "items": {"type": "string"}}]},
            "match_cadence": {"description": "Stretch each song (pitch kept) to the step's cadence, half or double it.",
                              "type": "boolean", "default": True},
            "level": {"description": "Music loudness against the voice in LU (BS.1770), -60 to +12.",
                      **_TEXT_OR_NUMBER, "default": f"{DEFAULT_LEVEL_DB:g}dB"},
            "duck": {"description": "How far the music dips under speech (dB); true is 15 dB, false none.",
                     "type": ["string", "number", "boolean"], "default": f"{DEFAULT_DUCK_DB:g}dB"},
            "crossfade": {"description": "How long one song fades into the next, up to 30 s.", **_TEXT_OR_NUMBER,
                          "default": format_duration(DEFAULT_CROSSFADE_MS)},
            "shuffle": {"description": "A seeded shuffle of the songs (the same every build); false: as listed.",
                        "type": "boolean", "default": True},
            "bpm": {"description": "The songs' tempo when their tags give none.", "type": "number",
                    "minimum": 40, "maximum": 250},
            "max_stretch": {"description": "Stretch limit in percent; a song beyond it plays unstretched.",
                            "type": "number", "minimum": 0, "maximum": 50, "default": DEFAULT_MAX_STRETCH},
        }},
    ],
}

MusicValue = Annotated[Music, BeforeValidator(_music_keys), WithJsonSchema({"description": MUSIC_DESCRIPTION})]
