"""Loudness as ITU-R BS.1770-4 measures it, in numpy alone: K-weighting, gated integrated
loudness, true peak, and a track's integrated loudness predicted from its parts.

The K-weighting filter is the one pyloudnorm uses (a +4 dB high shelf at 1.5 kHz, then a
38 Hz high-pass, both RBJ biquads designed at the signal's own rate), applied as an FIR: its
impulse response dies away within a few milliseconds, so 0.2 s of it is the IIR filter to
double precision and the FFT does the convolution.

Integrated loudness is the mean K-weighted power of 400 ms blocks every 100 ms, first over the
blocks above −70 LUFS, then again over those also above that mean − 10 LU. Everything here
works on those 100 ms steps: a step's energy (sum of K-weighted squares, in units of
full-scale power × seconds) is what a clip or a beat adds to it, so a whole track's loudness
can be known from a few thousand numbers before a single sample of it is mixed.
"""

from __future__ import annotations

from functools import lru_cache
from math import ceil

import numpy as np

from audiocoach.audio.resample import resample

OFFSET_DB = -0.691  # BS.1770: loudness = -0.691 + 10 log10(mean K-weighted power)
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
STEP_S = 0.1  # gating blocks start every 100 ms...
BLOCK_STEPS = 4  # ...and last 400 ms
IMPULSE_S = 0.2  # length of the K-weighting FIR
OVERSAMPLE = 4  # true peak: the sample peak of a 4x oversampled copy (BS.1770-4 annex 2)


def lufs(power: float | np.ndarray) -> float | np.ndarray:
    """Loudness (LUFS, or LU relative to another) of a mean K-weighted power; -inf for 0."""
    with np.errstate(divide="ignore"):
        return OFFSET_DB + 10 * np.log10(power)


def power(loudness: float) -> float:
    """The mean K-weighted power that measures `loudness` LUFS."""
    return 10 ** ((loudness - OFFSET_DB) / 10)


def db_to_gain(db: float) -> float:
    return 10 ** (db / 20)


