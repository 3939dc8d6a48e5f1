"""A workout's `phrases:` and `pronounce:` checked against the coach's phrase table, so a typo is an
error, not English."""

from __future__ import annotations

import difflib

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.packs import pack_for, voice_language
from audiocoach.coaching.phrases import ENGLISH_PACK, OPTIONAL_FIELDS, PHRASES, Phrases
from audiocoach.language import Workout
from audiocoach.language.templates import TemplateError, template_fields


def phrases_for(workout: Workout) -> Phrases:
    """The phrase table of the voice's language (English where none is built in), with the
    workout's own phrases on top; each key and placeholder checked."""
    for key, text in workout.phrases.items():
        if key not in PHRASES:
            close = difflib.get_close_matches(key, PHRASES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the phrase keys in docs/workout-language.md"
            raise workout.error(("phrases", key), f"unknown phrase '{key}'", hint, key=True)
        allowed = set(template_fields(PHRASES[key])) | set(OPTIONAL_FIELDS.get(key, ()))
        try:
            used = template_fields(text)
        except TemplateError as err:
            raise workout.error(("phrases", key), f"phrase '{key}' is not a valid template: {err.message}",
                                err.hint or "write placeholders as {name}, and {{ for a brace") from err
        unknown = [name for name in used if name not in allowed]
        if unknown:
            shown = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
            raise workout.error(("phrases", key), f"phrase '{key}' uses {{{unknown[0]}}}",
                                f"this phrase knows: {shown}")
    return Phrases(workout.phrases, _pack(workout.voice.name), pronounce=workout.pronounce)


def _pack(voice_name: str) -> Pack:
    """The voice's built-in pack; for another language the English phrases (the workout's `phrases:`
    translate them: `check` warns), but no English prompts and no English words slipped in by the normaliser."""
    pack = pack_for(voice_name)
    if pack is not None:
        return pack
    return Pack(voice_language(voice_name), ENGLISH_PACK.phrases, pools={}, words={})
