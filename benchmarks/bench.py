"""Benchmark builds against the floor (LAME alone) and a pydub reference; print PASS/FAIL.

    python -m benchmarks.bench [--quick]

Writes 10-minute, 44-minute, 60-minute and 3-hour workouts to a temporary folder, warms a fresh
speech cache by building each once (those cold times are shown too), then times every build in a
fresh process of its own (`python -m audiocoach build`, the whole command, start-up included)
and reads that process's peak memory from wait4(), so peaks never mix. The pydub reference takes
several minutes on the 44-minute workout; `--quick` runs it on the 10-minute workout instead and
compares that with our 10-minute build — not the target's workout (pydub's cost grows faster than
the track's length), so that line gets no PASS/FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.workouts import write_workout

ROOT = Path(__file__).resolve().parent.parent
LENGTHS = {"10-min": 10, "44-min": 44, "60-min": 60, "3-hour": 180}
TARGETS = {"floor": 1.25, "pydub": 20.0, "memory": 1.3, "cold": 1.15}


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, peak resident memory in MB, what it printed, and its CPU seconds."""

    seconds: float
    peak_mb: float
    stdout: str
    cpu_s: float = 0.0  # user + system: what other jobs on a shared machine cannot stretch


def run(args: list[str], env: dict[str, str]) -> Run:
    """Run `python args…` in its own process; its peak RSS comes from wait4 on that pid alone."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{stdout}{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout, usage.ru_utime + usage.ru_stime)  # ru_maxrss: KiB on Linux


def build(workout: Path, out_dir: Path, env: dict[str, str]) -> Run:
    return run(["-m", "audiocoach", "build", str(workout), "-o", str(out_dir), "--force"], env)


def verdict(ratio: float, target: float, at_most: bool) -> str:
    ok = ratio <= target if at_most else ratio >= target
    return f"{'PASS' if ok else 'FAIL'} (target {'≤' if at_most else '≥'} {target:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description="audiocoach build benchmark")
    parser.add_argument("--quick", action="store_true", help="pydub reference on the 10-min workout, not the 44-min")
    quick = parser.parse_args().quick
    compiled()
    with tempfile.TemporaryDirectory(prefix="audiocoach-bench-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "AUDIOCOACH_CACHE": str(tmp / "cache"), "PYTHONPATH": str(ROOT)}
        files = {name: write_workout(tmp, name, minutes) for name, minutes in LENGTHS.items()}
        print(f"audiocoach benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print("warm-up (cold speech cache, each build fills it):")
        for name, path in files.items():
            print(f"  {name:7} {build(path, tmp / 'warm', env).seconds:6.2f} s")
        print("measured (warm speech cache; one fresh process per build):")
        builds = {name: build(path, tmp / "out", env) for name, path in files.items()}
        for name, result in builds.items():
            print(f"  build {name:7} {result.seconds:7.2f} s  peak {result.peak_mb:6.1f} MB")
        report(files, builds, tmp, env, quick)


def compiled() -> None:
    """Compile the package's bytecode first, as installing it does: where PYTHONDONTWRITEBYTECODE is
    set (it is in some shells), a checkout's every build would otherwise compile its ~60 modules
    again (0.07 s CPU), a cost no installed copy pays."""
    import compileall

    compileall.compile_dir(ROOT / "audiocoach", quiet=1)


def neural_voice(workout: Path, tmp: Path, env: dict[str, str]) -> tuple[dict, Run, Run]:
    """The 60-min workout with the neural voice: its phrases alone, then a cold and a warm build,
    each from an empty speech cache of its own."""
    env = {key: value for key, value in env.items() if key != "AUDIOCOACH_ENGINE"}  # English: Piper
    phrases = json.loads(run(["-m", "benchmarks.phrases", str(workout)],
                             {**env, "AUDIOCOACH_CACHE": str(tmp / "cache-phrases")}).stdout)
    assert phrases["engine"] == "piper", phrases
    voice_env = {**env, "AUDIOCOACH_CACHE": str(tmp / "cache-voice")}
    cold = build(workout, tmp / "voice", voice_env)
    warm = build(workout, tmp / "voice", voice_env)
    print(f"neural voice (Piper), 60-min workout, {phrases['phrases']} distinct phrases:")
    print(f"  phrases alone (pool) {phrases['seconds']:7.2f} s")
    print(f"  cold build           {cold.seconds:7.2f} s  peak {cold.peak_mb:6.1f} MB")
    print(f"  warm build           {warm.seconds:7.2f} s  peak {warm.peak_mb:6.1f} MB")
    return phrases, cold, warm


def report(files: dict[str, Path], builds: dict[str, Run], tmp: Path, env: dict[str, str], quick: bool) -> None:
    phrases, cold, warm = neural_voice(files["60-min"], tmp, env)
    floor = json.loads(run(["-m", "benchmarks.floor", str(files["60-min"])], env).stdout)
    print(f"  floor: LAME alone on the 60-min track's PCM ({floor['audio_s'] / 60:.1f} min)"
          f"  {floor['encode_s']:.2f} s")
    same = "10-min" if quick else "44-min"
    reference = run(["-m", "benchmarks.pydub_reference", str(files[same]), str(tmp / "pydub.mp3")], env)
    figures = json.loads(reference.stdout)
    print(f"  pydub reference, {same} workout  {reference.seconds:7.2f} s  peak {reference.peak_mb:6.1f} MB"
          f"  (mix {figures['mix_s']:.1f} s, encode {figures['encode_s']:.1f} s)")
    pydub_ratio = reference.seconds / builds[same].seconds
    print("targets:")
    for name, ratio, shown in [
        ("60-min build / floor", builds["60-min"].seconds / floor["encode_s"], verdict_of("floor")),
        ("neural cold / (phrases + floor)", cold.seconds / (phrases["seconds"] + floor["encode_s"]),
         verdict_of("cold")),
        ("neural warm / floor", warm.seconds / floor["encode_s"], verdict_of("floor")),
        (f"pydub reference / {same} build", pydub_ratio, verdict_of("pydub") if not quick else None),
        ("3-hour peak / 10-min peak", builds["3-hour"].peak_mb / builds["10-min"].peak_mb, verdict_of("memory")),
    ]:
        result = shown(ratio) if shown else "no verdict: --quick (the target is for the 44-min workout)"
        print(f"  {name:32} {ratio:6.2f}  {result}")
    interleaved(files["60-min"], tmp, env)
    print("the same in CPU seconds (user + system; no verdict: on a shared machine, wall time is stretched by the"
          " other jobs, CPU time much less):")
    for name, measured in [("60-min build / floor", builds["60-min"]), ("neural warm / floor", warm)]:
        print(f"  {name:32} {measured.cpu_s / floor['encode_cpu_s']:6.2f}  (build {measured.cpu_s:.2f} s,"
              f" floor {floor['encode_cpu_s']:.2f} s)")


def verdict_of(target: str):
    """The PASS/FAIL function for a named target (at most for floor and memory, at least for pydub)."""
    return lambda ratio: verdict(ratio, TARGETS[target], at_most=target != "pydub")


PAIRS = 5


def interleaved(workout: Path, tmp: Path, env: dict[str, str]) -> None:
    """The warm-build target again, as the median of PAIRS back-to-back (warm build, floor) pairs: at a
    margin of a few per cent, one build against one floor measured a minute apart swings by ±0.1 with
    what else the machine does; each pair shares the machine's state, and the median drops outliers."""
    voice_env = {key: value for key, value in env.items() if key != "AUDIOCOACH_ENGINE"}
    voice_env["AUDIOCOACH_CACHE"] = str(tmp / "cache-voice")  # warm: neural_voice filled it
    ratios = []
    for _ in range(PAIRS):
        warm = build(workout, tmp / "voice", voice_env)
        floor = json.loads(run(["-m", "benchmarks.floor", str(workout)], env).stdout)
        ratios.append(warm.seconds / floor["encode_s"])
    middle = sorted(ratios)[len(ratios) // 2]
    shown = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"  {'neural warm / floor, median of ' + str(PAIRS):32} {middle:6.2f}  {verdict_of('floor')(middle)}"
          f"  (pairs: {shown})")


if __name__ == "__main__":
    main()
