"""A club's season on this machine (make bench-season): a roster of 30 × the season's workouts.

1. `--jobs 2` here, cold speech cache: wall time, per-track time, and the share of the build
   time spent speaking, mixing and encoding (stage_times counters, summed over the workers).
2. The same jobs on a 2-worker Dask LocalCluster, its own cold cache: the same figures, and
   every track (MP3, .lrc, .json) compared byte for byte with run 1's.
3. Run 1 again: every track answered from its build record (the cost of a resume's check).
4. The season interrupted: `audiocoach build … --jobs 2` gets SIGINT (as Ctrl-C sends it, to
   the process group) once half the tracks are on disk (counted from their build records, not
   after a sleep), then runs again: it must build exactly the rest, leave every finished track
   untouched (same inode and mtime), and end with the same bytes as run 1.

The workouts: the programme's sessions when a programme is given (--programme, once
audiocoach.programme offers programme_jobs), else the example workouts named by --workouts
(default: two sessions of a week, an interval session and a core circuit), each for every runner.
Speech: espeak by default (--engine), as the test suite speaks: the neural voice on a cold cache
costs about a second per phrase on these two cores (README, "Speed").
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("Sam Priya Lee Ana Tom Mei Ravi Jo Kofi Lena Omar Ines Max Yuki Noor Ben Eva Luis Ada Finn "
         "Zoe Ivan Maya Theo Rosa Kai Nia Hugo Lia Dev").split()
DEFAULT_WORKOUTS = ("mile-400s", "core-circuit")


def roster_yaml(runners: int) -> str:
    """`runners` runners, mile times 5:20 to about 8:10 and cadences 158 to 180, all different."""
    lines = ["runners:"]
    for n in range(runners):
        seconds = 320 + n * 170 // max(1, runners - 1)
        lines.append(f"  - {{name: {NAMES[n % len(NAMES)]}{'' if n < len(NAMES) else n}, "
                     f"mile: \"{seconds // 60}:{seconds % 60:02d}\", cadence: {158 + n * 22 // max(1, runners - 1)}}}")
    return "\n".join(lines) + "\n"


def season_folder(work: Path, workouts: list[str], runners: int, programme: Path | None) -> tuple[Path, Path]:
    """A folder of the chosen workouts (or the programme, whose sessions name their workouts) and a roster beside it."""
    folder = work / "season"
    folder.mkdir(parents=True, exist_ok=True)
    for name in workouts:
        (folder / f"{name}.yaml").write_bytes((ROOT / "workouts" / f"{name}.yaml").read_bytes())
    roster = work / "roster.yaml"
    roster.write_text(roster_yaml(runners))
    return (programme.resolve() if programme is not None else folder), roster


def jobs_for(source: Path, roster: Path, out: Path) -> list:
    """The jobs `audiocoach build SOURCE --roster ROSTER -o OUT` runs (SOURCE: a folder of workouts or a programme)."""
    from audiocoach.cli import _jobs
    from audiocoach.runners import load_roster
    from audiocoach.uptodate import workout_files

    if source.is_file():
        from audiocoach.programme import programme_jobs

        return programme_jobs(source, load_roster(roster), out=out)
    return _jobs(workout_files([source]), out, None, load_roster(roster), True)


def report(name: str, batch, wall: float) -> None:
    """Wall time, per-track time and the stages' shares of the summed build time."""
    tracks = len(batch.outcomes)
    minutes = sum(o.result.duration_ms for o in batch.outcomes if o.result) / 60_000
    busy = sum(o.result.seconds for o in batch.outcomes if o.result) + batch.ahead.get("speech", 0.0)
    times = batch.times()
    shares = ", ".join(f"{stage} {times.get(stage, 0.0):.1f} s ({100 * times.get(stage, 0.0) / busy:.0f} %)"
                       for stage in ("speech", "mix", "encode"))
    failed = sum(o.error is not None for o in batch.outcomes)
    other = 1 - sum(times.get(stage, 0.0) for stage in ("speech", "mix", "encode")) / busy
    print(f"{name}: {tracks} tracks ({minutes:,.0f} min of audio, {failed} failed) in {wall:.1f} s wall, "
          f"{wall / tracks:.2f} s per track; {busy:.1f} s of build time: {shares}; "
          f"other (planning, tags, cover, files) {100 * other:.0f} %", flush=True)


def timed_batch(jobs: list, cache: Path, scheduler: str | None = None):
    from audiocoach.batch import run_batch

    os.environ["AUDIOCOACH_CACHE"] = str(cache)
    began = time.perf_counter()
    batch = run_batch(jobs, 2, scheduler=scheduler)
    return batch, time.perf_counter() - began


