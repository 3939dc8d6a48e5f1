"""Golden cue sheets: what each example workout says, and when, checked in as text.

A change that moves or rewords a cue shows up here as a diff a person can read. After a
deliberate change, refresh them with:  AUDIOCOACH_UPDATE_GOLDEN=1 make test
"""

import os
from pathlib import Path

import pytest

from audiocoach.coaching.cue_sheet import cue_sheet
from audiocoach.pipeline import plan_file

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted((ROOT / "workouts").glob("*.yaml"))


@pytest.mark.parametrize("workout", EXAMPLES, ids=lambda p: p.stem)
def test_cue_sheet_matches_golden(workout: Path):
    _, plan = plan_file(workout)
    sheet = cue_sheet(plan)
    golden = GOLDEN / f"{workout.stem}.txt"
    if os.environ.get("AUDIOCOACH_UPDATE_GOLDEN"):
        golden.write_text(sheet)
    assert golden.exists(), f"no golden sheet for {workout.name}: run with AUDIOCOACH_UPDATE_GOLDEN=1"
    assert sheet == golden.read_text()


def test_every_example_has_a_golden_sheet_and_no_orphans():
    assert {p.stem for p in GOLDEN.glob("*.txt")} == {p.stem for p in EXAMPLES}
