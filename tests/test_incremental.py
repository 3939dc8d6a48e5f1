"""Incremental builds: an unchanged workout is not rebuilt, and anything that changes the MP3 rebuilds it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.uptodate import record as incremental

SHORT = "title: Incremental\nsteps:\n  - warmup: 4s\n    cadence: 160\n    say: Easy.\n"


def build(*args: str):
    return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A workout, its output folder, and its MP3 built once."""
    source = tmp_path / "short.yaml"
    source.write_text(SHORT)
    out = tmp_path / "out"
    result = build(str(source), "-o", str(out))
    assert result.exit_code == 0 and "built in" in result.stdout, result.output
    return source, out, out / "short.mp3"


def test_an_unchanged_workout_is_not_rebuilt(built):
    source, out, mp3 = built
    before = mp3.stat()
    result = build(str(source), "-o", str(out))
    assert result.exit_code == 0
    line = result.stdout.strip()
    assert re.fullmatch(rf"{re.escape(str(mp3))}  0:\d\d  0\.\d MB  up to date", line), line
    after = mp3.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_force_rebuilds(built):
    source, out, mp3 = built
    before = mp3.stat()
    result = build(str(source), "-o", str(out), "--force")
    assert "built in" in result.stdout
    assert mp3.stat().st_ino != before.st_ino  # a new file was renamed into place
    assert "up to date" in build(str(source), "-o", str(out)).stdout


@pytest.mark.parametrize("change", ["workout", "mp3 replaced", "mp3 deleted", "sidecar deleted", "sidecar garbled"])
def test_any_change_rebuilds(built, change: str):
    source, out, mp3 = built
    sidecar = incremental.sidecar_path(mp3)
    if change == "workout":
        source.write_text(SHORT.replace("Easy.", "Easy does it."))
    elif change == "mp3 replaced":
        mp3.write_bytes(b"something else")
    elif change == "mp3 deleted":
        mp3.unlink()
    elif change == "sidecar deleted":
        sidecar.unlink()
    else:
        sidecar.write_text("{not json")
    result = build(str(source), "-o", str(out))
    assert result.exit_code == 0 and "built in" in result.stdout, result.output
    assert mp3.read_bytes()[:3] == b"ID3"
    assert "up to date" in build(str(source), "-o", str(out)).stdout


def test_the_key_covers_settings_program_and_engines(monkeypatch):
    key = incremental.build_key(b"title: T", {"name": "a.mp3"})
    assert key == incremental.build_key(b"title: T", {"name": "a.mp3"})
    assert key != incremental.build_key(b"title: T ", {"name": "a.mp3"})
    assert key != incremental.build_key(b"title: T", {"name": "b.mp3"})
    monkeypatch.setattr(incremental, "program_digest", lambda: "another program")
    assert key != incremental.build_key(b"title: T", {"name": "a.mp3"})
    monkeypatch.undo()
    monkeypatch.setattr(incremental, "engine_versions", lambda: {"lameenc": "0"})
    assert key != incremental.build_key(b"title: T", {"name": "a.mp3"})


def test_the_same_workout_in_another_folder_is_its_own_build(built, tmp_path: Path):
    source, out, _ = built
    elsewhere = tmp_path / "club"
    elsewhere.mkdir()
    copy = elsewhere / source.name
    copy.write_bytes(source.read_bytes())
    # The album tag is the workout's folder, so the MP3 differs: it is rebuilt.
    assert "built in" in build(str(copy), "-o", str(out)).stdout


def test_up_to_date_command_loads_no_audio_stack_and_touches_nothing(built):
    """Behaviour, not a stopwatch (its speed is measured by `python -m benchmarks.incremental`):
    the whole command, in a fresh process, imports none of the heavy stages and rewrites no file."""
    source, out, mp3 = built
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    probe = (
        "import sys; from audiocoach.cli import main\n"
        "sys.argv = ['audiocoach', 'build', sys.argv[1], '-o', sys.argv[2]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'pydantic', 'lameenc', 'pyttsx3', 'mutagen', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(source), str(out)], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[0].rstrip().endswith("up to date")
    assert done.stdout.splitlines()[-1] == "[]"
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()} == before


def test_an_unreadable_workout_is_reported_not_skipped(tmp_path: Path):
    result = build(str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_the_sidecar_is_hidden_and_not_left_as_a_temporary(built):
    _, out, mp3 = built
    assert sorted(p.name for p in out.iterdir()) == [".short.mp3.build", "short.json", "short.lrc", "short.mp3"]
    assert os.stat(incremental.sidecar_path(mp3)).st_size < 1000


def test_the_up_to_date_module_needs_only_the_standard_library():
    """audiocoach.uptodate (files, key, record) loads no module from outside the standard library and audiocoach."""
    probe = ("import sys; before = set(sys.modules); import audiocoach.uptodate\n"
             "loaded = {m.split('.')[0] for m in set(sys.modules) - before}\n"
             "print(sorted(loaded - set(sys.stdlib_module_names) - {'audiocoach'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
