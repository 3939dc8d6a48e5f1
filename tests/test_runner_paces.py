"""Paces named after the runner: `mile`, `5k`, `T`, `mile - 3s/400m`, `T + 5%` — parsed, resolved
for a runner profile (workout `runner:` or --mile/--race/--cadence, the command line winning),
spoken as targets, and refused with a located error when they cannot be resolved."""

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from audiocoach.cli import cli
from audiocoach.coaching.timeline import expand
from audiocoach.errors import WorkoutError
from audiocoach.language import parse_workout
from audiocoach.language.model import Runner
from audiocoach.language.quantities import Pace, QuantityError, RelativePace, parse_distance, parse_pace
from audiocoach.running.vdot import vdot, zone_seconds_per_km

MILE = 1609.344


@pytest.mark.parametrize("text, base, delta, factor", [
    ("mile", "mile", 0, 1),
    ("5K", "5k", 0, 1),
    ("half marathon", "half", 0, 1),
    ("T", "T", 0, 1),
    ("i", "I", 0, 1),
    ("mile - 3s/400m", "mile", -7.5, 1),
    ("5k + 10s/mi", "5k", 10 / MILE * 1000, 1),
    ("T + 5%", "T", 0, 1.05),
    ("marathon-2%", "marathon", 0, 0.98),
    ("10k + 0:05/km", "10k", 5, 1),
])
def test_named_paces_parse(text, base, delta, factor):
    pace = parse_pace(text)
    assert isinstance(pace, RelativePace) and pace.base == base
    assert pace.delta_s_per_km == pytest.approx(delta) and pace.factor == pytest.approx(factor)
    assert str(pace) == text


