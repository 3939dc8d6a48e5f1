"""Songs time-stretched onto the cadence: tempo after stretching, the on-disk cache, determinism."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from audiocoach.errors import BuildError
from audiocoach.music import stretch
from audiocoach.music.decode import song_frames
from audiocoach.music.songs import open_song
from audiocoach.music.tempo import estimate_bpm_samples
from tests.music_files import drum_track, write_wav

RATE = 16_000


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    return open_song(write_wav(tmp_path_factory.mktemp("stretch") / "s165.wav", drum_track(165, 30)))


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """A fresh cache folder, and the number of times Rubber Band was asked to stretch."""
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(stretch, "_verified", set())
    count = [0]
    real = stretch.time_stretch

    def counted(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(stretch, "time_stretch", counted)
    return count


def _all(frames) -> np.ndarray:
    return np.concatenate(list(frames))


@pytest.mark.parametrize("target", [172.0, 150.0])
def test_the_stretched_song_has_the_target_tempo(song, calls, target: float):
    assert song.bpm is not None and abs(song.bpm - 165) <= 0.5
    played = _all(stretch.stretched_frames(song, target / song.bpm, RATE))
    assert abs(len(played) - 30 * RATE * song.bpm / target) < 0.01 * RATE
    assert abs(estimate_bpm_samples(played, RATE) - target) <= 0.5


def test_a_second_call_reads_the_cache_even_in_a_new_process(song, calls):
    first = _all(stretch.stretched_frames(song, 1.05, RATE))
    stretch._verified.clear()  # as a new process would: the entry is checked from disk
    second = _all(stretch.stretched_frames(song, 1.05, RATE, chunk=1000))
    assert calls[0] == 1
    np.testing.assert_array_equal(first, second)
    _all(stretch.stretched_frames(song, 1.0501, RATE))  # another ratio (to 1e-4) is another entry
    _all(stretch.stretched_frames(song, 1.05, 22_050))  # and another rate
    assert calls[0] == 3


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_damaged_entry_is_reported_and_stretched_again(song, calls, capsys, damage: str):
    first = _all(stretch.stretched_frames(song, 0.95, RATE))
    path = stretch.entry_path(song, 0.95, RATE)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data[: len(data) // 2] if damage == "truncate" else b"" if damage == "empty" else data))
    stretch._verified.clear()
    again = _all(stretch.stretched_frames(song, 0.95, RATE))
    assert calls[0] == 2
    np.testing.assert_array_equal(first, again)
    assert "music cache entry" in capsys.readouterr().err
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]


def test_playing_from_an_offset_starts_at_that_song_time(song, calls):
    whole = _all(stretch.stretched_frames(song, 1.1, RATE))
    rest = _all(stretch.stretched_frames(song, 1.1, RATE, start_ms=11_000))
    np.testing.assert_array_equal(rest, whole[10_000 * RATE // 1000:])  # 11 s of song at 1.1x: 10 s in


def test_ratio_one_is_the_plain_song(song, calls):
    np.testing.assert_array_equal(_all(stretch.stretched_frames(song, 1.0, RATE)), _all(song_frames(song, RATE)))
    assert calls[0] == 0


def test_the_stretch_is_deterministic_across_processes(song, calls, tmp_path):
    entry = stretch.stretch_song(song, 1.07, RATE)
    digest = hashlib.sha256(entry.read_bytes()).hexdigest()
    script = ("import sys; from pathlib import Path; from audiocoach.music import songs, stretch; "
              "s = songs.open_song(Path(sys.argv[1])); "
              "print(stretch.stretch_song(s, 1.07, 16000, Path(sys.argv[2])).read_bytes().hex())")
    out = subprocess.run([sys.executable, "-c", script, str(song.path), str(tmp_path / "other")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert hashlib.sha256(bytes.fromhex(out)).hexdigest() == digest
    assert calls[0] == 1


def test_a_long_song_is_stretched_a_segment_at_a_time(song, monkeypatch, tmp_path):
    """Segments of 4 s (2 minutes in builds): each Rubber Band call sees at most a padded segment, the
    joins neither click nor shift the beat, and the length is the song's over the ratio."""
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(stretch, "_verified", set())
    monkeypatch.setattr(stretch, "SEGMENT_S", 4.0)
    monkeypatch.setattr(stretch, "PAD_S", 1.0)
    seen: list[int] = []
    real = stretch.time_stretch
    monkeypatch.setattr(stretch, "time_stretch", lambda x, rate, ratio: (seen.append(len(x)), real(x, rate, ratio))[1])
    ratio = 172 / song.bpm
    played = _all(stretch.stretched_frames(song, ratio, RATE))
    assert len(seen) == 8 and max(seen) <= 6 * RATE  # 30 s in 4 s segments, each with 1 s either side
    assert abs(len(played) - round(30 * RATE / round(ratio, 4))) <= 2
    assert abs(estimate_bpm_samples(played, RATE) - 172) <= 0.5
    joins = [round(k * 4 * RATE / round(ratio, 4)) for k in range(1, 8)]
    whole = real(_all(song_frames(song, RATE)), RATE, round(ratio, 4))  # one call, no joins
    for j in joins:  # around each join, no sample step larger than the unsegmented stretch has there
        assert np.abs(np.diff(played[j - 400: j + 400])).max() <= 1.3 * np.abs(np.diff(whole[j - 400: j + 400])).max()


def test_the_cache_keeps_the_stretch_to_16_bits(song, calls):
    played = _all(stretch.stretched_frames(song, 1.03, RATE))
    direct = stretch.time_stretch(_all(song_frames(song, RATE)), RATE, 1.03)
    assert len(played) == len(direct)
    assert np.abs(played - direct).max() <= 0.5 / stretch.STORE_SCALE + 1e-7
    entry = stretch.entry_path(song, 1.03, RATE)
    assert entry.stat().st_size == stretch.HEADER.size + 2 * len(played)


def test_an_unwritable_cache_is_a_build_error(song, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(blocker))
    monkeypatch.setattr(stretch, "_verified", set())
    with pytest.raises(BuildError, match="cannot write the music cache") as caught:
        stretch.stretch_song(song, 1.02, RATE)
    assert "AUDIOCOACH_CACHE" in (caught.value.hint or "")