def same_bytes(a: list, b: list) -> tuple[int, int]:
    """(tracks whose MP3, .lrc and .json are byte-identical, tracks compared)."""
    same = 0
    for x, y in zip(a, b, strict=True):
        files = [(x.result.output.with_suffix(s), y.result.output.with_suffix(s)) for s in (".mp3", ".lrc", ".json")]
        same += all(p.read_bytes() == q.read_bytes() for p, q in files)
    return same, len(a)


def interrupted_season(folder: Path, roster: Path, out: Path, cache: Path, total: int, reference: list,
                       reference_root: Path) -> None:
    """Ctrl-C once half the season is on disk, then resume: only the rest is built, nothing finished is touched."""
    env = {**os.environ, "AUDIOCOACH_CACHE": str(cache)}
    command = [sys.executable, "-m", "audiocoach", "build", str(folder), "--roster", str(roster), "-o", str(out),
               "--jobs", "2"]
    began = time.perf_counter()
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while len(list(out.rglob(".*.mp3.build"))) < total // 2 and run.poll() is None:
        time.sleep(0.05)
    seen = len(list(out.rglob(".*.mp3.build")))
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate()
    finished = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*.mp3")}
    leftovers = list(out.rglob(".*.tmp"))
    print(f"interrupted: SIGINT after {seen} of {total} tracks ({time.perf_counter() - began:.1f} s), exit "
          f"{run.returncode}, traceback: {'Traceback' in stderr}; {len(finished)} tracks on disk, "
          f"{len(leftovers)} temporary files left", flush=True)
    began = time.perf_counter()
    resumed = subprocess.run(command, env=env, capture_output=True, text=True)
    summary = re.search(r"(\d+) built, (\d+) up to date, (\d+) failed", resumed.stdout)
    untouched = sum((p.stat().st_ino, p.stat().st_mtime_ns) == ident for p, ident in finished.items())
    print(f"resumed: exit {resumed.returncode} in {time.perf_counter() - began:.1f} s: "
          f"{summary.group(0) if summary else resumed.stderr[-300:]}; of the {len(finished)} finished tracks "
          f"{untouched} untouched (same inode and mtime)", flush=True)
    mp3s = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.mp3")}
    identical = sum(mp3s.get(o.result.output.relative_to(reference_root)) == o.result.output.read_bytes()
                    for o in reference)
    print(f"the interrupted-and-resumed season against run 1: {identical} of {len(reference)} MP3s byte-identical",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runners", type=int, default=30)
    parser.add_argument("--workouts", default=",".join(DEFAULT_WORKOUTS), help="example workouts, comma-separated")
    parser.add_argument("--engine", default="espeak", help="AUDIOCOACH_ENGINE for every build ('' for the default)")
    parser.add_argument("--programme", type=Path, help="a programme file (e.g. programs/faster-mile-6-weeks.yaml)")
    parser.add_argument("--skip-interrupt", action="store_true")
    args = parser.parse_args()
    if args.engine:
        os.environ["AUDIOCOACH_ENGINE"] = args.engine  # before anything is built; reaches the workers too
    work = Path(tempfile.mkdtemp(prefix="bench-season-"))
    folder, roster = season_folder(work, args.workouts.split(","), args.runners, args.programme)
    here = jobs_for(folder, roster, work / "here")
    print(f"season: {args.runners} runners × {args.programme or args.workouts} = {len(here)} tracks, engine "
          f"{args.engine or 'default'}, {work}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
          flush=True)
    local, wall = timed_batch(here, work / "cache-here")
    report("--jobs 2", local, wall)
    from audiocoach.cluster import local_cluster

    began = time.perf_counter()
    os.environ["AUDIOCOACH_CACHE"] = str(work / "cache-there")  # the workers' own cold cache, shared by both
    with local_cluster(2) as cluster:
        print(f"LocalCluster of 2 worker processes started in {time.perf_counter() - began:.1f} s", flush=True)
        there, wall = timed_batch(jobs_for(folder, roster, work / "there"), work / "cache-there",
                                  cluster.scheduler_address)
    report("LocalCluster (2 workers)", there, wall)
    same, compared = same_bytes(local.outcomes, there.outcomes)
    print(f"byte-identical (MP3, .lrc and .json): {same} of {compared} tracks", flush=True)
    again, wall = timed_batch(here, work / "cache-here")
    print(f"run 1 again: {sum(o.result.up_to_date for o in again.outcomes)} of {len(here)} up to date in "
          f"{wall:.2f} s ({1000 * wall / len(here):.1f} ms per track)", flush=True)
    if not args.skip_interrupt:
        interrupted_season(folder, roster, work / "interrupted", work / "cache-here", len(here), local.outcomes,
                           work / "here")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (the machine is shared); outputs left in {work}; remove it when done")


if __name__ == "__main__":
    main()
