"""The `music:` key: its forms, what each step inherits, the runner's music, and where errors point."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.language.loader import parse_workout
from audiocoach.music.resolve import music_in_force
from audiocoach.runners import load_roster

DOC = """title: Forms
music: {play: [a.mp3, songs/], level: -10dB, crossfade: 4s}
steps:
  - warmup: 1min
    music: warmup.m3u8
  - repeat: 2
    music: off
    steps:
      - run: 1min
      - walk: 1min
        music: {play: builtin, duck: false}
  - cooldown: 1min
"""


def test_each_step_gets_the_music_in_force_there():
    workout = parse_workout(DOC)
    warm, where = music_in_force(workout, ("steps", 0))
    assert warm.play == ["warmup.m3u8"] and warm.level == -10.0 and warm.crossfade == 4000
    assert where == ("steps", 0, "music")
    assert music_in_force(workout, ("steps", 1, "steps", 0)) == (None, None)  # the repeat's `off`
    walk, where = music_in_force(workout, ("steps", 1, "steps", 1))
    assert walk.play == ["builtin"] and walk.duck == 0 and walk.level == -10.0
    assert where == ("steps", 1, "steps", 1, "music")
    cool, where = music_in_force(workout, ("steps", 2))
    assert cool.play == ["a.mp3", "songs/"] and where == ("music",)


def test_the_forms_round_trip():
    workout = parse_workout(DOC)
    dumped = workout.model_dump(exclude_defaults=True)
    assert dumped["steps"][1]["music"] == "off"
    assert dumped["music"] == {"play": ["a.mp3", "songs/"], "level": "-10dB", "crossfade": "4s"}


@pytest.mark.parametrize(("value", "message"), [
    ("{play: x.mp3, duck: loud}", "'loud' is not a ducking depth"),
    ("{play: x.mp3, crossfade: 1min}", "longer than 30s"),
    ("{play: x.mp3, shufle: true}", "unknown key 'shufle'"),
    ("{level: -3dB}", "play"),
])
def test_bad_settings_are_errors_at_their_key(value, message):
    with pytest.raises(Exception, match=message) as caught:
        parse_workout(f"title: Bad\nmusic: {value}\nsteps: [run: 1min]\n")
    assert "<string>:2:" in str(caught.value)


def wav(path: Path, seconds: float = 3.0) -> Path:
    t = np.arange(int(seconds * 16000)) / 16000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16000)
        out.writeframes((0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16).tobytes())
    return path


def test_a_missing_song_in_a_list_is_an_error_at_its_entry(tmp_path):
    wav(tmp_path / "a.wav")
    (tmp_path / "w.yaml").write_text("title: T\nmusic:\n  play: [a.wav, gone.wav]\nsteps: [run: 1min]\n")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "w.yaml")])
    assert result.exit_code == 1 and f"{tmp_path / 'w.yaml'}:3:17: " in result.output and "gone.wav" in result.output


def test_music_from_the_command_line_and_a_roster(tmp_path, monkeypatch):
    (tmp_path / "mine").mkdir()
    wav(tmp_path / "mine" / "song.wav")
    wav(tmp_path / "workout-song.wav")
    (tmp_path / "w.yaml").write_text("title: T\nmusic: {play: workout-song.wav, level: -12dB}\nsteps: [run: 10s]\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["plan", "--json", "w.yaml", "--music", "mine/song.wav"])
    assert result.exit_code == 0, result.output
    assert {play["file"] for play in json.loads(result.output)["music"]} == {"song.wav"}
    (tmp_path / "club").mkdir()
    (tmp_path / "club" / "roster.yaml").write_text("runners:\n  - {name: Sam, music: ../mine/song.wav}\n")
    sam = load_roster(tmp_path / "club" / "roster.yaml")[0]
    assert sam.keys["music"] == sam.model.music == str(tmp_path / "mine" / "song.wav")


def test_a_workout_without_music_keeps_its_json_keys(tmp_path):
    (tmp_path / "w.yaml").write_text("title: T\nsteps: [run: 10s]\n")
    result = CliRunner().invoke(cli, ["plan", "--json", str(tmp_path / "w.yaml")])
    assert "music" not in json.loads(result.output)


def test_the_schema_takes_every_form():
    import jsonschema

    from audiocoach.output.schema import workout_schema

    for value in ("songs/", ["a.mp3", "b.flac"], "off", False, {"play": "builtin", "duck": False, "level": "-10dB"}):
        document = {"title": "T", "music": value, "steps": [{"run": "1min", "music": value}]}
        jsonschema.validate(document, workout_schema())
