"""The workout library is a coach's library: every session complete, explained, and heard in full.

Each file says who it is for and why it works, warms up and cools down, lasts a realistic time,
checks without warnings, and plans with no cue dropped. Together they cover the ways runners
improve the mile, and the README's table lists each with its real track length.
"""

import re
from pathlib import Path

import pytest

from audiocoach.coaching.advice import plan_without_audio, warnings
from audiocoach.language import load_workout
from audiocoach.pipeline import plan_file
from audiocoach.units import clock

ROOT = Path(__file__).parent.parent
LIBRARY = sorted((ROOT / "workouts").glob("*.yaml"))


def header(path: Path) -> str:
    """The comment block at the top of a file, after the schema comment."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return "\n".join(line for line in lines[: next(i for i, text in enumerate(lines) if not text.startswith("#"))])


def test_the_library_has_at_least_ten_sessions():
    assert len(LIBRARY) >= 10


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_session_says_who_it_is_for_and_why_it_works(path: Path):
    text = header(path)
    assert re.search(r"^# (Who|Für wen|Para quién|Pour qui)", text, re.M), path.name
    assert re.search(r"^# (Why|Warum|Por qué|Pourquoi)", text, re.M), path.name


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_session_warms_up_cools_down_and_lasts_a_realistic_time(path: Path):
    workout = load_workout(path)
    plan = plan_without_audio(workout)
    assert plan.steps[0].kind in ("warmup", "walk"), f"{path.name} starts with {plan.steps[0].kind}"
    assert plan.steps[-1].kind in ("cooldown", "exercise"), f"{path.name} ends with {plan.steps[-1].kind}"
    assert 15 * 60_000 <= plan.steps[-1].end_ms <= 60 * 60_000


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_session_checks_clean_and_drops_no_cue(path: Path):
    workout = load_workout(path)
    assert [str(w) for w in warnings(workout, plan_without_audio(workout))] == []
    _, plan = plan_file(path)
    assert plan.dropped == ()


def test_the_library_covers_the_ways_to_a_faster_mile():
    kinds = {load_workout(p).kind for p in LIBRARY}
    assert {"core", "strength", "hills", "stairs", "intervals", "fartlek", "recovery", "run"} <= kinds
    texts = {p.stem: p.read_text(encoding="utf-8") for p in LIBRARY}
    reps = {(s.repeat, inner.length.metres) for p in LIBRARY for s in load_workout(p).steps if s.kind == "repeat"
            for inner in s.steps if inner.kind == "run" and hasattr(inner.length, "metres")}
    assert {(8, 400.0), (12, 200.0)} <= reps  # 8 × 400 m and 12 × 200 m (their params' defaults)
    assert any("run: 1mi" in t and "splits: 400m" in t for t in texts.values())  # a time trial with lap calls
    assert any("exercise: Calf stretch" in t for t in texts.values())  # a stretching routine


def test_the_readme_lists_every_session_with_its_track_length():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([\w-]+)` \| .* \| (\d+:\d\d) \|$", readme, re.M))
    expected = {p.stem: clock(plan_file(p)[1].duration_ms) for p in LIBRARY}
    assert rows == expected
