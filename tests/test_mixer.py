"""The streaming mixer: exact placement, ducking, levels, chunk invariance, flat memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiocoach.audio.beats import ACCENT_DB, REFERENCE_SPM, beat_samples, beat_sound
from audiocoach.audio.ducking import duck_curve, duck_span, floor_gain
from audiocoach.audio.loudness import integrated_loudness
from audiocoach.audio.mixer import BeatSpan, MixSpec, SpeechEvent, _SpeechTrack, render
from audiocoach.audio.speech import SPEECH_LUFS
from audiocoach.errors import BuildError

RATE = 44100
SPEECH_PEAK = 0.5


class FakeSpeech:
    """A tone burst per text (different pitch per text), peak SPEECH_PEAK; records what was asked."""

    def __init__(self, seconds: float = 0.5, silent: bool = False):
        self.seconds = seconds
        self.silent = silent
        self.calls: list[str] = []

    def clip(self, text: str) -> np.ndarray:
        self.calls.append(text)
        t = np.arange(round(self.seconds * RATE)) / RATE
        freq = 300 + 37 * (sum(map(ord, text)) % 20)
        tone = SPEECH_PEAK * np.sin(2 * np.pi * freq * t) * (0.0 if self.silent else 1.0)
        return tone.astype(np.float32)


def mixed(spec: MixSpec, speech=None, chunk_samples: int = 1 << 16) -> np.ndarray:
    chunks = list(render(spec, speech or FakeSpeech(), chunk_samples))
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def busy_spec(**changes) -> MixSpec:
    total = 20 * RATE + 123
    fields = dict(
        sample_rate=RATE,
        total_samples=total,
        speech=(SpeechEvent(RATE // 2, "Warm up"), SpeechEvent(3 * RATE + 7, "Go"), SpeechEvent(12 * RATE, "Stop")),
        beats=(BeatSpan(1000, 9 * RATE + 5, 171.3), BeatSpan(9 * RATE + 5, total - 999, 182.0)),
        beat_sound="woodblock",
        accent_every=4,
    )
    fields.update(changes)
    return MixSpec(**fields)


@pytest.mark.parametrize("chunk_samples", [1000, 4097, 1 << 16, 1 << 20])
def test_output_is_identical_whatever_the_chunk_size(chunk_samples):
    reference = mixed(busy_spec(), chunk_samples=65536)
    assert np.array_equal(mixed(busy_spec(), chunk_samples=chunk_samples), reference)


@pytest.mark.parametrize("chunk_samples", [7, 999, 1 << 16])
def test_chunks_cover_exactly_total_samples(chunk_samples):
    total = RATE // 2 + 17
    spec = busy_spec(total_samples=total, beats=(BeatSpan(0, total, 170.0),), speech=(SpeechEvent(100, "Go"),))
    chunks = list(render(spec, FakeSpeech(), chunk_samples))
    assert sum(map(len, chunks)) == spec.total_samples
    assert all(c.dtype == np.float32 and len(c) <= chunk_samples for c in chunks)


def test_empty_track_yields_nothing():
    assert list(render(busy_spec(total_samples=0, speech=(), beats=()), FakeSpeech())) == []


def test_speech_lands_sample_exact():
    speech = FakeSpeech()
    spec = busy_spec(beats=(), beat_sound="none")
    out = mixed(spec, speech, chunk_samples=1234)
    expected = np.zeros(spec.total_samples, np.float32)
    for event in spec.speech:
        clip = speech.clip(event.text)
        expected[event.start_sample : event.start_sample + len(clip)] = clip
    assert np.array_equal(out, expected)


def test_clips_are_fetched_lazily_in_order():
    speech = FakeSpeech()
    spec = busy_spec()
    chunks = render(spec, speech, chunk_samples=RATE)
    next(chunks)  # the first second needs the first clip only
    assert speech.calls == ["Warm up"]
    list(chunks)
    assert speech.calls == ["Warm up", "Go", "Stop"]


def test_a_clip_running_past_the_end_is_cut():
    spec = busy_spec(total_samples=RATE, speech=(SpeechEvent(RATE - 100, "Late"),), beats=())
    out = mixed(spec)
    assert len(out) == RATE and np.any(out[-100:] != 0)


def test_overlapping_speech_is_refused():
    spec = busy_spec(speech=(SpeechEvent(1000, "one"), SpeechEvent(1000 + RATE // 4, "two")))
    with pytest.raises(BuildError, match="overlaps"):
        mixed(spec)


@pytest.mark.parametrize("change, message", [
    ({"channels": 3}, "channels must be 1 or 2"),
    ({"total_samples": -1}, "total_samples must not be negative"),
    ({"speech": (SpeechEvent(RATE, "two"), SpeechEvent(0, "one"))}, "sorted"),
    ({"beats": (BeatSpan(0, RATE, 170.0), BeatSpan(RATE // 2, 2 * RATE, 170.0))}, "beat spans overlap"),
    ({"beats": (BeatSpan(0, RATE, 0.0),)}, "bad beat span"),
])
def test_a_spec_the_scheduler_could_not_have_made_is_a_build_error(change, message):
    with pytest.raises(BuildError, match=message):
        mixed(busy_spec(**change))


def _beat_peaks(out: np.ndarray, onsets: list[int], length: int) -> np.ndarray:
    return np.array([np.max(np.abs(out[s : s + length])) for s in onsets])


@pytest.mark.parametrize("sound", ["click", "woodblock", "hihat", "cowbell"])
@pytest.mark.parametrize("level_db", [-26.0, -12.0])
def test_beat_level_is_its_loudness_relative_to_the_speech(sound, level_db):
    # a steady plain beat at REFERENCE_SPM measures level_db LU against speech at SPEECH_LUFS
    spec = busy_spec(
        speech=(), beats=(BeatSpan(0, 20 * RATE, REFERENCE_SPM),), beat_sound=sound, beat_level_db=level_db,
        accent_every=0, total_samples=20 * RATE,
    )
    assert integrated_loudness(mixed(spec), RATE) - SPEECH_LUFS == pytest.approx(level_db, abs=0.1)


def test_a_faster_beat_is_louder_by_its_rate():
    def loudness(spm: float) -> float:
        spec = busy_spec(speech=(), beats=(BeatSpan(0, 20 * RATE, spm),), accent_every=0, total_samples=20 * RATE)
        return integrated_loudness(mixed(spec), RATE)

    assert loudness(190.0) - loudness(152.0) == pytest.approx(10 * np.log10(190 / 152), abs=0.1)


def test_gain_db_scales_the_whole_mix():
    plain = mixed(busy_spec())
    quieter = mixed(busy_spec(gain_db=-6.0))
    assert np.allclose(quieter, plain * 10 ** (-6 / 20), atol=1e-6)


def test_accented_beats_are_louder():
    spec = busy_spec(speech=(), beats=(BeatSpan(0, 5 * RATE, 170.0),), beat_sound="cowbell", accent_every=3)
    out = mixed(spec)
    onsets = list(beat_samples(0, 5 * RATE, 170.0, RATE))
    peaks = _beat_peaks(out, onsets, len(beat_sound("cowbell", RATE, accent=True)))
    accented = peaks[::3]
    plain = np.delete(peaks, np.s_[::3])
    assert 20 * np.log10(accented.min() / plain.max()) == pytest.approx(ACCENT_DB, abs=0.01)


def test_beats_duck_at_least_duck_db_under_speech():
    # Silent "speech" 2 s long leaves only the beats to measure.
    speech = FakeSpeech(seconds=2.0, silent=True)
    spec = busy_spec(
        speech=(SpeechEvent(2 * RATE, "quiet"),),
        beats=(BeatSpan(0, 6 * RATE, 150.0),),
        beat_sound="click",
        accent_every=0,
    )
    out = mixed(spec, speech)
    length = len(beat_sound("click", RATE))
    onsets = list(beat_samples(0, 6 * RATE, 150.0, RATE))
    under = [s for s in onsets if 2 * RATE <= s and s + length <= 4 * RATE]
    clear = [s for s in onsets if s + length < 2 * RATE - 1000 or s > 4 * RATE + 6000]
    depth_db = 20 * np.log10(_beat_peaks(out, clear, length).min() / _beat_peaks(out, under, length).max())
    assert depth_db >= 12.0 - 0.01 and len(under) >= 3


def test_duck_envelope_ramps_linearly_without_steps():
    speech = FakeSpeech(seconds=1.0)
    spec = busy_spec(speech=(SpeechEvent(RATE, "a"), SpeechEvent(RATE + RATE + 3000, "b")))  # gap < attack+release
    track = _SpeechTrack(spec, speech)
    level = 0.5
    pieces = []
    for first in range(0, 4 * RATE, 777):  # an odd chunk size, as the mixer would ask for it
        last = min(first + 777, spec.total_samples)
        pieces.append(np.broadcast_to(track.beat_gain(first, last, level), (last - first,)))
    gain = np.concatenate(pieces)
    low = level * 10 ** (-spec.duck_db / 20)
    attack = round(spec.duck_attack_ms * RATE / 1000)
    release = round(spec.duck_release_ms * RATE / 1000)
    steepest = (level - low) / min(attack, release)
    assert np.max(np.abs(np.diff(gain.astype(np.float64)))) <= steepest * 1.001  # ramps, never a jump
    assert gain[RATE - attack] == pytest.approx(level)  # ramp starts attack before the clip...
    assert gain[RATE] == pytest.approx(low)  # ...and is down when the first word starts
    assert np.all(gain[RATE : 2 * RATE] == np.float32(low))
    # the release of "a" meets the attack of "b": the gain never comes back up in between
    assert np.all(gain[2 * RATE : 2 * RATE + 3000] < level)
    assert np.all(gain[2 * RATE + 3000 : 3 * RATE + 3000] == np.float32(low))
    assert np.all(gain[3 * RATE + 3000 + release :] == np.float32(level))


@settings(max_examples=300, deadline=None)
@given(
    clips=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 300)), max_size=6),  # (gap, length)
    first=st.integers(-100, 1500),
    length=st.integers(1, 1200),
    attack=st.integers(0, 120),
    release=st.integers(0, 250),
    depth_db=st.sampled_from([0.5, 15.0, 60.0]),
)
def test_duck_span_is_duck_curve_exactly(clips, first, length, attack, release, depth_db):
    # Clips back to back, a release running into the next attack or hold, ranges cutting a ramp:
    # the shortcut must give the definition's very bits, or a track's bytes would change.
    starts, ends, at = [], [], 0
    for gap, clip in clips:
        starts.append(at + gap)
        ends.append(at + gap + clip)
        at = ends[-1]
    starts, ends = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    floor = floor_gain(depth_db)
    expected = duck_curve(np.arange(first, first + length), starts, ends, attack, release, floor)
    got = duck_span(first, first + length, starts, ends, attack, release, floor)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)


def test_no_ducking_when_switched_off():
    speech = FakeSpeech(seconds=2.0, silent=True)
    spec = busy_spec(
        speech=(SpeechEvent(2 * RATE, "quiet"),),
        beats=(BeatSpan(0, 6 * RATE, 150.0),),
        beat_sound="click",
        duck=False,
        accent_every=0,
    )
    out = mixed(spec, speech)
    onsets = list(beat_samples(0, 6 * RATE, 150.0, RATE))
    peaks = _beat_peaks(out, onsets, len(beat_sound("click", RATE)))
    assert np.ptp(peaks) < 1e-6


def test_output_is_clipped_to_full_scale():
    spec = busy_spec(beat_level_db=12.0, beat_sound="cowbell")
    out = mixed(spec)
    assert np.max(np.abs(out)) <= 1.0


def _long_spec(seconds: int) -> MixSpec:
    total = seconds * RATE
    speech = tuple(SpeechEvent(s, f"cue {i % 7}") for i, s in enumerate(range(2 * RATE, total - RATE, 20 * RATE)))
    step = 300 * RATE
    spans = tuple(BeatSpan(a, min(a + step, total), 165.0 + (a // RATE) % 20) for a in range(0, total, step))
    return MixSpec(RATE, total, speech, spans, beat_sound="hihat", accent_every=4)


def _peak_memory(spec: MixSpec) -> int:
    speech = FakeSpeech(seconds=0.25)
    tracemalloc.start()
    try:
        for _ in render(spec, speech):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_track_length():
    short, long = _long_spec(10 * 60), _long_spec(3 * 3600)  # built before measuring
    short_peak, long_peak = _peak_memory(short), _peak_memory(long)
    assert long_peak < short_peak * 1.25 + 64 * 1024, (short_peak, long_peak)
