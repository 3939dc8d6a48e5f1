"""Music under the coach, heard in built tracks: tempo on the cadence, ducking, seams, loudness, errors.

Songs are synthesised into tmp_path (WAV, or MP3 with lameenc) with a known tempo; workouts are
a minute or less, so the whole file runs in seconds.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from tests.audio_helpers import decode_mp3, true_peak, voice_loudness

SONG_RATE = 16_000


def write_wav(path: Path, samples: np.ndarray, rate: int = SONG_RATE) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def clicks(bpm: float, seconds: float, rate: int = SONG_RATE) -> np.ndarray:
    """A click on every beat (a 2 kHz burst, 8 ms) over a quiet chord: a song whose onsets are exact."""
    t = np.arange(int(seconds * rate)) / rate
    since = t % (60 / bpm)
    burst = 0.8 * np.sin(2 * np.pi * 2000 * t) * np.exp(-since / 0.004) * (since < 0.03)
    return burst + 0.05 * np.sin(2 * np.pi * 220 * t)


def tones(seconds: float, rate: int = SONG_RATE, low: float = 110.0) -> np.ndarray:
    """Steady partials (an exact number of periods per second, so the song loops without a seam)."""
    t = np.arange(int(seconds * rate)) / rate
    return 0.25 * sum(np.sin(2 * np.pi * k * low * t + k - 1) for k in (1, 2, 3))


def build(folder: Path, yaml: str, *args: str) -> tuple[np.ndarray, int, dict]:
    """Build `folder/w.yaml` with `args`; the decoded MP3 and the JSON sidecar."""
    (folder / "w.yaml").write_text(yaml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(folder / "w.yaml"), "-o", str(folder / "out"), *args])
    assert result.exit_code == 0, result.output
    samples, rate = decode_mp3(folder / "out" / "w.mp3")
    return samples, rate, json.loads((folder / "out" / "w.json").read_text())


def onset_bpm(samples: np.ndarray, rate: int, start_s: float, end_s: float) -> float:
    """Tempo of the clicks between start_s and end_s: a line fitted through their onset times."""
    x = samples[int(start_s * rate) : int(end_s * rate)]
    t = np.arange(len(x)) / rate
    band = np.abs(np.fft.irfft(np.fft.rfft(x) * (np.fft.rfftfreq(len(x), 1 / rate) > 1500), len(x)))
    envelope = np.convolve(band, np.ones(16) / 16, "same")
    above = envelope > 0.4 * np.max(envelope)
    starts = np.flatnonzero(above[1:] & ~above[:-1]) + 1
    onsets = [s for i, s in enumerate(starts) if i == 0 or s - starts[i - 1] > 0.1 * rate]
    slope = np.polyfit(np.arange(len(onsets)), t[onsets], 1)[0]
    return 60 / slope


QUIET = """\
announce: {intro: false, outro: false, start: false, next: false, halfway: false, remaining: false, countdown: 0}
beats: {sound: none}
"""


def cadence_workout(match: bool) -> str:
    return f"""title: Tempo
{QUIET}music: {{play: song.wav, bpm: 160, match_cadence: {str(match).lower()}, duck: false}}
steps:
  - run: 20s
    cadence: 165
"""


def test_the_music_plays_at_the_steps_cadence(tmp_path):
    write_wav(tmp_path / "song.wav", clicks(160, 40))
    samples, rate, doc = build(tmp_path, cadence_workout(True))
    assert doc["music"][0]["bpm"] == pytest.approx(165, abs=0.01) and doc["music"][0]["ratio"] == 1.0312
    assert onset_bpm(samples, rate, 2, 18) == pytest.approx(165, abs=0.5)


def test_no_tempo_match_when_match_cadence_is_off(tmp_path):
    write_wav(tmp_path / "song.wav", clicks(160, 40))
    samples, rate, doc = build(tmp_path, cadence_workout(False))
    assert doc["music"][0]["ratio"] == 1.0
    assert onset_bpm(samples, rate, 2, 18) == pytest.approx(160, abs=0.5)


def test_an_mp3_song_is_stretched_to_half_the_cadence(tmp_path):
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_channels(1), encoder.set_in_sample_rate(SONG_RATE), encoder.set_bit_rate(64)
    pcm = (clicks(85, 40) * 0.9 * 32767).astype(np.int16)
    (tmp_path / "song.mp3").write_bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
    samples, rate, doc = build(tmp_path, cadence_workout(True).replace("song.wav, bpm: 160", "song.mp3, bpm: 85"))
    assert doc["music"][0]["bpm"] == pytest.approx(82.5, abs=0.01)
    assert onset_bpm(samples, rate, 2, 18) == pytest.approx(82.5, abs=0.5)


def band_level(samples: np.ndarray, rate: int, start_s: float, end_s: float, hz: float) -> float:
    """Level (dB) of the `hz` component over [start_s, end_s)."""
    x = samples[int(start_s * rate) : int(end_s * rate)].astype(np.float64)
    t = np.arange(len(x)) / rate
    return 20 * np.log10(abs(np.mean(x * np.exp(-2j * np.pi * hz * t))))


def test_the_music_ducks_under_speech_by_its_setting(tmp_path):
    t = np.arange(30 * SONG_RATE) / SONG_RATE
    write_wav(tmp_path / "song.wav", 0.5 * np.sin(2 * np.pi * 50 * t))  # 50 Hz: below the voice
    yaml = f"""title: Ducking
{QUIET}music: {{play: song.wav, duck: 12dB, crossfade: 0}}
steps:
  - run: 20s
    cues: [{{at: 8s, say: Relax your shoulders and keep your hands loose and low.}}]
