"""The speech cache checks itself: a damaged entry is spoken again, with one notice, never a wrong clip."""

from __future__ import annotations

import numpy as np
import pytest

from audiocoach.audio.speech import Speech, VoiceSpec
from audiocoach.audio.speech_cache import HEADER, SpeechCache

TEXT = "Halfway there"


@pytest.fixture
def spoken(tmp_path):
    """A cache holding TEXT, the clip as first spoken, and the entry's path."""
    speech = Speech(VoiceSpec(), cache_dir=tmp_path)
    clip = speech.clip(TEXT).copy()
    return tmp_path, clip, speech.cache.path(speech._key(TEXT))


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":  # an even number of bytes gone: whole samples missing
        path.write_bytes(data[: len(data) - 2000])
    elif how == "odd length":
        path.write_bytes(data[:-1])
    elif how == "garbled":  # same length, samples overwritten
        data[HEADER.size + 100: HEADER.size + 1100] = bytes(range(250)) * 4
        path.write_bytes(data)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "header only":
        path.write_bytes(data[: HEADER.size])
    elif how == "old wav":
        path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(200))


@pytest.mark.parametrize("how", ["truncated", "odd length", "garbled", "empty", "header only", "old wav"])
def test_a_damaged_entry_is_spoken_again_and_replaced_with_one_notice(spoken, how, capfd):
    folder, clip, path = spoken
    _damage(path, how)
    capfd.readouterr()
    again = Speech(VoiceSpec(), cache_dir=folder)  # nothing in memory: it must read the entry
    assert again.duration_ms(TEXT) * 44100 // 1000 >= len(clip) - 44  # measured on the real clip
    assert np.array_equal(again.clip(TEXT), clip)
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Notice: speech cache entry") and "speaking it again" in err[0]
    # replaced: the next reader finds a sound entry and says nothing
    assert SpeechCache(folder).load(path.stem) is not None
    assert capfd.readouterr().err == ""


def test_a_sound_entry_loads_exactly_what_was_stored(tmp_path):
    cache = SpeechCache(tmp_path)
    samples = (np.arange(-5000, 5000, 3) % 32000).astype(np.int16)
    cache.store("ab" * 32, samples)
    assert np.array_equal(cache.load("ab" * 32), samples)
    assert cache.load("cd" * 32) is None  # missing: no notice, simply made
