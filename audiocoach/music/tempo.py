"""A song's tempo: its TBPM tag, or an estimate from the onsets of its first minute.

The estimate: a log-magnitude spectral-flux onset envelope (three bands weighed alike); its autocorrelation, summed over
the first few multiples of each lag, picks the beat period (60–220 BPM; the faster of two
octaves when the faster pulse is nearly as regular); the comb of the
envelope's spectrum at that beat frequency and its harmonics then fixes the tempo to a few
hundredths of a BPM. No clear peak (noise, silence, free time) gives None.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audiocoach.audio.resample import resample
from audiocoach.music.decode import decode_path
from audiocoach.music.tags import tag_text

EXCERPT_SECONDS = 60.0  # the estimate reads at most this much of a song: bounded time and memory
ANALYSIS_RATE = 11_025
FRAME, HOP = 1024, 128  # STFT for the onset envelope: 86 envelope values per second
SLOWEST, FASTEST = 60.0, 220.0  # BPM range searched
BAND_EDGES_HZ = [0, 250, 2_000, ANALYSIS_RATE / 2 + 1]  # kick, body, snare and hats: each band votes alike
MIN_BAND_SPREAD = 1.0  # rises (log-magnitude sums) varying less than this are ripple, not onsets (a steady
# tone measures 0.6, noise 1-4, drums 5-200)
HARMONICS = 4  # multiples of a lag (and of a frequency) that vote for it
MIN_CLARITY = 0.15  # normalised autocorrelation a beat must reach; noise stays under ~0.05
HALVING = 0.4  # half the period is the beat when its autocorrelation reaches this share of the period's
TAG_RANGE = (20.0, 400.0)  # a TBPM outside this is not a tempo (0, garbage) and is ignored


def tag_bpm(path: Path) -> float | None:
    """The file's TBPM tag (ID3 TBPM, Vorbis/FLAC BPM) as a float, or None when missing or not a tempo."""
    text = tag_text(Path(path), "bpm")
    try:
        value = float(text.replace(",", ".")) if text else None
    except ValueError:
        return None
    return value if value is not None and TAG_RANGE[0] <= value <= TAG_RANGE[1] else None


def estimate_bpm(song_path: Path) -> float | None:
    """The tempo of the song's first minute from its onsets (streamed decode), or None when no clear pulse."""
    limit = int(EXCERPT_SECONDS * ANALYSIS_RATE)
    blocks, frames = [], 0
    for block in decode_path(Path(song_path), ANALYSIS_RATE):
        blocks.append(block[: limit - frames])
        frames += len(blocks[-1])
        if frames >= limit:
            break
    return estimate_bpm_samples(np.concatenate(blocks) if blocks else np.zeros(0, np.float32), ANALYSIS_RATE)


def estimate_bpm_samples(samples: np.ndarray, rate: int) -> float | None:
    """The tempo of mono `samples` (at most EXCERPT_SECONDS of them are read), or None when no clear pulse."""
    envelope = onset_envelope(np.asarray(samples[: int(EXCERPT_SECONDS * rate)], dtype=np.float32), rate)
    frame_rate = ANALYSIS_RATE / HOP  # the envelope is computed at the analysis rate
    if len(envelope) < 4 * frame_rate * 60 / SLOWEST or not np.any(envelope):  # under 4 slow beats
        return None
    lag = _beat_lag(envelope, frame_rate)
    if lag is None:
        return None
    return round(_refine(envelope, frame_rate, 60.0 * frame_rate / lag), 2)


