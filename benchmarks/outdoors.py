"""Heard outdoors: does each cadence beat stand out of street noise? (issue 17; `make bench-outdoors`)

    python -m benchmarks.outdoors                      # today's mix (BASELINE) beside this checkout's
    python -m benchmarks.outdoors --after DIR [--before DIR]   # measure tracks already built
    python -m benchmarks.outdoors --examples mile-400s,hill-repeats --no-before

Each example with beats is built (MP3, as a runner gets it), decoded, and has pink and brown
noise (benchmarks/noise.py) added NOISE_LU under its voice: the voice's speech-gated loudness,
measured on the decoded track over the samples where the plan says speech plays. For every
planned beat of every cadence step, clear of speech and its ducking, the noisy track's power in
each octave band is compared over two windows: WINDOW_MS from just before the onset, and the same
window just before that (the noise the runner hears just before the beat). A beat *stands out*
when some band is at least MARGIN_DB louder in its window. The same test at the midpoint between
two beats, where only noise plays, gives the false-alarm rate. Target: at least 95 % of beats
stand out, at most 5 % of midpoints do.

The recognizer's share of cue words heard through the same noise is `make bench-voice`'s
(branch `recognizer`); its table has the same track and noise rows, so the two join on them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiocoach.audio.beats import beat_onsets_for
from audiocoach.audio.ducking import DUCK_ATTACK_MS, DUCK_RELEASE_MS
from benchmarks.noise import KINDS, noise_at
from tests.audio_helpers import decode_mp3, voice_loudness

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "7fdc562"  # main before issue 17: the whole track at -16 LUFS, click 26 LU under the voice
NOISE_LU = 12.0  # noise this far under the voice: a street over which the runner still hears the coach
MARGIN_DB = 9.0
BEATS_TARGET, FALSE_ALARM_TARGET = 0.95, 0.05
WINDOW_MS = 48.0  # a beat sounds < 80 ms and its energy is mostly in the first 30
LEAD_MS = 6.0  # the window opens this long before the onset (into its fade-in)
GAP_MS = 6.0  # the noise window ends this long before the beat's window opens
BANDS_HZ = (125, 250, 500, 1000, 2000, 4000, 8000, 16000)  # octave bands, by centre
NOISE_SAMPLES = 1 << 21  # 48 s at 44.1 kHz, repeated (seamlessly) under every cadence step
FFT_SIZE = 4096


@dataclass(frozen=True)
class Result:
    """One track with one noise."""

    track: str
    noise: str
    beats: int  # beats measured (clear of speech and its ducking)
    standing: int  # of those, how many stand out by MARGIN_DB in some band
    midpoints: int
    false_alarms: int
    median_best_db: float  # the beats' margin in their best band, median
    best_band_hz: int  # the band most beats stand out in

    @property
    def beat_share(self) -> float:
        return self.standing / self.beats if self.beats else float("nan")

    @property
    def false_alarm_share(self) -> float:
        return self.false_alarms / self.midpoints if self.midpoints else float("nan")


def noise_under(kind: str, first: int, last: int, bed: np.ndarray) -> np.ndarray:
    """Samples first … last of `bed` repeated: FFT-shaped noise is periodic, so it repeats seamlessly."""
    return np.resize(np.roll(bed, -(first % len(bed))), last - first)


def cadence_steps(plan: dict, rate: int) -> list[tuple[int, int, float]]:
    """(start, end, spm) in samples of each step with a cadence (the mixer's rounding)."""
    def samples(s: float) -> int:
        return (round(s * 1000) * rate + 500) // 1000

    return [(samples(s["start_s"]), samples(s["end_s"]), s["cadence_spm"])
            for s in plan["steps"] if s.get("cadence_spm")]


def speech_spans(plan: dict) -> list[tuple[float, float]]:
    return [(cue["at_s"], cue["end_s"]) for cue in plan["cues"]]


def clear_of_speech(points: np.ndarray, spans_s, rate: int) -> np.ndarray:
    """Which points have their noise and beat windows clear of speech and of the beats' ducking."""
    before = round((WINDOW_MS + GAP_MS + LEAD_MS) * rate / 1000)
    after = round((WINDOW_MS - LEAD_MS) * rate / 1000)
    starts = np.array([round(a * rate) - round(DUCK_ATTACK_MS * rate / 1000) for a, _ in spans_s], dtype=np.int64)
    ends = np.array([round(b * rate) + round(DUCK_RELEASE_MS * rate / 1000) for _, b in spans_s], dtype=np.int64)
    lo, hi = points - before, points + after
    following = np.searchsorted(starts, lo, "left")  # first span starting at or after lo
    hit_next = (following < len(starts)) & (starts[np.minimum(following, len(starts) - 1)] < hi)
    hit_prev = (following > 0) & (ends[np.maximum(following - 1, 0)] > lo)
    return ~(hit_next | hit_prev)


def band_powers(samples: np.ndarray, starts: np.ndarray, rate: int) -> np.ndarray:
    """Power (linear) in each of BANDS_HZ of the Tukey-windowed WINDOW_MS from each start: (points, bands)."""
    length = round(WINDOW_MS * rate / 1000)
    taper = length // 4
    window = np.ones(length)
    window[:taper] = np.sin(np.linspace(0, np.pi / 2, taper)) ** 2
    window[-taper:] = window[:taper][::-1]
    freqs = np.fft.rfftfreq(FFT_SIZE, 1 / rate)
    band = np.full(len(freqs), -1)
    for i, centre in enumerate(BANDS_HZ):
        band[(freqs >= centre / np.sqrt(2)) & (freqs < min(centre * np.sqrt(2), rate / 2))] = i
    out = np.zeros((len(starts), len(BANDS_HZ)))
    t = np.arange(length)
    for first in range(0, len(starts), 2048):
        at = starts[first : first + 2048, None] + t[None, :]
        frames = samples[np.clip(at, 0, len(samples) - 1)].astype(np.float64)
        frames -= np.polynomial.polynomial.polyval(t, np.polynomial.polynomial.polyfit(t, frames.T, 1)).reshape(
            frames.shape)  # sub-audio wander of the brown noise would leak into the low bands
        power = np.abs(np.fft.rfft(frames * window, FFT_SIZE, axis=1)) ** 2
        for i in range(len(BANDS_HZ)):
            out[first : first + len(at), i] = power[:, band == i].sum(axis=1)
    return out


def stand_out_db(samples: np.ndarray, points: np.ndarray, rate: int) -> np.ndarray:
    """Per point and band: dB by which the window at the point is louder than the window just before."""
    lead = round(LEAD_MS * rate / 1000)
    step = round((WINDOW_MS + GAP_MS) * rate / 1000)
    here = band_powers(samples, points - lead, rate)
    before = band_powers(samples, points - lead - step, rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 10 * np.log10(np.maximum(here, 1e-30) / np.maximum(before, 1e-30))


def measure(mp3: Path, plan: dict, name: str) -> list[Result]:
    """The track with each kind of noise: its beats' and its midpoints' stand-out."""
    clean, rate = decode_mp3(mp3)
    voice = voice_loudness(clean, rate, speech_spans(plan))
    steps = cadence_steps(plan, rate)
    beats, mids = [], []
    for start, end, spm in steps:
        count = int((end - start) * spm / (60 * rate)) + 2
        onsets = beat_onsets_for(np.arange(count), start, spm, rate)
        onsets = onsets[onsets < end]
        beats.append(onsets)
        mids.append((onsets[:-1] + onsets[1:]) // 2)
    beats_at = np.concatenate(beats) if beats else np.zeros(0, dtype=np.int64)
    mids_at = np.concatenate(mids) if mids else np.zeros(0, dtype=np.int64)
    spans = speech_spans(plan)
    beats_at = beats_at[clear_of_speech(beats_at, spans, rate)]
    mids_at = mids_at[clear_of_speech(mids_at, spans, rate)]
    results = []
    for seed, kind in enumerate(KINDS):
        noisy = clean.copy()
        bed = noise_at(kind, NOISE_SAMPLES, rate, voice - NOISE_LU, seed)
        for start, end, _ in steps:
            noisy[start:end] += noise_under(kind, start, end, bed)
        beat_db = stand_out_db(noisy, beats_at, rate)
        mid_db = stand_out_db(noisy, mids_at, rate)
        best = beat_db.max(axis=1) if len(beat_db) else np.zeros(0)
        results.append(Result(
            name, kind, len(beats_at), int(np.sum(best >= MARGIN_DB)), len(mids_at),
            int(np.sum(mid_db.max(axis=1) >= MARGIN_DB)) if len(mid_db) else 0,
            float(np.median(best)) if len(best) else float("nan"),
            BANDS_HZ[int(np.bincount(beat_db.argmax(axis=1), minlength=len(BANDS_HZ)).argmax())] if len(best) else 0,
        ))
    return results


def build(folder: Path, source_root: Path, names: list[str]) -> None:
    """Build the named examples of `source_root` (a checkout) with that checkout's own code."""
    paths = [str(source_root / "workouts" / f"{name}.yaml") for name in names]
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    subprocess.run([sys.executable, "-m", "audiocoach", "build", *paths, "-o", str(folder), "--jobs", "2"],
                   cwd=source_root, env=env, check=True, stdout=subprocess.DEVNULL)


def baseline_checkout(revision: str, into: Path) -> Path:
    """The project's files at `revision` (git archive: no worktree to clean up)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def examples_with_beats() -> list[str]:
    from audiocoach.language import load_workout

    names = []
    for path in sorted((ROOT / "workouts").glob("*.yaml")):
        workout = load_workout(path)
        if workout.beats.sound != "none" and "cadence" in path.read_text(encoding="utf-8"):
            names.append(path.stem)
    return names


def table(columns: dict[str, list[Result]]) -> str:
    """One row per track and noise; per mix, beats standing out and false alarms."""
    head = f"{'track':<18}{'noise':<7}" + "".join(f"{label + ' beats':>18}{'false':>8}{'median':>8}"
                                                  for label in columns)
    lines = [head]
    first = next(iter(columns.values()))
    for i, row in enumerate(first):
        line = f"{row.track:<18}{row.noise:<7}"
        for results in columns.values():
            r = results[i]
            line += f"{r.standing:>7}/{r.beats:<5}{100 * r.beat_share:5.1f}%{100 * r.false_alarm_share:7.1f}%"
            line += f"{r.median_best_db:6.1f}dB"
        lines.append(line)
    total = f"{'all':<18}{'':<7}"
    verdict = []
    for label, results in columns.items():
        beats, standing = sum(r.beats for r in results), sum(r.standing for r in results)
        mids, alarms = sum(r.midpoints for r in results), sum(r.false_alarms for r in results)
        worst = min(r.beat_share for r in results)
        worst_alarm = max(r.false_alarm_share for r in results)
        total += f"{standing:>7}/{beats:<6}{100 * standing / beats:4.0f}%{100 * alarms / mids:7.1f}%{'':8}"
        ok = worst >= BEATS_TARGET and worst_alarm <= FALSE_ALARM_TARGET
        verdict.append(f"{label}: every track ≥ {100 * BEATS_TARGET:g} % of beats and ≤ {100 * FALSE_ALARM_TARGET:g} %"
                       f" false alarms: {'PASS' if ok else 'FAIL'} "
                       f"(worst {100 * worst:.1f} %, {100 * worst_alarm:.1f} %)")
    return "\n".join([*lines, total, *verdict])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--after", type=Path, help="folder of tracks built by this checkout (default: build them)")
    parser.add_argument("--before", type=Path, help=f"folder of tracks built at {BASELINE} (default: build them)")
    parser.add_argument("--no-before", action="store_true", help="measure this checkout's tracks only")
    parser.add_argument("--examples", help="comma-separated example names (default: every example with beats)")
    args = parser.parse_args()
    names = args.examples.split(",") if args.examples else examples_with_beats()
    with tempfile.TemporaryDirectory(prefix="audiocoach-outdoors-") as tmp:
        folders = {}
        if not args.no_before:
            folders[f"{BASELINE}"] = args.before
            if args.before is None:
                folders[BASELINE] = Path(tmp, "before")
                build(folders[BASELINE], baseline_checkout(BASELINE, Path(tmp, "src")), names)
        folders["now"] = args.after
        if args.after is None:
            folders["now"] = Path(tmp, "after")
            build(folders["now"], ROOT, names)
        columns = {}
        for label, folder in folders.items():
            columns[label] = [r for name in names for r in measure(
                folder / f"{name}.mp3", json.loads((folder / f"{name}.json").read_text(encoding="utf-8")), name)]
    print(f"noise {NOISE_LU:g} LU under the voice; a beat stands out when some octave band is ≥ {MARGIN_DB:g} dB over"
          f" the {WINDOW_MS:g} ms just before it; 'false': midpoints between beats that do")
    print(table(columns))


if __name__ == "__main__":
    main()