"""
    samples, rate, doc = build(tmp_path, yaml)
    cue = doc["cues"][0]
    under = band_level(samples, rate, cue["at_s"] + 0.3, cue["end_s"] - 0.3, 50)
    away = band_level(samples, rate, 3, 7, 50)
    assert away - under == pytest.approx(12, abs=1)


def longest_quiet_run(x: np.ndarray, rate: int, floor: float) -> float:
    """Seconds of the longest run of 5 ms windows whose RMS is under `floor`."""
    n = rate // 200
    rms = np.sqrt(np.mean(x[: len(x) // n * n].reshape(-1, n) ** 2, axis=1))
    longest = run = 0
    for quiet in rms < floor:
        run = run + 1 if quiet else 0
        longest = max(longest, run)
    return longest * n / rate


def largest_step(x: np.ndarray) -> float:
    return float(np.max(np.abs(np.diff(x))))


def mixed_music(tmp_path: Path, songs: dict[str, np.ndarray], steps: list[tuple[int, int, float | None]],
                **music: object) -> tuple[np.ndarray, int]:
    """The mixer's output for music alone (no speech, no beats) over `steps` (start_ms, end_ms, cadence)."""
    from audiocoach.audio.mixer import MixSpec, render
    from audiocoach.language.music import Music
    from audiocoach.music.measure import song_level
    from audiocoach.music.mix import MUSIC_LAYER
    from audiocoach.music.schedule import StepMusic, schedule_music
    from audiocoach.music.songs import open_song

    opened = tuple(open_song(write_wav(tmp_path / name, x)) for name, x in songs.items())
    setting = Music(play=list(songs), shuffle=False, duck=False, **music)
    pieces = schedule_music([StepMusic(a, b, c, setting, opened) for a, b, c in steps], SONG_RATE, seed=1)
    levels = tuple(song_level(p.song, SONG_RATE) for p in pieces)
    spec = MixSpec(SONG_RATE, steps[-1][1] * SONG_RATE // 1000, (), (), music=tuple(pieces), music_levels=levels,
                    music_layer=MUSIC_LAYER)
    return np.concatenate(list(render(spec, _NoSpeech(), chunk_samples=5000))), SONG_RATE


class _NoSpeech:
    def clip(self, text: str) -> np.ndarray:
        raise AssertionError("no speech in these mixes")


def test_songs_crossfade_and_loop_without_a_gap_or_a_click(tmp_path):
    a, b = tones(6, low=110.0), tones(5, low=165.0)
    x, rate = mixed_music(tmp_path, {"a.wav": a, "b.wav": b}, [(0, 30_000, None)], crossfade="2s")
    body = x[rate : -rate]  # inside the fades at the very start and end
    assert longest_quiet_run(body, rate, floor=0.3 * np.sqrt(np.mean(body**2))) == 0
    assert largest_step(body) < 1.2 * max(largest_step(a), largest_step(b)) * np.max(np.abs(body)) / max(
        np.max(np.abs(a)), np.max(np.abs(b)))


def test_the_loop_point_is_seamless(tmp_path):
    song = tones(2)  # exactly 2 s of whole periods: its end meets its start
    x, rate = mixed_music(tmp_path, {"loop.wav": song}, [(0, 9_000, None)], crossfade=0)
    body = x[rate : -rate]
    scale = np.max(np.abs(body)) / np.max(np.abs(song))
    assert largest_step(body) <= 1.05 * largest_step(song) * scale
    assert longest_quiet_run(body, rate, floor=0.01) == 0


def test_a_cadence_change_changes_tempo_without_a_gap_or_a_click(tmp_path):
    song = tones(20)
    steps = [(0, 4_000, 160.0), (4_000, 8_000, 172.0), (8_000, 12_000, None)]
    x, rate = mixed_music(tmp_path, {"song.wav": song}, steps, bpm=165)
    body = x[rate : -rate]
    scale = np.max(np.abs(body)) / np.max(np.abs(song))
    assert longest_quiet_run(body, rate, floor=0.3 * np.sqrt(np.mean(body**2))) == 0
    assert largest_step(body) <= 1.5 * largest_step(song) * scale


