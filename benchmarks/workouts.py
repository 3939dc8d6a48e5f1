"""Realistic interval workouts of a given length, written as YAML for the benchmark.

A warm-up and a cool-down with cadence beats, and a main set of 3-minute efforts with 2-minute
jogs (both with beats, a spoken intro per rep and a mid-rep cue), plus mantras every 45 s: the
shape of a club session, scaled to the length asked for.
"""

from __future__ import annotations

from pathlib import Path

ROUND_S = 300  # one rep: 180 s effort + 120 s jog


def interval_yaml(minutes: float, title: str) -> str:
    """A workout whose steps add up to `minutes` (the track adds a few seconds of intro and outro)."""
    total_s = round(minutes * 60)
    warm_s = min(600, total_s // 5)
    cool_s = min(480, total_s // 8)
    reps = max(1, (total_s - warm_s - cool_s) // ROUND_S)
    warm_s = total_s - cool_s - reps * ROUND_S  # the warm-up absorbs what is left over
    return f"""\
title: {title}
description: Benchmark workout, {minutes:g} minutes of intervals.
runner:
  cadence: 166
prompts:
  mantras: [Quick light steps., Relax your shoulders., Strong and smooth., Breathe low and slow.]
  every: 45s
  last_rep: Last one. Empty the tank.
steps:
  - warmup: {warm_s}s
    effort: easy
    cadence: 160
    say: Easy jog. Keep it conversational.
    cues: [Tall posture., Loose hands.]
  - repeat: {reps}
    name: Main set
    steps:
      - run: 180s
        effort: hard
        cadence: +6%
        say: Rep {{rep}} of {{reps}}. Quick turnover.
        cues:
          - at: 90s
            say: Halfway through rep {{rep}}. Hold the form.
      - jog: 120s
        cadence: 160
        say: Recover. Breathe out long.
  - cooldown: {cool_s}s
    effort: easy
    cadence: 158
    say: Easy now. Let the heart rate come down.
"""


def write_workout(folder: Path, name: str, minutes: float) -> Path:
    """Write `<folder>/<name>.yaml` for a `minutes`-long workout and return its path."""
    path = Path(folder) / f"{name}.yaml"
    path.write_text(interval_yaml(minutes, f"Benchmark {name}"), encoding="utf-8")
    return path
