"""What every speech engine offers, and the voice settings that choose one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from audiocoach.errors import BuildError

ENGINES = ("piper", "espeak")
DEFAULT_RATE = 175  # words per minute: espeak's own default, and Piper's voice at its own pace


@dataclass(frozen=True)
class VoiceSpec:
    """An engine, a voice name (espeak: "en-us", "de", "gmw/en-us", "en-us+f3" …; Piper: the
    language the coach speaks), words per minute, and for Piper an .onnx model (None: the
    built-in English voice)."""

    name: str = "en-us"
    rate: int = DEFAULT_RATE
    engine: str = "espeak"
    model: str | None = None


class ModelError(BuildError):
    """A voice model or its configuration is missing or broken (located at the workout's `voice.model`)."""


class Engine(Protocol):
    """Speaks one phrase at a time; its samples depend on nothing but the text and its voice."""

    sample_rate: int

    def identity(self) -> dict:
        """Everything besides the text that decides the samples (engine, model hash, settings,
        versions): part of each cache key."""

    def prepare(self) -> None:
        """Load what synthesis needs, so that processes forked afterwards share it."""

    def synthesize(self, text: str) -> np.ndarray:
        """Mono float32 samples of `text` at `sample_rate`, silence included; BuildError on failure."""
