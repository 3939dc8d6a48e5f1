"""The neural voice (Piper, the built-in joe voice) on a few phrases and one short workout; voice
choice, model errors and the pool's timeouts. The rest of the suite speaks with espeak (conftest)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audiocoach.audio import speech_pool
from audiocoach.audio.engines import VoiceSpec
from audiocoach.audio.engines.piper import builtin_model
from audiocoach.audio.speech import Speech
from audiocoach.audio.voice_choice import choose_voice
from audiocoach.cli import cli
from audiocoach.errors import BuildError
from audiocoach.pipeline import build_file

PIPER = VoiceSpec(engine="piper")
SHORT = """\
title: Piper test
steps:
  - warmup: 20s
    say: Rep 5 of 10.
  - run: 30s
    cadence: 170
  - cooldown: 15s
"""


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT)
    return path


def test_piper_speaks_the_same_samples_from_two_empty_caches_and_after_other_phrases(tmp_path):
    first = Speech(PIPER, cache_dir=tmp_path / "a")
    first.prepare(["Brace your core", "Switch sides", "Cadence 180"])
    other = Speech(PIPER, cache_dir=tmp_path / "b")
    other.clip("Rep 5 of 10")
    assert np.array_equal(first.clip("Switch sides"), other.clip("Switch sides"))
    assert np.array_equal(first.clip("Cadence 180"), other.clip("Cadence 180"))
    assert not np.array_equal(first.clip("Switch sides")[:1000], first.clip("Cadence 180")[:1000])


def test_piper_rate_changes_the_length(tmp_path):
    slow = Speech(VoiceSpec(engine="piper", rate=120), cache_dir=tmp_path).duration_ms("Two minutes left")
    fast = Speech(VoiceSpec(engine="piper", rate=260), cache_dir=tmp_path).duration_ms("Two minutes left")
    assert slow > 1.6 * fast


def test_two_builds_with_two_empty_caches_give_identical_bytes(short, tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIOCOACH_ENGINE")  # the default: Piper for English
    built = []
    for name in ("one", "two"):
        monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / f"cache-{name}"))
        result = build_file(short, tmp_path / name)
        built.append(result.output.read_bytes())
        assert list((tmp_path / f"cache-{name}" / "speech").rglob("*.clip"))
    assert built[0] == built[1]


def test_english_defaults_to_piper_other_languages_to_espeak(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIOCOACH_ENGINE")
    assert choose_voice(None, "en-us", 175, None, tmp_path)[0].engine == "piper"
    assert choose_voice(None, "de", 175, None, tmp_path)[0].engine == "espeak"
    assert choose_voice("espeak", "en-us", 175, None, tmp_path)[0].engine == "espeak"
    chosen = choose_voice(None, "de", 175, "de.onnx", tmp_path)[0]
    assert chosen == VoiceSpec("de", 175, "piper", str(tmp_path / "de.onnx"))
    monkeypatch.setenv("AUDIOCOACH_ENGINE", "espeak")
    assert choose_voice(None, "en-us", 175, None, tmp_path)[0].engine == "espeak"


def test_without_piper_english_falls_back_to_espeak_with_one_notice(tmp_path, monkeypatch, capsys):
    from audiocoach import notices
    from audiocoach.audio.engines import piper

    monkeypatch.delenv("AUDIOCOACH_ENGINE")
    monkeypatch.setattr(piper, "available", lambda: "piper-tts is not installed")
    monkeypatch.setattr(notices, "_said", set())
    assert choose_voice(None, "en-us", 175, None, tmp_path)[0].engine == "espeak"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "espeak" in err[0] and "pip install piper-tts" in err[0]


def _plan(path: Path):
    return CliRunner().invoke(cli, ["plan", str(path)], catch_exceptions=False)


MODEL_PROBLEMS = {
    "missing": "no Piper voice model",
    "no config": "has no voice.onnx.json beside it",
    "broken": "is not a loadable Piper voice model",
    "bad config": "is not a Piper voice configuration",
}


def _voice_files(folder: Path, problem: str) -> Path:
    """A workout naming voices/voice.onnx, whose files have `problem` (a key of MODEL_PROBLEMS, or "" for none)."""
    model = folder / "voices" / "voice.onnx"
    model.parent.mkdir(exist_ok=True)
    if problem != "missing":
        model.write_bytes(b"not an onnx model" if problem == "broken" else builtin_model().read_bytes()[:4096])
    if problem != "no config" and problem != "missing":
        shutil.copy(builtin_model().with_name(builtin_model().name + ".json"), model.with_name("voice.onnx.json"))
        if problem == "bad config":
            model.with_name("voice.onnx.json").write_text("[1, 2")
    workout = folder / "w.yaml"
    workout.write_text("title: Model\nvoice:\n  engine: piper\n  model: voices/voice.onnx\nsteps:\n  - run: 1min\n")
    return workout


@pytest.mark.parametrize("problem", MODEL_PROBLEMS)
def test_a_missing_or_broken_model_is_an_error_at_the_model_key(tmp_path, problem):
    workout = _voice_files(tmp_path, problem)
    result = _plan(workout)
    assert result.exit_code == 1
    assert f"{workout}:4:3:" in result.output and MODEL_PROBLEMS[problem] in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("problem", ["missing", "no config", "bad config"])
def test_check_finds_a_missing_model_or_configuration_without_loading_it(tmp_path, problem):
    workout = _voice_files(tmp_path, problem)
    result = CliRunner().invoke(cli, ["check", str(workout)])
    assert result.exit_code == 1 and result.output.startswith(f"Error: {workout}:4:3: "), result.output
    assert MODEL_PROBLEMS[problem] in result.output
    # a model that would not load passes check (it is loaded only to speak); plan reports it
    assert CliRunner().invoke(cli, ["check", str(_voice_files(tmp_path, "broken"))]).exit_code == 0


def test_a_piper_engine_for_german_without_a_model_is_an_error_at_the_engine_key(tmp_path):
    workout = tmp_path / "w.yaml"
    workout.write_text("title: Deutsch\nvoice: {name: de, engine: piper}\nsteps:\n  - run: 1min\n")
    result = _plan(workout)
    assert result.exit_code == 1 and f"{workout}:2:" in result.output and "speaks English" in result.output


def _sleepy(voice, text):
    time.sleep(600)


def _failing(voice, text):
    raise BuildError(f"cannot say {text}")


def test_a_stuck_phrase_is_stopped_by_its_timeout_not_waited_for(monkeypatch):
    monkeypatch.setattr(speech_pool, "TIMEOUT_S", 0.5)
    monkeypatch.setattr(speech_pool, "TIMEOUT_PER_CHAR_S", 0.0)
    with pytest.raises(BuildError, match="took more than"):
        speech_pool.speak_all([(VoiceSpec(), "Go"), (VoiceSpec(), "Stop")], _sleepy, lambda i, clip: None)


def test_an_engine_error_comes_back_as_the_exception_it_was():
    with pytest.raises(BuildError, match="cannot say Go"):
        speech_pool.speak_all([(VoiceSpec(), "Go")], _failing, lambda i, clip: None)
