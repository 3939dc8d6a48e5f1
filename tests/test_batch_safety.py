"""Batches that cannot collide, and builds that put a whole set of files in place or none.

- two inputs that would write one file are refused before anything is built;
- two processes building the same output never mix their files (a lock per output);
- a build removes its own outputs' temporary files left by a killed run, and nothing else;
- an MP3 and its sidecars appear together or not at all (a sidecar path that cannot be written);
- the workers of a `--jobs 2` build die with their parent, even after kill -9.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from audiocoach.cli import cli
from audiocoach.errors import BuildError
from audiocoach.pipeline import build_file

SHORT = "title: {title}\nsteps:\n  - run: 3s\n    say: Go.\n"


def write(path: Path, title: str = "Short") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SHORT.format(title=title))
    return path


def test_two_inputs_that_would_write_one_file_are_refused_before_anything_is_built(tmp_path: Path):
    first, second = write(tmp_path / "d1" / "w.yaml"), write(tmp_path / "d2" / "w.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(first), str(second), "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {second}: this would be written as {out / 'w.mp3'}, as {first} is" in result.output
    assert "-o" in result.output  # the hint: an output folder per input folder
    assert not out.exists()  # refused before anything was built


def test_a_build_removes_temporary_files_a_killed_build_of_its_outputs_left(tmp_path: Path):
    source, out = write(tmp_path / "w.yaml"), tmp_path / "out"
    out.mkdir()
    stale = [".w.mp3.x1y2z3.tmp", "..w.mp3.x1y2z3.tmp.abcd.tmp", ".w.lrc.qwer.tmp", ".w.json.asdf.tmp",
             "..w.mp3.build.zxcv.tmp"]
    # w.mp3.b.mp3 would be another output's, not this one's
    others = [".other.mp3.x1y2z3.tmp", ".w.mp3.b.mp3.x1y2z3.tmp", ".w.mp3.keep", "notes.txt"]
    for name in stale + others:
        (out / name).write_bytes(b"left by a killed build")
    build_file(source, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([".w.mp3.build", "w.json", "w.lrc", "w.mp3", *others])


def test_a_sidecar_that_cannot_be_written_leaves_the_previous_set_intact(tmp_path: Path):
    source, out = write(tmp_path / "w.yaml", "First"), tmp_path / "out"
    build_file(source, out)
    previous = {name: (out / name).read_bytes() for name in ("w.mp3", "w.lrc")}
    (out / "w.json").unlink()
    (out / "w.json").mkdir()  # a folder where the new plan should go
    write(source, "Second")
    with pytest.raises(BuildError, match="w.json"):
        build_file(source, out)
    assert {name: (out / name).read_bytes() for name in previous} == previous  # not the new MP3
    assert (out / "w.json").is_dir()
    assert sorted(p.name for p in out.iterdir()) == [".w.mp3.build", "w.json", "w.lrc", "w.mp3"]  # no temporary


def test_two_processes_building_one_output_never_mix_their_files(tmp_path: Path):
    out = tmp_path / "out"
    sources = [write(tmp_path / name / "w.yaml", title) for name, title in (("a", "Alpha"), ("b", "Bravo"))]
    builds = [subprocess.Popen([sys.executable, "-m", "audiocoach", "build", str(s), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in sources]
    for build in builds:
        _, stderr = build.communicate(timeout=120)
        assert build.returncode == 0, stderr
    title = str(ID3(out / "w.mp3")["TIT2"])
    assert title in ("Alpha", "Bravo")
    assert f"[ti:{title}]" in (out / "w.lrc").read_text()
    assert json.loads((out / "w.json").read_text())["title"] == title
    assert sorted(p.name for p in out.iterdir()) == [".w.mp3.build", "w.json", "w.lrc", "w.mp3"]


LONG = "title: Long\nsteps:\n  - warmup: 90min\n    cadence: 160\n"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through /proc")
def test_the_workers_of_a_parallel_build_die_with_their_parent(tmp_path: Path):
    source = tmp_path / "long.yaml"
    source.write_text(LONG)
    (tmp_path / "roster.yaml").write_text("runners:\n  - {name: Sam}\n  - {name: Priya}\n")
    folder = tmp_path / "out" / "long"
    build = subprocess.Popen(
        [sys.executable, "-m", "audiocoach", "build", str(source), "--roster", str(tmp_path / "roster.yaml"),
         "-o", str(tmp_path / "out"), "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 120  # a guard against a hang, not a speed limit
    while len(list(folder.glob(".*.mp3.*.tmp"))) < 2 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(build.pid)
    assert len(workers) >= 2 and build.poll() is None, "the workers were not caught building"
    build.kill()  # kill -9: the parent cannot tell anyone
    build.wait()
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its parent"
    assert not list(folder.glob(".*.tmp"))  # each removed its temporary files on the way out


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; it waits only for init to reap it