@pytest.mark.parametrize("text, message, hint", [
    ("tempo", "unknown pace name 'tempo'", "training zone (E, M, T, I, R)"),
    ("threshold + 5s/km", "unknown pace name 'threshold'", "race (mile, 5k"),
    ("easy", "unknown pace name 'easy'", "effort: easy"),
    ("mile - fast", "'fast' is not an adjustment", "mile - 3s/400m"),
    ("T + 60%", "changes the pace by 60%", "less than 50%"),
])
def test_bad_named_paces_say_what_to_write(text, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_pace(text)
    assert message in caught.value.message and hint in caught.value.hint


def test_absolute_paces_are_unchanged():
    assert parse_pace("6:40/mi") == Pace(400 / MILE * 1000)


WORKOUT = """\
title: Pacer
units: {units}
steps:
  - warmup: 5min
  - repeat: 2
    steps:
      - run: 400m
        pace: {pace}
      - jog: 90s
  - run: 10min
    pace: T
  - cooldown: 5min
"""


def steps_for(runner: Runner | None, pace: str = "mile - 3s/400m", units: str = "metric"):
    return expand(parse_workout(WORKOUT.format(pace=pace, units=units), "pacer.yaml", runner))


def test_a_distance_step_becomes_the_runners_time_and_says_the_target():
    rep = steps_for(Runner(mile="6:40"))[1]
    # 6:40 a mile is 248.548 s/km; 3 s per 400 m faster is 7.5 s/km less; over 400 m: 96.419 s
    assert rep.duration_ms == 96_419
    assert rep.target == "1:36 for 400 m"
    assert rep.length_spoken == "400 metres" and rep.target_spoken == "aim for 1 minute 36"


def test_mile_pace_of_a_mile_runner_is_their_mile():
    steps = steps_for(Runner(mile="6:40"), pace="mile")
    assert steps[1].duration_ms == 99_419  # 400 m of a 6:40 mile (of 1609.344 m)
    assert steps[1].target_spoken == "aim for 1 minute 39"


def test_a_zone_on_a_time_step_is_spoken_in_the_workouts_units():
    runner = Runner(race={"distance": "5k", "time": "22:30"})
    t_per_km = zone_seconds_per_km(vdot(5000, 1350))["T"]
    metric, imperial = steps_for(runner)[5], steps_for(runner, units="imperial")[5]
    assert metric.duration_ms == imperial.duration_ms == 600_000
    minutes, seconds = divmod(round(t_per_km), 60)
    assert metric.target_spoken == f"at {minutes} {seconds:02d} per kilometre"
    minutes, seconds = divmod(round(t_per_km * MILE / 1000), 60)
    assert imperial.target_spoken == f"at {minutes} {seconds:02d} per mile"
    assert imperial.target == f"T ({minutes}:{seconds:02d}/mi)"


def test_two_runners_differ_exactly_at_the_distance_steps(tmp_path):
    """`plan --json` for a 6:40 and a 5:50 miler: durations and targets differ at the 400s only."""
    path = tmp_path / "pacer.yaml"
    path.write_text(WORKOUT.format(pace="mile - 3s/400m", units="metric").replace("pace: T", "effort: steady"))
    plans = []
    for mile in ("6:40", "5:50"):
        result = CliRunner().invoke(cli, ["plan", str(path), "--json", "--mile", mile])
        assert result.exit_code == 0, result.output
        plans.append(json.loads(result.output))
    slow, fast = plans
    assert slow["duration_s"] > fast["duration_s"]
    for a, b in zip(slow["steps"], fast["steps"], strict=True):
        length = (round(a["end_s"] - a["start_s"], 3), round(b["end_s"] - b["start_s"], 3))
        if a["kind"] == "run" and a["name"].startswith("Rep"):
            assert length[0] > length[1] and a["target"] != b["target"]
        else:
            assert length[0] == length[1] and a["target"] == b["target"], (a, b)


def test_the_command_line_runner_wins_over_the_workouts():
    text = WORKOUT.format(pace="mile", units="metric").replace("units:", 'runner: {mile: "8:00", cadence: 160}\nunits:')
    own = expand(parse_workout(text, "pacer.yaml"))
    given = expand(parse_workout(text, "pacer.yaml", Runner(mile="6:40")))
    assert own[1].duration_ms == 119_303
    assert given[1].duration_ms == 99_419
    assert parse_workout(text, "pacer.yaml", Runner(mile="6:40")).runner.cadence == 160  # kept


LOCATED = [
    # (workout text, line, column, message part, hint part)
    ("title: t\nsteps:\n  - run: 400m\n    pace: mile\n", 4, 11,
     "pace 'mile' is a race pace of the runner, and no mile or race time is given", "--mile 6:40"),
    ("title: t\nsteps:\n  - run: 10min\n    pace: T + 5%\n", 4, 11, "is a training zone of the runner", "runner:"),
    ("title: t\nrunner: {mile: '6:40'}\nsteps:\n  - run: 400m\n    pace: tempo\n", 5, 11,
     "unknown pace name 'tempo'", "E, M, T, I, R"),
    ("title: t\nrunner:\n  mile: '1:30'\nsteps:\n  - run: 10min\n", 3, 9,
     "faster than the world record", "6:40"),
    ("title: t\nrunner:\n  race: {distance: 5k, time: '8:00'}\nsteps:\n  - run: 10min\n", 3, 24,
     "faster than the world record", None),
    ("title: t\nrunner:\n  mile: '6:40'\n  race: {distance: 5k, time: '22:30'}\nsteps:\n  - run: 10min\n", 4, 3,
     "a mile time or a race, not both", "one performance"),
    ("title: t\nrunner: {mile: '6:00'}\nsteps:\n  - run: 400m\n    pace: mile - 40s/400m\n", 5, 11,
     "faster than anyone runs", "2:20/km"),
    ("title: t\nrunner: {mile: '6:00'}\nsteps:\n  - run: 10min\n    splits: 400m\n", 5, 13,
     "splits need a pace", "pace: mile"),
    ("title: t\nrunner: {mile: '6:00'}\nsteps:\n  - run: 400m\n    pace: mile\n    splits: 400m\n", 6, 13,
     "do not fit in 400m", "splits: 100m"),
]


@pytest.mark.parametrize("text, line, column, message, hint", LOCATED)
def test_runner_problems_are_located(text, line, column, message, hint):
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text, "w.yaml")
    err = caught.value
    assert (err.file, err.line, err.column) == ("w.yaml", line, column), str(err)
    assert message in err.message, str(err)
    if hint:
        assert hint in err.hint, str(err)


@pytest.mark.parametrize("args, shown", [
    (["--mile", "1:30"], "Error: --mile 1:30: a 1:30 mile is faster than the world record"),
    (["--race", "5k"], "Error: --race 5k:"),
    (["--race", "5k=8:00"], "Error: --race 5k=8:00:"),
    (["--cadence", "400"], "Error: --cadence 400:"),
])
def test_bad_runner_options_are_one_clear_line(tmp_path, args, shown):
    path = tmp_path / "w.yaml"
    path.write_text(WORKOUT.format(pace="mile", units="metric"))
    for command in ("plan", "check", "build"):
        out = ["-o", str(tmp_path)] if command == "build" else []
        result = CliRunner().invoke(cli, [command, str(path), *args, *out])
        assert result.exit_code == 1 and result.output.startswith(shown), result.output
        assert "Traceback" not in result.output


