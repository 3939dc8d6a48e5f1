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
