"""Faults during a build: each is one clear `Error:` line, exit status 1, and loses nothing.

The previous MP3 (and its build record) must be byte-for-byte what it was, no partial or
temporary file may remain, and the intact previous build is still recognised as up to date.
Interrupts (SIGINT, SIGTERM) are covered by test_interrupt.py.
"""

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.audio.engines import espeak as speech_module
from audiocoach.cli import cli

V1 = "title: Faults\nsteps:\n  - warmup: 3s\n    cadence: 160\n    say: Easy.\n"
V2 = "title: Faults\nsteps:\n  - warmup: 2min\n    cadence: 162\n    say: Easy now, the unspeakable part.\n"
NAMES = [".faults.mp3.build", "faults.json", "faults.lrc", "faults.mp3"]  # the MP3, its sidecars, its record


def build(source: Path, out: Path):
    return CliRunner().invoke(cli, ["build", str(source), "-o", str(out)], catch_exceptions=False)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """The workout (now changed to V2), its output folder, and the V1 build's files there."""
    source = tmp_path / "faults.yaml"
    source.write_text(V1)
    out = tmp_path / "out"
    assert build(source, out).exit_code == 0
    source.write_text(V2)
    return source, out, {name: (out / name).read_bytes() for name in NAMES}


def assert_nothing_lost(result, source: Path, out: Path, files: dict[str, bytes], *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr
    assert sorted(p.name for p in out.iterdir()) == NAMES  # no partial, no temporary file
    assert {name: (out / name).read_bytes() for name in NAMES} == files
    source.write_text(V1)  # the intact previous build still stands for its workout
    assert build(source, out).stdout.rstrip().endswith("up to date")


def test_output_folder_under_a_regular_file(tmp_path: Path):
    source = tmp_path / "faults.yaml"
    source.write_text(V1)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    result = build(source, blocker / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: cannot create output folder {blocker / 'out'}")
    assert blocker.read_text() == "a file, not a folder" and sorted(os.listdir(tmp_path)) == ["blocker", "faults.yaml"]


def test_output_folder_that_refuses_new_files(previous, monkeypatch):
    source, out, files = previous
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == out:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert_nothing_lost(build(source, out), source, out, files, "cannot write", "Permission denied")


class _FillsUp:
    """A binary file that takes `room` bytes, then fails the way a full disk does."""

    def __init__(self, handle, room: int):
        self._handle, self._room = handle, room

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def test_disk_full_while_writing(previous, monkeypatch):
    source, out, files = previous
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if "b" in mode and os.readlink(f"/proc/self/fd/{fd}").startswith(str(out)):
            return _FillsUp(handle, room=50_000)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert_nothing_lost(build(source, out), source, out, files, "cannot write", "No space left on device")


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 256 KB tmpfs (needs root and a kernel that lets us mount); skipped otherwise."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_on_a_real_tiny_disk(tiny_disk: Path):
    source = tiny_disk.parent / "faults.yaml"
    source.write_text(V1)
    out = tiny_disk / "out"
    assert build(source, out).exit_code == 0
    files = {name: (out / name).read_bytes() for name in NAMES}
    source.write_text(V2)  # two minutes: about 1.4 MB, which this disk cannot hold
    assert_nothing_lost(build(source, out), source, out, files, "No space left on device")


def test_rename_into_place_fails(previous, monkeypatch):
    source, out, files = previous
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == out / "faults.mp3":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    assert_nothing_lost(build(source, out), source, out, files, "cannot write", "Input/output error")


def test_speech_engine_fails_on_one_phrase(previous, monkeypatch, tmp_path: Path):
    source, out, files = previous
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "cold-cache"))  # so the phrase is really spoken
    real_speak = speech_module._speak

    def speak(text, voice, wav_path):  # runs in the forked speech process, like the engine itself
        if "unspeakable" in text:
            raise RuntimeError("espeak-ng crashed")
        return real_speak(text, voice, wav_path)

    monkeypatch.setattr(speech_module, "_speak", speak)
    result = build(source, out)
    assert_nothing_lost(result, source, out, files, "speech engine failed on", "unspeakable", "espeak-ng crashed")
