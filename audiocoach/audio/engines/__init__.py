"""Speech engines behind one small interface: text → mono float32 PCM at the engine's rate.

`VoiceSpec` says which engine speaks and how; `engine_for` gives the (per-process) engine for
it. Engines: `piper` (a neural voice, onnxruntime, see piper.py) and `espeak` (pyttsx3 +
espeak-ng, see espeak.py). What the workout language's `voice:` becomes is decided in
audiocoach/audio/voice_choice.py.
"""

from __future__ import annotations

from functools import lru_cache

from audiocoach.audio.engines.base import ENGINES, Engine, VoiceSpec

__all__ = ["ENGINES", "Engine", "VoiceSpec", "engine_for"]


@lru_cache(maxsize=8)
def engine_for(voice: VoiceSpec) -> Engine:
    """The engine speaking `voice` (checked: BuildError for an unknown voice, a bad rate or model)."""
    if voice.engine == "piper":
        from audiocoach.audio.engines.piper import PiperEngine  # lazy: only the chosen engine's stack loads

        return PiperEngine(voice)
    from audiocoach.audio.engines.espeak import EspeakEngine  # lazy: only the chosen engine's stack loads

    return EspeakEngine(voice)
