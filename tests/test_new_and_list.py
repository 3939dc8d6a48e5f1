"""`audiocoach new` writes a starting file that checks and builds; `audiocoach list` shows a folder."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.cli.library import LIBRARY, templates
from audiocoach.language import load_workout
from audiocoach.language.yaml_source import read_yaml
from audiocoach.pipeline import build_file

ROOT = Path(__file__).parent.parent


def run(*args: str, cwd: Path):
    """The command run in folder `cwd`, as from a fresh clone's root."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def test_new_writes_a_skeleton_that_checks_and_builds(tmp_path: Path):
    result = run("new", "Easy intervals", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    path = tmp_path / "workouts" / "Easy intervals.yaml"
    assert result.output == ("workouts/Easy intervals.yaml: written — edit it, then: "
                             "audiocoach plan workouts/Easy intervals.yaml\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / text.splitlines()[0].split("$schema=", 1)[1]).resolve()
    assert schema == (ROOT / "docs" / "workout.schema.json").resolve()
    workout = load_workout(path)
    assert workout.title == "Easy intervals"
    assert text.count("#") > 10  # commented to teach the language
    built = build_file(path, tmp_path / "out")
    assert built.output.exists() and built.duration_ms > 30 * 60_000


def test_new_from_a_library_template(tmp_path: Path):
    result = run("new", "tt", "--from", "mile-time-trial", "--dir", "mine", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "mine" / "tt.yaml").read_text(encoding="utf-8")
    original = (LIBRARY / "mile-time-trial.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == original.splitlines()[1:]  # only the schema comment changes
    assert (tmp_path / "mine" / text.splitlines()[0].split("$schema=", 1)[1]).resolve().is_file()
    assert load_workout(tmp_path / "mine" / "tt.yaml").title == "Mile time trial"


def test_new_from_a_file_and_with_a_yaml_suffix(tmp_path: Path):
    (tmp_path / "mine.yaml").write_text("title: Mine\nsteps: [run: 20min]\n", encoding="utf-8")
    result = run("new", "copy.yaml", "--from", "mine.yaml", "--dir", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    copied = read_yaml((tmp_path / "copy.yaml").read_text(encoding="utf-8")).data
    assert copied == {"title": "Mine", "steps": [{"run": "20min"}]}


def test_new_never_overwrites_without_force(tmp_path: Path):
    assert run("new", "a", cwd=tmp_path).exit_code == 0
    path = tmp_path / "workouts" / "a.yaml"
    path.write_text("mine", encoding="utf-8")
    result = run("new", "a", cwd=tmp_path)
    assert result.exit_code == 1
    assert "Error: workouts/a.yaml already exists — choose another name, or add --force to replace it" in result.output
    assert path.read_text(encoding="utf-8") == "mine"
    assert run("new", "a", "--force", cwd=tmp_path).exit_code == 0
    assert path.read_text(encoding="utf-8") != "mine"


@pytest.mark.parametrize("name,written", [
    ("../../escape", "escape.yaml"), ("a/b", "a-b.yaml"), (".hidden", "hidden.yaml"), ("", "workout.yaml"),
    ("con", "con_.yaml"), ("x" * 300, "x" * 200 + ".yaml"),
])
def test_new_makes_the_name_safe(tmp_path: Path, name: str, written: str):
    result = run("new", name, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "workouts").iterdir()] == [written]


def test_new_with_an_unknown_template_lists_the_library(tmp_path: Path):
    result = run("new", "x", "--from", "nope", cwd=tmp_path)
    assert result.exit_code == 1
    assert "Error: no template 'nope' — use a workout file or one of: " in result.output
    assert "mile-400s" in result.output
    assert not (tmp_path / "workouts").exists()


def test_templates_are_the_library():
    assert templates() == sorted(p.stem for p in (ROOT / "workouts").glob("*.yaml"))


def test_list_shows_a_table_of_the_library():
    result = CliRunner().invoke(cli, ["list", str(ROOT / "workouts")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["FILE", "TITLE", "KIND", "TIME", "STEPS"]
    assert len(lines) == 1 + len(templates())
    assert any(line.startswith("mile-400s.yaml") and line.split()[-3:] == ["intervals", "46:51", "26"]
               for line in lines)


def test_list_reports_a_bad_file_and_goes_on(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("title: A\nsteps: [run: 20min]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("title: B\nsteps: [sprint: 20s]\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("title: C\nkind: core\nsteps: [{exercise: Plank, time: 40s}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["list", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'b.yaml'}:2:9: unknown step kind 'sprint'" in result.output
    rows = [line.split() for line in result.output.splitlines() if not line.startswith("Error")]
    assert rows == [["FILE", "TITLE", "KIND", "TIME", "STEPS"], ["a.yaml", "A", "run", "20:00", "1"],
                    ["c.yaml", "C", "core", "0:40", "1"]]


def test_list_of_a_missing_folder_is_an_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["list", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
