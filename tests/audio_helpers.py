"""Listening to rendered audio in tests: decode MP3s, find where speech and beats start.

Everything works on float32 mono numpy arrays and returns sample indices, so results compare
directly with a plan's start_sample values. The detectors rely on how audiocoach mixes:
speech is sustained energy (fricatives included, so 200–8000 Hz), every clip at one loudness;
beats are transients shorter than 80 ms that peak at once and then only fade, 18 LU under the
voice by default (a woodblock peaks near -12 dBFS, 9 dB under the voice's peaks), and ducked under speech.

Typical use in an end-to-end test::

    samples, rate = decode_mp3(path)                  # sample i == rendered sample i
    regions = speech_regions(samples, rate)           # [(start, end), ...]
    # each planned cue start has a region start near it (measured: within 31 ms, mostly 5)
    onsets = beat_onsets(samples, rate, exclude=regions, start=step_start, end=step_end)
    assert abs(estimate_spm(onsets, rate) - planned_spm) < 0.05

Measured on mixes of 23 phrases with every beat sound, raw and after MP3: region starts
within ±5 ms of the plan for most phrases, 31 ms at worst (a weak "F" right after a cowbell);
beat onsets within ±1.2 ms; spm exact to 0.01. To place a known clip exactly (to the sample
on raw mixes, ±2 ms after MP3) use `locate` with Speech.clip(text).
"""

from __future__ import annotations

from pathlib import Path

import miniaudio
import numpy as np

FRAME_MS = 10  # analysis window for speech energy
HOP_MS = 5
SPEECH_BAND_HZ = (200, 8000)  # wide enough for fricatives; beats are told apart by duration
BEAT_MS = 80  # beats are shorter than this
GUARD_BEFORE_MS = 100  # beat_onsets ignores beats this close before speech (ducking attack, start error:
# speech_regions finds a start up to ~80 ms late, and with beats 18 LU under the voice, a missed
# speech onset is far louder than any beat and would set the detection threshold)...
GUARD_AFTER_MS = 200  # ...and this long after it (the 120 ms ducking release, and the tail of the speech)
ATTACK_FRAMES = 1  # a beat's energy peaks in its first or second frame...
FADE_SLACK_DB = 1.0  # ...no later frame of it is louder by more than this...
FADE_DB = 6.0  # ...and speech rising out of its decay starts once it has faded this much
RISE_DB = 3.0  # (a rise of this much over the lowest point so far)


def decode_mp3(path: str | Path) -> tuple[np.ndarray, int]:
    """(samples as float32 mono, sample rate) of an MP3, via miniaudio's dr_mp3.

    dr_mp3 honours the LAME Info frame, so the encoder delay and padding are already removed:
    sample i of the result is sample i of what was encoded.
    """
    decoded = miniaudio.mp3_read_file_f32(str(path))
    samples = np.asarray(decoded.samples, dtype=np.float32)
    if decoded.nchannels > 1:
        samples = samples.reshape(-1, decoded.nchannels).mean(axis=1)
    return samples, decoded.sample_rate


