"""Sample-rate conversion for speech clips: a Kaiser-windowed sinc, polyphase, numpy only."""

from __future__ import annotations

from functools import lru_cache
from math import ceil, gcd

import numpy as np

ZERO_CROSSINGS = 16  # sinc lobes kept on each side: ~-80 dB stopband, plenty for speech
KAISER_BETA = 8.0
ROLLOFF = 0.92  # cutoff as a fraction of the lower Nyquist frequency: room for the transition band
BLOCK = 8192  # outputs computed per step, so scratch memory stays small for long clips


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """`samples` (mono) converted from `from_rate` to `to_rate` Hz, as float32.

    Output sample j sits at input time j * from_rate / to_rate exactly (no delay), and there
    are ceil(len * to_rate / from_rate) of them. Deterministic: the same input gives the same bits.
    """
    x = np.asarray(samples, dtype=np.float64)
    if from_rate == to_rate:
        return x.astype(np.float32)
    g = gcd(from_rate, to_rate)
    up, down = to_rate // g, from_rate // g
    bank, half = _filter_bank(up, down)
    n_out = ceil(len(x) * up / down)
    padded = np.concatenate([np.zeros(half), x, np.zeros(half + 1)])
    taps = np.arange(2 * half)
    out = np.empty(n_out, dtype=np.float32)
    if down == 1:  # integer ratio (22,050 -> 44,100): one plain correlation per phase is faster
        for phase in range(up):
            count = len(out[phase::up])
            out[phase::up] = np.correlate(padded, bank[phase], "valid")[1 : 1 + count]
        return out
    for first in range(0, n_out, BLOCK):
        j = np.arange(first, min(first + BLOCK, n_out), dtype=np.int64)
        base, phase = np.divmod(j * down, up)
        # input samples base-half+1 … base+half, shifted by `half` for the leading zeros
        window = padded[(base + 1)[:, None] + taps[None, :]]
        out[first : first + len(j)] = np.einsum("ij,ij->i", window, bank[phase])
    return out


@lru_cache(maxsize=8)
def _filter_bank(up: int, down: int) -> tuple[np.ndarray, int]:
    """One row of taps per fractional phase p/up; row p weights inputs base-half+1 … base+half."""
    cutoff = ROLLOFF * min(1.0, up / down)  # in units of the input Nyquist frequency
    half = ceil(ZERO_CROSSINGS / cutoff)
    p = np.arange(up)[:, None] / up
    t = p + (half - 1 - np.arange(2 * half))[None, :]  # output time minus each input's time
    w = np.i0(KAISER_BETA * np.sqrt(np.clip(1 - (t / half) ** 2, 0, None))) / np.i0(KAISER_BETA)
    bank = cutoff * np.sinc(cutoff * t) * w
    bank /= bank.sum(axis=1, keepdims=True)  # unity gain at DC for every phase: no ripple
    return bank, half