def test_a_relative_pace_without_a_runner_fails_check_with_the_fix(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(WORKOUT.format(pace="mile", units="metric"))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:8:15: pace 'mile' is a race pace of the runner" in result.output
    assert CliRunner().invoke(cli, ["check", str(path), "--race", "10k=46:00"]).exit_code == 0


def test_the_paces_command_prints_the_runners_table():
    result = CliRunner().invoke(cli, ["paces", "--mile", "6:40"])
    assert result.exit_code == 0 and result.output.startswith("VDOT 43.0, from mile 6:40\n")
    assert "Threshold" in result.output and "per 400m" in result.output
    assert CliRunner().invoke(cli, ["paces", "--race", "10k=46:00"]).output.startswith("VDOT 44.")
    bad = CliRunner().invoke(cli, ["paces", "--mile", "1:30"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: --mile 1:30: a 1:30 mile is faster than")
    assert CliRunner().invoke(cli, ["paces"]).exit_code == 2


SPLITS = """\
title: Pacer
units: {units}
runner: {{mile: "6:00"}}
steps:
  - warmup: 2min
  - run: {length}
    pace: mile
    splits: {splits}
  - cooldown: 2min
"""


@pytest.mark.parametrize("units, length, splits, marks", [
    ("metric", "400m", "100m", ["100.", "200.", "300."]),
    ("metric", "5km", "1km", ["1 kilometre.", "2 kilometres.", "3 kilometres.", "4 kilometres."]),
    ("imperial", "2mi", "400m", ["400.", "800.", "1200.", "1600.", "2000.", "2400.", "2800."]),
    ("imperial", "3mi", "1mi", ["1 mile.", "2 miles."]),
])
def test_split_calls_fall_where_a_runner_on_pace_passes_each_mark(units, length, splits, marks):
    from audiocoach.coaching.plan import make_plan

    workout = parse_workout(SPLITS.format(units=units, length=length, splits=splits), "p.yaml")
    plan = make_plan(workout, lambda text: 400 + 40 * len(text))
    rep = plan.steps[1]
    calls = [c for c in plan.cues if c.kind == "split"]
    assert [c.text for c in calls] == marks
    every = parse_distance(splits).metres
    for n, call in enumerate(calls, 1):
        assert call.at_ms == rep.start_ms + round(360_000 / 1609.344 * every * n)  # 6:00 a mile
    assert not [c for c in plan.cues if c.kind == "halfway" and c.at_ms > rep.start_ms and c.at_ms < rep.end_ms]
    assert not plan.dropped


def test_a_split_call_can_say_the_time_on_pace_and_no_other_placeholder():
    from audiocoach.coaching.plan import make_plan

    text = SPLITS.format(units="imperial", length="1mi", splits="400m")
    workout = parse_workout(text + 'phrases: {split: "{mark}. {time}."}\n', "p.yaml")
    plan = make_plan(workout, lambda text: 400 + 40 * len(text))
    assert [c.text for c in plan.cues if c.kind == "split"] == ["400. 1 minute 29.", "800. 2 59.", "1200. 4 28."]
    with pytest.raises(WorkoutError, match="phrase 'split' uses {pace}") as caught:
        make_plan(parse_workout(text + 'phrases: {split: "{mark} at {pace}."}\n', "p.yaml"), len)
    assert caught.value.hint == "this phrase knows: {mark}, {time}"


BASES = ["mile", "1500m", "3k", "5k", "10k", "15k", "half", "marathon", "E", "M", "T", "I", "R"]


@given(st.sampled_from(BASES), st.sampled_from(["", " - 3s/400m", " + 10s/mi", " + 5%", " - 2%"]),
       st.integers(4 * 60 + 10, 11 * 60), st.integers(1, 60))
def test_a_faster_runner_gets_a_faster_time_for_every_named_pace(base, adjustment, mile_s, slower_by):
    from audiocoach.language.paces import absolute_pace

    pace = parse_pace(base + adjustment)
    fast = absolute_pace(pace, Runner(mile=mile_s))
    slow = absolute_pace(pace, Runner(mile=mile_s + slower_by))
    assert fast.seconds_per_km < slow.seconds_per_km
    assert str(pace) == base + adjustment


@given(st.sampled_from(BASES), st.integers(4 * 60 + 10, 11 * 60))
def test_zones_and_races_keep_their_order(base, mile_s):
    """Whatever the runner: R < I < T < M < E in pace, and a longer race is a slower pace."""
    from audiocoach.language.paces import absolute_pace

    runner = Runner(mile=mile_s)
    per_km = {b: absolute_pace(parse_pace(b), runner).seconds_per_km for b in BASES}
    assert per_km["R"] < per_km["I"] < per_km["T"] < per_km["M"] < per_km["E"]
    races = [per_km[b] for b in ["1500m", "mile", "3k", "5k", "10k", "15k", "half", "marathon"]]
    assert races == sorted(races)
