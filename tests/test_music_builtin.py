"""The built-in music: on the beat, the same samples however it is cut, no clicks, steady loudness."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from audiocoach.audio.loudness import integrated_loudness, true_peak
from audiocoach.errors import BuildError
from audiocoach.music import builtin, sounds
from audiocoach.music.builtin import BUILTIN_LUFS, builtin_block
from audiocoach.music.tempo import estimate_bpm_samples


@pytest.mark.parametrize(("bpm", "rate"), [(165.0, 16_000), (172.5, 44_100)])
def test_the_beat_is_the_tempo_asked_for(rate: int, bpm: float):
    music = builtin_block(bpm, rate, 0, 20 * rate)
    assert abs(estimate_bpm_samples(music, rate) - bpm) <= 0.5


def test_any_chunking_gives_the_same_samples():
    rate, whole = 16_000, builtin_block(165, 16_000, 0, 20 * 16_000, seed=4)
    cuts = np.sort(np.random.default_rng(0).choice(len(whole), 40, replace=False))
    pieces = [builtin_block(165, rate, a, b, seed=4) for a, b in zip([0, *cuts], [*cuts, len(whole)], strict=True)]
    np.testing.assert_array_equal(np.concatenate(pieces), whole)
    hour = 3_600 * rate  # far into a long workout too
    np.testing.assert_array_equal(builtin_block(165, rate, hour, hour + 5_000),
                                  np.concatenate([builtin_block(165, rate, hour, hour + 1_234),
                                                  builtin_block(165, rate, hour + 1_234, hour + 5_000)]))


def test_the_loop_repeats_exactly_when_it_fits_whole_samples():
    rate, bpm = 16_000, 150.0  # a sixteenth is 1,600 samples: a loop is exactly 102,400
    loop = builtin.LOOP_STEPS * 1_600
    second, third = builtin_block(bpm, rate, loop, 2 * loop), builtin_block(bpm, rate, 2 * loop, 3 * loop)
    np.testing.assert_array_equal(second, third)
    seam = builtin_block(bpm, rate, 2 * loop - 2_000, 2 * loop + 2_000)
    assert np.abs(np.diff(seam)).max() <= np.abs(np.diff(second)).max()  # the loop point is no rougher


def test_it_starts_on_a_downbeat_at_sample_zero():
    rate = 16_000
    music = builtin_block(165, rate, 0, rate)
    assert music[0] == 0.0
    beat = round(rate * 60 / 165)
    assert np.abs(music[: rate // 100]).max() > 0.3  # the kick sounds within 10 ms of sample 0
    assert np.abs(music[beat - rate // 100: beat]).max() < np.abs(music[beat: beat + rate // 100]).max()


def test_notes_start_and_end_silent():
    rate = 44_100
    notes = [sounds.kick(rate), sounds.snare(rate), sounds.hat(rate), sounds.hat(rate, True),
             sounds.bass(45, 7_000, rate), sounds.pad(57, 40_000, rate), sounds.pluck(81, 7_000, rate)]
    for note in notes:
        assert note[0] == 0.0 and abs(note[-1]) < 1e-6
        assert np.abs(note[:10]).max() < 0.25 * np.abs(note).max()  # a rise, not a step


def test_no_clicks_in_the_tonal_parts(monkeypatch):
    """Bass, chords and arpeggio alone are smooth below 2 kHz: a note cut hard would spike the second
    difference (about 0.04 for a bass note cut mid-wave); note edges here stay under half that."""
    for drum in ("kick", "snare", "hat", "ghost", "open"):
        monkeypatch.setitem(builtin.GAIN, drum, 0.0)
    builtin._pattern.cache_clear()
    try:
        tonal = builtin._raw(165, 44_100, 0, 12 * 44_100, 0)
    finally:
        builtin._pattern.cache_clear()
    assert np.abs(tonal).max() > 0.3
    assert np.abs(np.diff(tonal, 2)).max() < 0.02


@pytest.mark.parametrize(("bpm", "rate", "seed"), [(165, 16_000, 0), (100, 16_000, 3), (200, 44_100, 7)])
def test_the_loudness_is_steady_and_stated(bpm: float, rate: int, seed: int):
    music = builtin_block(bpm, rate, 0, 20 * rate, seed)
    assert abs(integrated_loudness(music, rate) - BUILTIN_LUFS) < 0.1
    halves = [integrated_loudness(music[i * 10 * rate: (i + 1) * 10 * rate], rate) for i in range(2)]
    assert abs(halves[0] - halves[1]) < 0.3
    assert true_peak(music, rate) <= -1.0


def test_it_is_deterministic_across_processes_and_seeds_differ():
    here = hashlib.sha256(builtin_block(165, 16_000, 5_000, 60_000, seed=2).tobytes()).hexdigest()
    script = ("import hashlib; from audiocoach.music.builtin import builtin_block; "
              "print(hashlib.sha256(builtin_block(165, 16000, 5000, 60000, seed=2).tobytes()).hexdigest())")
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert here == there
    assert not np.array_equal(builtin_block(165, 16_000, 0, 60_000, seed=0), builtin_block(165, 16_000, 0, 60_000, 1))


@pytest.mark.parametrize(("bpm", "first", "last"), [(0.0, 0, 10), (float("nan"), 0, 10), (400.0, 0, 10),
                                                     (165.0, 10, 5), (165.0, -1, 5)])
def test_a_bad_request_is_a_build_error(bpm: float, first: int, last: int):
    with pytest.raises(BuildError):
        builtin_block(bpm, 16_000, first, last)
