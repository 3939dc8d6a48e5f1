"""An interrupted build leaves what was there before: the old file's bytes, no temporary file."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

LONG = """\
title: Long enough to interrupt
steps:
  - warmup: 90min
    cadence: 160
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_keeps_the_previous_file(tmp_path: Path, sig: int):
    source = tmp_path / "long.yaml"
    source.write_text(LONG)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "long.mp3"
    previous.write_bytes(b"the previous build")
    build = subprocess.Popen(
        [sys.executable, "-m", "audiocoach", "build", str(source), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a test run started in the background inherits SIGINT ignored; a person at a terminal does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".*.tmp")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(out.glob(".*.tmp")), "no temporary file appeared: the build was not caught mid-write"
    assert build.poll() is None, "the build ended before it could be interrupted"
    build.send_signal(sig)
    _, stderr = build.communicate(timeout=30)
    assert build.returncode != 0
    assert "Traceback" not in stderr
    assert previous.read_bytes() == b"the previous build"
    assert sorted(p.name for p in out.iterdir()) == ["long.mp3"]


ROSTER = "runners:\n  - {name: Sam}\n  - {name: Priya}\n  - {name: Lee}\n"


@pytest.mark.parametrize("sig, group", [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["Ctrl-C to the process group", "SIGTERM to the command"])
def test_an_interrupted_parallel_build_leaves_no_temporary_file(tmp_path: Path, sig: int, group: bool):
    """With --jobs 2 the workers unwind too: every build under way removes its temporary file,
    the previous tracks stay, and no queued build starts."""
    import os

    source = tmp_path / "long.yaml"
    source.write_text(LONG)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    folder = tmp_path / "out" / "long"
    folder.mkdir(parents=True)
    (folder / "Sam.mp3").write_bytes(b"Sam's previous build")
    build = subprocess.Popen(
        [sys.executable, "-m", "audiocoach", "build", str(source), "--roster", str(tmp_path / "roster.yaml"),
         "-o", str(tmp_path / "out"), "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while len(list(folder.glob(".*.mp3.*.tmp"))) < 2 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(list(folder.glob(".*.mp3.*.tmp"))) == 2, "two builds were not caught mid-write"
    if group:
        os.killpg(build.pid, sig)  # what a terminal does on Ctrl-C
    else:
        build.send_signal(sig)
    _, stderr = build.communicate(timeout=30)
    assert build.returncode != 0 and "Traceback" not in stderr, stderr
    settled = time.monotonic() + 15  # the workers' own exit: 0.5 s on a quiet machine, seconds on a busy one
    while len(list(folder.iterdir())) > 1 and time.monotonic() < settled:
        time.sleep(0.05)
    assert sorted(p.name for p in folder.iterdir()) == ["Sam.mp3"]
    assert (folder / "Sam.mp3").read_bytes() == b"Sam's previous build"
