"""Whatever a person types, the work stays bounded and the answer is a located error or warning.

Behaviour only (no stopwatch): each hostile document is refused with the right error at the
right place, by a limit counted before the expensive stage would run. How fast `check` answers
at the 1 MB limit is measured by `python -m benchmarks.hostile` (make bench-hostile).
"""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.coaching.advice import plan_without_audio, warnings
from audiocoach.errors import WorkoutError, WorkoutErrors
from audiocoach.language import load_workout, parse_workout, yaml_source
from audiocoach.language.checks import MAX_CUES, MAX_CUES_PER_STEP, MAX_SPOKEN_CHARS

STEPS = "steps:\n  - run: 1min\n"


def refused(text: str) -> WorkoutError:
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text, "w.yaml")
    assert caught.value.line is not None and caught.value.column is not None
    return caught.value


def merge_bomb(levels: int) -> str:
    lines = ["m0: &m0 {a: 1, b: 2}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\ntitle: T\n" + STEPS


def test_a_merge_key_bomb_is_refused_while_composing(monkeypatch):
    expanded = []
    real = yaml_source._Builder.build

    def build(self, node, path):
        expanded.append(path)
        return real(self, node, path)

    monkeypatch.setattr(yaml_source._Builder, "build", build)
    err = refused(merge_bomb(20))
    assert "more than 50,000 values" in err.message and "aliases expand it" in err.hint
    assert err.line == 13  # m0…m12 stand for 65,000 values: m12 crosses 50,000; m13…m20 are never read
    assert not expanded  # refused before the builder expanded a single merge


def test_merge_keys_still_merge():
    workout = parse_workout("title: T\nsteps:\n  - &r {run: 1min, say: Go.}\n  - {<<: *r, say: Again.}\n")
    assert [s.say for s in workout.steps] == ["Go.", "Again."]


def test_a_huge_flow_list_is_refused_at_the_value_that_crosses_the_limit():
    text = "title: T\nsteps: [" + ", ".join(["{run: 1min}"] * 75_000) + "]\n"  # 975 KB
    assert len(text) < 1_000_000
    err = refused(text)
    assert "more than 50,000 values" in err.message and err.line == 2
    assert err.column < len(text) // 2  # where the count crossed, long before the end of the list


def test_prompts_are_at_most_one_every_ten_seconds():
    err = refused("title: T\nprompts: {every: 1ms}\n" + STEPS)
    assert (err.line, err.column) == (2, 18) and "at most one every 10s" in err.message
    assert parse_workout("title: T\nprompts: {every: 10s}\n" + STEPS)


def test_a_step_holds_a_bounded_number_of_cues():
    cues = "".join(f"      - {{at: {i}s, say: Cue {i}}}\n" for i in range(5_000))
    err = refused("title: T\nsteps:\n  - run: 2h\n    cues:\n" + cues)
    assert f"5,000 cues, more than the {MAX_CUES_PER_STEP}" in err.message
    assert err.line == 5 + MAX_CUES_PER_STEP  # the first cue past the limit


def test_cues_once_unrolled_are_bounded():
    cues = ", ".join(["Go"] * 5)
    err = refused(f"title: T\nsteps:\n  - repeat: 1000\n    steps:\n      - run: 30s\n        cues: [{cues}]\n")
    assert f"5,000 cues once repeats are unrolled, more than the limit of {MAX_CUES:,}" in err.message


def test_spoken_text_is_bounded_so_plan_never_synthesizes_a_speech():
    err = refused("title: T\nsteps:\n  - run: 1min\n    say: " + " ".join(["word"] * 2_000) + "\n")
    assert "2,000 words" in err.message and (err.line, err.column) == (4, 10)
    for where in ("title: " + "x" * 301 + "\n" + STEPS, "title: T\nprompts: {mantras: [" + "y" * 301 + "]}\n" + STEPS):
        assert f"more than the {MAX_SPOKEN_CHARS}" in refused(where).message
    assert parse_workout("title: T\nsteps:\n  - run: 1min\n    say: " + "z" * MAX_SPOKEN_CHARS + "\n")


def test_every_error_of_a_file_is_reported_in_one_run():
    err = refused("title: T\ntitel: U\nsteps:\n  - run: 1min\n    sya: a\n  - rnu: 1min\n")
    assert isinstance(err, WorkoutErrors)
    assert [(e.line, e.column) for e in err.errors] == [(2, 1), (5, 5), (6, 5)]
    assert str(err).count("\nError: ") == 2  # one line each, as the CLI prints them
    # checks across keys too: one per step
    err = refused("title: T\nsteps:\n  - run: 1min\n    say: '{rep}'\n  - run: 1min\n    cues: [{at: 2min, say: x}]\n")
    assert [e.line for e in err.errors] == [4, 6]


def test_many_errors_are_capped():
    steps = "".join(f"  - rnu{i}: 1min\n" for i in range(50))
    err = refused("title: T\nsteps:\n" + steps)
    assert len(err.errors) == 20


# ---------------------------------------------------------------- odd text


@pytest.mark.parametrize("escape, code", [("\\0", "0000"), ("\\x1b", "001B"), ("\\x85", "0085"), ("\\u2028", "2028")])
def test_control_characters_from_yaml_escapes_are_refused(escape, code):
    err = refused(f'title: "Tempo{escape}run"\n' + STEPS)
    assert (err.line, err.column) == (1, 8) and f"U+{code}" in err.message


def test_line_breaks_and_tabs_in_text_are_still_text():
    workout = parse_workout('title: "Tempo\\trun"\nsteps:\n  - run: 1min\n    say: |\n      Two\n      lines.\n')
    assert workout.steps[0].say == "Two\nlines."


def test_control_characters_in_command_line_text_are_refused(tmp_path: Path):
    source = tmp_path / "w.yaml"
    source.write_text("title: T\n" + STEPS)
    for option in (["--artist", "a\x1bb"], ["--runner", "Sam\x00"]):
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), *option])
        assert result.exit_code == 1 and "control character" in result.output, result.output
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- what a command works on


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path):
    fifo = tmp_path / "w.yaml"
    os.mkfifo(fifo)
    for args in (["check", str(fifo)], ["build", str(fifo), "-o", str(tmp_path / "out")], ["plan", str(fifo)]):
        result = run(*args)
        assert result.exit_code == 1 and "not a regular file" in result.output, (args, result.output)
    with pytest.raises(WorkoutError, match="not a regular file"):
        load_workout(fifo)


