"""What a runner hears: every example workout is built, the real MP3 decoded, and checked against its plan
(in make test, a representative few whole and the others on excerpts: see tests/example_tracks.py).

Tolerances: the decoded track lasts the planned duration within 50 ms; speech starts within
100 ms of each planned cue; beats match the planned cadence within 1 spm; steps without a
cadence carry no beats.
"""

from pathlib import Path

import numpy as np
import pytest

from audiocoach.pipeline import build_file, plan_file
from tests.audio_helpers import beat_onsets, estimate_spm, locate
from tests.conftest import EXAMPLES, Track

SPEECH_START_MS = 100
LOCATE_MARGIN_MS = 600  # a cue located by waveform: locate() searches ±250 ms with a 300 ms probe
DURATION_MS = 50
SPM = 1.0
# the default beat peaks near -12 dBFS (18 LU under the voice); a step without cadence stays far below this
SILENT_DBFS = -35.0


def test_the_track_lasts_as_long_as_the_plan_says(track: Track):
    decoded_ms = track.length * 1000 / track.rate
    assert abs(decoded_ms - track.plan.duration_ms) <= DURATION_MS


def test_speech_starts_where_each_cue_is_planned(track: Track):
    worst, checked = 0.0, 0
    music = bool(track.plan.music)
    for cue, window in track.cues_inside(LOCATE_MARGIN_MS if music else SPEECH_START_MS):
        expected = track.sample(cue.at_ms)
        if music:  # under music, energy cannot tell speech: find each clip by its waveform
            nearest = window.start + locate(window.samples, track.speech.clip(cue.spoken), expected - window.start,
                                            track.rate)
        else:
            starts = np.array([window.start + start for start, _ in window.heard])
            nearest = starts[np.argmin(np.abs(starts - expected))]
        error_ms = (nearest - track.sample(cue.at_ms)) * 1000 / track.rate
        assert abs(error_ms) <= SPEECH_START_MS, f"{cue.kind} {cue.text!r} heard {error_ms:+.0f} ms off"
        worst, checked = max(worst, abs(error_ms)), checked + 1
    assert checked == len(track.plan.cues) if track.whole else checked >= 3
    print(f"{track.plan.title}: {checked} of {len(track.plan.cues)} cues, worst speech start {worst:.1f} ms off")


def test_no_speech_where_none_is_planned(track: Track):
    if track.plan.music:
        pytest.skip("energy cannot tell speech from music; the music tracks' cues are found by waveform above")
    spans = [(track.sample(c.at_ms - SPEECH_START_MS), track.sample(c.end_ms + SPEECH_START_MS))
             for c in track.plan.cues]
    for window in track.windows:
        assert window.heard, "no speech heard in a window around a cue"
        for start, end in window.heard:
            start, end = window.start + start, window.start + end
            heard_at = f"speech at {start / track.rate:.2f} s not in the plan"
            assert any(lo <= start and end <= hi for lo, hi in spans), heard_at


def test_beats_follow_each_steps_cadence(track: Track):
    checked = 0
    music = {play.step_index for play in track.plan.music}  # their tempo: tests/test_music_audio.py
    steps = [s for s in track.plan.steps if s.cadence_spm is not None and s.index not in music]
    for step, window, lo, hi in track.parts(steps):
        onsets = beat_onsets(window.samples, track.rate, exclude=window.heard, start=lo, end=hi)
        spm = estimate_spm(onsets, track.rate)
        assert abs(spm - step.cadence_spm) <= SPM, f"{step.name}: heard {spm:.2f} spm, planned {step.cadence_spm}"
        checked += 1
    assert checked or not steps, "no step with a cadence (and no music) was heard"


def test_no_beats_where_cadence_is_off(track: Track):
    guard, checked = track.sample(250), 0
    music = {play.step_index for play in track.plan.music}
    steps = [s for s in track.plan.steps if s.cadence_spm is None and s.index not in music]
    for step, window, lo, hi in track.parts(steps):
        level = np.abs(window.samples[lo + guard : hi - guard])
        quiet = np.ones(len(level), dtype=bool)
        for start, end in window.heard:
            quiet[max(0, start - guard - lo - guard) : max(0, end + guard - lo - guard)] = False
        loudest = level[quiet].max(initial=0.0)
        assert 20 * np.log10(max(loudest, 1e-9)) < SILENT_DBFS, f"{step.name} has sound outside speech"
        checked += 1
    assert checked or not steps, "no step without a cadence (and no music) was heard"


def test_every_step_with_a_cadence_is_checked_somewhere():
    """The examples must exercise both beats and beat-free steps, or the tests above prove little."""
    steps = [s for path in EXAMPLES for s in plan_file(path)[1].steps]
    assert any(s.cadence_spm for s in steps) and any(s.cadence_spm is None for s in steps)


SHORT = """\
title: Determinism
runner: {cadence: 170}
prompts: {mantras: [Quick light steps.]}
steps:
  - warmup: 30s
    cadence: 160
  - run: 200m
    pace: 40s/200m
    cadence: +5%
  - cooldown: 20s
"""


def test_the_same_workout_builds_to_identical_bytes(tmp_path: Path):
    source = tmp_path / "same.yaml"
    source.write_text(SHORT)
    first = build_file(source, tmp_path / "a").output.read_bytes()
    second = build_file(source, tmp_path / "b").output.read_bytes()
    assert first == second
