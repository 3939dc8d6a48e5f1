"""Outdoor noise for the listening benchmarks: pink (street, wind) and brown (traffic rumble).

Noise is shaped in the frequency domain from seeded white noise, so the same (kind, length,
rate, seed) always gives the same samples, and scaled to a stated BS.1770 loudness with the
project's own meter. A benchmark adds it `lu_under` below the voice's speech-gated loudness.
"""

from __future__ import annotations

import numpy as np

from audiocoach.audio.loudness import db_to_gain, integrated_loudness

KINDS = ("pink", "brown")


def noise(kind: str, samples: int, rate: int, seed: int = 0) -> np.ndarray:
    """`samples` of unit-scale noise: pink (power ∝ 1/f) or brown (power ∝ 1/f²), float32."""
    if kind not in KINDS:
        raise ValueError(f"noise kind {kind!r}: use one of {', '.join(KINDS)}")
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    freqs = np.fft.rfftfreq(samples, 1.0 / rate)
    freqs[0] = freqs[1] if samples > 1 else 1.0  # no infinite DC
    exponent = 0.5 if kind == "pink" else 1.0  # amplitude ∝ f^-exponent
    shaped = np.fft.irfft(spectrum / freqs**exponent, n=samples)
    shaped -= shaped.mean()
    return (shaped / (np.max(np.abs(shaped)) or 1.0)).astype(np.float32)


def noise_at(kind: str, samples: int, rate: int, loudness_lufs: float, seed: int = 0) -> np.ndarray:
    """Noise of the given kind scaled to `loudness_lufs` (BS.1770 integrated)."""
    raw = noise(kind, samples, rate, seed)
    return (raw * db_to_gain(loudness_lufs - integrated_loudness(raw, rate))).astype(np.float32)


def with_noise(
    track: np.ndarray, rate: int, voice_lufs: float, kind: str, lu_under: float = 12.0, seed: int = 0
) -> np.ndarray:
    """The track with noise added `lu_under` LU below the voice's loudness `voice_lufs`."""
    return track + noise_at(kind, len(track), rate, voice_lufs - lu_under, seed)
