"""Sidecars: the LRC cue sheet against the plan, the JSON plan, the playlist against the decoded MP3s."""

import json
import re

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from tests.audio_helpers import decode_mp3
from tests.phone_helpers import batch, plan_json

LINE = re.compile(r"^\[(\d+):(\d\d)\.(\d\d)\](.*)$")


@pytest.mark.parametrize("stem", ["a-reps", "b-hills"])
def test_lrc_has_every_cue_at_its_time(stem):
    plan = plan_json(stem)
    text = (batch() / f"{stem}.lrc").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"[ti:{plan['title']}]" and lines[1] == "[ar:Coach K]"
    cues = [LINE.match(line) for line in lines if LINE.match(line)]
    assert len(cues) == len(plan["cues"])
    for match, cue in zip(cues, plan["cues"]):
        seconds = int(match[1]) * 60 + int(match[2]) + int(match[3]) / 100
        assert 0 <= cue["at_s"] - seconds < 0.01
        assert match[4] == " ".join(cue["text"].split())


@pytest.mark.parametrize("stem", ["a-reps", "b-hills"])
def test_json_is_the_plan_document(stem):
    path = batch().parent / "Track club" / f"{stem}.yaml"
    printed = CliRunner().invoke(cli, ["plan", str(path), "--json"]).output
    assert (batch() / f"{stem}.json").read_text(encoding="utf-8") == printed
    assert json.loads(printed) == plan_json(stem)


def test_playlist_durations_are_the_decoded_lengths():
    out = batch()
    lines = (out / "playlist.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    entries = list(zip(lines[1::2], lines[2::2]))
    assert [file for _, file in entries] == ["a-reps.mp3", "b-hills.mp3"]  # relative, in batch order
    for info, file in entries:
        seconds, title = re.match(r"#EXTINF:([\d.]+),Coach K - (.*)$", info).groups()
        samples, rate = decode_mp3(out / file)
        assert abs(float(seconds) - len(samples) / rate) < 0.001
        assert title == plan_json(file[:-4])["title"]


def test_no_sidecars(tmp_path):
    source = batch().parent / "Track club"
    result = CliRunner().invoke(cli, ["build", str(source / "b-hills.yaml"), "-o", str(tmp_path), "--no-sidecars"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["b-hills.mp3"]


def test_a_changed_or_missing_sidecar_rebuilds(tmp_path):
    source = batch().parent / "Track club" / "b-hills.yaml"
    run = lambda: CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path)]).output  # noqa: E731
    assert "built in" in run()
    assert "up to date" in run()
    lrc = tmp_path / "b-hills.lrc"
    good = lrc.read_text(encoding="utf-8")
    lrc.unlink()
    assert "built in" in run() and lrc.read_text(encoding="utf-8") == good
    assert "up to date" in run()
