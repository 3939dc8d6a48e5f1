"""Output format options: --format wav, --bitrate, --sample-rate, --stereo (loudness: test_loudness.py)."""

import wave

import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from audiocoach.audio.sizes import DEFAULT_NAME, SIZES
from audiocoach.cli import cli
from tests.audio_helpers import decode_mp3, decode_mp3_channels, integrated_loudness, true_peak, voice_loudness
from tests.phone_helpers import batch, plan_json

RATE = SIZES[DEFAULT_NAME].sample_rate  # what a build renders at by default


def build(tmp_path, *options):
    source = batch().parent / "Track club" / "b-hills.yaml"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path), *options])
    assert result.exit_code == 0, result.output
    return result


def test_wav_has_the_same_samples_as_the_mp3_source(tmp_path):
    build(tmp_path, "--format", "wav")
    with wave.open(str(tmp_path / "b-hills.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32767
    mp3, _ = decode_mp3(batch() / "b-hills.mp3")
    assert len(pcm) == len(mp3) == round(plan_json("b-hills")["duration_s"] * RATE)
    # the MP3 is the same mix, lossy: the waveforms agree closely
    assert np.sqrt(np.mean((pcm - mp3) ** 2)) < 0.01


def test_bitrate_and_sample_rate(tmp_path):
    build(tmp_path, "--bitrate", "64", "--sample-rate", "22050")
    samples, rate = decode_mp3(tmp_path / "b-hills.mp3")
    assert rate == 22050
    assert abs(len(samples) / rate - plan_json("b-hills")["duration_s"]) < 0.005
    info = MP3(tmp_path / "b-hills.mp3").info
    assert (info.bitrate, info.sample_rate, info.channels) == (64_000, 22050, 1)


def test_size_sets_sample_rate_and_bitrate_and_options_override_it(tmp_path):
    build(tmp_path / "small", "--size", "small")
    build(tmp_path / "full", "--size", "full", "--bitrate", "128")
    for folder, expected in (("small", (32_000, 16000)), ("full", (128_000, 44100))):
        info = MP3(tmp_path / folder / "b-hills.mp3").info
        assert (info.bitrate, info.sample_rate, info.channels) == (*expected, 1)
    default = MP3(batch() / "b-hills.mp3").info
    expected = SIZES[DEFAULT_NAME]
    assert (default.bitrate, default.sample_rate) == (expected.bitrate_kbps * 1000, expected.sample_rate)


def test_a_bitrate_mp3_cannot_have_is_an_error(tmp_path):
    source = batch().parent / "Track club" / "b-hills.yaml"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path), "--bitrate", "65"])
    assert result.exit_code == 1 and "cannot be 65 kb/s" in result.output
    assert not list(tmp_path.glob("b-hills.*"))  # nothing half-written


def test_stereo_mp3_is_the_mono_track_centred_at_the_same_loudness(tmp_path):
    # at 96 kb/s, where coding noise stays under the 0.005 this compares to (56 kb/s adds ~0.006)
    build(tmp_path / "stereo", "--stereo", "--size", "full")
    build(tmp_path / "mono", "--size", "full")
    both, rate = decode_mp3_channels(tmp_path / "stereo" / "b-hills.mp3")
    mono, _ = decode_mp3(tmp_path / "mono" / "b-hills.mp3")
    assert both.shape == (round(plan_json("b-hills")["duration_s"] * rate), 2)  # to the sample, as mono
    assert MP3(tmp_path / "stereo" / "b-hills.mp3").info.channels == 2
    assert np.array_equal(both[:, 0], both[:, 1])  # centred: joint stereo codes it as mid only
    # each channel is the mono mix 3 dB down, so both together measure what mono does
    assert np.sqrt(np.mean((both[:, 0] - mono / np.sqrt(2)) ** 2)) < 0.005
    # the voice, over speech
    assert voice_loudness(both, rate, speech_spans("b-hills")) == pytest.approx(-16.0, abs=0.3)
    assert integrated_loudness(both, rate) == pytest.approx(integrated_loudness(mono, rate), abs=0.1)
    assert true_peak(both, rate) <= -1.0


def test_stereo_wav(tmp_path):
    build(tmp_path, "--stereo", "--format", "wav")
    with wave.open(str(tmp_path / "b-hills.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, RATE)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2).astype(np.float32) / 32767
    assert len(pcm) == round(plan_json("b-hills")["duration_s"] * RATE)
    assert np.array_equal(pcm[:, 0], pcm[:, 1])
    assert voice_loudness(pcm, RATE, speech_spans("b-hills")) == pytest.approx(-16.0, abs=0.3)


def speech_spans(stem: str) -> list[tuple[float, float]]:
    return [(cue["at_s"], cue["end_s"]) for cue in plan_json(stem)["cues"]]


def test_stereo_is_part_of_the_build_key(tmp_path):
    build(tmp_path)
    again = build(tmp_path, "--stereo")
    assert "up to date" not in again.output
    assert MP3(tmp_path / "b-hills.mp3").info.channels == 2
