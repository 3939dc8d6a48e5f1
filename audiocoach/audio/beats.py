"""Cadence beats: short synthesized percussion sounds and the sample each beat starts on."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from audiocoach.audio.loudness import IMPULSE_S, k_weighted, power
from audiocoach.errors import BuildError

BEAT_SOUNDS = ("click", "woodblock", "hihat", "cowbell")  # plus "none" = silent
ACCENT_DB = 4.0  # an accented beat is this much louder than a plain one
ACCENT_PEAK = 1.0
BEAT_PEAK = 10 ** (-ACCENT_DB / 20)  # peak of a plain beat sound
MAX_BEAT_MS = 80
ATTACK_MS = 0.5  # a short rise keeps the onset crisp without a DC step
FADE_MS = 3.0  # the tail is faded to exact zero

_GRID = 4096  # beats computed per step by beat_samples
REFERENCE_SPM = 170.0  # a beat's level is the loudness of a steady, unaccented beat at this cadence


def beat_sound(name: str, sample_rate: int, accent: bool = False) -> np.ndarray:
    """The named sound as float32, < MAX_BEAT_MS long, peak BEAT_PEAK (ACCENT_PEAK and brighter if `accent`).

    Deterministic: the hi-hat's noise is seeded. "none" gives an empty array. Read-only.
    """
    if name == "none":
        return np.zeros(0, dtype=np.float32)
    if name not in BEAT_SOUNDS:
        raise BuildError(f"unknown beat sound {name!r}", hint="use one of " + ", ".join((*BEAT_SOUNDS, "none")))
    return _sound(name, sample_rate, accent)


@lru_cache(maxsize=32)
def _sound(name: str, sample_rate: int, accent: bool) -> np.ndarray:
    raw = _SYNTHS[name](sample_rate, accent)
    n = len(raw)
    envelope = np.ones(n)
    attack = max(1, round(ATTACK_MS * sample_rate / 1000))
    fade = max(1, round(FADE_MS * sample_rate / 1000))
    envelope[:attack] = np.arange(attack) / attack
    envelope[n - fade :] *= np.linspace(1, 0, fade)
    shaped = raw * envelope
    peak = ACCENT_PEAK if accent else BEAT_PEAK
    sound = (shaped * (peak / np.max(np.abs(shaped)))).astype(np.float32)
    sound.flags.writeable = False
    return sound


def sound_energy(name: str, sample_rate: int, accent: bool = False) -> float:
    """K-weighted energy of one beat sound (full-scale power × seconds, BS.1770), ringing included."""
    return _energy(name, sample_rate, accent)


@lru_cache(maxsize=32)
def _energy(name: str, sample_rate: int, accent: bool) -> float:
    sound = beat_sound(name, sample_rate, accent).astype(np.float64)
    ringing = np.concatenate([sound, np.zeros(round(IMPULSE_S * sample_rate))])
    return float(np.sum(np.square(k_weighted(ringing, sample_rate)))) / sample_rate


def level_gain(name: str, sample_rate: int, loudness: float) -> float:
    """The factor on beat_sound() that makes a steady plain beat at REFERENCE_SPM measure `loudness` LUFS."""
    energy = sound_energy(name, sample_rate)
    return float(np.sqrt(power(loudness) / (energy * REFERENCE_SPM / 60))) if energy > 0 else 0.0


def _time(sample_rate: int, ms: float) -> np.ndarray:
    return np.arange(round(ms * sample_rate / 1000)) / sample_rate


def _click(sample_rate: int, accent: bool) -> np.ndarray:
    # A damped sine, like a metronome's tick; the accent is a fifth higher.
    t = _time(sample_rate, 25)
    freq = 2400.0 * (1.5 if accent else 1.0)
    return np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.004)


def _woodblock(sample_rate: int, accent: bool) -> np.ndarray:
    # Two inharmonic modes of a struck block; the accent block is smaller (higher).
    t = _time(sample_rate, 60)
    base = 880.0 * (1.25 if accent else 1.0)
    body = np.sin(2 * np.pi * base * t) * np.exp(-t / 0.012)
    knock = 0.5 * np.sin(2 * np.pi * base * 2.76 * t) * np.exp(-t / 0.005)
    return body + knock


def _hihat(sample_rate: int, accent: bool) -> np.ndarray:
    # Seeded white noise kept between 5 and 14 kHz (6 and 15 for the brighter accent, which also
    # rings longer). Nothing above 15 kHz: quiet as a beat is, an MP3 encoder would drop that as
    # inaudible, and the beat would then be quieter than its level says.
    t = _time(sample_rate, 70 if accent else 45)
    noise = np.random.default_rng(1234).standard_normal(len(t))
    low, high = (6000.0, 15000.0) if accent else (5000.0, 14000.0)
    high = min(high, 0.45 * sample_rate)
    freqs = np.fft.rfftfreq(len(t), 1 / sample_rate)
    band = np.clip(np.minimum((freqs - low * 0.8) / (low * 0.2), (high - freqs) / (high * 0.1)), 0, 1)
    bright = np.fft.irfft(np.fft.rfft(noise) * np.sin(band * np.pi / 2) ** 2, len(t))
    return bright * np.exp(-t / (0.018 if accent else 0.010))


def _cowbell(sample_rate: int, accent: bool) -> np.ndarray:
    # The classic drum-machine pair of tones (540 and 800 Hz), a few odd harmonics each.
    t = _time(sample_rate, 75)
    tone = np.zeros_like(t)
    for freq in (540.0, 800.0):
        for harmonic, weight in ((1, 1.0), (3, 0.33), (5, 0.2 if accent else 0.1)):
            if freq * harmonic < sample_rate / 2:
                tone += weight * np.sin(2 * np.pi * freq * harmonic * t)
    return tone * np.exp(-t / (0.030 if accent else 0.022))


_SYNTHS = {"click": _click, "woodblock": _woodblock, "hihat": _hihat, "cowbell": _cowbell}


def beat_samples(start_sample: int, end_sample: int, spm: float, sample_rate: int) -> Iterator[int]:
    """Onset of each beat in [start, end): start + round(k * 60 * sample_rate / spm), k = 0, 1, …

    Each onset is computed from k, never by adding periods, so there is no drift over hours.
    """
    k = 0
    while True:
        ks = np.arange(k, k + _GRID)
        onsets = beat_onsets_for(ks, start_sample, spm, sample_rate)
        inside = onsets[onsets < end_sample]
        yield from (int(s) for s in inside)
        if len(inside) < len(onsets):
            return
        k += _GRID


def beat_onsets_for(ks: np.ndarray, start_sample: int, spm: float, sample_rate: int) -> np.ndarray:
    """Onsets (int64) of beats number `ks` of a span starting at `start_sample`."""
    # k * (60 * rate) is an exact integer in float64; one division, then round half to even,
    # which is exactly what Python's round(k * 60 * sample_rate / spm) gives.
    return start_sample + np.rint(ks.astype(np.float64) * (60 * sample_rate) / spm).astype(np.int64)


def beats_between(
    start_sample: int, end_sample: int, spm: float, sample_rate: int, lo: int, hi: int
) -> tuple[np.ndarray, np.ndarray]:
    """(k, onset) of the span's beats with an onset in [lo, hi) — what the mixer needs per chunk."""
    lo, hi = max(lo, start_sample), min(hi, end_sample)
    if lo >= hi:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    period = 60 * sample_rate / spm
    k_first = max(0, int((lo - start_sample) / period) - 1)  # one extra each side absorbs rounding
    k_last = int((hi - start_sample) / period) + 1
    ks = np.arange(k_first, k_last + 1, dtype=np.int64)
    onsets = beat_onsets_for(ks, start_sample, spm, sample_rate)
    keep = (onsets >= lo) & (onsets < hi)
    return ks[keep], onsets[keep]
