"""Output format options: --format wav, --bitrate, --sample-rate. (Loudness normalisation is not built yet.)"""

import wave

import numpy as np
from click.testing import CliRunner
from mutagen.mp3 import MP3

from audiocoach.cli import cli
from tests.audio_helpers import decode_mp3
from tests.phone_helpers import batch, plan_json


def build(tmp_path, *options):
    source = batch().parent / "Track club" / "b-hills.yaml"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path), *options])
    assert result.exit_code == 0, result.output
    return result


def test_wav_has_the_same_samples_as_the_mp3_source(tmp_path):
    build(tmp_path, "--format", "wav")
    with wave.open(str(tmp_path / "b-hills.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32767
    mp3, _ = decode_mp3(batch() / "b-hills.mp3")
    assert len(pcm) == len(mp3) == round(plan_json("b-hills")["duration_s"] * 44100)
    # the MP3 is the same mix, lossy: the waveforms agree closely
    assert np.sqrt(np.mean((pcm - mp3) ** 2)) < 0.01


def test_bitrate_and_sample_rate(tmp_path):
    build(tmp_path, "--bitrate", "64", "--sample-rate", "22050")
    samples, rate = decode_mp3(tmp_path / "b-hills.mp3")
    assert rate == 22050
    assert abs(len(samples) / rate - plan_json("b-hills")["duration_s"]) < 0.005
    info = MP3(tmp_path / "b-hills.mp3").info
    assert (info.bitrate, info.sample_rate, info.channels) == (64_000, 22050, 1)


def test_a_bitrate_mp3_cannot_have_is_an_error(tmp_path):
    source = batch().parent / "Track club" / "b-hills.yaml"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path), "--bitrate", "65"])
    assert result.exit_code == 1 and "cannot be 65 kb/s" in result.output
    assert not list(tmp_path.glob("b-hills.*"))  # nothing half-written
