"""Builds on a Dask distributed cluster: `audiocoach build … --scheduler tcp://HOST:8786` (extra `[cluster]`).

A build is a pure function of (workout bytes, runner, settings, program and engine versions):
whichever worker runs it writes the same bytes. So the cluster only has to agree with this
machine on the program and engines (checked before anything is submitted) and see the same
files: workouts are read and tracks written at the same absolute paths (a shared folder).

The speech cache: each worker speaks into its own AUDIOCOACH_CACHE (default: its user's cache
folder). Pointing every worker at one shared folder is safe: an entry is named by the sha256 of
everything that decides its samples (text, engine identity, cache format), carries the sha256 of
its samples (a damaged or half-copied entry is spoken again, never used), and is written to a
temporary name then renamed into place (a reader sees the whole clip or none). Two workers
speaking one phrase at once write the same entry twice; the last rename wins, and either is whole.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from audiocoach.errors import AudiocoachError, BuildError
from audiocoach.uptodate import BuildOptions, Job, Outcome, output_path
from audiocoach.uptodate.record import engine_versions, program_digest

__all__ = ["run_on_cluster", "local_cluster", "CONNECT_TIMEOUT_S"]

CONNECT_TIMEOUT_S = 20
# How a LocalCluster's workers must run (`dask worker --no-nanny` gives both): not as daemons, which may not
# start the speech pool's processes; and without the nanny's MALLOC_TRIM_THRESHOLD_=65536, which fixes glibc's
# mmap threshold so every large numpy buffer is a fresh mmap: measured, a build's mixing and encoding 5-10 × slower.
WORKER_CONFIG = {"distributed.worker.daemon": False,
                 "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


Build = Callable[[Job, bool, BuildOptions], Outcome]  # batch.build_job: one job built, as the worker runs it


def run_on_cluster(jobs: dict[int, Job], address: str, force: bool, options: BuildOptions,
                   on_done: Callable[[Outcome], None], build: Build) -> dict[int, Outcome]:
    """Build `jobs` (by index) on the Dask scheduler at `address` with `build` (a module-level function,
    sent to the workers by name); each outcome to `on_done` as it finishes.

    Ctrl-C cancels the builds not yet started; a build under way on a worker runs to its end (it
    writes its files all together or not at all)."""
    if not jobs:
        return {}
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        raise AudiocoachError(f"cannot reach the Dask scheduler at {address}: {err}",
                              hint="start one (dask scheduler; dask worker ADDRESS) or check --scheduler") from err
    with client:
        _refuse_other_programs(client)
        futures = {client.submit(_build_on_worker, build, _absolute(job), force, options, pure=False): i
                   for i, job in jobs.items()}
        outcomes: dict[int, Outcome] = {}
        try:
            for future in distributed.as_completed(futures):
                index = futures[future]
                outcomes[index] = _as_asked(_result(future, jobs[index]), jobs[index])
                on_done(outcomes[index])
        except BaseException:
            client.cancel(list(futures))
            raise
    return outcomes


def local_cluster(workers: int = 2):
    """A `distributed.LocalCluster` of `workers` single-threaded processes that may start the speech
    pool (tests and the season benchmark); close it (or use it in `with`)."""
    import dask  # lazy: Dask is an optional extra (audiocoach[cluster])

    distributed = _distributed()
    with dask.config.set(WORKER_CONFIG):
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)


def _distributed():
    try:
        import distributed  # lazy: an optional extra (audiocoach[cluster]); missing -> a clear error
    except ImportError as err:
        raise AudiocoachError("--scheduler needs Dask distributed, which is not installed",
                              hint="pip install 'audiocoach[cluster]'") from err
    return distributed


def _refuse_other_programs(client) -> None:
    """Every worker must build with this very program and engines, or its tracks would differ (and their
    build records would not match here, so every resume would rebuild them)."""
    here = _identity()
    for worker, theirs in client.run(_identity).items():
        if theirs != here:
            raise AudiocoachError(f"the Dask worker {worker} runs another audiocoach or other engine versions",
                                  hint="install the same audiocoach (and its dependencies) on every worker")


def _identity() -> tuple[str, dict[str, str], str | None]:
    return program_digest(), engine_versions(), os.environ.get("AUDIOCOACH_ENGINE")


def _absolute(job: Job) -> Job:
    return replace(job, path=Path(os.path.abspath(job.path)), out_dir=Path(os.path.abspath(job.out_dir)))


def _as_asked(outcome: Outcome, job: Job) -> Outcome:
    """The outcome told with the job as given (relative paths stay relative in the report)."""
    if outcome.result is None:
        return replace(outcome, job=job)
    result = replace(outcome.result, source=job.path, output=output_path(job.path, job.out_dir, job.stem,
                                                                          outcome.result.output.suffix[1:]))
    return replace(outcome, job=job, result=result)


def _result(future, job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - a lost worker or an error outside the build: this job failed
        return _failed(job, f"the Dask worker building it failed: {err!r}"[:500])


def _failed(job: Job, message: str, hint: str = "see the worker's log; the other tracks still build") -> Outcome:
    return Outcome(job, error=BuildError(message, file=str(job.path), hint=hint))


def _build_on_worker(build: Build, job: Job, force: bool, options: BuildOptions) -> Outcome:
    """One build, in a Dask worker."""
    if multiprocessing.current_process().daemon:
        return _failed(job, "the Dask worker runs as a daemon process and cannot start the speech processes",
                       hint="start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False in their environment")
    return build(job, force, options)
