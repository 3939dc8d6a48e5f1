"""What a runner hears: every example workout is built, the real MP3 decoded, and checked against its plan.

Tolerances: the decoded track lasts the planned duration within 50 ms; speech starts within
100 ms of each planned cue; beats match the planned cadence within 1 spm; steps without a
cadence carry no beats.
"""

from pathlib import Path

import numpy as np
import pytest

from audiocoach.build import build_file, plan_file
from tests.audio_helpers import beat_onsets, estimate_spm, locate
from tests.conftest import EXAMPLES, Track
SPEECH_START_MS = 100
DURATION_MS = 50
SPM = 1.0
SILENT_DBFS = -35.0  # the default beat peaks near -12 dBFS (18 LU under the voice); a step without cadence stays far below this


def test_the_track_lasts_as_long_as_the_plan_says(track: Track):
    decoded_ms = len(track.samples) * 1000 / track.rate
    assert abs(decoded_ms - track.plan.duration_ms) <= DURATION_MS


def test_speech_starts_where_each_cue_is_planned(track: Track):
    starts = np.array([start for start, _ in track.heard])
    worst = 0.0
    for cue in track.plan.cues:
        if track.plan.music:  # under music, energy cannot tell speech: find each clip by its waveform
            nearest = locate(track.samples, track.speech.clip(cue.spoken), track.sample(cue.at_ms), track.rate)
        else:
            nearest = starts[np.argmin(np.abs(starts - track.sample(cue.at_ms)))]
        error_ms = (nearest - track.sample(cue.at_ms)) * 1000 / track.rate
        assert abs(error_ms) <= SPEECH_START_MS, f"{cue.kind} {cue.text!r} heard {error_ms:+.0f} ms off"
        worst = max(worst, abs(error_ms))
    print(f"{track.plan.title}: {len(track.plan.cues)} cues, worst speech start {worst:.1f} ms off")


def test_no_speech_where_none_is_planned(track: Track):
    if track.plan.music:
        pytest.skip("energy cannot tell speech from music; the music tracks' cues are found by waveform above")
    spans = [(track.sample(c.at_ms - SPEECH_START_MS), track.sample(c.end_ms + SPEECH_START_MS)) for c in track.plan.cues]
    for start, end in track.heard:
        assert any(lo <= start and end <= hi for lo, hi in spans), f"speech at {start / track.rate:.2f} s not in the plan"


def test_beats_follow_each_steps_cadence(track: Track):
    music = {play.step_index for play in track.plan.music}  # their tempo: tests/test_music_audio.py
    for step in track.plan.steps:
        if step.cadence_spm is None or step.index in music:
            continue
        onsets = beat_onsets(
            track.samples, track.rate, exclude=track.heard,
            start=track.sample(step.start_ms), end=track.sample(step.end_ms),
        )
        spm = estimate_spm(onsets, track.rate)
        assert abs(spm - step.cadence_spm) <= SPM, f"{step.name}: heard {spm:.2f} spm, planned {step.cadence_spm}"


def test_no_beats_where_cadence_is_off(track: Track):
    level = np.abs(track.samples)
    quiet = np.ones(len(level), dtype=bool)
    guard = track.sample(250)
    for start, end in track.heard:
        quiet[max(0, start - guard) : end + guard] = False
    music = {play.step_index for play in track.plan.music}
    for step in track.plan.steps:
        if step.cadence_spm is not None or step.index in music:
            continue
        window = slice(track.sample(step.start_ms) + guard, track.sample(step.end_ms) - guard)
        loudest = level[window][quiet[window]].max(initial=0.0)
        assert 20 * np.log10(max(loudest, 1e-9)) < SILENT_DBFS, f"{step.name} has sound outside speech"


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
