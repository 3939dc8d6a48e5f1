"""Loudness of built tracks, measured on the decoded MP3s: integrated LUFS, true peak, cue spread.

    python -m benchmarks.loudness [OUTPUT_FOLDER]      # default: builds workouts/ into a temp folder

Integrated loudness is BS.1770-4 via pyloudnorm; the true peak is the sample peak of a 4×
oversampled copy (scipy's polyphase resampler); each cue's loudness is the mean K-weighted power
of its stretch of the decoded track (plan at_s..end_s, beats included), so the spread says how
evenly the cues sit. The issue's target: −16 LUFS ± 1, true peak ≤ −1 dBTP, cues within ± 1.5 LU.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from audiocoach.build import BuildOptions, build_file, workout_files
from tests.audio_helpers import decode_mp3


def measure(mp3: Path, plan: dict) -> tuple[float, float, float, float]:
    """(integrated LUFS, true peak dBTP, quietest cue LUFS, loudest cue LUFS)."""
    samples, rate = decode_mp3(mp3)
    x = samples.astype(np.float64)
    meter = pyloudnorm.Meter(rate)
    integrated = meter.integrated_loudness(x)
    true_peak = 20 * np.log10(np.max(np.abs(resample_poly(x, 4, 1))) + 1e-12)
    weighted = x
    for stage in meter._filters.values():  # the K-weighting filters pyloudnorm applies
        weighted = stage.apply_filter(weighted)
    cues = []
    for cue in plan["cues"]:
        part = weighted[round(cue["at_s"] * rate) : round(cue["end_s"] * rate)]
        if len(part):
            cues.append(-0.691 + 10 * np.log10(np.mean(part**2) + 1e-20))
    return integrated, true_peak, min(cues), max(cues)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="audiocoach-loudness-"))
        for path in workout_files(["workouts"]):
            build_file(path, folder, options=BuildOptions())
    print(f"{'track':<24}{'LUFS':>8}{'dBTP':>8}{'cues min':>10}{'cues max':>10}{'spread':>8}")
    for mp3 in sorted(folder.glob("*.mp3")):
        plan = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
        lufs, peak, low, high = measure(mp3, plan)
        print(f"{mp3.stem:<24}{lufs:8.1f}{peak:8.1f}{low:10.1f}{high:10.1f}{high - low:8.1f}")


if __name__ == "__main__":
    main()
