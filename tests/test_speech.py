"""Speech through espeak-ng (pyttsx3, from PyPI): trimmed, normalised, cached on disk. Piper: test_piper.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from audiocoach.audio import speech as speech_module
from audiocoach.audio.loudness import integrated_loudness, k_weighted, lufs, true_peak
from audiocoach.audio.speech import SPEECH_LUFS, SPEECH_PEAK_DBTP, Speech, VoiceSpec
from audiocoach.errors import BuildError

RATE = 44100


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("speech-cache")


@pytest.fixture
def english(cache_dir):
    return Speech(VoiceSpec("en-us", 175), sample_rate=RATE, cache_dir=cache_dir)


def no_engine(*_args, **_kwargs):
    raise AssertionError("the speech engine was called although the phrase is cached")


def test_clip_is_levelled_float32_starting_and_ending_with_speech(english):
    clip = english.clip("Two minutes left")
    assert clip.dtype == np.float32 and clip.ndim == 1
    # every clip has the same loudness over its whole length, and its peaks stay under the ceiling
    assert lufs(np.mean(np.square(k_weighted(clip, RATE)))) == pytest.approx(SPEECH_LUFS, abs=0.05)
    assert true_peak(clip, RATE) <= SPEECH_PEAK_DBTP + 0.01
    two_ms = RATE // 500
    # trimmed: sound within the first and the last 2 ms (cut where it first reaches -46 dB under the peak)
    peak = np.max(np.abs(clip))
    assert np.max(np.abs(clip[:two_ms])) > 0.003 * peak
    assert np.max(np.abs(clip[-two_ms:])) > 0.003 * peak
    assert 0.5 < len(clip) / RATE < 2.0


def test_every_cue_is_as_loud_as_the_others(english):
    texts = ("Go!", "Three", "Halfway there", "Warm up. Easy running.", "Tall posture and relaxed shoulders.")
    levels = [lufs(np.mean(np.square(k_weighted(english.clip(t), RATE)))) for t in texts]
    # at SPEECH_LUFS, or (a phrase whose peaks leave no room within the limiter's make-up) up to 1 LU under
    assert all(SPEECH_LUFS - 1.0 <= level <= SPEECH_LUFS + 0.05 for level in levels), levels
    assert all(true_peak(english.clip(t), RATE) <= SPEECH_PEAK_DBTP + 0.01 for t in texts)


def test_the_profile_spreads_the_clips_loudness_over_its_length(english):
    text = "Warm up. Easy running."
    clip, profile = english.clip(text), english.profile(text)
    assert profile.samples == len(clip)
    seconds = len(clip) / RATE
    total = profile.energy_between(np.array([0.0]), np.array([seconds]))[0]
    weighted = np.square(k_weighted(clip, RATE))
    assert 10 * np.log10(total / (weighted.sum() / RATE)) == pytest.approx(0.0, abs=0.05)
    assert integrated_loudness(clip, RATE) == pytest.approx(SPEECH_LUFS, abs=1.0)  # gated: much the same
    # the first half's share of the energy, as the profile has it (from the unweighted samples) and as
    # the K-weighted clip has it: close, not equal (fricatives weigh more after K-weighting); what the
    # prediction makes of it over whole tracks is checked in test_loudness (within 0.2 LU)
    half = len(clip) // 2
    share = profile.energy_between(np.array([0.0]), np.array([half / RATE]))[0] / total
    assert share == pytest.approx(weighted[:half].sum() / weighted.sum(), abs=0.1)


def test_duration_ms_matches_the_clip_rounded_up(english):
    for text in ("Go!", "Warm up. Easy running.", "Three"):
        clip = english.clip(text)
        assert english.duration_ms(text) == math.ceil(len(clip) * 1000 / RATE)


def test_second_call_is_a_cache_hit_without_the_engine(english, cache_dir, monkeypatch):
    first = english.clip("Halfway there").copy()
    monkeypatch.setattr(speech_module, "spoken_clip", no_engine)
    fresh = Speech(VoiceSpec("en-us", 175), sample_rate=RATE, cache_dir=cache_dir)  # no in-memory state
    assert fresh.duration_ms("Halfway there") == english.duration_ms("Halfway there")
    assert np.array_equal(fresh.clip("Halfway there"), first)
    assert fresh.cache.path(fresh._key("Halfway there")).is_file()
    assert not list((cache_dir / "speech").rglob("*.tmp"))  # atomic writes leave nothing behind


def test_same_text_gives_identical_samples_whatever_was_spoken_before(tmp_path):
    # espeak-ng carries state from one utterance to the next; each phrase is spoken in a fresh
    # fork, so a phrase's samples do not depend on what the process said earlier.
    first = Speech(VoiceSpec(), sample_rate=RATE, cache_dir=tmp_path / "a").clip("Keep your form")
    other = Speech(VoiceSpec(), sample_rate=RATE, cache_dir=tmp_path / "b")
    for text in ("One", "Recover. Walk it off.", "Faster now"):
        other.clip(text)
    again = other.clip("Keep your form")
    assert np.array_equal(first, again)


def test_german_voice_speaks_differently(cache_dir):
    german = Speech(VoiceSpec("de", 175), sample_rate=RATE, cache_dir=cache_dir)
    english = Speech(VoiceSpec("en-us", 175), sample_rate=RATE, cache_dir=cache_dir)
    text = "Noch zwei Minuten"
    assert german.duration_ms(text) > 500
    assert not np.array_equal(german.clip(text), english.clip(text))


def test_a_language_name_speaks_with_the_voice_that_declares_it(cache_dir):
    """espeak-ng finds voices by file or name; "fr-fr" is a language its voice file roa/fr declares."""
    by_language = Speech(VoiceSpec("fr-fr", 175), sample_rate=RATE, cache_dir=cache_dir)
    by_file = Speech(VoiceSpec("roa/fr", 175), sample_rate=RATE, cache_dir=cache_dir)
    assert np.array_equal(by_language.clip("Encore deux minutes"), by_file.clip("Encore deux minutes"))


def test_rate_changes_the_length(cache_dir):
    slow = Speech(VoiceSpec("en-us", 120), sample_rate=RATE, cache_dir=cache_dir)
    fast = Speech(VoiceSpec("en-us", 260), sample_rate=RATE, cache_dir=cache_dir)
    assert slow.duration_ms("Two minutes left") > 1.5 * fast.duration_ms("Two minutes left")


def test_other_sample_rates_resample_the_same_clip(cache_dir):
    at_44 = Speech(VoiceSpec(), sample_rate=44100, cache_dir=cache_dir).clip("Go!")
    at_48 = Speech(VoiceSpec(), sample_rate=48000, cache_dir=cache_dir).clip("Go!")
    assert len(at_48) == pytest.approx(len(at_44) * 48000 / 44100, abs=2)


def test_unknown_voice_is_a_build_error_with_suggestions(tmp_path):
    with pytest.raises(BuildError) as caught:
        Speech(VoiceSpec("klingon-xx"), cache_dir=tmp_path).duration_ms("Hello")
    assert "klingon-xx" in caught.value.message
    assert caught.value.hint and "try" in caught.value.hint


def test_near_miss_voice_hint_names_close_voices(tmp_path):
    with pytest.raises(BuildError) as caught:
        Speech(VoiceSpec("en-uss"), cache_dir=tmp_path).duration_ms("Hello")
    assert "en-us" in caught.value.hint


@pytest.mark.parametrize("text", ["", "   ", "."])
def test_a_phrase_without_sound_is_a_build_error_naming_it(tmp_path, text):
    with pytest.raises(BuildError) as caught:
        Speech(VoiceSpec(), cache_dir=tmp_path).clip(text)
    assert repr(text) in caught.value.message


def test_rate_out_of_range_is_a_build_error(tmp_path):
    with pytest.raises(BuildError, match="rate"):
        Speech(VoiceSpec("en-us", 900), cache_dir=tmp_path)


def test_cache_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "env-cache"))
    Speech(VoiceSpec()).duration_ms("Go!")
    assert list((tmp_path / "env-cache" / "speech").rglob("*.clip"))


def test_engine_chatter_never_reaches_stdout(tmp_path, capfd):
    Speech(VoiceSpec(), cache_dir=tmp_path).duration_ms("Nothing printed")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_unreadable_cache_entry_is_spoken_again(tmp_path):
    speech = Speech(VoiceSpec(), cache_dir=tmp_path)
    expected = speech.clip("Go!").copy()
    speech.cache.path(speech._key("Go!")).write_bytes(b"RIFF garbage")
    again = Speech(VoiceSpec(), cache_dir=tmp_path).clip("Go!")
    assert np.array_equal(again, expected)


def test_a_build_speaks_its_phrases_in_one_pool_before_planning(tmp_path, monkeypatch):
    from audiocoach.pipeline import plan_file

    workout = tmp_path / "w.yaml"
    workout.write_text("title: Pool\nsteps:\n  - warmup: 1min\n    say: Easy now.\n  - repeat: 2\n"
                       "    steps:\n      - run: 30s\n      - jog: 30s\n  - cooldown: 1min\n")
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "cache"))
    calls: list[int] = []
    real = speech_module.speak_all
    monkeypatch.setattr(speech_module, "speak_all",
                        lambda tasks, *a, **k: (calls.append(len(tasks)), real(tasks, *a, **k)))
    _, plan = plan_file(workout)
    assert calls[0] >= len({cue.text for cue in plan.cues}) > 5  # every phrase of the plan, at once
    assert sum(calls[1:]) <= 2  # at most a prompt or two that fit only with the real lengths
