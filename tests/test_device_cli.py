"""`audiocoach export` and `audiocoach import`: files written, and each bad input one located
`Error:` line with exit 1 and no traceback."""

from pathlib import Path

from click.testing import CliRunner

from audiocoach.cli import cli
from tests.device_files import write_activity_fit
from tests.test_new_and_list import run

WORKOUTS = Path(__file__).parent.parent / "workouts"
MILE_400S = str(WORKOUTS / "mile-400s.yaml")




def assert_error(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert expected in result.output, result.output


def test_export_then_import_then_check(tmp_path):
    result = run("export", MILE_400S, "--format", "fit", "-o", "sharpener.fit", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sharpener.fit  26 steps  ")
    result = run("import", "sharpener.fit", "-o", "back.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert run("check", "back.yaml", cwd=tmp_path).exit_code == 0
    # no overwrite without --force
    assert run("import", "sharpener.fit", "-o", "back.yaml", cwd=tmp_path).exit_code == 2


def test_export_a_folder_and_a_roster(tmp_path):
    result = run("export", str(WORKOUTS), "--format", "icu", "-o", "icu", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "icu").glob("*.txt"))) == len(list(WORKOUTS.glob("*.yaml")))
    result = run("export", MILE_400S, "--format", "zwo", "--roster", str(WORKOUTS / "rosters" / "track-club.yaml"),
                 "-o", "club", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "club" / "mile-400s").iterdir())[:2] == ["Ana.zwo", "Lee.zwo"]
    assert "Warning: club/mile-400s/Ana.zwo: 1 cue after the last step" in result.output


def test_zwo_refuses_a_circuit(tmp_path):
    result = run("export", str(WORKOUTS / "core-circuit.yaml"), "--format", "zwo", cwd=tmp_path)
    assert_error(result, "core-circuit.yaml: 'Runner's core circuit' has exercise stations")


def test_a_fit_activity_is_not_a_workout(tmp_path):
    write_activity_fit(tmp_path / "run.fit")
    assert_error(run("import", "run.fit", "-o", "w.yaml", cwd=tmp_path),
                 "Error: run.fit: this FIT file is an activity file, not a workout — import a planned workout")
    assert not (tmp_path / "w.yaml").exists()


def test_a_corrupt_fit_fails_its_crc(tmp_path):
    run("export", MILE_400S, "--format", "fit", "-o", "w.fit", cwd=tmp_path)
    data = bytearray((tmp_path / "w.fit").read_bytes())
    data[60] ^= 0x20
    (tmp_path / "w.fit").write_bytes(bytes(data))
    assert_error(run("import", "w.fit", cwd=tmp_path),
                 "Error: w.fit: can't read the FIT file: its CRC does not match its contents")


def test_an_unknown_zwo_element_is_located(tmp_path):
    (tmp_path / "w.zwo").write_text('<workout_file>\n  <workout>\n    <FreeRide Duration="60"/>\n'
                                    '    <Sprint Duration="30"/>\n  </workout>\n</workout_file>\n')
    assert_error(run("import", "w.zwo", cwd=tmp_path), "Error: w.zwo:4:5: unknown element <Sprint> in <workout>")
    (tmp_path / "w.zwo").write_text('<workout_file><workout>\n<FreeRide Duration="60"><Note/></FreeRide>'
                                    '</workout></workout_file>')
    assert_error(run("import", "w.zwo", cwd=tmp_path), "Error: w.zwo:2:25: unknown element <Note> in <FreeRide>")
    (tmp_path / "w.zwo").write_text('<workout_file><workout>\n<FreeRide Duration="60">\n</workout>')
    assert_error(run("import", "w.zwo", cwd=tmp_path), "Error: w.zwo:3:3: not well-formed XML: mismatched tag")


def test_a_paced_zwo_needs_the_runner(tmp_path):
    (tmp_path / "w.zwo").write_text('<workout_file><workout>\n<SteadyState Duration="60" Power="0.9"/>'
                                    '</workout></workout_file>')
    assert_error(run("import", "w.zwo", cwd=tmp_path), "Error: w.zwo:2:1: this .zwo gives paces as fractions")
    result = run("import", "w.zwo", "--mile", "6:40", cwd=tmp_path)
    assert result.exit_code == 0 and 'pace: "T + 11.1%"' in result.output, result.output


def test_malformed_icu_lines_are_located(tmp_path):
    (tmp_path / "w.txt").write_text("Warmup\n- 10m 6:00/km Pace\n\nMain set 3x\n- fast 4:00/km Pace\n")
    assert_error(run("import", "w.txt", cwd=tmp_path), "Error: w.txt:5:1: a step without a length")
    (tmp_path / "w.txt").write_text("- 10m 6:00/km Pace quickly\n")
    assert_error(run("import", "w.txt", cwd=tmp_path),
                 "Error: w.txt:1:20: 'quickly' after the step's length is not a target")


def test_icu_targets_a_workout_cannot_carry_are_warned_and_commented(tmp_path):
    (tmp_path / "w.txt").write_text("Warmup\n- 10m Z2 HR\n\nMain set 5x\n- 3m 4:10-4:00/km Pace\n- 2m 60%\n")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "w.txt")])
    assert result.exit_code == 0, result.output
    assert "w.txt: line 2: the target 'Z2 HR' (a workout targets pace and cadence)" in result.stderr
    assert "#   - line 6: the target '60%'" in result.stdout
    assert "- warmup: 10min" in result.stdout and "  - repeat: 5" in result.stdout
    assert 'pace: "4:05/km"' in result.stdout  # a range is held at its middle