def band_energy_db(samples: np.ndarray, sample_rate: int, band_hz: tuple[float, float] = SPEECH_BAND_HZ) -> np.ndarray:
    """Energy (dB, relative to full scale) in `band_hz` of Hann windows FRAME_MS long every HOP_MS.

    Frame f covers samples [f * hop, f * hop + frame). Computed in blocks, so memory stays small.
    """
    frame = round(FRAME_MS * sample_rate / 1000)
    hop = round(HOP_MS * sample_rate / 1000)
    n_frames = max(0, (len(samples) - frame) // hop + 1)
    window = np.hanning(frame).astype(np.float32)
    freqs = np.fft.rfftfreq(frame, 1 / sample_rate)
    in_band = (freqs >= band_hz[0]) & (freqs <= band_hz[1])
    norm = np.sum(window**2) * frame / 2  # a full-scale sine in band reads about 0 dB
    out = np.empty(n_frames)
    for first in range(0, n_frames, 4096):
        idx = np.arange(first, min(first + 4096, n_frames))[:, None] * hop + np.arange(frame)[None, :]
        spectrum = np.fft.rfft(samples[idx] * window, axis=1)
        power = np.sum(np.abs(spectrum[:, in_band]) ** 2, axis=1) / norm
        out[first : first + len(idx)] = 10 * np.log10(power + 1e-12)
    return out


def speech_regions(
    samples: np.ndarray,
    sample_rate: int,
    *,
    threshold_db: float = -40.0,
    min_ms: int = 120,
    bridge_ms: int = 60,
) -> list[tuple[int, int]]:
    """[start, end) sample ranges of sustained speech, in order (starts: see the module docstring).

    A 10 ms frame is active when its 200–8000 Hz energy is within `threshold_db` of the loudest
    frame (so fricatives such as the "s" of "Stop" count). A run of active frames that peaks at
    once and then only fades is a beat: dropped if that is all it is, cut at the point where
    the energy rises again if speech follows with no silence between. Runs closer than
    `bridge_ms` join; joined runs shorter than `min_ms` (stray beats) are dropped. A pause
    inside a phrase longer than `bridge_ms` (between sentences) starts a new region, so match
    planned starts to the nearest region start rather than counting regions.
    """
    energy = band_energy_db(samples, sample_rate, SPEECH_BAND_HZ)
    if not len(energy):
        return []
    hop = round(HOP_MS * sample_rate / 1000)
    frame = round(FRAME_MS * sample_rate / 1000)
    active = _runs(energy > energy.max() + threshold_db)
    runs = [r for r in (_without_leading_beat(energy, run) for run in active) if r]
    # an active frame's window ends inside the speech; its centre is the best single guess
    return [(a * hop + frame // 2, (b - 1) * hop + frame // 2) for a, b in _join(runs, bridge_ms, min_ms)]


def _join(runs: list[tuple[int, int]], bridge_ms: int, min_ms: int) -> list[tuple[int, int]]:
    """Runs of frames closer than bridge_ms joined; joined runs shorter than min_ms dropped."""
    joined: list[list[int]] = []
    for first, last in runs:
        if joined and (first - joined[-1][1]) * HOP_MS < bridge_ms:
            joined[-1][1] = last
        else:
            joined.append([first, last])
    return [(a, b) for a, b in joined if (b - a) * HOP_MS + FRAME_MS >= min_ms]


def _without_leading_beat(energy: np.ndarray, run: tuple[int, int]) -> tuple[int, int] | None:
    """The run without a beat at its start: a beat peaks at once and then only fades.

    None if the whole run is a beat; the part from where the energy rises again if speech
    follows the beat with no silence between; else the run unchanged.
    """
    first, last = run
    reach = first + round((BEAT_MS + FRAME_MS) / HOP_MS)
    peak = first + int(np.argmax(energy[first : min(last, first + ATTACK_FRAMES + 1)]))
    if energy[peak] < np.max(energy[first : min(last, reach)]) - FADE_SLACK_DB:
        return run  # builds up: speech
    lowest = peak
    for f in range(peak + 1, min(last, reach)):
        if energy[f] <= energy[lowest]:
            lowest = f
        elif energy[f] > energy[lowest] + RISE_DB:
            faded = energy[lowest] < energy[peak] - FADE_DB
            return (lowest + 1, last) if faded else run
    return None if last <= reach else run


def speech_onsets(samples: np.ndarray, sample_rate: int, **options) -> list[int]:
    """Start sample of each speech region (see speech_regions for the options)."""
    return [start for start, _ in speech_regions(samples, sample_rate, **options)]


def locate(samples: np.ndarray, reference: np.ndarray, expected: int, sample_rate: int, search_ms: int = 250) -> int:
    """Where `reference` (e.g. Speech.clip(text)) starts in `samples`, searched ±search_ms around `expected`.

    Normalised cross-correlation over the first 300 ms of the reference, so beats mixed under
    the speech barely move it. Exact to the sample on a raw mix; within ~1 ms after MP3.
    """
    span = round(search_ms * sample_rate / 1000)
    probe = np.asarray(reference[: round(0.3 * sample_rate)], dtype=np.float64)
    lo = max(0, expected - span)
    hi = min(len(samples) - len(probe), expected + span)
    if hi < lo:
        raise ValueError("the reference does not fit around the expected position")
    region = np.asarray(samples[lo : hi + len(probe)], dtype=np.float64)
    n = len(region) + len(probe)
    size = 1 << (n - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(region, size) * np.conj(np.fft.rfft(probe, size)), size)[: hi - lo + 1]
    cumulative = np.concatenate([[0.0], np.cumsum(region**2)])
    energy = (cumulative[len(probe) :] - cumulative[: -len(probe)])[: hi - lo + 1]  # of each window
    score = corr / np.sqrt(np.maximum(energy, 1e-12))
    return lo + int(np.argmax(score))


def beat_onsets(
    samples: np.ndarray,
    sample_rate: int,
    *,
    exclude: list[tuple[int, int]] = (),
    start: int = 0,
    end: int | None = None,
    threshold: float = 0.3,
    refractory_ms: int = 120,
) -> list[int]:
    """Onset samples of the beats in [start, end), skipping the `exclude` ranges (speech regions).

    An onset is the first sample reaching `threshold` times the loudest beat peak in range,
    after at least `refractory_ms` below it (beats last < 80 ms; 120 ms allows 500 spm).
    Accurate to ±1 ms, also after MP3 coding (whose pre-echo stays well under the threshold).
    Beats from GUARD_BEFORE_MS before an excluded range to GUARD_AFTER_MS after it are
    skipped: ducking (its attack and release) makes them quieter and their onsets vaguer.
    """
    end = len(samples) if end is None else min(end, len(samples))
    level = np.abs(np.asarray(samples[start:end], dtype=np.float32))
    keep = np.ones(len(level), dtype=bool)
    before, after = round(GUARD_BEFORE_MS * sample_rate / 1000), round(GUARD_AFTER_MS * sample_rate / 1000)
    for lo, hi in exclude:
        keep[max(0, lo - before - start) : max(0, hi + after - start)] = False
    if not keep.any() or level[keep].max() == 0:
        return []
    # threshold from the beats alone; onsets found on everything, then those near speech dropped
    loud = np.flatnonzero(level >= threshold * level[keep].max())
    refractory = round(refractory_ms * sample_rate / 1000)
    firsts = loud[np.concatenate([[True], np.diff(loud) >= refractory])]
    return [int(start + i) for i in firsts if keep[i]]


def estimate_spm(onsets: list[int], sample_rate: int) -> float:
    """Steps per minute of a beat train, robust to missing beats (e.g. those under speech).

    Each onset is numbered by how many median periods it lies after the first, then a
    least-squares line through (number, onset) gives the period.
    """
    onsets = np.asarray(onsets, dtype=np.float64)
    if len(onsets) < 3:
        raise ValueError("need at least 3 onsets to estimate a cadence")
    period = _train_period(onsets)
    numbers = np.rint((onsets - onsets[0]) / period)
    slope = np.polyfit(numbers, onsets, 1)[0]
    return 60 * sample_rate / slope


def _runs(active: np.ndarray) -> list[tuple[int, int]]:
    """[first, last) index ranges where `active` is True."""
    edges = np.diff(np.concatenate([[0], active.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def _train_period(onsets) -> float:
    """The typical gap between consecutive beats, ignoring gaps that skip hidden beats."""
    gaps = np.diff(onsets)
    return float(np.median(gaps[gaps < 1.5 * gaps.min()]))


# --- loudness as a meter reads it: BS.1770-4 with pyloudnorm's own K-weighting filters ---

TRUE_PEAK_OVERSAMPLING = 4
CANDIDATE_DB = 6.0  # true_peak oversamples around samples this close to the sample peak
PIECE = 1 << 20  # samples filtered at a time: an hour of audio never needs an hour-long float64 copy


def decode_mp3_channels(path: str | Path) -> tuple[np.ndarray, int]:
    """(samples as float32, shape (frames, channels), sample rate) of an MP3, channels kept apart."""
    decoded = miniaudio.mp3_read_file_f32(str(path))
    samples = np.asarray(decoded.samples, dtype=np.float32).reshape(-1, decoded.nchannels)
    return samples, decoded.sample_rate


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """One channel through pyloudnorm's K-weighting filters, as float64 (for short signals)."""
    from scipy.signal import sosfilt

    return sosfilt(_k_sections(rate), np.asarray(samples, dtype=np.float64))


def _k_sections(rate: int) -> np.ndarray:
    """pyloudnorm's K-weighting biquads as one second-order-section cascade: scipy's sosfilt gives
    the same output as its two lfilter calls, four times as fast, and can run piece by piece."""
    import pyloudnorm
    from scipy.signal import tf2sos

    stages = pyloudnorm.Meter(rate)._filters.values()
    return np.vstack([tf2sos(stage.passband_gain * stage.b, stage.a) for stage in stages])


def weighted_energy(samples: np.ndarray, rate: int, positions: np.ndarray) -> np.ndarray:
    """Sum over channels of the K-weighted squares before each sample index in `positions` (0 … len)."""
    from scipy.signal import sosfilt

    x = np.asarray(samples).reshape(len(samples), -1)
    positions = np.clip(np.asarray(positions, dtype=np.int64), 0, len(x))
    order = np.argsort(positions, kind="stable")
    ordered = positions[order]
    sections = _k_sections(rate)
    total = np.zeros(len(positions))
    for channel in x.T:
        state = np.zeros((len(sections), 2))  # at rest, as lfilter starts
        found = np.zeros(len(positions))
        carry = 0.0
        for lo in range(0, len(channel), PIECE):
            piece, state = sosfilt(sections, channel[lo : lo + PIECE].astype(np.float64), zi=state)
            running = carry + np.cumsum(np.square(piece))
            first = np.searchsorted(ordered, lo + 1, side="left")  # positions lo + 1 … lo + len(piece)
            last = np.searchsorted(ordered, lo + len(piece), side="right")
            found[first:last] = running[ordered[first:last] - lo - 1]
            carry = running[-1]
        found[ordered == 0] = 0.0
        total[order] += found
    return total


def measure_loudness(samples: np.ndarray, rate: int, spans_s=()) -> tuple[float, list[float]]:
    """BS.1770-4 integrated loudness (LUFS) of mono (n,) or (n, channels) samples, and the loudness
    of each (start_s, end_s) span (its mean K-weighted power, channels summed).

    The same filters, 400 ms blocks every 100 ms (pyloudnorm's very bounds) and gates as
    pyloudnorm.Meter.integrated_loudness (test_loudness checks they agree), the blocks summed from
    running sums, in pieces: an hour of audio takes seconds and little memory, not minutes.
    """
    length = len(samples)
    blocks = int(round((length / rate - 0.4) / 0.1)) + 1
    j = np.arange(max(blocks, 0) + 4)
    bounds = (0.4 * (j * 0.25) * rate).astype(np.int64)  # block j is quarters j … j + 3 (pyloudnorm's rounding)
    spans = np.array([(round(a * rate), round(b * rate)) for a, b in spans_s], dtype=np.int64).reshape(-1, 2)
    energy = weighted_energy(samples, rate, np.concatenate([bounds, spans.ravel()]))
    at_bounds, at_spans = energy[: len(bounds)], energy[len(bounds) :].reshape(-1, 2)
    power = (at_bounds[4:] - at_bounds[:-4]) / (0.4 * rate) if blocks > 0 else np.zeros(0)
    with np.errstate(divide="ignore"):
        integrated = gated(-0.691 + 10 * np.log10(power))
        lengths = np.maximum(np.minimum(spans[:, 1], length) - spans[:, 0], 1)
        cues = (-0.691 + 10 * np.log10((at_spans[:, 1] - at_spans[:, 0]) / lengths)).tolist()
    return integrated, cues


def voice_loudness(samples: np.ndarray, rate: int, spans_s) -> float:
    """The voice's speech-gated loudness (LUFS): the mean K-weighted power over the (start_s, end_s)
    spans where speech plays (the plan's cues), as audiocoach/audio/levels.py sets it."""
    _, cues = measure_loudness(samples, rate, spans_s)
    return mean_loudness(cues, [max(round(b * rate) - round(a * rate), 1) for a, b in spans_s])


def mean_loudness(lufs, lengths) -> float:
    """The loudness (LUFS) of spans measured apart (`lufs`), together: their powers averaged by length."""
    powers = 10 ** ((np.asarray(lufs, dtype=np.float64) + 0.691) / 10)
    weights = np.asarray(lengths, dtype=np.float64)
    return float(-0.691 + 10 * np.log10(np.sum(powers * weights) / np.sum(weights)))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """BS.1770-4 integrated loudness (LUFS): see measure_loudness."""
    return measure_loudness(samples, rate)[0]


def gated(blocks: np.ndarray) -> float:
    """BS.1770 gating of block loudness values: -70 LUFS, then 10 LU under the mean of what is left."""
    blocks = blocks[blocks >= -70.0]
    if not len(blocks):
        return float("-inf")
    relative = -0.691 + 10 * np.log10(np.mean(10 ** ((blocks + 0.691) / 10))) - 10
    kept = blocks[blocks > relative]
    return float(-0.691 + 10 * np.log10(np.mean(10 ** ((kept + 0.691) / 10))))


def true_peak(samples: np.ndarray, rate: int, *, everywhere: bool = False) -> float:
    """Peak (dBTP) of the signal oversampled 4x by scipy's polyphase resampler (BS.1770-4 annex 2).

    The oversampled values are worked out only between the samples within CANDIDATE_DB of the
    sample peak and their neighbours, each from its 21 neighbours with resample_poly's own filter:
    the same numbers resample_poly(x, 4, 1) gives there. A peak between samples lower than that
    on both sides would need the loud part of the signal near the Nyquist frequency (a tone at
    11 kHz, sampled at its worst, peaks 3 dB over its samples at 44.1 kHz); these tracks' loud part
    is speech, under 11 kHz. `everywhere` runs resample_poly over all of it instead (seconds a
    minute), which test_loudness uses to check the shortcut.
    """
    from scipy.signal import resample_poly

    x = np.asarray(samples).reshape(len(samples), -1)
    sample_peak = max((float(np.max(np.abs(x[lo : lo + PIECE]))) for lo in range(0, len(x), PIECE)), default=0.0)
    if sample_peak == 0:
        return float("-inf")
    peak = sample_peak
    for channel in x.T:
        if everywhere:
            for lo in range(0, len(channel), PIECE):
                start = max(0, lo - 256)
                fine = resample_poly(channel[start : lo + PIECE + 256].astype(np.float64), TRUE_PEAK_OVERSAMPLING, 1)
                inside = fine[TRUE_PEAK_OVERSAMPLING * (lo - start) : TRUE_PEAK_OVERSAMPLING * (lo - start + PIECE)]
                peak = max(peak, float(np.max(np.abs(inside))))
            continue
        threshold = sample_peak * 10 ** (-CANDIDATE_DB / 20)
        loud = np.concatenate([lo + np.flatnonzero(np.abs(channel[lo : lo + PIECE]) >= threshold)
                               for lo in range(0, len(channel), PIECE)])
        between = np.unique(np.concatenate([loud - 1, loud]))  # the intervals [i, i + 1) either side
        between = between[(between >= 0) & (between < len(channel))]
        taps = _oversampling_taps()
        reach = (taps.shape[1] - 1) // 2
        for first in range(0, len(between), 1 << 16):
            at = between[first : first + (1 << 16), None] + np.arange(-reach, reach + 1)[None, :]
            inside = (at >= 0) & (at < len(channel))  # beyond either end the signal is zero
            neighbours = np.where(inside, channel[np.clip(at, 0, len(channel) - 1)], 0).astype(np.float64)
            peak = max(peak, float(np.max(np.abs(neighbours @ taps.T))))
    return 20 * np.log10(peak)


def _oversampling_taps() -> np.ndarray:
    """Row p: weights on samples i - 10 … i + 10 that give resample_poly(x, 4, 1)[4 i + p]."""
    from scipy.signal import firwin

    up = TRUE_PEAK_OVERSAMPLING
    half = 10 * up  # resample_poly's default filter: firwin(2 * 10 * up + 1, 1 / up, kaiser 5.0), gain up
    h = firwin(2 * half + 1, 1 / up, window=("kaiser", 5.0)) * up
    reach = half // up
    taps = np.zeros((up, 2 * reach + 1))
    for p in range(up):
        for k in range(-reach, reach + 1):
            j = p + half - up * k  # output 4i + p sees input i + k through h[j]
            if 0 <= j < len(h):
                taps[p, k + reach] = h[j]
    return taps
