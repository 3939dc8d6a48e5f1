"""The benchmark's pieces measure what they claim: the workouts' lengths, the floor's settings, the reference's mix."""

import numpy as np
import pytest

from audiocoach.audio.encoder import lame_scale, to_int16, write_mp3
from audiocoach.audio.lame_tag import info_frame
from audiocoach.build import SAMPLE_RATE
from audiocoach.coaching.plan import make_plan
from audiocoach.language import parse_workout
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
    write_mp3([noise[:50_000], noise[50_000:]], path, sample_rate=SAMPLE_RATE)
    audio = path.read_bytes()[len(info_frame(SAMPLE_RATE, BITRATE_KBPS)):]
    boost = 1 / lame_scale(BITRATE_KBPS)  # the writer undoes LAME's scaling; so does the floor's PCM
    assert encode_pcm([to_int16(noise, 1, boost).tobytes()]) == audio  # same settings, same frames


def test_the_pydub_reference_mixes_the_whole_plan(tmp_path):
    source = tmp_path / "tiny.yaml"
    source.write_text("title: Tiny\nsteps:\n  - run: 8s\n    cadence: 180\n    say: Go now.\n")
    track = pydub_reference.render(source)
    samples = np.frombuffer(track.raw_data, dtype="<i2")
    assert track.frame_rate == SAMPLE_RATE and track.channels == 1
    _, plan, _ = pydub_reference.plan_file(source)
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

        def band_db(low: float) -> float:
            return 10 * np.log10(power[(freqs >= low) & (freqs < 2 * low)].mean())

        per_octave = (band_db(1600) - band_db(200)) / 3
        assert abs(per_octave - slope_db) < 1.0, (kind, per_octave)