@pytest.mark.parametrize("make", [lambda p: p.mkdir(), lambda p: (p / "x.yaml").mkdir(parents=True)],
                         ids=["an empty folder", "a folder named x.yaml"])
def test_nothing_to_do_is_an_error_with_a_hint(tmp_path: Path, make):
    folder = tmp_path / "d"
    make(folder)
    target = folder / "x.yaml" if (folder / "x.yaml").exists() else folder
    for command in ("check", "list", "build"):
        result = run(command, str(target))
        assert result.exit_code == 1 and "holds no workout (.yaml) file" in result.output, result.output
        assert "give workout .yaml files" in result.output


def test_a_roster_in_a_folder_is_checked_and_not_taken_for_a_workout(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("w.yaml").write_text("title: T\n" + STEPS)
    Path("roster.yaml").write_text("runners:\n  - {name: Sam, mile: '6:40'}\n  - {name: Lee}\n")
    result = run("check", ".")
    assert result.exit_code == 0, result.output
    assert "roster.yaml: ok — a roster of 2 runners" in result.output and "w.yaml: ok" in result.output
    listed = run("list", ".")
    assert listed.exit_code == 0 and "w.yaml" in listed.output and "roster" not in listed.output
    Path("roster.yaml").write_text("runners:\n  - {name: Sam, mlie: '6:40'}\n")
    result = run("check", ".")
    assert result.exit_code == 1 and "roster.yaml:2:17: unknown key 'mlie'" in result.output


def test_check_roster_checks_each_workout_for_each_runner(tmp_path: Path):
    (tmp_path / "w.yaml").write_text("title: T\nsteps:\n  - run: 1mi\n    pace: mile\n")
    roster = tmp_path / "r.yaml"
    roster.write_text("runners:\n  - {name: Sam, mile: '6:40'}\n  - {name: Lee, mile: '7:30'}\n")
    result = run("check", "--roster", str(roster), str(tmp_path / "w.yaml"))
    assert result.exit_code == 0 and "ok (for each of 2 runners)" in result.output, result.output
    roster.write_text("runners:\n  - {name: Sam, mile: '6:40'}\n  - {name: Lee}\n")  # Lee has no mile
    result = run("check", "--roster", str(roster), str(tmp_path / "w.yaml"))
    assert result.exit_code == 1 and "pace" in result.output


# ---------------------------------------------------------------- warnings


def warned(text: str) -> list[str]:
    workout = parse_workout(text, "w.yaml")
    return [str(w) for w in warnings(workout, plan_without_audio(workout))]


def test_a_bare_number_under_ten_names_both_readings():
    found = warned("title: T\nsteps:\n  - warmup: 5min\n  - jog: 2\n  - run: 30\n  - exercise: Plank\n    time: 0.5\n")
    assert "w.yaml:4:10: 'jog: 2' is read as 2 seconds — 2 → 2s? 2min? write the unit" in found
    assert any(w.startswith("w.yaml:7:11: 'time: 0.5' is read as 0.5 seconds") for w in found)
    assert not any("'run: 30'" in w for w in found)


def test_a_step_shorter_than_its_start_words_is_warned_and_not_spoken_after_it():
    text = "title: T\nsteps:\n  - stride: 0.5s\n  - run: 1min\n"  # its start words would follow the intro
    workout = parse_workout(text, "w.yaml")
    plan = plan_without_audio(workout)
    stride = plan.steps[0]
    assert not [c for c in plan.cues if c.step_index == stride.index and c.kind == "start"]
    assert any(d.step_index == stride.index and "over before" in d.reason for d in plan.dropped)
    assert any(w.startswith("w.yaml:3:5: Stride lasts 0.5 s, less than the coach's words for it")
               for w in map(str, warnings(workout, plan)))


def test_a_folder_name_with_control_characters_makes_a_one_line_album(tmp_path: Path):
    from audiocoach.build import tags_for

    folder = tmp_path / "club\x1b\nteam"
    folder.mkdir()
    (folder / "w.yaml").write_text("title: T\n" + STEPS)
    workout = load_workout(folder / "w.yaml")
    assert tags_for(workout, folder / "w.yaml").album == "club team"
