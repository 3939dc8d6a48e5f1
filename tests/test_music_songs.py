"""Songs from files: which files a music source names, and what open_song finds in each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3, TBPM, TIT2

from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.music.songs import AUDIO_SUFFIXES, MusicFileError, Song, expand_sources, open_song
from tests.music_files import drum_track, write_wav, write_with_pedalboard


@pytest.fixture(scope="module")
def song165(tmp_path_factory) -> Path:
    return write_wav(tmp_path_factory.mktemp("songs") / "run 165.wav", drum_track(165, 20))


def test_the_formats_named_are_those_decoded():
    assert {".mp3", ".flac", ".ogg", ".wav"} <= AUDIO_SUFFIXES
    assert issubclass(MusicFileError, WorkoutError) and issubclass(MusicFileError, AudiocoachError)


def test_a_folder_gives_its_audio_files_in_name_order(tmp_path: Path):
    for name in ["b.mp3", "A.flac", "c.txt", "a2.WAV", "cover.jpg"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub.mp3").mkdir()
    assert [p.name for p in expand_sources(tmp_path)] == ["A.flac", "a2.WAV", "b.mp3"]


def test_a_playlist_gives_its_entries_relative_to_itself(tmp_path: Path):
    (tmp_path / "music").mkdir()
    for name in ["one.mp3", "twö.flac"]:
        (tmp_path / "music" / name).write_bytes(b"x")
    playlist = tmp_path / "lists" / "mix.m3u8"
    playlist.parent.mkdir()
    playlist.write_text("\ufeff#EXTM3U\n#EXTINF:123,One\n../music/twö.flac\n\n  ../music/one.mp3  \n", "utf-8")
    assert expand_sources(playlist) == [(tmp_path / "music" / n).resolve() for n in ["twö.flac", "one.mp3"]]


@pytest.mark.parametrize(("body", "line", "what"), [
    (b"#EXTM3U\na.mp3\nmissing.mp3\n", 3, "'missing.mp3': no such file"),
    (b"a.mp3\nnotes.txt\n", 2, "'notes.txt': not a music file"),
    (b"a.mp3\n\nhttp://radio.example/x.mp3\n", 3, "is a URL"),
    (b"a.mp3\ncaf\xe9.mp3\n", 2, "not UTF-8"),
])
def test_a_bad_playlist_entry_names_the_list_and_line(tmp_path: Path, body: bytes, line: int, what: str):
    (tmp_path / "a.mp3").write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    playlist = tmp_path / "mix.m3u"
    playlist.write_bytes(body)
    with pytest.raises(MusicFileError, match=f"mix.m3u:{line}: .*{what}") as caught:
        expand_sources(playlist)
    assert caught.value.hint


@pytest.mark.parametrize(("make", "what"), [
    (lambda p: p / "nope.mp3", "no such music file"),
    (lambda p: p, "no audio files in this folder"),
    (lambda p: _touch(p / "notes.txt"), "not a music file"),
    (lambda p: _touch(p / "empty.m3u"), "lists no songs"),
])
def test_a_bad_source_is_a_music_file_error(tmp_path: Path, make, what: str):
    with pytest.raises(MusicFileError, match=what):
        expand_sources(make(tmp_path))


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def test_open_song_measures_hashes_and_estimates_tempo(song165: Path):
    song = open_song(song165)
    assert isinstance(song, Song) and song.path == song165.resolve()
    assert abs(song.duration_ms - 20_000) <= 1
    assert song.bpm is not None and abs(song.bpm - 165) <= 0.5 and song.bpm_source == "onsets"
    assert song.title == "run 165"
    import hashlib

    assert song.sha256 == hashlib.sha256(song165.read_bytes()).hexdigest()


def test_a_given_bpm_wins_over_the_tag_which_wins_over_onsets(tmp_path: Path):
    path = write_with_pedalboard(tmp_path / "tagged.mp3", drum_track(172, 12))
    tags = ID3()
    tags.add(TBPM(encoding=3, text=["86"]))
    tags.add(TIT2(encoding=3, text=["Night Run"]))
    tags.save(path)
    tagged = open_song(path)
    assert (tagged.bpm, tagged.bpm_source, tagged.title) == (86.0, "tag", "Night Run")
    assert (open_song(path, bpm=172.5).bpm, open_song(path, bpm=172.5).bpm_source) == (172.5, "given")
    with pytest.raises(MusicFileError, match="not a tempo"):
        open_song(path, bpm=0)


@pytest.mark.parametrize("suffix", [".flac", ".ogg", ".mp3"])
def test_compressed_formats_open_with_their_length(tmp_path: Path, suffix: str):
    song = open_song(write_with_pedalboard(tmp_path / f"s{suffix}", drum_track(150, 8)))
    assert abs(song.duration_ms - 8_000) < 60, song.duration_ms  # MP3 frames pad the end a little
    assert song.bpm is not None and abs(song.bpm - 150) <= 0.5


def test_undecodable_empty_and_silent_files_are_located_errors(tmp_path: Path):
    (tmp_path / "noise.mp3").write_bytes(np.random.default_rng(0).bytes(5000))
    (tmp_path / "empty.flac").write_bytes(b"")
    write_wav(tmp_path / "zero.wav", np.zeros(0, np.float32))
    for name, what in [("noise.mp3", "not audio that can be decoded|the file holds no audio"),
                       ("empty.flac", "not audio that can be decoded"), ("zero.wav", "the file holds no audio")]:
        with pytest.raises(MusicFileError, match=f"{name}: ({what})") as caught:
            open_song(tmp_path / name)
        assert caught.value.hint


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3", ".ogg"])
def test_a_truncated_file_is_an_error_not_a_short_song(tmp_path: Path, song165: Path, suffix: str):
    whole = tmp_path / f"whole{suffix}"
    if suffix == ".wav":
        whole.write_bytes(song165.read_bytes())
    else:
        write_with_pedalboard(whole, drum_track(165, 20))
    open_song(whole)  # the whole file is fine
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    promise = ("truncated: the Ogg stream stops before its last page" if suffix == ".ogg"
               else "truncated or damaged: [0-9.]+ s of audio where its header promises 20.0 s")
    with pytest.raises(MusicFileError, match=f"cut{suffix}: {promise}"):
        open_song(cut)


def test_a_flac_that_lost_frames_mid_way_is_an_error(tmp_path: Path):
    whole = write_with_pedalboard(tmp_path / "whole.flac", drum_track(165, 20))
    data = bytearray(whole.read_bytes())
    data[len(data) // 2: len(data) // 2 + 2000] = np.random.default_rng(0).bytes(2000)
    (tmp_path / "hurt.flac").write_bytes(bytes(data))
    with pytest.raises(MusicFileError, match="hurt.flac: truncated or damaged: 19.[0-9] s"):
        open_song(tmp_path / "hurt.flac")


def test_a_missing_song_is_a_music_file_error(tmp_path: Path):
    with pytest.raises(MusicFileError, match="nope.wav"):
        open_song(tmp_path / "nope.wav")


def test_a_fifo_is_refused_rather_than_waited_on(tmp_path: Path):
    import os

    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    with pytest.raises(MusicFileError, match="pipe.mp3: not a regular file"):
        open_song(fifo)
