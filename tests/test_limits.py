"""Limits and safety: whatever is typed, the answer is fast, located, and nothing escapes.

Alias bombs, python tags and files over 1 MB are refused in test_loader.py (located, worded);
here they are shown to be refused before the expensive stage runs (no stopwatch: speed figures
belong to the benchmarks), and the python tag is shown not to run anything.
"""

from pathlib import Path

import pytest

from audiocoach.build import build_file
from audiocoach.errors import WorkoutError
from audiocoach.language import load_workout, parse_workout
from audiocoach.language.checks import MAX_REPEAT_DEPTH, MAX_ROUNDS, MAX_STEPS
from audiocoach.names import MAX_NAME_BYTES, safe_name


def refused(text: str) -> WorkoutError:
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text, "w.yaml")
    assert caught.value.file == "w.yaml" and caught.value.line is not None and caught.value.column is not None
    return caught.value


def nested(depth: int) -> str:
    """`depth` repeats of 2, each inside the one before, around one 1-second run."""
    lines = ["title: Deep", "steps:"]
    for level in range(depth):
        pad = "  " * (2 * level + 1)
        lines += [f"{pad}- repeat: 2", f"{pad}  steps:"]
    lines.append("  " * (2 * depth + 1) + "- run: 1s")
    return "\n".join(lines) + "\n"


def test_twelve_hours_is_allowed_and_a_second_more_is_not():
    ok = "title: Ultra\nsteps:\n  - warmup: 2h\n  - repeat: 10\n    steps:\n      - run: 1h\n"
    assert parse_workout(ok)
    err = refused(ok.replace("warmup: 2h", "warmup: 7201s"))
    assert "12-hour limit" in str(err) and "split it" in str(err)
    assert (err.line, err.column) == (4, 13)  # the repeat that crosses the limit


def test_rest_between_counts_towards_the_twelve_hours():
    text = "title: T\nsteps:\n  - repeat: 12\n    rest_between: 10min\n    steps:\n      - run: 55min\n"
    assert "12-hour limit" in str(refused(text))  # 12 × 55 min + 11 × 10 min = 12 h 50 min


def test_a_thousand_repetitions_in_all():
    ok = "title: T\nsteps:\n  - repeat: 1000\n    steps:\n      - run: 1s\n"
    assert parse_workout(ok)
    err = refused(ok.replace("repeat: 1000", "repeat: 1001"))  # the model's cap on one repeat
    assert "1000" in str(err)
    # Nested repeats multiply: 40 outer rounds + 40 × 30 inner ones.
    err = refused("title: T\nsteps:\n  - repeat: 40\n    steps:\n      - repeat: 30\n        steps:\n"
                  "          - run: 1s\n")
    assert "1,240 repetitions in all" in str(err) and f"{MAX_ROUNDS:,}" in str(err)


def test_steps_once_unrolled_are_capped():
    round_of_three = "      - run: 1s\n      - jog: 1s\n      - walk: 1s\n"
    err = refused("title: T\nsteps:\n  - repeat: 700\n    steps:\n" + round_of_three)
    assert "2,100 steps once repeats are unrolled" in str(err) and f"{MAX_STEPS:,}" in str(err)


def test_nesting_deeper_than_eight_repeats():
    assert parse_workout(nested(MAX_REPEAT_DEPTH))
    err = refused(nested(MAX_REPEAT_DEPTH + 1))
    assert "nested more than 8 deep" in str(err)
    assert err.line == 2 + 2 * MAX_REPEAT_DEPTH + 1  # the ninth repeat


def test_alias_bomb_and_huge_file_are_refused_before_they_are_expanded_or_parsed(tmp_path: Path, monkeypatch):
    from audiocoach.language import loader, yaml_source

    built = []
    monkeypatch.setattr(yaml_source._Builder, "build", lambda self, node, path: built.append(path))
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    assert "values" in str(refused("\n".join(levels) + "\n"))
    assert not built  # refused while composing: nothing was expanded
    monkeypatch.setattr(loader, "read_yaml", lambda *args: pytest.fail("a file over 1 MB was parsed"))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: T\nsteps: [{run: 5min}]\n#" + b"x" * 5_000_000 + b"\n")
    reads = []
    real = loader.read_regular
    monkeypatch.setattr(loader, "read_regular", lambda path, limit: reads.append(limit) or real(path, limit))
    with pytest.raises(WorkoutError, match="larger than 1 MB"):
        load_workout(big)
    assert reads == [loader.MAX_BYTES + 1]  # only as much as it takes to know


@pytest.mark.parametrize("step, words", [
    ("run: 10min\n    cadence: 241", "outside 100–240 steps per minute"),
    ("run: 10min\n    cadence: 99", "outside 100–240 steps per minute"),
    ("run: 400m\n    pace: 30s/400m", "faster than anyone runs"),
    ("run: 1km\n    pace: 25min/km", "slower than a walk"),
])
def test_cadences_and_paces_outside_human_ranges(step: str, words: str):
    assert words in str(refused(f"title: T\nsteps:\n  - {step}\n"))


# ---------------------------------------------------------------- safety


def test_yaml_never_constructs_python_objects(tmp_path: Path):
    marker = tmp_path / "ran"
    text = f'title: !!python/object/apply:os.system ["touch {marker}"]\nsteps: [{{run: 5min}}]\n'
    with pytest.raises(WorkoutError, match="unknown tag"):
        parse_workout(text)
    whole = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(WorkoutError, match="unknown tag"):
        parse_workout(whole)
    assert not marker.exists()


@pytest.mark.parametrize("hostile", [
    "../x", "../../etc/cron.d/x", "/etc/passwd", "..", ".", "", "   ", "a/../../b", "a\\..\\b", "nul\x00byte",
    "x" * 1000, "é" * 1000, "\u202etxt.exe", "C:\\Windows\\x", "CON", ".hidden", "line\nbreak", "..\u2215x",
])
def test_safe_name_stays_in_the_folder(tmp_path: Path, hostile: str):
    name = safe_name(hostile)
    assert name and name not in (".", "..") and not name.startswith(".")
    assert not any(c in name for c in "/\\\x00\n")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert (tmp_path / f"{name}.mp3").resolve().parent == tmp_path.resolve()


def test_safe_name_keeps_ordinary_names():
    for name in ["mile-400s", "Hill repeats", "Côte — 8 × 400 m", "Läufe_2024", "長い走り"]:
        assert safe_name(name) == name


def test_build_writes_inside_the_output_folder_whatever_the_file_is_called(tmp_path: Path):
    source = tmp_path / "..hidden..yaml"  # stem "..hidden."
    source.write_text("title: T\nsteps:\n  - run: 3s\n")
    out = tmp_path / "out"
    result = build_file(source, out)
    assert result.output.parent == out and result.output.name == "hidden.mp3" and result.output.exists()


def test_a_very_long_file_name_still_builds(tmp_path: Path):
    source = tmp_path / ("é" * 120 + ".yaml")  # 245 bytes: as long as a file name gets
    source.write_text("title: T\nsteps:\n  - run: 3s\n")
    result = build_file(source, tmp_path / "out")
    assert result.output.exists() and len(result.output.name.encode()) <= MAX_NAME_BYTES + len(".mp3")
    assert not result.up_to_date and build_file(source, tmp_path / "out").up_to_date