def k_filter_coefficients(rate: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """(b, a) of the two K-weighting biquads at `rate`: high shelf, then high-pass (a[0] == 1)."""
    def rbj(kind: str, gain_db: float, q: float, fc: float) -> tuple[np.ndarray, np.ndarray]:
        big_a = 10 ** (gain_db / 40)
        w0 = 2 * np.pi * fc / rate
        alpha = np.sin(w0) / (2 * q)
        cos = np.cos(w0)
        if kind == "shelf":
            root = 2 * np.sqrt(big_a) * alpha
            b = big_a * np.array([(big_a + 1) + (big_a - 1) * cos + root,
                                  -2 * ((big_a - 1) + (big_a + 1) * cos),
                                  (big_a + 1) + (big_a - 1) * cos - root])
            a = np.array([(big_a + 1) - (big_a - 1) * cos + root,
                          2 * ((big_a - 1) - (big_a + 1) * cos),
                          (big_a + 1) - (big_a - 1) * cos - root])
        else:
            b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
            a = np.array([1 + alpha, -2 * cos, 1 - alpha])
        return b / a[0], a / a[0]

    return rbj("shelf", 4.0, 1 / np.sqrt(2), 1500.0), rbj("highpass", 0.0, 0.5, 38.0)


@lru_cache(maxsize=8)
def k_impulse_response(rate: int) -> np.ndarray:
    """The first IMPULSE_S of the K-weighting filter's impulse response at `rate` (read-only)."""
    length = ceil(IMPULSE_S * rate)
    size = 1 << (8 * length - 1).bit_length()  # a long grid: the tail that wraps round is ~1e-40
    z = np.exp(-1j * np.pi * np.arange(size // 2 + 1) / (size // 2))  # e^(-jw) on the rfft grid
    response = np.ones_like(z)
    for b, a in k_filter_coefficients(rate):
        response *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    impulse = np.fft.irfft(response, size)[:length]
    impulse.flags.writeable = False
    return impulse


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` (1-D) through the K-weighting filter, starting at rest (as scipy's lfilter would)."""
    x = np.asarray(samples, dtype=np.float64)
    if not len(x):
        return x.copy()
    h = k_impulse_response(rate)
    size = 1 << (len(x) + len(h) - 2).bit_length()
    return np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(h, size), size)[: len(x)]


def k_weighted_energy(samples: np.ndarray, rate: int) -> float:
    """Sum of squares of k_weighted(samples), divided by `rate` (full-scale power × seconds): by
    Parseval, from one FFT of the signal and the filter's response, with no convolution."""
    x = np.asarray(samples, dtype=np.float64)
    if not len(x):
        return 0.0
    size = _smooth_size(len(x) + round(0.01 * rate))  # room for the start of the filter's ringing
    cos1 = np.cos(2 * np.pi * np.arange(size // 2 + 1) / size)
    cos2 = 2 * cos1 * cos1 - 1

    def squared(c: np.ndarray) -> np.ndarray:  # |c0 + c1 e^-jw + c2 e^-2jw|^2, in cosines only
        return c @ c + 2 * (c[0] * c[1] + c[1] * c[2]) * cos1 + 2 * c[0] * c[2] * cos2

    gain = np.ones(len(cos1))
    for b, a in k_filter_coefficients(rate):
        gain *= squared(b) / squared(a)
    spectrum = np.fft.rfft(x, size)
    power_spectrum = (spectrum.real**2 + spectrum.imag**2) * gain
    weights = np.full(len(cos1), 2.0)  # rfft: every bin but DC (and Nyquist) stands for two
    weights[0] = 1.0
    if size % 2 == 0:
        weights[-1] = 1.0
    return float(np.sum(power_spectrum * weights) / size) / rate


def _smooth_size(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n: the FFT's fast lengths."""
    best = 1 << (n - 1).bit_length()
    five = 1
    while five < best:
        three = five
        while three < best:
            size = three * (1 << max(0, (n - 1) // three).bit_length())
            best = min(best, size) if size >= n else best
            three *= 3
        five *= 5
    return best


def step_bounds(rate: int, steps: int) -> np.ndarray:
    """Sample index where each 100 ms step starts, and one past the last: int(j * 0.1 * rate), as pyloudnorm."""
    return (np.arange(steps + 1) * (STEP_S * rate)).astype(np.int64)


def steps_in(total_samples: int, rate: int) -> int:
    """How many 100 ms steps hold a track of `total_samples` (the last one may be partial)."""
    return ceil(total_samples / (STEP_S * rate)) if total_samples else 0


def block_powers(step_energy: np.ndarray, total_s: float) -> np.ndarray:
    """Mean power of each 400 ms gating block (as many as pyloudnorm counts in `total_s`) from step energies."""
    blocks = int(round((total_s - STEP_S * BLOCK_STEPS) / STEP_S)) + 1
    if blocks <= 0:
        return np.zeros(0)
    padded = np.zeros(blocks + BLOCK_STEPS)
    used = min(len(step_energy), len(padded))
    padded[:used] = step_energy[:used]
    running = np.concatenate([[0.0], np.cumsum(padded)])
    return (running[BLOCK_STEPS : BLOCK_STEPS + blocks] - running[:blocks]) / (STEP_S * BLOCK_STEPS)


def gated_loudness(blocks: np.ndarray) -> float:
    """BS.1770 integrated loudness (LUFS) of 400 ms block powers: absolute then relative gate."""
    blocks = np.asarray(blocks, dtype=np.float64)
    above = blocks[blocks >= power(ABSOLUTE_GATE_LUFS)]
    if not len(above):
        return float("-inf")
    threshold = power(float(lufs(np.mean(above))) + RELATIVE_GATE_LU)
    kept = above[above > threshold]
    return float(lufs(np.mean(kept))) if len(kept) else float("-inf")


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """BS.1770-4 integrated loudness of `samples` (mono, or (n, channels) summed with weight 1), LUFS."""
    x = np.asarray(samples, dtype=np.float64)
    channels = x.reshape(len(x), -1).T
    steps = steps_in(len(x), rate)
    bounds = step_bounds(rate, steps)
    energy = np.zeros(steps)
    for channel in channels:
        energy += step_energies(k_weighted(channel, rate), bounds) / rate
    return gated_loudness(block_powers(energy, len(x) / rate))


def step_energies(weighted: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sum of squares of `weighted` between consecutive `bounds` (clipped to its length)."""
    running = np.concatenate([[0.0], np.cumsum(np.square(weighted, dtype=np.float64))])
    return np.diff(running[np.minimum(bounds, len(weighted))])


def true_peak(samples: np.ndarray, rate: int) -> float:
    """Peak (dBTP) of `samples` oversampled 4x with the project's sinc resampler; -inf if silent."""
    x = np.asarray(samples, dtype=np.float64)
    if not len(x):
        return float("-inf")
    peak = float(np.max(np.abs(resample(x, rate, OVERSAMPLE * rate))))
    with np.errstate(divide="ignore"):
        return float(20 * np.log10(max(peak, float(np.max(np.abs(x))))))


def running_max(values: np.ndarray, half: int) -> np.ndarray:
    """max(values[i - half : i + half + 1]) for every i (the edges see only what exists), in O(n)."""
    x = np.asarray(values, dtype=np.float64)
    if half <= 0 or not len(x):
        return x.copy()
    width = 2 * half + 1
    blocks = -(-(len(x) + 2 * half) // width)
    padded = np.full(blocks * width, -np.inf)
    padded[half : half + len(x)] = x
    shaped = padded.reshape(blocks, width)
    ahead = np.maximum.accumulate(shaped, axis=1).ravel()  # max from each block's start up to here
    behind = np.maximum.accumulate(shaped[:, ::-1], axis=1)[:, ::-1].ravel()  # max from here to its block's end
    # the window starting at padded index i covers i .. i + width - 1: the end of one block and the start of the next
    return np.maximum(behind[: len(x)], ahead[width - 1 : width - 1 + len(x)])


def moving_average(values: np.ndarray, half: int) -> np.ndarray:
    """Mean of values[i - half : i + half + 1], the edges extended with the first and last value."""
    x = np.asarray(values, dtype=np.float64)
    if half <= 0 or not len(x):
        return x.copy()
    padded = np.concatenate([np.full(half, x[0]), x, np.full(half, x[-1])])
    running = np.concatenate([[0.0], np.cumsum(padded)])
    return (running[2 * half + 1 :] - running[: -2 * half - 1]) / (2 * half + 1)


def peak_envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """Per sample, the largest magnitude of the 4x oversampled signal from it to the next (true-peak envelope)."""
    x = np.asarray(samples, dtype=np.float64)
    if not len(x):
        return x.copy()
    fine = np.abs(resample(x, rate, OVERSAMPLE * rate)[: OVERSAMPLE * len(x)]).astype(np.float64)
    fine = np.concatenate([fine, np.zeros(OVERSAMPLE * len(x) - len(fine))])
    return np.maximum(fine.reshape(len(x), OVERSAMPLE).max(axis=1), np.abs(x))


def level_clip(
    samples: np.ndarray, rate: int, loudness: float, peak_db: float, window_s: float, max_makeup_db: float = 12.0
) -> np.ndarray:
    """`samples` scaled to `loudness` LUFS (mean K-weighted power over the whole clip) with a true peak
    of at most `peak_db` dBTP, as float64 of the same length.

    Where the clip's peaks would go over, a look-ahead limiter lowers them: the gain at each sample
    is the lowest any peak within `window_s` asks for, smoothed by a moving average as wide, so it
    is always low enough and changes only gradually (no clicks, little distortion). The make-up
    gain that restores the loudness is found by bisection, so the result has both the loudness
    and the ceiling, to a few hundredths of a dB. The make-up is at most `max_makeup_db`: a clip
    that would need more (its peaks leave no room) keeps its ceiling and ends a little quieter,
    rather than have its quietest sounds pumped up without end.
    """
    x = np.asarray(samples, dtype=np.float64)
    weighted = k_weighted(x, rate)
    mean_power = float(np.mean(np.square(weighted))) if len(x) else 0.0
    if mean_power <= 0:
        return np.zeros(len(x))
    x = x * np.sqrt(power(loudness) / mean_power)
    weighted = weighted * np.sqrt(power(loudness) / mean_power)
    envelope = peak_envelope(x, rate)
    ceiling = db_to_gain(peak_db)
    if envelope.max() <= ceiling:
        return x
    half = max(1, round(window_s * rate))
    loudest = np.maximum(running_max(envelope, half), 1e-12)  # the peak each sample's window must respect
    kw_power = np.square(weighted)

    def gain(makeup: float) -> np.ndarray:
        return makeup * moving_average(np.minimum(1.0, ceiling / (makeup * loudest)), half)

    def mean_power_with(makeup: float) -> float:  # K-weighting commutes with a slowly varying gain
        return float(np.mean(kw_power * np.square(gain(makeup))))

    most = db_to_gain(max_makeup_db)
    low, high = 1.0, 1.0
    while mean_power_with(high) < power(loudness) and high < most:
        low, high = high, min(high * 2, most)
    for _ in range(16):  # the bracket starts at a factor of 2 and its log halves each time: 1e-4 dB
        middle = (low * high) ** 0.5
        low, high = (middle, high) if mean_power_with(middle) < power(loudness) else (low, middle)
    out = x * gain(high)
    # exact loudness, then the exact ceiling (either correction is a few hundredths of a dB, unless
    # the make-up ran out: then the second takes back what the first added over the ceiling)
    out *= np.sqrt(power(loudness) / float(np.mean(np.square(k_weighted(out, rate)))))
    over = float(peak_envelope(out, rate).max()) / ceiling
    return out / over if over > 1 else out
