"""The benchmark's pieces measure what they claim: the workouts' lengths, the floor's settings, the reference's mix."""

import numpy as np
import pytest

from audiocoach.audio.encoder import lame_scale, to_int16, write_mp3
from audiocoach.audio.lame_tag import info_frame
from audiocoach.coaching.plan import make_plan
from audiocoach.language import parse_workout
from audiocoach.pipeline import SAMPLE_RATE
from benchmarks import pydub_reference
from benchmarks.floor import BITRATE_KBPS, encode_pcm
from benchmarks.workouts import interval_yaml, write_workout


@pytest.mark.parametrize("minutes", [10, 44, 60, 180])
def test_benchmark_workouts_last_as_long_as_asked(minutes: int):
    plan = make_plan(parse_workout(interval_yaml(minutes, "x")), lambda text: 55 * len(text))
    assert abs(plan.duration_ms - minutes * 60_000) < 15_000  # the steps exactly; intro and outro add seconds
    assert sum(1 for s in plan.steps if s.cadence_spm) == len(plan.steps)  # beats all the way


def test_the_floor_encodes_exactly_like_the_build(tmp_path):
    noise = np.random.default_rng(7).uniform(-0.5, 0.5, SAMPLE_RATE * 3).astype(np.float32)
    path = tmp_path / "x.mp3"
    write_mp3([noise[:50_000], noise[50_000:]], path, sample_rate=SAMPLE_RATE, bitrate_kbps=BITRATE_KBPS)
    audio = path.read_bytes()[len(info_frame(SAMPLE_RATE, BITRATE_KBPS)):]
    boost = 1 / lame_scale(BITRATE_KBPS)  # the writer undoes LAME's scaling; so does the floor's PCM
    assert encode_pcm([to_int16(noise, 1, boost).tobytes()]) == audio  # same settings, same frames


def test_the_pydub_reference_mixes_the_whole_plan(tmp_path):
    source = tmp_path / "tiny.yaml"
    source.write_text("title: Tiny\nsteps:\n  - run: 8s\n    cadence: 180\n    say: Go now.\n")
    track = pydub_reference.render(source)
    samples = np.frombuffer(track.raw_data, dtype="<i2")
    assert track.frame_rate == SAMPLE_RATE and track.channels == 1
    _, plan = pydub_reference.plan_file(source)
    assert abs(len(track) - plan.duration_ms) <= 1 and np.abs(samples).max() > 10_000  # speech is in it


def test_write_workout_names_the_file(tmp_path):
    assert write_workout(tmp_path, "w", 10).name == "w.yaml"


def test_outdoor_noise_has_the_stated_loudness_and_slope():
    """Pink noise loses ~3 dB per octave, brown ~6; both land on the loudness asked for, seeded."""
    from audiocoach.audio.loudness import integrated_loudness
    from benchmarks.noise import noise_at

    rate = 22050
    for kind, slope_db in (("pink", -3.0), ("brown", -6.0)):
        samples = noise_at(kind, rate * 4, rate, -28.0, seed=3)
        assert abs(integrated_loudness(samples, rate) - -28.0) < 0.05
        assert np.array_equal(samples, noise_at(kind, rate * 4, rate, -28.0, seed=3))
        power = np.abs(np.fft.rfft(samples)) ** 2
        freqs = np.fft.rfftfreq(len(samples), 1 / rate)

        def band_db(low: float, power: np.ndarray = power, freqs: np.ndarray = freqs) -> float:
            return 10 * np.log10(power[(freqs >= low) & (freqs < 2 * low)].mean())

        per_octave = (band_db(1600) - band_db(200)) / 3
        assert abs(per_octave - slope_db) < 1.0, (kind, per_octave)


def test_the_outdoor_benchmark_sees_a_beat_in_noise_and_not_noise_alone():
    from audiocoach.audio.beats import beat_sound
    from benchmarks import outdoors
    from benchmarks.noise import noise_at

    rate = SAMPLE_RATE
    bed = noise_at("pink", 1 << 17, rate, -28.0, seed=3)
    assert np.array_equal(outdoors.noise_under("pink", 5, 5 + 3 * len(bed), bed)[len(bed) - 5 :][: len(bed)],
                          bed)  # repeats from where it was asked for, seamlessly
    track = np.resize(bed, 4 * rate).astype(np.float32)
    onsets = np.arange(rate // 2, 4 * rate - rate // 4, rate // 3)
    sound = beat_sound("woodblock", rate)
    for loud, onset in zip([0.3, 0.003] * len(onsets), onsets):  # loud beats and beats buried in the noise
        track[onset : onset + len(sound)] += loud * sound
    margin = outdoors.stand_out_db(track, onsets, rate).max(axis=1)
    assert np.all(margin[0::2] >= outdoors.MARGIN_DB) and np.all(margin[1::2] < outdoors.MARGIN_DB)
    between = outdoors.stand_out_db(track, onsets[:-1] + rate // 6, rate).max(axis=1)
    assert np.all(between < outdoors.MARGIN_DB)


def test_the_outdoor_benchmark_leaves_out_what_speech_and_ducking_cover():
    from benchmarks import outdoors

    rate = SAMPLE_RATE
    points = np.array([rate * s for s in (1.0, 1.99, 2.5, 3.1, 3.2, 5.0)], dtype=np.int64)
    clear = outdoors.clear_of_speech(points, [(2.0, 3.0)], rate)
    assert clear.tolist() == [True, False, False, False, True, True]  # 3.1 s: inside the 120 ms release
