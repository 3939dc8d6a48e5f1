"""A season: one batch of many tracks that resumes where it stopped, and builds the same bytes on a Dask cluster.

- a resumed batch answers its finished tracks from their build records: nothing rebuilt, and (when
  every track is finished, `audiocoach build` stopping at audiocoach.uptodate) no speech engine,
  numpy or build pipeline loaded for them (the roster file itself is checked with the language's
  runner model, so pydantic is);
- an interrupted season (SIGINT once some tracks are on disk) resumes with exactly the rest;
- a 2-worker distributed.LocalCluster writes byte-identical tracks to a local build;
- the stage counters count each second once, in the innermost stage; the batch bar counts tracks and audio.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiocoach import stage_times
from audiocoach.batch import Job, run_batch
from audiocoach.batch_progress import BatchBar
from audiocoach.runners import runner_options

TINY = "title: {title}\nsteps:\n  - run: {seconds}s\n    pace: mile\n    say: Go.\n"
RUNNERS = [{"name": "Sam", "mile": "6:40"}, {"name": "Priya", "mile": "5:50"}]
ROSTER = "runners:\n" + "".join(f"  - {{name: {r['name']}, mile: '{r['mile']}'}}\n" for r in RUNNERS)


def season(tmp_path: Path, out: Path, seconds: int = 4) -> list[Job]:
    """Two tiny workouts × two runners, as `build FOLDER --roster` lays them out."""
    jobs = []
    for title in ("Strides", "Turnover"):
        path = tmp_path / "workouts" / f"{title.lower()}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TINY.format(title=title, seconds=seconds))
        jobs += [Job(path, out / path.stem, runner_options(keys["name"], keys["mile"], None, None),
                     stem=keys["name"], track=(n, len(RUNNERS)))
                 for n, keys in enumerate(RUNNERS, 1)]
    return jobs


def test_a_resumed_batch_answers_finished_tracks_without_loading_the_audio_stack(tmp_path: Path):
    out = tmp_path / "out"
    jobs = season(tmp_path, out)
    first = run_batch(jobs, 1)
    assert [o.built for o in first.outcomes] == [True] * 4
    assert {"speech", "mix", "encode"} <= set(first.times())
    assert [o.built for o in run_batch(jobs, 2).outcomes] == [False] * 4  # run_batch: from the records too
    (tmp_path / "roster.yaml").write_text(ROSTER)
    again = subprocess.run([sys.executable, "-c", RESUME, str(tmp_path), str(out)],
                           capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(again.stdout) == {"up_to_date": 4, "loaded": []}, again.stderr


RESUME = """
import contextlib, io, json, re, sys
from pathlib import Path
from audiocoach.cli import cli
tmp, out = Path(sys.argv[1]), sys.argv[2]
shown = io.StringIO()
with contextlib.redirect_stdout(shown):
    cli.main(["build", str(tmp / "workouts"), "--roster", str(tmp / "roster.yaml"), "-o", out, "--jobs", "2"],
             standalone_mode=False)
heavy = ("numpy", "audiocoach.audio.speech", "audiocoach.pipeline", "audiocoach.batch", "onnxruntime")
print(json.dumps({"up_to_date": int(re.search(r"0 built, (\\d+) up to date, 0 failed", shown.getvalue())[1]),
                  "loaded": [m for m in heavy if m in sys.modules]}))
"""


def test_an_interrupted_season_resumes_with_exactly_the_tracks_not_finished(tmp_path: Path):
    """SIGINT once the first track's build record is on disk (not after a sleep); the second run builds
    only the others and leaves the finished files as they were (same inode, same mtime)."""
    for title in ("a", "b", "c"):
        (tmp_path / "w" / f"{title}.yaml").parent.mkdir(exist_ok=True)
        (tmp_path / "w" / f"{title}.yaml").write_text(TINY.format(title=title, seconds=600))
    (tmp_path / "roster.yaml").write_text("runners:\n  - {name: Sam, mile: '6:40'}\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "audiocoach", "build", str(tmp_path / "w"), "--roster",
               str(tmp_path / "roster.yaml"), "-o", str(out), "--jobs", "1"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(out.glob("*/.*.mp3.build")) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    done = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*/*.mp3")}
    assert run.returncode != 0 and "Traceback" not in stderr, "the season ended before it was interrupted"
    assert 1 <= len(done) < 3, done
    assert not list(out.glob("*/.*.tmp")), "an interrupted build left a temporary file"
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{3 - len(done)} built, {len(done)} up to date, 0 failed" in resumed.stdout
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in done} == done
    assert len(list(out.glob("*/*.mp3"))) == 3


def test_a_local_dask_cluster_builds_the_same_bytes_as_this_machine(tmp_path: Path):
    pytest.importorskip("distributed", reason="Dask distributed is the [cluster] extra (make test installs it)")
    from audiocoach.cluster import local_cluster

    here = run_batch(season(tmp_path, tmp_path / "here"), 1)
    with local_cluster(2) as cluster:
        there = run_batch(season(tmp_path, tmp_path / "there"), 1, scheduler=cluster.scheduler_address)
    assert [o.error for o in there.outcomes] == [None] * 4
    assert [o.built for o in there.outcomes] == [True] * 4
    assert {"mix", "encode"} <= set(there.times())  # counted in the workers, summed here
    for a, b in zip(here.outcomes, there.outcomes, strict=True):
        assert b.result.output == tmp_path / "there" / a.result.output.relative_to(tmp_path / "here")
        for suffix in (".mp3", ".lrc", ".json"):
            assert a.result.output.with_suffix(suffix).read_bytes() == b.result.output.with_suffix(suffix).read_bytes()


def test_scheduler_without_dask_is_a_clear_error(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from audiocoach.cli import cli

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    path = tmp_path / "w.yaml"
    path.write_text(TINY.format(title="W", seconds=3))
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out"), "--force",
                                      "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: --scheduler needs Dask distributed" in result.output
    assert "audiocoach[cluster]" in result.output


def test_stage_seconds_are_counted_once_in_the_innermost_stage(monkeypatch):
    clock = iter(range(100))
    monkeypatch.setattr(stage_times.time, "perf_counter", lambda: float(next(clock)))

    def chunks():
        yield 1
        yield 2

    with stage_times.collect() as times:
        with stage_times.timed("encode"):  # 0
            for _ in stage_times.timed_items("mix", chunks()):  # 1-2, 3-4, 5-6 (the end)
                pass
        # encode ends at 7: 7 s in all, 3 of them mixing
    assert times == {"mix": 3.0, "encode": 4.0}
    with stage_times.timed("speech"):  # nobody collects: nothing counted, nothing kept
        pass
    assert times == {"mix": 3.0, "encode": 4.0}


def test_the_batch_bar_counts_tracks_and_minutes_of_audio(tmp_path: Path):
    from audiocoach.batch import Outcome
    from audiocoach.errors import BuildError
    from audiocoach.uptodate import BuildResult

    bar = BatchBar(3, draw=False)
    job = Job(tmp_path / "w.yaml", tmp_path)
    bar.update(Outcome(job, BuildResult(job.path, tmp_path / "w.mp3", 30 * 60_000, 1, 1.0)))
    bar.update(Outcome(job, BuildResult(job.path, tmp_path / "w.mp3", 45 * 60_000, 1, 0.0, up_to_date=True)))
    bar.update(Outcome(job, error=BuildError("no")))
    assert bar.status() == "1 built, 1 up to date, 1 failed · 75 min of audio"
    bar.close()
