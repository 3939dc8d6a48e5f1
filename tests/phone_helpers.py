"""A small batch of short workouts built once through the CLI, for the tag, chapter and sidecar tests."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from click.testing import CliRunner

from audiocoach.cli import cli

REPS = """\
title: Short reps — 3 × 200 m
description: Three quick 200s with jog recoveries.
kind: intervals
runner:
  name: Sam
  cadence: 166
steps:
  - warmup: 1min
    effort: easy
    cadence: 160
  - repeat: 3
    steps:
      - run: 200m
        pace: 0:45/200m
        cadence: +6%
      - jog: 30s
  - cooldown: 1min
    effort: easy
"""

HILLS = """\
title: Two hills
kind: hills
steps:
  - warmup: 90s
  - repeat: 2
    steps:
      - hill: 40s
        effort: hard
        cadence: 176
      - walk: 60s
  - cooldown: 1min
"""

WORKOUTS = {"a-reps": REPS, "b-hills": HILLS}


@functools.lru_cache(maxsize=1)
def batch() -> Path:
    """`audiocoach build SRC -o OUT --artist 'Coach K'` over a folder of two workouts; OUT (kept for the session)."""
    root = Path(tempfile.mkdtemp(prefix="audiocoach-phone-"))
    source = root / "Track club"
    source.mkdir()
    for stem, text in WORKOUTS.items():
        (source / f"{stem}.yaml").write_text(text, encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "--artist", "Coach K"])
    assert result.exit_code == 0, result.output
    return out


def plan_json(stem: str) -> dict:
    """What `audiocoach plan --json` prints for one of the batch's workouts."""
    import json

    path = batch().parent / "Track club" / f"{stem}.yaml"
    result = CliRunner().invoke(cli, ["plan", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)
