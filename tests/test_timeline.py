"""Expanding a workout into timed steps: repeats, templates, paces, cadences."""

import pytest

from audiocoach.coaching.timeline import expand
from audiocoach.errors import WorkoutError
from audiocoach.language import parse_workout

INTERVALS = """
title: Test 400s
runner: {cadence: 170}
steps:
  - warmup: 10min
    cadence: 160
  - repeat: 3
    steps:
      - run: 400m
        pace: 1:36/400m
        cadence: +6%
        say: Rep {rep} of {reps}.
      - jog: 90s
  - cooldown: 5min
"""


def test_repeats_unroll_into_consecutive_steps_on_one_clock():
    steps = expand(parse_workout(INTERVALS))
    assert [s.kind for s in steps] == ["warmup", "run", "jog", "run", "jog", "run", "jog", "cooldown"]
    assert [s.start_ms for s in steps] == [0, 600_000, 696_000, 786_000, 882_000, 972_000, 1_068_000, 1_158_000]
    assert all(a.end_ms == b.start_ms for a, b in zip(steps, steps[1:]))
    assert steps[-1].end_ms == 1_158_000 + 300_000


def test_a_distance_with_a_pace_becomes_a_time_and_a_target():
    rep = expand(parse_workout(INTERVALS))[1]
    assert rep.duration_ms == 96_000
    assert rep.target == "1:36 for 400 m"
    assert rep.length_spoken == "400 metres"
    assert rep.target_spoken == "aim for 1 minute 36"


def test_templates_and_relative_cadence_resolve_per_rep():
    steps = expand(parse_workout(INTERVALS))
    assert [s.say for s in steps if s.kind == "run"] == ["Rep 1 of 3.", "Rep 2 of 3.", "Rep 3 of 3."]
    assert [s.name for s in steps if s.kind == "run"] == ["Rep 1 of 3", "Rep 2 of 3", "Rep 3 of 3"]
    assert steps[1].cadence_spm == pytest.approx(180.2)
    assert steps[0].cadence_spm == 160 and steps[2].cadence_spm is None


def test_the_runners_cadence_can_be_given_from_outside():
    steps = expand(parse_workout(INTERVALS), runner_cadence=150)
    assert steps[1].cadence_spm == pytest.approx(159.0)


def test_only_the_final_work_step_of_each_block_is_the_last_rep():
    steps = expand(parse_workout(INTERVALS))
    assert [s.index for s in steps if s.last_rep] == [5]


NESTED = """
title: Circuit
steps:
  - repeat: 2
    rest_between: 60s
    steps:
      - repeat: 2
        steps:
          - exercise: Side plank
            time: 30s
            sides: true
            say: Round {round} of {rounds}, set {rep} of {reps}.
  - cooldown: 2min
"""


def test_nested_repeats_give_round_and_rep_and_rest_between_rounds_only():
    steps = expand(parse_workout(NESTED))
    assert [(s.kind, s.duration_ms) for s in steps] == [
        ("exercise", 30_000), ("exercise", 30_000), ("rest", 60_000),
        ("exercise", 30_000), ("exercise", 30_000), ("cooldown", 120_000),
    ]
    assert [s.say for s in steps if s.kind == "exercise"] == [
        "Round 1 of 2, set 1 of 2.", "Round 1 of 2, set 2 of 2.",
        "Round 2 of 2, set 1 of 2.", "Round 2 of 2, set 2 of 2.",
    ]
    assert steps[0].sides and steps[0].name == "Side plank"
    assert [s.index for s in steps if s.last_rep] == [4]


def test_relative_cadence_with_no_runner_cadence_is_located(monkeypatch):
    workout = parse_workout(INTERVALS, "x.yaml")
    steps = expand(workout)  # the document's own runner cadence works
    assert steps[1].cadence_spm
    # a workout whose runner has no cadence cannot resolve +6%
    bare = INTERVALS.replace("runner: {cadence: 170}\n", "")
    with pytest.raises(WorkoutError) as caught:
        expand(parse_workout(bare, "x.yaml"))
    assert caught.value.line is not None and caught.value.file == "x.yaml"
    assert "cadence" in str(caught.value)
