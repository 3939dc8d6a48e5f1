"""A song's loudness and true peak, measured once so the mixer can set it a level under the voice.

Streamed (a chunk at a time: memory stays flat), BS.1770 integrated loudness with K-weighting
applied per chunk (the filter's 200 ms of ringing at a chunk edge is lost: a few hundredths of a
LU over a song) and the true peak of the loudest chunk. Cached on disk by the song's hash and the
rate, so a warm build does not decode the song again for its level.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.audio.loudness import (
    STEP_S,
    block_powers,
    gated_loudness,
    k_weighted,
    step_bounds,
    step_energies,
    steps_in,
    true_peak,
)
from audiocoach.memo import recall, remember
from audiocoach.music.builtin import builtin_block
from audiocoach.music.decode import song_frames

if TYPE_CHECKING:
    from audiocoach.music.songs import Song

__all__ = ["song_level", "builtin_level", "SILENT_LUFS"]

SILENT_LUFS = -70.0  # a song with nothing above the gate is levelled as if this loud (it stays silent)
_FORMAT = 1  # bump when the measurement changes


def song_level(song: Song, sample_rate: int) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP) of the song as decoded at `sample_rate`."""
    return _song_level(song.sha256, sample_rate, song)


@lru_cache(maxsize=256)
def _song_level(sha256: str, sample_rate: int, song: Song) -> tuple[float, float]:
    key = f"{sha256}|{sample_rate}|{_FORMAT}"
    found = recall("music-level", key)
    if found is not None:
        try:
            data = json.loads(found)
            return float(data["lufs"]), float(data["peak_dbtp"])
        except (ValueError, KeyError, TypeError):
            pass
    lufs, peak = _measure(song_frames(song, sample_rate), sample_rate)
    remember("music-level", key, json.dumps({"lufs": lufs, "peak_dbtp": peak}).encode("utf-8"))
    return lufs, peak


def _measure(frames, rate: int) -> tuple[float, float]:
    """Loudness and true peak of a stream of chunks (whole 100 ms steps per chunk but the last)."""
    energies: list[np.ndarray] = []
    peak = -math.inf
    carry = np.zeros(0)
    step = int(STEP_S * rate)
    total = 0
    for chunk in frames:
        x = np.concatenate([carry, np.asarray(chunk, dtype=np.float64).reshape(-1)])
        whole = len(x) // step * step
        carry = x[whole:]
        if whole:
            energies.append(step_energies(k_weighted(x[:whole], rate), step_bounds(rate, whole // step)) / rate)
            peak = max(peak, true_peak(x[:whole], rate))
            total += whole
    if len(carry):
        energies.append(step_energies(k_weighted(carry, rate), step_bounds(rate, steps_in(len(carry), rate))) / rate)
        peak = max(peak, true_peak(carry, rate))
        total += len(carry)
    energy = np.concatenate(energies) if energies else np.zeros(0)
    loudness = gated_loudness(block_powers(energy, total / rate))
    return (loudness if math.isfinite(loudness) else SILENT_LUFS), peak


@lru_cache(maxsize=64)
def builtin_level(bpm: float, sample_rate: int) -> tuple[float, float]:
    """(loudness, true peak) of 20 s of the built-in music at `bpm` (it is steady: 20 s stand for all)."""
    block = builtin_block(bpm, sample_rate, 0, 20 * sample_rate)
    return _measure(iter([block]), sample_rate)
