"""The speech cache checks itself: a damaged entry is spoken again, with one notice, never a wrong clip."""

from __future__ import annotations

import numpy as np
import pytest

from audiocoach.audio import speech_cache
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


def test_a_clip_is_resampled_and_profiled_once_then_read_back(tmp_path, monkeypatch):
    import audiocoach.audio.speech as speech_module

    first = Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path)
    made, profile = first.clip(TEXT).copy(), first.profile(TEXT)
    key = first._key(TEXT)
    assert np.array_equal(made, speech_module.resample(first._native(TEXT).astype(np.float32) / 32768, 22050, 16000))
    assert first.cache.derived_path(key, "16000.f32").is_file()
    assert first.cache.derived_path(key, "profile.f64").is_file()

    def refuse(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(speech_module, "resample", refuse)
    monkeypatch.setattr(speech_module, "k_weighted_energy", refuse)
    again = Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path)  # nothing in memory
    clip = again.clip(TEXT)
    assert clip.dtype == np.float32 and np.array_equal(clip, made) and not clip.flags.writeable
    read = again.profile(TEXT)
    assert read.samples == profile.samples
    assert np.array_equal(read.seconds, profile.seconds) and np.array_equal(read.energy, profile.energy)
    assert SpeechCache(tmp_path).load_derived(key, "44100.f32", "<f4") is None  # another rate is another entry


@pytest.mark.parametrize("how", ["garbled", "truncated", "empty", "from other samples", "by other code"])
def test_a_derived_entry_that_does_not_check_out_is_made_again(tmp_path, how, capfd, monkeypatch):
    first = Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path)
    made = first.clip(TEXT).copy()
    cache, key = first.cache, first._key(TEXT)
    path = cache.derived_path(key, "16000.f32")
    data = bytearray(path.read_bytes())
    if how == "garbled":
        data[-400:-200] = bytes(200)
    elif how == "truncated":
        data = data[:-4]
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))
    if how == "from other samples":  # the clip it was made from is no longer the one stored
        native = cache.load(key)
        cache.store(key, native // 2)
        made = Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path).clip(TEXT).copy()
        assert not np.array_equal(made, first.clip(TEXT))
    elif how == "by other code":  # another fingerprint: the entry is not found, and is replaced
        monkeypatch.setattr(speech_cache, "derived_fingerprint", lambda: "0" * 16)
        assert cache.load_derived(key, "16000.f32", "<f4") is None
        assert np.array_equal(Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path).clip(TEXT), made)
        assert not path.exists()  # the old one is gone: one entry per kind
    else:
        assert cache.load_derived(key, "16000.f32", "<f4") is None
        assert np.array_equal(Speech(VoiceSpec(), sample_rate=16000, cache_dir=tmp_path).clip(TEXT), made)
    assert np.array_equal(cache.load_derived(key, "16000.f32", "<f4")[0], made)  # replaced
    assert "Notice" not in capfd.readouterr().err  # a copy of what can be computed: no notice
