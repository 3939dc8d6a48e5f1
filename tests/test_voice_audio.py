"""What a runner hears over their footsteps, measured in decoded MP3s: the go word on the boundary,
beats at their level, and beats ducking under the voice.
"""

from pathlib import Path

import numpy as np
import pytest

from audiocoach.audio.beats import beat_samples
from audiocoach.build import DUCK_DB, build_file, plan_file
from tests.audio_helpers import decode_mp3, locate

from tests.conftest import Track

GO_WORD_MS = 30


def test_every_go_word_starts_on_its_step_boundary(track: Track):
    plan, speech, samples, rate = track.plan, track.speech, track.samples, track.rate
    boundaries = {s.start_ms for s in plan.steps}
    errors = []
    for cue in plan.cues:
        if cue.kind != "go":
            continue
        assert cue.at_ms in boundaries
        expected = cue.at_ms * rate // 1000
        found = locate(samples, speech.clip(cue.text), expected, rate)
        errors.append((found - expected) * 1000 / rate)
    worst = max(errors, key=abs)
    print(f"{plan.title}: {len(errors)} go words, worst {worst:+.1f} ms from the boundary")
    assert errors and abs(worst) <= GO_WORD_MS


MEASURE = """\
title: Measure
beats: {{sound: {sound}, level: -12dB}}
steps:
  - run: 2min
    cadence: 170
    cues:
      - Tall posture and relaxed shoulders, keep your hands loose and your jaw easy.
      - Quick light steps under your hips, and let the arms swing straight back.
      - Breathe out long and stay smooth all the way through this stretch.
"""


def measured(tmp_path: Path, sound: str):
    """Decoded samples, rate, beat onsets under speech and clear of it, and the speech peak."""
    source = tmp_path / f"{sound}.yaml"
    source.write_text(MEASURE.format(sound=sound))
    samples, rate = decode_mp3(build_file(source, tmp_path).output)
    _, plan, _ = plan_file(source)
    spans = [(c.at_ms * rate // 1000, c.end_ms * rate // 1000) for c in plan.cues]
    step = plan.steps[0]
    under, clear = [], []
    guard = rate * 4 // 10  # the ramps around a phrase are neither ducked nor clear
    for onset in beat_samples(step.start_ms * rate // 1000, step.end_ms * rate // 1000, step.cadence_spm, rate):
        if any(start + rate // 20 <= onset < end for start, end in spans):
            under.append(onset)
        elif not any(start - guard <= onset < end + guard for start, end in spans):
            clear.append(onset)
    speech_peak = max(np.abs(samples[start:end]).max() for start, end in spans)
    return samples, rate, under, clear, speech_peak


def peak(samples: np.ndarray, onset: int, rate: int, above_hz: float = 0.0) -> float:
    """Peak of the 30 ms around a beat onset, keeping only what lies above `above_hz`."""
    window = samples[onset - rate // 200 : onset + rate * 25 // 1000].astype(np.float64)
    spectrum = np.fft.rfft(window)
    spectrum[np.fft.rfftfreq(len(window), 1 / rate) < above_hz] = 0
    return float(np.abs(np.fft.irfft(spectrum, len(window))).max())


def test_beats_duck_under_speech(tmp_path: Path):
    """Speech is synthesized at 22 kHz, so above 11.5 kHz only the hi-hat sounds: its dip is the ducking."""
    samples, rate, under, clear, _ = measured(tmp_path, "hihat")
    ducked = np.median([peak(samples, s, rate, 11_500) for s in under])
    free = np.median([peak(samples, s, rate, 11_500) for s in clear])
    depth = 20 * np.log10(free / ducked)
    print(f"ducking: beats dip {depth:.1f} dB under speech (set {DUCK_DB:g} dB; {len(under)} ducked, {len(clear)} clear)")
    assert len(under) >= 20 and depth >= 12


@pytest.mark.parametrize("sound", ["click", "woodblock", "cowbell"])
def test_beats_sit_at_their_level_below_speech(tmp_path: Path, sound: str):
    samples, rate, _, clear, speech_peak = measured(tmp_path, sound)
    level = 20 * np.log10(np.median([peak(samples, s, rate) for s in clear]) / speech_peak)
    print(f"{sound}: beat peak {level:+.1f} dB relative to the speech peak (set -12 dB)")
    assert abs(level - -12) <= 1.5