def onset_envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """Spectral flux per band (sum of rises in log magnitude), each band's rises above its local mean
    scaled to unit spread, summed: a kick counts as much as a clap. One value per HOP."""
    if rate != ANALYSIS_RATE:
        samples = resample(samples, rate, ANALYSIS_RATE)
    count = (len(samples) - FRAME) // HOP + 1
    if count < 2:
        return np.zeros(0)
    edges = np.searchsorted(np.fft.rfftfreq(FRAME, 1 / ANALYSIS_RATE), BAND_EDGES_HZ)
    window = np.hanning(FRAME).astype(np.float32)
    flux = np.empty((count - 1, len(edges) - 1))
    previous = None
    for first in range(0, count, 512):  # 512 frames at a time: scratch memory stays small
        index = np.arange(first, min(first + 512, count))[:, None] * HOP + np.arange(FRAME)
        spectrum = np.log1p(1000.0 * np.abs(np.fft.rfft(samples[index] * window, axis=1)))
        stacked = spectrum if previous is None else np.vstack([previous, spectrum])
        rises = np.maximum(np.diff(stacked, axis=0), 0.0)
        sums = np.add.reduceat(rises, edges[:-1], axis=1)[:, : len(edges) - 1]
        flux[max(first - 1, 0): max(first - 1, 0) + len(sums)] = sums
        previous = spectrum[-1:]
    envelope = np.zeros(len(flux))
    for band in flux.T:
        rises = np.maximum(band - np.convolve(band, np.ones(16) / 16, mode="same"), 0.0)  # ~0.2 s local mean
        spread = rises.std()
        if spread >= MIN_BAND_SPREAD:
            envelope += rises / spread
    return envelope


def _beat_lag(envelope: np.ndarray, frame_rate: float) -> float | None:
    """The beat period in envelope frames whose multiples correlate best; None when none stands out."""
    smooth = np.convolve(envelope, [1, 2, 3, 2, 1], mode="same")  # broad peaks: fractional lags compare fairly
    centred = smooth - smooth.mean()
    size = 1 << int(np.ceil(np.log2(2 * len(centred))))
    spectrum = np.fft.rfft(centred, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[: len(centred)]
    if acf[0] <= 0:
        return None
    acf = np.concatenate([acf / acf[0], np.zeros(2)])  # biased: longer lags weigh a little less
    lags = np.arange(60 * frame_rate / FASTEST, 60 * frame_rate / SLOWEST, 0.05)  # fractional lags
    votes = np.zeros(len(lags))
    for k in range(1, HARMONICS + 1):
        index = np.minimum(np.rint(lags * k).astype(int), len(acf) - 2)
        votes += np.maximum.reduce([acf[index - 1], acf[index], acf[index + 1]])  # integer lags are coarse
    best = int(np.argmax(votes))
    if votes[best] / HARMONICS < MIN_CLARITY:
        return None
    lag = float(lags[best])
    while lag / 2 >= lags[0] and _peak(acf, lag / 2) >= HALVING * _peak(acf, lag):
        lag /= 2  # a pulse twice as fast that is nearly as regular (kick and snare alternating) is the beat
    return lag


def _peak(acf: np.ndarray, lag: float) -> float:
    index = int(round(lag))
    return float(acf[index - 1: index + 2].max())


def _refine(envelope: np.ndarray, frame_rate: float, bpm: float) -> float:
    """The tempo near `bpm` (±3 %) where the envelope's spectrum, summed over harmonics, peaks: 0.1 BPM
    steps, then 0.005 BPM steps around the best."""
    times = np.arange(len(envelope)) / frame_rate
    centred = envelope - envelope.mean()
    coarse = _best(centred, times, np.arange(bpm * 0.97, bpm * 1.03, 0.1))
    return _best(centred, times, np.arange(coarse - 0.15, coarse + 0.15, 0.005))


def _best(centred: np.ndarray, times: np.ndarray, candidates: np.ndarray) -> float:
    power = np.zeros(len(candidates))
    for h in range(1, HARMONICS + 1):
        phases = np.exp(-2j * np.pi * (candidates[:, None] * h / 60.0) * times)  # ≤ 60 × 5,200 values
        power += np.abs(phases @ centred) ** 2
    return float(candidates[np.argmax(power)])
