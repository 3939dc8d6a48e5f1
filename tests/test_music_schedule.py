"""The music schedule (audiocoach/music/schedule.py): a pure function of steps and songs, checked without audio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from audiocoach.language.music import Music
from audiocoach.music.schedule import SEAM_MS, StepMusic, choose_ratio, music_seed, schedule_music

RATE = 1000  # one sample per ms keeps the arithmetic readable


@dataclass(frozen=True)
class FakeSong:  # the shape of audiocoach.music.songs.Song
    path: Path
    sha256: str
    duration_ms: int
    bpm: float | None
    bpm_source: str | None
    title: str


def song(name: str, seconds: float, bpm: float | None) -> FakeSong:
    return FakeSong(Path(name), name * 8, int(seconds * 1000), bpm, "tag", name)


MUSIC = Music(play=["songs/"])


@pytest.mark.parametrize(("song_bpm", "cadence", "ratio", "note"), [
    (160.0, 165.0, 1.0312, ""), (85.0, 165.0, 0.9706, ""), (320.0, 165.0, 1.0312, ""),
    (100.0, 165.0, 1.0, "unstretched: outside ±12 %"), (None, 165.0, 1.0, "unstretched: no tempo known"),
    (160.0, None, 1.0, ""),
])
def test_the_ratio_is_the_nearest_of_cadence_its_half_and_double(song_bpm, cadence, ratio, note):
    assert choose_ratio(song_bpm, cadence, MUSIC) == (ratio, note)


def test_no_tempo_match_when_match_cadence_is_off():
    assert choose_ratio(160.0, 165.0, MUSIC.model_copy(update={"match_cadence": False})) == (1.0, "")


def test_songs_follow_each_other_with_complementary_crossfades_and_loop():
    songs = (song("a", 20, 160), song("b", 15, 150))
    pieces = schedule_music([StepMusic(0, 100_000, None, MUSIC, songs)], RATE, seed=1)
    assert pieces[0].start_sample == 0 and pieces[-1].end_sample == 100_000
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert after.start_sample == before.end_sample - before.fade_out_samples  # the fades overlap exactly
        assert after.fade_in_samples == before.fade_out_samples == 3000
        assert after.song_offset_ms == 0
    titles = [p.title for p in pieces]
    assert set(titles) == {"a", "b"} and len(titles) >= 5
    assert titles[0::2] == [titles[0]] * len(titles[0::2])  # two songs: they alternate, looping


def test_a_cadence_change_continues_the_song_where_it_was():
    songs = (song("a", 60, 160),)
    steps = [StepMusic(0, 10_000, 160, MUSIC, songs), StepMusic(10_000, 20_000, 170, MUSIC, songs)]
    first, second = schedule_music(steps, RATE, seed=1)
    assert first.ratio == 1.0 and second.ratio == 1.0625
    half = SEAM_MS // 2
    assert first.end_sample == 10_000 + half and second.start_sample == 10_000 - half  # overlapping, no gap
    assert first.fade_out_samples == second.fade_in_samples == SEAM_MS
    # the second rendering starts where the first is at its start: 9.98 s of song, at the new ratio
    assert abs(second.song_offset_ms - (10_000 - half * second.ratio)) <= 1


def test_steps_with_the_same_ratio_play_one_piece():
    songs = (song("a", 60, 165),)
    steps = [StepMusic(0, 10_000, 165, MUSIC, songs), StepMusic(10_000, 20_000, 165, MUSIC, songs)]
    assert len(schedule_music(steps, RATE, seed=1)) == 1


def test_music_off_ends_a_run_and_the_music_picks_up_where_it_was():
    songs = (song("a", 60, None),)
    steps = [StepMusic(0, 10_000, None, MUSIC, songs), None, StepMusic(20_000, 30_000, None, MUSIC, songs)]
    first, second = schedule_music(steps, RATE, seed=1)
    assert first.end_sample == 10_000 and first.fade_out_samples == 1000
    assert second.start_sample == 20_000 and second.song_offset_ms == 10_000 and second.fade_in_samples == 1000


def test_builtin_plays_at_the_cadence_or_a_default_tempo():
    builtin = Music(play=["builtin"])
    pieces = schedule_music([StepMusic(0, 5_000, None, builtin), StepMusic(5_000, 9_000, 172, builtin)], RATE, 1)
    assert [p.bpm for p in pieces] == [150.0, 172]
    assert pieces[0].end_sample > pieces[1].start_sample  # a seam, not a gap


def test_the_shuffle_is_seeded_by_the_workout_and_runner():
    songs = tuple(song(name, 30, None) for name in "abcdefgh")
    order = [[p.title for p in schedule_music([StepMusic(0, 200_000, None, MUSIC, songs)], RATE, seed)][:8]
             for seed in (music_seed("Tempo", "Sam"), music_seed("Tempo", "Sam"), music_seed("Tempo", "Lee"))]
    assert order[0] == order[1] and order[0] != order[2]
    listed = schedule_music([StepMusic(0, 200_000, None, MUSIC.model_copy(update={"shuffle": False}), songs)], RATE, 7)
    assert [p.title for p in listed][:8] == list("abcdefgh")
