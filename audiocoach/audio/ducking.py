"""Ducking: how what plays under the voice (beats; music later) dips while the coach speaks.

One curve, used by the mixer to play it and by levels.py to predict it: the bed is at full
level away from speech, ramps linearly down to `floor` over the attack (finished when a clip
starts), holds there while the clip plays, and ramps back up over the release after it ends.
Where a release meets the next attack, the lower of the two wins. Only the clip that started
last before a sample and the first one after it can shape it (clips never overlap, so the one
that started last also ended last), so the curve is a function of the absolute sample alone:
chunking cannot change it.
"""

from __future__ import annotations

import numpy as np

DUCK_DB = 15.0  # how far a bed dips under speech: with beats 18 LU under the voice, 21 dB under street noise
# during a cue (README, the outdoor table under `audiocoach build`)
DUCK_ATTACK_MS = 15
DUCK_RELEASE_MS = 120


def duck_curve(
    positions: np.ndarray, starts: np.ndarray, ends: np.ndarray, attack: int, release: int, floor: float
) -> np.ndarray:
    """Gain (float64, floor … 1) of a ducked bed at each sample in `positions`, for speech clips
    [starts[i], ends[i]) sorted and apart; `attack`, `release` in samples."""
    t = np.asarray(positions, dtype=np.float64)
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    gain = np.ones(len(t))
    if not len(starts):
        return gain
    after = np.searchsorted(starts, np.asarray(positions), "right")  # clips started at or before each sample
    previous = after > 0
    end = ends[np.maximum(after - 1, 0)].astype(np.float64)
    released = floor + (1 - floor) * (t - end) / max(release, 1)
    from_previous = np.where(t < end, floor, np.where(t < end + release, released, 1.0))
    gain = np.where(previous, np.minimum(gain, from_previous), gain)
    following = after < len(starts)
    start = starts[np.minimum(after, len(starts) - 1)].astype(np.float64)
    attacked = 1 - (1 - floor) * (t - (start - attack)) / max(attack, 1)
    from_next = np.where(t >= start - attack, np.minimum(attacked, 1.0), 1.0)
    return np.where(following, np.minimum(gain, from_next), gain)


def floor_gain(depth_db: float) -> float:
    """The ducked gain for a dip of `depth_db` dB."""
    return 10 ** (-depth_db / 20)


def duck_span(
    first: int, last: int, starts: np.ndarray, ends: np.ndarray, attack: int, release: int, floor: float
) -> np.ndarray:
    """duck_curve(np.arange(first, last), …), the very same float64 values, at a fraction of the cost:
    the curve is computed only on the ramps. Elsewhere it is exactly `floor` while a clip plays (no
    other clip can pull it lower, nor a ramp hold it higher) and exactly 1 away from every clip."""
    gain = np.ones(last - first)
    ramps = []
    for start, end in zip(np.asarray(starts).tolist(), np.asarray(ends).tolist()):
        gain[max(start - first, 0) : max(end - first, 0)] = floor  # empty where the clip is outside
        ramps += [(max(start - attack, first), min(start, last)), (max(end, first), min(end + release, last))]
    ramps = [(lo, hi) for lo, hi in ramps if lo < hi]
    if ramps:
        positions = np.concatenate([np.arange(lo, hi) for lo, hi in ramps])
        gain[positions - first] = duck_curve(positions, starts, ends, attack, release, floor)
    return gain
