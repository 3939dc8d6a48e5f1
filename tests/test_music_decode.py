"""Songs decoded streamed: chunk by chunk, mono float32 at the build's rate, memory flat with length."""

from __future__ import annotations

import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from audiocoach.music.decode import decode_path, song_frames
from audiocoach.music.songs import MusicFileError, open_song
from tests.music_files import drum_track, write_wav, write_with_pedalboard


def _long_wav(path: Path, minutes: int, rate: int = 8_000) -> Path:
    """A stereo WAV written a second at a time (the test never holds it whole): a 440 Hz tone, left only."""
    second = (0.5 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 32767).astype("<i2")
    stereo = np.column_stack([second, np.zeros_like(second)]).tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        for _ in range(minutes * 60):
            out.writeframes(stereo)
    return path


def test_a_long_song_decodes_in_chunks_with_flat_memory(tmp_path: Path):
    path = _long_wav(tmp_path / "long.wav", minutes=20)  # 38 MB of PCM, 9.6 M frames
    tracemalloc.start()
    try:
        frames, peak_level, chunk = 0, 0.0, 1 << 14
        for block in decode_path(path, 8_000, chunk=chunk):
            assert block.dtype == np.float32 and block.ndim == 1 and len(block) <= chunk
            frames += len(block)
            peak_level = max(peak_level, float(np.abs(block).max()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert frames == 20 * 60 * 8_000
    assert 0.24 < peak_level < 0.26  # stereo mixed to mono: the left channel's 0.5 at half level
    assert peak < 2_000_000, peak  # a few chunks (64 KB each), not the song (38 MB)


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
@pytest.mark.parametrize("rate", [16_000, 44_100])
def test_every_format_decodes_to_the_build_rate(tmp_path: Path, suffix: str, rate: int):
    samples = drum_track(165, 3)
    path = tmp_path / f"s{suffix}"
    write_wav(path, samples) if suffix == ".wav" else write_with_pedalboard(path, samples)
    decoded = np.concatenate(list(song_frames(open_song(path), rate)))
    assert abs(len(decoded) - 3 * rate) < 0.02 * rate  # MP3 and Vorbis frames pad a little
    assert 0.3 < np.abs(decoded).max() < 0.6


def test_decoding_from_an_offset_gives_the_rest_of_the_song(tmp_path: Path):
    path = write_wav(tmp_path / "s.wav", drum_track(150, 6))
    whole = np.concatenate(list(decode_path(path, 22_050)))
    rest = np.concatenate(list(decode_path(path, 22_050, start_ms=2_500, chunk=1_000)))
    np.testing.assert_array_equal(rest, whole[2_500 * 22_050 // 1000:])
    again = np.concatenate(list(decode_path(path, 16_000, start_ms=1_234)))
    np.testing.assert_array_equal(again, np.concatenate(list(decode_path(path, 16_000, start_ms=1_234))))


def test_a_file_that_vanished_or_broke_since_it_was_opened_is_a_music_file_error(tmp_path: Path):
    path = write_wav(tmp_path / "s.wav", drum_track(150, 2))
    song = open_song(path)
    path.write_bytes(b"RIFF garbage")
    with pytest.raises(MusicFileError, match="s.wav: not audio that can be decoded"):
        list(song_frames(song, 16_000))
    path.unlink()
    with pytest.raises(MusicFileError, match="s.wav"):
        list(song_frames(song, 16_000))
