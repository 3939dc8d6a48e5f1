"""What a runner hears over their footsteps, measured in decoded MP3s: the go word on the boundary,
beats at their loudness under the voice, and beats ducking under the voice.
"""

from pathlib import Path

import numpy as np
import pytest
from scipy.fft import next_fast_len

from audiocoach.audio.beats import REFERENCE_SPM, beat_samples
from audiocoach.audio.ducking import DUCK_DB
from audiocoach.audio.levels import plan_levels
from audiocoach.audio.sizes import SIZES
from audiocoach.pipeline import BuildOptions, build_file, mix_spec, plan_file, speech_for
from tests.audio_helpers import decode_mp3, k_weighted, locate
from tests.conftest import Track

GO_WORD_MS = 30
GO_SEARCH_MS = 550  # locate searches 250 ms either side with the first 300 ms of the clip


def test_every_go_word_starts_on_its_step_boundary(track: Track):
    plan, rate = track.plan, track.rate
    boundaries = {s.start_ms for s in plan.steps}
    errors = []
    for cue, window in track.cues_inside(GO_SEARCH_MS):
        if cue.kind != "go":
            continue
        assert cue.at_ms in boundaries
        expected = cue.at_ms * rate // 1000
        found = window.start + locate(window.samples, track.speech.clip(cue.text), expected - window.start, rate)
        errors.append((found - expected) * 1000 / rate)
    assert len(errors) == sum(c.kind == "go" for c in plan.cues) if track.whole else errors
    worst = max(errors, key=abs)
    print(f"{plan.title}: {len(errors)} go words, worst {worst:+.1f} ms from the boundary")
    assert abs(worst) <= GO_WORD_MS


MEASURE = """\
title: Measure
beats: {{sound: {sound}, level: {level}dB}}
steps:
  - run: 2min
    cadence: 170
    cues:
      - Tall posture and relaxed shoulders, keep your hands loose and your jaw easy.
      - Quick light steps under your hips, and let the arms swing straight back.
      - Breathe out long and stay smooth all the way through this stretch.
"""


def measured(tmp_path: Path, sound: str, level: float = -26.0):
    """Decoded samples, rate, beat onsets under speech and clear of it, and the cue spans."""
    source = tmp_path / f"{sound}.yaml"
    source.write_text(MEASURE.format(sound=sound, level=level))
    # at 44.1 kHz (--size full): the ducking test listens above 11.5 kHz, where only the hi-hat sounds
    full = BuildOptions(sample_rate=SIZES["full"].sample_rate, bitrate_kbps=SIZES["full"].bitrate_kbps)
    samples, rate = decode_mp3(build_file(source, tmp_path, options=full).output)
    _, plan = plan_file(source)
    spans = [(c.at_ms * rate // 1000, c.end_ms * rate // 1000) for c in plan.cues]
    step = plan.steps[0]
    under, clear = [], []
    guard = rate * 4 // 10  # the ramps around a phrase are neither ducked nor clear
    for onset in beat_samples(step.start_ms * rate // 1000, step.end_ms * rate // 1000, step.cadence_spm, rate):
        if any(start + rate // 20 <= onset < end for start, end in spans):
            under.append(onset)
        elif not any(start - guard <= onset < end + guard for start, end in spans):
            clear.append(onset)
    return samples, rate, under, clear, spans


def above(samples: np.ndarray, rate: int, hz: float) -> np.ndarray:
    """The whole track with everything under `hz` taken out (one FFT: no window edges to leak through).

    Zero-padded to a length with small factors: at the track's own length numpy's FFT took 0.9 GB."""
    size = next_fast_len(len(samples), real=True)
    spectrum = np.fft.rfft(samples.astype(np.float64), size)
    spectrum[np.fft.rfftfreq(size, 1 / rate) < hz] = 0
    return np.fft.irfft(spectrum, size)[: len(samples)]


def peak(samples: np.ndarray, onset: int, rate: int) -> float:
    """Peak of the 30 ms around a beat onset."""
    return float(np.abs(samples[onset - rate // 200 : onset + rate * 25 // 1000]).max())


def test_beats_duck_under_speech(tmp_path: Path):
    """Speech is synthesized at 22 kHz, so above 11.5 kHz only the hi-hat sounds: its dip is the ducking."""
    samples, rate, under, clear, _ = measured(tmp_path, "hihat")
    hiss = above(samples, rate, 11_500)
    ducked = np.median([peak(hiss, s, rate) for s in under])
    free = np.median([peak(hiss, s, rate) for s in clear])
    depth = 20 * np.log10(free / ducked)
    print(f"ducking: beats dip {depth:.1f} dB under speech "
          f"(set {DUCK_DB:g} dB; {len(under)} ducked, {len(clear)} clear)")
    assert len(under) >= 20 and depth >= 12


@pytest.mark.parametrize("sound,level", [("click", -26.0), ("hihat", -26.0), *[pytest.param(*p, marks=pytest.mark.full)
                                         for p in [("woodblock", -26.0), ("cowbell", -26.0), ("click", -32.0)]]])
def test_beats_sit_at_their_loudness_below_speech(tmp_path: Path, sound: str, level: float):
    """`level` is LU under the voice: the K-weighted power of whole beat periods clear of speech,
    against that of the cues (at 170 spm, the cadence the level is defined at)."""
    samples, rate, _, clear, spans = measured(tmp_path, sound, level)
    weighted = np.square(k_weighted(samples, rate))
    period = 60 * rate / REFERENCE_SPM
    beats = np.mean([weighted[s : s + round(period)].mean() for s in clear])
    speech = np.mean([weighted[start:end].mean() for start, end in spans])
    heard = 10 * np.log10(beats / speech)
    source = tmp_path / f"{sound}.yaml"
    workout, plan = plan_file(source)
    voice = speech_for(workout)
    played = plan_levels(mix_spec(plan, workout), voice).beat_level_db
    print(f"{sound}: beat {heard:+.1f} LU under the voice (set {level:g}, played {played:g})")
    assert played == level  # this workout has speech enough: the beat is not lowered
    assert abs(heard - level) <= 0.5
