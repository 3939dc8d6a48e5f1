"""Beat sounds and the beat grid."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiocoach.audio import beats
from audiocoach.audio.beats import (
    ACCENT_PEAK,
    BEAT_PEAK,
    BEAT_SOUNDS,
    MAX_BEAT_MS,
    beat_samples,
    beat_sound,
    beats_between,
)
from audiocoach.errors import BuildError

RATE = 44100


def test_first_beat_is_on_the_start_and_the_rest_follow_the_formula():
    onsets = list(beat_samples(12_345, 12_345 + 10 * RATE, 171.3, RATE))
    assert onsets[0] == 12_345
    assert onsets == [12_345 + round(k * 60 * RATE / 171.3) for k in range(len(onsets))]


def test_no_drift_over_three_hours_at_171_3_spm():
    end = 3 * 3600 * RATE
    onsets = np.array(list(beat_samples(0, end, 171.3, RATE)))
    exact_period = Fraction(60 * RATE) / Fraction("171.3")
    assert len(onsets) == math.ceil(end / exact_period)  # every beat with an onset before the end
    exact = np.array([float(k * exact_period) for k in range(len(onsets))])
    assert np.max(np.abs(onsets - exact)) <= 0.5 + 1e-6  # each beat is where it belongs, to the sample
    assert onsets[-1] < end


def test_empty_span_has_no_beats():
    assert list(beat_samples(500, 500, 180, RATE)) == []


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, 10_000),
    length=st.integers(0, 200_000),
    spm=st.floats(60, 240),
    cuts=st.lists(st.integers(0, 220_000), max_size=8),
)
def test_beats_between_windows_add_up_to_the_whole_grid(start, length, spm, cuts):
    end = start + length
    whole = list(beat_samples(start, end, spm, RATE))
    edges = sorted({0, *cuts, 300_000})
    pieces = []
    for lo, hi in zip(edges, edges[1:]):
        ks, onsets = beats_between(start, end, spm, RATE, lo, hi)
        assert all(onset == start + round(int(k) * 60 * RATE / spm) for k, onset in zip(ks, onsets))
        pieces += onsets.tolist()
    assert pieces == whole


@pytest.mark.parametrize("name", BEAT_SOUNDS)
@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_sounds_are_short_peak_normalised_and_click_free(name, rate):
    plain = beat_sound(name, rate)
    accent = beat_sound(name, rate, accent=True)
    for sound, peak in ((plain, BEAT_PEAK), (accent, ACCENT_PEAK)):
        assert sound.dtype == np.float32
        assert 0 < len(sound) < MAX_BEAT_MS * rate / 1000
        assert np.max(np.abs(sound)) == pytest.approx(peak, rel=1e-6)
        assert sound[0] == 0 and sound[-1] == 0  # starts and ends at rest: no DC step
    assert not np.array_equal(plain[: len(accent)], accent[: len(plain)])


@pytest.mark.parametrize("name", BEAT_SOUNDS)
def test_sounds_are_deterministic(name):
    first = beat_sound(name, RATE).copy()
    beats._sound.cache_clear()  # synthesise again, not just return the cached array
    assert np.array_equal(beat_sound(name, RATE), first)


def test_sounds_are_distinct():
    spectra = {}
    for name in BEAT_SOUNDS:
        sound = beat_sound(name, RATE)
        spectrum = np.abs(np.fft.rfft(sound, 8192))
        spectra[name] = spectrum / np.linalg.norm(spectrum)
    for a in BEAT_SOUNDS:
        for b in BEAT_SOUNDS:
            if a < b:
                assert float(spectra[a] @ spectra[b]) < 0.8, f"{a} and {b} sound alike"


def test_accent_is_brighter():
    for name in BEAT_SOUNDS:
        plain, accent = beat_sound(name, RATE), beat_sound(name, RATE, accent=True)
        assert _centroid(accent) >= _centroid(plain) * 0.98, name


def test_none_is_silent_and_unknown_names_are_build_errors():
    assert len(beat_sound("none", RATE)) == 0
    with pytest.raises(BuildError) as caught:
        beat_sound("gong", RATE)
    assert "gong" in caught.value.message and "cowbell" in caught.value.hint


def test_sounds_cannot_be_changed_by_callers():
    with pytest.raises(ValueError):
        beat_sound("click", RATE)[0] = 1.0


def _centroid(sound: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(sound, 8192))
    freqs = np.fft.rfftfreq(8192, 1 / RATE)
    return float(np.sum(freqs * spectrum) / np.sum(spectrum))
