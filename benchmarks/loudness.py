"""Loudness of built tracks, measured on the decoded MP3s: the voice over speech, integrated LUFS, true peak,
cue spread.

    python -m benchmarks.loudness [OUTPUT_FOLDER]      # default: builds workouts/ into a temp folder
    python -m benchmarks.loudness --stereo             # the same, built with --stereo

Integrated loudness is BS.1770-4 with pyloudnorm's K-weighting filters and gating (the fast
equivalent in tests/audio_helpers.py, checked against pyloudnorm in tests/test_loudness.py); the
true peak is the peak of the 4× oversampled signal (scipy's polyphase resampler); each cue's
loudness is the mean K-weighted power of its stretch of the decoded track (plan at_s..end_s,
beats included), so the spread says how evenly the cues sit. Beside the measurements: what the
build predicted (levels.py), its gain, and the beat level it played. The voice is the mean
K-weighted power over the plan's cues (speech-gated, as levels.py sets it). The target (issue 17):
the voice at −16 LUFS ± 1, true peak ≤ −1 dBTP, cues within ± 1.5 LU (a spread of at most 3 LU);
the integrated loudness is shown, not judged (beats may make a track louder than the voice).
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audiocoach.pipeline import BuildOptions, build_file, mix_spec, plan_file, speech_for
from audiocoach.uptodate import workout_files
from tests.audio_helpers import decode_mp3_channels, measure_loudness, true_peak, voice_loudness

TARGET_LUFS, TOLERANCE_LU, CEILING_DBTP, SPREAD_LU = -16.0, 1.0, -1.0, 3.0


@dataclass(frozen=True)
class Measured:
    voice: float  # LUFS, over speech
    integrated: float  # LUFS
    true_peak: float  # dBTP
    quietest_cue: float  # LUFS
    loudest_cue: float  # LUFS
    channels: int

    @property
    def spread(self) -> float:
        return self.loudest_cue - self.quietest_cue

    @property
    def ok(self) -> bool:
        return (abs(self.voice - TARGET_LUFS) <= TOLERANCE_LU and self.true_peak <= CEILING_DBTP
                and self.spread <= SPREAD_LU)


def measure(mp3: Path, plan: dict) -> Measured:
    """Loudness of a built track against its plan (the `plan --json` document, i.e. the .json sidecar)."""
    samples, rate = decode_mp3_channels(mp3)
    spans = [(cue["at_s"], cue["end_s"]) for cue in plan["cues"]]
    integrated, cues = measure_loudness(samples, rate, spans)
    return Measured(voice_loudness(samples, rate, spans), integrated, true_peak(samples, rate), min(cues), max(cues),
                    samples.shape[1])


def predicted(source: Path, stereo: bool = False):
    """What levels.py decided for the workout: (Levels(gain_db, beat_level_db, predicted_lufs, peak_dbtp),
    whether it has beats at all)."""
    from audiocoach.audio.levels import plan_levels

    workout, plan = plan_file(source)
    speech = speech_for(workout)
    spec = mix_spec(plan, workout, channels=2 if stereo else 1)
    return plan_levels(spec, speech), bool(spec.beats)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--stereo"]
    stereo = "--stereo" in sys.argv[1:]
    folder = Path(args[0]) if args else None
    sources = {p.stem: p for p in workout_files(["workouts"])}
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="audiocoach-loudness-"))
        for path in sources.values():
            build_file(path, folder, options=BuildOptions(stereo=stereo))
    print(f"{'track':<20}{'ch':>3}{'voice':>7}{'LUFS':>8}{'dBTP':>7}{'cues min':>10}{'cues max':>10}{'spread':>8}"
          f"{'predicted':>11}{'gain dB':>9}{'beat LU':>9}")
    failed = 0
    for mp3 in sorted(folder.glob("*.mp3")):
        plan = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
        m = measure(mp3, plan)
        extra = ""
        if mp3.stem in sources:
            levels, beats = predicted(sources[mp3.stem], m.channels == 2)
            beat = f"{levels.beat_level_db:9.1f}" if beats else f"{'none':>9}"
            extra = f"{levels.predicted_lufs:11.1f}{levels.gain_db:9.2f}{beat}"
        failed += not m.ok
        print(f"{mp3.stem:<20}{m.channels:3d}{m.voice:7.1f}{m.integrated:8.1f}{m.true_peak:7.1f}{m.quietest_cue:10.1f}"
              f"{m.loudest_cue:10.1f}{m.spread:8.2f}{extra}{'' if m.ok else '  OUT OF TARGET'}")
    print(f"target: voice {TARGET_LUFS:g} ± {TOLERANCE_LU:g} LUFS, true peak ≤ {CEILING_DBTP:g} dBTP, "
          f"cue spread ≤ {SPREAD_LU:g} LU: {'all within' if not failed else f'{failed} outside'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