def test_the_voice_stays_at_its_loudness_and_the_peak_under_the_ceiling_with_music(tmp_path):
    write_wav(tmp_path / "song.wav", np.clip(clicks(170, 30) * 1.25 + tones(30), -1, 1))  # loud and peaky
    yaml = """title: Loud music
music: {play: song.wav, level: -4dB}
steps:
  - warmup: 20s
    say: Easy running, tall posture, relaxed shoulders.
  - run: 20s
    cadence: 170
    say: Faster now. Quick light steps on the beat.
"""
    samples, rate, doc = build(tmp_path, yaml)
    spans = [(c["at_s"], c["end_s"]) for c in doc["cues"]]
    assert voice_loudness(samples, rate, spans) == pytest.approx(-16.0, abs=1.0)
    assert true_peak(samples, rate, everywhere=True) <= -1.0


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_broken_song_is_a_located_error(tmp_path, damage):
    song = write_wav(tmp_path / "song.wav", clicks(160, 20))
    whole = song.read_bytes()  # a cut download: the header still promises 20 s
    song.write_bytes(whole[: len(whole) // 3] if damage == "truncated" else b"RIFF\x00\x00not audio" * 500)
    (tmp_path / "w.yaml").write_text("title: Broken\nmusic: [song.wav]\nsteps:\n  - run: 10s\n", encoding="utf-8")
    for command in (["check"], ["build", "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(cli, [command[0], str(tmp_path / "w.yaml"), *command[1:]])
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
        assert f"Error: {tmp_path / 'w.yaml'}:2:9: " in result.output and "song.wav" in result.output
    assert not (tmp_path / "out" / "w.mp3").exists()


def test_two_builds_are_byte_identical(tmp_path):
    write_wav(tmp_path / "song.wav", clicks(160, 12) + tones(12))
    yaml = cadence_workout(True).replace(QUIET, "")
    (tmp_path / "w.yaml").write_text(yaml, encoding="utf-8")
    for out in ("one", "two"):
        result = CliRunner().invoke(cli, ["build", str(tmp_path / "w.yaml"), "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "w.mp3").read_bytes() == (tmp_path / "two" / "w.mp3").read_bytes()


def test_a_changed_song_rebuilds_the_track(tmp_path):
    write_wav(tmp_path / "song.wav", tones(10))
    (tmp_path / "w.yaml").write_text("title: Key\nmusic: song.wav\nsteps:\n  - run: 5s\n", encoding="utf-8")
    args = ["build", str(tmp_path / "w.yaml"), "-o", str(tmp_path / "out")]
    CliRunner().invoke(cli, args)
    assert "up to date" in CliRunner().invoke(cli, args).output
    write_wav(tmp_path / "song.wav", tones(11))
    assert "up to date" not in CliRunner().invoke(cli, args).output


class _Clips:
    """A voice of fixed 0.3 s clips (what the mixer and the music's ducking ask of Speech)."""

    def __init__(self) -> None:
        self.sound = (0.2 * np.sin(np.arange(int(0.3 * SONG_RATE)) * 0.3)).astype(np.float32)

    def clip(self, text: str) -> np.ndarray:
        return self.sound

    def profile(self, text: str):
        from types import SimpleNamespace

        return SimpleNamespace(samples=len(self.sound))


def test_the_music_does_not_depend_on_the_chunk_size(tmp_path):
    from audiocoach.audio.mixer import MixSpec, SpeechEvent, render
    from audiocoach.language.music import Music
    from audiocoach.music.measure import song_level
    from audiocoach.music.mix import MUSIC_LAYER
    from audiocoach.music.schedule import StepMusic, schedule_music
    from audiocoach.music.songs import open_song

    song = open_song(write_wav(tmp_path / "s.wav", tones(3) + clicks(160, 3)), bpm=160)
    steps = [StepMusic(0, 4_000, 165.0, Music(play=["s.wav"], crossfade="1s"), (song,)),
             StepMusic(4_000, 8_000, 150.0, Music(play=["s.wav"], crossfade="1s"), (song,))]
    pieces = tuple(schedule_music(steps, SONG_RATE, seed=3))
    speech = tuple(SpeechEvent(at * SONG_RATE // 1000, f"cue {at}") for at in (500, 3_900, 6_000))
    spec = MixSpec(SONG_RATE, 8 * SONG_RATE, speech, (), music=pieces,
                   music_levels=tuple(song_level(song, SONG_RATE) for _ in pieces), music_layer=MUSIC_LAYER)
    one, other = (np.concatenate(list(render(spec, _Clips(), chunk_samples=size))) for size in (4096, 10_007))
    assert np.array_equal(one, other) and np.max(np.abs(one)) > 0.01
