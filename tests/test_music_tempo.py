"""A song's tempo: its tag, or an estimate from onsets within 0.5 BPM, or None when there is no pulse."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TBPM

from audiocoach.music import tempo
from audiocoach.music.tempo import estimate_bpm, estimate_bpm_samples, tag_bpm
from tests.music_files import drum_track, write_wav, write_with_pedalboard


def clicks(bpm: float, seconds: float, rate: int) -> np.ndarray:
    """A 30 ms decaying noise burst on every beat, from 50 ms in."""
    out = np.zeros(int(seconds * rate), np.float32)
    burst = np.random.default_rng(1).standard_normal(int(0.03 * rate)) * np.exp(-np.arange(int(0.03 * rate)) / 80)
    index = 0
    while (start := int(round((0.05 + index * 60 / bpm) * rate))) + len(burst) < len(out):
        out[start: start + len(burst)] += 0.5 * burst
        index += 1
    return out


@pytest.mark.parametrize(("bpm", "rate"), [(150.0, 16_000), (165.0, 11_025), (172.0, 44_100), (128.4, 16_000)])
@pytest.mark.parametrize("make", [clicks, lambda bpm, s, rate: drum_track(bpm, s, rate)], ids=["clicks", "drums"])
def test_the_estimate_is_within_half_a_bpm(bpm: float, rate: int, make):
    assert abs(estimate_bpm_samples(make(bpm, 30, rate), rate) - bpm) <= 0.5


@pytest.mark.parametrize("signal", [
    np.zeros(30 * 16_000, np.float32),
    np.random.default_rng(0).standard_normal(30 * 16_000).astype(np.float32) * 0.1,
    (0.3 * np.sin(2 * np.pi * 440 * np.arange(30 * 16_000) / 16_000)).astype(np.float32),
    clicks(165, 1.5, 16_000),  # too short to tell
], ids=["silence", "noise", "steady tone", "short"])
def test_no_clear_pulse_is_none(signal: np.ndarray):
    assert estimate_bpm_samples(signal, 16_000) is None


def test_a_file_is_read_streamed_and_only_its_first_minute(tmp_path: Path, monkeypatch):
    path = write_wav(tmp_path / "long.wav", drum_track(165, 100, rate=11_025), rate=11_025)
    read = []
    real = tempo.decode_path

    def counted(*args, **kwargs):
        for block in real(*args, **kwargs):
            read.append(len(block))
            yield block

    monkeypatch.setattr(tempo, "decode_path", counted)
    assert abs(estimate_bpm(path) - 165) <= 0.5
    assert sum(read) <= (tempo.EXCERPT_SECONDS + 6) * tempo.ANALYSIS_RATE  # a block past the minute at most


def test_tbpm_tags_are_read_and_nonsense_ignored(tmp_path: Path):
    mp3 = write_with_pedalboard(tmp_path / "a.mp3", drum_track(150, 2))
    assert tag_bpm(mp3) is None
    for text, expected in [("174", 174.0), ("87,5", 87.5), ("0", None), ("fast", None)]:
        tags = ID3()
        tags.add(TBPM(encoding=3, text=[text]))
        tags.save(mp3)
        assert tag_bpm(mp3) == expected
    flac = write_with_pedalboard(tmp_path / "b.flac", drum_track(150, 2))
    meta = FLAC(flac)
    meta["BPM"] = "160"
    meta.save()
    assert tag_bpm(flac) == 160.0
    assert tag_bpm(tmp_path / "missing.mp3") is None


def test_a_played_not_programmed_beat_is_found_too():
    """Kick and snare placed with 15 ms of random timing error, under steady noise: still 165 ± 0.5."""
    rate, rng = 16_000, np.random.default_rng(5)
    track, size, second = drum_track(165, 2, rate), int(0.12 * rate), int(round(60 / 165 * rate))
    hits = [track[:size], track[second: second + size]]  # a kick; a kick with the snare
    out = 0.05 * rng.standard_normal(30 * rate)
    for beat in range(int(30 * 165 / 60) - 1):
        start = int(round((0.05 + beat * 60 / 165 + rng.normal(0, 0.015)) * rate))
        out[start: start + size] += hits[beat % 2]
    assert abs(estimate_bpm_samples(out.astype(np.float32), rate) - 165) <= 0.5
