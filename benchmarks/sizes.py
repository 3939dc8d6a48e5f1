"""What each MP3 setting costs in bytes and keeps of what a runner hears, on decoded audio.

    python -m benchmarks.sizes [WORKOUT.yaml ...] [--settings 16000:48,22050:48]
    # default: four example workouts, every setting of SETTINGS (96 kb/s 44.1 kHz is always measured)

Each workout is built at every setting below (sample rate, CBR bitrate, mono) and the real MP3
decoded. Per setting: megabytes per hour; the worst and median speech start against the plan
(speech_regions, as tests/test_track_audio.py checks: within 100 ms); the worst beat tempo
error over every step with a cadence (estimate_spm, tested within 1 spm); integrated loudness
and true peak (BS.1770, as benchmarks/loudness.py: −16 ± 1 LUFS, ≤ −1 dBTP); and the largest
difference of any of these from the 96 kb/s 44.1 kHz build of the same workout. A setting keeps
"no measurable loss" when every figure stays inside the tolerances the tests already use.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiocoach.pipeline import BuildOptions, build_file, plan_file
from tests.audio_helpers import beat_onsets, decode_mp3, estimate_spm, integrated_loudness, speech_regions, true_peak

SETTINGS = [  # (sample rate, kb/s): 96 kb/s at 44.1 kHz was the default before issue 15
    (44_100, 96), (44_100, 64), (44_100, 56), (44_100, 48), (24_000, 48), (24_000, 40),
    (22_050, 40), (22_050, 32), (24_000, 32), (16_000, 32), (16_000, 24),
]
DEFAULT_WORKOUTS = ["workouts/mile-400s.yaml", "workouts/hill-repeats.yaml", "workouts/core-circuit.yaml",
                    "workouts/bergsprints-de.yaml"]


@dataclass(frozen=True)
class Heard:
    mb_per_hour: float
    onset_errors_ms: list[float]
    spm_errors: list[float]
    lufs: float
    dbtp: float


def measure(mp3: Path, source: Path) -> Heard:
    """Size, speech starts, beat tempi and loudness of one built track against its plan."""
    _, plan = plan_file(source)
    samples, rate = decode_mp3(mp3)
    heard = speech_regions(samples, rate)
    starts = np.array([s for s, _ in heard])
    onsets = []
    for cue in plan.cues:
        at = cue.at_ms * rate // 1000
        onsets.append(float((starts[np.argmin(np.abs(starts - at))] - at) * 1000 / rate))
    spm = []
    for step in plan.steps:
        if step.cadence_spm is not None:
            found = beat_onsets(samples, rate, exclude=heard, start=step.start_ms * rate // 1000,
                                end=step.end_ms * rate // 1000)
            spm.append(abs(estimate_spm(found, rate) - step.cadence_spm))
    size = mp3.stat().st_size
    return Heard(size * 3600_000 / plan.duration_ms / 1e6, onsets, spm, integrated_loudness(samples, rate),
                 true_peak(samples, rate))


def main() -> None:
    args = sys.argv[1:]
    settings = SETTINGS
    if "--settings" in args:
        at = args.index("--settings")
        chosen = [tuple(map(int, item.split(":"))) for item in args[at + 1].split(",")]
        settings = [(44_100, 96)] + [s for s in chosen if s != (44_100, 96)]
        del args[at : at + 2]
    sources = [Path(p) for p in (args or DEFAULT_WORKOUTS)]
    results: dict[tuple[int, int], dict[str, Heard]] = {}
    with tempfile.TemporaryDirectory(prefix="audiocoach-sizes-") as tmp:
        for rate, kbps in settings:
            folder = Path(tmp) / f"{rate}-{kbps}"
            options = BuildOptions(bitrate_kbps=kbps, sample_rate=rate, sidecars=False)
            results[rate, kbps] = {
                s.stem: measure(build_file(s, folder, options=options).output, s) for s in sources
            }
            print(f"measured {rate} Hz {kbps} kb/s", file=sys.stderr, flush=True)
    reference = results[44_100, 96]
    print(f"{len(sources)} workouts: {', '.join(s.stem for s in sources)}")
    print(f"{'setting':<18}{'MB/h':>6}{'45 min':>8}{'start worst':>12}{'median':>8}{'Δ start':>9}"
          f"{'spm worst':>10}{'LUFS':>7}{'ΔLU':>6}{'dBTP':>7}")
    for (rate, kbps), tracks in results.items():
        heard = list(tracks.values())
        mb = float(np.mean([h.mb_per_hour for h in heard]))
        errors = [abs(e) for h in heard for e in h.onset_errors_ms]
        moved = max(abs(a - b) for name, h in tracks.items()
                    for a, b in zip(h.onset_errors_ms, reference[name].onset_errors_ms))
        spm = max((e for h in heard for e in h.spm_errors), default=0.0)
        lufs = [h.lufs for h in heard]
        dlu = max(abs(h.lufs - reference[name].lufs) for name, h in tracks.items())
        print(f"{rate / 1000:g} kHz {kbps:>3} kb/s {mb:6.1f}{mb * 0.75:8.1f}{max(errors):10.1f}ms"
              f"{float(np.median(errors)):6.1f}ms{moved:7.1f}ms{spm:10.2f}{float(np.mean(lufs)):7.1f}"
              f"{dlu:6.2f}{max(h.dbtp for h in heard):7.1f}")
    print("per track, dBTP: " + "; ".join(f"{rate / 1000:g}/{kbps}: " + " ".join(f"{h.dbtp:.1f}" for h in t.values())
                                        for (rate, kbps), t in results.items()))


if __name__ == "__main__":
    main()
