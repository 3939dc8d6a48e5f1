"""Synthesised songs of known tempo, written as WAV, MP3, FLAC or Ogg files for the music tests."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def drum_track(bpm: float, seconds: float, rate: int = 22_050, seed: int = 1) -> np.ndarray:
    """Kick on every beat, a noisy snare on 2 and 4, a tone under it: mono float32 in [-0.5, 0.5]."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * rate), np.float32)
    t = np.arange(int(0.12 * rate)) / rate
    kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-t * 30)) * t) * np.exp(-t * 25)
    snare = rng.standard_normal(len(t)) * np.exp(-t * 40) * 0.6
    beat, index = 60.0 / bpm, 0
    while (start := int(round(index * beat * rate))) + len(t) < len(out):
        out[start: start + len(t)] += 0.4 * (kick + (snare if index % 2 else 0))
        index += 1
    out += 0.05 * np.sin(2 * np.pi * 220 * np.arange(len(out)) / rate)
    return np.clip(out, -0.5, 0.5).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = 22_050, channels: int = 1) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.repeat(pcm, channels).tobytes())
    return path


def write_with_pedalboard(path: Path, samples: np.ndarray, rate: int = 22_050) -> Path:
    """FLAC, Ogg Vorbis or MP3 (by suffix), through pedalboard's encoders."""
    from pedalboard.io import AudioFile

    with AudioFile(str(path), "w", samplerate=rate, num_channels=1) as out:
        out.write(samples[None, :].astype(np.float32))
    return path
