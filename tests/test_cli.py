"""The commands, through click's CliRunner: what a person types and what they see."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli

WORKOUTS = Path(__file__).parent.parent / "workouts"
SHORT = """\
title: Short test
runner: {cadence: 170}
steps:
  - warmup: 20s
    cadence: 160
    say: Easy.
  - run: 200m
    pace: 45s/200m
    cadence: +5%
  - cooldown: 15s
"""


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_every_command_has_help():
    for command in ["build", "check", "plan"]:
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_check_reports_each_example_workout():
    result = run("check", str(WORKOUTS))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == len(list(WORKOUTS.glob("*.yaml")))
    assert all(": ok — " in line for line in lines)


def test_plan_json_has_exactly_the_documented_shape(short: Path):
    result = run("plan", str(short), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"title", "duration_s", "steps", "cues"}
    assert doc["title"] == "Short test"
    assert [s["kind"] for s in doc["steps"]] == ["warmup", "run", "cooldown"]
    for step in doc["steps"]:
        assert set(step) == {"index", "kind", "name", "start_s", "end_s", "cadence_spm", "target"}
    assert doc["steps"][1]["target"] == "0:45 for 200 m"
    assert doc["steps"][1]["end_s"] - doc["steps"][1]["start_s"] == 45.0
    assert doc["steps"][2]["cadence_spm"] is None
    kinds = {"intro", "start", "next", "halfway", "remaining", "countdown", "go", "switch", "cue", "prompt", "outro"}
    for cue in doc["cues"]:
        assert set(cue) == {"at_s", "end_s", "kind", "text", "spoken"}
        assert cue["kind"] in kinds and cue["end_s"] > cue["at_s"]
    assert doc["cues"][0]["kind"] == "intro" and doc["cues"][-1]["kind"] == "outro"
    assert doc["duration_s"] >= doc["cues"][-1]["end_s"]


def test_plan_text_lists_steps_and_cues(short: Path):
    result = run("plan", str(short))
    assert result.exit_code == 0
    assert result.output.startswith("Short test\n")
    assert "3 · 2 · 1" in result.output and "Go!" in result.output


def test_build_writes_one_mp3_per_workout_and_says_so(short: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("build", str(short), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "short.mp3").stat().st_size > 10_000
    line = result.output.strip()
    assert line.startswith(str(out / "short.mp3")) and " MB " in line and line.endswith(" s")
    assert "Audio saved" not in result.output


@pytest.mark.parametrize("command", ["build", "check", "plan"])
def test_bad_input_is_one_clear_line_and_exit_status_1(command: str, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHORT.replace("cadence: 160", "cadense: 160"))
    result = CliRunner().invoke(cli, [command, str(bad)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{bad}:5:5: unknown key 'cadense'" in result.output
    assert "did you mean 'cadence'?" in result.output


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_one_bad_file_does_not_stop_the_others(short: Path, tmp_path: Path):
    (tmp_path / "bad.yaml").write_text("title: x\nsteps: []\n")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "short.mp3").exists()
    assert not (tmp_path / "out" / "bad.mp3").exists()


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "audiocoach", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "audiocoach" in result.stdout
