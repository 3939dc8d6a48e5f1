"""Rebuild times: an unchanged workout (up to date), a changed one with a warm and a cold speech cache.

    python -m benchmarks.incremental

Each figure is the whole `python -m audiocoach build` command in a fresh process. The change
rewords one sentence of the 60-minute workout's reps, so its phrases ("Rep 3 of 10. …") are new
to the speech cache while all the others are already there.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.bench import ROOT, run
from benchmarks.workouts import write_workout

TRIES = 5


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="audiocoach-incremental-") as tmp:
        tmp = Path(tmp)
        warm = {**os.environ, "AUDIOCOACH_CACHE": str(tmp / "cache"), "PYTHONPATH": str(ROOT)}
        source = write_workout(tmp, "hour", 60)
        command = ["-m", "audiocoach", "build", str(source), "-o", str(tmp / "out")]
        print(f"first build, cold cache   {run(command, warm).seconds:6.2f} s")
        times = [run(command, warm).seconds for _ in range(TRIES)]
        print(f"unchanged (up to date)    {min(times):6.3f} s best, {statistics.median(times):.3f} s median of {TRIES}")
        source.write_text(source.read_text().replace("Quick turnover.", "Quick feet, tall hips."))
        print(f"changed, warm cache       {run(command, warm).seconds:6.2f} s")
        source.write_text(source.read_text().replace("Quick feet, tall hips.", "Light feet, proud chest."))
        cold = {**warm, "AUDIOCOACH_CACHE": str(tmp / "empty-cache")}
        print(f"changed, cold cache       {run(command, cold).seconds:6.2f} s")


if __name__ == "__main__":
    main()
