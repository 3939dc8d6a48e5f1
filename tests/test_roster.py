"""A track for everyone in the group: `build --roster`, and batches built in parallel with --jobs."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from audiocoach.cli import cli

REPS = """\
title: Short reps
steps:
  - warmup: 20s
  - repeat: 2
    steps:
      - run: 200m
        pace: mile - 2s/400m
        splits: 100m
      - jog: 25s
  - cooldown: 15s
"""
ROSTER = """\
runners:
  - {name: Sam, mile: "6:40", cadence: 166}
  - {name: Priya, mile: "5:50"}
  - {name: Lee, race: {distance: 5k, time: "27:30"}}
"""


@pytest.fixture
def group(tmp_path: Path) -> Path:
    (tmp_path / "reps.yaml").write_text(REPS)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    return tmp_path


def build(*args: str):
    return CliRunner().invoke(cli, ["build", *args])


def test_a_roster_builds_one_track_per_runner_with_their_times(group):
    out = group / "out"
    result = build(str(group / "reps.yaml"), "--roster", str(group / "roster.yaml"), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    folder = out / "reps"
    assert sorted(p.name for p in folder.glob("*.mp3")) == ["Lee.mp3", "Priya.mp3", "Sam.mp3"]
    plans = {name: json.loads((folder / f"{name}.json").read_text()) for name in ("Sam", "Priya", "Lee")}
    # time-based steps last the same for everyone; the 200s are each runner's own
    lengths = {name: [round(s["end_s"] - s["start_s"], 3) for s in plan["steps"]] for name, plan in plans.items()}
    kinds = [s["kind"] for s in plans["Sam"]["steps"]]
    for i, kind in enumerate(kinds):
        values = {lengths[name][i] for name in lengths}
        assert len(values) == (3 if kind == "run" else 1), (kind, values)
    assert lengths["Priya"][1] < lengths["Sam"][1] < lengths["Lee"][1]
    # each hears their own target and split calls
    targets = {name: [c["text"] for c in plan["cues"] if "aim for" in c["text"]][0] for name, plan in plans.items()}
    assert len(set(targets.values())) == 3, targets
    assert all(any(c["kind"] == "split" and c["text"] == "100." for c in plan["cues"]) for plan in plans.values())
    # the playlist lists the group in roster order; the tags name the runner
    playlist = (folder / "playlist.m3u8").read_text(encoding="utf-8")
    assert [line for line in playlist.splitlines() if line.endswith(".mp3")] == ["Sam.mp3", "Priya.mp3", "Lee.mp3"]
    tags = ID3(folder / "Priya.mp3")
    assert str(tags["TIT2"]) == "Short reps — Priya"
    assert str(tags["TRCK"]) == "2/3"
    # the summary table: a row per runner, then the totals
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["FILE", "RUNNER", "DURATION", "SIZE", "SECONDS"]
    assert [line.split()[1] for line in lines[1:4]] == ["Sam", "Priya", "Lee"]
    assert lines[4].startswith("3 built, 0 up to date, 0 failed in ") and lines[4].endswith("(2 jobs at once)")
    assert lines[5] == str(folder / "playlist.m3u8")


def test_parallel_builds_are_the_same_bytes_and_then_up_to_date(group):
    one, two = group / "one", group / "two"
    args = [str(group / "reps.yaml"), "--roster", str(group / "roster.yaml")]
    assert build(*args, "-o", str(one), "--jobs", "1").exit_code == 0
    assert build(*args, "-o", str(two), "--jobs", "2").exit_code == 0
    for mp3 in (one / "reps").glob("*.mp3"):
        assert mp3.read_bytes() == (two / "reps" / mp3.name).read_bytes(), mp3.name
    again = build(*args, "-o", str(two), "--jobs", "2")
    assert again.exit_code == 0 and "0 built, 3 up to date, 0 failed" in again.stdout


def test_a_failing_file_is_reported_and_the_others_still_build(group):
    (group / "bad.yaml").write_text("title: Bad\nsteps:\n  - run: 400m\n    pace: tempo\n")
    (group / "easy.yaml").write_text("title: Easy\nsteps:\n  - run: 30s\n  - walk: 20s\n")
    out = group / "out"
    result = build(str(group / "bad.yaml"), str(group / "easy.yaml"), str(group / "reps.yaml"), "--mile", "6:00",
                   "-o", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert f"Error: {group / 'bad.yaml'}:4:11: unknown pace name 'tempo'" in result.output
    assert (out / "easy.mp3").exists() and (out / "reps.mp3").exists() and not (out / "bad.mp3").exists()
    row = next(line for line in result.stdout.splitlines() if "bad.yaml" in line)
    assert row.split()[-1] == "failed"
    assert "2 built, 0 up to date, 1 failed" in result.stdout


@pytest.mark.parametrize("roster, shown", [
    ("runners:\n  - {mile: '6:40'}\n", "roster.yaml:2:5: each runner of a roster needs a name — add e.g. name: Sam"),
    ("runners:\n  - {name: Sam, mile: '6:40'}\n  - {name: sam, mile: '5:00'}\n",
     "roster.yaml:3:12: two runners would both be written as 'sam.mp3'"),
    ("runners:\n  - {name: Sam, mile: '2:40'}\n", "roster.yaml:2:23: a 2:40 mile is faster than the world record"),
    ("runners:\n  - {name: Sam, mlie: '6:40'}\n", "roster.yaml:2:17: unknown key 'mlie' — did you mean 'mile'?"),
    ("runners: []\n", "roster.yaml:1:10: "),
    ("people: []\n", "roster.yaml:1:1: unknown key 'people'"),
])
def test_roster_problems_are_located_in_the_roster(group, roster, shown):
    (group / "roster.yaml").write_text(roster)
    result = build(str(group / "reps.yaml"), "--roster", str(group / "roster.yaml"), "-o", str(group / "out"))
    assert result.exit_code == 1 and f"Error: {group / shown}" in result.output, result.output
    assert not (group / "out").exists()


def test_a_roster_and_a_single_runner_do_not_mix(group):
    result = build(str(group / "reps.yaml"), "--roster", str(group / "roster.yaml"), "--mile", "6:40")
    assert result.exit_code == 2 and "--roster gives each runner's paces" in result.output


def test_a_roster_given_as_a_workout_says_how_to_give_it(group):
    for command in (["build", "-o", str(group / "out")], ["plan"]):
        result = CliRunner().invoke(cli, [*command, str(group / "roster.yaml")])
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"Error: {group / 'roster.yaml'}:1:1: this is a roster, not a workout — "
                                        "give it with --roster"), result.output
    assert not (group / "out").exists()


def test_check_checks_a_roster_named_among_the_workouts_or_alone_in_a_folder(group):
    result = CliRunner().invoke(cli, ["check", str(group / "roster.yaml"), str(group / "reps.yaml"), "--mile", "6:40"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{group / 'roster.yaml'}: ok — a roster of 3 runners",
                                          f"{group / 'reps.yaml'}: ok — Short reps, 6 steps over 3:02"]
    (group / "reps.yaml").unlink()
    result = CliRunner().invoke(cli, ["check", str(group)])
    assert (result.exit_code, result.output) == (0, f"{group / 'roster.yaml'}: ok — a roster of 3 runners\n")
    (group / "roster.yaml").write_text("runners:\n  - {name: Sam, mlie: '6:40'}\n")
    result = CliRunner().invoke(cli, ["check", str(group)])
    assert result.exit_code == 1 and "roster.yaml:2:17: unknown key 'mlie'" in result.output
