"""The built-in music's instruments: one-shot notes rendered whole, once, and reused (read-only).

Each note is a pure function of its arguments, starts at exactly 0 after a short rise and ends at
exactly 0 after a short fade, so placing it anywhere adds no click. Drum noise comes from a fixed
seed: the kit sounds the same in every build, like a sampled drum machine. Drums peak at 1.0.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

RISE_MS = 3.0  # attack of every note: no step at its first sample
FADE_MS = 12.0  # every note's last milliseconds fall to exact zero
KIT_SEED = 20_261_130


def midi_hz(note: int) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12)


def _edges(sound: np.ndarray, rate: int, rise_ms: float = RISE_MS) -> np.ndarray:
    """`sound` with a linear rise from 0 and a cosine fade to 0: the note's edges are silent."""
    n = len(sound)
    rise = min(n // 2, max(1, round(rise_ms * rate / 1000)))
    fade = min(n - rise, max(1, round(FADE_MS * rate / 1000)))
    shaped = sound.astype(np.float64).copy()
    shaped[:rise] *= np.arange(rise) / rise
    shaped[n - fade:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(1, fade + 1) / fade)
    return shaped


def _frozen(sound: np.ndarray) -> np.ndarray:
    out = sound.astype(np.float32)
    out.flags.writeable = False
    return out


def _partials(freq: float, n: int, rate: int, weights: list[float], detune: float = 0.0) -> np.ndarray:
    """Sum of harmonics k·freq (k from 1) with the given weights, below Nyquist; detune in cents."""
    t = np.arange(n) / rate
    f = freq * 2.0 ** (detune / 1200)
    out = np.zeros(n)
    for k, weight in enumerate(weights, start=1):
        if k * f < 0.45 * rate:
            out += weight * np.sin(2 * np.pi * k * f * t)
    return out


@lru_cache(maxsize=16)
def kick(rate: int) -> np.ndarray:
    """A pitch-dropping sine (110 -> 45 Hz) with a short click of attack: the beat the runner steps on."""
    n = round(0.28 * rate)
    t = np.arange(n) / rate
    freq = 45 + 65 * np.exp(-t * 28)
    body = np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.exp(-t * 9)
    click = np.sin(2 * np.pi * 1_200 * t) * np.exp(-t * 400) * 0.25
    return _frozen(_peak_one(_edges(body + click, rate, rise_ms=1.0)))


def _band_noise(n: int, salt: int, rate: int, low_hz: float, high_hz: float) -> np.ndarray:
    """Seeded white noise kept between low_hz and high_hz (or Nyquist): the same timbre at any rate."""
    spectrum = np.fft.rfft(np.random.default_rng(KIT_SEED + salt).standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum[(freqs < low_hz) | (freqs > high_hz)] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / np.abs(noise).max()


def _peak_one(sound: np.ndarray) -> np.ndarray:
    return sound / np.abs(sound).max()


@lru_cache(maxsize=16)
def snare(rate: int) -> np.ndarray:
    """A clap-like snare: bright noise with two short tonal bodies, 180 ms."""
    n = round(0.18 * rate)
    t = np.arange(n) / rate
    noise = _band_noise(n, 1, rate, 1_000, 9_000)
    body = 0.5 * np.sin(2 * np.pi * 190 * t) + 0.3 * np.sin(2 * np.pi * 330 * t)
    return _frozen(_peak_one(_edges(noise * np.exp(-t * 22) + body * np.exp(-t * 35), rate, rise_ms=1.0)))


@lru_cache(maxsize=16)
def hat(rate: int, open_: bool = False) -> np.ndarray:
    """Hi-hat: noise from 6 to 15 kHz (what the rate allows of it), closed 45 ms or open 220 ms."""
    n = round((0.22 if open_ else 0.045) * rate)
    t = np.arange(n) / rate
    noise = _band_noise(n, 2 + open_, rate, 6_000, 15_000)
    return _frozen(_peak_one(_edges(noise * np.exp(-t * (12 if open_ else 70)), rate, rise_ms=0.5)))


@lru_cache(maxsize=256)
def bass(note: int, length: int, rate: int) -> np.ndarray:
    """A round synth bass: the fundamental, and a few harmonics that close like a filter as the note decays."""
    t = np.arange(length) / rate
    bright = _partials(midi_hz(note), length, rate, [0.0, 0.35, 0.2, 0.12, 0.07]) * np.exp(-t * 14)
    tone = np.sin(2 * np.pi * midi_hz(note) * t) + bright
    return _frozen(_edges(tone * (0.55 + 0.45 * np.exp(-t * 6)), rate, rise_ms=4.0))


@lru_cache(maxsize=256)
def pad(note: int, length: int, rate: int) -> np.ndarray:
    """A soft chord voice: two oscillators 7 cents apart (a slow chorus), harmonics falling as 1/k^1.6."""
    weights = [k ** -1.6 for k in range(1, 7)]
    voices = _partials(midi_hz(note), length, rate, weights, -3.5) + _partials(midi_hz(note), length, rate,
                                                                               weights, 3.5)
    swell = 1 - np.exp(-np.arange(length) / (0.06 * rate))  # a 60 ms swell instead of a hard attack
    release = max(1, length // 6)  # the last sixth fades out, under the next chord's swell
    swell[length - release:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(release) / release)
    return _frozen(_edges(0.5 * voices * swell, rate, rise_ms=20.0))


@lru_cache(maxsize=256)
def pluck(note: int, length: int, rate: int) -> np.ndarray:
    """An arpeggio pluck: bright at the attack, quickly mellowing and decaying."""
    t = np.arange(length) / rate
    body = np.sin(2 * np.pi * midi_hz(note) * t)
    bright = _partials(midi_hz(note), length, rate, [0.0, 0.5, 0.25, 0.15]) * np.exp(-t * 30)
    return _frozen(_edges((body + bright) * np.exp(-t * 9), rate, rise_ms=2.0))
